"""A template as untrusted input: read within bounds, and its every failure one error naming it.

``read_template(path)`` gives the bytes of a template (.docx) that may be read: a regular file of at
most TEMPLATE_BYTES, a zip package whose entries inflate to at most TEMPLATE_UNZIPPED bytes without
a zip bomb's ratio, holding word/document.xml. A Git LFS pointer committed in the template's place
is named as such.

``template_errors(path, sources)`` turns whatever a template does wrong while it is prepared or
rendered (a syntax error, something the sandbox refuses, a limit, a name the context lacks, a
part that is not XML) into ``TemplateUnusable``: an InvalidSources whose one problem names the
template file, the part and the line of the Jinja source (one paragraph of the document per line,
as docxtpl renders it), with the text of that paragraph, so that the author finds it in Word.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError
from lxml import etree

from generator.errors import InvalidSources, Location, Report, visible
from generator.files import MB, Package, Refused, read_regular

from .sandbox import TemplateLimit

TEMPLATE_BYTES = 32 * MB
TEMPLATE_UNZIPPED = 128 * MB
LFS_POINTER = b"version https://git-lfs.github.com/spec/"


class TemplateUnusable(InvalidSources):
    """The template cannot be used: the report holds one problem naming it."""

    exit_code = 2


def unusable(path: Path, code: str, message: str) -> TemplateUnusable:
    report = Report()
    report.error(code, message, Location(str(path)))
    return TemplateUnusable(report)


def read_template(path: Path) -> bytes:
    """The bytes of the template at ``path``, checked as the module docstring says."""
    try:
        data = read_regular(Path(path), TEMPLATE_BYTES)
    except Refused as exc:
        raise unusable(path, "template.unreadable", f"无法读取模板：{exc.reason}。") from None
    if data.startswith(LFS_POINTER):
        raise unusable(path, "template.lfs-pointer",
                       "这是 Git LFS 的指针文件，不是模板本身：请先运行 git lfs pull 取得模板文件。")
    try:
        package = Package(data, TEMPLATE_UNZIPPED)
        if "word/document.xml" not in package:
            raise Refused("其中没有 word/document.xml，不是 Word 文件")
        package.read_all()
    except Refused as exc:
        raise unusable(path, "template.not-docx", f"模板不是可用的 Word 文件（.docx）：{exc.reason}。") from None
    return data


# ---------------------------------------------------------------- failures, with where they are

_JINJA_MESSAGES = [
    (r"unexpected end of template", "到结尾还有没有结束的 {{ … }} 或 {% … %}（缺少 }}、endif、endfor 等）"),  # no group: as is
    (r"Encountered unknown tag '(.*?)'", "有未知的标签 “{0}”（或它前面的 {{% if %}}、{{% for %}} 已经结束）"),
    (r"unexpected '(.*?)'", "有多余的 “{0}”"),
    (r"expected token '(.*?)', got '(.*?)'", "这里应为 “{0}”，而这里是 “{1}”"),
    (r"unexpected char (.*?) at", "有不能出现在 {{{{ … }}}} 或 {{% … %}} 中的字符 {0}"),
    (r"tag name expected", "{% 之后缺少标签名"),
]
_ATTRIBUTE = re.compile(r"access to attribute '(.*?)' of '(.*?)' object is unsafe")


def syntax_message(text: str) -> str:
    """Jinja's English complaint in Chinese (a few common ones; else a general phrase)."""
    for pattern, said in _JINJA_MESSAGES:
        found = re.search(pattern, text or "")
        if found:
            return said.format(*(visible(g) for g in found.groups())) if found.groups() else said
    return "{{ … }} 或 {% … %} 的写法有误"


def _frame(exc: BaseException, names: set[str]) -> tuple[str | None, int | None]:
    """The part and line of the template the exception was raised in (Jinja's rewritten traceback)."""
    part = line = None
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name in names:
            part, line = name, tb.tb_lineno
        tb = tb.tb_next
    return part, line


