"""What a scope's 情况说明 gives: its texts (duties, the overview, reasons, the performance text,
other matters), the prior year (比上年增减), 机关运行经费's items, the projects it lists with their
amounts, the 绩效目标表 of each project, and the procurement and asset sentences.

Sections are found by the words of their headings (职责, 总体情况, 机关运行经费, 三公, 绩效, 政府采购,
国有资产, 名词解释, 其他需要说明), whatever their ordinal; the sentences budgetpub writes from the
figures are read for their figures, never imported as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from generator.figures.vocabulary import TO_SUBORDINATE
from generator.verify.reading import PerfTable, ScopeDoc, amount

_HEADING = r"^（[一二三四五六七八九十]+）[^。；，,]{1,24}$"  # （二）专项资金绩效目标, not （二）抓……。
_NUM = r"(-?[0-9][0-9,]*(?:\.[0-9]+)?)"
_MONEY = _NUM + r"\s*(万元|元)"


@dataclass
class Indicator:
    level1: str
    level2: str
    level3: str
    description: str | None
    value: str
    basis: str | None


@dataclass
class Performance:
    project: str
    target: str
    indicators: list[Indicator]
    where: str
    columns: tuple[bool, bool] = (True, True)  # description, basis published


@dataclass
class Narrative:
    texts: dict = field(default_factory=dict)
    prior: dict[str, tuple[Decimal, str]] = field(default_factory=dict)  # key → (change, sentence)
    prior_sentence: str = ""
    running: list[tuple[str, Decimal]] = field(default_factory=list)
    running_total: tuple[Decimal, str] | None = None  # 机关运行经费预算共计…, its sentence
    running_none: bool = False
    projects: list[tuple[str, Decimal]] = field(default_factory=list)
    projects_sentence: str = ""
    performance: list[Performance] = field(default_factory=list)
    fixed_assets: Decimal | None = None
    small_micro: Decimal | None = None
    level: str | None = None
    procurement_summary: tuple[dict, str] | None = None  # the 政府采购 sentence's totals, where no table lists items
    basic_split: tuple[Decimal, Decimal, str] | None = None  # 人员经费, 日常公用经费 of all basic expenditure, sentence
    unit: str = "万元"  # the unit the text's amounts are in
    wording: dict = field(default_factory=dict)  # legal_basis, glossary, no_project_targets as the text words them


def _section(scope: ScopeDoc, *words: str) -> list[str]:
    """The lines of the section whose heading has one of ``words`` (heading excluded)."""
    out = []
    for line in scope.paragraphs:
        if line.section and any(w in line.section for w in words) and line.text != line.section:
            out.append(line.text.strip())
    return out


def _between(lines: list[str], start, stop) -> list[str]:
    out, on = [], start is None
    for ln in lines:
        if stop is not None and on and re.match(stop, ln):
            break
        if on:
            out.append(ln)
        elif re.match(start, ln):
            on = True
    return out


def _text(lines: list[str]) -> str | None:
    lines = [ln for ln in lines if ln]
    return "\n".join(lines) + "\n" if len(lines) > 1 else (lines[0] if lines else None)


def read_narrative(scope: ScopeDoc) -> Narrative:
    n = Narrative()
    duties = _section(scope, "职责")
    n.texts["duties"] = _text(_between(duties, r"^(部门|单位)?职责[：:]?$", r"^机构设置[：:]?$"))
    overview = _section(scope, "总体情况", "预算安排")
    n.texts["budget_overview"] = _text(_between(overview, None, r"^1[、.．]\s*收入说明"))
    for line in overview:  # 基本支出…，其中：人员经费…，日常公用经费…
        m = re.search(r"基本支出" + _MONEY + r"[，,]\s*其中[：:]\s*人员经费" + _MONEY + r"[，,、]\s*(?:日常)?公用经费" + _MONEY,
                      line.replace(" ", ""))
        if m and n.basic_split is None:
            n.basic_split = (amount(m.group(3)), amount(m.group(5)), m.group(0))
    change = _between(overview, r"^3[、.．]\s*比上年", None)
    if change:
        n.prior_sentence = change[0]
        _prior(n, change[0])
    running = " ".join(_section(scope, "机关运行"))
    _running(n, running)
    _performance_text(n, _section(scope, "绩效"))
    other = _section(scope, "其他需要说明")
    n.texts["other_matters"] = _text(other)
    assets = " ".join(_section(scope, "国有资产", "资产"))
    m = re.search(r"拟购置固定资产总额为" + _MONEY, assets)
    if m:
        n.fixed_assets = amount(m.group(1))
    proc = " ".join(_section(scope, "政府采购"))
    m = re.search(r"面向小微企业" + _MONEY, proc)
    if m:
        n.small_micro = amount(m.group(1))
    m = re.search(r"安排政府采购预算" + _MONEY + r"。其中[：:]([^。]*)。(?:预留中小企业份额" + _MONEY + ")?", proc)
    if m and "具体内容见下表" not in proc:
        summary = {}
        for word, key in (("货物", "goods"), ("工程", "works"), ("服务", "services")):
            w = re.search(word + _MONEY, m.group(3))
            if w:
                summary[key] = amount(w.group(1))
        if m.group(4):
            summary["sme_reserved"] = amount(m.group(4))
        if n.small_micro:
            summary["sme_small_micro"] = n.small_micro
        n.procurement_summary = (summary, m.group(0))
    glossary = " ".join(_section(scope, "名词解释"))
    m = re.search(r"指(\S{1,4}?)财政当年拨付", glossary)
    if m:
        n.level = m.group(1)
    n.performance = [_perf(p) for p in scope.perf]
    _wording(n, scope)
    units = re.findall(r"[0-9]\s*(万元|元)", " ".join(line.text for line in scope.paragraphs))
    if units:
        n.unit = max(set(units), key=units.count)
    return n


def _wording(n: Narrative, scope: ScopeDoc) -> None:
    """The region's wording as the text has it: the opening sentence's legal basis (None: the text opens
    with 现将…), the 名词解释, the sentence standing for the 项目绩效目标表s when none is listed."""
    for line in scope.paragraphs:
        m = re.match(r"^(.*?)[，,]?现将.{0,80}公开如下[：:]$", line.text.strip())
        if m:
            n.wording["legal_basis"] = m.group(1) or None
            break
    glossary = [ln for ln in _section(scope, "名词解释") if ln]
    if glossary:
        n.wording["glossary"] = "\n".join(glossary) + "\n"
    if not scope.perf:
        lines = _between(_section(scope, "绩效"), r"^（[一二三四五六七八九十]+）\s*预算项目绩效目标$", _HEADING)
        if len(lines) == 1:
            n.wording["no_project_targets"] = lines[0]


def _signed(word: str, value: str) -> Decimal:
    v = amount(value) or Decimal(0)
    return -v if word == "减少" else v


def _prior(n: Narrative, sentence: str) -> None:
    s = sentence.replace(" ", "")
    m = re.search(r"本年度预算收支安排" + _MONEY + r"[，,]较上年预算(增加|减少)" + _MONEY, s)
    if m:
        n.prior["total"] = (_signed(m.group(3), m.group(4)), sentence)
    elif re.search(r"本年度预算收支安排" + _MONEY + r"[，,]与上年预算持平", s):
        n.prior["total"] = (Decimal(0), sentence)
    m = re.search(r"财政拨款支出" + _MONEY + r"[，,]较上年预算(增加|减少)" + _MONEY, s)
    if m:
        n.prior.pop("total", None)
        n.prior["fiscal"] = (_signed(m.group(3), m.group(4)), sentence)
    for key, word in (("basic", "基本支出"), ("project", "项目支出")):
        m = re.search(word + r"(增加|减少)" + _MONEY, s)
        if m:
            n.prior[key] = (_signed(m.group(1), m.group(2)), sentence)
        elif re.search(word + r"(与上年持平|持平)", s):
            n.prior[key] = (Decimal(0), sentence)
        m = re.search(word + r"(?:增加|减少)" + _NUM + r"(?:万元|元)[，,]主要(?:原因|是)[：:]?(.*?)"
                      r"(?:[：:；;，,](?=项目支出|经营支出)|[；;。]|$)", s)
        if m:
            n.texts.setdefault("change_reasons", {})[key] = m.group(2).strip()
    m = re.search(TO_SUBORDINATE + r"合计(增加|减少)" + _MONEY, s)
    if m:
        n.prior["other"] = (_signed(m.group(1), m.group(2)), sentence)
    elif re.search(TO_SUBORDINATE + r"合计(与上年)?持平", s):
        n.prior["other"] = (Decimal(0), sentence)


_ITEM = re.compile(r"([^、；;，,。：:]+?)\s*(-?[0-9][0-9,]*(?:\.[0-9]+)?)\s*(?:万元|元)")


def _items(text: str) -> list[tuple[str, Decimal]]:
    """名称金额 pairs of a list typed any way (、；， 和, or nothing between them)."""
    out = []
    for name, value in _ITEM.findall(text):
        name = re.sub(r"^[和及]", "", name.strip())
        if name and not name.startswith("项目支出") and amount(value) is not None and re.search(r"[\u4e00-\u9fff]", name):
            out.append((name, amount(value)))
    return out


def _running(n: Narrative, text: str) -> None:
    s = text.replace(" ", "")
    m = re.search(r"机关运行经?费预算共计" + _MONEY + r"[，,]其中[：:](.*?)(?:[；;]?项目支出|。|$)", s)
    if m:
        n.running = _items(m.group(3))
    m = re.search(r"机关运行经?费预算共计" + _MONEY, s)
    if m:
        n.running_total = (amount(m.group(1)), m.group(0))
    n.running_none = "无机关运行经费" in s or "机关运行经费不单独列示" in s
    m = re.search(r"项目支出" + _MONEY + r"[，,]其中[：:](.*?)(?:。|$)", s)
    if m:
        n.projects_sentence = m.group(0)
        n.projects = _items(m.group(3))


def _performance_text(n: Narrative, lines: list[str]) -> None:
    if not lines:
        return
    perf: dict = {}
    overall = _between(lines, r"^1[、.．]\s*总体绩效目标", r"^2[、.．]\s*分项绩效目标|^3[、.．]\s*工作保障措施|" + _HEADING)
    if overall:
        perf["overall"] = _text(overall)
    items_lines = _between(lines, r"^2[、.．]\s*分项绩效目标", r"^3[、.．]\s*工作保障措施|" + _HEADING)
    items = []
    for ln in items_lines:
        m = re.match(r"^（([0-9]+)）(.+)$", ln)
        if m and not re.search(r"[。；]", m.group(2)):
            items.append({"title": m.group(2), "goals": [], "indicators": []})
            target = None
            continue
        if not items:
            continue
        if ln.startswith("绩效目标："):
            target = "goals"
            ln = ln[len("绩效目标："):]
        elif ln.startswith("绩效指标："):
            target = "indicators"
            ln = ln[len("绩效指标："):]
        if target:
            items[-1][target].append(ln)
    if items:
        perf["items"] = [{"title": i["title"], "goals": _text(i["goals"]), "indicators": _text(i["indicators"])}
                         for i in items]
    measures = _between(lines, r"^3[、.．]\s*工作保障措施", r"^（二）\s*专项资金")
    if measures:
        perf["measures"] = _text(measures)
    special = _between(lines, r"^（[一二三四]）\s*专项资金绩效目标", _HEADING)
    if special:
        n.texts["special_funds"] = _text(special)
    if perf:
        n.texts["performance"] = perf


def _perf(p: PerfTable) -> Performance:
    rows = p.rows
    target = ""
    header_at = next((i for i, r in enumerate(rows) if any("一级指标" in c for c in r)), None)
    for r in rows[:header_at or 0]:
        if r and "绩效目标" in r[0]:
            target = next((c for c in r[1:] if c.strip()), "")
    header = [re.sub(r"\s", "", c) for c in rows[header_at]] if header_at is not None else []

    def col(*words):
        return next((i for i, h in enumerate(header) if any(w == h or w in h for w in words)), None)

    c1, c2, c3 = col("一级指标"), col("二级指标"), col("三级指标")
    cd, cv, cb = col("绩效指标描述", "指标描述"), col("指标值"), col("指标值确定依据", "确定依据")
    if cv is not None and cb is not None and cv == cb:
        cv = next((i for i, h in enumerate(header) if h == "指标值"), cv)
    indicators, last1, last2 = [], "", ""
    def cell(r: list[str], i: int | None) -> str:
        return r[i].strip() if i is not None and i < len(r) else ""

    for r in rows[(header_at + 1) if header_at is not None else len(rows):]:
        def at(i, r=r):
            return cell(r, i)
        level1 = at(c1) or last1
        level2 = at(c2) or last2
        last1, last2 = level1, level2
        if not at(c3) and not at(cv):
            continue
        indicators.append(Indicator(level1, level2, at(c3), at(cd) if cd is not None else None, at(cv),
                                    at(cb) if cb is not None else None))
    return Performance(p.project, target.strip(), indicators, p.title, (cd is not None, cb is not None))
