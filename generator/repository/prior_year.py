"""Prior year from history: data/<dept>/<year-1>/, when it exists, gives the prior-year figures.

The 比上年增减 sentences and the 三公 comparison need last year's budget. When the
repository holds last year's sources, they are computed from there; otherwise they are
the prior-year figures written in this year's sources. Where both exist they must agree:
a disagreement is an error naming both places.

``prior_year_hook`` runs inside validate.load_budget, after the model is built and before
the department-wide checks, so those checks (prior year present, 三公 reasons) see the
filled-in figures.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from generator.errors import InvalidSources, Location, Report
from generator.figures.catalogue import Catalogue
from generator.figures.model import SANGONG_CATEGORIES, ZERO, Department, Located, sangong_by_category
from generator.figures.money import fmt, to_unit
from generator.figures.vocabulary import BASIC, OTHER_KINDS_LABEL, PROJECT

PRIOR_LABELS = {"total": "支出合计", "basic": BASIC, "project": PROJECT, "other": OTHER_KINDS_LABEL}


def figure(figures, key: str) -> Decimal:
    """A narrative figure, whether the figures are a dict or the dataclass compute.Figures."""
    return figures[key] if isinstance(figures, dict) else getattr(figures, key)


def kinds(figures) -> dict[str, Decimal]:
    """The prior-year figures (prior_year: basic, project, other) a year's budget gives the next."""
    return {"basic": figure(figures, "basic"), "project": figure(figures, "project"),
            "other": sum((figure(figures, k) for k in ("operating", "to_superior", "to_subordinate")), ZERO)}


def _written_keys(written: dict[str, Located]) -> list[str]:
    """The prior-year keys to compare: those written; ``other`` absent beside basic and project is zero."""
    keys = [k for k in PRIOR_LABELS if k in written]
    if "basic" in written and "project" in written and "other" not in written:
        keys.append("other")
    return keys


def _compare(written: dict[str, Located], computed: dict[str, Decimal], keys, where: Location,
             unit_word: str, prior_year: int, field: str, report: Report, who: str) -> None:
    for key in keys:
        given = written[key].value if key in written else ZERO
        if given != computed.get(key, ZERO):
            label = PRIOR_LABELS.get(key, key)
            here = written[key].loc if key in written else next(iter(written.values())).loc if written else where
            report.error(
                "history.prior-disagrees",
                f"{who}上年{label}：本年数据写的是 {fmt(given)} {unit_word}，按 {prior_year} 年的预算数据"
                f"算得 {fmt(computed.get(key, ZERO))} {unit_word}。两处须一致：改正其中一处，"
                f"或删去本年数据中的 {field}，由上年数据给出。", here, where)


def _with_total(values: dict[str, Decimal]) -> dict[str, Decimal]:
    return {**values, "total": sum(values.values(), ZERO)}


def prior_year_hook(data_root: Path, dept_code: str, year: int, catalogue: Catalogue | None = None,
                    root: Path | None = None):
    """The hook for load_budget: None when data/<dept>/<year-1>/ does not exist. ``root``: the repository."""
    prior_dir = Path(data_root) / str(dept_code) / str(int(year) - 1)
    if not prior_dir.is_dir():
        return None

    def hook(dept: Department, report: Report) -> None:
        from generator.figures.compute import compute  # compute imports validate, which calls this hook
        from generator.sources.validate import load_budget
        try:
            prior_dept, names, _ = load_budget(data_root, dept_code, int(year) - 1, catalogue, root=root)
        except InvalidSources as exc:
            report.error("history.prior-invalid",
                         f"{int(year) - 1} 年的预算数据有错误，不能用作上年数（见下）。请先改正上年数据。",
                         dept.doc.loc(("prior_year",)))
            report.extend(exc.report)
            return
        prior = compute(prior_dept, names)

        def conv(values: dict[str, Decimal]) -> dict[str, Decimal]:
            return {k: to_unit(v, prior_dept.money_unit, dept.money_unit) for k, v in values.items()}

        prior_file = prior_dept.doc.loc(())
        whole = conv(_with_total(kinds(prior.scope.figures)))
        if dept.prior_year is None:
            dept.prior_year = {k: Located(v, prior_file) for k, v in whole.items() if k != "total"}
        else:
            _compare(dept.prior_year, whole, _written_keys(dept.prior_year), prior_file, dept.money_unit, int(year) - 1,
                     "prior_year", report, "部门")
        by_code = {s.code: s for s in prior.units}
        units = {u.code: u for u in prior_dept.units}
        for unit in dept.units:
            scope = by_code.get(unit.code)
            if scope is None:  # a new unit: its prior year is what its sources say
                continue
            there = units[unit.code].doc.loc(())
            figures = conv(_with_total(kinds(scope.figures)))
            if unit.prior_year is None:
                unit.prior_year = {k: Located(v, there) for k, v in figures.items() if k != "total"}
            else:
                _compare(unit.prior_year, figures, _written_keys(unit.prior_year), there, dept.money_unit, int(year) - 1,
                         "prior_year", report, f"单位 {unit.code} ")
            if not units[unit.code].sangong_given:
                continue  # last year's sources do not state its 三公: nothing to take or compare
            current, _ = sangong_by_category([units[unit.code]])
            sangong = conv({c: current[c] for c in SANGONG_CATEGORIES})
            if not unit.sangong_prior and not getattr(unit, "sangong_prior_given", False):
                unit.sangong_prior = {c: Located(v, there) for c, v in sangong.items()}
                unit.sangong_prior_given = True  # known now: from last year's sources
            else:
                _compare(unit.sangong_prior, sangong, SANGONG_CATEGORIES,
                         units[unit.code].doc.loc(("sangong",)), dept.money_unit, int(year) - 1,
                         "sangong.prior_year", report, f"单位 {unit.code} “三公”经费")

    return hook
