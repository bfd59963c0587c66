"""Department 899 (fictional, data/899/2024): every table non-empty, figures computed by hand.

Each expectation below was worked out on paper from the YAML facts; the comment
above it shows the arithmetic. Units: 899001 本级 (行政), 899002 文化馆 (公益一类),
899003 旅游服务中心 (公益二类).

Facts used (万元):
  899001  一般公共预算 basic 307.14 (function 304.74 + item 2070101/30229 2.40);
          projects 文化市场执法检查 2070112 36.00, 公务用车更新购置 2070199 18.00,
          全域旅游发展规划编制 2070114 12.00 (carry-over), 国企退休人员补助 2230105 25.00 (国有资本);
          carry-over 一般公共预算 in 15.00 / out 3.00.
  899002  一般公共预算 basic 154.11; projects 非遗 2070111 24.00, 惠民演出 2070109 30.00,
          辅导员培训 2070109 8.00 (上级补助); 对附属单位补助 2070109 6.00 (事业收入);
          carry-over 事业收入 in 5.00 / out 5.00.
  899003  一般公共预算 basic 87.34; 事业收入 basic 20.00 (30199 8.00 + 30226 12.00) and
          carry-over basic 4.00 (30213); project 宣传促销 2070701 45.00 (政府性基金);
          经营支出 2070199 18.50; 上解上级 2070199 3.00 (事业收入);
          carry-over 事业收入 in 10.00 / out 6.00.
"""

from decimal import Decimal as D

import pytest

from generator import DATA_ROOT, build
from generator.figures import tables

Z = D("0")


@pytest.fixture(scope="module")
def pub899():
    publication, report = build(DATA_ROOT, "899", 2024)
    return publication


@pytest.fixture(scope="module")
def report899():
    publication, report = build(DATA_ROOT, "899", 2024)
    return report


@pytest.fixture(scope="module")
def dept(pub899):
    return pub899.scope


def unit(pub, code):
    (scope,) = [u for u in pub.units if u.code == code]
    return scope


def row(rows, code):
    """The tree row of a code, values only."""
    (r,) = [r for r in rows if r[0] == code]
    return r[2:]


def t1_income(t1):
    return [r[1] for r in t1[:9]]


def t1_classes(t1):
    return {r[2]: r[3] for r in t1[:31]}


def t1_zero_classes_except(t1, nonzero):
    return {label: v for label, v in t1_classes(t1).items() if label not in nonzero and v != 0}


# ------------------------------------------------------------------ warnings

def test_uncatalogued_codes_only_warn(report899):
    codes = sorted(w.message.split("编码 ")[1].split(" ")[0] for w in report899.warnings)
    # 20707 and 2070701 (旅游发展基金), 22301 and 2230105 (国有资本经营) are not in the catalogue.
    assert codes == ["20707", "2070701", "22301", "2230105"]


# ------------------------------------------------------------------ every table non-empty

@pytest.mark.parametrize("attr", ["t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9", "procurement"])
def test_every_table_has_a_nonzero_amount(dept, attr):
    rows = getattr(dept, attr)
    assert any(isinstance(v, D) and v != 0 for r in rows for v in r), attr


# ------------------------------------------------------------------ T1 收支总表

