"""Build templates/publication.docx, the docxtpl template of the publication.

One master each, and no overlap:

- **structure and wording** are here: the parts, the nine tables and the
  情况说明, written once for the department and every unit; the tables'
  columns, header words and widths come from the table catalogue
  (generator/figures/tables.py);
- **styles** (fonts, sizes, spacing, indents), **page margins** and the
  **footer** come from templates/reference.docx, which a finance office
  restyles in Word, the way pandoc uses ``--reference-doc``: its first
  section sets the landscape (table) pages, its last the portrait pages.

templates/publication.docx is the build's output: edit reference.docx in Word
or this script, never publication.docx, then rebuild:

    python -m generator.document.template_builder                    # rewrites templates/publication.docx
    python -m generator.document.template_builder --new-reference    # one-time scaffold: rewrites reference.docx

Conventions (see docs/dev/templates.md): the nine tables are written once inside
``{%p for s in scopes %}`` and serve the department and every unit; a
template holds layout and wording, never arithmetic; every number comes from
the context (generator/document/context.py); section-break paragraphs hold no tag.
"""

from __future__ import annotations

import argparse
import itertools
from copy import deepcopy
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from generator.figures import tables
from generator.figures.tables import Table
from generator.figures.vocabulary import NARRATIVE_SECTIONS, OPTIONAL_INDICATOR_COLUMNS

from . import ooxml
from .template_blocks import (
    OUT,
    PAGES,
    REFERENCE,
    _page_setup,
    _row_props,
    _set_cell,
    _widths,
    caption,
    caption3,
    caption_line,
    catalogue_table,
    content_widths,
    derive_styles,
    grid,
    heading,
    keep_together,
    make_reference,
    para,
    section_break,
    subheading,
    tag,
    text_width,
    toc,
    width_expressions,
)


def table_heading(doc, table: Table, page_break: bool | None = None):
    """The table's title (部门预算… / 单位预算…) and its caption line: code+name · year · money unit."""
    titles = heading(doc, "{{ s.word }}预算" + table.title, 3, page_break)
    caption3(doc, text_width(table.landscape), "{{ doc.u }}" if table.text_unit else "{{ doc.tu }}")
    return titles


# Tables that may be empty (a header, one blank row and the note 空表列示).
MAY_BE_EMPTY = {tables.T2, tables.T3, tables.T5, tables.T6, tables.T7, tables.T8}


def nine_tables(doc) -> None:
    """T1 … T9 in catalogue order; a landscape table gets a section of its own. Each table starts a
    page, but T1 (on the page of the scope heading) and a table after an empty one of the same
    orientation: no page holds only an empty table."""
    landscape = False
    for i, table in enumerate(tables.NINE):
        if table is tables.T9:  # a region without 三公 (wording omit: sangong) leaves its table out
            tag(doc, "{%p if not doc.omit.sangong %}")
        if table.landscape != landscape:
            section_break(doc, landscape=table.landscape)
            landscape = table.landscape
        before = tables.NINE[i - 1] if i else None
        if i == 0:  # T1 is on the page of the scope heading
            table_heading(doc, table, page_break=False)
        elif before in MAY_BE_EMPTY and before.landscape == table.landscape:
            tag(doc, f"{{%p if s.{before.key} %}}")
            table_heading(doc, table)
            tag(doc, "{%p else %}")
            table_heading(doc, table, page_break=False)
            tag(doc, "{%p endif %}")
        else:
            table_heading(doc, table)
        if table is tables.T2:  # the other sources given as one total (单位资金): one column for them
            tag(doc, "{%p if s.t2_pooled %}")
            catalogue_table(doc, tables.T2_POOLED, var="s.t2", empty_row=True)
            tag(doc, "{%p else %}")
        catalogue_table(doc, table, empty_row=table in MAY_BE_EMPTY)
        if table is tables.T2:
            tag(doc, "{%p endif %}")
        if table.key == "t6":  # the breakdown not given (in part or at all), or nothing to break down
            tag(doc, "{%p if not s.n.t6_complete %}")  # some general-budget 基本支出 has no economic breakdown
            para(doc, "{% if s.t6 %}" + tables.ECONOMIC_PARTIAL_NOTE.replace(
                "{units}", "{% if s.includes_units %}{{ s.n.economic_unknown_units }}{% else %}部分{% endif %}")
                 + "{% else %}" + tables.ECONOMIC_UNSTATED_NOTE + "{% endif %}", "表注")
            tag(doc, "{%p elif not s.t6 %}")
            para(doc, tables.EMPTY_NOTES["t6"], "表注")
            tag(doc, "{%p endif %}")
        elif table.key in tables.EMPTY_NOTES:
            note_if(doc, f"not s.{table.key}", tables.EMPTY_NOTES[table.key])
        if table is tables.T9:  # not stated by the sources: blank, and the note says why (verify skips it)
            note_if(doc, "not s.n.sangong_known", tables.SANGONG_UNSTATED_NOTE)
            tag(doc, "{%p endif %}")
        if landscape and (i + 1 == len(tables.NINE) or not tables.NINE[i + 1].landscape):
            section_break(doc, landscape=False)
            landscape = False


