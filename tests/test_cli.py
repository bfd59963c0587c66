"""The command line: exit codes, Chinese messages on stderr, no traceback, nothing written on error."""

import re

import pytest
from sourcetree import UNIT, tree  # noqa: F401 (tree is a fixture)

from generator.cli import main


@pytest.fixture(autouse=True)
def no_data_env(monkeypatch):
    monkeypatch.delenv("BUDGETPUB_DATA", raising=False)


def files_under(path):
    return sorted(str(p.relative_to(path)) for p in path.rglob("*"))


def test_check_prints_the_main_totals(capsys):
    assert main(["--dept", "304", "--year", "2023", "--check"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "保定市莲池区工业和信息化局（304）2023年部门预算：校验通过。" in out
    for label, value in [("收入合计", "812.32"), ("人员经费", "347.36"), ("公用经费", "26.01"),
                         ("项目支出", "438.95")]:
        assert re.search(rf"^\s*{label}\s+{re.escape(value)} 万元$", out, re.M), (label, out)


def test_check_prints_warnings_on_stderr(tree, capsys, monkeypatch):
    monkeypatch.chdir(tree.root.parent)  # paths are shown relative to where the user stands
    tree.write("304002.yml", "code: \"304002\"\n")
    assert main(["--dept", "304", "--year", "2023", "--check", "--data", str(tree.root)]) == 0
    out, err = capsys.readouterr()
    assert err == "data/304/2023/304002.yml: 警告[files.ignored] 扩展名不是 .yaml 的文件不会被读取。\n"
    assert "校验通过" in out


def test_broken_sources_exit_2_with_the_report_and_write_nothing(tree, tmp_path, monkeypatch, capsys):
    tree.replace(UNIT, '{code: "30309", amount: 0.04}', '{code: "30309", amount: 0.041}')
    tree.replace(UNIT, "  一般公共预算拨款: 812.32", "  一般预算: 812.32")
    monkeypatch.chdir(tmp_path)
    before = files_under(tmp_path)
    assert main(["--dept", "304", "--year", "2023", "--data", str(tree.root)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "304 2023 年预算数据有错误，未生成任何文件：\n"
        "data/304/2023/304001.yaml:11:3: 错误[schema.allowed] “一般预算” 不是允许的值。允许的值："
        "一般公共预算拨款、政府性基金预算拨款、国有资本经营预算拨款、财政专户管理资金、事业收入、事业单位经营收入、"
        "上级补助收入、附属单位上缴收入、其他收入、单位资金。（字段：income.一般预算）\n"
        "data/304/2023/304001.yaml:44:33: 错误[schema.decimals] 金额最多 2 位小数，而这里是 0.041。"
        "（字段：basic[0].economic[19].amount）\n"
        "共 2 个错误，0 个警告。\n")
    assert "Traceback" not in err
    assert files_under(tmp_path) == before


def test_cross_check_error_shows_both_sides(tree, capsys, monkeypatch):
    monkeypatch.chdir(tree.root.parent)
    tree.replace(UNIT, "  一般公共预算拨款: 812.32", "  一般公共预算拨款: 813.32")
    assert main(["--dept", "304", "--year", "2023", "--check", "--data", str(tree.root)]) == 2
    _, err = capsys.readouterr()
    assert ("data/304/2023/304001.yaml:11:13: 错误[income.disagrees] 一般公共预算拨款：本年收入 813.32 万元，"
            "由它安排的支出合计 812.32 万元，相差 1.00 万元。（字段：income.一般公共预算拨款）\n"
            "    另见 data/304/2023/304001.yaml:17:9（字段：basic[0].function[0]）\n") in err


def test_dept_must_be_a_code_not_a_path(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["--dept", "../304", "--year", "2023", "--check"]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", "错误：--dept 应为部门编码（数字），如 304，而不是 “../304”。\n")
    assert files_under(tmp_path) == []


def test_missing_department(tree, capsys):
    assert main(["--dept", "999", "--year", "2023", "--check", "--data", str(tree.root)]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", f"错误：找不到部门 999 2023 年的预算数据目录：{tree.root / '999' / '2023'}\n")


def test_missing_year(tree, capsys):
    assert main(["--dept", "304", "--year", "2024", "--check", "--data", str(tree.root)]) == 2
    _, err = capsys.readouterr()
    assert err == f"错误：找不到部门 304 2024 年的预算数据目录：{tree.root / '304' / '2024'}\n"
