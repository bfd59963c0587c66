"""budgetpub verify: read a budget publication (.docx) and add it up again.

The reader relies only on what a reader of the document sees: headings and
table titles (…收支总表, …收入总表), header texts, cell texts and the sentences
of the 情况说明. It does not need the YAML sources, so it checks documents made
by budgetpub and documents made by hand alike.

What it checks, for the department and for each unit:

- within a table: every parent row of a function tree (类 = Σ款, 款 = Σ项) and of
  the economic tree (类 = Σ款), every 合计 row, 合计 = 基本支出 + 项目支出 (+ the
  other kinds), 合计 = 人员经费 + 公用经费, 收入总计 = 本年收入合计 + 上年结转结余,
  收入总计 = 支出总计, the 三公 rows (合计 = 出国 + 车辆 + 接待, 车辆 = 购置 + 运维);
- between tables: T1's totals and classes equal T3's; T2 and T3 have the same
  row totals; T2's income columns equal T1's income rows; T5 / T7 / T8 are the
  general-budget / fund / state-capital columns of T4; T6's 合计 is T5's 基本支出;
- 上年结转 (the stated rule): T1 shows the carry-over available (上年结转结余) and
  the carry-over left (年终结转结余); T2's 上年结转 column shows the carry-over
  spent this year, so T2 上年结转 = T1 上年结转结余 − T1 年终结转结余;
- the department against its units (when the units' tables are present): every
  amount of every table equals the sum of the units' amounts in the same row;
- the narrative against the tables: 收入, 支出, 基本支出, 人员经费, 公用经费, 项目支出,
  经营支出…, 结转结余, 机关运行经费 (and its items; a unit that states one states its T6 公用经费,
  the department's is the sum of those units'), 三公 (and the comparison table),
  政府采购, 固定资产; the 比上年增减 sentence adds up.

Amounts are Decimal, read from the cell and sentence texts. Units come from the captions and
notes (单位：元 / 单位：万元) and the sentences; an amount in 元 is compared with one in 万元 by
rounding it once (ROUND_HALF_UP, as budgetpub shows it), and a sum of such rounded figures may
differ from its rounded total by 0.005 × (parts + 1). Blank cells are zero, except in the
固定资产 and 三公 comparison tables, which print zero as 0.00 and leave unknown figures blank.
Exit code: 0 when everything agrees, 1 when there is a disagreement, 2 when the
file cannot be read as a publication.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import zipfile
import zlib
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .errors import BudgetpubError
from .money import round2, to_unit
from .ooxml import paragraph_text
from .vocabulary import FUND, FUNDS, KINDS, OTHER_SOURCES, SANGONG, TO_SUBORDINATE

ABROAD, HOST = SANGONG[0].name, SANGONG[3].name  # 三公 categories named in sentences

ZERO = Decimal(0)

# Table kinds, recognised by the end of the title above the table. Order matters:
# the longer names first (财政拨款收支总表 before 收支总表).
T1, T2, T3, T4, T5, T6, T7, T8, T9 = "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9"
PROC, ASSETS, SG_CMP = "政府采购", "固定资产", "三公比较"
_TITLE_SUFFIXES = (
    ("财政拨款收支总表", T4), ("收支总表", T1), ("收入总表", T2), ("支出总表", T3),
    ("一般公共预算财政拨款基本支出表", T6), ("一般公共预算财政拨款支出表", T5),
    ("政府性基金预算财政拨款支出表", T7), ("国有资本经营预算财政拨款支出表", T8),
    ("“三公”经费支出表", T9), ("三公经费支出表", T9), ("\"三公\"经费支出表", T9),
    ("政府采购预算", PROC), ("政府采购预算表", PROC), ("固定资产占用情况表", ASSETS),
    ("机构设置情况", "机构"), ("绩效目标表", "绩效"),
)
_ORDINAL = r"[一二三四五六七八九十]+、"
_UNIT = re.compile(r"单位[：:]\s*(万元|元)")
_NUMBER = r"-?[0-9][0-9,]*(?:\.[0-9]+)?"
_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")


class UnreadableDocument(Exception):
    """The file is not a .docx publication this reader understands (exit 2)."""


class GeneratedDocumentDisagrees(BudgetpubError):
    """A document budgetpub has just rendered does not add up: a bug in budgetpub, not in the sources."""

    exit_code = 3

    def __init__(self, result: "Result"):
        super().__init__("刚生成的文件未通过核对，未写入任何文件。这是 budgetpub 的缺陷（不是数据的错误），"
                         "请把以下内容报告给维护者：\n" + result.format())
        self.result = result


# ------------------------------------------------------------------ reading

@dataclass
class Table:
    kind: str
    title: str
    header: list[str]  # column names (the last header row, without 序号)
    rows: list[tuple[str, list[str]]]  # (序号 or "", cells without 序号)
    unit: str | None = None  # 万元 or 元, as its caption, note or header says


@dataclass
class ScopeDoc:
    name: str
    is_unit: bool
    tables: dict[str, Table] = field(default_factory=dict)
    paragraphs: list[tuple[str, str]] = field(default_factory=list)  # (section, text)
    titles: list[str] = field(default_factory=list)  # the titles of its tables, in order


def amount(text: str) -> Decimal | None:
    """A cell or sentence amount: "" is zero, "1,234.50" is 1234.50, words are None."""
    t = text.strip().replace(",", "").replace("，", "")
    if t in ("", "-", "—", "－", "——"):  # a blank or a dash: nothing (hand-made tables often dash a zero)
        return ZERO
    if _DECIMAL.fullmatch(t):
        try:
            return Decimal(t)
        except InvalidOperation:  # pragma: no cover - the pattern excludes it
            return None
    return None


def _table_kind(title: str) -> str | None:
    t = title.strip().rstrip("：:")
    for suffix, kind in _TITLE_SUFFIXES:
        if t.endswith(suffix):
            return kind
    return None


def _split_rows(rows: list[list[str]]) -> tuple[list[str], list[tuple[str, list[str]]]]:
    if rows and rows[0] and rows[0][0].replace(" ", "") == "序号":
        head = [r for r in rows if not re.fullmatch(r"[0-9]+", r[0])]
        named = [r for r in head if r[0].replace(" ", "") != "栏次"]
        header = named[-1][1:] if named else []
        body = [(r[0], r[1:]) for r in rows if re.fullmatch(r"[0-9]+", r[0])]
        return header, body
    i = 0
    while i < len(rows) and not any(c and amount(c) is not None for c in rows[i]):
        i += 1
    header = rows[i - 1] if i else []
    body = [("", r) for r in rows[i:] if any(c for c in r)]
    return header, body


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TR, _TC, _P, _TBL, _BODY, _TCPR, _GRIDSPAN, _VMERGE, _VAL = (
    _W + t for t in ("tr", "tc", "p", "tbl", "body", "tcPr", "gridSpan", "vMerge", "val"))


def _text(element) -> str:
    """The text of a paragraph as shown, without surrounding space."""
    return paragraph_text(element, line_break="").strip()


def _table_rows(tbl) -> list[list[str]]:
    """Cell texts by grid column, as a reader sees them: a cell spanning columns
    (gridSpan) or rows (vMerge) shows its text in each of them."""
    rows: list[list[str]] = []
    for tr in tbl.iterchildren(_TR):
        row: list[str] = []
        for tc in tr.iterchildren(_TC):
            pr = tc.find(_TCPR)
            span, merged = 1, False
            if pr is not None:
                g = pr.find(_GRIDSPAN)
                if g is not None:
                    span = int(g.get(_VAL, "1"))
                v = pr.find(_VMERGE)
                merged = v is not None and v.get(_VAL, "continue") == "continue"
            if merged and rows and len(rows[-1]) > len(row):
                text = rows[-1][len(row)]
            else:
                text = "\n".join([_text(p) for p in tc.iterchildren(_P)]).strip()
            row.extend([text] * span)
        rows.append(row)
    return rows


def _body_blocks(data: bytes):
    """The body's paragraphs and tables in order, each whole, read as a stream: a block is
    dropped once the caller has it, so memory does not grow with the document."""
    from lxml import etree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z, z.open("word/document.xml") as xml:
            body = None
            for event, el in etree.iterparse(xml, events=("start", "end"), tag=(_BODY, _P, _TBL),
                                             huge_tree=True, resolve_entities=False):
                if event == "start":
                    if el.tag == _BODY and body is None:
                        body = el
                    continue
                if el is body:
                    break
                if body is None or el.getparent() is not body:
                    continue  # a paragraph inside a table (read with it), or outside the body
                yield el
                el.clear()
                while el.getprevious() is not None:
                    del body[0]
            if body is None:
                raise ValueError("word/document.xml 中没有正文")
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, zlib.error, etree.XMLSyntaxError) as exc:
        raise UnreadableDocument(f"无法作为 Word 文件（.docx）读取：{exc}") from None


def read_document(data: bytes) -> list[ScopeDoc]:
    scopes: list[ScopeDoc] = []
    current = ScopeDoc("（未命名）", False)
    part_two = False
    title = ""
    section = ""
    unit: str | None = None  # the unit a caption or note announces for the next table
    for block in _body_blocks(data):
        if block.tag == _P:
            text = _text(block)
            style_el = block.find(f"{_W}pPr/{_W}pStyle")
            style = style_el.get(f"{_W}val", "") if style_el is not None else ""
            if not text or style.lower().startswith("toc"):
                continue
            short = len(text) <= 60
            if short and text.startswith("第二部分"):
                # the units' part; a table of contents mentions it before any table
                part_two = part_two or bool(current.tables or any(sc.tables for sc in scopes))
                continue
            if short and text.endswith("收支预算") and not text.startswith("第"):
                if current.tables or current.paragraphs:
                    scopes.append(current)
                name = re.sub(rf"^{_ORDINAL}", "", text)[:-len("收支预算")]
                current = ScopeDoc(name, part_two)
                title, section = "", ""
                continue
            if short and _table_kind(text):
                title = text
                current.titles.append(text)
                continue
            said = _UNIT.search(text)
            if short and said and text.replace(" ", "").startswith("单位"):  # 单位：万元 above a table
                unit = said.group(1)
                continue
            if short and re.match(_ORDINAL, text) and not re.search(r"[。；]", text):
                section = text
            elif short and text.endswith("情况说明"):
                section = ""
            current.paragraphs.append((section, text))
        else:
            rows = _table_rows(block)
            if len(rows) == 1 and len(rows[0]) <= 3 and not any(amount(c) is not None and c for c in rows[0]):
                said = [m.group(1) for m in (_UNIT.search(c) for c in rows[0]) if m]
                unit = said[0] if said else unit
                continue  # the caption line above a table (单位名称, 预算年度, 单位)
            header, body_rows = _split_rows(rows)
            kind = _table_kind(title) if title else None
            flat = "".join(rows[0]) if rows else ""
            if "增减金额" in flat and "变化原因" in flat:
                kind = SG_CMP
            title_used, title = title, ""
            in_header = [m.group(1) for m in (_UNIT.search(c) for r in rows[:3] for c in r) if m]
            table_unit, unit = (in_header[0] if in_header else unit), None
            if kind and kind not in ("机构", "绩效") and kind not in current.tables:
                current.tables[kind] = Table(kind, title_used or section, header, body_rows, table_unit)
                if title_used.startswith("单位预算") or title_used.startswith("单位政府采购"):
                    current.is_unit = True  # 单位预算收支总表 …: a unit's table
    if current.tables or current.paragraphs:
        scopes.append(current)
    scopes = [s for s in scopes if s.tables or any(sec for sec, _ in s.paragraphs)]
    if not any(s.tables for s in scopes):
        raise UnreadableDocument("文件中没有找到部门预算公开的表格（如“部门预算收支总表”），无法核对。")
    return scopes


# ------------------------------------------------------------------ checking

@dataclass
class Disagreement:
    code: str  # table.tree, table.total, table.row, table.cell, cross, units, narrative
    scope: str
    where: str
    what: str
    values: list[tuple[str, str]]  # (what each side is, its value as written)

    def format(self) -> str:
        sides = "；".join(f"{label}：{value}" for label, value in self.values)
        return f"{self.scope}｜{self.where}：{self.what}（{sides}）"


def _s(v: Decimal) -> str:
    return f"{v:f}"


def in_unit(value: Decimal | None, unit: str | None, target: str | None) -> Decimal | None:
    """``value`` shown in ``unit``, as it would be shown in ``target``: 元 → 万元 rounds once
    (ROUND_HALF_UP, as budgetpub does); an unknown unit is taken to be the target."""
    if value is None or not unit or not target or unit == target:
        return value
    if unit == "元" and target == "万元":
        return round2(to_unit(value, "元", "万元"))
    return to_unit(value, unit, target)


class Checker:
    """Counts the comparisons and collects the disagreements.

    ``rounding`` is set while the figures compared are each rounded from an exact amount in
    元 (a 万元 table or text in a document whose tables are in 元): a sum of ``parts``
    rounded figures may then differ from the rounded sum by up to 0.005 × (parts + 1)."""

    def __init__(self, yuan: bool = False) -> None:
        self.found: list[Disagreement] = []
        self.checks = 0
        self.scope = ""
        self.yuan = yuan  # some table of the document is in 元
        self.rounding = False

    def rounded(self, unit: str | None) -> bool:
        return self.yuan and unit == "万元"

    def equal(self, code: str, where: str, what: str, left: tuple[str, Decimal | None],
              right: tuple[str, Decimal | None], parts: int = 1) -> None:
        if left[1] is None or right[1] is None:
            return
        self.checks += 1
        tolerance = Decimal("0.005") * (parts + 1) if self.rounding else ZERO
        if abs(left[1] - right[1]) > tolerance:
            self.found.append(Disagreement(code, self.scope, where, what,
                                           [(left[0], _s(left[1])), (right[0], _s(right[1]))]))

    def unreadable(self, where: str, text: str) -> None:
        found = Disagreement("table.cell", self.scope, where, "单元格应为金额", [("单元格内容", text)])
        if found not in self.found:  # a cell takes part in several sums: say it once
            self.checks += 1
            self.found.append(found)


def _v(ck: Checker, table: Table, seq: str, cells: list[str], j: int) -> Decimal | None:
    if j >= len(cells):
        return None
    value = amount(cells[j])
    if value is None:
        ck.unreadable(f"{table.title} {_row_name(seq, cells)}", cells[j])
    return value


def _row_name(seq: str, cells: list[str], label_cols: tuple[int, ...] = (0, 1)) -> str:
    label = " ".join(cells[i] for i in label_cols if i < len(cells) and cells[i])
    head = f"第{seq}行" if seq else "行"
    return f"{head}（{label}）" if label else head


def _col(table: Table, j: int) -> str:
    return f"“{table.header[j]}”列" if j < len(table.header) and table.header[j] else f"第{j + 1}列"


def _sum(values) -> Decimal | None:
    values = list(values)
    if any(v is None for v in values):
        return None
    return sum(values, ZERO)


# ---- trees (T2, T3, T5, T6, T7, T8)

def known(text: str) -> Decimal | None:
    """An amount in a table that prints zero as 0.00 (固定资产, the 三公 comparison): blank is unknown."""
    return None if not text.strip() else amount(text)


def _known_cell(row, j: int) -> Decimal | None:
    return None if row is None or j >= len(row[1]) else known(row[1][j])


def _tree_rows(table: Table) -> tuple[list[tuple[str, list[str]]], tuple[str, list[str]] | None]:
    total = next(((s, c) for s, c in table.rows if c and not c[0] and len(c) > 1 and c[1].replace(" ", "") == "合计"), None)
    coded = [(s, c) for s, c in table.rows if c and re.fullmatch(r"[0-9]+", c[0])]
    return coded, total


def check_tree(ck: Checker, table: Table, levels: tuple[int, ...]) -> None:
    coded, total = _tree_rows(table)
    if not coded and total is None:
        return
    ncols = max(len(c) for _, c in table.rows)
    amount_cols = range(2, ncols)
    values = {c[0]: (s, c, [_v(ck, table, s, c, j) for j in amount_cols]) for s, c in coded}
    tops = [code for code in values if len(code) == levels[0]]
    if total is not None:
        ts, tc = total
        tv = [_v(ck, table, ts, tc, j) for j in amount_cols]
        for k, j in enumerate(amount_cols):
            ck.equal("table.total", f"{table.title} {_row_name(ts, tc)}{_col(table, j)}",
                     f"合计应等于各类之和（{'、'.join(tops) or '无'}）",
                     ("合计行", tv[k]), ("各类之和", _sum(values[c][2][k] for c in tops)), len(tops))
    for code, (s, c, v) in values.items():
        if len(code) not in levels[:-1]:
            continue
        child_len = levels[levels.index(len(code)) + 1]
        children = [k for k in values if len(k) == child_len and k.startswith(code)]
        if not children:
            continue
        for k, j in enumerate(amount_cols):
            ck.equal("table.tree", f"{table.title} {_row_name(s, c)}{_col(table, j)}",
                     f"上级科目应等于下级科目之和（{'、'.join(children)}）",
                     ("本行", v[k]), ("下级之和", _sum(values[ch][2][k] for ch in children)), len(children))


def check_row_sums(ck: Checker, table: Table, target: int, parts: list[int], label_cols=(0, 1),
                   rows=None) -> None:
    for s, c in (rows if rows is not None else table.rows):
        if target >= len(c) or not any(c[j] for j in [target, *parts] if j < len(c)):
            continue
        names = "+".join(table.header[j] if j < len(table.header) else str(j + 1) for j in parts)
        ck.equal("table.row", f"{table.title} {_row_name(s, c, label_cols)}",
                 f"{table.header[target] if target < len(table.header) else '合计'}应等于{names}",
                 (_col(table, target).strip("“”列") or "合计", _v(ck, table, s, c, target)),
                 (names, _sum(_v(ck, table, s, c, j) for j in parts)), len(parts))


def _label_row(table: Table, pattern: str, col: int = 0, occurrence: int = 0):
    found = [(s, c) for s, c in table.rows if col < len(c) and re.search(pattern, c[col].replace(" ", ""))]
    return found[occurrence] if len(found) > occurrence else None


def _cell(table: Table, row, j: int) -> Decimal | None:
    if row is None or j >= len(row[1]):
        return None
    return amount(row[1][j])


def _total_row(table: Table | None):
    if table is None:
        return None
    return _tree_rows(table)[1]


# ---- T1 收支总表: 收入项目, 预算数, 支出项目, 预算数

def check_t1(ck: Checker, t: Table) -> None:
    income = [(s, c) for s, c in t.rows if re.match(_ORDINAL, c[0])]
    classes = [(s, c) for s, c in t.rows if len(c) > 2 and re.match(_ORDINAL, c[2])]
    r_in, r_tin = (_label_row(t, p) for p in ("^本年收入合计", "^收入总计"))
    r_out, r_tout = (_label_row(t, p, 2) for p in ("^本年支出合计", "^支出总计"))
    where = t.title
    ck.equal("table.total", f"{where} 本年收入合计", "本年收入合计应等于各项收入之和",
             ("本年收入合计", _cell(t, r_in, 1)), ("各项收入之和", _sum(amount(c[1]) for _, c in income)))
    ck.equal("table.total", f"{where} 本年支出合计", "本年支出合计应等于各类支出之和",
             ("本年支出合计", _cell(t, r_out, 3)), ("各类支出之和", _sum(amount(c[3]) for _, c in classes)))
    carried_in, carried_out = t1_carry(t)
    words_in = " + ".join(["本年收入合计", *(c[0] for _, c in carried_in)])
    words_out = " + ".join(["本年支出合计", *(c[2] for _, c in carried_out)])
    ck.equal("table.total", f"{where} 收入总计", f"收入总计应等于{words_in}",
             ("收入总计", _cell(t, r_tin, 1)),
             (words_in, _sum([_cell(t, r_in, 1), *(amount(c[1]) for _, c in carried_in)])))
    ck.equal("table.total", f"{where} 支出总计", f"支出总计应等于{words_out}",
             ("支出总计", _cell(t, r_tout, 3)),
             (words_out, _sum([_cell(t, r_out, 3), *(amount(c[3]) for _, c in carried_out)])))
    ck.equal("table.total", f"{where} 收入总计/支出总计", "收入总计应等于支出总计",
             ("收入总计", _cell(t, r_tin, 1)), ("支出总计", _cell(t, r_tout, 3)))


def t1_carry(t: Table) -> tuple[list, list]:
    """T1's rows between 本年收入合计 and 收入总计 (上年结转结余, 使用非财政拨款结余…) and
    between 本年支出合计 and 支出总计 (年终结转结余), each with an amount."""
    def between(first: str, last: str, col: int) -> list:
        a, b = _label_row(t, first, col), _label_row(t, last, col)
        if a is None or b is None:
            return []
        rows = t.rows[t.rows.index(a) + 1:t.rows.index(b)]
        return [(s, c) for s, c in rows if len(c) > col + 1 and c[col]]
    return between("^本年收入合计", "^收入总计", 0), between("^本年支出合计", "^支出总计", 2)


# ---- T4 财政拨款收支总表: 收入项目, 金额, 支出项目, 合计, 一般, 基金, 国资

def check_t4(ck: Checker, t: Table) -> None:
    where = t.title
    spend_rows = [(s, c) for s, c in t.rows if len(c) > 6 and c[2]]
    check_row_sums(ck, t, 3, [4, 5, 6], (2,), spend_rows)
    r_in = _label_row(t, "^本年收入合计")
    cut = t.rows.index(r_in) if r_in else len(t.rows)
    income = [(s, c) for s, c in t.rows[:cut] if re.match(_ORDINAL, c[0])]
    classes = [(s, c) for s, c in t.rows if len(c) > 2 and re.match(_ORDINAL, c[2])]
    r_cin = _label_row(t, "^年初")
    r_tin, r_tout = _label_row(t, "^收入总计"), _label_row(t, "^支出总计", 2)
    r_out, r_cout = _label_row(t, "^本年支出合计", 2), _label_row(t, "^年末", 2)
    ck.equal("table.total", f"{where} 本年收入合计", "本年收入合计应等于各项财政拨款之和",
             ("本年收入合计", _cell(t, r_in, 1)), ("各项之和", _sum(amount(c[1]) for _, c in income)))
    for j in (3, 4, 5, 6):
        ck.equal("table.total", f"{where} 本年支出合计{_col(t, j)}", "本年支出合计应等于各类支出之和",
                 ("本年支出合计", _cell(t, r_out, j)), ("各类支出之和", _sum(amount(c[j]) for _, c in classes)))
        ck.equal("table.total", f"{where} 支出总计{_col(t, j)}", "支出总计应等于本年支出合计 + 年末结转和结余",
                 ("支出总计", _cell(t, r_tout, j)), ("本年支出合计 + 年末结转和结余",
                                                   _sum([_cell(t, r_out, j), _cell(t, r_cout, j)])))
    if r_cin:
        i = t.rows.index(r_cin)
        parts = [r for r in t.rows[i + 1:i + 4] if re.match(_ORDINAL, r[1][0])]
        ck.equal("table.total", f"{where} 年初财政拨款结转和结余", "应等于其下各项之和",
                 ("年初财政拨款结转和结余", _cell(t, r_cin, 1)), ("各项之和", _sum(amount(c[1]) for _, c in parts)))
        # per fund: spent = this year's income + carry-over at the start − carry-over at the end
        for k, j in enumerate((4, 5, 6)):
            inc = _cell(t, income[k], 1) if k < len(income) else None
            cin = _cell(t, parts[k], 1) if k < len(parts) else None
            ck.equal("table.row", f"{where} {_col(t, j)}", "本年支出应等于本年收入 + 年初结转和结余 − 年末结转和结余",
                     ("本年支出合计", _cell(t, r_out, j)),
                     ("本年收入 + 年初 − 年末", None if None in (inc, cin, _cell(t, r_cout, j))
                      else inc + cin - _cell(t, r_cout, j)))
    ck.equal("table.total", f"{where} 收入总计", "收入总计应等于本年收入合计 + 年初财政拨款结转和结余",
             ("收入总计", _cell(t, r_tin, 1)), ("本年收入合计 + 年初结转和结余",
                                              _sum([_cell(t, r_in, 1), _cell(t, r_cin, 1) or ZERO])))
    ck.equal("table.total", f"{where} 收入总计/支出总计", "收入总计应等于支出总计",
             ("收入总计", _cell(t, r_tin, 1)), ("支出总计", _cell(t, r_tout, 3)))


# ---- T9 三公: 项目, 合计, 一般, 基金, 国资

def _t9(t: Table) -> dict:
    pats = {"合计": "^合计", "出国": "出国", "车辆": "购置及运", "购置": "购置费$", "运维": "运行维护费$", "接待": "接待"}
    return {k: _label_row(t, p) for k, p in pats.items()}


def check_t9(ck: Checker, t: Table) -> None:
    check_row_sums(ck, t, 1, [2, 3, 4], (0,))
    r = _t9(t)
    for j in (1, 2, 3, 4):
        ck.equal("table.total", f"{t.title} 合计{_col(t, j)}", f"合计应等于{ABROAD} + 公务用车购置及运维费 + {HOST}",
                 ("合计", _cell(t, r["合计"], j)), ("三项之和", _sum(_cell(t, r[k], j) for k in ("出国", "车辆", "接待"))), 3)
        ck.equal("table.total", f"{t.title} 公务用车购置及运维费{_col(t, j)}", "应等于公务用车购置费 + 公务用车运行维护费",
                 ("公务用车购置及运维费", _cell(t, r["车辆"], j)),
                 ("购置费 + 运行维护费", _sum(_cell(t, r[k], j) for k in ("购置", "运维"))))


def _sangong_comparison_rows(t: Table) -> dict:
    """The rows of the 三公 comparison table, by category (出国, 购置, 运维, 接待, 合计)."""
    return {k: _label_row(t, p) for k, p in
            {"出国": "出国", "购置": "购置", "运维": "运行", "接待": "接待", "合计": "^合计"}.items()}


def _t1_income(t1: Table) -> dict:
    """T1's income rows (一、… 二、…) by item, the ordinal taken off."""
    return {re.sub(rf"^{_ORDINAL}", "", c[0]): amount(c[1]) for s, c in t1.rows if re.match(_ORDINAL, c[0])}