def note_if(doc, condition: str, note: str) -> None:
    """A table's note (注：…), printed when ``condition`` holds."""
    tag(doc, f"{{%p if {condition} %}}")
    para(doc, note, "表注")
    tag(doc, "{%p endif %}")


def performance_table(doc, published: tuple[str, ...]) -> None:
    """A project's 绩效目标表 with the optional columns ``published``: the 绩效目标 row first, then the
    header; indicator rows grouped by 一级指标 (merged vertically). Widths from the contents."""
    table = tables.performance_table(published)
    columns = [(c.key, c.header[0], PERFORMANCE_CELLS[c.key], c.width, "T" if c.kind != "label" else "L")
               for c in table.columns]
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
    content_widths(t, table.key, landscape=False)


# The 绩效目标表's cells (tables.PERFORMANCE: the columns).
PERFORMANCE_CELLS = {"level1": "{% vm %}{{ g.l1 }}", "level2": "{{ i.l2 }}", "level3": "{{ i.l3 }}",
                     "description": "{{ i.desc }}", "value": "{{ i.value }}", "basis": "{{ i.basis }}"}


SECTION = {s.key: s for s in NARRATIVE_SECTIONS}


def section_heading(doc, key: str) -> None:
    """A section of 情况说明 with its number (context.section_numbers: they close up over one left out).
    The number is literal text, one heading per number the section can have (a tag in the heading's
    text would change its run: docxtpl marks every text holding a tag xml:space="preserve")."""
    from generator.figures.catalogue import chinese_ordinal
    keys = [s.key for s in NARRATIVE_SECTIONS]
    position = keys.index(key) + 1
    before = sum(1 for s in NARRATIVE_SECTIONS[:position - 1] if s.omittable)
    text = SECTION[key].heading.replace("{word}", "{{ s.word }}")
    numbers = [f"{chinese_ordinal(n)}、" for n in range(position, position - before - 1, -1)]
    if len(numbers) == 1:
        heading(doc, numbers[0] + text, 4)
        return
    for i, number in enumerate(numbers):
        tag(doc, f"{{%p {'if' if i == 0 else 'elif'} doc.sec.{key} == \"{number}\" %}}")
        heading(doc, number + text, 4)
    tag(doc, "{%p endif %}")


def optional_section(doc, key: str, begin: bool) -> None:
    """The tag opening (``begin``) or closing a section the region may leave out (wording omit)."""
    if SECTION[key].omittable:
        tag(doc, f"{{%p if not doc.omit.{key} %}}" if begin else "{%p endif %}")


def units_tables(doc) -> None:
    """机构设置情况 in each set of attribute columns (s.unit_columns names the one printed)."""
    from .context import unit_variants
    for shown in unit_variants():
        tag(doc, f"{{%p if s.unit_columns == \"{','.join(shown)}\" %}}")
        catalogue_table(doc, tables.units_table(shown), var="s.units", keep=True)
        tag(doc, "{%p endif %}")


