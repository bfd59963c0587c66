"""The template context: computed figures as the page shows them.

Every number the templates print comes from here, formatted once (money.py):
two decimals, blank table cells for zero. The context has exactly two
top-level names, ``doc`` and ``scopes`` (the contents are written by toc.py); docs/dev/templates.md lists what each
holds, for whoever edits the templates.
"""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal

from generator.figures import tables
from generator.figures.catalogue import chinese_ordinal
from generator.figures.compute import Publication, Scope, paragraphs
from generator.figures.money import Display
from generator.figures.tables import Table
from generator.figures.vocabulary import (
    CHANGE_REASON_KEYS,
    NARRATIVE_SECTIONS,
    OMITTABLE_SECTIONS,
    OPTIONAL_INDICATOR_COLUMNS,
    PROCUREMENT_CATEGORIES,
    SANGONG,
    SANGONG_TOTAL,
    UNIT_BUDGET,
    UNSTATED,
    VEHICLE_CATEGORIES,
)
from generator.resources import region_wording

from .widths import Widths

# The computed figures (compute.Figures) that the narrative prints.
NARRATIVE_FIGURES = (
    "income_total", "income_general", "income_fund", "income_capital", "income_special_account",
    "income_other_sources", "carry_in", "carry_surplus", "carry_out", "expenditure_total", "fiscal_expenditure",
    "basic", "personnel", "public", "project", "project_own", "operating", "to_superior", "to_subordinate",
    "running_costs", "procurement", "sme_reserved", "sme_small_micro", "asset_purchases", "assets_value")


def _count(value: Decimal) -> str:
    """A count or an area as written: 121, 35.5."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _cell(kind: str, value, display: Display) -> str:
    if value is None:
        return ""  # not given: never an invented 0.00
    if isinstance(value, Decimal):
        if kind == "amount":
            return display.cell(value)   # blank for zero, as the published tables print it
        if kind == "money":
            return display.fmt(value)    # always printed
        if kind == "count":
            return _count(value)
    return str(value)


def table_rows(table: Table, rows, displays: dict[bool, Display]) -> list[list[str]]:
    """Rows of ``table`` as the page shows them: each cell formatted by its column's kind, amounts
    in the table's money unit (the text's for 三公, ``displays[True]``)."""
    kinds = [c.kind for c in table.columns]
    display = displays[table.text_unit]
    return [[_cell(k, v, display) for k, v in zip(kinds, r)] for r in rows]


def _tree(table: Table, rows, displays: dict[bool, Display]) -> list[list[str]]:
    """A function or economic tree; [] when it holds nothing (the table is then shown empty)."""
    if not any(v for v in rows[0][2:]):
        return []
    return table_rows(table, rows, displays)


def carry_header(f) -> str:
    """T2's last column: 上年结转结余 where a 结余 is used, else 上年结转."""
    return "上年结转结余" if f.carry_surplus else "上年结转"


def nine_tables(pub: Publication, scope: Scope) -> dict[str, list[list[str]]]:
    """The nine tables of ``scope`` as the page shows them (T1, T4 and T9 always have their rows;
    a tree that holds nothing is [], shown empty with its note)."""
    dept = pub.department
    displays = {True: text_display(dept), False: Display(dept.money_unit, dept.table_unit, dept.thousands)}
    return {t.key: (table_rows(t, getattr(scope, t.key), displays) if t in (tables.T1, tables.T4, tables.T9)
                     else _tree(shown_table(scope, t), getattr(scope, t.key), displays)) for t in tables.NINE}


def shown_table(scope: Scope, table: Table) -> Table:
    """The table of the catalogue ``scope`` prints for ``table`` (compute.Scope.shown)."""
    return scope.shown(table)


def change_phrase(delta: Decimal | None, display: Display, same: str = "持平", prefix: str = "") -> str:
    """增加12.00万元 / 减少66.20万元 / 持平 (with ``prefix`` 比上年 before a change); "" when unknown."""
    if delta is None:
        return ""
    shown = display.value(delta)
    if display.fmt(abs(delta)) == display.fmt(Decimal(0)):
        return same  # a change that rounds to nothing in the shown unit is no change on the page
    if shown > 0:
        return f"{prefix}增加{display.fmt(delta)}{display.unit}"
    return f"{prefix}减少{display.fmt(-delta)}{display.unit}"


def text_display(dept) -> Display:
    """Amounts as the text prints them: authored in the money unit, shown in the text's unit."""
    return Display(dept.money_unit, dept.text_unit)


