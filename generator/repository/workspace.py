"""One department and year of a budget repository, ready to render: from the working tree
or, with ``rev``, from a git revision (extracted into a temporary folder from git objects).

Also says where things came from: the revision stamp, and file names as the user sees them
(relative to the current directory, or ``REV:path`` for a revision)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from generator import resources
from generator.errors import InvalidSources, Report, SourcesNotFound
from generator.figures.catalogue import Catalogue
from generator.figures.compute import Publication, compute
from generator.sources.unfilled import check_unfilled
from generator.sources.validate import load_budget

from . import revisions
from .discovery import CONFIG_NAME, Repository, at, for_user, relocate
from .prior_year import prior_year_hook


@dataclass
class Loaded:
    publication: Publication
    report: Report  # warnings, file names as the user sees them
    template: Path
    _keep: object = field(default=None, repr=False)  # the temporary folder of a revision


def _pathspecs(repo: Repository, top: Path, dept: str, year: int) -> list[str]:
    """What the publication of ``dept``/``year`` is made from, relative to the git top."""
    out = []
    for p in (repo.root / CONFIG_NAME, repo.sources(dept, year), repo.sources(dept, year - 1),
              repo.root / "templates", repo.root / "catalogue" / str(year)):
        try:
            out.append(p.resolve().relative_to(top).as_posix())
        except ValueError:  # --data outside the git repository
            pass
    return out


def shown_from(base: Path):
    """A file as load_budget names it: relative to ``base`` (the data folder's parent) when below it."""
    def shown(path: Path) -> str:
        try:
            return str(Path(path).relative_to(base))
        except ValueError:
            return str(path)
    return shown


def source_hooks(data_root: Path, dept: str, year: int, root: Path | None = None):
    """What load_budget runs before the department-wide checks: the amounts new-year and init
    left to fill in (newyear.py), and the prior year from data/<dept>/<year-1>/ (history.py)."""
    prior_catalogue = Catalogue.for_repository(root, year - 1, shown_from(Path(data_root).parent))
    hook = prior_year_hook(data_root, dept, year, prior_catalogue)

    def hooks(department, report):
        check_unfilled(Path(data_root) / str(dept) / str(year), Path(data_root).parent, report)
        if hook:
            hook(department, report)
    return hooks


def build_from(repo: Repository, dept: str, year: int,
               shown: Callable[[str], str]) -> tuple[Publication, Report]:
    """Load, check and compute from ``repo`` (a working tree or an extracted revision)."""
    try:
        catalogue = Catalogue.for_repository(repo.root, year, shown_from(repo.data.parent))
        hooks = source_hooks(repo.data, dept, year, repo.root)
        department, names, report = load_budget(repo.data, dept, year, catalogue, prior_hook=hooks)
    except InvalidSources as exc:
        raise InvalidSources(relocate(exc.report, shown), exc.department) from None
    return compute(department, names), relocate(report, shown)


def load(repo: Repository, dept: str, year: int, rev: str | None = None) -> Loaded:
    top = revisions.toplevel(repo.root)
    if rev is None:
        base = repo.data.parent
        try:
            publication, report = build_from(repo, dept, year, lambda f: for_user(base / f))
        except SourcesNotFound as exc:
            raise SourcesNotFound(Path(for_user(exc.directory)), dept, year) from None
        if top is not None and repo.root.resolve().is_relative_to(top):
            publication.revision = revisions.current(top, _pathspecs(repo, top, dept, year))
        publication.stamp_on_cover = repo.stamp == "cover"
        return Loaded(publication, report, resources.template(repo.root))

    if top is None:
        raise revisions.GitError(f"--rev 需要 git 仓库，而 {for_user(repo.root)} 不在 git 仓库中。")
    revision = revisions.resolve(top, rev)
    keep = tempfile.TemporaryDirectory(prefix="budgetpub-rev-")
    tmp = Path(keep.name)
    prefix = repo.root.resolve().relative_to(top)
    revisions.extract(top, revision.commit, [(prefix / CONFIG_NAME).as_posix()], tmp)
    config = tmp / prefix / CONFIG_NAME
    at_rev = at(tmp / prefix, config if config.is_file() else None)
    data_rel = at_rev.data.relative_to(tmp)
    specs = [(data_rel / dept / str(y)).as_posix() for y in (year, year - 1)]
    specs += [(prefix / "templates").as_posix(), (prefix / "catalogue").as_posix()]  # every year's: what changed meaning
    revisions.extract(top, revision.commit, specs, tmp)
    base = at_rev.data.parent

    def shown(f: str) -> str:
        path = Path(f)
        return f"{rev}:{(base / path).relative_to(tmp).as_posix()}" if not path.is_absolute() else f
    try:
        publication, report = build_from(at_rev, dept, year, shown)
    except SourcesNotFound:
        raise SourcesNotFound(Path(f"{rev}:{(data_rel / dept / str(year)).as_posix()}"), dept, year) from None
    publication.revision = revision
    publication.stamp_on_cover = at_rev.stamp == "cover"
    return Loaded(publication, report, resources.template(at_rev.root), keep)
