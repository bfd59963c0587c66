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

from generator.errors import BudgetpubError, Location, Report

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


def _read_config(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    try:
        import tomllib
    except ImportError:  # pragma: no cover - Python 3.10: the few keys are plain strings
        tomllib = None
    if tomllib is not None:
        try:
            values = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise RepositoryError(f"{for_user(path)}: 配置文件格式不对（TOML）：{exc}") from None
    else:  # pragma: no cover
        values = dict(re.findall(r'^\s*(\w+)\s*=\s*"([^"]*)"', text, re.M))
    for key, value in values.items():
        if key in CHOICES:
            if value not in CHOICES[key]:
                allowed = "、".join(f'"{v}"' for v in CHOICES[key])
                raise RepositoryError(f"{for_user(path)}: 配置项 {key} 应为 {allowed} 之一，而不是 {value!r}。")
            continue
        if key not in KEYS:
            raise RepositoryError(f"{for_user(path)}: 未知的配置项 “{key}”。允许的配置项：{'、'.join([*KEYS, *CHOICES])}。")
        if not isinstance(value, str) or not value:
            raise RepositoryError(f"{for_user(path)}: 配置项 {key} 应为目录名（加引号的文字），如 {key} = \"{KEYS[key]}\"。")
    return {**KEYS, **{k: v[0] for k, v in CHOICES.items()}, **values}


def _looks_like_data(folder: Path) -> bool:
    return any(folder.glob("*/*/department.yaml"))


def find_root(start: Path) -> tuple[Path, Path | None] | None:
    """The nearest folder at or above ``start`` with budgetpub.toml; failing that, the nearest
    one whose data/ holds a department (<dept>/<year>/department.yaml)."""
    start = Path(start).resolve()
    chain = [start, *start.parents]
    for folder in chain:
        if (folder / CONFIG_NAME).is_file():
            return folder, folder / CONFIG_NAME
    for folder in chain:
        if (folder / "data").is_dir() and _looks_like_data(folder / "data"):
            return folder, None
    return None


def at(root: Path, config: Path | None) -> Repository:
    keys = _read_config(config) if config else {**KEYS, **{k: v[0] for k, v in CHOICES.items()}}
    return Repository(root, root / keys["data"], root / keys["output"], config, keys["stamp"])


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
    try:
        path = Path(path).resolve()
    except (OSError, RuntimeError):  # a link round in a loop: shown as it is named
        path = Path(os.path.abspath(path))
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
