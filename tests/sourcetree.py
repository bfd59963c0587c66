"""A copy of data/304/2023 (or another department's year) in a temporary directory, broken on purpose
by small textual edits.

Each validation test copies the example, changes one thing and checks the exact
problem reported: code, Chinese message, file:line:column, field path and, for a
cross-check, the other side.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator import DATA_ROOT
from generator.errors import InvalidSources, Location, Problem, Report
from generator.sources.validate import load_budget

UNIT = "304001.yaml"
DEPT = "department.yaml"


class Tree:
    def __init__(self, tmp_path: Path, dept: str = "304", year: int = 2023):
        self.root = tmp_path / "data"
        self.dept, self.year = dept, year
        self.dir = self.root / dept / str(year)
        shutil.copytree(DATA_ROOT / dept / str(year), self.dir)

    def text(self, name: str) -> str:
        return (self.dir / name).read_text(encoding="utf-8")

    def replace(self, name: str, old: str, new: str) -> "Tree":
        text = self.text(name)
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {name}"
        (self.dir / name).write_text(text.replace(old, new), encoding="utf-8")
        return self

    def append(self, name: str, text: str) -> "Tree":
        """``text`` added at the end. A top-level section it writes replaces the example's one-line
        statement of that section (``procurement: []``, ``carryover: {none: true}``), which becomes a
        comment line: the line numbers stay as they were."""
        current = self.text(name)
        for key in re.findall(r"^([a-z_]+):", text, re.M):
            current = re.sub(rf"^{key}: [^\n]*$", f"# （{key} 见文件末尾）", current, flags=re.M)
        (self.dir / name).write_text(current + text, encoding="utf-8")
        return self

    def write(self, name: str, text: str) -> "Tree":
        (self.dir / name).write_text(text, encoding="utf-8")
        return self

    def remove(self, name: str) -> "Tree":
        (self.dir / name).unlink()
        return self

    def load(self):
        return load_budget(self.root, self.dept, self.year)

    def report(self) -> Report:
        """The report of a run that must fail."""
        with pytest.raises(InvalidSources) as exc:
            self.load()
        return exc.value.report


@pytest.fixture
def tree(tmp_path) -> Tree:
    return Tree(tmp_path)


def at(name: str, line: int | None = None, column: int | None = None, path: str = "",
       folder: str = "304/2023") -> Location:
    return Location(f"data/{folder}/{name}", line, column, path)


def error(code: str, message: str, location: Location, *related: Location) -> Problem:
    return Problem(code, message, location, tuple(related))


def warning(code: str, message: str, location: Location, *related: Location) -> Problem:
    return Problem(code, message, location, tuple(related), severity="warning")
