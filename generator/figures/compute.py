"""Compute every figure of the publication, once, from the facts.

A *scope* is the department (all its units) or one unit; ``compute_scope``
turns the expenditure lines of its units into the rows of the nine tables
(T1–T9) and the figures of the narrative (情况说明, ``Figures``). Each table's
shape is in the table catalogue (tables.py); its rows come from one function
below, which fills them by column key:

    T1 收支总表                       table_t1
    T2 收入总表                       function_tree(tables.T2, …)
    T3 支出总表                       function_tree(tables.T3, …)
    T4 财政拨款收支总表               table_t4
    T5/T7/T8 财政拨款支出表 by fund   function_tree(tables.T5 | T7 | T8, …)
    T6 一般公共预算基本支出表         economic_tree
    T9 “三公”经费支出表               table_t9

Rows are lists of cells in the catalogue's column order, without the 序号
column: strings for codes and labels, Decimal for amounts (formatting happens
in context.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Iterable

from . import tables
from .catalogue import ExpenditureClass, Names, chinese_ordinal
from .model import (
    ZERO,
    Department,
    Line,
    Unit,
    counts_running_costs,
    is_personnel,
    prior_year,
    sangong_by_category,
    sangong_prior_known,
    scope_state,
    scope_texts,
    total,
)
from .tables import Table
from .vocabulary import (
    ASSETS,
    ASSETS_TOTAL_LABEL,
    BASIC,
    FISCAL_FUNDS,
    FUND,
    FUNDS,
    POOLED,
    Fund,
    GENERAL,
    GOVERNMENT_FUND,
    OPERATING,
    OTHER_KINDS,
    OTHER_SOURCES,
    PROCUREMENT_CATEGORIES,
    PROCUREMENT_FUNDS,
    PROJECT,
    SANGONG,
    SANGONG_CATEGORIES,
    SANGONG_TOTAL,
    SANGONG_VEHICLES_LABEL,
    OPTIONAL_SECTIONS,
    SPECIAL_ACCOUNT,
    STATE_CAPITAL,
    STATED,
    STATED_NONE,
    TEXT_KEYS,
    UNSTATED,
    TO_SUBORDINATE,
    TO_SUPERIOR,
    VEHICLE_CATEGORIES,
)

Row = list  # [str | Decimal | None, ...]


# ------------------------------------------------------------------ trees

def function_tree(table: Table, lines: Iterable[Line], columns: Callable[[Line], list[str] | None],
                  names: Names) -> list[Row]:
    """A function-tree body: a 合计 row, then every non-zero 类, its 款 and its 项
    in code order. Column ``total`` is the row total; ``columns(line)`` names the
    other columns a line adds to (None: the line is not in this table)."""
    keys = [k for k in table.keys if k not in ("code", "name")]
    sums: dict[str, dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(keys, ZERO))
    grand = dict.fromkeys(keys, ZERO)
    for line in lines:
        cols = columns(line)
        if cols is None:
            continue
        for target in (sums[line.function[:3]], sums[line.function[:5]], sums[line.function], grand):
            for c in ["total", *cols]:
                target[c] += line.amount
    rows: list[Row] = [table.row(code="", name="合计", **grand)]
    for code in sorted(sums):  # "205" < "20503" < "2050399" < "208": 类, 款, 项
        if any(sums[code].values()):
            rows.append(table.row(code=code, name=names.get("function", code), **sums[code]))
    return rows


def economic_tree(lines: Iterable[Line], names: Names) -> list[Row]:
    """T6: general-budget basic expenditure by economic 类/款: 合计, 人员经费, 公用经费. A region's own
    code is a row of its own as the region prints it: a 款 of its own beside the standard ones, or a
    sub-item (a longer code beginning with its standard 款) under that 款, whose row is their sum; its
    类 is its standard 款's."""
    t = tables.T6
    sums: dict[str, dict[str, Decimal]] = defaultdict(lambda: dict(total=ZERO, personnel=ZERO, public=ZERO))
    grand = dict(total=ZERO, personnel=ZERO, public=ZERO)
    for line in lines:
        col = "personnel" if is_personnel(line.economic) else "public"
        targets = [sums[line.economic[:3]], sums[line.economic], grand]
        standard = names.standard(line.economic)
        if standard != line.economic and line.economic.startswith(standard):  # a region's sub-item: under its 款
            targets.append(sums[standard])
        for target in targets:
            target["total"] += line.amount
            target[col] += line.amount
    rows: list[Row] = [t.row(code="", name="合计", **grand)]
    for code in sorted(sums):
        if any(sums[code].values()):
            rows.append(t.row(code=code, name=names.get("economic", code), **sums[code]))
    return rows


