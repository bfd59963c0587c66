"""``budgetpub import``: a department's sources from its last publication (Word, PDF) or from the
nine tables as a workbook (budgetpub's own ``--format xlsx``, or a budget system's export).

- source.py: the file read into the verifier's document (verify/reading.py), by its first bytes;
- workbook.py: a workbook as the verifier's blocks (one sheet per table, title rows, 单位：万元 line,
  merged header cells, 栏次 row);
- tables.py: a unit's facts from its tables (income, expenditure by function, fund and kind, the
  economic breakdown, carry-over, 三公, procurement, assets);
- narrative.py: the 情况说明 (texts, prior year, 机关运行经费's items, projects, 绩效目标表);
- build.py: department.yaml and the units' files as data, with where each value was read;
- wording.py: the region's wording as the publication words it otherwise (each reported);
- writer.py: that data as YAML in the project's style, every figure commented;
- report.py: what was read, what could not be placed and why, the publication's own contradictions.

Nothing is written unless everything was read: the files go to a temporary folder beside the
target and are moved into place at once; an existing ``data/<dept>/<year>`` is replaced only
with ``force``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..init import with_editor_line
from .build import Builder, Imported
from .files import source_files
from .report import contradictions, format_report
from .source import ImportFailed, Source, read_source

__all__ = ["ImportFailed", "ImportResult", "import_file", "read_source", "source_files"]


@dataclass
class ImportResult:
    target: Path
    files: list[Path]
    imported: Imported
    source: Source
    contradictions: list[str]

    def format(self) -> str:
        return format_report(self)


def import_source(source: Source, dept: str, year: int) -> tuple[Imported, dict[str, str], list[str]]:
    imported = Builder(source.doc, source.organisation, dept, year, source.format).build()
    files = {name: with_editor_line(name, text) for name, text in source_files(imported).items()}
    return imported, files, contradictions(source)


def import_file(path: Path, dept: str, year: int, data_root: Path, force: bool = False) -> ImportResult:
    """Read ``path`` and write ``data_root/<dept>/<year>/``; nothing is written when it fails."""
    target = Path(data_root) / dept / str(year)
    if target.exists() and any(target.iterdir()) and not force:
        raise ImportFailed(f"{target} 已经存在：import 不会覆盖已有的数据（确需覆盖时加 --force）。")
    source = read_source(path)
    _require_publication(source, path)
    imported, files, found = import_source(source, dept, year)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".import-{year}-", dir=target.parent))
    try:
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8")
        if target.exists():
            old = target.parent / f".replaced-{year}-{os.getpid()}"
            os.replace(target, old)
            os.replace(staging, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(staging, target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise ImportFailed(f"无法写入 {target}：{exc.strerror or exc}") from None
    return ImportResult(target, [target / n for n in files], imported, source, found)


_NINE = ("T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9")
_TITLES = {"T1": "收支总表", "T2": "收入总表", "T3": "支出总表", "T4": "财政拨款收支总表", "T5": "一般公共预算财政拨款支出表",
           "T6": "一般公共预算财政拨款基本支出表", "T7": "政府性基金预算财政拨款支出表", "T8": "国有资本经营预算财政拨款支出表",
           "T9": "财政拨款“三公”经费支出表"}


def _mentions_sangong(scope) -> bool:
    """Whether a part has anything of 三公: a publication that omits the section (wording.omit: sangong)
    has neither its table nor its section."""
    return any("三公" in t for t in scope.titles) or any("三公" in (line.section or "") for line in scope.paragraphs)


def _require_publication(source: Source, path: Path) -> None:
    """A publication has the nine tables for each part it holds; else nothing is imported."""
    missing = []
    for scope in source.doc.scopes:
        lacking = [_TITLES[k] for k in _NINE if k not in scope.tables and not (k == "T9" and not _mentions_sangong(scope))]
        if lacking:
            missing.append(f"{scope.name}：缺少{'、'.join(lacking)}")
    if missing:
        raise ImportFailed(f"{path} 不是完整的部门预算公开文件，未导入：\n  " + "\n  ".join(missing))
