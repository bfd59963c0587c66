"""Build templates/publication.docx, the docxtpl template of the publication.

The .docx is what budgetpub renders and what a finance officer may open and
edit in Word (wording, fonts, widths). This script is how developers make
structural changes to it reproducibly: it writes the template from scratch,
so edits made in Word since are lost unless they are carried over here too.

    python templates/make_template.py        # rewrites templates/publication.docx

Conventions (see README "Templates"): the nine tables are written once inside
``{%p for s in scopes %}`` and serve the department and every unit; a
template holds layout and wording, never arithmetic; every number comes from
the context (generator/context.py); section-break paragraphs hold no tag.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

OUT = Path(__file__).resolve().parent / "publication.docx"

BODY_FONT, HEADING_FONT, TABLE_FONT = "仿宋", "黑体", "宋体"
PORTRAIT_WIDTH = 17.0  # cm of text width on A4 with 2 cm margins
LANDSCAPE_WIDTH = 25.7


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
    _style(doc, "Heading 1", "Normal", HEADING_FONT, 26, True, WD_ALIGN_PARAGRAPH.CENTER, Pt(0), 220, 12,
           page_break=True)
    _style(doc, "Heading 2", "Normal", HEADING_FONT, 16, True, WD_ALIGN_PARAGRAPH.CENTER, Pt(0), 6, 12,
           page_break=True, keep_next=True)
    _style(doc, "Heading 3", "Normal", HEADING_FONT, 15, False, WD_ALIGN_PARAGRAPH.CENTER, Pt(0), 6, 6,
           page_break=True, keep_next=True)
    _style(doc, "Heading 4", "Normal", HEADING_FONT, 14, False, WD_ALIGN_PARAGRAPH.LEFT, Pt(28), 6, 3,
           keep_next=True)
    _style(doc, "表题", "Normal", HEADING_FONT, 12, False, WD_ALIGN_PARAGRAPH.CENTER, Pt(0), 6, 3, keep_next=True)
    _style(doc, "表格文字", "Normal", TABLE_FONT, 9, False, WD_ALIGN_PARAGRAPH.CENTER, Pt(0), line=1.0)
    _style(doc, "表格数字", "表格文字", TABLE_FONT, 9, False, WD_ALIGN_PARAGRAPH.RIGHT, Pt(0), line=1.0)
    _style(doc, "表格左对齐", "表格文字", TABLE_FONT, 9, False, WD_ALIGN_PARAGRAPH.LEFT, Pt(0), line=1.0)
    _style(doc, "表头", "表格文字", TABLE_FONT, 9, True, WD_ALIGN_PARAGRAPH.CENTER, Pt(0), line=1.0)
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


def tag(doc, text: str):
    """A paragraph holding only a docxtpl {%p ... %} tag: removed at rendering."""
    return para(doc, text, "标签")


def _set_cell(cell, text: str, style: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    if tcpr.find(qn("w:vAlign")) is None:
        v = OxmlElement("w:vAlign")
        v.set(qn("w:val"), "center")
        tcpr.append(v)
    p = cell.paragraphs[0]
    p.style = style
    p.text = ""
    if text:
        p.add_run(text)


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
    for row in table.rows:
        for cell, w in zip(row.cells, widths_cm):
            cell.width = Cm(w)
    tblpr = tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)


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
    _widths(table, [width / n] * n)
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
    for (r0, c0, r1, c1, text) in header:
        cell = table.cell(r0, c0)
        if (r1, c1) != (r0, c0):
            cell = cell.merge(table.cell(r1, c1))
        _set_cell(cell, text, "表头")
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


def section_break(doc, landscape: bool) -> None:
    """A new page section. The paragraph python-docx adds for the break holds no tag."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    long, short = Mm(297), Mm(210)
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    section.top_margin = section.bottom_margin = Mm(15 if landscape else 25)
    section.left_margin = section.right_margin = Mm(20)


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
    """A real Word TOC field over heading levels 1-3. Its cached result lists the
    headings the context knows (parts and scopes) so the field is not empty before
    Word updates it; settings.xml has updateFields so Word fills in page numbers."""
    first = para(doc, "", "toc 1")
    for r in (_field_run("begin"), _field_run("", ' TOC \\o "1-3" \\h \\z \\u '), _field_run("separate")):
        first._p.append(r)
    tag(doc, "{%p for t in toc %}")
    tag(doc, "{%p if t.level == 1 %}")
    para(doc, "{{ t.text }}", "toc 1")
    tag(doc, "{%p else %}")
    para(doc, "{{ t.text }}", "toc 2")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    last = para(doc, "", "toc 1")
    last._p.append(_field_run("end"))


