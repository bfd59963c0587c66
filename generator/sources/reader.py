"""Read the YAML sources of one department and year, keeping line numbers.

PyYAML's loaders lose positions, read ``6.80`` as a float, keep the last of
two equal keys without a word and, by YAML 1.1, turn an unquoted ``0304`` into
196, ``27:56`` into 1676 and ``yes`` into true. So the files are *composed* into
nodes with the safe loader (nothing is ever constructed from a tag) and turned
into plain data here:

- every mapping, sequence and scalar records where it starts, by field path;
- plain scalars are read by the YAML 1.2 core schema (numbers.py): a plain
  decimal becomes an int or a ``Decimal`` built from its text, never via float;
  a number in any other form (``0167``, ``27:56``, ``1e3``) is neither a number
  nor text, and the schema says how to write it; ``yes`` is text;
- the text of every non-text scalar is kept, so that a code written without
  quotes can be reported as written;
- texts and keys are compared and published in Unicode NFC; a character a reader
  cannot see (a control, a zero-width or a bidirectional formatting character)
  is an error at its place;
- a key written twice in one mapping is an error naming both lines.

Hostile input is bounded (see "Limits" below): a file too large, nested too
deep, with too many nodes or an alias bomb is one error, reported within a
second and with bounded memory; a character a Word file cannot hold is an
error at its place, never silently dropped; a file that cannot be read is an
error with a Chinese reason, never a traceback.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from generator.errors import Location, Report, os_reason
from generator.files import Refused, read_regular

from .numbers import PLAIN_TAG, NumberForm, PlainResolver, resolve

PathT = tuple  # a field path: keys (str) and list indexes (int)


def format_path(path: PathT) -> str:
    """``("basic", 0, "function", 3, "amount")`` → ``basic[0].function[3].amount``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


@dataclass
class Document:
    """One YAML file as plain data, with a location for every field path."""

    file: str  # as shown to the user (relative to the data root when possible)
    data: Any
    positions: dict[PathT, tuple[int, int]] = field(default_factory=dict)
    raw: dict[PathT, str] = field(default_factory=dict)  # text of non-string scalars
    keys: dict[PathT, tuple[int, int]] = field(default_factory=dict)  # where each key is written
    reported: set[PathT] = field(default_factory=set)  # already reported while reading: the schema stays quiet
    quoted: set[PathT] = field(default_factory=set)  # scalars written in quotes ("0.04": an amount as text)

    def was_reported(self, path: PathT) -> bool:
        return any(tuple(path[:len(r)]) == r for r in self.reported)

    def loc(self, path: PathT = ()) -> Location:
        """The location of ``path``, or of its nearest ancestor that exists."""
        path = tuple(path)
        probe = path
        while probe not in self.positions and probe:
            probe = probe[:-1]
        line, col = self.positions.get(probe, (None, None))
        return Location(self.file, line, col, format_path(path))

    def key_loc(self, path: PathT) -> Location:
        """The location of the key of ``path`` (for an unknown or misspelt key)."""
        path = tuple(path)
        if path in self.keys:
            line, col = self.keys[path]
            return Location(self.file, line, col, format_path(path))
        return self.loc(path)


# ---------------------------------------------------------------- limits (hostile input)

MAX_BYTES = 4 * 1024 * 1024  # a unit file is some 10 KB; a department of 20 units well below 1 MB
MAX_DEPTH = 64  # budget data nest some 8 levels; PyYAML's own recursion dies near 500
MAX_NODES = 50_000  # nodes as written, per file (a unit file has some 1,500)
MAX_EXPANDED = 50_000  # nodes after expanding aliases (*x), per file: bounds an alias bomb
MAX_NUMBER_CHARS = 100  # beyond, a number is not shown whole (and Python refuses ints over 4300 digits)


