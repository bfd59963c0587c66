"""Rules on projects and their 绩效目标表: the cost indicator, the region's columns, quantity ×
standard, unique project names."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterator

from generator.errors import Location
from generator.figures.model import ZERO, Department, Unit
from generator.figures.money import fmt, to_unit
from generator.figures.vocabulary import COST_INDICATOR

from .registry import DEPARTMENT, UNIT, Context, Finding, finding, rule

_COST_VALUE = re.compile(r"^\s*[≤<＜=＝]*\s*([0-9]{1,15}(?:\.[0-9]{1,15})?)\s*(万元|元)\s*$")


def _costs(project) -> list:
    return [ind for ind in project.indicators if ind.level2 == COST_INDICATOR]


def _cost_total(project, money_unit: str) -> Decimal | None:
    """The sum of a project's cost indicators, or None when one cannot be read."""
    result = ZERO
    for ind in _costs(project):
        m = _COST_VALUE.match(ind.value)
        if not m:
            return None
        result += to_unit(Decimal(m.group(1)), m.group(2), money_unit)
    return result


@rule("project.no-cost", UNIT, "项目的绩效目标表有成本指标（地区不要求时除外：performance_table.cost_required）。")
def project_no_cost(unit: Unit, ctx: Context) -> Iterator[Finding]:
    if not ctx.dept.cost_required:
        return
    for i, project in enumerate(unit.projects):
        if not _costs(project):
            yield finding(f"项目 “{project.name}” 的绩效目标表缺少成本指标（应等于项目金额 "
                          f"{fmt(project.amount)} {ctx.u}）。", unit.doc.loc(("projects", i, "performance", "indicators")))


@rule("project.indicator-column", UNIT, "地区公开的绩效目标表栏目（绩效指标描述、指标值确定依据）每个指标都写明，"
      "否则该格留空。", severity="warning")
def project_indicator_column(unit: Unit, ctx: Context) -> Iterator[Finding]:
    words = {"description": "绩效指标描述（description）", "basis": "指标值确定依据（basis）"}
    for project in unit.projects:
        for key in ctx.dept.indicator_columns:
            lacking = [ind for ind in project.indicators if getattr(ind, key) is None]
            if lacking:
                others = [c for c in ctx.dept.indicator_columns if c != key]
                yield finding(f"项目 “{project.name}” 有 {len(lacking)} 个指标没有写{words[key]}，绩效目标表中这一栏将留空"
                              f"（第一个：“{lacking[0].level3}”）。请逐个写明；本地区不公开这一栏时，在 department.yaml 中写 "
                              f"performance_table: {{columns: [{', '.join(others)}]}}。", lacking[0].loc)


@rule("project.cost-value", UNIT, "成本指标的指标值写金额（如 “≤6万元”，与项目金额比较）或不含数字的文字（如 合规、达标，不比较）。")
def project_cost_value(unit: Unit, ctx: Context) -> Iterator[Finding]:
    for project in unit.projects:
        for ind in _costs(project):
            # a value with digits is meant as an amount and must read as one; 合规, 达标 are words
            if re.search(r"[0-9０-９]", ind.value) and not _COST_VALUE.match(ind.value):
                yield finding(f"成本指标的指标值 “{ind.value}” 无法读出金额：应写成如 “≤6万元”（不是金额的指标值，如 合规、达标，不写数字）。", ind.loc)
                break


@rule("project.cost-disagrees", UNIT, "成本指标合计等于项目金额。")
def project_cost_disagrees(unit: Unit, ctx: Context) -> Iterator[Finding]:
    for project in unit.projects:
        costs, cost = _costs(project), _cost_total(project, ctx.u)
        if costs and cost is not None and cost != project.amount:
            yield finding(f"项目 “{project.name}” 的成本指标合计 {fmt(cost)} {ctx.u} 与项目金额 "
                          f"{fmt(project.amount)} {ctx.u} 不一致。", costs[0].loc, project.line.loc)


@rule("project.quantity-disagrees", UNIT, "项目的数量 × 标准等于项目金额。")
def project_quantity_disagrees(unit: Unit, ctx: Context) -> Iterator[Finding]:
    for i, project in enumerate(unit.projects):
        if project.quantity and project.standard:
            count, unit_word = project.quantity
            std, std_unit = project.standard
            product = to_unit(count * std, std_unit, ctx.u)
            if product != project.amount:
                yield finding(f"项目 “{project.name}”：{count}{unit_word} × {std}{std_unit} = {fmt(product)} "
                              f"{ctx.u}，与项目金额 {fmt(project.amount)} {ctx.u} 不一致。",
                              unit.doc.loc(("projects", i, "quantity")), project.line.loc)


@rule("project.duplicate-name", DEPARTMENT, "部门内项目名称不重复。")
def project_duplicate_name(dept: Department, ctx: Context) -> Iterator[Finding]:
    seen: dict[str, Location] = {}
    for unit in dept.units:
        for p in unit.projects:
            if p.name in seen:
                yield finding(f"项目名称 “{p.name}” 重复：同一部门内项目名称须唯一。", p.loc, seen[p.name])
            else:
                seen[p.name] = p.loc
