"""Optional sections × unit natures: every case of the fictional department 777 (tests/sections.py) is
checked and generated from the command line, as a clerk would. For each:

- ``check`` exits 0 if and only if ``generate`` writes the file; neither ever exits 3 (a document
  budgetpub itself would not verify);
- what the sources do not state is not printed as a fact: a unit that does not write its 三公, its
  政府采购 or its assets has no sentence about them, its tables are blank there, never 0.00, and its
  scope's department says nothing of them either; check names the key to write;
- what the sources state as none is printed as the seed prints none;
- 政府采购 stated by no unit: its section (a heading with nothing under it) is left out of every part
  and of the contents, the sections after it numbered on.

The cases: each section in each state for one unit beside each state for the other (natures and
economic breakdowns turning over), each nature and breakdown beside each other, and a covering set
in which any two factors of the two units and the department meet in every combination of levels.
"""

from __future__ import annotations

import re

import pytest
from sections import DEPT, YEAR, Case, UnitCase, all_pairs, each_state_of_each_section, every_nature_and_breakdown
from sections import write_department

from generator.cli import budgetpub
from generator.repository.textconv import docx_text

CASES = {c.id: c for c in each_state_of_each_section() + every_nature_and_breakdown() + all_pairs()}


@pytest.fixture(autouse=True)
def _no_libreoffice(monkeypatch):
    # the layout only fills in page numbers: without it the cases run in a fraction of the time
    monkeypatch.setenv("BUDGETPUB_SOFFICE", "/nonexistent")
    monkeypatch.delenv("BUDGETPUB_DATA", raising=False)


def run(args, capsys) -> tuple[int, str, str]:
    code = budgetpub(args)
    out, err = capsys.readouterr()
    return code, out, err


def _part(text: str, heading: str, following: str | None = None) -> str:
    """From ``heading`` in the body (its last occurrence: not the contents' entry) to ``following``."""
    start = text.rindex(heading)
    return text[start:text.index(following, start)] if following else text[start:]


def _section(text: str, heading: str, following: str) -> str:
    return text[text.index(heading):text.index(following, text.index(heading))]


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_check_passes_if_and_only_if_generate_writes_and_nothing_unstated_is_printed(case: Case, tmp_path, capsys):
    data = tmp_path / "data"
    write_department(data, case)
    check = run(["check", "--dept", DEPT, "--year", str(YEAR), "--data", str(data)], capsys)
    out = tmp_path / "p.docx"
    generate = run(["generate", "--dept", DEPT, "--year", str(YEAR), "--data", str(data), "--out", str(out)], capsys)
    assert check[0] != 3 and generate[0] != 3, check[2] + generate[2]
    assert (check[0] == 0) == (generate[0] == 0) == out.is_file(), check[2] + generate[2]
    assert check[0] == 0, check[2]  # every case is valid sources

    text = docx_text(out)
    headings = ["一、示例第1服务中心收支预算", "二、示例第2服务中心收支预算"]
    left_out = all(u.procurement == "unstated" for u in case.units)
    tables = any(u.procurement in ("items", "none") for u in case.units)  # some part prints a procurement table
    for i, unit in enumerate(case.units):
        part = _part(text, headings[i], headings[i + 1] if i + 1 < len(headings) else None)
        _says_only_what_is_stated(part, unit, [unit], warnings=check[2], code=f"{DEPT}00{i + 1}", left_out=left_out,
                                  tables=tables)
    department = _part(text, "示例市示例区示例事务局收支预算", "第二部分")
    _says_only_what_is_stated(department, None, list(case.units), warnings="", code="", left_out=left_out,
                              tables=tables)
    if left_out:  # nor in the contents
        assert "政府采购" not in text


def _blank(rows: str) -> bool:
    """Every table row (a | b | c) below has nothing after its label."""
    cells = [line.split(" | ")[1:] for line in rows.splitlines() if " | " in line]
    return bool(cells) and all(not c.strip() for row in cells for c in row)


