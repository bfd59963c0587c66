"""The cross-checks: a registry of small named rules.

Each rule is a function registered with ``@rule(code, scope, description)``.
It receives the unit (scope ``unit``) or the department (scope
``department``) and a ``Context``, and yields ``Finding``s: a Chinese message,
where it is, and the other side where there is one. The runner (``run``)
turns findings into Problems with the rule's code and severity; the user guide's
list of rules is generated from this registry (``rules_markdown``).

The rules live by topic, one module each (structure, income, expenditure,
performance, 三公, assets and procurement, texts,
optional sections); registry.py holds the one
registry they all register in. To add a rule: write one function in its
topic's module, decorated with ``@rule``, and one test in
tests/test_validate.py that triggers it (tests/test_rules.py fails while a
registered code has none).
"""

from . import (  # noqa: F401  (they register)
    assets_procurement, expenditure, income, performance, placeholders, sangong, sections, structure, texts)
from .registry import (
                       DEPARTMENT,
                       PUBLICATION,
                       REGISTRY,
                       UNIT,
                       Context,
                       Finding,
                       Rule,
                       finding,
                       part_exceeds,
                       parts_add_up,
                       rule,
                       rules_markdown,
                       run,
)

# the order the topics register in is the order their rules run and are listed in
TOPICS = ("structure", "income", "expenditure", "performance", "sangong", "assets_procurement", "texts", "sections", "placeholders")

__all__ = ["DEPARTMENT", "PUBLICATION", "REGISTRY", "UNIT", "Context", "Finding", "Rule", "TOPICS", "finding",
           "part_exceeds", "parts_add_up", "rule", "rules_markdown", "run"]
