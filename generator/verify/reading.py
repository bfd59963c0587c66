"""Reading a publication: its blocks (wordfile.py, pdffile.py) as the department and its units
(scopes), each with its tables by kind, its 情况说明 by section, its 绩效目标表; the contents list;
every table found, recognised or skipped, and why.

Only what a reader sees is used: headings, table titles, captions and notes (单位：万元), header
texts, cell texts and sentences, never a style name or a field code. A table's header is found
wherever caption, unit, title or blank rows stand above it; its columns are found by their words
(layout.py), and a column it does not have is read as ``MISSING``, never as zero. The department's
name comes from its 收支预算 heading, else from the tables' captions (304某某局), else from the title
of its 情况说明.

This layer knows nothing of the checks (tables.py, narrative.py, disclosure.py, wording.py read
what it gives); the import of a publication reads it too.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from generator.figures.vocabulary import SANGONG, TABLE_NOT_SHOWN, TABLE_PART_SHOWN

from .blocks import Grid, Para, squeeze
from .layout import ASSETS, KIND, ORG, PERF, PROC, SG_CMP, T1, T2, T3, T4, T5, T6, T7, T8, T9, header_kind, title_kind
from .wordfile import UnreadableDocument

__all__ = ["ABROAD", "ASSETS", "HOST", "MISSING", "PROC", "SG_CMP", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8",
           "T9", "ZERO", "Caption", "Document", "Entry", "Line", "PerfTable", "ScopeDoc", "Seen", "Table",
           "UnreadableDocument", "amount", "read_blocks"]

ABROAD, HOST = SANGONG[0].name, SANGONG[3].name  # 三公 categories named in sentences
ZERO = Decimal(0)
MISSING = "\x00"  # the cell of a column the table does not have: never an amount, never compared
_ORDINAL = r"[一二三四五六七八九十百千零]+、"  # 一、 … 一百零一、 … 一千、: a unit heading of any size
_UNIT = re.compile(r"单位[：:]\s*(万元|元)")
_NUMBER = r"-?[0-9][0-9,]*(?:\.[0-9]+)?"
_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_CAPTION = re.compile(r"预算年度|单位[：:]\s*(?:万元|元)|编制单位|截止时间|截至[：:]?\s*[0-9]{4}")
_CODE_NAME = re.compile(r"^(?:编制单位[：:]\s*)?([0-9]{3,12})?\s*([^\s：:0-9][^\s：:]*)$")


_AMOUNTS: dict[str, Decimal | None] = {}  # text → amount: a cell is read by several checks (Decimal is immutable)


def amount(text: str) -> Decimal | None:
    """A cell or sentence amount: "" is zero, "1,234.50" is 1234.50, words (and a column the table
    does not have) are None."""
    try:
        return _AMOUNTS[text]
    except KeyError:
        pass
    value = _amount(text)
    if len(_AMOUNTS) >= 100_000:  # bounded: a long document's figures are mostly distinct
        _AMOUNTS.clear()
    _AMOUNTS[text] = value
    return value


def _amount(text: str) -> Decimal | None:
    if text == MISSING:
        return None
    t = text.strip().replace(",", "").replace("，", "").replace(" ", "")
    if t in ("", "-", "—", "－", "——", "/"):  # a blank or a dash: nothing (hand-made tables often dash a zero)
        return ZERO
    if _DECIMAL.fullmatch(t):
        try:
            return Decimal(t)
        except InvalidOperation:  # pragma: no cover - the pattern excludes it
            return None
    return None


@dataclass
class Caption:
    code: str = ""
    name: str = ""
    year: int | None = None
    unit: str | None = None
    text: str = ""


_CAPTION_TOKEN = re.compile(r"^(?:预算年度|编制单位|(?:金额)?单位[：:]|截止时间|截至|[0-9]{4}(?:年度?|[-./年][0-9]))")


def caption_of(texts: Iterable[str]) -> Caption | None:
    """The caption line of a table (304某某局 · 预算年度：2023 · 单位：万元), from its cells or its text;
    None when any part of it is something else (a header cell such as 价值（单位：万元）)."""
    texts = [t for t in texts if t and t != MISSING]
    joined = " ".join(texts)
    if not texts or len(joined) > 120 or not _CAPTION.search(joined) or re.search(r"[。，；]", joined):
        return None
    cap = Caption(text=joined)
    year = re.search(r"预算年度[：:]\s*([0-9]{4})", joined)
    cap.year = int(year.group(1)) if year else None
    unit = _UNIT.search(joined)
    cap.unit = unit.group(1) if unit else None
    tokens = [tok for t in texts for tok in re.split(r"\s+(?![：:]|万元|元|[0-9])", t.strip())]
    for token in tokens:
        named = re.match(r"^(?:编制单位|单位名称|部门名称|预算单位)[：:]\s*(\S+)$", token)
        if named:
            token = named.group(1)  # 编制单位：304某某局
        elif _CAPTION_TOKEN.match(token) or token in ("万元", "元"):
            continue
        m = _CODE_NAME.match(token)
        if not (m and re.search(r"[\u4e00-\u9fff]", m.group(2))) or cap.name:
            return None  # words that are no caption's
        cap.code, cap.name = m.group(1) or "", m.group(2)
    return cap


@dataclass
class Table:
    kind: str
    title: str
    header: list[str]  # a name per column the checks use (序号 excluded): the header's words where found
    rows: list[tuple[str, list[str]]]  # (序号 or "", cells in the columns' order; MISSING where absent)
    unit: str | None = None  # 万元 or 元, as its caption, note or header says
    page: int | None = None
    caption: Caption | None = None
    notes: list[str] = field(default_factory=list)  # 注：… under it (or in its last row)
    missing: list[str] = field(default_factory=list)  # the columns it does not have
    standard_title: bool = True
    absent: list[str] = field(default_factory=list)  # columns another stands for (Kind.stands_for): read as zero

    @property
    def empty(self) -> bool:
        """No body row holds anything (a table printed with blank rows only)."""
        return not any(c.strip() for _, cells in self.rows for c in cells if c != MISSING)

    @property
    def not_shown(self) -> bool:
        """Its note says the sources do not give its figures (本表不列示): printed blank, not added up."""
        return any(TABLE_NOT_SHOWN in n for n in self.notes)

    @property
    def part_shown(self) -> bool:
        """Its note says it shows only part of what it would (…未列入本表)."""
        return any(TABLE_PART_SHOWN in n for n in self.notes)


@dataclass
class PerfTable:
    title: str
    project: str
    rows: list[list[str]]
    page: int | None = None


@dataclass
class Line:
    section: str
    text: str
    page: int | None = None


@dataclass
class ScopeDoc:
    name: str
    is_unit: bool
    tables: dict[str, Table] = field(default_factory=dict)
    paragraphs: list[Line] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)  # the titles of its tables, in order
    code: str = ""
    heading: str = ""  # its 收支预算 heading as written ("" when it has none)
    page: int | None = None
    sections: list[tuple[str, int | None]] = field(default_factory=list)  # 情况说明's sections, in order
    explanation: str = ""  # the title of its 情况说明
    explanation_page: int | None = None
    perf: list[PerfTable] = field(default_factory=list)
    captions: list[tuple[str, Caption, int | None]] = field(default_factory=list)  # (table title, caption, page)


@dataclass
class Seen:
    """A table found in the document, for the list of what was checked."""
    scope: str
    title: str
    kind: str | None
    page: int | None
    read: bool
    reason: str = ""


@dataclass
class Entry:
    text: str
    label: str | None  # the page number it gives
    page: int | None   # the page of the contents it stands on


@dataclass
class Document:
    scopes: list[ScopeDoc]
    format: str = "docx"
    contents: list[Entry] = field(default_factory=list)
    lines: list[tuple[str, int | None, int]] = field(default_factory=list)  # short paragraphs: (text, page, scope)
    seen: list[Seen] = field(default_factory=list)
    cover: list[str] = field(default_factory=list)
    year: int | None = None
    labels: dict[int, str] = field(default_factory=dict)  # page → printed page number (PDF)
    pages: int = 0
    scanned: list[int] = field(default_factory=list)

    @property
    def department(self) -> ScopeDoc | None:
        return next((s for s in self.scopes if not s.is_unit), None)


# ------------------------------------------------------------------------------- tables

def _is_blank(row: list[str]) -> bool:
    return not any(c.strip() for c in row)


def _distinct(row: list[str]) -> list[str]:
    seen: list[str] = []
    for c in row:
        if c.strip() and c not in seen:
            seen.append(c)
    return seen


def _column_paths(header: list[list[str]], width: int) -> list[str]:
    paths = []
    for j in range(width):
        words: list[str] = []
        for row in header:
            w = squeeze(row[j]) if j < len(row) else ""
            if w and (not words or words[-1] != w):
                words.append(w)
        paths.append("/".join(words))
    return paths


def _align(paths: list[str], kind: str) -> tuple[list[int | None], list[str]]:
    """For each of the kind's columns, the table's column that holds it (None: not found), in
    order; and the header's words for each."""
    expected = KIND[kind].columns
    found: list[int | None] = [None] * len(expected)
    pos = 0
    for j, path in enumerate(paths):
        if not path:
            continue
        for k in range(pos, len(expected)):
            if re.search(expected[k][1], path):
                found[k], pos = j, k + 1
                break
    if kind == SG_CMP and found[1] is not None and found[2] is not None:
        years = [re.search(r"[0-9]{4}", paths[found[k]]) for k in (1, 2)]
        if all(years) and int(years[0].group()) > int(years[1].group()):
            found[1], found[2] = found[2], found[1]  # this year's column first, the prior year's second
    labels = [paths[j].rsplit("/", 1)[-1] if j is not None else name for j, (name, _) in zip(found, expected)]
    return found, labels


