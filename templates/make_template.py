"""Build templates/publication.docx, the docxtpl template of the publication.

One master each, and no overlap:

- **structure and wording** are here: the parts, the nine tables and the
  情况说明, written once for the department and every unit; the tables'
  columns, header words and widths come from the table catalogue
  (generator/tables.py);
- **styles** (fonts, sizes, spacing, indents), **page margins** and the
  **footer** come from templates/reference.docx, which a finance office
  restyles in Word, the way pandoc uses ``--reference-doc``: its first
  section sets the landscape (table) pages, its last the portrait pages.

templates/publication.docx is the build's output: edit reference.docx in Word
or this script, never publication.docx, then rebuild:

    python templates/make_template.py                    # rewrites templates/publication.docx
    python templates/make_template.py --new-reference    # one-time scaffold: rewrites reference.docx

Conventions (see README "Templates"): the nine tables are written once inside
``{%p for s in scopes %}`` and serve the department and every unit; a
template holds layout and wording, never arithmetic; every number comes from
the context (generator/context.py); section-break paragraphs hold no tag.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from generator import tables  # noqa: E402  (the table catalogue)
from generator import ooxml  # noqa: E402
from generator.tables import Table  # noqa: E402
from generator.vocabulary import OPTIONAL_INDICATOR_COLUMNS  # noqa: E402

OUT = Path(__file__).resolve().parent / "publication.docx"
REFERENCE = Path(__file__).resolve().parent / "reference.docx"
YUAN_AMOUNTS = tables.AMOUNT_LOOK["元"]  # the look of 表格数字 in a publication whose tables are in 元

BODY_FONT, HEADING_FONT, TABLE_FONT = "仿宋", "黑体", "宋体"
TABLE_LINE = Pt(10)  # exact line height of 9 pt table text (宋体 single is about 10.4 pt)


# ------------------------------------------------------------------ styles

def _fonts(style_or_run, latin: str, east_asia: str) -> None:
    element = style_or_run.element if hasattr(style_or_run, "element") else style_or_run._element
    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), east_asia if attr == "w:eastAsia" else latin)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if rfonts.get(qn(theme)) is not None:
            del rfonts.attrib[qn(theme)]


def _style(doc, name, base=None, font=BODY_FONT, size=14, bold=False, align=None, indent=None,
           before=0, after=0, page_break=False, keep_next=False, line=None):
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        from docx.enum.style import WD_STYLE_TYPE
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if base:
        style.base_style = styles[base]
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    _fonts(style, "Times New Roman" if font == BODY_FONT else font, font)
    pf = style.paragraph_format
    if align is not None:
        pf.alignment = align
    pf.first_line_indent = indent
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    pf.page_break_before = page_break
    pf.keep_with_next = keep_next
    if line is not None:
        pf.line_spacing = line
    return style


def setup_styles(doc) -> None:
    _style(doc, "Normal", size=14, indent=Pt(28), line=1.35)
    doc.styles["Normal"].paragraph_format.widow_control = True  # no single line left at a page's edge
    _style(doc, "Heading 1", "Normal", HEADING_FONT, 26, True, WD_ALIGN_PARAGRAPH.CENTER, Pt(0), 220, 12,
           page_break=True)
    _style(doc, "Heading 2", "Normal", HEADING_FONT, 16, True, WD_ALIGN_PARAGRAPH.CENTER, Pt(0), 6, 12,
           page_break=True, keep_next=True)
    _style(doc, "Heading 3", "Normal", HEADING_FONT, 15, False, WD_ALIGN_PARAGRAPH.CENTER, Pt(0), 6, 6,
           page_break=True, keep_next=True)
    _style(doc, "Heading 4", "Normal", HEADING_FONT, 14, False, WD_ALIGN_PARAGRAPH.LEFT, Pt(28), 12, 3,
           keep_next=True)  # 12 pt above: a section heading after a table stands apart from it
    _style(doc, "表题", "Normal", HEADING_FONT, 12, False, WD_ALIGN_PARAGRAPH.CENTER, Pt(0), 6, 3, keep_next=True)
    _style(doc, "表格文字", "Normal", TABLE_FONT, 9, False, WD_ALIGN_PARAGRAPH.CENTER, Pt(0), line=TABLE_LINE)
    _style(doc, "表格数字", "表格文字", TABLE_FONT, 9, False, WD_ALIGN_PARAGRAPH.RIGHT, Pt(0), line=TABLE_LINE)
    _style(doc, "表格左对齐", "表格文字", TABLE_FONT, 9, False, WD_ALIGN_PARAGRAPH.LEFT, Pt(0), line=TABLE_LINE)
    _style(doc, "表头", "表格文字", TABLE_FONT, 9, True, WD_ALIGN_PARAGRAPH.CENTER, Pt(0), line=TABLE_LINE)
    _style(doc, "表注", "Normal", BODY_FONT, 10.5, False, WD_ALIGN_PARAGRAPH.LEFT, Pt(0), 3, 0, line=1.0)
    _style(doc, "封面标题", "Normal", HEADING_FONT, 26, True, WD_ALIGN_PARAGRAPH.CENTER, Pt(0), 0, 24, line=1.5)
    _style(doc, "封面副标题", "Normal", HEADING_FONT, 20, False, WD_ALIGN_PARAGRAPH.CENTER, Pt(0), 0, 12)
    _style(doc, "目录标题", "Normal", HEADING_FONT, 18, True, WD_ALIGN_PARAGRAPH.CENTER, Pt(0), 0, 12)
    _style(doc, "toc 1", "Normal", BODY_FONT, 12, True, WD_ALIGN_PARAGRAPH.LEFT, Pt(0), 3, 0, line=1.2)
    _style(doc, "toc 2", "Normal", BODY_FONT, 12, False, WD_ALIGN_PARAGRAPH.LEFT, Pt(0), 0, 0, line=1.2)
    doc.styles["toc 2"].paragraph_format.left_indent = Pt(24)
    _style(doc, "标签", "Normal", BODY_FONT, 14, False, None, Pt(28))  # for tag-only paragraphs


# ------------------------------------------------------------------ helpers

def para(doc, text: str = "", style: str = "Normal", bold: bool = False):
    p = doc.add_paragraph(style=style)
    if text:
        run = p.add_run(text)
        run.bold = bold or None
    return p


def subheading(doc, text: str):
    """A numbered sub-heading in the body text (1、收入说明): never the last line of a page."""
    p = para(doc, text)
    p.paragraph_format.keep_with_next = True
    return p


def tag(doc, text: str):
    """A paragraph holding only a docxtpl {%p ... %} tag: removed at rendering."""
    return para(doc, text, "标签")


# Header words in narrow columns: where a line may break (as the seed breaks them), so that Word and
# LibreOffice never break inside a word (事业收/入, 上解上/级支出, 计 量 单 位 one character a line).
HEADER_BREAKS = {
    "财政拨款收入": "财政拨款\n收入", "财政专户收入": "财政专户\n收入", "上级补助收入": "上级补助\n收入",
    "附属单位上缴收入": "附属单位\n上缴收入", "上解上级支出": "上解上级\n支出", "对附属单位补助支出": "对附属单位\n补助支出",
    "计量单位": "计量\n单位", "预算资金": "预算\n资金", "单位资金": "单位\n资金", "财政拨款结转": "财政\n拨款\n结转", "财政专户核拨": "财政\n专户\n核拨",
    "基金预算拨款": "基金\n预算\n拨款",
    "非财政拨款结转结余": "非财政\n拨款结转\n结余", "国有资本经营预算拨款": "国有资本\n经营预算\n拨款",
    "一般公共预算拨款": "一般公共\n预算拨款", "政府采购目录序号": "政府采购\n目录序号",
    "{{ doc.year }}年预留中小微企业份额": "{{ doc.year }}年\n预留中小\n微企业\n份额",
    "一般公共预算财政拨款": "一般公共预算\n财政拨款", "政府性基金预算财政拨款": "政府性基金\n预算财政拨款",
    "国有资本经营预算财政拨款": "国有资本经营\n预算财政拨款", "政府性基金预算拨款": "政府性基金\n预算拨款",
}
NARROW_MARGIN = 57  # twips (0.1 cm) left and right in a bordered table's cells: four characters fit 1.6 cm


def _set_cell(cell, text: str, style: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    if tcpr.find(qn("w:vAlign")) is None:
        v = OxmlElement("w:vAlign")
        v.set(qn("w:val"), "center")
        tcpr.append(v)
    p = cell.paragraphs[0]
    p.style = style
    p.text = ""
    for i, line in enumerate(text.split("\n") if text else []):
        run = p.add_run(line)
        if i:
            run._r.insert(0, OxmlElement("w:br"))


def _row_props(row, header: bool = False) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:cantSplit")
    trpr.append(el)
    if header:
        trpr.append(OxmlElement("w:tblHeader"))


def _widths(table, widths_cm) -> None:
    table.autofit = False
    tbl = table._tbl
    grid = tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_cm):
        col.set(qn("w:w"), str(int(Cm(w).twips)))
    # (autofit = False writes the fixed layout; ooxml.order gives every cell its grid width)


def _no_borders(table) -> None:
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{edge}")
        e.set(qn("w:val"), "nil")
        borders.append(e)
    tblpr.append(borders)


def caption(doc, cells: list[tuple[str, str]], width: float):
    """The line above a table: code+name · 预算年度 · 单位, as a borderless one-row table."""
    table = doc.add_table(rows=1, cols=len(cells))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    n = len(cells)
    # code and name get half the line (a unit's long name stays on one line), the rest share the other half
    _widths(table, [width / 2] + [width / 2 / (n - 1)] * (n - 1) if n > 2 else [width / n] * n)
    for cell, (text, style) in zip(table.rows[0].cells, cells):
        _set_cell(cell, text, style)
    _row_props(table.rows[0])
    keep_together(table)  # never the last line of a page without its table
    return table


def keep_together(table) -> None:
    """Keep a short table on one page: every row keeps with the next."""
    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True


def grid(doc, widths, header: list[tuple], header_rows: int, body: list[tuple[str, str]] | None,
         loop: str | None, empty_row: str | None = None, extra_rows: list | None = None,
         keep: bool = False):
    """A bordered table.

    header: merge rectangles (r0, c0, r1, c1, text) filling ``header_rows`` rows;
    body: the template row, (text, style) per column, repeated by ``loop``
    (e.g. "r in s.t2"); empty_row: a condition under which one blank row is shown.
    extra_rows: rows after the loop, each a list of (text, style).
    """
    ncols = len(widths)
    table = doc.add_table(rows=header_rows, cols=ncols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), str(NARROW_MARGIN))
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    table._tbl.tblPr.append(margins)
    for (r0, c0, r1, c1, text) in header:
        cell = table.cell(r0, c0)
        if (r1, c1) != (r0, c0):
            cell = cell.merge(table.cell(r1, c1))
        _set_cell(cell, HEADER_BREAKS.get(text, text), "表头")

    for row in table.rows:
        _row_props(row, header=True)

    def add_row(cells):
        row = table.add_row()
        _row_props(row)
        for cell, (text, style) in zip(row.cells, cells):
            _set_cell(cell, text, style)
        return row

    if loop:
        add_row([(f"{{%tr for {loop} %}}", "表格文字")] + [("", "表格文字")] * (ncols - 1))
        add_row(body)
        add_row([("{%tr endfor %}", "表格文字")] + [("", "表格文字")] * (ncols - 1))
    if empty_row:
        add_row([(f"{{%tr if {empty_row} %}}", "表格文字")] + [("", "表格文字")] * (ncols - 1))
        add_row([("", "表格文字")] * ncols)
        add_row([("{%tr endif %}", "表格文字")] + [("", "表格文字")] * (ncols - 1))
    for cells in extra_rows or []:
        add_row(cells)
    _widths(table, widths)
    if keep:
        keep_together(table)
    return table


# Page setup per orientation: (page width, page height, top, bottom, left, right), read from the reference.
PAGES: dict[bool, tuple] = {}


def _page_setup(section) -> tuple:
    return (section.page_width, section.page_height, section.top_margin, section.bottom_margin,
            section.left_margin, section.right_margin)


def _apply_page_setup(section, setup: tuple, landscape: bool) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    (section.page_width, section.page_height, section.top_margin, section.bottom_margin,
     section.left_margin, section.right_margin) = setup


_CELL_STYLE = {"code": "表格文字", "text": "表格文字", "name": "表格左对齐", "label": "表格左对齐",
               "amount": "表格数字", "money": "表格数字", "count": "表格数字"}


def catalogue_table(doc, table: Table, var: str | None = None, empty_row: bool = False, keep: bool = False):
    """A table of the catalogue: header, widths and body cells from ``table``; the body repeats
    over ``var`` (default ``s.<key>``), each cell ``{{ r[i] }}`` styled by its column's kind."""
    var = var or f"s.{table.key}"
    body = [T("{{ loop.index }}")] if table.numbered else []
    body += [(f"{{{{ r[{i}] }}}}", _CELL_STYLE[c.kind]) for i, c in enumerate(table.columns)]
    return grid(doc, table.widths, table.header_cells(), table.depth + (1 if table.numbered else 0), body,
                f"r in {var}", empty_row=f"not {var}" if empty_row else None, keep=keep)


