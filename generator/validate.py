"""Validation: cerberus schemas (schemas/*.yaml), then cross-checks on the facts.

Every finding is a Problem with a Chinese message, file:line:column and the
field path; one run collects all of them. ``load_budget`` is the entry point:
it reads the sources, validates them and returns the Department model, or
raises InvalidSources with the whole report.
"""

from __future__ import annotations

import copy
import functools
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import cerberus
import yaml

from .catalogue import Catalogue
from .errors import InvalidSources, Location, Report, SourcesNotFound
from .model import (FISCAL_FUNDS, GENERAL, SANGONG_CATEGORIES, ZERO, Department, Unit,
                    build_department, build_unit, sangong_by_category, scope_texts)
from .money import fmt, to_unit
from .sources import Document, read_document

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"


# ---------------------------------------------------------------- schemas

def _resolve(node: Any, common: dict) -> Any:
    """Expand ``{use: NAME, ...}`` with the rules NAME of _common.yaml."""
    if isinstance(node, dict):
        if "use" in node:
            base = dict(common[node["use"]])
            base.update({k: v for k, v in node.items() if k != "use"})
            node = base
        return {k: _resolve(v, common) for k, v in node.items()}
    if isinstance(node, list):
        return [_resolve(v, common) for v in node]
    return node


def load_schema(kind: str) -> dict:
    return copy.deepcopy(_load_schema(kind))  # parsed once: reading the schemas was half the run


@functools.lru_cache(maxsize=None)
def _load_schema(kind: str) -> dict:
    common = yaml.safe_load((SCHEMA_DIR / "_common.yaml").read_text(encoding="utf-8"))
    common = {k: _resolve(v, common) for k, v in common.items()}
    return _resolve(yaml.safe_load((SCHEMA_DIR / f"{kind}.yaml").read_text(encoding="utf-8")), common)


class _Validator(cerberus.Validator):
    # "amount": an int or a Decimal read from the YAML text (never a float, never a bool).
    types_mapping = dict(cerberus.Validator.types_mapping,
                         amount=cerberus.TypeDefinition("amount", (int, Decimal), (bool,)))

    def _validate_decimals(self, places, field, value):
        """{'type': 'integer'}"""
        if isinstance(value, Decimal):
            # Exact and never raising (quantize fails on a huge value): 6.80 and 6.800 are two decimals.
            _, digits, exponent = value.as_tuple()
            zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
            if value and exponent + zeros < -places:
                self._error(field, f"decimals:{places}")


_TYPE_WORDS = {"string": "文字", "amount": "金额（数字，最多两位小数）", "integer": "整数",
               "dict": "映射（“键: 值”的形式）", "list": "列表（每项以“- ”开头）",
               "boolean": "true 或 false"}


def _schema_at(schema: dict, path: tuple) -> dict | None:
    """The mapping schema that applies at document ``path`` (for listing allowed keys)."""
    rules: dict = {"type": "dict", "schema": schema}
    for part in path:
        if isinstance(part, int):
            rules = rules.get("schema", {})
        else:
            inner = rules.get("schema")
            if not isinstance(inner, dict) or part not in inner:
                return None
            rules = inner[part]
    inner = rules.get("schema")
    return inner if isinstance(inner, dict) else None


def _flatten(errors) -> list:
    out = []
    for e in errors:
        if e.is_group_error:
            out.extend(_flatten(e.child_errors))
        else:
            out.append(e)
    return out