def split_rows(rows: list[list[str]], marked: int = 0) -> tuple[list[list[str]], list[list[str]], list[list[str]],
                                                                list[str]]:
    """A table's rows as (caption rows, header rows, body rows, notes): caption, unit, title and blank
    rows above the header are set apart wherever they stand, as are 注 rows under the body.
    ``marked``: the leading rows the table marks as its header (a body whose figures are all blank,
    unknown, would otherwise be read as more header)."""
    rows = [list(r) for r in rows]
    captions: list[list[str]] = []
    notes: list[str] = []
    while rows and (_is_blank(rows[0]) or caption_of(_distinct(rows[0])) is not None
                    or (len(_distinct(rows[0])) == 1 and title_kind(_distinct(rows[0])[0])[0] is not None)):
        captions.append(rows.pop(0))
        marked = max(0, marked - 1)
    while rows and (_is_blank(rows[-1]) or (len(_distinct(rows[-1])) == 1 and _distinct(rows[-1])[0].startswith("注"))):
        last = rows.pop()
        notes[:0] = _distinct(last)
    marker = next((i for i, r in enumerate(rows) if any(squeeze(c) == "栏次" for c in r[:2])), None)
    if marker is not None:
        return captions, rows[:marker], [r for r in rows[marker + 1:]], notes
    if 0 < marked < len(rows):
        return captions, rows[:marked], rows[marked:], notes
    numbered = bool(rows) and any(squeeze(r[0]) == "序号" for r in rows[:4] if r)
    i = next((k for k, r in enumerate(rows)
              if (numbered and re.fullmatch(r"[0-9]+", r[0].strip()))
              or (not numbered and k > 0 and any(c.strip() and amount(c) is not None for c in r[1:]))), None)
    if i is None:  # no body row with a figure (an empty table): the header is the rows up to the first blank
        i = next((k for k, r in enumerate(rows) if k > 0 and _is_blank(r)), len(rows))
    return captions, rows[:i], rows[i:], notes


