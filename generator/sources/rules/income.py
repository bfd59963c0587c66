"""Rules on income: each source's income equals what it pays for; carry-over and 结余; 其中 lines."""

from __future__ import annotations

from collections import defaultdict
from typing import Iterator

from generator.figures.model import ZERO, Unit, total
from generator.figures.money import fmt
from generator.figures.vocabulary import FISCAL_FUNDS, OTHER_SOURCES, POOLED

from .registry import UNIT, Context, Finding, finding, part_exceeds, rule


def _funds(unit: Unit) -> list[str]:
    lines = unit.function_lines()
    return sorted(set(unit.income) | {l.fund for l in lines} | set(unit.carry_in) | set(unit.carry_out)
                  | set(unit.carry_surplus))


def _pooled(unit: Unit) -> bool:
    """The unit gives its other sources (OTHER_SOURCES) as one total somewhere: POOLED in its income or as
    the fund of some spending."""
    return POOLED.name in unit.income or any(l.fund == POOLED.name for l in unit.function_lines())


_POOLED_GROUP = OTHER_SOURCES + (POOLED.name,)


_FROM_TO = f"{OTHER_SOURCES[0]}至{OTHER_SOURCES[-1]}"


@rule("income.disagrees", UNIT, "每个来源的本年收入等于由它安排的支出（不含上年结转安排的部分）；写了"
      f"{POOLED.name}时，{_FROM_TO}和{POOLED.name}合起来比较。")
def income_disagrees(unit: Unit, ctx: Context) -> Iterator[Finding]:
    lines = unit.function_lines()
    pooled = _pooled(unit)
    funds = [f for f in _funds(unit) if not (pooled and f in _POOLED_GROUP)] + ([POOLED.name] if pooled else [])
    for fund in funds:
        if not fund:
            continue  # lines without a fund: carryover.fund-missing
        group = _POOLED_GROUP if pooled and fund == POOLED.name else (fund,)
        spent = [l for l in lines if l.fund in group and not l.carryover and not l.surplus]
        spent_total = total(l.amount for l in spent)
        given = [unit.income[f] for f in group if f in unit.income]
        inc_total = total(i.value for i in given)
        if spent_total != inc_total:
            what = fund if len(group) == 1 else f"{POOLED.name}（{'、'.join(OTHER_SOURCES)}和{POOLED.name}合计）"
            yield finding(f"{what}：本年收入 {fmt(inc_total)} {ctx.u}，由它安排的支出合计 "
                          f"{fmt(spent_total)} {ctx.u}，相差 {fmt(abs(inc_total - spent_total))} {ctx.u}。",
                          given[0].loc if given else unit.doc.loc(("income",)), *([spent[0].loc] if spent else []))


@rule("income.pooled-mixed", UNIT, f"收入写了{POOLED.name}（{_FROM_TO}的合计）时，不再分别写{_FROM_TO}。")
def income_pooled_mixed(unit: Unit, ctx: Context) -> Iterator[Finding]:
    pooled = unit.income.get(POOLED.name)
    named = [f for f in OTHER_SOURCES if f in unit.income]
    if pooled and named:
        yield finding(f"收入中写了{POOLED.name}（{'、'.join(OTHER_SOURCES)}不分开时的合计），又写了{'、'.join(named)}："
                      f"公开文件只给出合计时只写{POOLED.name}；给出了各项时分别写各项，不写{POOLED.name}。",
                      unit.income[named[0]].loc, pooled.loc)


@rule("income.pooled-exceeds", UNIT, f"其余支出写作{POOLED.name}时，写明来源（如{OTHER_SOURCES[0]}）的支出不超过该来源的本年收入。")
def income_pooled_exceeds(unit: Unit, ctx: Context) -> Iterator[Finding]:
    if not _pooled(unit):
        return
    lines = unit.function_lines()
    for fund in OTHER_SOURCES:
        spent = [l for l in lines if l.fund == fund and not l.carryover and not l.surplus]
        inc = unit.income.get(fund)
        whole = inc.value if inc else ZERO
        if spent and part_exceeds(total(l.amount for l in spent), whole):
            yield finding(f"由{fund}安排的支出合计 {fmt(total(l.amount for l in spent))} {ctx.u}，大于{fund}的本年收入 "
                          f"{fmt(whole)} {ctx.u}（其余的非财政拨款支出写作{POOLED.name}，合起来比较）。",
                          spent[0].loc, *([inc.loc] if inc else []))


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
