"""Every schema rule and cross-check: a minimal broken copy of data/304/2023 and the exact problem.

Each test states the problem as the finance officer reads it: the code, the
Chinese message, file:line:column of the offending YAML node, the field path
and, for a cross-check, the other side. ``report.problems == [...]`` also
proves that the one edit causes nothing else.
"""

from decimal import Decimal

import pytest
from sourcetree import DEPT, UNIT, Tree, at, error, tree, warning  # noqa: F401 (tree is a fixture)

from generator.errors import InvalidSources, SourcesNotFound

UNIT_FIELDS = ("code、name、nature、rank、funding_form、income、income_details、carryover、basic、projects、project_spending、"
               "other_expenditure、running_costs、running_costs_stated、sangong、procurement、procurement_summary、assets、"
               "prior_year、texts")
FUNDS = ("一般公共预算拨款、政府性基金预算拨款、国有资本经营预算拨款、财政专户管理资金、事业收入、"
         "事业单位经营收入、上级补助收入、附属单位上缴收入、其他收入、单位资金")

# A second unit of the department, valid on its own.
UNIT2 = """code: "304002"
name: 保定市莲池区工业和信息化局下属事业单位
nature: 事业
rank: 股级
funding_form: 财政拨款
income: {}
prior_year: {basic: 0, project: 0}
sangong: {current: [], prior_year: {}}
procurement: []
assets: {none: true}
carryover: {none: true}
"""

PROCUREMENT = """procurement:
  - {project: 综合业务费, item: 台式计算机, catalogue_no: A02010104, measure: 集中采购, quantity: 2, unit_price: 0.50, funds: {一般公共预算拨款: 1.00}, fixed_asset: true, sme_reserved: 0.40}
"""

OTHER = """other_expenditure:
  - {kind: 经营支出, function: "2150501", fund: 一般公共预算拨款, amount: 1.00}
"""


# ---------------------------------------------------------------- the example is valid

def test_example_has_no_errors_and_no_warnings(tree):
    dept, names, report = tree.load()
    assert report.problems == []
    assert (dept.code, dept.year, [u.code for u in dept.units]) == ("304", 2023, ["304001"])


# ---------------------------------------------------------------- schema rules

def test_required(tree):
    tree.replace(UNIT, "name: 保定市莲池区工业和信息化局本级\n", "")
    # A missing field is shown where its mapping begins (line 3: the comments come first).
    assert tree.report().problems == [
        error("schema.required", "缺少必填字段 “name”。", at(UNIT, 3, 1, "name"))]


def test_unit_attributes_are_optional(tree):
    # 单位规格 and 经费保障形式 are printed where given (a column no unit gives is left out: tests/test_levels.py)
    tree.replace(UNIT, "rank: 正科级            # 单位规格\n", "").replace(UNIT, "funding_form: 财政拨款  # 经费保障形式\n", "")
    _, _, report = tree.load()
    assert report.problems == []


def test_unknown_top_level_field_points_at_the_key(tree):
    tree.replace(UNIT, "rank: 正科级            # 单位规格\n", "rank: 正科级\nremark: 无\n")
    assert tree.report().problems == [
        error("schema.unknown", f"未知字段 “remark”，可能拼写有误。此处允许的字段：{UNIT_FIELDS}。",
              at(UNIT, 7, 1, "remark"))]


def test_unknown_field_in_a_list_row(tree):
    tree.replace(UNIT, '{code: "2080505", amount: 20.00}', '{code: "2080505", amount: 20.00, note: 养老}')
    assert tree.report().problems == [
        error("schema.unknown", "未知字段 “note”，可能拼写有误。此处允许的字段：code、name、amount。",
              at(UNIT, 18, 42, "basic[0].function[1].note"))]


def test_misspelt_field_reports_both_the_unknown_and_the_missing(tree):
    tree.replace(UNIT, "name: 保定市莲池区工业和信息化局本级", "nmae: 保定市莲池区工业和信息化局本级")
    assert tree.report().problems == [
        error("schema.required", "缺少必填字段 “name”。", at(UNIT, 3, 1, "name")),
        error("schema.unknown", f"未知字段 “nmae”，可能拼写有误。此处允许的字段：{UNIT_FIELDS}。",
              at(UNIT, 4, 1, "nmae"))]


def test_dependency(tree):
    tree.replace(UNIT, "    quantity: {count: 300, unit: 人}\n", "")
    assert tree.report().problems == [
        error("schema.dependency", "写了 “standard” 就必须同时写 “quantity”。",
              at(UNIT, 104, 15, "projects[0].standard"))]


def test_null(tree):
    tree.replace(UNIT, "name: 保定市莲池区工业和信息化局本级", "name:")
    assert tree.report().problems == [
        error("schema.null", "不能为空值，请填写内容或删除这一行。", at(UNIT, 4, 6, "name"))]


def test_empty_string(tree):
    tree.replace(UNIT, "name: 保定市莲池区工业和信息化局本级", 'name: ""')
    assert tree.report().problems == [error("schema.empty", "不能为空。", at(UNIT, 4, 7, "name"))]


def test_empty_list(tree):
    start = "      indicators:\n        - {level1: 产出指标, level2: 数量指标, level3: 各项工作完成率"
    text = tree.text(UNIT)
    rows = text[text.index(start):]
    tree.replace(UNIT, rows, "      indicators: []\n")
    assert tree.report().problems == [
        error("schema.empty", "不能为空。", at(UNIT, 176, 19, "projects[4].performance.indicators"))]


def test_type_mapping_expected(tree):
    tree.replace(UNIT, "income:\n  一般公共预算拨款: 812.32", "income: 812.32")
    assert tree.report().problems == [
        error("schema.type", "应为映射（“键: 值”的形式），而这里是 812.32。", at(UNIT, 10, 9, "income"))]


def test_type_of_a_code_says_which_code_to_write(tree):
    """A list where one code is wanted: the message names the code and gives an example."""
    tree.replace(UNIT, "    amount: 6.00\n", "    amount: 6.00\n    economic: [{code: \"30299\", amount: 6.00}]\n")
    (problem,) = tree.report().problems
    assert problem.code == "schema.type" and problem.location.path == "projects[0].economic"
    assert problem.message.startswith('应为5 位经济分类款级编码，如 "30101"'), problem.message


def test_type_amount_expected(tree):
    tree.replace(UNIT, "    amount: 6.00\n", "    amount: 6,00\n")
    assert tree.report().problems == [
        error("schema.type", "金额写成了 “6,00”：小数点不能写成逗号。请只用数字、负号和小数点写成十进制数，如 6.00。",
              at(UNIT, 103, 13, "projects[0].amount"))]


def test_type_boolean_expected(tree):
    tree.replace(UNIT, "    amount: 6.00\n", "    amount: 6.00\n    carryover: 是\n")
    assert tree.report().problems == [
        error("schema.type", "应为true 或 false，而这里是 “是”。", at(UNIT, 104, 16, "projects[0].carryover"))]


def test_type_top_level_must_be_a_mapping(tree):
    tree.write(UNIT, "- 304001\n")
    assert tree.report().problems == [
        error("schema.type", "文件的顶层应为映射（“键: 值”的形式）。", at(UNIT, 1, 1, ""))]


def test_unquoted_code_0304_is_not_read_as_a_number(tree):
    tree.replace(DEPT, 'code: "304"', "code: 0304")
    assert tree.report().problems == [
        error("schema.unquoted",
              '应为加引号的文字，请写成 "0304"。未加引号的 0304 是一个写法有歧义的数'
              "（以 0 开头的数有歧义（有的 YAML 工具会把它读成 196））。",
              at(DEPT, 2, 7, "code"))]


def test_unquoted_function_code(tree):
    tree.replace(UNIT, '    function: "2050399"', "    function: 2050399")
    assert tree.report().problems == [
        error("schema.unquoted",
              '应为加引号的文字，请写成 "2050399"。未加引号时 YAML 把 2050399 读成了整数 2050399'
              "（例如 0304 会被读成八进制数 196，2050399 会被读成整数）。",
              at(UNIT, 155, 15, "projects[3].function"))]


def test_unquoted_yes_is_text(tree):
    # YAML 1.2 core: yes, no, on and off are words (YAML 1.1 made them booleans)
    tree.replace(UNIT, "rank: 正科级", "rank: yes")
    department, _, report = tree.load()
    assert department.units[0].rank == "yes" and report.errors == []


def test_format_of_a_function_code(tree):
    tree.replace(UNIT, '{code: "2080501"', '{code: "208050"')
    assert tree.report().problems == [
        error("schema.format", '“208050” 格式不对，应为7 位功能分类项级编码，如 "2080501"。',
              at(UNIT, 17, 16, "basic[0].function[0].code"))]


def test_format_of_a_code_used_as_a_key(tree):
    # 4 digits is neither a 类 (3), a 款 (5) nor a 项 (7).
    tree.replace(DEPT, 'code: "304"', 'code: "304"\nfunction_names: {"2089": 其他}')
    assert tree.report().problems == [
        error("schema.format", "“2089” 格式不对，应为3、5 或 7 位功能分类编码。",
              at(DEPT, 3, 18, "function_names.2089"))]


def test_allowed_value(tree):
    tree.replace(UNIT, "fund: 一般公共预算拨款\n    function:", "fund: 一般预算\n    function:")
    assert tree.report().problems == [
        error("schema.allowed", f"“一般预算” 不是允许的值。允许的值：{FUNDS}。", at(UNIT, 15, 11, "basic[0].fund"))]


def test_allowed_key_points_at_the_key(tree):
    tree.replace(UNIT, "  一般公共预算拨款: 812.32", "  一般预算: 812.32")
    assert tree.report().problems == [
        error("schema.allowed", f"“一般预算” 不是允许的值。允许的值：{FUNDS}。", at(UNIT, 11, 3, "income.一般预算"))]


