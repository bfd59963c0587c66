"""Every template renders, uses every variable the context offers and needs no other."""

from __future__ import annotations

import re

import jinja2
import pytest
from docxtpl import DocxTemplate

from generator import DATA_ROOT, build
from generator.document.context import build_context
from generator.document.render import TEMPLATE, jinja_env

TEMPLATES = [TEMPLATE]


def template_source(path) -> str:
    tpl = DocxTemplate(str(path))
    tpl.init_docx()
    # the body, and the document properties docxtpl renders too
    return tpl.patch_xml(tpl.get_xml()) + tpl.docx.core_properties.title


def used(source: str, prefix: str) -> set[str]:
    return set(re.findall(r"(?<![\w.])" + re.escape(prefix) + r"\.([a-z_0-9]+)", source))


@pytest.fixture(scope="module")
def context():
    publication, _ = build(DATA_ROOT, "899", 2024)
    return build_context(publication)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_top_level_variables_are_exactly_the_context(path, context):
    undeclared = DocxTemplate(str(path)).get_undeclared_template_variables(jinja_env())
    assert undeclared == set(context)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_every_context_field_is_used(path, context):
    source = template_source(path)
    scope = context["scopes"][0]
    assert used(source, "doc") == set(context["doc"])
    assert used(source, "s") == set(scope)
    assert used(source, "s.n") == set(scope["n"])
    assert used(source, "s.sangong") == set(scope["sangong"])


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_undefined_variable_stops_rendering(path, context):
    broken = dict(context)
    broken["scopes"] = [dict(s) for s in context["scopes"]]
    del broken["scopes"][0]["n"]["basic"]
    tpl = DocxTemplate(str(path))
    with pytest.raises(jinja2.UndefinedError):
        tpl.render(broken, jinja_env(), autoescape=True)


def test_section_break_paragraphs_hold_no_tag():
    source = DocxTemplate(str(TEMPLATE))
    source.init_docx()
    xml = source.get_xml()
    breaks = [p for p in re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S) if "<w:sectPr" in p]
    # one ending the cover's section after the contents, one before and after each landscape page
    # (T2, T4, procurement): seven, all free of tags
    assert len(breaks) == 7
    # no paragraph tag (it would take the break with it); the one condition is the restart of the page
    # numbers in the first scope's first section, inside its properties
    assert [p for p in breaks if "{%p" in p or "{{" in p] == []
    conditional = [p for p in breaks if "{%" in p]
    assert len(conditional) == 1
    assert '{% if s.first %}<w:pgNumType w:start="1"/>{% endif %}' in conditional[0]
    assert conditional[0].count("{%") == 2


def test_tables_state_their_borders_without_a_table_style():
    """LibreOffice works a table style out again for every cell (40 % of its time opening a
    table-heavy part for the contents' page numbers): the template's tables say their borders
    themselves, drawn on the bordered tables, none on the captions above them, down to the
    caption's cells, since LibreOffice joins a caption to the table that follows it."""
    source = DocxTemplate(str(TEMPLATE))
    source.init_docx()
    tables = re.findall(r"<w:tbl>.*?</w:tbl>", source.get_xml(), flags=re.S)
    assert "<w:tblStyle" not in source.get_xml()
    drawn = [t for t in tables if '<w:insideV w:val="single" w:sz="4" w:space="0" w:color="auto"/>' in t]
    bare = [t for t in tables if '<w:insideV w:val="nil"/>' in t]
    assert len(drawn) >= 20 and len(bare) >= 10
    assert len(drawn) + len(bare) == len(tables)
    for caption in bare:
        cells = re.findall(r"<w:tc>.*?</w:tc>", caption, flags=re.S)
        assert len(cells) >= 2
        assert all('<w:tcBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/>'
                   '<w:right w:val="nil"/></w:tcBorders>' in cell for cell in cells)


def test_a_cramped_header_wraps_every_two_characters_but_never_inside_a_number():
    """The empty 政府采购 table in portrait: its header words wrap every two characters, the year of
    "2024年预留中小微企业份额" whole (a column of two characters printed 202 / 4年)."""
    from generator.document.widths import table_columns, twips
    from generator.figures import tables

    cols, _ = table_columns(tables.PROCUREMENT, [], {"doc.year": "2024"}, narrow_header=True)
    last = cols[-1]
    assert last.need == max(twips("2024"), twips("预留"))  # the year is the widest piece, and it fits
    assert twips("2024") > twips("预留")  # (it would not in two characters' width)
    wide, _ = table_columns(tables.PROCUREMENT, [], {"doc.year": "2024"})
    assert wide[-1].need > last.need  # not cramped: "预留中小" on one line
