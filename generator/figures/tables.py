"""The table catalogue: the shape of every published table, stated once.

For each table: its columns (key, header words with their nesting, width,
kind) and whether it has a 序号 column and a 栏次 row. compute.py fills rows
by column key (``Table.row``), context.py formats each cell by its column's
kind, and the template builder (generator/document/template_builder.py) draws the headers,
widths and body cells from here. Adding a column is one edit here, plus the
value compute.py gives its key.

Kinds: ``code`` (centred text), ``name`` and ``label`` (left-aligned text),
``text`` (centred text), ``amount`` (money, blank when zero, as the published
tables print it), ``money`` (money, always printed), ``count`` (a quantity or
an area as written: 121, 35.5), ``note`` (centred text that may wrap: an indicator's value).

A column's width here is its design width: the rendered tables take their widths from their
contents (generator/document/widths.py) and share any room left in these proportions.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .vocabulary import (
    BASIC,
    FISCAL_FUNDS,
    FUND,
    FUNDS,
    KINDS,
    OPTIONAL_INDICATOR_COLUMNS,
    OTHER_KINDS,
    OTHER_SOURCES,
    POOLED,
    PROCUREMENT_HEADERS,
    PROJECT,
    TABLE_NOT_SHOWN,
    TABLE_PART_SHOWN,
)

NUMBER_WIDTH = 1.2  # cm of the 序号 column


@dataclass(frozen=True)
class Column:
    key: str
    header: tuple[str, ...]  # outermost first; neighbours with the same outer words share a merged cell
    width: float             # cm
    kind: str                # code | name | label | text | note | amount | money | count


@dataclass(frozen=True)
class Table:
    key: str                 # the scope attribute holding its rows: t1 … t9, procurement, …
    title: str               # after 部门预算/单位预算, e.g. 收支总表
    columns: tuple[Column, ...]
    numbered: bool = True    # a 序号 column first and a 栏次 row under the header
    landscape: bool = False
    text_unit: bool = False  # amounts in the text's money unit (三公), not the tables'

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    def index(self, key: str) -> int:
        return self.keys.index(key)

    def row(self, **values: Any) -> list:
        """A body row (序号 excluded) with each column's value by key; a missing amount is zero."""
        unknown = set(values) - set(self.keys)
        if unknown:
            raise KeyError(f"{self.key}: no column {sorted(unknown)}")
        return [values.get(c.key, Decimal(0) if c.kind in ("amount", "money") else "")
                for c in self.columns]

    def get(self, row: list, key: str) -> Any:
        return row[self.index(key)]

    @property
    def depth(self) -> int:
        """Header rows, 栏次 excluded."""
        return max(len(c.header) for c in self.columns)

    @property
    def widths(self) -> list[float]:
        return ([NUMBER_WIDTH] if self.numbered else []) + [c.width for c in self.columns]

    def header_cells(self) -> list[tuple[int, int, int, int, str]]:
        """The header as merge rectangles (row0, col0, row1, col1, words), 栏次 row included."""
        depth, offset = self.depth, 1 if self.numbered else 0
        cells: list[tuple[int, int, int, int, str]] = []
        if self.numbered:
            cells.append((0, 0, depth - 1, 0, "序号"))
        cols = self.columns
        for level in range(depth):
            i = 0
            while i < len(cols):
                header = cols[i].header
                if level >= len(header):
                    i += 1
                    continue
                j = i
                while (j + 1 < len(cols) and level < len(header) - 1 and len(cols[j + 1].header) > level
                       and cols[j + 1].header[:level + 1] == header[:level + 1]):
                    j += 1
                last_row = depth - 1 if level == len(header) - 1 else level
                cells.append((level, i + offset, last_row, j + offset, header[level]))
                i = j + 1
        if self.numbered:
            cells.append((depth, 0, depth, 0, "栏次"))
            cells += [(depth, i, depth, i, str(i)) for i in range(1, len(cols) + 1)]
        return cells


