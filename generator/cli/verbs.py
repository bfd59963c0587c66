"""The verbs of ``budgetpub`` besides generate and check: their arguments, and how each runs and
reports. The work itself is the repository's (diff, new year, init, textconv) or the verifier's."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from generator.errors import INVISIBLE, BudgetpubError, InvalidSources, os_reason, visible
from generator.figures.model import Department
from generator.figures.vocabulary import UNIT_BUDGET
from generator.repository.diff import blocks, facts, facts_changed, figures_moved
from generator.repository.diff_format import as_markdown, as_text, facts_only
from generator.repository.discovery import discover, for_user
from generator.repository.init import configure_git, init
from generator.repository.new_year import new_year
from generator.repository.revisions import toplevel
from generator.repository.textconv import docx_text
from generator.repository.workspace import load
from generator.sources.unfilled import MARK, VERIFY
from generator.verify import CHECKS, LayoutError, load_layout, region, report
from generator.verify.layout import DEFAULT as DEFAULT_LAYOUT

from .runner import dept_code_of, year

# ------------------------------------------------------------------ diff

def diff_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("revs", nargs="*", metavar="REV",
                   help="git 版本（提交、标签或分支）：不给出时比较 HEAD 与工作区；给出一个时比较它与工作区；"
                        "给出两个时比较这两个版本")
    p.add_argument("--dept", required=True, help="部门编码，如 304")
    p.add_argument("--year", required=True, type=int, help="预算年度，如 2023")
    p.add_argument("--to-year", type=int, default=None,
                   help="与另一年度比较（如 --year 2023 --to-year 2024），这时最多给出一个版本")
    p.add_argument("--format", choices=("text", "markdown"), default="text",
                   help="text：终端阅读（默认）；markdown：可贴进合并请求的说明")
    p.add_argument("--detail", action="store_true",
                   help="逐行逐栏列出公开的数的变化（原数 → 新数），不按数据的改动分组")
    p.add_argument("--data", type=Path, default=None, help="数据目录（默认在预算仓库中查找，或 $BUDGETPUB_DATA）")


def run_diff(args) -> int:
    dept = dept_code_of(args.dept)
    repo = discover(args.data)
    if args.to_year is not None:
        if len(args.revs) > 1:
            raise BudgetpubError("比较两个年度时最多给出一个版本。")
        rev = args.revs[0] if args.revs else None
        sides = [(rev, args.year), (rev, args.to_year)]
        names = [f"{args.year} 年", f"{args.to_year} 年"]
        at = f"（版本 {rev}）" if rev else ""
        title = f"部门 {dept}：{args.year} 年 → {args.to_year} 年{at}"
    else:
        if len(args.revs) > 2:
            raise BudgetpubError("最多给出两个版本。")
        revs = list(args.revs)
        if not revs:
            if toplevel(repo.root) is None:
                raise BudgetpubError("不在 git 仓库中：请给出两个版本，或用 --to-year 比较两个年度。")
            revs = ["HEAD"]
        if len(revs) == 1:
            revs.append(None)
        sides = [(r, args.year) for r in revs]
        names = [r or "工作区" for r in revs]
        title = f"部门 {dept} {args.year} 年：{names[0]} → {names[1]}"
    loaded, failed = [], []
    with contextlib.ExitStack() as revisions:  # a revision's temporary folder removed when both are read
        for (rev, year), name in zip(sides, names):
            try:
                loaded.append(revisions.enter_context(load(repo, dept, year, rev)).publication)
            except InvalidSources as exc:  # reported; its facts are compared when they could be read
                failed.append((name, exc))
                loaded.append(exc.department)
    for name, exc in failed:
        print(f"{name}的数据有错误（{len(exc.report.errors)} 个），公开的数无法算出：", file=sys.stderr)
        print(exc.report.format(), file=sys.stderr)
    a, b = loaded
    fmt = as_markdown if args.format == "markdown" else as_text
    if failed:
        if a is None or b is None:
            return 2
        a, b = (side if isinstance(side, Department) else side.department for side in (a, b))
        fa, fb = facts(a), facts(b)
        changed = [(k, fa.get(k), fb.get(k)) for k in dict.fromkeys([*fa, *fb]) if fa.get(k) != fb.get(k)]
        print(facts_only(f"{b.name}（{title}）", b.money_unit, changed, args.format == "markdown"), end="")
        return 2
    changed = facts_changed(a, b)
    found = None if args.detail else blocks(a, b, changed)
    moved = figures_moved(a, b) if args.detail or found is None or not changed else []
    title = f"{b.department.name}（{title}）"
    print(fmt(title, b.department.money_unit, changed, found, moved, b.department.publishes == UNIT_BUDGET,
              args.detail), end="")
    return 0


# ------------------------------------------------------------------ new-year

def new_year_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dept", required=True, help="部门编码，如 304")
    p.add_argument("--year", required=True, type=year, help="已有的年度，如 2023：新建下一年度（2024）的数据")
    p.add_argument("--data", type=Path, default=None, help="数据目录（默认在预算仓库中查找，或 $BUDGETPUB_DATA）")


def run_new_year(args) -> int:
    dept = dept_code_of(args.dept)  # a code, never a path: --dept ../../x/304 wrote outside data/
    repo = discover(args.data)
    target = new_year(repo, dept, args.year)
    print(f"已新建：{for_user(target)}")
    print(f"结构和文字沿用 {args.year} 年；{args.year} 年的数已记为上年数（prior_year）。"
          f"标有“# {MARK}”的数须按 {args.year + 1} 年预算重新填写，标有“# {VERIFY}”的文字须按 {args.year + 1} 年的情况"
          "核对或改写，然后删去标记，否则 check 和 generate 会报错。", file=sys.stderr)
    return 0


# ------------------------------------------------------------------ init

def init_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("directory", nargs="?", type=Path, default=Path("."), metavar="DIR",
                   help="新仓库的目录（默认：当前目录）")
    p.add_argument("--dept", help="部门编码，如 304")
    p.add_argument("--name", help="部门名称，如 某某市某某区某某局")
    p.add_argument("--year", type=year, help="第一个预算年度，如 2025")
    p.add_argument("--example", nargs="?", const=EXAMPLE, metavar="部门编码",
                   help=f"写入一个填好的示例部门（默认 {EXAMPLE}，各年度都写入），而不是空白的骨架；"
                        "可照着它填写本部门的数据")


EXAMPLE = "899"  # 示例市示例区文化和旅游局: three units, every table non-empty, two years


def run_init(args) -> int:
    if args.example:
        if args.dept or args.name or args.year:
            raise BudgetpubError("--example 写入示例部门，不与 --dept、--name、--year 同用。")
        dept = dept_code_of(args.example)
        written = init(args.directory, dept, example=True)
        years = sorted({p.parent.name for p in written if p.suffix == ".yaml" and p.parent.parent.name == dept})
    else:
        if not (args.dept and args.name and args.year):
            raise BudgetpubError("请给出 --dept、--name 和 --year（新部门的骨架），或者用 --example 写入示例部门。")
        dept = dept_code_of(args.dept)
        if not 3 <= len(dept) <= 6:
            raise BudgetpubError(f"部门编码应为 3 到 6 位数字，而不是 “{dept}”。")
        if INVISIBLE.search(args.name) or not args.name.strip():
            raise BudgetpubError(f"部门名称 “{visible(args.name)}” 不能为空，也不能含有换行、控制字符或看不见的字符。")
        if len(args.name) > 100:
            raise BudgetpubError(f"部门名称太长：{len(args.name)} 个字，最多 100 个字。")
        written = init(args.directory, dept, args.name, args.year)
    for path in written:
        print(f"已写入：{for_user(path)}")
    in_git = configure_git(args.directory)
    git_hint = ("" if in_git else "这里还不是 git 仓库：先运行 git init，再运行 "
                "git config diff.docx.textconv \"budgetpub textconv\"。")
    if args.example:
        print(f"示例部门 {dept}（{'、'.join(years)} 年）已写入。进入仓库目录后运行 budgetpub check --dept {dept} --year "
              f"{years[-1]}，再运行 generate --dept {dept} --year {years[-1]}。" + git_hint, file=sys.stderr)
    else:
        print(f"下一步：填写 data/{dept}/{args.year}/ 中标有“# {MARK}”的值和以“{MARK}：”开头的文字（删去标记），"
              f"有几个单位就复制几个单位文件；运行 budgetpub check --dept {dept} --year {args.year}（它列出每一处还要"
              "填写的地方，并提醒没有写的政府采购、“三公”经费、固定资产等），然后提交（git add、git commit）。" + git_hint,
              file=sys.stderr)
    return 0


# ------------------------------------------------------------------ textconv

def textconv_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, metavar="FILE", help=".docx 文件（模板或生成的公开文件）")


def run_textconv(args) -> int:
    sys.stdout.write(docx_text(args.file))
    return 0


# ------------------------------------------------------------------ verify

def verify_arguments(p: argparse.ArgumentParser) -> None:
    """The arguments of ``budgetpub verify``."""
    p.add_argument("files", nargs="+", type=Path, metavar="文件或目录",
                   help="部门预算公开文件（.docx 或 .pdf，由 budgetpub 生成或手工制作），或含有这些文件的目录（逐级查找）")
    p.add_argument("--format", choices=("text", "json", "html"), default="text",
                   help="输出格式：text（默认）、json，或 html（一个部门一行、每个问题链接到所在页的报告页面）")
    p.add_argument("--output", "-o", type=Path, default=None, help="把报告写入此文件（默认输出到终端）")
    p.add_argument("--jobs", "-j", type=int, default=None, help="同时核对的文件数（默认：CPU 核数）")
    p.add_argument("--layout", type=Path, default=None,
                   help="本地区的公开格式（YAML：每部分应有的表和情况说明的各节），默认为河北省的格式")
    p.add_argument("--ignore", action="append", default=[], metavar="代码",
                   help="不报告的核对项（如 wording.punctuation；可多次给出）")
    p.add_argument("--strict", action="store_true", help="有警告也以 1 退出")
    p.add_argument("--tables", action="store_true", help="列出每份文件中识别并核对的表格和跳过的表格")


def run_verify(args: argparse.Namespace) -> int:
    """``budgetpub verify``: 0 when every publication agrees (warnings listed), 1 when some has an
    error (or, with --strict, a warning), 2 when a file cannot be read or nothing was found."""
    layout = DEFAULT_LAYOUT
    unknown = [c for c in args.ignore if c not in CHECKS and not any(k.startswith(c + ".") for k in CHECKS)]
    if unknown:
        raise BudgetpubError(f"--ignore 的核对项不存在：{'、'.join(unknown)}（可用：{'、'.join(CHECKS)}）")
    if args.jobs is not None and args.jobs < 1:
        raise BudgetpubError("--jobs 应为正整数。")
    if args.layout is not None:
        try:
            layout = load_layout(args.layout)
        except LayoutError as exc:
            raise BudgetpubError(str(exc)) from None
    single = len(args.files) == 1 and not args.files[0].is_dir()
    progress = None
    if not single and args.output is not None and sys.stderr.isatty():
        def progress(done: int, total: int) -> None:
            print(f"\r已核对 {done}/{total}", end="" if done < total else "\n", file=sys.stderr)
    try:
        result = region.run(args.files, layout, tuple(args.ignore), args.jobs, args.strict, progress)
    except region.NothingToVerify as exc:
        print(f"错误：{visible(str(exc))}", file=sys.stderr)
        return 2
    if args.format == "json":
        out = report.as_json(result, single)
    elif args.format == "html":
        out = report.as_html(result, args.output.parent if args.output else Path.cwd())
    else:
        out = report.text(result, args.tables)
    if single and result.unreadable and args.format == "text":
        print(f"错误：{visible(result.unreadable[0].error)}", file=sys.stderr)
    elif args.output is not None:
        try:
            args.output.write_text(out if out.endswith("\n") else out + "\n", encoding="utf-8")
        except OSError as exc:
            raise BudgetpubError(f"无法写入 {args.output}：{os_reason(exc)}。") from None
        print(f"已写入：{args.output}（{report._summary(result)}）", file=sys.stderr)
    else:
        print(out)
    return result.exit_code


# ------------------------------------------------------------------ catalogue

def catalogue_arguments(p: argparse.ArgumentParser) -> None:
    actions = p.add_subparsers(dest="action", metavar="操作", title="操作")
    actions.required = True
    imp = actions.add_parser(
        "import", help="把当年《政府收支分类科目》的 Excel（或 CSV）导入预算仓库的 catalogue/<年度>/",
        description="读取支出功能分类科目、部门预算支出经济分类科目的工作表（编码、名称，可带类/款/项或级次列；"
                    "标题行、合并的类单元格、全角空格都可以），写入预算仓库的 catalogue/<年度>/，并报告读到了什么、"
                    "跳过了什么及原因。文件有错误时不写入任何文件。")
    imp.add_argument("files", nargs="+", type=Path, metavar="文件",
                     help=".xlsx、.xlsm 或 .csv（UTF-8 或 Excel 另存的 GBK）；一个分类分在几个文件中时一起给出")
    imp.add_argument("--year", required=True, type=int, help="分类科目的年度，如 2024")
    imp.add_argument("--check", action="store_true", help="只读取并报告，不写入")
    imp.add_argument("--data", type=Path, default=None, help="数据目录（默认在预算仓库中查找，或 $BUDGETPUB_DATA）")


def run_catalogue(args) -> int:
    from generator.repository.catalogue_store import ImportFailed, import_catalogue
    if not 2000 <= args.year <= 2100:
        raise BudgetpubError(f"年度应为 2000 到 2100 之间的整数，而不是 {args.year}。")
    repo = discover(args.data)
    try:
        text, report = import_catalogue(args.files, repo.root, args.year, for_user, write=not args.check)
    except ImportFailed as exc:
        print("\n".join(exc.lines))
        print(f"导入失败，未写入任何文件：\n{exc.report.format()}", file=sys.stderr)
        return 2
    print(text)
    if report.warnings:
        print(report.format(), file=sys.stderr)
    return 0


# ------------------------------------------------------------------ import

def import_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, metavar="FILE",
                   help="上一年度的公开文件（.docx 或 .pdf），或九张公开表的 Excel 工作簿（.xlsx）")
    p.add_argument("--dept", required=True, help="部门编码，如 304")
    p.add_argument("--year", required=True, type=year, help="公开文件的预算年度，如 2023")
    p.add_argument("--to", type=Path, default=None,
                   help="数据目录（默认：预算仓库的 data/；不在预算仓库中时为当前目录下的 data/）")
    p.add_argument("--force", action="store_true", help="data/<部门>/<年度>/ 已经存在时覆盖它")
    p.add_argument("--no-check", action="store_true", help="写入后不运行 budgetpub check")


def run_import(args) -> int:
    from generator.repository.importing import import_file

    dept = dept_code_of(args.dept)
    to = args.to
    if to is None:
        try:
            to = discover(None).data
        except BudgetpubError:
            to = Path("data")
    result = import_file(args.file, dept, args.year, to, force=args.force)
    print(result.format())
    if args.no_check:
        return 0
    # the sources and their computation (check --fast): what is still to write or confirm. A full check
    # renders and verifies a whole publication, as long as generate itself; the clerk runs it before publishing
    print(f"\n运行 budgetpub check --fast --dept {dept} --year {args.year}（只检查数据和计算）：")
    sys.stdout.flush()
    check = argparse.Namespace(dept=dept, year=args.year, data=to, rev=None, check=True, out=None, strict=False,
                               fast=True)
    from .generate import run_generate
    try:
        code = run_generate(check)
    except InvalidSources as exc:
        print(exc.report.format())
        code = exc.exit_code
    except BudgetpubError as exc:
        print(f"错误：{exc}")
        code = exc.exit_code
    if code:
        print(f"\n导入的数据还不能生成公开文件（check 退出码 {code}）：按上面的提示补写、核实 {for_user(result.target)} 中的数据。")
    else:
        print(f"\n公开前请运行 budgetpub check --dept {dept} --year {args.year}：生成文件并重新加总核对。")
    return 0