def test_min_negative_amount(tree):
    tree.replace(UNIT, '{code: "30309", amount: 0.04}', '{code: "30309", amount: -0.04}')
    assert tree.report().problems == [
        error("schema.min", "-0.04 小于允许的最小值 0：金额和数量不能为负数。",
              at(UNIT, 44, 33, "basic[0].economic[19].amount"))]


def test_min_year(tree):
    tree.replace(DEPT, "year: 2023", "year: 1999")
    assert tree.report().problems == [
        error("schema.min", "1999 小于允许的最小值 2000。", at(DEPT, 4, 7, "year"))]


def test_max_year(tree):
    tree.replace(DEPT, "year: 2023", "year: 2200")
    assert tree.report().problems == [
        error("schema.max", "2200 大于允许的最大值 2100。", at(DEPT, 4, 7, "year"))]


def test_max_amount_instead_of_a_decimal_overflow(tree):
    tree.replace(UNIT, '{code: "30309", amount: 0.04}', '{code: "30309", amount: 12345678901234567890123456789012.5}')
    assert tree.report().problems == [
        error("schema.max", "12345678901234567890123456789012.5 大于允许的最大值 1000000000000。",
              at(UNIT, 44, 33, "basic[0].economic[19].amount"))]


def test_three_decimals_rejected(tree):
    tree.replace(UNIT, '{code: "30309", amount: 0.04}', '{code: "30309", amount: 0.041}')
    assert tree.report().problems == [
        error("schema.decimals", "金额最多 2 位小数，而这里是 0.041。",
              at(UNIT, 44, 33, "basic[0].economic[19].amount"))]


def test_trailing_zeros_are_not_decimals(tree):
    # 6.800 is 6.80: the rule is about the value, not how many zeros were typed.
    tree.replace(UNIT, '{code: "30207", amount: 6.80}', '{code: "30207", amount: 6.800}')
    _, _, report = tree.load()
    assert report.problems == []


def test_amounts_are_exact_decimals(tree):
    # In binary floating point 0.1 + 0.2 != 0.3; the two views of this group agree only if
    # amounts stay the Decimal written in the YAML text.
    tree.replace(UNIT, "income:\n  一般公共预算拨款: 812.32", "income:\n  一般公共预算拨款: 812.32\n  其他收入: 0.3")
    tree.replace(UNIT, "basic:\n", 'basic:\n  - fund: 其他收入\n    function:\n      - {code: "2150501", amount: 0.3}\n'
                 '    economic:\n      - {code: "30201", amount: 0.1}\n      - {code: "30299", amount: 0.2}\n')
    dept, _, report = tree.load()
    assert report.problems == []
    economic = [line.amount for line in dept.units[0].basic_economic if line.fund == "其他收入"]
    assert economic == [Decimal("0.1"), Decimal("0.2")]
    assert all(type(a) is Decimal for a in economic)
    assert sum(economic) == Decimal("0.3")


# ---------------------------------------------------------------- code names

def test_name_contradicts_catalogue(tree):
    tree.replace(UNIT, '{code: "2080802", amount: 4.00}', '{code: "2080802", name: 伤残, amount: 4.00}')
    assert tree.report().problems == [
        error("names.contradicts-catalogue",
              "功能分类编码 2080802 在分类目录中的名称是 “伤残抚恤”，来源写的是 “伤残”。请改正名称，或删去名称由目录提供。",
              at(UNIT, 19, 33, "basic[0].function[2].name"))]


def test_name_not_in_catalogue_is_a_warning(tree):
    tree.replace(UNIT, '{code: "2080802", amount: 4.00}', '{code: "2080899", name: 其他抚恤, amount: 4.00}')
    _, names, report = tree.load()
    assert report.problems == [
        warning("names.not-in-catalogue",
                "功能分类编码 2080899 不在分类目录中（目录不完整），使用来源中的名称 “其他抚恤”。"
                "请确认编码和名称与当年《政府收支分类科目》一致。",
                at(UNIT, 19, 33, "basic[0].function[2].name"))]
    assert names.get("function", "2080899") == "其他抚恤"


def test_name_conflict(tree):
    tree.replace(UNIT, '{code: "2080802", amount: 4.00}', '{code: "2080899", name: 其他抚恤, amount: 4.00}')
    tree.replace(UNIT, '    function: "2050399"', '    function: "2080899"\n    function_name: 别的抚恤')
    problems = tree.report().problems
    assert [p.code for p in problems] == ["names.not-in-catalogue", "names.conflict"]
    assert problems[1] == error(
        "names.conflict", "功能分类编码 2080899 在来源中有两个不同的名称：“其他抚恤” 和 “别的抚恤”。",
        at(UNIT, 156, 20, "projects[3].function_name"), at(UNIT, 19, 33, "basic[0].function[2].name"))


def test_unknown_code(tree):
    tree.replace(UNIT, '{code: "2080802", amount: 4.00}', '{code: "2080899", amount: 4.00}')
    assert tree.report().problems == [
        error("names.unknown-code",
              "功能分类编码 2080899 不在分类目录中，来源也没有给出名称。请核对编码，或在该行写明名称"
              "（上级科目写在 department.yaml 的 function_names 中）。",
              at(UNIT, 19, 9, "basic[0].function[2]"))]


def test_unknown_parent_code(tree):
    # The 项 is named in the source, its 款 20199 is known nowhere.
    tree.replace(UNIT, '{code: "2080802", amount: 4.00}', '{code: "2019901", name: 测试项, amount: 4.00}')
    problems = tree.report().problems
    assert [p.code for p in problems] == ["names.not-in-catalogue", "names.unknown-code"]
    assert problems[1] == error(
        "names.unknown-code",
        "功能分类编码 20199（2019901 的款级）不在分类目录中，来源也没有给出名称。请核对编码，或在该行写明名称"
        "（上级科目写在 department.yaml 的 function_names 中）。",
        at(UNIT, 19, 9, "basic[0].function[2]"))


def test_not_a_class(tree):
    tree.replace(DEPT, 'code: "304"', 'code: "304"\nfunction_names: {"999": 测试类, "99901": 测试款}')
    tree.replace(UNIT, '{code: "2080802", amount: 4.00}', '{code: "9990101", name: 测试项, amount: 4.00}')
    problems = tree.report().problems
    assert [p.code for p in problems] == ["names.not-in-catalogue"] * 3 + ["names.not-a-class"]
    assert problems[3] == error("names.not-a-class", "功能分类 9990101 的类级 999 不在收支总表的 31 个支出类别中。",
                                at(UNIT, 19, 9, "basic[0].function[2]"))


# ---------------------------------------------------------------- units

def test_unit_code_differs_from_file_name(tree):
    tree.replace(UNIT, 'code: "304001"', 'code: "304002"')
    assert tree.report().problems == [
        error("unit.file-name", "单位编码 “304002” 与文件名 “304001.yaml” 不一致：每个单位一个文件，文件名是单位编码。",
              at(UNIT, 3, 7, "code"))]


def test_unit_code_prefix(tree):
    text = tree.text(UNIT).replace('code: "304001"', 'code: "305001"')
    tree.remove(UNIT).write("305001.yaml", text)
    assert tree.report().problems == [
        error("unit.code-prefix", "单位编码 “305001” 应为部门编码 304 加 3 位或更多位数字，如 304001。",
              at("305001.yaml", 3, 7, "code"))]


def test_unit_code_length(tree):
    tree.write("3040002.yaml", UNIT2.replace('code: "304002"', 'code: "3040002"'))
    assert tree.report().problems == [
        error("unit.code-length", "单位编码 “3040002” 有 7 位，本部门其他单位的编码有 6 位（如 “304001”）："
              "同一部门的单位编码位数须相同。", at("3040002.yaml", 1, 7, "code"), at(UNIT, 3, 7, "code"))]


def test_unit_duplicate_name(tree):
    tree.write("304002.yaml", UNIT2.replace("保定市莲池区工业和信息化局下属事业单位", "保定市莲池区工业和信息化局本级"))
    assert tree.report().problems == [
        error("unit.duplicate-name", "单位名称 “保定市莲池区工业和信息化局本级” 重复。",
              at("304002.yaml", 2, 7, "name"), at(UNIT, 4, 7, "name"))]


def test_second_unit_is_valid(tree):
    tree.write("304002.yaml", UNIT2)
    dept, _, report = tree.load()
    assert report.problems == [] and [u.code for u in dept.units] == ["304001", "304002"]


# ---------------------------------------------------------------- basic expenditure

def test_basic_duplicate_code(tree):
    tree.replace(UNIT, '{code: "30305", amount: 1.00}', '{code: "30302", amount: 1.00}')
    assert tree.report().problems == [
        error("basic.duplicate-code", "编码 30302 在同一组基本支出中出现两次：请合并为一行。",
              at(UNIT, 43, 16, "basic[0].economic[18].code"), at(UNIT, 41, 16, "basic[0].economic[16].code"))]


def test_basic_views_disagree(tree):
    tree.replace(UNIT, '{code: "30309", amount: 0.04}', '{code: "30309", amount: 0.05}')
    assert tree.report().problems == [
        error("basic.views-disagree",
              "基本支出（一般公共预算拨款）两种口径不一致：按功能分类合计 373.37 万元，按经济分类合计 373.38 万元，相差 0.01 万元。",
              at(UNIT, 17, 9, "basic[0].function[0]"), at(UNIT, 25, 9, "basic[0].economic[0]"))]