def _procured(proc: Table) -> Decimal | None:
    """The 政府采购 table's 合计 column, added up."""
    return _sum(amount(c[7]) for s, c in proc.rows if len(c) > 7)


def check_sangong_comparison(ck: Checker, t: Table, t9: Table | None) -> None:
    r = _sangong_comparison_rows(t)
    for s, c in t.rows:
        ck.equal("table.row", f"{t.title} {_row_name(s, c, (0,))}", "增减金额应等于本年预算 − 上年预算",
                 ("增减金额", known(c[3]) if len(c) > 3 else None),
                 ("本年 − 上年", None if len(c) < 3 or None in (known(c[2]), known(c[1])) else known(c[2]) - known(c[1])))
    for j in (1, 2, 3):
        ck.equal("table.total", f"{t.title} 合计{_col(t, j)}", "合计应等于四项之和",
                 ("合计", _known_cell(r["合计"], j)), ("四项之和", _sum(_known_cell(r[k], j) for k in ("出国", "购置", "运维", "接待"))),
                 4)
    if t9 is not None:
        r9 = _t9(t9)
        for k in ("出国", "购置", "运维", "接待", "合计"):
            ck.equal("cross", f"{t.title} {k}", f"本年预算应等于{t9.title}的同一项",
                     ("比较表", _known_cell(r[k], 2)), (t9.title, _cell(t9, r9[k], 1)))


