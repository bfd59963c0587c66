"""An import written into the repository's catalogue/<year>/, and the report of what was read.

Each classification found is written whole (function-classification.csv, economic-classification.csv:
code, name, level, parent_code and the file, sheet and row it came from), replacing the one there;
a classification the files do not hold is left as it was. imported.csv records which classifications
came whole from an official file (and which file, by name and SHA-256): `check` then treats them as
complete. The report compares the new classification with the one it replaces and with the year
before's, so that a code that changed meaning is seen when it is imported.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import tempfile
from pathlib import Path
from typing import Callable

from generator.errors import BudgetpubError, InvalidSources, Location, Report, describe
from generator.figures.catalogue import FILES, IMPORTED_FILE, KIND_WORDS, LEVELS, read_codes
from generator.figures.csvtext import read_bytes, read_csv

from .catalogue_import import KINDS, LEVEL_WORDS, MAX_SKIPPED_LISTED, Imported, hierarchy, missing_classes, read_sheet
from .sheets import XLSX_MAX_BYTES, read_sheets

MAX_CHANGES_LISTED = 100


def _count(n: int) -> str:
    return f"{n:,}"


def _levels(kind: str, codes) -> str:
    by_length = {n: sum(1 for c in codes if len(c) == n) for n in LEVELS[kind]}
    return "、".join(f"{LEVEL_WORDS[i]} {_count(by_length[n])}" for i, n in enumerate(LEVELS[kind]))


class ImportFailed(BudgetpubError):
    """A file could not be read whole: nothing was written. ``lines`` say what was read; ``report`` the errors."""

    def __init__(self, lines: list[str], report: Report):
        super().__init__("\n".join(lines + [report.format()]))
        self.lines, self.report = lines, report


def read_files(files: list[Path], shown: Callable[[Path], str]) -> tuple[Imported, list[str]]:
    """Every sheet of ``files`` read; the report's lines saying what each sheet gave."""
    out, lines = Imported(), []
    for path in files:
        before = len(out.sheets)
        sheets = read_sheets(path, shown(path), out.report)
        for sheet in sheets or []:
            read_sheet(sheet, path.name, out)
        lines.append(f"读取 {shown(path)}：" + ("" if sheets is not None else "无法读取（原因见下）。"))
        lines += _sheet_lines(out.sheets[before:])
    if out.unlisted_errors:
        out.report.error("import.more", f"另有 {_count(out.unlisted_errors)} 个错误未列出（只列出前 {len(out.report.errors)} 个）。")
    return out, lines


def _sheet_lines(results) -> list[str]:
    lines = []
    for result in results:
        sheet = result.sheet
        what = f"{sheet.encoding} 编码的 CSV 文件" if sheet.encoding else f"工作表“{sheet.name}”" + (
            "（隐藏）" if sheet.hidden else "")
        if result.not_read:
            lines.append(f"  {what}：{result.not_read}")
            continue
        lines.append(f"  {what}：{result.header}")
        for kind in KINDS:
            counts = {n: result.read[(kind, n)] for n in LEVELS[kind]}
            if any(counts.values()):
                lines.append(f"    读到{KIND_WORDS[kind]} {_count(sum(counts.values()))} 个编码（" + "、".join(
                    f"{LEVEL_WORDS[i]} {_count(counts[n])}" for i, n in enumerate(LEVELS[kind])) + "）")
        for what_else, n in result.left_out.items():
            lines.append(f"    未导入{what_else} {_count(n)} 行：部门预算公开不用这种分类。")
        if result.skipped:
            listed = "；".join(f"第 {row} 行 {why}" for row, why in result.skipped[:MAX_SKIPPED_LISTED])
            rest = len(result.skipped) - MAX_SKIPPED_LISTED
            more = f"；另有 {_count(rest)} 行" if rest > 0 else ""
            lines.append(f"    跳过 {_count(len(result.skipped))} 行：{listed}{more}")
        if result.ignored_columns:
            lines.append(f"    未读取的列：{'、'.join(result.ignored_columns)}")
        lines += [f"    {note}" for note in result.notes]
    return lines


def _changes(kind: str, old: dict[str, str], new: dict[str, str]) -> list[str]:
    added = [c for c in new if c not in old]
    gone = [c for c in old if c not in new]
    renamed = sorted(c for c in new if c in old and old[c] != new[c])
    lines = [f"    {KIND_WORDS[kind]}：新增 {_count(len(added))} 个，不再有 {_count(len(gone))} 个，名称改变 {_count(len(renamed))} 个"
             + ("：" if renamed else "。")]
    lines += [f"      {c} “{old[c]}” → “{new[c]}”" for c in renamed[:MAX_CHANGES_LISTED]]
    if len(renamed) > MAX_CHANGES_LISTED:
        lines.append(f"      另有 {_count(len(renamed) - MAX_CHANGES_LISTED)} 个")
    return lines


def _csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue()


def _target(root: Path, year: int) -> Path:
    """catalogue/<year>/ of the repository, refused when a link takes it outside."""
    target = Path(root) / "catalogue" / str(year)
    inside = Path(root).resolve()
    if not target.resolve().is_relative_to(inside):
        raise BudgetpubError(f"{target} 指向预算仓库之外（符号链接）：不写入。")
    for name in (*FILES.values(), IMPORTED_FILE):
        existing = target / name
        if existing.is_symlink() or (existing.exists() and not existing.is_file()):
            raise BudgetpubError(f"{existing} 不是普通文件（符号链接、目录或管道）：不覆盖它。")
    return target