def section_break(doc, landscape: bool) -> None:
    """A new page section. The paragraph python-docx adds for the break holds no tag."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _apply_page_setup(section, PAGES[landscape], landscape)
    # only the cover's section has a different (empty) first page; every later section's first
    # page (a landscape table, the page after it) shows the page number like the others
    section.different_first_page_header_footer = False


def text_width(landscape: bool) -> float:
    """cm between the margins of a page of this orientation."""
    width, _, _, _, left, right = PAGES[landscape]
    return round((width - left - right) / 360000, 1)


def page_number_footer(section) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run("— ")
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    run._r.addnext(fld)
    p.add_run(" —")
    for r in p.runs:
        _fonts(r, "Times New Roman", BODY_FONT)
        r.font.size = Pt(10.5)


def _field_run(kind: str, instr: str | None = None):
    r = OxmlElement("w:r")
    if instr is not None:
        t = OxmlElement("w:instrText")
        t.set(qn("xml:space"), "preserve")
        t.text = instr
        r.append(t)
    else:
        f = OxmlElement("w:fldChar")
        f.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            f.set(qn("w:dirty"), "true")
        r.append(f)
    return r


def toc(doc) -> None:
    """A real Word TOC field over heading levels 1-4 (parts, the scope headings, the department's
    tables and 情况说明 with its sections 一 to 九; a unit's tables and sections use the look-alike
    Heading 5 and 6, outside the contents). Its cached result is written at rendering from the
    document's headings, with page numbers when LibreOffice laid the document out (generator/toc.py)."""
    first = para(doc, "", "toc 1")
    for r in (_field_run("begin"), _field_run("", ' TOC \\o "1-4" \\h \\z \\u '), _field_run("separate")):
        first._p.append(r)
    last = para(doc, "", "toc 1")
    last._p.append(_field_run("end"))