def update_fields_on_open(doc) -> None:
    settings = doc.settings.element
    el = OxmlElement("w:updateFields")
    el.set(qn("w:val"), "true")
    settings.append(el)


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


def caption3(doc, width):
    caption(doc, [("{{ s.code_name }}", "表格左对齐"), ("预算年度：{{ doc.year }}", "表格文字"),
                  ("单位：{{ doc.u }}", "表格数字")], width)


def func_header(extra: list[str], first_merged: bool = True):
    """Header of a function-tree table: 序号 | 功能分类科目 (编码, 名称) | extra columns."""
    h = [(0, 0, 1, 0, "序号"), (0, 1, 0, 2, "功能分类科目"), (1, 1, 1, 1, "科目编码"), (1, 2, 1, 2, "科目名称")]
    for i, name in enumerate(extra):
        h.append((0, 3 + i, 1, 3 + i, name))
    h.append((2, 0, 2, 0, "栏次"))
    for i in range(1, 3 + len(extra)):
        h.append((2, i, 2, i, str(i)))
    return h


def tree_body(ncols_values: int):
    return [T("{{ loop.index }}"), T("{{ r[0] }}"), L("{{ r[1] }}")] + [N(f"{{{{ r[{i}] }}}}")
                                                                     for i in range(2, 2 + ncols_values)]


