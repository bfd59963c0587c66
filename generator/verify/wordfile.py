"""A Word file (.docx) as blocks (blocks.py): the body's paragraphs and tables in order.

The body is read as a stream (lxml's pull parser), each block dropped once the caller has it, so
memory does not grow with the document. A paragraph's heading level comes from its style (Word's
Heading 1…9 under any style id: 标题 1, heading 1) or its outline level; a table's cells are read
by grid column, a merged cell (gridSpan, vMerge) showing its text in each column and row it covers.
A Word file has no pages before it is laid out: its blocks have none. A table is read in C
(wordtables.py) unless the document could forge that reading's separators; then by the walk here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.document.ooxml import paragraph_text
from generator.files import CORRUPT, MB, Package, Refused

from .blocks import Grid, Para, TextRead, normalise
from .wordtables import Cells, Scan, grid_span, table_rows


class UnreadableDocument(Exception):
    """The file is not a publication this reader understands (exit 2)."""


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


_T = _W + "t"
_TR, _TC, _P, _TBL, _BODY, _TCPR, _GRIDSPAN, _VMERGE, _VAL, _PPR, _PSTYLE, _OUTLINE, _R, _RPR, _B = (
    _W + t for t in ("tr", "tc", "p", "tbl", "body", "tcPr", "gridSpan", "vMerge", "val", "pPr", "pStyle",
                     "outlineLvl", "r", "rPr", "b"))


def _text(element) -> str:
    """The text of a paragraph as shown, without surrounding space."""
    return normalise(paragraph_text(element, line_break="").strip())


def _header_rows(tbl) -> int:
    """How many leading rows the table marks as its header (w:tblHeader: repeated on each page)."""
    count = 0
    for tr in tbl.iterchildren(_TR):
        if tr.find(f"{_W}trPr/{_W}tblHeader") is None:
            break
        count += 1
    return count


def _table_rows(tbl, cells_read: Cells | None = None) -> list[list[str]]:
    """Cell texts by grid column, as a reader sees them: a cell spanning columns
    (gridSpan) or rows (vMerge) shows its text in each of them. ``cells_read``: the document's
    count of cells (wordtables.Cells; each table's own when not given)."""
    cells_read = cells_read or Cells()
    rows: list[list[str]] = []
    for tr in tbl.iterchildren(_TR):
        row: list[str] = []
        for tc in tr.iterchildren(_TC):
            pr = tc.find(_TCPR)
            span, merged = 1, False
            if pr is not None:
                g = pr.find(_GRIDSPAN)
                if g is not None:
                    span = grid_span(g.get(_VAL, "1"))
                v = pr.find(_VMERGE)
                merged = v is not None and v.get(_VAL, "continue") == "continue"
            if merged and rows and len(rows[-1]) > len(row):
                text = rows[-1][len(row)]
            else:  # the cell's paragraphs run together: a header's two lines are one label, a figure one figure
                text = normalise("".join(tc.itertext(_T)).strip())
            cells_read.take(span)  # before the span is made
            row.extend([text] * span)
        rows.append(row)
    return rows


def _on(element) -> bool:
    """A w:b (or w:outlineLvl…) switch that is on: present, and not val=0/false."""
    return element is not None and element.get(_VAL, "true").lower() not in ("0", "false", "off")


def _styles(package: Package) -> dict[str, tuple[int | None, bool, bool]]:
    """Paragraph style id → (heading level, bold, contents entry), following based-on styles."""
    from lxml import etree

    if "word/styles.xml" not in package:
        return {}
    try:
        with package.open("word/styles.xml") as f:
            root = etree.parse(f, etree.XMLParser(resolve_entities=False, huge_tree=False)).getroot()
    except etree.XMLSyntaxError:
        return {}
    own: dict[str, tuple[int | None, bool | None, bool, str | None]] = {}
    for style in root.iterchildren(_W + "style"):
        if style.get(_W + "type") != "paragraph":
            continue
        sid = style.get(_W + "styleId", "")
        name_el = style.find(_W + "name")
        name = (name_el.get(_VAL, "") if name_el is not None else "").lower()
        level = None
        m = re.fullmatch(r"(?:heading|标题)\s*([1-9])", name)
        if m:
            level = int(m.group(1))
        outline = style.find(f"{_PPR}/{_OUTLINE}")
        if level is None and outline is not None and outline.get(_VAL, "").isdigit() and int(outline.get(_VAL)) < 9:
            level = int(outline.get(_VAL)) + 1
        if name in ("title", "标题"):
            level = 1
        b = style.find(f"{_RPR}/{_B}")
        based = style.find(_W + "basedOn")
        own[sid] = (level, _on(b) if b is not None else None, name.startswith("toc") or name.startswith("目录 "),
                    based.get(_VAL) if based is not None else None)
    resolved: dict[str, tuple[int | None, bool, bool]] = {}
    for sid in own:
        level, bold, contents, based = own[sid]
        seen = {sid}
        while based in own and based not in seen and (bold is None or level is None):
            seen.add(based)
            blevel, bbold, _, nxt = own[based]
            bold = bbold if bold is None else bold
            based = nxt
        resolved[sid] = (level, bool(bold), contents)
    return resolved


def _bold(p, style_bold: bool) -> bool:
    """Every run with text is bold (by its own properties or the paragraph's style)."""
    runs = [r for r in p.iterchildren(_R) if "".join(t.text or "" for t in r.iter(_W + "t")).strip()]
    if not runs:
        return False
    for r in runs:
        b = r.find(f"{_RPR}/{_B}")
        if not (_on(b) if b is not None else style_bold):
            return False
    return True


def paragraph(p, styles: dict) -> Para | None:
    text = _text(p)
    if not text:
        return None
    style_el = p.find(f"{_PPR}/{_PSTYLE}")
    sid = style_el.get(_VAL, "") if style_el is not None else ""
    level, style_bold, contents = styles.get(sid, (None, False, False))
    if sid.lower().startswith("toc"):
        contents = True
    outline = p.find(f"{_PPR}/{_OUTLINE}")
    if outline is not None and outline.get(_VAL, "").isdigit() and int(outline.get(_VAL)) < 9:
        level = int(outline.get(_VAL)) + 1
    return Para(text, None, None if contents else level, _bold(p, style_bold), contents)


# Word never writes a document type declaration (OPC does not allow one). One can declare entities,
# which are not expanded (resolve_entities=False: no "billion laughs"), and whose unexpanded references
# would take the text after them out of what is read: such a document is refused, not read in part.
DOCTYPE = "其中的 word/document.xml 有文档类型声明（<!DOCTYPE …>），Word 生成的文件不会有：未读取。"
UNZIPPED = 4096 * MB  # a publication's document.xml: some 0.4 MB a unit
CHUNK = 32 * 1024  # document.xml is parsed this much at a time (lxml's iterparse's piece: a fault is met where it was)


def _block(el, styles: dict, scan: Scan, cells_read: Cells) -> Para | Grid | None:
    if el.tag == _P:
        return paragraph(el, styles)
    if scan.safe:  # no separator can be in the table's text: read in C (wordtables.py)
        rows, header = table_rows(el, cells_read)
        return Grid(rows, header_rows=header)
    return Grid(_table_rows(el, cells_read), header_rows=_header_rows(el))


def docx_blocks(data: bytes) -> Iterator[Para | Grid]:
    """The body's paragraphs and tables in order, each whole, read as a stream: a block is
    dropped once the caller has it, so memory does not grow with the document.

    The parser reports only the body's start and end; after each piece of the file is parsed, the
    body's children that are complete (another follows them) are read and removed. A paragraph
    inside a table costs nothing until its table is read."""
    from lxml import etree

    try:  # entries inflated within bounds: a zip bomb, an encrypted or corrupt entry is unreadable, said why
        package = Package(data, UNZIPPED)
        styles = _styles(package)
        scan = Scan()
        cells_read = Cells()  # bounded: a few kilobytes of spans do not fill the memory
        text_read = TextRead()  # nor 20 MB of repeated text
        parser = etree.XMLPullParser(events=("start", "end"), tag=_BODY, huge_tree=True, resolve_entities=False)
        with package.open("word/document.xml") as xml:
            body, ended = None, False
            while not ended:
                chunk = xml.read(CHUNK)
                if chunk:
                    scan.feed(chunk)
                    parser.feed(chunk)
                else:
                    parser.close()
                for event, el in parser.read_events():
                    if event == "start":
                        if body is None:
                            body = el
                            if el.getroottree().docinfo.doctype:  # (parsed before the root: entities)
                                raise ValueError(DOCTYPE)
                    elif el is body:
                        ended = True
                        break
                if body is not None:
                    child = body[0] if len(body) else None
                    while child is not None:
                        following = child.getnext()
                        if following is None and not ended:
                            break  # it may still be growing
                        if child.tag in (_P, _TBL):
                            block = _block(child, styles, scan, cells_read)
                            if block is not None:
                                text_read.take(block)
                                yield block
                        child.clear()  # emptied before it is removed: lxml need not move its contents
                        del body[0]
                        child = following
                if not chunk:
                    break
            if body is None:
                raise ValueError("word/document.xml 中没有正文")
    except Refused as exc:
        raise UnreadableDocument(f"无法作为 Word 文件（.docx）读取：{exc.reason}。") from None
    except ValueError as exc:  # ours, above: said in Chinese
        raise UnreadableDocument(f"无法作为 Word 文件（.docx）读取：{exc}") from None
    except (*CORRUPT, OSError, RuntimeError, etree.XMLSyntaxError):
        raise UnreadableDocument("无法作为 Word 文件（.docx）读取：其中的内容已损坏，或不是 Word 的格式。") from None