def _says_only_what_is_stated(scope: str, unit: UnitCase | None, units: list[UnitCase], warnings: str, code: str,
                              left_out: bool = False, tables: bool = True):
    """``scope``: the text of one scope (its tables and 情况说明) as textconv prints it (rows as a | b | c).
    ``left_out``: 政府采购 is stated by no unit, so no part would have anything under its heading: the section is
    left out of every part (and the contents), the sections after it numbered on. ``tables``: some part of
    the publication prints a procurement table (a unit lists its items, or states it has none)."""
    text = scope[scope.index("预算信息公开情况说明"):]
    unstated = {k for k in ("sangong", "procurement", "assets", "carryover", "prior_year")
                if any(getattr(u, k) == "unstated" for u in units)}
    sangong = _section(text, "四、财政拨款“三公”经费", "五、预算绩效信息")
    if left_out:
        assert "政府采购" not in text
        procurement = ""
        assets = _section(text, "六、国有资产信息", "七、名词解释")
    else:
        procurement = _section(text, "六、政府采购预算情况", "七、国有资产信息")
        assets = _section(text, "七、国有资产信息", "八、名词解释")
    t9_note = "注：未提供“三公”经费预算，本表不列示。" in scope
    assert t9_note == ("sangong" in unstated)  # the blank 三公 table says why (and verify reads it)
    if "sangong" in unstated:  # no sentence; the comparison table blank, never 0.00, and its note says why
        assert "预算安排" not in sangong and _blank(sangong.split("| 变化原因", 1)[1])
        assert "注：未提供“三公”经费预算，本表不列示。" in sangong
    elif all(u.sangong == "none" for u in units):
        assert "“三公”经费预算安排0.00万元" in sangong  # as the seed prints none
    else:
        assert re.search(r"“三公”经费预算安排[1-9][0-9.]*万元", sangong)
    if left_out:
        pass  # asserted above: no 政府采购 at all
    elif "procurement" in unstated and tables:  # no sentence; the table blank, its note says why
        assert "安排政府采购预算" not in procurement
        assert _blank(procurement.split("非财政 拨款结转 结余 |", 1)[1])  # below the header's last row
        assert procurement.strip().splitlines()[-1] == "注：未提供政府采购预算，本表不列示。"
    elif "procurement" in unstated:  # no part prints the table (the others give category totals): the note alone
        assert procurement.strip().splitlines() == ["六、政府采购预算情况", "注：未提供政府采购预算。"]
    elif all(u.procurement == "none" for u in units):
        assert "安排政府采购预算0.00万元。具体内容见下表。" in procurement
    else:
        assert re.search(r"安排政府采购预算[1-9][0-9.]*万元", procurement)
    if "assets" in unstated:  # no sentence, the table blank, no date; its note says why
        assert "上年末固定资产" not in assets and "截止时间" not in assets
        assert _blank(assets.split("价值（单位：万元）", 1)[1])
        assert "注：未提供固定资产占用情况，本表不列示。" in assets
    elif all(u.assets == "none" for u in units):
        assert "上年末固定资产金额为0.00万元" in assets
    assert ("本表不列示" in sangong) == ("sangong" in unstated)  # the note only where the figures are not given
    assert ("本表不列示" in assets) == ("assets" in unstated)
    assert ("未提供政府采购预算" in procurement) == ("procurement" in unstated and not left_out)
    if "prior_year" in unstated:
        assert "较上年" not in text
    if unit is not None:  # the unit's own warnings name the key to write
        for key, code_word in (("sangong", "sangong.unstated"), ("procurement", "procurement.unstated"),
                               ("assets", "assets.unstated"), ("carryover", "carryover.unstated"),
                               ("prior_year", "prior-year.unstated")):
            said = f"警告[{code_word}] 单位 {code} " in warnings
            assert said == (getattr(unit, key) == "unstated"), (key, warnings)


