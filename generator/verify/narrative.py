"""The narrative against the tables: each figure a sentence of the 情况说明 states is compared
with the table that holds it; listed parts add up to their total; the 比上年 changes agree with
the 三公 comparison table."""

from __future__ import annotations

import re
from decimal import Decimal

from generator.figures.vocabulary import FUND, FUNDS, KINDS, OTHER_SOURCES, POOLED, TO_SUBORDINATE

from .findings import DIRECTION
from .reading import _NUMBER, ABROAD, ASSETS, HOST, PROC, SG_CMP, T1, T3, T6, T9, ZERO, ScopeDoc, amount
from .tables import (
    Checker,
    _cell,
    _col,
    _known_cell,
    _label_row,
    _procured,
    _sangong_comparison_rows,
    _sum,
    _t1_income,
    _t9,
    _total_row,
    in_unit,
)


def _sentence(text: str, pos: int) -> str:
    start = max(text.rfind(ch, 0, pos) for ch in "。；") + 1
    ends = [i for i in (text.find(ch, pos) for ch in "。；") if i >= 0]
    return text[start:(min(ends) + 1) if ends else len(text)]


def _figures(scope: ScopeDoc) -> dict[str, tuple[str, Decimal | None]]:
    """The figures the narrative states, as the tables of the scope give them."""
    tabs = scope.tables
    f: dict[str, tuple[str, Decimal | None]] = {}
    t1, t3, t6, t9 = (tabs.get(k) for k in (T1, T3, T6, T9))
    if t1:
        f["收入"] = (f"{t1.title} 收入总计", _cell(t1, _label_row(t1, "^收入总计"), 1))
        f["支出"] = (f"{t1.title} 本年支出合计", _cell(t1, _label_row(t1, "^本年支出合计", 2), 3))
        f["上年结转结余"] = (f"{t1.title} 上年结转结余", _cell(t1, _label_row(t1, "^上年结转"), 1))
        f["年终结转结余"] = (f"{t1.title} 年终结转结余", _cell(t1, _label_row(t1, "^年终结转", 2), 3))
        inc = _t1_income(t1)
        for key, fund in zip(("一般公共预算收入", "基金预算收入", "国有资本经营预算收入", "财政专户核拨收入"), FUNDS):
            label = fund.income_label
            if label in inc:
                f[key] = (f"{t1.title} {label}", inc[label])
        others = tuple(FUND[name].income_label for name in OTHER_SOURCES)
        if all(k in inc for k in others):
            f["其他来源收入"] = (f"{t1.title} 五至九项收入之和", _sum(inc[k] for k in others))
        elif POOLED.income_label in inc:  # given as one total (单位资金), with what of them is split
            given = [k for k in (*others, POOLED.income_label) if k in inc]
            f["其他来源收入"] = (f"{t1.title} {'、'.join(given)}之和", _sum(inc[k] for k in given))
    if t3:
        total = _total_row(t3)
        for j, key in enumerate(KINDS, 3):
            f[key] = (f"{t3.title} 合计行{_col(t3, j)}", ZERO if total is None else amount(total[1][j]))
    if t6:
        total = _total_row(t6)
        running = ZERO if total is None else amount(total[1][4])
        f["机关运行经费"] = (f"{t6.title} 合计行{_col(t6, 4)}", running)
        basic_all = f.get("基本支出", ("", None))[1]
        t6_total = ZERO if total is None else amount(total[1][2])
        if basic_all is not None and t6_total == basic_all:  # all 基本支出 is general budget: T6 shows it all
            f["人员经费"] = (f"{t6.title} 合计行{_col(t6, 3)}", ZERO if total is None else amount(total[1][3]))
            f["日常公用经费"] = (f"{t6.title} 合计行{_col(t6, 4)}", running)
    if t9:
        r = _t9(t9)
        f["三公"] = (f"{t9.title} 合计", _cell(t9, r["合计"], 1))
        f[ABROAD] = (f"{t9.title} {ABROAD}", _cell(t9, r["出国"], 1))
        f["公务用车购置及运行维护费"] = (f"{t9.title} 公务用车购置及运维费", _cell(t9, r["车辆"], 1))
        f[HOST] = (f"{t9.title} {HOST}", _cell(t9, r["接待"], 1))
    proc = tabs.get(PROC)
    if proc:
        f["政府采购"] = (f"{proc.title} 合计列之和", _procured(proc))
    assets = tabs.get(ASSETS)
    if assets:
        f["固定资产"] = (f"{assets.title} 固定资产总额 价值", _cell(assets, _label_row(assets, "^固定资产总额"), 2))
    return f


