"""Spreadsheets as rows of cells, read as untrusted data: an Excel workbook (.xlsx, .xlsm) or a CSV
file (UTF-8, GBK as Excel on Chinese Windows saves it, or Excel's UTF-16 “Unicode 文本”).

The workbook is read from its parts directly (workbook, relationships, shared strings, sheets),
not through a spreadsheet library: nothing in it is evaluated, no style or drawing is parsed, and
every bound is checked before the memory is spent:

- the file is a regular file of at most XLSX_MAX_BYTES, a zip of at most MAX_ENTRIES entries,
  none encrypted or compressed by an unknown method, each declared at most ENTRY_MAX_BYTES and
  together at most TOTAL_MAX_BYTES (a zip entry is never read beyond its declared size);
- an XML part with a DTD (<!DOCTYPE, <!ENTITY) is refused: Excel never writes one, an entity bomb needs one;
- at most MAX_SHEETS sheets and MAX_ROWS non-empty rows each; a cell of more than MAX_CELL_CHARS
  characters is not read (and says so);
- a formula is never evaluated: its value is the one Excel saved with it; one saved without a value
  cannot be read (and says so). An error value (#N/A), a logical value or a date says what it is.

A problem is reported with the file (and sheet) and row; the caller gets None and writes nothing.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError, iterparse

from generator.errors import Location, Report
from generator.figures.csvtext import MAX_CELL_CHARS, MAX_ROWS, decode, read_bytes, rows, shorten, visible

XLSX_MAX_BYTES = 20 * 1024 * 1024
CSV_MAX_BYTES = 20 * 1024 * 1024
MAX_ENTRIES = 2_000
ENTRY_MAX_BYTES = 32 * 1024 * 1024  # the whole 支出功能分类 as a sheet is some 2 MB of XML
TOTAL_MAX_BYTES = 128 * 1024 * 1024
MAX_SHEETS = 200
MAX_COLUMN = 16_384  # XFD, Excel's last column
CODE = "import"  # the problems' code prefix: import.unreadable, import.encoding, …

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .et and other OLE compound files
DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)  # (Excel writes none: a workbook part holding one is refused)
_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})$")


@dataclass(frozen=True)
class Cell:
    text: str  # what the cell shows: a whole number without “.0”; "" when empty
    number: bool = False  # a number in Excel (a 款 typed as 1 and shown as 01 has lost its zero)
    problem: str | None = None  # why the cell cannot be read
    formula: bool = False  # its value is the one Excel saved with its formula


@dataclass
class Sheet:
    name: str  # the sheet's name; for a CSV file, the file's name
    shown: str  # the file and sheet as messages name them
    rows: list[tuple[int, dict[int, Cell]]] = field(default_factory=list)  # non-empty rows: number → column → cell
    hidden: bool = False
    encoding: str = ""  # a CSV file's

    def where(self, row: int | None = None) -> Location:
        return Location(self.shown, row)


def column_letter(column: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _number_text(text: str) -> str:
    """A number as Excel shows it in a general cell: 201 not 201.0; others as written."""
    try:
        value = float(text)
    except ValueError:
        return text
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return text


# ------------------------------------------------------------------ CSV

def read_csv_sheet(path: Path, shown: str, report: Report) -> Sheet | None:
    data = read_bytes(path, shown, report, CSV_MAX_BYTES, CODE)
    decoded = decode(data, shown, report, CODE) if data is not None else None
    found = rows(decoded[0], shown, report, CODE) if decoded else None
    if found is None:
        return None
    sheet = Sheet(Path(path).name, shown, encoding=decoded[1])
    for line, cells in found:
        kept = {i + 1: Cell(c) for i, c in enumerate(cells) if c.strip()}
        if kept:
            sheet.rows.append((line, kept))
    return sheet


# ------------------------------------------------------------------ workbook

class _Refused(Exception):
    """The workbook cannot be read: the message says why."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class _Workbook:
    def __init__(self, data: bytes):
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, ValueError, OSError, EOFError):
            raise _Refused("文件已损坏，或不是 Excel（.xlsx）文件。") from None
        if len(infos) > MAX_ENTRIES:
            raise _Refused(f"文件中的部件超过 {MAX_ENTRIES:,} 个，不像是 Excel 写的工作簿。")
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise _Refused("文件已加密：请在 Excel 中取消密码后另存，再导入。")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise _Refused("文件使用了 Excel 不用的压缩方式：请在 Excel 中打开后另存为 .xlsx，再导入。")
            if info.file_size > ENTRY_MAX_BYTES:
                raise _Refused(f"文件中的 {shorten(info.filename, 60)} 解压后超过 {ENTRY_MAX_BYTES // (1024 * 1024)} MB，"
                               "不像是分类科目表。")
            total += info.file_size
        if total > TOTAL_MAX_BYTES:
            raise _Refused(f"文件解压后超过 {TOTAL_MAX_BYTES // (1024 * 1024)} MB，不像是分类科目表。")
        self.names = {info.filename for info in infos}

    def part(self, name: str) -> bytes:
        if name not in self.names:
            raise _Refused(f"工作簿缺少部件 {shorten(name, 60)}：文件不完整。")
        try:
            data = self.zip.read(name)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, RuntimeError,
                NotImplementedError):
            raise _Refused(f"工作簿的部件 {shorten(name, 60)} 已损坏，无法读取。") from None
        if DTD.search(data):
            raise _Refused(f"工作簿的部件 {shorten(name, 60)} 含有 DTD 声明（<!DOCTYPE 或 <!ENTITY）：Excel 不写这种内容，"
                           "文件可能被改动过，未读取。")
        return data

    def elements(self, name: str):
        """(element, local tag) at the end of each element of the XML part ``name``; cleared after use."""
        try:
            for _, element in iterparse(io.BytesIO(self.part(name)), events=("end",)):
                yield element, _local(element.tag)
        except ParseError:
            raise _Refused(f"工作簿的部件 {shorten(name, 60)} 不是有效的 XML：文件已损坏。") from None

    def relationships(self, owner: str) -> dict[str, tuple[str, str]]:
        """Id → (the part a relationship of ``owner`` points at: a name inside the zip, never a path; its type)."""
        folder, base = posixpath.split(owner)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        if rels not in self.names:
            return {}
        out = {}
        for element, tag in self.elements(rels):
            if tag == "Relationship" and element.get("TargetMode") != "External":
                target = element.get("Target") or ""
                target = target[1:] if target.startswith("/") else posixpath.join(folder, target)
                kind = (element.get("Type") or "").rsplit("/", 1)[-1]
                out[element.get("Id") or ""] = (posixpath.normpath(target), kind)
        return out

    def workbook_part(self) -> str:
        for target, kind in self.relationships("").values():  # _rels/.rels: the office document
            if kind == "officeDocument":
                return target
        return "xl/workbook.xml"

    def shared_strings(self, workbook: str) -> list[str]:
        rels = self.relationships(workbook)
        part = next((target for target, kind in rels.values() if kind == "sharedStrings"), None)
        if part is None:
            return []
        strings = []
        for element, tag in self.elements(part):
            if tag == "si":  # its text, or its runs' texts; never the phonetic guide (rPh)
                texts = []
                for child in element:
                    if _local(child.tag) == "t":
                        texts.append(child.text or "")
                    elif _local(child.tag) == "r":
                        texts += [t.text or "" for t in child if _local(t.tag) == "t"]
                strings.append("".join(texts))
                element.clear()
        return strings

    def sheets(self) -> list[tuple[str, str, bool]]:
        """(name, part, hidden) of each sheet, in the workbook's order."""
        workbook = self.workbook_part()
        rels = self.relationships(workbook)
        out = []
        for element, tag in self.elements(workbook):
            if tag == "sheet":
                rid = next((v for k, v in element.attrib.items() if _local(k) == "id"), "")
                if rid not in rels:
                    raise _Refused(f"工作表“{shorten(element.get('name') or '')}”找不到它的内容：文件已损坏。")
                out.append((element.get("name") or "", rels[rid][0], element.get("state") in ("hidden", "veryHidden")))
        if len(out) > MAX_SHEETS:
            raise _Refused(f"工作簿有 {len(out):,} 个工作表，超过 {MAX_SHEETS} 个，不像是分类科目表。")
        return out


