"""A workbook of the nine tables as the verifier's blocks (verify/blocks.py), so that the verifier's
reader finds the tables, their captions, headers and columns as it does in a Word file.

Two layouts are read, and anything between them:

- budgetpub's own ``--format xlsx``: one sheet per table and scope (``304001 表6 …``), the title in
  the first row, the caption row (code and name · 预算年度 · 单位), the header, 栏次, the body;
- a budget system's export: one sheet per 公开表, title rows (2024年部门预算收支总表, 表一 …), a
  编制单位 / 单位：万元 line, merged header cells, a 栏次 row, amounts as numbers or text.

A sheet's leading rows holding one text each are paragraphs (the title); the rest is one grid, a
merged cell's text in every cell it covers, as a reader sees it. Numbers are read as the figures
the cells show (two decimals where the cell is formatted so).

The workbook is untrusted: its size, sheets, rows and columns are bounded before it is read, and
formulas are read as the values Excel stored, never evaluated.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from decimal import Decimal, InvalidOperation

from generator.files import CORRUPT
from generator.repository.sheets import DTD
from generator.verify.blocks import Grid, Para, normalise
from generator.verify.reading import UnreadableDocument

MAX_UNPACKED = 256 * 1024 * 1024
MAX_SHEETS = 5000
MAX_ROWS = 20000
MAX_COLUMNS = 64
# openpyxl holds every cell as an object of some 450 bytes: the cells are counted in the sheets' XML
# before it loads them (2.5 MB of a workbook can hold 1.3 million: 600 MB). budgetpub's own workbook
# of a 200-unit department holds 0.3 million.
MAX_CELLS = 1_000_000
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")  # <c r="A1">, <c/>, <x:c …> (a prefixed writer)


def _bounded(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            total = sum(i.file_size for i in z.infolist())
            if total > MAX_UNPACKED:
                raise UnreadableDocument(f"解压后大于 {MAX_UNPACKED // 1024 // 1024} MB，不是一份公开表工作簿。")
            if _cells(z) > MAX_CELLS:
                raise UnreadableDocument(f"工作表共有超过 {MAX_CELLS // 10_000} 万个单元格，超出一份公开表工作簿的大小"
                                         "（200 个单位的部门约 30 万个），未读取。")
    except (*CORRUPT, OSError, RuntimeError) as exc:
        raise UnreadableDocument(f"无法作为 Excel 工作簿读取：{exc}") from None


def _cells(z: zipfile.ZipFile) -> int:
    """The cells the worksheets' XML holds, counted as it is inflated (each entry within its stated
    size), stopping past MAX_CELLS; every XML part is looked through for a DTD on the way (Excel writes
    none; its entities would be expanded by openpyxl's parser), which is refused. A piece is cut
    before its last "<", where no tag can be cut."""
    count = 0
    for info in z.infolist():
        name = info.filename.lower()
        sheet = name.startswith("xl/worksheets/")
        if not (sheet or name.endswith((".xml", ".rels"))):
            continue
        with z.open(info) as f:
            carry = b""
            while count <= MAX_CELLS:
                chunk = f.read(1 << 20)
                data = carry + chunk
                cut = data.rfind(b"<") if chunk else len(data)
                cut = cut if cut > 0 else len(data)
                if DTD.search(data, 0, cut):
                    raise UnreadableDocument(f"其中的 {info.filename[:60]} 含有 DTD 声明（<!DOCTYPE 或 <!ENTITY）："
                                             "Excel 不写这种内容，文件可能被改动过，未读取。")
                if sheet:
                    count += len(_CELL.findall(data, 0, cut))
                carry = data[cut:]
                if not chunk:
                    break
    return count


def _text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        try:
            d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            return ""
        fmt = cell.number_format or ""
        if "0.00" in fmt or (isinstance(value, float) and d != d.to_integral_value()):
            return f"{d.quantize(Decimal('0.01')):,.2f}" if "#,##" in fmt else f"{d.quantize(Decimal('0.01')):.2f}"
        return str(int(d)) if d == d.to_integral_value() else f"{d:f}"
    text = normalise(str(value)).replace("\r", "").strip()
    # 编制单位：304某某局 is the caption's name: the reader takes a name standing as a word of its own
    return re.sub(r"^编制单位[：:]\s*", "", text) if len(text) < 80 else text


def _rows(ws) -> list[list[str]]:
    if ws.max_row > MAX_ROWS or ws.max_column > MAX_COLUMNS:
        raise UnreadableDocument(f"工作表“{ws.title}”有 {ws.max_row} 行、{ws.max_column} 列，超出一张公开表的大小，未读取。")
    rows = [[_text(c) for c in row] for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column)]
    for merged in ws.merged_cells.ranges:  # a merged cell shows its text in each cell it covers
        text = rows[merged.min_row - 1][merged.min_col - 1] if merged.min_row - 1 < len(rows) else ""
        for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
            for c in range(merged.min_col - 1, min(merged.max_col, len(rows[r]))):
                rows[r][c] = text
    while rows and not any(rows[-1]):
        rows.pop()
    width = max((max((i + 1 for i, c in enumerate(r) if c), default=0) for r in rows), default=0)
    return [r[:width] for r in rows]


def _single(row: list[str]) -> str | None:
    values = [c for c in row if c]
    return values[0] if values and all(c == values[0] for c in values) else None


def workbook_blocks(data: bytes):
    """The blocks of every sheet, in the workbook's order (a message of UnreadableDocument is said
    after the file's name)."""
    _bounded(data)
    import openpyxl

    try:
        with warnings.catch_warnings():  # openpyxl's, in English ("Workbook contains no stylesheet…"): not said
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise UnreadableDocument(f"无法作为 Excel 工作簿读取：{type(exc).__name__}") from None
    if len(wb.worksheets) > MAX_SHEETS:
        raise UnreadableDocument(f"有 {len(wb.worksheets)} 张工作表，超出一份公开表工作簿的大小，未读取。")
    for ws in wb.worksheets:
        rows = _rows(ws)
        i = 0
        while i < len(rows) and (not any(rows[i]) or _is_title(rows[i])):
            if any(rows[i]):
                # 2024年单位预算收支总表: the year before the title hides whose table it is (部门/单位)
                yield Para(re.sub(r"^\s*[0-9]{4}\s*年度?", "", _single(rows[i]) or ""))
            i += 1
        if i < len(rows):
            yield Grid(rows[i:])
        elif not rows:
            continue
        title = re.sub(r"\s", "", ws.title)
        if i == 0 and not rows:
            yield Para(title)


def _is_title(row: list[str]) -> bool:
    """A row holding one text that is no caption (编制单位, 单位：万元): a title above the table."""
    text = _single(row)
    if text is None or re.search(r"单位[：:]|预算年度|编制单位", text):
        return False
    return len(text) <= 60
