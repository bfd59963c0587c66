"""The layout in parts (generator/formats/layout.py) gives the page numbers of one layout of the whole
document: on every example, and on a department of many units.

Needs LibreOffice with python3-uno (.ci/run installs it); skipped, with the reason, where it is absent.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import synth

from generator import DATA_ROOT, build
from generator.document import package, toc
from generator.document.render import DOCUMENT, finish, package_parts, render_parts
from generator.formats import layout
from generator.formats import libreoffice as lo_module
from generator.formats.publish import layout_identity

needs_lo = pytest.mark.skipif(lo_module.find() is None, reason="LibreOffice (libreoffice-writer-nogui, "
                              "python3-uno) is not installed; .ci/run installs it")

EXAMPLES = [("304", 2023), ("899", 2023), ("899", 2024), ("898", 2024), ("897", 2024)]


@pytest.fixture(scope="module")
def lo():
    with lo_module.LibreOffice() as office:
        yield office


def both_ways(pub, lo, tmp_path, group: int = 1, front_alone: bool = True):
    """(page numbers, pages) from the parts, and from layouts of the whole document: the page numbers
    as LibreOffice's own update of the contents gives them, the pages of the finished file (its
    contents as budgetpub writes them)."""
    raw = render_parts(pub)
    document = dict(raw)[DOCUMENT]
    headings = toc.headings(document)
    epoch = package.epoch(None)
    documents = layout.split(document, group, front_alone)
    scopes = 1 if pub.department.publishes == "单位预算" else 1 + len(pub.units)
    assert documents is not None
    assert len(documents) == (1 if front_alone else 0) + (scopes if group == 1 else 1 + -(-(scopes - 1) // group))
    documents[0] = layout.front_with_contents(documents[0], headings)
    parts = layout.lay_out(documents, package_parts(raw, pub, epoch), DOCUMENT, headings, tmp_path,
                           lambda n: layout.Pool([lo]), None, layout_identity(), front_joined=not front_alone)
    draft = tmp_path / "whole.docx"
    draft.write_bytes(finish(raw, pub, epoch))
    whole = lo.layout(draft)  # LibreOffice updates the contents of the whole document itself
    final = tmp_path / "final.docx"
    final.write_bytes(finish(raw, pub, epoch, parts.pages, parts.total))
    # the file as published, its contents as they are, exported: its pages (LibreOffice's own count
    # adds a blank page it inserts, and does not print, where the numbering restarts on an even page)
    lo.layout(final, tmp_path / "final.pdf", update=False)
    printed = len(re.findall(rb"/Type\s*/Page[^s]", (tmp_path / "final.pdf").read_bytes()))
    return (parts.pages, parts.total), (toc.match_pages(headings, whole.toc), printed)


@needs_lo
@pytest.mark.parametrize("front_alone", [True, False], ids=["front-alone", "front-joined"])
@pytest.mark.parametrize("dept, year", EXAMPLES, ids=lambda v: str(v))
def test_parts_give_the_page_numbers_of_the_whole_document(dept, year, front_alone, lo, tmp_path):
    """The front matter laid out alone, or with the body's first part (as publish does: one document
    less to load): the same numbers as one layout of the whole document."""
    pub, _ = build(DATA_ROOT, dept, year)
    (pages, total), (whole_pages, whole_total) = both_ways(pub, lo, tmp_path, front_alone=front_alone)
    assert whole_pages is not None and len(whole_pages) > 15
    assert pages == whole_pages
    assert total == whole_total


@needs_lo
def test_parts_add_up_across_many_units(lo, tmp_path):
    synth.make_department(tmp_path / "data", "777", 2024, 12)
    shutil.copytree(DATA_ROOT / "catalogue", tmp_path / "data" / "catalogue")
    pub, _ = build(tmp_path / "data", "777", 2024)
    # the units three to a part (layout.grouping: fewer documents for LibreOffice to load)
    (pages, total), (whole_pages, whole_total) = both_ways(pub, lo, tmp_path, group=3, front_alone=False)
    assert pages == whole_pages and total == whole_total
    assert int(pages[-1]) > 12 * 10  # the last unit's heading, far into the body


def test_a_document_is_cut_before_each_scope_and_keeps_its_section_properties():
    pub, _ = build(DATA_ROOT, "899", 2024)
    document = dict(render_parts(pub))[DOCUMENT]
    documents = layout.split(document)
    assert len(documents) == 2 + len(pub.units) == 5
    front, dept, *units = documents
    assert b"TOC \\o" in front and b"Heading2" not in front
    assert dept.count(b"Heading1") == 1 and b"\xe7\xac\xac\xe4\xb8\x80\xe9\x83\xa8\xe5\x88\x86" in dept  # 第一部分
    assert units[0].count(b"Heading1") == 1 and all(b"Heading1" not in u for u in units[1:])
    for part in documents:  # one body, ending in its own section properties
        assert part.count(b"<w:body>") == 1 and part.endswith(b"</w:sectPr></w:body></w:document>")
    # the parts hold the whole body, once
    body = document[document.index(b"<w:body>") + 8:document.rindex(b"<w:sectPr")]
    inner = [p[p.index(b"<w:body>") + 8:p.rindex(b"<w:sectPr")] for p in documents]
    assert inner[0].endswith(b"<w:p><w:pPr/></w:p>")  # the cover's break: its properties are the part's own
    assert b"".join([inner[0][:-len(b"<w:p><w:pPr/></w:p>")]] + inner[1:]) == body.replace(
        front_break(document), b"")


def front_break(document: bytes) -> bytes:
    start = document.index(b"<w:p><w:pPr><w:sectPr")
    return document[start:document.index(b"</w:p>", start) + len(b"</w:p>")]


def test_a_part_ending_in_a_section_break_takes_that_break_alone():
    """A part whose last paragraph is a section break: that break's properties, not everything from an
    earlier break in the part to the end (the pattern, searched from the start, ran from the first)."""
    early = b'<w:p><w:pPr><w:sectPr><w:pgSz w:w="1"/></w:sectPr></w:pPr></w:p>'
    last = b'<w:p><w:pPr><w:sectPr><w:pgSz w:w="2"/></w:sectPr></w:pPr></w:p>'
    content = b'<w:p>cover</w:p>' + early + b'<w:p>contents</w:p>' + last
    found = layout._break_at_end(content)
    assert found.group(1) == b'<w:sectPr><w:pgSz w:w="2"/></w:sectPr>'
    assert content[:found.start()] == b'<w:p>cover</w:p>' + early + b'<w:p>contents</w:p>'
    assert layout._break_at_end(content + b'<w:p>after</w:p>') is None


def test_units_are_grouped_into_parts_and_a_small_body_is_one_part():
    pub, _ = build(DATA_ROOT, "899", 2024)
    document = dict(render_parts(pub))[DOCUMENT]
    assert [p.count(b"Heading2") for p in layout.split(document, 2)] == [0, 1, 2, 1]
    assert [p.count(b"Heading2") for p in layout.split(document, 0)] == [0, 4]
    assert layout.grouping(3) == 0 and layout.grouping(200) >= 1


def test_a_template_without_scope_headings_is_laid_out_whole():
    assert layout.split(b"<w:document><w:body><w:p/><w:sectPr/></w:body></w:document>") is None


def front_part(tmp_path):
    """897's front matter (cover and contents) as a .docx of its own: a small part to lay out."""
    pub, _ = build(DATA_ROOT, "897", 2024)
    raw = render_parts(pub)
    document = dict(raw)[DOCUMENT]
    front = layout.front_with_contents(layout.split(document, 0)[0], toc.headings(document))
    part = tmp_path / "front.docx"
    layout.write_package(part, package_parts(raw, pub, package.epoch(None)), DOCUMENT, front)
    return part