def check_procurement(ck: Checker, t: Table) -> None:
    for s, c in t.rows:
        if len(c) < 15:
            continue
        check_row_sums(ck, t, 7, list(range(8, 15)), (0, 2), [(s, c)])
        q, p, tot = amount(c[5]), amount(c[6]), amount(c[7])
        if None not in (q, p, tot):
            ck.equal("table.row", f"{t.title} 行（{c[2]}）", "合计应等于数量 × 单价", ("合计", tot), ("数量 × 单价", q * p))


def check_assets(ck: Checker, t: Table) -> None:
    total = _label_row(t, "^固定资产总额")
    parts = [(s, c) for s, c in t.rows if re.match(r"^[0-9]+、", c[0])]
    ck.equal("table.total", f"{t.title} 固定资产总额 价值", "固定资产总额应等于各类价值之和",
             ("固定资产总额", _known_cell(total, 2)), ("各类之和", _sum(known(c[2]) for _, c in parts)), len(parts))
    counted = [(s, c) for s, c in parts if "平方米" not in c[0]]  # 房屋 is an area, not a count
    ck.equal("table.total", f"{t.title} 固定资产总额 数量", "数量应等于各类数量之和（房屋面积不计入）",
             ("固定资产总额", _known_cell(total, 1)), ("各类之和", _sum(known(c[1]) for _, c in counted)))


