"""Rules on income: each source's income equals what it pays for; carry-over and 结余; 其中 lines."""

from __future__ import annotations

from collections import defaultdict
from typing import Iterator

from generator.figures.model import ZERO, Unit, total
from generator.figures.money import fmt
from generator.figures.vocabulary import FISCAL_FUNDS

from .registry import UNIT, Context, Finding, finding, part_exceeds, rule


def _funds(unit: Unit) -> list[str]:
    lines = unit.function_lines()
    return sorted(set(unit.income) | {l.fund for l in lines} | set(unit.carry_in) | set(unit.carry_out)
                  | set(unit.carry_surplus))


@rule("income.disagrees", UNIT, "每个来源的本年收入等于由它安排的支出（不含上年结转安排的部分）。")
def income_disagrees(unit: Unit, ctx: Context) -> Iterator[Finding]:
    lines = unit.function_lines()
    for fund in _funds(unit):
        if not fund:
            continue  # lines without a fund: carryover.fund-missing
        spent = [l for l in lines if l.fund == fund and not l.carryover and not l.surplus]
        spent_total = total(l.amount for l in spent)
        inc = unit.income.get(fund)
        inc_total = inc.value if inc else ZERO
        if spent_total != inc_total:
            yield finding(f"{fund}：本年收入 {fmt(inc_total)} {ctx.u}，由它安排的支出合计 "
                          f"{fmt(spent_total)} {ctx.u}，相差 {fmt(abs(inc_total - spent_total))} {ctx.u}。",
                          inc.loc if inc else unit.doc.loc(("income",)), *([spent[0].loc] if spent else []))


@rule("carryover.disagrees", UNIT, "每个来源的上年结转结余减年终结转结余，等于用上年结转安排的支出。")
def carryover_disagrees(unit: Unit, ctx: Context) -> Iterator[Finding]:
    lines = unit.function_lines()
    for fund in _funds(unit):
        carried = [l for l in lines if l.fund == fund and l.carryover and not l.surplus]
        c_in = unit.carry_in[fund].value if fund in unit.carry_in else ZERO
        c_out = unit.carry_out[fund].value if fund in unit.carry_out else ZERO
        spent = total(l.amount for l in carried)
        if spent != c_in - c_out:
            where = (unit.carry_in.get(fund) or unit.carry_out.get(fund))
            yield finding(f"{fund or '上年结转结余合计（不分来源）'}：上年结转结余 {fmt(c_in)} {ctx.u} 减年终结转结余 {fmt(c_out)} {ctx.u}，"
                          f"应等于用上年结转安排的支出 {fmt(spent)} {ctx.u}。",
                          where.loc if where else unit.doc.loc(("carryover",)),
                          *([carried[0].loc] if carried else []))


@rule("carryover.fund-missing", UNIT, "支出写明资金来源（fund）；只有上年结转结余的合计（carryover.in_total）时，"
      "由它安排的支出写 carryover: true、不写 fund。")
def carryover_fund_missing(unit: Unit, ctx: Context) -> Iterator[Finding]:
    totals_only = "" in unit.carry_in
    for line in unit.function_lines():
        if line.fund == "" and line.function and not (line.carryover and totals_only):
            why = ("它不是由上年结转安排的（carryover: true）" if totals_only
                   else "本单位的上年结转不是只有合计（carryover.in_total）")
            yield finding(f"这笔支出没有写资金来源（fund），而{why}：请写明 fund。", line.loc)
            return


@rule("surplus.disagrees", UNIT, "每个来源的使用非财政拨款结余，等于由它安排的支出。")
def surplus_disagrees(unit: Unit, ctx: Context) -> Iterator[Finding]:
    lines = unit.function_lines()
    for fund in _funds(unit):
        used = [l for l in lines if l.fund == fund and l.surplus]
        given = unit.carry_surplus.get(fund)
        amount = given.value if given else ZERO
        if total(l.amount for l in used) != amount:
            yield finding(f"{fund}：使用非财政拨款结余 {fmt(amount)} {ctx.u}，应等于由结余安排的支出 "
                          f"{fmt(total(l.amount for l in used))} {ctx.u}。",
                          given.loc if given else unit.doc.loc(("carryover",)), *([used[0].loc] if used else []))


@rule("surplus.fiscal", UNIT, "使用非财政拨款结余不能来自财政拨款。")
def surplus_fiscal(unit: Unit, ctx: Context) -> Iterator[Finding]:
    for fund, given in unit.carry_surplus.items():
        if fund in FISCAL_FUNDS:
            yield finding(f"{fund}是财政拨款：财政拨款结余写在 carryover.in（上年结转）中，"
                          "carryover.surplus 只写非财政拨款结余。", given.loc)


@rule("income-details.exceed", UNIT, "收入的“其中”行之和不大于该来源的本年收入。")
def income_details_exceed(unit: Unit, ctx: Context) -> Iterator[Finding]:
    by_fund: dict[str, list] = defaultdict(list)
    for d in unit.income_details:
        by_fund[d.fund].append(d)
    for fund, details in by_fund.items():
        income = unit.income.get(fund)
        whole = income.value if income else ZERO
        if part_exceeds(total(d.amount for d in details), whole):
            yield finding(f"{fund}的“其中”行合计 {fmt(total(d.amount for d in details))} {ctx.u} 大于该来源的本年收入 "
                          f"{fmt(whole)} {ctx.u}。", details[0].loc, *([income.loc] if income else []))