def _cell(element, strings: list[str]) -> Cell | None:
    """The cell of a <c> element (None: empty)."""
    kind = element.get("t") or "n"
    formula, raw = False, None
    for child in element:  # <f> formula, <v> value, <is> inline text (its <t>, or its runs' <t>)
        tag = _local(child.tag)
        if tag == "f":
            formula = True
        elif tag == "v":
            raw = child.text
        elif tag == "is" and kind == "inlineStr":
            raw = "".join(t.text or "" for t in child.iter() if _local(t.tag) == "t")
    if raw is None or raw == "":
        return Cell("", problem="是公式，但没有保存计算结果（请在 Excel 中打开、保存后再导入）", formula=True) if formula else None
    if kind == "s":
        try:
            text = strings[int(raw)]
        except (ValueError, IndexError):
            return Cell("", problem="引用了不存在的共享文字（文件已损坏）")
    elif kind == "n":
        return Cell(_number_text(raw), number=True, formula=formula)
    elif kind == "b":
        return Cell(raw, problem="是逻辑值（TRUE/FALSE），不是编码或名称", formula=formula)
    elif kind == "e":
        return Cell(raw, problem=f"是错误值 {shorten(raw, 12)}", formula=formula)
    elif kind == "d":
        return Cell(raw, problem="是日期，不是编码或名称", formula=formula)
    else:  # str (a formula's text), inlineStr
        text = raw
    if len(text) > MAX_CELL_CHARS:
        return Cell(shorten(text), problem=f"超过 {MAX_CELL_CHARS:,} 个字符，不是编码或名称", formula=formula)
    return Cell(text, formula=formula) if text.strip() else None


