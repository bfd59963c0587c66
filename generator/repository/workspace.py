"""One department and year of a budget repository, ready to render: from the working tree
or, with ``rev``, from a git revision (extracted into a temporary folder from git objects).

Also says where things came from: the revision stamp, and file names as the user sees them
(relative to the current directory, or ``REV:path`` for a revision)."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from generator import resources
from generator.document.untrusted import TEMPLATE_BYTES
from generator.errors import InvalidSources, Location, Report, SourcesNotFound
from generator.files import inside
from generator.figures.catalogue import Catalogue
from generator.figures.compute import Publication, compute
from generator.figures.csvtext import CSV_MAX_BYTES as CATALOGUE_BYTES
from generator.sources import reader
from generator.sources.unfilled import check_unfilled
from generator.sources.validate import load_budget

from . import revisions
from .discovery import CONFIG_BYTES, CONFIG_NAME, Repository, at, for_user, relocate
from .prior_year import prior_year_hook


@dataclass
class Loaded:
    publication: Publication
    report: Report  # warnings, file names as the user sees them
    template: Path
    _keep: object = field(default=None, repr=False)  # the temporary folder of a revision
    shown: Callable[[str], str] = field(default=str, repr=False)  # a file name (absolute, or as a report has it) as the user sees it

    def close(self) -> None:
        """Remove the revision's temporary folder now (not when the garbage collector gets to it)."""
        keep, self._keep = self._keep, None
        if keep is not None:
            keep.cleanup()

    def __enter__(self) -> "Loaded":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def located(self, report: Report) -> Report:
        """``report`` (found after loading: the prose, the template) with its file names as the user sees them."""
        return relocate(report, self.shown)

    def relocated(self, exc: InvalidSources) -> InvalidSources:
        """``exc`` (a problem of the template, found while rendering) with its file names as the user sees them."""
        return type(exc)(relocate(exc.report, self.shown))


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
    hook = prior_year_hook(data_root, dept, year, prior_catalogue, root)

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
        department, names, report = load_budget(repo.data, dept, year, catalogue, prior_hook=hooks, root=repo.root)
    except InvalidSources as exc:
        raise InvalidSources(relocate(exc.report, shown), exc.department) from None
    return compute(department, names), relocate(report, shown)


def load(repo: Repository, dept: str, year: int, rev: str | None = None) -> Loaded:
    top = revisions.toplevel(repo.root)
    if rev is None:
        base = repo.data.parent

        def shown_here(f: str) -> str:
            return for_user(base / f)  # a relative name is relative to the data folder's parent
        try:
            publication, report = build_from(repo, dept, year, shown_here)
        except SourcesNotFound as exc:
            raise SourcesNotFound(Path(for_user(exc.directory)), dept, year) from None
        if top is not None and repo.root.resolve().is_relative_to(top):
            publication.revision = revisions.current(top, _pathspecs(repo, top, dept, year))
        publication.stamp_on_cover = repo.stamp == "cover"
        template = resources.template(repo.root)
        why = inside(template, repo.root) if template != resources.TEMPLATE and template.exists() else None
        if why:  # a repository's template linked from elsewhere is not the repository's to use
            report = Report()
            report.error("template.unreadable", f"无法读取模板：{why}。", Location(for_user(template)))
            raise InvalidSources(report)
        return Loaded(publication, report, template, shown=shown_here)

    if top is None:
        raise revisions.GitError(f"--rev 需要 git 仓库，而 {for_user(repo.root)} 不在 git 仓库中。")
    revision = revisions.resolve(top, rev)
    keep = tempfile.TemporaryDirectory(prefix="budgetpub-rev-")
    try:
        return _load_revision(repo, dept, year, rev, top, revision, keep)
    except BaseException:
        keep.cleanup()
        raise


def _load_revision(repo, dept, year, rev, top, revision, keep) -> Loaded:
    """``load`` at ``rev``: the files budgetpub reads taken from git objects (revisions.snapshot)."""
    tmp = Path(keep.name)
    prefix = repo.root.resolve().relative_to(top).as_posix()
    under = (lambda p: f"{prefix}/{p}") if prefix != "." else (lambda p: p)

    def shown(f: str) -> str:
        path = Path(f)
        if path.is_absolute():
            return f"{rev}:{path.relative_to(tmp).as_posix()}" if path.is_relative_to(tmp) else f
        return f"{rev}:{(base / path).relative_to(tmp).as_posix()}"

    def tree_shown(path: str) -> str:
        return f"{rev}:{path}"

    def refused(report: Report) -> None:
        if report.errors:
            raise InvalidSources(report)

    config_name = under(CONFIG_NAME)
    refused(revisions.snapshot(top, revision.commit, [revisions.Wanted(
        "" if prefix == "." else prefix, re.escape(CONFIG_NAME), CONFIG_BYTES)], tmp, tree_shown).report)
    config = tmp / config_name
    at_rev = at(tmp / prefix, config if config.is_file() else None, tree_shown(config_name))
    data_rel = at_rev.data.relative_to(tmp).as_posix()
    # the year folders: every YAML file whole (a unit file saved as .YML is named, not dropped), other
    # files by name only; the template; the catalogue's CSV files of every year (other editions)
    wanted = [revisions.Wanted(f"{data_rel}/{dept}/{y}", r"[^/]*\.(?i:ya?ml)", reader.MAX_BYTES, names_only=True)
              for y in (year, year - 1)]
    wanted += [revisions.Wanted(under("templates"), r"publication\.docx", TEMPLATE_BYTES),
               revisions.Wanted(under("catalogue"), r"[^/]*\.csv", CATALOGUE_BYTES, subfolders=True)]
    in_the_way = revisions.link_in_the_way(top, revision.commit, [w.folder for w in wanted])
    if in_the_way:
        report = Report()
        report.error("files.symlink", "这是符号链接或文件，不是目录：--rev 不跟随目录的符号链接，请在该版本中改为普通目录。",
                     Location(tree_shown(in_the_way)))
        raise InvalidSources(report)
    refused(revisions.snapshot(top, revision.commit, wanted, tmp, tree_shown).report)
    base = at_rev.data.parent
    try:
        publication, report = build_from(at_rev, dept, year, shown)
    except SourcesNotFound:
        raise SourcesNotFound(Path(f"{rev}:{data_rel}/{dept}/{year}"), dept, year) from None
    publication.revision = revision
    publication.stamp_on_cover = at_rev.stamp == "cover"
    return Loaded(publication, report, resources.template(at_rev.root), keep, shown)
