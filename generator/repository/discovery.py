"""The budget repository: a folder with budgetpub.toml at its root and its data/<dept>/<year>/.

Found the way git and mkdocs find theirs: from the current directory upward.
``--data`` and ``$BUDGETPUB_DATA`` name the data folder directly. The repository's
own templates/ and catalogue/<year>/ win over the packaged ones (resources.py);
publications go to its output/.
"""

from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass
from pathlib import Path

from generator.errors import INVISIBLE, BudgetpubError, Location, Report, visible
from generator.files import Refused, inside, read_regular

CONFIG_NAME = "budgetpub.toml"
KEYS = {"data": "data", "output": "output"}  # key: default folder, relative to the root
# key: its allowed values, the first the default. stamp: where the sources' revision (数据版本) is
# printed: only in the document's properties, or on the cover too (drafts).
CHOICES = {"stamp": ("properties", "cover")}


class RepositoryError(BudgetpubError):
    """No budget repository here, or its configuration is wrong."""


@dataclass(frozen=True)
class Repository:
    root: Path  # templates/, catalogue/<year>/ and output/ are here
    data: Path  # data/<dept>/<year>/*.yaml
    output: Path
    config: Path | None = None  # None: found by its data/ folder, or named by --data
    stamp: str = CHOICES["stamp"][0]

    def sources(self, dept: str, year: int | str) -> Path:
        return self.data / str(dept) / str(year)


CONFIG_BYTES = 64 * 1024
_FOLDER = re.compile(r"[^\x00-\x1f\x7f/\\:*?\"<>|]+")  # one folder name: no separator, control or Windows-reserved character


def folder_value(value: str) -> str | None:
    """Why ``value`` (data = …, output = …) is not a folder inside the repository; None when it is."""
    if value.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", value):
        return "不能是绝对路径"
    parts = value.replace("\\", "/").split("/")
    if any(p == ".." for p in parts):
        return "不能用 “..” 指向仓库以外"
    if any(p and p != "." and not _FOLDER.fullmatch(p) for p in parts) or INVISIBLE.search(value):
        return "含有不能用在目录名中的字符"
    if not [p for p in parts if p not in ("", ".")]:
        return "不能是仓库根目录本身"
    return None


def _read_config(path: Path, shown: str | None = None) -> dict[str, str]:
    """The keys of budgetpub.toml (a regular file of at most 64 KB, UTF-8 TOML). ``shown``: its name as
    the user sees it (``REV:budgetpub.toml`` for a revision)."""
    shown = visible(shown or for_user(path))
    try:
        data = read_regular(path, CONFIG_BYTES, Path(path).parent)
    except Refused as exc:
        raise RepositoryError(f"{shown}: 无法读取配置文件：{exc.reason}。") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise RepositoryError(f"{shown}:{line}: 配置文件不是 UTF-8 编码，请另存为 UTF-8。") from None
    try:
        import tomllib
    except ImportError:  # pragma: no cover - Python 3.10: the few keys are plain strings
        tomllib = None
    if tomllib is not None:
        try:
            values = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            where = re.search(r"at line (\d+), column (\d+)", str(exc))
            at = f":{where[1]}:{where[2]}" if where else ""
            raise RepositoryError(f"{shown}{at}: 配置文件格式不对（TOML）：每行应写成 键 = \"值\"，"
                                  "值加引号，不能有控制字符。") from None
    else:  # pragma: no cover
        values = dict(re.findall(r'^\s*(\w+)\s*=\s*"([^"]*)"', text, re.M))
    for key, value in values.items():
        if key in CHOICES:
            if value not in CHOICES[key]:
                allowed = "、".join(f'"{v}"' for v in CHOICES[key])
                raise RepositoryError(f"{shown}: 配置项 {key} 应为 {allowed} 之一，而不是 “{visible(value)}”。")
            continue
        if key not in KEYS:
            raise RepositoryError(f"{shown}: 未知的配置项 “{visible(key)}”。允许的配置项：{'、'.join([*KEYS, *CHOICES])}。")
        if not isinstance(value, str) or not value:
            raise RepositoryError(f"{shown}: 配置项 {key} 应为目录名（加引号的文字），如 {key} = \"{KEYS[key]}\"。")
        why = folder_value(value)
        if why:
            raise RepositoryError(f"{shown}: 配置项 {key} = \"{visible(value)}\" {why}：{key} 应为仓库中的目录，"
                                  f"如 {key} = \"{KEYS[key]}\"。")
    return {**KEYS, **{k: v[0] for k, v in CHOICES.items()}, **values}