def _schema_message(e, doc: Document, schema: dict) -> tuple[str, str]:
    path = tuple(e.document_path)
    field = path[-1] if path else ""
    rules = e.schema_path
    meta = {}
    if e.rule in ("regex", "type"):
        node = schema
        try:
            for part in rules[:-1]:
                node = node[part]
            meta = node.get("meta", {}) if isinstance(node, dict) else {}
        except (KeyError, TypeError, IndexError):
            meta = {}
    value = e.value
    code = e.code
    if code == 0x02:
        return "schema.required", f"缺少必填字段 “{field}”。"
    if code == 0x03:
        allowed = _schema_at(schema, path[:-1])
        hint = f"此处允许的字段：{'、'.join(allowed)}。" if allowed else ""
        return "schema.unknown", f"未知字段 “{field}”，可能拼写有误。{hint}"
    if code == 0x04:
        return "schema.dependency", f"写了 “{field}” 就必须同时写 “{e.constraint if isinstance(e.constraint, str) else '、'.join(e.constraint)}”。"
    if code == 0x23:
        return "schema.null", "不能为空值，请填写内容或删除这一行。"
    if code == 0x22:
        return "schema.empty", "不能为空。"
    if code == 0x24:
        want = e.constraint if isinstance(e.constraint, str) else e.constraint[0]
        raw = doc.raw.get(path)
        if want == "string" and raw is not None and not isinstance(value, str):
            read_as = ("逻辑值 " if isinstance(value, bool) else "整数 " if isinstance(value, int)
                       else "数字 " if isinstance(value, Decimal) else "")
            return ("schema.unquoted",
                    f"应为加引号的文字，请写成 \"{raw}\"。未加引号时 YAML 把 {raw} 读成了"
                    f"{read_as}{_shown(value)}（例如 0304 会被读成八进制数 196，2050399 会被读成整数）。")
        return "schema.type", f"应为{_TYPE_WORDS.get(want, want)}，而这里是 {_shown(value)}。"
    if code == 0x41:
        expect = meta.get("expect", f"符合格式 {e.constraint}")
        return "schema.format", f"“{value}” 格式不对，应为{expect}。"
    if code == 0x44:
        return "schema.allowed", f"“{value}” 不是允许的值。允许的值：{'、'.join(map(str, e.constraint))}。"
    if code == 0x42:
        why = "：金额和数量不能为负数" if e.constraint == 0 else ""
        return "schema.min", f"{_shown(value)} 小于允许的最小值 {e.constraint}{why}。"
    if code == 0x43:
        return "schema.max", f"{_shown(value)} 大于允许的最大值 {e.constraint}。"
    if code == 0x00 and e.info and str(e.info[0]).startswith("decimals:"):
        places = str(e.info[0]).split(":")[1]
        return "schema.decimals", f"金额最多 {places} 位小数，而这里是 {value}。"
    return "schema.other", f"不符合规则 {e.rule}：{e.constraint}（值：{_shown(value)}）。"


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "空值"
    if isinstance(value, (dict, list)):
        return "映射" if isinstance(value, dict) else "列表"
    return f"“{value}”" if isinstance(value, str) else str(value)


def check_schema(doc: Document, kind: str, report: Report) -> bool:
    schema = load_schema(kind)
    if not isinstance(doc.data, dict):
        report.error("schema.type", "文件的顶层应为映射（“键: 值”的形式）。", doc.loc(()))
        return False
    v = _Validator(schema)
    if v.validate(doc.data):
        return True
    found = sorted(_flatten(v._errors), key=lambda e: (doc.loc(tuple(e.document_path)).line or 0,
                                                      doc.loc(tuple(e.document_path)).column or 0))
    for e in found:
        code, message = _schema_message(e, doc, schema)
        path = tuple(e.document_path)
        # An unknown or disallowed key is pointed at where the key is written, not its value.
        on_key = code == "schema.unknown" or "keysrules" in e.schema_path
        report.error(code, message, doc.key_loc(path) if on_key else doc.loc(path))
    return False


# ---------------------------------------------------------------- code names

