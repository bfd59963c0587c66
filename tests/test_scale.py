"""Departments of any size: ordinals, unit codes and a 1,000-unit publication."""

from __future__ import annotations

import io
import zipfile

import pytest
from synth import make_department, unit_text

from generator import build
from generator.document.render import render_bytes
from generator.errors import InvalidSources
from generator.figures.catalogue import chinese_ordinal

# Written by hand from the standard reading of Chinese numerals.
ORDINALS = {
    1: "一", 2: "二", 9: "九", 10: "十", 11: "十一", 12: "十二", 19: "十九", 20: "二十", 21: "二十一",
    30: "三十", 31: "三十一", 99: "九十九", 100: "一百", 101: "一百零一", 105: "一百零五",
    110: "一百一十", 111: "一百一十一", 115: "一百一十五", 120: "一百二十", 200: "二百",
    209: "二百零九", 210: "二百一十", 999: "九百九十九", 1000: "一千", 1001: "一千零一",
    1010: "一千零一十", 1011: "一千零一十一", 1100: "一千一百", 1101: "一千一百零一",
    1110: "一千一百一十", 2019: "二千零一十九", 9999: "九千九百九十九", 10000: "一万",
    10001: "一万零一", 10010: "一万零一十", 10100: "一万零一百", 11000: "一万一千",
    15000: "一万五千", 100000: "十万", 100001: "十万零一", 100010: "十万零一十",
    110000: "十一万", 101000: "十万一千", 1000000: "一百万", 1010000: "一百零一万",
    10000000: "一千万", 100000000: "一亿", 100000001: "一亿零一", 110000000: "一亿一千万",
    1000010000: "十亿零一万", 123456789: "一亿二千三百四十五万六千七百八十九",
}


@pytest.mark.parametrize("n, text", sorted(ORDINALS.items()))
def test_chinese_ordinal(n, text):
    assert chinese_ordinal(n) == text


@pytest.mark.parametrize("bad", [0, -1, True, 1.0])
def test_chinese_ordinal_rejects_non_positive_and_non_integers(bad):
    with pytest.raises(ValueError):
        chinese_ordinal(bad)


def _problems(root, dept="777", year=2024):
    with pytest.raises(InvalidSources) as exc:
        build(root, dept, year)
    return [(p.code, p.location.file.rsplit("/", 1)[-1]) for p in exc.value.report.problems
            if p.severity == "error"]


def test_unit_codes_of_four_digits_are_accepted(tmp_path):
    folder = make_department(tmp_path / "data", "777", 2024, units=2)
    for old, new in (("777001", "7770001"), ("777002", "7770002")):
        (folder / f"{old}.yaml").unlink()
        (folder / f"{new}.yaml").write_text(unit_text(new, f"单位{new}"), encoding="utf-8")
    publication, _ = build(tmp_path / "data", "777", 2024)
    assert [u.code for u in publication.units] == ["7770001", "7770002"]


def test_unit_codes_of_different_lengths_in_one_department_are_an_error(tmp_path):
    folder = make_department(tmp_path / "data", "777", 2024, units=3)
    (folder / "777002.yaml").unlink()
    (folder / "7770002.yaml").write_text(unit_text("7770002", "单位二"), encoding="utf-8")
    with pytest.raises(InvalidSources) as exc:
        build(tmp_path / "data", "777", 2024)
    errors = [p for p in exc.value.report.problems if p.severity == "error"]
    assert len(errors) == 1
    assert errors[0].code == "unit.code-length"
    assert errors[0].message == ("单位编码 “7770002” 有 7 位，本部门其他单位的编码有 6 位（如 “777001”）："
                                 "同一部门的单位编码位数须相同。")
    assert errors[0].location.file.endswith("7770002.yaml") and errors[0].location.line == 2
    assert errors[0].related[0].file.endswith("777001.yaml")


def test_unit_code_with_two_digits_is_an_error(tmp_path):
    folder = make_department(tmp_path / "data", "7777", 2024, units=1)
    (folder / "7777001.yaml").unlink()
    (folder / "777701.yaml").write_text(unit_text("777701", "单位一"), encoding="utf-8")
    assert _problems(tmp_path / "data", "7777") == [("unit.code-prefix", "777701.yaml")]


def test_a_department_of_1000_units_renders(tmp_path):
    make_department(tmp_path / "data", "777", 2024, units=1000)
    publication, _ = build(tmp_path / "data", "777", 2024)
    assert len(publication.units) == 1000
    assert publication.units[0].code == "7770001" and publication.units[-1].code == "7771000"
    with zipfile.ZipFile(io.BytesIO(render_bytes(publication))) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    # each heading is one text run: in the body and in the table of contents
    for n, ordinal in ((1, "一"), (99, "九十九"), (100, "一百"), (101, "一百零一"), (110, "一百一十"),
                       (999, "九百九十九"), (1000, "一千")):
        assert xml.count(f">{ordinal}、示例第{n}文化服务中心收支预算<") == 2
    assert "一千零一、" not in xml
    assert xml.count("文化服务中心收支预算<") == 2 * 1000
