"""``budgetpub catalogue import``: the official classification an office holds as Excel (or CSV) read
into the repository's catalogue/<year>/.

The sheets look like the ones the finance ministry and the provinces publish: title rows, a header
(编码 / 科目编码 and 名称 / 科目名称; or 科目编码 over three columns 类 | 款 | 项, each holding its
segment: 201 | 01 | 01), a 类 cell merged down over its rows, names indented with full-width
spaces, a 说明 column, notes at the end. Which classification a code belongs to is read from the
code itself: 2… 支出功能分类, 3… 部门预算支出经济分类; 1… (收入分类) and 5… (政府预算支出经济分类)
are not what a 部门预算 publishes and are left out, saying so. Every row is either read, or
skipped with its reason in the report, or an error with its file, sheet and row: a file with an
error writes nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from generator.errors import Location, Report
from generator.figures.catalogue import KIND_WORDS, LEVELS, LOCAL_FILE, MAX_NAME_CHARS, Catalogue
from generator.figures.csvtext import shorten, unseen_character

from .sheets import Cell, Sheet, column_letter

KINDS = ("function", "economic")
LEFT_OUT = {"1": "收入分类科目", "5": "政府预算支出经济分类科目（501…）"}  # first digit: what it is
LEVEL_WORDS = ("类", "款", "项")
HEADER_ROWS = 30  # a header further down is not looked for
MAX_ERRORS = 200  # listed; the rest counted
MAX_SKIPPED_LISTED = 20  # per sheet


@dataclass(frozen=True)
class Entry:
    kind: str
    code: str
    name: str
    where: Location
    source: str  # file, sheet and row, for the written catalogue's source column
    sheet: str = ""
    file: str = ""  # the name of the file it came from


@dataclass
class SheetResult:
    sheet: Sheet
    header: str = ""  # what was recognised, in words
    read: Counter = field(default_factory=Counter)  # (kind, level) → codes read
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row, why)
    left_out: Counter = field(default_factory=Counter)  # what → rows of another classification
    not_read: str = ""  # why nothing of the sheet was read
    ignored_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Imported:
    entries: dict[str, dict[str, Entry]] = field(default_factory=lambda: {k: {} for k in KINDS})
    sheets: list[SheetResult] = field(default_factory=list)
    report: Report = field(default_factory=Report)
    unlisted_errors: int = 0

    def error(self, code: str, message: str, where: Location, *related: Location) -> None:
        if len(self.report.errors) >= MAX_ERRORS:
            self.unlisted_errors += 1
        else:
            self.report.error(code, message, where, *related)


# ------------------------------------------------------------------ cells

def _plain(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _role(text: str) -> str | None:
    """What a header cell names: code, name, level, or a segment column (seg0 类, seg1 款, seg2 项)."""
    t = _plain(text)
    for i, word in enumerate(LEVEL_WORDS):
        if t in (word, word + "级", word + "级科目", word + "码"):
            return f"seg{i}"
    if re.fullmatch(r"(?:.{0,12}科目)?(?:编码|代码|编号)", t):
        return "code"
    if re.fullmatch(r"(?:.{0,12}科目)?名称", t):
        return "name"
    if re.fullmatch(r"(?:科目)?(?:级次|级别|层级|层次|级)", t):
        return "level"
    return None


def _digits(cell: Cell) -> str:
    """A code cell as digits: full-width digits, spaces, brackets and 201.01.01 separators removed; ""
    when it is not a code."""
    t = unicodedata.normalize("NFKC", cell.text).strip().strip("[]【】()（）").strip()
    t = re.sub(r"^(\d+)\.0$", r"\1", t)
    if re.fullmatch(r"\d{3}(?:[.\-\s]\d{2}){1,2}", t):
        t = re.sub(r"[.\-\s]", "", t)
    return t if t.isascii() and t.isdigit() else ""


_COMBINED = re.compile(r"^[\[【(（]?(\d{3}(?:\d{2}){0,2})[\]】)）]?\s*([^\d\s].*)$")
_CJK_GAP = re.compile(r"(?<=[\u2e80-\u9fff\uff00-\uffef])\s+(?=[\u2e80-\u9fff\uff00-\uffef])")


def _name(text: str) -> tuple[str, bool]:
    """The name without its indentation (full-width spaces) and without spaces between Chinese
    characters (a name wrapped with Alt+Enter); whether spaces inside were removed."""
    text = unicodedata.normalize("NFC", text).strip(" \t\r\n\u3000\u00a0")
    joined = _CJK_GAP.sub("", text)
    joined = re.sub(r"[ \t\r\n\u3000\u00a0]+", " ", joined)
    return joined, joined != text


def _level_of(text: str) -> int | None:
    t = _plain(text)
    for i, words in enumerate((("1", "一", "一级", "类", "类级"), ("2", "二", "二级", "款", "款级"),
                               ("3", "三", "三级", "项", "项级"))):
        if t in words:
            return i
    return None


# ------------------------------------------------------------------ the header

@dataclass
class _Group:
    """The columns of one classification in a sheet (a 对照表 has two side by side)."""

    roles: dict[str, int] = field(default_factory=dict)  # role → column
    state: list = field(default_factory=lambda: [None, None, None])  # the 类, 款, 项 carried down

    def describe(self) -> str:
        words = {"code": "编码", "name": "名称", "level": "级次", "seg0": "类", "seg1": "款", "seg2": "项"}
        by_column = sorted(self.roles.items(), key=lambda rc: rc[1])
        return "、".join(f"{words[r]}（{column_letter(c)} 列）" for r, c in by_column)

    @property
    def segments(self) -> list[tuple[int, int]]:
        return [(i, self.roles[f"seg{i}"]) for i in range(3) if f"seg{i}" in self.roles]


def _header(sheet: Sheet) -> tuple[int, list[_Group], list[str]] | None:
    """The index (in sheet.rows) of the last header row, the column groups, and the header texts of
    the columns not read."""
    for index, (number, cells) in enumerate(sheet.rows[:HEADER_ROWS]):
        roles = {col: _role(cell.text) for col, cell in cells.items()}
        if not any(r in ("code", "name") for r in roles.values()):
            continue
        last = index
        if index + 1 < len(sheet.rows) and sheet.rows[index + 1][0] == number + 1:  # 科目编码 over 类 | 款 | 项
            below = {col: _role(cell.text) for col, cell in sheet.rows[index + 1][1].items()}
            segments = [col for col, r in below.items() if r and r.startswith("seg")]
            if segments and all(roles.get(col) in (None, "code") for col in segments) and not any(
                    _digits(cell) for cell in sheet.rows[index + 1][1].values()):
                for col, role in below.items():
                    if role and (roles.get(col) in (None, "code")):
                        roles[col] = role
                last = index + 1
        groups: list[_Group] = [_Group()]
        for col in sorted(c for c, r in roles.items() if r):
            if roles[col] in groups[-1].roles:
                groups.append(_Group())
            groups[-1].roles[roles[col]] = col
        groups = [g for g in groups if {"code", "name"} & set(g.roles) or g.segments]
        if not groups:
            continue
        header_cells = {**sheet.rows[index][1], **(sheet.rows[last][1] if last != index else {})}
        ignored = [f"{column_letter(c)}（{shorten(cell.text, 12)}）" for c, cell in sorted(header_cells.items())
                   if not roles.get(c)]
        return last, groups, ignored
    return None


# ------------------------------------------------------------------ rows

class _RowError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _readable(cells: dict[int, Cell], col: int | None) -> Cell:
    cell = cells.get(col, Cell("")) if col else Cell("")
    if cell.problem:
        raise _RowError(f"{column_letter(col)} 列{cell.problem}。")
    return cell


def _segment_code(group: _Group, cells: dict[int, Cell], name: str) -> str | None:
    values = {}
    for i, col in group.segments:
        cell = _readable(cells, col)
        if not cell.text.strip():
            continue
        digits = _digits(cell)
        width = 3 if i == 0 else 2
        if digits and cell.number and i > 0 and len(digits) < width:
            digits = digits.zfill(width)  # a 款 typed as 1, shown as 01
        if not digits:
            if not name:
                return None  # a note in the code column: skipped by the caller
            raise _RowError(f"{column_letter(col)} 列（{LEVEL_WORDS[i]}）应是编码，而这里是 “{shorten(cell.text)}”。")
        if len(digits) == 3 + 2 * i and i > 0:  # the whole code written in its own column: 20101 under 款
            values.update({j: digits[:3] if j == 0 else digits[1 + 2 * j:3 + 2 * j] for j in range(i + 1)})
        elif len(digits) == width:
            values[i] = digits
        else:
            raise _RowError(f"{column_letter(col)} 列（{LEVEL_WORDS[i]}）的编码应为 {width} 位，而这里是 “{digits}”。")
    if not values:
        return ""
    deepest = max(values)
    parts = []
    for i in range(deepest + 1):
        part = values.get(i, group.state[i])
        if part is None:
            raise _RowError(f"{LEVEL_WORDS[deepest]}级编码 {values[deepest]} 的上面没有它所属的{LEVEL_WORDS[i]}。")
        parts.append(part)
    group.state = [*parts, *[None] * (2 - deepest)]
    return "".join(parts)


def _read_row(group: _Group, cells: dict[int, Cell]) -> tuple[str, str, bool] | str | None:
    """(code, name, whether spaces were removed from the name) of a row; a reason (str) when it is
    skipped; None when the group's columns are empty. Raises _RowError."""
    name_cell = _readable(cells, group.roles.get("name"))
    name, squeezed = _name(name_cell.text)
    if group.segments:
        code = _segment_code(group, cells, name)
        if code is None:
            return f"不是编码（“{shorten(' '.join(cells[c].text for _, c in group.segments if c in cells))}”）"
        full = _digits(_readable(cells, group.roles.get("code")))
        if code and full and full != code:  # 类 | 款 | 项 and the whole code beside them
            raise _RowError(f"{column_letter(group.roles['code'])} 列的编码 {full} 与类、款、项各列合成的 {code} 不一致。")
    else:
        code_cell = _readable(cells, group.roles.get("code"))
        code = _digits(code_cell)
        if not name and not code and code_cell.text.strip():  # one cell for both: 201 一般公共服务支出, [201]…
            combined = _COMBINED.match(unicodedata.normalize("NFKC", code_cell.text).strip())
            if combined:
                code, (name, squeezed) = combined.group(1), _name(combined.group(2))
            else:
                return f"不是编码（“{shorten(code_cell.text)}”）"
        if not code and name and "code" not in group.roles:
            combined = _COMBINED.match(unicodedata.normalize("NFKC", name))
            if combined:
                code, (name, squeezed) = combined.group(1), _name(combined.group(2))
        if code_cell.text.strip() and not code:
            if not name:
                return f"不是编码（“{shorten(code_cell.text)}”）"
            raise _RowError(f"{column_letter(group.roles['code'])} 列应是编码，而这里是 “{shorten(code_cell.text)}”。")
    if not code:
        return f"有名称没有编码（“{shorten(name)}”）" if name else None
    if not name:
        raise _RowError(f"编码 {code} 没有名称。")
    level_col = group.roles.get("level")
    level_text = _readable(cells, level_col).text if level_col else ""
    if level_text.strip():
        level = _level_of(level_text)
        if level is None or 3 + 2 * level != len(code):
            raise _RowError(f"{column_letter(level_col)} 列的级次 “{shorten(level_text)}” 与编码 {code}（{len(code)} 位）不符。")
    return code, name, squeezed


