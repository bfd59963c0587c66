"""The registry of rules: ``@rule(code, scope, description)`` registers a check; ``run`` runs the
checks of a scope and reports their findings with the rule's code and severity."""


from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Iterable

from generator.errors import Location, Report
from generator.figures.catalogue import Names
from generator.figures.model import Department, total

UNIT, DEPARTMENT, PUBLICATION = "unit", "department", "publication"


@dataclass(frozen=True)
class Finding:
    message: str
    location: Location | None
    related: tuple[Location, ...] = ()


def finding(message: str, location: Location | None, *related: Location | None) -> Finding:
    return Finding(message, location, tuple(r for r in related if r))


@dataclass(frozen=True)
class Rule:
    code: str
    scope: str
    severity: str
    description: str
    check: Callable[..., Iterable[Finding]]


@dataclass
class Context:
    """What a rule may need besides its unit or department."""

    dept: Department
    names: Names
    dept_dir: str = ""
    year_dir: str = ""

    @property
    def u(self) -> str:
        return self.dept.money_unit


REGISTRY: dict[str, Rule] = {}


def rule(code: str, scope: str, description: str, severity: str = "error"):
    def register(fn):
        if code in REGISTRY:
            raise ValueError(f"rule {code} registered twice")
        REGISTRY[code] = Rule(code, scope, severity, description, fn)
        return fn
    return register


def run(scope: str, subject, ctx: Context, report: Report) -> None:
    """Run every rule of ``scope`` on ``subject``, in registration order."""
    for r in REGISTRY.values():
        if r.scope != scope:
            continue
        for f in r.check(subject, ctx):
            if r.severity == "error":
                report.error(r.code, f.message, f.location, *f.related)
            else:
                report.warning(r.code, f.message, f.location, *f.related)


def rules_markdown() -> str:
    """The list of rules of the user guide (docs/reference/rules.md, written by docs/generate.py)."""
    words = {UNIT: "单位", DEPARTMENT: "部门", PUBLICATION: "文件"}
    lines = ["| code | 范围 | 级别 | 规则 |", "|---|---|---|---|"]
    for r in REGISTRY.values():
        level = "错误" if r.severity == "error" else "警告"
        lines.append(f"| `{r.code}` | {words[r.scope]} | {level} | {r.description} |")
    return "\n".join(lines)


def parts_add_up(parts: Iterable[Decimal], whole: Decimal) -> bool:
    """The parts add up to the whole, exactly."""
    return total(parts) == whole


def part_exceeds(part: Decimal, whole: Decimal) -> bool:
    """A part is never more than the item that holds or books it."""
    return part > whole
