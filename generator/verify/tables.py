"""The arithmetic of the tables: within a table (trees, 合计 rows, row sums), between the tables
of one scope, and the department against the sum of its units. ``Checker`` counts the
comparisons and collects the disagreements."""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from generator.figures.money import round2, to_unit
from generator.figures.vocabulary import FUND, FUNDS, OTHER_SOURCES, POOLED

from .findings import Disagreement
from .reading import (
    _ORDINAL,
    MISSING,
    ABROAD,
    ASSETS,
    HOST,
    PROC,
    SG_CMP,
    T1,
    T2,
    T3,
    T4,
    T5,
    T6,
    T7,
    T8,
    T9,
    ZERO,
    ScopeDoc,
    Table,
    amount,
)

_CODE = re.compile(r"[0-9]+")  # a classification code (a row of a tree)


def _s(v: Decimal) -> str:
    return f"{v:f}"


def in_unit(value: Decimal | None, unit: str | None, target: str | None) -> Decimal | None:
    """``value`` shown in ``unit``, as it would be shown in ``target``: 元 → 万元 rounds once
    (ROUND_HALF_UP, as budgetpub does); an unknown unit is taken to be the target."""
    if value is None or not unit or not target or unit == target:
        return value
    if unit == "元" and target == "万元":
        return round2(to_unit(value, "元", "万元"))
    return to_unit(value, unit, target)


class Checker:
    """Counts the comparisons and collects the disagreements.

    ``rounding`` is set while the figures compared are each rounded from an exact amount in
    元 (a 万元 table or text in a document whose tables are in 元): a sum of ``parts``
    rounded figures may then differ from the rounded sum by up to 0.005 × (parts + 1)."""

    def __init__(self, yuan: bool = False) -> None:
        self.found: list[Disagreement] = []
        self.checks = 0
        self.scope = ""
        self.yuan = yuan  # some table of the document is in 元
        self.rounding = False
        self.page: int | None = None  # the page of what is being checked, when known
        self.pages: dict[str, int | None] = {}  # the scope's tables: title → page

    def page_of(self, where: str) -> int | None:
        """The page of a place: the page being checked, else that of the table ``where`` names first."""
        if self.page is not None:
            return self.page
        titles = [t for t in self.pages if where.startswith(t)]
        return self.pages[max(titles, key=len)] if titles else None

    def add(self, code: str, where: str, what: str, values: list[tuple[str, str]] | None = None,
            page: int | None = None) -> None:
        """A finding of a registered check (a disagreement of figures, or any other)."""
        self.checks += 1
        self.found.append(Disagreement(code, self.scope, where, what, values or [],
                                       page if page is not None else self.page_of(where)))

    def rounded(self, unit: str | None) -> bool:
        return self.yuan and unit == "万元"

    def equal(self, code: str, where: str, what: str, left: tuple[str, Decimal | None],
              right: tuple[str, Decimal | None], parts: int = 1) -> None:
        if left[1] is None or right[1] is None:
            return
        self.checks += 1
        tolerance = Decimal("0.005") * (parts + 1) if self.rounding else ZERO
        if abs(left[1] - right[1]) > tolerance:
            self.found.append(Disagreement(code, self.scope, where, what,
                                           [(left[0], _s(left[1])), (right[0], _s(right[1]))], self.page_of(where)))

    def unreadable(self, where: str, text: str) -> None:
        found = Disagreement("table.cell", self.scope, where, "单元格应为金额", [("单元格内容", text)],
                             self.page_of(where))
        if found not in self.found:  # a cell takes part in several sums: say it once
            self.checks += 1
            self.found.append(found)


def _v(ck: Checker, table: Table, seq: str, cells: list[str], j: int) -> Decimal | None:
    if j >= len(cells) or cells[j] == MISSING:
        return None
    value = amount(cells[j])
    if value is None:
        ck.unreadable(f"{table.title} {_row_name(seq, cells)}", cells[j])
    return value


def _row_name(seq: str, cells: list[str], label_cols: tuple[int, ...] = (0, 1)) -> str:
    label = " ".join(cells[i] for i in label_cols if i < len(cells) and cells[i])
    head = f"第{seq}行" if seq else "行"
    return f"{head}（{label}）" if label else head


def _col(table: Table, j: int) -> str:
    return f"“{table.header[j]}”列" if j < len(table.header) and table.header[j] else f"第{j + 1}列"