class _LimitExceeded(Exception):
    def __init__(self, code: str, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.code, self.message, self.line, self.column = code, message, line, column


def _too_many_nodes(mark) -> _LimitExceeded:
    return _LimitExceeded("yaml.too-many-nodes",
                          f"文件中的数据项超过 {MAX_NODES:,} 个，不像是一个部门或单位的预算：请检查文件是否正确。",
                          mark.line + 1, mark.column + 1)


def _too_deep(mark) -> _LimitExceeded:
    return _LimitExceeded("yaml.too-deep",
                          f"列表或映射嵌套超过 {MAX_DEPTH} 层：预算数据不会嵌套这么深，请检查缩进和括号。",
                          mark.line + 1, mark.column + 1)


class _BoundedLoader(PlainResolver, yaml.SafeLoader):
    """The safe loader, composing nodes only (plain scalars left to numbers.resolve: YAML 1.2 core),
    with a bound on nesting depth and node count.

    PyYAML's composer is recursive: 500 nested lists end in a RecursionError.
    Counting here stops well before, at the line where the nesting goes too deep."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent, index):
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise _too_many_nodes(self.peek_event().start_mark)
        if self.check_event(yaml.SequenceStartEvent, yaml.MappingStartEvent):
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise _too_deep(self.peek_event().start_mark)
            try:
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1
        return super().compose_node(parent, index)


def _compose_bounded(text: str) -> yaml.Node | None:
    loader = _BoundedLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


# Characters a Word file (XML 1.0) cannot hold, or that Word turns into a paragraph or line break:
# C0 controls but \t \n \r, DEL and the C1 controls, lone surrogates, U+FFFE and U+FFFF.
_BAD_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u2028\u2029"
                            "\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]")
# Characters a reader cannot see: two names that look the same would differ, a name would read backwards.
_ZERO_WIDTH = "\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff"
_DIRECTION = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BREAKS = {"\x0b": "垂直制表符", "\x0c": "换页符", "\x85": "下一行符（NEL）",
           "\u2028": "行分隔符", "\u2029": "段落分隔符"}
# Written literally, these are line breaks to YAML 1.1 (PyYAML counts lines by them): found before parsing.
_LITERAL_BREAK = re.compile("[\x85\u2028\u2029]")


def _character_problem(ch: str) -> str:
    code = f"U+{ord(ch):04X}"
    if ch in _ZERO_WIDTH:
        return (f"含有看不见的零宽字符 {code}：读者看不到它，看起来相同的两个名称会因它而不同：请删除它")
    if ch in _DIRECTION:
        return (f"含有改变文字方向的控制字符 {code}：它会让文字显示得与实际不同（如文件名倒着显示）：请删除它")
    if 0x206A <= ord(ch) <= 0x206F or 0xFFF9 <= ord(ch) <= 0xFFFB:
        return f"含有看不见的格式字符 {code}：请删除它"
    if ch in _BREAKS:
        return f"含有字符 {code}（{_BREAKS[ch]}），它会把段落断开：请改为换行，或删除它"
    if 0xD800 <= ord(ch) <= 0xDFFF:
        return f"含有不成对的代理字符 {code}，Word 文件无法保存它（其后的文字会丢失）：请删除它"
    if ch in "\ufffe\uffff":
        return f"含有非字符 {code}，Word 文件无法保存它：请删除它"
    return f"含有控制字符 {code}，Word 文件无法保存它（会悄悄丢失）：请删除它"


def _check_literal_breaks(text: str, shown_as: str, report: Report) -> bool:
    """Report every line-breaking character written literally in ``text``; False if any."""
    ok = True
    for found in _LITERAL_BREAK.finditer(text):
        line = text.count("\n", 0, found.start()) + 1
        col = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        report.error("text.bad-character", f"这一行{_character_problem(found.group())}。",
                     Location(shown_as, line, col))
        ok = False
    return ok


def _read_text(path: Path, shown_as: str, report: Report, root: Path | None = None) -> str | None:
    """The file's text, or None with the reason reported (not a regular file, a link out of ``root``,
    unreadable, too large, not UTF-8)."""
    try:
        data = read_regular(path, MAX_BYTES, root)
    except Refused as exc:
        said = f"{exc.reason}。" if exc.kind == "too-large" else f"无法读取这个文件：{exc.reason}。"
        report.error(f"files.{exc.kind}", said, Location(shown_as))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        report.error("yaml.encoding", f"文件不是 UTF-8 编码（第 {line} 行有不是 UTF-8 的字节），请另存为 UTF-8。",
                     Location(shown_as, line))
        return None


def check_directory(directory: Path, shown_as: str, report: Report) -> bool:
    """Whether the sources folder can be listed; if not, the reason is reported."""
    try:
        with os.scandir(directory):
            pass
    except (FileNotFoundError, NotADirectoryError):
        return True  # not there at all: the caller says which department and year is missing
    except OSError as exc:
        report.error("files.unreadable", f"无法读取这个目录：{os_reason(exc)}。", Location(shown_as))
        return False
    return True


class _Composer:
    def __init__(self, doc: Document, report: Report):
        self.doc = doc
        self.report = report
        self.open: set[int] = set()  # collections being converted (an alias to one is a loop)
        self.expanded = 0  # nodes converted, counting each alias expansion again

    def _count(self, node: yaml.Node) -> None:
        """PyYAML shares an aliased node; converting copies it. Bound the copies (alias bomb)."""
        self.expanded += 1
        if self.expanded > MAX_EXPANDED:
            line, col = self._pos(node)
            raise _LimitExceeded(
                "yaml.alias-bomb",
                f"别名（*）展开后的数据项超过 {MAX_EXPANDED:,} 个（层层引用的别名会成倍展开）："
                "请把内容直接写出来，不要嵌套引用别名。", line, col)

    def _check_characters(self, text: str, node: yaml.Node, path: PathT) -> None:
        found = _BAD_CHARACTER.search(text)
        if found:
            line, col = self._pos(node)
            where = f"第 {found.start() + 1} 个字处" if len(text) > 1 else ""
            self.report.error("text.bad-character", f"文字{where}{_character_problem(found.group())}。",
                              Location(self.doc.file, line, col, format_path(path)))

    def _pos(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def convert(self, node: yaml.Node, path: PathT) -> Any:
        self._count(node)
        self.doc.positions[path] = self._pos(node)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        if id(node) in self.open:
            line, col = self._pos(node)
            self.report.error(
                "yaml.recursive-alias", "别名（*）引用了包含它自己的内容，形成循环：请把内容直接写出来。",
                Location(self.doc.file, line, col, format_path(path)))
            self.doc.reported.add(path)
            return None
        if node.tag not in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):  # !!set, !!omap, !foo
            line, col = self._pos(node)
            self.report.error(
                "yaml.tag", f"不支持的 YAML 标记 {node.tag.replace('tag:yaml.org,2002:', '!!')}："
                "预算数据只能是文字、数字、列表和映射。",
                Location(self.doc.file, line, col, format_path(path)))
        self.open.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path)
            return [self.convert(child, path + (i,)) for i, child in enumerate(node.value)]
        finally:
            self.open.discard(id(node))

    def _mapping(self, node: yaml.MappingNode, path: PathT) -> dict:
        out: dict[str, Any] = {}
        first_seen: dict[str, tuple[int, int]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                line, col = self._pos(key_node)
                self.report.error(
                    "yaml.complex-key", "键必须是简单的文字，不能是列表或映射。",
                    Location(self.doc.file, line, col, format_path(path)))
                continue
            key = _nfc(key_node.value)
            self._check_characters(key, key_node, path + (key,))
            if key_node.tag == PLAIN_TAG and key == "<<":  # YAML 1.1's merge key: not read as one, not as text
                line, col = self._pos(key_node)
                self.report.error(
                    "yaml.merge-key", "不支持合并键 “<<”：请把字段直接写出来。",
                    Location(self.doc.file, line, col, format_path(path)))
                continue
            if key in first_seen:
                line, col = self._pos(key_node)
                fline, fcol = first_seen[key]
                self.report.error(
                    "yaml.duplicate-key",
                    f"键 “{key}” 在同一映射中出现了两次（第一次在第 {fline} 行）。"
                    "YAML 会悄悄只保留后一个值，请删除或合并其中一个。",
                    Location(self.doc.file, line, col, format_path(path + (key,))),
                    Location(self.doc.file, fline, fcol, format_path(path + (key,))))
                continue
            first_seen[key] = self._pos(key_node)
            self.doc.keys[path + (key,)] = first_seen[key]
            out[key] = self.convert(value_node, path + (key,))
        return out

    def _scalar(self, node: yaml.ScalarNode, path: PathT) -> Any:
        tag = node.tag
        text = node.value
        if tag == PLAIN_TAG or tag == _STR:
            if tag == _STR or not _MAYBE_NOT_TEXT.match(text):  # text: most scalars, decided at a glance
                self._check_characters(text, node, path)
                if tag == _STR and node.style in ("'", '"'):
                    self.doc.quoted.add(path)
                return _nfc(text)
            return self._plain(node, path, text)
        shown_tag = tag.replace("tag:yaml.org,2002:", "!!")  # as written: !!binary
        self.doc.raw[path] = text
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag == "tag:yaml.org,2002:timestamp":
            return text
        wanted = {"tag:yaml.org,2002:bool": (bool,), "tag:yaml.org,2002:int": (int, NumberForm),
                  "tag:yaml.org,2002:float": (int, Decimal, NumberForm)}.get(tag)
        if wanted is None:
            line, col = self._pos(node)
            self.report.error(
                "yaml.tag", f"不支持的 YAML 标记 {shown_tag}：预算数据只能是文字、数字、列表和映射。",
                Location(self.doc.file, line, col, format_path(path)))
            return text
        value = self._plain(node, path, text)
        if path in self.doc.reported or (isinstance(value, wanted) and (bool in wanted) == isinstance(value, bool)):
            return value
        line, col = self._pos(node)  # !!int abc, !!bool maybe
        self.report.error("yaml.tag", f"“{text}” 不能按 YAML 标记 {shown_tag} 读取：请删去标记。",
                          Location(self.doc.file, line, col, format_path(path)))
        return text

    def _plain(self, node: yaml.ScalarNode, path: PathT, text: str) -> Any:
        """A plain scalar by YAML 1.2 core (numbers.resolve): null, a boolean, a plain decimal, a
        number in another form (NumberForm), or text."""
        if len(text) > MAX_NUMBER_CHARS and _NUMBER_CHARS.fullmatch(text):
            line, col = self._pos(node)
            self.report.error(
                "yaml.number-too-long",
                f"数字太长（{len(text):,} 个字符：{text[:12]}…{text[-4:]}）：金额和编码都不会这么长，请检查。",
                Location(self.doc.file, line, col, format_path(path)))
            self.doc.raw[path] = text
            self.doc.reported.add(path)
            return None
        value = resolve(text)
        if isinstance(value, str):
            self._check_characters(text, node, path)
            return _nfc(text)
        self.doc.raw[path] = text
        return value


_STR = "tag:yaml.org,2002:str"
# A plain scalar that may be null, a boolean or a number: empty, ~, a word of null/true/false, or
# starting with a digit, a sign or a dot. Anything else is text without a closer look.
_MAYBE_NOT_TEXT = re.compile(r"$|[-+.0-9~]|(?:null|Null|NULL|true|True|TRUE|false|False|FALSE)$")
_NUMBER_CHARS = re.compile(r"[-+0-9._:eExXoObB]+")


def _nfc(text: str) -> str:
    """Text as compared and published: Unicode NFC (two names that differ only in how a character is
    composed are the same name)."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _shallower_line_above(text: str, line: int | None, col: int | None) -> int | None:
    """The nearest line above ``line`` holding content less indented than column ``col``: the line
    whose indentation closed the block that ``line`` was indented for (None if it is the line just
    above, which the message already implies)."""
    if not line or not col:
        return None
    lines = text.split("\n")
    for n in range(line - 1, 0, -1):
        content = lines[n - 1]
        stripped = content.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        if len(content) - len(stripped) < col - 1:
            return n if n < line - 1 else None
    return None