def test_t1_department(dept):
    t1 = dept.t1
    assert len(t1) == 31 + 3
    assert [r[0] for r in t1[:9]] == ["一、一般公共预算拨款收入", "二、政府性基金预算拨款收入",
                                      "三、国有资本经营预算拨款收入", "四、财政专户管理资金收入", "五、事业收入",
                                      "六、事业单位经营收入", "七、上级补助收入", "八、附属单位上缴收入", "九、其他收入"]
    assert t1_income(t1) == [
        # 一般公共预算: 361.14 + 208.11 + 87.34 = 656.59
        D("656.59"),
        # 政府性基金: 899003 宣传促销 45.00
        D("45.00"),
        # 国有资本经营: 899001 国企退休人员补助 25.00
        D("25.00"),
        Z,
        # 事业收入: 899002 6.00 + 899003 23.00 = 29.00
        D("29.00"),
        # 事业单位经营收入: 899003 18.50
        D("18.50"),
        # 上级补助收入: 899002 8.00
        D("8.00"),
        Z, Z]
    classes = t1_classes(t1)
    # 207: 899001 192.90 + 2.40 + 36.00 + 18.00 + 12.00 = 261.30
    #      899002 112.90 + 24.00 + 30.00 + 8.00 + 6.00 = 180.90
    #      899003 66.70 + 20.00 + 4.00 + 45.00 + 18.50 + 3.00 = 157.20
    #      261.30 + 180.90 + 157.20 = 599.40
    assert classes["七、文化旅游体育与传媒支出"] == D("599.40")
    # 208: 44.00 + 25.60 + 12.80 + 15.55 + 7.78 + 9.60 = 115.33
    assert classes["八、社会保障和就业支出"] == D("115.33")
    # 210: 10.24 + 6.22 + 3.84 = 20.30
    assert classes["十、卫生健康支出"] == D("20.30")
    # 221: 19.20 + 11.66 + 7.20 = 38.06
    assert classes["二十、住房保障支出"] == D("38.06")
    # 223: 25.00
    assert classes["二十二、国有资本经营预算支出"] == D("25.00")
    assert t1_zero_classes_except(t1, {"七、文化旅游体育与传媒支出", "八、社会保障和就业支出", "十、卫生健康支出",
                                       "二十、住房保障支出", "二十二、国有资本经营预算支出"}) == {}
    # 本年收入: 656.59 + 45.00 + 25.00 + 29.00 + 18.50 + 8.00 = 782.09
    # 本年支出: 599.40 + 115.33 + 20.30 + 38.06 + 25.00 = 798.09
    assert t1[31] == ["本年收入合计", D("782.09"), "本年支出合计", D("798.09")]
    # 上年结转: 15.00 + 5.00 + 10.00 = 30.00; 年终结转: 3.00 + 5.00 + 6.00 = 14.00
    assert t1[32] == ["上年结转结余", D("30.00"), "年终结转结余", D("14.00")]
    # 782.09 + 30.00 = 812.09; 798.09 + 14.00 = 812.09
    assert t1[33] == ["收入总计", D("812.09"), "支出总计", D("812.09")]


def test_t1_unit_899003(pub899):
    t1 = unit(pub899, "899003").t1
    # 87.34, 45.00, 0, 0, 事业收入 20.00 + 3.00 = 23.00, 经营 18.50
    assert t1_income(t1) == [D("87.34"), D("45.00"), Z, Z, D("23.00"), D("18.50"), Z, Z, Z]
    classes = t1_classes(t1)
    # 207: 66.70 + 20.00 + 4.00 + 45.00 + 18.50 + 3.00 = 157.20
    assert classes["七、文化旅游体育与传媒支出"] == D("157.20")
    assert classes["八、社会保障和就业支出"] == D("9.60")
    assert classes["十、卫生健康支出"] == D("3.84")
    assert classes["二十、住房保障支出"] == D("7.20")
    assert t1_zero_classes_except(t1, {"七、文化旅游体育与传媒支出", "八、社会保障和就业支出", "十、卫生健康支出",
                                       "二十、住房保障支出"}) == {}
    # 收入 87.34 + 45.00 + 23.00 + 18.50 = 173.84; 支出 157.20 + 9.60 + 3.84 + 7.20 = 177.84
    assert t1[31] == ["本年收入合计", D("173.84"), "本年支出合计", D("177.84")]
    assert t1[32] == ["上年结转结余", D("10.00"), "年终结转结余", D("6.00")]
    # 173.84 + 10.00 = 183.84 = 177.84 + 6.00
    assert t1[33] == ["收入总计", D("183.84"), "支出总计", D("183.84")]


def test_t1_unit_899001(pub899):
    t1 = unit(pub899, "899001").t1
    assert t1_income(t1) == [D("361.14"), Z, D("25.00"), Z, Z, Z, Z, Z, Z]
    # 收入 361.14 + 25.00 = 386.14; 支出 261.30 + 82.40 + 10.24 + 19.20 + 25.00 = 398.14
    assert t1[31] == ["本年收入合计", D("386.14"), "本年支出合计", D("398.14")]
    assert t1[32] == ["上年结转结余", D("15.00"), "年终结转结余", D("3.00")]
    # 386.14 + 15.00 = 401.14 = 398.14 + 3.00
    assert t1[33] == ["收入总计", D("401.14"), "支出总计", D("401.14")]


