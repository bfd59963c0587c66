"""Read a generated .docx back with python-docx: headings, paragraphs and tables in order."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph


@dataclass
class Readback:
    paragraphs: list[tuple[str, str]] = field(default_factory=list)  # (style name, text)
    tables: list[tuple[str, list[list[str]]]] = field(default_factory=list)  # (title above, rows)
    captions: list[list[str]] = field(default_factory=list)  # the caption line of each table ([] if none)

    @property
    def text(self) -> str:
        return "\n".join(t for _, t in self.paragraphs)

    def part(self, heading: str, next_heading: str | None = None) -> str:
        """The text from ``heading`` in the body (its last occurrence: not its contents entry) to the
        next ``next_heading`` (or the end)."""
        text = self.text
        start = text.rindex(heading)
        return text[start:text.index(next_heading, start)] if next_heading else text[start:]

    def table(self, title: str, occurrence: int = 0) -> list[list[str]]:
        found = [rows for t, rows in self.tables if t == title]
        return found[occurrence]

    def body(self, title: str, occurrence: int = 0) -> list[list[str]]:
        """Rows that start with a 序号 number."""
        return [r for r in self.table(title, occurrence) if r and re.fullmatch(r"[0-9]+", r[0])]


def read(path) -> Readback:
    document = docx.Document(str(path))
    out = Readback()
    title = ""
    caption: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = Paragraph(block, document)
            text = p.text.strip()
            out.paragraphs.append((p.style.name, text))
            if text and (p.style.name.startswith("Heading") or p.style.name == "表题"):
                title = text
        elif tag == "tbl":
            table = Table(block, document)
            rows = [[c.text.strip() for c in row.cells] for row in table.rows]
            if len(table.columns) <= 3 and len(rows) == 1:
                caption = rows[0]  # the caption line above a table
                continue
            out.tables.append((title, rows))
            out.captions.append(caption)
            caption = []
    return out
