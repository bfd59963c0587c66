"""Placeholders: a text of the sources that still holds 待填写, XX, ××, ……, 某某 or a hint of the
``init`` skeleton is not published (sources/unfilled.py says which words)."""

from __future__ import annotations

from typing import Any, Iterator

from generator.errors import Location
from generator.figures.model import Department
from generator.sources.unfilled import placeholder_in

from .registry import DEPARTMENT, Context, Finding, finding, rule


def _texts(value: Any, path: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _texts(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _texts(v, path + (i,))


def _at(doc, path: tuple, text: str, offset: int) -> Location:
    """Where ``offset`` of a text is: a block (``|``) starts on the line after its key."""
    loc = doc.loc(path)
    if loc.line is None or not text.endswith("\n"):
        return loc
    return Location(loc.file, loc.line + 1 + text.count("\n", 0, offset), None, loc.path)


@rule("text.placeholder", DEPARTMENT, "文字中没有占位符（待填写、XX、××、……、某某，或 init 骨架中的提示文字）。")
def text_placeholder(dept: Department, ctx: Context) -> Iterator[Finding]:
    for doc in [dept.doc, *(u.doc for u in dept.units)]:
        for path, text in _texts(doc.data, ()):
            found = placeholder_in(text)
            if found:
                offset, what = found
                start = text.rfind("\n", 0, offset) + 1
                end = text.find("\n", offset)
                line = text[start:end if end >= 0 else len(text)].strip()
                shown = line if len(line) <= 40 else line[:40] + "……"
                context = f"（“{shown}”）" if line != what else ""
                yield finding(f"文字中有占位符 “{what}”{context}：这是骨架或范本留下的待填写内容，不能公开。"
                              "请改写为实际内容（没有的事项按说明写“无”，或删去这一项）。", _at(doc, path, text, offset))
