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

from .catalogue import Catalogue
from .errors import InvalidSources, Location, Report
from .model import SANGONG_CATEGORIES, ZERO, Department, Located, sangong_by_category
from .money import fmt, to_unit

PRIOR_LABELS = {"basic": "基本支出", "project": "项目支出", "other": "其他支出（经营、上解、对附属单位补助）"}


def _kinds(figures) -> dict[str, Decimal]:
    return {"basic": figures["basic"], "project": figures["project"],
            "other": figures["operating"] + figures["to_superior"] + figures["to_subordinate"]}


def _compare(written: dict[str, Located], computed: dict[str, Decimal], keys, where: Location,
             unit_word: str, prior_year: int, field: str, report: Report, who: str) -> None:
    for key in keys:
        given = written[key].value if key in written else ZERO
        if given != computed.get(key, ZERO):
            label = PRIOR_LABELS.get(key, key)
            here = written[key].loc if key in written else next(iter(written.values())).loc
            report.error(
                "history.prior-disagrees",
                f"{who}上年{label}：本年数据写的是 {fmt(given)} {unit_word}，按 {prior_year} 年的预算数据"
                f"算得 {fmt(computed.get(key, ZERO))} {unit_word}。两处须一致：改正其中一处，"
                f"或删去本年数据中的 {field}，由上年数据给出。", here, where)


def prior_year_hook(data_root: Path, dept_code: str, year: int, catalogue: Catalogue | None = None):
    """The hook for load_budget: None when data/<dept>/<year-1>/ does not exist."""
    prior_dir = Path(data_root) / str(dept_code) / str(int(year) - 1)
    if not prior_dir.is_dir():
        return None

    def hook(dept: Department, report: Report) -> None:
        from .compute import compute  # compute imports validate, which calls this hook
        from .validate import load_budget
        try:
            prior_dept, names, _ = load_budget(data_root, dept_code, int(year) - 1, catalogue)
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
        whole = conv(_kinds(prior.scope.figures))
        if dept.prior_year is None:
            dept.prior_year = {k: Located(v, prior_file) for k, v in whole.items()}
        else:
            _compare(dept.prior_year, whole, PRIOR_LABELS, prior_file, dept.money_unit, int(year) - 1,
                     "prior_year", report, "部门")
        by_code = {s.code: s for s in prior.units}
        units = {u.code: u for u in prior_dept.units}
        for unit in dept.units:
            scope = by_code.get(unit.code)
            if scope is None:  # a new unit: its prior year is what its sources say
                continue
            there = units[unit.code].doc.loc(())
            kinds = conv(_kinds(scope.figures))
            if unit.prior_year is None:
                unit.prior_year = {k: Located(v, there) for k, v in kinds.items()}
            else:
                _compare(unit.prior_year, kinds, PRIOR_LABELS, there, dept.money_unit, int(year) - 1,
                         "prior_year", report, f"单位 {unit.code} ")
            current, _ = sangong_by_category([units[unit.code]])
            sangong = conv({c: current[c] for c in SANGONG_CATEGORIES})
            if not unit.sangong_prior:
                unit.sangong_prior = {c: Located(v, there) for c, v in sangong.items()}
            else:
                _compare(unit.sangong_prior, sangong, SANGONG_CATEGORIES,
                         units[unit.code].doc.loc(("sangong",)), dept.money_unit, int(year) - 1,
                         "sangong.prior_year", report, f"单位 {unit.code} “三公”经费")

    return hook