def _sum(values) -> Decimal | None:
    values = list(values)
    if any(v is None for v in values):
        return None
    return sum(values, ZERO)


def known(text: str) -> Decimal | None:
    """An amount in a table that prints zero as 0.00 (固定资产, the 三公 comparison): blank is unknown."""
    return None if not text.strip() else amount(text)


def _known_cell(row, j: int) -> Decimal | None:
    return None if row is None or j >= len(row[1]) else known(row[1][j])


def _tree_rows(table: Table) -> tuple[list[tuple[str, list[str]]], tuple[str, list[str]] | None]:
    total = next(((s, c) for s, c in table.rows if c and not c[0] and len(c) > 1 and c[1].replace(" ", "") == "合计"), None)
    coded = [(s, c) for s, c in table.rows if c and _CODE.fullmatch(c[0])]
    return coded, total


def check_tree(ck: Checker, table: Table, levels: tuple[int, ...]) -> None:
    coded, total = _tree_rows(table)
    if not coded and total is None:
        return
    ncols = max(len(c) for _, c in table.rows)
    amount_cols = range(2, ncols)
    values = {c[0]: (s, c, [_v(ck, table, s, c, j) for j in amount_cols]) for s, c in coded}
    tops = [code for code in values if len(code) == levels[0]]
    if total is not None:
        ts, tc = total
        tv = [_v(ck, table, ts, tc, j) for j in amount_cols]
        for k, j in enumerate(amount_cols):
            ck.equal("table.total", f"{table.title} {_row_name(ts, tc)}{_col(table, j)}",
                     f"合计应等于各类之和（{'、'.join(tops) or '无'}）",
                     ("合计行", tv[k]), ("各类之和", _sum(values[c][2][k] for c in tops)), len(tops))
    for code, (s, c, v) in values.items():
        if len(code) not in levels[:-1]:
            continue
        child_len = levels[levels.index(len(code)) + 1]
        children = [k for k in values if len(k) == child_len and k.startswith(code)]
        if not children:
            continue
        for k, j in enumerate(amount_cols):
            ck.equal("table.tree", f"{table.title} {_row_name(s, c)}{_col(table, j)}",
                     f"上级科目应等于下级科目之和（{'、'.join(children)}）",
                     ("本行", v[k]), ("下级之和", _sum(values[ch][2][k] for ch in children)), len(children))


def check_row_sums(ck: Checker, table: Table, target: int, parts: list[int], label_cols=(0, 1),
                   rows=None) -> None:
    for s, c in (rows if rows is not None else table.rows):
        if target >= len(c) or not any(c[j] for j in [target, *parts] if j < len(c)):
            continue
        names = "+".join(table.header[j] if j < len(table.header) else str(j + 1) for j in parts
                         if j >= len(table.header) or table.header[j] not in table.absent)  # absent: blank
        ck.equal("table.row", f"{table.title} {_row_name(s, c, label_cols)}",
                 f"{table.header[target] if target < len(table.header) else '合计'}应等于{names}",
                 (_col(table, target).strip("“”列") or "合计", _v(ck, table, s, c, target)),
                 (names, _sum(_v(ck, table, s, c, j) for j in parts)), len(parts))


def _label_row(table: Table, pattern: str, col: int = 0, occurrence: int = 0):
    search = re.compile(pattern).search  # (once, not per row)
    found = [(s, c) for s, c in table.rows if col < len(c) and search(c[col].replace(" ", ""))]
    return found[occurrence] if len(found) > occurrence else None


def _cell(table: Table, row, j: int) -> Decimal | None:
    if row is None or j >= len(row[1]):
        return None
    return amount(row[1][j])


def _total_row(table: Table | None):
    if table is None:
        return None
    return _tree_rows(table)[1]