def _tree(key: str, title: str, widths: tuple[float, float], extra: list[tuple[str, tuple[str, ...], float]],
          group: str = "功能分类科目", landscape: bool = False) -> Table:
    """A function (or economic) tree: code and name under one heading, then amount columns."""
    return Table(key, title, (
        Column("code", (group, "科目编码"), widths[0], "code"),
        Column("name", (group, "科目名称"), widths[1], "name"),
        *(Column(k, h, w, "amount") for k, h, w in extra)), landscape=landscape)


def _fund_key(name: str) -> str:
    return f"fund{[f.name for f in FUNDS].index(name)}"


# The paragraph style of the tables' amounts, and the look it takes (another style of the template,
# restyleable like it) in a publication whose tables are in a given unit: amounts in 元 are four
# characters longer than in 万元 (package.py applies it; generator/document/template_builder.py defines it).
AMOUNT_STYLE = "表格数字"
AMOUNT_LOOK = {"元": "表格数字（元）"}

# T2's income columns: funds that share a header (the three 财政拨款) share a column.
T2_COLUMNS: dict[str, str] = {}
for _f in FUNDS:
    T2_COLUMNS.setdefault(_f.t2_header, f"income{len(T2_COLUMNS)}")
T2_COLUMN_OF_FUND = {f.name: T2_COLUMNS[f.t2_header] for f in FUNDS}
# 收入总表 where the other sources are given as one total (单位资金): their columns make one
T2_POOLED_COLUMN_OF_FUND = {**{name: key for name, key in T2_COLUMN_OF_FUND.items() if name not in OTHER_SOURCES},
                            **{name: "pooled" for name in OTHER_SOURCES + (POOLED.name,)}}
KIND_KEYS = {k: f"kind{i}" for i, k in enumerate(KINDS)}
FISCAL_KEYS = {name: _fund_key(name) for name in FISCAL_FUNDS}

T1 = Table("t1", "收支总表", (
    Column("income_item", ("收入", "项  目"), 5.2, "label"),
    Column("income", ("收入", "预算数"), 2.2, "amount"),
    Column("expenditure_item", ("支出", "项  目"), 6.2, "label"),
    Column("expenditure", ("支出", "预算数"), 2.2, "amount")))

T2 = _tree("t2", "收入总表", (1.8, 5.0), [
    ("total", ("合计",), 1.9), ("income", ("本年收入", "小计"), 1.9),
    *[(key, ("本年收入", header), w) for (header, key), w in zip(T2_COLUMNS.items(),
                                                                 (1.9, 1.7, 1.6, 1.6, 1.7, 1.7, 1.6))],
    ("carry_in", ("{{ s.carry_header }}",), 1.7)], landscape=True)

# 收入总表 of a scope whose other sources are given as one total (单位资金): 财政拨款收入, 财政专户收入, then one
# column for the rest. Its rows are the scope's t2 (the template prints this table or T2: s.t2_pooled).
_POOLED_COLUMNS = {key for name, key in T2_COLUMN_OF_FUND.items() if name in OTHER_SOURCES}
T2_POOLED = Table("t2_pooled", T2.title, tuple(
    c for c in T2.columns if c.key not in _POOLED_COLUMNS)[:-1] + (
    Column("pooled", ("本年收入", POOLED.t2_header), 1.9, "amount"), T2.columns[-1]), landscape=True)

T3 = _tree("t3", "支出总表", (1.9, 3.7), [
    ("total", ("合计",), 1.7),
    *[(KIND_KEYS[k], (k,), w) for k, w in zip(KINDS, (1.7, 1.7, 1.6, 1.6, 1.9))]])  # 对附属单位 on one line


def _fiscal_tree(key: str, title: str) -> Table:
    """T5, T7, T8: one fiscal fund's expenditure by function, 基本 and 项目."""
    return _tree(key, title, (2.2, 6.4), [("total", ("合计",), 2.4), ("basic", (BASIC,), 2.4),
                                          ("project", (PROJECT,), 2.4)])


