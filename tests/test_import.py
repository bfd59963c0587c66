"""budgetpub import: a department's sources from its publication (.docx, PDF) or from the nine tables
as a workbook, then generated again.

- every example generated, imported into an empty folder and generated again: the same .docx byte for
  byte, with nothing left unplaced (once the clerk has confirmed what import inferred); basic
  expenditure of a fund other than the general budget comes back as 人员经费 and 公用经费;
- through the workbook (budgetpub's own and a budget system's export, tests/budgetexport.py): the
  nine tables again byte for byte, once the texts the workbook cannot give are written;
- through the PDF LibreOffice makes of the .docx: the nine tables again byte for byte;
- the hand-typed rebuilds of the seed (tests/handtyped.py): the nine tables cell for cell, the
  publication's own slip (人员经费 347.37 / 347.36) named in the report;
- files that are no publication, or lack tables: a Chinese report, exit 2, nothing written; an
  existing year is not overwritten without --force; every figure carries where it was read.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import budgetexport
import handtyped
import pytest

from generator import DATA_ROOT, build
from generator.cli import budgetpub
from generator.document.render import render_bytes
from generator.formats import libreoffice
from generator.formats.xlsx import workbook_bytes
from generator.repository.importing import import_file
from generator.repository.textconv import docx_text
from generator.verify import read_document
from generator.verify.reading import amount

EXAMPLES = [("304", 2023), ("899", 2023), ("899", 2024), ("898", 2024), ("897", 2024)]
# published at department level (896: a summary of four units; 895: one unit, no 三公, its own wording):
# through the .docx each has a test of its own below; through the workbooks and the PDF with the others
LEVELS = [("896", 2024), ("895", 2024)]
ALL = EXAMPLES + LEVELS
EPOCH = 1700000000


def publish(data: Path, dept: str, year: int) -> tuple[bytes, bytes]:
    publication, _ = build(data, dept, year)
    docx = render_bytes(publication)
    return docx, workbook_bytes(publication, EPOCH)


@pytest.fixture(scope="module")
def originals() -> dict:
    return {(d, y): publish(DATA_ROOT, d, y) for d, y in ALL}


def imported(tmp_path: Path, name: str, data: bytes, dept: str, year: int, fill: bool = False):
    path = tmp_path / name
    path.write_bytes(data)
    result = import_file(path, dept, year, tmp_path / "data")
    if fill:
        _fill(result.target, DATA_ROOT / dept / str(year))
    return result


def _fill(folder: Path, original: Path | None = None) -> None:
    """Write what a workbook cannot give, as a clerk would: the marked texts, attributes and amounts
    (机关运行经费: a figure of the text, not of the nine tables), and the publication's display
    (thousands separators), which a workbook's number format does not tell (copied from ``original``)."""
    for p in folder.glob("*.yaml"):
        t = p.read_text(encoding="utf-8")
        assert "# 待填写" in t or p.name == "department.yaml"
        t = re.sub(r"amount: （待填写）", "amount: 0.00", t)
        t = re.sub(r"（待填写：([^）]*)）", lambda m: "填写的" + re.sub(r"[^\u4e00-\u9fff0-9]", "", m.group(1)), t)
        t = t.replace("（待填写）", "填写的文字")
        t = re.sub(r"  # 待(填写|核实)[^\n]*", "", t)
        if p.name == "department.yaml" and original is not None:
            display = re.search(r"(?m)^display: .*\n", (original / "department.yaml").read_text(encoding="utf-8"))
            assert "thousands" not in t
            t = re.sub(r"(?m)^display:\n(  .*\n)*", "", t)
            t = t.replace("\ngovernment_level:", f"\n{display.group(0) if display else ''}government_level:")
        p.write_text(t, encoding="utf-8")


def confirmed(folder: Path) -> list[str]:
    """What the clerk confirms after an import (check refuses the sources while a line is marked
    # 待核实): the marks taken off, the provenance kept. Returns the lines that were marked."""
    marked = []
    for p in sorted(folder.glob("*.yaml")):
        t = p.read_text(encoding="utf-8")
        marked += [ln for ln in t.splitlines() if "# 待核实" in ln and not ln.lstrip().startswith("#")]
        p.write_text(t.replace("# 待核实：", "# ").replace("  # 待核实\n", "\n"), encoding="utf-8")
    return marked


def text_lines(docx: bytes, folder: Path) -> list[str]:
    path = folder / "read.docx"  # textconv reads a regular file of bounded size, never a stream
    path.write_bytes(docx)
    return docx_text(path).splitlines()


# ------------------------------------------------------------------ the round trips