def check_t1(ck: Checker, t: Table) -> None:
    income = [(s, c) for s, c in t.rows if re.match(_ORDINAL, c[0])]
    classes = [(s, c) for s, c in t.rows if len(c) > 2 and re.match(_ORDINAL, c[2])]
    r_in, r_tin = (_label_row(t, p) for p in ("^本年收入合计", "^收入总计"))
    r_out, r_tout = (_label_row(t, p, 2) for p in ("^本年支出合计", "^支出总计"))
    where = t.title
    ck.equal("table.total", f"{where} 本年收入合计", "本年收入合计应等于各项收入之和",
             ("本年收入合计", _cell(t, r_in, 1)), ("各项收入之和", _sum(amount(c[1]) for _, c in income)))
    ck.equal("table.total", f"{where} 本年支出合计", "本年支出合计应等于各类支出之和",
             ("本年支出合计", _cell(t, r_out, 3)), ("各类支出之和", _sum(amount(c[3]) for _, c in classes)))
    carried_in, carried_out = t1_carry(t)
    words_in = " + ".join(["本年收入合计", *(c[0] for _, c in carried_in)])
    words_out = " + ".join(["本年支出合计", *(c[2] for _, c in carried_out)])
    ck.equal("table.total", f"{where} 收入总计", f"收入总计应等于{words_in}",
             ("收入总计", _cell(t, r_tin, 1)),
             (words_in, _sum([_cell(t, r_in, 1), *(amount(c[1]) for _, c in carried_in)])))
    ck.equal("table.total", f"{where} 支出总计", f"支出总计应等于{words_out}",
             ("支出总计", _cell(t, r_tout, 3)),
             (words_out, _sum([_cell(t, r_out, 3), *(amount(c[3]) for _, c in carried_out)])))
    ck.equal("table.total", f"{where} 收入总计/支出总计", "收入总计应等于支出总计",
             ("收入总计", _cell(t, r_tin, 1)), ("支出总计", _cell(t, r_tout, 3)))


def t1_carry(t: Table) -> tuple[list, list]:
    """T1's rows between 本年收入合计 and 收入总计 (上年结转结余, 使用非财政拨款结余…) and
    between 本年支出合计 and 支出总计 (年终结转结余), each with an amount."""
    def between(first: str, last: str, col: int) -> list:
        a, b = _label_row(t, first, col), _label_row(t, last, col)
        if a is None or b is None:
            return []
        rows = t.rows[t.rows.index(a) + 1:t.rows.index(b)]
        return [(s, c) for s, c in rows if len(c) > col + 1 and c[col]]
    return between("^本年收入合计", "^收入总计", 0), between("^本年支出合计", "^支出总计", 2)


def check_t4(ck: Checker, t: Table) -> None:
    where = t.title
    spend_rows = [(s, c) for s, c in t.rows if len(c) > 6 and c[2]]
    check_row_sums(ck, t, 3, [4, 5, 6], (2,), spend_rows)
    r_in = _label_row(t, "^本年收入合计")
    cut = t.rows.index(r_in) if r_in else len(t.rows)
    income = [(s, c) for s, c in t.rows[:cut] if re.match(_ORDINAL, c[0])]
    classes = [(s, c) for s, c in t.rows if len(c) > 2 and re.match(_ORDINAL, c[2])]
    r_cin = _label_row(t, "^年初")
    r_tin, r_tout = _label_row(t, "^收入总计"), _label_row(t, "^支出总计", 2)
    r_out, r_cout = _label_row(t, "^本年支出合计", 2), _label_row(t, "^年末", 2)
    ck.equal("table.total", f"{where} 本年收入合计", "本年收入合计应等于各项财政拨款之和",
             ("本年收入合计", _cell(t, r_in, 1)), ("各项之和", _sum(amount(c[1]) for _, c in income)))
    for j in (3, 4, 5, 6):
        ck.equal("table.total", f"{where} 本年支出合计{_col(t, j)}", "本年支出合计应等于各类支出之和",
                 ("本年支出合计", _cell(t, r_out, j)), ("各类支出之和", _sum(amount(c[j]) for _, c in classes)))
        ck.equal("table.total", f"{where} 支出总计{_col(t, j)}", "支出总计应等于本年支出合计 + 年末结转和结余",
                 ("支出总计", _cell(t, r_tout, j)), ("本年支出合计 + 年末结转和结余",
                                                   _sum([_cell(t, r_out, j), _cell(t, r_cout, j)])))
    if r_cin:
        i = t.rows.index(r_cin)
        parts = [r for r in t.rows[i + 1:i + 4] if re.match(_ORDINAL, r[1][0])]
        ck.equal("table.total", f"{where} 年初财政拨款结转和结余", "应等于其下各项之和",
                 ("年初财政拨款结转和结余", _cell(t, r_cin, 1)), ("各项之和", _sum(amount(c[1]) for _, c in parts)))
        # per fund: spent = this year's income + carry-over at the start − carry-over at the end
        for k, j in enumerate((4, 5, 6)):
            inc = _cell(t, income[k], 1) if k < len(income) else None
            cin = _cell(t, parts[k], 1) if k < len(parts) else None
            ck.equal("table.row", f"{where} {_col(t, j)}", "本年支出应等于本年收入 + 年初结转和结余 − 年末结转和结余",
                     ("本年支出合计", _cell(t, r_out, j)),
                     ("本年收入 + 年初 − 年末", None if None in (inc, cin, _cell(t, r_cout, j))
                      else inc + cin - _cell(t, r_cout, j)))
    ck.equal("table.total", f"{where} 收入总计", "收入总计应等于本年收入合计 + 年初财政拨款结转和结余",
             ("收入总计", _cell(t, r_tin, 1)), ("本年收入合计 + 年初结转和结余",
                                              _sum([_cell(t, r_in, 1), _cell(t, r_cin, 1) or ZERO])))
    ck.equal("table.total", f"{where} 收入总计/支出总计", "收入总计应等于支出总计",
             ("收入总计", _cell(t, r_tin, 1)), ("支出总计", _cell(t, r_tout, 3)))


