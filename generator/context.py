"""The template context: computed figures as the page shows them.

Every number the templates print comes from here, formatted once (money.py):
two decimals, blank table cells for zero. The context has exactly three
top-level names, ``doc``, ``toc`` and ``scopes``; README.md lists what each
holds, for whoever edits the templates.
"""

from __future__ import annotations

from decimal import Decimal

from .catalogue import chinese_ordinal
from .compute import Publication, Scope, paragraphs
from .money import cell, fmt


# The computed figures (compute.Scope.figures) that the narrative prints.
NARRATIVE_FIGURES = (
    "income_total", "income_general", "income_fund", "income_capital", "income_special_account",
    "income_other_sources", "carry_in", "carry_out", "expenditure_total", "basic", "personnel", "public",
    "project", "project_own", "operating", "to_superior", "to_subordinate", "running_costs", "procurement",
    "asset_purchases", "assets_value")


def _row(values) -> list[str]:
    return [cell(v) if isinstance(v, Decimal) else ("" if v is None else str(v)) for v in values]


def _rows(rows) -> list[list[str]]:
    return [_row(r) for r in rows]


def _tree(rows) -> list[list[str]]:
    """A function or economic tree; [] when it holds nothing (the table is then shown empty)."""
    if not any(v for v in rows[0][2:]):
        return []
    return _rows(rows)


def _count(value: Decimal) -> str:
    """A count or an area as written: 121, 35.5."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


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

    n = {k: fmt(f[k]) for k in NARRATIVE_FIGURES}
    reasons = texts.get("change_reasons") or {}
    if "prior_total" in f:
        n["change_total_phrase"] = change_phrase(f["change_total"], unit)
        n["change_basic_phrase"] = change_phrase(f["change_basic"], unit)
        n["change_project_phrase"] = change_phrase(f["change_project"], unit)
        n["change_other_phrase"] = change_phrase(f["change_other"], unit)
        n["has_other_change"] = bool(f["prior_other"] or f["change_other"])
    n["has_capital"] = bool(f["income_capital"])
    n["has_carry_in"] = bool(f["carry_in"])
    n["has_carry_out"] = bool(f["carry_out"])
    n["has_other_kinds"] = any(f[k] for k in ("operating", "to_superior", "to_subordinate"))

    comparison = []
    for row in scope.sangong_comparison:
        comparison.append({
            "label": row["label"], "prior": fmt(row["prior"]), "current": fmt(row["current"]),
            "change": fmt(row["change"]),
            "reason": row["reason"] or ("无增减变化" if row["change"] == 0 else ""),
            "phrase": change_phrase(row["change"], unit, "与上年持平", "比上年"),
        })
    by_cat = dict(zip(("abroad", "buy", "run", "host", "total"), comparison))
    vehicles_delta = f["sangong_vehicles"] - f["sangong_vehicles_prior"]
    sangong = {
        "total": fmt(f["sangong"]),
        "abroad": by_cat["abroad"], "host": by_cat["host"], "total_row": by_cat["total"],
        "vehicles": fmt(f["sangong_vehicles"]),
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

    assets = [[label, _count(c), fmt(v)] for label, c, v in scope.assets]

    return {
        "is_unit": is_unit,
        "word": word,
        "part_heading": part_heading,
        "heading": heading,
        "name": scope.name,
        "code_name": f"{scope.code}{scope.name}",
        "t1": _rows(scope.t1), "t2": _tree(scope.t2), "t3": _tree(scope.t3), "t4": _rows(scope.t4),
        "t5": _tree(scope.t5), "t6": _tree(scope.t6), "t7": _tree(scope.t7), "t8": _tree(scope.t8),
        "t9": _rows(scope.t9),
        "units": [{"name": u.name, "nature": u.nature, "rank": u.rank, "funding_form": u.funding_form}
                  for u in scope.units],
        "duties": paragraphs(texts.get("duties")),
        "overview": paragraphs(texts.get("budget_overview")),
        "n": n,
        # a reason is embedded in a sentence: its own closing punctuation would double the template's
        "reasons": {k: (reasons.get(k) or "").strip().rstrip("。；;，,. ") for k in ("basic", "project")},
        "running": [{"label": label, "amount": fmt(v)} for label, v in scope.running_costs],
        "projects": projects,
        "sangong": sangong,
        "sangong_rows": comparison,
        "perf_overall": paragraphs(perf.get("overall")),
        "perf_items": perf_items,
        "perf_measures": paragraphs(perf.get("measures")),
        "special_funds": paragraphs(texts.get("special_funds")) or ["无"],
        # procurement column 5 is a quantity (a count), not money
        "procurement": [_row(r[:5]) + [_count(r[5])] + _row(r[6:]) for r in scope.procurement],
        "assets": assets,
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
