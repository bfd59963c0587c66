"""The command line: parse arguments, call the core, print in Chinese.

Two console scripts: ``generate`` (the main job, exactly as before) and ``budgetpub``
with its verbs. A verb is one line of VERBS: its help and the two functions that add
its arguments and run it. A user's mistake prints the report and exits 2, without a
traceback and without writing anything.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from pathlib import Path

from .cliutil import ChineseArgumentParser, run as run_safely, year
from .errors import BudgetpubError, InvalidSources
from .money import fmt as money_fmt
from .prose import check as check_prose

EXIT_CODES = """退出码：
  0    成功（diff：无论有无差异）
  1    核对发现不一致（verify）
  2    使用者的错误：数据有错、找不到部门或版本、参数不对；不生成任何文件
  3    刚生成的文件未通过核对（budgetpub 的缺陷，不是数据的错误）；不写入文件
  130  被 Ctrl-C 中断；143 被终止（SIGTERM）"""

# verb: (Chinese help, "module:function" adding its arguments, "module:function" running it → exit code)
VERBS = {
    "generate": ("由 YAML 预算数据生成部门预算公开文件（Word）", "generator.cli:generate_arguments",
                 "generator.cli:run_generate"),
    "check": ("只校验并计算，打印主要合计，不生成文件", "generator.cli:check_arguments", "generator.cli:run_check"),
    "diff": ("比较两个版本或两个年度：改动了哪些数据，公开表格和文字中哪些数随之变化", "generator.diff:arguments",
             "generator.diff:run"),
    "new-year": ("由本年度数据新建下一年度的数据目录", "generator.newyear:arguments", "generator.newyear:run"),
    "init": ("新建预算仓库（配置、data/、.gitignore、钩子和一个部门的骨架）", "generator.init:arguments",
             "generator.init:run"),
    "textconv": ("打印 .docx 文件的文字（供 git diff 的 textconv 使用）", "generator.textconv:arguments",
                 "generator.textconv:run"),
    "verify": ("核对一份部门预算公开文件（.docx）：表内、表间、部门与单位、文字与表格的数是否一致",
               "generator.verify:arguments", "generator.verify:run"),
}


def _function(spec: str):
    module, name = spec.split(":")
    return getattr(importlib.import_module(module), name)


def _dept_code(text: str) -> str:
    if not re.fullmatch(r"[0-9]{1,9}", text):
        raise BudgetpubError(f"--dept 应为部门编码（数字），如 304，而不是 “{text}”。")
    return text


# ------------------------------------------------------------------ generate and check

def _source_arguments(p: argparse.ArgumentParser, dept_required: bool = True) -> None:
    p.add_argument("--dept", required=dept_required, help="部门编码，如 304（不是路径）")
    p.add_argument("--year", required=True, type=year, help="预算年度，如 2023")
    p.add_argument("--data", type=Path, default=None,
                   help="数据目录（默认：从当前目录向上找到的预算仓库的 data/；或 $BUDGETPUB_DATA）")
    p.add_argument("--rev", default=None, metavar="REV",
                   help="从 git 版本 REV（提交、标签或分支）读取数据，不改动工作区和暂存区")


def generate_arguments(p: argparse.ArgumentParser) -> None:
    _source_arguments(p, dept_required=False)  # --dept, or --all
    p.add_argument("--check", action="store_true", help="只校验并计算，打印主要合计，不生成文件")
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
    p.add_argument("--strict", action="store_true", help="把警告（如文字中直接写出的金额）也当作错误")


def _summary(publication) -> str:
    s = publication.scope
    f = s.figures
    unit = publication.department.money_unit

    def amount(value):  # a figure the sources do not give is said to be unknown, never 0.00
        return f"{money_fmt(value):>14} {unit}" if value is not None else "  （未提供经济分类明细）"

    lines = [
        f"{s.name}（{s.code}）{publication.department.year}年{publication.department.publishes}：校验通过。",
        f"  收入合计    {amount(f.income_total)}",
        f"  基本支出    {amount(f.basic)}",
        f"    人员经费  {amount(f.personnel)}",
        f"    公用经费  {amount(f.public)}",
        f"  项目支出    {amount(f.project)}",
        f"  “三公”经费  {amount(f.sangong)}",
        f"  单位数      {len(publication.units):>14}",
    ]
    return "\n".join(lines)


def _load(args):
    from .repo import discover
    from .workspace import load
    repo = discover(args.data)
    return repo, load(repo, args.dept, args.year, args.rev)


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
    args.dept = _dept_code(args.dept)

    def run() -> int:
        from .publish import parse_formats, publish
        from .render import default_path
        from .repo import for_user
        formats = parse_formats(getattr(args, "format", "docx"))
        repo, loaded = _load(args)
        # live figures and typed amounts in the prose (issue 11); --strict: warnings are errors
        loaded.report.extend(check_prose(loaded.publication, strict=getattr(args, "strict", False)))
        if loaded.report.errors:
            raise InvalidSources(loaded.report)
        for w in loaded.report.warnings:
            print(w.format(), file=sys.stderr)
        if args.check:  # a faithful dry run: the outputs checked and the document built, nothing written
            from .publish import output_paths
            from .render import render_bytes
            output_paths(loaded.publication, formats, args.out)
            render_bytes(loaded.publication, loaded.template)
            print(_summary(loaded.publication))
            return 0
        out = args.out or (repo.output / default_path(loaded.publication).relative_to("output")).with_suffix(
            "." + formats[0])
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
        pairs.append((_dept_code(args.dept), args.year))
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
                                 strict=args.strict)
        try:
            code = run_generate(one)
        except BudgetpubError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            code = exc.exit_code
        worst = max(worst, code)
    return worst


# ------------------------------------------------------------------ entry points

def _run(function, args) -> int:
    try:
        return function(args)
    except InvalidSources as exc:
        print(exc.report.format(), file=sys.stderr)
        return exc.exit_code
    except BudgetpubError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return exc.exit_code
    # Ctrl-C, SIGTERM, a broken pipe and OS errors: cliutil.run, around the whole command.


def _version() -> str:
    try:
        from importlib.metadata import version
        return f"budgetpub {version('budgetpub')}"
    except Exception:  # pragma: no cover - not installed
        return "budgetpub"


def main(argv: list[str] | None = None) -> int:
    """``generate``: the main job, as it always was."""
    p = ChineseArgumentParser(prog="generate", description="由 YAML 预算数据生成部门预算公开文件（Word）。",
                              epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    generate_arguments(p)
    p.add_argument("--version", action="version", version=_version(), help="显示版本并退出")
    return run_safely(lambda: _run(run_generate, p.parse_args(argv)))


def budgetpub(argv: list[str] | None = None) -> int:
    """``budgetpub VERB ...``."""
    p = ChineseArgumentParser(
        prog="budgetpub", description="部门预算公开：由预算仓库中的 YAML 数据生成、校验和比较部门预算公开文件。",
        epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=_version(), help="显示版本并退出")
    verbs = p.add_subparsers(dest="verb", metavar="命令", title="命令")
    verbs.required = True
    for verb, (help_text, add_arguments, run) in VERBS.items():
        sub = verbs.add_parser(verb, help=help_text, description=help_text + "。", epilog=EXIT_CODES,
                               formatter_class=argparse.RawDescriptionHelpFormatter)
        _function(add_arguments)(sub)
        sub.set_defaults(run=run)
    return run_safely(lambda: _budgetpub(p, argv))


def _budgetpub(p, argv) -> int:
    args = p.parse_args(argv)
    return _run(_function(args.run), args)
