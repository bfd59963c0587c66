"""Rules on 三公 (travel abroad, official vehicles, official receptions): lines, totals, the prior year,
and the economic items that book the same spending."""

from __future__ import annotations

from typing import Iterator

from generator.errors import Location
from generator.figures.model import Unit, total
from generator.figures.money import fmt
from generator.figures.vocabulary import FISCAL_FUNDS, SANGONG

from .registry import UNIT, Context, Finding, finding, part_exceeds, parts_add_up, rule


@rule("sangong.duplicate", UNIT, "“三公”经费每个类别和资金来源只写一行。")
def sangong_duplicate(unit: Unit, ctx: Context) -> Iterator[Finding]:
    seen: dict[tuple[str, str], Location] = {}
    for line in unit.sangong:
        key = (line.category, line.fund)
        if key in seen:
            yield finding(f"“三公”经费 {line.category}（{line.fund}）写了两次。", line.loc, seen[key])
        seen[key] = line.loc


@rule("sangong.total", UNIT, "所写的“三公”经费合计等于各项之和。")
def sangong_total(unit: Unit, ctx: Context) -> Iterator[Finding]:
    given = unit.sangong_total
    if given is not None and not parts_add_up((l.amount for l in unit.sangong), given.value):
        yield finding(f"“三公”经费各项之和 {fmt(total(l.amount for l in unit.sangong))} {ctx.u} 不等于所写合计 "
                      f"{fmt(given.value)} {ctx.u}。", given.loc)


@rule("sangong.prior-total", UNIT, "所写的上年“三公”经费合计等于各项之和。")
def sangong_prior_total(unit: Unit, ctx: Context) -> Iterator[Finding]:
    given = unit.sangong_prior_total
    parts = [l.value for l in unit.sangong_prior.values()]
    if given is not None and not parts_add_up(parts, given.value):
        yield finding(f"上年“三公”经费各项之和 {fmt(total(parts))} {ctx.u} 不等于所写合计 "
                      f"{fmt(given.value)} {ctx.u}。", given.loc)


@rule("sangong.below-economic", UNIT, "“三公”经费的类别不少于记录同一支出的财政拨款经济分类款"
      f"（{'、'.join(c.economic for c in SANGONG)}）。")
def sangong_below_economic(unit: Unit, ctx: Context) -> Iterator[Finding]:
    fiscal_lines = [l for l in unit.basic_economic + unit.project_expenditure() + unit.other
                    if l.fund in FISCAL_FUNDS and l.economic]
    for category in SANGONG:
        items = [l for l in fiscal_lines if ctx.names.standard(l.economic) == category.economic]  # a region's own code: its 款
        if not items:
            continue
        booked = total(l.amount for l in items)
        sg = [l for l in unit.sangong if l.category == category.name]
        sg_total = total(l.amount for l in sg)
        local = sorted({l.economic for l in items} - {category.economic})
        named = f"{category.economic}" + (f"（含本地区科目 {'、'.join(local)}）" if local else "")
        if not unit.sangong_given:
            if "sangong" in ctx.dept.omit:
                continue  # the region publishes no 三公: nothing is asked for
            yield finding(f"财政拨款经济分类 {named} 记有 {fmt(booked)} {ctx.u}，即“三公”经费 {category.name}，"
                          "而本单位没有写“三公”经费：请在 sangong.current 中写明。", items[0].loc)
        elif part_exceeds(booked, sg_total):
            yield finding(f"“三公”经费 {category.name} {fmt(sg_total)} {ctx.u} 少于财政拨款经济分类 {named}"
                          f" 的 {fmt(booked)} {ctx.u}：经济分类中的这类支出都应计入“三公”经费。",
                          sg[0].loc if sg else unit.doc.loc(("sangong",)), items[0].loc)
