"""The layer every format is read into: a publication as a stream of blocks in reading order.

A ``Para`` is a paragraph (a line of a PDF joined with the lines it continues into), a ``Grid`` a
table as a reader sees it: one text per grid column and row, a merged cell's text in every column
and row it covers. Both carry the page they stand on when the format has pages (PDF). wordfile.py
and pdffile.py make blocks; reading.py makes scopes, tables and sections of them. Nothing here
knows what a budget is: issue 20's import reads the same blocks.

Digits are read as the figures they are: full-width digits (８１２．３２) and a full-width point
or comma between digits become ASCII here, once, for every format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(slots=True)
class Para:
    text: str
    page: int | None = None      # the page it starts on (1 = the file's first page)
    heading: int | None = None   # the heading level its style gives (1 = top), None for body text
    bold: bool = False           # every character bold (a heading typed as a bold paragraph)
    contents: bool = False       # an entry of Word's table of contents (a TOC style)


@dataclass(slots=True)
class Grid:
    rows: list[list[str]]
    page: int | None = None
    pages: list[int] = field(default_factory=list)  # every page it stands on (PDF)
    edges: list[float] = field(default_factory=list)  # the columns' left edges and the last right edge (PDF)
    bottom: float = 0.0  # where it ends on its last page (PDF)
    header_rows: int = 0  # the leading rows the table marks as its header (Word's "repeat as header row")


# The characters a publication's blocks may hold (a merged cell counted in each column it spans): a
# 200-unit publication holds 2 million. A document of repeated text compresses some 200 times: 20 MB
# of a .docx could otherwise hold gigabytes of text, all kept to be checked.
MAX_TEXT = 50_000_000
TOO_MUCH_TEXT = (f"其中的文字超过 {MAX_TEXT // 10_000} 万字，远超一份预算公开文件（200 个单位的公开文件约 200 万字）："
                 "没有读下去。")


class TextRead:
    """The characters of the blocks read so far from one document: ``take`` raises ValueError
    (TOO_MUCH_TEXT) once they pass MAX_TEXT."""

    def __init__(self) -> None:
        self.left = MAX_TEXT

    def take(self, block: Para | Grid) -> None:
        if isinstance(block, Para):
            self.left -= len(block.text)
        else:
            self.left -= sum(len(cell) for row in block.rows for cell in row)
        if self.left < 0:
            raise ValueError(TOO_MUCH_TEXT)


_FULL_WIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "\u00a0": " ", "－": "-"})
_BETWEEN_DIGITS = re.compile(r"(?<=[0-9])[．，](?=[0-9])")


def normalise(text: str) -> str:
    """Full-width digits as ASCII digits; a full-width point or comma between digits as ASCII
    (８１２．３２ is 812.32, １，２３４ is 1,234); a no-break space as a space."""
    if not text.isascii():
        text = text.translate(_FULL_WIDTH)
        if "．" in text or "，" in text:
            text = _BETWEEN_DIGITS.sub(lambda m: "." if m.group() == "．" else ",", text)
    return text


def squeeze(text: str) -> str:
    """Text without any white space (项  目, 项　　目 and 项 目 are one header): str.split's white space
    is the regular expression \\s (both are Unicode's), and splitting costs a fifth of a substitution."""
    return "".join(text.split())
