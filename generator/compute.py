"""Compute every figure of the publication, once, from the facts.

A *scope* is the department (all its units) or one unit; ``compute_scope``
turns the expenditure lines of its units into the rows of the nine tables
(T1–T9) and the figures of the narrative (情况说明). Each table's rows come
from one function below, named after the table:

    T1 收支总表                       table_t1
    T2 收入总表                       function_tree(..., _t2_columns)
    T3 支出总表                       function_tree(..., _t3_columns)
    T4 财政拨款收支总表               table_t4
    T5/T7/T8 财政拨款支出表 by fund   function_tree(..., _basic_project_columns(fund))
    T6 一般公共预算基本支出表         economic_tree
    T9 “三公”经费支出表               table_t9

Rows are lists of cells without the 序号 column: strings for codes and
labels, Decimal for amounts (formatting happens in context.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Iterable

from .catalogue import ExpenditureClass
from .model import (BASIC, FISCAL_FUNDS, FUNDS, GENERAL, OTHER_KINDS, PROJECT, SANGONG_CATEGORIES,
                    TEXT_KEYS, ZERO, Department, Line, Unit, is_personnel, sangong_by_category, scope_texts)
from .validate import Names

Row = list  # [str | Decimal | None, ...]


def total(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO)


# ------------------------------------------------------------------ trees

def function_tree(lines: Iterable[Line], ncols: int, columns: Callable[[Line], list[int] | None],
                  names: Names) -> list[Row]:
    """A function-tree body: a 合计 row, then every non-zero 类, its 款 and its 项
    in code order. Column 0 is the row total; ``columns(line)`` says which other
    columns a line adds to (None: the line is not in this table)."""
    sums: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO] * ncols)
    grand = [ZERO] * ncols
    for line in lines:
        cols = columns(line)
        if cols is None:
            continue
        for code in (line.function[:3], line.function[:5], line.function):
            for c in [0] + cols:
                sums[code][c] += line.amount
        for c in [0] + cols:
            grand[c] += line.amount
    rows: list[Row] = [["", "合计", *grand]]
    for code in sorted(sums):  # "205" < "20503" < "2050399" < "208": 类, 款, 项
        if any(sums[code]):
            rows.append([code, names.get("function", code), *sums[code]])
    return rows


def economic_tree(lines: Iterable[Line], names: Names) -> list[Row]:
    """T6: basic expenditure by economic 类/款; columns 合计, 人员经费, 公用经费.
    人员经费 is 301 工资福利支出 + 303 对个人和家庭的补助; 公用经费 is the rest."""
    sums: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO] * 3)
    grand = [ZERO] * 3
    for line in lines:
        col = 1 if is_personnel(line.economic) else 2
        for target in (sums[line.economic[:3]], sums[line.economic], grand):
            target[0] += line.amount
            target[col] += line.amount
    rows: list[Row] = [["", "合计", *grand]]
    for code in sorted(sums):
        if any(sums[code]):
            rows.append([code, names.get("economic", code), *sums[code]])
    return rows


# T2 收入总表: 合计 | 本年收入: 小计, 财政拨款, 财政专户, 事业, 经营, 上级补助, 附属单位上缴, 其他 | 上年结转
_T2_FUND_COLUMN = {"一般公共预算拨款": 2, "政府性基金预算拨款": 2, "国有资本经营预算拨款": 2,
                   "财政专户管理资金": 3, "事业收入": 4, "事业单位经营收入": 5, "上级补助收入": 6,
                   "附属单位上缴收入": 7, "其他收入": 8}
T2_COLUMNS = 10


def _t2_columns(line: Line) -> list[int]:
    return [9] if line.carryover else [1, _T2_FUND_COLUMN[line.fund]]


# T3 支出总表: 合计, 基本支出, 项目支出, 经营支出, 上解上级支出, 对附属单位补助支出
_T3_KIND_COLUMN = {BASIC: 1, PROJECT: 2, **{k: 3 + i for i, k in enumerate(OTHER_KINDS)}}
T3_COLUMNS = 6


def _t3_columns(line: Line) -> list[int]:
    return [_T3_KIND_COLUMN[line.kind]]


def _basic_project_columns(fund: str) -> Callable[[Line], list[int] | None]:
    """T5, T7, T8: 合计, 基本支出, 项目支出 of one fiscal fund."""
    def columns(line: Line) -> list[int] | None:
        if line.fund != fund:
            return None
        return [1 if line.kind == BASIC else 2]
    return columns


# ------------------------------------------------------------------ scope

@dataclass
class Scope:
    """Everything the publication shows for the department or for one unit."""

    kind: str  # "department" | "unit"
    code: str
    name: str
    units: list[Unit]
    t1: list[Row] = field(default_factory=list)
    t2: list[Row] = field(default_factory=list)
    t3: list[Row] = field(default_factory=list)
    t4: list[Row] = field(default_factory=list)
    t5: list[Row] = field(default_factory=list)
    t6: list[Row] = field(default_factory=list)
    t7: list[Row] = field(default_factory=list)
    t8: list[Row] = field(default_factory=list)
    t9: list[Row] = field(default_factory=list)
    figures: dict = field(default_factory=dict)  # the narrative's numbers
    running_costs: list[tuple[str, Decimal]] = field(default_factory=list)
    projects: list = field(default_factory=list)  # model.Project, in source order
    sangong_comparison: list[dict] = field(default_factory=list)
    procurement: list[Row] = field(default_factory=list)
    assets: list[Row] = field(default_factory=list)
    assets_as_of: str = ""
    texts: dict = field(default_factory=dict)


def table_t1(lines: list[Line], income: dict[str, Decimal], carry_in: Decimal, carry_out: Decimal,
             classes: list[ExpenditureClass]) -> list[Row]:
    by_class = defaultdict(lambda: ZERO)
    for line in lines:
        by_class[line.function[:3]] += line.amount
    income_labels = ["一、一般公共预算拨款收入", "二、政府性基金预算拨款收入", "三、国有资本经营预算拨款收入",
                     "四、财政专户管理资金收入", "五、事业收入", "六、事业单位经营收入", "七、上级补助收入",
                     "八、附属单位上缴收入", "九、其他收入"]
    rows: list[Row] = []
    for i, cls in enumerate(classes):
        left = [income_labels[i], income.get(FUNDS[i], ZERO)] if i < len(FUNDS) else ["", None]
        rows.append([*left, cls.label, by_class.get(cls.code, ZERO)])
    income_total = total(income.values())
    spent = total(l.amount for l in lines)
    rows.append(["本年收入合计", income_total, "本年支出合计", spent])
    rows.append(["上年结转结余", carry_in, "年终结转结余", carry_out])
    rows.append(["收入总计", income_total + carry_in, "支出总计", spent + carry_out])
    return rows


def table_t4(lines: list[Line], income: dict[str, Decimal], carry_in: dict[str, Decimal],
             carry_out: dict[str, Decimal], classes: list[ExpenditureClass]) -> list[Row]:
    fiscal = [l for l in lines if l.fund in FISCAL_FUNDS]
    by_class: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO] * 4)
    for line in fiscal:
        v = by_class[line.function[:3]]
        v[0] += line.amount
        v[1 + FISCAL_FUNDS.index(line.fund)] += line.amount
    labels = ["一、一般公共预算拨款", "二、政府性基金预算拨款", "三、国有资本经营预算拨款"]
    rows: list[Row] = []
    for i, cls in enumerate(classes):
        left = [labels[i], income.get(FISCAL_FUNDS[i], ZERO)] if i < 3 else ["", None]
        rows.append([*left, cls.label, *by_class.get(cls.code, [ZERO] * 4)])
    income_total = total(income.get(f, ZERO) for f in FISCAL_FUNDS)
    spent = [total(l.amount for l in fiscal)] + [total(l.amount for l in fiscal if l.fund == f)
                                                  for f in FISCAL_FUNDS]
    out = [carry_out.get(f, ZERO) for f in FISCAL_FUNDS]
    in_ = [carry_in.get(f, ZERO) for f in FISCAL_FUNDS]
    rows.append(["本年收入合计", income_total, "本年支出合计", *spent])
    rows.append(["年初财政拨款结转和结余", total(in_), "年末财政拨款结转和结余", total(out), *out])
    for i in range(3):
        rows.append([labels[i], in_[i], "", None, None, None, None])
    rows.append(["收入总计", income_total + total(in_), "支出总计",
                 spent[0] + total(out), *[spent[1 + i] + out[i] for i in range(3)]])
    return rows


T9_LABELS = ("合计", "一、因公出国（境）费", "二、公务用车购置及运维费", "其中：公务用车购置费",
             "公务用车运行维护费", "三、公务接待费")


def table_t9(units: list[Unit]) -> list[Row]:
    """财政拨款“三公”经费: rows 合计, 出国, 车辆(购置+运维), 其中购置, 运维, 接待; columns 合计 + 3 funds."""
    cat: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO] * 4)
    for u in units:
        for l in u.sangong:
            cat[l.category][0] += l.amount
            cat[l.category][1 + FISCAL_FUNDS.index(l.fund)] += l.amount
    zero = [ZERO] * 4

    def add(*vs):
        return [total(v[i] for v in vs) for i in range(4)]

    abroad, buy, run, host = (cat.get(c, zero) for c in SANGONG_CATEGORIES)
    values = [add(abroad, buy, run, host), abroad, add(buy, run), buy, run, host]
    return [[label, *v] for label, v in zip(T9_LABELS, values)]


SANGONG_COMPARISON_LABELS = {"因公出国（境）费": "因公出国经费", "公务用车购置费": "公务用车购置经费",
                             "公务用车运行维护费": "公务用车运行经费", "公务接待费": "公务接待费支出",
                             "合计": "合计"}

PROCUREMENT_FUNDS = ("一般公共预算拨款", "政府性基金预算拨款", "国有资本经营预算拨款", "财政专户管理资金",
                     "单位资金", "财政拨款结转", "非财政拨款结转结余")

ASSET_ROWS = (("固定资产总额", None), ("1、房屋（平方米）", "buildings"), ("其中：办公用房（平方米）", "office_buildings"),
              ("2、车辆（台、辆）", "vehicles"), ("3、单价在50万元以上的设备(台、套)", "equipment"),
              ("其中：单价50万元（含）以上的通用设备", "general_equipment"),
              ("单价100万元（含）以上的专用设备", "special_equipment"), ("4、其他固定资产", "other"))


def paragraphs(text: str | None) -> list[str]:
    """Prose is written one paragraph per line."""
    return [p.strip() for p in (text or "").splitlines() if p.strip()]


def compute_scope(dept: Department, units: list[Unit], names: Names, kind: str) -> Scope:
    unit = units[0] if kind == "unit" else None
    scope = Scope(kind, unit.code if unit else dept.code, unit.name if unit else dept.name, units)
    classes = names.catalogue.classes
    lines = [l for u in units for l in u.function_lines()]
    income = defaultdict(lambda: ZERO)
    carry_in = defaultdict(lambda: ZERO)
    carry_out = defaultdict(lambda: ZERO)
    for u in units:
        for src, dst in ((u.income, income), (u.carry_in, carry_in), (u.carry_out, carry_out)):
            for fund, loc in src.items():
                dst[fund] += loc.value

    scope.t1 = table_t1(lines, income, total(carry_in.values()), total(carry_out.values()), classes)
    scope.t2 = function_tree(lines, T2_COLUMNS, _t2_columns, names)
    scope.t3 = function_tree(lines, T3_COLUMNS, _t3_columns, names)
    scope.t4 = table_t4(lines, income, carry_in, carry_out, classes)
    scope.t5 = function_tree(lines, 3, _basic_project_columns(FISCAL_FUNDS[0]), names)
    general_basic_econ = [l for u in units for l in u.economic_lines() if l.fund == GENERAL]
    scope.t6 = economic_tree(general_basic_econ, names)
    scope.t7 = function_tree(lines, 3, _basic_project_columns(FISCAL_FUNDS[1]), names)
    scope.t8 = function_tree(lines, 3, _basic_project_columns(FISCAL_FUNDS[2]), names)
    scope.t9 = table_t9(units)

    # ---- 情况说明 figures
    basic_econ_all = [l for u in units for l in u.economic_lines()]
    personnel = total(l.amount for l in basic_econ_all if is_personnel(l.economic))
    by_kind = {k: total(l.amount for l in lines if l.kind == k) for k in (BASIC, PROJECT, *OTHER_KINDS)}
    income_total = total(income.values())
    f = scope.figures
    f["income_total"] = income_total + total(carry_in.values())  # 收入总计
    f["income_this_year"] = income_total
    f["income_general"] = income[FUNDS[0]]
    f["income_fund"] = income[FUNDS[1]]
    f["income_capital"] = income[FUNDS[2]]
    f["income_special_account"] = income[FUNDS[3]]
    f["income_other_sources"] = total(income[k] for k in FUNDS[4:])
    f["carry_in"] = total(carry_in.values())
    f["carry_out"] = total(carry_out.values())
    f["expenditure_total"] = total(l.amount for l in lines)
    f["basic"] = by_kind[BASIC]
    f["personnel"] = personnel
    f["public"] = by_kind[BASIC] - personnel
    f["project"] = by_kind[PROJECT]
    f["project_own"] = by_kind[PROJECT]  # 本级支出: every project is the unit's own
    f["operating"] = by_kind["经营支出"]
    f["to_superior"] = by_kind["上解上级支出"]
    f["to_subordinate"] = by_kind["对附属单位补助支出"]

    prior = dept.prior_year if kind == "department" else (unit.prior_year or dept.prior_year)
    if prior:
        pb, pp = prior["basic"].value, prior["project"].value
        po = prior["other"].value if "other" in prior else ZERO
        f["prior_total"], f["prior_basic"], f["prior_project"], f["prior_other"] = pb + pp + po, pb, pp, po
        f["change_total"] = f["expenditure_total"] - (pb + pp + po)
        f["change_basic"] = f["basic"] - pb
        f["change_project"] = f["project"] - pp
        f["change_other"] = f["operating"] + f["to_superior"] + f["to_subordinate"] - po

    # 机关运行经费: T6 公用经费, item by item, with the sources' prose splits.
    f["running_costs"] = scope.t6[0][4]
    splits = defaultdict(list)
    for u in units:
        for part in u.running_costs:
            splits[part.economic].append(part)
    public_items = defaultdict(lambda: ZERO)
    for l in general_basic_econ:
        if not is_personnel(l.economic):
            public_items[l.economic] += l.amount
    items: dict[tuple[str, str], Decimal] = {}
    for code in sorted(public_items):
        split_total = ZERO
        for part in splits.get(code, []):
            items[(code, part.label)] = items.get((code, part.label), ZERO) + part.amount
            split_total += part.amount
        rest = public_items[code] - split_total
        if rest:
            label = names.get("economic", code)
            items[(code, label)] = items.get((code, label), ZERO) + rest
    scope.running_costs = [(label, v) for (code, label), v in items.items() if v]

    scope.projects = [p for u in units for p in u.projects]

    # 三公 comparison with the prior year.
    current, prior_sg = sangong_by_category(units)
    texts = scope_texts(dept, unit)
    reasons = texts.get("sangong_reasons") or {}
    scope.sangong_comparison = [
        {"label": SANGONG_COMPARISON_LABELS[c], "category": c, "prior": prior_sg[c], "current": current[c],
         "change": current[c] - prior_sg[c], "reason": reasons.get(c)}
        for c in (*SANGONG_CATEGORIES, "合计")]
    f["sangong"] = current["合计"]
    f["sangong_vehicles"] = current["公务用车购置费"] + current["公务用车运行维护费"]
    f["sangong_vehicles_prior"] = prior_sg["公务用车购置费"] + prior_sg["公务用车运行维护费"]

    # 政府采购.
    project_amounts = {p.name: p.amount for p in scope.projects}
    for u in units:
        for item in u.procurement:
            scope.procurement.append([
                item.project or "基本支出", project_amounts.get(item.project) if item.project else None,
                item.item, item.catalogue_no, item.measure, item.quantity, item.unit_price, item.total,
                *[item.funds.get(k, ZERO) for k in PROCUREMENT_FUNDS], item.sme_reserved])
    f["procurement"] = total(r[7] for r in scope.procurement)
    f["asset_purchases"] = total(i.total for u in units for i in u.procurement if i.fixed_asset)

    # 国有资产: the department's is the sum of its units'. 房屋 count is an area, not a count.
    sums = {key: [ZERO, ZERO] for _, key in ASSET_ROWS if key}
    for u in units:
        if u.assets:
            scope.assets_as_of = max(scope.assets_as_of, u.assets.as_of)
            for key, (count, value) in u.assets.items.items():
                sums[key][0] += count
                sums[key][1] += value
    top = ("vehicles", "equipment", "other")
    count_total = total(sums[k][0] for k in top)
    value_total = total(sums[k][1] for k in ("buildings", *top))
    scope.assets = [[label, *(sums[key] if key else [count_total, value_total])] for label, key in ASSET_ROWS]
    f["assets_value"] = value_total
    f["assets_count"] = count_total

    # Texts: a unit's prose falls back to the department's.
    scope.texts = {k: texts.get(k) for k in TEXT_KEYS}
    return scope


@dataclass
class Publication:
    department: Department
    names: Names
    scope: Scope  # the department as a whole
    units: list[Scope]


def compute(dept: Department, names: Names) -> Publication:
    return Publication(dept, names, compute_scope(dept, dept.units, names, "department"),
                       [compute_scope(dept, [u], names, "unit") for u in dept.units])