@pytest.mark.parametrize("dept,year", EXAMPLES, ids=[f"{d}-{y}" for d, y in EXAMPLES])
def test_a_generated_publication_imports_into_sources_that_generate_it_again(tmp_path, originals, dept, year):
    docx, xlsx = originals[(dept, year)]
    result = imported(tmp_path, "公开.docx", docx, dept, year)
    confirmed(result.target)
    again, again_xlsx = publish(tmp_path / "data", dept, year)
    assert again_xlsx == xlsx  # the nine tables
    assert again == docx
    assert not [f for f in result.imported.findings if f.kind == "unplaced"]


@pytest.mark.parametrize("year,marked", [(2023, False), (2024, True)])
def test_basic_expenditure_of_another_fund_is_imported_as_personnel_and_public(tmp_path, originals, year, marked):
    """899's 旅游服务中心 pays basic expenditure from 事业收入, whose 款 no table shows: the text's 人员经费 and
    日常公用经费 less the 基本支出表's. In 2024 two groups share them (this year's 事业收入 and its carry-over):
    how they divide is not published, so the split is written to confirm."""
    docx, _ = originals[("899", year)]
    result = imported(tmp_path, "公开.docx", docx, "899", year)
    unit = (result.target / "899003.yaml").read_text(encoding="utf-8")
    said = r"  # (待核实：)?情况说明“基本支出[0-9.]+万元，其中：人员经费[0-9.]+万元，日常公用经费[0-9.]+万元”中的"
    groups = re.findall(r"- fund: 事业收入\n(?:    carryover: true\n)?    personnel: ([0-9.]+)" + said + r"人员经费[^\n]*\n"
                        r"    public: ([0-9.]+)" + said + r"公用经费[^\n]*\n    function:\n      - \{code: \"2070199\", "
                        r"amount: ([0-9.]+)\}", unit)
    assert len(groups) == (2 if marked else 1)
    # 人员经费 88.64 (2024) / 82.50 (2023) in the text less the 基本支出表's 80.64 / 74.50: 8.00 in all
    assert sum(Decimal(g[0]) for g in groups) == Decimal("8.00")
    assert all(Decimal(g[0]) + Decimal(g[2]) == Decimal(g[4]) for g in groups)
    lines = [ln for ln in unit.splitlines() if re.match(r"\s+(personnel|public): ", ln)]
    assert len(lines) == 2 * len(groups) and all(("# 待核实" in ln) == marked for ln in lines)
    confirms = [f.text for f in result.imported.findings if f.kind == "confirm" and "划分是推算的" in f.text]
    assert bool(confirms) == marked


def test_a_department_level_publication_imports_into_the_department_level_forms(tmp_path):
    """896/2024 publishes the department's tables only, its units listed in 机构设置情况 (no 单位预算), project
    expenditure by function with two projects listed for their 绩效目标表, 机关运行经费 stated, and the
    prior year as a change only. Import writes those forms; the one fact the publication does not give
    (背街小巷环境整治's amount: its cost indicator says 合规) is left to write, and once written (85.00, as
    the clerk knows it) the publication comes back byte for byte."""
    docx, _ = publish(DATA_ROOT, "896", 2024)
    result = imported(tmp_path, "公开.docx", docx, "896", 2024)
    assert sorted(p.name for p in result.target.glob("*.yaml")) == ["896000.yaml", "department.yaml"]
    dept = (result.target / "department.yaml").read_text(encoding="utf-8")
    summary = (result.target / "896000.yaml").read_text(encoding="utf-8")
    assert "unit_budgets: false" in dept
    assert re.search(r'- \{code: "896004", name: 示例市示例区东湖街道退役军人服务站\}  # 部门机构设置情况表第4行', dept)
    assert re.search(r'- \{code: "896002", name: 示例市示例区东湖街道社区服务中心, nature: 事业单位\}', dept)
    assert re.search(r"prior_year:\n  change: -219\.02  # 情况说明", dept)
    assert "nature" not in summary and "running_costs_stated:\n  amount: 163.18  # " in summary
    heading = summary.splitlines()[1]  # what the file is: the department's summary, not a unit's budget
    assert heading.startswith("# 示例市示例区东湖街道办事处：2024 年部门汇总的收支事实。") and "单位预算的事实" not in heading
    assert "  - {label: 其他商品和服务支出, amount: 45.18}  # " in summary
    spending = re.findall(r'(?m)^  - \{function: "([0-9]+)", fund: ([^,]+), amount: ([0-9.]+)\}', summary)
    assert sorted(spending) == sorted([("2120199", "一般公共预算拨款", "310.00"), ("2120501", "一般公共预算拨款", "185.50"),
                                       ("2010302", "一般公共预算拨款", "96.30"), ("2120199", "单位资金", "12.00")])
    assert re.search(r"- name: 社区网格化服务管理\n    amount: 120\.00  # 待核实：.*成本指标", summary)
    assert re.search(r"- name: 背街小巷环境整治\n    amount: （待填写）  # 待填写", summary)
    unplaced = [f.text for f in result.imported.findings if f.kind == "unplaced"]
    assert unplaced == ["项目“背街小巷环境整治”的金额公开文件没有给出：待填写。"]
    path = result.target / "896000.yaml"
    path.write_text(re.sub(r"amount: （待填写）  # 待填写[^\n]*", "amount: 85.00", summary), encoding="utf-8")
    assert confirmed(result.target)
    again, _ = publish(tmp_path / "data", "896", 2024)
    assert again == docx


