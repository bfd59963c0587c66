"""The classification catalogues (支出功能分类, 部门预算支出经济分类).

Authors write codes; names come from here. The catalogue is incomplete (see
data/catalogue/README.md), so a code it does not know is accepted when the
source names it, with a warning.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import Location
from generator.resources import CATALOGUE_DIR  # (the repository override, then the packaged one)

# Chinese numerals for ordinals: the 31 fixed expenditure rows (一 … 三十一) and the
# units of a department (一、…, 一百零一、…, 一千、…).
_DIGITS = "零一二三四五六七八九"
_PLACES = ("千", "百", "十", "")
_SECTIONS = ((10 ** 8, "亿"), (10 ** 4, "万"))


def _below_ten_thousand(n: int) -> str:
    """0 < n < 10000, read in full: 1010 → 一千零一十, 10 → 一十 (shortened only at the start)."""
    text, zero = "", False
    for digit, place in zip(f"{n:04d}", _PLACES):
        if digit == "0":
            zero = bool(text)  # a 零 is read between two non-zero digits, once
            continue
        if zero:
            text += "零"
            zero = False
        text += _DIGITS[int(digit)] + place
    return text


def _numeral(n: int) -> str:
    for size, name in _SECTIONS:
        if n >= size:
            high, low = divmod(n, size)
            text = _numeral(high) + name
            if low:
                text += ("零" if low < size // 10 else "") + _numeral(low)
            return text
    return _below_ten_thousand(n)


def chinese_ordinal(n: int) -> str:
    """Any positive integer in Chinese numerals, by the standard rules.

    1 → 一, 10 → 十, 12 → 十二, 31 → 三十一, 100 → 一百, 101 → 一百零一, 110 → 一百一十,
    1000 → 一千, 1010 → 一千零一十, 10010 → 一万零一十, 110000 → 十一万.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(n)
    text = _numeral(n)
    return text[1:] if text.startswith("一十") else text  # 十二, 十一万; but 一百一十


@dataclass(frozen=True)
class ExpenditureClass:
    position: int
    code: str  # "" for 人行科目, which has no code
    name: str

    @property
    def label(self) -> str:
        return f"{chinese_ordinal(self.position)}、{self.name}"


def _read(directory: Path, name: str) -> list[dict[str, str]]:
    with open(directory / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _editions(directory: Path) -> dict[str, Path]:
    """Other years' classifications beside this one: catalogue/<year>/ folders next to a year's
    folder, or editions/<year>/ inside a catalogue folder."""
    if directory.name.isdigit():
        candidates = directory.parent.iterdir()
    elif (directory / "editions").is_dir():
        candidates = (directory / "editions").iterdir()
    else:
        return {}
    return {p.name: p for p in sorted(candidates) if p.is_dir() and p.name.isdigit() and p != directory}


@dataclass
class Catalogue:
    function: dict[str, str]
    economic: dict[str, str]
    classes: list[ExpenditureClass]
    # code → [(year, name)] of other years' classifications, where the name differs from this one's
    other_editions: dict[str, dict[str, list[tuple[str, str]]]] = field(
        default_factory=lambda: {"function": {}, "economic": {}})

    @classmethod
    def load(cls, directory: Path = CATALOGUE_DIR) -> "Catalogue":
        def read(name: str) -> list[dict[str, str]]:
            return _read(directory, name)

        function = {r["code"]: r["name"] for r in read("function-classification.csv")}
        economic = {r["code"]: r["name"] for r in read("economic-classification.csv")}
        classes = [ExpenditureClass(int(r["position"]), r["code"], r["name"])
                   for r in read("expenditure-classes.csv")]
        for c in classes:  # the fixed 类 rows name classes the partial catalogue lacks (209)
            if c.code:
                function.setdefault(c.code, c.name)
        catalogue = cls(function, economic, classes)
        for year, folder in _editions(directory).items():
            for kind, name in (("function", "function-classification.csv"), ("economic", "economic-classification.csv")):
                if (folder / name).is_file():
                    for r in _read(folder, name):
                        if catalogue.table(kind).get(r["code"], r["name"]) != r["name"]:
                            catalogue.other_editions[kind].setdefault(r["code"], []).append((year, r["name"]))
        return catalogue

    def table(self, kind: str) -> dict[str, str]:
        return self.function if kind == "function" else self.economic


KIND_WORDS = {"function": "功能分类", "economic": "经济分类"}
LEVELS = {"function": (3, 5, 7), "economic": (3, 5)}


@dataclass
class Names:
    """Code → name: the catalogue first, then the names the sources give for codes it lacks.

    ``given`` keeps every name a source writes, in reading order, so that the
    rules (rules.py) can say where a name contradicts the catalogue or another."""

    catalogue: Catalogue
    given: dict[str, list[tuple[str, str, Location]]] = field(
        default_factory=lambda: {"function": [], "economic": []})
    extra: dict[str, dict[str, tuple[str, Location]]] = field(
        default_factory=lambda: {"function": {}, "economic": {}})

    def add(self, kind: str, code: str, name: str, loc: Location) -> None:
        self.given[kind].append((code, name, loc))
        if code not in self.catalogue.table(kind):
            self.extra[kind].setdefault(code, (name, loc))

    def get(self, kind: str, code: str) -> str | None:
        known = self.catalogue.table(kind).get(code)
        if known is not None:
            return known
        extra = self.extra[kind].get(code)
        return extra[0] if extra else None

    def missing(self, kind: str, code: str) -> list[str]:
        """The code and those of its parents that have no name."""
        return [code[:n] for n in LEVELS[kind] if n <= len(code) and self.get(kind, code[:n]) is None]