def heading(doc, text: str, level: int) -> list:
    """A heading of the department (Heading 3/4, in the contents) or of a unit (Heading 5/6: the same
    look, outside the contents), chosen by s.is_unit."""
    tag(doc, "{%p if s.is_unit %}")
    unit = para(doc, text, f"Heading {level + 2}")
    tag(doc, "{%p else %}")
    dept = para(doc, text, f"Heading {level}")
    tag(doc, "{%p endif %}")
    return [dept, unit]


# ------------------------------------------------------------------ content

def T(text):  # a text cell
    return (text, "表格文字")


def L(text):  # a left-aligned text cell
    return (text, "表格左对齐")


def N(text):  # a number cell
    return (text, "表格数字")


def caption_line(doc, left: str, right: str, width: float):
    """A caption above a table in the flow of the text: left text, right text at a right tab stop;
    a paragraph (not a table), so that it keeps with its table on one page."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    p = para(doc, left + ("\t" + right if right else ""), "表注")
    p.paragraph_format.keep_with_next = True
    p.paragraph_format.tab_stops.add_tab_stop(Cm(width), WD_TAB_ALIGNMENT.RIGHT)
    for r in p.runs:
        _fonts(r, TABLE_FONT, TABLE_FONT)
        r.font.size = Pt(9)
    return p


def caption3(doc, width, unit: str = "{{ doc.tu }}"):
    caption(doc, [("{{ s.code_name }}", "表格左对齐"), ("预算年度：{{ doc.year }}", "表格文字"),
                  ("单位：" + unit, "表格数字")], width)


def table_heading(doc, table: Table):
    """The table's title (部门预算… / 单位预算…) and its caption line: code+name · year · money unit."""
    titles = heading(doc, "{{ s.word }}预算" + table.title, 3)
    caption3(doc, text_width(table.landscape), "{{ doc.u }}" if table.text_unit else "{{ doc.tu }}")
    return titles