class Names:
    """Resolves code → name: the catalogue first, then names given in the sources."""

    def __init__(self, catalogue: Catalogue):
        self.catalogue = catalogue
        self.extra: dict[str, dict[str, tuple[str, Location]]] = {"function": {}, "economic": {}}

    def add(self, kind: str, code: str, name: str, loc: Location, report: Report) -> None:
        known = self.catalogue.table(kind).get(code)
        what = "功能分类" if kind == "function" else "经济分类"
        if known is not None:
            if known != name:
                report.error("names.contradicts-catalogue",
                             f"{what}编码 {code} 在分类目录中的名称是 “{known}”，来源写的是 “{name}”。"
                             "请改正名称，或删去名称由目录提供。", loc)
            return
        seen = self.extra[kind].get(code)
        if seen is None:
            self.extra[kind][code] = (name, loc)
            report.warning("names.not-in-catalogue",
                           f"{what}编码 {code} 不在分类目录中（目录不完整），使用来源中的名称 “{name}”。"
                           "请确认编码和名称与当年《政府收支分类科目》一致。", loc)
        elif seen[0] != name:
            report.error("names.conflict",
                         f"{what}编码 {code} 在来源中有两个不同的名称：“{seen[0]}” 和 “{name}”。",
                         loc, seen[1])

    def get(self, kind: str, code: str) -> str | None:
        known = self.catalogue.table(kind).get(code)
        if known is not None:
            return known
        extra = self.extra[kind].get(code)
        return extra[0] if extra else None

    def require(self, kind: str, code: str, loc: Location, report: Report) -> None:
        """The code and all its parents need a name."""
        what = "功能分类" if kind == "function" else "经济分类"
        lengths = (3, 5, 7) if kind == "function" else (3, 5)
        for n in lengths:
            if n > len(code):
                break
            part = code[:n]
            if self.get(kind, part) is None:
                field = "function_names" if kind == "function" else "economic_names"
                level = " " if part == code else f"（{code} 的{'类' if n == 3 else '款'}级）"
                report.error("names.unknown-code",
                             f"{what}编码 {part}{level}"
                             f"不在分类目录中，来源也没有给出名称。请核对编码，或在该行写明名称"
                             f"（上级科目写在 department.yaml 的 {field} 中）。", loc)


# ---------------------------------------------------------------- cross-checks

_COST_VALUE = re.compile(r"^\s*[≤<＜=＝]*\s*([0-9]{1,15}(?:\.[0-9]{1,15})?)\s*(万元|元)\s*$")

# 三公 category ↔ the economic 款 that records the same spending.
SANGONG_ECONOMIC = {"因公出国（境）费": "30212", "公务用车购置费": "31013",
                    "公务用车运行维护费": "30231", "公务接待费": "30217"}


def _sum(values) -> Decimal:
    return sum(values, ZERO)


