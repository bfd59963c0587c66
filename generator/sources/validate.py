"""Validation: cerberus schemas (schemas/*.yaml), then the registered cross-checks (rules.py).

Every finding is a Problem with a Chinese message, file:line:column and the
field path; one run collects all of them. ``load_budget`` is the entry point:
it reads the sources, validates them and returns the Department model, or
raises InvalidSources with the whole report.
"""

from __future__ import annotations

import copy
import functools
import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import cerberus
import cerberus.errors as ce
import cerberus.schema
import yaml

from generator.errors import InvalidSources, Location, Report, SourcesNotFound
from generator.figures.catalogue import Catalogue, Names
from generator.figures.model import Department, Unit
from generator.figures.vocabulary import ALLOWED
from generator.resources import SCHEMA_DIR  # (the packaged schemas)

from . import rules
from .facts import build_department, build_unit
from .numbers import NumberForm, advice, plain_decimal
from .reader import _FAST_LOADER, Document, check_directory, read_document

# ---------------------------------------------------------------- schemas

def _resolve(node: Any, common: dict) -> Any:
    """Expand ``{use: NAME, ...}`` with the rules NAME of _common.yaml, and
    ``allowed_from: NAME`` with the list NAME of the vocabulary (vocabulary.ALLOWED)."""
    if isinstance(node, dict):
        if "use" in node:
            base = dict(common[node["use"]])
            base.update({k: v for k, v in node.items() if k != "use"})
            node = base
        if "allowed_from" in node:
            node = {**{k: v for k, v in node.items() if k != "allowed_from"},
                    "allowed": list(ALLOWED[node["allowed_from"]])}
        return {k: _resolve(v, common) for k, v in node.items()}
    if isinstance(node, list):
        return [_resolve(v, common) for v in node]
    return node


def load_schema(kind: str) -> dict:
    return copy.deepcopy(_load_schema(kind))  # parsed once: reading the schemas was half the run


# the schemas are the packaged ones, ours: read with libyaml when PyYAML has it (reading them in pure
# Python took a fifth of a seed run)
_SCHEMA_LOADER = _FAST_LOADER or yaml.SafeLoader


@functools.lru_cache(maxsize=None)
def _load_schema(kind: str) -> dict:
    def read(name: str):
        return yaml.load((SCHEMA_DIR / name).read_text(encoding="utf-8"), Loader=_SCHEMA_LOADER)
    common = read("_common.yaml")
    common = {k: _resolve(v, common) for k, v in common.items()}
    return _resolve(read(f"{kind}.yaml"), common)


