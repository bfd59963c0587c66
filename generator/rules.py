"""The cross-checks: a registry of small named rules.

Each rule is a function registered with ``@rule(code, scope, description)``.
It receives the unit (scope ``unit``) or the department (scope
``department``) and a ``Context``, and yields ``Finding``s: a Chinese message,
where it is, and the other side where there is one. The runner (``run``)
turns findings into Problems with the rule's code and severity; the README's
list of rules is generated from this registry (``rules_markdown``).

To add a rule: write one function here, decorated with ``@rule``, and one
test in tests/test_validate.py that triggers it (tests/test_rules.py fails
while a registered code has none).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath
from typing import Callable, Iterable, Iterator

from .catalogue import KIND_WORDS, Names
from .errors import Location, Report
from .model import (ZERO, Department, Unit, prior_values, prior_year, sangong_by_category, sangong_prior_known,
                    scope_texts, total)
from .money import fmt, to_unit
from .vocabulary import (ASSET_WORDS, ASSETS, CHANGE_REASON_KEYS, COST_INDICATOR, FISCAL_FUNDS, GENERAL, OTHER_KINDS_LABEL,
                         SANGONG, SANGONG_CATEGORIES, SANGONG_TOTAL, UNIT_BUDGET)

UNIT, DEPARTMENT, PUBLICATION = "unit", "department", "publication"


@dataclass(frozen=True)
class Finding:
    message: str
    location: Location | None
    related: tuple[Location, ...] = ()


def finding(message: str, location: Location | None, *related: Location | None) -> Finding:
    return Finding(message, location, tuple(r for r in related if r))


@dataclass(frozen=True)
class Rule:
    code: str
    scope: str
    severity: str
    description: str
    check: Callable[..., Iterable[Finding]]


@dataclass
class Context:
    """What a rule may need besides its unit or department."""

    dept: Department
    names: Names
    dept_dir: str = ""
    year_dir: str = ""

    @property
    def u(self) -> str:
        return self.dept.money_unit


REGISTRY: dict[str, Rule] = {}


def rule(code: str, scope: str, description: str, severity: str = "error"):
    def register(fn):
        if code in REGISTRY:
            raise ValueError(f"rule {code} registered twice")
        REGISTRY[code] = Rule(code, scope, severity, description, fn)
        return fn
    return register


def run(scope: str, subject, ctx: Context, report: Report) -> None:
    """Run every rule of ``scope`` on ``subject``, in registration order."""
    for r in REGISTRY.values():
        if r.scope != scope:
            continue
        for f in r.check(subject, ctx):
            if r.severity == "error":
                report.error(r.code, f.message, f.location, *f.related)
            else:
                report.warning(r.code, f.message, f.location, *f.related)


def rules_markdown() -> str:
    """The README's list of rules."""
    words = {UNIT: "单位", DEPARTMENT: "部门", PUBLICATION: "文件"}
    lines = ["| code | 范围 | 级别 | 规则 |", "|---|---|---|---|"]
    for r in REGISTRY.values():
        level = "错误" if r.severity == "error" else "警告"
        lines.append(f"| `{r.code}` | {words[r.scope]} | {level} | {r.description} |")
    return "\n".join(lines)


# ---------------------------------------------------------------- shared helpers

def parts_add_up(parts: Iterable[Decimal], whole: Decimal) -> bool:
    """The parts add up to the whole, exactly."""
    return total(parts) == whole


def part_exceeds(part: Decimal, whole: Decimal) -> bool:
    """A part is never more than the item that holds or books it."""
    return part > whole


# ---------------------------------------------------------------- unit

@rule("unit.file-name", UNIT, "单位编码与文件名一致（每个单位一个文件，文件名是单位编码）。")
def unit_file_name(unit: Unit, ctx: Context) -> Iterator[Finding]:
    stem = PurePath(unit.doc.file).stem
    if unit.code != stem:
        yield finding(f"单位编码 “{unit.code}” 与文件名 “{stem}.yaml” 不一致："
                      "每个单位一个文件，文件名是单位编码。", unit.doc.loc(("code",)))


@rule("unit.code-prefix", UNIT, "单位编码是部门编码加 3 位或更多位数字。")
def unit_code_prefix(unit: Unit, ctx: Context) -> Iterator[Finding]:
    code = ctx.dept.code
    if not (unit.code.startswith(code) and len(unit.code) >= len(code) + 3):
        yield finding(f"单位编码 “{unit.code}” 应为部门编码 {code} 加 3 位或更多位数字，如 {code}001。",
                      unit.doc.loc(("code",)))


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