def _t9(t: Table) -> dict:
    pats = {"合计": "^合计", "出国": "出国", "车辆": "购置及运", "购置": "购置费$", "运维": "运行维护费$", "接待": "接待"}
    return {k: _label_row(t, p) for k, p in pats.items()}


def check_t9(ck: Checker, t: Table) -> None:
    check_row_sums(ck, t, 1, [2, 3, 4], (0,))
    r = _t9(t)
    for j in (1, 2, 3, 4):
        ck.equal("table.total", f"{t.title} 合计{_col(t, j)}", f"合计应等于{ABROAD} + 公务用车购置及运维费 + {HOST}",
                 ("合计", _cell(t, r["合计"], j)), ("三项之和", _sum(_cell(t, r[k], j) for k in ("出国", "车辆", "接待"))), 3)
        ck.equal("table.total", f"{t.title} 公务用车购置及运维费{_col(t, j)}", "应等于公务用车购置费 + 公务用车运行维护费",
                 ("公务用车购置及运维费", _cell(t, r["车辆"], j)),
                 ("购置费 + 运行维护费", _sum(_cell(t, r[k], j) for k in ("购置", "运维"))))


def _sangong_comparison_rows(t: Table) -> dict:
    """The rows of the 三公 comparison table, by category (出国, 购置, 运维, 接待, 合计)."""
    return {k: _label_row(t, p) for k, p in
            {"出国": "出国", "购置": "购置", "运维": "运行", "接待": "接待", "合计": "^合计"}.items()}


# 收入总表's columns (layout.KINDS): 单位资金 (the other sources as one total) and 上年结转
_T2_POOLED, _T2_CARRY = 11, 12
_OTHER_LABELS = tuple(FUND[name].income_label for name in OTHER_SOURCES)


def _t1_income(t1: Table) -> dict:
    """T1's income rows (一、… 二、…) by item, the ordinal taken off."""
    return {re.sub(rf"^{_ORDINAL}", "", c[0]): amount(c[1]) for s, c in t1.rows if re.match(_ORDINAL, c[0])}


def _procured(proc: Table) -> Decimal | None:
    """The 政府采购 table's 合计 column, added up."""
    return _sum(amount(c[7]) for s, c in proc.rows if len(c) > 7)


def check_sangong_comparison(ck: Checker, t: Table, t9: Table | None) -> None:
    r = _sangong_comparison_rows(t)
    for s, c in t.rows:
        ck.equal("table.row", f"{t.title} {_row_name(s, c, (0,))}", "增减金额应等于本年预算 − 上年预算",
                 ("增减金额", known(c[3]) if len(c) > 3 else None),
                 ("本年 − 上年", None if len(c) < 3 or None in (known(c[2]), known(c[1])) else known(c[2]) - known(c[1])))
    for j in (1, 2, 3):
        ck.equal("table.total", f"{t.title} 合计{_col(t, j)}", "合计应等于四项之和",
                 ("合计", _known_cell(r["合计"], j)), ("四项之和", _sum(_known_cell(r[k], j) for k in ("出国", "购置", "运维", "接待"))),
                 4)
    if t9 is not None:
        r9 = _t9(t9)
        for k in ("出国", "购置", "运维", "接待", "合计"):
            ck.equal("cross", f"{t.title} {k}", f"本年预算应等于{t9.title}的同一项",
                     ("比较表", _known_cell(r[k], 2)), (t9.title, _cell(t9, r9[k], 1)))


