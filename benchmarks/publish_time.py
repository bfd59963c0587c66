"""Print how long publishing takes in each format, with one LibreOffice process for all runs
(not a test: figures to read).

    python benchmarks/publish_time.py [DEPT YEAR] [--runs N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from generator import DATA_ROOT, build
from generator.formats.libreoffice import LibreOffice
from generator.formats.publish import publish


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("dept", nargs="?", default="304")
    p.add_argument("year", nargs="?", default="2023")
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args()
    publication, _ = build(DATA_ROOT, args.dept, args.year)
    t0 = time.perf_counter()
    with LibreOffice() as lo, tempfile.TemporaryDirectory() as tmp:
        print(f"LibreOffice started in {time.perf_counter() - t0:.2f} s")
        for formats in (["docx"], ["xlsx"], ["docx", "pdf"], ["docx", "pdf", "xlsx"]):
            times = []
            for i in range(args.runs):
                t = time.perf_counter()
                publish(publication, formats, Path(tmp) / f"x{i}.{formats[0]}", lo=lo)
                times.append(time.perf_counter() - t)
            print(f"{','.join(formats):16} best {min(times):.2f} s of {args.runs}")


if __name__ == "__main__":
    main()
