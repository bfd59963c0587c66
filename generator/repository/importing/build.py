"""The sources of a department from a read publication: department.yaml and a file per unit, as the
writer's data (values with where they were read), and what the report says.

Facts come from the unit's own tables (the department's are their sums); figures the text repeats
are compared with them by the verifier, and its disagreements are the publication's own
contradictions: the tables' figure is imported, the text's is reported, never both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from generator.figures.catalogue import Catalogue
from generator.figures.model import is_personnel
from generator.figures.tables import UNIT_ATTRIBUTES
from generator.figures.vocabulary import GENERAL, OTHER_KINDS, RUNNING_COST_NATURES
from generator.verify.reading import T3, T6, Document, ScopeDoc, amount

from .narrative import Narrative, read_narrative
from .projects import Projects, _name_of
from .tables import ZERO, Cell, Finding, Reader, UnitTables, function_rows
from .wording import wording as region_wording_of
from .writer import _TEMPLATE, CONFIRM, TODO, Line, Said

WAN = Decimal(10000)


@dataclass
class Imported:
    department: dict
    units: list[tuple[str, dict, str]]  # (code, data, name)
    findings: list[Finding] = field(default_factory=list)
    read: list[str] = field(default_factory=list)
    money_unit: str = "万元"


def _org(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {re.sub(r"\s", "", r["name"]): r for r in rows}


class Builder(Projects):
    def __init__(self, doc: Document, organisation: list[dict[str, str]], dept: str, year: int, fmt: str):
        self.doc, self.dept, self.year, self.fmt = doc, dept, year, fmt
        self.org = _org(organisation)
        self.roster = organisation
        self.catalogue = Catalogue.load()
        self.findings: list[Finding] = []
        self.function_names: dict[str, str] = {}
        self.economic_names: dict[str, str] = {}
        department = next((s for s in doc.scopes if not s.is_unit), None)
        units = [s for s in doc.scopes if s.is_unit]
        self.alone = department is None or not units
        self.department = department or (units[0] if units else doc.scopes[0])
        self.units = units or [self.department]
        # only the department's tables (a budget system's export of one department): one unit, to confirm
        self.department_only = self.alone and sum(t.startswith("部门") for t in self.department.titles) * 2 > \
            len(self.department.titles)
        # a publication of the department's tables only, its units listed in 机构设置情况: published at
        # department level (unit_budgets: false); the facts go into a summary file DDD000 that is not printed
        self.department_level = self.department_only and fmt != "xlsx" and bool(organisation)
        # budgetpub's workbook of such a department: the department's tables and the summary's (DDD000 …（部门汇总）)
        self.summary_sheets = fmt == "xlsx" and department is not None and len(units) == 1 and \
            units[0].code == f"{dept}000"
        self.department_level = self.department_level or self.summary_sheets
        tables = [t for s in doc.scopes for t in s.tables.values() if t.unit]
        self.table_unit = max(("万元", "元"), key=lambda u: sum(t.unit == u for t in tables)) if tables else "万元"
        # a workbook's number format is the workbook's (budgetpub's is always #,##0.00): it does not say
        # whether the publication prints thousands separators
        shown = any("," in c for t in tables for _, cells in t.rows for c in cells)
        self.thousands = shown and fmt != "xlsx"
        self.display_unknown = shown and fmt == "xlsx"

    def note(self, kind: str, scope: str, text: str) -> None:
        self.findings.append(Finding(kind, scope, text))

    # ------------------------------------------------------------------ the whole
    def build(self) -> Imported:
        dept_narrative = read_narrative(self.department)
        units = []
        for i, scope in enumerate(self.units, 1):
            code = scope.code if len(scope.code) > len(self.dept) else f"{self.dept}{i:03d}"
            if self.department_level:  # one unit listed: its file is the unit itself; several: a summary file
                code = f"{self.dept}{'001' if len(self.roster) == 1 else '000'}"
            elif code != scope.code and not (self.alone and scope.code == self.dept):
                self.note("confirm", scope.name, f"表格的表头行没有单位编码，单位编码记为 {code}。")
            data = self.unit(scope, code, dept_narrative if self.alone else None)
            if self.department_level and len(self.roster) != 1:
                data["name"] = Said(f"{scope.name.removesuffix('（部门汇总）')}（部门汇总）", "部门一级公开：部门汇总的收支，不作为单位印出")
            elif self.department_only and not self.department_level:
                data["name"] = Said(scope.name, "只有部门的表格：按一个单位导入", CONFIRM)
                self.note("confirm", scope.name, "文件中只有部门的表格，没有各单位的表格：按部门只有一个单位导入。"
                          "部门有多个单位时，请按单位分别导入（或等待“部门层面公开”的写法）。")
            units.append((code, data, scope.name))
        self.built_units = units
        department = self.department_data(dept_narrative)
        texts = [line.text for s in self.doc.scopes for line in s.paragraphs]
        texts += [c for s in self.doc.scopes for p in s.perf for r in p.rows for c in r]
        if any(_TEMPLATE.search(t) for t in texts):
            self.note("confirm", self.department.name, "文字中有“{{”“}}”等符号：已改为全角（｛｛ ｝｝），"
                      "以免被当作引用计算出的数；请核实。")
        imported = Imported(department, units, self.findings, money_unit=self.table_unit)
        return imported

    def money(self, value: Decimal, text_unit: str) -> tuple[Decimal, bool]:
        """A figure of the text in the sources' unit, and whether it lost precision."""
        if text_unit == self.table_unit:
            return value, False
        if text_unit == "万元" and self.table_unit == "元":
            return value * WAN, True
        return (value / WAN).quantize(Decimal("0.01")), True

    def department_data(self, n: Narrative) -> dict:
        d: dict = {"code": self.dept, "name": Said(self.department.name or "（待填写）", "部门的收支预算标题")}
        d["year"] = self.year
        d["money_unit"] = Said(self.table_unit, "表格的“单位”")
        if n.unit != self.table_unit or self.thousands:
            d["display"] = {"text": n.unit, "tables": self.table_unit, **({"thousands": True} if self.thousands else {})}
            if n.unit == self.table_unit:
                del d["display"]["text"]
                del d["display"]["tables"]
        if self.alone and not self.department_only:
            d["publishes"] = "单位预算"
        if self.display_unknown:
            self.note("unplaced", self.department.name, "工作簿的数字格式不说明公开文件是否用千位分隔符（1,234.00）：没有写 "
                      "display.thousands（公开文件用时请在 department.yaml 中写上 display: {thousands: true}）。")
        if self.department_level and len(self.roster) > 1:
            d["units"] = [Line({"code": f"{self.dept}{i:03d}", **{k: r[k] for k in ("name", *UNIT_ATTRIBUTES) if r.get(k)}},
                               f"部门机构设置情况表第{i}行（单位编码未公开，按顺序编写）")
                          for i, r in enumerate(self.roster, 1)]
        if self.summary_sheets:  # the roster (部门预算单位构成) is in no sheet
            d["units"] = [Line({"code": f"{self.dept}001", "name": "（待填写：单位名称）"},
                               "工作簿中没有部门预算单位构成（机构设置情况表）：请逐个写上部门的单位", TODO)]
            self.note("unplaced", self.department.name, "工作簿只有部门和部门汇总的表（部门一级公开）：部门预算单位构成"
                      "（units）待填写。")
        if self.department_level:
            d["unit_budgets"] = False
        if n.level:
            d["government_level"] = Said(n.level, "名词解释“一般公共预算拨款收入”")
        else:
            d["government_level"] = Said("区级", "公开文件中没有找到", TODO)
            self.note("unplaced", self.department.name, "名词解释中没有找到政府级次（区级、市级……），请填写 government_level。")
        if not self.alone and not all("prior_year" in u for _, u, _ in self.built_units):
            d["prior_year"] = self.prior_year(self.department, n)  # the units' are summed when each states its own
        perf = [p for s in self.doc.scopes for p in read_narrative_perf(s)]
        if perf and not any(p.columns[0] for p in perf):
            d["performance_table"] = {"columns": [], "cost_required": False}
        elif perf and any(not any(i.level2 == "成本指标" for i in p.indicators) for p in perf):
            d["performance_table"] = {"cost_required": False}
        wording = region_wording_of(self, n, d)
        if wording:
            d["wording"] = wording
        texts = self.texts(n, department=True)
        reasons = Reader(self.department).sangong_reasons()
        if reasons and not self.alone:
            texts["sangong_reasons"] = reasons
        if self.alone and self.units:
            texts.update({k: v for k, v in self.unit_texts.items() if k not in texts})
            d["prior_year"] = self._alone_prior
            if self._alone_prior and set(self._alone_prior) == {"total"} and "total" in n.prior \
                    and n.unit == self.table_unit:  # only the change is published: written as it is
                change, sentence = n.prior["total"]
                d["prior_year"] = {"change": Said(change, f"情况说明“比上年增减情况”：{sentence}")}
        d["texts"] = texts or {"duties": Said("（待填写）", "工作簿中没有文字", TODO)}
        names = {c: n_ for c, n_ in sorted(self.function_names.items())
                 if self.catalogue.function.get(c) != n_}
        if names:
            d["function_names"] = names
        enames = {c: n_ for c, n_ in sorted(self.economic_names.items()) if self.catalogue.economic.get(c) != n_}
        if enames:
            d["economic_names"] = enames
        return d

    def texts(self, n: Narrative, department: bool) -> dict:
        out: dict = {}
        keys = ["duties", "budget_overview", "change_reasons", "sangong_reasons", "performance", "special_funds",
                "other_matters"]
        if not department:
            keys = [k for k in keys if k not in ("performance", "special_funds")]
        for key in keys:
            value = n.texts.get(key)
            if value:
                out[key] = value
        if self.fmt == "xlsx":
            who = "部门" if department else "单位"
            out.setdefault("duties", Said(f"（待填写：{who}主要职能）", "工作簿中没有文字", TODO))
            out.setdefault("change_reasons", {k: Said(f"（待填写：{w}比上年增减的主要原因）", "工作簿中没有文字", TODO)
                                              for k, w in (("basic", "基本支出"), ("project", "项目支出"))})
            if department:
                out.setdefault("budget_overview", Said("（待填写：预算编制的总体情况）", "工作簿中没有文字", TODO))
                out.setdefault("other_matters", Said("（待填写：其他需要说明的事项）", "工作簿中没有文字", TODO))
        return out

    # ------------------------------------------------------------------ prior year
    def prior_year(self, scope: ScopeDoc, n: Narrative) -> dict | None:
        if not n.prior:
            return None
        t3 = scope.tables.get(T3)
        totals = {}
        if t3 is not None:
            for _, cells in t3.rows:
                if len(cells) > 2 and re.sub(r"\s", "", cells[1]) == "合计":
                    vals = [amount(c) or ZERO for c in cells[2:]]
                    totals = {"total": vals[0], "basic": vals[1] if len(vals) > 1 else ZERO,
                              "project": vals[2] if len(vals) > 2 else ZERO,
                              "other": sum(vals[3:6], ZERO)}
        out: dict = {}
        for key in ("total", "basic", "project", "other", "fiscal"):
            if key not in n.prior:
                continue
            change, sentence = n.prior[key]
            if key == "fiscal":
                m = re.search(r"财政拨款支出([0-9][0-9,]*\.?[0-9]*)\s*(万元|元)", sentence.replace(" ", ""))
                this = amount(m.group(1)) if m else None
                this_unit = m.group(2) if m else n.unit
            else:
                this = totals.get(key)
                this_unit = self.table_unit
            if this is None:
                continue
            if this_unit != n.unit:  # the change is in the text's unit (万元), the figure in the tables' (元)
                prior, lossy = _roundest(this, change), True
            else:
                prior, lossy = self.money(this - change, this_unit)
            words = {"total": "合计", "basic": "基本支出", "project": "项目支出", "other": "其他支出", "fiscal": "财政拨款支出"}
            where = f"情况说明“比上年增减情况”：本年{words[key]}减去增减额"
            out[key] = Said(prior, where + ("（由文字中的万元数换算，精度有限）" if lossy else ""), CONFIRM if lossy else "")
        if "basic" in out and "project" not in out:
            del out["basic"]
        if "project" in out and "basic" not in out:
            del out["project"]
        if set(out) >= {"basic", "project"} and "total" in out:
            del out["total"]
        return out or None

    # ------------------------------------------------------------------ a unit
    def unit(self, scope: ScopeDoc, code: str, dept_narrative: Narrative | None) -> dict:
        tables = Reader(scope).read()
        self.findings.extend(tables.findings)
        for c, name in tables.function_names.items():
            known = self.catalogue.function.get(c)
            if known != name:
                self.function_names.setdefault(c, name)
        for c, name in tables.economic_names.items():
            if self.catalogue.economic.get(c) != name:
                self.economic_names.setdefault(c, name)
        n = read_narrative(scope) if dept_narrative is None else dept_narrative
        u: dict = {"code": code, "name": scope.name}
        attrs = self.org.get(re.sub(r"\s", "", scope.name))
        if self.department_level:  # the one unit listed is the department's; several: the summary has none
            attrs = self.roster[0] if len(self.roster) == 1 else None
        for key, word in zip(UNIT_ATTRIBUTES, ("单位性质", "单位规格", "经费保障形式")):
            if attrs and attrs.get(key):
                u[key] = Said(attrs[key], f"机构设置情况表“{word}”列")
            elif self.fmt == "xlsx" and not self.summary_sheets:  # a workbook has no 情况说明: the clerk writes them
                u[key] = Said("（待填写）", "工作簿中没有机构设置情况表（不公开这一项时删去这一行）", TODO)
            # a publication that does not give it: left out (optional), never a placeholder
        if not attrs and self.fmt != "xlsx" and not self.department_level:
            self.note("unplaced", scope.name, "机构设置情况表中没有这个单位：没有写单位性质、单位规格和经费保障形式"
                      "（都可不写；公开了的请补写，没有单位性质时情况说明不提机关运行经费）。")
        u["income"] = tables.income
        if tables.income_details:
            u["income_details"] = tables.income_details
        carry = {k: v for k, v in (("in", tables.carry_in), ("surplus", tables.surplus), ("out", tables.carry_out)) if v}
        carry.update(tables.carry_totals)
        if carry:
            u["carryover"] = carry
        elif tables.carry_rows:  # the rows are printed blank: the publication states none
            u["carryover"] = Line({"none": True}, tables.carry_rows + "空白：没有结转和结余")
        u["basic"] = self.basic(scope, tables, n)
        other = [Line({"kind": c.kind, "function": c.function, **({"fund": c.fund} if c.fund else {}), "amount": c.amount,
                       **({"carryover": True} if c.carryover else {}), **({"surplus": True} if c.surplus else {})},
                      c.where + (f"（{c.why}）" if c.why else ""), c.todo)
                 for c in tables.cells if c.kind in OTHER_KINDS]
        if other:
            u["other_expenditure"] = other
        running = self.running_costs(scope, tables, n, u)
        if running:
            u["running_costs"] = running
        elif "nature" not in u and n.running_total:
            u["running_costs_stated"] = self.running_stated(n)
        elif self.summary_sheets:  # a summary has no 单位性质 to compute it from, and a workbook no text
            u["running_costs_stated"] = {"amount": Said("（待填写）", "工作簿中没有机关运行经费（不公开时删去这一项）", TODO)}
        if tables.sangong is not None:
            sg = dict(tables.sangong)
            if not sg.get("prior_year"):
                sg.pop("prior_year", None)
            u["sangong"] = sg
        proc = self.procurement(scope, tables, n)
        if proc:
            u["procurement"] = proc
        elif n.procurement_summary:
            summary, _ = n.procurement_summary
            fields = {}
            for key, v in summary.items():
                value, lossy = self.money(v, n.unit)
                fields[key] = Said(value, "情况说明“政府采购预算情况”" + ("（由万元数换算）" if lossy else ""),
                                   CONFIRM if lossy and value % 100 else "")
            if n.fixed_assets:
                value, lossy = self.money(n.fixed_assets, n.unit)
                fields["fixed_assets"] = Said(value, "情况说明“国有资产信息”：本年度拟购置固定资产总额"
                                              + ("（由万元数换算）" if lossy else ""), CONFIRM if lossy and value % 100 else "")
            u["procurement_summary"] = fields
        elif tables.procurement_shown:  # the table printed with no item: the publication states none
            u["procurement"] = Said([], "政府采购预算表没有采购项目：本年没有政府采购预算")
        assets = self.assets(tables)
        if assets:
            u["assets"] = assets
        prior = self.prior_year(scope, n)
        if prior is None and self.fmt == "xlsx":
            prior = {key: Said(ZERO, f"工作簿中没有上年预算数：上年{word}", TODO)
                     for key, word in (("basic", "基本支出"), ("project", "项目支出"))}
        if dept_narrative is None:
            if prior:
                u["prior_year"] = prior
        else:
            self._alone_prior = prior
        reasons = Reader(scope).sangong_reasons()
        texts = self.texts(n, department=False)
        if reasons:
            texts["sangong_reasons"] = reasons
        if dept_narrative is None:
            if texts:
                u["texts"] = texts
        else:
            self.unit_texts = texts
        self.spending_lines: list = []
        projects = self.projects(scope, tables, n)
        if self.spending_lines:
            u["project_spending"] = self.spending_lines
        if projects:
            u["projects"] = projects
        return u

    def basic(self, scope: ScopeDoc, tables: UnitTables, n: Narrative) -> list:
        groups: dict[tuple, list[Cell]] = {}
        for c in tables.cells:
            if c.kind == "基本支出":
                groups.setdefault((c.fund, c.carryover, c.surplus), []).append(c)
        out = []
        t6_note = any("经济分类" in note for t in scope.tables.values() for note in t.notes) and not tables.economic
        placed_economic = False
        rest: list[tuple[dict, Decimal, str]] = []  # groups whose economic detail no table shows
        for (fund, carry, surplus), cells in groups.items():
            g: dict = {"fund": fund} if fund else {}  # no fund: paid from a carry-over given as a total
            if carry:
                g["carryover"] = True
            if surplus:
                g["surplus"] = True
            g["function"] = [Line({"code": c.function, "amount": c.amount},
                                  f"{_name_of(c.function, '', self.catalogue.function) or ''} · {c.where}".strip(" ·")
                                  + (f"（{c.why}）" if c.why else ""), c.todo) for c in cells]
            if fund == GENERAL and not carry and not surplus and tables.economic:
                g["economic"] = [Line({"code": code, "amount": v}, f"{name} · {where}") for code, name, v, where in
                                 tables.economic]
                placed_economic = True
            elif not t6_note:
                label = f"{fund}{'（上年结转）' if carry else ''}{'（非财政拨款结余）' if surplus else ''}"
                v = sum((c.amount for c in cells), ZERO)
                if fund == GENERAL:  # its 款 belong in the 基本支出表, which shows them only once
                    self.note("unplaced", scope.name, f"{label}安排的基本支出 {v}：一般公共预算财政拨款基本支出表的"
                              "经济分类已写在本年的一般公共预算基本支出下，这部分只写功能分类。")
                else:
                    rest.append((g, v, label))
            out.append(g)
        if rest:
            self._split_rest(scope, tables, n, rest)
        if tables.economic and not placed_economic:
            self.note("unplaced", scope.name, "一般公共预算财政拨款基本支出表有经济分类，但支出表中没有对应的基本支出。")
        return out

    def _split_rest(self, scope: ScopeDoc, tables: UnitTables, n: Narrative, rest: list) -> None:
        """人员经费 and 公用经费 of the basic expenditure no table breaks down (a fund other than the general
        budget): the text's 人员经费 and 日常公用经费 of all basic expenditure less the general budget's (基本支出表). Where
        several such groups share them, how they divide is not published: a split is written to confirm."""
        whole = sum((v for _, v, _ in rest), ZERO)

        def unplaced(why: str) -> None:
            for _, v, label in rest:
                self.note("unplaced", scope.name, f"{label}安排的基本支出 {v}：公开文件只有一般公共预算财政拨款基本支出的"
                          f"经济分类，{why}，这部分的经济分类无从得知，只写功能分类。")

        if n.basic_split is None:
            unplaced("情况说明也没有给出人员经费和日常公用经费")
            return
        personnel_text, public_text, sentence = n.basic_split
        personnel, lossy = self.money(personnel_text, n.unit)
        public, _ = self.money(public_text, n.unit)
        personnel -= sum((v for code, _, v, _ in tables.economic if is_personnel(code)), ZERO)
        public -= sum((v for code, _, v, _ in tables.economic if not is_personnel(code)), ZERO)
        if lossy:  # the text is rounded to another unit: what the tables give decides the sum
            public = whole - personnel
        if personnel < 0 or public < 0 or personnel + public != whole:
            unplaced(f"情况说明的人员经费和日常公用经费（“{sentence}”）与各表对不上")
            return
        several = len(rest) > 1

        def where(word: str) -> str:
            return (f"情况说明“{sentence}”中的{word}减去一般公共预算财政拨款基本支出表的{word}"
                    + ("（由文字中的万元数换算，精度有限）" if lossy else "") + ("；各部分的划分为推算" if several else ""))

        if several:
            self.note("confirm", scope.name, "、".join(label for _, _, label in rest) + "安排的基本支出：情况说明只给出"
                      f"人员经费 {personnel}、公用经费 {public} 的合计，各部分的划分是推算的（人员经费依次先分），请核实。")
        left = personnel
        for g, v, label in rest:
            own = min(left, v)
            left -= own
            todo = CONFIRM if lossy or several else ""
            fields = {"personnel": Said(own, where("人员经费"), todo), "public": Said(v - own, where("公用经费"), todo)}
            function = g.pop("function")
            g.update(fields)
            g["function"] = function

    def running_costs(self, scope: ScopeDoc, tables: UnitTables, n: Narrative, u: dict) -> list:
        nature = u.get("nature")
        nature = str(nature.value if isinstance(nature, Said) else nature or "")
        if not n.running or not any(w in nature for w in RUNNING_COST_NATURES):
            return []
        t6 = scope.tables.get(T6)
        public = []
        for c, (seq, name, cells) in function_rows(t6).items():
            v = amount(cells[2]) if len(c) == 5 and len(cells) > 2 else None
            if v:
                public.append((c, name.strip(), v))
        if n.unit != self.table_unit:
            return []  # the text's items are rounded to another unit: the split cannot be read exactly
        left = list(n.running)
        unmatched = []
        for c, name, v in public:  # a row the text names as it is: no split
            same = next((it for it in left if it[0] == name and it[1] == v), None)
            if same is not None:
                left.remove(same)
            else:
                unmatched.append((c, name, v))
        out = []
        for c, name, v in unmatched:  # a row the text gives in parts (邮电费 + 公务移动通讯费用补贴) or renamed
            parts = _subset(left, v)
            if parts is None:
                self.note("contradiction", scope.name, f"机关运行经费的文字分项与一般公共预算财政拨款基本支出表的公用经费"
                          f"（{c} {name} {v}）对不上，分项未导入。")
                return []
            for label, amt in parts:
                left.remove((label, amt))
                out.append(Line({"economic": c, "label": label, "amount": amt}, f"情况说明“机关运行经费”：{label}"))
        if left:
            self.note("contradiction", scope.name, "机关运行经费的文字中有表中没有的分项："
                      + "、".join(f"{a}{b}" for a, b in left) + "，未导入。")
        return sorted(out, key=lambda line: line.fields["economic"])

    def running_stated(self, n: Narrative) -> dict:
        """机关运行经费 as the text states it, where no 单位性质 lets it be computed (a department published
        at department level): the total and the items the sentence lists."""
        value, sentence = n.running_total
        where = "情况说明“机关运行经费安排情况”"
        amount_, lossy = self.money(value, n.unit)
        out: dict = {"amount": Said(amount_, f"{where}：{sentence}", CONFIRM if lossy else "")}
        if n.running:
            out["items"] = [Line({"label": label, "amount": self.money(v, n.unit)[0]}, f"{where}：{label}",
                                 CONFIRM if lossy else "") for label, v in n.running]
        return out

    def procurement(self, scope: ScopeDoc, tables: UnitTables, n: Narrative) -> list:
        items = tables.procurement
        if not items:
            return []
        goods = [i for i in items if str(i.fields["catalogue_no"]).startswith("A")]
        total = sum((sum(i.fields["funds"].values(), ZERO) for i in goods), ZERO)
        if n.fixed_assets is not None:
            fixed, lossy = self.money(n.fixed_assets, n.unit)
            if fixed and (fixed == total or (lossy and abs(fixed - total) < WAN / 200)):
                for i in goods:
                    i.fields["fixed_asset"] = True
            elif fixed:
                self.note("confirm", scope.name, f"本年度拟购置固定资产总额 {n.fixed_assets}{n.unit} 不等于货物类采购之和，"
                          "未标记哪些采购是固定资产（fixed_asset），请核实。")
        if n.small_micro:
            reserved = [i for i in items if "sme_reserved" in i.fields]
            micro, lossy = self.money(n.small_micro, n.unit)
            if len(reserved) == 1:
                reserved[0].fields["sme_small_micro"] = micro
                if lossy:
                    reserved[0].todo = CONFIRM
                    reserved[0].where += "；面向小微企业的份额由文字中的万元数换算"
            else:
                self.note("unplaced", scope.name, f"面向小微企业的份额 {n.small_micro}{n.unit} 只有合计，未分到采购品目。")
        return items

    def assets(self, tables: UnitTables) -> dict | None:
        a = tables.assets
        if not a:
            return None
        out: dict = {}
        total, where = a.pop("_total", ({}, ""))
        if "as_of" in a:
            out["as_of"] = a.pop("as_of")
        rows = {k: v for k, v in a.items()}
        top = [k for k in ("buildings", "vehicles", "equipment", "other")]
        if any("value" not in rows.get(k, Line({})).fields for k in top) and total.get("value") is not None:
            out["total"] = Line({"value": total["value"]}, where)
        out.update(rows)
        return out

    # ------------------------------------------------------------------ projects


def _subset(items: list[tuple[str, Decimal]], total: Decimal) -> list[tuple[str, Decimal]] | None:
    """Items (in their order) whose amounts add up to ``total``: the shortest such run first."""
    for size in range(1, min(len(items), 6) + 1):
        for start in range(len(items)):
            run = items[start:start + size]
            if len(run) == size and sum((b for _, b in run), ZERO) == total:
                return run
    return None


def _roundest(this: Decimal, change: Decimal) -> Decimal:
    """The prior year in 元 from this year's figure in 元 and the change as the text gives it in 万元
    (rounded half up): of the values the text allows, the roundest (a budget is set in round figures)."""
    half = Decimal(50)
    exact = change * WAN
    lo, hi = this - exact - half, this - exact + half  # the prior year lies in [lo, hi]
    for k in range(10, -1, -1):
        step = Decimal(10) ** k
        candidate = (lo / step).to_integral_value(rounding="ROUND_CEILING") * step
        if candidate <= hi:
            return candidate.quantize(Decimal("0.01"))
    return (this - exact).quantize(Decimal("0.01"))


def read_narrative_perf(scope: ScopeDoc):
    from .narrative import _perf
    return [_perf(p) for p in scope.perf]