# PyYAML's commonest complaints, in Chinese: (problem, report where the context began, message).
_SYNTAX = [
    (r"found character '\\t'", False, "这里有制表符（Tab）：YAML 只能用空格缩进"),
    (r"found character '(.)' that cannot start", False, "“{0}” 不能作为值的开头：请给这个值加引号"),
    (r"mapping values are not allowed", False, "这里不能再有“键: 值”：一行只能有一个冒号加空格，"
                                                "含“: ”的文字请加引号，或检查缩进"),
    (r"could not find expected ':'", True, "这一行缺少冒号：应写成“键: 值”（冒号后加空格）"),
    (r"found unexpected end of stream", True, "从这里开始的引号到文件末尾都没有结束：请补上另一半引号"),
    (r"expected ',' or '([]}])'", True, "从这里开始的括号没有用 “{0}” 结束，或两项之间缺少逗号"),
    (r"expected <block end>", False, "这一行的缩进与上文不一致，或引号后面还有多余的文字"),
    (r"but found another document", False, "一个文件只能有一份数据：请删去多余的 “---”"),
    (r"found undefined alias '(.*)'", False, "别名 *{0} 前面没有定义（&{0}）"),
]


_FAST_LOADER = getattr(yaml, "CSafeLoader", None)  # libyaml, when PyYAML was built with it