T4 = Table("t4", "财政拨款收支总表", (
    Column("income_item", ("收入", "项  目"), 5.4, "label"),
    Column("income", ("收入", "金额"), 2.4, "amount"),
    Column("expenditure_item", ("支出", "项  目"), 6.4, "label"),
    Column("total", ("支出", "合计"), 2.5, "amount"),
    *(Column(FISCAL_KEYS[f], ("支出", FUND[f].fiscal_header), w, "amount")
      for f, w in zip(FISCAL_FUNDS, (2.6, 2.6, 2.6)))), landscape=True)

T5 = _fiscal_tree("t5", "一般公共预算财政拨款支出表")

T6 = _tree("t6", "一般公共预算财政拨款基本支出表", (2.2, 6.4), [
    ("total", ("一般公共预算基本支出", "合计"), 2.4), ("personnel", ("一般公共预算基本支出", "人员经费"), 2.4),
    ("public", ("一般公共预算基本支出", "公用经费"), 2.4)], group="支出部门经济分类科目")

T7 = _fiscal_tree("t7", "政府性基金预算财政拨款支出表")
T8 = _fiscal_tree("t8", "国有资本经营预算财政拨款支出表")

T9 = Table("t9", "财政拨款“三公”经费支出表", (
    Column("item", ("项  目",), 6.6, "label"),
    Column("total", ("资 金 性 质", "合计"), 2.3, "amount"),
    *(Column(FISCAL_KEYS[f], ("资 金 性 质", FUND[f].t9_header), 2.3, "amount") for f in FISCAL_FUNDS)),
    text_unit=True)

# What an empty table says under it (空表列示), and T6 when the basic expenditure is not broken down.
EMPTY_NOTES = {"t5": "注：无一般公共预算财政拨款预算，空表列示。",
               "t6": "注：无一般公共预算财政拨款基本支出预算，空表列示。",
               "t7": "注：无政府性基金预算财政拨款预算，空表列示。",
               "t8": "注：无国有资本经营预算财政拨款预算，空表列示。"}
ECONOMIC_UNSTATED_NOTE = f"注：基本支出未提供经济分类明细，{TABLE_NOT_SHOWN}。"
# T6 when some general-budget basic expenditure is broken down and some is not ({units}: the units that
# do not, or 部分 for a unit's own table), and T9 when the sources do not state the 三公 (verify reads both)
ECONOMIC_PARTIAL_NOTE = ("注：{units}的基本支出未提供经济分类明细，" + TABLE_PART_SHOWN
                         + "；本表合计小于一般公共预算财政拨款支出表的基本支出。")
SANGONG_UNSTATED_NOTE = f"注：未提供“三公”经费预算，{TABLE_NOT_SHOWN}。"
ASSETS_UNSTATED_NOTE = f"注：未提供固定资产占用情况，{TABLE_NOT_SHOWN}。"
PROCUREMENT_UNSTATED_NOTE = f"注：未提供政府采购预算，{TABLE_NOT_SHOWN}。"
PROCUREMENT_UNSTATED_TEXT = "注：未提供政府采购预算。"  # where no part of the publication prints the table

# The fiscal fund each of T5, T7, T8 shows.
FISCAL_TREES = dict(zip(FISCAL_FUNDS, (T5, T7, T8)))

NINE = (T1, T2, T3, T4, T5, T6, T7, T8, T9)

UNITS = Table("units", "机构设置情况", (
    Column("name", ("单位名称",), 7.0, "label"), Column("nature", ("单位性质",), 3.0, "text"),
    Column("rank", ("单位规格",), 3.0, "text"), Column("funding_form", ("经费保障形式",), 4.0, "text")),
    numbered=False)

