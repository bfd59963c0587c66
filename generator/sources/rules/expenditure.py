"""Rules on expenditure: basic expenditure's two views, fiscal funds' uses, 机关运行经费 and its
items, and the prior year's figures."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Iterator

from generator.errors import Location
from generator.figures.model import ZERO, Department, Unit, is_personnel, prior_values, total
from generator.figures.money import fmt
from generator.figures.vocabulary import FISCAL_FUNDS, GENERAL, OTHER_KINDS_LABEL, UNIT_BUDGET

from .registry import DEPARTMENT, UNIT, Context, Finding, finding, parts_add_up, rule


@rule("basic.duplicate-code", UNIT, "同一组基本支出中一个编码只写一行。")
def basic_duplicate_code(unit: Unit, ctx: Context) -> Iterator[Finding]:
    doc = unit.doc
    for gi, group in enumerate(doc.data.get("basic") or []):
        for view in ("function", "economic"):
            first: dict[str, int] = {}
            for i, row in enumerate(group.get(view) or []):
                if row["code"] in first:
                    yield finding(f"编码 {row['code']} 在同一组基本支出中出现两次：请合并为一行。",
                                  doc.loc(("basic", gi, view, i, "code")),
                                  doc.loc(("basic", gi, view, first[row["code"]], "code")))
                else:
                    first[row["code"]] = i


@rule("basic.views-disagree", UNIT, "每个资金来源的基本支出，按功能分类与按经济分类合计相等（只给功能分类时不比较）。")
def basic_views_disagree(unit: Unit, ctx: Context) -> Iterator[Finding]:
    views: dict[tuple, dict[str, list]] = defaultdict(lambda: {"function": [], "economic": []})
    for line in unit.basic_function:
        views[(line.fund, line.carryover, line.surplus)]["function"].append(line)
    for line in unit.basic_economic:
        views[(line.fund, line.carryover, line.surplus)]["economic"].append(line)
    for (fund, carry, surplus), v in views.items():
        if not v["economic"]:
            continue  # no economic breakdown given: the text and T6 say so, nothing is invented
        f_total, e_total = total(l.amount for l in v["function"]), total(l.amount for l in v["economic"])
        if f_total != e_total:
            label = fund + ("，上年结转" if carry else "") + ("，使用非财政拨款结余" if surplus else "")
            side, other = v["function"] or v["economic"], v["economic"] or v["function"]
            yield finding(f"基本支出（{label}）两种口径不一致：按功能分类合计 {fmt(f_total)} {ctx.u}，"
                          f"按经济分类合计 {fmt(e_total)} {ctx.u}，相差 {fmt(abs(f_total - e_total))} {ctx.u}。",
                          side[0].loc, other[0].loc)


@rule("basic.split-general", UNIT, "一般公共预算拨款的基本支出按经济分类款写（economic），不只写人员经费和公用经费"
      "（一般公共预算财政拨款基本支出表按款列示）。")
def basic_split_general(unit: Unit, ctx: Context) -> Iterator[Finding]:
    for gi, group in enumerate(unit.doc.data.get("basic") or []):
        if group.get("fund") == GENERAL and group.get("personnel") is not None:
            yield finding("一般公共预算拨款的基本支出要按经济分类款写 economic（一般公共预算财政拨款基本支出表按款列示）；"
                          "personnel、public 只用于其他资金来源。不知道款时只写 function：表下注明未提供经济分类明细。",
                          unit.doc.loc(("basic", gi, "personnel")))


@rule("expenditure.fiscal-other", UNIT, "财政拨款只用于基本支出和项目支出。")
def expenditure_fiscal_other(unit: Unit, ctx: Context) -> Iterator[Finding]:
    for line in unit.other:
        if line.fund in FISCAL_FUNDS:
            yield finding(f"{line.kind}不能由{line.fund}安排：财政拨款只用于基本支出和项目支出。", line.loc)


def _general_basic(unit: Unit) -> dict[str, Decimal]:
    items: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in unit.basic_economic:
        if line.fund == GENERAL:
            items[line.economic] += line.amount
    return items


def _running_parts(unit: Unit) -> dict[str, list]:
    by_code = defaultdict(list)
    for part in unit.running_costs:
        by_code[part.economic].append(part)
    return by_code


@rule("running-costs.no-item", UNIT, "机关运行经费的文字拆分只引用本单位一般公共预算基本支出中的经济分类。")
def running_costs_no_item(unit: Unit, ctx: Context) -> Iterator[Finding]:
    booked = _general_basic(unit)
    for code, parts in _running_parts(unit).items():
        if code not in booked:
            yield finding(f"机关运行经费拆分引用的经济分类 {code} 不在本单位一般公共预算基本支出中。", parts[0].loc)


@rule("running-costs.disagree", UNIT, "机关运行经费的文字拆分之和等于该经济分类款。")
def running_costs_disagree(unit: Unit, ctx: Context) -> Iterator[Finding]:
    booked = _general_basic(unit)
    for code, parts in _running_parts(unit).items():
        if code in booked and not parts_add_up((p.amount for p in parts), booked[code]):
            yield finding(f"经济分类 {code} 的文字拆分合计 {fmt(total(p.amount for p in parts))} {ctx.u}，而该款为 "
                          f"{fmt(booked[code])} {ctx.u}。", parts[0].loc,
                          next(l.loc for l in unit.basic_economic if l.economic == code and l.fund == GENERAL))


@rule("running-costs.duplicate", UNIT, "同一经济分类的拆分中，每个名称只出现一次。")
def running_costs_duplicate(unit: Unit, ctx: Context) -> Iterator[Finding]:
    for code, parts in _running_parts(unit).items():
        first_label: dict[str, Location] = {}
        for p in parts:
            if p.label in first_label:
                yield finding(f"经济分类 {code} 的拆分中 “{p.label}” 出现多次。", p.loc, first_label[p.label])
                break
            first_label[p.label] = p.loc


def _general_public(unit: Unit) -> Decimal | None:
    """The unit's general-budget basic 公用经费 (economic classes other than 301, 303); None when some
    general-budget basic expenditure has no economic breakdown."""
    if not unit.general_economic_known:
        return None
    return total(v for code, v in _general_basic(unit).items() if not is_personnel(code))


@rule("running-costs.stated-exceeds", UNIT, "直接写明的机关运行经费（running_costs_stated）不超过本单位一般公共预算基本支出中的公用经费"
      "（没有经济分类明细时，不超过一般公共预算基本支出）。")
def running_costs_stated_exceeds(unit: Unit, ctx: Context) -> Iterator[Finding]:
    if unit.running_costs_stated is None:
        return
    stated, _, loc = unit.running_costs_stated
    public = _general_public(unit)
    if public is not None:
        if stated > public:
            yield finding(f"机关运行经费 {fmt(stated)} {ctx.u} 超过本单位一般公共预算基本支出中的公用经费 {fmt(public)} {ctx.u}"
                          "（机关运行经费是公用经费的一部分）。", loc)
        return
    basic = total(l.amount for l in unit.basic_function if l.fund == GENERAL)
    if stated > basic:
        yield finding(f"机关运行经费 {fmt(stated)} {ctx.u} 超过本单位一般公共预算基本支出 {fmt(basic)} {ctx.u}。", loc)


@rule("running-costs.stated-unit-part", DEPARTMENT, "单位印有自己的部分（单位预算）时，它的机关运行经费就是其一般公共预算基本支出中的"
      "公用经费：直接写明的数（running_costs_stated）只用于部门一级公开（unit_budgets: false）或与之相等。")
def running_costs_stated_unit_part(dept: Department, ctx: Context) -> Iterator[Finding]:
    if not dept.unit_budgets and dept.publishes != UNIT_BUDGET:
        return  # no unit part: the department's figure is the units' sum, read as part of its 公用经费
    for unit in dept.units:
        if unit.running_costs_stated is None:
            continue
        stated, _, loc = unit.running_costs_stated
        public = _general_public(unit)
        if public is None or stated != public:
            shown = "无从得知（没有经济分类明细）" if public is None else f"{fmt(public)} {ctx.u}"
            yield finding(f"单位 {unit.code} 印有自己的单位预算部分，其机关运行经费应为一般公共预算基本支出中的公用经费 {shown}，"
                          f"而写明的是 {fmt(stated)} {ctx.u}。直接写明的机关运行经费只用于部门一级公开（department.yaml 写 "
                          "unit_budgets: false）；否则写明单位性质（nature）和经济分类，由 budgetpub 算出。", loc)


@rule("running-costs.stated-items", UNIT, "直接写明的机关运行经费列出明细时，明细之和等于总数。")
def running_costs_stated_items(unit: Unit, ctx: Context) -> Iterator[Finding]:
    if unit.running_costs_stated is None or not unit.running_costs_stated[1]:
        return
    stated, items, loc = unit.running_costs_stated
    added = total(v for _, v in items)
    if added != stated:
        yield finding(f"机关运行经费明细之和 {fmt(added)} {ctx.u} 不等于写明的机关运行经费 {fmt(stated)} {ctx.u}。",
                      unit.doc.loc(("running_costs_stated", "items")), loc)


@rule("running-costs.stated-and-split", UNIT, "机关运行经费或者直接写明（running_costs_stated），或者由经济分类拆分"
      "（running_costs），不同时写。")
def running_costs_stated_and_split(unit: Unit, ctx: Context) -> Iterator[Finding]:
    if unit.running_costs_stated is not None and unit.running_costs:
        yield finding("本单位直接写明了机关运行经费（running_costs_stated），经济分类的文字拆分（running_costs）不再使用："
                      "请把明细写在 running_costs_stated.items 中。", unit.running_costs[0].loc, unit.running_costs_stated[2])


@rule("project.listed-exceeds", UNIT, "只为绩效目标表列出、没有功能分类的项目，金额之和不超过按功能分类写的项目支出（project_spending）。")
def project_listed_exceeds(unit: Unit, ctx: Context) -> Iterator[Finding]:
    listed = [p for p in unit.projects if not p.counted]
    if not listed:
        return
    spending = total(l.amount for l in unit.project_lines)
    amount_listed = total(p.amount for p in listed)
    if amount_listed > spending:
        yield finding(f"没有功能分类的项目（只列绩效目标表）金额之和 {fmt(amount_listed)} {ctx.u}，超过按功能分类写的项目支出 "
                      f"{fmt(spending)} {ctx.u}：这些项目的金额应包含在 project_spending 中；"
                      "或者给项目写上 function 和 fund，由项目本身计入各表。", listed[0].loc)


@rule("prior-year.total-disagrees", UNIT, "上年预算数同时写了合计和基本、项目支出时，两者一致。")
def prior_year_total_disagrees_unit(unit: Unit, ctx: Context) -> Iterator[Finding]:
    yield from _prior_total(unit.prior_year, ctx)


def _prior_total(located, ctx: Context) -> Iterator[Finding]:
    if located and "total" in located and "basic" in located:
        parts = total(located[k].value for k in ("basic", "project", "other") if k in located)
        if parts != located["total"].value:
            yield finding(f"上年预算合计 {fmt(located['total'].value)} {ctx.u} 不等于基本支出、项目支出和其他支出之和 "
                          f"{fmt(parts)} {ctx.u}。", located["total"].loc, located["basic"].loc)


@rule("prior-year.department-total-disagrees", DEPARTMENT, "部门的上年预算数同时写了合计和基本、项目支出时，两者一致。")
def prior_year_total_disagrees_department(dept: Department, ctx: Context) -> Iterator[Finding]:
    yield from _prior_total(dept.prior_year, ctx)


@rule("prior-year.disagrees", DEPARTMENT, "部门写了的上年预算数，等于各单位之和。")
def prior_year_disagrees(dept: Department, ctx: Context) -> Iterator[Finding]:
    if not (dept.prior_year and dept.units and all(u.prior_year for u in dept.units)):
        return
    labels = {"total": "支出合计", "basic": "基本支出", "project": "项目支出", "other": OTHER_KINDS_LABEL,
              "fiscal": "财政拨款支出"}
    per_unit = [prior_values(u.prior_year) for u in dept.units]
    given_all = prior_values(dept.prior_year)
    for key, label in labels.items():
        if key not in dept.prior_year and not (key == "other" and "basic" in dept.prior_year):
            continue  # "other" is optional beside basic and project: absent counts as zero
        if not all(key in v for v in per_unit):
            continue
        units_total = total(v[key] for v in per_unit)
        given = given_all.get(key, ZERO)
        if units_total != given:
            unit_side = next((u.prior_year[key].loc for u in dept.units if key in u.prior_year),
                             dept.units[0].doc.loc(("prior_year",)))
            yield finding(f"部门上年{label}预算数为 {fmt(given)} {ctx.u}，各单位之和为 {fmt(units_total)} {ctx.u}。",
                          (dept.prior_year.get(key) or dept.prior_year.get("basic") or
                           next(iter(dept.prior_year.values()))).loc, unit_side)
