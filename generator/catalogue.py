"""The classification catalogues (支出功能分类, 部门预算支出经济分类).

Authors write codes; names come from here. The catalogue is incomplete (see
data/catalogue/README.md), so a code it does not know is accepted when the
source names it, with a warning.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "data" / "catalogue"

# Chinese ordinals for the 31 fixed expenditure rows (一 … 三十一).
_DIGITS = "零一二三四五六七八九"


def chinese_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 31 → 三十一 (1 ≤ n ≤ 99)."""
    if not 1 <= n <= 99:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    text = ""
    if tens:
        text = ("" if tens == 1 else _DIGITS[tens]) + "十"
    if ones:
        text += _DIGITS[ones]
    return text


@dataclass(frozen=True)
class ExpenditureClass:
    position: int
    code: str  # "" for 人行科目, which has no code
    name: str

    @property
    def label(self) -> str:
        return f"{chinese_ordinal(self.position)}、{self.name}"


@dataclass
class Catalogue:
    function: dict[str, str]
    economic: dict[str, str]
    classes: list[ExpenditureClass]

    @classmethod
    def load(cls, directory: Path = CATALOGUE_DIR) -> "Catalogue":
        def read(name: str) -> list[dict[str, str]]:
            with open(directory / name, encoding="utf-8", newline="") as f:
                return list(csv.DictReader(f))

        function = {r["code"]: r["name"] for r in read("function-classification.csv")}
        economic = {r["code"]: r["name"] for r in read("economic-classification.csv")}
        classes = [ExpenditureClass(int(r["position"]), r["code"], r["name"])
                   for r in read("expenditure-classes.csv")]
        for c in classes:  # the fixed 类 rows name classes the partial catalogue lacks (209)
            if c.code:
                function.setdefault(c.code, c.name)
        return cls(function, economic, classes)

    def table(self, kind: str) -> dict[str, str]:
        return self.function if kind == "function" else self.economic
