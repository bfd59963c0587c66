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
from generator.verify.blocks import MAX_TEXT

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


# What textconv shows is held until it is printed: bounded as verify bounds what it keeps (MAX_TEXT: a
# 200-unit publication holds some 2 million characters; 20 MB of a .docx of repeated text could hold gigabytes).
PART_BYTES = 64 * MB  # a header, footer, footnotes or comments part, and the properties (parsed whole)
MAX_HIDDEN = 1000  # template markup outside the text listed one by one (a template has some dozens)


class _TooMuch(Exception):
    pass


class _Lines(list):
    """The lines shown, at most MAX_TEXT characters (``_TooMuch`` past them)."""

    def __init__(self) -> None:
        super().__init__()
        self.left = MAX_TEXT

    def append(self, line: str) -> None:
        self.left -= len(line)
        if self.left < 0:
            raise _TooMuch()
        super().append(line)

    def __iadd__(self, lines):
        for line in lines:
            self.append(line)
        return self


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
    seen: set[str] = set()  # (a list's "in" would make a part of a million snippets quadratic)
    size = 0
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    carry = ""
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk and not carry:
            return found
        text = carry + decoder.decode(chunk, final=not chunk)
        for m in _MARKUP.finditer(_TEXT_RUN.sub(r"\1\2", text)):
            snippet = re.sub(r"<[^>]*>", "", m.group())
            if snippet not in seen:
                seen.add(snippet)
                found.append(snippet)
                size += len(snippet)
                if size > MAX_TEXT:  # what is kept to be shown, bounded as the text is
                    raise _TooMuch()
        if not chunk:
            return found
        cut = text.find("<", max(len(text) - _OVERLAP, 0))
        carry = text[cut:] if cut >= 0 else ""


def docx_text(path: Path) -> str:
    where = visible(path)
    try:
        package = Package(read_regular(Path(path), FILE_BYTES), UNZIPPED)
        lines: list[str] = _Lines()
        if "docProps/core.xml" in package:
            properties = etree.fromstring(_part(package, "docProps/core.xml"), _PARSER)
            for element in properties:
                if isinstance(element.tag, str) and element.text and element.text.strip():
                    lines.append(f"[{element.tag.rsplit('}', 1)[-1]}] {visible(element.text.strip())}")
            lines.append("")
        with package.open("word/document.xml") as stream:
            _stream_body(stream, lines)
        names = package.names()
        for pattern, what in _PARTS:
            for name in sorted(n for n in names if re.fullmatch(pattern, n)):
                root = etree.fromstring(_part(package, name), _PARSER)
                lines += ["", f"== {name}（{what}）=="]
                for child in root.iter(W + "p", W + "tbl"):
                    if child.getparent() is None or child.getparent().tag != W + "tc":  # a cell's: with its row
                        _block(child, lines)
        hidden: list[tuple[str, str]] = []
        for name in names:
            if name.endswith((".xml", ".rels")):
                with package.open(name) as stream:
                    hidden += [(name, m) for m in _markup(stream)]
        more = max(0, len(hidden) - MAX_HIDDEN)  # each is looked for in all the text shown: not a million
        if hidden:  # (none in a publication) shown above already: a property, text split over runs
            shown = "\n".join(lines)
            hidden = [f"{name}: {visible(m)}" for name, m in hidden[:MAX_HIDDEN] if visible(m) not in shown]
        if hidden or more:
            lines += ["", "== 正文之外的模板标记（属性、域代码、注释等，Word 中看不到）=="] + hidden
        if more:
            lines.append(f"（另有 {more} 处模板标记未逐一列出：一个模板不会有这么多，请检查这个文件的来源。）")
    except Refused as exc:
        raise Unreadable(f"{where} 不是可读的 .docx 文件：{exc.reason}。") from None
    except _TooMuch:
        raise Unreadable(f"{where} 中的文字超过 {MAX_TEXT // 10_000} 万字，远超一份预算公开文件或模板"
                         "（200 个单位的公开文件约 200 万字）：没有读下去。") from None
    except (etree.XMLSyntaxError, *CORRUPT, OSError, ValueError, RuntimeError):
        raise Unreadable(f"{where} 不是可读的 .docx 文件：其中的内容已损坏，或不是 Word 的格式。") from None
    return "\n".join(lines).rstrip("\n") + "\n"


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _part(package: Package, name: str) -> bytes:
    """A small part, read whole: at most PART_BYTES inflated."""
    size = package.zip.getinfo(name).file_size
    if size > PART_BYTES:
        raise Refused(f"其中的 {name} 解压后有 {size // MB} MB，页眉、页脚、批注或属性不会这么大")
    return package.read(name)