def test_fiscal_money_for_other_expenditure(tree):
    tree.replace(UNIT, "  一般公共预算拨款: 812.32", "  一般公共预算拨款: 813.32").append(UNIT, OTHER)
    assert tree.report().problems == [
        error("expenditure.fiscal-other", "经营支出不能由一般公共预算拨款安排：财政拨款只用于基本支出和项目支出。",
              at(UNIT, 193, 5, "other_expenditure[0]"))]


def test_other_expenditure_from_own_income_is_fine(tree):
    tree.replace(UNIT, "  一般公共预算拨款: 812.32", "  一般公共预算拨款: 812.32\n  事业收入: 1.00")
    tree.append(UNIT, OTHER.replace("一般公共预算拨款", "事业收入"))
    _, _, report = tree.load()
    assert report.problems == []


# ---------------------------------------------------------------- income and carry-over

def test_income_disagrees(tree):
    tree.replace(UNIT, "  一般公共预算拨款: 812.32", "  一般公共预算拨款: 813.32")
    assert tree.report().problems == [
        error("income.disagrees", "一般公共预算拨款：本年收入 813.32 万元，由它安排的支出合计 812.32 万元，相差 1.00 万元。",
              at(UNIT, 11, 13, "income.一般公共预算拨款"), at(UNIT, 17, 9, "basic[0].function[0]"))]


def test_income_missing_for_spending(tree):
    tree.append(UNIT, OTHER.replace("一般公共预算拨款", "事业收入"))
    assert tree.report().problems == [
        error("income.disagrees", "事业收入：本年收入 0.00 万元，由它安排的支出合计 1.00 万元，相差 1.00 万元。",
              at(UNIT, 11, 3, "income"), at(UNIT, 193, 5, "other_expenditure[0]"))]


def test_carryover_disagrees(tree):
    tree.append(UNIT, "carryover:\n  in: {一般公共预算拨款: 5.00}\n")
    assert tree.report().problems == [
        error("carryover.disagrees",
              "一般公共预算拨款：上年结转结余 5.00 万元 减年终结转结余 0.00 万元，应等于用上年结转安排的支出 0.00 万元。",
              at(UNIT, 193, 18, "carryover.in.一般公共预算拨款"))]


def test_carryover_spent_on_a_project(tree):
    tree.replace(UNIT, "  一般公共预算拨款: 812.32", "  一般公共预算拨款: 805.32")
    tree.replace(UNIT, "    amount: 7.00\n", "    amount: 7.00\n    carryover: true\n")
    tree.append(UNIT, "carryover:\n  in: {一般公共预算拨款: 9.00}\n  out: {一般公共预算拨款: 2.00}\n")
    _, _, report = tree.load()
    assert report.problems == []


def test_carryover_spending_without_carryover(tree):
    tree.replace(UNIT, "  一般公共预算拨款: 812.32", "  一般公共预算拨款: 805.32")
    tree.replace(UNIT, "    amount: 7.00\n", "    amount: 7.00\n    carryover: true\n")
    assert tree.report().problems == [
        error("carryover.disagrees",
              "一般公共预算拨款：上年结转结余 0.00 万元 减年终结转结余 0.00 万元，应等于用上年结转安排的支出 7.00 万元。",
              at(UNIT, 192, 12, "carryover"), at(UNIT, 173, 13, "projects[4].amount"))]


# ---------------------------------------------------------------- projects

COST_7 = '        - {level1: 产出指标, level2: 成本指标, level3: 按期完成预算控制, description: 反映工信事务管理成本控制, value: "≤7万元", basis: 历史行业标准}\n'


def test_project_without_cost_indicator(tree):
    tree.replace(UNIT, COST_7, "")
    assert tree.report().problems == [
        error("project.no-cost", "项目 “综合业务费” 的绩效目标表缺少成本指标（应等于项目金额 7.00 万元）。",
              at(UNIT, 177, 9, "projects[4].performance.indicators"))]


def test_project_cost_value_unreadable(tree):
    tree.replace(UNIT, 'value: "≤7万元"', 'value: "≤7千元"')
    assert tree.report().problems == [
        error("project.cost-value", "成本指标的指标值 “≤7千元” 无法读出金额：应写成如 “≤6万元”（不是金额的指标值，如 合规、达标，不写数字）。",
              at(UNIT, 180, 11, "projects[4].performance.indicators[3]"))]


def test_project_cost_disagrees(tree):
    tree.replace(UNIT, 'value: "≤7万元"', 'value: "≤8万元"')
    assert tree.report().problems == [
        error("project.cost-disagrees", "项目 “综合业务费” 的成本指标合计 8.00 万元 与项目金额 7.00 万元 不一致。",
              at(UNIT, 180, 11, "projects[4].performance.indicators[3]"), at(UNIT, 173, 13, "projects[4].amount"))]


def test_project_cost_in_yuan_is_converted(tree):
    tree.replace(UNIT, 'value: "≤7万元"', 'value: "≤70000元"')
    _, _, report = tree.load()
    assert report.problems == []


def test_project_quantity_disagrees(tree):
    tree.replace(UNIT, "quantity: {count: 300, unit: 人}", "quantity: {count: 301, unit: 人}")
    assert tree.report().problems == [
        error("project.quantity-disagrees", "项目 “困难职工春节慰问”：301人 × 200元 = 6.02 万元，与项目金额 6.00 万元 不一致。",
              at(UNIT, 104, 15, "projects[0].quantity"), at(UNIT, 103, 13, "projects[0].amount"))]


def test_project_duplicate_name(tree):
    tree.replace(UNIT, "  - name: 综合业务费", "  - name: 职教幼教补助")
    assert tree.report().problems == [
        error("project.duplicate-name", "项目名称 “职教幼教补助” 重复：同一部门内项目名称须唯一。",
              at(UNIT, 170, 11, "projects[4].name"), at(UNIT, 154, 11, "projects[3].name"))]


# ---------------------------------------------------------------- 机关运行经费

def test_running_costs_without_item(tree):
    tree.replace(UNIT, '{economic: "30239", label: 公务交通补贴, amount: 8.00}',
                 '{economic: "30239", label: 公务交通补贴, amount: 8.00}\n  - {economic: "30202", label: 印刷费, amount: 1.00}')
    assert tree.report().problems == [
        error("running-costs.no-item", "机关运行经费拆分引用的经济分类 30202 不在本单位一般公共预算基本支出中。",
              at(UNIT, 51, 5, "running_costs[3]"))]


def test_running_costs_disagree(tree):
    tree.replace(UNIT, "label: 邮电费, amount: 1.80", "label: 邮电费, amount: 1.81")
    assert tree.report().problems == [
        error("running-costs.disagree", "经济分类 30207 的文字拆分合计 6.81 万元，而该款为 6.80 万元。",
              at(UNIT, 48, 5, "running_costs[0]"), at(UNIT, 35, 9, "basic[0].economic[10]"))]


def test_running_costs_duplicate_label(tree):
    tree.replace(UNIT, "label: 公务移动通讯费用补贴, amount: 5.00", "label: 邮电费, amount: 5.00")
    assert tree.report().problems == [
        error("running-costs.duplicate", "经济分类 30207 的拆分中 “邮电费” 出现多次。",
              at(UNIT, 49, 5, "running_costs[1]"), at(UNIT, 48, 5, "running_costs[0]"))]


# ---------------------------------------------------------------- “三公”经费

SANGONG_ROW = "    - {category: 公务用车运行维护费, fund: 一般公共预算拨款, amount: 3.00}"


def test_sangong_duplicate(tree):
    tree.replace(UNIT, SANGONG_ROW, SANGONG_ROW.replace("3.00", "1.00") + "\n" + SANGONG_ROW.replace("3.00", "2.00"))
    assert tree.report().problems == [
        error("sangong.duplicate", "“三公”经费 公务用车运行维护费（一般公共预算拨款）写了两次。",
              at(UNIT, 56, 7, "sangong.current[1]"), at(UNIT, 55, 7, "sangong.current[0]"))]


def test_sangong_total(tree):
    tree.replace(UNIT, "  prior_year:\n    因公", "  total: 4.00\n  prior_year:\n    因公")
    assert tree.report().problems == [
        error("sangong.total", "“三公”经费各项之和 3.00 万元 不等于所写合计 4.00 万元。", at(UNIT, 56, 10, "sangong.total"))]


def test_sangong_prior_total(tree):
    tree.replace(UNIT, "    公务接待费: 0\n", "    公务接待费: 0\n  prior_year_total: 2.00\n")
    assert tree.report().problems == [
        error("sangong.prior-total", "上年“三公”经费各项之和 3.00 万元 不等于所写合计 2.00 万元。",
              at(UNIT, 61, 21, "sangong.prior_year_total"))]


def test_sangong_unstated_is_left_blank_with_a_warning(tmp_path):
    # 898001's basic expenditure is by function only: its 三公 is known only as written; not written, it is
    # not stated: a warning naming the key (the text says nothing of it, the tables leave it blank)
    tree = Tree(tmp_path, "898", 2024).replace("898001.yaml", "sangong:\n  current: []\n", "")
    _, _, report = tree.load()
    assert [p for p in report.problems if p.code.startswith("sangong")] == [
        warning("sangong.unstated", "单位 898001 没有写“三公”经费预算（sangong.current）：文中不提这一项，表中相应的数留空，"
                                    "不印 0.00。有则写明；没有则写 sangong: {current: []}。",
                at("898001.yaml", 2, 1, "", folder="898/2024")),
        warning("sangong-prior.unstated", "单位 898002 没有写上年“三公”经费预算（sangong.prior_year）：文中不提这一项，"
                                          "表中相应的数留空，不印 0.00。有则写明；没有则写 sangong: {prior_year: {}}。",
                at("898002.yaml", 3, 1, "", folder="898/2024"))]


