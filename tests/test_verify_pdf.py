"""budgetpub verify on PDF publications: every example's PDF as budgetpub writes it, defects planted in
a generated publication and laid out again, the hand-typed rebuilds of the seed converted by
LibreOffice as a clerk would, a scan without a text layer.

LibreOffice makes the PDFs (one budgetpub session for the generated ones; ``soffice --convert-to pdf``
for the hand-typed ones, as a clerk converts them); .ci/run installs it.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

import handtyped
import planted
from generator import DATA_ROOT, build
from generator.cli import budgetpub
from generator.formats import libreoffice
from generator.formats import publish as publishing
from generator.verify import read_document, verify_bytes, verify_path
from test_verify_checks import SEED_SLIPS, slips

_VERIFIED: dict = {}


def verified(path: Path):
    """verify_path, once per file: reading a PDF takes seconds."""
    if path not in _VERIFIED:
        _VERIFIED[path] = verify_path(path)
    return _VERIFIED[path]

needs_lo = pytest.mark.skipif(libreoffice.find() is None,
                              reason="LibreOffice (libreoffice-writer-nogui, python3-uno) is not installed; "
                                     ".ci/run installs it")
EXAMPLES = sorted((p.parent.name, p.name) for p in DATA_ROOT.glob("*/*") if (p / "department.yaml").exists())


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Every example as budgetpub writes it (docx and PDF); and the planted defects laid out into PDFs
    by the same LibreOffice: one with every defect and a contents page number off by one (the
    contents kept as typed text, so the layout does not correct it), one with a table deleted."""
    out = tmp_path_factory.mktemp("pdf")
    paths = {}
    with libreoffice.LibreOffice() as lo:
        for dept, year in EXAMPLES:
            publication, _ = build(DATA_ROOT, dept, int(year))
            written, _ = publishing.publish(publication, ["docx", "pdf"], out / f"{dept}-{year}.docx", lo=lo)
            paths[(dept, year)] = {p.suffix[1:]: p for p in written}
        docx = paths[("899", "2024")]["docx"].read_bytes()
        broken, old, new = planted.shift_contents_page(planted.contents_as_text(planted.plant(docx)), "部门预算收入总表")
        deleted = planted.DELETED[0](docx)
        for name, data in (("planted", broken), ("deleted", deleted)):
            (out / f"{name}.docx").write_bytes(data)
            lo.layout(out / f"{name}.docx", out / f"{name}.pdf")
            paths[name] = out / f"{name}.pdf"
    paths["contents"] = (old, new)
    return paths


@needs_lo
@pytest.mark.parametrize("dept,year", EXAMPLES)
def test_every_example_pdf_verifies(generated, dept, year, capsys):
    pdf = generated[(dept, year)]["pdf"]
    # a region without 三公 (895, central level) is read with its layout
    layout = ["--layout", str(Path(__file__).parent / "fixtures" / "layout-without-sangong.yaml")] if dept == "895" else []
    assert budgetpub(["verify", *layout, str(pdf)]) == 0
    out = capsys.readouterr().out
    assert "核对通过" in out
    if layout:
        return  # read with the region's layout above; the comparisons below use the default one
    result = verify_path(pdf)
    assert result.errors == [] and result.fmt == "pdf"
    docx = verify_path(generated[(dept, year)]["docx"])
    # the PDF is read as fully as the .docx: the same parts, tables and findings
    assert result.scopes == docx.scopes
    assert [(s.scope, s.kind) for s in result.seen if s.read] == [(s.scope, s.kind) for s in docx.seen if s.read]
    assert [(d.code, d.scope) for d in result.disagreements] == [(d.code, d.scope) for d in docx.disagreements]
    assert all(s.page for s in result.seen)


@needs_lo
@pytest.mark.parametrize("name", list(planted.DEFECTS))
def test_each_planted_defect_is_reported_with_its_page_in_the_pdf(generated, name):
    result = verified(generated["planted"])
    found = planted.reported(result, planted.DEFECTS[name][1])
    assert found and all(d.page for d in found), result.format()


