"""The Excel workbook is ready to print and valid: A4 landscape, one page wide, header rows repeated,
no amount too wide for its column (LibreOffice Calc's rendering shows no ###), the notes of empty
tables, a package the Open XML validator accepts; written from the computed tables, not the .docx."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import openpyxl
import pytest
from openxml_audit import OpenXmlValidator

from generator import DATA_ROOT, build
from generator.figures import tables
from generator.formats.xlsx import MONEY_FORMAT, workbook_bytes


@pytest.fixture(scope="module", params=[("304", 2023), ("898", 2024)], ids=["304", "898"])
def workbook(request, tmp_path_factory):
    publication, _ = build(DATA_ROOT, *request.param)
    path = tmp_path_factory.mktemp("xlsx") / f"{request.param[0]}.xlsx"
    path.write_bytes(workbook_bytes(publication, 1700000000))
    return publication, path


def test_every_sheet_prints_on_a4_landscape_one_page_wide_with_its_header_repeated(workbook):
    publication, path = workbook
    wb = openpyxl.load_workbook(path)
    assert len(wb.worksheets) == 9 * (1 + len(publication.units))
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert (int(setup.paperSize), setup.orientation) == (9, "landscape"), ws.title  # 9: A4
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0) and ws.sheet_properties.pageSetUpPr.fitToPage
        header = [r for r in ws.iter_rows(min_row=3, values_only=True) if r[0] == "栏次"]
        assert header, ws.title
        first, last = re.fullmatch(r"\$(\d+):\$(\d+)", ws.print_title_rows).groups()
        assert int(first) == 3 and ws.cell(int(last), 1).value == "栏次"  # the header, 栏次 included
        assert ws.freeze_panes == f"A{int(last) + 1}"


def test_money_is_numbers_in_the_thousands_format_of_the_tables_unit(workbook):
    publication, path = workbook
    ws = openpyxl.load_workbook(path).worksheets[0]  # the department's 收支总表
    assert ws.cell(2, ws.max_column).value == f"单位：{publication.department.table_unit}"
    money = [c for row in ws.iter_rows(min_row=6) for c in row if isinstance(c.value, (int, float))
             and c.column != 1]
    assert money and all(c.number_format == MONEY_FORMAT for c in money)


def test_the_workbook_validates(workbook):
    _, path = workbook
    result = OpenXmlValidator(max_errors=50).validate(str(path))
    assert [f"{e.part_uri} {e.path} {e.description}" for e in result.errors] == []


def test_an_empty_table_carries_its_note(tmp_path):
    publication, _ = build(DATA_ROOT, "304", 2023)
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(publication, 0)))
    ws = wb["304 表7 政府性基金预算财政拨款支出表"]
    values = [v for row in ws.iter_rows(values_only=True) for v in row if v]
    assert values[-1] == tables.EMPTY_NOTES["t7"]
    assert not any(isinstance(v, int) for v in values)  # no body row
    assert tables.EMPTY_NOTES["t5"] not in [v for w in wb.worksheets for r in w.iter_rows(values_only=True)
                                            for v in r]  # 304 has general budget money: no note for T5


@pytest.mark.skipif(not shutil.which("soffice") or not shutil.which("pdftotext"),
                    reason="LibreOffice or poppler-utils is not installed; .ci/run installs them")
def test_calc_shows_every_amount_whole(workbook, tmp_path):
    # a column too narrow for its number shows ### in Excel and LibreOffice Calc: print the workbook
    publication, path = workbook
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)], check=True,
                   capture_output=True, timeout=300)
    text = subprocess.run(["pdftotext", str(tmp_path / path.with_suffix(".pdf").name), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "###" not in text
    wb = openpyxl.load_workbook(path)
    largest = max(c for ws in wb.worksheets for row in ws.iter_rows(min_row=6, values_only=True)
                  for c in row[1:] if isinstance(c, (int, float)))
    assert f"{largest:,.2f}" in text  # the widest amount, printed whole
