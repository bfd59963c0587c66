"""Catalogue files as untrusted text: a regular file of bounded size, decoded whichever way Excel
saved it, split into rows that remember their line, with every cell a reader can see.

A repository's catalogue (catalogue/<year>/*.csv) and the files ``budgetpub catalogue import``
reads come from anyone: Excel on Chinese Windows saves CSV as GBK, "Unicode 文本" as UTF-16 with
tabs, and a UTF-8 file may start with a byte-order mark. Nothing here raises on content: a
problem is reported (``Report``) with the file and line, and the caller gets None.
"""

from __future__ import annotations

import codecs
import csv
import errno
import io
import os
import re
import stat
import unicodedata
from pathlib import Path

from generator.errors import Location, Report, os_reason

CSV_MAX_BYTES = 8 * 1024 * 1024  # the whole 支出功能分类 is some 5,000 rows, well under 1 MB
MAX_ROWS = 100_000
MAX_CELL_CHARS = 1_000  # beyond, a cell is not a code or a name (and is not shown whole)

# Characters a reader cannot see, or that change what is seen around them: C0 controls but \t \n \r,
# DEL and the C1 controls, zero-width characters and joiners, bidirectional formatting, the
# byte-order mark inside a text, lone surrogates, U+FFFE and U+FFFF, line and paragraph separators.
_UNSEEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064"
                     "\u2066-\u2069\ufeff\ud800-\udfff\ufffe\uffff\u2028\u2029]")


def unseen_character(text: str) -> str | None:
    """``U+200B`` for the first character of ``text`` a reader cannot see (None: there is none)."""
    found = _UNSEEN.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def visible(text: str) -> str:
    """``text`` with each character a reader cannot see written as <U+200B>: safe to print or write."""
    return _UNSEEN.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def shorten(text: str, limit: int = 30) -> str:
    """A cell as a message quotes it: on one line, at most ``limit`` characters, nothing unseen."""
    text = " ".join(str(text).split())
    return visible(text if len(text) <= limit else text[:limit] + "…")


def read_bytes(path: Path, shown: str, report: Report, max_bytes: int, code: str) -> bytes | None:
    """The bytes of a regular file no larger than ``max_bytes``; otherwise the reason is reported."""
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "", str(path))
        if not stat.S_ISREG(mode):  # a FIFO would block, a device never end
            report.error(f"{code}.unreadable", "无法读取这个文件：它不是普通文件（可能是管道或设备）。", Location(shown))
            return None
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as exc:
        report.error(f"{code}.unreadable", f"无法读取这个文件：{os_reason(exc)}。", Location(shown))
        return None
    if len(data) > max_bytes:
        report.error(f"{code}.too-large", f"文件超过 {max_bytes // (1024 * 1024)} MB，不像是分类科目表：请检查文件是否正确。",
                     Location(shown))
        return None
    return data


def decode(data: bytes, shown: str, report: Report, code: str) -> tuple[str, str] | None:
    """The text and the name of its encoding: UTF-8 (with or without a byte-order mark), UTF-16
    with a byte-order mark, or GBK/GB18030 (what Excel on Chinese Windows writes)."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = [("utf-8", "UTF-8", 3)]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = [("utf-16", "UTF-16", 0)]
    else:
        candidates = [("utf-8", "UTF-8", 0), ("gb18030", "GBK", 0)]
    error = None
    for codec, label, skip in candidates:
        try:
            return data[skip:].decode(codec), label
        except UnicodeDecodeError as exc:
            error = exc  # the last one's: a GBK file is not UTF-8 anywhere, its bad byte is where GBK fails
    line = data.count(b"\n", 0, error.start) + 1
    report.error(f"{code}.encoding", f"第 {line} 行有既不是 UTF-8 也不是 GBK 的字节，无法读取：请在 Excel 中另存为"
                 "“CSV UTF-8（逗号分隔）”或“CSV（逗号分隔）”。", Location(shown, line))
    return None


def _delimiter(text: str) -> str:
    """A comma, unless the first lines are separated by tabs and hold no comma (Excel's “Unicode 文本”)."""
    head = [line for line in text.splitlines()[:20] if line.strip()]
    return "\t" if head and any("\t" in line for line in head) and not any("," in line for line in head) else ","


def rows(text: str, shown: str, report: Report, code: str,
         max_rows: int = MAX_ROWS) -> list[tuple[int, list[str]]] | None:
    """The rows of a CSV text, each with the line it starts on; cells NFC-normalised. A NUL, a row
    beyond ``max_rows`` or a cell beyond MAX_CELL_CHARS is reported and the whole file refused."""
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        report.error(f"{code}.character", "文件含有空字符（U+0000），不是文本文件：请检查文件是否正确。", Location(shown, line))
        return None
    out: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    start = 1
    try:
        for cells in reader:
            if len(out) >= max_rows:
                report.error(f"{code}.too-many-rows", f"文件超过 {max_rows:,} 行，不像是分类科目表：请检查文件是否正确。",
                             Location(shown, start))
                return None
            for i, cell in enumerate(cells):
                if len(cell) > MAX_CELL_CHARS:
                    report.error(f"{code}.cell-too-long", f"第 {i + 1} 列超过 {MAX_CELL_CHARS:,} 个字符，不是编码或名称："
                                 f"“{shorten(cell)}”。", Location(shown, start))
                    return None
            out.append((start, [unicodedata.normalize("NFC", c) for c in cells]))
            start = reader.line_num + 1
    except csv.Error as exc:
        report.error(f"{code}.syntax", f"CSV 格式有误（{exc}）：请在 Excel 中打开后重新另存为 CSV。", Location(shown, start))
        return None
    return out


def read_csv(path: Path, shown: str, report: Report, code: str,
             max_bytes: int = CSV_MAX_BYTES) -> tuple[list[tuple[int, list[str]]], str] | None:
    """The rows of the CSV file ``path`` and its encoding's name; None when it cannot be read."""
    data = read_bytes(path, shown, report, max_bytes, code)
    decoded = decode(data, shown, report, code) if data is not None else None
    if decoded is None:
        return None
    found = rows(decoded[0], shown, report, code)
    return (found, decoded[1]) if found is not None else None