def test_a_publication_with_its_own_wording_and_no_sangong_imports_into_sources_that_generate_it_again(tmp_path):
    """895/2024 (a central university): one unit published at department level, no 三公 section or table,
    its own legal basis, 名词解释 and no-project-targets sentence, 事业收入's basic expenditure as 人员经费
    and 公用经费 only, project expenditure by function, the carry-over as a total. Imported and generated:
    the same .docx and the same nine tables."""
    docx, xlsx = publish(DATA_ROOT, "895", 2024)
    result = imported(tmp_path, "公开.docx", docx, "895", 2024)
    assert sorted(p.name for p in result.target.glob("*.yaml")) == ["895001.yaml", "department.yaml"]
    dept = (result.target / "department.yaml").read_text(encoding="utf-8")
    unit = (result.target / "895001.yaml").read_text(encoding="utf-8")
    assert "unit_budgets: false" in dept and "units:" not in dept
    assert re.search(r"wording:\n  omit:  # [^\n]*\n    - sangong\n  legal_basis: 根据《中华人民共和国预算法》", dept)
    assert "  no_project_targets: 本部门项目绩效目标随项目预算批复另行公开，本文件不单独列示。  # " in dept
    assert "    1、财政拨款收入：指中央财政当年拨付的资金。\n" in dept
    assert re.search(r"(?m)^nature: 事业单位  # ", unit) and "sangong" not in unit
    assert unit.splitlines()[1].startswith("# 示例大学：2024 年预算的事实。部门只在部门一级公开，部门的收支就是这个单位的收支")
    assert re.search(r"- fund: 事业收入\n    personnel: 31000\.00  # [^\n]*\n    public: 4000\.00  # ", unit)
    assert '  - {function: "2060503", fund: 事业收入, amount: 23500.00}  # ' in unit
    # the carry-over is published as a total only (no fiscal part, two non-fiscal funds): no fund guessed
    assert re.search(r"carryover:\n  in_total: 6800\.00  # 收支总表第[0-9]+行", unit)
    assert '  - {function: "2050205", carryover: true, amount: 6800.00}  # ' in unit
    assert not [f for f in result.imported.findings if f.kind == "unplaced"]
    # each text written into wording is named in the report: it overrides the region's
    said = [f.text for f in result.imported.findings if f.kind == "wording"]
    assert len(said) == 4 and "wording.omit（sangong）" in said[0]
    assert said[1].startswith("依据句“根据《中华人民共和国预算法》和中央部门预算公开的有关规定”") and "wording.legal_basis" in said[1]
    assert "wording.no_project_targets" in said[2]
    assert said[3].startswith("名词解释与本地区的不同：“财政拨款收入”（本地区为“一般公共预算拨款收入”），“事业收入”措辞不同")
    assert not confirmed(result.target)  # nothing inferred
    again, again_xlsx = publish(tmp_path / "data", "895", 2024)
    assert again_xlsx == xlsx
    assert again == docx


NAMED_FROM_CARRYOVER = """projects:
  - name: 学科建设
    function: "2050205"
    fund: 一般公共预算拨款
    amount: 12000.00
    performance: {target: 推进一流学科建设。, indicators: [{level1: 产出指标, level2: 成本指标, level3: 建设成本, description: 不超预算, value: "≤12000万元", basis: 预算}]}
  - name: 科研平台运行
    function: "2060503"
    fund: 事业收入
    amount: 23500.00
    performance: {target: 保障科研平台运行。, indicators: [{level1: 产出指标, level2: 成本指标, level3: 运行成本, description: 不超预算, value: "≤23500万元", basis: 预算}]}
  - name: 校园维修
    function: "2050205"
    fund: 其他收入
    amount: 3200.00
    performance: {target: 完成校舍维修。, indicators: [{level1: 产出指标, level2: 成本指标, level3: 维修成本, description: 不超预算, value: "≤3200万元", basis: 预算}]}
  - name: 实验室改造
    function: "2050205"
    carryover: true
    amount: 6800.00
    performance: {target: 完成实验室改造。, indicators: [{level1: 产出指标, level2: 成本指标, level3: 改造成本, description: 不超预算, value: "≤6800万元", basis: 预算}]}
"""


