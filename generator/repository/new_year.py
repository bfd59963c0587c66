"""``budgetpub new-year``: start data/<dept>/<year+1>/ from this year.

Structure and prose are carried over; this year's figures become the prior year's
(prior_year, sangong.prior_year); every amount to re-enter keeps last year's value and is
marked with a comment ``# 待填写``, and every text carried over (texts, a project's 绩效目标)
with ``# 待核实``. ``check`` and ``generate`` refuse the sources while a mark is left
(``check_unfilled``), so a publication can not go out with last year's numbers or reasons.
"""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

from generator.errors import BudgetpubError, InvalidSources, Report, visible
from generator.files import inside, read_regular
from generator.figures.money import fmt
from generator.sources.reader import MAX_BYTES, read_document
from generator.sources.unfilled import MARK, MARKED, VERIFY, VERIFY_MARKED

# Top-level keys of a unit whose numbers are this year's facts (to re-enter).
FACT_KEYS = ("income", "carryover", "basic", "projects", "other_expenditure", "running_costs", "sangong",
             "procurement", "assets")


def _comment_start(line: str) -> int | None:
    """Where a YAML comment begins on ``line`` (outside quotes), or None."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return i
    return None


def mark(line: str, note: str = "", word: str = MARK) -> str:
    """``line`` with the ``# 待填写`` mark (or ``word``: 待核实), before any comment it has."""
    if (MARKED if word == MARK else VERIFY_MARKED).search(line):
        return line
    at = _comment_start(line)
    if at is None:
        return f"{line}  # {word}{note}"
    return f"{line[:at]}# {word}{note}；{line[at + 1:].lstrip()}"


def _is_text(path: tuple) -> bool:
    """Prose carried over to be checked: the texts, a project's 绩效目标."""
    return bool(path) and (path[0] == "texts" or (path[0] == "projects" and path[2:] == ("performance", "target")))


def _block_end(lines: list[str], start: int, indent: int) -> int:
    """The index after the block whose key is on line ``start`` (0-based) at ``indent``."""
    end = start + 1
    last = start
    while end < len(lines):
        text = lines[end]
        stripped = text.strip()
        if stripped and not stripped.startswith("#"):
            if len(text) - len(text.lstrip(" ")) <= indent:
                break
            last = end
        end += 1
    return last + 1


def _replace_block(lines: list[str], key_pos: tuple[int, int], key: str, values: dict[str, Decimal],
                   comment: str) -> None:
    line, col = key_pos
    start, indent = line - 1, col - 1
    end = _block_end(lines, start, indent)
    pad = " " * indent
    block = [f"{pad}{key}:  # {comment}"]
    block += [f"{pad}  {k}: {fmt(v)}" for k, v in values.items()]
    lines[start:end] = block