@needs_lo
def test_a_session_a_pool_starts_serves_the_next_document_after_the_pools_threads_end(tmp_path):
    """A batch worker's one session is started by the pool, whose threads end with each department's
    layout. The kernel's parent-death signal (lo_worker.py) follows the thread that started the
    worker: started in a pool's thread, it stopped with that thread, and the batch's second
    department failed (内部错误 FileNotFoundError …/adopted). The pool starts it from its caller."""
    import time

    part = front_part(tmp_path)
    session = lo_module.LibreOffice()  # not started: as batch._libreoffice makes it
    try:
        first = layout.Pool([session]).headings([part])[0]
        assert first.pages >= 2
        time.sleep(1.5)  # the signal, when it comes, comes as the thread ends
        assert session._proc is not None and session._proc.poll() is None
        assert layout.Pool([session]).headings([part])[0].pages == first.pages  # the next department
    finally:
        session.close()


@needs_lo
def test_a_session_whose_libreoffice_ended_by_itself_starts_again_for_the_next_document(tmp_path):
    """LibreOffice killed between two departments of a batch (a crash, the OOM killer): the next
    department starts a new session instead of failing on the old one's missing folder."""
    import os
    import signal

    def sockets() -> set[str]:  # LibreOffice's pipes: in /tmp whatever $TMPDIR says
        return {p.name for p in Path("/tmp").glob(f"OSL_PIPE_{os.getuid()}_*")}

    part = front_part(tmp_path)
    before = sockets()
    session = lo_module.LibreOffice()
    try:
        pool = layout.Pool([session])
        pages = pool.headings([part])[0].pages
        old = session._proc
        assert len(sockets() - before) == 2  # the pipe budgetpub connects on, and LibreOffice's own
        os.kill(old.pid, signal.SIGTERM)  # the worker's guard kills soffice and removes the session's folder
        old.wait(30)
        assert sockets() <= before  # and the sockets soffice, killed, could not remove
        pool.adopt(tmp_path)  # what publish does first for the next department
        assert pool.headings([part])[0].pages == pages
        assert session._proc is not old and session._proc.poll() is None
    finally:
        session.close()