@rule("expenditure.fiscal-other", UNIT, "财政拨款只用于基本支出和项目支出。")
def expenditure_fiscal_other(unit: Unit, ctx: Context) -> Iterator[Finding]:
    for line in unit.other:
        if line.fund in FISCAL_FUNDS:
            yield finding(f"{line.kind}不能由{line.fund}安排：财政拨款只用于基本支出和项目支出。", line.loc)


def _funds(unit: Unit) -> list[str]:
    lines = unit.function_lines()
    return sorted(set(unit.income) | {l.fund for l in lines} | set(unit.carry_in) | set(unit.carry_out)
                  | set(unit.carry_surplus))


@rule("income.disagrees", UNIT, "每个来源的本年收入等于由它安排的支出（不含上年结转安排的部分）。")
def income_disagrees(unit: Unit, ctx: Context) -> Iterator[Finding]:
    lines = unit.function_lines()
    for fund in _funds(unit):
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
            yield finding(f"{fund}：上年结转结余 {fmt(c_in)} {ctx.u} 减年终结转结余 {fmt(c_out)} {ctx.u}，"
                          f"应等于用上年结转安排的支出 {fmt(spent)} {ctx.u}。",
                          where.loc if where else unit.doc.loc(("carryover",)),
                          *([carried[0].loc] if carried else []))


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


@rule("project.indicator-column", UNIT, "地区公开的绩效目标表栏目（绩效指标描述、指标值确定依据），每个指标都要填写。")
def project_indicator_column(unit: Unit, ctx: Context) -> Iterator[Finding]:
    words = {"description": "绩效指标描述（description）", "basis": "指标值确定依据（basis）"}
    for project in unit.projects:
        for ind in project.indicators:
            for key in ctx.dept.indicator_columns:
                if getattr(ind, key) is None:
                    yield finding(f"项目 “{project.name}” 的指标 “{ind.level3}” 缺少{words[key]}：本地区的绩效目标表公开这一栏。"
                                  "不公开这一栏的地区在 department.yaml 的 performance_table.columns 中去掉它。", ind.loc)


@rule("project.cost-value", UNIT, "成本指标的指标值是一个金额，如 “≤6万元”。")
def project_cost_value(unit: Unit, ctx: Context) -> Iterator[Finding]:
    for project in unit.projects:
        for ind in _costs(project):
            if not _COST_VALUE.match(ind.value):
                yield finding(f"成本指标的指标值 “{ind.value}” 无法读出金额：应写成如 “≤6万元”。", ind.loc)
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


@rule("sangong.unstated", UNIT, "基本支出未按经济分类细化的单位写明“三公”经费（没有时写 current: []）：经济分类不能说明它为零。")
def sangong_unstated(unit: Unit, ctx: Context) -> Iterator[Finding]:
    if not unit.economic_known and not unit.sangong_given:
        yield finding("基本支出未按经济分类细化，无从得知本单位有没有“三公”经费：请在 sangong.current 中写明"
                      "（没有“三公”经费时写 sangong: {current: []}），否则文字和表中的“三公”经费 0.00 没有依据。",
                      unit.doc.loc(("basic",)))


@rule("sangong.below-economic", UNIT, "“三公”经费的类别不少于记录同一支出的财政拨款经济分类款"
      f"（{'、'.join(c.economic for c in SANGONG)}）。")
def sangong_below_economic(unit: Unit, ctx: Context) -> Iterator[Finding]:
    fiscal_lines = [l for l in unit.basic_economic + [p.line for p in unit.projects] + unit.other
                    if l.fund in FISCAL_FUNDS and l.economic]
    for category in SANGONG:
        items = [l for l in fiscal_lines if l.economic == category.economic]
        if not items:
            continue
        booked = total(l.amount for l in items)
        sg = [l for l in unit.sangong if l.category == category.name]
        sg_total = total(l.amount for l in sg)
        if part_exceeds(booked, sg_total):
            yield finding(f"“三公”经费 {category.name} {fmt(sg_total)} {ctx.u} 少于财政拨款经济分类 "
                          f"{category.economic} 的 {fmt(booked)} {ctx.u}：经济分类中的这类支出都应计入“三公”经费。",
                          sg[0].loc if sg else unit.doc.loc(("sangong",)), items[0].loc)


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


