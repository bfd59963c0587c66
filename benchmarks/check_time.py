"""Print how long ``budgetpub check`` takes, and ``check --fast`` (not a test: figures to read).

check renders the document in memory and verifies it (everything generate does but LibreOffice's
layout and the write); --fast stops after reading, checking and computing the sources. Each is run
in this process (the interpreter's start, some 0.3 s, is not counted), the median of --runs.

    python benchmarks/check_time.py [--runs N] [--units 50 200]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from synth import make_department  # noqa: E402

from generator import DATA_ROOT  # noqa: E402
from generator.cli import budgetpub  # noqa: E402


def timed(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code = budgetpub(argv)
        times.append(time.perf_counter() - t0)
        assert code == 0, argv
    return statistics.median(times)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--units", type=int, nargs="*", default=[50, 200])
    args = p.parse_args()
    cases = [("304", 2023, DATA_ROOT), ("899", 2024, DATA_ROOT)]
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.units:
            root = Path(tmp) / f"u{n}"
            make_department(root, "777", 2024, n)
            cases.append(("777", 2024, root))
        timed(["check", "--dept", "304", "--year", "2023", "--data", str(DATA_ROOT)], 1)  # the template, prepared once
        print(f"{'department':<22}{'check':>10}{'check --fast':>15}")
        for dept, year, root in cases:
            argv = ["check", "--dept", dept, "--year", str(year), "--data", str(root)]
            runs = args.runs if root is DATA_ROOT else max(1, args.runs // 2)
            full, fast = timed(argv, runs), timed(argv + ["--fast"], runs)
            label = f"{dept} {year}" if root is DATA_ROOT else f"{dept} ({root.name[1:]} units)"
            print(f"{label:<22}{full:>9.2f}s{fast:>14.2f}s")


if __name__ == "__main__":
    main()
