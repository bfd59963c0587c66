"""Sources from git: the revision a publication comes from, and the sources as they are at
any revision, read from git objects (``git ls-tree``, ``git cat-file``) without touching the
working tree or the index.

A revision may be a branch nobody has reviewed yet: git accepts a fetched tree entry named ``..``,
a symbolic link to ``/etc/passwd``, a blob of a gigabyte. So a revision is read as data:

- only the files budgetpub reads are taken (``Wanted``: the configuration, the year folders of
  one department, the template, the catalogue's CSV files), each tree path checked component by
  component (no ``..``, ``.``, empty or absolute part, nothing outside those places); a path that
  fails is an error naming it, before anything is written;
- the size of every blob is known from ``git ls-tree -l`` before it is read, and a blob over its
  limit is an error naming it, never read;
- a symbolic link is resolved inside the revision, as a checkout would: its target (relative, inside
  the repository) is looked up in the same commit; a link out of the repository, to a folder, to
  nothing or in a loop is an error naming the link;
- the files are written into a fresh temporary folder by budgetpub, under names made of the checked
  components: git's output never chooses where anything is written.
"""

from __future__ import annotations

import posixpath
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import BudgetpubError, Location, Report, visible


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


def _git(cwd: Path, *args: str, binary: bool = False, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=not binary, check=False,
                          input=stdin)


def toplevel(path: Path) -> Path | None:
    """The top of the git working tree holding ``path``; None outside git (or without git)."""
    if shutil.which("git") is None:
        return None
    done = _git(Path(path), "rev-parse", "--show-toplevel")
    return Path(done.stdout.strip()).resolve() if done.returncode == 0 else None


def resolve(top: Path, rev: str) -> Revision:
    done = _git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    if done.returncode != 0 or not done.stdout.strip():
        raise GitError(f"找不到版本 “{visible(rev)}”：请给出提交、标签或分支的名称（git log、git tag 可以列出）。")
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


# ---------------------------------------------------------------- a revision read as data

_NAME = re.compile(r"[^\x00-\x1f\x7f/\\]+")  # one path component as budgetpub writes it
MAX_LINK_DEPTH = 8


@dataclass(frozen=True)
class Wanted:
    """A place budgetpub reads in a revision: files directly in ``folder`` (relative to the git top)
    matching ``pattern``, each at most ``limit`` bytes. ``names_only``: other files there are
    written empty (their names matter, e.g. a unit file saved as .YML, their content does not)."""

    folder: str
    pattern: str  # a regular expression for the file name
    limit: int
    names_only: bool = False
    subfolders: bool = False  # catalogue/<year>/ under catalogue/: one level of folders below ``folder``


@dataclass
class Entry:
    mode: str
    kind: str
    sha: str
    size: int | None
    path: str


@dataclass
class Snapshot:
    """What was taken from one commit: the files written under ``dest``, and the problems found."""

    dest: Path
    report: Report = field(default_factory=Report)
    written: list[str] = field(default_factory=list)


def _entries(top: Path, commit: str, specs: list[str], recursive: bool = True) -> list[Entry]:
    args = ["ls-tree", "-z", "-l", "--full-tree", *(["-r"] if recursive else []), commit, "--", *specs]
    done = _git(top, *args, binary=True)
    if done.returncode != 0:
        raise GitError(f"无法读取版本 {commit[:7]} 的文件：{visible(done.stderr.decode('utf-8', 'replace').strip())}")
    out = []
    for record in filter(None, done.stdout.split(b"\0")):
        meta, _, raw_path = record.partition(b"\t")
        mode, kind, sha, size = meta.decode("ascii", "replace").split()
        out.append(Entry(mode, kind, sha, int(size) if size.isdigit() else None,
                         raw_path.decode("utf-8", "surrogateescape")))
    return out


def _unsafe(path: str) -> str | None:
    """Why a tree path may not be taken as it is; None when every component is a plain name."""
    if path.startswith("/"):
        return "是绝对路径"
    for part in path.split("/"):
        if part in ("", ".", ".."):
            return f"含有 “{part or '（空）'}” 这一级"
        if not _NAME.fullmatch(part) or part.lower() == ".git":
            return "含有不能用作文件名的字符"
    return None


class _Blobs:
    """One ``git cat-file --batch`` for every blob read: sizes already checked."""

    def __init__(self, top: Path):
        self.top = top

    def read(self, shas: list[str]) -> dict[str, bytes]:
        if not shas:
            return {}
        done = _git(self.top, "cat-file", "--batch", binary=True, stdin="".join(s + "\n" for s in shas).encode())
        if done.returncode != 0:
            raise GitError(f"无法读取版本中的文件：{visible(done.stderr.decode('utf-8', 'replace').strip())}")
        out, data, at = {}, done.stdout, 0
        for sha in shas:
            end = data.index(b"\n", at)
            header = data[at:end].decode("ascii", "replace").split()
            if len(header) != 3 or header[1] != "blob":
                raise GitError(f"无法读取版本中的对象 {sha[:7]}。")
            size = int(header[2])
            out[sha] = data[end + 1:end + 1 + size]
            at = end + 1 + size + 1
        return out