def _compose(text: str) -> yaml.Node | None:
    """The node tree of one YAML document: libyaml's C parser when installed (several
    times faster), else the pure-Python one. Both give the same nodes, tags and
    positions (tests/test_sources_fast.py); on any problem the text is parsed again
    with the pure-Python loader, whose exceptions (messages, positions) are reported.

    Both are bounded (depth, node count: see "Limits"): libyaml's composer recurses in C,
    so its events are counted first (the event stream is not recursive)."""
    if _FAST_LOADER is not None:
        try:
            _check_events(yaml.parse(text, Loader=_FAST_LOADER))
            return yaml.compose(text, Loader=_core_loader(_FAST_LOADER))
        except yaml.YAMLError:
            pass
    return _compose_bounded(text)


@functools.lru_cache(maxsize=None)
def _core_loader(base: type) -> type:
    """``base`` (libyaml's loader) resolving plain scalars by YAML 1.2 core (numbers.PlainResolver)."""
    return type(f"Core{base.__name__}", (PlainResolver, base), {})


def _check_events(events) -> None:
    """Raise _LimitExceeded where the nesting gets too deep or the nodes too many."""
    depth = nodes = 0
    for event in events:
        if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            nodes += 1
            if nodes > MAX_NODES:
                raise _too_many_nodes(event.start_mark)
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise _too_deep(event.start_mark)
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


