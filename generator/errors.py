"""Errors as data, and operating-system errors in Chinese.

A user's mistake is never an exception with a traceback: it is a ``Problem``
(a code, a Chinese message, where it is, which field), collected into a
``Report``. Only when a report holds errors does the core raise
``InvalidSources``, which the CLI prints and maps to exit code 2.
"""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass, field
from pathlib import Path

# Characters a reader cannot see, or that change how the text around them is shown: controls (line
# breaks included), zero-width characters, and the bidirectional formatting characters (a
# right-to-left override makes "304.docx" show as "xcod.403").
INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064"
                       "\u2066-\u206f\ufeff\ufff9-\ufffb]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def visible(text: object) -> str:
    """``text`` as one line a reader sees whole: each invisible character written as its code
    (a newline as \\n, a right-to-left override as \\u202e), so a key or a name holding one
    neither splits an error over two lines nor turns it around."""
    text = str(text)
    if not INVISIBLE.search(text):
        return text
    return INVISIBLE.sub(lambda m: _ESCAPES.get(m.group(), f"\\u{ord(m.group()):04x}"), text)


@dataclass(frozen=True)
class Location:
    """A place in a source file: 1-based line and column, and the field path."""

    file: str
    line: int | None = None
    column: int | None = None
    path: str = ""

    def __str__(self) -> str:
        where = visible(self.file)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where


@dataclass(frozen=True)
class Problem:
    """One finding. ``code`` is stable (tests and tools match on it);
    ``message`` is for the finance officer, in Chinese."""

    code: str
    message: str
    location: Location | None = None
    related: tuple[Location, ...] = ()
    severity: str = "error"  # or "warning"

    def format(self) -> str:
        label = "错误" if self.severity == "error" else "警告"
        head = f"{self.location}: " if self.location else ""
        text = f"{head}{label}[{self.code}] {visible(self.message)}"
        if self.location and self.location.path:
            text += f"（字段：{visible(self.location.path)}）"
        for rel in self.related:
            text += f"\n    另见 {rel}"
            if rel.path:
                text += f"（字段：{visible(rel.path)}）"
        return text


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def error(self, code: str, message: str, location: Location | None = None,
              *related: Location) -> None:
        self.add(Problem(code, message, location, tuple(r for r in related if r)))

    def warning(self, code: str, message: str, location: Location | None = None,
                *related: Location) -> None:
        self.add(Problem(code, message, location, tuple(r for r in related if r),
                         severity="warning"))

    def extend(self, other: "Report") -> None:
        self.problems.extend(other.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def format(self) -> str:
        lines = [p.format() for p in self.errors + self.warnings]
        lines.append(f"共 {len(self.errors)} 个错误，{len(self.warnings)} 个警告。")
        return "\n".join(lines)


class BudgetpubError(Exception):
    """Base of the user-facing errors: the CLI prints them without a traceback."""

    exit_code = 2


class InvalidSources(BudgetpubError):
    """The sources have errors; the report lists them all. ``department``: the model of the sources
    when they could be read at all (only a cross-check failed), for whoever can still use their facts
    (diff lists the facts that changed even when one side does not yet add up)."""

    def __init__(self, report: Report, department=None):
        super().__init__(report.format())
        self.report = report
        self.department = department


class SourcesNotFound(BudgetpubError):
    def __init__(self, directory: Path, dept: str, year: int | str):
        super().__init__(f"找不到部门 {dept} {year} 年的预算数据目录：{directory}")
        self.directory = directory


class OutputError(BudgetpubError):
    """The publication could not be written."""


# ---------------------------------------------------------------- operating-system errors in Chinese
# Python's ``strerror`` is English ("Permission denied"); the finance officer reads Chinese.

_REASONS = {
    errno.EACCES: "没有权限",
    errno.EPERM: "操作不被允许",
    errno.ENOENT: "文件或目录不存在",
    errno.ENOTDIR: "路径中的某一级不是目录，而是文件",
    errno.EISDIR: "这是一个目录，不是文件",
    errno.EEXIST: "已存在同名的文件或目录",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "文件系统是只读的",
    errno.EDQUOT: "超出磁盘配额",
    errno.ENAMETOOLONG: "文件名太长",
    errno.ELOOP: "符号链接层数太多（可能是循环链接）",
    errno.EMFILE: "打开的文件太多",
    errno.ENFILE: "系统打开的文件太多",
    errno.EIO: "读写设备出错",
    errno.EBUSY: "文件或设备正忙",
    errno.ETXTBSY: "文件正在被使用",
    errno.EXDEV: "不能跨文件系统移动文件",
    errno.EINVAL: "参数无效",
    errno.EFBIG: "文件太大",
    errno.ENOTEMPTY: "目录不是空的",
    errno.EPIPE: "输出管道已关闭",
    errno.ENOMEM: "内存不足",
}


def os_reason(exc: OSError) -> str:
    """The Chinese reason of ``exc`` (its errno when we know it, else a general phrase)."""
    said = _REASONS.get(exc.errno) if exc.errno is not None else None
    if said:
        return said
    if exc.errno is not None:
        return f"系统错误（错误号 {exc.errno}）"
    return "系统错误"


def describe(exc: OSError, action: str, path: object | None = None) -> str:
    """``无法读取 data/x.yaml：没有权限。``"""
    where = path if path is not None else exc.filename
    return f"无法{action}{' ' + str(where) if where not in (None, '') else ''}：{os_reason(exc)}。"
