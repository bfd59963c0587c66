"""The nine tables of the department and of each unit as an Excel workbook, ready to print.

One worksheet per table and scope, named by the scope's code, the table's number and its title
(e.g. ``304001 表6 一般公共预算财政拨款基本支出表``: at most 31 characters, unique). Each sheet shows
the table's title, its caption line (code and name, 预算年度, 单位), the header as the Word table
draws it (both from the table catalogue, generator/figures/tables.py: the same merged cells),
then the body from the computed tables (context.nine_tables: the cells the Word table prints),
and under an empty table its note (空表列示). Money is numbers in the format ``#,##0.00`` (in the
table's unit, 元 or 万元; blank where the Word table is blank), 序号 whole numbers, codes and
names text.

Ready to print: A4 landscape, fitted to one page wide, the header rows repeated on every page
(the defined name _xlnm.Print_Titles), each column as wide as its longest content (names wrap
beyond 40 characters), header rows as tall as their wrapped words.

The package is written here, part by part, straight into the zip (SpreadsheetML is a handful of
small parts): openpyxl's writer, even write-only, took several times as long as the whole .docx
(a cell object and a style lookup per cell). Each sheet goes into the zip as soon as it is made,
so memory holds one sheet and the shared strings. The parts follow the schema's element order
(ECMA-376 SpreadsheetML; the tests validate them with openxml-audit and read them with openpyxl).
"""

from __future__ import annotations

import io
import math
import re
import time
import zipfile
from xml.sax.saxutils import escape, quoteattr

from openpyxl.writer.theme import theme_xml

from generator.document.context import carry_header, nine_tables, shown_table
from generator.document.package import version, zip_entry
from generator.figures import tables
from generator.figures.compute import Publication

MONEY_FORMAT = "#,##0.00"
NAME_WRAP = 40  # a name longer than this (in Excel's width units) wraps in its cell
LINE = 14.0  # points: a line of 10 pt text in a row
_HEADER_BREAK = re.compile(r"\s*\n\s*")
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'

# Cell formats (cellXfs), by name: their index is the cell's s attribute.
XF = {name: i for i, name in enumerate((
    "default", "title", "caption_left", "caption_mid", "caption_right", "header", "number", "centre", "left",
    "money", "note", "plain"))}
KIND_XF = {"number": "number", "code": "centre", "text": "centre", "note": "centre", "name": "left",
           "label": "left", "amount": "money", "money": "money", "count": "number"}

STYLES = (  # fonts in the order Excel writes a font's properties (b, sz, name, family, charset)
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet {_NS}>'
    f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{MONEY_FORMAT}"/></numFmts>'
    '<fonts count="4">'
    '<font><sz val="10"/><name val="宋体"/><family val="3"/><charset val="134"/></font>'
    '<font><b/><sz val="14"/><name val="黑体"/><family val="3"/><charset val="134"/></font>'
    '<font><sz val="10"/><name val="宋体"/><family val="3"/><charset val="134"/></font>'
    '<font><b/><sz val="10"/><name val="宋体"/><family val="3"/><charset val="134"/></font>'
    '</fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left style="thin"><color auto="1"/></left><right style="thin"><color auto="1"/></right>'
    '<top style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/></bottom><diagonal/></border>'
    '</borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    f'<cellXfs count="{len(XF)}">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment horizontal="center" vertical="center"/></xf>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment horizontal="left"/></xf>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment horizontal="center"/></xf>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment horizontal="right"/></xf>'
    '<xf numFmtId="0" fontId="3" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1" applyAlignment="1">'
    '<alignment horizontal="center" vertical="center" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1" applyAlignment="1">'
    '<alignment horizontal="center" vertical="center"/></xf>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1" applyAlignment="1">'
    '<alignment horizontal="center" vertical="center" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1" applyAlignment="1">'
    '<alignment horizontal="left" vertical="center" wrapText="1"/></xf>'
    '<xf numFmtId="164" fontId="2" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyFont="1" '
    'applyBorder="1" applyAlignment="1"><alignment horizontal="right" vertical="center"/></xf>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment horizontal="left" vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '</cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '<dxfs count="0"/><tableStyles count="0"/></styleSheet>')


def sheet_name(code: str, number: int, title: str, taken: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "", f"{code} 表{number} {title}")[:31]
    base, i = name, 2
    while name in taken:
        suffix = f"~{i}"
        name = base[:31 - len(suffix)] + suffix
        i += 1
    taken.add(name)
    return name


def _width(text: str) -> float:
    """Excel's column width units (the digit 0 of the default font) for ``text`` in 10 pt 宋体."""
    return sum(1.0 if ch.isascii() else 1.9 for ch in text)