def check_procurement(ck: Checker, t: Table) -> None:
    for s, c in t.rows:
        if len(c) < 15:
            continue
        check_row_sums(ck, t, 7, list(range(8, 15)), (0, 2), [(s, c)])
        q, p, tot = amount(c[5]), amount(c[6]), amount(c[7])
        if None not in (q, p, tot):
            ck.equal("table.row", f"{t.title} 行（{c[2]}）", "合计应等于数量 × 单价", ("合计", tot), ("数量 × 单价", q * p))


def check_assets(ck: Checker, t: Table) -> None:
    total = _label_row(t, "^固定资产总额")
    parts = [(s, c) for s, c in t.rows if re.match(r"^[0-9]+、", c[0])]
    ck.equal("table.total", f"{t.title} 固定资产总额 价值", "固定资产总额应等于各类价值之和",
             ("固定资产总额", _known_cell(total, 2)), ("各类之和", _sum(known(c[2]) for _, c in parts)), len(parts))
    counted = [(s, c) for s, c in parts if "平方米" not in c[0]]  # 房屋 is an area, not a count
    ck.equal("table.total", f"{t.title} 固定资产总额 数量", "数量应等于各类数量之和（房屋面积不计入）",
             ("固定资产总额", _known_cell(total, 1)), ("各类之和", _sum(known(c[1]) for _, c in counted)))


def _class_name(label: str) -> str:
    return re.sub(rf"^{_ORDINAL}", "", label.replace(" ", ""))


