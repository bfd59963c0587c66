"""A PDF publication as blocks (blocks.py), read with pdfplumber: the text layer, and tables found
by their ruling lines.

Per page: the tables (a merged cell's text in every column and row it covers, as in a Word file),
then the text lines outside them, in the order they stand on the page. Lines are joined into
paragraphs as a reader joins them: a line that runs to the right margin continues on the next line
(or the first line of the next page) when that one is not indented. The printed page number (the
footer: 4, — 4 —, 第4页) is kept per page for the contents check; a table cut by a page break is
joined again (its repeated header rows dropped).

A PDF with no text layer (a scan) is unreadable, not a pass: ``UnreadableDocument``, exit 2. Pages
that are scanned images inside a PDF with text are listed (``Layout.scanned``) and reported.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import statistics
import warnings
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from generator.files import MB

from .blocks import Grid, Para, TextRead, normalise
from .wordfile import UnreadableDocument

MAX_PAGES = 20000  # a publication of 1,000 units is some 17,000 pages; beyond it the file is not one
# pdfminer decodes a stream whole, and keeps what it decoded: a few hundred kilobytes of a PDF can
# hold gigabytes (800 KB of deflated spaces took 1.7 GB). What its filters may make, per stream (a
# page's content is some kilobytes, a whole embedded CJK face some 20 MB) and per PDF.
MAX_STREAM = 128 * MB
MAX_DECODED = 1024 * MB
BOMB = ("其中的压缩数据解压后过大（一个数据流超过 128 MB，或全部超过 1 GB），可能是“压缩炸弹”："
        "不是一份部门预算公开文件，没有读下去。")
# pdfminer makes an object of some kilobytes for each character, line and image of a page: a page of a
# publication has a few thousand (budgetpub's: at most 2,100); one of 400,000 characters, 1 MB of a
# PDF, took 1 GB and 46 s. A page holding more than this is refused.
MAX_PAGE_OBJECTS = 100_000
CROWDED = f"一页中的文字和图形超过 {MAX_PAGE_OBJECTS // 10_000} 万个，不是部门预算公开文件的页面，没有读下去。"
# and all pages together (a 200-unit publication's 3,500 pages hold some 2.5 million, 600 to 700 a page): the time it takes
MAX_OBJECTS = 50_000_000
TOO_MANY_OBJECTS = (f"全部页面中的文字和图形超过 {MAX_OBJECTS // 10_000} 万个，远超一份预算公开文件"
                    "（200 个单位的公开文件约 250 万个）：没有读下去。")


class _Decoded:
    """The bytes pdfminer's filters have made from one PDF: ``take`` raises UnreadableDocument (BOMB)
    past the bounds, before a filter makes more."""

    def __init__(self) -> None:
        self.left = MAX_DECODED

    def room(self) -> int:
        return max(0, min(MAX_STREAM, self.left))

    def take(self, count: int) -> None:
        if count > self.room():
            raise UnreadableDocument(BOMB)
        self.left -= count


class _Zlib:
    """pdfminer's ``zlib`` while a PDF is read: the same calls, their output bounded (_Decoded)."""

    error = zlib.error

    def __init__(self, decoded: _Decoded) -> None:
        self.decoded = decoded

    def decompress(self, data: bytes) -> bytes:
        inflater = zlib.decompressobj()
        out = inflater.decompress(data, self.decoded.room() + 1)
        self.decoded.take(len(out))
        if not inflater.eof:  # as zlib.decompress says it (pdfminer then tries decompress_corrupted)
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        return out

    def decompressobj(self, *args, **kwargs):
        return _Inflater(zlib.decompressobj(*args, **kwargs), self.decoded)


class _Inflater:
    def __init__(self, inflater, decoded: _Decoded) -> None:
        self.inflater, self.decoded = inflater, decoded

    def decompress(self, data: bytes) -> bytes:  # (pdfminer feeds a corrupted stream a byte at a time)
        out = self.inflater.decompress(data, self.decoded.room() + 1)
        self.decoded.take(len(out))
        return out


