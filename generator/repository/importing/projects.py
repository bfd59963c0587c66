"""Projects of a unit from a read publication: the named projects (the text's list, else the 绩效目标表
titles) assigned to the project cells of the tables; where no list adds up to them, ``project_spending``
by function and fund with the 绩效目标表's projects listed alone; a workbook's projects to be named.
"""

from __future__ import annotations

import difflib
import re
from decimal import Decimal

from generator.verify.reading import ScopeDoc, amount

from .narrative import Narrative
from .tables import ZERO, Cell, UnitTables
from .writer import CONFIRM, TODO, Line, Said

WAN = Decimal(10000)


def _name_of(code: str, name: str, catalogue: dict[str, str]) -> str:
    return catalogue.get(code) or name


class Projects:
    """The project part of ``build.Builder`` (it provides note, money, catalogue, function_names,
    table_unit, fmt)."""

    def projects(self, scope: ScopeDoc, tables: UnitTables, n: Narrative) -> list:
        cells = [c for c in tables.cells if c.kind == "项目支出"]
        named = list(n.projects)
        perf = {p.project: p for p in n.performance}
        named = self._perf_names(scope, named, list(perf))
        if not named:
            named = [(p.project, None) for p in n.performance]
        if not cells:
            return []
        if not named and self.fmt == "xlsx":
            return self.unnamed_projects(scope, cells)
        if not named:
            return self.spending(scope, cells, n, [])
        lossy = n.unit != self.table_unit
        named = [(name, self.money(v, n.unit)[0] if v is not None else None) for name, v in named]
        assignment = _assign(named, cells, WAN / 200 if lossy and n.unit == "万元" else ZERO)
        if assignment is None:
            return self.spending(scope, cells, n, named)
        out = []
        alone = {id(c): sum(1 for _, c2, _ in assignment if c2 is c) == 1 for _, c, _ in assignment}
        for (name, v), cell, unique in assignment:
            exact = not lossy or alone[id(cell)]
            if lossy and alone[id(cell)]:
                v = cell.amount  # the one project of its row: the table's exact figure
            p: dict = {"name": name, "function": Said(cell.function, cell.where, "" if unique else CONFIRM)}
            if cell.fund:  # none: paid from a carry-over published as a total (carryover.in_total)
                p["fund"] = Said(cell.fund, cell.where, "" if unique else CONFIRM)
            if cell.carryover:
                p["carryover"] = True
            if cell.surplus:
                p["surplus"] = True
            p["amount"] = Said(v, cell.where if (lossy and exact) or not n.projects else f"情况说明“项目支出”：{name}",
                               "" if exact else CONFIRM)
            perf_ = perf.get(name)
            if perf_ is not None:
                p["performance"] = _performance(perf_)
            else:
                p["performance"] = {"target": Said("（待填写）", "公开文件没有这个项目的绩效目标表", TODO),
                                    "indicators": [Line({"level1": "产出指标", "level2": "成本指标", "level3": "预算控制",
                                                         "description": "（待填写）", "value": f"≤{v}{self.table_unit}",
                                                         "basis": "（待填写）"}, "公开文件没有绩效目标表", TODO)]}
                self.note("unplaced", scope.name, f"项目“{name}”没有绩效目标表：绩效目标待填写。")
            if not unique:
                self.note("confirm", scope.name, f"项目“{name}”所属的功能分类和资金来源不能由表格唯一确定，已按金额匹配，请核实。")
            out.append(p)
        return out

    def spending(self, scope: ScopeDoc, cells: list[Cell], n: Narrative, named: list) -> list:
        """Project expenditure the publication gives by function and fund only (no project list that adds
        up to it): ``project_spending`` a line per cell; the projects of its 绩效目标表s listed alone (no
        function, no fund), their amount from the text's list, else from a cost indicator's ceiling (to
        confirm), else to be written."""
        self.spending_lines = [
            Line({"function": c.function, **({"fund": c.fund} if c.fund else {}),
                  **({"carryover": True} if c.carryover else {}), **({"surplus": True} if c.surplus else {}),
                  "amount": c.amount}, c.where + (f"（{c.why}）" if c.why else ""), c.todo) for c in cells]
        given = {name: v for name, v in named if v is not None}
        out = []
        for p in n.performance:
            if p.project in given:
                value = Said(given[p.project], f"情况说明“项目支出”：{p.project}")
            elif (ceiling := _cost_amount(p, self.table_unit)) is not None:
                value = Said(ceiling, f"{p.where}的成本指标（金额未公开，按成本上限推算）", CONFIRM)
            else:
                value = Said("（待填写）", "公开文件没有这个项目的金额", TODO)
                self.note("unplaced", scope.name, f"项目“{p.project}”的金额公开文件没有给出：待填写。")
            out.append({"name": p.project, "amount": value, "performance": _performance(p)})
        return out

    def unnamed_projects(self, scope: ScopeDoc, cells: list[Cell]) -> list:
        """A workbook's project expenditure: one project per function row and fund, its name and performance
        to be written (the workbook has the figures, not the projects' names)."""
        out = []
        for i, c in enumerate(cells, 1):
            name = _name_of(c.function, self.function_names.get(c.function, ""), self.catalogue.function)
            p: dict = {"name": Said(f"（待填写：{name or c.function}的项目名称{i}）", "工作簿只有按功能分类的项目支出", TODO),
                       "function": Said(c.function, c.where), **({"fund": Said(c.fund, c.where)} if c.fund else {})}
            if c.carryover:
                p["carryover"] = True
            p["amount"] = Said(c.amount, c.where)
            p["performance"] = {"target": Said("（待填写：项目的年度绩效目标）", "工作簿中没有绩效目标表", TODO),
                                "indicators": [Line({"level1": "产出指标", "level2": "成本指标", "level3": "预算控制",
                                                     "description": "（待填写）", "value": f"≤{c.amount}{self.table_unit}",
                                                     "basis": "（待填写）"}, "工作簿中没有绩效目标表", TODO)]}
            out.append(p)
        self.note("unplaced", scope.name, f"工作簿没有项目名称和绩效目标表：按功能分类和资金来源写了 {len(out)} 个项目，"
                  "名称和绩效目标待填写（同一功能分类下有几个项目时，请按项目拆开）。")
        return out

    def _perf_names(self, scope: ScopeDoc, named: list, titles: list[str]) -> list:
        """A project the text names otherwise than its 绩效目标表 (困难职工慰问 / 困难职工春节慰问) takes the
        table's name; the difference is reported."""
        free = [t for t in titles if t not in {name for name, _ in named}]
        out = []
        for name, v in named:
            if name in titles or not free:
                out.append((name, v))
                continue
            best = max(free, key=lambda t: difflib.SequenceMatcher(None, name, t).ratio())
            if difflib.SequenceMatcher(None, name, best).ratio() >= 0.4:
                free.remove(best)
                self.note("contradiction", scope.name, f"情况说明中的项目“{name}”在绩效目标表中名为“{best}”："
                          f"按绩效目标表的名称导入。")
                out.append((best, v))
            else:
                out.append((name, v))
        return out


