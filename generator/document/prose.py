"""Live figures in authored prose, and the lint for amounts typed into it.

A text in the YAML (``texts.*``, a project's ``performance.target``) may cite
a computed figure instead of typing it::

    较上年减少{{ 变化.合计 }}万元，其中综合业务费{{ 项目["综合业务费"] }}万元。

The names (``NAMES``, ``GROUPS``, ``项目``) are built here from the computed
scope (compute.Scope: its ``figures``, as a dict or as a dataclass with the
same field names, and its ``projects``) and printed as the tables print them
(money.fmt: two decimals, ROUND_HALF_UP). A text cites; it does not compute:

- only ``{{ 名称 }}``, ``{{ 组.名称 }}`` and ``{{ 项目["项目名称"] }}`` are
  allowed; any other syntax (filters, calls, operators, literals, ``{% … %}``
  statements, imports, includes) is an error before anything is evaluated;
- the expressions are then evaluated in a Jinja2 SandboxedEnvironment with no
  globals, filters or tests, against the figures only (no attribute of any
  Python object is reachable: the values are plain strings);
- an unknown name is an error with file:line and the nearest known names;
- autoescape is off here: the result is text, escaped by the template.

The lint (``lint``) scans the same texts, outside ``{{ … }}``, for typed
amounts: a number followed by the document's money unit (万元 or 元; an amount
in the other unit is not compared), and a percentage after 增长/增加/下降/减少/
降低/提高/上升 (compared with the 增减率 figures). A literal *equal* to a computed
figure (and not the project's own standard its target quotes, 每期3万元) is a warning naming the
expression to write instead (``--strict``: an
error). A literal written with two decimals that *resembles* a computed figure
without being equal to it (0 < |difference| ≤ 0.05, or two adjacent digits
swapped, e.g. 347.37 beside 347.36, 347.63 beside 347.36) is an error: it is
almost certainly a mistyped figure. Zero is never compared.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Iterator

from jinja2 import StrictUndefined, nodes
from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from generator.errors import InvalidSources, Location, Report
from generator.figures.money import Display, fmt, round2
from generator.figures.vocabulary import FUNDS, OTHER_SOURCES, POOLED, TO_SUBORDINATE

from .context import change_phrase, text_display
from .untrusted import syntax_message

# ------------------------------------------------------------------ the names

# (name in the prose, field of compute.Scope.figures, what it is)
NAMES = (
    ("收入总计", "income_total", "收入总计：本年收入 + 上年结转结余"),
    ("本年收入", "income_this_year", "本年收入合计"),
    ("一般公共预算收入", "income_general", "一般公共预算拨款收入"),
    ("基金预算收入", "income_fund", FUNDS[1].income_label),
    ("国有资本经营预算收入", "income_capital", "国有资本经营预算拨款收入"),
    ("财政专户核拨收入", "income_special_account", FUNDS[3].income_label),
    ("其他来源收入", "income_other_sources", "、".join(OTHER_SOURCES + (POOLED.name,)) + "之和"),
    ("上年结转结余", "carry_in", "上年结转结余"),
    ("使用非财政拨款结余", "carry_surplus", "使用非财政拨款结余"),
    ("年终结转结余", "carry_out", "年终结转结余"),
    ("支出合计", "expenditure_total", "本年支出合计"),
    ("财政拨款支出", "fiscal_expenditure", "本年财政拨款支出"),
    ("基本支出", "basic", "基本支出"),
    ("人员经费", "personnel", "人员经费（301、303 类）"),
    ("公用经费", "public", "日常公用经费（基本支出 − 人员经费）"),
    ("项目支出", "project", "项目支出"),
    ("经营支出", "operating", "经营支出"),
    ("上解上级支出", "to_superior", "上解上级支出"),
    (TO_SUBORDINATE, "to_subordinate", TO_SUBORDINATE),
    ("机关运行经费", "running_costs", "机关运行经费（行政单位和参公事业单位的一般公共预算公用经费）"),
    ("三公经费", "sangong", "财政拨款“三公”经费合计"),
    ("政府采购", "procurement", "政府采购预算合计"),
    ("预留中小企业份额", "sme_reserved", "政府采购预留中小企业份额"),
    ("面向小微企业", "sme_small_micro", "预留份额中面向小微企业的部分"),
    ("拟购置固定资产", "asset_purchases", "本年度拟购置固定资产总额"),
    ("固定资产", "assets_value", "上年末固定资产金额"),
)

_PARTS = (("合计", "total"), ("基本支出", "basic"), ("项目支出", "project"), ("其他支出", "other"),
          ("财政拨款", "fiscal"))
# (group, what its members are); members are _PARTS, present when the prior year's budget is given
GROUPS = (
    ("上年", "上年预算数（各部分在来源给出时才有）"),
    ("变化", "比上年的变化（绝对值，增加或减少写在文字里）"),
    ("增减", "比上年的变化连同方向，如“增加12.00万元”“减少66.20万元”“持平”"),
    ("增减率", "比上年变化的百分比（绝对值，两位小数，不含 % 号）"),
)
PROJECTS = "项目"


def _figure(figures: Any, key: str) -> Any:
    """compute.Scope.figures is a dict today and a dataclass tomorrow: read either."""
    if isinstance(figures, dict):
        return figures.get(key)
    return getattr(figures, key, None)


@dataclass
class Figure:
    expression: str  # as written in the prose, e.g. 变化.合计 or 项目["综合业务费"]
    value: Decimal | None  # for the lint (None: not an amount, e.g. a phrase)
    text: str  # as printed
    percent: bool = False


def scope_figures(scope: Any, display: Display | str) -> list[Figure]:
    """Every name a text of ``scope`` may cite, with its value as the text shows it
    (a figure the sources do not give, None, has no name)."""
    if isinstance(display, str):
        display = Display(display, display)
    f = scope.figures
    out: list[Figure] = []

    def add(expression: str, value: Decimal | None) -> None:
        if value is not None:
            out.append(Figure(expression, round2(display.value(value)), display.fmt(value)))

    for name, key, _ in NAMES:
        add(name, _figure(f, key))
    for part, key in _PARTS:
        prior, change = _figure(f, f"prior_{key}"), _figure(f, f"change_{key}")
        add(f"上年.{part}", prior)
        if change is not None:
            add(f"变化.{part}", abs(change))
            out.append(Figure(f"增减.{part}", None, change_phrase(change, display)))
            if prior:
                rate = round2(abs(change) * 100 / prior)
                out.append(Figure(f"增减率.{part}", rate, fmt(rate), percent=True))
    for p in scope.projects:
        add(project_expression(p.name), p.amount)
    return out


def project_expression(name: str) -> str:
    """项目["综合业务费"]: how a text names a project's amount (a quote in the name is escaped)."""
    return f"{PROJECTS}[{json.dumps(name, ensure_ascii=False)}]"