# ------------------------------------------------------------------ T2 收入总表
# columns: 合计 | 小计, 财政拨款, 财政专户, 事业, 经营, 上级补助, 附属单位上缴, 其他 | 上年结转

def test_t2_department(dept):
    t2 = dept.t2
    assert t2[0][:2] == ["", "合计"]
    assert t2[0][2:] == [
        # 合计 = T1 本年支出 798.09
        D("798.09"),
        # 小计 = 798.09 − carry-over spending (12.00 + 4.00) = 782.09
        D("782.09"),
        # 财政拨款 656.59 + 45.00 + 25.00 = 726.59
        D("726.59"),
        Z,
        D("29.00"), D("18.50"), D("8.00"), Z, Z,
        # 上年结转: 899001 规划编制 12.00 + 899003 basic 4.00 = 16.00
        D("16.00")]
    # 类 207: 财政拨款 = 一般 (249.30 + 166.90 + 66.70) + 基金 45.00 = 527.90
    #   (899001 249.30 = 192.90 + 2.40 + 36.00 + 18.00; 899002 166.90 = 112.90 + 24.00 + 30.00)
    #   事业 6.00 + 20.00 + 3.00 = 29.00; 小计 527.90 + 29.00 + 18.50 + 8.00 = 583.40; + 16.00 = 599.40
    assert row(t2, "207") == [D("599.40"), D("583.40"), D("527.90"), Z, D("29.00"), D("18.50"), D("8.00"),
                              Z, Z, D("16.00")]
    # 款 20707 (not in the catalogue; named in department.yaml): 宣传促销 45.00, 财政拨款
    assert [r for r in t2 if r[0] == "20707"][0][1] == "旅游发展基金支出"
    assert row(t2, "20707") == [D("45.00"), D("45.00"), D("45.00"), Z, Z, Z, Z, Z, Z, Z]
    # 款 20701 = 207 − 20707: 599.40 − 45.00 = 554.40; 小计 583.40 − 45.00 = 538.40; 财政 527.90 − 45.00 = 482.90
    assert row(t2, "20701") == [D("554.40"), D("538.40"), D("482.90"), Z, D("29.00"), D("18.50"), D("8.00"),
                                Z, Z, D("16.00")]
    # 项 2070109 群众文化: basic 112.90 + 惠民演出 30.00 (财政) + 培训 8.00 (上级) + 对附属 6.00 (事业) = 156.90
    #   财政 112.90 + 30.00 = 142.90
    assert row(t2, "2070109") == [D("156.90"), D("156.90"), D("142.90"), Z, D("6.00"), Z, D("8.00"), Z, Z, Z]
    # 项 2070199: 899001 车 18.00 + 899003 basic 66.70 + 事业 basic 20.00 + 结转 4.00 + 经营 18.50 + 上解 3.00 = 130.20
    #   小计 130.20 − 4.00 = 126.20; 财政 18.00 + 66.70 = 84.70; 事业 20.00 + 3.00 = 23.00
    assert row(t2, "2070199") == [D("130.20"), D("126.20"), D("84.70"), Z, D("23.00"), D("18.50"), Z, Z, Z,
                                  D("4.00")]
    # 项 2070701: name from the source
    assert [r for r in t2 if r[0] == "2070701"][0][1] == "宣传促销"
    # 类 223 / 款 22301 / 项 2230105: 25.00 国有资本经营
    for code in ("223", "22301", "2230105"):
        assert row(t2, code) == [D("25.00"), D("25.00"), D("25.00"), Z, Z, Z, Z, Z, Z, Z], code
    # 类 208: 115.33, all 一般公共预算
    assert row(t2, "208") == [D("115.33"), D("115.33"), D("115.33"), Z, Z, Z, Z, Z, Z, Z]


def test_t2_tree_order(dept):
    codes = [r[0] for r in dept.t2[1:]]
    assert codes == sorted(codes)
    assert codes[:3] == ["207", "20701", "2070101"]
    assert "2080501" in codes and "2101102" in codes