def test_a_named_project_paid_from_a_carry_over_given_as_a_total_is_imported_without_a_fund(tmp_path):
    """895's carry-over is published as a total (no fund). Written as named projects instead of
    project_spending, the one paid from that carry-over has a function and carryover: true but no fund
    (rule carryover.fund-missing allows it only so); import writes it so, nothing guessed or marked,
    and the publication comes back byte for byte."""
    data = tmp_path / "src"
    shutil.copytree(DATA_ROOT / "895" / "2024", data / "895" / "2024")
    path = data / "895" / "2024" / "895001.yaml"
    text = re.sub(r"(?ms)^project_spending:\n(  - .*?\n)+", NAMED_FROM_CARRYOVER, path.read_text(encoding="utf-8"))
    assert "实验室改造" in text and "project_spending" not in text
    path.write_text(text, encoding="utf-8")
    docx, xlsx = publish(data, "895", 2024)
    result = imported(tmp_path, "公开.docx", docx, "895", 2024)
    unit = (result.target / "895001.yaml").read_text(encoding="utf-8")
    assert re.search(r"- name: 实验室改造\n    function: \"2050205\"  # [^\n]*\n    carryover: true\n    amount: 6800\.00  # ", unit)
    assert re.search(r"- name: 校园维修\n    function: \"2050205\"  # [^\n]*\n    fund: 其他收入  # ", unit)
    assert not [f for f in result.imported.findings if f.kind == "unplaced"]
    assert not confirmed(result.target)
    again, again_xlsx = publish(tmp_path / "data", "895", 2024)
    assert again_xlsx == xlsx
    assert again == docx


def test_a_project_without_a_fund_is_refused_unless_a_carry_over_total_pays_it(tmp_path):
    """The form is for a carry-over given as a total only: a project with a function and no fund is
    refused where the unit's carry-over is given by fund, or where the project is not paid from it."""
    from generator.errors import InvalidSources
    data = tmp_path / "src"
    shutil.copytree(DATA_ROOT / "895" / "2024", data / "895" / "2024")
    path = data / "895" / "2024" / "895001.yaml"
    base = re.sub(r"(?ms)^project_spending:\n(  - .*?\n)+", NAMED_FROM_CARRYOVER, path.read_text(encoding="utf-8"))
    for old, new in (("    carryover: true\n    amount: 6800.00", "    amount: 6800.00"),
                     ("carryover:\n  in_total: 6800.00", "carryover:\n  in: {事业收入: 6800.00}")):
        assert old in base
        path.write_text(base.replace(old, new), encoding="utf-8")
        with pytest.raises(InvalidSources) as refused:
            build(data, "895", 2024)
        codes = {e.code for e in refused.value.report.errors}
        assert "carryover.fund-missing" in codes, codes


def test_unit_attributes_are_read_by_their_column_and_those_not_given_are_left_out(tmp_path):
    """A 机构设置情况 table without the 单位规格 column (no unit gives a rank) and with one unit's
    经费保障形式 blank: each attribute is read under its own header, the missing ones are not written
    (no placeholder), and the publication comes back byte for byte."""
    data = tmp_path / "src"
    shutil.copytree(DATA_ROOT / "899" / "2024", data / "899" / "2024")
    for p in (data / "899" / "2024").glob("8990*.yaml"):
        t = re.sub(r"(?m)^rank: .*\n", "", p.read_text(encoding="utf-8"))
        if p.name == "899002.yaml":
            t = re.sub(r"(?m)^funding_form: .*\n", "", t)
        p.write_text(t, encoding="utf-8")
    docx, _ = publish(data, "899", 2024)
    assert "单位规格" not in "\n".join(text_lines(docx, tmp_path))
    result = imported(tmp_path, "公开.docx", docx, "899", 2024)
    units = {p.name: p.read_text(encoding="utf-8") for p in result.target.glob("8990*.yaml")}
    assert not any("rank:" in t or "（待填写）" in t for t in units.values())
    assert re.search(r"(?m)^funding_form: 财政差额补助  # 机构设置情况表“经费保障形式”列$", units["899003.yaml"])
    assert re.search(r"(?m)^nature: 事业（公益一类）  # ", units["899002.yaml"])
    assert "funding_form" not in units["899002.yaml"]
    confirmed(result.target)
    again, _ = publish(tmp_path / "data", "899", 2024)
    assert again == docx