def check_unit(unit: Unit, dept_code: str, file_stem: str, money_unit: str, report: Report) -> None:
    doc = unit.doc
    if unit.code != file_stem:
        report.error("unit.file-name", f"单位编码 “{unit.code}” 与文件名 “{file_stem}.yaml” 不一致："
                     "每个单位一个文件，文件名是单位编码。", doc.loc(("code",)))
    if not (unit.code.startswith(dept_code) and len(unit.code) == len(dept_code) + 3):
        report.error("unit.code-prefix", f"单位编码 “{unit.code}” 应为部门编码 {dept_code} 加 3 位数字，"
                     f"如 {dept_code}001。", doc.loc(("code",)))

    # Duplicate codes inside one list of basic expenditure.
    for gi, group in enumerate(doc.data.get("basic") or []):
        for view in ("function", "economic"):
            first: dict[str, int] = {}
            for i, row in enumerate(group.get(view) or []):
                if row["code"] in first:
                    report.error("basic.duplicate-code",
                                 f"编码 {row['code']} 在同一组基本支出中出现两次：请合并为一行。",
                                 doc.loc(("basic", gi, view, i, "code")),
                                 doc.loc(("basic", gi, view, first[row["code"]], "code")))
                else:
                    first[row["code"]] = i

    # The two views of basic expenditure agree, per fund.
    views: dict[tuple[str, bool], dict[str, list]] = defaultdict(lambda: {"function": [], "economic": []})
    for line in unit.basic_function:
        views[(line.fund, line.carryover)]["function"].append(line)
    for line in unit.basic_economic:
        views[(line.fund, line.carryover)]["economic"].append(line)
    for (fund, carry), v in views.items():
        f_total, e_total = _sum(l.amount for l in v["function"]), _sum(l.amount for l in v["economic"])
        if f_total != e_total:
            label = fund + ("，上年结转" if carry else "")
            side = v["function"] or v["economic"]
            other = v["economic"] or v["function"]
            report.error("basic.views-disagree",
                         f"基本支出（{label}）两种口径不一致：按功能分类合计 {fmt(f_total)} {money_unit}，"
                         f"按经济分类合计 {fmt(e_total)} {money_unit}，相差 {fmt(abs(f_total - e_total))} {money_unit}。",
                         side[0].loc, other[0].loc)

    # Fiscal money pays only for basic and project expenditure.
    for line in unit.other:
        if line.fund in FISCAL_FUNDS:
            report.error("expenditure.fiscal-other",
                         f"{line.kind}不能由{line.fund}安排：财政拨款只用于基本支出和项目支出。", line.loc)

    # Income by source equals the expenditure it pays for; carry-over likewise.
    lines = unit.function_lines()
    funds = set(unit.income) | {l.fund for l in lines} | set(unit.carry_in) | set(unit.carry_out)
    for fund in sorted(funds):
        spent = [l for l in lines if l.fund == fund and not l.carryover]
        spent_total = _sum(l.amount for l in spent)
        inc = unit.income.get(fund)
        inc_total = inc.value if inc else ZERO
        if spent_total != inc_total:
            report.error("income.disagrees",
                         f"{fund}：本年收入 {fmt(inc_total)} {money_unit}，由它安排的支出合计 "
                         f"{fmt(spent_total)} {money_unit}，相差 {fmt(abs(inc_total - spent_total))} {money_unit}。",
                         inc.loc if inc else doc.loc(("income",)), *([spent[0].loc] if spent else []))
        carried = [l for l in lines if l.fund == fund and l.carryover]
        c_in = unit.carry_in[fund].value if fund in unit.carry_in else ZERO
        c_out = unit.carry_out[fund].value if fund in unit.carry_out else ZERO
        if _sum(l.amount for l in carried) != c_in - c_out:
            report.error("carryover.disagrees",
                         f"{fund}：上年结转结余 {fmt(c_in)} {money_unit} 减年终结转结余 {fmt(c_out)} {money_unit}，应等于用上年结转安排的支出 "
                         f"{fmt(_sum(l.amount for l in carried))} {money_unit}。",
                         (unit.carry_in.get(fund) or unit.carry_out.get(fund)).loc
                         if (fund in unit.carry_in or fund in unit.carry_out) else doc.loc(("carryover",)),
                         *([carried[0].loc] if carried else []))

    # Projects: 成本指标 and quantity × standard equal the amount.
    for i, project in enumerate(unit.projects):
        costs = [ind for ind in project.indicators if ind.level2 == "成本指标"]
        if not costs:
            report.error("project.no-cost", f"项目 “{project.name}” 的绩效目标表缺少成本指标（应等于项目金额 "
                         f"{fmt(project.amount)} {money_unit}）。", doc.loc(("projects", i, "performance", "indicators")))
        total = ZERO
        for ind in costs:
            m = _COST_VALUE.match(ind.value)
            if not m:
                report.error("project.cost-value", f"成本指标的指标值 “{ind.value}” 无法读出金额：应写成如 "
                             f"“≤6万元”。", ind.loc)
                total = None
                break
            total += to_unit(Decimal(m.group(1)), m.group(2), money_unit)
        if costs and total is not None and total != project.amount:
            report.error("project.cost-disagrees",
                         f"项目 “{project.name}” 的成本指标合计 {fmt(total)} {money_unit} 与项目金额 "
                         f"{fmt(project.amount)} {money_unit} 不一致。", costs[0].loc, project.line.loc)
        if project.quantity and project.standard:
            count, unit_word = project.quantity
            std, std_unit = project.standard
            product = to_unit(count * std, std_unit, money_unit)
            if product != project.amount:
                report.error("project.quantity-disagrees",
                             f"项目 “{project.name}”：{count}{unit_word} × {std}{std_unit} = {fmt(product)} "
                             f"{money_unit}，与项目金额 {fmt(project.amount)} {money_unit} 不一致。",
                             doc.loc(("projects", i, "quantity")), project.line.loc)

    # Prose splits of 机关运行经费 sum to their economic item.
    general_basic = defaultdict(lambda: ZERO)
    for line in unit.basic_economic:
        if line.fund == GENERAL:
            general_basic[line.economic] += line.amount
    by_code = defaultdict(list)
    for part in unit.running_costs:
        by_code[part.economic].append(part)
    for code, parts in by_code.items():
        total = _sum(p.amount for p in parts)
        if code not in general_basic:
            report.error("running-costs.no-item", f"机关运行经费拆分引用的经济分类 {code} 不在本单位一般公共预算"
                         "基本支出中。", parts[0].loc)
        elif total != general_basic[code]:
            report.error("running-costs.disagree",
                         f"经济分类 {code} 的文字拆分合计 {fmt(total)} {money_unit}，而该款为 "
                         f"{fmt(general_basic[code])} {money_unit}。", parts[0].loc,
                         next(l.loc for l in unit.basic_economic if l.economic == code and l.fund == GENERAL))
        first_label: dict[str, Location] = {}
        for p in parts:
            if p.label in first_label:
                report.error("running-costs.duplicate", f"经济分类 {code} 的拆分中 “{p.label}” 出现多次。",
                             p.loc, first_label[p.label])
                break
            first_label[p.label] = p.loc

    # 三公: parts sum to a given whole; not below the economic items that record the same spending.
    seen = {}
    for line in unit.sangong:
        key = (line.category, line.fund)
        if key in seen:
            report.error("sangong.duplicate", f"“三公”经费 {line.category}（{line.fund}）写了两次。", line.loc, seen[key])
        seen[key] = line.loc
    if unit.sangong_total is not None:
        parts = _sum(l.amount for l in unit.sangong)
        if parts != unit.sangong_total.value:
            report.error("sangong.total", f"“三公”经费各项之和 {fmt(parts)} {money_unit} 不等于所写合计 "
                         f"{fmt(unit.sangong_total.value)} {money_unit}。", unit.sangong_total.loc)
    if unit.sangong_prior_total is not None:
        parts = _sum(l.value for l in unit.sangong_prior.values())
        if parts != unit.sangong_prior_total.value:
            report.error("sangong.prior-total", f"上年“三公”经费各项之和 {fmt(parts)} {money_unit} 不等于所写合计 "
                         f"{fmt(unit.sangong_prior_total.value)} {money_unit}。", unit.sangong_prior_total.loc)
    fiscal_lines = [l for l in unit.basic_economic + [p.line for p in unit.projects] + unit.other
                    if l.fund in FISCAL_FUNDS and l.economic]
    for category, econ in SANGONG_ECONOMIC.items():
        items = [l for l in fiscal_lines if l.economic == econ]
        if not items:
            continue
        booked = _sum(l.amount for l in items)
        sg = [l for l in unit.sangong if l.category == category]
        sg_total = _sum(l.amount for l in sg)
        if sg_total < booked:
            report.error("sangong.below-economic",
                         f"“三公”经费 {category} {fmt(sg_total)} {money_unit} 少于财政拨款经济分类 {econ} 的 "
                         f"{fmt(booked)} {money_unit}：经济分类中的这类支出都应计入“三公”经费。",
                         sg[0].loc if sg else doc.loc(("sangong",)), items[0].loc)

    # Procurement.
    project_names = {p.name for p in unit.projects}
    for item in unit.procurement:
        if item.total != item.quantity * item.unit_price:
            report.error("procurement.disagrees",
                         f"政府采购 “{item.item}”：数量 {item.quantity} × 单价 {fmt(item.unit_price)} = "
                         f"{fmt(item.quantity * item.unit_price)} {money_unit}，而各资金来源合计 {fmt(item.total)} {money_unit}。",
                         item.loc)
        if item.project and item.project not in project_names:
            report.error("procurement.project", f"政府采购 “{item.item}” 所属项目 “{item.project}” 不是本单位的项目。",
                         item.loc)
        if item.sme_reserved > item.total:
            report.error("procurement.sme", f"政府采购 “{item.item}” 预留中小企业份额 {fmt(item.sme_reserved)} "
                         f"大于采购金额 {fmt(item.total)}。", item.loc)

    # Assets: the 其中 rows are parts of their parent.
    if unit.assets:
        it = unit.assets.items
        pairs = [("office_buildings", "buildings", "其中：办公用房", "房屋")]
        pairs += [(k, "equipment", label, "单价50万元以上的设备")
                  for k, label in (("general_equipment", "通用设备"), ("special_equipment", "专用设备"))]
        for child, parent, child_label, parent_label in pairs:
            if it[child][0] > it[parent][0] or it[child][1] > it[parent][1]:
                report.error("assets.part-exceeds", f"固定资产 {child_label} 大于 {parent_label}。",
                             doc.loc(("assets", child)), doc.loc(("assets", parent)))
        for i in (0, 1):
            if it["general_equipment"][i] + it["special_equipment"][i] > it["equipment"][i]:
                report.error("assets.part-exceeds", "通用设备与专用设备之和大于单价50万元以上的设备。",
                             doc.loc(("assets", "equipment")))
                break


