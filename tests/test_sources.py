"""Reading YAML: line numbers, exact amounts, and every YAML problem reported, never raised."""

from decimal import Decimal

import pytest
from sourcetree import DEPT, UNIT, at, error, tree  # noqa: F401 (tree is a fixture)

from generator.errors import Location, Report
from generator.sources.numbers import NumberForm
from generator.sources.reader import read_document


def read(tmp_path, text: str):
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    report = Report()
    return read_document(path, "x.yaml", report), report


def at_x(line, column, path):
    return Location("x.yaml", line, column, path)


# ---------------------------------------------------------------- plain data with positions

def test_amounts_are_decimals_from_the_text(tmp_path):
    doc, report = read(tmp_path, "a: 6.80\nb: 0.1\nc: 17\n")
    assert report.problems == []
    assert doc.data == {"a": Decimal("6.80"), "b": Decimal("0.1"), "c": 17}
    assert type(doc.data["a"]) is Decimal and str(doc.data["a"]) == "6.80"


def test_positions_and_raw_text(tmp_path):
    doc, _ = read(tmp_path, "# comment\ncode: 0304\nlist:\n  - {x: 1}\n")
    assert doc.data == {"code": NumberForm("0304"), "list": [{"x": 1}]}  # not octal 196: see numbers.py
    assert doc.raw[("code",)] == "0304"
    assert doc.loc(("code",)) == at_x(2, 7, "code")
    assert doc.key_loc(("code",)) == at_x(2, 1, "code")
    assert doc.loc(("list", 0, "x")) == at_x(4, 9, "list[0].x")
    # A path that does not exist is placed at its nearest ancestor.
    assert doc.loc(("list", 0, "y")) == at_x(4, 5, "list[0].y")


def test_empty_file_is_an_empty_mapping(tmp_path):
    doc, report = read(tmp_path, "# nothing yet\n")
    assert (doc.data, report.problems) == ({}, [])


def test_bom_and_crlf_are_accepted(tree):
    path = tree.dir / UNIT
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    _, _, report = tree.load()
    assert report.problems == []


# ---------------------------------------------------------------- YAML problems

def test_duplicate_key_names_both_lines(tree):
    tree.replace(UNIT, "rank: 正科级", "rank: 正科级\nrank: 副科级")
    assert tree.report().problems == [
        error("yaml.duplicate-key", "键 “rank” 在同一映射中出现了两次（第一次在第 6 行）。"
              "YAML 会悄悄只保留后一个值，请删除或合并其中一个。", at(UNIT, 7, 1, "rank"), at(UNIT, 6, 1, "rank"))]


def test_duplicate_key_in_a_flow_mapping(tree):
    tree.replace(UNIT, '{code: "30309", amount: 0.04}', '{code: "30309", amount: 0.04, amount: 0.05}')
    assert tree.report().problems == [
        error("yaml.duplicate-key", "键 “amount” 在同一映射中出现了两次（第一次在第 44 行）。"
              "YAML 会悄悄只保留后一个值，请删除或合并其中一个。",
              at(UNIT, 44, 39, "basic[0].economic[19].amount"), at(UNIT, 44, 25, "basic[0].economic[19].amount"))]


def test_merge_key(tree):
    tree.replace(UNIT, "    standard: {amount: 200, unit: 元}", "    <<: {amount: 200, unit: 元}")
    assert tree.report().problems == [
        error("yaml.merge-key", "不支持合并键 “<<”：请把字段直接写出来。", at(UNIT, 105, 5, "projects[0]"))]


def test_unsupported_tag(tree):
    tree.replace(UNIT, "rank: 正科级", "rank: !!binary 5q2j56eR57qn")
    assert tree.report().problems == [
        error("yaml.tag", "不支持的 YAML 标记 !!binary：预算数据只能是文字、数字、列表和映射。", at(UNIT, 6, 7, "rank"))]


def test_tag_that_cannot_be_read_is_reported_not_raised(tree):
    tree.replace(UNIT, "rank: 正科级", "rank: !!int 正科级")
    assert tree.report().problems == [
        error("yaml.tag", "“正科级” 不能按 YAML 标记 !!int 读取：请删去标记。", at(UNIT, 6, 7, "rank"))]


