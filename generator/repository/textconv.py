"""``budgetpub textconv FILE.docx``: the text of a Word file, for ``git diff``.

With this in a budget repository's .gitattributes and git config::

    *.docx diff=docx                                   # .gitattributes
    git config diff.docx.textconv "budgetpub textconv"

``git diff`` of a template or a publication shows paragraphs (one a line) and table rows
(cells separated by `` | ``) instead of "binary files differ".

A change to the template is reviewed through this text, so it shows every part a template is
rendered from, not only the body: the document properties, then the body, then each header,
footer, footnote, endnote and comment part under a line naming it (``== word/footer1.xml（页脚）==``),
and last any Jinja markup (``{{ … }}``, ``{% … %}``, ``{# … #}``) found anywhere else in any part:
in an attribute, a field code, deleted text or an XML comment, where Word shows nothing.

The file is untrusted (git hands over whatever was committed): a regular file of bounded size,
whose entries are inflated within bounds (files.Package); the body is read as a stream.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from lxml import etree

from generator.document.ooxml import paragraph_text
from generator.errors import BudgetpubError, visible
from generator.files import CORRUPT, MB, Package, Refused, read_regular

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FILE_BYTES = 512 * MB
UNZIPPED = 4096 * MB

_PARTS = [  # (pattern of the part's name, what it is)
    (r"word/header\d*\.xml", "页眉"), (r"word/footer\d*\.xml", "页脚"), (r"word/footnotes\.xml", "脚注"),
    (r"word/endnotes\.xml", "尾注"), (r"word/comments\w*\.xml", "批注"), (r"word/glossary/document\.xml", "文档部件"),
]
_MARKUP = re.compile(r"\{(?:<[^>]*>)*[{%#].*?[}%#](?:<[^>]*>)*\}", re.S)
_TEXT_RUN = re.compile(r"(<w:t(?:\s[^>]*)?>)[^<]*(</w:t>)")
_CHUNK = 8 * MB
_OVERLAP = 64 * 1024


class Unreadable(BudgetpubError):
    """The file given to textconv cannot be read as a Word file."""


def _body(element, lines: list[str]) -> None:
    for child in element:
        _block(child, lines)


def _block(child, lines: list[str]) -> None:
    if child.tag == W + "p":
        lines.append(visible(paragraph_text(child)))
    elif child.tag == W + "tbl":
        for row in child.iter(W + "tr"):
            lines.append(" | ".join(visible(paragraph_text(cell).strip()) for cell in row.iter(W + "tc")))
        lines.append("")
    elif child.tag == W + "sdt":  # a content control (e.g. a table of contents)
        content = child.find(W + "sdtContent")
        if content is not None:
            _body(content, lines)


def _stream_body(stream, lines: list[str]) -> None:
    """The body's paragraphs and tables, one block at a time (a large publication is not held whole)."""
    body = None
    for event, el in etree.iterparse(stream, events=("start", "end"), huge_tree=True, resolve_entities=False,
                                     no_network=True):
        if event == "start":
            if el.tag == W + "body" and body is None:
                body = el
            continue
        if el is body:
            break
        if body is not None and el.getparent() is body:
            _block(el, lines)
            el.clear()
            while el.getprevious() is not None:
                del body[0]


def _markup(stream) -> list[str]:
    """Jinja markup in a part outside ordinary text (attributes, field codes, comments), read in pieces
    (each piece with the end of the one before, from a tag on, so markup across the cut is found whole)."""
    found: list[str] = []
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    carry = ""
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk and not carry:
            return found
        text = carry + decoder.decode(chunk, final=not chunk)
        for m in _MARKUP.finditer(_TEXT_RUN.sub(r"\1\2", text)):
            snippet = re.sub(r"<[^>]*>", "", m.group())
            if snippet not in found:
                found.append(snippet)
        if not chunk:
            return found
        cut = text.find("<", max(len(text) - _OVERLAP, 0))
        carry = text[cut:] if cut >= 0 else ""


def docx_text(path: Path) -> str:
    where = visible(path)
    try:
        package = Package(read_regular(Path(path), FILE_BYTES), UNZIPPED)
        lines: list[str] = []
        if "docProps/core.xml" in package:
            properties = etree.fromstring(package.read("docProps/core.xml"), _PARSER)
            for element in properties:
                if isinstance(element.tag, str) and element.text and element.text.strip():
                    lines.append(f"[{element.tag.rsplit('}', 1)[-1]}] {visible(element.text.strip())}")
            lines.append("")
        with package.open("word/document.xml") as stream:
            _stream_body(stream, lines)
        names = package.names()
        for pattern, what in _PARTS:
            for name in sorted(n for n in names if re.fullmatch(pattern, n)):
                root = etree.fromstring(package.read(name), _PARSER)
                lines += ["", f"== {name}（{what}）=="]
                for child in root.iter(W + "p", W + "tbl"):
                    if child.getparent() is None or child.getparent().tag != W + "tc":  # a cell's: with its row
                        _block(child, lines)
        hidden: list[tuple[str, str]] = []
        for name in names:
            if name.endswith((".xml", ".rels")):
                with package.open(name) as stream:
                    hidden += [(name, m) for m in _markup(stream)]
        if hidden:  # (none in a publication) shown above already: a property, text split over runs
            shown = "\n".join(lines)
            hidden = [f"{name}: {visible(m)}" for name, m in hidden if visible(m) not in shown]
        if hidden:
            lines += ["", "== 正文之外的模板标记（属性、域代码、注释等，Word 中看不到）=="] + hidden
    except Refused as exc:
        raise Unreadable(f"{where} 不是可读的 .docx 文件：{exc.reason}。") from None
    except (etree.XMLSyntaxError, *CORRUPT, OSError, ValueError, RuntimeError):
        raise Unreadable(f"{where} 不是可读的 .docx 文件：其中的内容已损坏，或不是 Word 的格式。") from None
    return "\n".join(lines).rstrip("\n") + "\n"


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