def _context(figures: list[Figure]) -> dict[str, Any]:
    ctx: dict[str, Any] = {PROJECTS: {}}
    for fig in figures:
        if fig.expression.startswith(PROJECTS + "["):
            ctx[PROJECTS][json.loads(fig.expression[len(PROJECTS) + 1:-1])] = fig.text
        elif "." in fig.expression:
            group, member = fig.expression.split(".", 1)
            ctx.setdefault(group, {})[member] = fig.text
        else:
            ctx[fig.expression] = fig.text
    return ctx


def names_markdown() -> str:
    """The list of names for the user guide (docs/reference/prose-names.md, written by docs/generate.py)."""
    lines = ["| 名称 | 含义 |", "|---|---|"]
    lines += [f"| `{{{{ {name} }}}}` | {meaning} |" for name, _, meaning in NAMES]
    for group, meaning in GROUPS:
        members = "、".join(f"`{group}.{part}`" for part, _ in _PARTS)
        lines.append(f"| {members} | {meaning} |")
    lines.append(f'| `{{{{ {PROJECTS}["项目名称"] }}}}` | 本范围内该项目的金额（项目名称照 `projects` 中的 `name` 书写） |')
    return "\n".join(lines)


# ------------------------------------------------------------------ the sandbox

class ProseEnvironment(ImmutableSandboxedEnvironment):
    """No globals, filters or tests; every operator refused; nothing can be changed."""

    intercepted_binops = frozenset(["+", "-", "*", "/", "//", "%", "**"])
    intercepted_unops = frozenset(["+", "-"])

    def __init__(self) -> None:
        super().__init__(autoescape=False, keep_trailing_newline=True, undefined=StrictUndefined)
        self.globals.clear()
        self.filters.clear()
        self.tests.clear()

    def call_binop(self, context, operator, left, right):
        raise SecurityError("文字中不做运算")

    def call_unop(self, context, operator, arg):
        raise SecurityError("文字中不做运算")