def scope_context(pub: Publication, scope: Scope, index: int, words: dict[str, object]) -> dict:
    dept = pub.department
    text = text_display(dept)
    displays = {True: text, False: Display(dept.money_unit, dept.table_unit, dept.thousands)}
    unit_budget = dept.publishes == UNIT_BUDGET
    is_unit = scope.kind == "unit"
    f = scope.figures
    word = words["unit"] if is_unit or unit_budget else words["department"]
    texts = scope.texts

    if unit_budget:
        part_heading, heading = "", f"{scope.name}收支预算"
    elif not is_unit:  # 第一部分 only where a 第二部分 follows
        part_heading = "第一部分 部门预算" if dept.unit_budgets and pub.units else ""
        heading = f"{scope.name}收支预算"
    else:
        part_heading = "第二部分 部门所属单位预算" if index == 1 else ""
        heading = f"{chinese_ordinal(index)}、{scope.name}收支预算"

    values = asdict(f)
    n = {k: text.fmt(values[k]) for k in NARRATIVE_FIGURES}
    reasons = texts.get("change_reasons") or {}
    n["change_total_phrase"] = change_phrase(f.change_total, text)
    n["change_basic_phrase"] = change_phrase(f.change_basic, text)
    n["change_project_phrase"] = change_phrase(f.change_project, text)
    n["change_other_phrase"] = change_phrase(f.change_other, text)
    n["change_fiscal_phrase"] = change_phrase(f.change_fiscal, text)
    n["has_prior_total"] = f.prior_total is not None
    n["has_prior_split"] = f.prior_basic is not None
    n["has_prior_fiscal"] = f.prior_fiscal is not None
    n["has_other_change"] = bool(f.prior_other or f.change_other)
    n["has_surplus"] = bool(f.carry_surplus)
    n["economic_known"] = f.economic_known
    # units whose basic expenditure has no economic breakdown: the department's 基本支出表 shows only the others
    n["economic_unknown_units"] = "、".join(u.name for u in scope.units if not u.general_economic_known)
    n["running_costs_known"] = f.running_costs is not None
    n["has_assets_value"] = f.assets_value is not None
    n["has_asset_purchases"] = f.asset_purchases is not None
    # the optional sections (vocabulary.OPTIONAL_SECTIONS): not stated is said nothing of, blank in the tables
    states = scope.states
    n["procurement_stated"] = states.get("procurement") != UNSTATED
    n["assets_stated"] = states.get("assets") != UNSTATED
    n["sangong_known"] = f.sangong_known
    n["t6_complete"] = scope.t6_complete
    n["has_procurement"] = bool(f.procurement)
    n["procurement_categories"] = [{"label": label, "amount": text.fmt(f.procurement_by_category[key])}
                                   for key, label in PROCUREMENT_CATEGORIES.values()
                                   if key in f.procurement_by_category]
    n["has_sme"] = bool(f.sme_reserved)
    n["has_small_micro"] = f.sme_small_micro is not None
    n["has_capital"] = bool(f.income_capital)
    n["has_carry_in"] = bool(f.carry_in)
    n["has_carry_out"] = bool(f.carry_out)
    n["has_other_kinds"] = bool(f.other_kinds)
    n["has_running_costs"] = f.has_running_costs
    n["running_costs_unknown"] = f.running_costs_unknown
    n["projects_listed_all"] = f.projects_listed_all
    n["has_project"] = bool(f.project)

    # The 三公 comparison: table rows, and each category's words for the sentence above the table.
    rows = []
    by_cat = {}
    for row in scope.sangong_comparison:
        # a reason for a change only (sangong.reason-unneeded warns that one written for no change is not
        # printed); change None (a year not known): no change is stated, nor its reason
        reason = "" if row.change is None else "无增减变化" if row.change == 0 else (row.reason or "")
        rows.append(tables.SANGONG_COMPARISON.row(label=row.label, prior=row.prior, current=row.current,
                                                   change=row.change, reason=reason))
        by_cat[row.category] = {"current": text.fmt(row.current),
                                "phrase": change_phrase(row.change, text, "与上年持平", "比上年")}
    vehicles_delta = f.sangong_vehicles - f.sangong_vehicles_prior if f.sangong_prior_known else None
    sangong = {
        "prior_known": f.sangong_prior_known,
        "total": text.fmt(f.sangong), "total_row": by_cat[SANGONG_TOTAL],
        **{c.key: by_cat[c.name] for c in SANGONG if c.name not in VEHICLE_CATEGORIES},  # vehicles: one sum
        "vehicles": text.fmt(f.sangong_vehicles),
        "vehicles_phrase": change_phrase(vehicles_delta, text, "与上年持平", "比上年"),
    }

    perf = texts.get("performance") or {}
    perf_none = perf.get("none") is True  # stated as none: 无
    perf_overall, perf_measures = paragraphs(perf.get("overall")), paragraphs(perf.get("measures"))
    special_funds = paragraphs(texts.get("special_funds"))
    perf_items = [{"ordinal": f"（{i}）", "title": it["title"],
                   "goals": paragraphs(it["goals"]), "indicators": paragraphs(it["indicators"])}
                  for i, it in enumerate(perf.get("items") or [], 1)]
    # the parts of 五、预算绩效信息 the sources give, numbered in order: 1、2、… and （一）（二）…
    given = [k for k, v in (("overall", perf_overall), ("targets", perf_items), ("measures", perf_measures)) if v]
    perf_heads = {k: f"{n}、" for n, k in enumerate(given, 1)}
    # 预算项目绩效目标: left out where no project is listed and the wording says so (omit: project_targets)
    project_targets = bool(scope.projects) or "project_targets" not in dept.omit
    parts = [k for k, present in (("whole", bool(given) or perf_none), ("special", bool(special_funds)),
                                  ("projects", project_targets)) if present]
    perf_parts = {"whole": "", "special": "", "projects": ""}
    perf_parts.update({k: f"（{chinese_ordinal(n)}）" for n, k in enumerate(parts, 1)})

    projects = []
    for p in scope.projects:
        groups: list[dict] = []  # consecutive rows of one 一级指标 share a merged cell
        for i in p.indicators:
            row = {"l2": i.level2, "l3": i.level3, "desc": i.description or "", "value": i.value,
                   "basis": i.basis or ""}
            if groups and groups[-1]["l1"] == i.level1:
                groups[-1]["rows"].append(row)
            else:
                groups.append({"l1": i.level1, "rows": [row]})
        projects.append({"name": p.name, "amount": text.fmt(p.amount), "target": p.target, "groups": groups})

    return {
        "first": index == 0,  # the first scope restarts the page numbering (template_builder.number_pages)
        "is_unit": is_unit,
        "includes_units": not is_unit and not unit_budget,
        # （含所属单位） after the department's name: not for a department published alone whose one unit is itself
        "own_units": not is_unit and not unit_budget and (dept.unit_budgets or len(dept.roster or dept.units) > 1),
        "word": word,
        "part_heading": part_heading,
        "heading": heading,
        "name": scope.name,
        "code_name": f"{scope.code}{scope.name}",
        **nine_tables(pub, scope),
        "t2_pooled": scope.t2_pooled,  # 收入总表 with the other sources in one column (tables.T2_POOLED)
        "carry_header": carry_header(f),
        **unit_rows(dept, scope, displays),
        "income_details": [{"fund": d.fund, "label": d.label, "amount": text.fmt(d.amount)}
                           for d in scope.income_details],
        "duties": paragraphs(texts.get("duties")),
        "overview": paragraphs(texts.get("budget_overview")),
        "n": n,
        # a reason is embedded in a sentence: its own closing punctuation would double the template's
        # a reason is printed for a change only (a reason for no change is a warning, rules.py)
        "reasons": {k: (reasons.get(k) or "").strip().rstrip("。；;，,. ") if getattr(f, f"change_{k}") else ""
                    for k in CHANGE_REASON_KEYS},
        "running": [{"label": label, "amount": text.fmt(v)} for label, v in scope.running_costs],
        "projects": projects,
        "sangong": sangong,
        "sangong_rows": table_rows(tables.SANGONG_COMPARISON, rows, displays),
        "perf_overall": perf_overall,
        "perf_none": perf_none,
        "perf_items": perf_items,
        "perf_measures": perf_measures,
        "perf_heads": perf_heads,
        "perf_parts": perf_parts,
        # not given: the part is left out (never an invented 无)
        "special_funds": special_funds,
        # a scope that does not state its procurement (a unit of it does not) lists no item: its table is
        # printed blank, not with the items of the units that do
        "procurement": table_rows(tables.PROCUREMENT, scope.procurement, displays) if n["procurement_stated"] else [],
        # the table lists items; a scope known only by category totals leaves it out, one not stated too
        "procurement_table": f.procurement_itemised and n["procurement_stated"],
        "assets": table_rows(tables.ASSETS, scope.assets, displays),
        "assets_as_of": scope.assets_as_of,
        "other_matters": paragraphs(texts.get("other_matters")) or [f"我{word}无其他需要说明的事项。"],
        # 项目支出 without a 绩效目标表 listed: the region's sentence (wording no_project_targets)
        "no_project_targets": words["no_project_targets"].replace("{word}", word),
    }