def test_sangong_below_economic(tree):
    tree.replace(UNIT, SANGONG_ROW, SANGONG_ROW.replace("3.00", "2.00"))
    tree.replace(UNIT, "    公务用车运行维护费: 3.00", "    公务用车运行维护费: 2.00")
    assert tree.report().problems == [
        error("sangong.below-economic",
              "“三公”经费 公务用车运行维护费 2.00 万元 少于财政拨款经济分类 30231 的 3.00 万元：经济分类中的这类支出都应计入“三公”经费。",
              at(UNIT, 55, 7, "sangong.current[0]"), at(UNIT, 38, 9, "basic[0].economic[13]"))]


def test_sangong_change_needs_a_reason(tree):
    tree.replace(UNIT, "    公务用车运行维护费: 3.00", "    公务用车运行维护费: 2.00")
    dept_texts, unit_texts = at(DEPT, 11, 3, "texts"), at(UNIT, 80, 3, "texts")
    assert tree.report().problems == [
        error("sangong.reason-missing", "部门“三公”经费 公务用车运行维护费 比上年有增减（2.00 → 3.00），"
              "须在 texts.sangong_reasons.公务用车运行维护费 中写明变化原因。", dept_texts),
        error("sangong.reason-missing", "部门“三公”经费 合计 比上年有增减（2.00 → 3.00），"
              "须在 texts.sangong_reasons.合计 中写明变化原因。", dept_texts),
        error("sangong.reason-missing", "单位 304001 “三公”经费 公务用车运行维护费 比上年有增减（2.00 → 3.00），"
              "须在 texts.sangong_reasons.公务用车运行维护费 中写明变化原因。", unit_texts),
        error("sangong.reason-missing", "单位 304001 “三公”经费 合计 比上年有增减（2.00 → 3.00），"
              "须在 texts.sangong_reasons.合计 中写明变化原因。", unit_texts)]


def test_sangong_reasons_of_the_department_do_not_serve_its_units(tree):
    # prose belongs to its scope: the department's reasons explain the department's change only
    tree.replace(UNIT, "    公务用车运行维护费: 3.00", "    公务用车运行维护费: 2.00")
    tree.replace(DEPT, "  special_funds: 无", "  special_funds: 无\n  sangong_reasons:\n"
                 "    公务用车运行维护费: 车辆增加\n    合计: 车辆增加")
    unit_texts = at(UNIT, 80, 3, "texts")
    assert tree.report().problems == [
        error("sangong.reason-missing", "单位 304001 “三公”经费 公务用车运行维护费 比上年有增减（2.00 → 3.00），"
              "须在 texts.sangong_reasons.公务用车运行维护费 中写明变化原因。", unit_texts),
        error("sangong.reason-missing", "单位 304001 “三公”经费 合计 比上年有增减（2.00 → 3.00），"
              "须在 texts.sangong_reasons.合计 中写明变化原因。", unit_texts)]


def test_a_unit_explains_its_own_sangong_change(tree):
    tree.replace(UNIT, "    公务用车运行维护费: 3.00", "    公务用车运行维护费: 2.00")
    tree.replace(DEPT, "  special_funds: 无", "  special_funds: 无\n  sangong_reasons:\n"
                 "    公务用车运行维护费: 车辆增加\n    合计: 车辆增加")
    tree.replace(UNIT, "  other_matters: 我单位无其他需要说明的事项。",
                 "  other_matters: 我单位无其他需要说明的事项。\n  sangong_reasons:\n"
                 "    公务用车运行维护费: 本单位车辆增加\n    合计: 本单位车辆增加")
    _, _, report = tree.load()
    assert report.problems == []


def test_sangong_reason_for_no_change_is_a_warning(tree):
    tree.replace(UNIT, "  other_matters: 我单位无其他需要说明的事项。",
                 "  other_matters: 我单位无其他需要说明的事项。\n  sangong_reasons:\n    因公出国（境）费: 无出国计划")
    _, _, report = tree.load()
    assert report.problems == [
        warning("sangong.reason-unneeded", "单位 304001 “三公”经费 因公出国（境）费 与上年持平（0.00），"
                "texts.sangong_reasons.因公出国（境）费 中的原因不会印出：请删去，或核对金额。",
                at(UNIT, 98, 15, "texts.sangong_reasons.因公出国（境）费"))]


def test_change_without_a_reason_in_its_own_scope(tree):
    # the department explains its change; the unit's own reason is missing: no fallback, an error
    tree.replace(UNIT, "    basic: 人员变化\n", "")
    assert tree.report().problems == [
        error("change-reasons.missing", "单位 304001 基本支出比上年有增减（238.25 → 373.37 万元），"
              "须在 texts.change_reasons.basic 中写明主要原因。", at(UNIT, 80, 3, "texts"))]


def test_change_reason_for_no_change_is_a_warning(tree):
    tree.replace(UNIT, "  basic: 238.25", "  basic: 373.37")
    tree.replace(DEPT, "  basic: 238.25", "  basic: 373.37")
    _, _, report = tree.load()
    assert report.problems == [
        warning("change-reasons.unneeded", "部门基本支出与上年持平（373.37 万元），texts.change_reasons.basic 中的原因不会"
                "印出：请删去，或核对金额。", at(DEPT, 26, 12, "texts.change_reasons.basic")),
        warning("change-reasons.unneeded", "单位 304001 基本支出与上年持平（373.37 万元），texts.change_reasons.basic 中的原因"
                "不会印出：请删去，或核对金额。", at(UNIT, 93, 12, "texts.change_reasons.basic"))]


# ---------------------------------------------------------------- procurement

def test_procurement_is_valid(tree):
    tree.append(UNIT, PROCUREMENT)
    _, _, report = tree.load()
    assert report.problems == []


def test_goods_that_do_not_say_whether_they_are_fixed_assets(tree):
    line = appended_at(tree, UNIT) + 1
    tree.append(UNIT, PROCUREMENT.replace("fixed_asset: true, ", ""))
    dept, names, report = tree.load()
    assert report.problems == [
        warning("procurement.fixed-asset-unstated", "政府采购 “台式计算机” 没有写明是否购置固定资产：请写 fixed_asset: true "
                "或 false。未写明时，文中不说“本年度拟购置固定资产总额”。", at(UNIT, line, 5, "procurement[0]"))]
    from generator.figures.compute import compute
    assert compute(dept, names).scope.figures.asset_purchases is None  # not known, so not said


def test_summary_fixed_assets_within_goods_and_works(tree):
    line = appended_at(tree, UNIT)
    tree.append(UNIT, "procurement_summary: {services: 1.00, fixed_assets: 0.50}\n")
    assert tree.report().problems == [
        error("procurement.fixed-assets-exceed", "购置固定资产 0.50 万元 大于货物和工程之和 0.00 万元。",
              at(UNIT, line, 53, "procurement_summary.fixed_assets"))]


def test_procurement_disagrees(tree):
    tree.append(UNIT, PROCUREMENT.replace("quantity: 2", "quantity: 3"))
    assert tree.report().problems == [
        error("procurement.disagrees", "政府采购 “台式计算机”：数量 3 × 单价 0.50 = 1.50 万元，而各资金来源合计 1.00 万元。",
              at(UNIT, 193, 5, "procurement[0]"))]


def test_procurement_project(tree):
    tree.append(UNIT, PROCUREMENT.replace("project: 综合业务费", "project: 不存在的项目"))
    assert tree.report().problems == [
        error("procurement.project", "政府采购 “台式计算机” 所属项目 “不存在的项目” 不是本单位的项目。",
              at(UNIT, 193, 5, "procurement[0]"))]


def test_procurement_sme(tree):
    tree.append(UNIT, PROCUREMENT.replace("sme_reserved: 0.40", "sme_reserved: 1.40"))
    assert tree.report().problems == [
        error("procurement.sme", "政府采购 “台式计算机” 预留中小企业份额 1.40 大于采购金额 1.00。",
              at(UNIT, 193, 5, "procurement[0]"))]


# ---------------------------------------------------------------- assets

def test_assets_part_exceeds_parent(tree):
    tree.replace(UNIT, "office_buildings: {count: 0, value: 0}", "office_buildings: {count: 10, value: 0}")
    assert tree.report().problems == [
        error("assets.part-exceeds", "固定资产 其中：办公用房 大于 房屋。",
              at(UNIT, 66, 21, "assets.office_buildings"), at(UNIT, 65, 14, "assets.buildings"))]


def test_assets_equipment_parts_exceed_their_sum(tree):
    tree.replace(UNIT, "  equipment: {count: 0, value: 0}", "  equipment: {count: 1, value: 60}")
    tree.replace(UNIT, "general_equipment: {count: 0, value: 0}", "general_equipment: {count: 1, value: 60}")
    tree.replace(UNIT, "special_equipment: {count: 0, value: 0}", "special_equipment: {count: 0, value: 50}")
    assert tree.report().problems == [
        error("assets.part-exceeds", "通用设备与专用设备之和大于单价50万元以上的设备。", at(UNIT, 68, 14, "assets.equipment"))]


# ---------------------------------------------------------------- department

def test_department_code_differs_from_directory(tree):
    tree.replace(DEPT, 'code: "304"', 'code: "305"')
    assert tree.report().problems == [
        error("unit.code-prefix", "单位编码 “304001” 应为部门编码 305 加 3 位或更多位数字，如 305001。", at(UNIT, 3, 7, "code")),
        error("department.code", "部门编码 “305” 与目录名 “304” 不一致。", at(DEPT, 2, 7, "code"))]


def test_department_year_differs_from_directory(tree):
    tree.replace(DEPT, "year: 2023", "year: 2024")
    assert tree.report().problems == [
        error("department.year", "预算年度 2024 与目录名 “2023” 不一致。", at(DEPT, 4, 7, "year"))]


