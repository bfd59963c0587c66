"""The amounts still to fill in: ``budgetpub init`` and ``new-year`` mark every amount to enter
with a comment ``# 待填写``; while a mark is left, the sources are refused (``amount.unfilled``,
at file:line), so a publication cannot go out with a skeleton's or last year's numbers."""

from __future__ import annotations

import re
from pathlib import Path

from generator.errors import Location, Report
from generator.files import Refused, read_regular

from .reader import MAX_BYTES

MARK = "待填写"
MARKED = re.compile(r"#\s*" + MARK)


def check_unfilled(directory: Path, base: Path, report: Report) -> None:
    """An error for every line of ``directory``'s sources still marked ``# 待填写``."""
    for path in sorted(Path(directory).glob("*.yaml")):
        try:  # the files were read before (reader.py): one that cannot be is reported there
            text = read_regular(path, MAX_BYTES).decode("utf-8", errors="replace")
        except Refused:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            found = MARKED.search(line)
            if found and not line.lstrip().startswith("#"):  # a value marked, not a comment line
                report.error("amount.unfilled",
                             "这一行的数还没有按本年预算填写（行尾标有“# 待填写”）：填写本年的数，再删去这个标记。",
                             Location(_shown(path, base), number, found.start() + 1))


def _shown(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)
