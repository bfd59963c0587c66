"""From a schema-valid source file to the facts: ``build_unit`` and ``build_department`` make the
model (figures/model.py) of a parsed document, each fact located at the file:line it came from."""

from __future__ import annotations

from decimal import Decimal

from generator.errors import Location
from generator.figures.model import (
    Assets,
    Department,
    IncomeDetail,
    Indicator,
    Line,
    Located,
    ProcurementItem,
    Project,
    RunningCostPart,
    SangongLine,
    Unit,
    amount,
)
from generator.figures.vocabulary import (
    ASSET_KEYS,
    BASIC,
    DEPARTMENT_BUDGET,
    OPTIONAL_INDICATOR_COLUMNS,
    PERSONNEL_CLASSES,
    PROCUREMENT_CATEGORIES,
    PUBLIC_CLASS,
    PROJECT,
    STATED,
    STATED_NONE,
    UNSTATED,
)

from generator.resources import region_wording

from .reader import Document


def _fixed_asset(row: dict) -> bool | None:
    """Whether a procurement item buys a fixed asset: as the source says; a service never does."""
    if "fixed_asset" in row:
        return bool(row["fixed_asset"])
    category = PROCUREMENT_CATEGORIES.get(row["catalogue_no"][:1].upper(), ("", ""))[0]
    return False if category == "services" else None


def _asset(row: dict | None) -> tuple[Decimal | None, Decimal | None]:
    row = row or {}
    return (amount(row["count"]) if row.get("count") is not None else None,
            amount(row["value"]) if row.get("value") is not None else None)


def _state(data: dict, key: str, none: bool) -> str:
    """An optional section's state: not written (unstated), written as none (``none``), or stated."""
    if key not in data or data[key] is None:
        return UNSTATED
    return STATED_NONE if none else STATED


def _none(section) -> bool:
    """``none: true``: the sources say there is none."""
    return isinstance(section, dict) and section.get("none") is True


def _prior_year(doc: Document, data: dict) -> dict[str, Located] | None:
    """prior_year as given; ``{none: true}`` (no budget last year, e.g. a new unit) is zero."""
    prior = data.get("prior_year")
    if not prior:
        return None
    if _none(prior):
        where = doc.loc(("prior_year", "none"))
        return {"basic": Located(Decimal(0), where), "project": Located(Decimal(0), where)}
    return _located_amounts(doc, prior, ("prior_year",))


def _located_amounts(doc: Document, mapping: dict | None, path: tuple) -> dict[str, Located]:
    return {k: Located(amount(v), doc.loc(path + (k,))) for k, v in (mapping or {}).items()}


def _total(doc: Document, carry: dict, key: str) -> dict[str, Located]:
    """A carry-over total given without its source fund, under the fund "" (none known)."""
    return {} if carry.get(key) is None else {"": Located(amount(carry[key]), doc.loc(("carryover", key)))}


def _opt(doc: Document, data: dict, key: str, path: tuple = ()) -> Located | None:
    if data.get(key) is None:
        return None
    return Located(amount(data[key]), doc.loc(path + (key,)))