def structure(kind: str, grid: list[list[str]], marked: int = 0) -> tuple[list[str], list[tuple[str, list[str]]],
                                                                        list[str], list[list[str]], list[str],
                                                                        list[str]]:
    """(header names, body rows in the kind's columns, columns not found, caption rows, notes, columns
    another stands for: read as blank, Kind.stands_for)."""
    captions, header, body, notes = split_rows(grid, marked)
    width = max((len(r) for r in grid), default=0)
    paths = _column_paths(header, width)
    numbered = bool(paths) and paths[0].startswith("序号")
    found, labels = _align(paths[1:] if numbered else paths, kind)
    absent = _absent(kind, found)
    offset = 1 if numbered else 0
    out: list[tuple[str, list[str]]] = []
    for r in body:
        if _is_blank(r) and not out:
            out.append(("", [""] * len(found)))
            continue
        seq = r[0].strip() if numbered and r else ""
        cells = [(r[j + offset] if j + offset < len(r) else "") if j is not None
                 else "" if name in absent else MISSING for j, (name, _) in zip(found, KIND[kind].columns)]
        out.append((seq, cells))
    missing = [name for (name, _), j in zip(KIND[kind].columns, found) if j is None and name not in absent]
    return labels, out, missing, captions, notes, absent


def _absent(kind: str, found: list[int | None]) -> list[str]:
    """The columns a table does not have because another stands for them (Kind.stands_for): the others
    where it has the one (收入总表's POOLED column for the other sources), else the one."""
    if KIND[kind].stands_for is None:
        return []
    one, others = KIND[kind].stands_for
    names = [name for name, _ in KIND[kind].columns]
    if found[names.index(one)] is None:
        return [one]
    return [name for name in others if found[names.index(name)] is None]