_ENV = ProseEnvironment()
_ALLOWED = (nodes.Template, nodes.Output, nodes.TemplateData)  # and references (_reference), nothing else


def _reference(node: nodes.Node) -> str | None:
    """``变化.合计`` / ``项目["x"]`` / ``基本支出`` for an allowed reference, None otherwise."""
    if isinstance(node, nodes.Name) and node.ctx == "load":
        return node.name
    if isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name):
        return f"{node.node.name}.{node.attr}"
    if (isinstance(node, nodes.Getitem) and isinstance(node.node, nodes.Name)
            and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str)):
        return f"{node.node.name}[{json.dumps(node.arg.value, ensure_ascii=False)}]"
    return None


def _has_syntax(text: str) -> bool:
    return "{{" in text or "{%" in text or "{#" in text


@dataclass
class Where:
    """Where an authored text starts in its YAML file."""

    loc: Location
    block: bool  # a `|` block: its first line is the line after the key

    def at(self, lineno: int) -> Location:
        if self.loc.line is None:
            return self.loc
        return Location(self.loc.file, self.loc.line + (1 if self.block else 0) + lineno - 1, None, self.loc.path)


MAX_FIGURES = 200  # live figures in one text (a long one cites a few dozen)
MAX_NESTING = 10  # brackets inside one {{ … }}: 项目["名称"] needs one
# {# … #} would vanish, {{- … -}} would eat the spaces around it, {% raw %} would pass as a statement
_MARKUP = [
    (re.compile(r"\{#"), "prose.syntax", "文字中不能写 {# … #}：Jinja 会把它当作注释悄悄删掉。如需这几个字符，请改用全角的｛＃"),
    (re.compile(r"\{%"), "prose.forbidden", "文字中不能写 {% … %} 语句（包括 raw）：引用数字只能写 {{ 名称 }}"),
    (re.compile(r"\{\{[-+]|[-+]\}\}"), "prose.syntax",
     "文字中不能写 {{- … -}}：它会悄悄删掉两旁的空白和换行。请写 {{ 名称 }}"),
]


def _markup_problems(text: str, where: Where, report: Report) -> bool:
    """Jinja markup a text may not hold, and limits (count, nesting); True when there is none."""
    ok = True
    for pattern, code, said in _MARKUP:
        found = pattern.search(text)
        if found:
            report.error(code, f"{said}。", where.at(text.count("\n", 0, found.start()) + 1))
            ok = False
    count = text.count("{{")
    if count > MAX_FIGURES:
        report.error("prose.too-many", f"一段文字中引用了 {count:,} 个数（{{{{ … }}}}），最多 {MAX_FIGURES:,} 个：请检查这段文字。",
                     where.at(1))
        return False
    for found in re.finditer(r"\{\{(.*?)\}\}", text, re.S):
        depth = deepest = 0
        for ch in found.group(1):
            depth += ch in "([{"
            depth -= ch in ")]}"
            deepest = max(deepest, depth)
        if deepest > MAX_NESTING:
            report.error("prose.syntax", f"文字中的 {{{{ … }}}} 里括号嵌套了 {deepest} 层：引用数字请写 {{{{ 名称 }}}}，"
                                         "如 {{ 基本支出 }}。", where.at(text.count("\n", 0, found.start()) + 1))
            return False
    return ok