def test_department_without_units(tree):
    tree.remove(UNIT)
    assert tree.report().problems == [
        error("department.no-units", "部门下没有单位：每个单位一个文件，文件名是单位编码（如 304001.yaml）。",
              at(DEPT, 2, 1, ""))]


def test_department_file_missing(tree):
    tree.remove(DEPT)
    assert tree.report().problems == [error("department.missing", "缺少部门文件 department.yaml。", at(DEPT))]


def test_department_directory_missing(tree):
    from generator.sources.validate import load_budget
    with pytest.raises(SourcesNotFound) as exc:
        load_budget(tree.root, "305", 2023)
    assert str(exc.value) == f"找不到部门 305 2023 年的预算数据目录：{tree.root / '305' / '2023'}"


def test_other_extensions_are_ignored_with_a_warning(tree):
    tree.write("304002.yml", UNIT2)
    dept, _, report = tree.load()
    assert report.problems == [warning("files.ignored", "扩展名不是 .yaml 的文件不会被读取。", at("304002.yml"))]
    assert [u.code for u in dept.units] == ["304001"]


# ---------------------------------------------------------------- prior year

PRIOR_DEPT = "prior_year:          # 上年预算数，情况说明“比上年增减情况”引用\n  basic: 238.25\n  project: 640.27\n"
PRIOR_UNIT = "prior_year:\n  basic: 238.25\n  project: 640.27\n"


def test_prior_year_unstated(tree):
    # not written anywhere: the text states no change against the prior year, and check says so
    tree.replace(DEPT, PRIOR_DEPT, "").replace(UNIT, PRIOR_UNIT, "")
    _, _, report = tree.load()
    assert report.problems == [
        warning("prior-year.unstated", "没有写上年预算数（比上年增减）（prior_year）：文中不提这一项，表中相应的数留空，"
                                       "不印 0.00。有则写明；没有则写 prior_year: {none: true}。", at(DEPT, 2, 1, ""))]


@pytest.mark.parametrize("where", [DEPT, UNIT])
def test_prior_year_in_one_place_is_enough(tree, where):
    tree.replace(where, PRIOR_DEPT if where == DEPT else PRIOR_UNIT, "")
    _, _, report = tree.load()
    assert report.problems == []


def test_prior_year_unstated_for_one_of_several_units(tree):
    tree.write("304002.yaml", UNIT2.replace("prior_year: {basic: 0, project: 0}\n", ""))
    _, _, report = tree.load()
    assert report.problems == [
        warning("prior-year.unstated", "单位 304002 没有写上年预算数（比上年增减）（prior_year）：文中不提这一项，表中相应的数留空，"
                                       "不印 0.00。有则写明；没有则写 prior_year: {none: true}。",
                at("304002.yaml", 1, 1, ""))]


def test_prior_year_disagrees(tree):
    tree.replace(DEPT, "  basic: 238.25", "  basic: 238.26")
    assert tree.report().problems == [
        error("prior-year.disagrees", "部门上年基本支出预算数为 238.26 万元，各单位之和为 238.25 万元。",
              at(DEPT, 8, 10, "prior_year.basic"), at(UNIT, 75, 10, "prior_year.basic"))]


def test_prior_year_other_disagrees(tree):
    # the department gives 其他支出 of the prior year; its only unit gives none (zero)
    tree.replace(DEPT, "  project: 640.27", "  project: 640.27\n  other: 5.00")
    assert tree.report().problems == [
        error("prior-year.disagrees", "部门上年其他支出（经营、上解、对附属单位补助）预算数为 5.00 万元，"
              "各单位之和为 0.00 万元。", at(DEPT, 10, 10, "prior_year.other"), at(UNIT, 75, 3, "prior_year"))]


# ---------------------------------------------------------------- one run reports everything

def test_all_errors_of_several_files(tree):
    tree.replace(DEPT, "year: 2023", 'year: "2023"')
    tree.replace(UNIT, "rank: 正科级", "rank: 正科级\nrank: 副科级")
    tree.replace(UNIT, '{code: "30309", amount: 0.04}', '{code: "30309", amount: 0.041}')
    tree.write("304002.yaml", UNIT2.replace("rank: 股级", "\trank: 股级"))
    tree.write("304003.yml", UNIT2)
    report = tree.report()
    assert report.problems == [
        error("schema.type", "应为整数，而这里是 “2023”。", at(DEPT, 4, 7, "year")),
        error("yaml.duplicate-key", "键 “rank” 在同一映射中出现了两次（第一次在第 6 行）。"
              "YAML 会悄悄只保留后一个值，请删除或合并其中一个。", at(UNIT, 7, 1, "rank"), at(UNIT, 6, 1, "rank")),
        error("schema.decimals", "金额最多 2 位小数，而这里是 0.041。", at(UNIT, 45, 33, "basic[0].economic[19].amount")),
        error("yaml.syntax", "YAML 语法错误：这里有制表符（Tab）：YAML 只能用空格缩进。", at("304002.yaml", 4, 1)),
        warning("files.ignored", "扩展名不是 .yaml 的文件不会被读取。", at("304003.yml")),
    ]
    assert report.format().endswith("共 4 个错误，1 个警告。")


def test_all_cross_check_errors_of_one_run(tree):
    tree.replace(UNIT, '{code: "30309", amount: 0.04}', '{code: "30309", amount: 0.05}')
    tree.replace(UNIT, 'value: "≤7万元"', 'value: "≤8万元"')
    tree.replace(DEPT, "  basic: 238.25", "  basic: 238.26")
    assert [(p.code, str(p.location)) for p in tree.report().problems] == [
        ("basic.views-disagree", "data/304/2023/304001.yaml:17:9"),
        ("project.cost-disagrees", "data/304/2023/304001.yaml:180:11"),
        ("prior-year.disagrees", "data/304/2023/department.yaml:8:10"),
    ]


# ---------------------------------------------------------------- optional detail and new structures

def appended_at(tree, name: str) -> int:
    """The line at which text appended to ``name`` begins."""
    return tree.text(name).count("\n") + 1


def test_surplus_must_equal_what_it_pays_for(tree):
    line = appended_at(tree, UNIT)
    tree.append(UNIT, "carryover:\n  surplus: {其他收入: 1.00}\n")
    assert tree.report().problems == [
        error("surplus.disagrees", "其他收入：使用非财政拨款结余 1.00 万元，应等于由结余安排的支出 0.00 万元。",
              at(UNIT, line + 1, 19, "carryover.surplus.其他收入"))]


def test_surplus_is_never_fiscal_money(tree):
    tree.replace(UNIT, "basic:\n", 'basic:\n  - fund: 一般公共预算拨款\n    surplus: true\n    function:\n'
                 '      - {code: "2150501", amount: 1.00}\n')
    line = appended_at(tree, UNIT)
    tree.append(UNIT, "carryover:\n  surplus: {一般公共预算拨款: 1.00}\n")
    assert tree.report().problems == [
        error("surplus.fiscal", "一般公共预算拨款是财政拨款：财政拨款结余写在 carryover.in（上年结转）中，"
              "carryover.surplus 只写非财政拨款结余。", at(UNIT, line + 1, 23, "carryover.surplus.一般公共预算拨款"))]


def test_income_detail_lines_never_exceed_their_source(tree):
    line = appended_at(tree, UNIT)
    tree.append(UNIT, "income_details:\n  - {fund: 一般公共预算拨款, label: 某专项, amount: 900.00}\n")
    assert tree.report().problems == [
        error("income-details.exceed", "一般公共预算拨款的“其中”行合计 900.00 万元 大于该来源的本年收入 812.32 万元。",
              at(UNIT, line + 1, 5, "income_details[0]"), at(UNIT, 11, 13, "income.一般公共预算拨款"))]


def test_procurement_in_one_form_only(tree):
    line = appended_at(tree, UNIT)
    tree.append(UNIT, "procurement_summary: {goods: 1.00, fixed_assets: 0}\n" + PROCUREMENT)
    assert tree.report().problems == [
        error("procurement.both-forms", "政府采购同时写了明细 procurement 和汇总 procurement_summary：只写其中一种，"
              "明细的汇总由 budgetpub 计算。", at(UNIT, line, 22, "procurement_summary"),
              at(UNIT, line + 2, 3, "procurement"))]


def test_small_micro_share_within_the_reserved_share(tree):
    tree.append(UNIT, PROCUREMENT.replace("sme_reserved: 0.40}", "sme_reserved: 0.40, sme_small_micro: 0.50}"))
    line = appended_at(tree, UNIT) - 1
    assert tree.report().problems == [
        error("procurement.small-micro", "政府采购 “台式计算机” 面向小微企业的份额 0.50 大于预留中小企业份额 0.40。",
              at(UNIT, line, 5, "procurement[0]"))]


def test_assets_total_given_must_add_up(tree):
    tree.replace(UNIT, "assets:\n  as_of", "assets:\n  total: {count: 100, value: 50.30}\n  as_of")
    problems = tree.report().problems
    assert problems == [error("assets.total-disagrees", "固定资产总额的数量 100 不等于各类之和 121。",
                              at(UNIT, 64, 10, "assets.total"))]


def test_prior_year_total_and_split_agree(tree):
    tree.replace(UNIT, "  project: 640.27\n", "  project: 640.27\n  total: 900.00\n")
    assert tree.report().problems == [
        error("prior-year.total-disagrees", "上年预算合计 900.00 万元 不等于基本支出、项目支出和其他支出之和 878.52 万元。",
              at(UNIT, 77, 10, "prior_year.total"), at(UNIT, 75, 10, "prior_year.basic"))]