def _check_name(code: str, name: str) -> None:
    bad = unseen_character(name)
    if bad:
        raise _RowError(f"编码 {code} 的名称含有看不见的字符 {bad}（控制、零宽或方向字符）：请删除它。")
    if len(name) > MAX_NAME_CHARS:
        raise _RowError(f"编码 {code} 的名称超过 {MAX_NAME_CHARS} 个字：“{shorten(name)}”。")
    if name[0] in "=+-@":
        raise _RowError(f"编码 {code} 的名称以 {name[0]} 开头（Excel 会把它当作公式）：“{shorten(name)}”。")


def _kind(code: str) -> str | None:
    return {"2": "function", "3": "economic"}.get(code[0])


def _hint(sheet: Sheet, titles: list[str]) -> str | None:
    """The classification a sheet's name and title rows name, when they name exactly one."""
    text = _plain(" ".join([sheet.name, *titles]))
    found = {kind for kind, words in (("function", ("功能分类", "功能科目")), ("economic", ("部门预算支出经济", "部门经济分类",
                                                                                 "部门预算经济")),
                                      ("5", ("政府预算支出经济", "政府经济分类", "政府预算经济")))
             if any(w in text for w in words)}
    return found.pop() if len(found) == 1 else None


def read_sheet(sheet: Sheet, file: str, out: Imported) -> None:
    """Read one sheet into ``out``: its codes, what it skipped and why, its errors."""
    result = SheetResult(sheet)
    out.sheets.append(result)
    found = _header(sheet)
    if found is None:
        result.not_read = "没有找到表头（“编码”或“科目编码”，和“名称”或“科目名称”），未读取。" if sheet.rows else "是空的。"
        return
    last, groups, result.ignored_columns = found
    head = sheet.rows[:last + 1]
    header_rows = [n for n, cells in head if any(_role(c.text) for c in cells.values())]
    result.header = f"第 {'、'.join(map(str, header_rows))} 行是表头：" + "；".join(g.describe() for g in groups)
    for number, cells in head:
        if number not in header_rows:
            result.skipped.append((number, f"标题或说明（“{shorten(' '.join(c.text for c in cells.values()))}”）"))
    hint = _hint(sheet, [" ".join(c.text for c in cells.values()) for _, cells in head])
    used = {c for g in groups for c in g.roles.values()}
    named = {i.split("（")[0] for i in result.ignored_columns}
    data_columns = {c for _, cells in sheet.rows[last + 1:] for c in cells}
    result.ignored_columns += [column_letter(c) for c in sorted(data_columns - used) if column_letter(c) not in named]
    squeezed_names = formulas = 0
    for number, cells in sheet.rows[last + 1:]:
        where = sheet.where(number)
        reasons, used_row = [], False
        for group in groups:
            try:
                row = _read_row(group, cells)
                if isinstance(row, tuple):
                    _check_name(row[0], row[1])
            except _RowError as exc:
                out.error("import.row", exc.message, where)
                used_row = True
                continue
            if row is None:
                continue
            if isinstance(row, str):
                reasons.append(row)
                continue
            used_row = True
            code, name, squeezed = row
            kind = _kind(code)
            if kind is None:
                if code[0] in LEFT_OUT:
                    result.left_out[LEFT_OUT[code[0]]] += 1
                else:
                    out.error("import.code", f"编码 {code} 既不是支出功能分类（2 开头）也不是部门预算支出经济分类（3 开头）。", where)
                continue
            if len(code) not in LEVELS[kind]:
                local = f"本地区自有的经济分类子目写在 catalogue/<年度>/{LOCAL_FILE} 中，不导入。" if kind == "economic" else ""
                out.error("import.code", f"{KIND_WORDS[kind]}编码应为 {'、'.join(map(str, LEVELS[kind]))} 位，"
                          f"而 {code} 有 {len(code)} 位。{local}", where)
                continue
            if hint and hint != kind:
                said = {"function": "支出功能分类", "economic": "部门预算支出经济分类", "5": "政府预算支出经济分类"}[hint]
                out.error("import.kind", f"工作表的名称或标题是{said}，而编码 {code} 是{KIND_WORDS[kind]}的编码："
                          "请检查是否选错了工作表或列。", where)
                continue
            formulas += any(cells[c].formula for c in group.roles.values() if c in cells)
            squeezed_names += squeezed
            source = f"{file} 第{number}行" if sheet.encoding else f"{file} {sheet.name} 第{number}行"
            _add(out, result, Entry(kind, code, name, where, source, sheet.name, file))
        if not used_row:
            texts = " ".join(c.text for c in cells.values())
            result.skipped.append((number, reasons[0] if reasons else f"只在未读取的列中有文字（“{shorten(texts)}”）"))
    if formulas:
        result.notes.append(f"{formulas} 行的编码或名称是公式，取 Excel 保存的计算结果（公式本身不执行）")
    if squeezed_names:
        result.notes.append(f"{squeezed_names} 个名称中间的空格或换行已删去（如 Alt+Enter 换行的长名称）")