def _looks_like_data(folder: Path) -> bool:
    return any(folder.glob("*/*/department.yaml"))


def find_root(start: Path) -> tuple[Path, Path | None] | None:
    """The nearest folder at or above ``start`` with budgetpub.toml; failing that, the nearest
    one whose data/ holds a department (<dept>/<year>/department.yaml)."""
    start = Path(start).resolve()
    chain = [start, *start.parents]
    for folder in chain:  # a budgetpub.toml that is not a regular file is still the configuration: said when read
        if os.path.lexists(folder / CONFIG_NAME) and not (folder / CONFIG_NAME).is_dir():
            return folder, folder / CONFIG_NAME
    for folder in chain:
        if (folder / "data").is_dir() and _looks_like_data(folder / "data"):
            return folder, None
    return None


def at(root: Path, config: Path | None, shown: str | None = None) -> Repository:
    keys = _read_config(config, shown) if config else {**KEYS, **{k: v[0] for k, v in CHOICES.items()}}
    repo = Repository(root, root / keys["data"], root / keys["output"], config, keys["stamp"])
    if config and shown is None and repo.data.exists():  # the working tree: data/, links followed, is inside too
        why = inside(repo.data, root)
        if why:
            raise RepositoryError(f"{for_user(config)}: 配置项 data 的目录 {for_user(repo.data)} {why}。")
    return repo


def output_inside(repo: Repository, path: Path) -> None:
    """A publication written to the repository's output folder stays in the repository: the
    folder or the file (links followed, as far as they exist) may not lead out of it. ``--out``,
    given on the command line, is the user's own choice and is not checked."""
    root = Path(os.path.realpath(repo.root))
    probe = Path(path)
    while not os.path.lexists(probe) and probe != probe.parent:
        probe = probe.parent
    target = Path(os.path.realpath(probe))
    if not target.is_relative_to(root):
        raise RepositoryError(f"输出位置 {for_user(probe)} 指向仓库以外（{target}）：公开文件只写入仓库的 "
                              "output/ 目录；如需写到别处，请用 --out 明确指定。")


def discover(data: Path | str | None = None, start: Path | None = None) -> Repository:
    """The repository to work in: ``data`` (--data), else $BUDGETPUB_DATA, else the one
    found from ``start`` (the current directory) upward."""
    data = data or os.environ.get("BUDGETPUB_DATA") or None
    if data:
        data = Path(data).resolve()
        if not data.is_dir():
            raise RepositoryError(f"数据目录不存在：{data}")
        found = find_root(data)
        if found and data.is_relative_to(found[0]):
            repo = at(*found)
            return dataclasses.replace(repo, data=data)
        return Repository(data.parent, data, data.parent / KEYS["output"])
    start = Path(start or Path.cwd())
    found = find_root(start)
    if not found:
        raise RepositoryError(
            f"这里不是预算仓库：从 {start.resolve()} 向上没有找到 {CONFIG_NAME}（或含部门数据的 data/ 目录）。"
            "请到预算仓库中运行，或用 budgetpub init 新建一个，或用 --data 指定数据目录。")
    return at(*found)


# ------------------------------------------------------------------ paths as the user sees them

def for_user(path: Path | str, cwd: Path | None = None) -> str:
    """``path`` relative to where the user stands: below the current directory as a relative
    path; elsewhere in the same repository with ../ (like git); otherwise absolute."""
    path = Path(os.path.abspath(path))  # a link is named by where it is, never by where it leads
    path = Path(os.path.realpath(path.parent)) / path.name if path.name else Path(os.path.realpath(path))
    cwd = Path(cwd or Path.cwd()).resolve()
    if path.is_relative_to(cwd):
        return str(path.relative_to(cwd)) or "."
    found = find_root(cwd)
    if found and path.is_relative_to(found[0]):
        return os.path.relpath(path, cwd)
    return str(path)


def relocate(report: Report, shown) -> Report:
    """A copy of ``report`` whose file names went through ``shown``."""
    def move(loc: Location | None) -> Location | None:
        return dataclasses.replace(loc, file=shown(loc.file)) if loc else loc
    out = Report()
    for p in report.problems:
        out.add(dataclasses.replace(p, location=move(p.location), related=tuple(move(r) for r in p.related)))
    return out
