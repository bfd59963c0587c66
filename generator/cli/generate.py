"""``generate`` and ``budgetpub check``: one department (or, with --all, every department of a
year) read, checked, computed and published; ``check`` runs it all without writing."""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
from pathlib import Path

from generator.document.prose import check as check_prose
from generator.errors import BudgetpubError, InvalidSources
from generator.figures.money import fmt as money_fmt

from .runner import dept_code_of, message, year


def _source_arguments(p: argparse.ArgumentParser, dept_required: bool = True) -> None:
    p.add_argument("--dept", required=dept_required, help="部门编码，如 304（不是路径）")
    p.add_argument("--year", required=True, type=year, help="预算年度，如 2023")
    p.add_argument("--data", type=Path, default=None,
                   help="数据目录（默认：从当前目录向上找到的预算仓库的 data/；或 $BUDGETPUB_DATA）")
    p.add_argument("--rev", default=None, metavar="REV",
                   help="从 git 版本 REV（提交、标签或分支）读取数据，不改动工作区和暂存区")


def generate_arguments(p: argparse.ArgumentParser) -> None:
    _source_arguments(p, dept_required=False)  # --dept, or --all
    p.add_argument("--check", action="store_true",
                   help="校验：做生成文件的全部工作（在内存中生成并核对），只是不写入文件；打印主要合计")
    p.add_argument("--fast", action="store_true",
                   help="与 --check 同用：只校验数据和计算，不生成和核对文件（较快，但不保证 generate 一定成功）")
    p.add_argument("--out", type=Path, default=None,
                   help="输出文件路径（.docx；其他格式换用 .pdf、.xlsx 扩展名；默认：预算仓库的 output/<部门>/<年度>/）")
    p.add_argument("--format", default="docx",
                   help="输出格式：docx、pdf、xlsx，可用逗号组合，如 docx,pdf,xlsx（默认 docx；pdf 需要 LibreOffice）")
    p.add_argument("--all", action="store_true",
                   help="生成数据目录中该年度的全部部门（多进程并行；--out 为输出目录）")
    p.add_argument("--jobs", type=int, default=None, help="--all 时的并行进程数（默认为 CPU 核数）")
    p.add_argument("--strict", action="store_true", help="把警告（如文字中直接写出的金额）也当作错误")


def check_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="*", type=Path, metavar="FILE",
                   help="改动了的数据文件（pre-commit 钩子传入）：校验它们所属的部门和年度")
    p.add_argument("--dept", default=None, help="部门编码，如 304")
    p.add_argument("--year", default=None, type=year, help="预算年度，如 2023")
    p.add_argument("--data", type=Path, default=None, help="数据目录（默认在预算仓库中查找，或 $BUDGETPUB_DATA）")
    p.add_argument("--rev", default=None, metavar="REV", help="校验 git 版本 REV 中的数据")
    p.add_argument("--format", default="docx", help="与 generate 相同：docx、pdf、xlsx，可用逗号组合（默认 docx）")
    p.add_argument("--strict", action="store_true", help="把警告（如文字中直接写出的金额）也当作错误")
    p.add_argument("--fast", action="store_true",
                   help="只校验数据和计算，不在内存中生成和核对文件（较快，但不保证 generate 一定成功）")


def _summary(publication, fast: bool = False) -> str:
    s = publication.scope
    f = s.figures
    unit = publication.department.money_unit

    def amount(value, unknown="（未提供）"):  # a figure the sources do not give is said to be unknown, never 0.00
        return f"{money_fmt(value):>14} {unit}" if value is not None else f"  {unknown}"

    lines = [
        f"{s.name}（{s.code}）{publication.department.year}年{publication.department.publishes}："
        + ("数据校验通过（--fast：未生成和核对文件）。" if fast else "校验通过。"),
        f"  收入合计    {amount(f.income_total)}",
        f"  基本支出    {amount(f.basic)}",
        f"    人员经费  {amount(f.personnel, '（未提供经济分类明细）')}",
        f"    公用经费  {amount(f.public, '（未提供经济分类明细）')}",
        f"  项目支出    {amount(f.project)}",
        f"  “三公”经费  {amount(f.sangong, '（未写明：sangong）')}" if "sangong" not in publication.department.omit
        else "  “三公”经费    （本地区不公开）",
        f"  单位数      {len(publication.department.roster or publication.units):>14}",
    ]
    return "\n".join(lines)