def _t2_columns(pooled: bool) -> Callable[[Line], list[str]]:
    """This year's income by source (the other sources in one where ``pooled``), or the 上年结转 (结余) column."""
    column_of = tables.T2_POOLED_COLUMN_OF_FUND if pooled else tables.T2_COLUMN_OF_FUND
    return lambda line: ["carry_in"] if line.carryover or line.surplus else ["income", column_of[line.fund]]


def _t3_columns(line: Line) -> list[str]:
    return [tables.KIND_KEYS[line.kind]]


def _fiscal_columns(fund: str) -> Callable[[Line], list[str] | None]:
    """T5, T7, T8: 合计, 基本支出, 项目支出 of one fiscal fund."""
    def columns(line: Line) -> list[str] | None:
        if line.fund != fund:
            return None
        return ["basic" if line.kind == BASIC else "project"]
    return columns


def _ordinal_label(i: int, text: str) -> str:
    return f"{chinese_ordinal(i)}、{text}"


def table_t1(lines: list[Line], income: dict[str, Decimal], details: list, carry_in: Decimal, surplus: Decimal,
             carry_out: Decimal, classes: list[ExpenditureClass], pooled: bool = False) -> list[Row]:
    """收支总表: income sources (with their 其中 lines) beside the 31 expenditure classes, then the
    totals; carry-over as one row 上年结转结余, or 上年结转 and 使用非财政拨款结余 when a 结余 is used.
    ``pooled``: one row for the other sources, given as one total (单位资金)."""
    t = tables.T1
    by_class: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        by_class[line.function[:3]] += line.amount
    sources: list[tuple[Fund, tuple[str, ...]]] = [(f, (f.name,)) for f in FUNDS if not (pooled and f.name in OTHER_SOURCES)]
    sources += [(POOLED, OTHER_SOURCES + (POOLED.name,))] if pooled else []
    left: list[dict] = []
    for i, (fund, names) in enumerate(sources):
        left.append(dict(income_item=_ordinal_label(i + 1, fund.income_label),
                         income=total(income.get(name, ZERO) for name in names)))
        left += [dict(income_item=f"其中：{d.label}", income=d.amount) for d in details if d.fund in names]
    rows: list[Row] = []
    for i in range(max(len(left), len(classes))):
        side = left[i] if i < len(left) else dict(income_item="", income=None)
        right = (dict(expenditure_item=classes[i].label, expenditure=by_class.get(classes[i].code, ZERO))
                 if i < len(classes) else dict(expenditure_item="", expenditure=None))
        rows.append(t.row(**side, **right))
    income_total = total(income.values())
    spent = total(l.amount for l in lines)
    rows.append(t.row(income_item="本年收入合计", income=income_total, expenditure_item="本年支出合计", expenditure=spent))
    if surplus:
        rows.append(t.row(income_item="上年结转", income=carry_in, expenditure_item="年终结转结余", expenditure=carry_out))
        rows.append(t.row(income_item="使用非财政拨款结余", income=surplus, expenditure_item="", expenditure=None))
    else:
        rows.append(t.row(income_item="上年结转结余", income=carry_in, expenditure_item="年终结转结余",
                          expenditure=carry_out))
    rows.append(t.row(income_item="收入总计", income=income_total + carry_in + surplus, expenditure_item="支出总计",
                      expenditure=spent + carry_out))
    return rows


