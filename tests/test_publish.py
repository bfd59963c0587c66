"""Ready to publish: PDF and Excel, contents with page numbers, fonts, true package properties.

The PDF tests need LibreOffice with python3-uno, fonts-noto-cjk and poppler-utils; .ci/run installs
them, so CI runs these tests (they are skipped, with the reason, only where LibreOffice is absent).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import docxread
import openpyxl
import pytest

from generator import DATA_ROOT, build
from generator.cli import main
from generator.errors import OutputError
from generator.formats import libreoffice as pdf
from generator.formats import layout, publish

NINE = ["收支总表", "收入总表", "支出总表", "财政拨款收支总表", "一般公共预算财政拨款支出表",
        "一般公共预算财政拨款基本支出表", "政府性基金预算财政拨款支出表", "国有资本经营预算财政拨款支出表",
        "财政拨款“三公”经费支出表"]
SECTIONS = ["一、部门职责及机构设置情况", "二、部门预算安排的总体情况", "三、机关运行经费安排情况",
            "四、财政拨款“三公”经费预算情况及增减变化原因", "五、预算绩效信息", "六、政府采购预算情况",
            "七、国有资产信息", "八、名词解释", "九、其他需要说明的事项"]

needs_lo = pytest.mark.skipif(pdf.find() is None or not shutil.which("pdftotext"),
                              reason="LibreOffice (libreoffice-writer-nogui, python3-uno) or poppler-utils "
                                     "is not installed; .ci/run installs them")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """304/2023 and 899/2024 in every format, through one LibreOffice process."""
    out = tmp_path_factory.mktemp("publish")
    paths = {}
    with pdf.LibreOffice() as lo:
        for dept, year in (("304", 2023), ("899", 2024)):
            publication, _ = build(DATA_ROOT, dept, year)
            written, warnings = publish.publish(publication, ["docx", "pdf", "xlsx"], out / f"{dept}.docx", lo=lo)
            assert warnings == []
            paths[dept] = {p.suffix[1:]: p for p in written}
    return paths


def pdf_pages(path: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    n = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return [subprocess.run(["pdftotext", "-layout", "-f", str(i), "-l", str(i), str(path), "-"],
                           capture_output=True, text=True, check=True).stdout for i in range(1, n + 1)]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@needs_lo
@pytest.mark.parametrize("dept", ["304", "899"])
def test_pages_are_numbered_from_the_first_table_as_in_the_seed(outputs, dept):
    # the cover and the contents carry no number and are not counted; the body is numbered from 1,
    # its first page holding 第一部分 and the department's first table
    pages = pdf_pages(outputs[dept]["pdf"])
    assert len(pages) > 20
    footers = [[line.strip() for line in page.splitlines() if line.strip()][-1] for page in pages]
    first = next(i for i, page in enumerate(pages) if "第一部分" in page and "收支总表" in page and i > 1)
    assert first == 2 + (len(pages[1:first]) - 1)  # the cover, then the contents (one page or more)
    assert not any(re.fullmatch(r"—\s*\d+\s*—", f) for f in footers[:first])
    missing = [n for n, f in enumerate(footers[first:], 1) if not re.fullmatch(rf"—\s*{n}\s*—", f)]
    assert missing == []


def footer_words(pdf: Path, page: int) -> tuple[float, list[tuple[str, float, float, float, float]]]:
    """The page's width and the words in its bottom tenth: (text, x0, x1, y0, y1) in points."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    width, height = (float(v) for v in re.search(r'<page width="([\d.]+)" height="([\d.]+)"', html).groups())
    words = [(t, float(a), float(c), float(b), float(d)) for a, b, c, d, t in
             re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                        html)]
    return width, [w for w in words if w[3] > height * 0.9]