def test_department_prior_year_total_and_split_agree(tree):
    tree.replace(DEPT, "  project: 640.27\n", "  project: 640.27\n  total: 900.00\n")
    assert tree.report().problems == [
        error("prior-year.department-total-disagrees",
              "上年预算合计 900.00 万元 不等于基本支出、项目支出和其他支出之和 878.52 万元。",
              at(DEPT, 10, 10, "prior_year.total"), at(DEPT, 8, 10, "prior_year.basic")),
        error("prior-year.disagrees", "部门上年支出合计预算数为 900.00 万元，各单位之和为 878.52 万元。",
              at(DEPT, 10, 10, "prior_year.total"), at(UNIT, 75, 3, "prior_year"))]


def test_unit_budget_has_one_unit(tree):
    tree.replace(DEPT, "government_level: 区级\n", "government_level: 区级\npublishes: 单位预算\n")
    tree.write("304002.yaml", UNIT2)
    assert tree.report().problems == [
        error("department.unit-budget", "单位预算只公开一个单位，而这里有 2 个单位文件。", at(DEPT, 7, 12, "publishes"))]


def test_prior_year_as_a_total_only_is_valid_and_needs_no_reasons(tree):
    tree.replace(UNIT, "prior_year:\n  basic: 238.25\n  project: 640.27\n", "prior_year:\n  total: 878.52\n")
    tree.replace(DEPT, "prior_year:          # 上年预算数，情况说明“比上年增减情况”引用\n  basic: 238.25\n  project: 640.27\n",
                 "prior_year:\n  total: 878.52\n")
    tree.replace(UNIT, "  change_reasons:\n    basic: 人员变化\n", "  change_reasons:\n")
    _, _, report = tree.load()
    # the reasons left in the texts explain a split the sources no longer give: no error, no warning needed
    assert [p.code for p in report.errors] == []


def test_a_published_indicator_column_left_out_is_blank_with_a_warning(tree):
    tree.replace(UNIT, "description: 领取春节慰问款特困人数, ", "")
    _, _, report = tree.load()
    assert report.problems == [
        warning("project.indicator-column", "项目 “困难职工春节慰问” 有 1 个指标没有写绩效指标描述（description），"
                "绩效目标表中这一栏将留空（第一个：“困难职工人数”）。请逐个写明；本地区不公开这一栏时，在 department.yaml 中写 "
                "performance_table: {columns: [basis]}。", at(UNIT, 109, 11, "projects[0].performance.indicators[0]"))]


def test_the_columns_follow_the_regions_wording(tree):
    # a region publishing neither optional column says so once in its wording; no indicator then needs them
    tree.replace(UNIT, "description: 领取春节慰问款特困人数, ", "")
    tree.append(DEPT, "wording: {indicator_columns: []}\n")
    dept, _, report = tree.load()
    assert report.problems == [] and dept.indicator_columns == ()


def test_a_name_from_another_years_classification_is_a_warning(tree, tmp_path):
    # the catalogue of this year, and beside it an earlier year's that named 30108 differently
    import shutil

    from generator.figures.catalogue import CATALOGUE_DIR, Catalogue
    from generator.sources.validate import load_budget
    this_year, earlier = tmp_path / "catalogue" / "2023", tmp_path / "catalogue" / "2019"
    shutil.copytree(CATALOGUE_DIR, this_year)
    earlier.mkdir()
    (earlier / "economic-classification.csv").write_text(
        "code,name\n30108,机关事业单位基本养老保险费\n", encoding="utf-8")
    tree.replace(UNIT, '{code: "30108", amount: 20.00}',
                 '{code: "30108", name: 机关事业单位基本养老保险费, amount: 20.00}')
    _, _, report = load_budget(tree.root, "304", 2023, Catalogue.load(this_year))
    assert report.problems == [
        warning("names.other-edition", "经济分类编码 30108 的名称 “机关事业单位基本养老保险费” 出自 2019 年的分类，本年度分类中的名称是 "
                "“机关事业单位基本养老保险缴费”。已接受；如本年度已改名，请改用新名称。",
                at(UNIT, 29, 31, "basic[0].economic[4].name"))]
    # a name no edition knows stays an error
    tree.replace(UNIT, "name: 机关事业单位基本养老保险费", "name: 养老保险")
    with pytest.raises(InvalidSources) as exc:
        load_budget(tree.root, "304", 2023, Catalogue.load(this_year))
    assert [p.code for p in exc.value.report.problems] == ["names.contradicts-catalogue"]


# ---------------------------------------------------------------- a repository's catalogue (issue 19)

def _catalogue(tmp_path, year: int = 2023, **files: str):
    """A repository's catalogue/<year>/ holding ``files`` (name with - for _: text) over the packaged one."""
    from generator.figures.catalogue import Catalogue
    folder = tmp_path / "catalogue" / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / (name.replace("_", "-") + ".csv")).write_text(text, encoding="utf-8")
    return Catalogue.load(folder)


def _load(tree, catalogue):
    from generator.sources.validate import load_budget
    return load_budget(tree.root, "304", 2023, catalogue)


def test_a_code_an_imported_years_catalogue_lacks_is_an_error(tree, tmp_path):
    from generator.figures.catalogue import CATALOGUE_DIR
    packaged = (CATALOGUE_DIR / "function-classification.csv").read_text(encoding="utf-8")
    _catalogue(tmp_path, 2022, function_classification="code,name\n2101103,公务员医疗补助\n")  # the year before had it
    # the office imported its official 2023 file: it has no 2101103 (and so no code the sources name it)
    catalogue = _catalogue(tmp_path, function_classification=packaged.replace("\n2101103,公务员医疗补助,", "\n2101104,别的,"),
                           imported="kind,file\nfunction,2023年政府收支分类科目.xlsx\n")
    with pytest.raises(InvalidSources) as exc:
        _load(tree, catalogue)
    assert exc.value.report.problems == [
        error("names.not-in-year-catalogue", "功能分类编码 2101103 不在 2023 年的分类目录中（"
              f"{tmp_path}/catalogue/2023/function-classification.csv，由 budgetpub catalogue import 从 "
              "“2023年政府收支分类科目.xlsx” 导入）：这一年没有这个编码，请核对。它在 2022 年的分类中是 “公务员医疗补助”。",
              at(UNIT, 21, 9, "basic[0].function[4]"))]
    # without the import record the catalogue is the partial kind: a code it lacks needs its name (names.unknown-code)
    (tmp_path / "catalogue" / "2023" / "imported.csv").unlink()
    from generator.figures.catalogue import Catalogue
    with pytest.raises(InvalidSources) as exc:
        _load(tree, Catalogue.load(tmp_path / "catalogue" / "2023"))
    assert [p.code for p in exc.value.report.problems] == ["names.unknown-code"]


def test_a_seven_digit_economic_code_must_be_the_regions_own(tree, tmp_path):
    tree.replace(UNIT, '{code: "30299", amount: 3.45}', '{code: "3029901", amount: 3.45}')
    with pytest.raises(InvalidSources) as exc:
        _load(tree, _catalogue(tmp_path))
    assert exc.value.report.problems == [
        error("names.local-undefined", "经济分类编码 3029901 有 7 位：部门预算支出经济分类只到款（5 位），更长的编码只能是本地区"
              "自有的子目，须在 catalogue/2023/local-economic-codes.csv 中写明名称和对应的标准款（列 code,name,standard）。",
              at(UNIT, 40, 9, "basic[0].economic[15]"))]
    # defined, it is read: its name is the region's, its 类 and 公用经费 its standard 款's
    dept, names, report = _load(tree, _catalogue(tmp_path, local_economic_codes="code,name,standard\n3029901,餐费,30299\n"))
    assert report.problems == []
    assert (names.get("economic", "3029901"), names.standard("3029901")) == ("餐费", "30299")


def test_a_kuan_split_into_local_sub_items_is_not_booked_directly(tree, tmp_path):
    tree.replace(UNIT, '{code: "30299", amount: 3.45}', '{code: "3029901", amount: 3.00}\n'
                 '      - {code: "30299", amount: 0.45}')
    with pytest.raises(InvalidSources) as exc:
        _load(tree, _catalogue(tmp_path, local_economic_codes="code,name,standard\n3029901,餐费,30299\n"))
    assert exc.value.report.problems == [
        error("names.local-split", "经济分类 30299 已拆成本地区的子目（如 3029901 “餐费”），基本支出不能再直接记在这个款上："
              "请把这笔支出记到相应的子目。", at(UNIT, 41, 9, "basic[0].economic[16]"),
              at(UNIT, 40, 9, "basic[0].economic[15]"))]


def test_a_code_that_changed_meaning_since_the_year_before_is_a_warning(tree, tmp_path):
    # a fictional 2022 classification beside 2023's: 30311 was 住房公积金, 21007 was 妇幼保健
    _catalogue(tmp_path, 2022, economic_classification="code,name\n30311,住房公积金\n30302,退休费\n",
               function_classification="code,name\n21007,妇幼保健\n")
    tree.replace(UNIT, '{code: "30302", amount: 133.00}', '{code: "30302", amount: 130.00}\n'
                 '      - {code: "30311", amount: 3.00}')
    tree.replace(UNIT, '{code: "2080501", amount: 136.38}', '{code: "2080501", amount: 133.38}\n'
                 '      - {code: "2100717", amount: 3.00}')
    _, _, report = _load(tree, _catalogue(tmp_path))
    assert report.problems == [
        warning("names.changed-meaning", "功能分类编码 21007（2100717 的款级）在 2022 年的分类中是 “妇幼保健”，2023 年的分类中是 "
                "“计划生育事务”：可能只是改名，也可能是同一编码改作他用。请确认这里的支出属于 “计划生育事务”（沿用上年的数据时"
                "尤其要核对）。", at(UNIT, 18, 9, "basic[0].function[1]")),
        warning("names.changed-meaning", "经济分类编码 30311 在 2022 年的分类中是 “住房公积金”，2023 年的分类中是 “代缴社会保险费”："
                "可能只是改名，也可能是同一编码改作他用。请确认这里的支出属于 “代缴社会保险费”（沿用上年的数据时尤其要核对）。",
                at(UNIT, 43, 9, "basic[0].economic[17]"))]


