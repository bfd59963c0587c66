"""The vocabulary of a budget publication, stated once.

Every budget term the sources, the schemas, the computation, the context and
the template builder use is defined here, with the Chinese words each place
prints for it. Schemas take their ``allowed`` lists from here at load time
(``allowed_from: NAME`` in schemas/*.yaml, see ``ALLOWED``), the table
catalogue (tables.py) takes its header words from here, and the checks name
terms through here. A new fund, category or kind is one edit in this file.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fund:
    """An income source (收入来源), in the order of 收支总表."""

    name: str           # as authors write it and T1 prints it: 一般公共预算拨款
    t2_header: str      # the 收入总表 column it is counted in
    fiscal: bool        # 财政拨款 (T4–T9 and 三公 are about these only)
    fiscal_header: str = ""  # T4 / T9 column header, for a fiscal fund
    t9_header: str = ""      # T9 column header, for a fiscal fund

    @property
    def income_label(self) -> str:
        """T1's left column: 一般公共预算拨款收入, 事业收入 (a word ending in 收入 is kept)."""
        return self.name if self.name.endswith("收入") else self.name + "收入"


FUNDS: tuple[Fund, ...] = (
    Fund("一般公共预算拨款", "财政拨款收入", True, "一般公共预算财政拨款", "一般公共预算财政拨款"),
    Fund("政府性基金预算拨款", "财政拨款收入", True, "政府性基金预算财政拨款", "政府性基金预算拨款"),
    Fund("国有资本经营预算拨款", "财政拨款收入", True, "国有资本经营预算财政拨款", "国有资本经营预算财政拨款"),
    Fund("财政专户管理资金", "财政专户收入", False),
    Fund("事业收入", "事业收入", False),
    Fund("事业单位经营收入", "经营收入", False),
    Fund("上级补助收入", "上级补助收入", False),
    Fund("附属单位上缴收入", "附属单位上缴收入", False),
    Fund("其他收入", "其他收入", False),
)
FUND_NAMES = tuple(f.name for f in FUNDS)
FISCAL_FUNDS = tuple(f.name for f in FUNDS if f.fiscal)
GENERAL, GOVERNMENT_FUND, STATE_CAPITAL, SPECIAL_ACCOUNT = FUND_NAMES[:4]
OTHER_SOURCES = FUND_NAMES[4:]  # 其他来源收入 of the narrative
# The other sources (OTHER_SOURCES) as one total, where a publication does not split them: 单位资金 of
# 预算管理一体化 (the seed's 政府采购 table has the column). Authors write it as a fund (income and lines); a
# scope that has it prints one 收支总表 row and one 收入总表 column for all the other sources (tables.T2_POOLED).
POOLED = Fund("单位资金", "单位资金", False)
FUND = {f.name: f for f in FUNDS + (POOLED,)}

# Expenditure kinds (支出类型), in the order of 支出总表.
BASIC, PROJECT = "基本支出", "项目支出"
OPERATING, TO_SUPERIOR, TO_SUBORDINATE = "经营支出", "上解上级支出", "对附属单位补助支出"
OTHER_KINDS = (OPERATING, TO_SUPERIOR, TO_SUBORDINATE)
KINDS = (BASIC, PROJECT) + OTHER_KINDS
OTHER_KINDS_LABEL = "其他支出（经营、上解、对附属单位补助）"  # the three kinds in one word


@dataclass(frozen=True)
class SangongCategory:
    """A “三公” category, the economic 款 that books the same spending, and its words."""

    name: str         # as authors write it: 因公出国（境）费
    key: str          # for templates: abroad, buy, run, host
    economic: str     # 30212 …: a category is never below this economic item
    comparison: str   # label in the narrative's comparison table
    t9_label: str     # label in T9


SANGONG: tuple[SangongCategory, ...] = (
    SangongCategory("因公出国（境）费", "abroad", "30212", "因公出国经费", "一、因公出国（境）费"),
    SangongCategory("公务用车购置费", "buy", "31013", "公务用车购置经费", "其中：公务用车购置费"),
    SangongCategory("公务用车运行维护费", "run", "30231", "公务用车运行经费", "公务用车运行维护费"),
    SangongCategory("公务接待费", "host", "30217", "公务接待费支出", "三、公务接待费"),
)
SANGONG_CATEGORIES = tuple(c.name for c in SANGONG)
SANGONG_TOTAL = "合计"
SANGONG_VEHICLES_LABEL = "二、公务用车购置及运维费"  # T9's row for 购置 + 运维
VEHICLE_CATEGORIES = (SANGONG[1].name, SANGONG[2].name)


