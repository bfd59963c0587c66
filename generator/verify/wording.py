"""The words of a publication: what a careful reader at a 财政局 marks before it is posted.

- placeholders and template leftovers: XX, ××, 待填写, ……, 增加持平, a list item that is only a unit
  (…7万元；元；…);
- a word typed twice (的的, 预算预算); an ASCII comma or full stop in Chinese text;
- a unit's part speaking of itself as the department (我部门, 部门预算收入 in 单位预算…), and the
  department's part as a unit;
- directions: 增加/减少/持平 against the figures they describe (the 三公 comparison table's 变化原因
  against its 增减金额; 增加 0.00 万元);
- 绩效目标: each project's 成本指标 against the project's spending as the 情况说明 lists it, and a
  quantity × standard in the target (300人，每人200元) against the same amount.

``AUTHORED``: the codes about the authors' own texts. Generation does not refuse a document for them
(``check_generated``): they are the sources' words, which ``check`` reports.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .blocks import squeeze
from .findings import DIRECTION, ERROR, WARNING, register
from .narrative import _NUMBER, listed_items
from .reading import SG_CMP, Document, ScopeDoc, amount
from .tables import Checker, in_unit, known

PLACEHOLDER = register("wording.placeholder", ERROR, "没有占位符或模板残留（XX、××、待填写、……、增加持平、孤立的“元”）")
DOUBLED = register("wording.doubled", WARNING, "没有重复的字词（的的、预算预算）")
PUNCTUATION = register("wording.punctuation", WARNING, "中文文字中不用半角逗号、句号")
SELF = register("wording.scope", WARNING, "单位部分称本单位为“单位”，部门部分称“部门”")
PERFORMANCE = register("performance", ERROR, "绩效目标表的成本指标与项目支出一致")
TARGET = register("performance.target", WARNING, "绩效目标中的人数 × 标准（300人，每人200元）等于成本指标")
AUTHORED = (PLACEHOLDER, DOUBLED, PUNCTUATION, TARGET)

_PLACEHOLDERS = re.compile(
    r"(?<![A-Za-z])(?:XX+|xx+|ＸＸ+)(?![A-Za-z])|[×Ｘ*＊]{2,}|[□■○]{2,}|待填写|待补充|待定|此处填写|请填写|……|…{1,}"
    r"|(?:增加|减少|增长|下降)\s*(?:持平|增加|减少)|(?:持平)\s*(?:增加|减少)"
    r"|[；;，,、]\s*(?:万元|元)\s*(?=[；;，,、。])")
_REDUPLICATED = {"常常", "天天", "年年", "人人", "个个", "项项", "件件", "条条", "层层", "处处", "时时", "事事", "步步",
                 "渐渐", "刚刚", "仅仅", "稍稍", "往往", "多多", "看看", "谢谢", "等等", "点点", "家家", "户户",
                 "一一", "逐逐", "丝丝", "默默", "紧紧", "牢牢", "深深", "久久", "好好", "慢慢", "细细", "实实", "在在"}
_DOUBLED_FUNCTION = re.compile(r"(的的|了了|和和|及及|与与|为为|对对|将将|按按|于于|是是|在在在|地地|得得)")
_DOUBLED_WORD = re.compile(r"([\u4e00-\u9fff]{2,6})\1")
_ASCII = re.compile(r"[\u4e00-\u9fff）”》][,.](?![0-9])|(?<![0-9A-Za-z])[,.][\u4e00-\u9fff（“《]")
_SELF = {True: re.compile(r"我部门|本部门|部门预算收入|部门支出预算|部门预算支出|部门财政拨款"),
         False: re.compile(r"我单位|本单位|单位预算收入|单位支出预算")}


def check_document(ck: Checker, doc: Document) -> None:
    both = any(s.is_unit for s in doc.scopes) and any(not s.is_unit for s in doc.scopes)
    for scope in doc.scopes:
        ck.scope = scope.name
        _wording(ck, scope, both)
        _directions(ck, scope)
        _performance(ck, scope)


def _snippet(text: str, start: int, end: int) -> str:
    return text[max(0, start - 8):end + 8].replace("\n", " ")


def _wording(ck: Checker, scope: ScopeDoc, both: bool) -> None:
    self_words: dict[str, list] = {}
    for line in scope.paragraphs:
        text = line.text
        where = f"{line.section} “{text[:30]}{'…' if len(text) > 30 else ''}”" if line.section else f"“{text[:30]}”"
        ck.checks += 1
        found = [m for m in _PLACEHOLDERS.finditer(text)]
        if found:
            ck.add(PLACEHOLDER, where, "有占位符或模板残留：" + "、".join(f"“{_snippet(text, m.start(), m.end())}”"
                                                            for m in found[:3]), page=line.page)
        doubled = [m for m in _DOUBLED_FUNCTION.finditer(text)]
        doubled += [m for m in _DOUBLED_WORD.finditer(text) if m.group(1) * 2 not in _REDUPLICATED
                    and not re.fullmatch(r"(.)\1+", m.group(1))]
        if doubled:
            ck.add(DOUBLED, where, "有重复的字词：" + "、".join(f"“{m.group()}”" for m in doubled[:3]), page=line.page)
        ascii_ = [m for m in _ASCII.finditer(text)]
        if ascii_:
            ck.add(PUNCTUATION, where, "中文文字中用了半角标点：" + "、".join(
                f"“{_snippet(text, m.start(), m.end())}”" for m in ascii_[:3]), page=line.page)
        if (both or scope.is_unit) and line.section and not re.search(r"职责|名词解释", line.section):
            for m in _SELF[scope.is_unit].finditer(text):
                self_words.setdefault(line.section, [line.page, []])[1].append(m.group())
    for section, (page, words) in self_words.items():
        ck.add(SELF, section, f"{'单位' if scope.is_unit else '部门'}部分的文字称“{'、'.join(dict.fromkeys(words))}”"
               f"，应称{'本单位' if scope.is_unit else '本部门'}", page=page)
    for table in scope.tables.values():  # the words of the tables' own cells
        for _, cells in table.rows:
            for cell in cells:
                if cell and len(cell) > 1 and _PLACEHOLDERS.search(cell) and not amount(cell):
                    ck.add(PLACEHOLDER, table.title, f"表中有占位符或模板残留：“{cell[:30]}”", page=table.page)


_UP, _DOWN, _FLAT = re.compile(r"(?<!无)增加|增长|上升|提高"), re.compile(r"减少|下降|降低"), \
    re.compile(r"持平|无增减|无变化|没有变化|不变|一致|相同")


def _directions(ck: Checker, scope: ScopeDoc) -> None:
    cmp_ = scope.tables.get(SG_CMP)
    if cmp_ is not None:
        for _, c in cmp_.rows:
            if len(c) < 5 or not c[4].strip():
                continue
            change, reason = known(c[3]), c[4]
            prior, current = known(c[1]), known(c[2])
            if change is None and prior is not None and current is not None:
                change = current - prior
            if change is None:
                continue
            ck.checks += 1
            says = "增加" if _UP.search(reason) else "减少" if _DOWN.search(reason) else "持平" if _FLAT.search(reason) else None
            figures = "增加" if change > 0 else "减少" if change < 0 else "持平"
            if says is not None and says != figures:
                ck.add(DIRECTION, f"{cmp_.title} {c[0]}", f"变化原因说“{reason}”，但增减金额是 {c[3] or '0'}",
                       page=cmp_.page)
    for line in scope.paragraphs:
        for m in re.finditer(rf"(增加|减少|增长|下降)\s*({_NUMBER})\s*(万元|元)", line.text):
            value = amount(m.group(2))
            ck.checks += 1
            if value is not None and value == 0:
                ck.add(DIRECTION, f"{line.section} “{line.text[:30]}…”",
                       f"说“{m.group()}”：增减为零时应说持平", page=line.page)


# -------------------------------------------------------------------------- 绩效目标

_COST = re.compile(rf"^[≤<＜≦]?=?\s*({_NUMBER})\s*(万元|元|万)$")


def _cost(rows: list[list[str]]) -> tuple[Decimal, str, str] | None:
    """What the 成本指标 rows of a 绩效目标表 give in the 指标值 column (≤6万元), added up; their unit;
    as written. None when one of them gives no amount."""
    header = next((r for r in rows if any(squeeze(c) == "指标值" for c in r)), None)
    if header is None:
        return None
    j = next(k for k, c in enumerate(header) if squeeze(c) == "指标值")
    found = []
    for r in rows:
        if any("成本指标" in c for c in r[:2]) and j < len(r) and r is not header:
            m = _COST.match(squeeze(r[j]))
            if not m:
                return None
            found.append((amount(m.group(1)), "万元" if m.group(2) == "万" else m.group(2), r[j]))
    if not found or len({u for _, u, _ in found}) > 1 or any(v is None for v, _, _ in found):
        return None
    return sum((v for v, _, _ in found), Decimal(0)), found[0][1], "、".join(w for _, _, w in found)


def _target(rows: list[list[str]]) -> str:
    return next((c for r in rows if r and squeeze(r[0]) == "绩效目标" for c in r[1:2]), "")


def _match(name: str, items: list[tuple[str, Decimal | None, str]]) -> tuple[str, Decimal | None, str] | None:
    """The listed project a 绩效目标表's project name stands for: the same name, one containing the
    other, or the one sharing most of its characters (at least two thirds of the shorter name)."""
    n = squeeze(name)
    if not n:
        return None
    for item in items:
        if squeeze(item[0]) == n:
            return item
    contained = [i for i in items if squeeze(i[0]) and (squeeze(i[0]) in n or n in squeeze(i[0]))]
    if len(contained) == 1:
        return contained[0]

    def shared(a: str, b: str) -> float:
        return sum(min(a.count(ch), b.count(ch)) for ch in set(a)) / max(1, min(len(a), len(b)))
    scored = sorted(((shared(n, squeeze(i[0])), k) for k, i in enumerate(items) if squeeze(i[0])), reverse=True)
    if scored and scored[0][0] >= 2 / 3 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return items[scored[0][1]]
    return None


def _performance(ck: Checker, scope: ScopeDoc) -> None:
    if not scope.perf:
        return
    names = [p.project for p in scope.perf]
    items: list = []
    for line in scope.paragraphs:
        if "机关运行" in line.section or "项目" in line.section:
            _, found = listed_items(line.text, r"项目支出", names)
            items += found
    for perf in scope.perf:
        cost = _cost(perf.rows)
        item = _match(perf.project, items) if items else None
        if cost is not None and item is not None and item[1] is not None:
            ck.checks += 1
            value = in_unit(item[1], item[2], cost[1]) if item[2] != cost[1] else item[1]
            if value is not None and value != cost[0]:
                ck.add(PERFORMANCE, perf.title, f"成本指标“{cost[2]}”与情况说明所列的项目支出不一致",
                       [("成本指标", f"{cost[0]:f}{cost[1]}"), (f"项目支出（{item[0]}）", f"{item[1]:f}{item[2]}")],
                       page=perf.page)
        target = _target(perf.rows)
        m = re.search(rf"每人\s*({_NUMBER})\s*(万元|元|万)", target)
        expected = cost if cost is not None else (item[1], item[2], "") if item and item[1] is not None else None
        if m and expected is not None:
            people = [int(x) for x in re.findall(r"([0-9]+)\s*人", target[:m.start()])]
            if people:
                ck.checks += 1
                unit = "万元" if m.group(2) == "万" else m.group(2)
                per = amount(m.group(1))
                total = per * sum(people)
                total_in = in_unit(total, unit, expected[1]) if unit != expected[1] else total
                if total_in is not None and total_in != expected[0]:
                    ck.add(TARGET, perf.title,
                           f"绩效目标中的人数与标准（{'、'.join(map(str, people))}人 × 每人{m.group(1)}{m.group(2)}）"
                           f"与金额不一致", [("人数 × 标准", f"{total:f}{unit}"), ("金额", f"{expected[0]:f}{expected[1]}")],
                           page=perf.page)