_M = rf"\s*[：:为]?\s*({_NUMBER})\s*(万元|元)"  # group 1: the amount, group 2: its unit


# (section keyword, pattern whose group 1 is the amount, figure key)
_NARRATIVE = [
    ("总体情况", r"(?:部门|单位)预算收入" + _M, "收入"), ("总体情况", r"一般公共预算收入" + _M, "一般公共预算收入"),
    ("总体情况", r"(?<!政府性)基金预算收入" + _M, "基金预算收入"),
    ("总体情况", r"国有资本经营预算收入" + _M, "国有资本经营预算收入"),
    ("总体情况", r"财政专户核拨收入" + _M, "财政专户核拨收入"), ("总体情况", r"其他来源收入" + _M, "其他来源收入"),
    ("总体情况", r"上年结转结余" + _M, "上年结转结余"), ("总体情况", r"年终结转结余" + _M, "年终结转结余"),
    ("总体情况", r"支出预算" + _M, "支出"), ("总体情况", r"预算收支安排" + _M, "支出"),
    ("总体情况", r"基本支出" + _M, "基本支出"), ("总体情况", r"人员经费" + _M, "人员经费"),
    ("总体情况", r"日常公用经费" + _M, "日常公用经费"), ("总体情况", r"项目支出" + _M, "项目支出"),
    ("总体情况", r"(?<!单位)经营支出" + _M, "经营支出"), ("总体情况", r"上解上级支出" + _M, "上解上级支出"),
    ("总体情况", TO_SUBORDINATE + _M, TO_SUBORDINATE),
    ("机关运行经费", r"机关运行经?费预算共计" + _M, "机关运行经费"), ("机关运行经费", r"项目支出" + _M, "项目支出"),
    ("三公", r"三公[”\"]?经费预算安排" + _M, "三公"), ("三公", re.escape(ABROAD) + _M, ABROAD),
    ("三公", r"公务用车购置及运行维护费" + _M, "公务用车购置及运行维护费"), ("三公", HOST + _M, HOST),
    ("政府采购", r"政府采购预算" + _M, "政府采购"), ("国有资产", r"固定资产金额" + _M, "固定资产"),
]


_NARRATIVE_NAMES = {"三公": "“三公”经费", "固定资产": "上年末固定资产金额", "政府采购": "政府采购预算",
                    "收入": "预算收入", "支出": "支出预算"}


def _change(text: str, label: str) -> Decimal | None:
    m = re.search(rf"{label}\s*(?:合计)?\s*(增加|减少)\s*({_NUMBER})\s*(?:万元|元)", text)
    if m:
        v = amount(m.group(2))
        return None if v is None else (v if m.group(1) == "增加" else -v)
    if re.search(rf"{label}\s*(?:合计)?\s*持平", text):
        return ZERO
    return None


def _states_running_costs(scope: ScopeDoc) -> bool:
    return any("机关运行经" in line.section and re.search(r"机关运行经?费预算共计" + _M, line.text)
               for line in scope.paragraphs)


def running_costs_of_units(units: list[ScopeDoc]) -> tuple[str, Decimal | None]:
    """机关运行经费 covers only some units (行政, 参公…); each unit's narrative says whether it has
    any. The department's is the sum of the T6 公用经费 of the units that state one."""
    stating = [u for u in units if _states_running_costs(u)]
    names = "、".join(u.name for u in stating) or "无"
    return (f"列有机关运行经费的单位（{names}）的一般公共预算基本支出表公用经费之和",
            _sum(_figures(u).get("机关运行经费", ("", None))[1] for u in stating))


def _unit_of(scope: ScopeDoc, source: str) -> str | None:
    """The unit of the table a figure was read from (its source names the table first)."""
    units = {t.unit for t in scope.tables.values() if source.startswith(t.title) and t.unit}
    if not units:  # e.g. the units' 机关运行经费: their T6 shares the department's unit
        units = {t.unit for k, t in scope.tables.items() if k == T6 and t.unit}
    return units.pop() if len(units) == 1 else None


