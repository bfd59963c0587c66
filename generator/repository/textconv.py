"""``budgetpub textconv FILE.docx``: the text of a Word file, for ``git diff``.

With this in a budget repository's .gitattributes and git config::

    *.docx diff=docx                                   # .gitattributes
    git config diff.docx.textconv "budgetpub textconv"

``git diff`` of a template or a publication shows paragraphs (one a line) and table rows
(cells separated by `` | ``) instead of "binary files differ".
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from generator.document.ooxml import paragraph_text
from generator.errors import BudgetpubError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _body(element, lines: list[str]) -> None:
    for child in element:
        if child.tag == W + "p":
            lines.append(paragraph_text(child))
        elif child.tag == W + "tbl":
            for row in child.iter(W + "tr"):
                lines.append(" | ".join(paragraph_text(cell).strip() for cell in row.iter(W + "tc")))
            lines.append("")
        elif child.tag == W + "sdt":  # a content control (e.g. a table of contents)
            content = child.find(W + "sdtContent")
            if content is not None:
                _body(content, lines)


def docx_text(path: Path) -> str:
    parser = etree.XMLParser(resolve_entities=False)
    try:
        with zipfile.ZipFile(path) as z:
            xml = z.read("word/document.xml")
            core = z.read("docProps/core.xml") if "docProps/core.xml" in z.namelist() else b""
        root = etree.fromstring(xml, parser)
        properties = etree.fromstring(core, parser) if core else None
    except (zipfile.BadZipFile, KeyError, OSError, etree.XMLSyntaxError) as exc:
        raise BudgetpubError(f"{path} 不是可读的 .docx 文件：{exc}") from None
    lines: list[str] = []
    if properties is not None:
        for element in properties:
            if isinstance(element.tag, str) and element.text and element.text.strip():
                lines.append(f"[{element.tag.rsplit('}', 1)[-1]}] {element.text.strip()}")
        lines.append("")
    body = root.find(W + "body")
    if body is not None:
        _body(body, lines)
    return "\n".join(lines).rstrip("\n") + "\n"
