"""WordprocessingML property elements in the order the schema requires (ECMA-376, transitional).

python-docx and docxtpl append property elements where they find room: a
``tblLayout`` after ``tblLook``, a ``vMerge`` after ``vAlign``. LibreOffice does not
mind; Word may report unreadable content, and the Open XML validator rejects
the file. ``order()`` sorts the children of every table, cell and paragraph
property element into the schema's sequence and keeps one of each (the last
written: the template builder's own setting wins), after ``cell_widths()``
has given every cell the width of the grid columns it spans.
"""

from __future__ import annotations

import re

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

SEQUENCES = {
    # CT_TblPr (17.4.60)
    "tblPr": ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
              "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook",
              "tblCaption", "tblDescription", "tblPrChange"],
    # CT_TcPr (17.4.70)
    "tcPr": ["cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
             "textDirection", "tcFitText", "vAlign", "hideMark", "headers", "cellIns", "cellDel", "cellMerge",
             "tcPrChange"],
    # CT_PPr (17.3.1.26)
    "pPr": ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
            "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
            "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
            "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
            "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"],
}


_T, _TAB, _BR, _CR = (f"{{{W}}}{name}" for name in ("t", "tab", "br", "cr"))


def paragraph_text(element, line_break: str = " ") -> str:
    """The text of a paragraph (or any lxml element) as a reader sees it: its
    runs' texts, a tab as a tab, a line break as ``line_break`` ("" where a break only wraps a
    word in a narrow cell, as in a table header)."""
    out = []
    for node in element.iter(_T, _TAB, _BR, _CR):  # lxml selects the four tags itself
        if node.tag == _T:
            out.append(node.text or "")
        elif node.tag == _TAB:
            out.append("\t")
        elif node.tag in (_BR, _CR):
            out.append(line_break)
    return "".join(out)


def _local(el) -> str:
    return el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""


def order_element(el) -> None:
    sequence = SEQUENCES[_local(el)]
    rank = {name: i for i, name in enumerate(sequence)}
    children = [c for c in el if isinstance(c.tag, str)]
    last: dict[str, object] = {}
    for c in children:
        if _local(c) in rank:
            last[_local(c)] = c
    kept = [c for c in children if _local(c) not in rank or last[_local(c)] is c]
    kept.sort(key=lambda c: rank.get(_local(c), len(sequence)))
    for c in list(el):
        el.remove(c)
    for c in kept:
        el.append(c)


def cell_widths(root) -> None:
    """Each cell's width (tcW) is the sum of the grid columns it spans: python-docx leaves a merged
    cell with the width of one of its columns."""
    for tbl in root.iter(f"{{{W}}}tbl"):
        grid = tbl.find(f"{{{W}}}tblGrid")
        if grid is None:
            continue
        widths = [int(g.get(f"{{{W}}}w") or 0) for g in grid.findall(f"{{{W}}}gridCol")]
        for tr in tbl.findall(f"{{{W}}}tr"):
            col = 0
            for tc in tr.findall(f"{{{W}}}tc"):
                pr = tc.find(f"{{{W}}}tcPr")
                if pr is None:
                    pr = etree.Element(f"{{{W}}}tcPr")
                    tc.insert(0, pr)
                span_el = pr.find(f"{{{W}}}gridSpan")
                span = int(span_el.get(f"{{{W}}}val")) if span_el is not None else 1
                if col + span <= len(widths):
                    tcw = pr.find(f"{{{W}}}tcW")
                    if tcw is None:
                        tcw = etree.SubElement(pr, f"{{{W}}}tcW")
                    tcw.set(f"{{{W}}}w", str(sum(widths[col:col + span])))
                    tcw.set(f"{{{W}}}type", "dxa")
                col += span


def order(root) -> None:
    cell_widths(root)
    for name in SEQUENCES:
        for el in root.iter(f"{{{W}}}{name}"):
            order_element(el)


# docxtpl's {% vm %} appends <w:vMerge> at the end of its cell's properties; the schema puts it right
# after the width and span. The only disorder rendering adds to an ordered template: moved back here.
_VMERGE = re.compile(rb'<w:tcPr>((?:<w:cnfStyle[^>]*/>)?(?:<w:tcW[^>]*/>)?(?:<w:gridSpan[^>]*/>)?(?:<w:hMerge[^>]*/>)?)'
                     rb'((?:(?!</w:tcPr>|<w:vMerge).)*?)(<w:vMerge w:val="[a-z]+"/>)</w:tcPr>')


_VMERGE_END = re.compile(rb'<w:vMerge w:val="[a-z]+"/></w:tcPr>')


def order_rendered(xml: bytes) -> bytes:
    """A document rendered from a template in schema order (the template builder orders it, Word
    writes it so), with the vertical merges of {% vm %} put in their place: linear, unlike ``order``.
    Only the cells that end in a merge are looked at, each within its own properties."""
    out, done = [], 0
    view = memoryview(xml)  # the unchanged stretches as views: joined once, never copied before
    for m in _VMERGE_END.finditer(xml):
        start = xml.rfind(b"<w:tcPr>", max(done, m.start() - 4096), m.start())
        if start < 0:
            continue
        stop = m.end()
        fixed = _VMERGE.sub(rb"<w:tcPr>\1\3\2</w:tcPr>", xml[start:stop])
        out += [view[done:start], fixed]
        done = stop
    if not out:
        return xml
    out.append(view[done:])
    return b"".join(out)


def order_xml(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    order(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
