"""Sources from git: the revision a publication comes from, and the sources as they are at
any revision, read from git objects (``git ls-tree``, ``git cat-file``) without touching the
working tree or the index."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from generator.errors import BudgetpubError


class GitError(BudgetpubError):
    """A revision that does not exist, or git missing where --rev needs it."""


@dataclass(frozen=True)
class Revision:
    commit: str  # full hash
    short: str
    dirty: bool = False  # the working tree had uncommitted changes to the sources
    time: int = 0  # the commit's time (seconds since 1970): the date written into the publication

    @property
    def label(self) -> str:
        """The discreet line on the cover (数据版本：<label>)."""
        return self.short + ("（含未提交的修改）" if self.dirty else "")

    @property
    def identifier(self) -> str:
        """Recorded in the document properties."""
        return self.commit + ("-dirty" if self.dirty else "")


def _git(cwd: Path, *args: str, binary: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=not binary, check=False)


def toplevel(path: Path) -> Path | None:
    """The top of the git working tree holding ``path``; None outside git (or without git)."""
    if shutil.which("git") is None:
        return None
    done = _git(Path(path), "rev-parse", "--show-toplevel")
    return Path(done.stdout.strip()).resolve() if done.returncode == 0 else None


def resolve(top: Path, rev: str) -> Revision:
    done = _git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    if done.returncode != 0 or not done.stdout.strip():
        raise GitError(f"找不到版本 “{rev}”：请给出提交、标签或分支的名称（git log、git tag 可以列出）。")
    commit = done.stdout.strip()
    short = _git(top, "rev-parse", "--short=7", commit).stdout.strip()
    when = _git(top, "show", "-s", "--format=%ct", commit).stdout.strip()
    return Revision(commit, short, time=int(when) if when.isdigit() else 0)


def current(top: Path, pathspecs: list[str]) -> Revision | None:
    """HEAD, marked dirty when ``pathspecs`` (relative to ``top``) have uncommitted changes,
    untracked files included. None when there is no commit yet."""
    done = _git(top, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    if done.returncode != 0:
        return None
    rev = resolve(top, "HEAD")
    status = _git(top, "status", "--porcelain", "--untracked-files=all", "--", *pathspecs)
    return Revision(rev.commit, rev.short, bool(status.stdout.strip()), rev.time)


def extract(top: Path, commit: str, pathspecs: list[str], dest: Path) -> list[str]:
    """Write the files under ``pathspecs`` (relative to ``top``) as they are at ``commit``
    into ``dest``, keeping their paths. Returns the paths written."""
    done = _git(top, "ls-tree", "-r", "-z", "--full-tree", commit, "--", *pathspecs)
    if done.returncode != 0:
        raise GitError(f"无法读取版本 {commit[:7]} 的文件：{done.stderr.strip()}")
    written = []
    for entry in filter(None, done.stdout.split("\0")):
        meta, path = entry.split("\t", 1)
        mode, kind, sha = meta.split()
        if kind != "blob" or mode == "120000":  # submodules and symbolic links are not sources
            continue
        blob = _git(top, "cat-file", "blob", sha, binary=True)
        target = dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob.stdout)
        written.append(path)
    return written