# ---- between the tables of one scope

def _class_name(label: str) -> str:
    return re.sub(rf"^{_ORDINAL}", "", label.replace(" ", ""))


def check_cross(ck: Checker, tabs: dict[str, Table], partial_economic: bool = False) -> None:
    """``partial_economic``: the narrative says some 基本支出 is not broken down by economic
    class (未按经济分类), so T6 shows only part of T5's 基本支出."""
    t1, t2, t3, t4, t5, t6 = (tabs.get(k) for k in (T1, T2, T3, T4, T5, T6))
    tot = {k: _total_row(tabs.get(k)) for k in (T2, T3, T5, T6, T7, T8)}

    def tv(kind, j):  # the 合计 row of a tree; an empty tree is zero
        if kind not in tabs:
            return None
        row = tot[kind]
        return ZERO if row is None else amount(row[1][j]) if j < len(row[1]) else None

    if t1 and t3:
        r_out = _label_row(t1, "^本年支出合计", 2)
        ck.equal("cross", f"{t1.title} 本年支出合计", f"应等于{t3.title}的合计",
                 (t1.title, _cell(t1, r_out, 3)), (t3.title, tv(T3, 2)))
        t3_classes = defaultdict(lambda: ZERO)
        for s, c in _tree_rows(t3)[0]:
            if len(c[0]) == 3 and amount(c[2]) is not None:
                t3_classes[c[1].replace(" ", "")] += amount(c[2])
        for s, c in t1.rows:
            if len(c) > 3 and re.match(_ORDINAL, c[2]) and amount(c[3]) is not None:
                name = _class_name(c[2])
                ck.equal("cross", f"{t1.title} {_row_name(s, c, (2,))}", f"应等于{t3.title}中该类的合计",
                         (t1.title, amount(c[3])), (t3.title, t3_classes.get(name, ZERO)))
    if t1 and t2:
        r_in = _label_row(t1, "^本年收入合计")
        ck.equal("cross", f"{t2.title} 合计{_col(t2, 3)}", f"本年收入应等于{t1.title}的本年收入合计",
                 (t2.title, tv(T2, 3)), (t1.title, _cell(t1, r_in, 1)))
        income = _t1_income(t1)
        # T2's income columns after 小计 (4 …), each the sum of the T1 income rows of the funds it counts
        groups: list[tuple[int, tuple[str, ...]]] = []
        for fund in FUNDS:
            if groups and groups[-1][2] == fund.t2_header:
                groups[-1] = (groups[-1][0], groups[-1][1] + (fund.income_label,), fund.t2_header)
            else:
                groups.append((4 + len(groups), (fund.income_label,), fund.t2_header))
        groups = [(j, labels) for j, labels, _ in groups]
        for j, labels in groups:
            if all(l in income for l in labels):
                ck.equal("cross", f"{t2.title} 合计{_col(t2, j)}", f"应等于{t1.title}的{'、'.join(labels)}",
                         (t2.title, tv(T2, j)), (t1.title, _sum(income[l] for l in labels)))
        carried_in, carried_out = t1_carry(t1)
        cin = _sum(amount(c[1]) for _, c in carried_in)
        cout = _sum(amount(c[3]) for _, c in carried_out)
        words = " + ".join(c[0] for _, c in carried_in) or "上年结转结余"
        ck.equal("cross", f"{t2.title} 合计{_col(t2, 11)}",
                 f"收入总表的上年结转是本年使用的结转（规则：= {t1.title}的{words} − 年终结转结余）",
                 (t2.title, tv(T2, 11)), (f"{t1.title} {words} − 年终结转结余",
                                          None if None in (cin, cout) else cin - cout))
    if t2 and t3:
        v2 = {c[0]: amount(c[2]) for s, c in _tree_rows(t2)[0]}
        v3 = {c[0]: amount(c[2]) for s, c in _tree_rows(t3)[0]}
        for code in sorted(set(v2) | set(v3)):
            ck.equal("cross", f"{t2.title}/{t3.title} 科目 {code}", "收入总表与支出总表同一科目的合计应相同",
                     (t2.title, v2.get(code, ZERO)), (t3.title, v3.get(code, ZERO)))
        ck.equal("cross", f"{t2.title}/{t3.title} 合计", "收入总表与支出总表的合计应相同",
                 (t2.title, tv(T2, 2)), (t3.title, tv(T3, 2)))
    if t1 and t4:
        for k in range(3):
            a, b = _label_row(t1, _ORDINAL, 0, k), _label_row(t4, _ORDINAL, 0, k)
            if a and b:
                ck.equal("cross", f"{t4.title} {_row_name(b[0], b[1], (0,))}", f"应等于{t1.title}的同一收入",
                         (t4.title, _cell(t4, b, 1)), (t1.title, _cell(t1, a, 1)))
    if t4:
        t4_classes = {_class_name(c[2]): c for s, c in t4.rows if len(c) > 6 and re.match(_ORDINAL, c[2])}
        r_out = _label_row(t4, "^本年支出合计", 2)
        for kind, j in ((T5, 4), (T7, 5), (T8, 6)):
            t = tabs.get(kind)
            if t is None:
                continue
            ck.equal("cross", f"{t.title} 合计", f"应等于{t4.title}本年支出合计的{_col(t4, j)}",
                     (t.title, tv(kind, 2)), (t4.title, _cell(t4, r_out, j)))
            classes = {c[1].replace(" ", ""): amount(c[2]) for s, c in _tree_rows(t)[0] if len(c[0]) == 3}
            for name, c in t4_classes.items():
                if c[j] or name in classes:
                    ck.equal("cross", f"{t.title} {name}", f"应等于{t4.title}该类的{_col(t4, j)}",
                             (t.title, classes.get(name, ZERO)), (t4.title, amount(c[j])))
    if t5 and t6 and not partial_economic:
        ck.equal("cross", f"{t6.title} 合计", f"应等于{t5.title}合计行的基本支出",
                 (t6.title, tv(T6, 2)), (t5.title, tv(T5, 3)))