def _content_line_above(text: str, line: int | None) -> int | None:
    """The nearest line above ``line`` that holds more than a comment."""
    lines = text.split("\n")
    for above in range(min((line or 1) - 2, len(lines) - 1), -1, -1):
        content = lines[above].strip()
        if content and not content.startswith("#"):
            return above + 1
    return None


def _quote_opened_above(text: str, line: int | None, col: int | None) -> tuple[int, int] | None:
    """Where a quote opens that runs on to ``line`` (an odd number of them there before ``col``), if any."""
    if not line or not col:
        return None
    lines = text.split("\n")
    if line > len(lines):
        return None
    for quote in ('"', "'"):
        if lines[line - 1][:col - 1].count(quote) % 2 == 0:
            continue
        for above in range(line - 2, -1, -1):
            if lines[above].count(quote) % 2 == 1:
                return above + 1, lines[above].rfind(quote) + 1
    return None


def _missing_colon_above(text: str, line: int | None) -> int | None:
    """The line above ``line`` if it is plain text with no ``: `` (a key that lost its colon or its space)."""
    if not line:
        return None
    lines = text.split("\n")
    for above in range(line - 2, -1, -1):
        content = lines[above].split(" #")[0].strip() if above < len(lines) else ""
        if not content or content.startswith("#"):
            continue
        if re.search(r":(\s|$)", content) or content.startswith(("- ", "[", "{", '"', "'", "|", ">")):
            return None
        return above + 1
    return None


_FULL_WIDTH_KEY = re.compile(r"^\s*(?:-\s+)?[^\s:：#'\"{\[][^:：#]*：")
_BRACES_START = re.compile(r"(?:^|:\s+|^\s*-\s+)[\"']?\{\{")


def _common_slip(text: str, lines: list[int | None]) -> tuple[int, str] | None:
    """A slip that YAML reports as something else, on one of ``lines``: a key written with a full-width
    colon (YAML then sees no key at all), or a text that starts with {{ (YAML reads { as a mapping)."""
    rows = text.split("\n")
    for line in dict.fromkeys(n for n in lines if n):
        row = rows[line - 1] if line <= len(rows) else ""
        if _FULL_WIDTH_KEY.match(row) and not re.search(r":(\s|$)", row.split("：", 1)[0]):
            key = row.split("：", 1)[0].strip().lstrip("- ").strip()
            return line, (f"这一行的冒号是全角的“：”：键和值之间要用半角冒号加空格，写成“{key}: …”")
        if _BRACES_START.search(row):
            key = row.split(":", 1)[0].strip().lstrip("- ").strip() if ":" in row else "duties"
            return line, (f"以 {{{{ 开头的文字要整个加引号（否则 YAML 把 {{ 读作映射的开始），写成：{key}: \"{{{{ …\"")
    return None


