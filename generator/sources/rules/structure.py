"""Rules on the structure of the sources: files and codes of the department and its units, unique
names, and the names of codes against the classification catalogue."""

from __future__ import annotations

from pathlib import PurePath
from typing import Iterator

from generator.figures.catalogue import KIND_WORDS, LEVELS, LOCAL_FILE
from generator.figures.model import Department, Unit
from generator.figures.vocabulary import UNIT_BUDGET

from .registry import DEPARTMENT, UNIT, Context, Finding, finding, rule


@rule("unit.file-name", UNIT, "单位编码与文件名一致（每个单位一个文件，文件名是单位编码）。")
def unit_file_name(unit: Unit, ctx: Context) -> Iterator[Finding]:
    stem = PurePath(unit.doc.file).stem
    if unit.code != stem:
        yield finding(f"单位编码 “{unit.code}” 与文件名 “{stem}.yaml” 不一致："
                      "每个单位一个文件，文件名是单位编码。", unit.doc.loc(("code",)))


@rule("unit.code-prefix", UNIT, "单位编码是部门编码加 3 位或更多位数字。")
def unit_code_prefix(unit: Unit, ctx: Context) -> Iterator[Finding]:
    code = ctx.dept.code
    if not (unit.code.startswith(code) and len(unit.code) >= len(code) + 3):
        yield finding(f"单位编码 “{unit.code}” 应为部门编码 {code} 加 3 位或更多位数字，如 {code}001。",
                      unit.doc.loc(("code",)))


@rule("department.code", DEPARTMENT, "部门编码与目录名一致。")
def department_code(dept: Department, ctx: Context) -> Iterator[Finding]:
    if dept.code != ctx.dept_dir:
        yield finding(f"部门编码 “{dept.code}” 与目录名 “{ctx.dept_dir}” 不一致。", dept.doc.loc(("code",)))


@rule("department.year", DEPARTMENT, "预算年度与目录名一致。")
def department_year(dept: Department, ctx: Context) -> Iterator[Finding]:
    if str(dept.year) != ctx.year_dir:
        yield finding(f"预算年度 {dept.year} 与目录名 “{ctx.year_dir}” 不一致。", dept.doc.loc(("year",)))


@rule("department.no-units", DEPARTMENT, "部门至少有一个单位文件。")
def department_no_units(dept: Department, ctx: Context) -> Iterator[Finding]:
    if not dept.units:
        yield finding("部门下没有单位：每个单位一个文件，文件名是单位编码（如 "
                      f"{dept.code}001.yaml）。", dept.doc.loc(()))


@rule("unit.code-length", DEPARTMENT, "同一部门的单位编码位数相同（999 个单位以内 3 位序号，更多时 4 位），文件顺序即编码顺序。")
def unit_code_length(dept: Department, ctx: Context) -> Iterator[Finding]:
    lengths = [len(u.code) for u in dept.units]
    usual = max(lengths, key=lambda n: (lengths.count(n), -n), default=0)  # a tie: the shorter
    example = next((u for u in dept.units if len(u.code) == usual), None)
    for unit in dept.units:
        if len(unit.code) != usual:
            yield finding(f"单位编码 “{unit.code}” 有 {len(unit.code)} 位，本部门其他单位的编码有 {usual} 位"
                          f"（如 “{example.code}”）：同一部门的单位编码位数须相同。",
                          unit.doc.loc(("code",)), example.doc.loc(("code",)))


@rule("unit.duplicate-name", DEPARTMENT, "部门内单位名称不重复。")
def unit_duplicate_name(dept: Department, ctx: Context) -> Iterator[Finding]:
    seen: dict[str, Unit] = {}
    for unit in dept.units:
        if unit.name in seen:
            yield finding(f"单位名称 “{unit.name}” 重复。", unit.doc.loc(("name",)), seen[unit.name].doc.loc(("name",)))
        seen[unit.name] = unit


def _other_edition(catalogue, kind: str, code: str, name: str) -> str | None:
    """The year of another edition of the classification that names ``code`` ``name``."""
    return next((year for year, other in catalogue.other_editions[kind].get(code, []) if other == name), None)


@rule("names.contradicts-catalogue", DEPARTMENT, "来源中写的科目名称与分类目录一致（或与另一年度的分类一致，见下条）。")
def names_contradicts_catalogue(dept: Department, ctx: Context) -> Iterator[Finding]:
    for kind in ("function", "economic"):
        table = ctx.names.catalogue.table(kind)
        for code, name, loc in ctx.names.given[kind]:
            known = table.get(code)
            if known is not None and known != name and not _other_edition(ctx.names.catalogue, kind, code, name):
                yield finding(f"{KIND_WORDS[kind]}编码 {code} 在分类目录中的名称是 “{known}”，来源写的是 “{name}”。"
                              "请改正名称，或删去名称由目录提供。", loc)