def _add(out: Imported, result: SheetResult, entry: Entry) -> None:
    table = out.entries[entry.kind]
    first = table.get(entry.code)
    if first is None:
        table[entry.code] = entry
        result.read[(entry.kind, len(entry.code))] += 1
    elif first.name != entry.name:
        out.error("import.duplicate", f"{KIND_WORDS[entry.kind]}编码 {entry.code} 出现两次，名称不同：“{first.name}” 和 "
                  f"“{entry.name}”。", entry.where, first.where)
    else:
        there = "" if first.where.file == entry.where.file else f"工作表“{shorten(first.sheet)}”"
        result.skipped.append((entry.where.line, f"编码 {entry.code} 重复（{there}第 {first.where.line} 行已有，名称相同）"))


def missing_classes(out: Imported) -> list[str]:
    """The packaged catalogue's 类 the files lack, for each classification imported: a file of part of a
    classification would make `check` refuse codes of the rest (an edition may also have dropped one)."""
    packaged = Catalogue.load()
    lines = []
    for kind in KINDS:
        table = out.entries[kind]
        expected = {c: n for c, n in packaged.table(kind).items() if len(c) == 3}
        lacking = [f"{c} {n}" for c, n in sorted(expected.items()) if table and c not in table]
        if lacking:
            lines.append(f"{KIND_WORDS[kind]}：随附目录中有、导入的文件中没有的类：{'、'.join(lacking)}。"
                         "如果它们在另一个工作表或文件中，请一起导入（导入的分类是完整的：用到其中编码的数据 check 会报错）。")
    return lines


def hierarchy(out: Imported) -> list[str]:
    """Codes whose 类 or 款 the files do not have: said in the report (the catalogue is written anyway)."""
    lines = []
    for kind in KINDS:
        table = out.entries[kind]
        orphans = sorted(code for code in table if len(code) > 3 and code[:len(code) - 2] not in table)
        if orphans:
            shown = "、".join(f"{c}（缺 {c[:len(c) - 2]}）" for c in orphans[:10])
            more = f" 等 {len(orphans)} 个" if len(orphans) > 10 else ""
            lines.append(f"{KIND_WORDS[kind]}：上级科目不在文件中：{shown}{more}。")
    return lines