def test_t2_unit_899003(pub899):
    t2 = unit(pub899, "899003").t2
    # 合计 177.84; 小计 173.84; 财政 87.34 + 45.00 = 132.34; 事业 23.00; 经营 18.50; 结转 4.00
    assert t2[0][2:] == [D("177.84"), D("173.84"), D("132.34"), Z, D("23.00"), D("18.50"), Z, Z, Z, D("4.00")]


# ------------------------------------------------------------------ T3 支出总表
# columns: 合计, 基本, 项目, 经营, 上解上级, 对附属单位补助

def test_t3_department(dept):
    assert dept.t3[0][2:] == [
        D("798.09"),
        # 基本 307.14 + 154.11 + (87.34 + 20.00 + 4.00) = 572.59
        D("572.59"),
        # 项目 (36.00 + 18.00 + 25.00 + 12.00) + (24.00 + 30.00 + 8.00) + 45.00 = 91.00 + 62.00 + 45.00 = 198.00
        D("198.00"),
        D("18.50"), D("3.00"), D("6.00")]
    # check: 572.59 + 198.00 + 18.50 + 3.00 + 6.00 = 798.09


def test_t3_unit_899003(pub899):
    # basic 87.34 + 20.00 + 4.00 = 111.34; 111.34 + 45.00 + 18.50 + 3.00 = 177.84
    assert unit(pub899, "899003").t3[0][2:] == [D("177.84"), D("111.34"), D("45.00"), D("18.50"), D("3.00"), Z]


# ------------------------------------------------------------------ T4 财政拨款收支总表

def test_t4_department(dept):
    t4 = dept.t4
    assert [r[:2] for r in t4[:3]] == [["一、一般公共预算拨款", D("656.59")], ["二、政府性基金预算拨款", D("45.00")],
                                       ["三、国有资本经营预算拨款", D("25.00")]]
    by_class = {r[2]: r[3:] for r in t4[:31]}
    # 207 一般: 249.30 + 166.90 + 66.70 + 规划编制 (结转) 12.00 = 494.90; 基金 45.00; 494.90 + 45.00 = 539.90
    assert by_class["七、文化旅游体育与传媒支出"] == [D("539.90"), D("494.90"), D("45.00"), Z]
    assert by_class["二十二、国有资本经营预算支出"] == [D("25.00"), Z, Z, D("25.00")]
    assert by_class["八、社会保障和就业支出"] == [D("115.33"), D("115.33"), Z, Z]
    # 本年收入 656.59 + 45.00 + 25.00 = 726.59
    # 本年支出 539.90 + 115.33 + 20.30 + 38.06 + 25.00 = 738.59; 一般 494.90 + 115.33 + 20.30 + 38.06 = 668.59
    assert t4[31] == ["本年收入合计", D("726.59"), "本年支出合计", D("738.59"), D("668.59"), D("45.00"), D("25.00")]
    # 年初 15.00 (899001 一般); 年末 3.00
    assert t4[32] == ["年初财政拨款结转和结余", D("15.00"), "年末财政拨款结转和结余", D("3.00"), D("3.00"), Z, Z]
    assert [r[:2] for r in t4[33:36]] == [["一、一般公共预算拨款", D("15.00")], ["二、政府性基金预算拨款", Z],
                                          ["三、国有资本经营预算拨款", Z]]
    # 726.59 + 15.00 = 741.59; 738.59 + 3.00 = 741.59; 一般 668.59 + 3.00 = 671.59
    assert t4[36] == ["收入总计", D("741.59"), "支出总计", D("741.59"), D("671.59"), D("45.00"), D("25.00")]


def test_t4_unit_899001(pub899):
    t4 = unit(pub899, "899001").t4
    # 收入 361.14 + 25.00 = 386.14; 支出 一般 361.14 + 12.00 = 373.14, 国资 25.00, 合计 398.14
    assert t4[31] == ["本年收入合计", D("386.14"), "本年支出合计", D("398.14"), D("373.14"), Z, D("25.00")]
    assert t4[32] == ["年初财政拨款结转和结余", D("15.00"), "年末财政拨款结转和结余", D("3.00"), D("3.00"), Z, Z]
    # 386.14 + 15.00 = 401.14; 398.14 + 3.00 = 401.14; 373.14 + 3.00 = 376.14
    assert t4[36] == ["收入总计", D("401.14"), "支出总计", D("401.14"), D("376.14"), Z, D("25.00")]


