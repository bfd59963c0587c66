"""What the sources still have to say: marks and placeholders that block publication.

- ``# 待填写`` (MARK): ``budgetpub init`` and ``new-year`` mark every value to enter with this
  comment; while it is left, the sources are refused (``amount.unfilled``, at file:line), so a
  publication cannot go out with a skeleton's or last year's numbers.
- ``# 待核实`` (VERIFY): ``new-year`` marks every text it carries over (the prose, the projects'
  绩效目标) with this comment; while it is left, the sources are refused (``text.unverified``),
  so last year's reasons are never published as this year's by accident. ``import`` marks the same
  way what it inferred or converted (a carry-over whose fund the publication does not name, an
  amount converted from 万元): the clerk confirms it before it is published.
- Placeholders in a text (``text.placeholder``, a rule of rules/placeholders.py): 待填写, XX, ××,
  ……, 某某 and the skeleton's own hints (SKELETON_HINTS, which init writes after “待填写：”).
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.errors import Location, Report
from generator.files import Refused, read_regular

from .reader import MAX_BYTES

MARK = "待填写"
MARKED = re.compile(r"#\s*" + MARK)
VERIFY = "待核实"
VERIFY_MARKED = re.compile(r"#\s*" + VERIFY)

# What init's skeleton asks for, each written as "待填写：<hint>": a text still holding a hint (with or
# without its 待填写：) is a placeholder. init.py writes them from here.
SKELETON_HINTS = {
    "duties_department": "部门主要职能，每行一段",
    "duties_unit": "单位主要职能，每行一段",
    "overview": "部门预算的总体情况，每行一段",
    "performance": "部门整体绩效目标",
    "special_funds": "专项资金绩效目标，没有时写“无”",
}

# Words that stand for something still to write: 待填写/待补充, XX (not inside a Latin word), ××, ……, 某某.
PLACEHOLDER = re.compile(r"待填写|待补充|(?<![A-Za-z])[XxＸｘ]{2,}(?![A-Za-z])|[×✕]{2,}|…{2,}|\.{6,}|某某")


def placeholder_in(text: str) -> tuple[int, str] | None:
    """(offset, what) of the first placeholder in ``text``, or None."""
    found = PLACEHOLDER.search(text)
    hints = set(SKELETON_HINTS.values())
    offset = 0
    for line in text.splitlines(keepends=True):
        if line.strip().rstrip("。") in hints and (found is None or offset < found.start()):
            return offset, line.strip()
        offset += len(line)
    return (found.start(), found.group()) if found else None


def check_unfilled(directory: Path, base: Path, report: Report) -> None:
    """An error for every line of ``directory``'s sources still marked ``# 待填写`` or ``# 待核实``."""
    for path in sorted(Path(directory).glob("*.yaml")):
        try:  # the files were read before (reader.py): one that cannot be is reported there
            text = read_regular(path, MAX_BYTES).decode("utf-8", errors="replace")
        except Refused:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if line.lstrip().startswith("#"):
                continue  # a comment line, not a value marked
            found = MARKED.search(line)
            if found:
                report.error("amount.unfilled",
                             "这一行还没有填写（行尾标有“# 待填写”）：按本年预算填写，再删去这个标记。",
                             Location(_shown(path, base), number, found.start() + 1))
            verify = VERIFY_MARKED.search(line)
            if verify:
                report.error("text.unverified",
                             "这一行标有“# 待核实”（new-year 沿用的上一年度文字，或 import 推断、换算的数）：按本年的预算和情况核对、改写后，删去这个标记。",
                             Location(_shown(path, base), number, verify.start() + 1))


def _shown(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)