@dataclass(frozen=True)
class AssetKind:
    """A row of 固定资产占用情况表: ``parent`` is the row it is a part of (其中);
    ``counted`` says whether its count adds to the total count (房屋 counts square metres)."""

    key: str
    label: str
    parent: str | None = None
    counted: bool = True
    valued: bool = True  # its value adds to the total value (a top-level row)


ASSETS: tuple[AssetKind, ...] = (
    AssetKind("buildings", "1、房屋（平方米）", counted=False),
    AssetKind("office_buildings", "其中：办公用房（平方米）", "buildings", counted=False, valued=False),
    AssetKind("vehicles", "2、车辆（台、辆）"),
    AssetKind("equipment", "3、单价在50万元以上的设备(台、套)"),
    AssetKind("general_equipment", "其中：单价50万元（含）以上的通用设备", "equipment", valued=False),
    AssetKind("special_equipment", "单价100万元（含）以上的专用设备", "equipment", valued=False),
    AssetKind("other", "4、其他固定资产"),
)
ASSET_KEYS = tuple(a.key for a in ASSETS)
ASSET = {a.key: a for a in ASSETS}
ASSETS_TOTAL_LABEL = "固定资产总额"
# Short words for messages (an office building is part of the buildings).
ASSET_WORDS = {"buildings": "房屋", "office_buildings": "其中：办公用房", "equipment": "单价50万元以上的设备",
               "general_equipment": "通用设备", "special_equipment": "专用设备"}

# Funds a procurement item may be paid from: the procurement table's columns.
PROCUREMENT_FUNDS = (GENERAL, GOVERNMENT_FUND, STATE_CAPITAL, SPECIAL_ACCOUNT,
                     "单位资金", "财政拨款结转", "非财政拨款结转结余")
PROCUREMENT_HEADERS = ("一般公共预算拨款", "基金预算拨款", "国有资本经营预算拨款", "财政专户核拨",
                       "单位资金", "财政拨款结转", "非财政拨款结转结余")

# Performance indicators: the first level (一级指标) and the level-2 row that holds the cost.
INDICATOR_LEVELS = ("产出指标", "效益指标", "满意度指标")
# Columns of the 绩效目标表 a region may leave out (the others are always published).
OPTIONAL_INDICATOR_COLUMNS = ("description", "basis")
COST_INDICATOR = "成本指标"

MONEY_UNITS = ("万元", "元")

# What a publication is: 部门预算 (the department and each of its units) or 单位预算 (one unit alone).
DEPARTMENT_BUDGET, UNIT_BUDGET = "部门预算", "单位预算"
PUBLICATION_KINDS = (DEPARTMENT_BUDGET, UNIT_BUDGET)

# 政府采购 categories: the first letter of the 政府采购目录序号 (A02010104 is 货物).
PROCUREMENT_CATEGORIES = {"A": ("goods", "货物"), "B": ("works", "工程"), "C": ("services", "服务")}

# The note under a table whose figures the sources do not give (the table is printed blank) or give in
# part (基本支出表: some basic expenditure has no economic breakdown, 未列入本表); the verifier reads it
# (a table "not shown" is not added up; one "shown in part" is not compared with the table it is part of).
TABLE_NOT_SHOWN = "本表不列示"
TABLE_PART_SHOWN = "未列入本表"

@dataclass(frozen=True)
class OptionalSection:
    """A part of the publication the sources may give or not. Each is in one of three states:
    stated (printed); stated as none (``[]`` or ``none: true``: printed as the seed prints none,
    0.00 where the seed writes 0.00); not stated (absent: the text says nothing of it, its table
    cells are blank, never 0.00, and check warns naming the key to write)."""

    key: str      # the state's key (model.Unit.states / Department.states) and the rule code's first part
    write: str    # where the sources state it (a field path)
    name: str     # what it is, as the warning says it
    none: str     # how the sources say there is none
    unit: bool = True  # stated per unit (False: in department.yaml)
    # the section of 情况说明 left out (with its contents entry) where no part printed states it: one that
    # would hold its heading alone (a table printed blank is kept: its blank cells say 未提供)
    section: str = ""