def _sheet_rows(book: _Workbook, part: str, strings: list[str], sheet: Sheet) -> None:
    row_number, column = 0, 0
    current: dict[int, Cell] = {}
    for element, tag in book.elements(part):
        if tag == "c":
            ref = _CELL_REF.match(element.get("r") or "")
            column = _column_number(ref.group(1)) if ref else column + 1
            if ref:
                row_number = int(ref.group(2))
            if 0 < column <= MAX_COLUMN:
                cell = _cell(element, strings)
                if cell is not None:
                    current[column] = cell
            element.clear()
        elif tag == "row":
            given = element.get("r")
            row_number = int(given) if given and given.isdigit() else row_number + 1
            if current:
                if len(sheet.rows) >= MAX_ROWS:
                    raise _Refused(f"工作表“{shorten(sheet.name)}”超过 {MAX_ROWS:,} 行，不像是分类科目表。")
                sheet.rows.append((row_number, current))
            current, column = {}, 0
            element.clear()
        elif tag == "sheetData":
            element.clear()


def read_workbook(path: Path, shown: str, report: Report) -> list[Sheet] | None:
    """The sheets of an .xlsx/.xlsm workbook (each its non-empty rows), or None with the reason reported."""
    data = read_bytes(path, shown, report, XLSX_MAX_BYTES, CODE)
    if data is None:
        return None
    if data.startswith(_OLE):
        report.error(f"{CODE}.format", "这是旧版 Excel 文件（.xls，或 WPS 的 .et）：请在 Excel 或 WPS 中另存为 "
                     "“Excel 工作簿（.xlsx）”或“CSV（逗号分隔）”，再导入。", Location(shown))
        return None
    if not data.startswith(b"PK"):
        report.error(f"{CODE}.format", "这不是 Excel 工作簿（.xlsx）：可以导入 .xlsx、.xlsm 或 .csv 文件。", Location(shown))
        return None
    try:
        book = _Workbook(data)
        workbook = book.workbook_part()
        strings = book.shared_strings(workbook)
        sheets = []
        for name, part, hidden in book.sheets():
            name = visible(name)  # a sheet's name is printed and written: nothing in it may hide
            sheet = Sheet(name, f"{shown}（工作表“{shorten(name)}”）", hidden=hidden)
            _sheet_rows(book, part, strings, sheet)
            sheets.append(sheet)
    except _Refused as exc:
        report.error(f"{CODE}.workbook", str(exc), Location(shown))
        return None
    except RecursionError:
        report.error(f"{CODE}.workbook", "工作簿的 XML 嵌套过深：文件已损坏或被改动过。", Location(shown))
        return None
    if not sheets:
        report.error(f"{CODE}.workbook", "工作簿中没有工作表。", Location(shown))
        return None
    return sheets


def read_sheets(path: Path, shown: str, report: Report) -> list[Sheet] | None:
    """The sheets of ``path``: a workbook's, or the one of a CSV (or tab-separated text) file."""
    if Path(path).suffix.lower() in (".csv", ".txt", ".tsv"):
        sheet = read_csv_sheet(path, shown, report)
        return [sheet] if sheet is not None else None
    return read_workbook(path, shown, report)
