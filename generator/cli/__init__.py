"""The command line: the verbs, their arguments in Chinese, exit codes, progress, and the pool of
worker processes of ``generate --all``.

``generate`` (generator.cli:main) and ``budgetpub VERB`` (generator.cli:budgetpub) are the two
console scripts; ``python -m generator`` is ``generate``.

May import every other part: it is the top. Nothing imports it.
"""

from .main import VERBS, budgetpub, main

__all__ = ["VERBS", "budgetpub", "main"]
