"""The template context: computed figures as the page shows them.

Every number the templates print comes from here, formatted once (money.py):
two decimals, blank table cells for zero. The context has exactly three
top-level names, ``doc``, ``toc`` and ``scopes``; README.md lists what each
holds, for whoever edits the templates.
"""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal

from . import tables
from .catalogue import chinese_ordinal
from .compute import Publication, Scope, paragraphs
from .money import cell, fmt
from .tables import Table
from .vocabulary import CHANGE_REASON_KEYS, SANGONG, SANGONG_TOTAL, VEHICLE_CATEGORIES

# The computed figures (compute.Figures) that the narrative prints.
NARRATIVE_FIGURES = (
    "income_total", "income_general", "income_fund", "income_capital", "income_special_account",
    "income_other_sources", "carry_in", "carry_out", "expenditure_total", "basic", "personnel", "public",
    "project", "project_own", "operating", "to_superior", "to_subordinate", "running_costs", "procurement",
    "asset_purchases", "assets_value")


def _count(value: Decimal) -> str:
    """A count or an area as written: 121, 35.5."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


_FORMAT = {
    "amount": cell,   # blank for zero, as the published tables print it
    "money": fmt,     # always printed
    "count": _count,
}


def _cell(kind: str, value) -> str:
    if value is None:
        return ""
    if kind in _FORMAT and isinstance(value, Decimal):
        return _FORMAT[kind](value)
    return str(value)


def table_rows(table: Table, rows) -> list[list[str]]:
    """Rows of ``table`` as the page shows them: each cell formatted by its column's kind."""
    kinds = [c.kind for c in table.columns]
    return [[_cell(k, v) for k, v in zip(kinds, r)] for r in rows]


def _tree(table: Table, rows) -> list[list[str]]:
    """A function or economic tree; [] when it holds nothing (the table is then shown empty)."""
    if not any(v for v in rows[0][2:]):
        return []
    return table_rows(table, rows)


def change_phrase(delta: Decimal, unit: str, same: str = "持平", prefix: str = "") -> str:
    """增加12.00万元 / 减少66.20万元 / 持平 (with ``prefix`` 比上年 before a change)."""
    if delta > 0:
        return f"{prefix}增加{fmt(delta)}{unit}"
    if delta < 0:
        return f"{prefix}减少{fmt(-delta)}{unit}"
    return same