# ---- the department against its units

def _row_keys(table: Table, label_cols: tuple[int, ...]) -> dict:
    keys, seen = {}, defaultdict(int)
    for s, c in table.rows:
        label = tuple(c[i].replace(" ", "") for i in label_cols if i < len(c))
        if not any(label) and not any(c[j] for j in range(len(c)) if j not in label_cols):
            continue  # an empty line (or the empty half of a line)
        keys[(label, seen[label])] = c
        seen[label] += 1
    return keys


# per table: its halves, each (label columns, amount columns; None: every column after the label).
# T1 and T4 are two lists side by side (income | expenditure): each half is matched on its own,
# since a unit's 其中 line shifts one half and not the other.
_UNIT_SUM = {T1: [((0,), (1,)), ((2,), (3,))], T4: [((0,), (1,)), ((2,), (3, 4, 5, 6))],
             **{k: [((0, 1), None)] for k in (T2, T3, T5, T6, T7, T8)},
             T9: [((0,), (1, 2, 3, 4))], ASSETS: [((0,), (1, 2))], SG_CMP: [((0,), (1, 2, 3))]}


def check_units(ck: Checker, dept: ScopeDoc, units: list[ScopeDoc]) -> None:
    if PROC in dept.tables and all(PROC in u.tables for u in units):
        ck.equal("units", f"{dept.tables[PROC].title} 合计列之和", "部门的政府采购预算应等于所属各单位之和",
                 ("部门", _procured(dept.tables[PROC])), ("各单位之和", _sum(_procured(u.tables[PROC]) for u in units)))
    summed = "各单位之和（" + "、".join(u.name for u in units) + "）"  # once: a thousand names, in every cell
    for kind, label_cols, cols in ((k, h[0], h[1]) for k, halves in _UNIT_SUM.items() for h in halves):
        d = dept.tables.get(kind)
        if d is None or not all(kind in u.tables for u in units):
            continue
        dk = _row_keys(d, label_cols)
        uk = [_row_keys(u.tables[kind], label_cols) for u in units]
        read = known if kind in (ASSETS, SG_CMP) else amount  # blank: unknown there, zero elsewhere
        ck.rounding = ck.rounded(d.unit)
        for key in list(dk) + [k for keys in uk for k in keys if k not in dk]:
            dc = dk.get(key)
            width = max([len(dc or [])] + [len(k.get(key, [])) for k in uk])
            label = " ".join(x for x in key[0] if x) or "空行"
            for j in (cols or range(2, width)):
                dv = read(dc[j]) if dc is not None and j < len(dc) else ZERO
                parts = [read(k[key][j]) if key in k and j < len(k[key]) else ZERO for k in uk]
                if dv is None or any(p is None for p in parts):
                    continue
                ck.equal("units", f"{d.title} 行（{label}）{_col(d, j)}",
                         "部门的数应等于所属各单位之和", ("部门", dv), (summed, _sum(parts)), len(units))
        ck.rounding = False