def check_cross(ck: Checker, tabs: dict[str, Table], partial_economic: bool = False) -> None:
    """``partial_economic``: the narrative says some 基本支出 is not broken down by economic
    class (未按经济分类), so T6 shows only part of T5's 基本支出."""
    t1, t2, t3, t4, t5, t6 = (tabs.get(k) for k in (T1, T2, T3, T4, T5, T6))
    tot = {k: _total_row(tabs.get(k)) for k in (T2, T3, T5, T6, T7, T8)}

    def tv(kind, j):  # the 合计 row of a tree; an empty tree is zero
        if kind not in tabs:
            return None
        row = tot[kind]
        return ZERO if row is None else amount(row[1][j]) if j < len(row[1]) else None

    if t1 and t3:
        r_out = _label_row(t1, "^本年支出合计", 2)
        ck.equal("cross", f"{t1.title} 本年支出合计", f"应等于{t3.title}的合计",
                 (t1.title, _cell(t1, r_out, 3)), (t3.title, tv(T3, 2)))
        t3_classes = defaultdict(lambda: ZERO)
        for s, c in _tree_rows(t3)[0]:
            if len(c[0]) == 3 and amount(c[2]) is not None:
                t3_classes[c[1].replace(" ", "")] += amount(c[2])
        for s, c in t1.rows:
            if len(c) > 3 and re.match(_ORDINAL, c[2]) and amount(c[3]) is not None:
                name = _class_name(c[2])
                ck.equal("cross", f"{t1.title} {_row_name(s, c, (2,))}", f"应等于{t3.title}中该类的合计",
                         (t1.title, amount(c[3])), (t3.title, t3_classes.get(name, ZERO)))
    if t1 and t2:
        r_in = _label_row(t1, "^本年收入合计")
        ck.equal("cross", f"{t2.title} 合计{_col(t2, 3)}", f"本年收入应等于{t1.title}的本年收入合计",
                 (t2.title, tv(T2, 3)), (t1.title, _cell(t1, r_in, 1)))
        income = _t1_income(t1)
        # T2's income columns after 小计 (4 …), each the sum of the T1 income rows of the funds it counts
        groups: list[tuple[int, tuple[str, ...]]] = []
        for fund in FUNDS:
            if groups and groups[-1][2] == fund.t2_header:
                groups[-1] = (groups[-1][0], groups[-1][1] + (fund.income_label,), fund.t2_header)
            else:
                groups.append((4 + len(groups), (fund.income_label,), fund.t2_header))
        groups = [(j, labels) for j, labels, _ in groups]
        pooled = POOLED.t2_header not in t2.absent or POOLED.income_label in income
        if pooled:  # the other sources given as one total (单位资金) on one side: their sum on both
            others = [(j, labels) for j, labels in groups if set(labels) <= set(_OTHER_LABELS)]
            groups = [g for g in groups if g not in others]
            labels = [l for l in (*_OTHER_LABELS, POOLED.income_label) if l in income]
            columns = [j for j, _ in others] + [_T2_POOLED]
            shown = [j for j in columns if j >= len(t2.header) or t2.header[j] not in t2.absent] or columns
            ck.equal("cross", f"{t2.title} 合计{'、'.join(_col(t2, j) for j in shown)}{'之和' * (len(shown) > 1)}",
                     f"应等于{t1.title}的{'、'.join(labels)}{'之和' * (len(labels) > 1)}",
                     (t2.title, _sum(tv(T2, j) for j in columns)), (t1.title, _sum(income[l] for l in labels)))
        for j, labels in groups:
            if all(l in income for l in labels):
                ck.equal("cross", f"{t2.title} 合计{_col(t2, j)}", f"应等于{t1.title}的{'、'.join(labels)}",
                         (t2.title, tv(T2, j)), (t1.title, _sum(income[l] for l in labels)))
        carried_in, carried_out = t1_carry(t1)
        cin = _sum(amount(c[1]) for _, c in carried_in)
        cout = _sum(amount(c[3]) for _, c in carried_out)
        words = " + ".join(c[0] for _, c in carried_in) or "上年结转结余"
        ck.equal("cross", f"{t2.title} 合计{_col(t2, _T2_CARRY)}",
                 f"收入总表的上年结转是本年使用的结转（规则：= {t1.title}的{words} − 年终结转结余）",
                 (t2.title, tv(T2, _T2_CARRY)), (f"{t1.title} {words} − 年终结转结余",
                                          None if None in (cin, cout) else cin - cout))
    if t2 and t3:
        v2 = {c[0]: amount(c[2]) for s, c in _tree_rows(t2)[0]}
        v3 = {c[0]: amount(c[2]) for s, c in _tree_rows(t3)[0]}
        for code in sorted(set(v2) | set(v3)):
            ck.equal("cross", f"{t2.title}/{t3.title} 科目 {code}", "收入总表与支出总表同一科目的合计应相同",
                     (t2.title, v2.get(code, ZERO)), (t3.title, v3.get(code, ZERO)))
        ck.equal("cross", f"{t2.title}/{t3.title} 合计", "收入总表与支出总表的合计应相同",
                 (t2.title, tv(T2, 2)), (t3.title, tv(T3, 2)))
    if t1 and t4:
        for k in range(3):
            a, b = _label_row(t1, _ORDINAL, 0, k), _label_row(t4, _ORDINAL, 0, k)
            if a and b:
                ck.equal("cross", f"{t4.title} {_row_name(b[0], b[1], (0,))}", f"应等于{t1.title}的同一收入",
                         (t4.title, _cell(t4, b, 1)), (t1.title, _cell(t1, a, 1)))
    if t4:
        t4_classes = {_class_name(c[2]): c for s, c in t4.rows if len(c) > 6 and re.match(_ORDINAL, c[2])}
        r_out = _label_row(t4, "^本年支出合计", 2)
        for kind, j in ((T5, 4), (T7, 5), (T8, 6)):
            t = tabs.get(kind)
            if t is None:
                continue
            ck.equal("cross", f"{t.title} 合计", f"应等于{t4.title}本年支出合计的{_col(t4, j)}",
                     (t.title, tv(kind, 2)), (t4.title, _cell(t4, r_out, j)))
            classes = {c[1].replace(" ", ""): amount(c[2]) for s, c in _tree_rows(t)[0] if len(c[0]) == 3}
            for name, c in t4_classes.items():
                if c[j] or name in classes:
                    ck.equal("cross", f"{t.title} {name}", f"应等于{t4.title}该类的{_col(t4, j)}",
                             (t.title, classes.get(name, ZERO)), (t4.title, amount(c[j])))
    if t5 and t6 and not partial_economic:
        ck.equal("cross", f"{t6.title} 合计", f"应等于{t5.title}合计行的基本支出",
                 (t6.title, tv(T6, 2)), (t5.title, tv(T5, 3)))


def _pooled(kind: str, tabs: list[Table]) -> bool:
    """Some of ``tabs`` give the other sources as one total (单位资金): a 收支总表 row or a 收入总表 column."""
    if kind == T2:
        return any(POOLED.t2_header not in t.absent for t in tabs)
    return any(POOLED.income_label in _t1_income(t) for t in tabs)