def test_set_tag_is_reported(tree):
    tree.replace(UNIT, "rank: 正科级", "rank: !!set {正科级}")
    assert tree.report().problems == [
        error("yaml.tag", "不支持的 YAML 标记 !!set：预算数据只能是文字、数字、列表和映射。", at(UNIT, 6, 7, "rank")),
        error("schema.type", "应为单位规格，如 正科级，而这里是 映射。", at(UNIT, 6, 7, "rank"))]


def test_complex_key(tree):
    tree.replace(UNIT, "rank: 正科级", "? [正, 科级]\n: 正科级")
    assert tree.report().problems == [
        error("yaml.complex-key", "键必须是简单的文字，不能是列表或映射。", at(UNIT, 6, 3, ""))]  # rank is optional


def test_recursive_alias_is_reported_not_raised(tree):
    tree.replace(UNIT, "rank: 正科级", "rank: &r [*r]")
    assert tree.report().problems == [
        error("yaml.recursive-alias", "别名（*）引用了包含它自己的内容，形成循环：请把内容直接写出来。",
              at(UNIT, 6, 7, "rank[0]")),
        error("schema.type", "应为单位规格，如 正科级，而这里是 列表。", at(UNIT, 6, 7, "rank"))]


def test_not_utf8(tree):
    path = tree.dir / UNIT
    text = path.read_text(encoding="utf-8")
    # Saved as GBK (the usual Windows encoding for Chinese): the first Chinese text is on line 1.
    path.write_bytes(text.encode("gbk"))
    assert tree.report().problems == [
        error("yaml.encoding", "文件不是 UTF-8 编码（第 1 行有不是 UTF-8 的字节），请另存为 UTF-8。", at(UNIT, 1))]


def test_not_utf8_names_the_line(tree):
    path = tree.dir / UNIT
    path.write_bytes(path.read_bytes().replace("正科级".encode("utf-8"), "正科级".encode("gbk")))
    assert tree.report().problems == [
        error("yaml.encoding", "文件不是 UTF-8 编码（第 6 行有不是 UTF-8 的字节），请另存为 UTF-8。", at(UNIT, 6))]


def test_control_character(tree):
    tree.replace(UNIT, "rank: 正科级", "rank: 正科级\x00")
    assert tree.report().problems == [
        error("yaml.syntax", "文件含有不允许的控制字符 #x0000，请删除。", at(UNIT, 6, 10))]


SYNTAX = [
    # (what is written instead of `rank: 正科级`, the message, line, column)
    ("\trank: 正科级", "这里有制表符（Tab）：YAML 只能用空格缩进", 6, 1),
    ("rank 正科级", "这一行缺少冒号：应写成“键: 值”（冒号后加空格）", 6, 1),
    ("rank: 级别: 正科", "这里不能再有“键: 值”：一行只能有一个冒号加空格，含“: ”的文字请加引号，或检查缩进", 6, 9),
    ("rank: @正科级", "“@” 不能作为值的开头：请给这个值加引号", 6, 7),
    (" rank: 正科级", "这一行的缩进与上文不一致，或引号后面还有多余的文字", 6, 2),
    ('rank: "正科" 级', "这一行的缩进与上文不一致，或引号后面还有多余的文字", 6, 12),
    ("rank: [正科级, 副科级", "从这里开始的括号没有用 “]” 结束，或两项之间缺少逗号", 6, 7),
    ("rank: *r", "别名 *r 前面没有定义（&r）", 6, 7),
]


@pytest.mark.parametrize("written, message, line, column", SYNTAX,
                         ids=["tab", "no-colon", "two-colons", "at-sign", "indent", "after-quote",
                              "unclosed-bracket", "undefined-alias"])
def test_syntax(tree, written, message, line, column):
    tree.replace(UNIT, "rank: 正科级", written)
    assert tree.report().problems == [
        error("yaml.syntax", f"YAML 语法错误：{message}。", at(UNIT, line, column))]


def test_unclosed_quote_is_placed_where_the_quote_opens(tree):
    tree.append(UNIT, 'other_matters: "未完\n')
    assert tree.report().problems == [
        error("yaml.syntax", "YAML 语法错误：从这里开始的引号到文件末尾都没有结束：请补上另一半引号。", at(UNIT, 192, 16))]