def _bounded_lzw(decoded: _Decoded):
    from pdfminer.lzw import LZWDecoder

    def lzwdecode(data: bytes) -> bytes:
        out, size = [], 0
        for piece in LZWDecoder(io.BytesIO(data)).run():
            size += len(piece)
            if size > decoded.room():
                raise UnreadableDocument(BOMB)
            out.append(piece)
        decoded.take(size)
        return b"".join(out)
    return lzwdecode


def _bounded_runlength(decoded: _Decoded, rldecode):
    def bounded(data: bytes) -> bytes:
        size, i = 0, 0  # its length first, from the runs' length bytes (a run makes up to 128 bytes)
        while i < len(data) and data[i] != 128:
            size += data[i] + 1 if data[i] < 128 else 257 - data[i]
            i += data[i] + 2 if data[i] < 128 else 2
        decoded.take(size)
        return rldecode(data)
    return bounded


def _counted(method, made: list[int]):
    """``method`` of pdfminer's layout device, each call counted against the page's MAX_PAGE_OBJECTS
    (a device lays out one page) and the PDF's MAX_OBJECTS (``made``: the count so far)."""
    def counted(self, *args, **kwargs):
        on_page = getattr(self, "_budgetpub_objects", 0) + 1
        if on_page > MAX_PAGE_OBJECTS:
            raise UnreadableDocument(CROWDED)
        made[0] += 1
        if made[0] > MAX_OBJECTS:
            raise UnreadableDocument(TOO_MANY_OBJECTS)
        self._budgetpub_objects = on_page
        return method(self, *args, **kwargs)
    return counted


@contextlib.contextmanager
def _bounded_reading():
    """While the block runs: pdfminer's Flate, LZW and RunLength decoding bounded (MAX_STREAM,
    MAX_DECODED; the other filters make less than they are given), and the objects its layout device
    makes for one page (MAX_PAGE_OBJECTS, counted afresh at each page). What pdfminer and pdfplumber
    would say on stderr of a PDF they find odd (in English: "Could not get FontBBox…") is not said:
    what budgetpub cannot read it says itself, in Chinese. Everything is put back as it was after."""
    from pdfminer import pdftypes
    from pdfminer.converter import PDFLayoutAnalyzer

    with contextlib.ExitStack() as undo:
        def replace(owner, name: str, value):
            """``owner.name`` is ``value`` until the block ends; returns what it was."""
            was = getattr(owner, name)
            undo.callback(setattr, owner, name, was)
            setattr(owner, name, value)
            return was

        undo.enter_context(warnings.catch_warnings())
        warnings.simplefilter("ignore")
        for name in ("pdfminer", "pdfplumber"):  # (their modules' loggers are below these: pdfminer.pdffont…)
            logger, muted = logging.getLogger(name), logging.NullHandler()
            logger.addHandler(muted)
            undo.callback(logger.removeHandler, muted)
            replace(logger, "propagate", False)
        decoded = _Decoded()
        replace(pdftypes, "zlib", _Zlib(decoded))
        replace(pdftypes, "lzwdecode", _bounded_lzw(decoded))
        replace(pdftypes, "rldecode", _bounded_runlength(decoded, pdftypes.rldecode))
        begin_page = PDFLayoutAnalyzer.begin_page

        def counting_from_zero(self, *args, **kwargs):
            self._budgetpub_objects = 0
            return begin_page(self, *args, **kwargs)
        replace(PDFLayoutAnalyzer, "begin_page", counting_from_zero)
        made = [0]
        for name in ("render_char", "paint_path", "render_image"):
            replace(PDFLayoutAnalyzer, name, _counted(getattr(PDFLayoutAnalyzer, name), made))
        yield


@dataclass
class Layout:
    pages: int = 0
    labels: dict[int, str] = field(default_factory=dict)  # page → its printed number, as printed
    scanned: list[int] = field(default_factory=list)      # pages that are images without text


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    page: int = 0


_PAGE_NUMBER = re.compile(r"^[-—–－\s]*(?:第\s*)?([0-9]+)\s*(?:页)?(?:\s*[/／共]\s*[0-9]+\s*页?)?[-—–－\s]*$")