def table_t4(lines: list[Line], income: dict[str, Decimal], carry_in: dict[str, Decimal],
             carry_out: dict[str, Decimal], classes: list[ExpenditureClass]) -> list[Row]:
    t, keys = tables.T4, tables.FISCAL_KEYS
    fiscal = [l for l in lines if l.fund in FISCAL_FUNDS]
    by_class: dict[str, dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(["total", *keys.values()], ZERO))
    for line in fiscal:
        v = by_class[line.function[:3]]
        v["total"] += line.amount
        v[keys[line.fund]] += line.amount
    labels = [_ordinal_label(i + 1, f) for i, f in enumerate(FISCAL_FUNDS)]
    rows: list[Row] = []
    for i, cls in enumerate(classes):
        left = (dict(income_item=labels[i], income=income.get(FISCAL_FUNDS[i], ZERO)) if i < len(FISCAL_FUNDS)
                else dict(income_item="", income=None))
        rows.append(t.row(**left, expenditure_item=cls.label, **by_class.get(cls.code, {})))
    income_total = total(income.get(f, ZERO) for f in FISCAL_FUNDS)
    spent = {keys[f]: total(l.amount for l in fiscal if l.fund == f) for f in FISCAL_FUNDS}
    out = {keys[f]: carry_out.get(f, ZERO) for f in FISCAL_FUNDS}
    in_ = {f: carry_in.get(f, ZERO) for f in FISCAL_FUNDS}
    rows.append(t.row(income_item="本年收入合计", income=income_total, expenditure_item="本年支出合计",
                      total=total(spent.values()), **spent))
    rows.append(t.row(income_item="年初财政拨款结转和结余", income=total(in_.values()),
                      expenditure_item="年末财政拨款结转和结余", total=total(out.values()), **out))
    for i, f in enumerate(FISCAL_FUNDS):
        rows.append(t.row(income_item=labels[i], income=in_[f], expenditure_item="", total=None,
                          **dict.fromkeys(keys.values())))
    rows.append(t.row(income_item="收入总计", income=income_total + total(in_.values()), expenditure_item="支出总计",
                      total=total(spent.values()) + total(out.values()),
                      **{k: spent[k] + out[k] for k in keys.values()}))
    return rows


def table_t9(units: list[Unit]) -> list[Row]:
    """财政拨款“三公”经费 by category (vehicle purchase and running summed in their own row), by fiscal fund;
    every cell blank (None) when some unit does not state its 三公."""
    t, keys = tables.T9, tables.FISCAL_KEYS
    if not all(u.sangong_given for u in units):
        labels = [SANGONG_TOTAL] + [label for c in SANGONG for label in
                                    ((SANGONG_VEHICLES_LABEL,) if c.name == VEHICLE_CATEGORIES[0] else ()) + (c.t9_label,)]
        return [t.row(item=label) for label in labels]
    cat: dict[str, dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(["total", *keys.values()], ZERO))
    for u in units:
        for l in u.sangong:
            cat[l.category]["total"] += l.amount
            cat[l.category][keys[l.fund]] += l.amount

    def add(*names: str) -> dict[str, Decimal]:
        return {k: total(cat[n][k] for n in names) for k in ["total", *keys.values()]}

    rows = [t.row(item=SANGONG_TOTAL, **add(*SANGONG_CATEGORIES))]
    for c in SANGONG:
        if c.name == VEHICLE_CATEGORIES[0]:  # the vehicles row comes before its two parts
            rows.append(t.row(item=SANGONG_VEHICLES_LABEL, **add(*VEHICLE_CATEGORIES)))
        rows.append(t.row(item=c.t9_label, **add(c.name)))
    return rows


def paragraphs(text: str | None) -> list[str]:
    """Prose is written one paragraph per line."""
    return [p.strip() for p in (text or "").splitlines() if p.strip()]


# ------------------------------------------------------------------ narrative figures

