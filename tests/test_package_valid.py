"""The .docx validates against WordprocessingML (ECMA-376 transitional, as Word reads it).

The validator is openxml-audit (test extra): a pure-Python port of the Open XML SDK's schema and
semantic validation, the checks behind Word's "unreadable content". A control first shows that it
rejects what the package used to hold (a table layout after the table look).
"""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree
from openxml_audit import OpenXmlValidator

from generator import DATA_ROOT, build
from generator.document.render import render_bytes

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def problems(docx: bytes, tmp_path) -> list[str]:
    path = tmp_path / "check.docx"
    path.write_bytes(docx)
    result = OpenXmlValidator(max_errors=50).validate(str(path))
    return [f"{e.description} at {getattr(e, 'path', '')}" for e in result.errors]


@pytest.fixture(scope="module", params=[("304", 2023), ("899", 2024)], ids=["304", "899"])
def docx(request):
    publication, _ = build(DATA_ROOT, *request.param)
    return render_bytes(publication)


def test_docx_validates_against_the_schema(docx, tmp_path):
    assert problems(docx, tmp_path) == []


def test_the_validator_rejects_a_misplaced_table_layout(docx, tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                root = etree.fromstring(data)
                tblpr = next(root.iter(f"{W}tblPr"))
                tblpr.append(etree.SubElement(tblpr, f"{W}tblLayout"))  # after tblLook: out of order
                data = etree.tostring(root)
            dst.writestr(info, data)
    assert any("tblLayout" in p for p in problems(out.getvalue(), tmp_path))


def test_cell_widths_agree_with_the_grid(docx):
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    cells = 0
    for tbl in root.iter(f"{W}tbl"):
        grid = [int(g.get(f"{W}w")) for g in tbl.find(f"{W}tblGrid")]
        for tr in tbl.findall(f"{W}tr"):
            col = 0
            for tc in tr.findall(f"{W}tc"):
                span = tc.find(f"{W}tcPr/{W}gridSpan")
                n = int(span.get(f"{W}val")) if span is not None else 1
                assert int(tc.find(f"{W}tcPr/{W}tcW").get(f"{W}w")) == sum(grid[col:col + n])
                col += n
                cells += 1
            assert col == len(grid)
    assert cells > 1000


def test_each_table_has_one_layout(docx):
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    counts = [len(p.findall(f"{W}tblLayout")) for p in root.iter(f"{W}tblPr")]
    assert counts and set(counts) <= {0, 1} and 1 in counts