def _grid(table) -> tuple[list[list[str]], list[float]]:
    """The table's rows by grid column, a merged cell's text in every position it covers; and the
    columns' edges."""
    texts = table.extract()
    if not texts:
        return [], []
    grid = [[None if t is None else normalise(t.replace("\n", "").strip()) for t in row] for row in texts]
    xs = [c.bbox for c in table.columns] if hasattr(table, "columns") else []
    ys = [r.bbox for r in table.rows]
    if xs and len(xs) == len(grid[0]) and len(ys) == len(grid):
        xmid = [(x[0] + x[2]) / 2 for x in xs]
        ymid = [(y[1] + y[3]) / 2 for y in ys]
        for x0, top, x1, bottom in table.cells:  # each cell: the grid positions it covers
            rows = [i for i, y in enumerate(ymid) if top <= y <= bottom]
            cols = [j for j, x in enumerate(xmid) if x0 <= x <= x1]
            if not rows or not cols or (len(rows) == 1 and len(cols) == 1):
                continue
            text = grid[rows[0]][cols[0]]
            for i in rows:
                for j in cols:
                    if grid[i][j] is None:
                        grid[i][j] = text
    edges = [x[0] for x in xs] + [xs[-1][2]] if xs else []
    return [[t or "" for t in row] for row in grid], edges


def _lines(page, boxes) -> list[_Line]:
    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] - 1 <= x <= b[2] + 1 and b[1] - 1 <= y <= b[3] + 1 for b in boxes)

    found = []
    for ln in page.filter(outside).extract_text_lines(return_chars=True, strip=True):
        chars = [c for c in ln["chars"] if c["text"].strip()]
        if not chars or not ln["text"].strip():
            continue
        size = statistics.median(c["size"] for c in chars)
        bold = all(re.search(r"bold|heavy|black", c.get("fontname", ""), re.I) for c in chars)
        found.append(_Line(normalise(ln["text"].strip()), ln["x0"], ln["x1"], ln["top"], ln["bottom"], size, bold,
                           page.page_number))
    return found


def _footer(lines: list[_Line], height: float) -> tuple[list[_Line], str | None]:
    """The lines without the footer's page number; the number as printed."""
    label = None
    kept = []
    for ln in lines:
        if ln.top > height * 0.88:
            m = _PAGE_NUMBER.match(ln.text)
            if m or not ln.text.strip("-—–－ "):
                label = label or (m.group(1) if m else None)
                continue
        kept.append(ln)
    return kept, label


def _pages(pdf, layout: Layout):
    """Per page: (page number, width, [(top, Grid | _Line)…]) in reading order."""
    text_read = TextRead()
    for number, page in enumerate(pdf.pages, 1):
        if number > MAX_PAGES:
            raise UnreadableDocument(f"PDF 超过 {MAX_PAGES} 页，不是一份部门预算公开文件。")
        layout.pages = number
        try:
            tables = page.find_tables()
            boxes = [t.bbox for t in tables]
            items: list = []
            for t in tables:
                rows, edges = _grid(t)
                items.append((t.bbox[1], Grid(rows, number, [number], edges, t.bbox[3])))
            lines, label = _footer(_lines(page, boxes), page.height)
        except UnreadableDocument as exc:  # (past a bound of _bounded_reading)
            raise UnreadableDocument(f"PDF 第 {number} 页无法读取：{exc}") from None
        except Exception as exc:  # pdfminer raises many kinds on a damaged page  # noqa: BLE001
            raise UnreadableDocument(f"PDF 第 {number} 页无法读取：{exc}") from None
        try:  # what is kept of the pages, bounded (TextRead)
            for _, item in items:
                text_read.take(item)
            text_read.take(Para("".join(ln.text for ln in lines)))
        except ValueError as exc:
            raise UnreadableDocument(str(exc)) from None
        if label:
            layout.labels[number] = label
        if not lines and not tables and page.images:
            layout.scanned.append(number)
        items += [(ln.top, ln) for ln in lines]
        items.sort(key=lambda item: item[0])
        yield number, page.width, items
        page.flush_cache() if hasattr(page, "flush_cache") else None
        if hasattr(page, "close"):
            page.close()


