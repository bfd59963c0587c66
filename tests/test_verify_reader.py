"""Reading a Word file's tables: the fast reading in C (generator/verify/wordtables.py) and the walk
over rows and cells (wordfile.py) read every table alike, and the fast reading is never used on a
document that could forge its separators.

The documents are typed here as WordprocessingML text; the expected cells are written out by hand.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree

from generator.verify import wordfile
from generator.verify.blocks import Grid, Para
from generator.verify.wordfile import UnreadableDocument, docx_blocks
from generator.verify.wordtables import CELL, FIELD, MARK, ROW, Scan, table_rows

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def tc(text: str = "", pr: str = "", raw: str | None = None) -> str:
    body = raw if raw is not None else f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"
    return f"<w:tc>{f'<w:tcPr>{pr}</w:tcPr>' if pr else ''}{body}</w:tc>"


def tr(*cells: str, header: bool = False) -> str:
    return f"<w:tr>{'<w:trPr><w:tblHeader/></w:trPr>' if header else ''}{''.join(cells)}</w:tr>"


def tbl(*rows: str) -> str:
    return f"<w:tbl><w:tblGrid/>{''.join(rows)}</w:tbl>"


def document(body: str, head: str = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>") -> bytes:
    return (f'{head}<w:document xmlns:w="{W}"><w:body>{body}<w:sectPr/></w:body></w:document>').encode()


def docx(xml: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", xml)
    return out.getvalue()


def grids(xml: bytes) -> list[Grid]:
    return [b for b in docx_blocks(docx(xml)) if isinstance(b, Grid)]


def both(table_xml: str):
    """The table read by the XSLT and by the walk, from the same element."""
    root = etree.fromstring(document(table_xml))
    element = root.find(f"{{{W}}}body/{{{W}}}tbl")
    return table_rows(element), (wordfile._table_rows(element), wordfile._header_rows(element))


# a header of two rows: 项目 spans two rows (vMerge), 金额 two columns (gridSpan), marked as header rows
MERGED = tbl(
    tr(tc("项目", '<w:vMerge w:val="restart"/>'), tc("金额", '<w:gridSpan w:val="2"/>'), header=True),
    tr(tc("", "<w:vMerge/>"), tc("基本"), tc("项目"), header=True),
    tr(tc("合计"), tc("１２．５０"), tc("\u00a07 "), header=False),
    tr(tc("其他", '<w:vMerge w:val="continue"/>'), tc("1"), tc("2"), header=True),  # not leading: not a header
)
MERGED_ROWS = [["项目", "金额", "金额"], ["项目", "基本", "项目"],
               ["合计", "12.50", "7"], ["合计", "1", "2"]]


def test_merged_cells_and_header_rows_through_the_fast_reading():
    fast, walk = both(MERGED)
    assert fast == (MERGED_ROWS, 2)
    assert walk == fast


def test_a_whole_document_reads_its_merged_table_fast():
    read = grids(document(MERGED))
    assert [(g.rows, g.header_rows) for g in read] == [(MERGED_ROWS, 2)]


@pytest.mark.parametrize("span, width", [("２", 2), ("0", 1), ("-3", 1), ("abc", 1), ("", 1), ("99999", 1000),
                                         (" 3 ", 3), ("1_0", 10)])
def test_a_span_is_read_as_int_reads_it(span, width):
    fast, walk = both(tbl(tr(tc("x", f'<w:gridSpan w:val="{span}"/>'), tc("y"))))
    assert fast == ([["x"] * width + ["y"]], 0)
    assert walk == fast


def test_only_the_first_cell_properties_count():
    # a second tcPr, or a second gridSpan, is not read (as lxml's find does not)
    cell = ('<w:tc><w:tcPr><w:tcW w:w="1"/></w:tcPr><w:tcPr><w:gridSpan w:val="3"/></w:tcPr>'
            '<w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc>')
    cell2 = tc("b", '<w:gridSpan w:val="2"/><w:gridSpan w:val="5"/><w:vMerge w:val="nope"/>')
    fast, walk = both(tbl(tr(cell, cell2)))
    assert fast == ([["a", "b", "b"]], 0)
    assert walk == fast


def test_text_as_itertext_gives_it_nested_tables_tails_and_children():
    inner = tbl(tr(tc("内"), tc("表")))
    odd = ('<w:p><w:r><w:t>A<w:r>x</w:r>B</w:t>\n  T<w:t>C</w:t></w:r><w:r><w:instrText>PAGE</w:instrText>'
           '<w:delText>删</w:delText><w:t xml:space="preserve"> D </w:t></w:r></w:p>')
    fast, walk = both(tbl(tr(tc(raw=odd), tc(raw=f"<w:p/>{inner}<w:p><w:r><w:t>外</w:t></w:r></w:p>"))))
    assert fast == ([["A\n  TC D", "内表外"]], 0)  # each w:t's own text and the text after it; no field code
    assert walk == fast


def test_rows_without_cells_and_cells_without_text():
    fast, walk = both(tbl("<w:tr/>", tr(tc(raw="<w:p/>"), tc(raw=""))))
    assert fast == ([[], ["", ""]], 0)
    assert walk == fast


@pytest.mark.parametrize("text", [ROW, CELL, MARK, FIELD, f"1{CELL}2", f"a{ROW}h{CELL}b"])
def test_a_cell_holding_a_separator_is_read_as_it_is(text):
    read = grids(document(tbl(tr(tc(text), tc("右")))))
    assert [g.rows for g in read] == [[[text, "右"]]]  # one cell, not forged into more


@pytest.mark.parametrize("reference", ["&#xE001;", "&#57344;", "&#x0000E003;"])
def test_a_separator_written_as_a_character_reference_is_read_as_it_is(reference):
    read = grids(document(tbl(tr(tc(f"a{reference}b"), tc("右")))))
    assert [[len(r) for r in g.rows] for g in read] == [[2]]
    assert read[0].rows[0][0] == "a" + chr(int(reference[3:-1], 16) if "x" in reference else int(reference[2:-1])) + "b"


def test_a_separator_late_in_a_long_document_leaves_the_tables_before_it_fast(monkeypatch):
    paths: list[bool] = []
    block = wordfile._block

    def noting(el, styles, scan, cells_read):
        paths.append(scan.safe)
        return block(el, styles, scan, cells_read)
    monkeypatch.setattr(wordfile, "_block", noting)
    filler = "".join(f"<w:p><w:r><w:t>第{i}段{'文字' * 40}</w:t></w:r></w:p>" for i in range(400))  # ≫ one piece
    tables = [tbl(tr(tc("甲"), tc("1.00"))), tbl(tr(tc(f"乙{CELL}"), tc("2.00")))]
    read = grids(document(tables[0] + filler + tables[1]))
    assert [g.rows for g in read] == [[["甲", "1.00"]], [[f"乙{CELL}", "2.00"]]]
    assert paths[0] is True and paths[-1] is False


def test_scan_is_safe_on_what_budgetpub_writes():
    scan = Scan()
    scan.feed(document(MERGED))
    assert scan.safe


@pytest.mark.parametrize("xml", [
    document(tbl(tr(tc(MARK)))),
    document(tbl(tr(tc("a&#xE000;")))),
    document(tbl(tr(tc("a<!-- x -->b")))),
    document(tbl(tr(tc("a<![CDATA[x]]>b")))),
    document(tbl(tr(tc("a<?pi x?>b")))),
    document("", head='<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e "x">]>'),
    document("", head="<?xml version='1.0' encoding='ISO-8859-1'?>"),
    "\ufeff<w:document/>".encode("utf-16"),
    document(tbl(tr(tc(CELL))), head="<?xml version='1.0' encoding='UTF-16'?>").decode().encode("utf-16-le"),
])
def test_scan_is_unsafe_on_what_could_forge_a_separator(xml):
    scan = Scan()
    scan.feed(xml)
    assert not scan.safe


@pytest.mark.parametrize("cut", [1, 2])
def test_scan_finds_a_separator_split_between_two_pieces(cut):
    xml = document(tbl(tr(tc(f"a{CELL}b"))))
    at = xml.index(CELL.encode()) + cut
    scan = Scan()
    scan.feed(xml[:at])
    assert scan.safe
    scan.feed(xml[at:])
    assert not scan.safe


def test_a_document_in_utf16_without_a_byte_order_mark_is_walked():
    xml = document(tbl(tr(tc(f"a{CELL}b"), tc("右"))), head="<?xml version='1.0' encoding='UTF-16'?>")
    assert [g.rows for g in grids(xml.decode().encode("utf-16-le"))] == [[[f"a{CELL}b", "右"]]]


def test_a_comment_inside_a_cells_text_reads_as_the_walk_reads_it():
    # lxml's itertext gives the text after a comment inside w:t; the XSLT would not: such a document is walked
    assert [g.rows for g in grids(document(tbl(tr(tc("a<!--x-->b")))))] == [[["ab"]]]


@pytest.mark.parametrize("head", [
    ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
     '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'),
    '<?xml version="1.0"?><!DOCTYPE w:document>',
])
def test_a_document_with_a_document_type_declaration_is_refused_not_read_in_part(head):
    """Word never writes one. Its entities are not expanded (no "billion laughs"), and an unexpanded
    reference would take the text after it ("y", "段") out of what is read: refused, before any block."""
    xml = document(tbl(tr(tc("x&c;y" if "ENTITY" in head else "xy"))) + "<w:p><w:r><w:t>段</w:t></w:r></w:p>", head)
    with pytest.raises(UnreadableDocument, match=r"文档类型声明（<!DOCTYPE …>），Word 生成的文件不会有：未读取"):
        list(docx_blocks(docx(xml)))
    assert [g.rows for g in grids(document(tbl(tr(tc("xy")))))] == [[["xy"]]]  # the same without it: read


def test_a_huge_attribute_is_read_or_refused_as_before():
    big = "9" * 5000  # more digits than int() reads: one column
    fast, walk = both(tbl(tr(tc("x", f'<w:gridSpan w:val="{big}"/>'))))
    assert fast == ([["x"]], 0)
    assert walk == fast
    assert [g.rows for g in grids(document(tbl(tr(tc("x", f'<w:gridSpan w:val="{big}"/>')))))] == [[["x"]]]


def test_a_document_cut_short_is_unreadable():
    xml = document(tbl(tr(tc("甲"))) + "<w:p><w:r><w:t>段</w:t></w:r></w:p>" * 5000)
    with pytest.raises(UnreadableDocument, match="已损坏"):
        list(docx_blocks(docx(xml[: len(xml) // 2])))


def test_the_body_is_read_in_order_with_its_paragraphs():
    xml = document("<w:p><w:r><w:t>前</w:t></w:r></w:p>" + tbl(tr(tc("甲"))) + "<w:sdt><w:sdtContent><w:p><w:r>"
                   "<w:t>框</w:t></w:r></w:p></w:sdtContent></w:sdt><w:p><w:r><w:t>后</w:t></w:r></w:p>")
    assert list(docx_blocks(docx(xml))) == [Para("前"), Grid([["甲"]]), Para("后")]


# ---------------------------------------------------------------- bounded: spans do not fill the memory

@pytest.mark.parametrize("reader", ["fast", "walk"])
def test_both_readings_count_every_spanned_cell_against_the_documents_bound(reader):
    """MERGED holds 12 grid cells (a span counted once for each column it covers): read with a bound
    of 12 it is read; of 11 it is refused, by either reading, before the span that passes it is made."""
    from generator.verify.wordtables import Cells
    element = etree.fromstring(document(MERGED)).find(f"{{{W}}}body/{{{W}}}tbl")
    read = (lambda cells: table_rows(element, cells)[0]) if reader == "fast" else \
        (lambda cells: wordfile._table_rows(element, cells))
    enough = Cells(12)
    assert read(enough) == MERGED_ROWS and enough.left == 0
    with pytest.raises(ValueError, match="万个单元格"):
        read(Cells(11))


def test_a_document_whose_spans_would_make_millions_of_cells_is_refused_in_chinese(monkeypatch):
    """A few hundred kilobytes of cells each spanning 1,000 columns: refused once the document's tables
    pass the bound, as an unreadable document (exit 2 at verify and import), whichever reading is used."""
    from generator.verify import wordtables
    monkeypatch.setattr(wordtables, "MAX_CELLS", 5000)
    cell = tc("", '<w:gridSpan w:val="1000"/>')
    for body in (tbl(tr(cell * 3), tr(cell * 3)), tbl(tr(cell * 3), tr(tc("&#57344;") + cell * 3))):  # fast; walk
        with pytest.raises(UnreadableDocument, match=r"无法作为 Word 文件（\.docx）读取：其中的表格共有超过"):
            grids(document(body + tbl(tr(cell * 3))))


def test_a_document_of_more_text_than_a_publication_holds_is_refused(monkeypatch):
    """20 MB of a .docx of repeated text could hold gigabytes, all kept to be checked: past the bound
    (paragraphs and cells together, a spanned cell once per column) it is refused in Chinese."""
    from generator.verify import blocks
    body = "<w:p><w:r><w:t>一二三四五</w:t></w:r></w:p>" * 6 + tbl(tr(tc("甲乙", '<w:gridSpan w:val="5"/>')))
    assert len(list(docx_blocks(docx(document(body))))) == 7  # 30 + 10 characters: read
    monkeypatch.setattr(blocks, "MAX_TEXT", 39)
    with pytest.raises(UnreadableDocument, match="无法作为 Word 文件（.docx）读取：其中的文字超过"):
        list(docx_blocks(docx(document(body))))
