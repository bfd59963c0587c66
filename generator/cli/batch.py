"""Every department of a year in one run: ``generate --year 2024 --all``.

The departments are the folders ``<data>/<部门编码>/<年度>/`` of the budget
repository. They are published (publish.publish, in the formats asked) across
the machine's cores by one pool of worker processes, each of which pays the
imports, the template preparation (render.prepared_template) and, when a format
needs a layout, the start of one LibreOffice process once, then publishes
department after department. One department's error does not stop
the others: the summary lists every failure with its first error, and the exit
code is non-zero when any department failed.

Progress goes to stderr: a bar redrawn in place when stderr is a terminal, one
plain line per department otherwise (logs, CI).
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from generator.errors import BudgetpubError, InvalidSources


@dataclass(frozen=True)
class Outcome:
    dept: str
    ok: bool
    detail: str  # the path written, the summary line of --check, or the first error
    warnings: int = 0
    errors: int = 0
    internal: bool = False  # a bug, not a mistake in the sources
    seconds: float = 0.0
    notices: tuple[str, ...] = ()  # publish's warnings (contents left to Word, …)


def departments(data_root: Path, year: int) -> list[str]:
    """Department codes with a folder for ``year``, in numeric order."""
    if not data_root.is_dir():
        return []
    found = [p.name for p in data_root.iterdir()
             if p.name.isdigit() and (p / str(year)).is_dir()]
    return sorted(found, key=lambda code: (len(code), code))


_LO: dict = {}  # this worker's LibreOffice, started when a format first needs it


def _prepare_worker() -> None:
    """Runs once in each worker: imports and the prepared template are then reused."""
    from generator.document.render import prepared_template

    try:
        prepared_template()
    except BudgetpubError:  # a template that cannot be used: each department says so
        pass


def _start_worker() -> None:
    """A worker of the pool: SIGTERM and SIGHUP become an exception here too (runner.Terminated), so
    the department in progress stops with its temporary files and LibreOffice; then _prepare_worker."""
    import signal

    from .runner import HANDLED, _on_signal
    for signum in HANDLED:
        if signum != signal.SIGINT:
            signal.signal(signum, _on_signal)
    _prepare_worker()


def _libreoffice(formats: tuple[str, ...]):
    """This worker's one LibreOffice process (None: no format needs it, or it is not installed and
    only .docx is asked, whose contents then go without page numbers, as in a single run)."""
    if "pdf" not in formats and "docx" not in formats:
        return None
    if "lo" not in _LO:
        import multiprocessing.util

        from generator.formats import libreoffice
        try:
            _LO["lo"] = lo = libreoffice.LibreOffice()
            multiprocessing.util.Finalize(lo, lo.close, exitpriority=10)  # when the worker ends
        except libreoffice.LibreOfficeMissing:
            if "pdf" in formats:
                raise
            _LO["lo"] = None
    return _LO["lo"]


def run_one(data_root: str, dept: str, year: int, out_root: str | None, check: bool,
            formats: tuple[str, ...] = ("docx",)) -> Outcome:
    """Check (and unless ``check``, publish) one department as ``generate --dept`` does; never raises."""
    from generator.document.prose import check as check_prose
    from generator.formats.output import default_path
    from generator.document.untrusted import TemplateUnusable
    from generator.formats.publish import dry_run, publish
    from generator.repository.discovery import discover, output_inside
    from generator.repository.workspace import load

    start = time.perf_counter()
    try:
        repo = discover(data_root)
        loaded = load(repo, dept, year)
        publication, report = loaded.publication, loaded.report
        report.extend(loaded.located(check_prose(publication)))  # live figures and typed amounts (prose.py)
        if report.errors:
            raise InvalidSources(report)
        root = Path(out_root) if out_root is not None else repo.output
        out = (root / default_path(publication).relative_to("output")).with_suffix("." + formats[0])
        if out_root is None:  # the repository's output folder: publications stay in the repository
            output_inside(repo, out)
        try:
            if check:  # all but LibreOffice's layout and the write, as a single check
                notices = dry_run(publication, list(formats), out, template=loaded.template)
                detail = "校验通过"
            else:
                paths, notices = publish(publication, list(formats), out, lo=_libreoffice(formats),
                                         template=loaded.template)
                detail = "，".join(str(p) for p in paths)
        except TemplateUnusable as exc:
            raise loaded.relocated(exc) from None
        return Outcome(dept, True, detail, warnings=len(report.warnings),
                       seconds=time.perf_counter() - start, notices=tuple(notices))
    except InvalidSources as exc:
        errors = exc.report.errors
        first = errors[0].format() if errors else str(exc).splitlines()[0]
        return Outcome(dept, False, first, warnings=len(exc.report.warnings), errors=len(errors),
                       seconds=time.perf_counter() - start)
    except BudgetpubError as exc:
        return Outcome(dept, False, str(exc), errors=1, internal=exc.exit_code != 2,
                       seconds=time.perf_counter() - start)
    except Exception as exc:  # a bug: reported with the others, does not stop the batch
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return Outcome(dept, False, f"内部错误 {type(exc).__name__}: {exc}（{Path(where.filename).name}:"
                       f"{where.lineno}）", errors=1, internal=True, seconds=time.perf_counter() - start)


class Progress:
    """A bar on a terminal, plain lines otherwise."""

    def __init__(self, total: int, stream: TextIO):
        self.total = total
        self.stream = stream
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.done = 0
        self.failed = 0
        self.start = time.perf_counter()

    def update(self, outcome: Outcome) -> None:
        self.done += 1
        self.failed += not outcome.ok
        if self.tty:
            width = 30
            filled = width * self.done // self.total
            elapsed = time.perf_counter() - self.start
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} 个部门"
                              f"，失败 {self.failed}，用时 {elapsed:.0f} 秒 ")
            if self.done == self.total:
                self.stream.write("\n")
        else:
            state = "完成" if outcome.ok else "失败"
            note = f"（{outcome.warnings} 个警告）" if outcome.warnings else ""
            self.stream.write(f"[{self.done}/{self.total}] {outcome.dept}：{state}{note}\n")
        self.stream.flush()


def run_all(data_root: Path, year: int, out_root: Path | None = None, check: bool = False,
            jobs: int | None = None, stream: TextIO | None = None,
            formats: tuple[str, ...] = ("docx",)) -> list[Outcome]:
    """Every department of ``year``, in a pool of ``jobs`` processes (default: one per core)."""
    stream = stream or sys.stderr
    codes = departments(data_root, year)
    if not codes:
        return []
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(codes)))
    progress = Progress(len(codes), stream)
    outcomes: dict[str, Outcome] = {}
    args = (str(data_root), year, None if out_root is None else str(out_root), check, tuple(formats))
    # The largest departments first: fewer idle workers at the end. Size ~ number of files.
    order = sorted(codes, key=lambda c: -sum(1 for _ in (data_root / c / str(year)).glob("*.yaml")))
    if not check:
        _prepare_worker()  # here first: forked workers inherit it, others find it in the disk cache
    with ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker) as pool:
        try:
            futures = {pool.submit(run_one, args[0], code, *args[1:]): code for code in order}
            for future in as_completed(futures):
                outcome = future.result()
                outcomes[outcome.dept] = outcome
                progress.update(outcome)
        except BaseException:  # Ctrl-C, SIGTERM, SIGHUP: the workers stop now, not after every department
            for process in list(getattr(pool, "_processes", {}).values()):
                if process.is_alive():
                    process.terminate()
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return [outcomes[c] for c in codes]


def summary(outcomes: list[Outcome], year: int) -> tuple[str, str]:
    """(what went right, for stdout; what went wrong, for stderr)."""
    good = [o for o in outcomes if o.ok]
    bad = [o for o in outcomes if not o.ok]
    out = [f"{year} 年共 {len(outcomes)} 个部门：成功 {len(good)} 个，失败 {len(bad)} 个。"]
    out += [f"  {o.dept}：{o.detail}" for o in good]
    err = []
    said: dict[str, list[str]] = {}  # a warning of publish, once, with the departments it concerns
    for o in good:
        for notice in o.notices:
            said.setdefault(notice, []).append(o.dept)
    for notice, depts in said.items():
        err.append(f"{notice}（{len(depts)} 个部门：{'、'.join(depts[:10])}{' 等' if len(depts) > 10 else ''}）")
    if bad:
        err.append(f"以下 {len(bad)} 个部门失败（每个部门列出第一个错误，未生成其文件）：")
        for o in bad:
            more = f"（共 {o.errors} 个错误，单独运行 generate --dept {o.dept} --year {year} 可看全部）" \
                if o.errors > 1 else ""
            err.append(f"  {o.dept}：{o.detail}{more}")
    return "\n".join(out), "\n".join(err)


def main_all(args) -> int:
    """``generate --year Y --all``: 0 when every department succeeded, 2 when any failed on its
    data, 1 when any failed otherwise (an internal error, LibreOffice)."""
    from generator.formats.publish import parse_formats
    from generator.repository.discovery import discover

    if args.dept:
        raise BudgetpubError("--all 生成该年度的全部部门，不能同时给出 --dept（二者选一）。")
    if args.rev:
        raise BudgetpubError("--all 不能与 --rev 同用：请对每个部门单独运行 generate --dept … --rev …。")
    formats = tuple(parse_formats(args.format))
    repo = discover(args.data)
    outcomes = run_all(repo.data, args.year, args.out, args.check, args.jobs, formats=formats)
    if not outcomes:
        print(f"错误：数据目录 {repo.data} 中没有 {args.year} 年的部门。", file=sys.stderr)
        return 2
    good, bad = summary(outcomes, args.year)
    print(good)
    if bad:
        print(bad, file=sys.stderr)
    if any(o.internal for o in outcomes):
        return 1
    return 0 if all(o.ok for o in outcomes) else 2
