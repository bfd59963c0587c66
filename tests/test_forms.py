"""Optional detail and new structures, read back from the rendered documents.

data/898/2024 (a sub-district office): authored in 元, tables shown in 元 with thousands separators and
the text in 万元; the prior year known only as a total; the bureau's basic expenditure known by function
only; its procurement known only as category totals with the reserved SME share; 其中 lines under income
sources; 上年结转 and 使用非财政拨款结余; assets partly known; no prior-year 三公 given.
data/897/2024 (a welfare home): a 单位预算, one unit publishing alone; the prior year known only as its
财政拨款 part; a 事业单位, so no 机关运行经费.

Each test names the sentences the document must and must not contain. Expected figures are worked out
by hand from the YAML in the comments.
"""

from __future__ import annotations

import docxread
import pytest

from generator import DATA_ROOT, build
from generator.formats.output import write_publication


@pytest.fixture(scope="module")
def doc898(tmp_path_factory):
    publication, _ = build(DATA_ROOT, "898", 2024)
    return docxread.read(write_publication(publication, tmp_path_factory.mktemp("out") / "898.docx"))


@pytest.fixture(scope="module")
def doc897(tmp_path_factory):
    publication, _ = build(DATA_ROOT, "897", 2024)
    return docxread.read(write_publication(publication, tmp_path_factory.mktemp("out") / "897.docx"))


BUREAU = "一、示例市示例区示例街道办事处本级收支预算"
CENTRE = "二、示例市示例区示例街道社区服务中心收支预算"


def department(doc) -> str:
    return doc.part("示例市示例区示例街道办事处2024年部门预算信息公开情况说明", "第二部分 部门所属单位预算")


# ---------------------------------------------------------------- prior year as a total only

def test_prior_year_as_a_total_only(doc898):
    # prior 4,200,000.00 + 150,000.00 = 4,350,000.00 元; this year 4,544,150.00 − 年终结转 … expenditure
    # 4,544,150.00 − (30,000 + 5,000 − 10,000 carried) … = 454.42 万元, +19.42 万元
    text = department(doc898)
    assert "本年度预算收支安排454.42万元，较上年预算增加19.42万元。" in text
    for never in ("其中：基本支出增加", "基本支出持平", "基本支出减少", "主要原因"):
        assert never not in text
    # the centre: 11.235 万元 against 15.00 万元 → 减少3.765 → 3.77
    assert "本年度预算收支安排11.24万元，较上年预算减少3.77万元。" in doc898.part(CENTRE)


# ---------------------------------------------------------------- basic by function only

def test_function_only_basic_expenditure_says_the_breakdown_is_not_given(doc898):
    bureau = doc898.part(BUREAU, CENTRE)
    assert "基本支出423.18万元；" in bureau                      # 3,850,000 + 381,800 元
    assert "人员经费" not in bureau.split("3、比上年增减情况")[0].split("2、支出说明")[1]
    assert "注：基本支出未提供经济分类明细，本表不列示。" in bureau
    assert "我单位基本支出未按经济分类细化，机关运行经费不单独列示。" in bureau
    assert "机关运行经费预算共计" not in bureau and "0.00万元，其中：人员经费" not in doc898.text
    # the department inherits the unknown: no 人员经费 figure, no invented T6
    assert "基本支出424.92万元；" in department(doc898)
    assert "我部门基本支出未按经济分类细化，机关运行经费不单独列示。" in department(doc898)


def test_rounding_rule_each_figure_once_from_its_exact_amount(doc898):
    # 基本支出 17,350.00 元 = 人员 12,345.00 + 公用 5,005.00: each is rounded once from its exact amount,
    # 1.735 → 1.74, 1.2345 → 1.23, 0.5005 → 0.50, so the parts shown add up to 1.73, not 1.74 (README: 金额单位)
    centre = doc898.part(CENTRE)
    assert "基本支出1.74万元，其中：人员经费1.23万元，日常公用经费0.50万元；" in centre


# ---------------------------------------------------------------- procurement by category

def test_procurement_by_category_with_the_sme_share(doc898):
    bureau = doc898.part(BUREAU, CENTRE)
    assert ("安排政府采购预算20.00万元。其中：货物12.00万元、服务8.00万元。预留中小企业份额15.00万元，"
            "其中面向小微企业10.00万元。") in bureau
    assert "具体内容见下表" not in bureau.split("六、政府采购预算情况")[1].split("七、")[0]
    # the centre lists items: category and SME share computed from them, and its table
    centre = doc898.part(CENTRE)
    assert "安排政府采购预算1.00万元。其中：货物1.00万元。预留中小企业份额1.00万元，其中面向小微企业0.60万元。具体内容见下表。" in centre
    titles = [t for t, _ in doc898.tables]
    assert titles.count("单位政府采购预算") == 1  # the centre's; the bureau (totals only) and the department have none
    assert "部门政府采购预算" not in titles