def scope_context(pub: Publication, scope: Scope, index: int) -> dict:
    dept = pub.department
    unit = dept.money_unit
    is_unit = scope.kind == "unit"
    f = scope.figures
    word = "单位" if is_unit else "部门"
    texts = scope.texts

    if not is_unit:
        part_heading = "第一部分 部门预算"
        heading = f"{scope.name}收支预算"
    else:
        part_heading = "第二部分 部门所属单位预算" if index == 1 else ""
        heading = f"{chinese_ordinal(index)}、{scope.name}收支预算"

    values = asdict(f)
    n = {k: fmt(values[k]) for k in NARRATIVE_FIGURES}
    reasons = texts.get("change_reasons") or {}
    if f.has_prior:
        n["change_total_phrase"] = change_phrase(f.change_total, unit)
        n["change_basic_phrase"] = change_phrase(f.change_basic, unit)
        n["change_project_phrase"] = change_phrase(f.change_project, unit)
        n["change_other_phrase"] = change_phrase(f.change_other, unit)
        n["has_other_change"] = bool(f.prior_other or f.change_other)
    n["has_capital"] = bool(f.income_capital)
    n["has_carry_in"] = bool(f.carry_in)
    n["has_carry_out"] = bool(f.carry_out)
    n["has_other_kinds"] = bool(f.operating or f.to_superior or f.to_subordinate)
    n["has_running_costs"] = f.has_running_costs

    # The 三公 comparison: table rows, and each category's words for the sentence above the table.
    rows = []
    by_cat = {}
    for row in scope.sangong_comparison:
        reason = row.reason or ("无增减变化" if row.change == 0 else "")
        rows.append(tables.SANGONG_COMPARISON.row(label=row.label, prior=row.prior, current=row.current,
                                                   change=row.change, reason=reason))
        by_cat[row.category] = {"current": fmt(row.current),
                                "phrase": change_phrase(row.change, unit, "与上年持平", "比上年")}
    vehicles_delta = f.sangong_vehicles - f.sangong_vehicles_prior
    sangong = {
        "total": fmt(f.sangong), "total_row": by_cat[SANGONG_TOTAL],
        **{c.key: by_cat[c.name] for c in SANGONG if c.name not in VEHICLE_CATEGORIES},  # vehicles: one sum
        "vehicles": fmt(f.sangong_vehicles),
        "vehicles_phrase": change_phrase(vehicles_delta, unit, "与上年持平", "比上年"),
    }

    perf = texts.get("performance") or {}
    perf_items = [{"ordinal": f"（{i}）", "title": it["title"],
                   "goals": paragraphs(it["goals"]), "indicators": paragraphs(it["indicators"])}
                  for i, it in enumerate(perf.get("items") or [], 1)]

    projects = []
    for p in scope.projects:
        groups: list[dict] = []  # consecutive rows of one 一级指标 share a merged cell
        for i in p.indicators:
            row = {"l2": i.level2, "l3": i.level3, "desc": i.description, "value": i.value, "basis": i.basis}
            if groups and groups[-1]["l1"] == i.level1:
                groups[-1]["rows"].append(row)
            else:
                groups.append({"l1": i.level1, "rows": [row]})
        projects.append({"name": p.name, "amount": fmt(p.amount), "target": p.target, "groups": groups})

    return {
        "is_unit": is_unit,
        "word": word,
        "part_heading": part_heading,
        "heading": heading,
        "name": scope.name,
        "code_name": f"{scope.code}{scope.name}",
        **{t.key: (table_rows(t, getattr(scope, t.key)) if t in (tables.T1, tables.T4, tables.T9)
                   else _tree(t, getattr(scope, t.key))) for t in tables.NINE},
        "units": table_rows(tables.UNITS, [tables.UNITS.row(name=u.name, nature=u.nature, rank=u.rank,
                                                           funding_form=u.funding_form) for u in scope.units]),
        "duties": paragraphs(texts.get("duties")),
        "overview": paragraphs(texts.get("budget_overview")),
        "n": n,
        # a reason is embedded in a sentence: its own closing punctuation would double the template's
        # a reason is printed for a change only (a reason for no change is a warning, rules.py)
        "reasons": {k: (reasons.get(k) or "").strip().rstrip("。；;，,. ") if getattr(f, f"change_{k}") else ""
                    for k in CHANGE_REASON_KEYS},
        "running": [{"label": label, "amount": fmt(v)} for label, v in scope.running_costs],
        "projects": projects,
        "sangong": sangong,
        "sangong_rows": table_rows(tables.SANGONG_COMPARISON, rows),
        "perf_overall": paragraphs(perf.get("overall")),
        "perf_items": perf_items,
        "perf_measures": paragraphs(perf.get("measures")),
        "special_funds": paragraphs(texts.get("special_funds")) or ["无"],
        "procurement": table_rows(tables.PROCUREMENT, scope.procurement),
        "assets": table_rows(tables.ASSETS, scope.assets),
        "assets_as_of": scope.assets_as_of,
        "other_matters": paragraphs(texts.get("other_matters")) or [f"我{word}无其他需要说明的事项。"],
    }


def build_context(pub: Publication) -> dict:
    dept = pub.department
    scopes = [scope_context(pub, pub.scope, 0)] + [scope_context(pub, s, i)
                                                   for i, s in enumerate(pub.units, 1)]
    toc = []
    for s in scopes:
        if s["part_heading"]:
            toc.append({"level": 1, "text": s["part_heading"]})
        toc.append({"level": 2, "text": s["heading"]})
    return {
        "doc": {"name": dept.name, "year": dept.year, "prior_year": dept.year - 1,
                "u": dept.money_unit, "level": dept.government_level,
                "title": f"{dept.name}{dept.year}年部门预算"},
        "toc": toc,
        "scopes": scopes,
    }