def test_three_kung_items_booked_under_a_local_code_count_by_its_standard_kuan(tree, tmp_path):
    # 3023101 is the region's own sub-item of 30231 公务用车运行维护费: 4.00 there is more than the 三公 line's 3.00
    tree.replace(UNIT, '{code: "30231", amount: 3.00}', '{code: "3023101", amount: 4.00}')
    tree.replace(UNIT, '{code: "30239", amount: 8.00}', '{code: "30239", amount: 7.00}')
    tree.replace(UNIT, '{economic: "30239", label: 公务交通补贴, amount: 8.00}', '{economic: "30239", label: 公务交通补贴, amount: 7.00}')
    with pytest.raises(InvalidSources) as exc:
        _load(tree, _catalogue(tmp_path, local_economic_codes="code,name,standard\n3023101,公务用车燃修费,30231\n"))
    assert exc.value.report.problems == [
        error("sangong.below-economic", "“三公”经费 公务用车运行维护费 3.00 万元 少于财政拨款经济分类 30231（含本地区科目 3023101）"
              " 的 4.00 万元：经济分类中的这类支出都应计入“三公”经费。", at(UNIT, 55, 7, "sangong.current[0]"),
              at(UNIT, 38, 9, "basic[0].economic[13]"))]


# ---------------------------------------------------------------- optional sections: stated, none, not stated

def _unstated(key: str, name: str, none: str, who: str = "单位 304001 ") -> str:
    return f"{who}没有写{name}（{key}）：文中不提这一项，表中相应的数留空，不印 0.00。有则写明；没有则写 {none}。"


def test_assets_unstated(tree):
    text = tree.text(UNIT)
    block = text[text.index("assets:\n"):text.index("\n\n", text.index("assets:\n")) + 1]
    tree.replace(UNIT, block, "")
    _, _, report = tree.load()
    assert report.problems == [warning("assets.unstated", _unstated("assets", "上年末固定资产（国有资产信息）",
                                         "assets: {none: true}"), at(UNIT, 3, 1))]


def test_assets_stated_as_none(tree):
    text = tree.text(UNIT)
    block = text[text.index("assets:\n"):text.index("\n\n", text.index("assets:\n")) + 1]
    tree.replace(UNIT, block, "assets: {none: true}\n")
    dept, _, report = tree.load()
    assert report.problems == [] and dept.units[0].state("assets") == "none"


def test_assets_none_with_figures_is_an_error(tree):
    tree.replace(UNIT, '  as_of: "2022-12-31"\n', '  none: true\n')
    assert [(p.code, p.message) for p in tree.report().problems] == [
        ("schema.none-with-data", "“none: true” 表示没有这一项，不能同时写数据：有数据时删去 none，没有时删去其他字段。")]


def test_procurement_unstated(tree):
    # 304's one unit is every part printed: the section, which would hold its heading alone, is left out
    tree.replace(UNIT, "procurement: []\n", "")
    _, _, report = tree.load()
    assert report.problems == [warning("procurement.unstated", _unstated("procurement", "政府采购预算", "procurement: []")
                                       .replace("文中不提这一项，表中相应的数留空，不印 0.00", "公开文件不印“政府采购预算情况”一节，目录中也没有"),
                                       at(UNIT, 3, 1))]


def test_carryover_unstated(tree):
    tree.replace(UNIT, "carryover: {none: true}\n", "")
    _, _, report = tree.load()
    assert report.problems == [warning("carryover.unstated", _unstated("carryover", "上年结转和年终结转结余",
                                         "carryover: {none: true}"), at(UNIT, 3, 1))]


def test_sangong_prior_unstated(tree):
    tree.replace(UNIT, "  prior_year:\n    因公出国（境）费: 0\n    公务用车购置费: 0\n    公务用车运行维护费: 3.00\n"
                       "    公务接待费: 0\n", "")
    _, _, report = tree.load()
    assert report.problems == [warning("sangong-prior.unstated", _unstated("sangong.prior_year", "上年“三公”经费预算",
                                         "sangong: {prior_year: {}}"), at(UNIT, 3, 1))]


def test_performance_unstated(tree):
    text = tree.text(DEPT)
    block = text[text.index("  performance:\n"):text.index("  special_funds:")]
    tree.replace(DEPT, block, "")
    _, _, report = tree.load()
    assert report.problems == [warning("performance.unstated", _unstated("texts.performance", "部门整体绩效目标",
                                         "texts: {performance: {none: true}}", who=""), at(DEPT, 11, 3, "texts"))]


@pytest.mark.parametrize("text, what, line", [
    ("XX局", "XX", 3), ("某某县某某局", "某某", 3), ("工业和信息化局××科", "××", 3), ("工业……局", "……", 3)])
def test_placeholder_in_a_name(tree, text, what, line):
    tree.replace(DEPT, "name: 保定市莲池区工业和信息化局\n", f"name: {text}\n")
    assert tree.report().problems == [
        error("text.placeholder", f"文字中有占位符 “{what}”（“{text}”）：这是骨架或范本留下的待填写内容，不能公开。"
                                  "请改写为实际内容（没有的事项按说明写“无”，或删去这一项）。", at(DEPT, line, 7, "name"))]


def test_placeholder_in_a_block_is_placed_on_its_line(tree):
    tree.replace(DEPT, "    （二）对工业企业", "    （二）XX对工业企业")
    (problem,) = tree.report().problems
    assert (problem.code, problem.location) == ("text.placeholder", at(DEPT, 13, None, "texts.duties"))


def test_a_hint_of_the_skeleton_is_a_placeholder_without_its_mark(tree):
    tree.replace(UNIT, "  duties: |\n", "  duties: |\n    单位主要职能，每行一段\n")
    (problem,) = tree.report().problems
    assert problem.code == "text.placeholder" and "“单位主要职能，每行一段”" in problem.message


def test_latin_words_and_a_single_ellipsis_are_not_placeholders(tree):
    tree.replace(DEPT, "    （二）对工业企业", "    （二）XXL 与 Xbox…对工业企业")
    _, _, report = tree.load()
    assert report.problems == []


def test_an_asset_category_not_written_is_blank_with_a_warning(tree):
    tree.replace(UNIT, "  vehicles: {count: 2, value: 27.56}\n", "").replace(UNIT, "  other: {count: 119, value: 22.74}",
                                                                              "  other: {count: 119}")
    _, _, report = tree.load()
    assert report.problems == [
        warning("assets.category-unstated", "单位 304001 的固定资产没有写 vehicles、other 的价值：表中这些格留空，由它们加成的合计"
                "（包括部门的）也留空。有则写明；没有则写 {count: 0, value: 0}。", at(UNIT, 64, 3, "assets"))]


def test_no_budget_last_year_means_no_sangong_last_year(tree):
    # a new unit: prior_year {none: true} says there was no budget, and so no 三公, last year
    tree.replace(UNIT, PRIOR_UNIT, "prior_year: {none: true}\n").replace(DEPT, PRIOR_DEPT, "")
    tree.replace(UNIT, "  prior_year:\n    因公出国（境）费: 0\n    公务用车购置费: 0\n    公务用车运行维护费: 3.00\n"
                       "    公务接待费: 0\n", "")
    # 3.00 against none: the department and the unit each say why (the category and the total)
    assert [p.code for p in tree.report().problems] == ["sangong.reason-missing"] * 4
    from generator.errors import Report
    from generator.sources.facts import build_unit
    from generator.sources.reader import read_document
    unit = build_unit(read_document(tree.dir / UNIT, UNIT, Report()))
    assert unit.state("sangong-prior") == "none" and unit.sangong_prior == {}


# ---------------------------------------------------------------- sources at the level publications give them
# (896: a department published at department level; 895: a central-level university)

def test_the_department_level_examples_have_no_errors_and_no_warnings(tmp_path):
    for code in ("896", "895"):
        _, _, report = Tree(tmp_path / code, code, 2024).load()
        assert report.problems == [], code


def test_stated_running_costs_above_the_public_expenditure(tmp_path):
    tree = Tree(tmp_path, "896", 2024).replace("896000.yaml", "amount: 163.18", "amount: 210.01")
    report = tree.report()
    here = at("896000.yaml", 69, 11, "running_costs_stated.amount", "896/2024")
    assert [p for p in report.problems if p.code == "running-costs.stated-exceeds"] == [
        error("running-costs.stated-exceeds", "机关运行经费 210.01 万元 超过本单位一般公共预算基本支出中的公用经费 210.00 万元"
              "（机关运行经费是公用经费的一部分）。", here)]
    assert [p.code for p in report.problems] == ["running-costs.stated-exceeds", "running-costs.stated-items"]


def test_stated_running_costs_whose_items_do_not_add_up(tmp_path):
    tree = Tree(tmp_path, "896", 2024).replace("896000.yaml", "label: 办公费, amount: 40.00", "label: 办公费, amount: 41.00")
    assert tree.report().problems == [
        error("running-costs.stated-items", "机关运行经费明细之和 164.18 万元 不等于写明的机关运行经费 163.18 万元。",
              at("896000.yaml", 71, 5, "running_costs_stated.items", "896/2024"),
              at("896000.yaml", 69, 11, "running_costs_stated.amount", "896/2024"))]