# ---------------------------------------------------------------- money units per part

def test_tables_in_yuan_with_thousands_separators_and_text_in_wan(doc898):
    t1 = doc898.table("部门预算收支总表")
    assert t1[3][1:3] == ["一、一般公共预算拨款收入", "4,449,150.00"]  # 4,431,800.00 + 17,350.00 元
    assert doc898.captions[0][2] == "单位：元"
    t9 = [c for (title, _), c in zip(doc898.tables, doc898.captions) if title == "部门预算财政拨款“三公”经费支出表"]
    assert t9 == [["898示例市示例区示例街道办事处", "预算年度：2024", "单位：万元"]]
    assert "一般公共预算收入444.92万元" in department(doc898)  # 4,449,150.00 元 → 444.915 → 444.92
    assert doc898.table("部门固定资产占用情况表")[0][2] == "价值（单位：元）"


# ---------------------------------------------------------------- 其中 lines, 结转 and 结余

def test_income_detail_lines(doc898):
    t1 = doc898.table("部门预算收支总表")
    left = [r[1:3] for r in t1[3:]]
    assert left[4:6] == [["五、事业收入", "60,000.00"], ["其中：服务收费", "45,000.00"]]
    assert left[9:11] == [["九、其他收入", "10,000.00"], ["其中：捐赠收入", "8,000.00"]]
    assert "其中：事业收入中服务收费4.50万元；其他收入中捐赠收入0.80万元。" in department(doc898)


def test_carry_over_and_surplus(doc898):
    rows = {r[1]: r[2] for r in doc898.table("部门预算收支总表")[3:]}
    assert rows["上年结转"] == "30,000.00" and rows["使用非财政拨款结余"] == "5,000.00"
    assert "上年结转结余" not in rows
    assert rows["收入总计"] == "4,554,150.00"  # 4,519,150.00 + 30,000.00 + 5,000.00
    text = department(doc898)
    assert "上年结转3.00万元，使用非财政拨款结余0.50万元。" in text and "上年结转结余3.00" not in text
    assert doc898.table("部门预算收入总表")[0][-1] == "上年结转结余"  # T2's carry column holds both


# ---------------------------------------------------------------- unknowns are never 0.00

def test_unknown_figures_are_left_blank_or_unsaid(doc898):
    assets = {r[0]: r[1:] for r in doc898.table("部门固定资产占用情况表")[1:]}
    assert assets["固定资产总额"] == ["", "1,900,000.00"]          # the totals the units give: 1,520,000 + 380,000
    assert assets["1、房屋（平方米）"] == ["", ""]                # the bureau gives no buildings: unknown
    assert assets["2、车辆（台、辆）"] == ["2", ""]               # counts 2 + 0; the bureau's value is not given
    # no prior-year 三公 was given: no comparison is stated, and the comparison table is blank where unknown
    sangong = department(doc898).split("四、财政拨款“三公”经费预算情况")[1].split("五、预算绩效信息")[0]
    assert "预算安排0.00万元（详见下表）。其中：因公出国（境）费0.00万元；" in sangong
    assert "与上年持平" not in sangong and "比上年" not in sangong
    comparison = doc898.table("四、财政拨款“三公”经费预算情况及增减变化原因")
    assert comparison[-1] == ["合计", "", "0.00", "", ""]


# ---------------------------------------------------------------- 单位预算

def test_unit_budget_is_one_part_titled_unit(doc897):
    text = doc897.text
    assert "2024年单位预算" in text and "2024年部门预算" not in text
    assert "第一部分" not in text and "第二部分" not in text
    titles = [t for t, _ in doc897.tables]
    assert "单位预算收支总表" in titles and not [t for t in titles if t.startswith("部门")]
    assert titles.count("单位预算收支总表") == 1
    assert "（一）单位整体绩效目标" in text and "部门整体绩效目标" not in text
    assert "（含所属单位）" not in text and "我部门" not in text


def test_prior_year_as_its_fiscal_part_only(doc897):
    # this year's fiscal expenditure 182.09 + 30.00 = 212.09; prior 198.40 → +13.69
    assert "本年度预算收支安排212.09万元；财政拨款支出212.09万元，较上年预算增加13.69万元。" in doc897.text
    assert "主要原因" not in doc897.text


