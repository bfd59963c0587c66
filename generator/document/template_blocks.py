"""The building blocks of the template: styles, paragraphs, bordered tables from the table
catalogue, page setup, the page-number footer and the contents field.

template_builder.py puts them together into templates/publication.docx; make_reference writes
the one-time scaffold of templates/reference.docx (the styles, margins and footer an office
restyles in Word).
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from generator.figures import tables
from generator.figures.tables import Table
from generator.resources import packaged

from . import ooxml
from .widths import CONDENSED, HEADER_BREAKS

TEMPLATES = packaged("templates")
OUT = TEMPLATES / "publication.docx"
REFERENCE = TEMPLATES / "reference.docx"

YUAN_AMOUNTS = tables.AMOUNT_LOOK["元"]  # the look of 表格数字 in a publication whose tables are in 元


BODY_FONT, HEADING_FONT, TABLE_FONT = "仿宋", "黑体", "宋体"


# Table text: 9 pt on an exact 10.5 pt line, with the cells' top and bottom margins below, keeps the
# characters off the rules (on an exact 10 pt line and no margins, LibreOffice set them on the
# upper rule) at the seed's density: a 40-row table on one landscape page.
TABLE_LINE = Pt(10)
CELL_TOP, CELL_BOTTOM = 0, 12  # twips: on an exact line LibreOffice sets the glyphs low


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
    # the part (第一部分 部门预算) heads the first page of its part, as the seed has it: no page of its own
    _style(doc, "Heading 1", "Normal", HEADING_FONT, 18, True, WD_ALIGN_PARAGRAPH.CENTER, Pt(0), 0, 12,
           page_break=True, keep_next=True, line=1.0)
    _style(doc, "Heading 2", "Normal", HEADING_FONT, 16, True, WD_ALIGN_PARAGRAPH.CENTER, Pt(0), 6, 12,
           page_break=True, keep_next=True, line=1.0)
    _style(doc, "Heading 3", "Normal", HEADING_FONT, 15, False, WD_ALIGN_PARAGRAPH.CENTER, Pt(0), 0, 6,
           page_break=True, keep_next=True, line=1.0)  # single-spaced: a 40-row table fits under it
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
    # the page number: centred, without Normal's first-line indent, dashes and digits in one size
    _style(doc, "Footer", "Normal", "Times New Roman", 10.5, False, WD_ALIGN_PARAGRAPH.CENTER, Pt(0), line=1.0)


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


def _borders(table, drawn: bool) -> None:
    """The table's borders stated on the table itself: every line drawn (single, ½ pt, what Word's
    "Table Grid" style gives) or none. Not by a table style: LibreOffice works a table style out
    again for every cell, which was 40 % of its time opening a table-heavy part for the contents'
    page numbers (docs/dev/benchmarks.md); the pages are the same."""
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{edge}")
        if drawn:
            for name, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "auto")):
                e.set(qn(f"w:{name}"), value)
        else:
            e.set(qn("w:val"), "nil")
        borders.append(e)
    tblpr.append(borders)


def _cells_without_borders(row) -> None:
    """No border on the row's cells themselves. The caption's table is followed by its table with
    no paragraph between, and LibreOffice joins the two: the table's borders would be drawn around
    the caption too."""
    for cell in row.cells:
        borders = OxmlElement("w:tcBorders")
        for edge in ("top", "left", "bottom", "right"):
            e = OxmlElement(f"w:{edge}")
            e.set(qn("w:val"), "nil")
            borders.append(e)
        cell._tc.get_or_add_tcPr().append(borders)


def caption(doc, cells: list[tuple[str, str]], width: float):
    """The line above a table: code+name · 预算年度 · 单位, as a borderless one-row table."""
    table = doc.add_table(rows=1, cols=len(cells))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _borders(table, drawn=False)
    n = len(cells)
    # code and name get half the line (a unit's long name stays on one line), the rest share the other half
    _widths(table, [width / 2] + [width / 2 / (n - 1)] * (n - 1) if n > 2 else [width / n] * n)
    for cell, (text, style) in zip(table.rows[0].cells, cells):
        _set_cell(cell, text, style)
    _cells_without_borders(table.rows[0])
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
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _borders(table, drawn=True)
    margins = OxmlElement("w:tblCellMar")
    for side, width in (("top", CELL_TOP), ("left", NARROW_MARGIN), ("bottom", CELL_BOTTOM),
                        ("right", NARROW_MARGIN)):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), str(width))
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
            section.left_margin, section.right_margin, section.footer_distance)


def _apply_page_setup(section, setup: tuple, landscape: bool) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    (section.page_width, section.page_height, section.top_margin, section.bottom_margin,
     section.left_margin, section.right_margin, section.footer_distance) = setup


_CELL_STYLE = {"code": "表格文字", "text": "表格文字", "note": "表格文字", "name": "表格左对齐", "label": "表格左对齐",
               "amount": "表格数字", "money": "表格数字", "count": "表格数字"}


def catalogue_table(doc, table: Table, var: str | None = None, empty_row: bool = False, keep: bool = False,
                    landscape: bool | None = None, widths_key: str | None = None):
    """A table of the catalogue: header and body cells from ``table``; the body repeats over ``var``
    (default ``s.<key>``), each cell ``{{ r[i] }}`` styled by its column's kind. Its widths are
    worked out from its contents at rendering (widths.py, ``widths_key``: default the table's key)
    on the text width of a page of its orientation (default the table's)."""
    var = var or f"s.{table.key}"
    body = [T("{{ loop.index }}")] if table.numbered else []
    body += [(f"{{{{ r[{i}] }}}}", _CELL_STYLE[c.kind]) for i, c in enumerate(table.columns)]
    made = grid(doc, table.widths, table.header_cells(), table.depth + (1 if table.numbered else 0), body,
                f"r in {var}", empty_row=f"not {var}" if empty_row else None, keep=keep)
    content_widths(made, widths_key or table.key, table.landscape if landscape is None else landscape)
    return made


# Tables whose widths come from their contents: (table element, widths key, landscape).
WIDTH_KEYS: list[tuple] = []


def content_widths(table, key: str, landscape: bool) -> None:
    WIDTH_KEYS.append((table._tbl, key, landscape))


def text_twips(landscape: bool) -> int:
    width, _, _, _, left, right, _ = PAGES[landscape]
    return int((width - left - right) / 635)


def width_expressions() -> None:
    """Each registered table's grid and cell widths as the expressions the context answers
    (``{{ doc.w.t2_14570.s3_3 }}``: columns 3 to 3 of T2 on a 14,570-twip text width). Run after
    ooxml.order, which works the cells' widths out from the grid's numbers."""
    for tbl, key, landscape in WIDTH_KEYS:
        ref = f"doc.w.{key}_{text_twips(landscape)}"
        for i, col in enumerate(tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol"))):
            col.set(qn("w:w"), f"{{{{ {ref}.s{i}_{i} }}}}")
        for tr in tbl.findall(qn("w:tr")):
            col = 0
            for tc in tr.findall(qn("w:tc")):
                pr = tc.find(qn("w:tcPr"))
                span_el = pr.find(qn("w:gridSpan")) if pr is not None else None
                span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
                tcw = pr.find(qn("w:tcW")) if pr is not None else None
                if tcw is not None:
                    tcw.set(qn("w:w"), f"{{{{ {ref}.s{col}_{col + span - 1} }}}}")
                col += span
    WIDTH_KEYS.clear()


def section_break(doc, landscape: bool) -> None:
    """A new page section. The paragraph python-docx adds for the break holds no tag."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _apply_page_setup(section, PAGES[landscape], landscape)
    # only the cover's section has a different (empty) first page; every later section's first
    # page (a landscape table, the page after it) shows the page number like the others
    section.different_first_page_header_footer = False


def text_width(landscape: bool) -> float:
    """cm between the margins of a page of this orientation."""
    width, _, _, _, left, right, _ = PAGES[landscape]
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
    document's headings, with page numbers when LibreOffice laid the document out (generator/document/toc.py)."""
    first = para(doc, "", "toc 1")
    for r in (_field_run("begin"), _field_run("", ' TOC \\o "1-4" \\h \\z \\u '), _field_run("separate")):
        first._p.append(r)
    last = para(doc, "", "toc 1")
    last._p.append(_field_run("end"))


def heading(doc, text: str, level: int, page_break: bool | None = None) -> list:
    """A heading of the department (Heading 3/4, in the contents) or of a unit (Heading 5/6: the same
    look, outside the contents), chosen by s.is_unit; ``page_break`` False: on the page of what
    comes before it, whatever its style says."""
    tag(doc, "{%p if s.is_unit %}")
    unit = para(doc, text, f"Heading {level + 2}")
    tag(doc, "{%p else %}")
    dept = para(doc, text, f"Heading {level}")
    tag(doc, "{%p endif %}")
    if page_break is not None:
        for p in (dept, unit):
            p.paragraph_format.page_break_before = page_break
    return [dept, unit]


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
    # publication in 元 print them in this look (generator/document/package.py puts it on 表格数字), the
    # labels' size, the digits a little condensed (widths.py counts on it)
    if YUAN_AMOUNTS not in [st.name for st in styles]:
        yuan = copy_look("表格数字", YUAN_AMOUNTS)
        rpr = yuan.element.get_or_add_rPr()
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(-round(CONDENSED * 20)))  # twentieths of a point: closer per character
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
    # the landscape pages hold the tables of 40 rows (T4) on one page: narrower margins above and below,
    # the page number nearer the edge
    _apply_page_setup(body, (Mm(297), Mm(210), Mm(12), Mm(13), Mm(20), Mm(20), Mm(7)), landscape=True)
    para(doc, "横向页面（表格页）：在 Word 中调整本节的页边距，生成的横向表格页将沿用。")
    doc.add_section(WD_SECTION.NEW_PAGE)
    last = doc.sections[-1]
    _apply_page_setup(last, (Mm(210), Mm(297), Mm(25), Mm(25), Mm(20), Mm(20), Mm(12.7)), landscape=False)
    last.footer.is_linked_to_previous = False
    page_number_footer(last)
    last.different_first_page_header_footer = True  # no page number on the cover
    para(doc, "纵向页面：在 Word 中修改样式（字体、字号、间距、缩进）、页边距和页脚，"
              "然后运行 python -m generator.document.template_builder 重新生成 publication.docx。")
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "表题", "表格文字", "表格数字",
                 "表格左对齐", "表头", "表注", "封面标题", "封面副标题", "目录标题", "toc 1", "toc 2"):
        para(doc, f"样式：{name}", name)
    doc.save(path)