def read_document(path: Path, shown_as: str, report: Report, root: Path | None = None) -> Document | None:
    """Read one YAML file (a symbolic link may not lead out of ``root``, the repository). Problems go
    to ``report``; ``None`` if unreadable."""
    doc = Document(shown_as, None)
    text = _read_text(path, shown_as, report, root)
    if text is None or not _check_literal_breaks(text, shown_as, report):
        return None
    try:
        node = _compose(text)
    except _LimitExceeded as exc:
        report.error(exc.code, exc.message, Location(shown_as, exc.line, exc.column))
        return None
    except RecursionError:  # pragma: no cover - MAX_DEPTH stops nesting long before
        report.error("yaml.too-deep", "列表或映射嵌套太深：请检查缩进和括号。", Location(shown_as))
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = None
        hint = ""
        for pattern, at_context, said in _SYNTAX:
            found = re.match(pattern, exc.problem or "")
            if found:
                what, hint = said.format(*found.groups()), ""
                if at_context and exc.context_mark:  # where the key or quote began, not where parsing gave up
                    mark = exc.context_mark
                break
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        context_line = exc.context_mark.line + 1 if exc.context_mark else None
        slip = _common_slip(text, [line, context_line, _content_line_above(text, line), _missing_colon_above(text, line)])
        if slip:
            report.error("yaml.syntax", f"YAML 语法错误：{slip[1]}。", Location(shown_as, slip[0], 1))
            return None
        cause = _missing_colon_above(text, line) if (exc.problem or "").startswith("mapping values") else None
        if cause:  # `code "304"` above `name: x`: YAML reads both lines as one text, and fails on the second
            report.error("yaml.syntax", "YAML 语法错误：这一行缺少冒号：应写成“键: 值”（冒号后加空格）。",
                         Location(shown_as, cause, 1), Location(shown_as, line, col))
            return None
        if what is None:  # PyYAML's English is not for the reader: say where, and where else to look
            above = _content_line_above(text, line)
            report.error("yaml.syntax", "YAML 语法错误：这里的写法不对。请检查这一行和上一行的缩进、冒号和引号"
                         "（以 !、&、*、%、@、` 开头的文字要加引号）。",
                         Location(shown_as, line, col), *([Location(shown_as, above)] if above else []))
            return None
        opened = _quote_opened_above(text, line, col)
        if opened:  # `code: "304` : the text runs on to the next quote, lines below, and fails there
            report.error("yaml.syntax", "YAML 语法错误：引号没有闭合：从这里开始的引号一直延续到下面的某一行。"
                         "请补上另一半引号。", Location(shown_as, *opened), Location(shown_as, line, col))
            return None
        block = exc.context_mark if (exc.problem or "").startswith("expected <block end>") else None
        if block is not None and block.column > 0 and block.line + 1 != line:
            # A nested block whose indentation went wrong: where it began is where to look, too.
            report.error("yaml.syntax", f"YAML 语法错误：{what}。{hint}", Location(shown_as, line, col),
                         Location(shown_as, block.line + 1, block.column + 1))
            return None
        shallower = _shallower_line_above(text, line, col) if block is not None else None
        if shallower:
            # A line above ended the block this line belongs to (a key at the margin breaking a list):
            # where the indentation dropped is where to look, too.
            report.error("yaml.syntax", f"YAML 语法错误：{what}。{hint}", Location(shown_as, line, col),
                         Location(shown_as, shallower, 1))
            return None
        report.error("yaml.syntax", f"YAML 语法错误：{what}。{hint}", Location(shown_as, line, col))
        return None
    except yaml.reader.ReaderError as exc:  # a control character, e.g. NUL
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        report.error("yaml.syntax", f"文件含有不允许的控制字符 #x{exc.character:04x}，请删除。",
                     Location(shown_as, line, col))
        return None
    except yaml.YAMLError:  # e.g. a second document in one file
        report.error("yaml.syntax", "YAML 语法错误：无法解析这个文件。请检查缩进、冒号和引号。", Location(shown_as))
        return None
    if node is None:
        doc.data = {}
        doc.positions[()] = (1, 1)
        return doc
    try:
        doc.data = _Composer(doc, report).convert(node, ())
    except _LimitExceeded as exc:
        report.error(exc.code, exc.message, Location(shown_as, exc.line, exc.column))
        return None
    return doc