def test_a_public_institution_has_no_running_costs(doc897):
    assert "我单位无机关运行经费预算（机关运行经费只反映行政单位和参照公务员法管理的事业单位的运行经费）。" in doc897.text
    # and its 三公 prior year is given (empty: all zero), so 与上年持平 is true
    assert "预算安排0.00万元（详见下表），与上年持平。" in doc897.text


def test_performance_table_as_the_region_publishes_it(doc897, doc898):
    # 897's region publishes neither 绩效指标描述 nor 指标值确定依据, and requires no 成本指标
    table = doc897.table("1、特困供养人员生活补助绩效目标表")
    assert table[0] == ["绩效目标", "保障集中供养特困人员50人的基本生活。", "保障集中供养特困人员50人的基本生活。",
                        "保障集中供养特困人员50人的基本生活。"]
    assert table[1] == ["一级指标", "二级指标", "三级指标", "指标值"]
    assert table[2] == ["产出指标", "数量指标", "供养人数", "50人"]
    # 898 publishes the six columns (the default)
    assert doc898.table("1、社区网格化治理绩效目标表")[1] == ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值",
                                                        "指标值确定依据"]


def test_region_wording_from_configuration(tmp_path):
    # a central unit: another legal basis, its own glossary, and 本单位's word for itself
    import shutil
    root = tmp_path / "data"
    shutil.copytree(DATA_ROOT / "897" / "2024", root / "897" / "2024")
    dept = root / "897" / "2024" / "department.yaml"
    dept.write_text(dept.read_text(encoding="utf-8") + "\nwording:\n  legal_basis: 按照《中华人民共和国预算法》规定\n"
                    "  unit: 本单位\n  glossary: |\n    1、财政拨款收入：指中央财政当年拨付的资金。\n", encoding="utf-8")
    publication, _ = build(root, "897", 2024)
    doc = docxread.read(write_publication(publication, tmp_path / "897.docx"))
    assert "按照《中华人民共和国预算法》规定，现将示例市示例区社会福利院2024年本单位预算公开如下：" in doc.text
    assert "地方预决算公开操作规程" not in doc.text
    body = "\n".join(t for style, t in doc.paragraphs if not style.startswith("toc"))  # not the 目录's entries
    glossary = body.split("八、名词解释")[1].split("九、")[0]
    assert glossary.strip() == "1、财政拨款收入：指中央财政当年拨付的资金。"


def test_department_prior_year_from_its_units_only(tmp_path):
    # 899's department.yaml restates its units' prior year; without it the department's is their sum
    import shutil
    root = tmp_path / "data"
    shutil.copytree(DATA_ROOT / "899" / "2024", root / "899" / "2024")
    dept = root / "899" / "2024" / "department.yaml"
    text = dept.read_text(encoding="utf-8")
    start = text.index("prior_year:")
    end = text.index("\n\n", start)
    dept.write_text(text[:start] + text[end + 2:], encoding="utf-8")
    assert "prior_year" not in dept.read_text(encoding="utf-8")
    publication, report = build(root, "899", 2024)
    # 560.20 + 130.00 + 26.00 = 716.20 from the units; 798.09 − 716.20 = 81.89
    assert str(publication.scope.figures.prior_total) == "716.20"
    assert str(publication.scope.figures.change_total) == "81.89"
    doc = docxread.read(write_publication(publication, tmp_path / "899.docx"))
    assert "本年度预算收支安排798.09万元，较上年预算增加81.89万元" in doc.text


def test_a_unit_budget_is_written_under_its_own_title():
    from generator.formats.output import default_path
    publication, _ = build(DATA_ROOT, "897", 2024)
    assert default_path(publication).name == "示例市示例区社会福利院2024年单位预算.docx"
    assert publication.department.title == "示例市示例区社会福利院2024年单位预算"


def test_performance_parts_the_sources_do_not_give_are_left_out(doc897, doc898):
    # 897 gives only its overall target: no empty 分项/保障措施 headings, no invented 专项资金 “无”
    perf = doc897.text.split("五、预算绩效信息")[-1].split("六、政府采购预算情况")[0]
    lines = [line for line in perf.splitlines() if line.strip()]
    assert lines[:4] == ["（一）单位整体绩效目标", "1、总体绩效目标", "保障集中供养对象基本生活，提升院内照料和康复服务水平。",
                         "（二）预算项目绩效目标"]
    for never in ("分项绩效目标", "工作保障措施", "专项资金绩效目标", "无"):
        assert never not in lines
    perf898 = department(doc898).split("五、预算绩效信息")[1].split("六、政府采购预算情况")[0]
    assert "（二）预算项目绩效目标" in perf898 and "专项资金" not in perf898