def unit_rows(dept, scope: Scope, displays) -> dict:
    """机构设置情况: the department's units as department.yaml lists them (units), else the scope's; the
    attribute columns no unit gives are left out (``unit_columns`` names those shown)."""
    if scope.kind == "department" and dept.roster:
        given = [{k: u.get(k) or "" for k in ("name", *tables.UNIT_ATTRIBUTES)} for u in dept.roster]
    else:
        given = [{"name": u.name, "nature": u.nature, "rank": u.rank, "funding_form": u.funding_form}
                 for u in scope.units]
    shown = tuple(k for k in tables.UNIT_ATTRIBUTES if any(g[k] for g in given))
    table = tables.units_table(shown)
    return {"unit_columns": ",".join(shown),
            "units": table_rows(table, [table.row(**{k: g[k] for k in table.keys}) for g in given], displays)}


def column_widths(dept, scopes: list[dict], indicator_columns: tuple[str, ...]) -> Widths:
    """``doc.w``: each table's widths from the longest contents of every scope's (widths.py)."""
    keyed = {t.key: t for t in tables.ALL}
    performance = tables.performance_table(indicator_columns)
    keyed[performance.key] = performance
    keyed["procurement_narrow"] = tables.PROCUREMENT
    keyed[tables.T2_POOLED.key] = tables.T2_POOLED
    rows: dict[str, list] = {tables.T2_POOLED.key: []}
    for shown in unit_variants():
        keyed[tables.units_table(shown).key] = tables.units_table(shown)
    for scope in scopes:
        for t in tables.ALL:
            key = tables.units_table(tuple(filter(None, scope["unit_columns"].split(",")))).key if t is tables.UNITS \
                else tables.T2_POOLED.key if t is tables.T2 and scope["t2_pooled"] else t.key
            rows.setdefault(key, []).extend(scope[t.key])
        shown = [c.key for c in performance.columns]
        rows.setdefault(performance.key, []).extend(
            [[g["l1"], *(i[k] for k in ("l2", "l3", "desc", "value", "basis")
                         if {"l2": "level2", "l3": "level3", "desc": "description", "value": "value",
                             "basis": "basis"}[k] in shown)]
             for p in scope["projects"] for g in p["groups"] for i in g["rows"]])
    values = {"doc.year": str(dept.year), "doc.prior_year": str(dept.year - 1), "doc.u": dept.text_unit,
              "doc.tu": dept.table_unit, "s.carry_header": "上年结转结余"}
    return Widths(rows, values, keyed)