EMPTY_NOTES = {"t5": "注：无一般公共预算财政拨款预算，空表列示。",
               "t6": "注：无一般公共预算财政拨款基本支出预算，空表列示。",
               "t7": "注：无政府性基金预算财政拨款预算，空表列示。",
               "t8": "注：无国有资本经营预算财政拨款预算，空表列示。"}


def nine_tables(doc) -> None:
    """T1 … T9 in catalogue order; a landscape table gets a section of its own."""
    landscape = False
    for i, table in enumerate(tables.NINE):
        if table.landscape != landscape:
            section_break(doc, landscape=table.landscape)
            landscape = table.landscape
        titles = table_heading(doc, table)
        if i == 0:  # T1 is on the page of the scope heading
            for p in titles:
                p.paragraph_format.page_break_before = False
        catalogue_table(doc, table, empty_row=table not in (tables.T1, tables.T4, tables.T9))
        if table.key in EMPTY_NOTES:
            tag(doc, f"{{%p if not s.{table.key} %}}")
            if table.key == "t6":  # empty because the breakdown is not given, or because there is nothing
                para(doc, "{% if s.n.economic_known %}" + EMPTY_NOTES["t6"] + "{% else %}"
                     "注：基本支出未提供经济分类明细，本表不列示。{% endif %}", "表注")
            else:
                para(doc, EMPTY_NOTES[table.key], "表注")
            tag(doc, "{%p endif %}")
        if landscape and (i + 1 == len(tables.NINE) or not tables.NINE[i + 1].landscape):
            section_break(doc, landscape=False)
            landscape = False


def performance_table(doc, published: tuple[str, ...]) -> None:
    """A project's 绩效目标表 with the optional columns ``published``: the 绩效目标 row first, then the
    header; indicator rows grouped by 一级指标 (merged vertically)."""
    columns = [c for c in PERFORMANCE_COLUMNS if c[0] not in OPTIONAL_INDICATOR_COLUMNS or c[0] in published]
    full = sum(c[3] for c in PERFORMANCE_COLUMNS)
    widths = [round(c[3] * full / sum(x[3] for x in columns), 2) for c in columns]
    if len(columns) == len(PERFORMANCE_COLUMNS):
        widths = [c[3] for c in columns]
    t = grid(doc, widths, [(0, i, 0, i, c[1]) for i, c in enumerate(columns)], 1, None, None)
    last = len(columns) - 1
    target = t.add_row()
    _row_props(target)
    _set_cell(target.cells[0], "绩效目标", "表头")
    merged = target.cells[1].merge(target.cells[last])
    _set_cell(merged, "{{ p.target }}", "表格左对齐")
    t._tbl.remove(target._tr)
    t._tbl.insert(t._tbl.index(t.rows[0]._tr), target._tr)
    trpr = target._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:tblHeader"))
    for text in ("{%tr for g in p.groups %}", "{%tr for i in g.rows %}"):
        row = t.add_row()
        _row_props(row)
        _set_cell(row.cells[0], text, "表格文字")
    row = t.add_row()
    _row_props(row)
    cells = [(c[2], "表格文字" if c[4] == "T" else "表格左对齐") for c in columns]
    for cell, (text, style) in zip(row.cells, cells):
        _set_cell(cell, text, style)
    for text in ("{%tr endfor %}", "{%tr endfor %}"):
        row = t.add_row()
        _row_props(row)
        _set_cell(row.cells[0], text, "表格文字")
    _widths(t, widths)
    keep_together(t)


