"""The pages as a publisher reads them, from the PDF LibreOffice prints of every example: no amount,
code or name broken across lines in its column, no page holding only an empty table.

Needs LibreOffice with python3-uno and poppler-utils (.ci/run installs them); skipped, with the
reason, where they are absent.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile

import pytest

from generator import DATA_ROOT, build
from generator.figures import tables
from generator.formats import libreoffice
from generator.formats import publish

pytestmark = pytest.mark.skipif(libreoffice.find() is None or not shutil.which("pdftotext"),
                                reason="LibreOffice (python3-uno) or poppler-utils is not installed; "
                                       ".ci/run installs them")

EXAMPLES = [("304", 2023), ("899", 2023), ("899", 2024), ("898", 2024), ("897", 2024)]
AMOUNT = re.compile(r"-?[0-9][0-9,]*\.[0-9]{2}")
CODE = re.compile(r"[0-9]{3}|[0-9]{5}|[0-9]{7}")


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """Each example's .docx and PDF, through one LibreOffice."""
    out = tmp_path_factory.mktemp("pages")
    found = {}
    with libreoffice.LibreOffice() as lo:
        for dept, year in EXAMPLES:
            pub, _ = build(DATA_ROOT, dept, year)
            written, _ = publish.publish(pub, ["docx", "pdf"], out / f"{dept}-{year}.docx", lo=lo)
            found[(dept, year)] = {p.suffix[1:]: p for p in written}
    return found


def table_cells(docx) -> list[list[list[str]]]:
    """Every bordered table's cells, by column: [table][column] -> texts."""
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    out = []
    for tbl in re.findall(r"<w:tbl>.*?</w:tbl>", xml, re.S):
        columns: dict[int, list[str]] = {}
        for tr in re.findall(r"<w:tr[ >].*?</w:tr>", tbl, re.S):
            for c, tc in enumerate(re.findall(r"<w:tc>.*?</w:tc>", tr, re.S)):
                columns.setdefault(c, []).append("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", tc)))
        out.append([columns[c] for c in sorted(columns)])
    return out


def pages(pdf) -> list[str]:
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


@pytest.mark.parametrize("example", EXAMPLES, ids=str)
def test_no_amount_or_code_breaks_across_lines(printed, example):
    # widths from contents (widths.py): an amount or a code is never wrapped mid-number; 898's tables
    # are in 元 (4,554,150.00), the widest
    files = printed[example]
    tokens = set("\n".join(pages(files["pdf"])).split())
    numbers = {t for tbl in table_cells(files["docx"]) for col in tbl for t in col
               if AMOUNT.fullmatch(t) or CODE.fullmatch(t)}
    assert len(numbers) > 20
    assert sorted(n for n in numbers if n not in tokens) == []


@pytest.mark.parametrize("example", EXAMPLES, ids=str)
def test_names_that_fit_their_column_stay_on_one_line(printed, example):
    # the 科目名称 of the function and economic trees: a name wraps only when the page is too narrow
    files = printed[example]
    lines = {line.strip() for page in pages(files["pdf"]) for line in page.splitlines()}
    names = set()
    for tbl in table_cells(files["docx"]):
        if len(tbl) > 2 and any("科目名称" in t for t in tbl[2][:3]):
            names |= {t for t in tbl[2][3:] if t and t != "合计"}
    assert len(names) > 5
    # pdftotext prints a row's cells on one line: a name kept whole is a whole word of some line
    broken = [n for n in names if not any(re.search(rf"(^|\s){re.escape(n)}(\s|$)", line) for line in lines)]
    assert broken == []


EMPTY_TITLES = {note: table.title for table in tables.NINE for key, note in tables.EMPTY_NOTES.items()
                if table.key == key}


@pytest.mark.parametrize("example", EXAMPLES, ids=str)
def test_no_page_holds_only_an_empty_table(printed, example):
    # an empty table (its header, a blank row and 空表列示) shares its page with a table that has rows or
    # with the text around it; 304's empty T7 and T8 share the page of T9, its empty 政府采购 table stays
    # in the portrait flow of 情况说明
    empty_pages = 0
    for page in pages(printed[example]["pdf"]):
        if "空表列示" not in page:
            continue
        empty_pages += 1
        empties = {title for note, title in EMPTY_TITLES.items() if note in page}
        if "无政府采购预算，空表列示" in page:
            empties.add("政府采购预算")
        titled = {t.title for t in tables.NINE} | {"政府采购预算"}
        others = [line for line in page.splitlines()
                  if re.search(r"预算(.+表|政府采购预算)$", line.strip()) and not any(e in line for e in empties)
                  and any(line.strip().endswith(t) for t in titled)]
        prose = [line for line in page.splitlines() if len(re.findall(r"[\u4e00-\u9fff]", line)) >= 20
                 and "空表列示" not in line and "同一采购目录序号" not in line]
        assert others or prose, page
    assert empty_pages or example[0] != "304"


@pytest.mark.parametrize("example", EXAMPLES, ids=str)
def test_an_empty_procurement_table_stays_on_a_portrait_page(printed, example):
    pdf = printed[example]["pdf"]
    texts = pages(pdf)
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", str(len(texts)), str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    sizes = {int(n): (float(w), float(h)) for n, w, h in re.findall(r"Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+)", info)}
    empty = [i for i, text in enumerate(texts, 1) if "无政府采购预算，空表列示" in text]
    for i in empty:
        width, height = sizes[i]
        assert width < height, (example, i)
    if example == ("304", 2023):
        assert len(empty) == 2  # the department's and the unit's