@pytest.mark.parametrize("edit, code", [
    (lambda t: t.replace("name: 示例第1服务中心", "name: XX服务中心"), "text.placeholder"),
    (lambda t: t.replace("  一般公共预算拨款: 115.00", "  一般公共预算拨款: 116.00"), "income.disagrees"),
    (lambda t: t.replace("  duties: |", "  duties: |  # 待核实"), "text.unverified"),
])
def test_sources_check_refuses_are_not_generated(edit, code, tmp_path, capsys):
    folder = write_department(tmp_path / "data", Case())
    unit = folder / f"{DEPT}001.yaml"
    unit.write_text(edit(unit.read_text(encoding="utf-8")), encoding="utf-8")
    check = run(["check", "--dept", DEPT, "--year", str(YEAR), "--data", str(tmp_path / "data")], capsys)
    out = tmp_path / "p.docx"
    generate = run(["generate", "--dept", DEPT, "--year", str(YEAR), "--data", str(tmp_path / "data"), "--out",
                    str(out)], capsys)
    assert check[0] == generate[0] == 2 and not out.exists()
    assert f"错误[{code}]" in check[2] and f"错误[{code}]" in generate[2]


# ------------------------------------------------------------------ the example departments

EXAMPLES = [("304", 2023), ("899", 2023), ("899", 2024), ("898", 2024), ("897", 2024)]


@pytest.mark.parametrize("dept, year", EXAMPLES, ids=[f"{d}-{y}" for d, y in EXAMPLES])
def test_the_examples_print_nothing_their_sources_do_not_state(dept, year, tmp_path, capsys):
    from generator import DATA_ROOT
    from generator.repository.discovery import discover
    from generator.repository.workspace import load
    check = run(["check", "--dept", dept, "--year", str(year), "--data", str(DATA_ROOT)], capsys)
    out = tmp_path / "p.docx"
    generate = run(["generate", "--dept", dept, "--year", str(year), "--data", str(DATA_ROOT), "--out", str(out)],
                   capsys)
    assert check[0] == generate[0] == 0 and out.is_file(), check[2] + generate[2]  # check passes, generate writes
    loaded = load(discover(DATA_ROOT), dept, year)
    pub, report = loaded.publication, loaded.report
    text = docx_text(out)
    warned = {(w.code, w.location.file.rsplit("/", 1)[-1]) for w in report.warnings}
    unit_budget = pub.department.publishes == "单位预算"
    scopes = [(pub.scope, pub.department.units)] + ([] if unit_budget else [(s, [u]) for s, u in zip(
        pub.units, pub.department.units)])
    bodies = re.split(r"收支预算\n(?=(?:部门|单位)预算收支总表)", text)[1:]  # each scope's body (not the contents)
    assert len(bodies) == len(scopes)
    for (scope, units), body in zip(scopes, bodies):
        narrative = body[body.index("预算信息公开情况说明"):]
        sangong = _section(narrative, "四、财政拨款“三公”经费", "五、预算绩效信息")
        states = scope.states
        if states["sangong"] == "unstated":
            assert "预算安排" not in sangong and "本表不列示" in body
        if states["sangong-prior"] == "unstated" or states["sangong"] == "unstated":
            assert "比上年" not in sangong and "与上年持平" not in sangong
            rows = [line.split(" | ") for line in sangong.split("| 变化原因", 1)[1].splitlines() if " | " in line]
            assert rows and all(not r[1].strip() for r in rows)  # the prior year's column blank, not 0.00
        if states["procurement"] == "unstated":
            assert _section(narrative, "六、政府采购预算情况", "七、国有资产信息").strip().splitlines() == ["六、政府采购预算情况"]
        if states["assets"] == "unstated":
            assert "上年末固定资产" not in narrative
        if states["prior-year"] == "unstated":
            assert "较上年" not in narrative
        for unit in units:  # every omission of a unit's has its warning at check
            for key in ("assets", "procurement", "sangong", "carryover"):
                if unit.state(key) == "unstated":
                    assert (f"{key}.unstated", f"{unit.code}.yaml") in warned
            if unit.sangong_given and not unit.sangong_prior_given:
                assert ("sangong-prior.unstated", f"{unit.code}.yaml") in warned
