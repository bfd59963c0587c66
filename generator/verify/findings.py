"""What the verifier reports: findings, each of a registered check (its code, severity and what it
checks, in Chinese), with the part (scope) and the place (page, section, table) it was found in.

Every check registers its codes here once (``register``); ``CHECKS`` is the list the user guide
prints (docs) and ``--ignore`` accepts. A finding of an unregistered code is a bug (tests).
"""

from __future__ import annotations

from dataclasses import dataclass, field

ERROR, WARNING = "错误", "警告"


@dataclass(frozen=True)
class Check:
    code: str
    severity: str  # 错误: the publication says something untrue or lacks what it must hold; 警告: wording
    title: str     # what is checked, in Chinese


CHECKS: dict[str, Check] = {}


def register(code: str, severity: str, title: str) -> str:
    """Register a check's code (once); returns the code."""
    if code in CHECKS and CHECKS[code] != Check(code, severity, title):
        raise ValueError(f"check {code} registered twice")
    CHECKS[code] = Check(code, severity, title)
    return code


@dataclass
class Disagreement:
    """A finding: ``values`` are the two sides compared (what each is, its value as written)."""

    code: str
    scope: str
    where: str
    what: str
    values: list[tuple[str, str]] = field(default_factory=list)
    page: int | None = None

    @property
    def severity(self) -> str:
        check = CHECKS.get(self.code)
        return check.severity if check else ERROR

    def format(self) -> str:
        sides = "；".join(f"{label}：{value}" for label, value in self.values)
        return f"{self.scope}｜{self.where}：{self.what}" + (f"（{sides}）" if sides else "")


Finding = Disagreement

# the arithmetic (tables.py, narrative.py)
for _code, _title in (("table.tree", "上级科目等于下级科目之和"), ("table.total", "合计、总计等于各项之和"),
                      ("table.row", "一行中的合计等于各列之和"), ("table.cell", "金额单元格是金额"),
                      ("cross", "表与表之间的同一个数相同"), ("units", "部门的数等于所属各单位之和"),
                      ("narrative", "情况说明中的数与表一致、所列各项之和等于总数")):
    register(_code, ERROR, _title)

DIRECTION = register("direction", ERROR, "增加、减少、持平与所说的数一致")