def unit_variants() -> list[tuple[str, ...]]:
    """Every set of 机构设置情况 attribute columns, all first (the template holds a table for each)."""
    import itertools
    attrs = tables.UNIT_ATTRIBUTES
    return [c for n in range(len(attrs), -1, -1) for c in itertools.combinations(attrs, n)]


def wording(dept) -> dict[str, object]:
    """The region's wording: templates/wording.yaml, overridden by department.yaml ``wording``."""
    chosen = {**region_wording(), **dept.wording}
    omit = set(dept.omit)
    return {"legal_basis": "" if "legal_basis" in omit else chosen["legal_basis"].strip(),
            "department": chosen["department"], "unit": chosen["unit"],
            "no_project_targets": chosen["no_project_targets"],  # templates/wording.yaml states the default
            "glossary": [g.replace("{level}", dept.government_level) for g in paragraphs(chosen["glossary"])]}


def section_numbers(dept) -> dict[str, str]:
    """情况说明's sections printed, each with its number (一、二、…: the numbers close up over a section
    left out); a section left out has none (the template leaves it out by it)."""
    kept = [s.key for s in NARRATIVE_SECTIONS if s.key not in dept.left_out]
    return {key: f"{chinese_ordinal(i)}、" for i, key in enumerate(kept, 1)}


def build_context(pub: Publication) -> dict:
    dept = pub.department
    words = wording(dept)  # once for the publication, not once per scope
    scopes = [scope_context(pub, pub.scope, 0, words)]
    # a unit publishing alone: its one scope is the whole; a department published at department level
    # (unit_budgets: false) has no 第二部分
    if dept.publishes != UNIT_BUDGET and dept.unit_budgets:
        scopes += [scope_context(pub, s, i, words) for i, s in enumerate(pub.units, 1)]
    indicator_columns = tuple(c for c in OPTIONAL_INDICATOR_COLUMNS if c in dept.indicator_columns)
    return {
        "doc": {"name": dept.name, "year": dept.year, "prior_year": dept.year - 1,
                "u": dept.text_unit, "tu": dept.table_unit,
                # the sources' unit, when the text rounds its amounts into a larger one (元 → 万元)
                "rounded_from": dept.money_unit if dept.money_unit != dept.text_unit else "",
                "kind": dept.publishes, "title": dept.title,
                "legal_basis": words["legal_basis"], "glossary": words["glossary"],
                "sec": section_numbers(dept), "omit": {k: k in dept.left_out for k in OMITTABLE_SECTIONS},
                "indicator_columns": ",".join(indicator_columns),
                # some part prints its procurement items: a part that does not state them prints the table blank
                "procurement_tables": any(s["procurement_table"] for s in scopes),
                # printed on the cover only when the repository asks for it (budgetpub.toml stamp = "cover")
                "revision": pub.revision.label if pub.revision and pub.stamp_on_cover else "",
                "w": column_widths(dept, scopes, indicator_columns)},
        "scopes": scopes,
    }