def nine_tables(doc) -> None:
    W, LW = PORTRAIT_WIDTH, LANDSCAPE_WIDTH
    # T1 收支总表, on the page of the scope heading
    para(doc, "{{ s.word }}预算收支总表", "Heading 3").paragraph_format.page_break_before = False
    caption3(doc, W)
    h = [(0, 0, 1, 0, "序号"), (0, 1, 0, 2, "收入"), (0, 3, 0, 4, "支出"), (1, 1, 1, 1, "项  目"),
         (1, 2, 1, 2, "预算数"), (1, 3, 1, 3, "项  目"), (1, 4, 1, 4, "预算数"), (2, 0, 2, 0, "栏次")]
    h += [(2, i, 2, i, str(i)) for i in range(1, 5)]
    grid(doc, [1.2, 5.2, 2.2, 6.2, 2.2], h, 3,
         [T("{{ loop.index }}"), L("{{ r[0] }}"), N("{{ r[1] }}"), L("{{ r[2] }}"), N("{{ r[3] }}")], "r in s.t1")

    # T2 收入总表 (landscape)
    section_break(doc, landscape=True)
    para(doc, "{{ s.word }}预算收入总表", "Heading 3")
    caption3(doc, LW)
    h = [(0, 0, 1, 0, "序号"), (0, 1, 0, 2, "功能分类科目"), (1, 1, 1, 1, "科目编码"), (1, 2, 1, 2, "科目名称"),
         (0, 3, 1, 3, "合计"), (0, 4, 0, 11, "本年收入"), (0, 12, 1, 12, "上年结转")]
    for i, name in enumerate(["小计", "财政拨款收入", "财政专户收入", "事业收入", "经营收入", "上级补助收入",
                              "附属单位上缴收入", "其他收入"]):
        h.append((1, 4 + i, 1, 4 + i, name))
    h += [(2, 0, 2, 0, "栏次")] + [(2, i, 2, i, str(i)) for i in range(1, 13)]
    grid(doc, [1.2, 1.8, 5.0, 1.9, 1.9, 1.9, 1.7, 1.6, 1.6, 1.7, 1.7, 1.6, 1.7], h, 3, tree_body(10),
         "r in s.t2", empty_row="not s.t2")
    section_break(doc, landscape=False)

    # T3 支出总表
    para(doc, "{{ s.word }}预算支出总表", "Heading 3")
    caption3(doc, W)
    grid(doc, [1.2, 1.9, 3.9, 1.7, 1.7, 1.7, 1.6, 1.6, 1.7],
         func_header(["合计", "基本支出", "项目支出", "经营支出", "上解上级支出", "对附属单位补助支出"]), 3,
         tree_body(6), "r in s.t3", empty_row="not s.t3")

    # T4 财政拨款收支总表 (landscape)
    section_break(doc, landscape=True)
    para(doc, "{{ s.word }}预算财政拨款收支总表", "Heading 3")
    caption3(doc, LW)
    h = [(0, 0, 1, 0, "序号"), (0, 1, 0, 2, "收入"), (0, 3, 0, 7, "支出")]
    for i, name in enumerate(["项  目", "金额", "项  目", "合计", "一般公共预算财政拨款", "政府性基金预算财政拨款",
                              "国有资本经营预算财政拨款"]):
        h.append((1, 1 + i, 1, 1 + i, name))
    h += [(2, 0, 2, 0, "栏次")] + [(2, i, 2, i, str(i)) for i in range(1, 8)]
    grid(doc, [1.2, 5.4, 2.4, 6.4, 2.5, 2.6, 2.6, 2.6], h, 3,
         [T("{{ loop.index }}"), L("{{ r[0] }}"), N("{{ r[1] }}"), L("{{ r[2] }}")]
         + [N(f"{{{{ r[{i}] }}}}") for i in range(3, 7)], "r in s.t4")
    section_break(doc, landscape=False)

    # T5, T7, T8 by fiscal fund; T6 economic
    def fund_table(title, var, note):
        para(doc, "{{ s.word }}预算" + title, "Heading 3")
        caption3(doc, W)
        grid(doc, [1.2, 2.2, 6.4, 2.4, 2.4, 2.4], func_header(["合计", "基本支出", "项目支出"]), 3,
             tree_body(3), f"r in s.{var}", empty_row=f"not s.{var}")
        if note:
            tag(doc, f"{{%p if not s.{var} %}}")
            para(doc, note, "表注")
            tag(doc, "{%p endif %}")

    fund_table("一般公共预算财政拨款支出表", "t5", "注：无一般公共预算财政拨款预算，空表列示。")

    para(doc, "{{ s.word }}预算一般公共预算财政拨款基本支出表", "Heading 3")
    caption3(doc, W)
    h = [(0, 0, 1, 0, "序号"), (0, 1, 0, 2, "支出部门经济分类科目"), (0, 3, 0, 5, "一般公共预算基本支出")]
    for i, name in enumerate(["科目编码", "科目名称", "合计", "人员经费", "公用经费"]):
        h.append((1, 1 + i, 1, 1 + i, name))
    h += [(2, 0, 2, 0, "栏次")] + [(2, i, 2, i, str(i)) for i in range(1, 6)]
    grid(doc, [1.2, 2.2, 6.4, 2.4, 2.4, 2.4], h, 3, tree_body(3), "r in s.t6", empty_row="not s.t6")
    tag(doc, "{%p if not s.t6 %}")
    para(doc, "注：无一般公共预算财政拨款基本支出预算，空表列示。", "表注")
    tag(doc, "{%p endif %}")

    fund_table("政府性基金预算财政拨款支出表", "t7", "注：无政府性基金预算财政拨款预算，空表列示。")
    fund_table("国有资本经营预算财政拨款支出表", "t8", "注：无国有资本经营预算财政拨款预算，空表列示。")

    # T9 三公
    para(doc, "{{ s.word }}预算财政拨款“三公”经费支出表", "Heading 3")
    caption3(doc, W)
    h = [(0, 0, 1, 0, "序号"), (0, 1, 1, 1, "项  目"), (0, 2, 0, 5, "资 金 性 质"), (1, 2, 1, 2, "合计"),
         (1, 3, 1, 3, "一般公共预算财政拨款"), (1, 4, 1, 4, "政府性基金预算拨款"),
         (1, 5, 1, 5, "国有资本经营预算财政拨款"), (2, 0, 2, 0, "栏次")]
    h += [(2, i, 2, i, str(i)) for i in range(1, 6)]
    grid(doc, [1.2, 6.6, 2.3, 2.3, 2.3, 2.3], h, 3,
         [T("{{ loop.index }}"), L("{{ r[0] }}")] + [N(f"{{{{ r[{i}] }}}}") for i in range(1, 5)], "r in s.t9")