# The 绩效目标表's columns: (key, header, cell, width in cm, alignment T centred / L left).
PERFORMANCE_COLUMNS = (
    ("level1", "一级指标", "{% vm %}{{ g.l1 }}", 2.2, "T"), ("level2", "二级指标", "{{ i.l2 }}", 2.6, "T"),
    ("level3", "三级指标", "{{ i.l3 }}", 3.2, "L"), ("description", "绩效指标描述", "{{ i.desc }}", 4.0, "L"),
    ("value", "指标值", "{{ i.value }}", 2.4, "T"), ("basis", "指标值确定依据", "{{ i.basis }}", 2.6, "T"))


def narrative(doc) -> None:
    W = text_width(False)
    heading(doc, "{{ s.name }}{{ doc.year }}年{{ s.word }}预算信息公开情况说明", 3)
    para(doc, "{{ doc.legal_basis }}，现将{{ s.name }}{{ doc.year }}年{{ s.word }}预算公开如下"
              "{% if doc.rounded_from %}（文中金额由以{{ doc.rounded_from }}为单位的预算数换算为{{ doc.u }}，"
              "四舍五入保留两位小数，分项之和与合计可能有尾差）{% endif %}：")

    # 一
    heading(doc, "一、{{ s.word }}职责及机构设置情况", 4)
    tag(doc, "{%p if s.duties %}")
    para(doc, "{{ s.word }}职责：")
    tag(doc, "{%p for d in s.duties %}")
    para(doc, "{{ d }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    para(doc, "机构设置：").paragraph_format.keep_with_next = True  # a lead-in stays with its table
    para(doc, "{{ s.word }}" + tables.UNITS.title, "表题")
    catalogue_table(doc, tables.UNITS, keep=True)

    # 二
    heading(doc, "二、{{ s.word }}预算安排的总体情况", 4)
    tag(doc, "{%p for o in s.overview %}")
    para(doc, "{{ o }}")
    tag(doc, "{%p endfor %}")
    subheading(doc, "1、收入说明")
    para(doc, "{{ doc.year }}年{{ s.word }}预算收入为{{ s.n.income_total }}{{ doc.u }}，其中：一般公共预算收入"
              "{{ s.n.income_general }}{{ doc.u }}，基金预算收入{{ s.n.income_fund }}{{ doc.u }}，"
              "{% if s.n.has_capital %}国有资本经营预算收入{{ s.n.income_capital }}{{ doc.u }}，{% endif %}"
              "财政专户核拨收入{{ s.n.income_special_account }}{{ doc.u }}，其他来源收入"
              "{{ s.n.income_other_sources }}{{ doc.u }}{% if s.n.has_surplus %}，上年结转{{ s.n.carry_in }}"
              "{{ doc.u }}，使用非财政拨款结余{{ s.n.carry_surplus }}{{ doc.u }}{% elif s.n.has_carry_in %}，上年结转结余"
              "{{ s.n.carry_in }}{{ doc.u }}{% endif %}。{% for d in s.income_details %}{% if loop.first %}其中："
              "{% endif %}{{ d.fund }}中{{ d.label }}{{ d.amount }}{{ doc.u }}{% if loop.last %}。{% else %}；"
              "{% endif %}{% endfor %}")
    subheading(doc, "2、支出说明")
    para(doc, "{{ doc.year }}年{{ s.word }}支出预算{{ s.n.expenditure_total }}{{ doc.u }}，其中：")
    para(doc, "基本支出{{ s.n.basic }}{{ doc.u }}{% if s.n.economic_known %}，其中：人员经费{{ s.n.personnel }}"
              "{{ doc.u }}，日常公用经费{{ s.n.public }}{{ doc.u }}{% endif %}；")
    para(doc, "项目支出{{ s.n.project }}{{ doc.u }}，其中：本级支出{{ s.n.project_own }}{{ doc.u }}"
              "{% if s.n.has_other_kinds %}；{% else %}。{% endif %}")
    tag(doc, "{%p if s.n.has_other_kinds %}")
    para(doc, "经营支出{{ s.n.operating }}{{ doc.u }}，上解上级支出{{ s.n.to_superior }}{{ doc.u }}，"
              "对附属单位补助支出{{ s.n.to_subordinate }}{{ doc.u }}。")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if s.n.has_carry_out %}")
    para(doc, "年终结转结余{{ s.n.carry_out }}{{ doc.u }}。")
    tag(doc, "{%p endif %}")
    subheading(doc, "3、比上年增减情况")
    para(doc, "本年度预算收支安排{{ s.n.expenditure_total }}{{ doc.u }}{% if s.n.has_prior_total %}，较上年预算"
              "{{ s.n.change_total_phrase }}{% endif %}{% if s.n.has_prior_split %}，"
              "其中：基本支出{{ s.n.change_basic_phrase }}{% if s.reasons.basic %}，主要原因：{{ s.reasons.basic }}"
              "{% endif %}；项目支出{{ s.n.change_project_phrase }}{% if s.reasons.project %}，主要原因："
              "{{ s.reasons.project }}{% endif %}"
              "{% if s.n.has_other_change %}；经营支出、上解上级支出和对附属单位补助支出合计"
              "{{ s.n.change_other_phrase }}{% endif %}{% endif %}{% if s.n.has_prior_fiscal %}；财政拨款支出"
              "{{ s.n.fiscal_expenditure }}{{ doc.u }}，较上年预算{{ s.n.change_fiscal_phrase }}{% endif %}。")

    # 三
    heading(doc, "三、机关运行经费安排情况", 4)
    para(doc, "{{ doc.year }}年，我{{ s.word }}{% if not s.n.has_running_costs %}无机关运行经费预算"
              "（机关运行经费只反映行政单位和参照公务员法管理的事业单位的运行经费）。{% elif not s.n.running_costs_known %}"
              "基本支出未按经济分类细化，机关运行经费不单独列示。{% else %}机关运行经费预算共计{{ s.n.running_costs }}"
              "{{ doc.u }}{% if s.running %}，其中：{% for i in s.running %}{{ i.label }}{{ i.amount }}{{ doc.u }}"
              "{% if not loop.last %}、{% endif %}{% endfor %}{% endif %}。{% endif %}"
              "项目支出{{ s.n.project }}{{ doc.u }}{% if s.projects %}，其中：{% for p in s.projects %}"
              "{{ p.name }}{{ p.amount }}{{ doc.u }}{% if not loop.last %}；{% endif %}{% endfor %}{% endif %}。")

    # 四
    heading(doc, "四、财政拨款“三公”经费预算情况及增减变化原因", 4)
    para(doc, "{{ doc.year }}年，我{{ s.word }}财政拨款“三公”经费预算安排{{ s.sangong.total }}{{ doc.u }}"
              "（详见下表）{% if s.sangong.prior_known %}，{{ s.sangong.total_row.phrase }}{% endif %}。其中："
              "因公出国（境）费{{ s.sangong.abroad.current }}{{ doc.u }}{% if s.sangong.prior_known %}，"
              "{{ s.sangong.abroad.phrase }}{% endif %}；公务用车购置及运行维护费{{ s.sangong.vehicles }}"
              "{{ doc.u }}{% if s.sangong.prior_known %}，{{ s.sangong.vehicles_phrase }}{% endif %}；公务接待费"
              "{{ s.sangong.host.current }}{{ doc.u }}{% if s.sangong.prior_known %}，{{ s.sangong.host.phrase }}"
              "{% endif %}。").paragraph_format.keep_with_next = True
    caption_line(doc, "", "单位：{{ doc.u }}", W)
    catalogue_table(doc, tables.SANGONG_COMPARISON, keep=True)

    # 五
    heading(doc, "五、预算绩效信息", 4)
    # a part or sub-part the sources do not give is left out, and the others numbered in order
    tag(doc, "{%p if not s.is_unit %}")
    tag(doc, "{%p if s.perf_parts.whole %}")
    para(doc, "{{ s.perf_parts.whole }}{{ s.word }}整体绩效目标", bold=True).paragraph_format.keep_with_next = True
    tag(doc, "{%p if s.perf_overall %}")
    subheading(doc, "{{ s.perf_heads.overall }}总体绩效目标")
    tag(doc, "{%p for o in s.perf_overall %}")
    para(doc, "{{ o }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if s.perf_items %}")
    subheading(doc, "{{ s.perf_heads.targets }}分项绩效目标")
    tag(doc, "{%p for it in s.perf_items %}")
    para(doc, "{{ it.ordinal }}{{ it.title }}")
    tag(doc, "{%p for g in it.goals %}")
    para(doc, "{% if loop.first %}绩效目标：{% endif %}{{ g }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p for i in it.indicators %}")
    para(doc, "{% if loop.first %}绩效指标：{% endif %}{{ i }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if s.perf_measures %}")
    subheading(doc, "{{ s.perf_heads.measures }}工作保障措施")
    tag(doc, "{%p for m in s.perf_measures %}")
    para(doc, "{{ m }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if s.special_funds %}")
    para(doc, "{{ s.perf_parts.special }}专项资金绩效目标", bold=True).paragraph_format.keep_with_next = True
    tag(doc, "{%p for t in s.special_funds %}")
    para(doc, "{{ t }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    para(doc, "{{ s.perf_parts.projects }}预算项目绩效目标", bold=True).paragraph_format.keep_with_next = True
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if not s.projects %}")
    para(doc, "本{{ s.word }}无项目支出，无项目绩效目标。")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for p in s.projects %}")
    para(doc, "{{ loop.index }}、{{ p.name }}绩效目标表", "表题")
    variants = [c for n in range(len(OPTIONAL_INDICATOR_COLUMNS), -1, -1)
                for c in itertools.combinations(OPTIONAL_INDICATOR_COLUMNS, n)]
    for published in variants:  # one table per set of optional columns a region may publish
        key = ",".join(published)
        wrap = len(variants) > 1
        if wrap:
            tag(doc, f"{{%p if doc.indicator_columns == \"{key}\" %}}")
        performance_table(doc, published)
        if wrap:
            tag(doc, "{%p endif %}")
    para(doc, "")
    tag(doc, "{%p endfor %}")

    # 六
    tag(doc, "{%p if s.procurement_table %}")
    section_break(doc, landscape=True)  # the heading and its lead-in sentence on the page of the table
    tag(doc, "{%p endif %}")
    heading(doc, "六、政府采购预算情况", 4)
    para(doc, "{{ doc.year }}年，{{ s.name }}安排政府采购预算{{ s.n.procurement }}{{ doc.u }}。"
              "{% if s.n.has_procurement %}{% for c in s.n.procurement_categories %}{% if loop.first %}其中：{% endif %}"
              "{{ c.label }}{{ c.amount }}{{ doc.u }}{% if not loop.last %}、{% else %}。{% endif %}{% endfor %}"
              "{% if s.n.has_sme %}预留中小企业份额{{ s.n.sme_reserved }}{{ doc.u }}{% if s.n.has_small_micro %}，"
              "其中面向小微企业{{ s.n.sme_small_micro }}{{ doc.u }}{% endif %}。{% endif %}{% endif %}"
              "{% if s.procurement_table %}具体内容见下表。{% endif %}").paragraph_format.keep_with_next = True
    tag(doc, "{%p if s.procurement_table %}")  # known only by category totals: no table of items
    para(doc, "{{ s.word }}" + tables.PROCUREMENT.title, "表题")
    caption(doc, [("{{ s.code_name }}", "表格左对齐"), ("单位：{{ doc.tu }}", "表格数字")], text_width(True))
    catalogue_table(doc, tables.PROCUREMENT, empty_row=True)
    para(doc, "注：同一采购目录序号的物品，其单价会因配置规格不同而变动，均符合资产配置标准。涉密采购事项按照相关规定执行。",
         "表注")
    tag(doc, "{%p if not s.procurement %}")
    para(doc, "注：无政府采购预算，空表列示。", "表注")
    tag(doc, "{%p endif %}")
    section_break(doc, landscape=False)
    tag(doc, "{%p endif %}")

    # 七
    heading(doc, "七、国有资产信息", 4)
    para(doc, "{{ s.name }}{% if s.includes_units %}（含所属单位）{% endif %}{% if s.n.has_assets_value %}上年末固定资产"
              "金额为{{ s.n.assets_value }}{{ doc.u }}（详见下表）{% else %}上年末固定资产情况详见下表{% endif %}。"
              "{% if s.n.has_asset_purchases %}本年度拟购置固定资产总额为{{ s.n.asset_purchases }}"
              "{{ doc.u }}，已按要求列入政府采购预算，详见政府采购预算表。{% endif %}").paragraph_format.keep_with_next = True
    para(doc, "{{ s.word }}" + tables.ASSETS.title, "表题")
    caption_line(doc, "{{ s.code_name }}", "截止时间：{{ s.assets_as_of }}", W)
    assets = catalogue_table(doc, tables.ASSETS, keep=True)
    # as the seed: 1、… indented under 固定资产总额, 其中 rows further, their continuation under 其中：'s text
    for cell in assets._tbl.iter(qn("w:tc")):
        for t in cell.iter(qn("w:t")):
            if t.text == "{{ r[0] }}":
                t.text = ("{% if loop.first %}{% elif r[0][:1] in '0123456789' %}\u3000"
                          "{% elif r[0].startswith('其中') %}\u3000\u3000{% else %}\u3000\u3000\u3000\u3000\u3000"
                          "{% endif %}{{ r[0] }}")


    # 八
    heading(doc, "八、名词解释", 4)
    tag(doc, "{%p for g in doc.glossary %}")  # the region's wording: templates/wording.yaml
    para(doc, "{{ g }}")
    tag(doc, "{%p endfor %}")

    # 九
    heading(doc, "九、其他需要说明的事项", 4)
    tag(doc, "{%p for o in s.other_matters %}")
    para(doc, "{{ o }}")
    tag(doc, "{%p endfor %}")


