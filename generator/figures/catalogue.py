"""The classification catalogues (支出功能分类, 部门预算支出经济分类).

Authors write codes; names come from here. The packaged catalogue is incomplete (see
data/catalogue/README.md), so a code it does not know is accepted when the source names it,
with a warning. A budget repository's catalogue/<year>/ overrides it file by file: a
classification `budgetpub catalogue import` read from the official file is complete (a code it
lacks does not exist that year), and local-economic-codes.csv holds the region's own economic
codes, each mapped to the standard 款 that rules and totals use. Other years' folders beside it
say which codes changed meaning.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from generator.errors import InvalidSources, Location, Report
from generator.resources import CATALOGUE_DIR, catalogue_dir  # (the repository override, then the packaged one)

from .csvtext import read_csv, shorten, unseen_character

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


KIND_WORDS = {"function": "功能分类", "economic": "经济分类"}
LEVELS = {"function": (3, 5, 7), "economic": (3, 5)}  # 类, 款, 项

# The files of a catalogue folder (data/catalogue/, or a repository's catalogue/<year>/). A file a
# repository's folder lacks is the packaged one's: importing only the 经济分类 keeps the packaged 功能分类.
FILES = {"function": "function-classification.csv", "economic": "economic-classification.csv"}
CLASSES_FILE = "expenditure-classes.csv"
LOCAL_FILE = "local-economic-codes.csv"  # the region's own economic codes, each mapped to a standard 款
IMPORTED_FILE = "imported.csv"  # what `budgetpub catalogue import` wrote: those kinds are complete
LOCAL_LENGTHS = (5, 6, 7, 8, 9)  # a 款 of the region's own, or a sub-item of a standard 款 (its code, then more digits)
MAX_NAME_CHARS = 100  # the longest official name has some 30 characters


@dataclass(frozen=True)
class LocalCode:
    """A region's own economic code (5 digits, or more for a sub-item of a standard 款): printed as
    the region prints it; rules and totals use its standard 款."""

    code: str
    name: str
    standard: str
    loc: Location


# A column may be named in Chinese, as a clerk editing the file in Excel would: 编码,名称,对应标准款.
_COLUMN_NAMES = {"code": "编码", "name": "名称", "standard": "对应标准款", "position": "序号", "kind": "分类", "file": "文件"}
_COLUMN_WORDS = {**{v: k for k, v in _COLUMN_NAMES.items()}, "科目编码": "code", "科目名称": "name", "标准款": "standard"}


class _Reader:
    """Reads the CSV files of catalogue folders into a report: every problem with its file and line."""

    def __init__(self, shown: Callable[[Path], str]):
        self.shown, self.report = shown, Report()

    def table(self, path: Path, columns: tuple[str, ...]) -> list[tuple[Location, dict[str, str]]]:
        shown = self.shown(path)
        read = read_csv(path, shown, self.report, "catalogue")
        if read is None:
            return []
        rows, _ = read
        written = [c.strip() for c in rows[0][1]] if rows else []
        header = [_COLUMN_WORDS.get(re.sub(r"\s", "", c), c) for c in written]
        missing = [c for c in columns if c not in header]
        if missing:
            words = "、".join(f"{c}（或“{_COLUMN_NAMES[c]}”）" for c in missing)
            self.report.error("catalogue.columns", f"第一行应是列名 {','.join(columns)}，缺少 {words}。"
                              f"（这一行是：{shorten(','.join(written), 60) or '空行'}）",
                              Location(shown, rows[0][0] if rows else 1))
            return []
        out = []
        for line, cells in rows[1:]:
            if not any(c.strip() for c in cells):
                continue
            row = {c: (cells[header.index(c)] if header.index(c) < len(cells) else "").strip() for c in columns}
            where = Location(shown, line)
            bad = next(((c, ch) for c in columns if (ch := unseen_character(row[c]))), None)
            if bad:
                self.report.error("catalogue.character", f"{bad[0]} 列含有看不见的字符 {bad[1]}（控制、零宽或方向字符）："
                                  "请删除它。", where)
                continue
            out.append((where, row))
        return out

    def code(self, where: Location, code: str, lengths: tuple[int, ...], what: str) -> bool:
        if code.isascii() and code.isdigit() and len(code) in lengths:
            return True
        self.report.error("catalogue.code", f"{what}编码应为 {'、'.join(map(str, lengths))} 位数字，而这里是 “{shorten(code)}”。",
                          where)
        return False

    def name(self, where: Location, name: str, column: str = "name") -> bool:
        if not name or len(name) > MAX_NAME_CHARS or name[0] in "=+-@":
            why = ("是空的" if not name else f"超过 {MAX_NAME_CHARS} 个字" if len(name) > MAX_NAME_CHARS
                   else "以 =、+、- 或 @ 开头（Excel 会把它当作公式）")
            self.report.error("catalogue.name", f"{column} 列的名称{why}：“{shorten(name)}”。", where)
            return False
        return True

    def codes(self, path: Path, kind: str) -> dict[str, str]:
        """code → name of a 功能分类 or 经济分类 file."""
        out: dict[str, tuple[str, Location]] = {}
        for where, row in self.table(path, ("code", "name")):
            code, name = row["code"], row["name"]
            if not (self.code(where, code, LEVELS[kind], KIND_WORDS[kind]) and self.name(where, name)):
                continue
            if code in out and out[code][0] != name:
                self.report.error("catalogue.duplicate", f"编码 {code} 写了两次，名称不同：“{out[code][0]}” 和 “{name}”。",
                                  where, out[code][1])
                continue
            out.setdefault(code, (name, where))
        return {code: name for code, (name, _) in out.items()}

    def classes(self, path: Path) -> list[ExpenditureClass]:
        out = []
        for where, row in self.table(path, ("position", "code", "name")):
            if not (row["position"].isascii() and row["position"].isdigit() and 0 < int(row["position"]) <= 999):
                self.report.error("catalogue.position", f"position 列应为 1 到 999 的序号，而这里是 “{shorten(row['position'])}”。",
                                  where)
            elif (not row["code"] or self.code(where, row["code"], (3,), "支出类别")) and self.name(where, row["name"]):
                out.append(ExpenditureClass(int(row["position"]), row["code"], row["name"]))
        return out

    def local(self, path: Path, economic: dict[str, str]) -> dict[str, LocalCode]:
        out: dict[str, LocalCode] = {}
        for where, row in self.table(path, ("code", "name", "standard")):
            code, name, std = row["code"], row["name"], row["standard"]
            if not (self.code(where, code, LOCAL_LENGTHS, "地方经济分类") and self.name(where, name)
                    and self.code(where, std, (5,), "对应的标准款（standard）")):
                continue
            problem = None
            if code in economic:
                problem = f"{code} 是标准科目 “{economic[code]}”，不能再定义为本地区的科目。"
            elif std not in economic:
                problem = f"对应的标准款 {std} 不在本年度的部门预算支出经济分类中。"
            elif code[:3] != std[:3]:
                problem = f"地方科目 {code} 与对应的标准款 {std} 不在同一类（{code[:3]} 和 {std[:3]}）。"
            elif len(code) > 5 and code[:5] != std:
                problem = f"5 位以上的本地区科目是标准款下的子目：{code} 应以其标准款 {std} 开头。"
            elif code in out:
                problem = f"地方科目 {code} 写了两次。"
            if problem:
                self.report.error("catalogue.local", problem, where, *((out[code].loc,) if code in out else ()))
                continue
            out[code] = LocalCode(code, name, std, where)
        return out

    def imported(self, path: Path) -> dict[str, str]:
        """kind → the file it was imported from."""
        out = {}
        for where, row in self.table(path, ("kind", "file")):
            if row["kind"] not in FILES:
                self.report.error("catalogue.imported", f"kind 列应为 {' 或 '.join(FILES)}，而这里是 "
                                  f"“{shorten(row['kind'])}”。", where)
            else:
                out[row["kind"]] = row["file"]
        return out


def read_codes(path: Path, kind: str, shown: Callable[[Path], str] = str) -> dict[str, str]:
    """code → name of one classification file (function-classification.csv, economic-classification.csv);
    raises InvalidSources when it cannot be read."""
    reader = _Reader(shown)
    codes = reader.codes(path, kind)
    if not reader.report.ok:
        raise InvalidSources(reader.report)
    return codes


def _edition_folders(directory: Path, editions: Path | None) -> dict[str, Path]:
    """Other years' classifications beside this one: catalogue/<year>/ folders next to a year's
    folder (or in ``editions``), or editions/<year>/ inside a catalogue folder."""
    if editions is not None:
        root = editions
    elif directory.name.isdigit():
        root = directory.parent
    elif (directory / "editions").is_dir():
        root = directory / "editions"
    else:
        return {}
    if not root.is_dir():
        return {}
    here = directory.resolve()
    return {p.name: p for p in sorted(root.iterdir())
            if p.name.isascii() and p.name.isdigit() and p.is_dir() and p.resolve() != here}


@dataclass
class Catalogue:
    function: dict[str, str]
    economic: dict[str, str]  # the standard codes and the region's own (``local``)
    classes: list[ExpenditureClass]
    # code → [(year, name)] of other years' classifications, where this year's names it otherwise or not at all
    other_editions: dict[str, dict[str, list[tuple[str, str]]]] = field(
        default_factory=lambda: {"function": {}, "economic": {}})
    year: str | None = None  # the year this classification is of (None: the packaged, of no one year)
    local: dict[str, LocalCode] = field(default_factory=dict)
    complete: dict[str, str] = field(default_factory=dict)  # kind → the official file it was imported from
    editions: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)  # year → kind → code → name
    files: dict[str, str] = field(default_factory=dict)  # kind → its file, as shown

    @classmethod
    def load(cls, directory: Path = CATALOGUE_DIR, *, year: int | str | None = None, editions: Path | None = None,
             shown: Callable[[Path], str] = str) -> "Catalogue":
        """The catalogue of ``directory``; a file it lacks is the packaged one's. Raises
        InvalidSources (each problem with its file and line) when a file cannot be read."""
        directory = Path(directory)
        reader = _Reader(shown)

        def here(name: str) -> bool:  # a link that leads nowhere, or round, is read (and reported), not passed over
            return os.path.lexists(directory / name)

        def path(name: str) -> Path:
            return directory / name if here(name) else CATALOGUE_DIR / name

        tables = {kind: reader.codes(path(name), kind) for kind, name in FILES.items()}
        classes = reader.classes(path(CLASSES_FILE))
        for c in classes:  # the fixed 类 rows name classes the partial catalogue lacks (209)
            if c.code:
                tables["function"].setdefault(c.code, c.name)
        local = reader.local(directory / LOCAL_FILE, tables["economic"]) if here(LOCAL_FILE) else {}
        imported = reader.imported(directory / IMPORTED_FILE) if here(IMPORTED_FILE) else {}
        if year is None and directory.name.isdigit():
            year = directory.name
        catalogue = cls(tables["function"], tables["economic"], classes, year=str(year) if year is not None else None,
                        local=local, files={kind: shown(path(name)) for kind, name in FILES.items()},
                        complete={k: f for k, f in imported.items() if here(FILES[k])})
        for code, lc in local.items():
            catalogue.economic[code] = lc.name
        for other, folder in _edition_folders(directory, editions).items():
            for kind, name in FILES.items():
                if os.path.lexists(folder / name):
                    table = catalogue.editions.setdefault(other, {})[kind] = reader.codes(folder / name, kind)
                    for code, old in table.items():
                        if catalogue.table(kind).get(code) != old:
                            catalogue.other_editions[kind].setdefault(code, []).append((other, old))
        if not reader.report.ok:
            raise InvalidSources(reader.report)
        return catalogue

    @classmethod
    def for_repository(cls, root: Path | None, year: int | str, shown: Callable[[Path], str] = str) -> "Catalogue":
        """The catalogue of ``year`` for a budget repository: its catalogue/<year>/ (else the packaged
        one), beside its other years' catalogue/<year>/ folders."""
        folder = Path(root) / "catalogue" if root is not None else None
        if folder is not None and folder.is_dir():  # nothing of it may lead out of the repository (read there)
            report = Report()
            for path in sorted(folder.glob("*/*")):
                if Path(os.path.realpath(path)).is_relative_to(Path(os.path.realpath(root))):
                    continue
                report.error("catalogue.symlink", "这个分类目录文件是指向仓库以外的符号链接：仓库中的文件只能链接到仓库之内。",
                             Location(shown(path)))
            if report.errors:
                raise InvalidSources(report)
        return cls.load(catalogue_dir(root, year), year=year,
                        editions=folder if folder is not None and folder.is_dir() else None, shown=shown)

    def table(self, kind: str) -> dict[str, str]:
        return self.function if kind == "function" else self.economic

    def standard(self, code: str) -> str:
        """The standard 款 of an economic code: a region's own code's, else the code itself."""
        local = self.local.get(code)
        return local.standard if local else code

    def earlier(self, kind: str, code: str) -> tuple[str, str] | None:
        """(year, name) when the latest earlier year's classification that has ``kind`` names ``code``
        otherwise than this year's: the code changed meaning since."""
        if self.year is None or code not in self.table(kind) or code in self.local:
            return None
        years = [y for y, kinds in self.editions.items() if kind in kinds and int(y) < int(self.year)]
        if not years:
            return None
        last = max(years, key=int)
        old = self.editions[last][kind].get(code)
        return (last, old) if old is not None and old != self.table(kind)[code] else None




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

    def standard(self, code: str) -> str:
        """The standard 款 of an economic code (a region's own code maps to one)."""
        return self.catalogue.standard(code)

    def missing(self, kind: str, code: str) -> list[str]:
        """The code and those of its parents that have no name."""
        return [code[:n] for n in LEVELS[kind] if n <= len(code) and self.get(kind, code[:n]) is None]