def _pitch(lines: list[_Line]) -> dict[float, float]:
    """Per font size, the distance from one line to the next within a paragraph: the least between
    two lines of that size on the page (paragraphs may stand further apart)."""
    pitch: dict[float, float] = {}
    for a, b in zip(lines, lines[1:]):
        if abs(a.size - b.size) < 0.6 and b.top > a.top:
            size = round(a.size)
            pitch[size] = min(pitch.get(size, b.top - a.top), b.top - a.top)
    return pitch


def _continues(prev: _Line, nxt: _Line, right: float, left: float, pitch: dict | None = None) -> bool:
    """Does ``prev`` go on in ``nxt``: it runs to the right margin, and ``nxt`` is not indented, not
    further below than lines of a paragraph are (space between paragraphs), nor a list item or note
    after a finished sentence."""
    if re.search(r"[.．…·]{3,}\s*[0-9]+$", prev.text):
        return False  # a contents line: its page number ends it
    least = (pitch or {}).get(round(prev.size))
    if least and nxt.top > prev.top and nxt.top - prev.top > least * 1.3:
        return False
    word = re.match(r"[0-9A-Za-z.,%()\-]+", nxt.text)  # a figure or a Latin word is not broken: the line
    room = (len(word.group()) * 0.6 + 1.2) * prev.size if word else 1.2 * prev.size  # ends short before it
    if prev.x1 < right - room or abs(prev.size - nxt.size) > 0.6:
        return False
    if nxt.x0 > left + 0.8 * nxt.size:
        return False
    starts_item = re.match(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|[0-9]+[、.]|注[：:])", nxt.text)
    return not (starts_item and prev.text.endswith(("。", "；", "：", ":")))


def _same_table(first: Grid, nxt: Grid) -> bool:
    """Does the table at the top of a page go on with the one that ends the page before: the same
    outer edges (or, without edges, the same number of columns)."""
    if not first.rows or not nxt.rows:
        return False
    if first.edges and nxt.edges:
        return abs(first.edges[0] - nxt.edges[0]) < 3 and abs(first.edges[-1] - nxt.edges[-1]) < 3
    width = {len(r) for r in first.rows}
    return {len(r) for r in nxt.rows} <= width | {max(width)}


def _regrid(grid: Grid, edges: list[float]) -> list[list[str]]:
    """The grid's rows on finer column edges: each new column takes the text of the column it lies in."""
    owner = []
    for a, b in zip(edges, edges[1:]):
        mid = (a + b) / 2
        owner.append(next((j for j, (x0, x1) in enumerate(zip(grid.edges, grid.edges[1:])) if x0 <= mid <= x1),
                          len(grid.edges) - 2))
    return [[row[j] if j < len(row) else "" for j in owner] for row in grid.rows]


def _join(first: Grid, nxt: Grid, cut: bool) -> None:
    """``nxt`` (the top of a page) goes on with ``first`` (the bottom of the page before): its rows
    are added, without the header rows a repeated header shows again; a row the page break cut in
    two is one row again. When the two parts show different columns (a header cut by the break),
    both are laid on the columns of either. ``cut``: ``first`` runs to the foot of its page, as a
    row the break cut in two does."""
    if first.edges and nxt.edges and first.edges != nxt.edges:
        edges = sorted(first.edges + nxt.edges)
        merged = [edges[0]]
        for x in edges[1:]:
            if x - merged[-1] > 2:
                merged.append(x)
        first.rows, nxt.rows = _regrid(first, merged), _regrid(nxt, merged)
        first.edges = nxt.edges = merged
    rows = nxt.rows
    k = 0
    while k < len(rows) and k < len(first.rows) and rows[k] == first.rows[k] and not _is_body(rows[k]):
        k += 1
    last = first.rows[-1] if first.rows else None
    if k < len(rows) and last is not None and len(rows[k]) == len(last) and any(c.strip() for c in rows[k]) \
            and any(c.strip() for c in last) and (
                (not rows[k][0].strip() and last[0].strip())  # a body row: its 序号 or label above the break
                or (cut and len(first.rows) > 1  # a header row (a lone first row is a caption, never cut)
                    and not (_is_body(last) or _is_body(rows[k]) or any(_amount_like(c) for c in rows[k])))):
        # a row the page break cut in two: the rest of its cells' texts is on this page
        first.rows[-1] = [normalise(a + b) for a, b in zip(last, rows[k])]
        k += 1
    first.rows.extend(rows[k:])
    first.pages.extend(p for p in nxt.pages if p not in first.pages)
    first.bottom = nxt.bottom