@dataclass
class Figures:
    """The numbers the narrative (情况说明) prints, for one scope."""

    income_total: Decimal = ZERO         # 收入总计: this year's income and 上年结转结余
    income_this_year: Decimal = ZERO
    income_general: Decimal = ZERO
    income_fund: Decimal = ZERO
    income_capital: Decimal = ZERO
    income_special_account: Decimal = ZERO
    income_other_sources: Decimal = ZERO
    carry_in: Decimal = ZERO
    carry_surplus: Decimal = ZERO        # 使用非财政拨款结余
    carry_out: Decimal = ZERO
    expenditure_total: Decimal = ZERO
    basic: Decimal = ZERO
    economic_known: bool = True          # basic expenditure is broken down by economic code
    personnel: Decimal | None = ZERO     # None: no economic breakdown was given
    public: Decimal | None = ZERO
    project: Decimal = ZERO
    project_own: Decimal = ZERO          # 本级支出: every project is the unit's own
    operating: Decimal = ZERO
    to_superior: Decimal = ZERO
    to_subordinate: Decimal = ZERO
    running_costs: Decimal | None = ZERO  # None: a counted unit gives no economic breakdown
    has_running_costs: bool = False      # some unit of the scope is 行政 or 参公, or states its 机关运行经费
    running_costs_unknown: bool = False  # some unit gives no 单位性质 and no 机关运行经费: nothing is said of it
    projects_listed_all: bool = True     # the projects listed (by name) make up all 项目支出
    sangong: Decimal | None = ZERO       # None: some unit does not state its 三公
    sangong_known: bool = True
    sangong_vehicles: Decimal = ZERO
    sangong_vehicles_prior: Decimal = ZERO
    sangong_prior_known: bool = True
    procurement: Decimal | None = ZERO   # None: some unit does not state it
    procurement_by_category: dict = field(default_factory=dict)  # goods/works/services → amount
    procurement_itemised: bool = True    # False: only category totals were given
    sme_reserved: Decimal = ZERO
    sme_small_micro: Decimal | None = None
    asset_purchases: Decimal | None = ZERO  # None: some purchase does not say whether it is a fixed asset
    assets_value: Decimal | None = ZERO  # None: not every value is known
    assets_count: Decimal | None = ZERO
    # the prior year's budget and the changes against it (None: no prior year given)
    prior_total: Decimal | None = None
    prior_basic: Decimal | None = None
    prior_project: Decimal | None = None
    prior_other: Decimal | None = None
    prior_fiscal: Decimal | None = None
    change_total: Decimal | None = None
    change_basic: Decimal | None = None
    change_project: Decimal | None = None
    change_other: Decimal | None = None
    change_fiscal: Decimal | None = None
    prior_change_only: bool = False      # the sources give the change alone: prior_total is derived, not a source's
    fiscal_expenditure: Decimal = ZERO   # this year's expenditure from 财政拨款

    @property
    def other_kinds(self) -> Decimal:
        return self.operating + self.to_superior + self.to_subordinate

    @property
    def has_prior(self) -> bool:
        return self.prior_total is not None


@dataclass
class IncomeDetailSum:
    """A 其中 line under an income source, summed over the scope's units."""

    fund: str
    label: str
    amount: Decimal


@dataclass
class SangongComparison:
    """A row of the narrative's 三公 comparison with the prior year."""

    category: str  # a category name, or 合计
    label: str
    prior: Decimal | None    # None: the sources do not give the prior year's 三公
    current: Decimal | None  # None: the sources do not give this year's 三公
    change: Decimal | None
    reason: str | None


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
    t6_complete: bool = True  # T6 shows all general-budget basic expenditure (each unit breaks it down by economic code)
    t7: list[Row] = field(default_factory=list)
    t8: list[Row] = field(default_factory=list)
    t9: list[Row] = field(default_factory=list)
    figures: Figures = field(default_factory=Figures)
    running_costs: list[tuple[str, Decimal]] = field(default_factory=list)
    projects: list = field(default_factory=list)  # model.Project, in source order
    sangong_comparison: list[SangongComparison] = field(default_factory=list)
    procurement: list[Row] = field(default_factory=list)
    assets: list[Row] = field(default_factory=list)
    assets_as_of: str = ""
    texts: dict = field(default_factory=dict)
    income_details: list[IncomeDetailSum] = field(default_factory=list)
    # each optional section (vocabulary.OPTIONAL_SECTIONS): stated, none or unstated for the scope
    states: dict[str, str] = field(default_factory=dict)
    t1_pooled: bool = False  # some unit's other sources are given as one income total (单位资金): one T1 row
    t2_pooled: bool = False  # … or some spending of theirs names no one of them: T2 is tables.T2_POOLED

    def shown(self, table: Table) -> Table:
        """The table this scope's rows of ``table`` are in (T2_POOLED for T2 where t2_pooled)."""
        return tables.T2_POOLED if table is tables.T2 and self.t2_pooled else table


