"""Hand-typed Word rebuilds of the real 2023 publication of department 304, from the seed's text.

The seed (tests/fixtures/seed-304-2023.txt) is the text of a Word file a clerk typed: each table cell
on its own tab-indented line, rows separated by blank lines. ``build`` types it again into a new
document made with python-docx's default template (Word's own styles, none of budgetpub's), the way
a clerk would, in variants a bureau receives:

- ``headings``: titles and section headings in Word's heading styles, or as plain bold paragraphs;
- ``captions``: the caption row (编制单位 | 预算年度 | 单位：万元) as the seed has it, inside each table
  as its first row ("inside"), or typed as a line above the table ("outside");
- ``thousands``: amounts with thousands separators (1,234.50);
- ``full_width``: the text's and the tables' digits typed full-width (８１２．３２);
- ``yuan``: every amount in 元 instead of 万元 (the tables' captions and the text alike).

The seed's own slips stay as they are (人员经费 347.37 in the text against 347.36 in the table, in the
department's part and the unit's; 表7 titled 政府基金…; the unit's 三公 table with the department's
title and code; the unit's text saying 部门). ``replace`` plants more: (anchor, old, new) replaces the
first ``old`` after ``anchor`` in the seed's text; ``omit`` drops a table (its title, the table and
its notes), by title and occurrence.

This module knows nothing of budgetpub: issue 20's import reads the same documents.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import Decimal

from seedtext import SEED


@dataclass(frozen=True)
class Variant:
    headings: bool = True
    captions: str = "inside"  # or "outside"
    thousands: bool = False
    full_width: bool = False
    yuan: bool = False

    @property
    def name(self) -> str:
        parts = ["标题样式" if self.headings else "加粗段落", "表内表头行" if self.captions == "inside" else "表外表头行"]
        parts += [w for flag, w in ((self.thousands, "千位分隔"), (self.full_width, "全角数字"), (self.yuan, "单位元"))
                  if flag]
        return "·".join(parts)


VARIANTS = (
    Variant(),
    Variant(headings=False),
    Variant(captions="outside"),
    Variant(headings=False, captions="outside", thousands=True, yuan=True),
    Variant(full_width=True),
    Variant(yuan=True, thousands=True, full_width=True),
)


# ------------------------------------------------------------------ the seed as blocks

@dataclass
class Block:
    kind: str              # "p" (a paragraph) or "t" (a table)
    text: str = ""
    level: int | None = None  # a heading's level
    rows: list | None = None


_BOOKMARK = re.compile(r"^\s*\[bookmark: _Toc_(\d)_\d_\d+\]")


def _heading_level(text: str, bookmarked: int | None) -> int | None:
    t = text.strip()
    if bookmarked:
        return min(bookmarked, 3)
    if re.match(r"^第[一二]部分\s+部门", t):
        return 1
    if t.endswith("收支预算"):
        return 2
    if re.search(r"(预算|经费)[^，。]{0,20}表$|政府采购预算$", t) or t.endswith("情况说明"):
        return 2 if t.endswith("情况说明") else 3
    if re.match(r"^[一二三四五六七八九]、", t) and len(t) < 40 and "。" not in t:
        return 3
    return None


def parse(text: str = SEED) -> list[Block]:
    """The seed's text as paragraphs and tables, in order."""
    blocks: list[Block] = []
    rows: list[list[str]] = []
    row: list[str] = []
    in_table, prev = False, ""

    def close_table():
        nonlocal rows, row, in_table
        if row:
            rows.append(row)
        row = []
        if rows:
            blocks.append(Block("t", rows=rows))
        rows, in_table = [], False

    pending_level = None
    for line in text.split("\n"):
        if line.startswith("\t"):
            in_table = True
            row.append(line[1:])
            prev = "cell"
        elif not line.strip():
            if in_table and row:
                rows.append(row)
                row = []
            prev = "blank"
        elif in_table and prev == "cell":
            row[-1] += "\n" + line  # a cell's text goes on on the next line
        else:
            if in_table:
                close_table()
            m = _BOOKMARK.match(line)
            level = int(m.group(1)) if m else None
            line = _BOOKMARK.sub("", line)
            if not line.strip():  # a bookmark alone on its line: the heading follows
                pending_level = level
                continue
            level = level or pending_level
            pending_level = None
            blocks.append(Block("p", line.strip(), _heading_level(line, level)))
            prev = "p"
    close_table()
    out: list[Block] = []
    for b in blocks:
        if b.kind == "t" and len(b.rows[0]) == 1 and len(b.rows[0][0]) > 30:
            out.append(Block("p", b.rows[0][0].strip()))  # a sentence typed with a tab before it
            b.rows = b.rows[1:]
        if b.kind == "t":
            width = max(len(r) for r in b.rows)
            while b.rows and len(b.rows[-1]) < width and not any(c.strip() for c in b.rows[-1]):
                b.rows.pop()  # the empty cells of a stray frame after the table
        out.append(b)
    return out


