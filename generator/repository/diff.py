"""``budgetpub diff``: one department between two revisions, or between two years.

Shows which facts changed and by how much (unit, fund, code, project; added and removed
lines), then which published figures move as a result (table rows by column, and the
narrative totals). Plain text for a terminal; ``--format markdown`` for a pull request.
Exit 0 whether or not anything changed.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from decimal import Decimal

from generator.figures import tables
from generator.figures.money import fmt
from generator.figures.vocabulary import BASIC, OTHER_KINDS, PROJECT

from .prior_year import PRIOR_LABELS

ZERO = Decimal(0)

FIGURES = {
    "income_total": "收入总计", "expenditure_total": "支出总计", "basic": BASIC, "personnel": "人员经费",
    "public": "公用经费", "project": PROJECT, **dict(zip(("operating", "to_superior", "to_subordinate"), OTHER_KINDS)),
    "carry_in": "上年结转结余", "carry_out": "年终结转结余", "running_costs": "机关运行经费", "sangong": "“三公”经费",
    "procurement": "政府采购预算", "asset_purchases": "拟购置固定资产", "assets_value": "国有资产总值",
    "prior_total": "上年预算数", "change_total": "比上年增减", "change_basic": f"{BASIC}比上年增减",
    "change_project": f"{PROJECT}比上年增减",
}

LABEL_KINDS = ("code", "name", "label", "text")


def _title(table) -> str:
    return f"表{tables.NINE.index(table) + 1} {table.title}" if table in tables.NINE else table.title


def _column_name(column) -> str:
    return "".join(column.header[-2:]) if len(column.header) > 1 else column.header[0]


# ------------------------------------------------------------------ facts

def facts(dept) -> dict[tuple, Decimal]:
    """Every fact of the sources as (unit, what, detail...) → amount."""
    out: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    for u in dept.units:
        who = f"{u.code} {u.name}"
        for word, source in (("收入", u.income), ("上年结转", u.carry_in), ("年终结转", u.carry_out)):
            for fund, located in source.items():
                out[(who, word, fund)] += located.value
        for line in u.basic_function:
            out[(who, "基本支出", line.fund, f"功能分类 {line.function}")] += line.amount
        for line in u.basic_economic:
            out[(who, "基本支出", line.fund, f"经济分类 {line.economic}")] += line.amount
        for p in u.projects:
            out[(who, "项目", f"“{p.name}”", p.line.fund, f"功能分类 {p.line.function}")] += p.amount
        for line in u.other:
            out[(who, line.kind, line.fund, f"功能分类 {line.function}")] += line.amount
        for line in u.sangong:
            out[(who, "“三公”经费", line.category, line.fund)] += line.amount
        for category, located in u.sangong_prior.items():
            out[(who, "上年“三公”经费", category)] += located.value
        for key, located in (u.prior_year or {}).items():
            out[(who, "上年预算数", PRIOR_LABELS.get(key, key))] += located.value
        for item in u.procurement:
            out[(who, "政府采购", item.project or "基本支出", item.item)] += item.total
        if u.assets:
            for key, (count, value) in u.assets.items.items():
                if value is not None:  # an asset kind given by count only
                    out[(who, "国有资产", key)] += value
    return dict(out)


def _figures(scope) -> dict[str, Decimal]:
    f = scope.figures
    values = f if isinstance(f, dict) else dataclasses.asdict(f)
    return {k: v for k, v in values.items() if isinstance(v, Decimal)}


def _rows(table, rows: list) -> dict[tuple, tuple[list[str], list]]:
    """Row label → (column names, values). A table holding two tables side by side (T1, T4:
    income on the left, expenditure on the right) gives each half a row of its own."""
    halves: list[list[int]] = [[]]
    seen_value = False
    for i, column in enumerate(table.columns):
        if column.kind in LABEL_KINDS and seen_value:
            halves.append([])
            seen_value = False
        seen_value = seen_value or column.kind not in LABEL_KINDS
        halves[-1].append(i)
    out: dict[tuple, tuple[list[str], list]] = {}
    for row in rows:
        for half in halves:
            labels = tuple(str(row[i]) for i in half if table.columns[i].kind in LABEL_KINDS and row[i])
            values = [i for i in half if table.columns[i].kind not in LABEL_KINDS]
            if not labels:
                continue
            key = labels
            while key in out:  # the same labels twice: keep them apart
                key = key + ("",)
            out[key] = ([_column_name(table.columns[i]) for i in values], [row[i] for i in values])
    return out


def figures_moved(a, b) -> list[tuple[str, str, str, list[tuple[str, Decimal | None, Decimal | None]]]]:
    """(scope, table, row, [(column, before, after), ...]) for every published row that moves."""
    out = []
    scopes_a = {"部门": a.scope, **{f"{s.code} {s.name}": s for s in a.units}}
    scopes_b = {"部门": b.scope, **{f"{s.code} {s.name}": s for s in b.units}}
    for name in dict.fromkeys([*scopes_a, *scopes_b]):
        sa, sb = scopes_a.get(name), scopes_b.get(name)
        for table in tables.ALL:
            if table is tables.UNITS:
                continue
            ra = _rows(table, getattr(sa, table.key, None) or []) if sa else {}
            rb = _rows(table, getattr(sb, table.key, None) or []) if sb else {}
            for key in dict.fromkeys([*ra, *rb]):
                names, va = ra.get(key, ([], []))
                names, vb = rb.get(key, (names, []))
                cells = []
                for i in range(max(len(va), len(vb))):
                    x = va[i] if i < len(va) else None
                    y = vb[i] if i < len(vb) else None
                    if x != y and (x or y):
                        cells.append((names[i] if i < len(names) else f"第{i + 1}列", x, y))
                if cells:
                    out.append((name, _title(table), " ".join(k for k in key if k), cells))
        fa, fb = (_figures(sa) if sa else {}), (_figures(sb) if sb else {})
        for key, label in FIGURES.items():
            x, y = fa.get(key), fb.get(key)
            if x != y and (x or y):
                out.append((name, "情况说明", label, [("", x, y)]))
    return out


def _same_as_department(moved) -> set[str]:
    """Units whose rows move exactly as the department's (a department of one unit)."""
    by_scope = defaultdict(list)
    for scope, *rest in moved:
        by_scope[scope].append(repr(rest))
    return {s for s, rows in by_scope.items() if s != "部门" and rows == by_scope.get("部门")}