def _running_costs(general_basic_econ: list[Line], units: list[Unit], names: Names) -> list[tuple[str, Decimal]]:
    """机关运行经费 item by item: 公用经费 economic items, with the sources' prose splits."""
    splits = defaultdict(list)
    for u in units:
        for part in u.running_costs:
            splits[part.economic].append(part)
    public_items: dict[str, Decimal] = defaultdict(lambda: ZERO)
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
    return [(label, v) for (code, label), v in items.items() if v]


def compute_scope(dept: Department, units: list[Unit], names: Names, kind: str) -> Scope:
    unit = units[0] if kind == "unit" else None
    scope = Scope(kind, unit.code if unit else dept.code, unit.name if unit else dept.name, units)
    classes = names.catalogue.classes
    lines = [l for u in units for l in u.function_lines()]
    income: dict[str, Decimal] = defaultdict(lambda: ZERO)
    carry_in: dict[str, Decimal] = defaultdict(lambda: ZERO)
    carry_out: dict[str, Decimal] = defaultdict(lambda: ZERO)
    surplus: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for u in units:
        for src, dst in ((u.income, income), (u.carry_in, carry_in), (u.carry_out, carry_out),
                         (u.carry_surplus, surplus)):
            for fund, loc in src.items():
                dst[fund] += loc.value
    details: dict[tuple[str, str], Decimal] = {}
    for u in units:
        for d in u.income_details:
            details[(d.fund, d.label)] = details.get((d.fund, d.label), ZERO) + d.amount
    scope.income_details = [IncomeDetailSum(fund, label, v) for (fund, label), v in details.items()]

    # the other sources as one total (单位资金): one T1 row where the income is, one T2 column where it or a line is
    scope.t1_pooled = any(POOLED.name in u.income for u in units)
    scope.t2_pooled = scope.t1_pooled or any(l.fund == POOLED.name for l in lines)
    scope.t1 = table_t1(lines, income, scope.income_details, total(carry_in.values()), total(surplus.values()),
                        total(carry_out.values()), classes, scope.t1_pooled)
    scope.t2 = function_tree(scope.shown(tables.T2), lines, _t2_columns(scope.t2_pooled), names)
    scope.t3 = function_tree(tables.T3, lines, _t3_columns, names)
    scope.t4 = table_t4(lines, income, carry_in, carry_out, classes)
    for fund, table in tables.FISCAL_TREES.items():
        setattr(scope, table.key, function_tree(table, lines, _fiscal_columns(fund), names))
    general_basic_econ = [l for u in units for l in u.economic_lines() if l.fund == GENERAL]
    scope.t6 = economic_tree(general_basic_econ, names)
    scope.t6_complete = all(u.general_economic_known for u in units)
    scope.t9 = table_t9(units)
    scope.states = {section.key: scope_state(u.state(section.key) for u in units) if section.unit
                    else dept.state(section.key) for section in OPTIONAL_SECTIONS}

    # ---- 情况说明 figures
    basic_econ_all = [l for u in units for l in u.economic_lines()]
    personnel = total(l.amount for l in basic_econ_all if is_personnel(l.economic))
    by_kind = {k: total(l.amount for l in lines if l.kind == k) for k in (BASIC, PROJECT, *OTHER_KINDS)}
    income_total = total(income.values())
    f = scope.figures
    f.income_total = income_total + total(carry_in.values()) + total(surplus.values())
    f.income_this_year = income_total
    f.income_general = income[GENERAL]
    f.income_fund = income[GOVERNMENT_FUND]
    f.income_capital = income[STATE_CAPITAL]
    f.income_special_account = income[SPECIAL_ACCOUNT]
    f.income_other_sources = total(income[k] for k in OTHER_SOURCES + (POOLED.name,))
    f.carry_in = total(carry_in.values())
    f.carry_surplus = total(surplus.values())
    f.carry_out = total(carry_out.values())
    f.expenditure_total = total(l.amount for l in lines)
    f.basic = by_kind[BASIC]
    f.economic_known = all(u.economic_known for u in units)
    f.personnel = personnel if f.economic_known else None
    f.public = by_kind[BASIC] - personnel if f.economic_known else None
    f.project = by_kind[PROJECT]
    f.project_own = by_kind[PROJECT]
    f.operating = by_kind[OPERATING]
    f.to_superior = by_kind[TO_SUPERIOR]
    f.to_subordinate = by_kind[TO_SUBORDINATE]

    f.fiscal_expenditure = total(l.amount for l in lines if l.fund in FISCAL_FUNDS)
    prior = prior_year(dept, units, kind == "department") or {}
    scope.states["prior-year"] = STATED if prior else UNSTATED  # its own, a single unit's department's, history's
    if "total" in prior:
        f.prior_total, f.change_total = prior["total"], f.expenditure_total - prior["total"]
    elif "change" in prior:  # only the change is published: last year's total is this year's less it
        f.prior_total, f.change_total = f.expenditure_total - prior["change"], prior["change"]
        f.prior_change_only = True
    if "basic" in prior:
        f.prior_basic, f.prior_project, f.prior_other = prior["basic"], prior["project"], prior["other"]
        f.change_basic = f.basic - prior["basic"]
        f.change_project = f.project - prior["project"]
        f.change_other = f.other_kinds - prior["other"]
    if "fiscal" in prior:
        f.prior_fiscal, f.change_fiscal = prior["fiscal"], f.fiscal_expenditure - prior["fiscal"]

    # 机关运行经费: the general-budget basic 公用经费 of the 行政 and 参公 units only.
    # A unit may state it directly (running_costs_stated); a unit with no 单位性质 that does not leaves it unknown.
    counted = [u for u in units if counts_running_costs(dept, u)]
    stated = [u.running_costs_stated for u in units if u.running_costs_stated is not None]
    counted_econ = [l for u in counted for l in u.economic_lines() if l.fund == GENERAL]
    f.has_running_costs = bool(counted or stated)
    f.running_costs_unknown = any(not u.nature and u.running_costs_stated is None for u in units)
    f.running_costs = (total(l.amount for l in counted_econ if not is_personnel(l.economic)) + total(s[0] for s in stated)
                       if all(u.economic_known for u in counted) and not f.running_costs_unknown else None)
    scope.running_costs = _running_costs(counted_econ, counted, names)
    if stated:  # stated items, summed by label over the units that state them
        items: dict[str, Decimal] = dict(scope.running_costs)
        for _, parts, _ in stated:
            for label, value in parts:
                items[label] = items.get(label, ZERO) + value
        scope.running_costs = [(label, v) for label, v in items.items() if v]
        if total(v for _, v in scope.running_costs) != f.running_costs:
            scope.running_costs = []  # items not given for all of it: the figure alone
    scope.projects = [p for u in units for p in u.projects]
    f.projects_listed_all = total(p.amount for p in scope.projects) == f.project

    # 三公 comparison with the prior year.
    current, prior_sg = sangong_by_category(units)
    texts = scope_texts(dept, unit)
    reasons = texts.get("sangong_reasons") or {}
    labels = {c.name: c.comparison for c in SANGONG} | {SANGONG_TOTAL: SANGONG_TOTAL}
    known = sangong_prior_known(units)
    given = all(u.sangong_given for u in units)
    scope.sangong_comparison = [
        SangongComparison(c, labels[c], prior_sg[c] if known else None, current[c] if given else None,
                          current[c] - prior_sg[c] if known else None, reasons.get(c))
        for c in (*SANGONG_CATEGORIES, SANGONG_TOTAL)]
    f.sangong_prior_known = known
    f.sangong_known = all(u.sangong_given for u in units)
    f.sangong = current[SANGONG_TOTAL] if f.sangong_known else None
    f.sangong_vehicles = total(current[c] for c in VEHICLE_CATEGORIES)
    f.sangong_vehicles_prior = total(prior_sg[c] for c in VEHICLE_CATEGORIES)

    # 政府采购: items (listed in the table) and, for a unit that gives only totals, its summary.
    pt = tables.PROCUREMENT
    project_amounts = {p.name: p.amount for p in scope.projects}
    items = [i for u in units for i in u.procurement]
    summaries = [{k: v.value for k, v in u.procurement_summary.items()} for u in units if u.procurement_summary]
    categories = [key for key, _ in PROCUREMENT_CATEGORIES.values()]
    scope.procurement = [pt.row(
        project=item.project or BASIC, project_amount=project_amounts.get(item.project) if item.project else None,
        item=item.item, catalogue_no=item.catalogue_no, measure=item.measure, quantity=item.quantity,
        unit_price=item.unit_price, total=item.total,
        **{f"pfund{i}": item.funds.get(k, ZERO) for i, k in enumerate(PROCUREMENT_FUNDS)},
        sme_reserved=item.sme_reserved) for item in items]
    by_category: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for item in items:
        by_category[item.category] += item.total
    for ps in summaries:
        for key in categories:
            by_category[key] += ps.get(key, ZERO)
    f.procurement = total(i.total for i in items) + total(ps.get(k, ZERO) for ps in summaries for k in categories)
    if scope.states["procurement"] == UNSTATED:  # some unit does not state it: the sum is not the scope's
        f.procurement = None
    f.procurement_itemised = not summaries
    f.procurement_by_category = {k: v for k, v in by_category.items() if k and v}
    f.sme_reserved = total(i.sme_reserved for i in items) + total(ps.get("sme_reserved", ZERO) for ps in summaries)
    small_micro = [i.sme_small_micro for i in items] + [ps.get("sme_small_micro") for ps in summaries]
    f.sme_small_micro = total(small_micro) if small_micro and None not in small_micro else None
    f.asset_purchases = (None if any(i.fixed_asset is None for i in items) or any("fixed_assets" not in ps for ps in summaries)
                         or f.procurement is None
                         else total(i.total for i in items if i.fixed_asset) + total(ps["fixed_assets"] for ps in summaries))

    # 国有资产: the department's is the sum of its units'. 房屋 count is an area, not a count. A figure
    # some unit does not give is unknown (None) for the scope, and so is every total that needs it.
    sums: dict[str, list] = {a.key: [ZERO, ZERO] for a in ASSETS}
    given_totals: list = []
    for u in units:
        if u.assets is None:  # not stated: nothing of the scope's assets is known
            sums = {a.key: [None, None] for a in ASSETS}
            given_totals.append(None)
            continue
        scope.assets_as_of = max(scope.assets_as_of, u.assets.as_of)
        given_totals.append(u.assets.total)
        for key, (count, value) in u.assets.items.items():
            for i, v in enumerate((count, value)):
                sums[key][i] = None if v is None or sums[key][i] is None else sums[key][i] + v
    if scope.states["assets"] == UNSTATED:
        scope.assets_as_of = ""

    def known_total(values: list) -> Decimal | None:
        return None if any(v is None for v in values) else total(values)

    totals = [known_total([sums[a.key][0] for a in ASSETS if a.counted and not a.parent]),
              known_total([sums[a.key][1] for a in ASSETS if a.valued])]
    for i in (0, 1):  # a total the units give (validation proves it agrees where parts are known)
        if totals[i] is None and given_totals and all(t is not None and t[i] is not None for t in given_totals):
            totals[i] = total(t[i] for t in given_totals)
    at = tables.ASSETS
    scope.assets = [at.row(label=ASSETS_TOTAL_LABEL, count=totals[0], value=totals[1])]
    scope.assets += [at.row(label=a.label, count=sums[a.key][0], value=sums[a.key][1]) for a in ASSETS]
    f.assets_count, f.assets_value = totals

    # Texts: a unit's prose falls back to the department's.
    scope.texts = {k: texts.get(k) for k in TEXT_KEYS}
    return scope


@dataclass
class Publication:
    department: Department
    names: Names
    scope: Scope  # the department as a whole
    units: list[Scope]
    revision: object = None  # gitsrc.Revision: where the sources come from (None outside git)
    stamp_on_cover: bool = False  # the revision printed on the cover too (budgetpub.toml stamp = "cover")


def compute(dept: Department, names: Names) -> Publication:
    return Publication(dept, names, compute_scope(dept, dept.units, names, "department"),
                       [compute_scope(dept, [u], names, "unit") for u in dept.units])


# Funds listed in the vocabulary but shown in no T2 column would be silently dropped.
assert set(tables.T2_POOLED_COLUMN_OF_FUND) == set(FUND) == set(tables.T2_COLUMN_OF_FUND) | {POOLED.name}
