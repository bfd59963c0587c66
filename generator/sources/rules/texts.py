"""Rules on the texts: a change against the prior year needs its reason in the scope's own texts,
and a reason for no change is never printed."""

from __future__ import annotations

from typing import Iterator

from generator.figures.model import Department, prior_year, sangong_by_category, sangong_prior_known, scope_texts, total
from generator.figures.money import fmt
from generator.figures.vocabulary import CHANGE_REASON_KEYS, SANGONG_CATEGORIES, SANGONG_TOTAL, UNIT_BUDGET

from .registry import DEPARTMENT, Context, Finding, finding, rule


def _scopes(dept: Department):
    """(unit or None, its units, where its texts are, who) for the department and each unit."""
    yield None, dept.units, dept.doc.loc(("texts",)), "部门"
    if dept.publishes == UNIT_BUDGET or not dept.unit_budgets:
        return  # one unit publishing alone, or a department published at department level: no unit part
    for u in dept.units:
        yield u, [u], u.doc.loc(("texts",)), f"单位 {u.code} "


def _sangong_changes(dept: Department):
    for unit, units, where, who in _scopes(dept):
        if not sangong_prior_known(units):
            continue  # the prior year's 三公 is not given: the text states no change
        reasons = scope_texts(dept, unit).get("sangong_reasons") or {}
        current, prior = sangong_by_category(units)
        for c in (*SANGONG_CATEGORIES, SANGONG_TOTAL):
            yield unit, where, who, c, prior[c], current[c], reasons


@rule("sangong.reason-missing", DEPARTMENT, "“三公”经费比上年有增减的类别（及合计），在本部门或本单位自己的文字中写明变化原因。")
def sangong_reason_missing(dept: Department, ctx: Context) -> Iterator[Finding]:
    for unit, where, who, c, prior, current, reasons in _sangong_changes(dept):
        if current != prior and c not in reasons:
            yield finding(f"{who}“三公”经费 {c} 比上年有增减（{fmt(prior)} → {fmt(current)}），"
                          f"须在 texts.sangong_reasons.{c} 中写明变化原因。", where)


@rule("sangong.reason-unneeded", DEPARTMENT, "“三公”经费比上年没有变化的类别不写变化原因（不会印出）。",
      severity="warning")
def sangong_reason_unneeded(dept: Department, ctx: Context) -> Iterator[Finding]:
    for unit, where, who, c, prior, current, reasons in _sangong_changes(dept):
        if current == prior and c in reasons:
            doc = unit.doc if unit else dept.doc
            yield finding(f"{who}“三公”经费 {c} 与上年持平（{fmt(current)}），texts.sangong_reasons.{c} 中的原因不会印出："
                          "请删去，或核对金额。", doc.loc(("texts", "sangong_reasons", c)))


def _kind_changes(dept: Department):
    for unit, units, where, who in _scopes(dept):
        prior = prior_year(dept, units, unit is None)
        if prior is None:
            continue
        reasons = scope_texts(dept, unit).get("change_reasons") or {}
        for key, kind in CHANGE_REASON_KEYS.items():
            if key not in prior:
                continue  # the prior year's split is not known: the text states no change of it
            current = total(l.amount for u in units for l in u.function_lines() if l.kind == kind)
            yield unit, where, who, key, kind, prior[key], current, reasons


@rule("change-reasons.missing", DEPARTMENT, "基本支出、项目支出比上年有增减时，在本部门或本单位自己的文字中写明主要原因。")
def change_reasons_missing(dept: Department, ctx: Context) -> Iterator[Finding]:
    for unit, where, who, key, kind, prior, current, reasons in _kind_changes(dept):
        if current != prior and not reasons.get(key):
            yield finding(f"{who}{kind}比上年有增减（{fmt(prior)} → {fmt(current)} {ctx.u}），"
                          f"须在 texts.change_reasons.{key} 中写明主要原因。", where)


@rule("change-reasons.unneeded", DEPARTMENT, "基本支出、项目支出与上年持平时不写主要原因（不会印出）。",
      severity="warning")
def change_reasons_unneeded(dept: Department, ctx: Context) -> Iterator[Finding]:
    for unit, where, who, key, kind, prior, current, reasons in _kind_changes(dept):
        if current == prior and reasons.get(key):
            doc = unit.doc if unit else dept.doc
            yield finding(f"{who}{kind}与上年持平（{fmt(current)} {ctx.u}），texts.change_reasons.{key} 中的原因不会印出："
                          "请删去，或核对金额。", doc.loc(("texts", "change_reasons", key)))