@needs_lo
def test_the_page_number_is_centred_and_its_dashes_are_the_digits_size(outputs):
    # the footer once inherited Normal's first-line indent (4.9 mm right of centre) and 14 pt digits
    # between 10.5 pt dashes; portrait and landscape pages alike
    pdf = outputs["304"]["pdf"]
    pages = pdf_pages(pdf)
    checked = 0
    for i, page in enumerate(pages, 1):
        if not re.search(r"—\s*\d+\s*—\s*$", page):
            continue
        width, words = footer_words(pdf, i)
        assert [w[0] for w in words][-3] == "—" and words[-1][0] == "—" and words[-2][0].isdigit(), words
        dash, digits, dash2 = words[-3:]
        centre = (dash[1] + dash2[2]) / 2
        assert abs(centre - width / 2) < 1.5, (i, centre, width / 2)  # points: well under a millimetre
        heights = [w[4] - w[3] for w in (dash, digits, dash2)]
        assert max(heights) - min(heights) < 0.5, (i, heights)
        checked += 1
    assert checked == len(pages) - 2  # every numbered page (the cover and the one contents page are not)


def test_the_footer_style_has_no_indent_and_its_runs_no_size_of_their_own(pub304):
    from generator.document.render import render_bytes
    with zipfile.ZipFile(io.BytesIO(render_bytes(pub304))) as z:
        styles = z.read("word/styles.xml").decode()
        footers = [z.read(n).decode() for n in z.namelist() if n.startswith("word/footer")]
    footer = re.search(r'<w:style [^>]*w:styleId="Footer".*?</w:style>', styles, re.S).group(0)
    assert '<w:ind w:firstLine="0"/>' in footer and "<w:jc w:val=\"center\"/>" in footer
    assert len(footers) == 1 and "PAGE" in footers[0] and "<w:sz " not in footers[0]


def contents(pages: list[str]) -> dict[str, int]:
    """Entries of the PDF's 目录: squashed text -> page number."""
    entries = {}
    for page in pages[1:4]:  # the contents follow the cover
        if not squash(page).startswith("目录"):
            continue
        for line in page.splitlines():
            m = re.fullmatch(r"\s*(.+?)\s*\.{3,}\s*(\d+)\s*", line)
            if m:
                entries[squash(m.group(1))] = int(m.group(2))
    return entries


@needs_lo
def test_contents_point_at_the_pages_of_the_nine_tables_and_sections(outputs):
    pages = pdf_pages(outputs["304"]["pdf"])
    entries = contents(pages)
    wanted = ["部门预算" + t for t in NINE] + SECTIONS + ["一、保定市莲池区工业和信息化局本级收支预算"]
    numbered = {int(m.group(1)): page for page in pages  # a page by the number in its footer
                for m in [re.search(r"—\s*(\d+)\s*—\s*$", page)] if m}
    for title in wanted:
        assert title in entries, title
        page = numbered[entries[title]]
        assert squash(title) in squash(page), (title, entries[title])
    # in document order, and a unit's own tables are not listed
    assert [entries[t] for t in wanted] == sorted(entries[t] for t in wanted)
    assert not any(k.startswith("单位预算") for k in entries)


@needs_lo
def test_docx_contents_carry_the_same_page_numbers(outputs):
    entries = contents(pdf_pages(outputs["304"]["pdf"]))
    doc = docxread.read(outputs["304"]["docx"])
    cached = {squash(t.rsplit("\t", 1)[0]): int(t.rsplit("\t", 1)[1])
              for style, t in doc.paragraphs if style.startswith("toc") and "\t" in t}
    assert len(cached) >= 2 + 9 + 1 + 9 + 1
    assert cached == entries
    with zipfile.ZipFile(outputs["304"]["docx"]) as z:
        document = z.read("word/document.xml").decode()
    assert 'w:dirty="true"' not in document  # up to date: Word has nothing to ask