def narrative(doc) -> None:
    W = PORTRAIT_WIDTH
    para(doc, "{{ s.name }}{{ doc.year }}年{{ s.word }}预算信息公开情况说明", "Heading 3")
    para(doc, "按照《地方预决算公开操作规程》和《关于进一步推进预算公开工作的实施意见》规定，现将{{ s.name }}"
              "{{ doc.year }}年{{ s.word }}预算公开如下：")

    # 一
    para(doc, "一、{{ s.word }}职责及机构设置情况", "Heading 4")
    para(doc, "{{ s.word }}职责：")
    tag(doc, "{%p for d in s.duties %}")
    para(doc, "{{ d }}")
    tag(doc, "{%p endfor %}")
    para(doc, "机构设置：").paragraph_format.keep_with_next = True  # a lead-in stays with its table
    para(doc, "{{ s.word }}机构设置情况", "表题")
    grid(doc, [7.0, 3.0, 3.0, 4.0], [(0, 0, 0, 0, "单位名称"), (0, 1, 0, 1, "单位性质"), (0, 2, 0, 2, "单位规格"),
                                     (0, 3, 0, 3, "经费保障形式")], 1,
         [L("{{ u.name }}"), T("{{ u.nature }}"), T("{{ u.rank }}"), T("{{ u.funding_form }}")], "u in s.units",
         keep=True)

    # 二
    para(doc, "二、{{ s.word }}预算安排的总体情况", "Heading 4")
    tag(doc, "{%p for o in s.overview %}")
    para(doc, "{{ o }}")
    tag(doc, "{%p endfor %}")
    para(doc, "1、收入说明")
    para(doc, "{{ doc.year }}年{{ s.word }}预算收入为{{ s.n.income_total }}{{ doc.u }}，其中：一般公共预算收入"
              "{{ s.n.income_general }}{{ doc.u }}，基金预算收入{{ s.n.income_fund }}{{ doc.u }}，"
              "{% if s.n.has_capital %}国有资本经营预算收入{{ s.n.income_capital }}{{ doc.u }}，{% endif %}"
              "财政专户核拨收入{{ s.n.income_special_account }}{{ doc.u }}，其他来源收入"
              "{{ s.n.income_other_sources }}{{ doc.u }}{% if s.n.has_carry_in %}，上年结转结余"
              "{{ s.n.carry_in }}{{ doc.u }}{% endif %}。")
    para(doc, "2、支出说明")
    para(doc, "{{ doc.year }}年{{ s.word }}支出预算{{ s.n.expenditure_total }}{{ doc.u }}，其中：")
    para(doc, "基本支出{{ s.n.basic }}{{ doc.u }}，其中：人员经费{{ s.n.personnel }}{{ doc.u }}，"
              "日常公用经费{{ s.n.public }}{{ doc.u }}；")
    para(doc, "项目支出{{ s.n.project }}{{ doc.u }}，其中：本级支出{{ s.n.project_own }}{{ doc.u }}"
              "{% if s.n.has_other_kinds %}；{% else %}。{% endif %}")
    tag(doc, "{%p if s.n.has_other_kinds %}")
    para(doc, "经营支出{{ s.n.operating }}{{ doc.u }}，上解上级支出{{ s.n.to_superior }}{{ doc.u }}，"
              "对附属单位补助支出{{ s.n.to_subordinate }}{{ doc.u }}。")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if s.n.has_carry_out %}")
    para(doc, "年终结转结余{{ s.n.carry_out }}{{ doc.u }}。")
    tag(doc, "{%p endif %}")
    para(doc, "3、比上年增减情况")
    para(doc, "本年度预算收支安排{{ s.n.expenditure_total }}{{ doc.u }}，较上年预算{{ s.n.change_total_phrase }}，"
              "其中：基本支出{{ s.n.change_basic_phrase }}，主要原因：{{ s.reasons.basic }}；项目支出"
              "{{ s.n.change_project_phrase }}，主要原因：{{ s.reasons.project }}"
              "{% if s.n.has_other_change %}；经营支出、上解上级支出和对附属单位补助支出合计"
              "{{ s.n.change_other_phrase }}{% endif %}。")

    # 三
    para(doc, "三、机关运行经费安排情况", "Heading 4")
    para(doc, "{{ doc.year }}年，我{{ s.word }}机关运行经费预算共计{{ s.n.running_costs }}{{ doc.u }}"
              "{% if s.running %}，其中：{% for i in s.running %}{{ i.label }}{{ i.amount }}{{ doc.u }}"
              "{% if not loop.last %}、{% endif %}{% endfor %}{% endif %}。"
              "项目支出{{ s.n.project }}{{ doc.u }}{% if s.projects %}，其中：{% for p in s.projects %}"
              "{{ p.name }}{{ p.amount }}{{ doc.u }}{% if not loop.last %}；{% endif %}{% endfor %}{% endif %}。")

    # 四
    para(doc, "四、财政拨款“三公”经费预算情况及增减变化原因", "Heading 4")
    para(doc, "{{ doc.year }}年，我{{ s.word }}财政拨款“三公”经费预算安排{{ s.sangong.total }}{{ doc.u }}"
              "（详见下表），{{ s.sangong.total_row.phrase }}。其中：因公出国（境）费{{ s.sangong.abroad.current }}"
              "{{ doc.u }}，{{ s.sangong.abroad.phrase }}；公务用车购置及运行维护费{{ s.sangong.vehicles }}"
              "{{ doc.u }}，{{ s.sangong.vehicles_phrase }}；公务接待费{{ s.sangong.host.current }}{{ doc.u }}，"
              "{{ s.sangong.host.phrase }}。").paragraph_format.keep_with_next = True
    caption_line(doc, "", "单位：{{ doc.u }}", W)
    grid(doc, [4.0, 2.6, 2.6, 2.6, 5.2],
         [(0, 0, 0, 0, "项目名称"), (0, 1, 0, 1, "{{ doc.prior_year }}年度预算"),
          (0, 2, 0, 2, "{{ doc.year }}年度预算"), (0, 3, 0, 3, "增减金额"), (0, 4, 0, 4, "变化原因")], 1,
         [L("{{ r.label }}"), N("{{ r.prior }}"), N("{{ r.current }}"), N("{{ r.change }}"), L("{{ r.reason }}")],
         "r in s.sangong_rows", keep=True)

    # 五
    para(doc, "五、预算绩效信息", "Heading 4")
    tag(doc, "{%p if not s.is_unit %}")
    para(doc, "（一）部门整体绩效目标", bold=True).paragraph_format.keep_with_next = True
    para(doc, "1、总体绩效目标")
    tag(doc, "{%p for o in s.perf_overall %}")
    para(doc, "{{ o }}")
    tag(doc, "{%p endfor %}")
    para(doc, "2、分项绩效目标")
    tag(doc, "{%p for it in s.perf_items %}")
    para(doc, "{{ it.ordinal }}{{ it.title }}")
    tag(doc, "{%p for g in it.goals %}")
    para(doc, "{% if loop.first %}绩效目标：{% endif %}{{ g }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p for i in it.indicators %}")
    para(doc, "{% if loop.first %}绩效指标：{% endif %}{{ i }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    para(doc, "3、工作保障措施")
    tag(doc, "{%p for m in s.perf_measures %}")
    para(doc, "{{ m }}")
    tag(doc, "{%p endfor %}")
    para(doc, "（二）专项资金绩效目标", bold=True).paragraph_format.keep_with_next = True
    tag(doc, "{%p for t in s.special_funds %}")
    para(doc, "{{ t }}")
    tag(doc, "{%p endfor %}")
    para(doc, "（三）预算项目绩效目标", bold=True).paragraph_format.keep_with_next = True
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if not s.projects %}")
    para(doc, "本{{ s.word }}无项目支出，无项目绩效目标。")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for p in s.projects %}")
    para(doc, "{{ loop.index }}、{{ p.name }}绩效目标表", "表题")
    t = grid(doc, [2.2, 2.6, 3.2, 4.0, 2.4, 2.6],
             [(0, 0, 0, 0, "一级指标"), (0, 1, 0, 1, "二级指标"), (0, 2, 0, 2, "三级指标"),
              (0, 3, 0, 3, "绩效指标描述"), (0, 4, 0, 4, "指标值"), (0, 5, 0, 5, "指标值确定依据")], 1,
             None, None)
    # 绩效目标 row first, then the header; indicator rows grouped by 一级指标 (merged vertically).
    target = t.add_row()
    _row_props(target)
    _set_cell(target.cells[0], "绩效目标", "表头")
    merged = target.cells[1].merge(target.cells[5])
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
    cells = [T("{% vm %}{{ g.l1 }}"), T("{{ i.l2 }}"), L("{{ i.l3 }}"), L("{{ i.desc }}"), T("{{ i.value }}"),
             T("{{ i.basis }}")]
    for cell, (text, style) in zip(row.cells, cells):
        _set_cell(cell, text, style)
    for text in ("{%tr endfor %}", "{%tr endfor %}"):
        row = t.add_row()
        _row_props(row)
        _set_cell(row.cells[0], text, "表格文字")
    _widths(t, [2.2, 2.6, 3.2, 4.0, 2.4, 2.6])
    keep_together(t)
    para(doc, "")
    tag(doc, "{%p endfor %}")

    # 六
    para(doc, "六、政府采购预算情况", "Heading 4")
    para(doc, "{{ doc.year }}年，{{ s.name }}安排政府采购预算{{ s.n.procurement }}{{ doc.u }}。具体内容见下表。")
    section_break(doc, landscape=True)
    para(doc, "{{ s.word }}政府采购预算", "表题")
    caption(doc, [("{{ s.code_name }}", "表格左对齐"), ("单位：{{ doc.u }}", "表格数字")], LANDSCAPE_WIDTH)
    h = [(0, 0, 0, 1, "政府采购项目来源"), (1, 0, 1, 0, "项目名称"), (1, 1, 1, 1, "预算资金"),
         (0, 2, 1, 2, "采购物品名称"), (0, 3, 1, 3, "政府采购目录序号"), (0, 4, 1, 4, "计量单位"),
         (0, 5, 1, 5, "数量"), (0, 6, 1, 6, "单价"), (0, 7, 0, 14, "政府采购金额（当年部门预算安排资金）"),
         (0, 15, 1, 15, "{{ doc.year }}年预留中小微企业份额")]
    for i, name in enumerate(["合计", "一般公共预算拨款", "基金预算拨款", "国有资本经营预算拨款", "财政专户核拨",
                              "单位资金", "财政拨款结转", "非财政拨款结转结余"]):
        h.append((1, 7 + i, 1, 7 + i, name))
    body = [L("{{ r[0] }}"), N("{{ r[1] }}"), L("{{ r[2] }}"), T("{{ r[3] }}"), T("{{ r[4] }}"), N("{{ r[5] }}"),
            N("{{ r[6] }}")] + [N(f"{{{{ r[{i}] }}}}") for i in range(7, 16)]
    grid(doc, [2.6, 1.5, 2.2, 2.3, 1.0, 1.0, 1.4, 1.5, 1.6, 1.4, 1.5, 1.4, 1.4, 1.4, 1.5, 1.5], h, 2, body,
         "r in s.procurement", empty_row="not s.procurement")
    para(doc, "注：同一采购目录序号的物品，其单价会因配置规格不同而变动，均符合资产配置标准。涉密采购事项按照相关规定执行。",
         "表注")
    tag(doc, "{%p if not s.procurement %}")
    para(doc, "注：无政府采购预算，空表列示。", "表注")
    tag(doc, "{%p endif %}")
    section_break(doc, landscape=False)

    # 七
    para(doc, "七、国有资产信息", "Heading 4")
    para(doc, "{{ s.name }}{% if not s.is_unit %}（含所属单位）{% endif %}上年末固定资产金额为"
              "{{ s.n.assets_value }}{{ doc.u }}（详见下表）。本年度拟购置固定资产总额为{{ s.n.asset_purchases }}"
              "{{ doc.u }}，已按要求列入政府采购预算，详见政府采购预算表。").paragraph_format.keep_with_next = True
    para(doc, "{{ s.word }}固定资产占用情况表", "表题")
    caption_line(doc, "{{ s.code_name }}", "截止时间：{{ s.assets_as_of }}", W)
    grid(doc, [9.0, 4.0, 4.0], [(0, 0, 0, 0, "项　　目"), (0, 1, 0, 1, "数量"),
                                (0, 2, 0, 2, "价值（单位：{{ doc.u }}）")], 1,
         [L("{{ r[0] }}"), N("{{ r[1] }}"), N("{{ r[2] }}")], "r in s.assets", keep=True)

    # 八
    para(doc, "八、名词解释", "Heading 4")
    glossary = [
        "1、一般公共预算拨款收入：指{{ doc.level }}财政当年拨付的资金。",
        "2、事业收入：指事业单位开展专业业务活动及辅助活动所取得的收入。",
        "3、其他收入：指除“一般公共预算拨款收入”、“事业收入”等以外的收入。主要是按规定动用的租房收入、存款利息收入等。",
        "4、基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。",
        "5、项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。",
        "6、上缴上级支出：指下级单位上缴上级的支出。",
        "7、“三公”经费：纳入{{ doc.level }}财政预算管理的“三公”经费，是指{{ doc.level }}部门用财政拨款安排的因公出国（境）费、"
        "公务用车购置及运维费和公务接待费。其中，因公出国（境）费反映单位公务出国（境）的住宿费、旅费、伙食补助费、杂费、"
        "培训费等支出；公务用车购置及运维费反映单位公务用车购置费及租用费、燃料费、维修费、过路过桥费、保险费、安全奖励费用"
        "等支出；公务接待费反映单位按规定开支的各类公务接待（含外宾接待）支出。",
        "8、机关运行经费：是指各部门的公用经费，包括办公及印刷费、邮电费、差旅费、会议费、福利费、日常维修费、专用材料及一般"
        "设备购置费、办公用房水电费、办公用房取暖费、办公用房物业管理费、公务用车运行维护费以及其他费用。",
        "9、上年结转：指以前年度尚未完成、结转到本年仍按原规定用途继续使用的资金。",
        "10、事业单位经营支出：指事业单位在专业业务活动及其辅助活动之外开展非独立核算经营活动发生的支出。",
    ]
    for g in glossary:
        para(doc, g)

    # 九
    para(doc, "九、其他需要说明的事项", "Heading 4")
    tag(doc, "{%p for o in s.other_matters %}")
    para(doc, "{{ o }}")
    tag(doc, "{%p endfor %}")


def build(path: Path = OUT) -> None:
    doc = Document()
    setup_styles(doc)
    first = doc.sections[0]
    first.page_width, first.page_height = Mm(210), Mm(297)
    first.top_margin = first.bottom_margin = Mm(25)
    first.left_margin = first.right_margin = Mm(20)
    page_number_footer(first)
    first.different_first_page_header_footer = True  # no page number on the cover
    update_fields_on_open(doc)

    # Cover
    for _ in range(6):
        para(doc, "", "封面副标题")
    para(doc, "{{ doc.name }}", "封面标题")
    para(doc, "{{ doc.year }}年部门预算", "封面副标题")
    # Table of contents
    p = para(doc, "目  录", "目录标题")
    p.paragraph_format.page_break_before = True
    toc(doc)

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
    doc.save(path)


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
    print(f"written {OUT if len(sys.argv) == 1 else sys.argv[1]}")