def _write(target: Path, contents: dict[str, str]) -> None:
    """Each file whole or not at all: written beside, then renamed over the old one."""
    temporary: dict[str, str] = {}
    try:
        target.mkdir(parents=True, exist_ok=True)
        for name, text in contents.items():
            fd, temporary[name] = tempfile.mkstemp(prefix=f".{name}.", dir=target)
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
                f.write(text)
        for name in contents:
            os.replace(temporary.pop(name), target / name)
    except OSError as exc:
        for tmp in temporary.values():
            Path(tmp).unlink(missing_ok=True)
        raise BudgetpubError(describe(exc, "写入")) from None


def _digest(files: list[Path]) -> dict[Path, str]:
    out = {}
    for path in files:
        data = read_bytes(path, str(path), Report(), XLSX_MAX_BYTES, "import")
        out[path] = hashlib.sha256(data or b"").hexdigest()
    return out


def _record(path: Path) -> dict[str, dict[str, str]]:
    """kind → its row of an earlier import record (none when there is none, or it cannot be read)."""
    read = read_csv(path, str(path), Report(), "import") if path.is_file() else None
    if not read or not read[0]:
        return {}
    rows, _ = read
    header = rows[0][1]
    out = {}
    for _, cells in rows[1:]:
        row = dict(zip(header, cells))
        if row.get("kind") in FILES:
            out[row["kind"]] = row
    return out


def import_catalogue(files: list[Path], root: Path, year: int, shown: Callable[[Path], str],
                     write: bool = True) -> tuple[str, Report]:
    """Read ``files`` and write what they hold into ``root``/catalogue/``year``/; the report's text and
    its warnings. Raises ImportFailed (nothing written) when a file has an error."""
    out, lines = read_files(files, shown)
    found = [k for k in KINDS if out.entries[k]]
    if not found and out.report.ok:
        out.report.error("import.nothing", "没有读到支出功能分类（2 开头）或部门预算支出经济分类（3 开头）的编码"
                         "（各工作表读到了什么见上）。", Location("、".join(shown(p) for p in files)))
    if not out.report.ok:
        raise ImportFailed(lines, out.report)
    target = _target(root, year)
    contents: dict[str, str] = {}
    for kind in found:
        rows = [["code", "name", "level", "parent_code", "source"]]
        for code in sorted(out.entries[kind]):
            e = out.entries[kind][code]
            level = LEVEL_WORDS[LEVELS[kind].index(len(code))]
            rows.append([code, e.name, level, code[:-2] if len(code) > 3 else "", e.source])
        contents[FILES[kind]] = _csv_text(rows)
    digests = _digest(files)
    record = _record(target / IMPORTED_FILE)  # the kinds imported before and not now stay as they were
    for kind in found:
        sources = [p for p in files if any(e.file == p.name for e in out.entries[kind].values())]
        record[kind] = {"kind": kind, "file": "；".join(p.name for p in sources),
                        "sha256": "；".join(digests[p] for p in sources), "codes": str(len(out.entries[kind]))}
    contents[IMPORTED_FILE] = _csv_text([["kind", "file", "sha256", "codes"]]
                                        + [[r["kind"], r.get("file", ""), r.get("sha256", ""), r.get("codes", "")]
                                           for k, r in sorted(record.items()) if k in FILES])
    lines += _comparisons(found, out, root, year, shown)
    more = missing_classes(out) + hierarchy(out)
    if more:
        lines.append("请注意：")
        lines += [f"  {line}" for line in more]
    where = shown(target)
    if write:
        _write(target, contents)
        lines.append(f"已写入 {where}/：")
    else:
        lines.append(f"（--check：只读取，未写入；将写入 {where}/：）")
    for kind in found:
        lines.append(f"  {FILES[kind]}：{KIND_WORDS[kind]} {_count(len(out.entries[kind]))} 个编码（"
                     f"{_levels(kind, out.entries[kind])}），由导入的文件给出全部名称")
    lines.append(f"  {IMPORTED_FILE}：导入记录。导入的分类是完整的：数据中用到的编码不在其中时，check 报错"
                 "（names.not-in-year-catalogue）。")
    return "\n".join(lines), out.report


def _comparisons(found: list[str], out: Imported, root: Path, year: int, shown) -> list[str]:
    lines = []
    for label, folder in (("与原有的 {} 相比（它将被替换）：", Path(root) / "catalogue" / str(year)),
                          (f"与 {year - 1} 年的分类 {{}} 相比：", Path(root) / "catalogue" / str(year - 1))):
        block = []
        for kind in found:
            path = folder / FILES[kind]
            if not path.is_file():
                continue
            try:
                old = read_codes(path, kind, shown)
            except InvalidSources:
                block.append(f"    {KIND_WORDS[kind]}：{shown(path)} 无法读取，不比较。")
                continue
            block += _changes(kind, old, {c: e.name for c, e in out.entries[kind].items()})
        if block:
            lines += [label.format(shown(folder) + "/"), *block]
    return lines