# ---- the narrative against the tables

def _sentence(text: str, pos: int) -> str:
    start = max(text.rfind(ch, 0, pos) for ch in "。；") + 1
    ends = [i for i in (text.find(ch, pos) for ch in "。；") if i >= 0]
    return text[start:(min(ends) + 1) if ends else len(text)]


def _figures(scope: ScopeDoc) -> dict[str, tuple[str, Decimal | None]]:
    """The figures the narrative states, as the tables of the scope give them."""
    tabs = scope.tables
    f: dict[str, tuple[str, Decimal | None]] = {}
    t1, t3, t6, t9 = (tabs.get(k) for k in (T1, T3, T6, T9))
    if t1:
        f["收入"] = (f"{t1.title} 收入总计", _cell(t1, _label_row(t1, "^收入总计"), 1))
        f["支出"] = (f"{t1.title} 本年支出合计", _cell(t1, _label_row(t1, "^本年支出合计", 2), 3))
        f["上年结转结余"] = (f"{t1.title} 上年结转结余", _cell(t1, _label_row(t1, "^上年结转"), 1))
        f["年终结转结余"] = (f"{t1.title} 年终结转结余", _cell(t1, _label_row(t1, "^年终结转", 2), 3))
        inc = _t1_income(t1)
        for key, fund in zip(("一般公共预算收入", "基金预算收入", "国有资本经营预算收入", "财政专户核拨收入"), FUNDS):
            label = fund.income_label
            if label in inc:
                f[key] = (f"{t1.title} {label}", inc[label])
        others = tuple(FUND[name].income_label for name in OTHER_SOURCES)
        if all(k in inc for k in others):
            f["其他来源收入"] = (f"{t1.title} 五至九项收入之和", _sum(inc[k] for k in others))
    if t3:
        total = _total_row(t3)
        for j, key in enumerate(KINDS, 3):
            f[key] = (f"{t3.title} 合计行{_col(t3, j)}", ZERO if total is None else amount(total[1][j]))
    if t6:
        total = _total_row(t6)
        running = ZERO if total is None else amount(total[1][4])
        f["机关运行经费"] = (f"{t6.title} 合计行{_col(t6, 4)}", running)
        basic_all = f.get("基本支出", ("", None))[1]
        t6_total = ZERO if total is None else amount(total[1][2])
        if basic_all is not None and t6_total == basic_all:  # all 基本支出 is general budget: T6 shows it all
            f["人员经费"] = (f"{t6.title} 合计行{_col(t6, 3)}", ZERO if total is None else amount(total[1][3]))
            f["日常公用经费"] = (f"{t6.title} 合计行{_col(t6, 4)}", running)
    if t9:
        r = _t9(t9)
        f["三公"] = (f"{t9.title} 合计", _cell(t9, r["合计"], 1))
        f[ABROAD] = (f"{t9.title} {ABROAD}", _cell(t9, r["出国"], 1))
        f["公务用车购置及运行维护费"] = (f"{t9.title} 公务用车购置及运维费", _cell(t9, r["车辆"], 1))
        f[HOST] = (f"{t9.title} {HOST}", _cell(t9, r["接待"], 1))
    proc = tabs.get(PROC)
    if proc:
        f["政府采购"] = (f"{proc.title} 合计列之和", _procured(proc))
    assets = tabs.get(ASSETS)
    if assets:
        f["固定资产"] = (f"{assets.title} 固定资产总额 价值", _cell(assets, _label_row(assets, "^固定资产总额"), 2))
    return f