@needs_lo
def test_one_libreoffice_process_serves_many_documents(tmp_path, pub304):
    draft = tmp_path / "d.docx"
    from generator.document.render import render_bytes
    draft.write_bytes(render_bytes(pub304))
    with pdf.LibreOffice() as lo:
        layouts = [lo.layout(draft), lo.layout(draft, tmp_path / "a.pdf"), lo.layout(draft, tmp_path / "b.pdf")]
    pids = {layout.soffice_pid for layout in layouts}
    assert len(pids) == 1 and 0 not in pids
    assert layouts[0].toc == layouts[1].toc == layouts[2].toc and layouts[0].pages > 20
    assert (tmp_path / "a.pdf").stat().st_size > 100_000 and (tmp_path / "b.pdf").is_file()


@needs_lo
def test_pdf_has_bookmarks_for_the_headings(outputs):
    data = outputs["304"]["pdf"].read_bytes()
    assert b"/Outlines" in data
    assert data.count(b"/Title") >= 2 + 9 + 1 + 9


@needs_lo
def test_pdf_embeds_only_sc_faces(outputs):
    listing = subprocess.run(["pdffonts", str(outputs["304"]["pdf"])], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
    names = {line.split()[0].split("+", 1)[-1] for line in listing if line.strip()}
    # the Chinese faces, by name: from Debian's collections they would say NotoSerifCJKjp (fontfaces.py)
    assert names and all(re.match(r"Noto(Serif|Sans)CJKsc-", n) for n in names), names
    assert {n.split("-")[0] for n in names} == {"NotoSerifCJKsc", "NotoSansCJKsc"}  # 宋体/仿宋 and 黑体


@needs_lo
def test_pdf_embeds_font_subsets_and_is_about_the_size_of_a_plain_export(outputs, tmp_path):
    ours = outputs["304"]["pdf"]
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(outputs["304"]["docx"])], check=True, capture_output=True,
                   timeout=300)
    plain = tmp_path / outputs["304"]["docx"].with_suffix(".pdf").name
    assert ours.stat().st_size <= 1.5 * plain.stat().st_size, (ours.stat().st_size, plain.stat().st_size)
    listing = subprocess.run(["pdffonts", str(ours)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    assert rows and all(row[-4] == "yes" and row[-3] == "yes" for row in rows)  # embedded, subset


@needs_lo
@pytest.mark.parametrize("family, face", [("宋体", "NotoSerifCJKsc-Regular"), ("仿宋", "NotoSerifCJKsc-Regular"),
                                          ("黑体", "NotoSansCJKsc-Regular"),
                                          ("Times New Roman", "NotoSerifCJKsc-Regular")])
def test_chinese_fonts_resolve_to_the_sc_faces(tmp_path, family, face):
    # which face LibreOffice uses is what the font configuration given to it resolves
    if not shutil.which("fc-match"):
        pytest.skip("fc-match (fontconfig) is not installed")
    conf = tmp_path / "fonts.conf"
    conf.write_text(pdf.fontconfig_text(), encoding="utf-8")
    out = subprocess.run(["fc-match", "-f", "%{postscriptname}", family], capture_output=True, text=True,
                         env={"FONTCONFIG_FILE": str(conf), "PATH": "/usr/bin:/bin"}).stdout
    assert out == face


def number(text: str):
    return Decimal(text) if re.fullmatch(r"-?[0-9]+\.[0-9]{2}", text) else text


@needs_lo
@pytest.mark.parametrize("dept", ["304", "899"])
def test_xlsx_figures_equal_the_word_tables(outputs, dept):
    wb = openpyxl.load_workbook(outputs[dept]["xlsx"])
    doc = docxread.read(outputs[dept]["docx"])
    publication, _ = build(DATA_ROOT, dept, {"304": 2023, "899": 2024}[dept])
    assert len(wb.sheetnames) == 9 * (1 + len(publication.units))
    assert len(set(wb.sheetnames)) == len(wb.sheetnames) and max(map(len, wb.sheetnames)) <= 31
    seen: dict[str, int] = {}
    for ws in wb.worksheets:
        title = ws.cell(1, 1).value
        occurrence = seen.get(title, 0)
        seen[title] = occurrence + 1
        word_rows = doc.body(title, occurrence)
        sheet_rows = []
        for row in ws.iter_rows(min_row=2, values_only=True):
            if isinstance(row[0], int):
                sheet_rows.append(row)
        assert len(sheet_rows) == len(word_rows), ws.title
        for srow, wrow in zip(sheet_rows, word_rows):
            for value, text in zip(srow, wrow):
                if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                    assert Decimal(str(value)) == Decimal(text), (ws.title, srow, wrow)
                else:
                    assert (value or "") == text, (ws.title, srow, wrow)
        code = ws.title.split(" ")[0]
        assert code in {publication.scope.code} | {u.code for u in publication.units}


@needs_lo
def test_xlsx_numbers_are_numbers_with_two_decimals_and_headers_merged(outputs):
    wb = openpyxl.load_workbook(outputs["304"]["xlsx"])
    ws = wb["304 表2 收入总表"]
    total = [r for r in ws.iter_rows(min_row=1) if r[2].value == "合计"][0]
    assert total[3].value == 812.32 and total[3].number_format == "#,##0.00"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A3:A4", "B3:C3", "E3:L3"} <= merged  # 序号, 功能分类科目, 本年收入 as in the Word table


def test_without_libreoffice_the_docx_lists_contents_and_warns(monkeypatch, tmp_path, pub304):
    monkeypatch.setattr(pdf, "find", lambda: None)
    monkeypatch.setattr(pdf, "_soffice", lambda: None)
    written, warnings = publish.publish(pub304, ["docx"], tmp_path / "x.docx")
    assert warnings == [publish.NO_LO_WARNING] and "LibreOffice" in warnings[0]
    doc = docxread.read(written[0])
    toc = [t for style, t in doc.paragraphs if style.startswith("toc")]
    assert "部门预算收支总表" in toc and "九、其他需要说明的事项" in toc
    assert not any("\t" in t for t in toc)  # no page numbers: left to Word
    with zipfile.ZipFile(written[0]) as z:
        assert 'w:dirty="true"' in z.read("word/document.xml").decode()


def test_pdf_without_libreoffice_says_how_to_install_and_writes_nothing(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(pdf, "find", lambda: None)
    monkeypatch.setattr(pdf, "_soffice", lambda: None)
    out = tmp_path / "x.docx"
    assert main(["--dept", "304", "--year", "2023", "--format", "docx,pdf", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "libreoffice-writer-nogui" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("value", ["abc", "-5", "1.5", "4354819200", "99999999999999999999"])
def test_bad_source_date_epoch_is_a_clear_error(monkeypatch, tmp_path, capsys, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert main(["--dept", "304", "--year", "2023", "--format", "xlsx", "--out", str(tmp_path / "x.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "SOURCE_DATE_EPOCH" in err and value in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("value", ["nope", "docx,odt", ","])
def test_unknown_format_is_a_clear_error(tmp_path, capsys, value):
    assert main(["--dept", "304", "--year", "2023", "--format", value, "--out", str(tmp_path / "x.docx")]) == 2
    assert "--format" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_package_properties_are_true(monkeypatch, pub304):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    from generator.document.render import render_bytes
    with zipfile.ZipFile(io.BytesIO(render_bytes(pub304))) as z:
        names = z.namelist()
        app = z.read("docProps/app.xml").decode()
        core = z.read("docProps/core.xml").decode()
        settings = z.read("word/settings.xml").decode()
        styles = z.read("word/styles.xml").decode()
        fonts = z.read("word/fontTable.xml").decode()
        rels = z.read("_rels/.rels").decode()
    assert re.search(r"<Application>budgetpub/[0-9][^<]*</Application>", app)
    assert "Microsoft" not in app and "<Words>" not in app
    assert "<dc:title>保定市莲池区工业和信息化局2023年部门预算</dc:title>" in core
    assert core.count("2023-11-14T22:13:20Z") == 2  # created and modified from SOURCE_DATE_EPOCH
    assert "<dc:language>zh-CN</dc:language>" in core
    assert "docProps/thumbnail.jpeg" not in names and "thumbnail" not in rels
    assert 'w:eastAsia="zh-CN"' in settings and "ja-JP" not in settings
    assert 'w:eastAsia="zh-CN"' in re.search(r"<w:docDefaults>.*?</w:docDefaults>", styles, re.S).group(0)
    for name, alt in (("宋体", "SimSun"), ("仿宋", "FangSong"), ("黑体", "SimHei")):
        assert re.search(rf'<w:font w:name="{name}"><w:altName w:val="{alt}"/>', fonts)


def test_xlsx_alone_needs_no_libreoffice_and_is_reproducible(monkeypatch, tmp_path, pub304):
    monkeypatch.setattr(pdf, "find", lambda: (_ for _ in ()).throw(AssertionError("LibreOffice asked for")))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    a, _ = publish.publish(pub304, ["xlsx"], tmp_path / "a.xlsx")
    b, _ = publish.publish(pub304, ["xlsx"], tmp_path / "b.xlsx")
    assert a[0].read_bytes() == b[0].read_bytes()


def test_format_paths_follow_out(pub304, tmp_path):
    paths = publish.output_paths(pub304, ["docx", "pdf", "xlsx"], tmp_path / "p.docx")
    assert [p.name for p in paths.values()] == ["p.docx", "p.pdf", "p.xlsx"]
    with pytest.raises(OutputError):
        publish.output_paths(pub304, ["pdf"], tmp_path / "p.docx")


def headings_by_walking_the_tree(document_xml: bytes) -> list[tuple[int, str]]:
    """Every paragraph of a heading style 1-4, in order: the reference for toc.headings's scan."""
    from lxml import etree

    from generator.document.ooxml import paragraph_text
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    out = []
    for p in etree.fromstring(document_xml).iter(f"{w}p"):
        style = p.find(f"{w}pPr/{w}pStyle")
        level = re.fullmatch(r"Heading([1-4])", style.get(f"{w}val")) if style is not None else None
        text = re.sub(r"\s+", " ", paragraph_text(p)).strip()
        if level and text:
            out.append((int(level.group(1)), text))
    return out


def test_fast_heading_scan_and_contents_fill_equal_the_tree_walk():
    # the linear scans used for large documents give what walking the whole tree gives
    from generator import build
    from generator.document import toc
    from generator.document.render import DOCUMENT, render_parts
    for dept, year in (("304", 2023), ("899", 2024), ("898", 2024)):
        publication, _ = build(DATA_ROOT, dept, year)
        document = dict(render_parts(publication))[DOCUMENT]
        found = toc.headings(document)
        assert found == headings_by_walking_the_tree(document) and len(found) > 15
        entries = [(level, text, str(i + 3)) for i, (level, text) in enumerate(found)]
        assert toc.fill_xml(document, entries) == toc.fill_xml_tree(document, entries)


@needs_lo
def test_a_docx_whose_draft_was_laid_out_before_reuses_its_page_numbers(tmp_path, monkeypatch):
    monkeypatch.setenv("BUDGETPUB_CACHE", str(tmp_path / "cache"))
    publication, _ = build(DATA_ROOT, "304", 2023)
    first, _ = publish.publish(publication, ["docx"], tmp_path / "a.docx")
    assert list((tmp_path / "cache" / "layout").glob("*.json"))

    def no_libreoffice(*args, **kwargs):
        raise AssertionError("LibreOffice started although the layout of this draft is known")

    monkeypatch.setattr(pdf, "LibreOffice", no_libreoffice)
    second, warnings = publish.publish(publication, ["docx"], tmp_path / "b.docx")
    assert warnings == []
    assert first[0].read_bytes() == second[0].read_bytes()
    # the contents carry page numbers (not left to Word)
    with zipfile.ZipFile(second[0]) as z:
        assert 'w:dirty="true"' not in z.read("word/document.xml").decode()


def test_fast_ordering_equals_the_full_schema_ordering():
    # the template is ordered once; rendering only disturbs {% vm %} merges, which order_rendered puts back
    from generator import build
    from generator.document import ooxml
    from generator.document.render import DOCUMENT, render_parts
    for dept, year in (("304", 2023), ("899", 2024), ("897", 2024)):
        publication, _ = build(DATA_ROOT, dept, year)
        document = dict(render_parts(publication))[DOCUMENT]
        assert b'<w:vMerge w:val="restart"/></w:tcPr>' in document  # the disorder is there to mend
        assert ooxml.order_rendered(document) == ooxml.order_xml(document)


def test_a_long_layout_is_announced_before_it_starts(tmp_path, monkeypatch):
    # a department of many units waits for LibreOffice: the CLI says so first, not after
    import synth
    monkeypatch.setenv("BUDGETPUB_CACHE", "off")
    monkeypatch.setattr(publish, "layout_identity", lambda: "stand-in")
    synth.make_department(tmp_path / "data", "777", 2024, publish.LONG_LAYOUT_UNITS)
    big, _ = build(tmp_path / "data", "777", 2024)
    small, _ = build(DATA_ROOT, "304", 2023)
    told: list[str] = []

    class Layouts:  # stands in for LibreOffice: records what had been said when it was asked
        def headings(self, docx, **hints):
            told.append("(layout)")
            return pdf.Layout([], 1)

    for pub in (small, big):
        publish.publish(pub, ["docx"], tmp_path / f"{pub.department.code}.docx", lo=Layouts(), notify=told.append)
    assert told[:1] == ["(layout)"]  # 304: the front matter with the body, one document, nothing to announce
    assert told[1] == f"正在用 LibreOffice 排版（{publish.LONG_LAYOUT_UNITS} 个单位），以填写目录的页码……"
    group = layout.grouping(publish.LONG_LAYOUT_UNITS)  # the front matter with the department, the units a group at a time
    assert told[2:] == ["(layout)"] * (1 + -(-publish.LONG_LAYOUT_UNITS // group))


def test_a_department_too_long_to_lay_out_leaves_its_page_numbers_to_word_unless_a_pdf_is_asked(
        tmp_path, monkeypatch):
    # beyond LAYOUT_MAX_UNITS units the .docx comes without its layout, and a warning says why and what to
    # do; asking for the PDF too lays it out
    monkeypatch.setenv("BUDGETPUB_CACHE", "off")
    monkeypatch.setattr(publish, "LAYOUT_MAX_UNITS", 1)
    monkeypatch.setattr(pdf, "find", lambda: ("soffice", "python3"))
    monkeypatch.setattr(publish, "layout_identity", lambda: "stand-in")
    pub899, _ = build(DATA_ROOT, "899", 2024)
    assert len(pub899.units) == 3
    asked: list[str] = []

    class Layouts:
        def headings(self, docx, **hints):
            asked.append("part")
            return pdf.Layout([], 1)

        def layout(self, docx, pdf_path=None, update=True):
            asked.append("pdf")
            Path(pdf_path).write_bytes(b"%PDF-1.4 stand-in")
            return pdf.Layout([], 0)

    written, warnings = publish.publish(pub899, ["docx"], tmp_path / "a.docx", lo=Layouts())
    assert asked == [] and [p.name for p in written] == ["a.docx"]
    assert warnings == [publish.too_long_warning(3)]
    assert "3 个单位" in warnings[0] and "更新域" in warnings[0] and "--format docx,pdf" in warnings[0]
    written, warnings = publish.publish(pub899, ["docx", "pdf"], tmp_path / "b.docx", lo=Layouts())
    assert asked == ["pdf"] and publish.too_long_warning(3) not in warnings  # one layout: contents and PDF