@needs_lo
def test_headings_of_a_style_not_called_heading_are_found_when_budgetpub_counted_them(lo, tmp_path):
    """The worker asks LibreOffice about Heading 1-4 only when they hold as many headings as budgetpub
    counted in the part; otherwise every style of outline level 1-4 (a heading style of another
    name). The page before a heading is found for the heading asked about only."""
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    doc = Document()
    own = doc.styles.add_style("我的标题", WD_STYLE_TYPE.PARAGRAPH)
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), "1")  # level 2
    own.element.get_or_add_pPr().append(outline)
    doc.add_paragraph("封面")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph("第一部分", style="Heading 1")
    doc.add_paragraph("正文")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph("一、收支预算", style="我的标题")
    path = tmp_path / "own.docx"
    doc.save(path)

    everything = lo.headings(path)
    assert [(level, text, page) for level, text, page in everything.toc] == [
        (1, "第一部分", "2"), (2, "一、收支预算", "3")]
    assert everything.before == [1, 2]
    counted = lo.headings(path, expect=2, before_of="第一部分")  # Heading 1 holds one: every style asked
    assert counted.toc == everything.toc
    assert counted.before == [1, 0]
    named = lo.headings(path, expect=1, before_of="")  # as many as counted: Heading 1-4 only
    assert [text for _, text, _ in named.toc] == ["第一部分"]
    assert named.before == [0]


def test_a_paragraph_start_is_found_however_far_back_it_is():
    """layout.cuts looks for a heading's paragraph in the 64 KB before it first, then further back."""
    long = b"<w:p>" + b"<w:r><w:t>" + b"x" * 200_000 + b"</w:t></w:r>"
    assert layout._paragraph_start(long, len(long)) == 0
    assert layout._paragraph_start(b"<w:p w:rsidR=\"1\">" + long[5:], len(long)) == 0
    near = b"<w:p>abc</w:p>" + b"y" * 100 + b"<w:p w:rsidR=\"2\">z"
    assert layout._paragraph_start(near, len(near)) == near.index(b"<w:p w:rsidR")
    assert layout._paragraph_start(near, near.index(b"<w:p w:rsidR"), window=8) == 0  # beyond the window
    straddling = b"q" * 10 + b"<w:p>" + b"r" * 20
    assert layout._paragraph_start(straddling, len(straddling), window=22) == 10  # begins just before it
    assert layout._paragraph_start(b"no paragraph" * 10_000, 120_000) == -1
