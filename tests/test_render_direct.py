"""The direct rendering path gives the same package as docxtpl + python-docx, part for part.

render_raw_docxtpl is the reference: what budgetpub did before rendering was
made linear (docxtpl's render and save); render_bytes_docxtpl finishes it as
render_bytes does. Any template edit that the direct path does not reproduce
fails here.
"""

from __future__ import annotations

import io
import os
import shutil
import time
import zipfile

import pytest
from synth import make_department

from generator import DATA_ROOT, build
from generator.document import direct, render
from generator.document.context import build_context
from generator.document.render import prepared_template, render_bytes, render_bytes_docxtpl


def _parts(package: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        return [(i.filename, z.read(i.filename)) for i in z.infolist()]


def _same(publication) -> None:
    raw, raw_reference = render.render_parts(publication), _parts(render.render_raw_docxtpl(publication))
    assert [n for n, _ in raw] == [n for n, _ in raw_reference]
    for (name, data), (_, expected) in zip(raw, raw_reference):
        assert data == expected, name
    direct = render_bytes(publication)
    reference = render_bytes_docxtpl(publication)
    assert len(direct) == len(reference)
    assert direct == reference


def test_template_takes_the_direct_path():
    assert prepared_template() is not None


@pytest.mark.parametrize("dept, year", [("304", 2023), ("899", 2024)])
def test_same_bytes_as_docxtpl(dept, year):
    publication, _ = build(DATA_ROOT, dept, year)
    _same(publication)


@pytest.mark.parametrize("tail, streamed", [("", True), (r"\t乙", False), (r"\n乙", False)],
                         ids=["streamed", "tab", "newline"])
def test_same_bytes_with_markup_braces_and_control_characters_in_names(tmp_path, tail, streamed):
    src = tmp_path / "data" / "304" / "2023"
    shutil.copytree(DATA_ROOT / "304" / "2023", src)
    path = src / "department.yaml"
    name = r'"工业&信息化局<试点>\"A\" ''b'' > {{x}} {%y%} &#34; {_{' + tail + '"'
    path.write_text(path.read_text(encoding="utf-8").replace(
        "name: 保定市莲池区工业和信息化局", f"name: {name}"), encoding="utf-8")
    publication, _ = build(tmp_path / "data", "304", 2023)
    assert "&" in publication.department.name and '"' in publication.department.name
    # the streamed path, or the parsed one for text that docxtpl turns into markup
    assert direct._has_special_characters(build_context(publication)) is not streamed
    _same(publication)


def test_same_bytes_for_twelve_units_and_another_epoch(tmp_path, monkeypatch):
    make_department(tmp_path / "data", "777", 2024, units=12)
    publication, _ = build(tmp_path / "data", "777", 2024)
    assert len(publication.units) == 12
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    _same(publication)


def test_template_prepared_once_and_again_when_the_file_changes(tmp_path):
    template = tmp_path / "publication.docx"
    shutil.copy(render.TEMPLATE, template)
    first = prepared_template(template)
    assert prepared_template(template) is first
    later = time.time() + 10
    os.utime(template, (later, later))
    assert prepared_template(template) is first  # keyed by what was read, not by the file's date
    with zipfile.ZipFile(template, "a") as z:  # the same template with one more (unused) entry
        z.writestr("customXml/item9.xml", "<x/>")
    assert prepared_template(template) is not first


def test_prepared_template_from_the_disk_cache(tmp_path, monkeypatch):
    publication, _ = build(DATA_ROOT, "899", 2024)
    reference = render_bytes_docxtpl(publication)
    monkeypatch.setenv("BUDGETPUB_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(direct, "_PREPARED", {})
    built = prepared_template()
    assert len(list((tmp_path / "cache").glob("prepared-*.marshal"))) == 1
    monkeypatch.setattr(direct, "_PREPARED", {})

    def no_building(path):
        raise AssertionError("prepared again instead of read from the cache")

    monkeypatch.setattr(direct, "_build_state", no_building)
    cached = prepared_template()
    assert cached is not built
    assert render_bytes(publication) == reference


def test_a_damaged_cache_file_is_prepared_again(tmp_path, monkeypatch):
    publication, _ = build(DATA_ROOT, "899", 2024)
    monkeypatch.setenv("BUDGETPUB_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(direct, "_PREPARED", {})
    prepared_template()
    (cached,) = (tmp_path / "cache").glob("prepared-*.marshal")
    cached.write_bytes(cached.read_bytes()[:1000])
    monkeypatch.setattr(direct, "_PREPARED", {})
    assert prepared_template() is not None
    assert render_bytes(publication) == render_bytes_docxtpl(publication)
    assert len(cached.read_bytes()) > 1000  # written again, whole


def test_cache_off(tmp_path, monkeypatch):
    monkeypatch.setenv("BUDGETPUB_CACHE", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(direct, "_PREPARED", {})
    assert prepared_template() is not None
    assert direct.cache_dir() is None and list(tmp_path.iterdir()) == []
