"""budgetpub: a department's budget, authored as YAML, becomes its published budget document.

The public API is small:

    publication, report = build(data_root, dept, year)   # load, validate, compute
    paths, warnings = publish(publication, ["docx", "pdf"], out=None)   # ... and write the files

Both raise a BudgetpubError (see errors.py) for a user's mistake.

The parts, each a subpackage whose ``__init__`` says what it does and what it may import; data
flows one way, from the command line down to the formats and the verifier:

    cli          the command line: verbs, arguments, exit codes, progress, the batch pool
    repository   the budget repository: discovery, git revisions, prior year, diff, new year, init, textconv
    sources      reading sources: YAML with positions, schemas, the facts they give, the rule registry
    figures      the budget's facts and figures: vocabulary, money, catalogue, model, table catalogue, compute
    document     the document: context, live prose, the template and its rendering, the package, contents
    formats      publishing formats: the publish step, output files, LibreOffice, fonts, Excel
    verify       the verifier: reads a publication back and adds it up, independently of compute
    errors, files, resources   errors as data (and OS errors in Chinese); reading untrusted files within
                 bounds (regular files, zip packages); the packaged templates, schemas, catalogue

tests/test_architecture.py fails when a part imports one it must not reach.
"""

from __future__ import annotations

from pathlib import Path

from .errors import BudgetpubError, InvalidSources, Report
from .figures.compute import Publication, compute
from .figures.model import gc_paused
from .resources import CHECKOUT as PROJECT_ROOT  # the checkout; sample data
from .resources import SAMPLE_DATA as DATA_ROOT

__all__ = ["build", "publish", "gc_paused", "BudgetpubError", "InvalidSources", "Publication", "Report",
           "DATA_ROOT", "PROJECT_ROOT"]


def build(data_root: Path, dept: str, year: int | str) -> tuple[Publication, Report]:
    """Read, validate and compute one department's budget publication."""
    from .repository.workspace import source_hooks  # the prior year from history, the amounts still to fill in
    from .sources.validate import load_budget
    with gc_paused():
        department, names, report = load_budget(Path(data_root), dept, year,
                                                prior_hook=source_hooks(Path(data_root), dept, int(year)))
        return compute(department, names), report


def publish(publication: Publication, formats=("docx",), out: Path | None = None, **options):
    """Write ``publication`` in ``formats`` (docx, pdf, xlsx); returns (paths written, warnings).
    See formats/publish.py for the options (a shared LibreOffice, a repository's template)."""
    from .formats.publish import publish as _publish
    return _publish(publication, formats, out, **options)
