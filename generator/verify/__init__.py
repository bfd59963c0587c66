"""budgetpub verify: read a budget publication (.docx) and add it up again.

The reader relies only on what a reader of the document sees: headings and
table titles (…收支总表, …收入总表), header texts, cell texts and the sentences
of the 情况说明. It does not need the YAML sources, so it checks documents made
by budgetpub and documents made by hand alike.

What it checks, for the department and for each unit:

- within a table: every parent row of a function tree (类 = Σ款, 款 = Σ项) and of
  the economic tree (类 = Σ款; 款 = Σ its 7-digit sub-items where a region prints them),
  every 合计 row, 合计 = 基本支出 + 项目支出 (+ the other kinds), 合计 = 人员经费 + 公用经费,
  收入总计 = 本年收入合计 + 上年结转结余, 收入总计 = 支出总计, the 三公 rows (合计 = 出国 + 车辆 + 接待, 车辆 = 购置 + 运维);
- between tables: T1's totals and classes equal T3's; T2 and T3 have the same
  row totals; T2's income columns equal T1's income rows; T5 / T7 / T8 are the
  general-budget / fund / state-capital columns of T4; T6's 合计 is T5's 基本支出;
- 上年结转 (the stated rule): T1 shows the carry-over available (上年结转结余) and
  the carry-over left (年终结转结余); T2's 上年结转 column shows the carry-over
  spent this year, so T2 上年结转 = T1 上年结转结余 − T1 年终结转结余;
- the department against its units (when the units' tables are present): every
  amount of every table equals the sum of the units' amounts in the same row;
- the narrative against the tables: 收入, 支出, 基本支出, 人员经费, 公用经费, 项目支出,
  经营支出…, 结转结余, 机关运行经费 (and its items; a unit that states one states its T6 公用经费,
  the department's is the sum of those units'), 三公 (and the comparison table),
  政府采购, 固定资产; the 比上年增减 sentence adds up.

Amounts are Decimal, read from the cell and sentence texts. Units come from the captions and
notes (单位：元 / 单位：万元) and the sentences; an amount in 元 is compared with one in 万元 by
rounding it once (ROUND_HALF_UP, as budgetpub shows it), and a sum of such rounded figures may
differ from its rounded total by 0.005 × (parts + 1). Blank cells are zero, except in the
固定资产 and 三公 comparison tables, which print zero as 0.00 and leave unknown figures blank.
Exit code: 0 when everything agrees, 1 when there is a disagreement, 2 when the
file cannot be read as a publication.

reading.py reads the document, tables.py and narrative.py check it.

May import: errors, files (reading untrusted files), and of the other parts only what reading needs: figures.vocabulary (the
words), figures.money (units and rounding) and document.ooxml (paragraph text). Never compute or
the model: the verifier re-adds independently what was computed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.errors import BudgetpubError, visible
from generator.files import Refused, read_regular

from . import disclosure, wording
from .findings import CHECKS, ERROR, WARNING, Disagreement, Finding
from .layout import DEFAULT, Layout, LayoutError
from .layout import load as load_layout
from .narrative import check_narrative, running_costs_of_units
from .pdffile import Layout as Pages
from .pdffile import pdf_blocks
from .reading import (ASSETS, PROC, SG_CMP, T1, T2, T3, T4, T5, T6, T7, T8, T9, Document, Seen, UnreadableDocument,
                      amount, read_blocks)
from .tables import (
    Checker,
    check_assets,
    check_cross,
    check_procurement,
    check_row_sums,
    check_sangong_comparison,
    check_t1,
    check_t4,
    check_t9,
    check_tree,
    check_units,
)
from .wordfile import docx_blocks

__all__ = ["CHECKS", "ERROR", "WARNING", "Disagreement", "Document", "Finding", "GeneratedDocumentDisagrees",
           "GeneratedDocumentUnreadable",
           "Layout", "LayoutError", "Result", "UnreadableDocument", "amount", "check_generated", "load_layout",
           "read_document", "verify_bytes", "verify_document", "verify_path"]

# the codes about what the sources' authors wrote (their words, their dates): generation does not call
# a document with such a finding its own bug (exit 3); ``check`` and ``verify`` report them
AUTHORED = (*wording.AUTHORED, disclosure.YEAR_ASSETS)
MAX_BYTES = 512 * 1024 * 1024  # a file larger than this is not a budget publication
SCOPES_NAMED = 6  # the summary line names this many parts; a department of 200 units is not 200 names


class GeneratedDocumentDisagrees(BudgetpubError):
    """A document budgetpub has just rendered does not add up: a bug in budgetpub, not in the sources."""

    exit_code = 3
    multiline = True  # the result's lines, one disagreement a line

    def __init__(self, result: "Result"):
        super().__init__("刚生成的文件未通过核对，未写入任何文件。这是 budgetpub 的缺陷（不是数据的错误），"
                         "请把以下内容报告给维护者：\n" + result.format())
        self.result = result


class GeneratedDocumentUnreadable(BudgetpubError):
    """A document budgetpub has just rendered from its own template cannot be read back to be verified
    (it passes one of the reading's bounds: a compression ratio, a count of cells): a bug, not the sources'."""

    exit_code = 3

    def __init__(self, reason: str):
        super().__init__(f"刚生成的文件无法读回核对，未写入任何文件。{reason}这是 budgetpub 的缺陷（不是数据的错误），"
                         "请把这段话报告给维护者。")


@dataclass
class Result:
    scopes: list[str]
    checks: int
    disagreements: list[Disagreement]
    seen: list[Seen] = field(default_factory=list)  # every table found: checked, or skipped and why
    fmt: str = "docx"  # docx or pdf
    year: int | None = None
    labels: dict[int, str] = field(default_factory=dict)  # PDF: page → its printed number

    @property
    def errors(self) -> list[Disagreement]:
        return [d for d in self.disagreements if d.severity == ERROR]

    @property
    def warnings(self) -> list[Disagreement]:
        return [d for d in self.disagreements if d.severity != ERROR]

    @property
    def ok(self) -> bool:
        """No error (warnings of wording may remain): exit 0."""
        return not self.errors

    @property
    def name(self) -> str:
        return self.scopes[0] if self.scopes else ""

    def page_text(self, page: int | None) -> str:
        if page is None:
            return ""
        label = self.labels.get(page)
        return f"第{page}页" + (f"（页码 {label}）" if label and label != str(page) else "")

    def line(self, d: Disagreement) -> str:
        at = self.page_text(d.page)
        return f"{d.severity}[{d.code}] " + (f"{at}｜" if at else "") + d.format()

    def format(self, tables: bool = False) -> str:
        lines = [self.line(d) for d in self.disagreements]
        if tables:
            lines += self.tables_text()
        who = "、".join(self.scopes) if len(self.scopes) <= SCOPES_NAMED else (
            "、".join(self.scopes[:SCOPES_NAMED - 1]) + f"……（部门及所属单位共 {len(self.scopes)} 个部分）")
        if not self.disagreements:
            lines.append(f"核对通过：{who}，共核对 {self.checks} 处，表与表、表与文字均一致。")
        elif self.ok:
            lines.append(f"核对通过，有 {len(self.warnings)} 处警告（文字问题，请修改后再公开；共核对 {self.checks} 处；{who}）。")
        else:
            lines.append(f"发现 {len(self.disagreements)} 处问题（错误 {len(self.errors)} 处，警告 {len(self.warnings)} 处；"
                         f"共核对 {self.checks} 处；{who}）。")
        return "\n".join(lines)

    def tables_text(self) -> list[str]:
        """The tables found: those checked, and those skipped with the reason."""
        read = [s for s in self.seen if s.read]
        skipped = [s for s in self.seen if not s.read]
        lines = [f"识别并核对的表格 {len(read)} 张" + ("：" if read else "。")]
        lines += [f"  {s.scope}｜{s.title}" + (f"（{self.page_text(s.page)}）" if s.page else "")
                  + (f"：{s.reason}" if s.reason else "") for s in read]
        lines.append(f"跳过的表格 {len(skipped)} 张" + ("：" if skipped else "。"))
        lines += [f"  {s.scope}｜{s.title}" + (f"（{self.page_text(s.page)}）" if s.page else "") + f"：{s.reason}"
                  for s in skipped]
        return lines

    def to_json(self) -> dict:
        return {"ok": self.ok, "scopes": self.scopes, "checks": self.checks, "format": self.fmt, "year": self.year,
                "disagreements": [{**{k: v for k, v in d.__dict__.items() if k != "values"},
                                   "severity": d.severity, "page_label": self.labels.get(d.page) if d.page else None,
                                   "values": [{"what": a, "value": b} for a, b in d.values],
                                   "message": d.format()} for d in self.disagreements],
                "tables": [{"scope": s.scope, "title": s.title, "kind": s.kind, "page": s.page, "checked": s.read,
                            "reason": s.reason} for s in self.seen]}


_WITHIN_TABLE = {
    T1: [check_t1],
    T2: [lambda ck, t: check_tree(ck, t, (3, 5, 7)), lambda ck, t: check_row_sums(ck, t, 2, [3, 12]),
         lambda ck, t: check_row_sums(ck, t, 3, list(range(4, 12)))],
    T3: [lambda ck, t: check_tree(ck, t, (3, 5, 7)), lambda ck, t: check_row_sums(ck, t, 2, [3, 4, 5, 6, 7])],
    T4: [check_t4],
    **{k: [lambda ck, t: check_tree(ck, t, (3, 5, 7)), lambda ck, t: check_row_sums(ck, t, 2, [3, 4])]
       for k in (T5, T7, T8)},
    T6: [lambda ck, t: check_tree(ck, t, (3, 5, 7)), lambda ck, t: check_row_sums(ck, t, 2, [3, 4])],
    T9: [check_t9],
    PROC: [check_procurement],
    ASSETS: [check_assets],
}


def _arithmetic(ck: Checker, doc: Document) -> None:
    # a table whose note says its figures are not given (本表不列示: printed blank) is not added up
    scopes = [replace(s, tables={k: t for k, t in s.tables.items() if not t.not_shown}) for s in doc.scopes]
    for scope in scopes:
        ck.scope = scope.name
        tabs = scope.tables
        ck.pages = {t.title: t.page for t in tabs.values()}
        for kind, checks in _WITHIN_TABLE.items():
            if kind in tabs:
                ck.rounding = ck.rounded(tabs[kind].unit)  # a 万元 table of a 元 document: rounded figures
                ck.page = tabs[kind].page
                for check in checks:
                    check(ck, tabs[kind])
        if SG_CMP in tabs:
            ck.rounding = ck.rounded(tabs[SG_CMP].unit)
            ck.page = tabs[SG_CMP].page
            check_sangong_comparison(ck, tabs[SG_CMP], tabs.get(T9))
        ck.rounding, ck.page = False, None
        # T6 shows part of T5's 基本支出: its note says so (…未列入本表), or a hand-made document's text does
        check_cross(ck, tabs, (T6 in tabs and tabs[T6].part_shown)
                    or any("未按经济分类" in line.text for line in scope.paragraphs))
        overrides = {}
        at_most: tuple[str, ...] = ()
        if not scope.is_unit and any(s.is_unit for s in scopes):
            overrides["机关运行经费"] = running_costs_of_units([s for s in scopes if s.is_unit])
        elif not scope.is_unit:
            # a department published at department level: its units' natures are not in the document,
            # so its 机关运行经费 is known only to be part of the 公用经费 (equal when every unit is 行政)
            at_most = ("机关运行经费",)
        check_narrative(ck, scope, overrides, at_most)
    units = [s for s in scopes if s.is_unit]
    departments = [s for s in scopes if not s.is_unit]
    if units and departments:
        ck.scope = departments[0].name
        ck.pages = {t.title: t.page for t in departments[0].tables.values()}
        check_units(ck, departments[0], units)


def verify_document(doc: Document, layout: Layout = DEFAULT, ignore: tuple[str, ...] = ()) -> Result:
    """Every check on a publication read (``read_document``): the arithmetic, then the registered
    checks of its contents, wording and structure. ``ignore``: codes (or their prefixes) not reported."""
    ck = Checker(yuan=any(t.unit == "元" for s in doc.scopes for t in s.tables.values()))
    _arithmetic(ck, doc)
    ck.page, ck.pages = None, {}
    disclosure.check_document(ck, doc, layout)
    wording.check_document(ck, doc)
    found = [d for d in ck.found if not any(d.code == i or d.code.startswith(i + ".") for i in ignore)]
    return Result([s.name for s in doc.scopes], ck.checks, found, doc.seen, doc.format, doc.year, doc.labels)


def file_format(data: bytes) -> str:
    if data[:4] == b"%PDF" or data[:1024].lstrip().startswith(b"%PDF"):
        return "pdf"
    return "docx"


def read_document(data: bytes, fmt: str | None = None) -> Document:
    """The publication a .docx or a PDF holds (format by its first bytes when not given)."""
    fmt = fmt or file_format(data)
    if fmt == "pdf":
        pages = Pages()
        doc = read_blocks(pdf_blocks(data, pages), "pdf")
        doc.labels, doc.pages, doc.scanned = pages.labels, pages.pages, pages.scanned
        return doc
    return read_blocks(docx_blocks(data), "docx")


def verify_bytes(data: bytes, layout: Layout = DEFAULT, ignore: tuple[str, ...] = ()) -> Result:
    return verify_document(read_document(data), layout, ignore)


def check_generated(data: bytes, omit: tuple[str, ...] = ()) -> Result:
    """Verify a document budgetpub has just rendered; raise when it does not add up, or lacks what a
    publication must hold. The wording of the authors' own texts is theirs (``check`` reports it).
    ``omit``: the sections the region's wording leaves out (not looked for)."""
    from .layout import without
    result = verify_document(read_document(data, "docx"), without(omit), ignore=AUTHORED)
    if result.disagreements:
        raise GeneratedDocumentDisagrees(result)
    return result


def verify_path(path: Path, layout: Layout = DEFAULT, ignore: tuple[str, ...] = ()) -> Result:
    path = Path(path)
    if not os.path.lexists(path):
        raise UnreadableDocument(f"找不到文件：{visible(path)}")
    if path.suffix.lower() not in (".docx", ".pdf"):
        raise UnreadableDocument(f"只能核对 Word 文件（.docx）或 PDF 文件（.pdf）：{visible(path)}")
    try:  # a regular file of bounded size, checked before it is opened: a FIFO or a device does not hang
        data = read_regular(path, MAX_BYTES)
    except Refused as exc:
        raise UnreadableDocument(f"无法读取 {visible(path)}：{exc.reason}。") from None
    try:
        return verify_document(read_document(data), layout, ignore)  # by its content: a PDF named .docx is read
    except UnreadableDocument as exc:  # said with the file it is about
        message = str(exc)
        raise UnreadableDocument(message if visible(path) in message else f"{visible(path)}：{message}") from None