def facts_changed(a, b) -> list[tuple[tuple, Decimal | None, Decimal | None]]:
    fa, fb = facts(a.department), facts(b.department)
    return [(key, fa.get(key), fb.get(key)) for key in dict.fromkeys([*fa, *fb]) if fa.get(key) != fb.get(key)]


# ------------------------------------------------------------------ output

def _delta(x, y) -> str:
    if x is None and y is None:
        return ""
    d = Decimal(y or 0) - Decimal(x or 0)
    return ("+" if d > 0 else "") + fmt(d)


def _value(v) -> str:
    return "—" if v is None else fmt(Decimal(v))


def _fact_word(x, y) -> str:
    return "新增" if x is None else "删除" if y is None else "改动"


def as_text(title: str, unit: str, changed, moved) -> str:
    lines = [title, ""]
    if not changed and not moved:
        return "\n".join(lines + ["没有差异。"]) + "\n"
    lines.append(f"数据的改动（{len(changed)} 处，单位：{unit}）：")
    for key, x, y in changed:
        lines.append(f"  {_fact_word(x, y)}  {' · '.join(key)}：{_value(x)} → {_value(y)}（{_delta(x, y)}）")
    same = _same_as_department(moved)
    lines += ["", f"公开数字的变化（{sum(1 for m in moved if m[0] not in same)} 行）："]
    for scope, table, row, cells in moved:
        if scope in same:
            continue
        moves = "；".join(f"{column + ' ' if column else ''}{_value(x)} → {_value(y)}（{_delta(x, y)}）"
                         for column, x, y in cells)
        lines.append(f"  {scope} · {table} · {row}：{moves}")
    for scope in sorted(same):
        lines.append(f"  {scope}：各表和情况说明的变化同部门。")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def as_markdown(title: str, unit: str, changed, moved) -> str:
    lines = [f"## {title}", ""]
    if not changed and not moved:
        return "\n".join(lines + ["没有差异。"]) + "\n"
    lines += [f"### 数据的改动（{len(changed)} 处）", "", f"| | 数据 | 原数（{unit}） | 新数（{unit}） | 增减 |",
              "|---|---|---:|---:|---:|"]
    for key, x, y in changed:
        lines.append(f"| {_fact_word(x, y)} | {_cell(' · '.join(key))} | {_value(x)} | {_value(y)} | {_delta(x, y)} |")
    same = _same_as_department(moved)
    lines += ["", f"### 公开数字的变化（{sum(1 for m in moved if m[0] not in same)} 行）", "",
              "| 范围 | 表 | 行 | 列 | 原数 | 新数 | 增减 |", "|---|---|---|---|---:|---:|---:|"]
    for scope, table, row, cells in moved:
        if scope in same:
            continue
        for column, x, y in cells:
            lines.append(f"| {_cell(scope)} | {_cell(table)} | {_cell(row)} | {_cell(column)} | {_value(x)} | {_value(y)} | "
                         f"{_delta(x, y)} |")
    if same:
        lines += ["", "、".join(sorted(same)) + "：各表和情况说明的变化同部门。"]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ command line
