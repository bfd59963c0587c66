"""Optional sections (vocabulary.OPTIONAL_SECTIONS: assets, 政府采购, 三公 and its prior year,
carry-over, the prior year's budget, the department's performance targets): a section the sources
do not write is not stated. The publication then says nothing of it and leaves its table cells
blank (never an invented 0.00); these warnings say so at check, naming the key to write and how to
say there is none. They run on the department, after the prior year has been read from history."""

from __future__ import annotations

from typing import Iterator

from generator.figures.model import Department, prior_year
from generator.figures.vocabulary import (
    NARRATIVE_SECTIONS,
    OPTIONAL_SECTION,
    OPTIONAL_SECTIONS,
    UNIT_BUDGET,
    UNSTATED,
    OptionalSection,
)

from .registry import DEPARTMENT, Context, Finding, finding, rule


def _message(section: OptionalSection, who: str, left_out: bool = False) -> str:
    said = (f"公开文件不印“{NARRATIVE[section.section]}”一节，目录中也没有" if left_out
            else "文中不提这一项，表中相应的数留空，不印 0.00")
    return f"{who}没有写{section.name}（{section.write}）：{said}。有则写明；没有则写 {section.none}。"


NARRATIVE = {s.key: s.heading for s in NARRATIVE_SECTIONS}


def _description(section: OptionalSection) -> str:
    return (f"{section.name}写明（{section.write}），或写明没有（{section.none}）；不写则文中不提、表中留空"
            f"{'' if section.unit else '（部门）'}。")


def _unit_section(section: OptionalSection):
    def check(dept: Department, ctx: Context) -> Iterator[Finding]:
        if section.key.split("-")[0] in dept.omit:
            return  # the region's wording leaves the section out: nothing is asked for
        for unit in dept.units:
            if unit.state(section.key) != UNSTATED:
                continue
            if section.key == "sangong-prior" and not unit.sangong_given:
                continue  # the 三公 section as a whole is reported
            yield finding(_message(section, f"单位 {unit.code} ", section.section in dept.left_out), unit.doc.loc(()))
    return check


for _section in OPTIONAL_SECTIONS:
    if _section.unit and _section.key != "prior-year":
        rule(f"{_section.key}.unstated", DEPARTMENT, _description(_section), severity="warning")(
            _unit_section(_section))


@rule("prior-year.unstated", DEPARTMENT, _description(OPTIONAL_SECTION["prior-year"]), severity="warning")
def prior_year_unstated(dept: Department, ctx: Context) -> Iterator[Finding]:
    section = OPTIONAL_SECTION["prior-year"]
    if len(dept.units) == 1 or dept.publishes == UNIT_BUDGET:
        if prior_year(dept, dept.units, True) is None:
            yield finding(_message(section, ""), dept.doc.loc(()))
        return
    for unit in dept.units:  # several units: each writes its own
        if prior_year(dept, [unit], False) is None:
            yield finding(_message(section, f"单位 {unit.code} "), unit.doc.loc(()))


@rule("performance.unstated", DEPARTMENT, _description(OPTIONAL_SECTION["performance"]), severity="warning")
def performance_unstated(dept: Department, ctx: Context) -> Iterator[Finding]:
    if dept.state("performance") == UNSTATED:
        yield finding(_message(OPTIONAL_SECTION["performance"], ""), dept.doc.loc(("texts",)))


@rule("unit.nature-unstated", DEPARTMENT, "单位没有写单位性质（nature）又没有直接写明机关运行经费（running_costs_stated）时，"
      "情况说明不提机关运行经费。", severity="warning")
def unit_nature_unstated(dept: Department, ctx: Context) -> Iterator[Finding]:
    for unit in dept.units:
        if not unit.nature and unit.running_costs_stated is None:
            yield finding(f"单位 {unit.code} 没有写单位性质（nature），机关运行经费无从计算：情况说明不提机关运行经费。"
                          "请写明 nature（如 行政、事业），或写 running_costs_stated: {amount: …}。", unit.doc.loc(()))


@rule("section.omitted-but-given", DEPARTMENT, "本地区（或本部门）不公开的部分（wording.omit），来源中写了的数不印出：给出警告，"
      "以免以为已经公开。", severity="warning")
def section_omitted_but_given(dept: Department, ctx: Context) -> Iterator[Finding]:
    for key in ("sangong", "procurement", "assets"):
        if key not in dept.omit:
            continue
        section = OPTIONAL_SECTION[key]
        for unit in dept.units:
            if unit.state(key) != UNSTATED:
                yield finding(f"单位 {unit.code} 写了{section.name}（{key}），而 wording.omit 中写了 {key}：这部分不公开，"
                              "所写的数不印出。要公开就从 omit 中删去它；不公开就删去这些数。", unit.doc.loc((key,)))