def column(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _kinds(table) -> list[str]:
    return (["number"] if table.numbered else []) + [c.kind for c in table.columns]


def _header_grid(table, names: dict[str, str]) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    """The header as the Word table draws it: words per grid cell (merged cells hold theirs in the
    top left), and the merged rectangles. ``names``: what the template's names in header words say."""
    depth = table.depth + (1 if table.numbered else 0)
    grid = [[""] * len(_kinds(table)) for _ in range(depth)]
    merges = []
    for r0, c0, r1, c1, words in table.header_cells():
        words = re.sub(r"{{\s*([\w.]+)\s*}}", lambda m: names[m.group(1)], words)
        grid[r0][c0] = _HEADER_BREAK.sub("", words)
        if (r0, c0) != (r1, c1):
            merges.append((r0, c0, r1, c1))
    return grid, merges


def _column_widths(header: list[list[str]], merges, body: list[list[str]]) -> list[float]:
    merged = {(r0, c0) for r0, c0, r1, c1 in merges if c1 > c0}  # a header over several columns
    widths = [4.0] * len(header[0])
    for r, row in enumerate(header):
        for c, words in enumerate(row):
            if words and (r, c) not in merged:  # header words may wrap onto two lines
                widths[c] = max(widths[c], _width(words) / (2 if len(words) > 4 else 1))
    for row in body:
        for c, text in enumerate(row):
            if text:
                widths[c] = max(widths[c], _width(text))
    return [min(w, NAME_WRAP) + 2 for w in widths]


class Strings:
    """The shared strings table: each text once, cells refer to it by index."""

    def __init__(self):
        self.index: dict[str, int] = {}
        self.uses = 0

    def __call__(self, text: str) -> int:
        self.uses += 1
        found = self.index.get(text)
        if found is None:
            found = self.index[text] = len(self.index)
        return found

    def xml(self) -> bytes:
        items = "".join(f'<si><t xml:space="preserve">{escape(t)}</t></si>' for t in self.index)
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst {_NS} count="{self.uses}" '
                f'uniqueCount="{len(self.index)}">{items}</sst>').encode("utf-8")


def sheet_xml(strings: Strings, title: str, caption: list[str], table, rows: list[list[str]],
              names: dict[str, str], note: str | None) -> tuple[bytes, str]:
    """A worksheet part, and the rows its print titles repeat ($3:$5)."""
    kinds = _kinds(table)
    ncols = len(kinds)
    header, merges = _header_grid(table, names)
    body = [[str(i)] + row if table.numbered else row for i, row in enumerate(rows, 1)]
    widths = _column_widths(header, merges, body)
    top = 3  # the title, the caption, then the header
    last = column(ncols - 1)
    out: list[str] = []

    def text_cell(ref: str, text: str, xf: str) -> str:
        return f'<c r="{ref}" s="{XF[xf]}" t="s"><v>{strings(text)}</v></c>'

    def row(r: int, cells: str, height: float | None = None) -> None:
        tall = f' ht="{height:g}" customHeight="1"' if height else ""
        out.append(f'<row r="{r}"{tall}>{cells}</row>')

    row(1, text_cell("A1", title, "title"), 24)
    left, middle, right = caption
    mid = max(1, ncols // 2)
    line = [f'<c r="{column(c)}2" s="{XF["plain"]}"/>' for c in range(ncols)]
    line[0] = text_cell("A2", left, "caption_left")
    line[mid] = text_cell(f"{column(mid)}2", middle, "caption_mid")
    line[-1] = text_cell(f"{last}2", right, "caption_right")
    row(2, "".join(line))
    spans = {(r0, c0): c1 for r0, c0, r1, c1 in merges if r0 == r1}
    for r, words in enumerate(header):  # a row as tall as its wrapped words
        lines = max((math.ceil(_width(w) / max(sum(widths[c:spans.get((r, c), c) + 1]) - 1.5, 1))
                     for c, w in enumerate(words) if w), default=1)
        row(top + r, "".join(text_cell(f"{column(c)}{top + r}", w, "header") if w else
                             f'<c r="{column(c)}{top + r}" s="{XF["header"]}"/>' for c, w in enumerate(words)),
            LINE * max(lines, 1))
    xfs = [XF[KIND_XF[k]] for k in kinds]
    letters = [column(c) for c in range(ncols)]
    r = top + len(header)
    for values in body:
        cells = []
        for c, (kind, value) in enumerate(zip(kinds, values)):
            ref = f"{letters[c]}{r}"
            if not value:
                cells.append(f'<c r="{ref}" s="{xfs[c]}"/>')
            elif kind in ("amount", "money", "number"):
                cells.append(f'<c r="{ref}" s="{xfs[c]}"><v>{value.replace(",", "")}</v></c>')
            else:
                cells.append(f'<c r="{ref}" s="{xfs[c]}" t="s"><v>{strings(value)}</v></c>')
        row(r, "".join(cells))
        r += 1
    all_merges = [f"A1:{last}1"] + [f"{column(c0)}{top + r0}:{column(c1)}{top + r1}" for r0, c0, r1, c1 in merges]
    if note:
        row(r, text_cell(f"A{r}", note, "note"), LINE * 2)
        all_merges.append(f"A{r}:{last}{r}")
        r += 1
    frozen = top + len(header)
    cols = "".join(f'<col min="{c + 1}" max="{c + 1}" width="{w:.1f}" customWidth="1"/>' for c, w in enumerate(widths))
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_NS} {_R}>'
           '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
           f'<dimension ref="A1:{last}{r - 1}"/>'
           f'<sheetViews><sheetView workbookViewId="0"><pane ySplit="{frozen - 1}" topLeftCell="A{frozen}" '
           f'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A{frozen}" '
           f'sqref="A{frozen}"/></sheetView></sheetViews>'
           f'<sheetFormatPr defaultRowHeight="{LINE:g}"/><cols>{cols}</cols>'
           f'<sheetData>{"".join(out)}</sheetData>'
           f'<mergeCells count="{len(all_merges)}">{"".join(f"<mergeCell ref={quoteattr(m)}/>" for m in all_merges)}'
           '</mergeCells>'
           '<printOptions horizontalCentered="1"/>'
           '<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
           '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
           '</worksheet>')
    return xml.encode("utf-8"), f"${top}:${top + len(header) - 1}"