def check_expressions(text: str, where: Where, known: list[str], report: Report) -> bool:
    """Parse ``text`` and check every expression against the known names; True when it may be rendered."""
    if not _has_syntax(text):
        return True
    if not _markup_problems(text, where, report):
        return False
    try:
        tree = _ENV.parse(text)
    except TemplateSyntaxError as exc:
        report.error("prose.syntax", f"文字中的 {{{{ … }}}} 写法有误：{syntax_message(exc.message)}。"
                                     "引用数字请写 {{ 名称 }}，如 {{ 基本支出 }}。", where.at(exc.lineno or 1))
        return False
    except RecursionError:  # pragma: no cover - MAX_NESTING stops it before
        report.error("prose.syntax", "文字中的 {{ … }} 嵌套太深。引用数字请写 {{ 名称 }}。", where.at(1))
        return False
    ok = True
    known_set = set(known)

    def visit(node: nodes.Node) -> None:
        nonlocal ok
        ref = _reference(node)
        if ref is not None:
            if ref not in known_set:
                ok = False
                near = difflib.get_close_matches(ref, known, n=3, cutoff=0.4)
                hint = f"最接近的名称：{'、'.join(near)}。" if near else "可用的名称见用户指南“可引用的数”（docs/reference/prose-names.md）。"
                report.error("prose.unknown-name", f"文字引用了未知的名称 “{ref}”。{hint}", where.at(node.lineno))
            return
        if not isinstance(node, _ALLOWED):
            ok = False
            report.error("prose.forbidden",
                         f"文字中只能写 {{{{ 名称 }}}}、{{{{ 组.名称 }}}} 或 {{{{ 项目[\"项目名称\"] }}}}，"
                         f"不能使用 {type(node).__name__}（运算、过滤器、函数、语句、导入等）。",
                         where.at(getattr(node, "lineno", 1) or 1))
            return
        for child in node.iter_child_nodes():
            visit(child)

    visit(tree)
    return ok


def render_text(text: str, context: dict[str, Any]) -> str:
    if not _has_syntax(text):
        return text
    return _ENV.from_string(text).render(context)


# ------------------------------------------------------------------ the texts of the sources

@dataclass
class AuthoredText:
    text: str
    where: Where
    scope: Any  # compute.Scope the text is checked against
    own: tuple = ()  # (amount, 元|万元) its owner states beside it: a project's standard (每期3万元)


def _walk(value: Any, path: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, path + (i,))


def authored_texts(pub: Any) -> Iterator[AuthoredText]:
    """Every authored text with where it is: the department's and each unit's ``texts``, and
    each project's ``performance.target``. A department text is checked against the
    department's figures, a unit's against the unit's."""
    dept = pub.department
    owners = [(dept, pub.scope)] + list(zip(dept.units, pub.units))
    for owner, scope in owners:
        for path, text in _walk(owner.texts, ("texts",)):
            yield AuthoredText(text, Where(owner.doc.loc(path), text.endswith("\n")), scope)
    for unit, scope in zip(dept.units, pub.units):
        for i, p in enumerate(unit.projects):
            if isinstance(p.target, str):
                path = ("projects", i, "performance", "target")
                yield AuthoredText(p.target, Where(unit.doc.loc(path), p.target.endswith("\n")), scope,
                                   (p.standard,) if p.standard else ())


# ------------------------------------------------------------------ the lint

_AMOUNT = re.compile(r"(?<![0-9.,])([0-9][0-9,]*(?:\.[0-9]+)?)\s*(万元|元)")  # 4,554,150.00元 is one number
_PERCENT = re.compile(r"(增长|增加|下降|减少|降低|提高|上升)\s*(?:了)?\s*([0-9]+(?:\.[0-9]+)?)\s*[%％]")
_EXPRESSION = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)


def resembles(literal: str, value: Decimal) -> bool:
    """A literal written with two decimals that is near a figure without being it."""
    if not re.fullmatch(r"[0-9]+\.[0-9]{2}", literal):
        return False
    typed = Decimal(literal)
    if typed == value:
        return False
    if abs(typed - value) <= Decimal("0.05"):
        return True
    shown = fmt(value)
    if len(shown) != len(literal):
        return False
    diff = [i for i, (a, b) in enumerate(zip(literal, shown)) if a != b]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and literal[diff[0]] == shown[diff[1]] \
        and literal[diff[1]] == shown[diff[0]]


