"""The budget as facts: plain dataclasses with Decimal amounts and source locations.

Built from schema-valid documents (see validate.py); every fact remembers the
file:line it came from, so that a cross-check can name both sides.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable

from generator.errors import Location

from .vocabulary import (
    DEPARTMENT_BUDGET,
    GENERAL,
    OPTIONAL_INDICATOR_COLUMNS,
    OPTIONAL_SECTIONS,
    PERSONNEL_CLASSES,
    PROCUREMENT_CATEGORIES,
    RUNNING_COST_NATURES,
    SANGONG_CATEGORIES,
    SANGONG_TOTAL,
    STATED,
    STATED_NONE,
    TEXT_FIELD,
    UNSTATED,
)

ZERO = Decimal("0")

def total(values: Iterable[Decimal]) -> Decimal:
    """The exact sum of amounts (zero for none)."""
    return sum(values, ZERO)


def amount(value: Any) -> Decimal:
    """A schema-valid amount (int or Decimal) as Decimal."""
    return value if isinstance(value, Decimal) else Decimal(value)


@dataclass
class Line:
    """One expenditure fact: who pays (fund), what for (function and/or
    economic code), how much. A basic-expenditure line of the functional view
    has no economic code and vice versa; an item carrying both belongs to both
    views."""

    kind: str
    fund: str
    amount: Decimal
    loc: Location
    function: str | None = None
    economic: str | None = None
    carryover: bool = False  # paid from 上年结转
    project: str | None = None
    surplus: bool = False    # paid from 使用非财政拨款结余
    code_loc: dict[str, Location] | None = None  # where "function" / "economic" is written, when not at loc


@dataclass
class Indicator:
    level1: str
    level2: str
    level3: str
    description: str
    value: str
    basis: str
    loc: Location


@dataclass
class Project:
    name: str
    line: Line
    target: str
    indicators: list[Indicator]
    quantity: tuple[Decimal, str] | None = None  # (count, unit)
    standard: tuple[Decimal, str] | None = None  # (amount, 元|万元)
    loc: Location | None = None

    @property
    def amount(self) -> Decimal:
        return self.line.amount

    @property
    def counted(self) -> bool:
        """Its amount is a line of the tables: it has a function code. A project without one is listed
        for its 绩效目标表 only; its amount is part of the unit's project_spending."""
        return self.line.function is not None


@dataclass
class Located:
    value: Any
    loc: Location


@dataclass
class IncomeDetail:
    """A 其中 line under an income source."""

    fund: str
    label: str
    amount: Decimal
    loc: Location


@dataclass
class RunningCostPart:
    economic: str
    label: str
    amount: Decimal
    loc: Location


@dataclass
class SangongLine:
    category: str
    fund: str
    amount: Decimal
    loc: Location


@dataclass
class ProcurementItem:
    project: str | None
    item: str
    catalogue_no: str
    measure: str
    quantity: Decimal
    unit_price: Decimal
    funds: dict[str, Decimal]
    sme_reserved: Decimal
    fixed_asset: bool | None  # counted in 本年度拟购置固定资产总额; None: the source does not say
    loc: Location
    sme_small_micro: Decimal | None = None  # the 小微企业 part of sme_reserved, when given

    @property
    def category(self) -> str:
        """货物 / 工程 / 服务 by the first letter of the 政府采购目录序号 (goods, works, services)."""
        return PROCUREMENT_CATEGORIES.get(self.catalogue_no[:1].upper(), ("", ""))[0]

    @property
    def total(self) -> Decimal:
        return total(self.funds.values())


def _fixed_asset(row: dict) -> bool | None:
    """Whether a procurement item buys a fixed asset: as the source says; a service never does."""
    if "fixed_asset" in row:
        return bool(row["fixed_asset"])
    category = PROCUREMENT_CATEGORIES.get(row["catalogue_no"][:1].upper(), ("", ""))[0]
    return False if category == "services" else None


@dataclass
class Assets:
    as_of: str
    items: dict[str, tuple[Decimal | None, Decimal | None]]  # key → (count, value); None: not given
    loc: Location
    total: tuple[Decimal | None, Decimal | None] | None = None  # 固定资产总额 as given


def _asset(row: dict | None) -> tuple[Decimal | None, Decimal | None]:
    row = row or {}
    return (amount(row["count"]) if row.get("count") is not None else None,
            amount(row["value"]) if row.get("value") is not None else None)