_M = rf"\s*[：:为]?\s*({_NUMBER})\s*(万元|元)"  # group 1: the amount, group 2: its unit
# (section keyword, pattern whose group 1 is the amount, figure key)
_NARRATIVE = [
    ("总体情况", r"(?:部门|单位)预算收入" + _M, "收入"), ("总体情况", r"一般公共预算收入" + _M, "一般公共预算收入"),
    ("总体情况", r"(?<!政府性)基金预算收入" + _M, "基金预算收入"),
    ("总体情况", r"国有资本经营预算收入" + _M, "国有资本经营预算收入"),
    ("总体情况", r"财政专户核拨收入" + _M, "财政专户核拨收入"), ("总体情况", r"其他来源收入" + _M, "其他来源收入"),
    ("总体情况", r"上年结转结余" + _M, "上年结转结余"), ("总体情况", r"年终结转结余" + _M, "年终结转结余"),
    ("总体情况", r"支出预算" + _M, "支出"), ("总体情况", r"预算收支安排" + _M, "支出"),
    ("总体情况", r"基本支出" + _M, "基本支出"), ("总体情况", r"人员经费" + _M, "人员经费"),
    ("总体情况", r"日常公用经费" + _M, "日常公用经费"), ("总体情况", r"项目支出" + _M, "项目支出"),
    ("总体情况", r"(?<!单位)经营支出" + _M, "经营支出"), ("总体情况", r"上解上级支出" + _M, "上解上级支出"),
    ("总体情况", TO_SUBORDINATE + _M, TO_SUBORDINATE),
    ("机关运行经费", r"机关运行经?费预算共计" + _M, "机关运行经费"), ("机关运行经费", r"项目支出" + _M, "项目支出"),
    ("三公", r"三公[”\"]?经费预算安排" + _M, "三公"), ("三公", re.escape(ABROAD) + _M, ABROAD),
    ("三公", r"公务用车购置及运行维护费" + _M, "公务用车购置及运行维护费"), ("三公", HOST + _M, HOST),
    ("政府采购", r"政府采购预算" + _M, "政府采购"), ("国有资产", r"固定资产金额" + _M, "固定资产"),
]
_NARRATIVE_NAMES = {"三公": "“三公”经费", "固定资产": "上年末固定资产金额", "政府采购": "政府采购预算",
                    "收入": "预算收入", "支出": "支出预算"}


def _change(text: str, label: str) -> Decimal | None:
    m = re.search(rf"{label}\s*(?:合计)?\s*(增加|减少)\s*({_NUMBER})\s*(?:万元|元)", text)
    if m:
        v = amount(m.group(2))
        return None if v is None else (v if m.group(1) == "增加" else -v)
    if re.search(rf"{label}\s*(?:合计)?\s*持平", text):
        return ZERO
    return None


def _states_running_costs(scope: ScopeDoc) -> bool:
    return any("机关运行经费" in sec and re.search(r"机关运行经?费预算共计" + _M, text) for sec, text in scope.paragraphs)


def running_costs_of_units(units: list[ScopeDoc]) -> tuple[str, Decimal | None]:
    """机关运行经费 covers only some units (行政, 参公…); each unit's narrative says whether it has
    any. The department's is the sum of the T6 公用经费 of the units that state one."""
    stating = [u for u in units if _states_running_costs(u)]
    names = "、".join(u.name for u in stating) or "无"
    return (f"列有机关运行经费的单位（{names}）的一般公共预算基本支出表公用经费之和",
            _sum(_figures(u).get("机关运行经费", ("", None))[1] for u in stating))


def _unit_of(scope: ScopeDoc, source: str) -> str | None:
    """The unit of the table a figure was read from (its source names the table first)."""
    units = {t.unit for t in scope.tables.values() if source.startswith(t.title) and t.unit}
    if not units:  # e.g. the units' 机关运行经费: their T6 shares the department's unit
        units = {t.unit for k, t in scope.tables.items() if k == T6 and t.unit}
    return units.pop() if len(units) == 1 else None


def check_narrative(ck: Checker, scope: ScopeDoc, overrides: dict | None = None) -> None:
    figures = {**_figures(scope), **(overrides or {})}
    for section, text in scope.paragraphs:
        if not section:
            continue
        for keyword, pattern, key in _NARRATIVE:
            if keyword not in section or key not in figures:
                continue
            for m in re.finditer(pattern, text):
                stated, unit = amount(m.group(1)), m.group(2)
                source, value = figures[key]
                ck.equal("narrative", f"{section} “{_sentence(text, m.start())}”",
                         f"文字中的{_NARRATIVE_NAMES.get(key, key)}与表不一致",
                         ("文字", stated), (source, in_unit(value, _unit_of(scope, source), unit)))
        # sums within the text: rounded parts when the text is in 万元 and the tables in 元
        ck.rounding = ck.rounded("万元" if "万元" in text else "元")
        if "机关运行经费" in section:
            _check_listed_parts(ck, section, text, r"机关运行经?费预算共计", "、")
            _check_listed_parts(ck, section, text, r"项目支出", "；", _project_names(scope))
        if "总体情况" in section and "人员经费" in text and "日常公用经费" in text:
            basic, personnel, public = (re.search(label + _M, text) for label in ("基本支出", "人员经费", "日常公用经费"))
            if basic and personnel and public:
                ck.equal("narrative", f"{section} “{text}”", "基本支出应等于人员经费 + 日常公用经费",
                         ("基本支出", amount(basic.group(1))),
                         ("人员经费 + 日常公用经费", _sum([amount(personnel.group(1)), amount(public.group(1))])), 2)
        if "总体情况" in section and "较上年" in text:
            total = _change(text, "较上年预算")
            parts = [_change(text, "基本支出"), _change(text, "项目支出")]
            other = _change(text, TO_SUBORDINATE)
            if other is not None:
                parts.append(other)
            ck.equal("narrative", f"{section} “{text}”", "比上年增减：总的增减应等于各部分增减之和",
                     ("总增减", total), ("各部分增减之和", _sum(parts)), len(parts))
        if "政府采购" in section:
            _check_listed_parts(ck, section, text, r"政府采购预算", "、")
        if "三公" in section:
            _check_sangong_changes(ck, scope, section, text)
        ck.rounding = False


def _project_names(scope: ScopeDoc) -> list[str]:
    """The names of the scope's projects, in order, from the titles of their 绩效目标表 (N、<name>绩效目标表)."""
    return [m.group(1) for text in scope.titles for m in [re.fullmatch(r"\d+、(.+)绩效目标表", text.strip())] if m]


