"""The file to import, read into the verifier's document (verify/reading.py): a Word file or a PDF
through the verifier's own block readers, a workbook through workbook.py. The 机构设置 table, which the
verifier does not keep, is kept here as the blocks go by.

Imported files are untrusted: the size is bounded before anything is read, the format is known by
the file's first bytes (a PDF named .docx is read as a PDF), and nothing in a file is run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import BudgetpubError
from generator.figures.tables import UNITS
from generator.verify.blocks import Grid
from generator.verify.layout import ORG, header_kind
from generator.verify.pdffile import Layout as Pages
from generator.verify.pdffile import pdf_blocks
from generator.verify.reading import Document, UnreadableDocument, read_blocks
from generator.verify.wordfile import docx_blocks

MAX_BYTES = 64 * 1024 * 1024


class ImportFailed(BudgetpubError):
    """The file cannot be imported (exit 2); nothing was written."""


@dataclass
class Source:
    doc: Document
    format: str  # docx, pdf, xlsx
    organisation: list[dict[str, str]] = field(default_factory=list)  # rows of 机构设置 tables by column key


def _column_keys(header: list[str]) -> list[str | None]:
    """Each cell of a 机构设置 header row as a column of the table catalogue's 机构设置情况 (name, nature,
    rank, funding_form), by its words, wherever it stands: a table may leave out any column but the name."""
    keys: list[str | None] = []
    for cell in header:
        words = re.sub(r"\s", "", cell)
        key = next((c.key for c in UNITS.columns if words and c.header[-1] in words), None)
        keys.append(key if key not in keys else None)
    return keys


def _keeping_organisation(blocks, rows: list[dict[str, str]]):
    for block in blocks:
        if isinstance(block, Grid) and block.rows:
            head = " ".join(c for r in block.rows[:2] for c in r)
            if header_kind(head) == ORG:
                at = next((i for i, r in enumerate(block.rows) if any("单位名称" in c for c in r)), None)
                if at is not None:
                    keys = _column_keys(block.rows[at])
                    for r in block.rows[at + 1:]:
                        row = {k: c.strip() for k, c in zip(keys, r) if k and c.strip()}
                        if row.get("name"):
                            rows.append(row)
        yield block


def file_kind(data: bytes) -> str:
    if data[:1024].lstrip().startswith(b"%PDF"):
        return "pdf"
    if data[:2] == b"PK":
        try:
            import io
            import zipfile
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except Exception:  # noqa: BLE001 - a broken zip is reported below as not a publication
            return "unknown"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return "unknown"


def read_source(path: Path) -> Source:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ImportFailed(f"{path} 大于 {MAX_BYTES // 1024 // 1024} MB，不是一份部门预算公开文件，未导入。")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFailed(f"找不到文件：{path}") from None
    except OSError as exc:
        raise ImportFailed(f"无法读取 {path}：{exc.strerror or exc}") from None
    kind = file_kind(data)
    rows: list[dict[str, str]] = []
    try:
        if kind == "docx":
            doc = read_blocks(_keeping_organisation(docx_blocks(data), rows), "docx")
        elif kind == "pdf":
            pages = Pages()
            doc = read_blocks(_keeping_organisation(pdf_blocks(data, pages), rows), "pdf")
            doc.labels, doc.pages, doc.scanned = pages.labels, pages.pages, pages.scanned
        elif kind == "xlsx":
            from .workbook import workbook_blocks
            doc = read_blocks(workbook_blocks(data), "xlsx")
        else:
            raise ImportFailed(f"{path} 不是 Word 文件（.docx）、PDF 文件或 Excel 工作簿（.xlsx），无法导入。")
    except UnreadableDocument as exc:
        message = str(exc)
        if kind == "pdf" and "扫描" not in message and not rows:
            message += "（扫描件或没有文字层的 PDF 无法导入：请使用原始的 Word 文件或 Excel 表格。）"
        raise ImportFailed(f"{path}：{message}") from None
    return Source(doc, kind, rows)


__all__ = ["ImportFailed", "Source", "file_kind", "read_source"]