def _amount_like(text: str) -> bool:
    return bool(re.fullmatch(r"-?[0-9][0-9,]*(?:\.[0-9]+)?", text.strip()))


def _is_body(row: list[str]) -> bool:
    return bool(row) and bool(re.fullmatch(r"[0-9]+", row[0].strip())) and any(c.strip() for c in row[1:])


def pdf_blocks(data: bytes, layout: Layout) -> Iterator[Para | Grid]:
    """The blocks of a PDF in reading order; ``layout`` gets its pages' printed numbers."""
    try:
        import pdfplumber
        from pdfminer.pdfparser import PDFSyntaxError
    except ImportError:  # pragma: no cover - a dependency of budgetpub
        raise UnreadableDocument("读取 PDF 需要 pdfplumber：pip install pdfplumber") from None
    try:
        with _bounded_reading():
            pdf = pdfplumber.open(io.BytesIO(data))
            with pdf:
                pages = list(_pages(pdf, layout))
    except UnreadableDocument:
        raise
    except PDFSyntaxError as exc:
        raise UnreadableDocument(f"无法作为 PDF 读取：{exc}") from None
    except Exception as exc:  # encrypted, damaged: pdfminer's errors have no common base  # noqa: BLE001
        raise UnreadableDocument(f"无法作为 PDF 读取：{type(exc).__name__} {exc}".strip()) from None
    if not any(isinstance(x, _Line) for _, _, items in pages for _, x in items):
        raise UnreadableDocument("PDF 中没有文字层（可能是扫描件或图片），无法核对；请提供由 Word 或 WPS 导出的 PDF。")
    # the text block's margins, per page width (portrait and landscape pages differ)
    rights: dict[int, list[float]] = {}
    lefts: dict[int, list[float]] = {}
    for _, width, items in pages:
        xs = [x for _, x in items if isinstance(x, _Line)]
        if len(xs) >= 3:
            rights.setdefault(round(width), []).append(max(ln.x1 for ln in xs))
            lefts.setdefault(round(width), []).append(min(ln.x0 for ln in xs))
    foot: dict[int, float] = {}  # the lowest any text or table reaches, per page size
    for _, width, items in pages:
        for _, x in items:
            foot[round(width)] = max(foot.get(round(width), 0.0), x.bottom)
    right = {w: statistics.median(v) for w, v in rights.items()}
    left = {w: statistics.median(v) for w, v in lefts.items()}
    out: list[Para | Grid] = []
    text: list[str] = []
    start, bold, last = None, False, None
    for number, width, items in pages:
        r, lft = right.get(round(width), width), left.get(round(width), 0)
        pitch = _pitch([x for _, x in items if isinstance(x, _Line)])
        for k, (_, item) in enumerate(items):
            if isinstance(item, Grid):
                if text:
                    out.append(Para(normalise("".join(text)), start, bold=bold))
                    text, last = [], None
                if k == 0 and out and isinstance(out[-1], Grid) and _same_table(out[-1], item):
                    _join(out[-1], item, out[-1].bottom >= foot.get(round(width), 0) - 3)  # it goes on
                else:
                    out.append(item)
                continue
            if last is not None and _continues(last, item, r, lft, pitch if last.page == number else None):
                text.append(item.text)
            else:
                if text:
                    out.append(Para(normalise("".join(text)), start, bold=bold))
                text, start, bold = [item.text], number, item.bold
            last = item
    if text:
        out.append(Para(normalise("".join(text)), start, bold=bold))
    return iter(out)