def test_second_document(tree):
    tree.append(UNIT, "---\ncode: \"304002\"\n")
    assert tree.report().problems == [
        error("yaml.syntax", "YAML 语法错误：一个文件只能有一份数据：请删去多余的 “---”。", at(UNIT, 192, 1))]


def test_syntax_error_in_the_department_file(tree):
    tree.replace(DEPT, "year: 2023", "year 2023")
    assert tree.report().problems == [
        error("yaml.syntax", "YAML 语法错误：这一行缺少冒号：应写成“键: 值”（冒号后加空格）。", at(DEPT, 4, 1))]


def test_a_line_that_broke_a_block_is_named_too(tmp_path):
    # `    function:` typed as `9   function:` ends the list of basic expenditure; PyYAML stops two lines
    # later, and the report also names the line whose indentation dropped (found by the property test)
    from generator.errors import Location, Report
    from generator.sources.reader import read_document
    path = tmp_path / "777001.yaml"
    path.write_text('code: "777001"\nbasic:\n  - fund: 一般公共预算拨款\n9   function:\n'
                    '      - {code: "2010301", amount: 0.01}\n    economic:\n      - {code: "30101", amount: 0.01}\n',
                    encoding="utf-8")
    report = Report()
    assert read_document(path, "777001.yaml", report) is None
    [problem] = report.problems
    assert (problem.code, problem.location, problem.related) == (
        "yaml.syntax", Location("777001.yaml", 6, 5), (Location("777001.yaml", 4, 1),))


# ---------------------------------------------------------------- slips a clerk makes, and what to write instead

def test_a_full_width_colon_is_named_as_such(tree):
    tree.replace(UNIT, "rank: 正科级", "rank：正科级")
    assert tree.report().problems == [
        error("yaml.syntax", "YAML 语法错误：这一行的冒号是全角的“：”：键和值之间要用半角冒号加空格，写成“rank: …”。",
              at(UNIT, 6, 1))]


def test_a_full_width_colon_inside_a_mapping_says_so_too(tree):
    tree.replace(UNIT, "  一般公共预算拨款: 812.32", "  一般公共预算拨款：812.32")
    (problem,) = tree.report().problems
    assert problem.code == "schema.type" and problem.message.endswith(
        "冒号是全角的“：”：键和值之间要用半角冒号加空格，写成“一般公共预算拨款: …”。")


def test_a_text_starting_with_braces_must_be_quoted(tree):
    tree.replace(UNIT, "      target: 1.目标内容1负责机关", "      target: {{ 项目支出 }}负责机关")
    (problem,) = tree.report().problems
    assert problem.code == "yaml.syntax" and "以 {{ 开头的文字要整个加引号" in problem.message
    assert "target: \"{{ …\"" in problem.message and problem.location.line == 175


def test_a_comma_inside_braces_is_not_an_unknown_field(tree):
    tree.replace(UNIT, '{code: "30101", amount: 60.00}', '{code: "30101", amount: 6,0.00}')
    assert tree.report().problems == [
        error("schema.unknown", "“0.00” 不是字段：在 {…} 中逗号用来分隔字段，金额中的千分位逗号把金额拆开了。"
              "金额不写逗号，如 amount: 1234.00。", at(UNIT, 25, 35, "basic[0].economic[0].0.00"))]


@pytest.mark.parametrize("written, hint", [
    ('"812.32"', "金额不加引号（加了引号就成了文字）：写成 812.32。"),
    ("812.32万元", "金额只写数字（单位由 department.yaml 的 money_unit 决定）：写成 812.32。"),
    ("1,812.32", "数字中不能有千位分隔符（逗号）。请只用数字、负号和小数点写成十进制数，如 1812.32。")])
def test_an_amount_written_as_text_says_how_to_write_it(tree, written, hint):
    tree.replace(UNIT, "  一般公共预算拨款: 812.32", f"  一般公共预算拨款: {written}")
    (problem,) = tree.report().problems
    assert problem.code == "schema.type" and problem.message.endswith(hint)