@needs_lo
def test_a_contents_page_number_off_by_one_is_reported_in_the_pdf(generated):
    result = verified(generated["planted"])
    old, new = generated["contents"]
    found = [d for d in result.disagreements if d.code == "contents" and "部门预算收入总表" in d.where]
    assert [(d.page, d.values) for d in found] == [(2, [("目录页码", new), ("正文页码", old)])]
    # the other entries still agree with their pages (the year planted in a heading is its own finding)
    others = [d for d in result.disagreements if d.code == "contents" and d not in found]
    assert [d.where for d in others] == ["目录 “示例市示例区文化和旅游局2024年部门预算信息公开情况说明”"]


@needs_lo
def test_a_deleted_table_is_reported_with_its_page_in_the_pdf(generated):
    result = verified(generated["deleted"])
    found = planted.reported(result, planted.DELETED[1])
    assert [d.what for d in found] == ["缺少“单位预算一般公共预算财政拨款支出表”"] and found[0].page


@needs_lo
def test_the_html_report_links_each_finding_to_its_page(generated, tmp_path, capsys):
    report = tmp_path / "report.html"
    assert budgetpub(["verify", str(generated["planted"]), str(generated[("304", "2023")]["pdf"]),
                      "--format", "html", "-o", str(report)]) == 1
    capsys.readouterr()
    page = report.read_text(encoding="utf-8")
    assert "planted.pdf#page=2" in page  # the contents
    assert page.count('<tr class="fail">') == 2 and page.count('<tr class="warn">') == 2  # 304: its own texts


@pytest.fixture(scope="module")
def handtyped_pdfs(tmp_path_factory):
    """The rebuilds of the seed converted by LibreOffice as a clerk converts a Word file."""
    soffice = libreoffice._soffice()
    out = tmp_path_factory.mktemp("handtyped")
    names = []
    for k, variant in enumerate(handtyped.VARIANTS):
        (out / f"v{k}.docx").write_bytes(handtyped.build(variant))
        names.append(f"v{k}.docx")
    profile = out / "profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), *names], cwd=out, check=True, capture_output=True, timeout=600)
    return {v: out / f"v{k}.pdf" for k, v in enumerate(handtyped.VARIANTS)}


@needs_lo
@pytest.mark.parametrize("variant", handtyped.VARIANTS, ids=[v.name for v in handtyped.VARIANTS])
def test_a_hand_typed_pdf_gets_the_seeds_slips_and_nothing_else(handtyped_pdfs, variant):
    result = verified(handtyped_pdfs[variant])
    assert slips(result) == SEED_SLIPS, result.format()
    assert all(d.page for d in result.disagreements)
    assert result.scopes == ["保定市莲池区工业和信息化局", "保定市莲池区工业和信息化局本级"]
    read = {(s.scope, s.kind) for s in result.seen if s.read}
    assert len(read) == 24  # every table of both parts; a column LibreOffice squeezed out is listed, not compared
    assert result.checks > 1500


def test_a_pdf_without_a_text_layer_is_unreadable_not_a_pass(tmp_path, capsys):
    from PIL import Image  # pdfplumber's own dependency
    scan = io.BytesIO()
    Image.new("RGB", (595, 842), "white").save(scan, "PDF")
    path = tmp_path / "scan.pdf"
    path.write_bytes(scan.getvalue())
    assert budgetpub(["verify", str(path)]) == 2
    err = capsys.readouterr().err
    assert "没有文字层" in err and "核对通过" not in err
    path.write_bytes(b"%PDF-1.4\n%broken")
    assert budgetpub(["verify", str(path)]) == 2
    assert "无法作为 PDF 读取" in capsys.readouterr().err


@needs_lo
def test_a_pdf_named_docx_is_read_by_its_content(generated, tmp_path):
    misnamed = tmp_path / "misnamed.docx"
    shutil.copy(generated[("897", "2024")]["pdf"], misnamed)
    assert verify_path(misnamed).fmt == "pdf"
    assert read_document(misnamed.read_bytes()).format == "pdf"
    assert verify_bytes(misnamed.read_bytes()).ok