# the spans of the seed's short rows (cells merged across columns), by the row's first words and width
_SPANS = {
    ("序号", "收入", "支出", 5): [1, 2, 2], ("序号", "收入", "支出", 8): [1, 2, 5],
    ("序号", "功能分类科目", 6): [1, 2, 1, 1, 1], ("序号", "功能分类科目", 9): [1, 2, 1, 1, 1, 1, 1, 1],
    ("序号", "功能分类科目", 13): [1, 2, 1, 8, 1], ("序号", "支出部门经济分类科目", 6): [1, 2, 3],
    ("序号", "项目", 6): [1, 1, 4], ("政府采购项目来源", "采购物品名称", 16): [2, 1, 1, 1, 1, 1, 8, 1],
    ("绩效目标", 6): [1, 5],
}


def _spans(row: list[str], width: int) -> list[int]:
    if len(row) == width:
        return [1] * width
    words = [re.sub(r"\s+", "", c) for c in row]
    for key, spans in _SPANS.items():
        if key[-1] == width and tuple(words[:len(key) - 1]) == key[:-1] and len(spans) == len(row):
            return spans
    if len(row) in (2, 3):  # a caption row: the name wide, the year and the unit narrow
        k = max(1, width // 4)
        return [width - (len(row) - 1) * k] + [k] * (len(row) - 1)
    raise ValueError(f"no spans for a row of {len(row)} cells in a table of {width} columns: {row}")


# ------------------------------------------------------------------ figures as the variant types them

_FULL = str.maketrans({**{str(i): chr(0xFF10 + i) for i in range(10)}, ".": "．", ",": "，"})


def _number(text: str, variant: Variant) -> str:
    """An amount as the variant types it: in 元 (×10,000), with separators, full-width."""
    value = Decimal(text.replace(",", ""))
    decimals = 2 if "." in text or variant.yuan else 0
    if variant.yuan:
        value *= 10000
    out = f"{value:,.{decimals}f}" if variant.thousands else f"{value:.{decimals}f}"
    if variant.yuan and "." not in text and out.endswith(".00"):
        out = out[:-3]  # 7万元 typed as 70000元
    return out.translate(_FULL) if variant.full_width else out


def _text(text: str, variant: Variant) -> str:
    """A paragraph as the variant types it: its amounts (a figure before 万元, not a threshold
    such as 50万元以上) in 元 and with separators; its digits full-width."""
    if variant.yuan or variant.thousands:
        def amount(m):
            if variant.yuan:
                return _number(m.group(1), variant) + m.group(2) + "元"
            return _number(m.group(1), variant) + m.group(2) + "万元"
        text = re.sub(r"(?<![0-9.])([0-9]+(?:\.[0-9]+)?)(\s*)万元(?!以上|（含）)", amount, text)
        if variant.yuan:
            text = text.replace("单位：万元", "单位：元").replace("单位:万元", "单位:元")
    if variant.full_width:
        text = re.sub(r"[0-9][0-9.,]*", lambda m: m.group().translate(_FULL), text)
    return text


def _cells(rows: list[list[str]], variant: Variant) -> list[list[str]]:
    """The table's cells as the variant types them: amount cells (two decimals; every figure of
    the 三公 comparison and of the assets' 价值 column) in 元, with separators, full-width."""
    header = " ".join(c for r in rows[:4] for c in r)
    money_cols = {1, 2, 3} if "增减金额" in header else {2} if "价值" in header else None
    out = []
    for r in rows:
        cells = []
        for j, c in enumerate(r):
            t = c.strip()
            is_amount = (re.fullmatch(r"[0-9]+\.[0-9]{2}", t) if money_cols is None
                         else j in money_cols and re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", t))
            if is_amount:
                cells.append(_number(t, variant))
            elif "单位" in c or (variant.full_width and re.fullmatch(r"[0-9]+", t)):
                cells.append(_text(c, variant) if "单位" in c else t.translate(_FULL))
            else:
                cells.append(c)
        out.append(cells)
    return out


# ------------------------------------------------------------------ the Word file

def _apply(text: str, replace: list[tuple[str, str, str]]) -> str:
    for anchor, old, new in replace:
        at = text.index(anchor) + len(anchor) if anchor else 0
        at = text.index(old, at)
        text = text[:at] + new + text[at + len(old):]
    return text


def _omitted(blocks: list[Block], omit: list[tuple[str, int]]) -> list[Block]:
    out = list(blocks)
    for title, occurrence in omit:
        found = [i for i, b in enumerate(out) if b.kind == "p" and b.text == title]
        i = found[occurrence]
        j = i + 1
        while j < len(out) and out[j].kind == "p" and out[j].level is None and not out[j].text.startswith("注"):
            j += 1  # a caption line typed above the table
        j += 1  # the table
        while j < len(out) and out[j].kind == "p" and out[j].text.startswith("注"):
            j += 1
        del out[i:j]
    return out


def build(variant: Variant = Variant(), replace: list[tuple[str, str, str]] = (),
          omit: list[tuple[str, int]] = ()) -> bytes:
    """The seed typed into a new Word document (python-docx's default template), as ``variant``."""
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Pt

    blocks = _omitted(parse(_apply(SEED, list(replace))), list(omit))
    document = docx.Document()
    for b in blocks:
        if b.kind == "p":
            text = _text(b.text, variant)
            if b.level and variant.headings:
                document.add_heading(text, level=b.level)
            else:
                p = document.add_paragraph()
                run = p.add_run(text)
                run.bold = bool(b.level)
                if b.level:
                    run.font.size = Pt(14)
            continue
        rows = _cells(b.rows, variant)
        width = max(len(r) for r in rows)
        if variant.captions == "outside":
            while rows and len(rows[0]) < width and any(re.search(r"预算年度|单位：|单位:|截止时间", c) for c in rows[0]):
                document.add_paragraph("    ".join(c.strip() for c in rows.pop(0) if c.strip()))
            while rows and rows[0] and all(not c.strip() for c in rows[0][:-1]) and "单位" in rows[0][-1]:
                p = document.add_paragraph(rows.pop(0)[-1].strip())
                p.alignment = 2  # right
        table = document.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"  # Word's default table: every border drawn
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        grid = [list(r.cells) for r in table.rows]  # (table.cell() lays the whole grid out at each call)
        spans = [_spans(row, width) for row in rows]
        for r, row in enumerate(rows):
            col = 0
            for text, span in zip(row, spans[r]):
                if text.strip():
                    grid[r][col].text = text.strip()
                col += span
        for r, row in enumerate(rows):
            col = 0
            for span in spans[r]:
                if span > 1:
                    grid[r][col].merge(grid[r][col + span - 1])
                col += span
        _merge_header_columns(grid, rows, spans)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _merge_header_columns(grid, rows: list[list[str]], spans: list[list[int]]) -> None:
    """序号 (and any header word with nothing under it) merged down over the header rows, as Word's
    users merge them: down to the 栏次 row."""
    marker = next((i for i, r in enumerate(rows) if r and r[0].strip() == "栏次"), None)
    top = next((i for i, r in enumerate(rows) if r and re.sub(r"\s+", "", r[0]) == "序号"), None)
    if marker is None or top is None or marker - top < 2:
        return
    width = len(grid[0])
    for j in range(width):
        if len(rows[top]) != width and not (j == 0 and spans[top][0] == 1):
            continue  # a cell merged across columns above: left as typed
        below = [rows[i][j].strip() if len(rows[i]) == width else None for i in range(top + 1, marker)]
        if all(b == "" for b in below) and rows[top][j].strip():
            grid[top][j].merge(grid[marker - 1][j])


def seed_slips() -> dict[str, int]:
    """What the seed says wrong, by what a careful reader reports."""
    return {"人员经费 347.37": 2, "表7 的表题": 2, "单位部分的三公表": 1, "单位部分称部门": 1}
