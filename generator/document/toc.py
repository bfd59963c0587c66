"""The 目录: the cached result of the document's TOC field, written from the document itself.

Word shows a TOC field's cached result until someone updates the field. This
module writes that result: one entry per heading the field collects (heading
styles of levels 1 to ``LEVELS``, in document order), with the page numbers
a LibreOffice layout gave (generator/formats/libreoffice.py), or without page numbers when
LibreOffice is absent; then the field stays marked dirty so that Word fills
them in (the caller says so in a warning).
"""

from __future__ import annotations

import re
from copy import deepcopy

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML = "http://www.w3.org/XML/1998/namespace"
LEVELS = 4  # the TOC field collects heading levels 1-4 (\o "1-4")
HEADING_STYLES = {f"Heading{i}": i for i in range(1, LEVELS + 1)}
TOC_STYLES = {i: f"toc{i}" for i in range(1, LEVELS + 1)}
RIGHT_TAB = 9638  # twips: the right edge of the portrait text width (17 cm)


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


_HEADING_STYLE = re.compile(rb'<w:pStyle w:val="Heading([1-%d])"/>' % LEVELS)
_TEXT = re.compile(rb"<w:t(?: [^>]*)?>([^<]*)</w:t>")
_ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _unescape(text: str) -> str:
    def one(m):
        e = m.group(1)
        if e.startswith("#x"):
            return chr(int(e[2:], 16))
        if e.startswith("#"):
            return chr(int(e[1:]))
        return _NAMED[e]
    return _ENTITY.sub(one, text)


def headings(document_xml: bytes) -> list[tuple[int, str]]:
    """(level, text) of each heading of levels 1-4, in document order, as the TOC field collects them.

    Found by scanning the text for heading styles (a handful per scope), not by walking every
    paragraph of a tree: linear in the document and cheap for a department of a thousand units."""
    out = []
    for m in _HEADING_STYLE.finditer(document_xml):
        # the style is the first property of its paragraph: the paragraph starts just before it
        window = max(0, m.start() - 4096)
        start = max(document_xml.rfind(b"<w:p>", window, m.start()), document_xml.rfind(b"<w:p ", window, m.start()))
        end = document_xml.find(b"</w:p>", m.end())
        ppr_end = document_xml.find(b"</w:pPr>", start, end)
        if start < 0 or end < 0 or not (0 <= ppr_end and m.end() <= ppr_end):
            continue  # a style outside a paragraph's own properties
        text = _unescape("".join(t.decode("utf-8") for t in _TEXT.findall(document_xml, ppr_end, end)))
        text = re.sub(r"\s+", " ", text).strip()
        if text:
            out.append((int(m.group(1)), text))
    return out


def _run(text: str | None = None, tab: bool = False):
    r = etree.Element(w("r"))
    if tab:
        etree.SubElement(r, w("tab"))
    else:
        t = etree.SubElement(r, w("t"))
        t.set(f"{{{XML}}}space", "preserve")
        t.text = text
    return r


def _ppr(level: int):
    ppr = etree.Element(w("pPr"))
    etree.SubElement(ppr, w("pStyle")).set(w("val"), TOC_STYLES[level])
    tabs = etree.SubElement(ppr, w("tabs"))
    tab = etree.SubElement(tabs, w("tab"))
    tab.set(w("val"), "right")
    tab.set(w("leader"), "dot")
    tab.set(w("pos"), str(RIGHT_TAB))
    return ppr


def _entry_runs(text: str, page: str | None) -> list:
    runs = [_run(text)]
    if page:
        runs += [_run(tab=True), _run(page)]
    return runs


def _toc_field(root):
    """The paragraphs holding the TOC field's begin and end, and the begin fldChar."""
    chars = list(root.iter(w("fldChar")))
    for i, ch in enumerate(chars):
        if ch.get(w("fldCharType")) != "begin":
            continue
        instr = ch.getparent().getnext()
        if instr is None or not "".join(instr.itertext()).strip().startswith("TOC"):
            continue
        depth = 0
        for end in chars[i:]:
            kind = end.get(w("fldCharType"))
            depth += kind == "begin"
            depth -= kind == "end"
            if depth == 0:
                return ch, ch.getparent().getparent(), end.getparent().getparent()
    return None


