"""The sources an import writes, as YAML in the project's own style: the keys in the schema's order,
line items as one flow mapping a line, every figure followed by a comment saying where in the
publication it was read (table, row, column; or section and sentence), texts as ``|`` blocks.

The values come as plain data (dict, list, str, Decimal, bool) in which a leaf may be a ``Said``
(a value and where it was read) and a list item a ``Line`` (a flow mapping and where it was read).
A ``Said`` or ``Line`` marked ``todo`` ends its comment with ``# 待填写`` (a value the publication
does not give: ``check`` refuses the sources until it is written) or ``# 待核实`` (read, but to be
confirmed by the clerk).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import yaml

TODO, CONFIRM = "待填写", "待核实"


@dataclass
class Said:
    value: Any
    where: str = ""
    todo: str = ""  # "", TODO or CONFIRM


@dataclass
class Line:
    fields: dict
    where: str = ""
    todo: str = ""


def plain(value: Any) -> Any:
    """The value without its provenance (for the checks run on what is written)."""
    if isinstance(value, Said):
        return plain(value.value)
    if isinstance(value, Line):
        return plain(value.fields)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


_PLAIN_WORD = re.compile(r"^[\u4e00-\u9fff\uff08\uff09（）A-Za-z_][^:#{}\[\],&*!|>'\"%@`\n]*$")


_TEMPLATE = re.compile(r"\{[{%#]|[}%#]\}")


def defuse(text: str) -> str:
    """A text read from a document, never taken as a citation of a figure: ``{{ … }}`` (and ``{% %}``,
    ``{# #}``) become full-width braces, which budgetpub prints as they are and never evaluates."""
    return _TEMPLATE.sub(lambda m: m.group().replace("{", "｛").replace("}", "｝"), text) if "{" in text or "}" in text \
        else text


def scalar(value: Any) -> str:
    """One YAML scalar as the project writes it: amounts with two decimals, codes quoted, words bare
    where YAML reads them back as the same string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, int):
        return str(value)
    text = defuse(str(value))
    if _PLAIN_WORD.match(text) and text == text.strip() and _reads_back(text):
        return text
    return _quoted(text)


@functools.lru_cache(maxsize=4096)
def _reads_back(text: str) -> bool:
    """YAML reads the word back as the same string (the same words recur in every unit's file: asked once)."""
    return yaml.safe_load(text) == text


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def count(value: Decimal) -> str:
    """A count (a quantity, square metres): as an integer when it is one."""
    return str(int(value)) if value == value.to_integral_value() else f"{value.normalize():f}"


def _comment(where: str, todo: str) -> str:
    parts = [w for w in (where.replace("\n", " "),) if w]
    text = "；".join(parts)
    if todo:
        text = f"{todo}：{text}" if text else todo
    return f"  # {text}" if text else ""


def _flow(fields: dict) -> str:
    items = []
    for k, v in fields.items():
        v = plain(v)
        if isinstance(v, dict):
            items.append(f"{k}: " + _flow(v))
        else:
            items.append(f"{k}: {_leaf(k, v)}")
    return "{" + ", ".join(items) + "}"


_COUNT_KEYS = {"count", "quantity"}


def _leaf(key: str, value: Any) -> str:
    if key in _COUNT_KEYS and isinstance(value, Decimal):
        return count(value)
    return scalar(value)


def _text_block(text: str, indent: str) -> list[str] | None:
    """A ``|`` block for a text of several lines (None when YAML could not keep it as it is)."""
    lines = defuse(text).split("\n")
    if any(ln != ln.rstrip() or ln.startswith(" ") or not ln for ln in lines) or "\t" in text:
        return None
    return [indent + ln for ln in lines]


def emit(data: dict, indent: int = 0) -> list[str]:
    """The lines of a mapping."""
    out: list[str] = []
    pad = " " * indent
    for key, value in data.items():
        if value is None:
            continue
        out.extend(_entry(pad, str(key), value, indent))
    return out


def _entry(pad: str, key: str, value: Any, indent: int) -> list[str]:
    k = scalar(key) if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key) else key
    todo = where = ""
    if isinstance(value, Said):
        where, todo, value = value.where, value.todo, value.value
    if isinstance(value, Line):
        return [f"{pad}{k}: {_flow(value.fields)}" + _comment(value.where, value.todo)]
    if isinstance(value, dict):
        if not value:
            return [f"{pad}{k}: {{}}" + _comment(where, todo)]
        return [f"{pad}{k}:" + _comment(where, todo)] + emit(value, indent + 2)
    if isinstance(value, list):
        if not value:
            return [f"{pad}{k}: []" + _comment(where, todo)]
        out = [f"{pad}{k}:" + _comment(where, todo)]
        for item in value:
            out.extend(_item(pad + "  ", item, indent + 2))
        return out
    if isinstance(value, str) and "\n" in value.strip("\n"):
        block = _text_block(value.rstrip("\n"), pad + "  ")
        if block is not None:
            return [f"{pad}{k}: |" + _comment(where, todo)] + block
    return [f"{pad}{k}: {_leaf(key, value)}" + _comment(where, todo)]


def _item(pad: str, item: Any, indent: int) -> list[str]:
    if isinstance(item, Line):
        return [f"{pad}- {_flow(item.fields)}" + _comment(item.where, item.todo)]
    if isinstance(item, dict):
        lines = emit(item, indent + 2)
        first = lines[0][indent + 2:]
        return [f"{pad}- {first}"] + lines[1:]
    if isinstance(item, Said):
        return [f"{pad}- {scalar(item.value)}" + _comment(item.where, item.todo)]
    return [f"{pad}- {scalar(item)}"]


def document(head: list[str], data: dict, sections: dict[str, str] | None = None) -> str:
    """A source file: the comment lines ``head``, then the mapping; ``sections`` puts a comment line
    (and a blank line) before the key it names."""
    lines = [f"# {h}" for h in head]
    sections = sections or {}
    for key, value in data.items():
        if value is None:
            continue
        if key in sections:
            lines += ["", f"# {sections[key]}"] if sections[key] else [""]
        lines.extend(_entry("", key, value, 0))
    return "\n".join(lines) + "\n"