def _load(args):
    from generator.repository.discovery import discover
    from generator.repository.workspace import load
    repo = discover(args.data)
    return repo, load(repo, args.dept, args.year, args.rev)


@contextlib.contextmanager
def _template_named(loaded):
    """A problem of the template, found while rendering, names it as the user sees it (REV:path too)."""
    from generator.document.untrusted import TemplateUnusable
    try:
        yield
    except TemplateUnusable as exc:
        raise loaded.relocated(exc) from None


def _checked(dept: str, year: int, run) -> int:
    try:
        return run()
    except InvalidSources as exc:
        print(f"{dept} {year} 年预算数据有错误，未生成任何文件：", file=sys.stderr)
        print(exc.report.format(), file=sys.stderr)
        return exc.exit_code


def run_generate(args) -> int:
    if getattr(args, "all", False):
        from .batch import main_all
        return main_all(args)
    if not args.dept:
        raise BudgetpubError("请给出 --dept 部门编码，或用 --all 生成该年度的全部部门（二者选一）。")
    args.dept = dept_code_of(args.dept)

    def run() -> int:
        from generator.formats.publish import parse_formats
        formats = parse_formats(getattr(args, "format", "docx"))
        repo, loaded = _load(args)
        with loaded:  # a revision's temporary folder goes when this ends, whichever way
            return publish_loaded(repo, loaded, formats)

    def publish_loaded(repo, loaded, formats) -> int:
        from generator.formats.output import default_path
        from generator.formats.publish import publish
        from generator.repository.discovery import for_user, output_inside
        # live figures and typed amounts in the prose (issue 11); --strict: warnings are errors
        loaded.report.extend(loaded.located(check_prose(loaded.publication, strict=getattr(args, "strict", False))))
        if loaded.report.errors:
            raise InvalidSources(loaded.report)
        for w in loaded.report.warnings:
            print(w.format(), file=sys.stderr)
        out = args.out or (repo.output / default_path(loaded.publication).relative_to("output")).with_suffix(
            "." + formats[0])
        if not args.out:  # the repository's output folder: publications stay in the repository
            output_inside(repo, out)
        if args.check:  # everything generate runs but LibreOffice's layout and the write
            if getattr(args, "fast", False):  # weaker: the sources only (README: check --fast)
                from generator.formats.publish import output_paths
                output_paths(loaded.publication, formats, out)
            else:
                from generator.formats.publish import dry_run
                with _template_named(loaded):
                    for w in dry_run(loaded.publication, formats, out, template=loaded.template):
                        print(w, file=sys.stderr)
            print(_summary(loaded.publication, fast=getattr(args, "fast", False)))
            return 0
        with _template_named(loaded):
            paths, warnings = publish(loaded.publication, formats, out, template=loaded.template,
                                      notify=lambda message: print(message, file=sys.stderr, flush=True))
        for w in warnings:
            print(w, file=sys.stderr)
        for path in paths:
            print(f"已生成：{for_user(path)}")
        return 0
    return _checked(args.dept, args.year, run)


def run_check(args) -> int:
    pairs = []
    if args.dept or args.year:
        if not (args.dept and args.year):
            raise BudgetpubError("请同时给出 --dept 和 --year（或者给出改动了的数据文件）。")
        pairs.append((dept_code_of(args.dept), args.year))
    for f in args.files:  # data/<dept>/<year>/<file>.yaml
        parts = Path(f).resolve().parts
        if len(parts) >= 3 and re.fullmatch(r"[0-9]{1,9}", parts[-3]) and re.fullmatch(r"[0-9]{4}", parts[-2]):
            pair = (parts[-3], int(parts[-2]))
            if pair not in pairs:
                pairs.append(pair)
    if not pairs:
        if args.files:
            return 0  # no budget sources among the changed files
        raise BudgetpubError("请给出 --dept 和 --year，例如：budgetpub check --dept 304 --year 2023")
    worst = 0
    for dept, budget_year in pairs:
        one = argparse.Namespace(dept=dept, year=budget_year, data=args.data, rev=args.rev, check=True, out=None,
                                 strict=args.strict, format=args.format, fast=args.fast)
        try:
            code = run_generate(one)
        except BudgetpubError as exc:
            print(f"错误：{message(exc)}", file=sys.stderr)
            code = exc.exit_code
        worst = max(worst, code)
    return worst