def check_department(dept: Department, dept_dir: str, year_dir: str, names: Names, report: Report) -> None:
    doc = dept.doc
    if dept.code != dept_dir:
        report.error("department.code", f"部门编码 “{dept.code}” 与目录名 “{dept_dir}” 不一致。", doc.loc(("code",)))
    if str(dept.year) != year_dir:
        report.error("department.year", f"预算年度 {dept.year} 与目录名 “{year_dir}” 不一致。", doc.loc(("year",)))
    if not dept.units:
        report.error("department.no-units", "部门下没有单位：每个单位一个文件，文件名是单位编码（如 "
                     f"{dept.code}001.yaml）。", doc.loc(()))
        return

    seen_names: dict[str, Unit] = {}
    seen_projects: dict[str, Location] = {}
    for unit in dept.units:
        if unit.name in seen_names:
            report.error("unit.duplicate-name", f"单位名称 “{unit.name}” 重复。", unit.doc.loc(("name",)),
                         seen_names[unit.name].doc.loc(("name",)))
        seen_names[unit.name] = unit
        for p in unit.projects:
            if p.name in seen_projects:
                report.error("project.duplicate-name", f"项目名称 “{p.name}” 重复：同一部门内项目名称须唯一。",
                             p.loc, seen_projects[p.name])
            else:
                seen_projects[p.name] = p.loc

    # Code names: from the sources, then every used code must resolve.
    for code, (name, loc) in sorted(_extra_names(dept, "function_names").items()):
        names.add("function", code, name, loc, report)
    for code, (name, loc) in sorted(_extra_names(dept, "economic_names").items()):
        names.add("economic", code, name, loc, report)
    class_codes = {c.code for c in names.catalogue.classes if c.code}
    for unit in dept.units:
        for kind, code, name, loc in unit.names:
            names.add(kind, code, name, loc, report)
    for unit in dept.units:
        for line in unit.function_lines():
            names.require("function", line.function, line.loc, report)
            if line.function[:3] not in class_codes:
                report.error("names.not-a-class", f"功能分类 {line.function} 的类级 {line.function[:3]} 不在收支总表"
                             "的 31 个支出类别中。", line.loc)
        for line in unit.basic_economic + [p.line for p in unit.projects] + unit.other:
            if line.economic:
                names.require("economic", line.economic, line.loc, report)

    # Prior-year figures: the department's, each unit's, and their agreement.
    with_prior = [u for u in dept.units if u.prior_year]
    if dept.prior_year is None and len(with_prior) < len(dept.units):
        report.error("prior-year.missing", "缺少上年预算数：在 department.yaml 的 prior_year 中填写，"
                     "或在每个单位文件中填写。", doc.loc(()))
    if len(dept.units) > 1:
        for u in dept.units:
            if not u.prior_year:
                report.error("prior-year.unit-missing", f"部门有多个单位，单位 {u.code} 须填写自己的上年预算数 "
                             "prior_year。", u.doc.loc(()))
    if dept.prior_year and with_prior and len(with_prior) == len(dept.units):
        labels = {"basic": "基本支出", "project": "项目支出", "other": "其他支出（经营、上解、对附属单位补助）"}
        for key, label in labels.items():  # "other" is optional: absent counts as zero
            total = _sum(u.prior_year[key].value for u in dept.units if key in u.prior_year)
            given = dept.prior_year[key].value if key in dept.prior_year else ZERO
            if total != given:
                unit_side = next((u.prior_year[key].loc for u in dept.units if key in u.prior_year),
                                 dept.units[0].doc.loc(("prior_year",)))
                report.error("prior-year.disagrees",
                             f"部门上年{label}预算数为 {fmt(given)} {dept.money_unit}，"
                             f"各单位之和为 {fmt(total)} {dept.money_unit}。",
                             (dept.prior_year.get(key) or dept.prior_year["basic"]).loc, unit_side)

    # 三公 changes need a reason, for the department and for each unit.
    # (the same sums and the same text fallback as the published comparison table)
    def need_reasons(unit: Unit | None, scope_units, where: Location, who: str):
        reasons = scope_texts(dept, unit).get("sangong_reasons") or {}
        current, prior = sangong_by_category(scope_units)
        for c in (*SANGONG_CATEGORIES, "合计"):
            if current[c] != prior[c] and c not in reasons:
                report.error("sangong.reason-missing",
                             f"{who}“三公”经费 {c} 比上年有增减（{fmt(prior[c])} → {fmt(current[c])}），"
                             f"须在 texts.sangong_reasons.{c} 中写明变化原因。", where)

    need_reasons(None, dept.units, doc.loc(("texts",)), "部门")
    for u in dept.units:
        need_reasons(u, [u], u.doc.loc(("texts",)), f"单位 {u.code} ")