def _check_listed_parts(ck: Checker, section: str, text: str, label: str, sep: str,
                        names: list[str] = ()) -> None:
    m = re.search(label + _M + r"[，。]其中：([^。]*)", text)
    if not m:
        return
    items = [i.strip() for i in m.group(3).split(sep) if i.strip()]
    # a name may end in digits (文化市场执法检查800001 36.00万元, 结转项目1 4.18万元 beside 结转项目14): the
    # amount follows the item's own name, which the list gives in the order of the 绩效目标表
    in_order = len(names) == len(items) and all(i.startswith(n) for i, n in zip(items, names))
    values = []
    for k, item in enumerate(items):
        candidates = [names[k]] if in_order else sorted((n for n in names if item.startswith(n)), key=len, reverse=True)
        value = None
        for name in candidates:
            v = re.fullmatch(rf"\s*({_NUMBER})\s*(?:万元|元)\s*", item[len(name):])
            if v:
                value = amount(v.group(1))
                break
        else:
            v = re.search(rf"({_NUMBER})\s*(?:万元|元)\s*$", item)
            value = amount(v.group(1)) if v else None
        values.append(value)
    ck.equal("narrative", f"{section} “{_sentence(text, m.start())}”", "所列各项之和应等于总数",
             ("总数", amount(m.group(1))), ("各项之和", _sum(values)), len(values))


def _check_sangong_changes(ck: Checker, scope: ScopeDoc, section: str, text: str) -> None:
    cmp_ = scope.tables.get(SG_CMP)
    if cmp_ is None:
        return
    rows = _sangong_comparison_rows(cmp_)
    stated = {
        "合计": (r"三公[”\"]?经费预算安排", ("合计",)),
        ABROAD: (re.escape(ABROAD), ("出国",)),
        "公务用车购置及运行维护费": (r"公务用车购置及运行维护费", ("购置", "运维")),
        HOST: (HOST, ("接待",)),
    }
    for name, (pattern, keys) in stated.items():
        m = re.search(pattern + _M + r"[^，。；]*，\s*(比上年(增加|减少)\s*(" + _NUMBER + r")\s*(?:万元|元)|与上年持平)", text)
        if not m:
            continue
        if m.group(4):
            change = amount(m.group(5))
            change = None if change is None else (change if m.group(4) == "增加" else -change)
        else:
            change = ZERO
        ck.equal("narrative", f"{section} “{_sentence(text, m.start())}”", f"{name}比上年的增减与比较表不一致",
                 ("文字", change), (cmp_.title + " 增减金额", _sum(_known_cell(rows[k], 3) for k in keys)), len(keys))


# ------------------------------------------------------------------ entry points

@dataclass
class Result:
    scopes: list[str]
    checks: int
    disagreements: list[Disagreement]

    @property
    def ok(self) -> bool:
        return not self.disagreements

    def format(self) -> str:
        lines = [d.format() for d in self.disagreements]
        who = "、".join(self.scopes)
        if self.ok:
            lines.append(f"核对通过：{who}，共核对 {self.checks} 处，表与表、表与文字均一致。")
        else:
            lines.append(f"发现 {len(self.disagreements)} 处不一致（共核对 {self.checks} 处；{who}）。")
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {"ok": self.ok, "scopes": self.scopes, "checks": self.checks,
                "disagreements": [{**asdict(d), "values": [{"what": a, "value": b} for a, b in d.values],
                                   "message": d.format()} for d in self.disagreements]}


_WITHIN_TABLE = {
    T1: [check_t1],
    T2: [lambda ck, t: check_tree(ck, t, (3, 5, 7)), lambda ck, t: check_row_sums(ck, t, 2, [3, 11]),
         lambda ck, t: check_row_sums(ck, t, 3, list(range(4, 11)))],
    T3: [lambda ck, t: check_tree(ck, t, (3, 5, 7)), lambda ck, t: check_row_sums(ck, t, 2, [3, 4, 5, 6, 7])],
    T4: [check_t4],
    **{k: [lambda ck, t: check_tree(ck, t, (3, 5, 7)), lambda ck, t: check_row_sums(ck, t, 2, [3, 4])]
       for k in (T5, T7, T8)},
    T6: [lambda ck, t: check_tree(ck, t, (3, 5)), lambda ck, t: check_row_sums(ck, t, 2, [3, 4])],
    T9: [check_t9],
    PROC: [check_procurement],
    ASSETS: [check_assets],
}


def verify_bytes(data: bytes) -> Result:
    scopes = read_document(data)
    ck = Checker(yuan=any(t.unit == "元" for s in scopes for t in s.tables.values()))
    for scope in scopes:
        ck.scope = scope.name
        tabs = scope.tables
        for kind, checks in _WITHIN_TABLE.items():
            if kind in tabs:
                ck.rounding = ck.rounded(tabs[kind].unit)  # a 万元 table of a 元 document: rounded figures
                for check in checks:
                    check(ck, tabs[kind])
        if SG_CMP in tabs:
            ck.rounding = ck.rounded(tabs[SG_CMP].unit)
            check_sangong_comparison(ck, tabs[SG_CMP], tabs.get(T9))
        ck.rounding = False
        check_cross(ck, tabs, any("未按经济分类" in text for _, text in scope.paragraphs))
        overrides = {}
        if not scope.is_unit and any(s.is_unit for s in scopes):
            overrides["机关运行经费"] = running_costs_of_units([s for s in scopes if s.is_unit])
        check_narrative(ck, scope, overrides)
    units = [s for s in scopes if s.is_unit]
    departments = [s for s in scopes if not s.is_unit]
    if units and departments:
        ck.scope = departments[0].name
        check_units(ck, departments[0], units)
    return Result([s.name for s in scopes], ck.checks, ck.found)


def check_generated(data: bytes) -> Result:
    """Verify a document budgetpub has just rendered; raise when it does not add up."""
    result = verify_bytes(data)
    if not result.ok:
        raise GeneratedDocumentDisagrees(result)
    return result


def verify_path(path: Path) -> Result:
    if path.suffix.lower() != ".docx":
        raise UnreadableDocument(f"只能核对 Word 文件（.docx）：{path}")
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise UnreadableDocument(f"无法读取 {path}：{exc.strerror or exc}") from None
    return verify_bytes(data)


HELP = "核对一份部门预算公开文件（.docx）：表内、表间、部门与单位、文字与表格的数是否一致"


def arguments(p: argparse.ArgumentParser) -> None:
    """The arguments of ``budgetpub verify``."""
    p.add_argument("file", type=Path, metavar="文件", help="部门预算公开文件（.docx），由 budgetpub 生成或手工制作")
    p.add_argument("--format", choices=("text", "json"), default="text", help="输出格式：text（默认）或 json")


def run(args: argparse.Namespace) -> int:
    """``budgetpub verify``: 0 when everything agrees, 1 on a disagreement, 2 when unreadable."""
    try:
        result = verify_path(args.file)
    except UnreadableDocument as exc:
        if args.format == "json":
            print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False, indent=2))
        else:
            print(f"错误：{exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print(result.format())
    return 0 if result.ok else 1


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="budgetpub verify", description=HELP + "。")
    arguments(p)
    return run(p.parse_args(argv))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