def one_page_pdf(stream: bytes, filters: str) -> bytes:
    """A PDF of one A4 page whose content stream is ``stream``, encoded by ``filters`` (/FlateDecode…)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               f"<< /Filter {filters} /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream"]
    out, offsets = b"%PDF-1.4\n", []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    return out + f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()


TEXT = b"BT /F1 12 Tf 72 700 Td (abc) Tj ET "


@pytest.mark.parametrize("filters, stream", [
    ("/FlateDecode", lambda size: __import__("zlib").compress(b" " * size, 9)),  # 200 MB in some 200 KB
    ("/RunLengthDecode", lambda size: bytes([129, 32]) * (size // 128)),  # a run of 128 spaces in two bytes
    ("[/FlateDecode /RunLengthDecode]", lambda size: __import__("zlib").compress(bytes([129, 32]) * (size // 128), 9)),
])
def test_a_pdf_whose_streams_decode_to_hundreds_of_megabytes_is_refused_before_they_are_made(filters, stream,
                                                                                           monkeypatch):
    """pdfminer decodes a stream whole: a small PDF could fill the memory. Past 128 MB a stream (or 1 GB
    all of them) it is refused as a "压缩炸弹" (exit 2), the filter stopped before it makes more."""
    from generator.verify import pdffile
    monkeypatch.setattr(pdffile, "MAX_STREAM", 8 << 20)  # (the bound lowered: the test makes 16 MB, not 200)
    with pytest.raises(pdffile.UnreadableDocument, match="压缩炸弹"):
        read_document(one_page_pdf(stream(16 << 20), filters), "pdf")


def test_the_bounded_inflating_reads_what_zlib_reads():
    """What pdfminer's zlib is while a PDF is read inflates as zlib does, a truncated stream included
    (zlib's error: pdfminer then reads what it can), and the PDF's text is read as before."""
    import zlib

    from generator.verify import pdffile
    whole = zlib.compress(TEXT * 50)
    bounded = pdffile._Zlib(pdffile._Decoded())
    assert bounded.decompress(whole) == zlib.decompress(whole) == TEXT * 50
    with pytest.raises(zlib.error, match="incomplete or truncated stream"):
        bounded.decompress(whole[:-8])
    with pytest.raises(zlib.error, match="incomplete or truncated stream"):
        zlib.decompress(whole[:-8])
    inflater = bounded.decompressobj()
    assert b"".join(inflater.decompress(whole[i:i + 1]) for i in range(len(whole))) == TEXT * 50


@pytest.mark.parametrize("chars, refused", [(40, False), (60, True)])
def test_a_page_of_more_characters_and_lines_than_a_publication_has_is_refused(chars, refused, tmp_path, capsys,
                                                                              monkeypatch):
    """pdfminer makes an object of some kilobytes for each character and line: a page of 400,000
    characters (1 MB of a PDF) took 1 GB. Past the bound a page is refused (exit 2), counted afresh on
    each page; and what pdfminer says of the font this PDF lacks (in English) is not on stderr."""
    import re
    import zlib

    from generator.verify import pdffile
    monkeypatch.setattr(pdffile, "MAX_PAGE_OBJECTS", 50)
    text = b"BT /F1 12 Tf " + b"".join(b"1 0 0 1 %d 700 Tm (x) Tj " % (20 + 9 * i) for i in range(chars)) + b"ET"
    path = tmp_path / "p.pdf"
    path.write_bytes(one_page_pdf(zlib.compress(text), "/FlateDecode"))
    assert budgetpub(["verify", str(path)]) == 2
    err = capsys.readouterr().err
    assert ("PDF 第 1 页无法读取：一页中的文字和图形超过" in err) == refused, err
    assert err.strip() and all(re.search(r"[\u4e00-\u9fff]", line) for line in err.splitlines()), err


@pytest.mark.parametrize("bound, message", [("MAX_OBJECTS", "全部页面中的文字和图形超过"), ("MAX_TEXT", "其中的文字超过")])
def test_a_pdf_is_read_within_its_bounds_of_objects_and_text_over_all_its_pages(bound, message, monkeypatch):
    """Within the page's bound, the PDF's: the objects pdfminer makes for all pages (the time it takes)
    and the text kept of them (the memory)."""
    import zlib

    from generator.verify import blocks, pdffile
    text = b"BT /F1 12 Tf " + b"".join(b"1 0 0 1 %d 700 Tm (x) Tj " % (20 + 9 * i) for i in range(60)) + b"ET"
    pdf = one_page_pdf(zlib.compress(text), "/FlateDecode")
    assert [b.text for b in pdffile.pdf_blocks(pdf, pdffile.Layout())] == [" ".join("x" * 60)]  # within the bounds
    monkeypatch.setattr(pdffile if bound == "MAX_OBJECTS" else blocks, bound, 50)
    with pytest.raises(pdffile.UnreadableDocument, match=message):
        list(pdffile.pdf_blocks(pdf, pdffile.Layout()))
