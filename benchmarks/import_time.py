"""How long ``budgetpub import`` takes against ``generate`` (not a test: a script that prints figures).

    python benchmarks/import_time.py                 # 200 units (a few minutes on 2 cores)
    python benchmarks/import_time.py --units 50 --runs 1

A synthetic department (tests/synth.py: copies of one 899 unit) is generated as a .docx without
LibreOffice (a department of more than 200 units is never laid out by it; for 200 the layout is
left out so that both sides do the same work), then imported into an empty folder, each in a fresh
process, wall time by the clock. The import is timed twice: the whole command (read, verify the
publication for its own contradictions, write, and the ``check --fast`` it runs on what it wrote: the
sources, rules and prose), and its own part (``--no-check``: read, verify and write only). The full
``check`` (a generation without the write: render and verify in memory) is timed beside them: it is
what the clerk runs before publishing, and as long as ``generate``.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from synth import make_department

_CHINESE = str.maketrans("0123456789", "〇一二三四五六七八九")


def timed(args: list[str], cwd: Path, env: dict) -> tuple[float, float]:
    """Wall time and CPU time (user + system of the process) of a command: on a shared machine the
    CPU time is the steadier figure."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return took, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--units", type=int, default=200)
    p.add_argument("--runs", type=int, default=3)
    a = p.parse_args()
    bin_ = Path(sys.executable).parent
    env = {**os.environ, "BUDGETPUB_SOFFICE": "/nonexistent", "SOURCE_DATE_EPOCH": "1700000000"}
    with tempfile.TemporaryDirectory(prefix="budgetpub-import-bench-") as tmp:
        tmp = Path(tmp)
        folder = make_department(tmp / "data", "777", 2024, units=a.units)
        for f in folder.glob("777*.yaml"):  # project names end in the unit's code: spelt in Chinese digits, so
            text = f.read_text(encoding="utf-8")  # that no name runs into the amount after it (文化市场执法检查777001 36.00万元)
            f.write_text(text.replace(f.stem + "\n", f.stem.translate(_CHINESE) + "\n")
                         .replace(f.stem + ",", f.stem.translate(_CHINESE) + ","), encoding="utf-8")
        docx = tmp / "777.docx"
        gen, imp, own, full = [], [], [], []
        for _ in range(a.runs):
            gen.append(timed([str(bin_ / "generate"), "--dept", "777", "--year", "2024", "--data", str(tmp / "data"),
                              "--out", str(docx)], tmp, env))
            for target, times, extra in (("full", imp, []), ("own", own, ["--no-check"])):
                shutil.rmtree(tmp / target, ignore_errors=True)
                times.append(timed([str(bin_ / "budgetpub"), "import", str(docx), "--dept", "777", "--year", "2024",
                                    "--to", str(tmp / target), *extra], tmp, env))
            full.append(timed([str(bin_ / "budgetpub"), "check", "--dept", "777", "--year", "2024",
                               "--data", str(tmp / "full")], tmp, env))
        size = docx.stat().st_size / 1e6
        g, i, o, c = ((statistics.median(t[0] for t in x), statistics.median(t[1] for t in x))
                      for x in (gen, imp, own, full))
        print(f"{a.units} units, .docx {size:.1f} MB, median of {a.runs} (wall / CPU, and each against generate's):")
        for label, (wall, cpu) in (("generate", g), ("import (read, verify, write, check --fast)", i),
                                   ("import --no-check (read, verify, write)", o),
                                   ("check of what it wrote (full: before publishing)", c)):
            print(f"  {label:50s} {wall:7.2f} s {wall / g[0]:5.2f}×   CPU {cpu:7.2f} s {cpu / g[1]:5.2f}×")

if __name__ == "__main__":
    main()
