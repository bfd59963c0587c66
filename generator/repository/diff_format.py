"""How ``budgetpub diff`` prints: plain text for a terminal, Markdown for a pull request.

The default is compact: each changed fact, and under it the published figures it moves (one line
per table, the rows that move by the same amounts together; the department's and the unit's lines
said once when they are the same). ``detail`` lists every published row and column that differs,
with its value before and after.
"""

from __future__ import annotations

from decimal import Decimal

from generator.figures.money import fmt

from .diff import DEPARTMENT_WHO, NARRATIVE, Block, Move

BOTH = "部门及本单位"


def _delta(x, y) -> str:
    if x is None and y is None:
        return ""
    d = Decimal(y or 0) - Decimal(x or 0)
    return ("+" if d > 0 else "") + fmt(d)


def _value(v) -> str:
    return "—" if v is None else fmt(Decimal(v))


def _fact_word(x, y) -> str:
    return "新增" if x is None else "删除" if y is None else "改动"


def _fact(key, x, y) -> str:
    return f"{_fact_word(x, y)}  {' · '.join(key)}：{_value(x)} → {_value(y)}（{_delta(x, y)}）"


def _lines(moves: list[Move]) -> list[str]:
    """One line per table: the rows that move by the same amounts in the same columns, together."""
    grouped: dict[tuple, list[str]] = {}
    for table, row, cells in moves:
        deltas = "、".join(f"{column + ' ' if column else ''}{_delta(x, y)}" for column, x, y in cells)
        if table == NARRATIVE:
            grouped.setdefault((table, ""), []).append(f"{row} {deltas}")
        else:
            grouped.setdefault((table, deltas), []).append(row)
    out = []
    for (table, deltas), rows in grouped.items():
        if table == NARRATIVE:
            out.append(f"{table}：{'、'.join(rows)}")
        else:  # the most detailed row in full, the others (its parents, the 合计 row) by their code or label
            rows = sorted(rows, key=lambda r: (any(w in r for w in ("合计", "总计", "总额")),
                                               -len(r.split(" ")[0]) if r.split(" ")[0].isdigit() else 0))
            others = [r.split(" ")[0] for r in rows[1:]]
            out.append(f"{table} · {'、'.join([rows[0], *others])}：{deltas}")
    return out


def block_lines(block: Block, unit_budget: bool = False) -> list[str]:
    """The figures a block moves, each line with its scope: 部门, the unit, or both when the same."""
    department = _lines(block.moves.get(DEPARTMENT_WHO, []))
    units = [(who, _lines(m)) for who, m in block.moves.items() if who != DEPARTMENT_WHO]
    if unit_budget:  # one unit publishing alone: its one scope is the department's
        return [f"本单位 · {line}" for line in department]
    out = []
    shared = set(units[0][1]) & set(department) if len(units) == 1 else set()
    for line in department:
        out.append(f"{BOTH if line in shared else '部门'} · {line}")
    for who, lines in units:
        out += [f"{who} · {line}" for line in lines if line not in shared]
    return out


def _header(block: Block) -> str:
    key, x, y = block.facts[0]
    if len(block.facts) > 1:  # a unit added or removed: all of it
        word = "新增单位" if all(f[1] is None for f in block.facts) else "删除单位"
        return f"{word}  {key[0]}（{len(block.facts)} 项数据）"
    return _fact(key, x, y)


def as_text(title: str, unit: str, changed, found: list[Block] | None, moved, unit_budget: bool = False,
            detail: bool = False) -> str:
    lines = [title, ""]
    if not changed and not moved:
        return "\n".join(lines + ["没有差异。"]) + "\n"
    if detail or found is None or not changed:
        return _detail_text(lines, unit, changed, moved, found is None and not detail)
    lines.append(f"数据的改动（{len(changed)} 处，单位：{unit}），每处之下是它使公开的数如何变化：")
    for block in found:
        lines.append(f"  {_header(block)}")
        moves = block_lines(block, unit_budget)
        lines += [f"      {m}" for m in moves] or ["      （公开的数都不变）"]
    return "\n".join(lines) + "\n"


