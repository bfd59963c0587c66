"""The two console scripts: ``generate`` (the main job) and ``budgetpub`` with its verbs.

A verb is one line of VERBS: its help and the two functions that add its arguments and run it
(cli/generate.py for generate and check, cli/verbs.py for the others). A user's mistake prints
the report and exits 2, without a traceback and without writing anything.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from generator.errors import BudgetpubError, InvalidSources

from .generate import generate_arguments, run_generate
from .runner import ChineseArgumentParser, message
from .runner import run as run_safely

EXIT_CODES = """退出码：
  0    成功（diff：两边的数据都没有错误时，无论有无差异）
  1    核对发现不一致（verify）
  2    使用者的错误：数据有错（diff：有一边的数据有错）、找不到部门或版本、参数不对；不生成任何文件
  3    刚生成的文件未通过核对（budgetpub 的缺陷，不是数据的错误）；不写入文件。check 也生成并核对，
       所以 check 通过之后 generate 不会以 3 结束
  130  被 Ctrl-C 中断；143 被终止（SIGTERM）；129 终端或 ssh 连接关闭（SIGHUP）"""


# verb: (Chinese help, "module:function" adding its arguments, "module:function" running it → exit code)
VERBS = {
    "generate": ("由 YAML 预算数据生成部门预算公开文件（Word）", "generator.cli.generate:generate_arguments",
                 "generator.cli.generate:run_generate"),
    "check": ("只校验并计算，打印主要合计，不生成文件", "generator.cli.generate:check_arguments",
              "generator.cli.generate:run_check"),
    "diff": ("比较两个版本或两个年度：改动了哪些数据，公开表格和文字中哪些数随之变化", "generator.cli.verbs:diff_arguments",
             "generator.cli.verbs:run_diff"),
    "new-year": ("由本年度数据新建下一年度的数据目录", "generator.cli.verbs:new_year_arguments", "generator.cli.verbs:run_new_year"),
    "init": ("新建预算仓库（配置、data/、.gitignore、钩子和一个部门的骨架）", "generator.cli.verbs:init_arguments",
             "generator.cli.verbs:run_init"),
    "textconv": ("打印 .docx 文件的文字（供 git diff 的 textconv 使用）", "generator.cli.verbs:textconv_arguments",
                 "generator.cli.verbs:run_textconv"),
    "catalogue": ("分类科目目录：import 导入当年《政府收支分类科目》的 Excel 或 CSV", "generator.cli.verbs:catalogue_arguments",
                  "generator.cli.verbs:run_catalogue"),
    "import": ("由上一年度的公开文件（Word、PDF）或九张公开表的 Excel 工作簿导入预算数据（YAML）",
               "generator.cli.verbs:import_arguments", "generator.cli.verbs:run_import"),
    "verify": ("核对一份部门预算公开文件（.docx）：表内、表间、部门与单位、文字与表格的数是否一致",
               "generator.cli.verbs:verify_arguments", "generator.cli.verbs:run_verify"),
}


def _function(spec: str):
    module, name = spec.split(":")
    return getattr(importlib.import_module(module), name)


def _run(function, args) -> int:
    try:
        return function(args)
    except InvalidSources as exc:
        print(exc.report.format(), file=sys.stderr)
        return exc.exit_code
    except BudgetpubError as exc:
        print(f"错误：{message(exc)}", file=sys.stderr)
        return exc.exit_code


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