def check_narrative(ck: Checker, scope: ScopeDoc, overrides: dict | None = None, at_most: tuple[str, ...] = ()) -> None:
    """``at_most``: figures the text states that the table bounds from above only (a part of it)."""
    figures = {**_figures(scope), **(overrides or {})}
    for line in scope.paragraphs:
        section, text = line.section, line.text
        if not section:
            continue
        ck.page = line.page
        for keyword, pattern, key in _NARRATIVE:
            if keyword not in section or key not in figures:
                continue
            parts = _parts_lists(pattern, text)
            for m in re.finditer(pattern, text):
                if any(start <= m.start() < end for start, end in parts):
                    continue  # a part named like its total (a project called …项目支出) is a part, not the total
                stated, unit = amount(m.group(1)), m.group(2)
                source, value = figures[key]
                if key in at_most:
                    bound = in_unit(value, _unit_of(scope, source), unit)
                    ck.checks += 1
                    if stated is not None and bound is not None and stated > bound:
                        ck.add("narrative", f"{section} “{_sentence(text, m.start())}”",
                               f"文字中的{_NARRATIVE_NAMES.get(key, key)}超过表中的数（它是其中的一部分）",
                               [("文字", f"{stated:f}"), (source, f"{bound:f}")])
                    continue
                ck.equal("narrative", f"{section} “{_sentence(text, m.start())}”",
                         f"文字中的{_NARRATIVE_NAMES.get(key, key)}与表不一致",
                         ("文字", stated), (source, in_unit(value, _unit_of(scope, source), unit)))
        # sums within the text: rounded parts when the text is in 万元 and the tables in 元
        ck.rounding = ck.rounded("万元" if "万元" in text else "元")
        if "机关运行经" in section:
            _check_listed_parts(ck, section, text, r"机关运行经?费预算共计")
            _check_listed_parts(ck, section, text, r"项目支出", _project_names(scope))
        if "总体情况" in section and "人员经费" in text and "日常公用经费" in text:
            basic, personnel, public = (re.search(label + _M, text) for label in ("基本支出", "人员经费", "日常公用经费"))
            if basic and personnel and public:
                ck.equal("narrative", f"{section} “{text}”", "基本支出应等于人员经费 + 日常公用经费",
                         ("基本支出", amount(basic.group(1))),
                         ("人员经费 + 日常公用经费", _sum([amount(personnel.group(1)), amount(public.group(1))])), 2)
        if "总体情况" in section and "较上年" in text:
            total = _change(text, "较上年预算")
            parts = [_change(text, "基本支出"), _change(text, "项目支出")]
            other = _change(text, TO_SUBORDINATE)
            if other is not None:
                parts.append(other)
            added = _sum(parts)
            if total and added and total == -added:
                ck.add(DIRECTION, f"{section} “{_sentence(text, 0)}”", f"文字说总的{'增加' if total > 0 else '减少'}，"
                       f"但各部分的增减合计是{'减少' if total > 0 else '增加'}", [("总增减", f"{total:f}"),
                                                                      ("各部分增减之和", f"{added:f}")])
            else:
                ck.equal("narrative", f"{section} “{text}”", "比上年增减：总的增减应等于各部分增减之和",
                         ("总增减", total), ("各部分增减之和", added), len(parts))
        if "政府采购" in section:
            _check_listed_parts(ck, section, text, r"政府采购预算")
        if "三公" in section:
            _check_sangong_changes(ck, scope, section, text)
        ck.rounding = False
    ck.page = None


def _parts_lists(pattern: str, text: str) -> list[tuple[int, int]]:
    """Where ``text`` lists the parts of the figure ``pattern`` states: from 其中： after the figure to the
    end of its sentence (项目支出 57.70万元，其中：A项目支出 10.00万元；B 47.70万元。)."""
    spans = []
    for m in re.finditer(pattern + r"\s*[，,]\s*其中[：:]", text):
        end = min([i for i in (text.find("。", m.end()),) if i >= 0] or [len(text)])
        spans.append((m.end(), end))
    return spans


def _project_names(scope: ScopeDoc) -> list[str]:
    """The names of the scope's projects, in order, from the titles of their 绩效目标表 (N、<name>绩效目标表)."""
    return [m.group(1) for text in scope.titles for m in [re.fullmatch(r"\d+、(.+)绩效目标表", text.strip())] if m]


# the lists a sentence gives after its total (机关运行经费…共计X万元，其中：…): items joined by 、 和 及 ；
# or nothing at all (邮电费1.80万元公务移动通讯费用补贴5.00万元), up to the end of the sentence or the
# next list (；项目支出438.95万元，其中：…)
_NEXT_LIST = re.compile(r"[；;，,。]\s*(?:项目支出|基本支出)\s*" + _NUMBER)


