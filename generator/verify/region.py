"""A region's run: every publication in the files and folders given, verified in parallel, one
report (report.py). A folder is searched for .docx and .pdf files (Word's lock files ~$… and hidden
files left out); a file that cannot be read is reported as such, never skipped silently.

Exit status: 0 when every publication is read and none has an error (warnings of wording are
listed, they do not fail it; ``strict``: they do), 1 when some publication has an error, 2 when some
file cannot be read as a publication (or none was found).
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import Result, UnreadableDocument, verify_path
from .layout import DEFAULT, Layout

SUFFIXES = (".docx", ".pdf")
MAX_FILES = 100_000


@dataclass
class Outcome:
    path: str
    result: Result | None = None
    error: str = ""


@dataclass
class Run:
    outcomes: list[Outcome] = field(default_factory=list)
    strict: bool = False

    @property
    def unreadable(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.result is None]

    def failed(self, o: Outcome) -> bool:
        return o.result is None or not o.result.ok or (self.strict and bool(o.result.disagreements))

    @property
    def exit_code(self) -> int:
        if not self.outcomes or self.unreadable:
            return 2
        return 1 if any(self.failed(o) for o in self.outcomes) else 0


class NothingToVerify(Exception):
    """No file given, or a folder without publications (exit 2)."""


def find(paths: list[Path]) -> list[Path]:
    """The publications the paths name: files as given, folders searched (sorted)."""
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.lower().endswith(SUFFIXES) and not name.startswith(("~$", ".")):
                        found.append(Path(root) / name)
                        if len(found) > MAX_FILES:
                            raise NothingToVerify(f"{path} 中的文件超过 {MAX_FILES} 个，请分批核对。")
        else:
            found.append(path)
    return found


def _one(job: tuple[str, Layout, tuple[str, ...]]) -> Outcome:
    path, layout, ignore = job
    try:
        return Outcome(path, verify_path(Path(path), layout, ignore))
    except UnreadableDocument as exc:
        return Outcome(path, None, str(exc))
    except RecursionError:
        return Outcome(path, None, "文件结构嵌套过深，无法核对。")


def run(paths: list[Path], layout: Layout = DEFAULT, ignore: tuple[str, ...] = (), jobs: int | None = None,
        strict: bool = False, progress=None) -> Run:
    """Verify every publication ``paths`` name, ``jobs`` at a time (default: one per core)."""
    files = find(paths)
    if not files:
        raise NothingToVerify("没有找到要核对的文件（.docx 或 .pdf）。")
    todo = [(str(p), layout, tuple(ignore)) for p in files]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    if jobs == 1:
        outcomes = []
        for job in todo:
            outcomes.append(_one(job))
            if progress:
                progress(len(outcomes), len(todo))
        return Run(outcomes, strict)
    outcomes = []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for outcome in pool.map(_one, todo, chunksize=1):
            outcomes.append(outcome)
            if progress:
                progress(len(outcomes), len(todo))
    return Run(outcomes, strict)