# 机构设置情况's attribute columns: a column no unit of the scope gives is left out (never a blank label).
UNIT_ATTRIBUTES = ("nature", "rank", "funding_form")


def units_table(shown: tuple[str, ...]) -> Table:
    """机构设置情况 with the attribute columns ``shown`` (all of them: UNITS itself)."""
    if tuple(shown) == UNIT_ATTRIBUTES:
        return UNITS
    columns = tuple(c for c in UNITS.columns if c.key not in UNIT_ATTRIBUTES or c.key in shown)
    return Table("_".join(("units",) + tuple(shown)) if shown else "units_name", UNITS.title, columns, numbered=False)


SANGONG_COMPARISON = Table("sangong_rows", "“三公”经费比较", (
    Column("label", ("项目名称",), 4.0, "label"),
    Column("prior", ("{{ doc.prior_year }}年度预算",), 2.6, "money"),
    Column("current", ("{{ doc.year }}年度预算",), 2.6, "money"),
    Column("change", ("增减金额",), 2.6, "money"),
    Column("reason", ("变化原因",), 5.2, "label")), numbered=False, text_unit=True)

_PROCUREMENT_MONEY = "政府采购金额（当年部门预算安排资金）"
PROCUREMENT = Table("procurement", "政府采购预算", (
    Column("project", ("政府采购项目来源", "项目名称"), 2.6, "label"),
    Column("project_amount", ("政府采购项目来源", "预算资金"), 1.5, "amount"),
    Column("item", ("采购物品名称",), 2.2, "label"),
    Column("catalogue_no", ("政府采购目录序号",), 2.3, "text"),
    Column("measure", ("计量单位",), 1.0, "text"),
    Column("quantity", ("数量",), 1.0, "count"),
    Column("unit_price", ("单价",), 1.4, "amount"),
    Column("total", (_PROCUREMENT_MONEY, "合计"), 1.5, "amount"),
    *(Column(f"pfund{i}", (_PROCUREMENT_MONEY, h), w, "amount")
      for i, (h, w) in enumerate(zip(PROCUREMENT_HEADERS, (1.6, 1.4, 1.5, 1.4, 1.4, 1.4, 1.5)))),
    Column("sme_reserved", ("{{ doc.year }}年预留中小微企业份额",), 1.5, "amount")),
    numbered=False, landscape=True)

ASSETS = Table("assets", "固定资产占用情况表", (
    Column("label", ("项　　目",), 9.0, "label"), Column("count", ("数量",), 4.0, "count"),
    Column("value", ("价值（单位：{{ doc.tu }}）",), 4.0, "money")), numbered=False)

# A project's 绩效目标表: the indicator rows (the 绩效目标 row above them spans the columns); description
# and basis are the columns a region may leave out (vocabulary.OPTIONAL_INDICATOR_COLUMNS).
PERFORMANCE = Table("performance", "绩效目标表", (
    Column("level1", ("一级指标",), 2.2, "text"), Column("level2", ("二级指标",), 2.6, "text"),
    Column("level3", ("三级指标",), 3.2, "label"), Column("description", ("绩效指标描述",), 4.0, "label"),
    Column("value", ("指标值",), 2.4, "note"), Column("basis", ("指标值确定依据",), 2.6, "note")), numbered=False)


def performance_table(published: tuple[str, ...]) -> Table:
    """The 绩效目标表 with the optional columns ``published`` (its key names them: widths differ)."""
    columns = tuple(c for c in PERFORMANCE.columns if c.key not in OPTIONAL_INDICATOR_COLUMNS or c.key in published)
    return Table("_".join(("performance",) + tuple(published)), PERFORMANCE.title, columns, numbered=False)


ALL = NINE + (UNITS, SANGONG_COMPARISON, PROCUREMENT, ASSETS)
BY_KEY = {t.key: t for t in ALL}

assert set(OTHER_KINDS) < set(KIND_KEYS)  # every kind has a T3 column