class _Collect(ce.BaseErrorHandler):
    """Hands cerberus's ValidationError objects over as they are (``Validator.errors``)."""

    def __call__(self, errors):
        return list(errors)


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
    if code == ce.REQUIRED_FIELD.code and field == "none":
        return "", ""  # none: true is the alternative to the fields required beside it: they are named
    if code == ce.REQUIRED_FIELD.code:
        return "schema.required", f"缺少必填字段 “{field}”。"
    if code == ce.EXCLUDES_FIELD.code:
        if field == "none":
            return "schema.none-with-data", ("“none: true” 表示没有这一项，不能同时写数据：有数据时删去 none，"
                                             "没有时删去其他字段。")
        others = [e.constraint] if isinstance(e.constraint, str) else list(e.constraint or ())
        if "none" in others:
            return "", ""  # said once, at none
        return "schema.excludes", (f"“{field}” 不能与 “{'、'.join(map(str, others))}” 同时写：它们是同一个数的两种写法"
                                   "（如只有合计时写合计，有明细时写明细），请只写一种。")
    if code == ce.UNALLOWED_VALUE.code and field == "none":
        return "schema.allowed", "只能写 none: true（表示没有这一项）；有数据时删去 none，写明数据。"
    if code == ce.UNKNOWN_FIELD.code:
        allowed = _schema_at(schema, path[:-1])
        hint = f"此处允许的字段：{'、'.join(allowed)}。" if allowed else ""
        if re.fullmatch(r"[0-9]+(\.[0-9]*)?", str(field)):  # {amount: 1,234.00}: the comma split the amount
            return "schema.unknown", (f"“{field}” 不是字段：在 {{…}} 中逗号用来分隔字段，金额中的千分位逗号把金额拆开了。"
                                      "金额不写逗号，如 amount: 1234.00。")
        return "schema.unknown", f"未知字段 “{field}”，可能拼写有误。{hint}"
    if code == ce.DEPENDENCIES_FIELD.code:
        return "schema.dependency", f"写了 “{field}” 就必须同时写 “{e.constraint if isinstance(e.constraint, str) else '、'.join(e.constraint)}”。"
    if code == ce.NOT_NULLABLE.code:
        return "schema.null", "不能为空值，请填写内容或删除这一行。"
    if code == ce.EMPTY_NOT_ALLOWED.code:
        return "schema.empty", "不能为空。"
    if code == ce.BAD_TYPE.code:
        want = e.constraint if isinstance(e.constraint, str) else e.constraint[0]
        raw = doc.raw.get(path)
        if want == "string" and isinstance(value, NumberForm):
            return ("schema.unquoted",
                    f"应为加引号的文字，请写成 \"{raw}\"。未加引号的 {raw} 是一个写法有歧义的数"
                    f"（{advice(raw).split('。')[0]}）。")
        if want == "string" and raw is not None and not isinstance(value, str):
            read_as = ("逻辑值 " if isinstance(value, bool) else "整数 " if isinstance(value, int)
                       else "数字 " if isinstance(value, Decimal) else "")
            return ("schema.unquoted",
                    f"应为加引号的文字，请写成 \"{raw}\"。未加引号时 YAML 把 {raw} 读成了"
                    f"{read_as}{_shown(value)}（例如 0304 会被读成八进制数 196，2050399 会被读成整数）。")
        if want in ("amount", "integer") and isinstance(value, NumberForm):
            return "schema.type", f"{'金额' if want == 'amount' else '数'}写成了 “{value}”：{advice(value.text)}。"
        if want == "amount" and isinstance(value, str) and plain_decimal(value) is not None:
            if path in doc.quoted and plain_decimal(value) == value.strip():
                return "schema.type", f"金额不加引号（加了引号就成了文字）：写成 {value.strip()}。"
            return "schema.type", f"金额写成了 “{value}”：{advice(value)}。"
        wanted = meta.get("expect") or _TYPE_WORDS.get(want, want)  # a code says which code, with an example
        return "schema.type", f"应为{wanted}，而这里是 {_shown(value)}。{_how(want, value)}"
    if code == ce.REGEX_MISMATCH.code:
        expect = meta.get("expect", f"符合格式 {e.constraint}")
        return "schema.format", f"“{value}” 格式不对，应为{expect}。"
    if code == ce.UNALLOWED_VALUE.code:
        return "schema.allowed", f"“{value}” 不是允许的值。允许的值：{'、'.join(map(str, e.constraint))}。"
    if code == ce.MIN_VALUE.code:
        why = "：金额和数量不能为负数" if e.constraint == 0 else ""
        return "schema.min", f"{_shown(value)} 小于允许的最小值 {e.constraint}{why}。"
    if code == ce.MAX_LENGTH.code:
        return "schema.too-long", f"太长：{len(value):,} 个字，最多 {e.constraint} 个字。"
    if code == ce.MAX_VALUE.code:
        return "schema.max", f"{_shown(value)} 大于允许的最大值 {e.constraint}。"
    if code == ce.CUSTOM.code and e.info and str(e.info[0]).startswith("decimals:"):
        places = str(e.info[0]).split(":")[1]
        return "schema.decimals", f"金额最多 {places} 位小数，而这里是 {value}。"
    return "schema.other", f"不符合规则 {e.rule}：{e.constraint}（值：{_shown(value)}）。"


def _how(want: str, value: Any) -> str:
    """What to write instead, for the usual slips: an amount in quotes, with its unit or thousands
    separators; a mapping written with a full-width colon."""
    if want == "amount" and isinstance(value, str):
        text = value.strip()
        bare = re.sub(r"\s*(万元|元)$", "", text)
        number = bare.replace(",", "").replace("，", "")
        if re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", number):
            if bare != text:
                return f"金额只写数字（单位由 department.yaml 的 money_unit 决定）：写成 {number}。"
            if re.fullmatch(r"-?[0-9]+[,，][0-9]{1,2}", bare):  # 6,00: a decimal comma
                decimal = re.sub(r"[,，]", ".", bare)
                return f"小数点要用半角句点：写成 {decimal}。"
            if number != bare:
                return f"金额不写千分位逗号：写成 {number}。"
            return f"金额不加引号（加了引号就成了文字）：写成 {number}。"
    if want == "dict" and isinstance(value, str) and "：" in value:
        key = value.split("：", 1)[0].strip()
        return f"冒号是全角的“：”：键和值之间要用半角冒号加空格，写成“{key}: …”。"
    return ""


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "空值"
    if isinstance(value, (dict, list)):
        return "映射" if isinstance(value, dict) else "列表"
    return f"“{value}”" if isinstance(value, str) else str(value)


class _CheckedSchema(cerberus.schema.DefinitionSchema):
    """A schema of schemas/, taken as valid: cerberus checking it took longer than validating
    a department (tests/test_sources_fast.py checks every schema)."""

    def validate(self, schema=None):
        pass