# ---------------------------------------------------------------- department

@rule("department.code", DEPARTMENT, "部门编码与目录名一致。")
def department_code(dept: Department, ctx: Context) -> Iterator[Finding]:
    if dept.code != ctx.dept_dir:
        yield finding(f"部门编码 “{dept.code}” 与目录名 “{ctx.dept_dir}” 不一致。", dept.doc.loc(("code",)))


@rule("department.year", DEPARTMENT, "预算年度与目录名一致。")
def department_year(dept: Department, ctx: Context) -> Iterator[Finding]:
    if str(dept.year) != ctx.year_dir:
        yield finding(f"预算年度 {dept.year} 与目录名 “{ctx.year_dir}” 不一致。", dept.doc.loc(("year",)))


@rule("department.no-units", DEPARTMENT, "部门至少有一个单位文件。")
def department_no_units(dept: Department, ctx: Context) -> Iterator[Finding]:
    if not dept.units:
        yield finding("部门下没有单位：每个单位一个文件，文件名是单位编码（如 "
                      f"{dept.code}001.yaml）。", dept.doc.loc(()))


@rule("unit.code-length", DEPARTMENT, "同一部门的单位编码位数相同（999 个单位以内 3 位序号，更多时 4 位），文件顺序即编码顺序。")
def unit_code_length(dept: Department, ctx: Context) -> Iterator[Finding]:
    lengths = [len(u.code) for u in dept.units]
    usual = max(lengths, key=lambda n: (lengths.count(n), -n), default=0)  # a tie: the shorter
    example = next((u for u in dept.units if len(u.code) == usual), None)
    for unit in dept.units:
        if len(unit.code) != usual:
            yield finding(f"单位编码 “{unit.code}” 有 {len(unit.code)} 位，本部门其他单位的编码有 {usual} 位"
                          f"（如 “{example.code}”）：同一部门的单位编码位数须相同。",
                          unit.doc.loc(("code",)), example.doc.loc(("code",)))


@rule("unit.duplicate-name", DEPARTMENT, "部门内单位名称不重复。")
def unit_duplicate_name(dept: Department, ctx: Context) -> Iterator[Finding]:
    seen: dict[str, Unit] = {}
    for unit in dept.units:
        if unit.name in seen:
            yield finding(f"单位名称 “{unit.name}” 重复。", unit.doc.loc(("name",)), seen[unit.name].doc.loc(("name",)))
        seen[unit.name] = unit


@rule("project.duplicate-name", DEPARTMENT, "部门内项目名称不重复。")
def project_duplicate_name(dept: Department, ctx: Context) -> Iterator[Finding]:
    seen: dict[str, Location] = {}
    for unit in dept.units:
        for p in unit.projects:
            if p.name in seen:
                yield finding(f"项目名称 “{p.name}” 重复：同一部门内项目名称须唯一。", p.loc, seen[p.name])
            else:
                seen[p.name] = p.loc


def _other_edition(catalogue, kind: str, code: str, name: str) -> str | None:
    """The year of another edition of the classification that names ``code`` ``name``."""
    return next((year for year, other in catalogue.other_editions[kind].get(code, []) if other == name), None)


@rule("names.contradicts-catalogue", DEPARTMENT, "来源中写的科目名称与分类目录一致（或与另一年度的分类一致，见下条）。")
def names_contradicts_catalogue(dept: Department, ctx: Context) -> Iterator[Finding]:
    for kind in ("function", "economic"):
        table = ctx.names.catalogue.table(kind)
        for code, name, loc in ctx.names.given[kind]:
            known = table.get(code)
            if known is not None and known != name and not _other_edition(ctx.names.catalogue, kind, code, name):
                yield finding(f"{KIND_WORDS[kind]}编码 {code} 在分类目录中的名称是 “{known}”，来源写的是 “{name}”。"
                              "请改正名称，或删去名称由目录提供。", loc)


@rule("names.other-edition", DEPARTMENT, "科目名称是另一年度分类中的名称：接受，并提示是哪一年。",
      severity="warning")