def _carry(path: Path, year: int, prior: dict[str, Decimal] | None, sangong: dict[str, Decimal] | None,
           is_department: bool) -> str:
    """The text of one source file for the next year."""
    report = Report()
    doc = read_document(path, path.name, report)
    text = read_regular(path, MAX_BYTES).decode("utf-8")  # read by load() just before: a regular UTF-8 file
    lines = text.splitlines()
    ends_with_newline = text.endswith("\n")
    data = doc.data if doc and isinstance(doc.data, dict) else {}

    # Blocks replaced from the bottom up, so earlier positions stay right.
    edits = []
    if prior is not None and ("prior_year",) in doc.keys:
        edits.append((doc.keys[("prior_year",)], "prior_year", prior,
                      f"上年预算数：由 {year} 年的预算数据算出（new-year）"))
    if sangong is not None and ("sangong", "prior_year") in doc.keys:
        edits.append((doc.keys[("sangong", "prior_year")], "prior_year", sangong,
                      f"上年“三公”经费：{year} 年的预算数（new-year）"))

    # Amounts to re-enter: numbers of this year's facts, and the assets' date.
    to_mark = set()
    if not is_department:
        for p, (line, _) in doc.positions.items():
            if not p or p[0] not in FACT_KEYS or "prior_year" in p or "prior_year_total" in p:
                continue
            value = _get(data, p)
            if (isinstance(value, (int, Decimal)) and not isinstance(value, bool)) or p == ("assets", "as_of"):
                to_mark.add(line)
    skip = set()
    for (line, col), *_ in edits:
        skip.update(range(line - 1, _block_end(lines, line - 1, col - 1)))
    for line in to_mark:
        if line - 1 not in skip:
            lines[line - 1] = mark(lines[line - 1])
    # Texts to verify: the line of each text's key (a block's `|` line), once per line.
    for line in sorted({doc.keys[p][0] for p in doc.keys if _is_text(p) and isinstance(_get(data, p), str)}):
        if line - 1 not in skip:
            lines[line - 1] = mark(lines[line - 1], word=VERIFY)
    if sangong is not None and ("sangong", "prior_year_total") in doc.positions:
        line, col = doc.positions[("sangong", "prior_year_total")]
        raw = doc.raw.get(("sangong", "prior_year_total"), "")
        row = lines[line - 1]
        lines[line - 1] = row[:col - 1] + fmt(sum(sangong.values(), Decimal(0))) + row[col - 1 + len(raw):]
    for pos, key, values, comment in sorted(edits, reverse=True):
        _replace_block(lines, pos, key, values, comment)
    if is_department and ("year",) in doc.positions:
        line, col = doc.positions[("year",)]
        row = lines[line - 1]
        lines[line - 1] = row[:col - 1] + str(year + 1) + row[col - 1 + len(str(year)):]
    return "\n".join(lines) + ("\n" if ends_with_newline else "")


def _get(data, path):
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def new_year(repo, dept: str, year: int) -> Path:
    """Write data/<dept>/<year+1>/ from data/<dept>/<year>/; returns the new folder."""
    from generator.figures.model import SANGONG_CATEGORIES, sangong_by_category

    from generator.document.prose import check as check_prose

    from . import prior_year
    from .discovery import for_user
    from .workspace import load
    if not (re.fullmatch(r"[0-9]{1,9}", str(dept)) and 1900 <= int(year) < 2999):  # never a path (the CLI checks too)
        raise BudgetpubError(f"部门编码 “{visible(dept)}” 或年度 “{visible(year)}” 不对：部门编码是数字，如 304。")
    source, target = repo.sources(dept, year), repo.sources(dept, year + 1)
    if os.path.lexists(target):
        raise BudgetpubError(f"{for_user(target)} 已经存在：new-year 不会覆盖已有的数据。")
    loaded = load(repo, dept, year)  # this year must be complete and correct before it is carried on:
    texts = loaded.located(check_prose(loaded.publication))  # its texts as check has them (they are carried on)
    if texts.errors:
        raise InvalidSources(texts)
    pub = loaded.publication

    def kinds(f) -> dict[str, Decimal]:
        out = prior_year.kinds(f)
        return out if out["other"] else {"basic": out["basic"], "project": out["project"]}

    files = {}
    files["department.yaml"] = _carry(source / "department.yaml", year, kinds(pub.scope.figures), None, True)
    for scope, unit in zip(pub.units, pub.department.units):
        current, _ = sangong_by_category([unit])
        sangong = {c: current[c] for c in SANGONG_CATEGORIES}
        files[f"{unit.code}.yaml"] = _carry(source / f"{unit.code}.yaml", year, kinds(scope.figures), sangong, False)
    escapes = inside(target.parent, repo.root) if target.parent.exists() else None
    if escapes:
        raise BudgetpubError(f"{for_user(target.parent)} {escapes}：new-year 只在仓库的 data/ 中写入。")
    target.mkdir(parents=True)
    for name, text in files.items():
        with open(target / name, "x", encoding="utf-8") as f:  # x: never through a link put there meanwhile
            f.write(text)
    refresh_editor_schemas(repo.root)
    return target


def refresh_editor_schemas(root: Path) -> None:
    """A repository made by ``init`` keeps the editor's JSON Schemas in .budgetpub/: bring them up to
    this budgetpub's (the source files name them on their first line, which new-year carries over)."""
    from .init import SCHEMA_FOLDER, schema_files
    if not (Path(root) / SCHEMA_FOLDER).is_dir():
        return
    for rel, text in schema_files().items():
        path = Path(root) / rel
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")