def _sheets(pub: Publication):
    """(sheet name, title, caption, table, rows, names in its header, note) of each sheet, in order."""
    dept = pub.department
    year = str(dept.year)
    taken: set[str] = set()
    alone = dept.publishes == "单位预算"
    for index, scope in enumerate([pub.scope] + ([] if alone else list(pub.units))):
        word = "单位" if index or alone else "部门"
        rows = nine_tables(pub, scope)
        names = {"doc.year": year, "doc.prior_year": str(dept.year - 1), "doc.tu": dept.table_unit,
                 "s.carry_header": carry_header(scope.figures)}
        for number, table in enumerate(tables.NINE, 1):
            unit = dept.text_unit if table.text_unit else dept.table_unit
            note = None
            if not rows[table.key] and table.key in tables.EMPTY_NOTES:
                note = tables.EMPTY_NOTES[table.key]
            if table is tables.T6 and not scope.t6_complete:  # as the Word file says it (template_builder)
                units = "、".join(u.name for u in scope.units if not u.general_economic_known)
                note = (tables.ECONOMIC_PARTIAL_NOTE.format(units=units if scope.kind == "department" and not alone
                                                            else "部分") if rows[table.key]
                        else tables.ECONOMIC_UNSTATED_NOTE)
            if table is tables.T9 and not scope.figures.sangong_known:
                note = tables.SANGONG_UNSTATED_NOTE
            yield (sheet_name(scope.code, number, table.title, taken), f"{word}预算{table.title}",
                   [f"{scope.code}{scope.name}", f"预算年度：{year}", f"单位：{unit}"], shown_table(scope, table),
                   rows[table.key], names, note)


def workbook_bytes(pub: Publication, epoch: int) -> bytes:
    """The workbook as reproducible bytes: fixed properties and entry dates."""
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
    strings = Strings()
    out = io.BytesIO()
    sheets: list[tuple[str, str]] = []  # (name, print titles)
    n = len(tables.NINE) * (1 if pub.department.publishes == "单位预算" else 1 + len(pub.units))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        def put(name: str, data: bytes | str) -> None:
            z.writestr(zip_entry(name, epoch), data.encode("utf-8") if isinstance(data, str) else data)

        overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.'
                            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, n + 1))
        put("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types '
            'xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.styles+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/xl/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'theme+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.'
            'core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            f'extended-properties+xml"/>{overrides}</Types>')
        put("_rels/.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
            'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
            'core-properties" Target="docProps/core.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'extended-properties" Target="docProps/app.xml"/></Relationships>')
        for name, title, caption, table, rows, names, note in _sheets(pub):
            xml, titles = sheet_xml(strings, title, caption, table, rows, names, note)
            sheets.append((name, titles))
            put(f"xl/worksheets/sheet{len(sheets)}.xml", xml)
        assert len(sheets) == n
        put("xl/sharedStrings.xml", strings.xml())
        put("xl/styles.xml", STYLES)
        put("xl/theme/theme1.xml", theme_xml)  # openpyxl's (Office's) theme: the schema requires one
        listed = "".join(f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{i}"/>'
                         for i, (name, _) in enumerate(sheets, 1))
        titles = "".join(f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
                         f"{escape(repr_sheet(name))}!{rows}</definedName>" for i, (name, rows) in enumerate(sheets))
        put("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {_NS} {_R}>'
                               f'<bookViews><workbookView/></bookViews><sheets>{listed}</sheets>'
                               f'<definedNames>{titles}</definedNames></workbook>')
        rels = "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                       f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, n + 1))
        rels += (f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                 f'relationships/styles" Target="styles.xml"/><Relationship Id="rId{n + 2}" Type="http://schemas.'
                 f'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                 f'<Relationship Id="rId{n + 3}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                 f'relationships/theme" Target="theme/theme1.xml"/>')
        put("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
            f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>')
        put("docProps/core.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties '
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape(pub.department.title)}</dc:title><dc:creator>budgetpub</dc:creator>"
            "<cp:lastModifiedBy>budgetpub</cp:lastModifiedBy><dc:language>zh-CN</dc:language>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>')
        put("docProps/app.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties '
            'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            f"<Application>budgetpub/{escape(version())}</Application></Properties>")
    return out.getvalue()


def repr_sheet(name: str) -> str:
    """A sheet's name as a formula writes it: quoted, a quote doubled."""
    return "'" + name.replace("'", "''") + "'"