def test_t4_unit_899003(pub899):
    t4 = unit(pub899, "899003").t4
    # 87.34 + 45.00 = 132.34; no fiscal carry-over (事业收入 carry-over is not fiscal)
    assert t4[31] == ["本年收入合计", D("132.34"), "本年支出合计", D("132.34"), D("87.34"), D("45.00"), Z]
    assert t4[32] == ["年初财政拨款结转和结余", Z, "年末财政拨款结转和结余", Z, Z, Z, Z]
    assert t4[36] == ["收入总计", D("132.34"), "支出总计", D("132.34"), D("87.34"), D("45.00"), Z]


# ------------------------------------------------------------------ T5 / T7 / T8

def test_t5_t7_t8_department(dept):
    # T5 一般: basic 307.14 + 154.11 + 87.34 = 548.59; project 36.00 + 18.00 + 12.00 + 24.00 + 30.00 = 120.00
    #   548.59 + 120.00 = 668.59 (= T4 一般 本年支出)
    assert dept.t5[0] == ["", "合计", D("668.59"), D("548.59"), D("120.00")]
    # T5 项 2070101 行政运行: 192.90 + item 2.40 = 195.30, all basic
    assert row(dept.t5, "2070101") == [D("195.30"), D("195.30"), Z]
    # T7 政府性基金: 宣传促销 45.00
    assert dept.t7[0] == ["", "合计", D("45.00"), Z, D("45.00")]
    assert [r[0] for r in dept.t7[1:]] == ["207", "20707", "2070701"]
    # T8 国有资本经营: 25.00
    assert dept.t8[0] == ["", "合计", D("25.00"), Z, D("25.00")]
    assert [r[0] for r in dept.t8[1:]] == ["223", "22301", "2230105"]
    assert [r[1] for r in dept.t8[1:]] == ["国有资本经营预算支出", "解决历史遗留问题及改革成本支出",
                                           "国有企业退休人员社会化管理补助支出"]


def test_t5_t7_t8_units(pub899):
    u1, u3 = unit(pub899, "899001"), unit(pub899, "899003")
    # 899001 T5: 307.14 + (36.00 + 18.00 + 12.00 = 66.00) = 373.14
    assert u1.t5[0][2:] == [D("373.14"), D("307.14"), D("66.00")]
    assert u1.t8[0][2:] == [D("25.00"), Z, D("25.00")]
    assert u1.t7[0][2:] == [Z, Z, Z]
    assert u3.t7[0][2:] == [D("45.00"), Z, D("45.00")]
    assert u3.t5[0][2:] == [D("87.34"), D("87.34"), Z]


# ------------------------------------------------------------------ T6 一般公共预算基本支出 (economic)

def test_t6_department(dept):
    t6 = dept.t6
    # 301: 899001 226.24 + 899002 137.81 + 899003 80.64 = 444.69
    # 303: 899001 42.50 + 1.50 = 44.00
    # 人员 444.69 + 44.00 = 488.69
    # 302: 899001 34.50 + 福利费 item 2.40 = 36.90; 899002 16.30; 899003 6.70; 36.90 + 16.30 + 6.70 = 59.90
    # 合计 488.69 + 59.90 = 548.59 (= T5 basic; 899003's 事业收入 basic is not here)
    assert t6[0] == ["", "合计", D("548.59"), D("488.69"), D("59.90")]
    assert row(t6, "301") == [D("444.69"), D("444.69"), Z]
    assert row(t6, "302") == [D("59.90"), Z, D("59.90")]
    assert row(t6, "303") == [D("44.00"), D("44.00"), Z]
    # 款 30101: 86.40 + 48.60 + 32.40 = 167.40
    assert row(t6, "30101") == [D("167.40"), D("167.40"), Z]
    # 款 30201: 6.80 + 3.20 + 2.40 = 12.40
    assert row(t6, "30201") == [D("12.40"), Z, D("12.40")]
    # 款 30229 (from the item with both codes): 2.40
    assert row(t6, "30229") == [D("2.40"), Z, D("2.40")]
    assert "30199" not in [r[0] for r in t6] and "30226" not in [r[0] for r in t6]