def snapshot(top: Path, commit: str, wanted: list[Wanted], dest: Path, shown) -> Snapshot:
    """Write the wanted files of ``commit`` into ``dest`` (see the module docstring). ``shown(path)``:
    a tree path as the user sees it (``REV:path``), for the problems."""
    snap = Snapshot(dest)
    taken: dict[str, Entry] = {}  # tree path → the blob to write there (a link already followed)
    folders: set[str] = set()
    for want in wanted:
        head = want.folder + "/" if want.folder else ""
        for entry in _entries(top, commit, [head] if head else [], recursive=want.subfolders):
            if not entry.path.startswith(head):
                continue
            why = _unsafe(entry.path)
            if why:
                snap.report.error("revision.path", f"版本中的路径{why}，不安全：budgetpub 不读取这个版本。",
                                  Location(shown(entry.path)))
                continue
            rest = entry.path[len(head):].split("/")
            if want.subfolders:  # catalogue/<year>/<file>
                if len(rest) != 2 or not rest[0].isdigit():
                    continue
                folders.add(head + rest[0])
            elif len(rest) != 1:
                continue
            if not re.fullmatch(want.pattern, rest[-1]):
                if want.names_only and entry.kind == "blob":
                    taken[entry.path] = Entry("100644", "blob", "", 0, entry.path)
                elif want.names_only and entry.kind == "tree":
                    folders.add(entry.path)
                continue
            if entry.kind == "tree":  # a folder named like a source: a checkout has it, the reader says what it is
                folders.add(entry.path)
                continue
            target = _follow(top, commit, entry, snap, shown)
            if target is None:
                continue
            if target.size is None or target.size > want.limit:
                snap.report.error("files.too-large", f"文件超过 {max(want.limit // (1024 * 1024), 1)} MB"
                                  "，不像是预算仓库中的文件：budgetpub 没有读取它。", Location(shown(entry.path)))
                continue
            taken[entry.path] = target
    blobs = _Blobs(top).read(sorted({e.sha for e in taken.values() if e.sha}))
    for folder in sorted(folders):
        (dest / folder).mkdir(parents=True, exist_ok=True)
    for path, entry in sorted(taken.items()):
        target = dest / path  # every component checked by _unsafe
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "xb") as f:
            f.write(blobs.get(entry.sha, b""))
        snap.written.append(path)
    return snap


def _follow(top: Path, commit: str, entry: Entry, snap: Snapshot, shown) -> Entry | None:
    """The blob ``entry`` stands for: itself, or the file its symbolic link leads to in the same commit."""
    seen = []
    while entry.mode == "120000":
        seen.append(entry.path)
        if len(seen) > MAX_LINK_DEPTH:
            return _link_error(snap, shown, seen[0], "层层链接过多（可能是循环链接）")
        if entry.size is None or entry.size > 4096:
            return _link_error(snap, shown, seen[0], "的目标不是一个路径")
        link = _Blobs(top).read([entry.sha])[entry.sha].decode("utf-8", "surrogateescape")
        if link.startswith("/"):
            return _link_error(snap, shown, seen[0], f"指向仓库以外（{visible(link)}）")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(entry.path), link))
        if target == ".." or target.startswith("../") or _unsafe(target):
            return _link_error(snap, shown, seen[0], f"指向仓库以外（{visible(link)}）")
        found = [e for e in _entries(top, commit, [target], recursive=False) if e.path == target]
        if not found:
            return _link_error(snap, shown, seen[0], f"指向的 {visible(target)} 在这个版本中不存在")
        entry = found[0]
    if entry.kind != "blob":
        what = "目录" if entry.kind == "tree" else "子模块"
        if seen:
            return _link_error(snap, shown, seen[0], f"指向{what}，不是文件")
        snap.report.error("files.unreadable", f"这是一个{what}，不是文件。", Location(shown(entry.path)))
        return None
    return entry


def _link_error(snap: Snapshot, shown, path: str, why: str) -> None:
    snap.report.error("files.symlink", f"这个符号链接{why}：budgetpub 没有读取它。", Location(shown(path)))
    return None


def link_in_the_way(top: Path, commit: str, folders: list[str]) -> str | None:
    """The first of ``folders`` (or of their parents) that is a symbolic link or a file at ``commit``:
    git lists nothing under it, and a checkout would follow it or have no folder there."""
    checked = set()
    for folder in folders:
        parts = folder.split("/")
        for n in range(1, len(parts) + 1):
            prefix = "/".join(parts[:n])
            if prefix in checked:
                continue
            checked.add(prefix)
            found = [e for e in _entries(top, commit, [prefix], recursive=False) if e.path == prefix]
            if found and found[0].kind != "tree":
                return prefix
            if not found:
                break
    return None