def _paragraph(source: str | None, line: int | None) -> str:
    """The visible text of ``line`` of a part's Jinja source (tags dropped), shortened."""
    if not source or not line:
        return ""
    lines = source.split("\n")
    if not 0 < line <= len(lines):
        return ""
    text = re.sub(r"<[^>]*>", "", lines[line - 1]).strip()
    text = text if len(text) <= 40 else text[:38] + "……"
    return visible(text)


def _where(part: str | None, line: int | None, sources: dict[str, str]) -> str:
    if not part:
        return ""
    said = _paragraph(sources.get(part), line)
    if line is None:
        return f"（{part}）"
    return f"（{part} 第 {line} 行" + (f"，段落“{said}”" if said else "") + "）"


@contextlib.contextmanager
def template_errors(path: Path, sources: dict[str, str] | None = None):
    """Whatever the template does wrong in the block becomes TemplateUnusable (see the module docstring).
    ``sources``: the Jinja source of each part by the name it was compiled with (for the line's text)."""
    sources = sources or {}
    names = set(sources) | {"<template>"}
    try:
        yield
    except TemplateUnusable:
        raise
    except TemplateSyntaxError as exc:
        part = exc.filename if exc.filename in sources else exc.name
        where = _where(part or "word/document.xml", exc.lineno, sources)
        raise unusable(path, "template.syntax", f"模板语法错误{where}：{syntax_message(exc.message)}。") from None
    except TemplateLimit as exc:
        where = _where(*_frame(exc, names), sources)
        raise unusable(path, "template.limit", f"模板超出了限制{where}：{exc}。") from None
    except SecurityError as exc:
        where = _where(*_frame(exc, names), sources)
        found = _ATTRIBUTE.search(str(exc))
        what = (f"访问了受保护的属性 “{visible(found.group(1))}”" if found else
                str(exc) if re.search(r"[\u4e00-\u9fff]", str(exc)) else "做了沙箱不允许的事")
        raise unusable(path, "template.forbidden", f"模板{where}{what}：模板只能排版和措辞，不能调用 Python。") from None
    except UndefinedError as exc:
        where = _where(*_frame(exc, names), sources)
        found = re.search(r"'(.*?)' is undefined|has no attribute '(.*?)'", str(exc))
        name = visible(next((g for g in found.groups() if g), "")) if found else ""
        raise unusable(path, "template.undefined",
                       f"模板{where}引用了不存在的名称{f' “{name}”' if name else ''}：请对照 budgetpub 自带的模板检查拼写。") \
            from None
    except RecursionError:
        raise unusable(path, "template.limit", "模板嵌套太深（或宏无尽地调用自身）。") from None
    except MemoryError:
        raise unusable(path, "template.limit", "模板用尽了内存：模板中可能有过大的循环。") from None
    except TypeError as exc:
        where = _where(*_frame(exc, names), sources)
        if "no loader" in str(exc):
            raise unusable(path, "template.forbidden",
                           f"模板{where}试图读取其他文件（include、import 或 extends）：模板必须自成一体。") from None
        raise _failed(path, exc, where) from None
    except Exception as exc:  # raised by the template's own code, or the XML it wrote: else a bug, re-raised
        part, line = _frame(exc, names)
        if part is None and not isinstance(exc, etree.LxmlError):
            raise
        raise _failed(path, exc, _where(part, line, sources)) from None


def _failed(path: Path, exc: Exception, where: str) -> TemplateUnusable:
    detail = visible(str(exc))
    detail = detail if len(detail) <= 80 else detail[:78] + "……"
    if isinstance(exc, etree.LxmlError):
        return unusable(path, "template.xml", f"模板生成的内容不是正确的 XML{where}：模板中可能有 |safe 写出的不完整标记。")
    return unusable(path, "template.error", f"模板运行出错{where}：{type(exc).__name__}（{detail}）。")