@rule("names.other-edition", DEPARTMENT, "科目名称是另一年度分类中的名称：接受，并提示是哪一年。",
      severity="warning")
def names_other_edition(dept: Department, ctx: Context) -> Iterator[Finding]:
    for kind in ("function", "economic"):
        table = ctx.names.catalogue.table(kind)
        for code, name, loc in ctx.names.given[kind]:
            year = _other_edition(ctx.names.catalogue, kind, code, name)
            if table.get(code) not in (None, name) and year:
                yield finding(f"{KIND_WORDS[kind]}编码 {code} 的名称 “{name}” 出自 {year} 年的分类，本年度分类中的名称是 "
                              f"“{table[code]}”。已接受；如本年度已改名，请改用新名称。", loc)


@rule("names.not-in-catalogue", DEPARTMENT, "分类目录没有的编码，使用来源中写的名称（目录不完整）。",
      severity="warning")
def names_not_in_catalogue(dept: Department, ctx: Context) -> Iterator[Finding]:
    for kind in ("function", "economic"):
        if kind in ctx.names.catalogue.complete:  # names.not-in-year-catalogue: that year has no such code
            continue
        for code, (name, loc) in ctx.names.extra[kind].items():
            yield finding(f"{KIND_WORDS[kind]}编码 {code} 不在分类目录中（目录不完整），使用来源中的名称 “{name}”。"
                          "请确认编码和名称与当年《政府收支分类科目》一致。", loc)


@rule("names.conflict", DEPARTMENT, "分类目录没有的编码，来源中只给一个名称。")
def names_conflict(dept: Department, ctx: Context) -> Iterator[Finding]:
    for kind in ("function", "economic"):
        for code, name, loc in ctx.names.given[kind]:
            first = ctx.names.extra[kind].get(code)
            if first is not None and first[0] != name:
                yield finding(f"{KIND_WORDS[kind]}编码 {code} 在来源中有两个不同的名称：“{first[0]}” 和 “{name}”。",
                              loc, first[1])


def _economic_lines(unit: Unit) -> list:
    return [l for l in unit.basic_economic + unit.project_expenditure() + unit.other if l.economic]


def _code_loc(line, kind: str):
    """Where the code is written: a project's line is placed at its amount, its codes are on lines of their own."""
    return (line.code_loc or {}).get(kind, line.loc)


def _used(dept: Department) -> Iterator[tuple[str, str, object]]:
    """(kind, code, line) of every code written on an expenditure line, in reading order."""
    for unit in dept.units:
        for kind, lines in (("function", unit.function_lines()), ("economic", _economic_lines(unit))):
            for line in lines:
                yield kind, (line.function if kind == "function" else line.economic), line


@rule("names.unknown-code", DEPARTMENT, "用到的每个编码及其上级科目都有名称（目录或来源）。")
def names_unknown_code(dept: Department, ctx: Context) -> Iterator[Finding]:
    for kind, code, line in _used(dept):
        if kind in ctx.names.catalogue.complete or len(code) > max(LEVELS[kind]):
            continue  # names.not-in-year-catalogue, names.local-undefined
        for part in ctx.names.missing(kind, code):
            field = "function_names" if kind == "function" else "economic_names"
            yield finding(f"{KIND_WORDS[kind]}编码 {part}{_level(part, code)}不在分类目录中，来源也没有给出名称。"
                          f"请核对编码，或在该行写明名称（上级科目写在 department.yaml 的 {field} 中）。",
                          _code_loc(line, kind))


def _level(part: str, code: str) -> str:
    """`` `` for the code itself, ``（2080505 的款级）`` for one of its parents."""
    return " " if part == code else f"（{code} 的{'类' if len(part) == 3 else '款'}级）"


def _catalogue_file(ctx: Context, kind: str, name: str) -> str:
    """Where a repository keeps a file of this year's catalogue: catalogue/<year>/<name>."""
    return f"catalogue/{ctx.names.catalogue.year or ctx.dept.year}/{name}"


@rule("names.not-in-year-catalogue", DEPARTMENT, "分类目录由 budgetpub catalogue import 从当年的正式文件导入时是完整的："
      "目录没有的编码当年不存在。")