def _toc_region(document_xml: bytes) -> tuple[int, int] | None:
    """Byte offsets of the paragraphs from the TOC field's begin to its end (no nested field)."""
    instr = re.search(rb"<w:instrText[^>]*>\s*TOC ", document_xml)
    if instr is None:
        return None
    begin = document_xml.rfind(b'w:fldCharType="begin"', 0, instr.start())
    end = document_xml.find(b'w:fldCharType="end"', instr.end())
    if begin < 0 or end < 0 or document_xml.find(b'w:fldCharType="begin"', instr.end(), end) >= 0:
        return None
    start = max(document_xml.rfind(b"<w:p>", 0, begin), document_xml.rfind(b"<w:p ", 0, begin))
    stop = document_xml.find(b"</w:p>", end)
    return (start, stop + len(b"</w:p>")) if start >= 0 and stop >= 0 else None


def fill_xml(document_xml: bytes, entries: list[tuple[int, str, str | None]]) -> bytes:
    """Replace the TOC field's cached result by ``entries`` (level, text, page or None).

    Only the contents' own paragraphs are parsed and rewritten; the rest of the document is kept
    as it is, byte for byte."""
    return b"".join(_fill_pieces(document_xml, entries))


def _fill_pieces(document_xml: bytes, entries: list[tuple[int, str, str | None]]) -> list:
    """fill_xml as pieces: the document before the contents, the contents, the document after
    (views of ``document_xml``, not copies)."""
    region = _toc_region(document_xml)
    body = document_xml.find(b"<w:body>")
    if region is None or body < 0 or not entries:
        return [fill_xml_tree(document_xml, entries)]
    start, stop = region
    mini = document_xml[:body] + b"<w:body>" + document_xml[start:stop] + b"</w:body></w:document>"
    filled = fill_xml_tree(mini, entries, declaration=False)
    inner = filled[filled.index(b"<w:body>") + len(b"<w:body>"):filled.rindex(b"</w:body>")]
    view = memoryview(document_xml)
    return [view[:start], inner, view[stop:]]


def fill_xml_tree(document_xml: bytes, entries: list[tuple[int, str, str | None]],
                  declaration: bool = True) -> bytes:
    """Replace the TOC field's cached result by ``entries``, on the whole tree."""
    root = etree.fromstring(document_xml)
    found = _toc_field(root)
    if found is None or not entries:
        return document_xml
    begin, first, last = found
    if first is last or first.getparent() is not last.getparent():
        raise ValueError("the TOC field must begin and end in two paragraphs of the body")
    end_run = last.find(f"{w('r')}/{w('fldChar')}[@{w('fldCharType')}='end']").getparent()
    body = first.getparent()
    # everything between the paragraph of begin/separate and the one of end is the old result
    for p in list(first.itersiblings()):
        if p is last:
            break
        body.remove(p)
    field_runs = [r for r in first.findall(w("r"))]
    for child in list(first):
        first.remove(child)
    level, text, page = entries[0]
    first.append(_ppr(level))
    for r in field_runs:
        first.append(r)
    for r in _entry_runs(text, page):
        first.append(r)
    anchor = first
    paragraphs = [first]
    for level, text, page in entries[1:]:
        p = etree.Element(w("p"))
        p.append(_ppr(level))
        for r in _entry_runs(text, page):
            p.append(r)
        anchor.addnext(p)
        anchor = p
        paragraphs.append(p)
    paragraphs[-1].append(deepcopy(end_run))
    body.remove(last)
    filled = all(page for _, _, page in entries)
    if filled:  # the result is up to date: Word has nothing to ask
        begin.attrib.pop(w("dirty"), None)
    else:
        begin.set(w("dirty"), "true")
    if not declaration:
        return etree.tostring(root, encoding="UTF-8")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def fill_pieces(document_xml: bytes, pages: list[str] | None = None) -> list:
    """The document with its contents listed: every heading, with ``pages`` (one per heading)
    when known; as pieces to write one after another (package.finish)."""
    found = headings(document_xml)
    if pages is not None and len(pages) != len(found):
        raise ValueError("one page number per heading")
    entries = [(level, text, pages[i] if pages else None) for i, (level, text) in enumerate(found)]
    return _fill_pieces(document_xml, entries)


def match_pages(found: list[tuple[int, str]], laid_out: list[tuple[int, str, str]]) -> list[str] | None:
    """The page of each heading from LibreOffice's updated contents, when both list the same headings."""
    norm = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    if len(found) != len(laid_out):
        return None
    pages = []
    for (_, text), (_, lo_text, page) in zip(found, laid_out):
        if norm(text) != norm(lo_text) or not page.isdigit():
            return None
        pages.append(page)
    return pages