def test_t6_unit_899003(pub899):
    # 80.64 + 6.70 = 87.34
    assert unit(pub899, "899003").t6[0][2:] == [D("87.34"), D("80.64"), D("6.70")]


# ------------------------------------------------------------------ T9 三公 and the comparison

def test_t9_department(dept):
    # columns: 合计, 一般公共预算, 政府性基金, 国有资本经营
    assert dept.t9 == [
        # 18.00 + 4.80 + (2.00 + 0.80 + 0.50 + 1.20) = 27.30; 一般 27.30 − 1.20 = 26.10
        ["合计", D("27.30"), D("26.10"), D("1.20"), Z],
        ["一、因公出国（境）费", Z, Z, Z, Z],
        # 18.00 + 4.80 = 22.80
        ["二、公务用车购置及运维费", D("22.80"), D("22.80"), Z, Z],
        ["其中：公务用车购置费", D("18.00"), D("18.00"), Z, Z],
        ["公务用车运行维护费", D("4.80"), D("4.80"), Z, Z],
        # 2.00 + 0.80 + 0.50 = 3.30 一般; + 1.20 基金 = 4.50
        ["三、公务接待费", D("4.50"), D("3.30"), D("1.20"), Z],
    ]


def test_t9_unit_899003(pub899):
    t9 = unit(pub899, "899003").t9
    # 0.50 + 1.20 = 1.70
    assert t9[0] == ["合计", D("1.70"), D("0.50"), D("1.20"), Z]
    assert t9[5] == ["三、公务接待费", D("1.70"), D("0.50"), D("1.20"), Z]


def comparison(scope):
    return {r.category: (r.prior, r.current, r.change) for r in scope.sangong_comparison}


def test_sangong_comparison_department(dept):
    assert comparison(dept) == {
        # prior 899003 3.00 → 0
        "因公出国（境）费": (D("3.00"), Z, D("-3.00")),
        "公务用车购置费": (Z, D("18.00"), D("18.00")),
        # 5.20 → 4.80: 4.80 − 5.20 = −0.40
        "公务用车运行维护费": (D("5.20"), D("4.80"), D("-0.40")),
        # prior 1.50 + 1.00 + 1.20 = 3.70; current 4.50; 4.50 − 3.70 = 0.80
        "公务接待费": (D("3.70"), D("4.50"), D("0.80")),
        # prior 3.00 + 0 + 5.20 + 3.70 = 11.90; 27.30 − 11.90 = 15.40
        "合计": (D("11.90"), D("27.30"), D("15.40")),
    }
    reasons = {r.category: r.reason for r in dept.sangong_comparison}
    assert all(reasons.values())
    f = dept.figures
    assert f.sangong == D("27.30")
    # 18.00 + 4.80 = 22.80; prior 0 + 5.20 = 5.20
    assert (f.sangong_vehicles, f.sangong_vehicles_prior) == (D("22.80"), D("5.20"))


def test_sangong_comparison_unit_899003(pub899):
    assert comparison(unit(pub899, "899003")) == {
        "因公出国（境）费": (D("3.00"), Z, D("-3.00")),
        "公务用车购置费": (Z, Z, Z),
        "公务用车运行维护费": (Z, Z, Z),
        # 1.20 → 0.50 + 1.20 = 1.70: +0.50
        "公务接待费": (D("1.20"), D("1.70"), D("0.50")),
        # 4.20 → 1.70: −2.50
        "合计": (D("4.20"), D("1.70"), D("-2.50")),
    }


# ------------------------------------------------------------------ narrative