def _cost_amount(p, unit: str) -> Decimal | None:
    """The amount a 绩效目标表's 成本指标 states as a ceiling (≤120万元), in ``unit``; None when it states none."""
    for i in p.indicators:
        m = re.fullmatch(r"[≤<＜]=?\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*(万元|元)", i.value.strip()) \
            if i.level2 == "成本指标" else None
        if m:
            v = amount(m.group(1))
            return v if m.group(2) == unit else (v * WAN if unit == "元" else (v / WAN).quantize(Decimal("0.01")))
    return None


def _performance(p) -> dict:
    indicators = []
    for i in p.indicators:
        fields = {"level1": i.level1, "level2": i.level2, "level3": i.level3}
        if i.description:
            fields["description"] = i.description
        fields["value"] = i.value
        if i.basis:
            fields["basis"] = i.basis
        indicators.append(Line(fields))
    return {"target": p.target, "indicators": indicators}


def _assign(named: list[tuple[str, Decimal | None]], cells: list[Cell], tolerance: Decimal = ZERO):
    """Each named project to a project cell (function, fund) so that every cell's amount is the sum of
    its projects'; with it, whether the project's cell is the only one that fits."""
    if any(v is None for _, v in named):
        if len(named) == len(cells):
            return [((name, c.amount), c, True) for (name, _), c in zip(named, cells)]
        return None
    left = [c.amount for c in cells]
    choice: list[int] = [-1] * len(named)
    solutions: list[list[int]] = []

    def go(i: int) -> None:
        if len(solutions) > 1:
            return
        if i == len(named):
            if all(abs(x) <= tolerance * len(named) for x in left):
                solutions.append(list(choice))
            return
        for j in range(len(cells)):
            if left[j] >= named[i][1] - tolerance:
                left[j] -= named[i][1]
                choice[i] = j
                go(i + 1)
                left[j] += named[i][1]
            if len(solutions) > 1:
                return

    if len(named) > 60:
        return None
    go(0)
    if not solutions:
        return None
    first = solutions[0]
    unique = len(solutions) == 1
    out = []
    for i, (name, v) in enumerate(named):
        same = unique or (len(solutions) > 1 and solutions[1][i] == first[i])
        out.append(((name, v), cells[first[i]], same))
    return out