# ------------------------------------------------------------------------------- the document

_CONTENTS_ENTRY = re.compile(r"^(.*?[^\s.．…·•_\-—])[\s.．…·•_\-—]*\t?\s*([0-9]{1,5})$")
_LEADER = re.compile(r"[.．…·•_]{3,}|\t")


class _Reader:
    def __init__(self, fmt: str) -> None:
        self.doc = Document([], fmt)
        self.current = ScopeDoc("", False)
        self.part = ""  # "", "department" (第一部分) or "unit" (第二部分)
        self.title, self.title_page, self.title_standard = "", None, True
        self.section = ""
        self.unit: str | None = None
        self.caption: Caption | None = None
        self.contents_mode = False
        self.started = False  # the body has begun (a part, a scope or a table)
        self.last_table: Table | None = None

    # -- scopes
    def new_scope(self, name: str, heading: str, page: int | None, is_unit: bool) -> None:
        cur = self.current
        if cur.tables or any(line.section for line in cur.paragraphs) or cur.heading:
            self.doc.scopes.append(cur)
            self.current = ScopeDoc(name, is_unit)
        else:
            cur.name, cur.is_unit = name or cur.name, is_unit
        self.current.heading, self.current.page = heading, page
        self.title, self.section, self.caption, self.last_table = "", "", None, None

    def scope_index(self) -> int:
        return len(self.doc.scopes)

    # -- paragraphs
    def para(self, p: Para) -> None:
        text = p.text.strip()
        if not text:
            return
        short = len(text) <= 60
        flat = squeeze(text)
        if p.contents:
            m = re.match(r"^(.*?)[\s.．…·•_]*\t\s*([0-9]{1,5})?\s*$", text) if "\t" in text else None
            label = m.group(2) if m else None
            self.doc.contents.append(Entry(squeeze(_LEADER.sub("", m.group(1) if m else text)), label, p.page))
            self.contents_mode = False  # Word's own contents: its entries are styled, the body's are not
            return
        if self.contents_mode and self.contents_entry(text, p.page):
            return
        if flat in ("目录", "目次") and not self.started:
            self.contents_mode = True
            return
        if short and not self.started and not self.doc.contents and title_kind(text)[0] is None \
                and not flat.startswith("第") and not flat.endswith("收支预算"):
            self.doc.cover.append(text)
        if short:
            self.doc.lines.append((flat, p.page, self.scope_index()))
        if short and re.match(r"^第[一二三四五六七八九十]+部分", flat) and "绩效" not in flat:
            self.started = True
            if "单位" in flat and ("所属" in flat or "单位预算" in flat):
                # the units' part; a contents list typed as plain text mentions it before any table
                if self.current.tables or self.doc.scopes:
                    self.part = "unit"
            elif self.part == "":
                self.part = "department"
            return
        if short and flat.endswith("收支预算") and not flat.startswith("第"):
            self.started = True
            name = re.sub(rf"^{_ORDINAL}", "", flat)[:-len("收支预算")]
            self.new_scope(name, text, p.page, self.part == "unit")
            return
        kind, standard = title_kind(text) if short else (None, False)
        if kind is not None:
            self.started = True
            self.title, self.title_page, self.title_standard = text, p.page, standard
            self.current.titles.append(text)
            self.caption = None
            return
        cap = caption_of(text.split()) if short or len(text) <= 120 else None
        if cap is not None and not re.search(r"[，。；]", text):
            self.caption = cap if (cap.name or cap.year) else (self.caption or cap)
            if cap.unit:
                self.unit = cap.unit
            return
        if text.startswith("注") and self.last_table is not None and len(text) < 200:
            self.last_table.notes.append(text)
            return
        self.last_table = None
        if short and text.endswith("情况说明") and re.search(r"[0-9]{4}", text):
            self.current.explanation, self.current.explanation_page = text, p.page
            self.section = ""
            if not self.current.name:
                m = re.match(r"^(.*?)[0-9]{4}年", flat)
                self.current.name = m.group(1) if m else ""
            return
        if short and re.match(_ORDINAL, text) and not re.search(r"[。；]", text):
            self.section = text
            self.current.sections.append((text, p.page))
        self.current.paragraphs.append(Line(self.section, text, p.page))

    def contents_entry(self, text: str, page: int | None) -> bool:
        """A line of a typed contents list (…部门预算收支总表……4); False ends the list."""
        flat = squeeze(text)
        m = _CONTENTS_ENTRY.match(text) if _LEADER.search(text) or re.search(r"\s[0-9]{1,5}$", text) else None
        labelled = any(e.label for e in self.doc.contents)
        if m:
            self.doc.contents.append(Entry(squeeze(_LEADER.sub("", m.group(1))), m.group(2), page))
            return True
        if labelled or len(text) > 60 or re.search(r"[。；，]", text):
            self.contents_mode = False
            return False
        if self.doc.contents and flat == self.doc.contents[0].text:
            self.contents_mode = False  # the body starts with the contents' first heading
            return False
        self.doc.contents.append(Entry(flat, None, page))
        return True

    # -- tables
    def grid(self, g: Grid) -> None:
        rows = g.rows
        if self.contents_mode:
            self.contents_mode = False
        if not rows or _is_blank([c for r in rows for c in r]):
            return
        width = max(len(r) for r in rows)
        if len(rows) == 1 and width <= 3:  # the caption line above a table (单位名称, 预算年度, 单位)
            cap = caption_of(_distinct(rows[0]))
            if cap is not None:
                self.caption = cap if (cap.name or cap.year) else (self.caption or cap)
                self.unit = cap.unit or self.unit
                return
        if len(rows) == 1 and len(_distinct(rows[0])) == 1:
            self.para(Para(_distinct(rows[0])[0], g.page))  # a paragraph in a one-cell frame
            return
        self.started = True
        captions, header, _, _ = split_rows(rows, g.header_rows)
        head_words = " ".join(c for r in header for c in r)
        title, page, standard = self.title, self.title_page or g.page, self.title_standard
        for r in captions:  # a title typed in the table's first row
            k, std = title_kind(_distinct(r)[0]) if len(_distinct(r)) == 1 else (None, False)
            if k is not None and not title:
                title, standard = _distinct(r)[0], std
                self.current.titles.append(title)
        kind = header_kind(head_words) or (title_kind(title)[0] if title else None)
        self.title, self.title_page, self.title_standard = "", None, True
        cap = next((c for c in (caption_of(_distinct(r)) for r in captions) if c is not None), None)
        caption = self.caption if cap is None else cap
        if cap is not None and cap.unit is None and self.caption is not None:
            cap.unit = self.caption.unit
        in_header = [m.group(1) for m in (_UNIT.search(c) for r in [*captions, *header] for c in r) if m]
        unit = in_header[0] if in_header else (caption.unit if caption and caption.unit else self.unit)
        self.caption, self.unit = None, None
        scope = self.current
        if kind is None:
            what = title or (f"{self.section}中的表格" if self.section else "") or f"表头为“{head_words[:30]}”的表格"
            self.doc.seen.append(Seen(scope.name, what, None, page, False, "未能识别是哪张表"))
            return
        if kind == ORG:
            return
        if kind == PERF:
            m = re.fullmatch(r"\s*(?:[0-9]+[、.．]\s*)?(.+?)绩效目标表\s*", title or "")
            scope.perf.append(PerfTable(title or self.section, m.group(1) if m else "", rows, page))
            return
        if (kind in scope.tables or (self.part == "unit" and not scope.is_unit and title.startswith("单位"))) \
                and kind not in (SG_CMP,):
            # the same table again, or a unit's table under the department: a new scope begins
            name = caption.name if caption else ""
            self.new_scope(name, "", page, self.part == "unit" or title.startswith("单位"))
            scope = self.current
        if kind in scope.tables:
            self.doc.seen.append(Seen(scope.name, title, kind, page, False, "同一部分中重复出现，只核对第一张"))
            return
        header_names, body, missing, _, notes, absent = structure(kind, rows, g.header_rows)
        expected = KIND[kind].columns
        if len(missing) * 2 > len(expected) or len(missing) == len(expected):
            self.doc.seen.append(Seen(scope.name, title or self.section, kind, page, False,
                                      f"表头中找不到这些列：{'、'.join(missing)}"))
            return
        table = Table(kind, title or self.section, header_names, body, unit, page, caption, notes, missing, standard,
                      absent)
        scope.tables[kind] = table
        if caption is not None:
            scope.captions.append((table.title, caption, page))
            if not scope.name and caption.name:
                scope.name = caption.name
            if not scope.code and caption.code and caption.name == scope.name:
                scope.code = caption.code
        self.last_table = table
        reason = f"缺少列：{'、'.join(missing)}，这些列不核对" if missing else ""
        self.doc.seen.append(Seen(scope.name, table.title, kind, page, True, reason))

    def finish(self) -> Document:
        cur = self.current
        if cur.tables or cur.paragraphs or cur.heading:
            self.doc.scopes.append(cur)
        doc = self.doc
        doc.scopes = [s for s in doc.scopes if s.tables or any(line.section for line in s.paragraphs) or s.perf]
        if not any(s.tables for s in doc.scopes):
            raise UnreadableDocument("文件中没有找到部门预算公开的表格（如“部门预算收支总表”），无法核对。")
        if self.part == "":  # no 第一部分/第二部分: a part is the department's or a unit's by its tables' titles
            for s in doc.scopes:  # (a publication of one unit's budget, 单位预算…, has one scope, a unit)
                s.is_unit = bool(s.titles) and sum(t.startswith("单位") for t in s.titles) * 2 > len(s.titles)
        for s in doc.scopes[1:]:  # a unit's part typed without 第二部分
            s.is_unit = s.is_unit or (bool(s.titles) and sum(t.startswith("单位") for t in s.titles) * 2 > len(s.titles))
        for s in doc.scopes:
            if not s.name:
                s.name = "（未命名）"
        for seen in doc.seen:
            if not seen.scope:
                seen.scope = next((s.name for s in doc.scopes), "")
        years = Counter(c.year for s in doc.scopes for _, c, _ in s.captions if c.year)
        if years:
            doc.year = years.most_common(1)[0][0]
        else:
            found = [int(m.group(1)) for s in doc.scopes for m in [re.search(r"([0-9]{4})年", s.explanation)] if m]
            found += [int(m.group(1)) for t in doc.cover for m in [re.search(r"([0-9]{4})年", t)] if m]
            doc.year = Counter(found).most_common(1)[0][0] if found else None
        return doc


def read_blocks(blocks: Iterable[Para | Grid], fmt: str = "docx") -> Document:
    """The publication the blocks make."""
    reader = _Reader(fmt)
    for block in blocks:
        if isinstance(block, Grid):
            reader.grid(block)
        else:
            reader.para(block)
    return reader.finish()
