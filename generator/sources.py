"""Read the YAML sources of one department and year, keeping line numbers.

PyYAML's loaders lose positions, read ``6.80`` as a float, keep the last of
two equal keys without a word and turn an unquoted ``0304`` into 196. So the
files are *composed* into nodes with the safe loader (nothing is ever
constructed from a tag) and turned into plain data here:

- every mapping, sequence and scalar records where it starts, by field path;
- a float scalar becomes a ``Decimal`` built from its text, never via float;
- an int scalar stays an int, but its text is kept so a code written without
  quotes can be reported as written;
- a key written twice in one mapping is an error naming both lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from .errors import Location, Report

PathT = tuple  # a field path: keys (str) and list indexes (int)

_FLOAT_TEXT = re.compile(r"^[-+]?[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?$|^[-+]?\.[0-9_]+$")


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


class _Composer:
    def __init__(self, doc: Document, report: Report):
        self.doc = doc
        self.report = report
        self.scalars = SafeConstructor()
        self.open: set[int] = set()  # collections being converted (an alias to one is a loop)

    def _pos(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def convert(self, node: yaml.Node, path: PathT) -> Any:
        self.doc.positions[path] = self._pos(node)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        if id(node) in self.open:
            line, col = self._pos(node)
            self.report.error(
                "yaml.recursive-alias", "别名（*）引用了包含它自己的内容，形成循环：请把内容直接写出来。",
                Location(self.doc.file, line, col, format_path(path)))
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
            key = key_node.value
            if key_node.tag == "tag:yaml.org,2002:merge":
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
        shown_tag = tag.replace("tag:yaml.org,2002:", "!!")  # as written: !!binary
        if tag == "tag:yaml.org,2002:str":
            return text
        self.doc.raw[path] = text
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int"):
            try:
                if tag == "tag:yaml.org,2002:bool":
                    return self.scalars.construct_yaml_bool(node)
                return self.scalars.construct_yaml_int(node)
            except (ValueError, KeyError):  # only with an explicit tag: !!int abc, !!bool maybe
                line, col = self._pos(node)
                self.report.error(
                    "yaml.tag", f"“{text}” 不能按 YAML 标记 {shown_tag} 读取：请删去标记。",
                    Location(self.doc.file, line, col, format_path(path)))
                return text
        if tag == "tag:yaml.org,2002:float":
            cleaned = text.replace("_", "")
            if _FLOAT_TEXT.match(cleaned):
                try:
                    return Decimal(cleaned)
                except InvalidOperation:  # pragma: no cover - the regex guards
                    pass
            return text  # .inf, .nan: left as text, the schema rejects it
        if tag == "tag:yaml.org,2002:timestamp":
            return text
        line, col = self._pos(node)
        self.report.error(
            "yaml.tag", f"不支持的 YAML 标记 {shown_tag}：预算数据只能是文字、数字、列表和映射。",
            Location(self.doc.file, line, col, format_path(path)))
        return text


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
    with the pure-Python loader, whose exceptions (messages, positions) are reported."""
    if _FAST_LOADER is not None:
        try:
            return yaml.compose(text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def read_document(path: Path, shown_as: str, report: Report) -> Document | None:
    """Read one YAML file. Problems go to ``report``; ``None`` if unreadable."""
    doc = Document(shown_as, None)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        report.error("yaml.encoding", f"文件不是 UTF-8 编码（第 {line} 行有不是 UTF-8 的字节），请另存为 UTF-8。",
                     Location(shown_as, line))
        return None
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "无法解析"
        hint = "请检查缩进、冒号和引号。"
        for pattern, at_context, said in _SYNTAX:
            found = re.match(pattern, exc.problem or "")
            if found:
                what, hint = said.format(*found.groups()), ""
                if at_context and exc.context_mark:  # where the key or quote began, not where parsing gave up
                    mark = exc.context_mark
                break
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        report.error("yaml.syntax", f"YAML 语法错误：{what}。{hint}", Location(shown_as, line, col))
        return None
    except yaml.reader.ReaderError as exc:  # a control character, e.g. NUL
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        report.error("yaml.syntax", f"文件含有不允许的控制字符 #x{exc.character:04x}，请删除。",
                     Location(shown_as, line, col))
        return None
    except yaml.YAMLError as exc:  # e.g. a second document in one file
        report.error("yaml.syntax", f"YAML 语法错误：{exc}", Location(shown_as))
        return None
    if node is None:
        doc.data = {}
        doc.positions[()] = (1, 1)
        return doc
    doc.data = _Composer(doc, report).convert(node, ())
    return doc