def _fold(kind: str, keys: dict) -> dict:
    """Rows keyed as _row_keys keys them, with the other sources (OTHER_SOURCES and POOLED) folded into one:
    a 收入总表 column, a 收支总表 row. A department whose units give them some split and some as one total
    gives only their sum, and a sum is all that can be compared."""
    out: dict = {}
    if kind == T2:
        for key, c in keys.items():
            c = list(c)
            parts = [amount(c[j]) if j < len(c) else ZERO for j in range(6, _T2_POOLED + 1)]
            if None not in parts:
                c[6:_T2_POOLED + 1] = [""] * (_T2_POOLED - 6) + [str(sum(parts, ZERO))]
            out[key] = c
        return out
    pooled_key, summed = ((POOLED.income_label,), 0), ZERO
    for key, c in keys.items():
        if re.sub(rf"^{_ORDINAL}", "", key[0][0]) in (*_OTHER_LABELS, POOLED.income_label):
            value = amount(c[1]) if len(c) > 1 else ZERO
            summed = None if value is None or summed is None else summed + value
            out[pooled_key] = [POOLED.income_label, "" if summed is None else str(summed)]
        else:
            out[key] = c
    if summed is None:
        out[pooled_key] = [POOLED.income_label, MISSING]
    return out


def _row_keys(table: Table, label_cols: tuple[int, ...]) -> dict:
    keys, seen = {}, defaultdict(int)
    for s, c in table.rows:
        label = tuple(c[i].replace(" ", "") for i in label_cols if i < len(c))
        if not any(label) and not any(c[j] for j in range(len(c)) if j not in label_cols):
            continue  # an empty line (or the empty half of a line)
        keys[(label, seen[label])] = c
        seen[label] += 1
    return keys


# per table: its halves, each (label columns, amount columns; None: every column after the label).
# T1 and T4 are two lists side by side (income | expenditure): each half is matched on its own,
# since a unit's 其中 line shifts one half and not the other.
_UNIT_SUM = {T1: [((0,), (1,)), ((2,), (3,))], T4: [((0,), (1,)), ((2,), (3, 4, 5, 6))],
             **{k: [((0, 1), None)] for k in (T2, T3, T5, T6, T7, T8)},
             T9: [((0,), (1, 2, 3, 4))], ASSETS: [((0,), (1, 2))], SG_CMP: [((0,), (1, 2, 3))]}


def check_units(ck: Checker, dept: ScopeDoc, units: list[ScopeDoc]) -> None:
    if PROC in dept.tables and all(PROC in u.tables for u in units):
        ck.equal("units", f"{dept.tables[PROC].title} 合计列之和", "部门的政府采购预算应等于所属各单位之和",
                 ("部门", _procured(dept.tables[PROC])), ("各单位之和", _sum(_procured(u.tables[PROC]) for u in units)))
    summed = "各单位之和（" + "、".join(u.name for u in units) + "）"  # once: a thousand names, in every cell
    for kind, label_cols, cols in ((k, h[0], h[1]) for k, halves in _UNIT_SUM.items() for h in halves):
        d = dept.tables.get(kind)
        if d is None or not all(kind in u.tables for u in units):
            continue
        dk = _row_keys(d, label_cols)
        uk = [_row_keys(u.tables[kind], label_cols) for u in units]
        if kind in (T1, T2) and label_cols == ((0,) if kind == T1 else (0, 1)) \
                and _pooled(kind, [d, *(u.tables[kind] for u in units)]):  # T1: its income half
            dk, uk = _fold(kind, dk), [_fold(kind, k) for k in uk]
        read = known if kind in (ASSETS, SG_CMP) else amount  # blank: unknown there, zero elsewhere
        ck.rounding = ck.rounded(d.unit)
        for key in list(dk) + [k for keys in uk for k in keys if k not in dk]:
            dc = dk.get(key)
            width = max([len(dc or [])] + [len(k.get(key, [])) for k in uk])
            label = " ".join(x for x in key[0] if x) or "空行"
            for j in (cols or range(2, width)):
                dv = read(dc[j]) if dc is not None and j < len(dc) else ZERO
                parts = [read(k[key][j]) if key in k and j < len(k[key]) else ZERO for k in uk]
                if dv is None or any(p is None for p in parts):
                    continue
                ck.equal("units", f"{d.title} 行（{label}）{_col(d, j)}",
                         "部门的数应等于所属各单位之和", ("部门", dv), (summed, _sum(parts)), len(units))
        ck.rounding = False