def test_stated_running_costs_beside_a_split_of_the_derived_ones(tmp_path):
    tree = Tree(tmp_path, "896", 2024)
    line = appended_at(tree, "896000.yaml") + 1
    tree.append("896000.yaml", 'running_costs:\n  - {economic: "30201", label: 办公费, amount: 45.00}\n')
    assert tree.report().problems == [
        error("running-costs.stated-and-split", "本单位直接写明了机关运行经费（running_costs_stated），经济分类的文字拆分"
              "（running_costs）不再使用：请把明细写在 running_costs_stated.items 中。",
              at("896000.yaml", line, 5, "running_costs[0]", "896/2024"),
              at("896000.yaml", 69, 11, "running_costs_stated.amount", "896/2024"))]


def test_listed_projects_above_the_project_spending_by_function(tmp_path):
    tree = Tree(tmp_path, "896", 2024).replace("896000.yaml", "    amount: 120.00\n", "    amount: 520.00\n") \
        .replace("896000.yaml", "value: ≤120万元", "value: 合规")
    assert tree.report().problems == [
        error("project.listed-exceeds", "没有功能分类的项目（只列绩效目标表）金额之和 605.00 万元，超过按功能分类写的项目支出 603.80 万元："
              "这些项目的金额应包含在 project_spending 中；或者给项目写上 function 和 fund，由项目本身计入各表。",
              at("896000.yaml", 46, 11, "projects[0].name", "896/2024"))]


def test_a_cost_indicator_in_words_is_not_compared_but_one_with_digits_must_be_an_amount(tmp_path):
    tree = Tree(tmp_path, "896", 2024).replace("896000.yaml", "value: ≤120万元", "value: 120万")
    assert [(p.code, p.location.line) for p in tree.report().problems] == [("project.cost-value", 53)]
    # 合规 (896's second project) is accepted: the example has no problem (test above)


def test_a_line_without_a_fund_outside_totals_only_carry_over(tmp_path):
    tree = Tree(tmp_path, "895", 2024).replace("895001.yaml", '{function: "2050205", fund: 其他收入, amount: 3200.00}',
                                               '{function: "2050205", amount: 3200.00}')
    report = tree.report()
    assert [p.code for p in report.problems] == ["income.disagrees", "carryover.fund-missing"]
    assert report.problems[1] == error(
        "carryover.fund-missing", "这笔支出没有写资金来源（fund），而它不是由上年结转安排的（carryover: true）：请写明 fund。",
        at("895001.yaml", 43, 5, "project_spending[2]", "895/2024"))


POOLED_GROUP = "单位资金（事业收入、事业单位经营收入、上级补助收入、附属单位上缴收入、其他收入和单位资金合计）"


def test_income_given_as_one_non_fiscal_total_is_compared_with_all_non_fiscal_spending(tmp_path):
    # 896 gives its non-fiscal income as one total (单位资金 12.00), paying 12.00 of project spending
    tree = Tree(tmp_path, "896", 2024).replace("896000.yaml", "  单位资金: 12.00", "  单位资金: 13.00")
    assert tree.report().problems == [
        error("income.disagrees", f"{POOLED_GROUP}：本年收入 13.00 万元，由它安排的支出合计 12.00 万元，相差 1.00 万元。",
              at("896000.yaml", 8, 9, "income.单位资金", "896/2024"),
              at("896000.yaml", 42, 5, "project_spending[3]", "896/2024"))]


def test_income_as_one_total_and_split_at_once(tmp_path):
    # 895: 其他收入 written as 单位资金 beside 事业收入: the publication gives the total or the split, not both
    tree = Tree(tmp_path, "895", 2024).replace("895001.yaml", "  其他收入: 3200.00", "  单位资金: 3200.00") \
        .replace("895001.yaml", "fund: 其他收入, amount: 3200.00", "fund: 单位资金, amount: 3200.00")
    assert tree.report().problems == [
        error("income.pooled-mixed", "收入中写了单位资金（事业收入、事业单位经营收入、上级补助收入、附属单位上缴收入、其他收入不分开时的合计），"
              "又写了事业收入：公开文件只给出合计时只写单位资金；给出了各项时分别写各项，不写单位资金。",
              at("895001.yaml", 8, 9, "income.事业收入", "895/2024"), at("895001.yaml", 9, 9, "income.单位资金", "895/2024"))]


def test_spending_of_a_named_source_beside_spending_of_the_pooled_sources(tmp_path):
    # 895 with its income split but some non-fiscal spending given without its source (单位资金): the sources
    # balance as a whole (58500 + 3200 = 35000 + 23500 + 3200); a named source never pays more than its income
    tree = Tree(tmp_path, "895", 2024).replace("895001.yaml", "fund: 其他收入, amount: 3200.00", "fund: 单位资金, amount: 3200.00")
    assert tree.load()[2].problems == []
    tree.replace("895001.yaml", "fund: 事业收入, amount: 23500.00", "fund: 事业收入, amount: 26000.00") \
        .replace("895001.yaml", "fund: 单位资金, amount: 3200.00", "fund: 单位资金, amount: 700.00")
    assert tree.report().problems == [
        error("income.pooled-exceeds", "由事业收入安排的支出合计 61000.00 万元，大于事业收入的本年收入 58500.00 万元"
              "（其余的非财政拨款支出写作单位资金，合起来比较）。",
              at("895001.yaml", 37, 9, "basic[1].function[0]", "895/2024"),
              at("895001.yaml", 8, 9, "income.事业收入", "895/2024"))]


def test_a_unit_without_a_nature_says_nothing_of_running_costs(tmp_path):
    tree = Tree(tmp_path, "895", 2024).replace("895001.yaml", "nature: 事业单位\n", "")
    _, _, report = tree.load()
    assert report.problems == [
        warning("unit.nature-unstated", "单位 895001 没有写单位性质（nature），机关运行经费无从计算：情况说明不提机关运行经费。"
                "请写明 nature（如 行政、事业），或写 running_costs_stated: {amount: …}。", at("895001.yaml", 2, 1, "", "895/2024"))]


def test_sangong_left_out_by_the_wording_is_not_asked_for(tmp_path):
    # 895 leaves 三公 out (wording omit: sangong): no sangong section is asked for; without the omission it is
    tree = Tree(tmp_path, "895", 2024).replace("department.yaml", "  omit: [sangong]\n", "")
    _, _, report = tree.load()
    assert [p.code for p in report.problems] == ["sangong.unstated"]


def test_stated_running_costs_in_a_unit_printed_as_its_own_part(tmp_path):
    # with unit budgets, a unit's part prints its 机关运行经费 as its general-budget 公用经费 (verify reads it so)
    tree = Tree(tmp_path, "896", 2024).replace("department.yaml", "unit_budgets: false\n", "")
    report = tree.report()
    assert [p for p in report.problems if p.code.startswith("running-costs")] == [
        error("running-costs.stated-unit-part", "单位 896000 印有自己的单位预算部分，其机关运行经费应为一般公共预算基本支出中的公用经费 "
              "210.00 万元，而写明的是 163.18 万元。直接写明的机关运行经费只用于部门一级公开（department.yaml 写 "
              "unit_budgets: false）；否则写明单位性质（nature）和经济分类，由 budgetpub 算出。",
              at("896000.yaml", 69, 11, "running_costs_stated.amount", "896/2024"))]


def test_prior_year_as_a_change_excludes_the_figures_it_would_contradict(tmp_path):
    tree = Tree(tmp_path, "896", 2024).replace("department.yaml", "  change: -219.02 ", "  change: -219.02\n  total: 1839.82 ")
    assert tree.report().problems == [
        error("schema.excludes", "“change” 不能与 “total、basic、project” 同时写：它们是同一个数的两种写法（如只有合计时写合计，"
              "有明细时写明细），请只写一种。", at(DEPT, 21, 11, "prior_year.change", "896/2024"))]


def test_a_section_left_out_whose_figures_are_written_is_warned(tmp_path):
    tree = Tree(tmp_path, "895", 2024).replace("department.yaml", "  omit: [sangong]\n", "  omit: [sangong, assets]\n")
    _, _, report = tree.load()
    assert report.problems == [
        warning("section.omitted-but-given", "单位 895001 写了上年末固定资产（国有资产信息）（assets），而 wording.omit 中写了 assets："
                "这部分不公开，所写的数不印出。要公开就从 omit 中删去它；不公开就删去这些数。",
                at("895001.yaml", 49, 3, "assets", "895/2024"))]


def test_general_budget_basic_expenditure_as_personnel_and_public_only(tmp_path):
    # 895's 事业收入 gives 人员经费 and 公用经费 only; the general budget's must be by 款 (its table lists them)
    tree = Tree(tmp_path, "895", 2024)
    text = tree.text("895001.yaml")
    start, end = text.index("    economic:\n      - {code: \"30101\", amount: 9000.00}"), text.index("  # 事业收入安排的基本支出")
    tree.write("895001.yaml", text[:start] + "    personnel: 26300.00\n    public: 3700.00\n" + text[end:])
    assert tree.report().problems == [
        error("basic.split-general", "一般公共预算拨款的基本支出要按经济分类款写 economic（一般公共预算财政拨款基本支出表按款列示）；"
              "personnel、public 只用于其他资金来源。不知道款时只写 function：表下注明未提供经济分类明细。",
              at("895001.yaml", 19, 16, "basic[0].personnel", "895/2024"))]


def test_personnel_and_public_that_do_not_add_up_to_the_functional_view(tmp_path):
    tree = Tree(tmp_path, "895", 2024).replace("895001.yaml", "personnel: 31000.00", "personnel: 31000.01")
    assert [p.code for p in tree.report().problems] == ["basic.views-disagree"]