def build_unit(doc: Document) -> Unit:
    d = doc.data
    names: list[tuple[str, str, str, Location]] = []

    def named(kind: str, code: str | None, name: str | None, path: tuple) -> None:
        if code and name:
            names.append((kind, code, name, doc.loc(path)))

    basic_function: list[Line] = []
    basic_economic: list[Line] = []
    basic_items: list[Line] = []
    for gi, group in enumerate(d.get("basic") or []):
        fund, carry, surplus = group.get("fund") or "", bool(group.get("carryover", False)), bool(group.get("surplus", False))
        for i, row in enumerate(group.get("function") or []):
            p = ("basic", gi, "function", i)
            basic_function.append(Line(BASIC, fund, amount(row["amount"]), doc.loc(p),
                                       function=row["code"], carryover=carry, surplus=surplus))
            named("function", row["code"], row.get("name"), p + ("name",))
        for i, row in enumerate(group.get("economic") or []):
            p = ("basic", gi, "economic", i)
            basic_economic.append(Line(BASIC, fund, amount(row["amount"]), doc.loc(p),
                                       economic=row["code"], carryover=carry, surplus=surplus))
            named("economic", row["code"], row.get("name"), p + ("name",))
        # 人员经费 and 公用经费 only: one line each, on the class that stands for it (301, 302)
        for key, code in (("personnel", PERSONNEL_CLASSES[0]), ("public", PUBLIC_CLASS)):
            if group.get(key) is not None:
                basic_economic.append(Line(BASIC, fund, amount(group[key]), doc.loc(("basic", gi, key)),
                                           economic=code, carryover=carry, surplus=surplus))
        for i, row in enumerate(group.get("items") or []):
            p = ("basic", gi, "items", i)
            line = Line(BASIC, fund, amount(row["amount"]), doc.loc(p), function=row["function"],
                        economic=row["economic"], carryover=carry, surplus=surplus)
            basic_items.append(line)
            named("function", row["function"], row.get("function_name"), p + ("function_name",))
            named("economic", row["economic"], row.get("economic_name"), p + ("economic_name",))
    # An item with both codes belongs to both views.
    basic_function += basic_items
    basic_economic += basic_items

    projects = []
    for i, row in enumerate(d.get("projects") or []):
        p = ("projects", i)
        line = Line(PROJECT, row.get("fund") or "", amount(row["amount"]), doc.loc(p + ("amount",)),
                    function=row.get("function"), economic=row.get("economic"),
                    carryover=bool(row.get("carryover", False)), project=row["name"],
                    surplus=bool(row.get("surplus", False)),
                    code_loc={k: doc.loc(p + (k,)) for k in ("function", "economic") if row.get(k)})
        named("function", row.get("function"), row.get("function_name"), p + ("function_name",))
        named("economic", row.get("economic"), row.get("economic_name"), p + ("economic_name",))
        perf = row["performance"]
        indicators = [Indicator(r["level1"], r["level2"], r["level3"], r.get("description"), r["value"],
                                r.get("basis"), doc.loc(p + ("performance", "indicators", j)))
                      for j, r in enumerate(perf["indicators"])]
        q, s = row.get("quantity"), row.get("standard")
        projects.append(Project(
            row["name"], line, perf["target"], indicators,
            quantity=(amount(q["count"]), q["unit"]) if q else None,
            standard=(amount(s["amount"]), s["unit"]) if s else None,
            loc=doc.loc(p + ("name",))))

    project_lines = []
    for i, row in enumerate(d.get("project_spending") or []):
        p = ("project_spending", i)
        project_lines.append(Line(PROJECT, row.get("fund") or "", amount(row["amount"]), doc.loc(p),
                                  function=row["function"], economic=row.get("economic"),
                                  carryover=bool(row.get("carryover", False)), surplus=bool(row.get("surplus", False))))
        named("function", row["function"], row.get("function_name"), p + ("function_name",))
        named("economic", row.get("economic"), row.get("economic_name"), p + ("economic_name",))

    stated = d.get("running_costs_stated")
    running_stated = None if stated is None else (
        amount(stated["amount"]), [(r["label"], amount(r["amount"])) for r in stated.get("items") or []],
        doc.loc(("running_costs_stated", "amount")))

    other = []
    for i, row in enumerate(d.get("other_expenditure") or []):
        p = ("other_expenditure", i)
        other.append(Line(row["kind"], row["fund"], amount(row["amount"]), doc.loc(p),
                          function=row["function"], economic=row.get("economic"),
                          carryover=bool(row.get("carryover", False)), surplus=bool(row.get("surplus", False))))
        named("function", row["function"], row.get("function_name"), p + ("function_name",))
        named("economic", row.get("economic"), row.get("economic_name"), p + ("economic_name",))

    running = [RunningCostPart(r["economic"], r["label"], amount(r["amount"]),
                               doc.loc(("running_costs", i)))
               for i, r in enumerate(d.get("running_costs") or [])]

    sg = d.get("sangong") or {}
    sangong = [SangongLine(r["category"], r["fund"], amount(r["amount"]),
                           doc.loc(("sangong", "current", i)))
               for i, r in enumerate(sg.get("current") or [])]
    carry = d.get("carryover") or {}
    states = {
        "assets": _state(d, "assets", _none(d.get("assets"))),
        "procurement": (STATED if d.get("procurement_summary") else _state(d, "procurement", not d.get("procurement"))),
        "sangong": (STATED_NONE if _none(sg) else _state(sg, "current", not sg.get("current"))),
        # no budget at all last year (prior_year: {none: true}): no 三公 either, unless the sources say otherwise
        "sangong-prior": (STATED_NONE if _none(d.get("prior_year")) and "prior_year" not in sg
                          else _state(sg, "prior_year", not any((sg.get("prior_year") or {}).values()))),
        "carryover": _state(d, "carryover", _none(carry) or not any(carry.get(k)
                                                                    for k in ("in", "out", "surplus", "in_total", "out_total"))),
        "prior-year": _state(d, "prior_year", _none(d.get("prior_year"))),
    }

    procurement = []
    for i, r in enumerate(d.get("procurement") or []):
        procurement.append(ProcurementItem(
            r.get("project"), r["item"], r["catalogue_no"], r["measure"], amount(r["quantity"]),
            amount(r["unit_price"]), {k: amount(v) for k, v in r["funds"].items()},
            amount(r.get("sme_reserved") or 0), _fixed_asset(r),
            doc.loc(("procurement", i)),
            amount(r["sme_small_micro"]) if r.get("sme_small_micro") is not None else None))

    assets = None
    if _none(d.get("assets")):  # none: every figure is zero
        zero = (Decimal(0), Decimal(0))
        assets = Assets(d["assets"].get("as_of") or "", dict.fromkeys(ASSET_KEYS, zero), doc.loc(("assets",)), zero)
    elif d.get("assets"):
        a = d["assets"]
        items = {k: _asset(a.get(k)) if k in a else (None, None)  # not written: not known
                 for k in ASSET_KEYS}
        assets = Assets(a["as_of"], items, doc.loc(("assets",)),
                        _asset(a["total"]) if "total" in a else None)

    return Unit(
        code=d["code"], name=d["name"], nature=d.get("nature") or "", rank=d.get("rank") or "",
        funding_form=d.get("funding_form") or "", doc=doc, project_lines=project_lines,
        running_costs_stated=running_stated,
        income=_located_amounts(doc, d.get("income"), ("income",)),
        # totals without a source fund are kept under the fund "" (the lines they pay have no fund either)
        carry_in=_located_amounts(doc, carry.get("in"), ("carryover", "in")) | _total(doc, carry, "in_total"),
        carry_out=_located_amounts(doc, carry.get("out"), ("carryover", "out")) | _total(doc, carry, "out_total"),
        carry_surplus=_located_amounts(doc, carry.get("surplus"), ("carryover", "surplus")),
        income_details=[IncomeDetail(r["fund"], r["label"], amount(r["amount"]), doc.loc(("income_details", i)))
                        for i, r in enumerate(d.get("income_details") or [])],
        procurement_summary=_located_amounts(doc, d.get("procurement_summary"), ("procurement_summary",)),
        basic_function=basic_function, basic_economic=basic_economic, basic_items=basic_items,
        projects=projects, other=other, running_costs=running, sangong=sangong,
        sangong_total=_opt(doc, sg, "total", ("sangong",)),
        sangong_prior=_located_amounts(doc, sg.get("prior_year"), ("sangong", "prior_year")),
        sangong_prior_total=_opt(doc, sg, "prior_year_total", ("sangong",)),
        procurement=procurement, assets=assets,
        prior_year=_prior_year(doc, d),
        texts=d.get("texts") or {}, names=names, states=states)