@pytest.mark.parametrize("dept,year", ALL, ids=[f"{d}-{y}" for d, y in ALL])
def test_the_nine_tables_round_trip_through_budgetpubs_workbook(tmp_path, originals, dept, year):
    _, xlsx = originals[(dept, year)]
    result = imported(tmp_path, "九张表.xlsx", xlsx, dept, year, fill=True)
    assert result.source.format == "xlsx"
    _, again = publish(tmp_path / "data", dept, year)
    assert again == xlsx


@pytest.mark.parametrize("dept,year", [("304", 2023), ("899", 2024), ("898", 2024), ("896", 2024), ("895", 2024)])
def test_the_nine_tables_round_trip_through_a_budget_systems_export(tmp_path, originals, dept, year):
    _, xlsx = originals[(dept, year)]
    export = budgetexport.export(xlsx, year)
    imported(tmp_path, "导出.xlsx", export, dept, year, fill=True)
    _, again = publish(tmp_path / "data", dept, year)
    assert again == xlsx


def test_a_workbook_leaves_the_texts_to_write_and_check_refuses_them(tmp_path, originals, capsys):
    _, xlsx = originals[("304", 2023)]
    (tmp_path / "t.xlsx").write_bytes(xlsx)
    assert budgetpub(["import", str(tmp_path / "t.xlsx"), "--dept", "304", "--year", "2023",
                      "--to", str(tmp_path / "data")]) == 0
    captured = capsys.readouterr()
    out = captured.out + captured.err
    unit = (tmp_path / "data/304/2023/304001.yaml").read_text(encoding="utf-8")
    assert re.search(r"duties: \"?（待填写：单位主要职能）\"?  # 待填写", unit)
    assert "amount.unfilled" in out and "导入的数据还不能生成公开文件" in out


needs_lo = pytest.mark.skipif(libreoffice.find() is None, reason="LibreOffice is not installed; .ci/run installs it")


@needs_lo
@pytest.mark.parametrize("dept,year", [("304", 2023), ("899", 2024), ("896", 2024), ("895", 2024)])
def test_the_nine_tables_round_trip_through_the_pdf(tmp_path, originals, dept, year):
    docx, xlsx = originals[(dept, year)]
    (tmp_path / "p.docx").write_bytes(docx)
    with libreoffice.LibreOffice() as lo:
        lo.layout(tmp_path / "p.docx", tmp_path / "p.pdf")
    result = import_file(tmp_path / "p.pdf", dept, year, tmp_path / "data")
    assert result.source.format == "pdf"
    confirmed(result.target)
    if dept == "896":  # the one amount its publication does not give (see the .docx test), as the clerk knows it
        path = result.target / "896000.yaml"
        path.write_text(re.sub(r"amount: （待填写）  # 待填写[^\n]*", "amount: 85.00", path.read_text(encoding="utf-8")),
                        encoding="utf-8")
    again, again_xlsx = publish(tmp_path / "data", dept, year)
    assert again_xlsx == xlsx
    if (dept, year) in LEVELS:  # these come back whole through their PDF, the text included
        assert again == docx


# ------------------------------------------------------------------ the hand-typed seed

def nine_tables(docx: bytes) -> dict:
    """Each part's nine tables as a reader sees them: rows of figures (Decimal) and words."""
    out = {}
    for i, scope in enumerate(read_document(docx).scopes):
        for kind in ("T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9"):
            table = scope.tables[kind]
            rows = []
            for _, cells in table.rows:
                row = [amount(c) if amount(c) is not None else re.sub(r"\s", "", c) for c in cells]
                if any(v not in ("", Decimal(0)) for v in row):
                    rows.append([v * (Decimal(1) if table.unit == "万元" else Decimal("0.0001"))
                                 if isinstance(v, Decimal) else v for v in row])
            out[(i, kind)] = rows
    return out