def _extra_names(dept: Department, key: str) -> dict[str, tuple[str, Location]]:
    data = dept.doc.data.get(key) or {}
    return {code: (name, dept.doc.loc((key, code))) for code, name in data.items()}


# ---------------------------------------------------------------- entry point

def load_budget(data_root: Path, dept_code: str, year: int | str,
                catalogue: Catalogue | None = None) -> tuple[Department, Names, Report]:
    """Read, validate and model one department's budget for one year.

    Returns the model, the code names and the report (warnings only);
    raises InvalidSources when the report holds an error."""
    directory = Path(data_root) / str(dept_code) / str(year)
    if not directory.is_dir():
        raise SourcesNotFound(directory, dept_code, year)
    report = Report()
    catalogue = catalogue or Catalogue.load()

    def shown(path: Path) -> str:
        try:
            return str(path.relative_to(Path(data_root).parent))
        except ValueError:
            return str(path)

    dept_path = directory / "department.yaml"
    if not dept_path.is_file():
        report.error("department.missing", "缺少部门文件 department.yaml。", Location(shown(dept_path)))
        raise InvalidSources(report)
    dept_doc = read_document(dept_path, shown(dept_path), report)
    dept_ok = dept_doc is not None and check_schema(dept_doc, "department", report)
    money_unit = dept_doc.data.get("money_unit", "万元") if dept_ok else "万元"

    units: list[Unit] = []
    all_units_ok = True
    for path in sorted(directory.glob("*.yaml")):
        if path.name == "department.yaml":
            continue
        doc = read_document(path, shown(path), report)
        if doc is None or not check_schema(doc, "unit", report):
            all_units_ok = False
            continue
        unit = build_unit(doc)
        if dept_ok:
            check_unit(unit, dept_doc.data["code"], path.stem, money_unit, report)
        units.append(unit)
    for path in sorted(directory.iterdir()):
        if path.is_file() and path.suffix in (".yml", ".YAML", ".Yaml"):
            report.warning("files.ignored", "扩展名不是 .yaml 的文件不会被读取。", Location(shown(path)))

    names = Names(catalogue)
    if not (dept_ok and all_units_ok):
        raise InvalidSources(report)
    dept = build_department(dept_doc, units)
    check_department(dept, directory.parent.name, directory.name, names, report)
    if not report.ok:
        raise InvalidSources(report)
    return dept, names, report