def listed_items(text: str, label: str, names: list[str] = ()) -> tuple[re.Match | None, list[tuple[str, Decimal | None, str]]]:
    """The total a sentence gives for ``label`` and the items it lists after 其中: (name, amount,
    unit). An item repeating the total (…；项目支出438.95万元，离休…) is left out; an item whose name
    is known (a project's, from its 绩效目标表) keeps the digits it ends in."""
    m = re.search(label + _M + r"[，,]?\s*其中[：:]([^。]*)", text)
    if not m:
        return None, []
    segment = m.group(3)
    cut = next((c for c in _NEXT_LIST.finditer(segment) if not re.search(label, c.group())), None)
    if cut:  # the next list (；项目支出…，其中：) is another total's
        segment = segment[:cut.start()]
    names = [n for n in names if n]
    items = []
    pos, k = 0, 0
    generic = re.compile(rf"(.*?)({_NUMBER})\s*(万元|元)")
    while pos < len(segment):
        gap = re.match(r"(?:[\s、；;，,：:]|其中[：:]?)*", segment[pos:])
        pos += gap.end()
        # a project's own name first (in the order of its 绩效目标表), then the longest one the text starts
        # with: its digits are the name's (结转项目1 4.18万元 beside 结转项目14), the amount follows
        name = names[k] if k < len(names) and segment.startswith(names[k], pos) else \
            max((n for n in names if segment.startswith(n, pos)), key=len, default=None)
        found = re.match(rf"\s*({_NUMBER})\s*(万元|元)", segment[pos + len(name):]) if name else None
        if name and found:
            k = names.index(name) + 1
            items.append((name, amount(found.group(1)), found.group(2)))
            pos += len(name) + found.end()
            continue
        item = generic.match(segment, pos)
        if not item:
            break
        pos = item.end()
        name = re.split(r"[；;，,、]", item.group(1))[-1]
        name = re.sub(r"^[\s和及与：:]+|^其中[：:]?", "", name).strip()
        value = amount(item.group(2))
        if re.fullmatch(label, re.sub(r"\s", "", name)) and value == amount(m.group(1)):
            continue  # the total said again inside its own list
        items.append((name, value, item.group(3)))
    return m, items


def _check_listed_parts(ck: Checker, section: str, text: str, label: str, names: list[str] = ()) -> None:
    m, items = listed_items(text, label, names)
    if not m or not items:
        return
    unit = m.group(2)
    values = [in_unit(v, u, unit) if u != unit else v for _, v, u in items]
    ck.equal("narrative", f"{section} “{_sentence(text, m.start())}”", "所列各项之和应等于总数",
             ("总数", amount(m.group(1))), ("各项之和", _sum(values)), len(values))


def _check_sangong_changes(ck: Checker, scope: ScopeDoc, section: str, text: str) -> None:
    cmp_ = scope.tables.get(SG_CMP)
    if cmp_ is None:
        return
    rows = _sangong_comparison_rows(cmp_)
    stated = {
        "合计": (r"三公[”\"]?经费预算安排", ("合计",)),
        ABROAD: (re.escape(ABROAD), ("出国",)),
        "公务用车购置及运行维护费": (r"公务用车购置及运行维护费", ("购置", "运维")),
        HOST: (HOST, ("接待",)),
    }
    for name, (pattern, keys) in stated.items():
        m = re.search(pattern + _M + _CHANGE, text)
        if not m:
            continue
        change = stated_change(m)
        table = _sum(_known_cell(rows[k], 3) for k in keys)
        where = f"{section} “{_sentence(text, m.start())}”"
        if change and table and change == -table:
            ck.add(DIRECTION, where, f"文字说{name}比上年{'增加' if change > 0 else '减少'}，但比较表中是"
                   f"{'减少' if change > 0 else '增加'}", [("文字", f"{change:f}"), (cmp_.title + " 增减金额", f"{table:f}")])
            continue
        ck.equal("narrative", where, f"{name}比上年的增减与比较表不一致",
                 ("文字", change), (cmp_.title + " 增减金额", table), len(keys))


# what a sentence says of a figure against the prior year, right after it: 比上年增加15.40万元,
# 较上年减少1.00万元, 与上年持平, 与上年一致, 与上年度…预算持平, 无增减变化
_CHANGE = (r"[^，。；;]*?[，；;]\s*(?:(?:比|较)上年(?:度)?(?:预算)?(增加|减少|增长|下降)\s*(" + _NUMBER
           + r")\s*(?:万元|元)|(与上年(?:度)?[^，。；;]{0,20}?(?:持平|一致|相同)|无增减变化|没有变化))")


def stated_change(m: re.Match) -> Decimal | None:
    """The signed change a match of ``_CHANGE`` (groups 3, 4, 5 after a figure) states."""
    if m.group(5):
        return ZERO
    change = amount(m.group(4))
    return None if change is None else (change if m.group(3) in ("增加", "增长") else -change)