def derive_styles(doc) -> None:
    """Styles the publication needs beyond reference.docx, derived from the ones an office may restyle
    there: a unit's headings (Heading 5, 6) look like Heading 3, 4 but keep their own outline level
    (outside the contents, still PDF bookmarks); contents levels 3 and 4 look like level 2, indented
    further."""
    from copy import deepcopy
    from docx.enum.style import WD_STYLE_TYPE
    styles = doc.styles

    def copy_look(src_name: str, dst_name: str):
        try:
            dst = styles[dst_name]
        except KeyError:
            dst = styles.add_style(dst_name, WD_STYLE_TYPE.PARAGRAPH)
        src = styles[src_name]
        for tag_name in ("w:pPr", "w:rPr"):
            old = dst.element.find(qn(tag_name))
            if old is not None:
                dst.element.remove(old)
            new = src.element.find(qn(tag_name))
            if new is not None:
                dst.element.append(deepcopy(new))
        dst.base_style = src.base_style
        return dst

    for level in (3, 4):
        unit = copy_look(f"Heading {level}", f"Heading {level + 2}")
        ppr = unit.element.get_or_add_pPr()
        for old in ppr.findall(qn("w:outlineLvl")):
            ppr.remove(old)
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), str(level + 1))  # 0-based: Heading 5 is outline level 4
        ppr.append(outline)
        ooxml.order_element(ppr)
    # amounts in 元 are four characters longer than in 万元 (4,544,150.00 for 454.42): the tables of a
    # publication in 元 print them in this look (generator/package.py puts it on 表格数字), smaller and
    # condensed, so that a seven-digit amount keeps to one line in the narrowest column (1.6 cm)
    if YUAN_AMOUNTS not in [st.name for st in styles]:
        yuan = copy_look("表格数字", YUAN_AMOUNTS)
        yuan.font.size = Pt(7.5)
        rpr = yuan.element.get_or_add_rPr()
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), "-6")  # twentieths of a point: 0.3 pt closer per character
        sz = rpr.find(qn("w:sz"))
        (sz.addprevious if sz is not None else rpr.append)(spacing)
    indent = styles["toc 2"].paragraph_format.left_indent or Pt(12)
    for level in (3, 4):
        if f"toc {level}" not in [st.name for st in styles]:
            copy_look("toc 2", f"toc {level}").paragraph_format.left_indent = Pt(indent.pt + 12 * (level - 2))


