"""``budgetpub diff``: one department between two revisions, or between two years.

Lists the facts that changed (unit, fund, code, project; added and removed) and, under each, the
published figures that change with it: the rows of the tables and the figures of the 情况说明 that
the fact moves, found by applying that one change alone to the earlier side and computing again
(``blocks``). ``--detail`` lists every published row and column that differs instead. Formatting
(plain text for a terminal, Markdown for a pull request) is diff_format.py's.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections import defaultdict
from decimal import Decimal
from typing import Any, Callable, Iterator

from generator.figures import tables
from generator.figures.compute import Publication, Scope, compute_scope
from generator.figures.model import Department, Unit
from generator.figures.vocabulary import ASSET, BASIC, OTHER_KINDS, PROJECT

from .prior_year import PRIOR_LABELS

ZERO = Decimal(0)

FIGURES = {
    "income_total": "收入总计", "expenditure_total": "支出总计", "basic": BASIC, "personnel": "人员经费",
    "public": "公用经费", "project": PROJECT, **dict(zip(("operating", "to_superior", "to_subordinate"), OTHER_KINDS)),
    "carry_in": "上年结转结余", "carry_out": "年终结转结余",
    "running_costs": "机关运行经费", "sangong": "“三公”经费", "procurement": "政府采购预算",
    "asset_purchases": "拟购置固定资产", "assets_value": "国有资产总值", "prior_total": "上年预算数",
    "change_total": "比上年增减", "change_basic": f"{BASIC}比上年增减", "change_project": f"{PROJECT}比上年增减",
}

LABEL_KINDS = ("code", "name", "label", "text")
NARRATIVE = "情况说明"
MAX_ISOLATED = 60  # more changed facts than this: their figures are listed together (--detail's way)


# ------------------------------------------------------------------ the facts

@dataclasses.dataclass(frozen=True)
class View:
    """One kind of fact of a unit: the attribute holding it, the key of one fact (after the unit)
    and its amount (None: not an amount, skipped); ``section``: the optional section it belongs to."""

    attribute: str
    key: Callable[[Any], tuple]
    amount: Callable[[Any], Decimal | None]
    section: str = ""
    mapping: bool = False  # held as a dict (key → Located), not a list


def _value(item) -> Decimal:
    return item[1].value


# prior_year's keys as a change names them (history compares only PRIOR_LABELS' keys: change and fiscal are not there)
PRIOR_WORDS = {**PRIOR_LABELS, "fiscal": "财政拨款支出", "change": "比上年增减（本年支出合计减上年预算数）"}
PRIOR_VIEW = View("prior_year", lambda i: ("上年预算数", PRIOR_WORDS.get(i[0], i[0])), _value, "prior-year", True)
UNIT_VIEWS = (
    View("income", lambda i: ("收入", i[0]), _value, mapping=True),
    View("income_details", lambda d: ("收入“其中”", d.fund, d.label), lambda d: d.amount),
    View("carry_in", lambda i: ("上年结转", i[0]), _value, "carryover", True),
    View("carry_surplus", lambda i: ("使用非财政拨款结余", i[0]), _value, "carryover", True),
    View("carry_out", lambda i: ("年终结转", i[0]), _value, "carryover", True),
    View("basic_function", lambda l: ("基本支出", l.fund, f"功能分类 {l.function}"), lambda l: l.amount),
    View("basic_economic", lambda l: ("基本支出", l.fund, f"经济分类 {l.economic}"), lambda l: l.amount),
    View("projects", lambda p: ("项目", f"“{p.name}”", p.line.fund or "", f"功能分类 {p.line.function or '（未写）'}"),
         lambda p: p.amount),
    View("project_lines", lambda l: ("项目支出（按功能分类）", l.fund, f"功能分类 {l.function}"), lambda l: l.amount),
    View("other", lambda l: (l.kind, l.fund, f"功能分类 {l.function}"), lambda l: l.amount),
    View("running_costs", lambda r: ("机关运行经费", f"经济分类 {r.economic}", r.label), lambda r: r.amount),
    View("sangong", lambda l: ("“三公”经费", l.category, l.fund), lambda l: l.amount, "sangong"),
    View("sangong_prior", lambda i: ("上年“三公”经费", i[0]), _value, "sangong-prior", True),
    PRIOR_VIEW,
    View("procurement", lambda i: ("政府采购", i.project or BASIC, i.item), lambda i: i.total, "procurement"),
    View("procurement_summary", lambda i: ("政府采购汇总", i[0]), _value, "procurement", True),
    View("assets", lambda i: ("国有资产", re.sub(r"^[0-9]+、", "", ASSET[i[0]].label)), lambda i: i[1][1], "assets"),
)
DEPARTMENT_WHO = "部门"


def _who(unit: Unit) -> str:
    return f"{unit.code} {unit.name}"


def _items(owner, attribute: str) -> list:
    held = getattr(owner, attribute)
    if attribute == "assets":
        return list(held.items.items()) if held else []
    if isinstance(held, dict):
        return list(held.items())
    return list(held or [])


def _facts_of(owner, who: str, views) -> Iterator[tuple[tuple, Decimal]]:
    for view in views:
        for item in _items(owner, view.attribute):
            value = view.amount(item)
            if value is not None:  # an asset kind given by count only
                yield (who, *view.key(item)), value


def facts(dept: Department) -> dict[tuple, Decimal]:
    """Every fact of the sources as (unit, what, detail...) → amount; the department's own
    prior-year figures under 部门."""
    out: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    for key, value in _facts_of(dept, DEPARTMENT_WHO, [PRIOR_VIEW]):
        out[key] += value
    for u in dept.units:
        for key, value in _facts_of(u, _who(u), UNIT_VIEWS):
            out[key] += value
    return dict(out)


def facts_changed(a, b) -> list[tuple[tuple, Decimal | None, Decimal | None]]:
    fa, fb = facts(a.department), facts(b.department)
    return [(key, fa.get(key), fb.get(key)) for key in dict.fromkeys([*fa, *fb]) if fa.get(key) != fb.get(key)]


# ------------------------------------------------------------------ one change alone

def _with(owner_a, owner_b, key: tuple, views):
    """``owner_a`` (a unit or the department) with the one fact ``key`` as ``owner_b`` has it."""
    out = copy.copy(owner_a)
    out.states = dict(getattr(owner_a, "states", {}))
    for view in views:
        a_items, b_items = _items(owner_a, view.attribute), _items(owner_b, view.attribute) if owner_b else []
        if not any(view.key(i) == key for i in a_items + b_items):
            continue
        if view.attribute == "assets":  # the assets of a unit are one table: taken as a whole
            out.assets = getattr(owner_b, "assets", None)
        else:
            kept = [i for i in a_items if view.key(i) != key] + [i for i in b_items if view.key(i) == key]
            if view.mapping:
                kept = dict(kept) if kept or getattr(owner_a, view.attribute) is not None else None
            setattr(out, view.attribute, kept)
        if view.section and owner_b is not None and hasattr(owner_b, "states"):
            out.states[view.section] = owner_b.state(view.section)
    return out


def _names(a: Publication, b: Publication):
    """The code names of both sides (a change alone may bring a code only the later side names)."""
    names = copy.copy(a.names)
    names.extra = {kind: {**b.names.extra.get(kind, {}), **codes} for kind, codes in a.names.extra.items()}
    return names


def _alone(a: Publication, b: Publication, keys: list[tuple]) -> tuple[Department, list[str]]:
    """The department of ``a`` with the changes ``keys`` (all of one unit, or the department's) as in
    ``b``; and the codes of the units whose scopes may move."""
    who = keys[0][0]
    dept = copy.copy(a.department)
    units_a = {_who(u): u for u in a.department.units}
    units_b = {_who(u): u for u in b.department.units}
    if who == DEPARTMENT_WHO:
        for key in keys:
            dept = _with(dept, b.department, key[1:], [PRIOR_VIEW])
        return dept, []
    if who not in units_a or who not in units_b:  # a unit added or removed: all of it at once
        units = [u for u in a.department.units if _who(u) != who] + ([units_b[who]] if who in units_b else [])
        dept.units = sorted(units, key=lambda u: u.code)
        return dept, [units_b[who].code] if who in units_b else []
    unit = units_a[who]
    for key in keys:
        unit = _with(unit, units_b[who], key[1:], UNIT_VIEWS)
    dept.units = [unit if _who(u) == who else u for u in a.department.units]
    return dept, [unit.code]


# ------------------------------------------------------------------ the published figures

def _title(table) -> str:
    return f"表{tables.NINE.index(table) + 1} {table.title}" if table in tables.NINE else table.title


def _column_name(column) -> str:
    name = "".join(column.header[-2:]) if len(column.header) > 1 else column.header[0]
    return re.sub(r"（单位：[^）]*）|\s", "", name)  # the unit is the table's, said once


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


def _figures(scope) -> dict[str, Decimal]:
    f = scope.figures
    values = f if isinstance(f, dict) else dataclasses.asdict(f)
    out = {k: v for k, v in values.items() if isinstance(v, Decimal)}
    if values.get("prior_change_only"):  # the sources give the change alone: the prior total is derived, not stated
        out.pop("prior_total", None)
    return out


Move = tuple[str, str, list[tuple[str, Decimal | None, Decimal | None]]]  # (table, row, [(column, before, after)])


def scope_moves(sa: Scope | None, sb: Scope | None) -> list[Move]:
    """Every published row of one scope that differs, with the columns that do; then the 情况说明's figures."""
    out: list[Move] = []
    for table in tables.ALL:
        if table is tables.UNITS:
            continue
        ra = _rows(sa.shown(table), getattr(sa, table.key, None) or []) if sa else {}
        rb = _rows(sb.shown(table), getattr(sb, table.key, None) or []) if sb else {}
        for key in dict.fromkeys([*ra, *rb]):
            names_a, va = ra.get(key, ([], []))
            names_b, vb = rb.get(key, (names_a, []))
            names_a = names_a or names_b
            cells = []
            if names_a != names_b:  # the sides print the table with other columns (收入总表 with 单位资金): by name
                a, b = dict(zip(names_a, va)), dict(zip(names_b, vb))
                cells = [(n, a.get(n), b.get(n)) for n in dict.fromkeys([*names_a, *names_b])
                         if a.get(n) != b.get(n) and (a.get(n) or b.get(n))]
            for i in range(max(len(va), len(vb)) if names_a == names_b else 0):
                x = va[i] if i < len(va) else None
                y = vb[i] if i < len(vb) else None
                if x != y and (x or y):
                    cells.append((names_a[i] if i < len(names_a) else f"第{i + 1}列", x, y))
            if cells:
                out.append((_title(table), " ".join(k for k in key if k), cells))
    fa, fb = (_figures(sa) if sa else {}), (_figures(sb) if sb else {})
    for key, label in FIGURES.items():
        x, y = fa.get(key), fb.get(key)
        if x != y and (x or y):
            out.append((NARRATIVE, label, [("", x, y)]))
    return out


def _scopes(pub: Publication) -> dict[str, Scope]:
    """The parts published: the department's and each unit's (none for a department published at
    department level, unit_budgets: false)."""
    units = pub.units if pub.department.unit_budgets else []
    return {DEPARTMENT_WHO: pub.scope, **{f"{s.code} {s.name}": s for s in units}}


def figures_moved(a, b) -> list[tuple[str, str, str, list]]:
    """(scope, table, row, [(column, before, after), ...]) for every published row that moves."""
    scopes_a, scopes_b = _scopes(a), _scopes(b)
    return [(name, *move) for name in dict.fromkeys([*scopes_a, *scopes_b])
            for move in scope_moves(scopes_a.get(name), scopes_b.get(name))]


@dataclasses.dataclass
class Block:
    """Facts changed together (one fact; or a unit added or removed) and the figures they move, by scope."""

    facts: list[tuple[tuple, Decimal | None, Decimal | None]]
    moves: dict[str, list[Move]]  # scope (部门 or a unit) → its moves


def blocks(a: Publication, b: Publication, changed) -> list[Block] | None:
    """Each change applied alone to ``a``: the published figures it moves. None when there are more
    than MAX_ISOLATED changes (then --detail's listing of every moved figure is the readable one)."""
    if len(changed) > MAX_ISOLATED:
        return None
    names = _names(a, b)
    units_a = {_who(u) for u in a.department.units}
    units_b = {_who(u) for u in b.department.units}
    groups: dict[tuple, list] = {}
    for fact in changed:
        who = fact[0][0]
        whole_unit = who != DEPARTMENT_WHO and (who not in units_a or who not in units_b)
        groups.setdefault((who,) if whole_unit else fact[0], []).append(fact)
    a_scopes = {s.code: s for s in a.units}
    # only what differs between the two sides is a published figure that moves: a figure derived from
    # two facts (公用经费 = 基本支出 − 人员经费) may move with each alone and not with both
    differs = {(scope, table, row, column) for scope, table, row, cells in figures_moved(a, b) for column, *_ in cells}
    out = []
    for group in groups.values():
        dept, codes = _alone(a, b, [f[0] for f in group])
        moves = {DEPARTMENT_WHO: scope_moves(a.scope, compute_scope(dept, dept.units, names, "department"))}
        for unit in dept.units:
            if unit.code in codes:
                moves[_who(unit)] = scope_moves(a_scopes.get(unit.code), compute_scope(dept, [unit], names, "unit"))
        for unit in a.department.units:  # a unit removed: its scope goes
            if _who(unit) == group[0][0][0] and unit.code not in codes:
                moves[_who(unit)] = scope_moves(a_scopes[unit.code], None)
        for scope, found in moves.items():
            # a scope not published (unit_budgets: false) has no figure in ``differs``: nothing of it is listed
            kept = [(table, row, [c for c in cells if (scope, table, row, c[0]) in differs]) for table, row, cells in found]
            moves[scope] = [(table, row, cells) for table, row, cells in kept if cells]
        out.append(Block(group, moves))
    return out