@dataclass
class Unit:
    code: str
    name: str
    nature: str
    rank: str
    funding_form: str
    doc: Any  # the parsed source file (sources/reader.py: Document): every fact is located in it
    income: dict[str, Located]
    carry_in: dict[str, Located]
    carry_out: dict[str, Located]
    basic_function: list[Line]
    basic_economic: list[Line]
    basic_items: list[Line]
    projects: list[Project]
    other: list[Line]
    running_costs: list[RunningCostPart]
    sangong: list[SangongLine]
    sangong_total: Located | None
    sangong_prior: dict[str, Located]
    sangong_prior_total: Located | None
    procurement: list[ProcurementItem]
    assets: Assets | None
    prior_year: dict[str, Located] | None
    texts: dict[str, Any]
    names: list[tuple[str, str, str, Location]] = field(default_factory=list)  # (kind, code, name, loc)
    carry_surplus: dict[str, Located] = field(default_factory=dict)  # 使用非财政拨款结余
    income_details: list["IncomeDetail"] = field(default_factory=list)  # 其中 lines
    procurement_summary: dict[str, Located] = field(default_factory=dict)  # category totals
    # each optional section (vocabulary.OPTIONAL_SECTIONS) by key: stated, none or unstated
    states: dict[str, str] = field(default_factory=dict)
    project_lines: list[Line] = field(default_factory=list)  # project_spending: by function, no project name
    # 机关运行经费 stated directly: (amount, [(label, amount)], loc); None: derived from nature and T6
    running_costs_stated: tuple[Decimal, list[tuple[str, Decimal]], Location] | None = None

    def state(self, key: str) -> str:
        return self.states.get(key, STATED)

    @property
    def sangong_given(self) -> bool:
        """The sources give this year's 三公 (sangong.current; [] for none)."""
        return self.state("sangong") != UNSTATED

    @property
    def sangong_prior_given(self) -> bool:
        """The sources give the prior year's 三公 (sangong.prior_year; a category not named is 0)."""
        return self.state("sangong-prior") != UNSTATED

    @sangong_prior_given.setter
    def sangong_prior_given(self, given: bool) -> None:
        self.states["sangong-prior"] = STATED if given else UNSTATED

    @property
    def economic_known(self) -> bool:
        """Every group of basic expenditure is broken down by economic code too."""
        return all(self._broken_down(f) for f in self.basic_function)

    @property
    def general_economic_known(self) -> bool:
        """一般公共预算基本支出表 (T6) shows all it should: every general-budget group of basic
        expenditure is broken down by economic code."""
        return all(self._broken_down(f) for f in self.basic_function if f.fund == GENERAL)

    def _broken_down(self, f: Line) -> bool:
        return any(l.fund == f.fund and l.carryover == f.carryover and l.surplus == f.surplus
                   for l in self.basic_economic)

    def function_lines(self) -> list[Line]:
        """Every expenditure line in the functional view (tables T2, T3, T5, T7, T8)."""
        return self.basic_function + self.project_expenditure() + self.other

    def project_expenditure(self) -> list[Line]:
        """项目支出 as the tables count it: the projects with a function code and project_spending."""
        return [p.line for p in self.projects if p.counted] + self.project_lines

    def economic_lines(self) -> list[Line]:
        """Basic expenditure in the economic view (table T6)."""
        return self.basic_economic


@dataclass
class Department:
    code: str
    name: str
    year: int
    money_unit: str
    government_level: str
    doc: Any  # the parsed department.yaml (sources/reader.py: Document)
    prior_year: dict[str, Located] | None
    texts: dict[str, Any]
    units: list[Unit]
    running_cost_natures: tuple[str, ...] = ()
    text_unit: str = ""        # the unit the text (and 三公) is shown in
    table_unit: str = ""       # the unit the tables are shown in
    thousands: bool = False    # tables group digits: 1,234.50
    publishes: str = DEPARTMENT_BUDGET
    wording: dict[str, str] = field(default_factory=dict)
    states: dict[str, str] = field(default_factory=dict)  # the department's own optional sections
    roster: list[dict] = field(default_factory=list)  # department.yaml units: 部门预算单位构成 as published
    unit_budgets: bool = True  # False: no 第二部分 (the unit files hold facts, they are not published units)
    omit: tuple[str, ...] = ()  # sections the region (or the department) leaves out (vocabulary.OMITTABLE_SECTIONS)

    def state(self, key: str) -> str:
        return self.states.get(key, STATED)

    @property
    def left_out(self) -> tuple[str, ...]:
        """The sections the publication leaves out (and its contents): those ``omit`` names, and a section
        no part printed states (OptionalSection.section: 政府采购, which would print its heading alone)."""
        parts = self.unit_budgets and self.publishes == DEPARTMENT_BUDGET  # each unit's part printed too
        unstated = [s.section for s in OPTIONAL_SECTIONS if s.section and self.units and s.section not in self.omit
                    and (all if parts else any)(u.state(s.key) == UNSTATED for u in self.units)]
        return self.omit + tuple(unstated)

    @property
    def title(self) -> str:
        """The document's title, as the cover prints it: …2024年部门预算, or 单位预算 for a unit alone."""
        return f"{self.name}{self.year}年{self.publishes}"
    indicator_columns: tuple[str, ...] = OPTIONAL_INDICATOR_COLUMNS  # optional 绩效目标表 columns published
    cost_required: bool = True           # every project's 绩效目标表 has a 成本指标 row


