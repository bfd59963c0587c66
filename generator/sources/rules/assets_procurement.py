"""Rules on 政府采购 and 固定资产: quantities × prices, 中小企业 shares, totals and parts."""

from __future__ import annotations

from collections import defaultdict
from typing import Iterator

from generator.figures.model import ZERO, Unit, total
from generator.figures.money import fmt
from generator.figures.vocabulary import ASSET_WORDS, ASSETS, STATED

from .registry import UNIT, Context, Finding, finding, part_exceeds, parts_add_up, rule


@rule("procurement.disagrees", UNIT, "政府采购的数量 × 单价等于各资金来源合计。")
def procurement_disagrees(unit: Unit, ctx: Context) -> Iterator[Finding]:
    for item in unit.procurement:
        product = item.quantity * item.unit_price
        if item.total != product:
            yield finding(f"政府采购 “{item.item}”：数量 {item.quantity} × 单价 {fmt(item.unit_price)} = "
                          f"{fmt(product)} {ctx.u}，而各资金来源合计 {fmt(item.total)} {ctx.u}。", item.loc)


@rule("procurement.project", UNIT, "政府采购所属项目是本单位的项目。")
def procurement_project(unit: Unit, ctx: Context) -> Iterator[Finding]:
    names = {p.name for p in unit.projects}
    for item in unit.procurement:
        if item.project and item.project not in names:
            yield finding(f"政府采购 “{item.item}” 所属项目 “{item.project}” 不是本单位的项目。", item.loc)


@rule("procurement.sme", UNIT, "预留中小企业份额不大于采购金额。")
def procurement_sme(unit: Unit, ctx: Context) -> Iterator[Finding]:
    for item in unit.procurement:
        if part_exceeds(item.sme_reserved, item.total):
            yield finding(f"政府采购 “{item.item}” 预留中小企业份额 {fmt(item.sme_reserved)} "
                          f"大于采购金额 {fmt(item.total)}。", item.loc)


@rule("procurement.both-forms", UNIT, "政府采购写明细（procurement）或品目汇总（procurement_summary），不能两者都写。")
def procurement_both_forms(unit: Unit, ctx: Context) -> Iterator[Finding]:
    if unit.procurement and unit.procurement_summary:
        yield finding("政府采购同时写了明细 procurement 和汇总 procurement_summary：只写其中一种，"
                      "明细的汇总由 budgetpub 计算。", unit.doc.loc(("procurement_summary",)), unit.doc.loc(("procurement",)))


@rule("procurement.fixed-asset-unstated", UNIT, "货物和工程的采购写明是否购置固定资产（fixed_asset），否则“本年度拟购置"
      "固定资产总额”不印出。", severity="warning")
def procurement_fixed_asset_unstated(unit: Unit, ctx: Context) -> Iterator[Finding]:
    for item in unit.procurement:
        if item.fixed_asset is None:
            yield finding(f"政府采购 “{item.item}” 没有写明是否购置固定资产：请写 fixed_asset: true 或 false。"
                          "未写明时，文中不说“本年度拟购置固定资产总额”。", item.loc)
    ps = unit.procurement_summary
    if ps and "fixed_assets" not in ps:
        yield finding("政府采购汇总没有写明其中购置固定资产的金额：请写 fixed_assets（没有则写 0）。"
                      "未写明时，文中不说“本年度拟购置固定资产总额”。", unit.doc.loc(("procurement_summary",)))


@rule("procurement.fixed-assets-exceed", UNIT, "政府采购汇总中购置固定资产的金额不大于货物和工程之和。")
def procurement_fixed_assets_exceed(unit: Unit, ctx: Context) -> Iterator[Finding]:
    ps = {k: v.value for k, v in unit.procurement_summary.items()}
    if "fixed_assets" in ps and part_exceeds(ps["fixed_assets"], ps.get("goods", ZERO) + ps.get("works", ZERO)):
        yield finding(f"购置固定资产 {fmt(ps['fixed_assets'])} {ctx.u} 大于货物和工程之和 "
                      f"{fmt(ps.get('goods', ZERO) + ps.get('works', ZERO))} {ctx.u}。",
                      unit.procurement_summary["fixed_assets"].loc)