@pytest.mark.parametrize("variant", handtyped.VARIANTS, ids=[v.name for v in handtyped.VARIANTS])
def test_the_hand_typed_seed_imports_into_sources_that_regenerate_its_nine_tables(tmp_path, variant):
    typed = handtyped.build(variant)
    result = imported(tmp_path, "手工录入.docx", typed, "304", 2023)
    report = result.format()
    # the seed's own slip, named: 347.37 万元 in the text (3,473,700.00 元 in the rebuild in 元), 347.36 in the table
    assert re.search(r"人员经费(347\.37万元|3,473,700\.00元)", report)
    assert re.search(r"人员经费”列：(347\.36|3473600\.00)）", report)
    publication, checked = build(tmp_path / "data", "304", 2023)
    assert checked.ok
    again = render_bytes(publication)
    want, got = nine_tables(typed), nine_tables(again)
    assert want.keys() == got.keys()
    for key in want:
        assert got[key] == want[key], key
    # the names the text gives otherwise than the 绩效目标表 are reported, the table's are kept
    assert "“困难职工慰问”在绩效目标表中名为“困难职工春节慰问”" in report
    # its 名词解释 says 机关运行费 where the region's says 机关运行经费: written as the department's own, and said
    dept = (tmp_path / "data/304/2023/department.yaml").read_text(encoding="utf-8")
    assert "  glossary: |\n" in dept and "8、机关运行费：" in dept
    assert "名词解释与本地区的不同：“机关运行费”（本地区为“机关运行经费”）。整段写入 wording.glossary。" in report
    assert report.index("公开文件自己的措辞") < report.index("机关运行费")


# ------------------------------------------------------------------ failures

def test_a_document_that_is_no_publication_is_refused_and_nothing_is_written(tmp_path, capsys):
    import docx as python_docx
    d = python_docx.Document()
    d.add_paragraph("关于召开年度工作会议的通知")
    d.add_paragraph("各科室：定于下周一召开年度工作会议。")
    d.save(tmp_path / "通知.docx")
    code = budgetpub(["import", str(tmp_path / "通知.docx"), "--dept", "304", "--year", "2023",
                      "--to", str(tmp_path / "data")])
    err = capsys.readouterr().err
    assert code == 2
    assert "没有找到部门预算公开的表格" in err
    assert not (tmp_path / "data").exists() or not any((tmp_path / "data").rglob("*"))


def test_a_publication_missing_tables_is_refused_with_the_tables_it_lacks(tmp_path, capsys):
    typed = handtyped.build(handtyped.Variant(), omit=[("单位预算支出总表", 0)])
    (tmp_path / "缺表.docx").write_bytes(typed)
    code = budgetpub(["import", str(tmp_path / "缺表.docx"), "--dept", "304", "--year", "2023",
                      "--to", str(tmp_path / "data")])
    err = capsys.readouterr().err
    assert code == 2
    assert "不是完整的部门预算公开文件" in err and "缺少支出总表" in err
    assert not (tmp_path / "data" / "304").exists()


@pytest.mark.parametrize("content", [b"", b"not a document", b"PK\x03\x04broken", b"%PDF-1.4\n%%EOF"])
def test_a_file_that_is_not_a_document_is_refused(tmp_path, capsys, content):
    (tmp_path / "x.docx").write_bytes(content)
    assert budgetpub(["import", str(tmp_path / "x.docx"), "--dept", "304", "--year", "2023",
                      "--to", str(tmp_path / "data")]) == 2
    assert "错误：" in capsys.readouterr().err
    assert not (tmp_path / "data" / "304").exists()


def test_an_existing_year_is_replaced_only_with_force(tmp_path, originals, capsys):
    docx, _ = originals[("304", 2023)]
    (tmp_path / "p.docx").write_bytes(docx)
    target = tmp_path / "data" / "304" / "2023"
    shutil.copytree(DATA_ROOT / "304" / "2023", target)
    (target / "mine.txt").write_text("自己的文件", encoding="utf-8")
    args = ["import", str(tmp_path / "p.docx"), "--dept", "304", "--year", "2023", "--to", str(tmp_path / "data")]
    assert budgetpub(args) == 2
    assert "已经存在" in capsys.readouterr().err and (target / "mine.txt").exists()
    assert budgetpub(args + ["--force"]) == 0
    assert not (target / "mine.txt").exists() and (target / "304001.yaml").exists()
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")]  # no staging left behind


def test_the_import_checks_the_sources_and_leaves_the_full_check_to_the_clerk(tmp_path, originals, capsys):
    """After writing, import runs check --fast (the sources and their computation: what is left to write or
    confirm); rendering and verifying a whole publication, as long as generate, is the check run before
    publishing, and the report says so."""
    docx, _ = originals[("897", 2024)]
    (tmp_path / "p.docx").write_bytes(docx)
    assert budgetpub(["import", str(tmp_path / "p.docx"), "--dept", "897", "--year", "2024",
                      "--to", str(tmp_path / "data")]) == 0
    out = capsys.readouterr().out
    assert "运行 budgetpub check --fast --dept 897 --year 2024（只检查数据和计算）" in out
    assert "数据校验通过（--fast：未生成和核对文件）。" in out
    assert out.rstrip().endswith("公开前请运行 budgetpub check --dept 897 --year 2024：生成文件并重新加总核对。")