def make_reference(path: Path = REFERENCE) -> None:
    """The one-time scaffold of reference.docx: the styles, a landscape section (the table pages)
    and a portrait one (every other page) with the page-number footer. An office restyles it in Word."""
    doc = Document()
    setup_styles(doc)
    body = doc.sections[0]
    _apply_page_setup(body, (Mm(297), Mm(210), Mm(15), Mm(15), Mm(20), Mm(20)), landscape=True)
    para(doc, "横向页面（表格页）：在 Word 中调整本节的页边距，生成的横向表格页将沿用。")
    doc.add_section(WD_SECTION.NEW_PAGE)
    last = doc.sections[-1]
    _apply_page_setup(last, (Mm(210), Mm(297), Mm(25), Mm(25), Mm(20), Mm(20)), landscape=False)
    last.footer.is_linked_to_previous = False
    page_number_footer(last)
    last.different_first_page_header_footer = True  # no page number on the cover
    para(doc, "纵向页面：在 Word 中修改样式（字体、字号、间距、缩进）、页边距和页脚，"
              "然后运行 python templates/make_template.py 重新生成 publication.docx。")
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "表题", "表格文字", "表格数字",
                 "表格左对齐", "表头", "表注", "封面标题", "封面副标题", "目录标题", "toc 1", "toc 2"):
        para(doc, f"样式：{name}", name)
    doc.save(path)