def test_narrative_department(dept):
    f = dept.figures
    # 本年收入 782.09 + 上年结转 30.00 = 812.09
    assert f.income_total == D("812.09")
    assert f.income_this_year == D("782.09")
    assert (f.income_general, f.income_fund, f.income_capital) == (D("656.59"), D("45.00"), D("25.00"))
    # 其他来源: 事业 29.00 + 经营 18.50 + 上级 8.00 = 55.50
    assert f.income_other_sources == D("55.50")
    assert (f.carry_in, f.carry_out) == (D("30.00"), D("14.00"))
    assert f.expenditure_total == D("798.09")
    assert f.basic == D("572.59")
    # 人员经费 over all basic expenditure: T6 人员 488.69 + 899003 30199 (事业收入) 8.00 = 496.69
    assert f.personnel == D("496.69")
    # 公用 572.59 − 496.69 = 75.90 (= T6 公用 59.90 + 30226 12.00 + 30213 结转 4.00)
    assert f.public == D("75.90")
    assert f.project == f.project_own == D("198.00")
    assert (f.operating, f.to_superior, f.to_subordinate) == (D("18.50"), D("3.00"), D("6.00"))
    # prior 560.20 + 130.00 + other 26.00 = 716.20
    assert f.prior_total == D("716.20")
    # 572.59 − 560.20 = 12.39
    assert f.change_basic == D("12.39")
    # 198.00 − 130.00 = 68.00
    assert f.change_project == D("68.00")


def test_change_total_department(dept):
    # This year: 572.59 + 198.00 + 经营 18.50 + 上解 3.00 + 对附属 6.00 = 798.09.
    # Prior year: 560.20 + 130.00 + other 26.00 = 716.20. 798.09 − 716.20 = 81.89
    # = 12.39 (basic) + 68.00 (project) + 1.50 (other: 27.50 − 26.00).
    f = dept.figures
    assert f.change_total == D("81.89")
    assert f.change_other == D("1.50")
    assert f.change_total == f.change_basic + f.change_project + f.change_other


def test_narrative_unit_899001(pub899):
    f = unit(pub899, "899001").figures
    # 386.14 + 15.00 = 401.14
    assert f.income_total == D("401.14")
    assert f.basic == D("307.14")
    # 226.24 + 44.00 = 270.24; 307.14 − 270.24 = 36.90
    assert (f.personnel, f.public) == (D("270.24"), D("36.90"))
    # 36.00 + 18.00 + 25.00 + 12.00 = 91.00
    assert f.project == D("91.00")
    # 307.14 − 298.60 = 8.54; 91.00 − 52.00 = 39.00; 398.14 − 350.60 = 47.54 (no other kinds here)
    assert (f.change_basic, f.change_project, f.change_total) == (D("8.54"), D("39.00"), D("47.54"))


def test_narrative_unit_899003(pub899):
    f = unit(pub899, "899003").figures
    # 173.84 + 10.00 = 183.84
    assert f.income_total == D("183.84")
    assert f.basic == D("111.34")
    # 80.64 + 30199 8.00 = 88.64; 111.34 − 88.64 = 22.70
    assert (f.personnel, f.public) == (D("88.64"), D("22.70"))
    assert f.project == D("45.00")
    # 111.34 − 101.20 = 10.14; 45.00 − 30.00 = 15.00
    assert (f.change_basic, f.change_project) == (D("10.14"), D("15.00"))


def test_change_total_unit_899003(pub899):
    # (111.34 + 45.00 + 经营 18.50 + 上解 3.00) − (101.20 + 30.00 + other 20.00)
    # = 177.84 − 151.20 = 26.64 = 10.14 + 15.00 + 1.50
    assert unit(pub899, "899003").figures.change_total == D("26.64")


def test_running_costs_department_is_its_administrative_unit(dept, pub899):
    # 机关运行经费 counts 行政 and 参公 units only: of 899's three units, 899001 (行政) alone;
    # the 文化馆 and the 旅游服务中心 are 事业单位. T6's 公用经费 (all units) stays 59.90.
    u = unit(pub899, "899001")
    assert dept.figures.running_costs == u.figures.running_costs == D("36.90")
    assert dept.running_costs == u.running_costs
    assert tables.T6.get(dept.t6[0], "public") == D("59.90")
    for code in ("899002", "899003"):
        s = unit(pub899, code)
        assert (s.figures.has_running_costs, s.figures.running_costs, s.running_costs) == (False, Z, [])
    assert dept.figures.has_running_costs and u.figures.has_running_costs