def names_other_edition(dept: Department, ctx: Context) -> Iterator[Finding]:
    for kind in ("function", "economic"):
        table = ctx.names.catalogue.table(kind)
        for code, name, loc in ctx.names.given[kind]:
            year = _other_edition(ctx.names.catalogue, kind, code, name)
            if table.get(code) not in (None, name) and year:
                yield finding(f"{KIND_WORDS[kind]}编码 {code} 的名称 “{name}” 出自 {year} 年的分类，本年度分类中的名称是 "
                              f"“{table[code]}”。已接受；如本年度已改名，请改用新名称。", loc)


@rule("names.not-in-catalogue", DEPARTMENT, "分类目录没有的编码，使用来源中写的名称（目录不完整）。",
      severity="warning")
def names_not_in_catalogue(dept: Department, ctx: Context) -> Iterator[Finding]:
    for kind in ("function", "economic"):
        for code, (name, loc) in ctx.names.extra[kind].items():
            yield finding(f"{KIND_WORDS[kind]}编码 {code} 不在分类目录中（目录不完整），使用来源中的名称 “{name}”。"
                          "请确认编码和名称与当年《政府收支分类科目》一致。", loc)


@rule("names.conflict", DEPARTMENT, "分类目录没有的编码，来源中只给一个名称。")
def names_conflict(dept: Department, ctx: Context) -> Iterator[Finding]:
    for kind in ("function", "economic"):
        for code, name, loc in ctx.names.given[kind]:
            first = ctx.names.extra[kind].get(code)
            if first is not None and first[0] != name:
                yield finding(f"{KIND_WORDS[kind]}编码 {code} 在来源中有两个不同的名称：“{first[0]}” 和 “{name}”。",
                              loc, first[1])


def _economic_lines(unit: Unit) -> list:
    return [l for l in unit.basic_economic + [p.line for p in unit.projects] + unit.other if l.economic]


def _code_loc(line, kind: str):
    """Where the code is written: a project's line is placed at its amount, its codes are on lines of their own."""
    return (line.code_loc or {}).get(kind, line.loc)


@rule("names.unknown-code", DEPARTMENT, "用到的每个编码及其上级科目都有名称（目录或来源）。")
def names_unknown_code(dept: Department, ctx: Context) -> Iterator[Finding]:
    for unit in dept.units:
        for kind, lines in (("function", unit.function_lines()), ("economic", _economic_lines(unit))):
            for line in lines:
                code = line.function if kind == "function" else line.economic
                for part in ctx.names.missing(kind, code):
                    field = "function_names" if kind == "function" else "economic_names"
                    level = " " if part == code else f"（{code} 的{'类' if len(part) == 3 else '款'}级）"
                    yield finding(f"{KIND_WORDS[kind]}编码 {part}{level}不在分类目录中，来源也没有给出名称。"
                                  f"请核对编码，或在该行写明名称（上级科目写在 department.yaml 的 {field} 中）。",
                                  _code_loc(line, kind))


@rule("names.not-a-class", DEPARTMENT, "功能分类的类级是收支总表的 31 个支出类别之一。")
def names_not_a_class(dept: Department, ctx: Context) -> Iterator[Finding]:
    class_codes = {c.code for c in ctx.names.catalogue.classes if c.code}
    for unit in dept.units:
        for line in unit.function_lines():
            if line.function[:3] not in class_codes:
                yield finding(f"功能分类 {line.function} 的类级 {line.function[:3]} 不在收支总表的 31 个支出类别中。",
                              _code_loc(line, "function"))


@rule("prior-year.missing", DEPARTMENT, "上年预算数写在 department.yaml 或每个单位文件中。")
def prior_year_missing(dept: Department, ctx: Context) -> Iterator[Finding]:
    with_prior = [u for u in dept.units if u.prior_year]
    if dept.units and dept.prior_year is None and len(with_prior) < len(dept.units):
        yield finding("缺少上年预算数：在 department.yaml 的 prior_year 中填写，或在每个单位文件中填写。",
                      dept.doc.loc(()))


@rule("prior-year.unit-missing", DEPARTMENT, "部门有多个单位时，每个单位写自己的上年预算数。")
def prior_year_unit_missing(dept: Department, ctx: Context) -> Iterator[Finding]:
    if len(dept.units) > 1:
        for u in dept.units:
            if not u.prior_year:
                yield finding(f"部门有多个单位，单位 {u.code} 须填写自己的上年预算数 prior_year。", u.doc.loc(()))


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