def test_a_zip_bomb_workbook_is_refused_before_it_is_read(tmp_path, capsys):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (300 * 1024 * 1024))
    (tmp_path / "bomb.xlsx").write_bytes(buf.getvalue())
    assert budgetpub(["import", str(tmp_path / "bomb.xlsx"), "--dept", "304", "--year", "2023",
                      "--to", str(tmp_path / "data")]) == 2
    err = capsys.readouterr().err
    assert "bomb.xlsx：解压后大于 256 MB" in err


@pytest.mark.parametrize("part", ["xl/sharedStrings.xml", "xl/worksheets/sheet1.xml", "xl/_rels/workbook.xml.rels"])
def test_a_workbook_part_with_a_dtd_is_refused_before_openpyxl_parses_it(part, tmp_path, capsys):
    """Excel writes no DTD; openpyxl's parser would expand its entities (a "billion laughs" in 2 KB):
    refused, exit 2, whichever XML part holds it, however far into the part."""
    laughs = "".join(f'<!ENTITY a{k} "{f"&a{k - 1};" * 10 if k else "a" * 10}">' for k in range(10))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr(part, f'<?xml version="1.0"?>{" " * (2 << 20)}<!DOCTYPE x [{laughs}]><x>&a9;</x>')
    (tmp_path / "laughs.xlsx").write_bytes(buf.getvalue())
    assert budgetpub(["import", str(tmp_path / "laughs.xlsx"), "--dept", "304", "--year", "2023",
                      "--to", str(tmp_path / "data")]) == 2
    assert f"laughs.xlsx：其中的 {part} 含有 DTD 声明" in capsys.readouterr().err
    assert not (tmp_path / "data").exists()


def test_what_openpyxl_warns_in_english_is_not_on_stderr(tmp_path):
    """A workbook whose stylesheet is empty: openpyxl warns ("Workbook contains no stylesheet…"); the
    import says in Chinese what it could not read, and nothing else."""
    _, data = publish(DATA_ROOT, "304", 2023)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, src.read(info.filename) if info.filename != "xl/styles.xml" else
                       '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>')
    (tmp_path / "styleless.xlsx").write_bytes(out.getvalue())
    # in a process of its own, as a user runs it: pytest would catch the warning itself
    code = "import sys; from generator.cli import budgetpub; sys.exit(budgetpub(sys.argv[1:]))"
    run = subprocess.run([sys.executable, "-c", code, "import", str(tmp_path / "styleless.xlsx"), "--dept", "304",
                          "--year", "2023", "--to", str(tmp_path / "data")], capture_output=True, text=True,
                         cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
                         check=False)
    assert run.returncode == 2
    err = run.stderr
    assert err.strip() and all(re.search(r"[\u4e00-\u9fff]", line) for line in err.splitlines()), err
    assert "Warning" not in err


@pytest.mark.parametrize("cell", ['<c r="A{r}"><v>1</v></c>', "<x:c><x:v>1</x:v></x:c>", "<c/>"])
def test_a_workbook_of_more_cells_than_a_publication_has_is_refused_before_openpyxl_loads_them(
        cell, tmp_path, capsys, monkeypatch):
    """openpyxl holds each cell as an object of some 450 bytes: a workbook of a few megabytes could fill
    the memory. Its cells are counted in the sheets' XML first (any prefix, empty cells too, a cell's
    tag cut between two pieces read counted once): past the bound it is refused, exit 2."""
    from generator.repository.importing import workbook
    monkeypatch.setattr(workbook, "MAX_CELLS", 100_000)
    rows = "".join(f'<row r="{r}">' + cell.format(r=r) * 20 + "</row>" for r in range(1, 5001))  # 100,000 cells
    for extra, refused in (("", False), (cell.format(r=1), True)):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("xl/workbook.xml", "<workbook/>")
            z.writestr("xl/worksheets/sheet1.xml", f"<worksheet><sheetData>{rows}{extra}</sheetData></worksheet>")
        assert workbook._cells(zipfile.ZipFile(buf)) == 100_000 + bool(extra)
        (tmp_path / "big.xlsx").write_bytes(buf.getvalue())
        assert budgetpub(["import", str(tmp_path / "big.xlsx"), "--dept", "304", "--year", "2023",
                          "--to", str(tmp_path / "data")]) == 2
        err = capsys.readouterr().err
        assert ("big.xlsx：工作表共有超过 10 万个单元格" in err) == refused, err