def test_running_costs_unit_899001(pub899):
    u = unit(pub899, "899001")
    # 34.50 + 2.40 = 36.90
    assert u.figures.running_costs == D("36.90")
    labels = [label for label, _ in u.running_costs]
    assert labels == ["办公费", "邮电费", "公务移动通讯费用补贴", "差旅费", "公务接待费", "工会经费", "福利费",
                      "公务用车运行维护费", "公务交通补贴"]


def test_projects_listed(dept):
    names = [p.name for p in dept.projects]
    assert names == ["文化市场执法检查", "公务用车更新购置", "区属文化国企退休人员社会化管理补助", "全域旅游发展规划编制",
                     "非遗传承人传习补助", "群众文化惠民演出", "基层文化辅导员培训", "全域旅游宣传促销"]
    # 36 + 18 + 25 + 12 + 24 + 30 + 8 + 45 = 198.00
    assert sum(p.amount for p in dept.projects) == D("198.00")


# ------------------------------------------------------------------ procurement and assets

def test_procurement(dept):
    # 18.00 + 3.30 + 9.00 + 12.00 + 1.40 = 43.70
    assert dept.figures.procurement == D("43.70")
    assert len(dept.procurement) == 5
    # columns: 项目, 项目金额, 物品, 目录序号, 单位, 数量, 单价, 合计, 一般, 基金, 国资, 专户, 单位资金, 财政结转,
    #          非财政结转, 中小企业
    assert dept.procurement[0] == ["公务用车更新购置", D("18.00"), "轿车", "A02030500", "辆", D("1"), D("18.00"),
                                   D("18.00"), D("18.00"), Z, Z, Z, Z, Z, Z, Z]
    # 4 × 0.35 = 1.40 = 一般 0.80 + 单位资金 0.60; basic expenditure, no project amount
    assert dept.procurement[4] == ["基本支出", None, "办公桌椅", "A05010000", "套", D("4"), D("0.35"), D("1.40"),
                                   D("0.80"), Z, Z, Z, D("0.60"), Z, Z, Z]


def test_procurement_units(pub899):
    assert unit(pub899, "899003").figures.procurement == D("13.40")   # 12.00 + 1.40
    assert unit(pub899, "899001").figures.procurement == D("21.30")   # 18.00 + 3.30


def test_assets_department(dept):
    assert dept.assets_as_of == "2023-12-31"
    values = {label: (count, value) for label, count, value in dept.assets}
    # count: vehicles 3 + 0 + 1 = 4, equipment 0 + 1 + 0 = 1, other 215 + 342 + 88 = 645; 4 + 1 + 645 = 650
    # value: buildings 486.50 + 920.00 + 132.00 = 1538.50, vehicles 42.60 + 16.80 = 59.40, equipment 68.00,
    #        other 58.34 + 86.25 + 23.46 = 168.05; 1538.50 + 59.40 + 68.00 + 168.05 = 1833.95
    assert values["固定资产总额"] == (D("650"), D("1833.95"))
    # area 1260 + 2400 + 450 = 4110
    assert values["1、房屋（平方米）"] == (D("4110"), D("1538.50"))
    # 980 + 300 + 450 = 1730; 378.20 + 95.00 + 132.00 = 605.20
    assert values["其中：办公用房（平方米）"] == (D("1730"), D("605.20"))
    assert values["2、车辆（台、辆）"] == (D("4"), D("59.40"))
    assert values["3、单价在50万元以上的设备(台、套)"] == (D("1"), D("68.00"))
    assert values["单价100万元（含）以上的专用设备"] == (D("1"), D("68.00"))
    assert values["4、其他固定资产"] == (D("645"), D("168.05"))
    assert (dept.figures.assets_count, dept.figures.assets_value) == (D("650"), D("1833.95"))


def test_assets_unit_899003(pub899):
    f = unit(pub899, "899003").figures
    # count 1 + 0 + 88 = 89; value 132.00 + 16.80 + 0 + 23.46 = 172.26
    assert (f.assets_count, f.assets_value) == (D("89"), D("172.26"))
