"""The catalogue an office really has (issue 19): `budgetpub catalogue import` reads the official
classification from Excel (or the CSV Excel saves) into the repository's catalogue/<year>/, `check`
then names every code from it and says which codes changed meaning; and a region's own economic
codes, printed as the region prints them while rules and totals use their standard 款.

The workbook is an imitation of the official one (tests/catalogue_fixture.py: title rows, a
two-row header, merged 类 cells, full-width indentation, a 说明 column, notes); the hostile files
are made here, byte by byte where Excel would never write them.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from catalogue_fixture import economic_codes, economic_csv, economic_csv_text, function_codes, workbook
from docxread import read

from generator import DATA_ROOT
from generator.cli import budgetpub
from generator.errors import InvalidSources
from generator.figures.catalogue import Catalogue
from generator.repository.sheets import Cell

EXAMPLES = [("304", 2023), ("899", 2023), ("899", 2024), ("898", 2024), ("897", 2024)]
BOOK = "2024年政府收支分类科目.xlsx"


@pytest.fixture
def office(tmp_path, monkeypatch):
    """A budget repository holding the five example departments, and the official-style files beside it."""
    monkeypatch.delenv("BUDGETPUB_DATA", raising=False)
    repo = tmp_path / "office"
    for dept, year in EXAMPLES:
        shutil.copytree(DATA_ROOT / dept / str(year), repo / "data" / dept / str(year))
    (repo / "budgetpub.toml").write_text('data = "data"\n', encoding="utf-8")
    workbook(repo / BOOK)
    monkeypatch.chdir(repo)
    return repo


def run(argv, capsys) -> tuple[int, str, str]:
    code = budgetpub(argv)
    out, err = capsys.readouterr()
    return code, out, err


def written(repo: Path, year: int, name: str) -> list[dict[str, str]]:
    with open(repo / "catalogue" / str(year) / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# ------------------------------------------------------------------ the official-style workbook

def test_import_reads_the_official_style_workbook_and_says_what_it_read(office, capsys):
    code, out, err = run(["catalogue", "import", BOOK, "--year", "2024"], capsys)
    assert (code, err) == (0, "")
    functions, economics = function_codes(), economic_codes()
    general = {c for c in functions if not c.startswith(("20707", "21208", "223"))}
    lines = out.splitlines()
    assert lines[:3] == [
        f"读取 {BOOK}：",
        "  工作表“说明”：没有找到表头（“编码”或“科目编码”，和“名称”或“科目名称”），未读取。",
        "  工作表“一般公共预算支出功能分类科目”：第 3、4 行是表头：类（A 列）、款（B 列）、项（C 列）、名称（D 列）"]
    by_length = [sum(1 for c in general if len(c) == n) for n in (3, 5, 7)]
    assert lines[3] == f"    读到功能分类 {sum(by_length)} 个编码（类 {by_length[0]}、款 {by_length[1]}、项 {by_length[2]}）"
    last_row = 4 + len(general) + 2  # the header ends on row 4, a blank row, then the note
    assert lines[4] == ("    跳过 2 行：第 1 行 标题或说明（“2024年一般公共预算支出功能分类科目”）；"
                        f"第 {last_row} 行 不是编码（“注：本表为示例摘录，科目以财政部正式文件为准。”）")
    assert lines[5] == "    未读取的列：E（说明）"
    # the fund sheet: full codes typed as numbers, a 级次 column; its 类 rows repeat the general sheet's
    assert "  工作表“政府性基金预算支出功能分类科目”：第 2 行是表头：编码（A 列）、名称（B 列）、级次（C 列）" in lines
    assert any(line.startswith("    跳过 3 行：第 1 行 标题或说明") and "第 3 行 编码 207 重复（工作表“一般公共预算支出功能分类科目”第 "
               in line for line in lines)
    assert "  工作表“部门预算支出经济分类科目”：第 3、4 行是表头：类（A 列）、款（B 列）、名称（C 列）" in lines
    assert f"    读到经济分类 {len(economics)} 个编码（类 9、款 {len(economics) - 9}）" in lines
    assert "    未导入政府预算支出经济分类科目（501…） 5 行：部门预算公开不用这种分类。" in lines
    assert "已写入 catalogue/2024/：" in lines

    rows = {r["code"]: r for r in written(office, 2024, "function-classification.csv")}
    assert set(rows) == set(functions)
    assert {c: r["name"] for c, r in rows.items()} == functions  # the indentation is gone, the names whole
    assert rows["2070701"] == {"code": "2070701", "name": "宣传促销", "level": "项", "parent_code": "20707",
                               "source": f"{BOOK} 政府性基金预算支出功能分类科目 第5行"}
    assert rows["2230105"]["source"] == f"{BOOK} 国有资本经营预算支出功能分类科目 第7行"  # 款 and 项 typed as 1, shown 01
    assert {r["code"]: r["name"] for r in written(office, 2024, "economic-classification.csv")} == economics
    record = written(office, 2024, "imported.csv")
    assert [(r["kind"], r["file"], r["codes"]) for r in record] == [
        ("economic", BOOK, str(len(economics))), ("function", BOOK, str(len(functions)))]
    assert len(record[0]["sha256"]) == 64


def test_the_gbk_csv_excel_writes_gives_the_same_classification(office, tmp_path, capsys):
    economic_csv(office / "部门预算支出经济分类科目.csv")  # GBK, as Excel on Chinese Windows saves “CSV（逗号分隔）”
    code, out, _ = run(["catalogue", "import", "部门预算支出经济分类科目.csv", "--year", "2024"], capsys)
    assert code == 0
    assert out.splitlines()[1:4] == [
        "  GBK 编码的 CSV 文件：第 2、3 行是表头：类（A 列）、款（B 列）、名称（C 列）",
        f"    读到经济分类 {len(economic_codes())} 个编码（类 9、款 {len(economic_codes()) - 9}）",
        "    跳过 1 行：第 1 行 标题或说明（“2024年部门预算支出经济分类科目”）"]
    assert {r["code"]: r["name"] for r in written(office, 2024, "economic-classification.csv")} == economic_codes()
    # only the economic classification came: the function classification stays the packaged one
    assert not (office / "catalogue" / "2024" / "function-classification.csv").exists()
    catalogue = Catalogue.for_repository(office, 2024)
    assert catalogue.complete == {"economic": "部门预算支出经济分类科目.csv"}
    assert catalogue.function["2010301"] == "行政运行"


@pytest.mark.parametrize("encoding, tabs", [("utf-8-sig", False), ("utf-8", False), ("utf-16", True)])
def test_other_encodings_excel_saves(office, tmp_path, capsys, encoding, tabs):
    # “CSV UTF-8（逗号分隔）” (with a byte-order mark), plain UTF-8, and “Unicode 文本” (UTF-16, tabs)
    text = economic_csv_text()
    if tabs:
        text = "\n".join("\t".join(row) for row in csv.reader(io.StringIO(text)))
    (office / "e.txt").write_bytes(text.encode(encoding))
    code, out, _ = run(["catalogue", "import", "e.txt", "--year", "2024"], capsys)
    assert code == 0, out
    label = {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "utf-16": "UTF-16"}[encoding]
    assert out.splitlines()[1].startswith(f"  {label} 编码的 CSV 文件：第 2、3 行是表头")
    assert {r["code"]: r["name"] for r in written(office, 2024, "economic-classification.csv")} == economic_codes()


def test_check_names_every_code_of_the_examples_from_the_repository_catalogue(office, capsys):
    from generator.repository.discovery import discover
    from generator.repository.workspace import load
    for year in (2023, 2024):
        assert run(["catalogue", "import", BOOK, "--year", str(year)], capsys)[0] == 0
    for dept, year in EXAMPLES:
        loaded = load(discover(), dept, year)
        names = loaded.publication.names
        assert names.catalogue.files["function"] == f"catalogue/{year}/function-classification.csv"
        assert [p.code for p in loaded.report.problems if p.code.startswith("names.")] == [], (dept, year)
        used = {("function", l.function) for u in loaded.publication.department.units for l in u.function_lines()}
        used |= {("economic", l.economic) for u in loaded.publication.department.units
                 for l in u.basic_economic + [p.line for p in u.projects] + u.other if l.economic}
        assert len(used) > 5
        for kind, code in used:
            for n in ((3, 5, 7) if kind == "function" else (3, 5)):
                if n <= len(code):
                    assert code[:n] in names.catalogue.table(kind), (dept, year, code[:n])
        assert names.extra == {"function": {}, "economic": {}}  # no name came from the sources
    # before the import the packaged catalogue lacked some (names.not-in-catalogue), now none
    shutil.rmtree(office / "catalogue")
    assert "names.not-in-catalogue" in {p.code for p in load(discover(), "899", 2024).report.problems}


def test_a_code_that_changed_meaning_is_reported_at_import_and_by_check(office, tmp_path, capsys):
    # a fictional earlier year, as an office's own CSV: 30311 and 21007 named as they once were
    earlier = office / "2023.csv"
    earlier.write_text("科目编码,科目名称\n210,卫生健康支出\n21007,妇幼保健\n303,对个人和家庭的补助\n"
                       "30311,住房公积金\n30302,退休费\n", encoding="gbk")
    assert run(["catalogue", "import", "2023.csv", "--year", "2023"], capsys)[0] == 0
    code, out, _ = run(["catalogue", "import", BOOK, "--year", "2024"], capsys)
    assert code == 0
    block = out[out.index("与 2023 年的分类 catalogue/2023/ 相比："):out.index("已写入")].splitlines()
    assert block[1:] == [
        f"    功能分类：新增 {len(function_codes()) - 2} 个，不再有 0 个，名称改变 1 个：",
        "      21007 “妇幼保健” → “计划生育事务”",
        f"    经济分类：新增 {len(economic_codes()) - 3} 个，不再有 0 个，名称改变 1 个：",
        "      30311 “住房公积金” → “代缴社会保险费”"]
    # 897 books 1.20 of its 30101 as 30311 in 2024 (copied, say, from last year's sources)
    unit = office / "data" / "897" / "2024" / "897001.yaml"
    text = unit.read_text(encoding="utf-8")
    unit.write_text(text.replace('{code: "30101", amount: 96.40}',
                                 '{code: "30101", amount: 95.20}\n      - {code: "30311", amount: 1.20}'), encoding="utf-8")
    code, out, err = run(["check", "--dept", "897", "--year", "2024"], capsys)
    assert code == 0
    assert err.splitlines() == [
        "data/897/2024/897001.yaml:17:9: 警告[names.changed-meaning] 经济分类编码 30311 在 2023 年的分类中是 “住房公积金”，"
        "2024 年的分类中是 “代缴社会保险费”：可能只是改名，也可能是同一编码改作他用。请确认这里的支出属于 “代缴社会保险费”"
        "（沿用上年的数据时尤其要核对）。（字段：basic[0].economic[1]）"]


def test_a_code_the_imported_year_lacks_is_an_error(office, capsys):
    assert run(["catalogue", "import", BOOK, "--year", "2024"], capsys)[0] == 0
    # a name kept for a code no line uses any more, and that the year does not have
    department = office / "data" / "897" / "2024" / "department.yaml"
    department.write_text(department.read_text(encoding="utf-8") + '  "2081098": 旧的科目\n', encoding="utf-8")
    unit = office / "data" / "897" / "2024" / "897001.yaml"
    text = unit.read_text(encoding="utf-8")
    unit.write_text(text.replace('{code: "2081002", amount: 182.09}', '{code: "2081099", amount: 182.09}'), encoding="utf-8")
    code, _, err = run(["check", "--dept", "897", "--year", "2024"], capsys)
    assert code == 2
    assert ("data/897/2024/897001.yaml:14:9: 错误[names.not-in-year-catalogue] 功能分类编码 2081099 不在 2024 年的分类目录中"
            f"（catalogue/2024/function-classification.csv，由 budgetpub catalogue import 从 “{BOOK}” 导入）："
            "这一年没有这个编码，请核对。（字段：basic[0].function[0]）") in err.splitlines()
    assert ("data/897/2024/department.yaml:29:14: 错误[names.not-in-year-catalogue] 功能分类编码 2081098 不在 2024 年的分类目录中"
            f"（catalogue/2024/function-classification.csv，由 budgetpub catalogue import 从 “{BOOK}” 导入）："
            "这一年没有这个编码，请核对。（字段：function_names.2081098）") in err.splitlines()


# ------------------------------------------------------------------ errors: where, and nothing written

def _book(path: Path, rows: list[list], title: str = "部门预算支出经济分类科目") -> Path:
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_rows_that_cannot_be_read_are_errors_with_sheet_and_row_and_nothing_is_written(office, tmp_path, capsys):
    _book(office / "bad.xlsx", [
        ["2024年部门预算支出经济分类科目"],
        ["科目编码", "科目名称", "级次"],
        [301, "工资福利支出", "类"],
        [30101, "基本工资", "款"],
        [30102, None, "款"],                      # a code without a name
        [30101, "基本工资（岗位）", "款"],          # the same code named otherwise
        [3010101, "岗位工资", "项"],               # the economic classification has no 项
        ["30103", "奖金", "类"],                   # a level that is not the code's
        [30106, "伙食\u200b补助费", "款"],          # an invisible character
        [30107, "@SUM(A1)", "款"],                # what Excel would take for a formula
        [2010101, "行政运行", "项"],               # a function code in the economic sheet
        ["A01", "办公费", "款"],                   # not a code
    ])
    code, out, err = run(["catalogue", "import", "bad.xlsx", "--year", "2024"], capsys)
    assert code == 2
    where = "bad.xlsx（工作表“部门预算支出经济分类科目”）"
    assert err.splitlines() == [
        "导入失败，未写入任何文件：",
        f"{where}:5: 错误[import.row] 编码 30102 没有名称。",
        f"{where}:6: 错误[import.duplicate] 经济分类编码 30101 出现两次，名称不同：“基本工资” 和 “基本工资（岗位）”。",
        f"    另见 {where}:4",
        f"{where}:7: 错误[import.code] 经济分类编码应为 3、5 位，而 3010101 有 7 位。本地区自有的经济分类子目写在 "
        "catalogue/<年度>/local-economic-codes.csv 中，不导入。",
        f"{where}:8: 错误[import.row] C 列的级次 “类” 与编码 30103（5 位）不符。",
        f"{where}:9: 错误[import.row] 编码 30106 的名称含有看不见的字符 U+200B（控制、零宽或方向字符）：请删除它。",
        f"{where}:10: 错误[import.row] 编码 30107 的名称以 @ 开头（Excel 会把它当作公式）：“@SUM(A1)”。",
        f"{where}:11: 错误[import.kind] 工作表的名称或标题是部门预算支出经济分类，而编码 2010101 是功能分类的编码："
        "请检查是否选错了工作表或列。",
        f"{where}:12: 错误[import.row] A 列应是编码，而这里是 “A01”。",
        "共 8 个错误，0 个警告。"]
    assert out.startswith("读取 bad.xlsx：\n")  # what was read is still said
    assert not (office / "catalogue").exists()


def test_a_formula_is_never_run_its_saved_value_is_read(office, tmp_path, capsys):
    # Excel saves a formula with its last value; openpyxl cannot, so the value is put in by hand
    path = _book(office / "f.xlsx", [["科目编码", "科目名称"], [301, "工资福利支出"], ["=300+1&\"01\"", "基本工资"],
                                       ["=30102", "津贴补贴"]])
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    assert '<f>300+1&amp;"01"</f><v></v>' in sheet
    sheet = sheet.replace('<c r="A3"><f>300+1&amp;"01"</f><v></v>', '<c r="A3" t="str"><f>300+1&amp;"01"</f><v>30101</v>')
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    code, out, err = run(["catalogue", "import", "f.xlsx", "--year", "2024"], capsys)
    assert code == 2  # the second formula has no saved value
    assert err.splitlines()[1] == ("f.xlsx（工作表“部门预算支出经济分类科目”）:4: 错误[import.row] A 列是公式，但没有保存计算结果"
                                   "（请在 Excel 中打开、保存后再导入）。")
    sheet = sheet.replace('<c r="A4"><f>30102</f><v></v>', '<c r="A4"><f>30102</f><v>30102</v>')
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    code, out, err = run(["catalogue", "import", "f.xlsx", "--year", "2024"], capsys)
    assert code == 0, err
    assert "    2 行的编码或名称是公式，取 Excel 保存的计算结果（公式本身不执行）" in out.splitlines()
    assert [(r["code"], r["name"]) for r in written(office, 2024, "economic-classification.csv")] == [
        ("301", "工资福利支出"), ("30101", "基本工资"), ("30102", "津贴补贴")]


# ------------------------------------------------------------------ hostile files

def _zip(path: Path, entries: dict[str, bytes], **kw) -> Path:
    with zipfile.ZipFile(path, "w", **kw) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return path


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
     "错误[import.format] 这是旧版 Excel 文件（.xls，或 WPS 的 .et）：请在 Excel 或 WPS 中另存为 “Excel 工作簿（.xlsx）”或"
     "“CSV（逗号分隔）”，再导入。"),
    (lambda p: p.write_bytes(b"%PDF-1.4 not a workbook"),
     "错误[import.format] 这不是 Excel 工作簿（.xlsx）：可以导入 .xlsx、.xlsm 或 .csv 文件。"),
    (lambda p: p.write_bytes(b"PK\x03\x04 broken"), "错误[import.workbook] 文件已损坏，或不是 Excel（.xlsx）文件。"),
    (lambda p: _zip(p, {f"x/{i}.xml": b"" for i in range(2_001)}),
     "错误[import.workbook] 文件中的部件超过 2,000 个，不像是 Excel 写的工作簿。"),
    (lambda p: _zip(p, {"xl/worksheets/sheet1.xml": b"<a>" + b" " * (33 * 1024 * 1024) + b"</a>"},
                    compression=zipfile.ZIP_DEFLATED),
     "错误[import.workbook] 文件中的 xl/worksheets/sheet1.xml 解压后超过 32 MB，不像是分类科目表。"),
    (lambda p: _zip(p, {"xl/workbook.xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
                                           b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><workbook>&b;</workbook>'}),
     "错误[import.workbook] 工作簿的部件 xl/workbook.xml 含有 DTD 声明（<!DOCTYPE 或 <!ENTITY）：Excel 不写这种内容，"
     "文件可能被改动过，未读取。"),
    (lambda p: _zip(p, {"xl/workbook.xml": b"<workbook><sheets><sheet"}),
     "错误[import.workbook] 工作簿的部件 xl/workbook.xml 不是有效的 XML：文件已损坏。"),
])
def test_a_file_that_is_not_a_workbook_is_one_error(office, capsys, make, message):
    make(office / "x.xlsx")
    code, _, err = run(["catalogue", "import", "x.xlsx", "--year", "2024"], capsys)
    assert code == 2
    assert err.splitlines()[1:] == [f"x.xlsx: {message}", "共 1 个错误，0 个警告。"]
    assert not (office / "catalogue").exists()


def test_a_fifo_does_not_hang(office, tmp_path, capsys):
    os.mkfifo(office / "pipe.csv")
    code, _, err = run(["catalogue", "import", "pipe.csv", "--year", "2024"], capsys)
    assert code == 2
    assert "pipe.csv: 错误[import.unreadable] 无法读取这个文件：它不是普通文件（可能是管道或设备）。" in err


def test_huge_and_broken_csv_files_are_refused_with_their_line(office, tmp_path, capsys):
    (office / "many.csv").write_text("编码,名称\n" + "30101,基本工资\n" * 100_000, encoding="utf-8")
    code, _, err = run(["catalogue", "import", "many.csv", "--year", "2024"], capsys)
    assert (code, err.splitlines()[1]) == (2, "many.csv:100001: 错误[import.too-many-rows] 文件超过 100,000 行，不像是分类科目表："
                                              "请检查文件是否正确。")
    (office / "big.csv").write_bytes(b"x" * (20 * 1024 * 1024 + 1))
    code, _, err = run(["catalogue", "import", "big.csv", "--year", "2024"], capsys)
    assert (code, err.splitlines()[1]) == (2, "big.csv: 错误[import.too-large] 文件超过 20 MB，不像是分类科目表：请检查文件是否正确。")
    (office / "bytes.csv").write_bytes("编码,名称\n301,工资福利支出\n".encode("gbk") + b"302,\x80\xff\n")
    code, _, err = run(["catalogue", "import", "bytes.csv", "--year", "2024"], capsys)
    assert (code, err.splitlines()[1]) == (2, "bytes.csv:3: 错误[import.encoding] 第 3 行有既不是 UTF-8 也不是 GBK 的字节，"
                                              "无法读取：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或“CSV（逗号分隔）”。")
    (office / "long.csv").write_text("编码,名称\n301," + "长" * 5_000 + "\n", encoding="utf-8")
    code, _, err = run(["catalogue", "import", "long.csv", "--year", "2024"], capsys)
    assert (code, err.splitlines()[1]) == (2, f"long.csv:2: 错误[import.cell-too-long] 第 2 列超过 1,000 个字符，不是编码或名称："
                                              f"“{'长' * 30}…”。")
    assert not (office / "catalogue").exists()


def test_a_sheet_that_ends_a_million_rows_down_is_read_quickly(office, tmp_path, capsys):
    path = _book(office / "far.xlsx", [["科目编码", "科目名称"], [301, "工资福利支出"]])
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>尾</t></is></c></row></sheetData>'
    parts["xl/worksheets/sheet1.xml"] = sheet.replace("</sheetData>", far).encode()
    _zip(path, parts)
    code, out, _ = run(["catalogue", "import", "far.xlsx", "--year", "2024"], capsys)
    assert code == 0
    assert "    跳过 1 行：第 1048576 行 只在未读取的列中有文字（“尾”）" in out.splitlines()
    assert "    未读取的列：XFD" in out.splitlines()


def test_the_year_and_the_repository_are_checked(tmp_path, office, monkeypatch, capsys):
    assert run(["catalogue", "import", BOOK, "--year", "24"], capsys)[:2] == (2, "")
    monkeypatch.chdir(tmp_path)
    code, _, err = run(["catalogue", "import", BOOK, "--year", "2024"], capsys)
    assert code == 2 and err.startswith("错误：这里不是预算仓库")


# ------------------------------------------------------------------ a region's own economic codes

LOCAL = """code,name,standard
30290,护理用品费,30299
30291,被服购置费,30299
30292,消毒防疫费,30299
3020601,供暖用电,30206
3020602,其他用电,30206
"""


@pytest.fixture
def welfare_home(tmp_path, monkeypatch):
    """897 (the welfare home) in a repository whose catalogue has the region's own codes: three lines
    the standard merges into 30299, and 30206 电费 printed in two sub-items."""
    monkeypatch.delenv("BUDGETPUB_DATA", raising=False)
    repo = tmp_path / "home"
    shutil.copytree(DATA_ROOT / "897" / "2024", repo / "data" / "897" / "2024")
    (repo / "budgetpub.toml").write_text("", encoding="utf-8")
    (repo / "catalogue" / "2024").mkdir(parents=True)
    (repo / "catalogue" / "2024" / "local-economic-codes.csv").write_text(LOCAL, encoding="gbk")  # saved by Excel
    unit = repo / "data" / "897" / "2024" / "897001.yaml"
    text = unit.read_text(encoding="utf-8")
    text = text.replace('      - {code: "30206", amount: 12.00}\n',
                        '      - {code: "3020601", amount: 7.50}\n      - {code: "3020602", amount: 4.50}\n')
    text = text.replace('      - {code: "30299", amount: 11.80}\n', '      - {code: "30290", amount: 5.00}\n'
                        '      - {code: "30291", amount: 4.30}\n      - {code: "30292", amount: 2.50}\n')
    unit.write_text(text, encoding="utf-8")
    monkeypatch.chdir(repo)
    return repo


def test_local_codes_are_printed_as_the_region_prints_them(welfare_home, tmp_path, capsys):
    code, out, err = run(["generate", "--dept", "897", "--year", "2024", "--out", str(tmp_path / "897.docx"),
                          "--format", "docx,xlsx"], capsys)
    assert code == 0, err
    doc = read(tmp_path / "897.docx")
    t6 = [r[1:] for r in doc.body("单位预算一般公共预算财政拨款基本支出表")]
    assert t6 == [
        ["", "合计", "182.09", "149.09", "33.00"],
        ["301", "工资福利支出", "149.09", "149.09", ""],
        ["30101", "基本工资", "96.40", "96.40", ""],
        ["30102", "津贴补贴", "38.20", "38.20", ""],
        ["30108", "机关事业单位基本养老保险缴费", "14.49", "14.49", ""],
        ["302", "商品和服务支出", "33.00", "", "33.00"],
        ["30201", "办公费", "8.00", "", "8.00"],
        ["30206", "电费", "12.00", "", "12.00"],        # the standard 款, the sum of its sub-items
        ["3020601", "供暖用电", "7.50", "", "7.50"],
        ["3020602", "其他用电", "4.50", "", "4.50"],
        ["30207", "邮电费", "1.20", "", "1.20"],
        ["30290", "护理用品费", "5.00", "", "5.00"],     # the region's own 款, where 30299 would be
        ["30291", "被服购置费", "4.30", "", "4.30"],
        ["30292", "消毒防疫费", "2.50", "", "2.50"]]
    # 人员经费 and 公用经费 by the standard classes: the text says what it said before
    assert "人员经费149.09万元" in doc.text.replace(" ", "") and "公用经费33.00万元" in doc.text.replace(" ", "")
    from generator.verify import verify_path
    assert verify_path(tmp_path / "897.docx").ok
    import openpyxl
    sheet = openpyxl.load_workbook(tmp_path / "897.xlsx")["897 表6 一般公共预算财政拨款基本支出表"]
    codes = [row[1] for row in sheet.iter_rows(values_only=True) if row[1] and str(row[1]).startswith("30")]
    assert codes == ["301", "30101", "30102", "30108", "302", "30201", "30206", "3020601", "3020602", "30207",
                     "30290", "30291", "30292"]


def test_the_local_codes_file_may_be_written_in_chinese_in_excel(welfare_home, capsys):
    path = welfare_home / "catalogue" / "2024" / "local-economic-codes.csv"
    path.write_bytes(LOCAL.replace("code,name,standard", "编码,名称,对应标准款").encode("gbk"))
    assert run(["check", "--dept", "897", "--year", "2024"], capsys)[0] == 0


@pytest.mark.parametrize("line, message", [
    ("30201,办公用品费,30299", "30201 是标准科目 “办公费”，不能再定义为本地区的科目。"),
    ("30293,杂项,30298", "对应的标准款 30298 不在本年度的部门预算支出经济分类中。"),
    ("30193,杂项,30299", "地方科目 30193 与对应的标准款 30299 不在同一类（301 和 302）。"),
    ("3029901,杂项,30206", "5 位以上的本地区科目是标准款下的子目：3029901 应以其标准款 30206 开头。"),
    ("30290,护理用品,30299", "地方科目 30290 写了两次。"),
])
def test_a_local_code_must_map_to_a_standard_kuan_of_its_class(welfare_home, capsys, line, message):
    path = welfare_home / "catalogue" / "2024" / "local-economic-codes.csv"
    path.write_text(LOCAL + line + "\n", encoding="utf-8")
    code, _, err = run(["check", "--dept", "897", "--year", "2024"], capsys)
    assert code == 2
    assert err.splitlines()[:2] == ["897 2024 年预算数据有错误，未生成任何文件：",
                                    f"catalogue/2024/local-economic-codes.csv:7: 错误[catalogue.local] {message}"]


def test_a_broken_repository_catalogue_file_is_an_error_not_a_traceback(welfare_home, capsys):
    path = welfare_home / "catalogue" / "2024" / "local-economic-codes.csv"
    path.write_text("编码,名称\n30290,护理用品费\n", encoding="gbk")
    code, _, err = run(["check", "--dept", "897", "--year", "2024"], capsys)
    assert (code, err.splitlines()[1]) == (2, "catalogue/2024/local-economic-codes.csv:1: 错误[catalogue.columns] 第一行应是列名 "
                                              "code,name,standard，缺少 standard（或“对应标准款”）。（这一行是：编码,名称）")
    path.unlink()
    path.symlink_to(path.name)  # a link round to itself is an error, not the packaged catalogue instead
    code, _, err = run(["check", "--dept", "897", "--year", "2024"], capsys)
    assert (code, err.splitlines()[1]) == (2, "catalogue/2024/local-economic-codes.csv: 错误[catalogue.unreadable] 无法读取这个文件："
                                              "符号链接层数太多（可能是循环链接）。")
    path.unlink()
    os.mkfifo(path)
    code, _, err = run(["check", "--dept", "897", "--year", "2024"], capsys)
    assert (code, err.splitlines()[1]) == (2, "catalogue/2024/local-economic-codes.csv: 错误[catalogue.unreadable] 无法读取这个文件："
                                              "它不是普通文件（可能是管道或设备）。")
    path.unlink()
    (welfare_home / "catalogue" / "2024" / "economic-classification.csv").write_bytes(
        "code,name\n301,工资\x07福利支出\n".encode("gbk"))
    code, _, err = run(["check", "--dept", "897", "--year", "2024"], capsys)
    assert (code, err.splitlines()[1]) == (2, "catalogue/2024/economic-classification.csv:2: 错误[catalogue.character] name 列含有"
                                              "看不见的字符 U+0007（控制、零宽或方向字符）：请删除它。")


def test_a_catalogue_read_as_a_whole_raises_invalid_sources(tmp_path):
    folder = tmp_path / "catalogue" / "2024"
    folder.mkdir(parents=True)
    (folder / "expenditure-classes.csv").write_text("position,code,name\n一,201,一般公共服务支出\n", encoding="utf-8")
    with pytest.raises(InvalidSources) as exc:
        Catalogue.load(folder)
    assert [p.format() for p in exc.value.report.problems] == [
        f"{folder / 'expenditure-classes.csv'}:2: 错误[catalogue.position] position 列应为 1 到 999 的序号，而这里是 “一”。"]


# ------------------------------------------------------------------ the workbook as Excel and WPS write it

MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
PKG = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'


def test_the_parts_excel_writes_are_read_as_excel_shows_them(tmp_path):
    # written by hand: rich-text shared strings with a phonetic guide, an absolute relationship target,
    # a workbook part of another name, cells without references, a hidden sheet, and the cell types
    from generator.errors import Report
    from generator.repository.sheets import read_workbook
    _zip(tmp_path / "excel.xlsx", {
        "_rels/.rels": f'<Relationships {PKG}><Relationship Id="rId1" Type="officeDocument" Target="xl/book.xml"/>'
                       "</Relationships>".encode(),
        "xl/book.xml": f'<workbook {MAIN} {REL}><sheets><sheet name="经济分类" sheetId="1" r:id="rId1"/>'
                       f'<sheet name="备\u202e用" sheetId="2" state="hidden" r:id="rId2"/></sheets></workbook>'.encode(),
        "xl/_rels/book.xml.rels": f'<Relationships {PKG}><Relationship Id="rId1" Type="worksheet" '
                                  'Target="/xl/worksheets/a.xml"/><Relationship Id="rId2" Type="worksheet" '
                                  'Target="worksheets/b.xml"/><Relationship Id="rId3" Type="sharedStrings" '
                                  'Target="strings.xml"/></Relationships>'.encode(),
        "xl/strings.xml": f'<sst {MAIN}><si><t>科目编码</t></si><si><r><t>科目</t></r><r><rPr><b/></rPr><t>名称</t></r>'
                          '<rPh sb="0" eb="2"><t>かもく</t></rPh></si><si><t xml:space="preserve">　　基本工资 </t></si>'
                          "</sst>".encode(),
        "xl/worksheets/a.xml": f'<worksheet {MAIN}><sheetData><row r="1"><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row>'
                               '<row r="2"><c r="A2"><v>30101.0</v></c><c r="B2" t="s"><v>2</v></c></row>'
                               '<row r="3"><c r="A3" t="b"><v>1</v></c><c r="B3" t="e"><v>#N/A</v></c>'
                               '<c r="C3" t="d"><v>2024-01-01</v></c></row></sheetData></worksheet>'.encode(),
        "xl/worksheets/b.xml": f'<worksheet {MAIN}><sheetData/></worksheet>'.encode(),
    })
    report = Report()
    sheets = read_workbook(tmp_path / "excel.xlsx", "excel.xlsx", report)
    assert report.problems == []
    assert [(s.name, s.hidden) for s in sheets] == [("经济分类", False), ("备<U+202E>用", True)]  # nothing hides
    rows = dict(sheets[0].rows)
    assert [c.text for c in rows[1].values()] == ["科目编码", "科目名称"]  # the phonetic guide is not the text
    assert rows[2][1] == Cell("30101", number=True) and rows[2][2].text == "　　基本工资 "
    assert [c.problem for c in rows[3].values()] == ["是逻辑值（TRUE/FALSE），不是编码或名称", "是错误值 #N/A",
                                                     "是日期，不是编码或名称"]
    assert sheets[1].rows == []


SMALL = {"301": "工资福利支出", "30101": "基本工资", "30102": "津贴补贴", "302": "商品和服务支出", "30201": "办公费"}


@pytest.mark.parametrize("layout, rows", [
    ("编码 and 名称 only, no title", [["编码", "名称"], *[[c, n] for c, n in SMALL.items()]]),
    ("the 类 repeated on every row", [["类", "款", "科目名称"], ["301", None, "工资福利支出"], ["301", "01", "基本工资"],
                                    ["301", "02", "津贴补贴"], ["302", None, "商品和服务支出"], ["302", "01", "办公费"]]),
    ("code and name in one cell", [["科目编码"], ["[301]工资福利支出"], ["[30101]基本工资"], ["30102 津贴补贴"],
                                   ["【302】商品和服务支出"], ["30201　办公费"]]),
    ("名称 first, 编码 after, a 级次 of 一级/二级", [["科目名称", "科目代码", "科目级次"], ["工资福利支出", "301", "一级"],
                                               ["基本工资", "30101", "二级"], ["津贴补贴", "30102", "二级"],
                                               ["商品和服务支出", "302", "一级"], ["办公费", "30201", "二级"]]),
    ("the 对照表: 政府预算 beside 部门预算", [["政府预算经济分类", None, None, "部门预算经济分类"],
                                          ["科目编码", "科目名称", None, "科目编码", "科目名称"],
                                          ["501", "机关工资福利支出", None, "301", "工资福利支出"],
                                          ["50101", "工资奖金津补贴", None, "30101", "基本工资"],
                                          [None, None, None, "30102", "津贴补贴"],
                                          ["502", "机关商品和服务支出", None, "302", "商品和服务支出"],
                                          ["50201", "办公经费", None, "30201", "办公费"]]),
    ("full-width digits and spaces", [["编　码", "名　称"], ["３０１", "工资福利支出"], ["301 01", "基本工资"],
                                      ["301.02", "津贴\n补贴"], ["302", " 商品和服务支出 "], ["30201", "办公费"]]),
])
def test_the_layouts_of_other_offices(office, capsys, layout, rows):
    _book(office / "small.xlsx", rows, title="Sheet1")
    code, out, err = run(["catalogue", "import", "small.xlsx", "--year", "2024"], capsys)
    assert (code, err) == (0, ""), out
    assert {r["code"]: r["name"] for r in written(office, 2024, "economic-classification.csv")} == SMALL, layout


def test_in_an_administrative_unit_the_running_costs_name_them_and_add_up_by_standard_kuan(tmp_path, monkeypatch, capsys):
    # 304 (行政) with the region's own 30290 for what it books in 30299, and 30231 公务用车运行维护费 in two sub-items
    monkeypatch.delenv("BUDGETPUB_DATA", raising=False)
    monkeypatch.setenv("BUDGETPUB_SOFFICE", "/nonexistent")  # no layout needed: the text is read back
    repo = tmp_path / "bureau"
    shutil.copytree(DATA_ROOT / "304" / "2023", repo / "data" / "304" / "2023")
    (repo / "budgetpub.toml").write_text("", encoding="utf-8")
    (repo / "catalogue" / "2023").mkdir(parents=True)
    (repo / "catalogue" / "2023" / "local-economic-codes.csv").write_text(
        "code,name,standard\n30290,公务用餐费,30299\n3023101,公务用车燃油费,30231\n3023102,公务用车维修费,30231\n",
        encoding="utf-8")
    unit = repo / "data" / "304" / "2023" / "304001.yaml"
    text = unit.read_text(encoding="utf-8").replace('{code: "30299", amount: 3.45}', '{code: "30290", amount: 3.45}')
    unit.write_text(text.replace('{code: "30231", amount: 3.00}', '{code: "3023101", amount: 2.00}\n'
                                 '      - {code: "3023102", amount: 1.00}'), encoding="utf-8")
    monkeypatch.chdir(repo)
    code, _, err = run(["generate", "--dept", "304", "--year", "2023", "--out", str(tmp_path / "304.docx")], capsys)
    assert code == 0, err
    doc = read(tmp_path / "304.docx")
    running = doc.part("三、机关运行经费安排情况", "四、").splitlines()[1]
    assert running.startswith("2023年，我单位机关运行经费预算共计26.01万元，其中：办公费2.16万元、邮电费1.80万元、"
                              "公务移动通讯费用补贴5.00万元、工会经费1.14万元、福利费1.46万元、公务用车燃油费2.00万元、"
                              "公务用车维修费1.00万元、公务交通补贴8.00万元、公务用餐费3.45万元。")
    t6 = {r[1]: r[2:] for r in doc.body("部门预算一般公共预算财政拨款基本支出表")}
    assert (t6["30231"], t6["3023101"], t6["3023102"], t6["30290"]) == (
        ["公务用车运行维护费", "3.00", "", "3.00"], ["公务用车燃油费", "2.00", "", "2.00"],
        ["公务用车维修费", "1.00", "", "1.00"], ["公务用餐费", "3.45", "", "3.45"])
    assert "30299" not in t6 and t6[""][1:] == ["373.37", "347.36", "26.01"]


def test_a_sheet_of_more_rows_than_a_catalogue_has_is_refused(office, capsys):
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>30101</v></c></row>' for n in range(1, 100_002))
    _zip(office / "long.xlsx", {
        "xl/workbook.xml": f'<workbook {MAIN} {REL}><sheets><sheet name="表" sheetId="1" r:id="rId1"/></sheets></workbook>'.encode(),
        "xl/_rels/workbook.xml.rels": f'<Relationships {PKG}><Relationship Id="rId1" Type="worksheet" '
                                      'Target="worksheets/sheet1.xml"/></Relationships>'.encode(),
        "xl/worksheets/sheet1.xml": f"<worksheet {MAIN}><sheetData>{rows}</sheetData></worksheet>".encode()},
        compression=zipfile.ZIP_DEFLATED)
    code, _, err = run(["catalogue", "import", "long.xlsx", "--year", "2024"], capsys)
    assert (code, err.splitlines()[1]) == (2, "long.xlsx: 错误[import.workbook] 工作表“表”超过 100,000 行，不像是分类科目表。")


def test_a_classification_imported_in_part_is_pointed_out(office, capsys):
    (office / "part.csv").write_text("编码,名称\n301,工资福利支出\n30101,基本工资\n30301,离休费\n", encoding="utf-8")
    code, out, _ = run(["catalogue", "import", "part.csv", "--year", "2024"], capsys)
    assert code == 0
    notes = out[out.index("请注意：\n"):out.index("已写入")].splitlines()
    assert notes == [
        "请注意：",
        "  经济分类：随附目录中有、导入的文件中没有的类：302 商品和服务支出、303 对个人和家庭的补助、307 债务利息及费用支出、309 资本性支出（基本建设）、"
        "310 资本性支出、311 对企业补助（基本建设）、312 对企业补助、313 对社会保障基金补助。如果它们在另一个工作表或文件中，"
        "请一起导入（导入的分类是完整的：用到其中编码的数据 check 会报错）。",
        "  经济分类：上级科目不在文件中：30301（缺 303）。"]