def build(path: Path = OUT, reference: Path = REFERENCE) -> None:
    """publication.docx: the structure below, on the styles, margins and footer of ``reference``."""
    doc = Document(str(reference))
    PAGES[True] = _page_setup(doc.sections[0])
    PAGES[False] = _page_setup(doc.sections[-1])
    body = doc.element.body
    for child in list(body):  # keep only the last section's properties: the cover's page
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    derive_styles(doc)

    # Cover
    for _ in range(6):
        para(doc, "", "封面副标题")
    para(doc, "{{ doc.name }}", "封面标题")
    para(doc, "{{ doc.year }}年{{ doc.kind }}", "封面副标题")
    tag(doc, "{%p if doc.revision %}")  # 数据版本: the git revision of the sources; no line outside git
    stamp = para(doc, "数据版本：{{ doc.revision }}")
    stamp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    stamp.runs[0].font.size = Pt(9)
    tag(doc, "{%p endif %}")
    # Table of contents
    p = para(doc, "目  录", "目录标题")
    p.paragraph_format.page_break_before = True
    toc(doc)
    # The cover's section (an empty first-page footer) ends here: a section inside the loop over
    # scopes takes its properties from the break that ends it, and must not inherit the cover's.
    section_break(doc, landscape=False)

    tag(doc, "{%p for s in scopes %}")
    tag(doc, "{%p if s.part_heading %}")
    para(doc, "{{ s.part_heading }}", "Heading 1")
    tag(doc, "{%p endif %}")
    para(doc, "{{ s.heading }}", "Heading 2")
    nine_tables(doc)
    narrative(doc)
    tag(doc, "{%p endfor %}")

    doc.core_properties.title = "{{ doc.title }}"
    doc.core_properties.author = "budgetpub"
    doc.core_properties.comments = ""
    # schema order and cell widths once, here, as Word would write them: rendering keeps them
    # (generator/ooxml.py: order_rendered puts back the one thing docxtpl disturbs)
    ooxml.order(doc.element)
    doc.save(path)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="生成 templates/publication.docx（结构在本脚本，样式在 reference.docx）。")
    parser.add_argument("out", nargs="?", type=Path, default=OUT, help="输出文件（默认 templates/publication.docx）")
    parser.add_argument("--reference", type=Path, default=REFERENCE, help="样式参考文件（默认 templates/reference.docx）")
    parser.add_argument("--new-reference", action="store_true",
                        help="重新生成样式参考文件（会覆盖在 Word 中所做的样式修改）")
    args = parser.parse_args(argv)
    if args.new_reference:
        make_reference(args.reference)
        print(f"written {args.reference}")
    build(args.out, args.reference)
    print(f"written {args.out}")


if __name__ == "__main__":
    main()