@rule("department.unit-budget", DEPARTMENT, "单位预算（publishes: 单位预算）只有一个单位。")
def department_unit_budget(dept: Department, ctx: Context) -> Iterator[Finding]:
    if dept.publishes == UNIT_BUDGET and len(dept.units) != 1:
        yield finding(f"单位预算只公开一个单位，而这里有 {len(dept.units)} 个单位文件。", dept.doc.loc(("publishes",)))


def _scopes(dept: Department):
    """(unit or None, its units, where its texts are, who) for the department and each unit."""
    yield None, dept.units, dept.doc.loc(("texts",)), "部门"
    if dept.publishes == UNIT_BUDGET:
        return  # one unit publishing alone: its text is department.yaml's, there is no unit part
    for u in dept.units:
        yield u, [u], u.doc.loc(("texts",)), f"单位 {u.code} "


def _sangong_changes(dept: Department):
    for unit, units, where, who in _scopes(dept):
        if not sangong_prior_known(units):
            continue  # the prior year's 三公 is not given: the text states no change
        reasons = scope_texts(dept, unit).get("sangong_reasons") or {}
        current, prior = sangong_by_category(units)
        for c in (*SANGONG_CATEGORIES, SANGONG_TOTAL):
            yield unit, where, who, c, prior[c], current[c], reasons


@rule("sangong.reason-missing", DEPARTMENT, "“三公”经费比上年有增减的类别（及合计），在本部门或本单位自己的文字中写明变化原因。")
def sangong_reason_missing(dept: Department, ctx: Context) -> Iterator[Finding]:
    for unit, where, who, c, prior, current, reasons in _sangong_changes(dept):
        if current != prior and c not in reasons:
            yield finding(f"{who}“三公”经费 {c} 比上年有增减（{fmt(prior)} → {fmt(current)}），"
                          f"须在 texts.sangong_reasons.{c} 中写明变化原因。", where)


@rule("sangong.reason-unneeded", DEPARTMENT, "“三公”经费比上年没有变化的类别不写变化原因（不会印出）。",
      severity="warning")
def sangong_reason_unneeded(dept: Department, ctx: Context) -> Iterator[Finding]:
    for unit, where, who, c, prior, current, reasons in _sangong_changes(dept):
        if current == prior and c in reasons:
            doc = unit.doc if unit else dept.doc
            yield finding(f"{who}“三公”经费 {c} 与上年持平（{fmt(current)}），texts.sangong_reasons.{c} 中的原因不会印出："
                          "请删去，或核对金额。", doc.loc(("texts", "sangong_reasons", c)))


def _kind_changes(dept: Department):
    for unit, units, where, who in _scopes(dept):
        prior = prior_year(dept, units, unit is None)
        if prior is None:
            continue
        reasons = scope_texts(dept, unit).get("change_reasons") or {}
        for key, kind in CHANGE_REASON_KEYS.items():
            if key not in prior:
                continue  # the prior year's split is not known: the text states no change of it
            current = total(l.amount for u in units for l in u.function_lines() if l.kind == kind)
            yield unit, where, who, key, kind, prior[key], current, reasons


@rule("change-reasons.missing", DEPARTMENT, "基本支出、项目支出比上年有增减时，在本部门或本单位自己的文字中写明主要原因。")
def change_reasons_missing(dept: Department, ctx: Context) -> Iterator[Finding]:
    for unit, where, who, key, kind, prior, current, reasons in _kind_changes(dept):
        if current != prior and not reasons.get(key):
            yield finding(f"{who}{kind}比上年有增减（{fmt(prior)} → {fmt(current)} {ctx.u}），"
                          f"须在 texts.change_reasons.{key} 中写明主要原因。", where)


@rule("change-reasons.unneeded", DEPARTMENT, "基本支出、项目支出与上年持平时不写主要原因（不会印出）。",
      severity="warning")
def change_reasons_unneeded(dept: Department, ctx: Context) -> Iterator[Finding]:
    for unit, where, who, key, kind, prior, current, reasons in _kind_changes(dept):
        if current == prior and reasons.get(key):
            doc = unit.doc if unit else dept.doc
            yield finding(f"{who}{kind}与上年持平（{fmt(current)} {ctx.u}），texts.change_reasons.{key} 中的原因不会印出："
                          "请删去，或核对金额。", doc.loc(("texts", "change_reasons", key)))