def narrative(doc) -> None:
    W = text_width(False)
    heading(doc, "{{ s.name }}{{ doc.year }}年{{ s.word }}预算信息公开情况说明", 3)
    para(doc, "{% if doc.legal_basis %}{{ doc.legal_basis }}，{% endif %}现将{{ s.name }}{{ doc.year }}年{{ s.word }}预算公开如下"
              "{% if doc.rounded_from %}（文中金额由以{{ doc.rounded_from }}为单位的预算数换算为{{ doc.u }}，"
              "四舍五入保留两位小数，分项之和与合计可能有尾差）{% endif %}：")

    # 一
    section_heading(doc, "duties")
    tag(doc, "{%p if s.duties %}")
    para(doc, "{{ s.word }}职责：")
    tag(doc, "{%p for d in s.duties %}")
    para(doc, "{{ d }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    para(doc, "机构设置：").paragraph_format.keep_with_next = True  # a lead-in stays with its table
    para(doc, "{{ s.word }}" + tables.UNITS.title, "表题")
    units_tables(doc)

    # 二
    section_heading(doc, "overview")
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
    section_heading(doc, "running_costs")
    # 单位性质 not given and 机关运行经费 not stated: nothing is said of it
    para(doc, "{{ doc.year }}年，我{{ s.word }}{% if s.n.running_costs_unknown %}{% elif not s.n.has_running_costs %}无机关运行经费预算"
              "（机关运行经费只反映行政单位和参照公务员法管理的事业单位的运行经费）。{% elif not s.n.running_costs_known %}"
              "基本支出未按经济分类细化，机关运行经费不单独列示。{% else %}机关运行经费预算共计{{ s.n.running_costs }}"
              "{{ doc.u }}{% if s.running %}，其中：{% for i in s.running %}{{ i.label }}{{ i.amount }}{{ doc.u }}"
              "{% if not loop.last %}、{% endif %}{% endfor %}{% endif %}。{% endif %}"
              "项目支出{{ s.n.project }}{{ doc.u }}{% if s.projects and s.n.projects_listed_all %}，其中：{% for p in s.projects %}"
              "{{ p.name }}{{ p.amount }}{{ doc.u }}{% if not loop.last %}；{% endif %}{% endfor %}{% endif %}。")

    # 四
    optional_section(doc, "sangong", True)
    section_heading(doc, "sangong")
    tag(doc, "{%p if s.n.sangong_known %}")  # not stated: no sentence, the table blank
    para(doc, "{{ doc.year }}年，我{{ s.word }}财政拨款“三公”经费预算安排{{ s.sangong.total }}{{ doc.u }}"
              "（详见下表）{% if s.sangong.prior_known %}，{{ s.sangong.total_row.phrase }}{% endif %}。其中："
              "因公出国（境）费{{ s.sangong.abroad.current }}{{ doc.u }}{% if s.sangong.prior_known %}，"
              "{{ s.sangong.abroad.phrase }}{% endif %}；公务用车购置及运行维护费{{ s.sangong.vehicles }}"
              "{{ doc.u }}{% if s.sangong.prior_known %}，{{ s.sangong.vehicles_phrase }}{% endif %}；公务接待费"
              "{{ s.sangong.host.current }}{{ doc.u }}{% if s.sangong.prior_known %}，{{ s.sangong.host.phrase }}"
              "{% endif %}。").paragraph_format.keep_with_next = True
    tag(doc, "{%p endif %}")
    caption_line(doc, "", "单位：{{ doc.u }}", W)
    catalogue_table(doc, tables.SANGONG_COMPARISON, keep=True)
    note_if(doc, "not s.n.sangong_known", tables.SANGONG_UNSTATED_NOTE)  # blank: says why, as T9 does
    optional_section(doc, "sangong", False)

    # 五
    section_heading(doc, "performance")
    # a part or sub-part the sources do not give is left out, and the others numbered in order
    tag(doc, "{%p if not s.is_unit %}")
    tag(doc, "{%p if s.perf_parts.whole %}")
    para(doc, "{{ s.perf_parts.whole }}{{ s.word }}整体绩效目标", bold=True).paragraph_format.keep_with_next = True
    tag(doc, "{%p if s.perf_none %}")  # stated as none
    para(doc, "无。")
    tag(doc, "{%p endif %}")
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
    tag(doc, "{%p if s.perf_parts.projects %}")  # left out: omit project_targets, no project listed
    para(doc, "{{ s.perf_parts.projects }}预算项目绩效目标", bold=True).paragraph_format.keep_with_next = True
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if not s.projects and s.perf_parts.projects %}")
    para(doc, "{% if s.n.has_project %}{{ s.no_project_targets }}{% else %}本{{ s.word }}无项目支出，无项目绩效目标。"
              "{% endif %}")
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
    optional_section(doc, "procurement", True)
    tag(doc, "{%p if s.procurement_table and s.procurement %}")
    section_break(doc, landscape=True)  # the heading and its lead-in sentence on the page of the table
    tag(doc, "{%p endif %}")
    section_heading(doc, "procurement")
    tag(doc, "{%p if s.n.procurement_stated %}")  # not stated: no sentence (the table blank, below)
    para(doc, "{{ doc.year }}年，{{ s.name }}安排政府采购预算{{ s.n.procurement }}{{ doc.u }}。"
              "{% if s.n.has_procurement %}{% for c in s.n.procurement_categories %}{% if loop.first %}其中：{% endif %}"
              "{{ c.label }}{{ c.amount }}{{ doc.u }}{% if not loop.last %}、{% else %}。{% endif %}{% endfor %}"
              "{% if s.n.has_sme %}预留中小企业份额{{ s.n.sme_reserved }}{{ doc.u }}{% if s.n.has_small_micro %}，"
              "其中面向小微企业{{ s.n.sme_small_micro }}{{ doc.u }}{% endif %}。{% endif %}{% endif %}"
              "{% if s.procurement_table %}具体内容见下表。{% endif %}").paragraph_format.keep_with_next = True
    tag(doc, "{%p endif %}")
    # items: the table on a landscape page; none (空表列示): the empty table in the portrait flow, its
    # header wrapped narrow, no orientation flip for a table without rows. Known only by category
    # totals: no table of items.
    procurement_note = "注：同一采购目录序号的物品，其单价会因配置规格不同而变动，均符合资产配置标准。涉密采购事项按照相关规定执行。"
    tag(doc, "{%p if s.procurement_table and s.procurement %}")
    para(doc, "{{ s.word }}" + tables.PROCUREMENT.title, "表题")
    caption(doc, [("{{ s.code_name }}", "表格左对齐"), ("单位：{{ doc.tu }}", "表格数字")], text_width(True))
    catalogue_table(doc, tables.PROCUREMENT)
    para(doc, procurement_note, "表注")
    section_break(doc, landscape=False)
    # none (空表列示), or not stated where the publication prints the table (some other part states its
    # items): the table blank, saying why, as the 三公 and assets tables do; where no part prints one,
    # the note alone
    tag(doc, "{%p elif s.procurement_table or (not s.n.procurement_stated and doc.procurement_tables) %}")
    para(doc, "{{ s.word }}" + tables.PROCUREMENT.title, "表题")
    caption_line(doc, "{{ s.code_name }}", "单位：{{ doc.tu }}", W)  # a paragraph: kept with its table
    catalogue_table(doc, tables.PROCUREMENT, empty_row=True, landscape=False, widths_key="procurement_narrow",
                    keep=True)  # widths.py: the header's words wrap every two characters
    tag(doc, "{%p if s.n.procurement_stated %}")
    para(doc, procurement_note, "表注").paragraph_format.keep_with_next = True
    para(doc, "注：无政府采购预算，空表列示。", "表注")
    tag(doc, "{%p else %}")
    para(doc, tables.PROCUREMENT_UNSTATED_NOTE, "表注")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p elif not s.n.procurement_stated %}")
    para(doc, tables.PROCUREMENT_UNSTATED_TEXT, "表注")
    tag(doc, "{%p endif %}")
    optional_section(doc, "procurement", False)

    # 七
    optional_section(doc, "assets", True)
    section_heading(doc, "assets")
    # assets not stated: nothing said of them (the table blank); the purchases are procurement's
    tag(doc, "{%p if s.n.assets_stated or s.n.has_asset_purchases %}")
    para(doc, "{{ s.name }}{% if s.own_units %}（含所属单位）{% endif %}{% if s.n.assets_stated %}"
              "{% if s.n.has_assets_value %}上年末固定资产金额为{{ s.n.assets_value }}{{ doc.u }}（详见下表）"
              "{% else %}上年末固定资产情况详见下表{% endif %}。{% endif %}"
              "{% if s.n.has_asset_purchases %}本年度拟购置固定资产总额为{{ s.n.asset_purchases }}"
              "{{ doc.u }}，已按要求列入政府采购预算{% if s.procurement_table %}，详见政府采购预算表{% endif %}。{% endif %}").paragraph_format.keep_with_next = True
    tag(doc, "{%p endif %}")
    para(doc, "{{ s.word }}" + tables.ASSETS.title, "表题")
    caption_line(doc, "{{ s.code_name }}", "{% if s.assets_as_of %}截止时间：{{ s.assets_as_of }}{% endif %}", W)
    assets = catalogue_table(doc, tables.ASSETS, keep=True)
    # as the seed: 1、… indented under 固定资产总额, 其中 rows further, their continuation under 其中：'s text
    for cell in assets._tbl.iter(qn("w:tc")):
        for t in cell.iter(qn("w:t")):
            if t.text == "{{ r[0] }}":
                t.text = ("{% if loop.first %}{% elif r[0][:1] in '0123456789' %}\u3000"
                          "{% elif r[0].startswith('其中') %}\u3000\u3000{% else %}\u3000\u3000\u3000\u3000\u3000"
                          "{% endif %}{{ r[0] }}")
    note_if(doc, "not s.n.assets_stated", tables.ASSETS_UNSTATED_NOTE)  # blank: says why (verify does not add it up)
    optional_section(doc, "assets", False)

    # 八
    optional_section(doc, "glossary", True)
    section_heading(doc, "glossary")
    tag(doc, "{%p for g in doc.glossary %}")  # the region's wording: templates/wording.yaml
    para(doc, "{{ g }}")
    tag(doc, "{%p endfor %}")
    optional_section(doc, "glossary", False)

    # 九
    section_heading(doc, "other_matters")
    tag(doc, "{%p for o in s.other_matters %}")
    para(doc, "{{ o }}")
    tag(doc, "{%p endfor %}")


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
    # 数据版本: the git revision of the sources, when budgetpub.toml says stamp = "cover" (a draft);
    # by default only in the document's properties (cp:version)
    tag(doc, "{%p if doc.revision %}")
    stamp = para(doc, "数据版本：{{ doc.revision }}")
    stamp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    stamp.runs[0].font.size = Pt(9)
    tag(doc, "{%p endif %}")
    # Table of contents
    p = para(doc, "目  录", "目录标题")
    p.paragraph_format.page_break_before = True
    toc(doc)
    # The cover's section ends here, without a page number (cover and contents are not counted, as
    # in the seed: its first numbered page is the department's first table). A section inside the
    # loop over scopes takes its properties from the break that ends it, and must not inherit the
    # cover's: the page-number footer moves to the sections that follow, each naming it.
    section_break(doc, landscape=False)

    tag(doc, "{%p for s in scopes %}")
    tag(doc, "{%p if s.part_heading %}")  # the part's title heads the page of its first scope
    para(doc, "{{ s.part_heading }}", "Heading 1")
    para(doc, "{{ s.heading }}", "Heading 2").paragraph_format.page_break_before = False
    tag(doc, "{%p else %}")
    para(doc, "{{ s.heading }}", "Heading 2")
    tag(doc, "{%p endif %}")
    nine_tables(doc)
    narrative(doc)
    tag(doc, "{%p endfor %}")

    doc.core_properties.title = "{{ doc.title }}"
    doc.core_properties.author = "budgetpub"
    doc.core_properties.comments = ""
    # schema order and cell widths once, here, as Word would write them: rendering keeps them
    # (generator/document/ooxml.py: order_rendered puts back the one thing docxtpl disturbs)
    number_pages(doc)
    ooxml.order(doc.element)
    width_expressions()  # after order, which sums the grid's numbers into the cells' widths
    doc.save(path)