def scope_state(states: Iterable[str]) -> str:
    """The state of an optional section for a scope, from its units': not stated when some unit does
    not state it (a sum over the others would be printed as the whole), none when every unit states
    none, else stated."""
    states = list(states)
    if not states or UNSTATED in states:
        return UNSTATED
    return STATED_NONE if all(s == STATED_NONE for s in states) else STATED


def is_personnel(economic: str) -> bool:
    """人员经费 is 301 工资福利支出 + 303 对个人和家庭的补助; every other class is 公用经费."""
    return economic[:3] in PERSONNEL_CLASSES


def scope_texts(dept: Department, unit: Unit | None = None) -> dict[str, Any]:
    """The prose of the department, or of a unit. Prose belongs to its scope: a unit's texts are
    its own, and only a field declared ``falls_back`` (vocabulary.TEXT_FIELDS) takes the
    department's where the unit gives none."""
    if unit is None:
        return dict(dept.texts)
    texts = {k: v for k, v in unit.texts.items() if v is not None}
    for key, value in dept.texts.items():
        if TEXT_FIELD[key].falls_back and key not in texts:
            texts[key] = value
    return texts


def counts_running_costs(dept: Department, unit: Unit) -> bool:
    """机关运行经费 counts 行政单位 and 参照公务员法管理的事业单位 (or the department's own list)."""
    words = dept.running_cost_natures or RUNNING_COST_NATURES
    return unit.running_costs_stated is None and any(w in unit.nature for w in words)


PRIOR_KEYS = ("total", "basic", "project", "other", "fiscal", "change")  # change: this year's total − last year's


def prior_values(located: dict[str, "Located"] | None) -> dict[str, Decimal]:
    """The prior-year figures given, with the total derived where basic and project are given
    (other counts as zero when it is not written) and not written itself."""
    if not located:
        return {}
    values = {k: located[k].value for k in PRIOR_KEYS if k in located}
    if "basic" in values:
        values.setdefault("other", ZERO)
        values.setdefault("total", values["basic"] + values["project"] + values["other"])
    return values


def prior_year(dept: Department, units: list[Unit], whole: bool) -> dict[str, Decimal] | None:
    """The prior year's budget of the department (``whole``) or of one unit, in the detail known:
    a subset of total, basic, project, other, fiscal.

    A unit's own figures where it gives them; a single unit takes the department's. The
    department's are the sum of its units' for each figure every unit gives (validation proves
    that a department figure written as well agrees), else the department's own."""
    if not whole:
        own = units[0].prior_year
        if own:
            return prior_values(own)
        return prior_values(dept.prior_year) if dept.prior_year and len(dept.units) == 1 else None
    if dept.units and all(u.prior_year for u in dept.units):
        per_unit = [prior_values(u.prior_year) for u in dept.units]
        common = [k for k in PRIOR_KEYS if all(k in v for v in per_unit)]
        summed = {k: total(v[k] for v in per_unit) for k in common}
        if summed:
            return summed
    return prior_values(dept.prior_year) or None


def sangong_prior_known(units: list[Unit]) -> bool:
    """The prior year's 三公 is known for these units: each gives it (a category it omits is zero)
    and this year's too (a comparison with an unknown year is no comparison)."""
    return all(u.sangong_prior_given and u.sangong_given for u in units)


def sangong_by_category(units: list[Unit]) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """三公 of this year and of the prior year by category, with 合计, over ``units``."""
    current = {c: total(l.amount for u in units for l in u.sangong if l.category == c)
               for c in SANGONG_CATEGORIES}
    prior = {c: total(u.sangong_prior[c].value for u in units if c in u.sangong_prior)
             for c in SANGONG_CATEGORIES}
    current[SANGONG_TOTAL] = total(current.values())
    prior[SANGONG_TOTAL] = total(prior.values())
    return current, prior


@contextmanager
def gc_paused():
    """Reading and rendering a department allocate millions of objects that reference counting
    frees; Python's cyclic collector kept rescanning the growing model, which made a 1,000-unit
    run superlinear (+40%). It is paused for the duration and resumes (and collects) after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
