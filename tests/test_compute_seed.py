"""The figures computed from data/304/2023 equal the seed's, table by table, row by row."""

from decimal import Decimal

import pytest
import seedtext

from generator.figures.money import cell


def formatted(rows):
    """Computed rows as the published table shows them: 序号 first, blank for zero."""
    out = []
    for i, row in enumerate(rows, 1):
        out.append([str(i)] + [cell(v) if isinstance(v, Decimal) else (v or "") for v in row])
    return out


TABLES = [
    ("t1", "预算收支总表"),
    ("t2", "预算收入总表"),
    ("t3", "预算支出总表"),
    ("t4", "预算财政拨款收支总表"),
    ("t5", "预算一般公共预算财政拨款支出表"),
    ("t6", "预算一般公共预算财政拨款基本支出表"),
    ("t9", "预算财政拨款“三公”经费支出表"),
]


@pytest.mark.parametrize("attr,title", TABLES)
def test_department_tables_equal_seed(pub304, attr, title):
    seed_rows = seedtext.table("部门" + title)
    assert formatted(getattr(pub304.scope, attr)) == seed_rows


@pytest.mark.parametrize("attr,title", TABLES)
def test_unit_tables_equal_seed(pub304, attr, title):
    # The seed's unit part mistitles its 三公 table with 部门; every other table says 单位.
    prefix = "部门" if attr == "t9" else "单位"
    seed_rows = seedtext.table(prefix + title, part="unit")
    (unit,) = pub304.units
    assert unit.code == "304001"
    assert formatted(getattr(unit, attr)) == seed_rows


@pytest.mark.parametrize("attr", ["t7", "t8"])
def test_empty_fund_tables(pub304, attr):
    # The seed shows T7 and T8 with no body rows: no 政府性基金 or 国有资本经营 money.
    assert seedtext.table("部门预算国有资本经营预算财政拨款支出表") == []
    assert seedtext.table("部门预算政府基金预算财政拨款支出表") == []
    rows = getattr(pub304.scope, attr)
    assert rows == [["", "合计", 0, 0, 0]]


def seed_number(pattern, text=None):
    import re
    m = re.search(pattern, text or seedtext.SEED)
    assert m, pattern
    return Decimal(m.group(1))


def test_income_narrative(pub304):
    f = pub304.scope.figures
    assert f.income_total == seed_number(r"2023年部门预算收入为([0-9.]+)万元")
    assert f.income_general == seed_number(r"一般公共预算收入([0-9.]+)万元")
    assert f.income_fund == seed_number(r"基金预算收入([0-9.]+) ?万元")
    assert f.income_special_account == seed_number(r"财政专户核拨收入([0-9.]+) ?万元")
    assert f.income_other_sources == seed_number(r"其他来源收入([0-9.]+) ?万元")


def test_expenditure_narrative(pub304):
    f = pub304.scope.figures
    assert f.expenditure_total == seed_number(r"2023年部门支出预算：([0-9.]+)万元")
    assert f.basic == seed_number(r"基本支出 ([0-9.]+)万元")
    assert f.public == seed_number(r"日常公用经费([0-9.]+)万元")
    assert f.project == seed_number(r"\n项目支出([0-9.]+)万元")
    assert f.project_own == seed_number(r"本级支出([0-9.]+)万元")
    # The seed's text says 347.37; its table T6 says 347.36 (= 209.32 + 138.04). The table wins.
    assert seed_number(r"人员经费([0-9.]+)万元") == Decimal("347.37")
    t6 = seedtext.table("部门预算一般公共预算财政拨款基本支出表")
    assert f.personnel == Decimal(t6[0][4]) == Decimal("347.36")
    assert f.personnel + f.public == f.basic


def test_change_against_prior_year(pub304):
    f = pub304.scope.figures
    assert -f.change_total == seed_number(r"较上年预算减少([0-9.]+)万元")
    assert f.change_basic == seed_number(r"基本支出增加([0-9.]+)万元")
    assert -f.change_project == seed_number(r"项目支出减少([0-9.]+)万元")


def test_running_costs_narrative(pub304):
    s = pub304.scope
    seed = seedtext.section("三、机关运行经费安排情况", "四、财政拨款")
    assert s.figures.running_costs == seed_number(r"机关运行费预算共计([0-9.]+)万元", seed)
    items = dict(s.running_costs)
    for label in ["办公费", "邮电费", "公务移动通讯费用补贴", "公务用车运行维护费", "公务交通补贴",
                  "工会经费", "福利费", "其他商品和服务支出"]:
        assert items.pop(label) == seed_number(label + r"([0-9.]+)万元", seed), label
    assert items == {}
    assert sum(v for _, v in s.running_costs) == s.figures.running_costs


def test_projects_narrative(pub304):
    seed = seedtext.section("三、机关运行经费安排情况", "四、财政拨款")
    amounts = {p.name: p.amount for p in pub304.scope.projects}
    # The seed's prose uses short labels for the projects named in the 绩效目标表 titles.
    prose = {"综合业务费": "综合业务专项经费", "离休干部医保统筹": "离休干部医保统筹",
             "职教幼教补助": "职教幼教补助", "困难职工春节慰问": "困难职工慰问",
             "离休干部及建国前老工人春节慰问": "离休干部及建国前老工人两节慰问"}
    assert set(amounts) == set(prose)
    for name, label in prose.items():
        assert amounts[name] == seed_number(label + r"([0-9.]+)万元", seed), name
    assert sum(amounts.values()) == pub304.scope.figures.project
    # Every project has its 绩效目标表 in the seed, in this order.
    titles = [p.name + "绩效目标表" for p in pub304.scope.projects]
    positions = [seedtext.SEED.index(t) for t in titles]
    assert positions == sorted(positions)


def test_sangong_narrative_and_comparison(pub304):
    s = pub304.scope
    seed = seedtext.section("四、财政拨款“三公”经费预算情况", "五、预算绩效信息")
    assert s.figures.sangong == seed_number(r"预算安排([0-9.]+)万元", seed)
    assert s.figures.sangong_vehicles == seed_number(r"公务用车购置及运行维护费([0-9.]+)万元", seed)
    seed_rows = {}
    lines = [l.strip() for l in seed.splitlines()]
    for label in ["因公出国经费", "公务用车购置经费", "公务用车运行经费", "公务接待费支出", "合计"]:
        i = lines.index(label)
        seed_rows[label] = [Decimal(x) for x in lines[i + 1:i + 4]]
    for row in s.sangong_comparison:
        assert [row.prior, row.current, row.change] == seed_rows[row.label], row.label


def test_procurement_and_assets(pub304):
    s = pub304.scope
    assert s.figures.procurement == seed_number(r"安排政府采购预算([0-9.]+)万元")
    assert s.procurement == []
    assert s.figures.assets_value == seed_number(r"上年末固定资产金额为([0-9.]+)万元")
    assert s.assets_as_of == "2022-12-31"
    seed = seedtext.section("部门固定资产占用情况表", "八、名词解释")
    cells = [l.strip() for l in seed.splitlines() if l.startswith("\t")]
    first = cells.index("固定资产总额")
    seed_rows = [cells[k:k + 3] for k in range(first, len(cells), 3)]
    assert len(seed_rows) == len(s.assets) == 8
    for (label, count, value), (seed_label, seed_count, seed_value) in zip(s.assets, seed_rows):
        assert (count, value) == (Decimal(seed_count), Decimal(seed_value)), seed_label
        assert label[:4] == seed_label[:4]
