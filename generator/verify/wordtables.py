"""A Word table's cells read in C: an XSLT (libxslt, through lxml) turns the table into one string,
rows and cells set apart by separator characters, and Python only splits it.

The string says what wordfile.py's walk over rows and cells reads, and nothing else: the rows (w:tr
children of the table) with their header mark (w:trPr/w:tblHeader), the cells (w:tc children of the
row), a cell's first w:tcPr's first w:gridSpan value and whether its first w:vMerge continues the
cell above, and the cell's text as ``itertext(w:t)`` gives it (each w:t's own text and the text
after it, in document order, nested tables included). Python then spans and merges exactly as the
walk does. Reading a 200-unit publication's tables takes a third of the walk's time.

The separators are Private Use Area characters. A document may hold them (a budget's YAML can hold
any character; documents given to verify and import come from anyone), and one held would forge a
cell. So the fast reading is used only while ``Scan`` has seen none of the bytes that could put one
into the tree: their UTF-8 bytes, a character reference (&#…;), a declaration or a comment (<!…),
a processing instruction other than the XML declaration, an encoding other than UTF-8, or a NUL
byte (UTF-16 without a byte-order mark). (A comment
or processing instruction inside a w:t is also where the two readings part: lxml's itertext gives
the text after it, the XSLT would not; an unexpanded entity likewise.) Once it
has seen one, every later table is read by the walk. A table is read only when its last byte has
been scanned, so a table read fast never holds a separator.
"""

from __future__ import annotations

import re

from .blocks import normalise

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
ROW, CELL, MARK, FIELD = "\ue000", "\ue001", "\ue002", "\ue003"

# per row: ROW, "h" when the row is marked as a header; per cell: CELL, then for a cell whose
# properties may span or merge: MARK, the first gridSpan's value, FIELD, "1" when it continues the
# cell above, FIELD; then the cell's text
_SHEET = f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:w="{_W}">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="/*">
 <xsl:for-each select="w:tr">
  <xsl:text>{ROW}</xsl:text>
  <xsl:if test="w:trPr/w:tblHeader">h</xsl:if>
  <xsl:for-each select="w:tc">
   <xsl:text>{CELL}</xsl:text>
   <xsl:if test="w:tcPr/w:gridSpan or w:tcPr/w:vMerge">
    <xsl:text>{MARK}</xsl:text>
    <xsl:value-of select="w:tcPr[1]/w:gridSpan[1]/@w:val"/>
    <xsl:text>{FIELD}</xsl:text>
    <xsl:if test="w:tcPr[1]/w:vMerge[1][not(@w:val) or @w:val = 'continue']">1</xsl:if>
    <xsl:text>{FIELD}</xsl:text>
   </xsl:if>
   <xsl:for-each select=".//w:t/node()[1][self::text()] | .//w:t/following-sibling::node()[1][self::text()]">
    <xsl:value-of select="."/>
   </xsl:for-each>
  </xsl:for-each>
 </xsl:for-each>
</xsl:template>
</xsl:stylesheet>"""
_transform = None


def _sheet():
    global _transform
    if _transform is None:
        from lxml import etree
        _transform = etree.XSLT(etree.XML(_SHEET.encode()))
    return _transform


# what could put a separator into the tree: its UTF-8 bytes, a character reference, a DTD (entities),
# a comment or CDATA section (<!), a processing instruction (<?)
# a NUL, never in UTF-8 XML: UTF-16 or UTF-32 (which libxml2 reads without a byte-order mark too)
_UNSAFE = tuple(c.encode() for c in (ROW, CELL, MARK, FIELD)) + (b"&#", b"<!", b"<?", b"\x00")
_RARE = (b"\xee", b"#", b"!", b"?", b"\x00")  # each of those holds one of these bytes, rare in a document.xml
_DECLARATION = re.compile(rb"\A(?:\xef\xbb\xbf)?<\?xml[^>]*\?>")
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([^"']*)["']""")


class Scan:
    """The bytes of document.xml as they are fed to the parser: ``safe`` while none could hold a separator."""

    def __init__(self) -> None:
        self.safe = True
        self.started = False
        self.tail = b""

    def feed(self, chunk: bytes) -> None:
        if not self.safe:
            return
        if not self.started:
            self.started = True
            head = _DECLARATION.match(chunk)
            if head is not None:
                encoding = _ENCODING.search(head.group())
                if encoding is not None and encoding.group(1).lower() not in (b"utf-8", b"utf8"):
                    self.safe = False
                    return
                chunk = chunk[head.end():]
            elif not chunk.lstrip(b" \t\r\n").startswith(b"<"):  # a byte-order mark of UTF-16, or not XML
                self.safe = False
                return
        joined = self.tail + chunk
        if any(b in joined for b in _RARE) and any(b in joined for b in _UNSAFE):  # (single bytes are found faster)
            self.safe = False
        self.tail = chunk[-2:]


# The grid cells one document's tables may hold, a merged cell counted once for each column it spans:
# a 200-unit publication's hold 0.4 million. Rows of cells each spanning 1,000 columns would otherwise
# fill gigabytes from a file of kilobytes (2,000 rows of 50 such cells: 1.7 GB).
MAX_CELLS = 5_000_000
TOO_MANY_CELLS = (f"其中的表格共有超过 {MAX_CELLS // 10_000} 万个单元格（合并的单元格按所跨的列数计），"
                  "远超一份预算公开文件（200 个单位的公开文件约 40 万个）：没有读下去。")


class Cells:
    """The grid cells read so far from one document: ``take`` raises ValueError (said in Chinese,
    TOO_MANY_CELLS) once they pass ``limit``."""

    def __init__(self, limit: int | None = None) -> None:
        self.left = MAX_CELLS if limit is None else limit

    def take(self, count: int) -> None:
        self.left -= count
        if self.left < 0:
            raise ValueError(TOO_MANY_CELLS)


_spans: dict[str, int] = {}


def grid_span(raw: str) -> int:
    """The columns a cell spans, from its gridSpan's value: 1 to 1,000 (a value that is not a number: 1)."""
    span = _spans.get(raw)
    if span is None:
        try:
            span = max(1, min(int(raw), 1000))
        except ValueError:
            span = 1
        if len(_spans) < 1000:
            _spans[raw] = span
    return span


def table_rows(tbl, cells_read: Cells | None = None) -> tuple[list[list[str]], int]:
    """The table's cell texts by grid column and its header rows, as wordfile.py's walk reads them.
    ``cells_read``: the document's count of cells (each table's own when not given)."""
    cells_read = cells_read or Cells()
    rows: list[list[str]] = []
    header, leading = 0, True
    for part in str(_sheet()(tbl)).split(ROW)[1:]:
        if MARK not in part:  # no cell spans or merges: normalised at once (it works character by character)
            cells = normalise(part).split(CELL)
            row = [c.strip() for c in cells[1:]]
            cells_read.take(len(row))
        else:
            cells = part.split(CELL)
            row = []
            for c in cells[1:]:
                if c[:1] != MARK:
                    cells_read.take(1)
                    row.append(normalise(c.strip()))
                    continue
                raw, merged, text = c[1:].split(FIELD, 2)
                if merged and rows and len(rows[-1]) > len(row):
                    text = rows[-1][len(row)]
                else:
                    text = normalise(text.strip())
                span = grid_span(raw)
                cells_read.take(span)  # before the span is made
                row.extend([text] * span)
        if leading:
            if cells[0]:
                header += 1
            else:
                leading = False
        rows.append(row)
    return rows, header