def names_not_in_year_catalogue(dept: Department, ctx: Context) -> Iterator[Finding]:
    catalogue = ctx.names.catalogue
    year = catalogue.year or str(dept.year)
    reported: set[tuple[str, str]] = set()

    def message(kind: str, part: str, code: str) -> str:
        text = (f"{KIND_WORDS[kind]}编码 {part}{_level(part, code)}不在 {year} 年的分类目录中"
                f"（{catalogue.files[kind]}，由 budgetpub catalogue import 从 “{catalogue.complete[kind]}” 导入）："
                "这一年没有这个编码，请核对。")
        before = [(y, n) for y, n in catalogue.other_editions[kind].get(part, []) if int(y) < int(year)]
        if before:
            then, name = max(before, key=lambda yn: int(yn[0]))
            text += f"它在 {then} 年的分类中是 “{name}”。"
        if kind == "economic":
            text += f"本地区自有的经济分类科目写在 {_catalogue_file(ctx, kind, LOCAL_FILE)} 中。"
        return text

    for kind, code, line in _used(dept):
        if kind not in catalogue.complete or len(code) > max(LEVELS[kind]):
            continue
        for part in [code[:n] for n in LEVELS[kind] if n <= len(code)]:
            if part not in catalogue.table(kind):
                reported.add((kind, part))
                yield finding(message(kind, part, code), _code_loc(line, kind))
    for kind in catalogue.complete:  # a name given for a code no line uses
        for code, (_, loc) in ctx.names.extra[kind].items():
            if (kind, code) not in reported:
                yield finding(message(kind, code, code), loc)


@rule("names.local-undefined", DEPARTMENT, "5 位以上的经济分类编码是本地区自有的子目，在仓库的 "
      f"catalogue/<年度>/{LOCAL_FILE} 中写明名称和对应的标准款。")
def names_local_undefined(dept: Department, ctx: Context) -> Iterator[Finding]:
    for kind, code, line in _used(dept):
        if kind == "economic" and len(code) > max(LEVELS[kind]) and code not in ctx.names.catalogue.local:
            yield finding(f"经济分类编码 {code} 有 {len(code)} 位：部门预算支出经济分类只到款（5 位），更长的编码只能是"
                          f"本地区自有的子目，须在 {_catalogue_file(ctx, kind, LOCAL_FILE)} 中写明名称和对应的标准款"
                          "（列 code,name,standard）。", _code_loc(line, kind))


@rule("names.local-split", DEPARTMENT, "标准款拆成本地区的子目后，基本支出不再直接记在这个款上"
      "（基本支出表中款是其子目之和）。")
def names_local_split(dept: Department, ctx: Context) -> Iterator[Finding]:
    lines = [l for u in dept.units for l in u.basic_economic]
    sub_items: dict[str, object] = {}
    for line in lines:
        standard = ctx.names.standard(line.economic)
        if standard != line.economic and line.economic.startswith(standard):
            sub_items.setdefault(standard, line)
    for line in lines:
        if line.economic in sub_items:
            sub = sub_items[line.economic]
            name = ctx.names.get("economic", sub.economic)
            yield finding(f"经济分类 {line.economic} 已拆成本地区的子目（如 {sub.economic} “{name}”），"
                          "基本支出不能再直接记在这个款上：请把这笔支出记到相应的子目。", _code_loc(line, "economic"),
                          _code_loc(sub, "economic"))


@rule("names.changed-meaning", DEPARTMENT, "用到的编码（及其上级科目）在上一年度的分类中是另一个名称（改名，或同一编码改作他用）："
      "提示核对。", severity="warning")
def names_changed_meaning(dept: Department, ctx: Context) -> Iterator[Finding]:
    catalogue = ctx.names.catalogue
    # a source that writes the name itself has chosen it (and the name rules check it)
    seen = {(kind, code) for kind in ("function", "economic") for code, _, _ in ctx.names.given[kind]}
    for kind, code, line in _used(dept):
        for part in [code[:n] for n in LEVELS[kind] if n <= len(code)]:
            earlier = catalogue.earlier(kind, part)
            if earlier is None or (kind, part) in seen:
                continue
            seen.add((kind, part))
            year, old = earlier
            now = catalogue.table(kind)[part]
            yield finding(f"{KIND_WORDS[kind]}编码 {part}{_level(part, code)}在 {year} 年的分类中是 “{old}”，"
                          f"{catalogue.year} 年的分类中是 “{now}”：可能只是改名，也可能是同一编码改作他用。"
                          f"请确认这里的支出属于 “{now}”（沿用上年的数据时尤其要核对）。", _code_loc(line, kind))


@rule("names.not-a-class", DEPARTMENT, "功能分类的类级是收支总表的 31 个支出类别之一。")
def names_not_a_class(dept: Department, ctx: Context) -> Iterator[Finding]:
    class_codes = {c.code for c in ctx.names.catalogue.classes if c.code}
    for unit in dept.units:
        for line in unit.function_lines():
            if line.function[:3] not in class_codes:
                yield finding(f"功能分类 {line.function} 的类级 {line.function[:3]} 不在收支总表的 31 个支出类别中。",
                              _code_loc(line, "function"))


@rule("department.unit-budget", DEPARTMENT, "单位预算（publishes: 单位预算）只有一个单位。")
def department_unit_budget(dept: Department, ctx: Context) -> Iterator[Finding]:
    if dept.publishes == UNIT_BUDGET and len(dept.units) != 1:
        yield finding(f"单位预算只公开一个单位，而这里有 {len(dept.units)} 个单位文件。", dept.doc.loc(("publishes",)))
