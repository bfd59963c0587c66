"""The nine tables of the department and of each unit as an Excel workbook (openpyxl).

One worksheet per table and scope, named by the scope's code, the table's
number and its title (e.g. ``304001 表6 一般公共预算财政拨款基本支出表``:
at most 31 characters, unique). Each sheet shows the table's title, its
caption line (code and name, 预算年度, 单位), the header exactly as the Word
table draws it (the merged cells are read from the rendered .docx, so the
two never disagree), then the body: money as numbers with two decimals
(number format 0.00; blank where the Word table is blank), 序号 as whole
numbers, codes and names as text.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime, timezone
from decimal import Decimal

from docx import Document
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from generator.document.package import zip_entry
from generator.figures.compute import Publication

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NINE = ["收支总表", "收入总表", "支出总表", "财政拨款收支总表", "一般公共预算财政拨款支出表",
        "一般公共预算财政拨款基本支出表", "政府性基金预算财政拨款支出表", "国有资本经营预算财政拨款支出表",
        "财政拨款“三公”经费支出表"]
FONT = "宋体"
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
# one of each style, shared by the cells (a new object per cell cost a quarter of the export)
CELL_FONT, HEAD_FONT = Font(name=FONT, size=10), Font(name=FONT, size=10, bold=True)
HEAD_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
CENTER = Alignment(horizontal="center")
CM_TO_WIDTH = 4.6  # Excel column width units (characters of '0') per centimetre, about
TWIPS_PER_CM = 567


def _grid(tbl) -> tuple[list[list[str]], list[tuple[int, int, int, int]], list[int]]:
    """A Word table as a text matrix on its grid, its merged rectangles (0-based, inclusive) and column widths."""
    widths = [int(c.get(f"{W}w") or 0) for c in tbl.find(f"{W}tblGrid").findall(f"{W}gridCol")]
    ncols = len(widths)
    rows: list[list[str]] = []
    merges: list[list[int]] = []
    open_v: dict[int, list[int]] = {}  # grid column -> merge being extended downwards
    for r, tr in enumerate(tbl.findall(f"{W}tr")):
        row = [""] * ncols
        col = 0
        for tc in tr.findall(f"{W}tc"):
            pr = tc.find(f"{W}tcPr")
            span = 1
            vmerge = None
            if pr is not None:
                gs = pr.find(f"{W}gridSpan")
                span = int(gs.get(f"{W}val")) if gs is not None else 1
                vm = pr.find(f"{W}vMerge")
                if vm is not None:
                    vmerge = vm.get(f"{W}val") or "continue"
            text = "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in tc.findall(f"{W}p")).strip()
            if vmerge == "continue" and col in open_v:
                open_v[col][2] = r
            else:
                if col < ncols:
                    row[col] = text
                rect = [r, col, r, col + span - 1]
                if span > 1 or vmerge == "restart":
                    merges.append(rect)
                if vmerge == "restart":
                    open_v[col] = rect
                else:
                    open_v.pop(col, None)
            col += span
        rows.append(row)
    return rows, [tuple(m) for m in merges if (m[0], m[1]) != (m[2], m[3])], widths


def _tables(docx: bytes):
    """(title, caption cells, table element) of each bordered table, in document order."""
    document = Document(io.BytesIO(docx))
    title, caption = "", []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            style = block.find(f"{W}pPr/{W}pStyle")
            name = style.get(f"{W}val") if style is not None else ""
            text = "".join(t.text or "" for t in block.iter(f"{W}t")).strip()
            if text and (name.startswith("Heading") or name == "表题"):
                title = text
        elif tag == "tbl":
            trs = block.findall(f"{W}tr")
            ncols = len(block.find(f"{W}tblGrid").findall(f"{W}gridCol"))
            if len(trs) == 1 and ncols <= 3:
                caption = ["".join(t.text or "" for t in tc.iter(f"{W}t")).strip() for tc in trs[0].findall(f"{W}tc")]
                continue
            yield title, caption, block
            caption = []


def sheet_name(code: str, number: int, title: str, taken: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "", f"{code} 表{number} {title}")[:31]
    base, i = name, 2
    while name in taken:
        suffix = f"~{i}"
        name = base[:31 - len(suffix)] + suffix
        i += 1
    taken.add(name)
    return name


def build_workbook(pub: Publication, docx: bytes) -> Workbook:
    scopes = [pub.scope] + list(pub.units)
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    index = -1  # the scopes' nine tables come in order: the whole (department) first, then each unit
    for title, caption, tbl in _tables(docx):
        word, _, short = title.partition("预算")
        if word not in ("部门", "单位") or short not in NINE:
            continue
        number = NINE.index(short) + 1
        if number == 1:
            index += 1
        if index >= len(scopes):
            break
        scope = scopes[index]
        rows, merges, widths = _grid(tbl)
        raw = getattr(scope, f"t{number}")
        header_end = next((i for i, r in enumerate(rows) if r[0] == "栏次"), 0) + 1
        ws = wb.create_sheet(sheet_name(scope.code, number, short, taken))
        ncols = len(widths)
        ws.cell(1, 1, title).font = Font(name="黑体", size=14, bold=True)
        ws.cell(1, 1).alignment = Alignment(horizontal="center")
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
        if caption:
            ws.cell(2, 1, caption[0]).alignment = Alignment(horizontal="left")
            if len(caption) == 3:
                ws.cell(2, max(2, ncols // 2), caption[1])
            ws.cell(2, ncols, caption[-1]).alignment = Alignment(horizontal="right")
            for c in range(1, ncols + 1):
                ws.cell(2, c).font = CELL_FONT
        top = 3
        for r in range(header_end):
            for c in range(ncols):
                cell = ws.cell(top + r, c + 1, rows[r][c] or None)
                cell.font = HEAD_FONT
                cell.alignment = HEAD_ALIGN
                cell.border = BOX
        for r0, c0, r1, c1 in merges:
            if r1 < header_end:
                ws.merge_cells(start_row=top + r0, start_column=c0 + 1, end_row=top + r1, end_column=c1 + 1)
        body = rows[header_end:]
        if not any(any(v for v in row) for row in body):
            body = []  # an empty table: the Word table's one blank row
        for i, row in enumerate(body):
            values = raw[i] if i < len(raw) else []
            for c in range(ncols):
                text = row[c]
                cell = ws.cell(top + header_end + i, c + 1)
                cell.font = CELL_FONT
                cell.border = BOX
                kind = values[c - 1] if 0 < c <= len(values) else None
                if c == 0 and text.isdigit():
                    cell.value = int(text)
                    cell.alignment = CENTER
                elif isinstance(kind, Decimal) and text:
                    cell.value = Decimal(text.replace(",", ""))
                    cell.number_format = "0.00"
                else:
                    cell.value = text or None
        for c, w in enumerate(widths):
            ws.column_dimensions[get_column_letter(c + 1)].width = round(w / TWIPS_PER_CM * CM_TO_WIDTH, 1)
        ws.freeze_panes = ws.cell(top + header_end, 1)
    return wb


def workbook_bytes(pub: Publication, docx: bytes, epoch: int) -> bytes:
    """The workbook as reproducible bytes: fixed properties and entry dates."""
    wb = build_workbook(pub, docx)
    when = datetime.fromtimestamp(epoch, tz=timezone.utc).replace(tzinfo=None)
    wb.properties.creator = wb.properties.lastModifiedBy = "budgetpub"
    wb.properties.title = pub.department.title
    wb.properties.created = wb.properties.modified = when
    buffer = io.BytesIO()
    wb.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zip_entry(info.filename, epoch)
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the time of saving
                stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", lambda m: m.group(1) + stamp, data)
            dst.writestr(entry, data)
    return out.getvalue()