def _indicator_columns(d: dict) -> tuple[str, ...]:
    """The optional 绩效目标表 columns published: performance_table.columns, else the region's wording
    (department.yaml's wording, then templates/wording.yaml: the default region needs no setting)."""
    for given in ((d.get("performance_table") or {}).get("columns"), (d.get("wording") or {}).get("indicator_columns"),
                  region_wording().get("indicator_columns")):
        if given is not None:
            return tuple(c for c in OPTIONAL_INDICATOR_COLUMNS if c in given)
    return OPTIONAL_INDICATOR_COLUMNS


def build_department(doc: Document, units: list[Unit]) -> Department:
    d = doc.data
    return Department(
        code=d["code"], name=d["name"], year=d["year"], money_unit=d["money_unit"],
        government_level=d["government_level"], doc=doc,
        prior_year=_prior_year(doc, d),
        texts=d.get("texts") or {}, units=sorted(units, key=lambda u: u.code),
        states={"prior-year": _state(d, "prior_year", _none(d.get("prior_year"))),
                "performance": _state(d.get("texts") or {}, "performance", _none((d.get("texts") or {}).get("performance")))},
        running_cost_natures=tuple(d.get("running_cost_natures") or ()),
        text_unit=(d.get("display") or {}).get("text") or d["money_unit"],
        table_unit=(d.get("display") or {}).get("tables") or d["money_unit"],
        thousands=bool((d.get("display") or {}).get("thousands", False)),
        publishes=d.get("publishes") or DEPARTMENT_BUDGET, wording=d.get("wording") or {},
        indicator_columns=_indicator_columns(d),
        roster=[dict(u) for u in d.get("units") or []], unit_budgets=d.get("unit_budgets", True) is not False,
        omit=tuple((d.get("wording") or {}).get("omit", region_wording().get("omit") or ())),
        cost_required=bool((d.get("performance_table") or {}).get("cost_required", True)))
