"""Read tables and sentences out of the seed publication (the reference output).

The seed is text extracted from the published Word file: each table cell on its
own tab-indented line, rows separated by blank lines. These helpers know nothing
of budgetpub; they only read the seed.
"""

from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
# A copy of shared/seed/000_eee7b12be31e4068.txt, so that the tests stand alone.
SEED_PATH = HERE / "fixtures" / "seed-304-2023.txt"
SEED = SEED_PATH.read_text(encoding="utf-8")
UNIT_PART = SEED.index("第二部分  部门所属单位预算")


def table(title: str, part: str = "department") -> list[list[str]]:
    """Body rows (those starting with a 序号 number) of the first table titled
    ``title`` in the department part or in the unit part of the seed."""
    start = SEED.index(title, 0 if part == "department" else UNIT_PART)
    lines = SEED[start:].splitlines()[1:]
    # skip to the 栏次 row, then past it
    i = next(k for k, line in enumerate(lines) if line.strip() == "栏次")
    while i < len(lines) and lines[i] != "":
        i += 1
    rows, current = [], []
    for line in lines[i:]:
        if line.startswith("\t"):
            current.append(line[1:].strip())
        elif line == "":
            if current:
                rows.append(current)
            current = []
        else:
            break
    if current:
        rows.append(current)
    return [r for r in rows if r and re.fullmatch(r"[0-9]+", r[0])]


def section(start_marker: str, end_marker: str, part: str = "department") -> str:
    begin = SEED.index(start_marker, 0 if part == "department" else UNIT_PART)
    return SEED[begin:SEED.index(end_marker, begin)]