@rule("procurement.small-micro", UNIT, "面向小微企业的份额不大于预留中小企业份额，预留份额不大于采购总额。")
def procurement_small_micro(unit: Unit, ctx: Context) -> Iterator[Finding]:
    for item in unit.procurement:
        if item.sme_small_micro is not None and part_exceeds(item.sme_small_micro, item.sme_reserved):
            yield finding(f"政府采购 “{item.item}” 面向小微企业的份额 {fmt(item.sme_small_micro)} 大于预留中小企业份额 "
                          f"{fmt(item.sme_reserved)}。", item.loc)
    ps = {k: v.value for k, v in unit.procurement_summary.items()}
    if ps:
        whole = total(ps.get(k, ZERO) for k in ("goods", "works", "services"))
        if part_exceeds(ps.get("sme_reserved", ZERO), whole):
            yield finding(f"预留中小企业份额 {fmt(ps['sme_reserved'])} {ctx.u} 大于政府采购合计 {fmt(whole)} {ctx.u}。",
                          unit.procurement_summary["sme_reserved"].loc)
        if part_exceeds(ps.get("sme_small_micro", ZERO), ps.get("sme_reserved", ZERO)):
            yield finding(f"面向小微企业的份额 {fmt(ps['sme_small_micro'])} {ctx.u} 大于预留中小企业份额 "
                          f"{fmt(ps.get('sme_reserved', ZERO))} {ctx.u}。", unit.procurement_summary["sme_small_micro"].loc)


@rule("assets.total-disagrees", UNIT, "所写的固定资产总额等于各类之和（各类都给出时）。")
def assets_total_disagrees(unit: Unit, ctx: Context) -> Iterator[Finding]:
    if not unit.assets or not unit.assets.total:
        return
    it = unit.assets.items
    for i, word, kinds in ((0, "数量", [a for a in ASSETS if a.counted and not a.parent]),
                           (1, "价值", [a for a in ASSETS if a.valued])):
        given = unit.assets.total[i]
        parts = [it[a.key][i] for a in kinds]
        if given is not None and all(p is not None for p in parts) and not parts_add_up(parts, given):
            yield finding(f"固定资产总额的{word} {fmt(given) if i else given} 不等于各类之和 "
                          f"{fmt(total(parts)) if i else total(parts)}。", unit.doc.loc(("assets", "total")))


@rule("assets.part-exceeds", UNIT, "固定资产的“其中”行（数量和价值）不大于其上级行，各“其中”之和亦然。")
def assets_part_exceeds(unit: Unit, ctx: Context) -> Iterator[Finding]:
    if not unit.assets:
        return
    it, doc = unit.assets.items, unit.doc
    children: dict[str, list[str]] = defaultdict(list)
    for a in ASSETS:
        if a.parent:
            children[a.parent].append(a.key)
    def exceeds(part, whole) -> bool:
        return part is not None and whole is not None and part_exceeds(part, whole)
    for a in ASSETS:
        if a.parent and any(exceeds(it[a.key][i], it[a.parent][i]) for i in (0, 1)):
            yield finding(f"固定资产 {ASSET_WORDS[a.key]} 大于 {ASSET_WORDS[a.parent]}。",
                          doc.loc(("assets", a.key)), doc.loc(("assets", a.parent)))
    for parent, keys in children.items():
        if len(keys) > 1 and any(all(it[k][i] is not None for k in keys)
                                 and exceeds(total(it[k][i] for k in keys), it[parent][i]) for i in (0, 1)):
            words = "与".join(ASSET_WORDS[k] for k in keys)
            yield finding(f"{words}之和大于{ASSET_WORDS[parent]}。", doc.loc(("assets", parent)))


@rule("assets.category-unstated", UNIT, "写了固定资产时，每个类别（房屋、车辆、大型设备、其他）写明数量和价值（没有写 0），"
      "否则表中留空，部门的合计也无法算出。", severity="warning")
def assets_category_unstated(unit: Unit, ctx: Context) -> Iterator[Finding]:
    if not unit.assets or unit.state("assets") != STATED:
        return
    lacking = []
    for a in ASSETS:
        if a.parent:
            continue  # a 其中 row: blank where not given, no total needs it
        count, value = unit.assets.items[a.key]
        if count is None and value is None:
            lacking.append(a.key)
        elif value is None:
            lacking.append(f"{a.key} 的价值")
    if lacking:
        yield finding(f"单位 {unit.code} 的固定资产没有写 {'、'.join(lacking)}：表中这些格留空，由它们加成的合计"
                      "（包括部门的）也留空。有则写明；没有则写 {count: 0, value: 0}。", unit.doc.loc(("assets",)))