@functools.lru_cache(maxsize=None)
def _validator(kind: str) -> _Validator:
    """One validator per schema and process: building one costs more than validating a unit."""
    v = _Validator(error_handler=_Collect)
    v.schema = _CheckedSchema(v, load_schema(kind))
    return v


def check_schema(doc: Document, kind: str, report: Report) -> bool:
    if not isinstance(doc.data, dict):
        report.error("schema.type", "文件的顶层应为映射（“键: 值”的形式）。", doc.loc(()))
        return False
    v = _validator(kind)
    # The schemas have no normalization rules (default, coerce, rename, purge): skipping
    # cerberus's normalization pass gives the same verdict and errors at half the cost.
    if v.validate(doc.data, normalize=False):
        return True
    schema = load_schema(kind)
    found = sorted(_flatten(v.errors), key=lambda e: (doc.loc(tuple(e.document_path)).line or 0,
                                                      doc.loc(tuple(e.document_path)).column or 0))
    for e in found:
        code, message = _schema_message(e, doc, schema)
        if not code:
            continue
        path = tuple(e.document_path)
        if doc.was_reported(path):  # e.g. a number too long to show, reported once by sources.py
            continue
        # An unknown or disallowed key is pointed at where the key is written, not its value.
        on_key = code == "schema.unknown" or "keysrules" in e.schema_path
        report.error(code, message, doc.key_loc(path) if on_key else doc.loc(path))
    return False


# ---------------------------------------------------------------- entry point

def _collect_names(dept: Department, names: Names) -> None:
    """The code names the sources give: the department's lists, then each unit's lines."""
    for key, kind in (("function_names", "function"), ("economic_names", "economic")):
        for code, name in sorted((dept.doc.data.get(key) or {}).items()):
            names.add(kind, code, name, dept.doc.loc((key, code)))
    for unit in dept.units:
        for kind, code, name, loc in unit.names:
            names.add(kind, code, name, loc)


def load_budget(data_root: Path, dept_code: str, year: int | str,
                catalogue: Catalogue | None = None, prior_hook=None,
                root: Path | None = None) -> tuple[Department, Names, Report]:
    """Read, validate and model one department's budget for one year. ``root``: the repository
    (default: the data folder's parent), which no source may lead out of by a symbolic link.

    Returns the model, the code names and the report (warnings only);
    raises InvalidSources when the report holds an error."""
    directory = Path(data_root) / str(dept_code) / str(year)
    root = Path(root) if root is not None else Path(data_root).parent

    def shown(path: Path) -> str:
        try:
            return str(path.relative_to(Path(data_root).parent))
        except ValueError:
            return str(path)

    report = Report()
    if not check_directory(directory, shown(directory), report):  # unreadable: reported, not raised
        raise InvalidSources(report)
    if not directory.is_dir():
        raise SourcesNotFound(directory, dept_code, year)
    catalogue = catalogue or Catalogue.load()

    dept_path = directory / "department.yaml"
    if not os.path.lexists(dept_path):  # a folder, a FIFO or a broken link of that name is reported by read_document
        report.error("department.missing", "缺少部门文件 department.yaml。", Location(shown(dept_path)))
        raise InvalidSources(report)
    dept_doc = read_document(dept_path, shown(dept_path), report, root)
    dept_ok = dept_doc is not None and check_schema(dept_doc, "department", report)

    names = Names(catalogue)
    # The unit rules need the department's code and money unit only: each unit is checked as it is read.
    ctx = rules.Context(build_department(dept_doc, []), names) if dept_ok else None
    units: list[Unit] = []
    all_units_ok = True
    for path in sorted(directory.glob("*.yaml")):
        if path.name == "department.yaml":
            continue
        doc = read_document(path, shown(path), report, root)
        if doc is None or not check_schema(doc, "unit", report):
            all_units_ok = False
            continue
        unit = build_unit(doc)
        if ctx:
            rules.run(rules.UNIT, unit, ctx, report)
        units.append(unit)
    for path in sorted(directory.iterdir()):  # 304002.YML, 304002.yml: said, never dropped without a word
        if path.suffix.lower() in (".yml", ".yaml") and path.suffix != ".yaml":
            report.warning("files.ignored", "扩展名不是 .yaml 的文件不会被读取。", Location(shown(path)))

    if not (dept_ok and all_units_ok):
        raise InvalidSources(report)
    dept = build_department(dept_doc, units)
    _collect_names(dept, names)
    if prior_hook:  # history.py: the prior year from data/<dept>/<year-1>/ (and newyear.py's marks)
        prior_hook(dept, report)
    rules.run(rules.DEPARTMENT, dept, rules.Context(dept, names, directory.parent.name, directory.name), report)
    if not report.ok:
        raise InvalidSources(report, dept)  # read, but it does not add up: the facts are there all the same
    return dept, names, report