# ------------------------------------------------------------------ what is written

def test_every_figure_says_where_it_was_read_and_the_files_open_with_the_editor_line(tmp_path, originals):
    docx, _ = originals[("899", 2024)]
    result = imported(tmp_path, "p.docx", docx, "899", 2024)
    for path in result.files:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# yaml-language-server: $schema=../../../.budgetpub/")
        for line in text.splitlines():
            if re.search(r"amount: [0-9]|: [0-9]+\.[0-9]{2}\b", line) and "level1" not in line:
                assert "  # " in line and re.search(r"第[0-9]+行|情况说明|比较表", line), line


def test_a_text_that_would_cite_a_figure_is_not_run_as_one(tmp_path):
    old, new = "确保困难职工满意度95%以上", "确保困难职工满意度{{ 基本支出 }}以上"
    planted = handtyped.build(handtyped.Variant(), replace=[("", old, new), ("第二部分", old, new)])
    result = imported(tmp_path, "p.docx", planted, "304", 2023)
    unit = (result.target / "304001.yaml").read_text(encoding="utf-8")
    assert "{{" not in unit and "｛｛ 基本支出 ｝｝" in unit


def test_what_import_inferred_is_refused_until_the_clerk_confirms_it(tmp_path, originals):
    """899/2024's 旅游服务中心 has a non-fiscal carry-over without its fund that pays other expenditure
    (上解上级支出, which needs its fund, so the carry-over cannot be written as a total), and 事业收入's 人员经费/公用经费 only as a sum
    over two groups: import writes them, marked # 待核实, and check refuses the sources at those lines
    until the marks are taken off."""
    from generator.errors import InvalidSources
    docx, _ = originals[("899", 2024)]
    result = imported(tmp_path, "公开.docx", docx, "899", 2024)
    with pytest.raises(InvalidSources) as refused:
        build(tmp_path / "data", "899", 2024)
    codes = {(e.code, e.location.file.rsplit("/", 1)[-1]) for e in refused.value.report.errors}
    assert codes == {("text.unverified", "899003.yaml")}
    assert confirmed(result.target)
    build(tmp_path / "data", "899", 2024)  # confirmed: accepted


def test_a_carry_over_published_as_a_total_only_is_imported_as_the_total(tmp_path, originals):
    """899/2023's 文化馆 has a non-fiscal carry-over (in and out) but no fiscal one and two non-fiscal funds:
    the publication gives no fund, so import writes carryover.in_total / out_total and the spending
    without a fund, nothing guessed (the sources it came from said 事业收入: the document is the same)."""
    docx, _ = originals[("899", 2023)]
    result = imported(tmp_path, "公开.docx", docx, "899", 2023)
    unit = (result.target / "899002.yaml").read_text(encoding="utf-8")
    assert re.search(r"carryover:\n  in_total: 5\.00  # 收支总表第[0-9]+行“上年结转结余”（只有合计，不分资金来源）\n"
                     r"  out_total: 5\.00  # ", unit)
    assert not confirmed(result.target)
    build(tmp_path / "data", "899", 2023)  # accepted as imported


def test_sections_a_unit_leaves_unstated_are_imported_unstated_not_as_none(tmp_path):
    """A unit of 899/2024 that does not state its 三公, procurement and assets: its publication prints
    those tables blank, noted "未提供……，本表不列示". Imported, they stay unstated (no key written),
    not stated as none (which would print 0.00 when generated again); the other units keep theirs."""
    data = tmp_path / "src"
    shutil.copytree(DATA_ROOT / "catalogue", data / "catalogue")
    shutil.copytree(DATA_ROOT / "899" / "2024", data / "899" / "2024")
    path = data / "899" / "2024" / "899002.yaml"
    kept, skipping = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if re.match(r"[a-z_]+:", line):
            skipping = line.split(":")[0] in ("sangong", "procurement", "assets")
        if not skipping:
            kept.append(line)
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    docx, _ = publish(data, "899", 2024)
    result = imported(tmp_path, "公开.docx", docx, "899", 2024)
    text = docx_text(tmp_path / "公开.docx")
    assert text.count("注：未提供“三公”经费预算，本表不列示。") >= 2  # T9, 情况说明
    assert text.count("注：未提供政府采购预算，本表不列示。") == 2  # the unit's and its department's
    unit = (result.target / "899002.yaml").read_text(encoding="utf-8")
    assert not re.search(r"(?m)^(sangong|procurement|assets):", unit)
    others = (result.target / "899003.yaml").read_text(encoding="utf-8")
    assert re.search(r"(?m)^sangong:", others) and re.search(r"(?m)^assets:", others)
