"""A fictional two-unit department (777, 2024) whose optional sections and unit natures are chosen
case by case: each section stated, stated as none, or not stated; each unit 行政, 参公 or 事业, its
basic expenditure broken down by economic code or not. tests/test_sections.py renders the cases.

    write_department(root, Case(units=(UnitCase(nature="事业", economic="none"), UnitCase())))

The figures are small and fixed, so that every case is valid: a unit's income (一般公共预算拨款 115.00)
pays its basic expenditure (100.00) and two projects whose names end in 项目支出 (10.00 and 5.00,
the shape verify once read as the 项目支出 total); carry-over, when stated, pays 3.00 more of basic
expenditure (4.00 in, 1.00 out). Every change against the prior year has its reason written.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from pathlib import Path

STATES = ("stated", "none", "unstated")
PROCUREMENT = ("items", "summary", "none", "unstated")
NATURES = ("行政", "参公", "事业")
ECONOMIC = ("full", "none", "mixed")  # mixed: general budget broken down, 事业收入 by function only

DEPT, YEAR = "777", 2024


@dataclass(frozen=True)
class UnitCase:
    nature: str = "行政"
    economic: str = "full"
    assets: str = "stated"
    procurement: str = "items"
    sangong: str = "stated"
    sangong_prior: str = "stated"
    carryover: str = "stated"
    prior_year: str = "stated"


@dataclass(frozen=True)
class Case:
    units: tuple[UnitCase, UnitCase] = (UnitCase(), UnitCase())
    performance: str = "stated"

    @property
    def id(self) -> str:
        def one(u: UnitCase) -> str:
            return "-".join([u.nature, u.economic, *(f"{k[:2]}{getattr(u, k)[:2]}" for k in (
                "assets", "procurement", "sangong", "sangong_prior", "carryover", "prior_year"))])
        return f"{one(self.units[0])}+{one(self.units[1])}+pf{self.performance[:2]}"


UNIT_FACTORS = {"nature": NATURES, "economic": ECONOMIC, "assets": STATES, "procurement": PROCUREMENT,
                "sangong": STATES, "sangong_prior": STATES, "carryover": STATES, "prior_year": STATES}


def _unit(code: str, u: UnitCase, first: bool) -> str:
    carry = u.carryover == "stated"
    lines = [f'code: "{code}"', f"name: 示例第{code[-1]}服务中心", f"nature: {u.nature}", "rank: 股级",
             "funding_form: 财政拨款", "income:", "  一般公共预算拨款: 115.00"]
    if u.economic == "mixed":
        lines.append("  事业收入: 20.00")
    lines += ["basic:", "  - fund: 一般公共预算拨款", "    function:", '      - {code: "2010301", amount: 100.00}']
    if u.economic != "none":
        lines += ["    economic:", '      - {code: "30101", amount: 80.00}', '      - {code: "30201", amount: 20.00}']
    if carry:
        lines += ["  - fund: 一般公共预算拨款", "    carryover: true", "    function:",
                  '      - {code: "2010301", amount: 3.00}']
        if u.economic != "none":
            lines += ["    economic:", '      - {code: "30201", amount: 3.00}']
    if u.economic == "mixed":
        lines += ["  - fund: 事业收入", "    function:", '      - {code: "2010350", amount: 20.00}']
    lines.append("projects:")
    for name, amount in ((f"培训{code}项目支出", "10.00"), (f"运维{code}项目支出", "5.00")):
        lines += [f"  - name: {name}", '    function: "2010302"', "    fund: 一般公共预算拨款", f"    amount: {amount}",
                  "    performance:", "      target: 完成年度工作任务。", "      indicators:",
                  "        - {level1: 产出指标, level2: 数量指标, level3: 完成率, description: 完成年度任务, "
                  "value: \"≥95%\", basis: 工作计划}",
                  "        - {level1: 产出指标, level2: 成本指标, level3: 预算控制, description: 不超预算, "
                  f"value: \"≤{amount}万元\", basis: 预算批复}}"]
    if u.assets == "stated":
        buildings = "  buildings: {count: 300, value: 50.00}\n" if first else ""  # only one unit has buildings
        lines.append(f'assets:\n  as_of: "2023-12-31"\n{buildings}  vehicles: {{count: 1, value: 20.00}}\n'
                     "  other: {count: 10, value: 5.00}")
    elif u.assets == "none":
        lines.append("assets: {none: true}")
    if u.procurement == "items":
        lines.append("procurement:\n  - {item: 台式计算机, catalogue_no: A02010104, measure: 台, quantity: 2, unit_price: 0.50, "
                     "funds: {一般公共预算拨款: 1.00}, fixed_asset: true, sme_reserved: 1.00}")
    elif u.procurement == "summary":
        lines.append("procurement_summary: {goods: 1.00, services: 2.00, sme_reserved: 1.00, fixed_assets: 1.00}")
    elif u.procurement == "none":
        lines.append("procurement: []")
    sangong = []
    if u.sangong == "stated":
        sangong.append("  current:\n    - {category: 公务接待费, fund: 一般公共预算拨款, amount: 1.00}")
    elif u.sangong == "none":
        sangong.append("  current: []")
    if u.sangong_prior == "stated":
        sangong.append("  prior_year: {公务接待费: 1.50}")
    elif u.sangong_prior == "none":
        sangong.append("  prior_year: {}")
    if sangong:
        lines.append("sangong:\n" + "\n".join(sangong))
    if carry:
        lines.append("carryover:\n  in: {一般公共预算拨款: 4.00}\n  out: {一般公共预算拨款: 1.00}")
    elif u.carryover == "none":
        lines.append("carryover: {none: true}")
    if u.prior_year == "stated":
        lines.append("prior_year: {basic: 90.00, project: 20.00}")
    elif u.prior_year == "none":
        lines.append("prior_year: {none: true}")
    lines.append(_texts("单位"))
    return "\n".join(lines) + "\n"


def _texts(word: str, performance: str | None = None) -> str:
    text = (f"texts:\n  duties: |\n    （一）负责本{word}的业务工作。\n"
            "  change_reasons: {basic: 人员调整。, project: 项目调整。}\n"
            "  sangong_reasons: {公务接待费: 接待任务变化。, 合计: 接待任务变化。}")
    if performance == "stated":
        text += "\n  performance:\n    overall: |\n      完成年度工作目标。"
    elif performance == "none":
        text += "\n  performance: {none: true}"
    return text


def department_text(case: Case) -> str:
    return (f'code: "{DEPT}"\nname: 示例市示例区示例事务局\nyear: {YEAR}\nmoney_unit: 万元\ngovernment_level: 区级\n'
            + _texts("部门", case.performance).replace("  duties: |", "  budget_overview: |\n    部门预算实行综合预算管理。\n"
                                                      "  duties: |") + "\n")


def write_department(root: Path, case: Case) -> Path:
    """data/777/2024/ under ``root`` for ``case``; returns the folder."""
    folder = Path(root) / DEPT / str(YEAR)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "department.yaml").write_text(department_text(case), encoding="utf-8")
    for i, unit in enumerate(case.units, 1):
        (folder / f"{DEPT}00{i}.yaml").write_text(_unit(f"{DEPT}00{i}", unit, i == 1), encoding="utf-8")
    return folder


def each_state_of_each_section() -> list[Case]:
    """Every section in every state for the first unit beside every state for the second, the natures
    and economic breakdowns turning over as the cases go."""
    cases = []
    turn = itertools.cycle(itertools.product(NATURES, ECONOMIC))
    for factor, levels in UNIT_FACTORS.items():
        if factor in ("nature", "economic"):
            continue
        for a, b in itertools.product(levels, levels):
            (na, ea), (nb, eb) = next(turn), next(turn)
            units = (replace(UnitCase(), nature=na, economic=ea, **{factor: a}),
                     replace(UnitCase(), nature=nb, economic=eb, **{factor: b}))
            cases.append(Case(units))
    cases += [Case(performance=p) for p in STATES]
    return cases


def every_nature_and_breakdown() -> list[Case]:
    """Each unit nature with each economic breakdown (beside the others in turn)."""
    pairs = list(itertools.product(NATURES, ECONOMIC))
    return [Case((replace(UnitCase(), nature=na, economic=ea), replace(UnitCase(), nature=nb, economic=eb)))
            for (na, ea), (nb, eb) in zip(pairs, reversed(pairs))]


def all_pairs(seed: int = 7, candidates: int = 30) -> list[Case]:
    """A covering set: every pair of levels of any two factors (of both units and the department's
    performance) appears in some case. Built as AETG does: each new case is the best of a few
    candidates, each grown from a pair not yet covered; a fixed seed keeps the set the same."""
    import random
    rng = random.Random(seed)
    factors = [(f"a.{k}", v) for k, v in UNIT_FACTORS.items()] + [(f"b.{k}", v) for k, v in UNIT_FACTORS.items()]
    factors.append(("performance", STATES))
    uncovered = {(i, x, j, y) for i, j in itertools.combinations(range(len(factors)), 2)
                 for x in factors[i][1] for y in factors[j][1]}

    def covers(row: dict) -> set:
        return {(a, row[a], b, row[b]) for a, b in itertools.combinations(sorted(row), 2)} & uncovered

    rows = []
    while uncovered:
        best: dict = {}
        for _ in range(candidates):
            i, x, j, y = rng.choice(sorted(uncovered))
            row = {i: x, j: y}
            for k in rng.sample([k for k in range(len(factors)) if k not in row], len(factors) - 2):
                row[k] = max(factors[k][1], key=lambda level: (len(covers({**row, k: level})), rng.random()))
            if len(covers(row)) > len(covers(best)) if best else True:
                best = row
        uncovered -= covers(best)
        rows.append([best[k] for k in range(len(factors))])
    cases = []
    n = len(UNIT_FACTORS)
    for row in rows:
        units = tuple(UnitCase(**dict(zip(UNIT_FACTORS, row[k * n:(k + 1) * n]))) for k in (0, 1))
        cases.append(Case(units, performance=row[-1]))
    return cases