def _detail_text(lines: list[str], unit: str, changed, moved, too_many: bool) -> str:
    lines.append(f"数据的改动（{len(changed)} 处，单位：{unit}）：")
    lines += [f"  {_fact(key, x, y)}" for key, x, y in changed]
    same = _same_as_department(moved)
    shown = [m for m in moved if m[0] not in same]
    lines += ["", f"公开数字的变化（{len(shown)} 行，{sum(len(m[3]) for m in shown)} 个数）"
              + ("：改动较多，不逐项对应到数据" if too_many else "") + "："]
    for scope, table, row, cells in shown:
        moves = "；".join(f"{column + ' ' if column else ''}{_value(x)} → {_value(y)}（{_delta(x, y)}）"
                         for column, x, y in cells)
        lines.append(f"  {scope} · {table} · {row}：{moves}")
    for scope in sorted(same):
        lines.append(f"  {scope}：各表和情况说明的变化同部门。")
    return "\n".join(lines) + "\n"


def _same_as_department(moved) -> set[str]:
    """Units whose rows move exactly as the department's (a department of one unit)."""
    by_scope: dict[str, list] = {}
    for scope, *rest in moved:
        by_scope.setdefault(scope, []).append(repr(rest))
    return {s for s, rows in by_scope.items() if s != DEPARTMENT_WHO and rows == by_scope.get(DEPARTMENT_WHO)}


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def as_markdown(title: str, unit: str, changed, found: list[Block] | None, moved, unit_budget: bool = False,
                detail: bool = False) -> str:
    lines = [f"## {title}", ""]
    if not changed and not moved:
        return "\n".join(lines + ["没有差异。"]) + "\n"
    lines += [f"### 数据的改动（{len(changed)} 处）", "", f"| | 数据 | 原数（{unit}） | 新数（{unit}） | 增减 |",
              "|---|---|---:|---:|---:|"]
    for key, x, y in changed:
        lines.append(f"| {_fact_word(x, y)} | {_cell(' · '.join(key))} | {_value(x)} | {_value(y)} | {_delta(x, y)} |")
    if not detail and found is not None and changed:
        lines += ["", "### 公开的数随之变化", ""]
        for block in found:
            lines += [f"**{_cell(_header(block))}**", ""]
            moves = block_lines(block, unit_budget)
            lines += [f"- {m}" for m in moves] or ["- （公开的数都不变）"]
            lines.append("")
        return "\n".join(lines).rstrip("\n") + "\n"
    same = _same_as_department(moved)
    shown = [m for m in moved if m[0] not in same]
    lines += ["", f"### 公开数字的变化（{len(shown)} 行，{sum(len(m[3]) for m in shown)} 个数）", "",
              "| 范围 | 表 | 行 | 列 | 原数 | 新数 | 增减 |", "|---|---|---|---|---:|---:|---:|"]
    for scope, table, row, cells in shown:
        for column, x, y in cells:
            lines.append(f"| {_cell(scope)} | {_cell(table)} | {_cell(row)} | {_cell(column)} | {_value(x)} | {_value(y)} | "
                         f"{_delta(x, y)} |")
    if same:
        lines += ["", "、".join(sorted(same)) + "：各表和情况说明的变化同部门。"]
    return "\n".join(lines) + "\n"


def facts_only(title: str, unit: str, changed, markdown: bool = False) -> str:
    """The facts that changed when one side's sources have errors (its figures cannot be computed)."""
    note = "有一方的数据有错误（见上），公开的数无法算出，只列出数据的改动。"
    if markdown:
        lines = [f"## {title}", "", note, "", f"### 数据的改动（{len(changed)} 处）", "",
                 f"| | 数据 | 原数（{unit}） | 新数（{unit}） | 增减 |", "|---|---|---:|---:|---:|"]
        lines += [f"| {_fact_word(x, y)} | {_cell(' · '.join(k))} | {_value(x)} | {_value(y)} | {_delta(x, y)} |"
                  for k, x, y in changed]
    else:
        lines = [title, "", note, "", f"数据的改动（{len(changed)} 处，单位：{unit}）："]
        lines += [f"  {_fact(k, x, y)}" for k, x, y in changed]
    return "\n".join(lines) + "\n"
