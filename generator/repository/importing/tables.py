"""A unit's facts from its tables: income, basic and project expenditure by function and fund, the
other kinds, carry-over, the economic breakdown, 三公, procurement and assets.

The tables give totals by function (收入总表, 支出总表) and by fiscal fund (表5/表7/表8); a fact is
the part of a row that one fund and one kind of expenditure hold. Where a row's part is determined
(one fund, or one kind), it is placed; where it is not (two non-fiscal funds and two kinds in one
row), it is placed in the order the tables give and marked ``# 待核实`` with the reason: never split
by a guess without saying so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from generator.figures.vocabulary import (
    ASSETS,
    FUNDS,
    GENERAL,
    GOVERNMENT_FUND,
    OPERATING,
    OTHER_KINDS,
    OTHER_SOURCES,
    POOLED,
    PROCUREMENT_FUNDS,
    PROCUREMENT_HEADERS,
    SANGONG,
    STATE_CAPITAL,
)
from generator.verify.reading import ASSETS as ASSET_TABLE
from generator.verify.reading import MISSING, PROC, SG_CMP, T1, T2, T3, T4, T5, T6, T7, T8, T9, ScopeDoc, Table, amount

from .writer import CONFIRM, Line, Said

ZERO = Decimal(0)
NAMES = {T1: "收支总表", T2: "收入总表", T3: "支出总表", T4: "财政拨款收支总表", T5: "一般公共预算财政拨款支出表",
         T6: "一般公共预算财政拨款基本支出表", T7: "政府性基金预算财政拨款支出表", T8: "国有资本经营预算财政拨款支出表",
         T9: "财政拨款“三公”经费支出表", PROC: "政府采购预算表", ASSET_TABLE: "固定资产占用情况表", SG_CMP: "“三公”经费比较表"}
FISCAL_TABLES = ((GENERAL, T5), (GOVERNMENT_FUND, T7), (STATE_CAPITAL, T8))
NON_FISCAL = [f for f in FUNDS if not f.fiscal] + [POOLED]  # 收入总表's columns after 财政拨款收入, in order
OPERATING_INCOME = OTHER_SOURCES[1]  # 事业单位经营收入, which pays 经营支出


def _num(cell: str) -> Decimal:
    if cell == MISSING:
        return ZERO
    value = amount(cell)
    return value if value is not None else ZERO


def _row(kind: str, row, label: str) -> str:
    return f"{NAMES.get(kind, kind)}第{row}行“{label}”"


def _where(kind: str, row: int | str, column: str) -> str:
    name = NAMES.get(kind, kind)
    return f"{name}第{row}行“{column}”列" if row != "" else f"{name}“{column}”列"


@dataclass
class Cell:
    """A part of a function row: one fund, one kind, current year or carried over."""
    function: str
    fund: str
    kind: str  # 基本支出, 项目支出 or one of OTHER_KINDS
    amount: Decimal
    where: str
    carryover: bool = False
    surplus: bool = False
    todo: str = ""
    why: str = ""


@dataclass
class Finding:
    """What the report says: read, not placed, a contradiction, or to confirm."""
    kind: str  # "read", "unplaced", "contradiction", "confirm"
    scope: str
    text: str


@dataclass
class UnitTables:
    cells: list[Cell] = field(default_factory=list)
    function_names: dict[str, str] = field(default_factory=dict)
    economic: list[tuple[str, str, Decimal, str]] = field(default_factory=list)  # (code, name, amount, where)
    economic_names: dict[str, str] = field(default_factory=dict)
    income: dict[str, Said] = field(default_factory=dict)
    income_details: list[Line] = field(default_factory=list)
    carry_in: dict[str, Said] = field(default_factory=dict)
    surplus: dict[str, Said] = field(default_factory=dict)
    carry_out: dict[str, Said] = field(default_factory=dict)
    carry_totals: dict[str, Said] = field(default_factory=dict)  # in_total, out_total: carry-over with no fund
    sangong: dict | None = None
    procurement: list[Line] = field(default_factory=list)
    procurement_shown: bool = False  # the 政府采购预算表 is printed (with no item: the scope has none)
    carry_rows: str = ""  # where the 收支总表's carry-over rows are, when it has them (blank: none)
    assets: dict | None = None
    personnel: Decimal | None = None  # T6's 人员经费 total
    findings: list[Finding] = field(default_factory=list)


def function_rows(table: Table | None) -> dict[str, tuple[int | str, str, list[str]]]:
    """The 项 rows (7-digit codes) of a function table: code → (序号, name, cells after the name);
    parent rows give names only."""
    rows: dict[str, tuple[int | str, str, list[str]]] = {}
    if table is None:
        return rows
    for seq, cells in table.rows:
        code = re.sub(r"\s", "", cells[0]) if cells and cells[0] != MISSING else ""
        if re.fullmatch(r"[0-9]{3}|[0-9]{5}|[0-9]{7}", code):
            rows[code] = (seq, cells[1] if len(cells) > 1 else "", cells[2:])
    return rows


def _names(table: Table | None, into: dict[str, str]) -> None:
    for code, (_, name, _) in function_rows(table).items():
        if name and name != MISSING:
            into.setdefault(code, name.strip())


class Reader:
    def __init__(self, scope: ScopeDoc, factor: Decimal = Decimal(1)):
        self.scope = scope
        self.tables = scope.tables
        self.out = UnitTables()
        self.factor = factor

    def note(self, kind: str, text: str) -> None:
        self.out.findings.append(Finding(kind, self.scope.name, text))

    def read(self) -> UnitTables:
        for kind in (T2, T3, T5, T7, T8):
            _names(self.tables.get(kind), self.out.function_names)
        self.income()
        cells, findings = len(self.out.cells), len(self.out.findings)
        self.expenditure()
        if getattr(self, "totals_only", False) and any(not c.fund and c.kind not in ("基本支出", "项目支出")
                                                      for c in self.out.cells):
            # other expenditure needs its fund: the carry-over is read by fund after all (to confirm)
            del self.out.cells[cells:], self.out.findings[findings:]
            self.out.carry_totals.clear()
            self.totals_only = False
            self.expenditure()
        self.economic()
        self.sangong()
        self.procurement()
        self.assets()
        return self.out

    # ------------------------------------------------------------------ T1: income, carry-over
    def income(self) -> None:
        t1 = self.tables.get(T1)
        if t1 is None:
            return
        current = None
        for seq, cells in t1.rows:
            label = re.sub(r"\s", "", cells[0]) if cells[0] != MISSING else ""
            value = _num(cells[1]) if len(cells) > 1 else ZERO
            plain_label = re.sub(r"^[一二三四五六七八九十]+、", "", label)
            fund = next((f for f in FUNDS + (POOLED,) if plain_label in (f.income_label, f.name)), None)
            if fund is not None:
                current = fund.name
                if value:
                    self.out.income[fund.name] = Said(value, _row(T1, seq, label))
                continue
            if label.startswith("其中：") and current and value:
                self.out.income_details.append(Line({"fund": current, "label": label[3:], "amount": value},
                                                    _row(T1, seq, label)))
                continue
            if label and not label.startswith("其中"):
                current = None
        # carry-over: 上年结转（结余）, 使用非财政拨款结余, 年终结转结余; fiscal by fund from 表4
        t4 = self.tables.get(T4)
        fiscal_in: dict[str, tuple[Decimal, str]] = {}
        fiscal_out: dict[str, tuple[Decimal, str]] = {}
        if t4 is not None:
            in_block = False
            for seq, cells in t4.rows:
                label = re.sub(r"\s", "", cells[0]) if cells[0] != MISSING else ""
                if "年初" in label and "结转" in label:
                    in_block = True
                    out_total = _num(cells[3]) if len(cells) > 3 else ZERO
                    for i, (fund, _) in enumerate(FISCAL_TABLES):
                        v = _num(cells[4 + i]) if len(cells) > 4 + i else ZERO
                        if v:
                            fiscal_out[fund] = (v, _row(T4, seq, "年末财政拨款结转和结余") + f"{fund}列")
                    if out_total and not fiscal_out:
                        self.note("unplaced", f"表4 年末财政拨款结转和结余 {out_total} 未分资金来源，未写入。")
                    continue
                if in_block:
                    plain_label = re.sub(r"^[一二三四五六七八九十]+、", "", label)
                    fund = next((f for f, _ in FISCAL_TABLES if plain_label in (f, f + "收入")), None)
                    if fund is None:
                        in_block = False
                        continue
                    v = _num(cells[1])
                    if v:
                        fiscal_in[fund] = (v, _row(T4, seq, label))
        carried = surplus_total = out_total = ZERO
        where_in = where_surplus = where_out = ""
        for seq, cells in t1.rows:
            label = re.sub(r"\s", "", cells[0]) if cells[0] != MISSING else ""
            if label.startswith("上年结转"):
                carried, where_in = _num(cells[1]), _row(T1, seq, label)
            elif "非财政拨款结余" in label:
                surplus_total, where_surplus = _num(cells[1]), _row(T1, seq, label)
            right = re.sub(r"\s", "", cells[2]) if len(cells) > 3 and cells[2] != MISSING else ""
            if right.startswith("年终结转"):
                out_total, where_out = _num(cells[3]), _row(T1, seq, right)
        if where_in and where_out:
            self.out.carry_rows = f"{where_in}、{where_out}"
        for fund, (v, where) in fiscal_in.items():
            self.out.carry_in[fund] = Said(v, where)
        rest_in = carried - sum((v for v, _ in fiscal_in.values()), ZERO)
        for fund, (v, where) in fiscal_out.items():
            self.out.carry_out[fund] = Said(v, where)
        rest_out = out_total - sum((v for v, _ in fiscal_out.values()), ZERO)
        self.non_fiscal_carry = (rest_in, where_in, surplus_total, where_surplus, rest_out, where_out)
        # no fiscal carry-over, no surplus row, and no one non-fiscal fund it can come from: the publication
        # gives the carry-over as a total only (carryover.in_total / out_total; its spending has no fund)
        self.totals_only = not fiscal_in and not fiscal_out and not surplus_total and (rest_in > 0 or rest_out > 0) \
            and len([f for f in NON_FISCAL if f.name in self.out.income]) != 1

    def _non_fiscal_fund(self, what: str) -> tuple[str, str]:
        """The fund of a non-fiscal carry-over: the unit's one non-fiscal income source, else the first."""
        if getattr(self, "totals_only", False):
            return "", ""
        funds = [f.name for f in NON_FISCAL if f.name in self.out.income]
        if len(funds) == 1:
            return funds[0], ""
        fund = funds[0] if funds else OTHER_SOURCES[0]
        return fund, f"公开文件只给出{what}的合计，未写明资金来源，暂记为{fund}"

    # ------------------------------------------------------------------ T2, T3, T5, T7, T8: expenditure
    def expenditure(self) -> None:
        t2, t3 = function_rows(self.tables.get(T2)), function_rows(self.tables.get(T3))
        fiscal = {fund: function_rows(self.tables.get(kind)) for fund, kind in FISCAL_TABLES}
        codes = [c for c in t3 if len(c) == 7] or [c for c in t2 if len(c) == 7]
        for fund, rows in fiscal.items():
            codes += [c for c in rows if len(c) == 7 and c not in codes]
        rest_in, where_in, surplus_total, where_surplus, rest_out, where_out = getattr(
            self, "non_fiscal_carry", (ZERO, "", ZERO, "", ZERO, ""))
        nf_carry_left, nf_surplus_left = rest_in - rest_out, surplus_total  # the carry-over spent, the surplus used
        for code in codes:
            name = (t3.get(code) or t2.get(code) or ("", "", []))[1]
            kinds = {}
            if code in t3:
                seq3, _, cells = t3[code]
                for i, kind in enumerate(("基本支出", "项目支出") + OTHER_KINDS):
                    kinds[kind] = (_num(cells[1 + i]) if len(cells) > 1 + i else ZERO, seq3)
            fiscal_total = ZERO
            fiscal_cells: list[Cell] = []
            for fund, kind_table in FISCAL_TABLES:
                row = fiscal[fund].get(code)
                if row is None:
                    continue
                seq, _, cells = row
                for i, kind in enumerate(("基本支出", "项目支出")):
                    v = _num(cells[1 + i]) if len(cells) > 1 + i else ZERO
                    if v:
                        fiscal_cells.append(Cell(code, fund, kind, v, _where(kind_table, seq, kind)))
                        fiscal_total += v
            # the fiscal part carried over: what 表5/7/8 spend beyond 收入总表's 财政拨款收入
            income_fiscal = income_carry = ZERO
            non_fiscal_sources: list[tuple[str, Decimal]] = []
            if code in t2:
                _, _, cells = t2[code]
                income_fiscal = _num(cells[2]) if len(cells) > 2 else ZERO
                for i, fund in enumerate(NON_FISCAL):
                    v = _num(cells[3 + i]) if len(cells) > 3 + i else ZERO
                    if v:
                        non_fiscal_sources.append((fund.name, v))
                income_carry = _num(cells[3 + len(NON_FISCAL)]) if len(cells) > 3 + len(NON_FISCAL) else ZERO
            fiscal_carry = fiscal_total - income_fiscal if code in t2 else ZERO
            if fiscal_carry > 0:
                self._carry_fiscal(fiscal_cells, fiscal_carry, code)
            self.out.cells.extend(fiscal_cells)
            # the non-fiscal part: 支出总表 by kind less the fiscal tables' part
            spent = {k: v for k, (v, _) in kinds.items()}
            for c in fiscal_cells:
                spent[c.kind] = spent.get(c.kind, ZERO) - c.amount
            need = [(k, v) for k, v in spent.items() if v > 0]
            carry_here = income_carry - max(fiscal_carry, ZERO)
            sources = list(non_fiscal_sources)
            if carry_here > 0:
                take_carry = min(carry_here, max(nf_carry_left, ZERO))
                take_surplus = carry_here - take_carry
                if take_carry:
                    fund, why = self._non_fiscal_fund("非财政拨款上年结转")
                    sources.append((("carry", fund, why), take_carry))
                    nf_carry_left -= take_carry
                if take_surplus:
                    fund, why = self._non_fiscal_fund("使用非财政拨款结余")
                    sources.append((("surplus", fund, why), take_surplus))
                    nf_surplus_left -= take_surplus
            if need:
                seq3 = t3[code][0] if code in t3 else ""
                self._allocate(code, name, need, sources, seq3)
        # the non-fiscal carry-over by fund
        if getattr(self, "totals_only", False):
            for key, v, where in (("in_total", rest_in, where_in), ("out_total", rest_out, where_out)):
                if v > 0:
                    self.out.carry_totals[key] = Said(v, where + "（只有合计，不分资金来源）")
            return
        if rest_in > 0:
            fund, why = self._non_fiscal_fund("非财政拨款上年结转")
            self.out.carry_in[fund] = Said(self.out.carry_in.get(fund, Said(ZERO)).value + rest_in, where_in,
                                           CONFIRM if why else "")
            if why:
                self.note("confirm", why + "。")
        if surplus_total > 0:
            fund, why = self._non_fiscal_fund("使用非财政拨款结余")
            self.out.surplus[fund] = Said(surplus_total, where_surplus, CONFIRM if why else "")
        if rest_out > 0:
            fund, why = self._non_fiscal_fund("非财政拨款年终结转结余")
            self.out.carry_out[fund] = Said(self.out.carry_out.get(fund, Said(ZERO)).value + rest_out, where_out,
                                            CONFIRM if why else "")

    def _carry_fiscal(self, cells: list[Cell], carry: Decimal, code: str) -> None:
        """Mark the part of the fiscal cells spent from last year's fiscal carry-over (a project first)."""
        funds_with_carry = [f for f in self.out.carry_in if f in dict(FISCAL_TABLES)]
        order = sorted(cells, key=lambda c: (c.fund not in funds_with_carry, c.kind != "项目支出"))
        for c in order:
            if carry <= 0:
                break
            part = min(c.amount, carry)
            carry -= part
            if part == c.amount:
                c.carryover = True
            else:
                c.amount -= part
                cells.append(Cell(c.function, c.fund, c.kind, part, c.where, carryover=True))
        if carry > 0:
            self.note("unplaced", f"{code}：收入总表的上年结转与财政拨款支出表不符，{carry} 未能归入财政拨款结转。")

    def _allocate(self, code: str, name: str, need: list[tuple[str, Decimal]], sources: list, seq) -> None:
        """Split a row's non-fiscal spending (by kind) over its non-fiscal sources (by fund)."""
        where = f"{NAMES[T3]}第{seq}行"
        why = ""
        if len(need) > 1 and len(sources) > 1:
            # a kind equal to one source's amount is paid from it (经营支出 18.50 from 事业单位经营收入 18.50)
            need, sources = list(need), list(sources)
            for kind, v in list(need):
                match = [src for src in sources if src[1] == v]
                if len(match) == 1 or (match and kind == OPERATING and any(m[0] == OPERATING_INCOME for m in match)):
                    src = next((m for m in match if m[0] == OPERATING_INCOME), match[0]) if kind == OPERATING else match[0]
                    self._cell(code, kind, v, src[0], f"{where}“{kind}”列", "")
                    need.remove((kind, v))
                    sources.remove(src)
        if len(need) > 1 and len(sources) > 1:
            why = f"{code} {name} 的非财政拨款支出有多种资金来源、多种支出类型，公开文件未写明对应关系，按表中顺序分配"
            self.note("confirm", why + "。")
        src_i = 0
        left = [list(s) for s in sources]
        for kind, v in need:
            while v > 0:
                if src_i >= len(left):
                    self.note("unplaced", f"{code} {name}：{kind} {v} 在收入总表中没有对应的资金来源，未写入。")
                    break
                take = min(v, left[src_i][1])
                self._cell(code, kind, take, left[src_i][0], f"{where}“{kind}”列", CONFIRM if why else "", why)
                left[src_i][1] -= take
                v -= take
                if left[src_i][1] <= 0:
                    src_i += 1

    def _cell(self, code: str, kind: str, v: Decimal, src, where: str, todo: str, why: str = "") -> None:
        carry = surplus = False
        if isinstance(src, tuple):
            mode, fund, why_fund = src
            carry, surplus = mode == "carry", mode == "surplus"
            if why_fund:
                todo, why = CONFIRM, why_fund
        else:
            fund = src
        self.out.cells.append(Cell(code, fund, kind, v, where, carry, surplus, todo, why))

    # ------------------------------------------------------------------ T6: economic breakdown
    def economic(self) -> None:
        t6 = self.tables.get(T6)
        if t6 is None:
            return
        for code, (seq, name, cells) in function_rows(t6).items():
            if name:
                self.out.economic_names.setdefault(code, name.strip())
            if len(code) != 5:
                continue
            v = _num(cells[0]) if cells else ZERO
            if v:
                self.out.economic.append((code, name.strip(), v, _where(T6, seq, "合计")))
        total = next((cells for seq, cells in t6.rows if len(cells) > 1 and re.sub(r"\s", "", cells[1]) == "合计"), None)
        if total is not None:
            self.out.personnel = _num(total[3]) if len(total) > 3 else None

    # ------------------------------------------------------------------ T9, the 三公 comparison
    def sangong(self) -> None:
        t9, cmp_ = self.tables.get(T9), self.tables.get(SG_CMP)
        if t9 is None and cmp_ is None:
            return
        if t9 is not None and t9.not_shown and (cmp_ is None or not any(
                c.strip() and c != MISSING for _, cells in cmp_.rows for c in cells[1:])):
            return  # its note says the sources give no 三公 (本表不列示), the 情况说明's table no figure: unstated
        current: list[Line] = []
        labels = {re.sub(r"\s", "", c.t9_label): c.name for c in SANGONG}
        if t9 is not None:
            for seq, cells in t9.rows:
                label = re.sub(r"\s", "", cells[0])
                cat = labels.get(label)
                if cat is None:
                    continue
                for i, (fund, _) in enumerate(FISCAL_TABLES):
                    v = _num(cells[2 + i]) if len(cells) > 2 + i else ZERO
                    if v:
                        current.append(Line({"category": cat, "fund": fund, "amount": v},
                                            _row(T9, seq, label) + f"{fund}列"))
        out: dict = {"current": current}
        if cmp_ is not None:
            prior: dict[str, Said] = {}
            comparison = {re.sub(r"\s", "", c.comparison): c.name for c in SANGONG}
            for seq, cells in cmp_.rows:
                label = re.sub(r"\s", "", cells[0])
                cat = comparison.get(label)
                if cat is None or len(cells) < 2 or cells[1] in ("", MISSING) or amount(cells[1]) is None:
                    continue
                prior[cat] = Said(_num(cells[1]), f"“三公”经费比较表“{label}”上年预算")
            out["prior_year"] = prior
        self.out.sangong = out

    def sangong_reasons(self) -> dict[str, str]:
        cmp_ = self.tables.get(SG_CMP)
        reasons: dict[str, str] = {}
        if cmp_ is None:
            return reasons
        comparison = {re.sub(r"\s", "", c.comparison): c.name for c in SANGONG}
        comparison["合计"] = "合计"
        for _, cells in cmp_.rows:
            label = re.sub(r"\s", "", cells[0])
            key = comparison.get(label)
            if key is None or len(cells) < 5 or cells[4] in ("", MISSING):
                continue
            change = amount(cells[3])
            if cells[4] == "无增减变化" and (change is None or change == 0):
                continue  # what budgetpub prints for an unchanged category with no reason
            reasons[key] = cells[4].strip()
        return reasons

    # ------------------------------------------------------------------ 政府采购, 固定资产
    def procurement(self) -> None:
        proc = self.tables.get(PROC)
        if proc is None or proc.not_shown:  # printed blank, "未提供……，本表不列示": not stated, not none
            return
        self.out.procurement_shown = True
        headers = dict(zip(PROCUREMENT_HEADERS, PROCUREMENT_FUNDS))
        names = [re.sub(r"\s", "", h) for h in proc.header]
        for i, (seq, cells) in enumerate(proc.rows, 1):
            if len(cells) < 8 or not cells[2].strip() or cells[2] == MISSING:
                continue
            project = cells[0].strip()
            fields: dict = {}
            if project and project != "基本支出" and project != MISSING:
                fields["project"] = project
            fields["item"] = cells[2].strip()
            fields["catalogue_no"] = cells[3].strip()
            fields["measure"] = cells[4].strip()
            fields["quantity"] = _num(cells[5])
            fields["unit_price"] = _num(cells[6])
            funds = {}
            for j, header in enumerate(PROCUREMENT_HEADERS):
                col = 8 + j
                v = _num(cells[col]) if len(cells) > col else ZERO
                if v:
                    funds[headers[header]] = v
            fields["funds"] = funds
            sme = _num(cells[15]) if len(cells) > 15 else ZERO
            if sme:
                fields["sme_reserved"] = sme
            where = f"政府采购预算表第{i}行（{fields['item']}）"
            self.out.procurement.append(Line(fields, where))
        del names

    def assets(self) -> None:
        table = self.tables.get(ASSET_TABLE)
        if table is None:
            return
        labels = {re.sub(r"\s", "", a.label): a.key for a in ASSETS}
        out: dict = {}
        cap = table.caption
        date = re.search(r"([0-9]{4})[-./年]([0-9]{1,2})[-./月]([0-9]{1,2})", cap.text if cap else "")
        if date:
            out["as_of"] = Said(f"{date.group(1)}-{int(date.group(2)):02d}-{int(date.group(3)):02d}",
                                "固定资产占用情况表“截止时间”")
        for i, (seq, cells) in enumerate(table.rows, 1):
            label = re.sub(r"\s", "", cells[0])
            key = "total" if label == "固定资产总额" else labels.get(label)
            if key is None or len(cells) < 3:
                continue
            entry: dict = {}
            if cells[1].strip() and cells[1] != MISSING and amount(cells[1]) is not None:
                entry["count"] = amount(cells[1])
            if cells[2].strip() and cells[2] != MISSING and amount(cells[2]) is not None:
                entry["value"] = amount(cells[2])
            if key == "total":
                out["_total"] = (entry, f"固定资产占用情况表第{i}行“{label}”")
            elif entry:
                out[key] = Line(entry, f"固定资产占用情况表第{i}行“{label}”")
        self.out.assets = out
