"""The command line: parse arguments, call the core, print in Chinese.

A user's mistake prints the report and exits 2, without a traceback and
without writing anything.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from . import DATA_ROOT, build
from .errors import BudgetpubError, InvalidSources
from .money import fmt as money_fmt


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="generate",
        description="由 YAML 预算数据生成部门预算公开文件（Word）。")
    p.add_argument("--dept", required=True, help="部门编码，如 304（不是路径）")
    p.add_argument("--year", required=True, type=int, help="预算年度，如 2023")
    p.add_argument("--check", action="store_true", help="只校验并计算，打印主要合计，不生成文件")
    p.add_argument("--data", type=Path, default=None,
                   help=f"数据目录（默认 $BUDGETPUB_DATA 或 {DATA_ROOT}）")
    p.add_argument("--out", type=Path, default=None, help="输出文件路径（.docx）")
    return p


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


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not re.fullmatch(r"[0-9]{1,9}", args.dept):
        print(f"错误：--dept 应为部门编码（数字），如 304，而不是 “{args.dept}”。", file=sys.stderr)
        return 2
    data_root = args.data or Path(os.environ.get("BUDGETPUB_DATA") or DATA_ROOT)
    try:
        publication, report = build(data_root, args.dept, args.year)
        for w in report.warnings:
            print(w.format(), file=sys.stderr)
        if args.check:
            print(_summary(publication))
            return 0
        from .render import write_publication
        path = write_publication(publication, args.out)
        print(f"已生成：{path}")
        return 0
    except InvalidSources as exc:
        print(f"{args.dept} {args.year} 年预算数据有错误，未生成任何文件：", file=sys.stderr)
        print(exc.report.format(), file=sys.stderr)
        return exc.exit_code
    except BudgetpubError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return exc.exit_code
