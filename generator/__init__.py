"""budgetpub: a department's budget, authored as YAML, becomes its published budget document.

The public API is small:

    publication, report = build(data_root, dept, year)   # load, validate, compute
    path = generate(data_root, dept, year, out=None)      # ... and write the Word file

Both raise a BudgetpubError (see errors.py) for a user's mistake.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from pathlib import Path

from .compute import Publication, compute
from .errors import BudgetpubError, InvalidSources, Report
from .resources import CHECKOUT as PROJECT_ROOT, SAMPLE_DATA as DATA_ROOT  # the checkout; sample data
from .validate import load_budget

__all__ = ["build", "BudgetpubError", "InvalidSources", "Publication", "Report", "DATA_ROOT", "PROJECT_ROOT"]


@contextmanager
def gc_paused():
    """Reading and rendering a department allocate millions of objects that reference counting
    frees; Python's cyclic collector kept rescanning the growing model, which made a 1,000-unit
    run superlinear (+40%). It is paused for the duration and resumes (and collects) after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build(data_root: Path, dept: str, year: int | str) -> tuple[Publication, Report]:
    """Read, validate and compute one department's budget publication."""
    from .workspace import source_hooks  # the prior year from history, the amounts still to fill in
    with gc_paused():
        department, names, report = load_budget(Path(data_root), dept, year,
                                                prior_hook=source_hooks(Path(data_root), dept, int(year)))
        return compute(department, names), report
