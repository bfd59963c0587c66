"""Print how long budgetpub takes for one publication (not a test: figures to read).

    python benchmarks/render_time.py [DEPT YEAR] [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import time

from generator import DATA_ROOT, build
from generator.document.prose import check as check_prose
from generator.document.render import render_bytes
from generator.verify import verify_bytes


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("dept", nargs="?", default="304")
    p.add_argument("year", nargs="?", default="2023")
    p.add_argument("--runs", type=int, default=10)
    args = p.parse_args()
    loads, renders, lints, verifies = [], [], [], []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        publication, _ = build(DATA_ROOT, args.dept, args.year)
        t1 = time.perf_counter()
        data = render_bytes(publication)
        t2 = time.perf_counter()
        check_prose(publication)
        t3 = time.perf_counter()
        verify_bytes(data)
        t4 = time.perf_counter()
        loads.append(t1 - t0)
        renders.append(t2 - t1)
        lints.append(t3 - t2)
        verifies.append(t4 - t3)
    print(f"{args.dept}/{args.year}, {args.runs} runs, {len(data)} bytes")
    print(f"  load + validate + compute: median {statistics.median(loads) * 1000:7.1f} ms, min {min(loads) * 1000:7.1f} ms")
    print(f"  render .docx:              median {statistics.median(renders) * 1000:7.1f} ms, min {min(renders) * 1000:7.1f} ms")
    print(f"  prose check + lint:        median {statistics.median(lints) * 1000:7.1f} ms, min {min(lints) * 1000:7.1f} ms")
    print(f"  verify the .docx:          median {statistics.median(verifies) * 1000:7.1f} ms, min {min(verifies) * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
