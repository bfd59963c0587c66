"""What a publication must hold, beyond its arithmetic: every table and section of the region's
layout (layout.py) in the department's part and in each unit's; a note under every empty or partial
table; titles and captions that belong to the part they stand in; the budget year in titles,
captions and headings (and the prior year where a comparison is made); the contents list against
the body (its entries, their order and, in a PDF, their page numbers).
"""

from __future__ import annotations

import re

from .blocks import squeeze
from .findings import ERROR, WARNING, register
from .layout import KIND, MISWORDED, NINE, PROC, SG_CMP, T5, T6, Layout
from .reading import Document, ScopeDoc, amount
from .tables import Checker, _total_row

MISSING_TABLE = register("structure.table", ERROR, "部门和每个单位都有本地区格式规定的每一张表")
MISSING_SECTION = register("structure.section", ERROR, "情况说明有规定的每一节")
TITLE = register("structure.title", WARNING, "表题用规范的名称")
PART = register("structure.part", ERROR, "表题和表头的编制单位属于它所在的部分（部门或本单位）")
NOTE = register("note.empty", ERROR, "空表和只列示部分数据的表下有说明（空表列示、未提供经济分类明细……）")
YEAR = register("year", ERROR, "标题、表头和文中说的是预算年度（比较处说的是上年）")
YEAR_ASSETS = register("year.assets", WARNING, "固定资产占用情况表的截止时间是上年末")
SCANNED = register("pdf.scanned", WARNING, "PDF 的每一页都有文字层（扫描的页无法核对）")
CONTENTS = register("contents", ERROR, "目录的条目在正文中都有、顺序一致，PDF 的页码与正文所在页一致")


def _where(scope: ScopeDoc) -> str:
    return scope.heading or f"{scope.name}{'单位' if scope.is_unit else '部门'}部分"


def _word(scope: ScopeDoc) -> str:
    return "单位" if scope.is_unit else "部门"


def check_document(ck: Checker, doc: Document, layout: Layout) -> None:
    both = any(s.is_unit for s in doc.scopes) and any(not s.is_unit for s in doc.scopes)
    seen: dict[str, set] = {}
    for s in doc.seen:
        if s.kind:
            seen.setdefault(s.scope, set()).add(s.kind)
    for scope in doc.scopes:
        ck.scope = scope.name
        _required(ck, seen.get(scope.name, set()), scope, layout)
        _titles(ck, doc, scope, both)
        _notes(ck, scope)
        _years(ck, doc, scope)
    ck.scope = doc.scopes[0].name if doc.scopes else ""
    _contents(ck, doc)
    for page in doc.scanned:
        ck.add(SCANNED, f"第{page}页", "这一页是图片（扫描件），没有文字层，其中的内容未核对", page=page)


def _required(ck: Checker, seen: set, scope: ScopeDoc, layout: Layout) -> None:
    """``seen``: the kinds of the tables found in the scope, read or not."""
    for kind in layout.tables:
        ck.checks += 1
        if kind in scope.tables or kind in seen:
            continue
        if kind == PROC and not any("政府采购" in line.section and "下表" in line.text for line in scope.paragraphs) \
                and any("政府采购" in line.section for line in scope.paragraphs):
            continue  # procurement stated by category only, the text announcing no table of items
        title = (f"{_word(scope)}预算{KIND[kind].title}" if kind in NINE
                 else f"{_word(scope)}{KIND[kind].title}" if kind != SG_CMP else "“三公”经费预算比较表")
        ck.add(MISSING_TABLE, _where(scope), f"缺少“{title}”", page=scope.page)
    if layout.explanation:
        ck.checks += 1
        if not scope.explanation:
            ck.add(MISSING_SECTION, _where(scope), f"缺少{_word(scope)}预算信息公开情况说明（…年{_word(scope)}预算信息公开情况说明）",
                   page=scope.page)
            return
    headings = [re.sub(r"^[一二三四五六七八九十]+、", "", squeeze(h)) for h, _ in scope.sections]
    for section in layout.sections:
        ck.checks += 1
        if not any(re.search(section.pattern, h) for h in headings):
            ck.add(MISSING_SECTION, f"{scope.explanation or _where(scope)}",
                   f"情况说明缺少“{section.name}”一节", page=scope.explanation_page)


def _titles(ck: Checker, doc: Document, scope: ScopeDoc, both: bool) -> None:
    department = doc.department
    for table in scope.tables.values():
        if table.kind == SG_CMP:
            continue
        ck.checks += 1
        title = squeeze(table.title)
        if not table.standard_title and table.kind in MISWORDED:
            wrong, right = MISWORDED[table.kind]
            ck.add(TITLE, table.title, f"表题不规范，应为“{re.sub(wrong, right, table.title)}”", page=table.page)
        wrong = []
        if both and title.startswith("部门" if scope.is_unit else "单位"):
            wrong.append(f"表题是“{table.title}”")
        cap = table.caption
        if cap is not None and cap.name and both:
            if squeeze(cap.name) != squeeze(scope.name) and (not cap.code or not scope.code or cap.code != scope.code):
                owner = "部门" if department is not None and squeeze(cap.name) == squeeze(department.name) else "其他单位"
                wrong.append(f"表头的编制单位是{owner}（{cap.code}{cap.name}）")
        if wrong:
            ck.add(PART, table.title, f"这张表在{scope.name}的{_word(scope)}部分，但{'，'.join(wrong)}", page=table.page)