def _blank_expressions(text: str) -> str:
    """The text with every {{ … }} blanked (same length, same lines), so literals keep their place."""
    return _EXPRESSION.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def lint_text(item: AuthoredText, figures: list[Figure], money_unit: str, report: Report) -> None:
    """``money_unit``: the unit amounts are shown in by the text (only literals in it are compared)."""
    text = _blank_expressions(item.text)
    amounts = [f for f in figures if f.value is not None and not f.percent and f.value != 0]
    rates = [f for f in figures if f.value is not None and f.percent and f.value != 0]
    found = [(m, m.group(1), m.group(2), amounts) for m in _AMOUNT.finditer(text) if m.group(2) == money_unit]
    found += [(m, m.group(2), "%", rates) for m in _PERCENT.finditer(text)]
    for m, written, unit, candidates in sorted(found, key=lambda x: x[0].start()):
        literal = written.replace(",", "")  # as written: 4,554,150.00; as a number: 4554150.00
        typed = Decimal(literal)
        if typed == 0:
            continue
        if (typed, unit) in item.own:  # the project's own standard, stated beside the text: not a scope figure
            continue
        lineno = text.count("\n", 0, m.start()) + 1
        where = item.where.at(lineno)
        equal = [f for f in candidates if f.value == typed]
        if equal:
            options = "、".join("{{ " + f.expression + " }}" for f in equal[:3])
            report.warning("prose.literal",
                           f"文字中直接写了金额 “{written}{unit}”，与计算出的数相同；若指的就是该数，请改写为 {options}，"
                           "以免数据变动后文字与表不一致。", where)
            continue
        near = [f for f in candidates if resembles(literal, f.value)]
        if near:
            options = "、".join(f"{{{{ {f.expression} }}}} = {f.text}" for f in near[:3])
            report.error("prose.literal-differs",
                         f"文字中的 “{written}{unit}” 与计算出的数相近却不相等（{options}），"
                         "很可能是笔误；请改为引用该数。", where)


def check(pub: Any, strict: bool = False) -> Report:
    """Check every authored text: its expressions (names, syntax, sandbox) and its typed amounts."""
    report = Report()
    display = text_display(pub.department)
    figures = {id(s): scope_figures(s, display) for s in (pub.scope, *pub.units)}  # once per scope
    names = {key: [f.expression for f in found] for key, found in figures.items()}
    for item in authored_texts(pub):
        check_expressions(item.text, item.where, names[id(item.scope)], report)
        lint_text(item, figures[id(item.scope)], display.unit, report)
    if strict:
        report.problems = [replace(p, severity="error") for p in report.problems]
    return report


# ------------------------------------------------------------------ rendering

def with_live_figures(pub: Any) -> Any:
    """The publication with every authored text evaluated against its scope's figures.

    Each scope's texts are evaluated with that scope's figures (were a field to
    fall back to the department's text, it would get the unit's figures). Raises InvalidSources (file:line, nearest names) on an unknown name
    or a forbidden expression."""
    display = text_display(pub.department)
    where = {item.text: item.where for item in authored_texts(pub)}
    report = Report()

    def render(value: Any, figures: list[Figure]) -> Any:
        if isinstance(value, str):
            if not _has_syntax(value):
                return value
            w = where.get(value) or Where(Location("（文字）"), False)
            if not check_expressions(value, w, [f.expression for f in figures], report):
                return value
            try:
                return render_text(value, _context(figures))
            except (SecurityError, UndefinedError):  # the check above refuses first; belt and braces
                report.error("prose.forbidden", "文字中的表达式不能求值：引用数字只能写 {{ 名称 }}。", w.loc)
                return value
        if isinstance(value, dict):
            return {k: render(v, figures) for k, v in value.items()}
        if isinstance(value, list):
            return [render(v, figures) for v in value]
        return value

    def scope_with_texts(scope: Any) -> Any:
        figures = scope_figures(scope, display)
        projects = [replace(p, target=render(p.target, figures)) for p in scope.projects]
        return replace(scope, texts=render(scope.texts, figures), projects=projects)

    out = replace(pub, scope=scope_with_texts(pub.scope), units=[scope_with_texts(s) for s in pub.units])
    if report.errors:
        unique = Report()
        for problem in report.problems:  # a department text may fail in several scopes: say it once
            if problem not in unique.problems:
                unique.add(problem)
        raise InvalidSources(unique)
    return out
