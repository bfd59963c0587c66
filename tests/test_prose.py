"""Live figures in authored prose (sandboxed, named, documented) and the lint for typed amounts."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from types import SimpleNamespace

import docxread
import pytest
from jinja2.exceptions import SecurityError
from sourcetree import DEPT, UNIT, Tree, tree  # noqa: F401 (tree is a fixture)
from test_sandbox import ESCAPES as SANDBOX_ESCAPES

from generator import PROJECT_ROOT, build
from generator.cli import main
from generator.document.prose import (
    ProseEnvironment,
    Where,
    check,
    check_expressions,
    names_markdown,
    resembles,
    scope_figures,
    with_live_figures,
)
from generator.document.render import render_bytes
from generator.errors import InvalidSources, Location, Report

REASON = "    basic: 人员变化\n"


@pytest.fixture(autouse=True)
def no_data_env(monkeypatch):
    monkeypatch.delenv("BUDGETPUB_DATA", raising=False)


def built(tree):
    publication, _ = build(tree.root, "304", 2023)
    return publication


def rendered_text(tree, tmp_path) -> str:
    path = tmp_path / "out.docx"
    path.write_bytes(render_bytes(built(tree)))
    return docxread.read(path).text


# ------------------------------------------------------------------ live figures

def test_a_reason_cites_the_change_and_a_project(tree, tmp_path):
    tree.replace(DEPT, REASON, "    basic: 人员变化，较上年增加{{ 变化.基本支出 }}万元，综合业务费{{ 项目[\"综合业务费\"] }}万元\n")
    text = rendered_text(tree, tmp_path)
    assert "基本支出增加135.12万元，主要原因：人员变化，较上年增加135.12万元，综合业务费7.00万元；" in text


def test_every_name_group_renders_as_the_tables_print(tree, tmp_path):
    tree.replace(DEPT, "  other_matters: 我部门无其他需要说明的事项。",
                 "  other_matters: 人员经费{{ 人员经费 }}；上年{{ 上年.合计 }}；{{ 增减.合计 }}；减少{{ 增减率.合计 }}%")
    text = rendered_text(tree, tmp_path)
    # 878.52 prior, 812.32 now: −66.20, 7.54 % of 878.52 (ROUND_HALF_UP of 7.5354…)
    assert "人员经费347.36；上年878.52；减少66.20万元；减少7.54%" in text


def test_each_scope_cites_its_own_figures(tmp_path):
    tree = Tree(tmp_path, "899", 2024)
    for name, old in (("department.yaml", "  other_matters: 我部门无其他需要说明的事项。\n"),
                      ("899001.yaml", "  other_matters: 我单位无其他需要说明的事项。\n")):
        tree.replace(name, old, "  other_matters: 基本支出{{ 基本支出 }}万元。\n")
    pub, _ = build(tree.root, "899", 2024)
    out = with_live_figures(pub)
    assert [out.scope.texts["other_matters"], out.units[0].texts["other_matters"]] == [
        "基本支出572.59万元。", "基本支出307.14万元。"]


def test_an_unknown_name_is_an_error_with_file_line_and_nearest_names(tree, capsys):
    tree.replace(DEPT, REASON, "    basic: 人员变化，增加{{ 基本之出 }}万元\n")
    assert main(["--dept", "304", "--year", "2023", "--check", "--data", str(tree.root)]) == 2
    err = capsys.readouterr().err
    assert ("data/304/2023/department.yaml:26: 错误[prose.unknown-name] 文字引用了未知的名称 “基本之出”。"
            "最接近的名称：基本支出") in err
    assert "（字段：texts.change_reasons.basic）" in err


def test_an_unknown_project_names_the_nearest_projects(tree):
    tree.replace(UNIT, "缴纳资金{{ 项目[\"离休干部医保统筹\"] }}万元", "缴纳资金{{ 项目[\"离休干部医保\"] }}万元")
    report = check(built(tree))
    [problem] = report.errors
    assert problem.code == "prose.unknown-name"
    assert problem.location.file == "data/304/2023/304001.yaml"
    assert "{{ 项目[\"离休干部医保\"] }}" in tree.text(UNIT).splitlines()[problem.location.line - 1]
    assert "最接近的名称：项目[\"离休干部医保统筹\"]" in problem.message


def test_a_line_inside_a_block_is_located(tree):
    tree.replace(DEPT, "    （十一）承办区政府交办的其他事项。\n",
                 "    （十一）承办区政府交办的其他事项。\n    第二行{{ 没有这个 }}\n")
    [problem] = check(built(tree)).errors
    text = tree.text(DEPT).splitlines()
    assert text[problem.location.line - 1] == "    第二行{{ 没有这个 }}"


def test_rendering_refuses_an_unknown_name_too(tree):
    tree.replace(DEPT, REASON, "    basic: \"{{ 人员变动 }}\"\n")  # a text starting with {{ is quoted in YAML
    with pytest.raises(InvalidSources) as info:
        render_bytes(built(tree))
    assert [p.code for p in info.value.report.errors] == ["prose.unknown-name"]


ESCAPES = [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ lipsum }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ namespace }}",
    "{{ range(10**9) }}",
    "{{ 基本支出.__class__ }}",
    "{{ 变化.合计.__class__ }}",
    "{{ 变化.合计.upper() }}",
    "{{ 变化.合计.upper }}",
    "{{ 项目['综合业务费'].__class__.__mro__ }}",
    "{{ 项目['综合业务费'][0] }}",
    "{{ 变化['合计'] }}",
    "{{ 变化 }}",
    "{{ 基本支出.upper() }}",
    "{{ 项目.__class__.__base__ }}",
    "{{ 项目.items() }}",
    "{{ 基本支出|attr('__class__') }}",
    "{{ '{0.__class__}'.format(基本支出) }}",
    "{{ '%s' % 基本支出 }}",
    "{{ 基本支出 * 100000000 }}",
    "{{ self }}",
    "{{ config }}",
    "{% import 'os' as os %}",
    "{% include '/etc/passwd' %}",
    "{% extends '/etc/passwd' %}",
    "{% from 'x' import y %}",
    "{% set x = 基本支出 %}{{ x }}",
    "{% for c in 基本支出 %}{{ c }}{% endfor %}",
    "{% macro m() %}{% endmacro %}",
    "{{ 基本支出",
]


@pytest.mark.parametrize("text", ESCAPES + [f"较上年增加{e}万元" for e in SANDBOX_ESCAPES])
def test_sandbox_escape_attempts_are_rejected(pub304, text):
    # before anything is evaluated: this list, and test_sandbox.py's (run there against the environment)
    known = [f.expression for f in scope_figures(pub304.scope, "万元")]
    report = Report()
    assert check_expressions(text, Where(Location("t.yaml", 1), False), known, report) is False
    assert report.errors and {p.code for p in report.errors} <= {"prose.forbidden", "prose.unknown-name",
                                                                 "prose.syntax"}


def test_the_escape_list_is_not_empty_and_a_plain_reference_passes(pub304):
    assert len(ESCAPES) >= 20
    known = [f.expression for f in scope_figures(pub304.scope, "万元")]
    report = Report()
    assert check_expressions("{{ 基本支出 }}{{ 变化.合计 }}{{ 项目[\"综合业务费\"] }}", Where(Location("t"), False),
                             known, report) is True
    assert report.problems == []


def test_the_sandbox_itself_has_no_globals_and_refuses_operators():
    env = ProseEnvironment()
    assert env.globals == {} and env.filters == {} and env.tests == {}
    with pytest.raises(SecurityError):
        env.from_string("{{ a * 3 }}").render(a="1.00")
    with pytest.raises(SecurityError):
        env.from_string("{{ a.__class__ }}").render(a="1.00")


def test_figures_are_read_from_a_dict_or_from_a_dataclass(pub304):
    from_dataclass = scope_figures(pub304.scope, "万元")
    shim = SimpleNamespace(figures=dataclasses.asdict(pub304.scope.figures), projects=pub304.scope.projects)
    from_dict = scope_figures(shim, "万元")
    assert [(f.expression, f.text) for f in from_dict] == [(f.expression, f.text) for f in from_dataclass]
    assert ("人员经费", "347.36") in [(f.expression, f.text) for f in from_dataclass]
    assert ("变化.合计", "66.20") in [(f.expression, f.text) for f in from_dict]


def test_the_guide_lists_the_names_built_by_the_code():
    page = (PROJECT_ROOT / "docs" / "reference" / "prose-names.md").read_text(encoding="utf-8")
    assert names_markdown() in page, "docs/reference/prose-names.md is out of date: python docs/generate.py"
    assert "`{{ 人员经费 }}`" in page


# ------------------------------------------------------------------ the lint

def test_the_seeds_347_37_typed_in_prose_is_an_error(tree, capsys):
    tree.replace(DEPT, REASON, "    basic: 人员经费347.37万元\n")
    assert main(["--dept", "304", "--year", "2023", "--check", "--data", str(tree.root)]) == 2
    err = capsys.readouterr().err
    assert ("data/304/2023/department.yaml:26: 错误[prose.literal-differs] 文字中的 “347.37万元” 与计算出的数相近却不相等"
            "（{{ 人员经费 }} = 347.36），很可能是笔误；请改为引用该数。") in err


def test_a_typed_figure_is_a_warning_naming_the_expression_and_strict_makes_it_an_error(tree, capsys):
    tree.replace(DEPT, REASON, "    basic: 人员经费347.36万元，较上年增长7.54%\n")
    assert main(["--dept", "304", "--year", "2023", "--check", "--data", str(tree.root)]) == 0
    err = capsys.readouterr().err
    assert "data/304/2023/department.yaml:26: 警告[prose.literal] 文字中直接写了金额 “347.36万元”" in err
    assert "请改写为 {{ 人员经费 }}" in err
    assert "警告[prose.literal] 文字中直接写了金额 “7.54%”" in err and "{{ 增减率.合计 }}" in err
    assert main(["--dept", "304", "--year", "2023", "--check", "--strict", "--data", str(tree.root)]) == 2
    assert "错误[prose.literal] 文字中直接写了金额 “347.36万元”" in capsys.readouterr().err


def test_amounts_inside_expressions_and_in_the_other_unit_are_not_linted(tree):
    tree.replace(DEPT, REASON, "    basic: 人员经费{{ 人员经费 }}万元，每人347.36元，共22人\n")
    assert check(built(tree)).problems == []


def test_304_sources_pass_in_strict_mode(capsys):
    assert main(["--dept", "304", "--year", "2023", "--check", "--strict"]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("typed,figure,expected", [
    ("347.37", "347.36", True),   # the seed's slip
    ("347.63", "347.36", True),   # two adjacent digits swapped
    ("347.41", "347.36", True),   # within 0.05
    ("347.42", "347.36", False),
    ("347.36", "347.36", False),  # equal: a warning, not an error
    ("347", "347.36", False),     # no two decimals: not written as a cited figure
    ("374.36", "347.36", True),
    ("743.36", "347.36", False),  # not adjacent
])
def test_resembles(typed, figure, expected):
    assert resembles(typed, Decimal(figure)) is expected


def test_a_project_name_with_quotes_is_cited_like_any_other():
    from generator.document.prose import _context, project_expression
    name = '“三下乡”及"文化"活动'
    shim = SimpleNamespace(figures={"basic": Decimal("1")}, projects=[SimpleNamespace(name=name, amount=Decimal("12.5"))])
    figures = scope_figures(shim, "万元")
    report = Report()
    text = "活动经费{{ 项目['“三下乡”及\"文化\"活动'] }}万元"
    assert check_expressions(text, Where(Location("t"), False), [f.expression for f in figures], report)
    assert report.problems == []
    assert ProseEnvironment().from_string(text).render(_context(figures)) == "活动经费12.50万元"
    assert project_expression(name) == '项目["“三下乡”及\\"文化\\"活动"]'


def test_304s_project_target_cites_its_amount(tmp_path):
    path = tmp_path / "304.docx"
    path.write_bytes(render_bytes(build(PROJECT_ROOT / "data", "304", 2023)[0]))
    title, rows = next((t, rows) for t, rows in docxread.read(path).tables if t.endswith("离休干部医保统筹绩效目标表"))
    assert "缴纳资金308.00万元" in rows[0][1] and "{{" not in rows[0][1]


def test_prose_is_evaluated_unescaped_and_escaped_once_by_the_template(tree, tmp_path):
    tree.replace(DEPT, "  other_matters: 我部门无其他需要说明的事项。",
                 "  other_matters: 见《A&B <说明>》，基本支出{{ 基本支出 }}万元")
    assert "见《A&B <说明>》，基本支出373.37万元" in rendered_text(tree, tmp_path)


def test_figures_are_shown_in_the_texts_unit_when_the_sources_are_in_yuan(tmp_path):
    # 898 is authored in 元 and its text is shown in 万元: 收入总计 4,554,150.00 元 is 455.42 万元
    tree = Tree(tmp_path, "898", 2024).replace(
        "department.yaml", "  other_matters: 我部门无其他需要说明的事项。\n",
        "  other_matters: 收入总计{{ 收入总计 }}万元，另写455.42万元、455.43万元、4554150元\n")
    pub, _ = build(tree.root, "898", 2024)
    assert with_live_figures(pub).scope.texts["other_matters"].startswith("收入总计455.42万元，")
    problems = [(p.code, p.severity) for p in check(pub).problems]
    assert problems == [("prose.literal", "warning"), ("prose.literal-differs", "error")]  # 元 is not compared


def test_a_literal_with_thousands_separators_is_read_whole():
    from generator.document.prose import AuthoredText, Figure, lint_text
    item = AuthoredText("共4,554,150.00元，其中150.00元", Where(Location("t.yaml", 3), False), None)
    report = Report()
    lint_text(item, [Figure("收入总计", Decimal("4554150.00"), "4,554,150.00"), Figure("x", Decimal("150.01"), "150.01")],
              "元", report)
    assert [(p.code, p.message.split("，")[0]) for p in report.problems] == [
        ("prose.literal", "文字中直接写了金额 “4,554,150.00元”"),
        ("prose.literal-differs", "文字中的 “150.00元” 与计算出的数相近却不相等（{{ x }} = 150.01）")]


def test_a_project_target_quoting_its_own_standard_is_not_taken_for_a_scope_figure():
    """899/2024's 执法检查 project: "每期3万元" is its standard (3 万元 a period), which happens to equal the
    unit's 年终结转结余; the warning told the clerk to write {{ 年终结转结余 }} instead."""
    from generator.document.prose import AuthoredText, Figure, lint_text
    figures = [Figure("年终结转结余", Decimal("3.00"), "3.00")]
    where = Where(Location("u.yaml", 93), False)
    quoted = Report()
    lint_text(AuthoredText("开展执法检查12期，每期3万元。", where, None, ((Decimal("3"), "万元"),)), figures, "万元", quoted)
    assert quoted.problems == []
    other = Report()  # the same text of a project whose standard is another figure: the warning stands
    lint_text(AuthoredText("开展执法检查12期，每期3万元。", where, None, ((Decimal("2.5"), "万元"),)), figures, "万元", other)
    assert [p.code for p in other.problems] == ["prose.literal"]
    pub, _ = build(PROJECT_ROOT / "data", "899", 2024)
    assert [p for p in check(pub).problems if p.code.startswith("prose.")] == []


def test_generate_all_checks_the_prose_of_each_department(tree):
    from generator.cli.batch import run_one
    tree.replace(DEPT, REASON, "    basic: 人员变化，增加{{ 基本之出 }}万元\n")
    outcome = run_one(str(tree.root), "304", 2023, None, True)
    assert outcome.ok is False and "prose.unknown-name" in outcome.detail