def _notes(ck: Checker, scope: ScopeDoc) -> None:
    for table in scope.tables.values():
        if table.kind not in (*NINE, PROC):
            continue
        ck.checks += 1
        if table.empty and not table.notes:
            ck.add(NOTE, table.title, "空表下没有说明（如“注：无…，空表列示。”）", page=table.page)
    t5, t6 = scope.tables.get(T5), scope.tables.get(T6)
    if t5 is not None and t6 is not None and not t6.empty and not t6.notes:
        ck.checks += 1
        basic, shown = _cell(_total_row(t5), 3), _cell(_total_row(t6), 2)
        if basic is not None and shown is not None and shown < basic:
            ck.add(NOTE, t6.title, f"表中合计小于{t5.title}的基本支出，只列示了部分基本支出，表下没有说明哪些未列示",
                   [(t6.title + " 合计", f"{shown:f}"), (t5.title + " 基本支出", f"{basic:f}")], page=t6.page)


def _cell(row, j: int):
    if row is None or j >= len(row[1]):
        return None
    return amount(row[1][j])


_YEAR = re.compile(r"(?<![0-9])(20[0-9]{2})\s*年")


def _years(ck: Checker, doc: Document, scope: ScopeDoc) -> None:
    year = doc.year
    if year is None:
        return
    for title, cap, page in scope.captions:
        ck.checks += 1
        if cap.year is not None and cap.year != year:
            ck.add(YEAR, title, f"表头的预算年度是 {cap.year}，而文件是 {year} 年预算", page=page)
    if scope.explanation:
        ck.checks += 1
        found = _YEAR.search(scope.explanation)
        if found and int(found.group(1)) != year:
            ck.add(YEAR, scope.explanation, f"标题中的年度是 {found.group(1)} 年，而文件是 {year} 年预算",
                   page=scope.explanation_page)
    for heading, page in scope.sections:
        ck.checks += 1
        found = _YEAR.search(heading)
        if found and int(found.group(1)) not in (year, year - 1):
            ck.add(YEAR, heading, f"标题中的年度是 {found.group(1)} 年，而文件是 {year} 年预算", page=page)
    for line in scope.paragraphs:
        found = re.match(r"^\s*(20[0-9]{2})\s*年(?:度)?[，,]?\s*(?:我|本|部门|单位|.{0,30}?安排)", line.text)
        if found and line.section:
            ck.checks += 1
            if int(found.group(1)) != year:
                ck.add(YEAR, f"{line.section} “{line.text[:40]}”",
                       f"文中说的是 {found.group(1)} 年，而文件是 {year} 年预算", page=line.page)
    cmp_ = scope.tables.get(SG_CMP)
    if cmp_ is not None:
        ck.checks += 1
        prior, current = (cmp_.header[k] if k < len(cmp_.header) else "" for k in (1, 2))
        for label, expected, what in ((prior, year - 1, "上年"), (current, year, "本年")):
            found = re.search(r"(20[0-9]{2})", label)
            if found and int(found.group(1)) != expected:
                ck.add(YEAR, f"{cmp_.title} 表头“{label}”", f"比较表的{what}应为 {expected} 年", page=cmp_.page)
    assets = [(c, p) for t, c, p in scope.captions if "截止" in c.text or "截至" in c.text]
    for cap, page in assets:
        found = re.search(r"(20[0-9]{2})[-年./]", cap.text)
        ck.checks += 1
        if found and int(found.group(1)) != year - 1:
            ck.add(YEAR_ASSETS, f"固定资产占用情况表 “{cap.text}”", f"资产的截止时间应为上年末（{year - 1} 年）", page=page)
    for text in doc.cover if scope is doc.scopes[0] else ():
        found = _YEAR.search(text)
        ck.checks += 1
        if found and int(found.group(1)) != year:
            ck.add(YEAR, f"封面 “{text}”", f"封面的年度是 {found.group(1)} 年，而文件是 {year} 年预算", page=1 if doc.pages else None)


# -------------------------------------------------------------------------- contents

def _contents(ck: Checker, doc: Document) -> None:
    entries = [e for e in doc.contents if e.text]
    if not entries:
        return
    lines = doc.lines
    texts = [t for t, _, _ in lines]
    pos = 0
    pages_known = doc.format == "pdf"
    for entry in entries:
        ck.checks += 1
        at = _find(texts, entry.text, pos)
        if at is None:
            earlier = _find(texts, entry.text, 0)
            if earlier is None:
                ck.add(CONTENTS, f"目录 “{entry.text}”", "目录中的条目在正文中找不到", page=entry.page)
            else:
                ck.add(CONTENTS, f"目录 “{entry.text}”", "目录中的顺序与正文不一致", page=entry.page)
            continue
        pos = at + 1
        if not pages_known or entry.label is None:
            continue
        page = lines[at][1]
        printed = doc.labels.get(page) if doc.labels else str(page)
        if printed is not None and printed != entry.label:
            ck.add(CONTENTS, f"目录 “{entry.text}”",
                   f"目录中的页码是 {entry.label}，而正文中它在第 {printed} 页", [("目录页码", entry.label),
                                                                              ("正文页码", printed)], page=entry.page)


def _find(texts: list[str], text: str, start: int) -> int | None:
    """The first body line at or after ``start`` that is ``text`` (or begins it, the rest on the next line)."""
    for i in range(start, len(texts)):
        t = texts[i]
        if t == text:
            return i
        if text.startswith(t) and len(t) >= 4 and i + 1 < len(texts) and t + texts[i + 1] == text:
            return i
    return None