OPTIONAL_SECTIONS: tuple[OptionalSection, ...] = (
    OptionalSection("assets", "assets", "上年末固定资产（国有资产信息）", "assets: {none: true}"),
    OptionalSection("procurement", "procurement", "政府采购预算", "procurement: []", section="procurement"),
    OptionalSection("sangong", "sangong.current", "“三公”经费预算", "sangong: {current: []}"),
    OptionalSection("sangong-prior", "sangong.prior_year", "上年“三公”经费预算", "sangong: {prior_year: {}}"),
    OptionalSection("carryover", "carryover", "上年结转和年终结转结余", "carryover: {none: true}"),
    OptionalSection("prior-year", "prior_year", "上年预算数（比上年增减）", "prior_year: {none: true}"),
    OptionalSection("performance", "texts.performance", "部门整体绩效目标", "texts: {performance: {none: true}}",
                    unit=False),
)
OPTIONAL_SECTION = {s.key: s for s in OPTIONAL_SECTIONS}
STATED, STATED_NONE, UNSTATED = "stated", "none", "unstated"

# Personnel expenditure (人员经费) is these economic 类; every other class is 公用经费.
PERSONNEL_CLASSES = ("301", "303")
PUBLIC_CLASS = "302"  # a basic group given as 人员经费 and 公用经费 only books them on 301 and 302

@dataclass(frozen=True)
class TextField:
    """A field of ``texts:``. Prose belongs to its scope: a unit never prints the department's
    text unless the field ``falls_back`` (only what is true of any unit may). ``department_only``
    fields are printed for the department alone."""

    key: str
    falls_back: bool = False
    department_only: bool = False


TEXT_FIELDS: tuple[TextField, ...] = (
    TextField("duties"), TextField("budget_overview"), TextField("change_reasons"),
    TextField("sangong_reasons"), TextField("performance", department_only=True),
    TextField("special_funds", department_only=True), TextField("other_matters"),
)
TEXT_KEYS = tuple(t.key for t in TEXT_FIELDS)
TEXT_FIELD = {t.key: t for t in TEXT_FIELDS}

# The changes against the prior year that need a reason (texts.change_reasons.<key>).
CHANGE_REASON_KEYS = {"basic": BASIC, "project": PROJECT}

# 单位性质. 机关运行经费 counts the general-budget 公用经费 of units whose nature contains one of
# these words (行政单位 and 参照公务员法管理的事业单位); a region whose rule differs sets
# ``running_cost_natures`` in department.yaml.
RUNNING_COST_NATURES = ("行政", "参公", "参照公务员法管理")

# The sections of 情况说明, in order: each is numbered 一、二、… in the order of those printed. A region
# (templates/wording.yaml ``omit``) or a department (department.yaml ``wording.omit``) may leave out
# those with an ``omit`` word; what is left out is left out of the contents too, and the numbers close up.
@dataclass(frozen=True)
class NarrativeSection:
    key: str
    heading: str      # without its number; {word} is 部门 or 单位
    omittable: bool = False


NARRATIVE_SECTIONS: tuple[NarrativeSection, ...] = (
    NarrativeSection("duties", "{word}职责及机构设置情况"),
    NarrativeSection("overview", "{word}预算安排的总体情况"),
    NarrativeSection("running_costs", "机关运行经费安排情况"),
    NarrativeSection("sangong", "财政拨款“三公”经费预算情况及增减变化原因", True),
    NarrativeSection("performance", "预算绩效信息"),
    NarrativeSection("procurement", "政府采购预算情况", True),
    NarrativeSection("assets", "国有资产信息", True),
    NarrativeSection("glossary", "名词解释", True),
    NarrativeSection("other_matters", "其他需要说明的事项"),
)
# What ``omit`` may name: the omittable sections, and the legal-basis sentence opening 情况说明 (without
# it: 现将……公开如下). Leaving out sangong leaves out the “三公”经费支出表 too, and 三公 is not asked for.
# project_targets: 预算项目绩效目标 where no project is listed for its 绩效目标表 (else the wording's
# no_project_targets sentence is printed there).
OMITTABLE_SECTIONS = ("legal_basis",) + tuple(s.key for s in NARRATIVE_SECTIONS if s.omittable) + ("project_targets",)

# ``allowed_from: NAME`` in schemas/*.yaml takes its list from here.
ALLOWED: dict[str, tuple[str, ...]] = {
    "funds": FUND_NAMES + (POOLED.name,),
    "fiscal_funds": FISCAL_FUNDS,
    "other_kinds": OTHER_KINDS,
    "sangong_categories": SANGONG_CATEGORIES,
    "sangong_reason_keys": SANGONG_CATEGORIES + (SANGONG_TOTAL,),
    "procurement_funds": PROCUREMENT_FUNDS,
    "indicator_levels": INDICATOR_LEVELS,
    "money_units": MONEY_UNITS,
    "indicator_columns": OPTIONAL_INDICATOR_COLUMNS,
    "publication_kinds": PUBLICATION_KINDS,
    "omittable_sections": OMITTABLE_SECTIONS,
}
