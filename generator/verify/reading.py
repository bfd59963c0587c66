"""Reading a publication: the body of a .docx as scopes (the department, each unit), each with
its tables by kind (T1…T9, 政府采购, 固定资产, the 三公 comparison) and its paragraphs by section.

Only what a reader sees is used: headings, table titles, captions and notes (单位：万元), header
texts, cell texts and sentences. The body is read as a stream, each block dropped once read.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from generator.document.ooxml import paragraph_text
from generator.figures.vocabulary import SANGONG

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