def number_pages(doc) -> None:
    """Page numbers as the seed has them: none on the cover and the contents, which are not counted;
    the body numbered from 1. The cover's section (the first) loses the page-number footer; every
    other section names it itself (so that a part laid out alone, publish.py, has it too); the
    first section of the first scope (its T1, ended by the break before T2) restarts the
    numbering, the same section of every later scope goes on."""
    body = doc.element.body
    sections = body.findall(f"{qn('w:p')}/{qn('w:pPr')}/{qn('w:sectPr')}") + [body.sectPr]
    cover = sections[0]
    footers = cover.findall(qn("w:footerReference"))
    for ref in footers + cover.findall(qn("w:headerReference")) + cover.findall(qn("w:titlePg")):
        cover.remove(ref)
    default = [ref for ref in footers if ref.get(qn("w:type")) == "default"]
    for sect in sections[1:]:
        for ref in sect.findall(qn("w:footerReference")) + sect.findall(qn("w:headerReference")):
            sect.remove(ref)
        for ref in reversed(default):
            sect.insert(0, deepcopy(ref))
    # {% if s.first %}<w:pgNumType w:start="1"/>{% endif %}, in its place in the schema's sequence
    restart = OxmlElement("w:pgNumType")
    restart.set(qn("w:start"), "1")
    margins = sections[1].find(qn("w:pgMar"))
    margins.addnext(restart)
    restart.tail = "{% endif %}" + (restart.tail or "")
    margins.tail = (margins.tail or "") + "{% if s.first %}"


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
