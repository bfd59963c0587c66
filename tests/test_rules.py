"""The structure that keeps each term, table shape and rule in one place.

- the guide's list of rules is the registry's;
- every registered rule has a test that triggers it;
- the budget terms appear in at most two files (the vocabulary and the template's wording);
- the table catalogue draws the headers the publication has always had;
- a restyle of templates/reference.docx survives the next template build.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
from docx.shared import Mm, Pt

from generator import DATA_ROOT, build
from generator.document.render import render_bytes
from generator.figures import tables
from generator.sources import rules

ROOT = Path(__file__).resolve().parent.parent


def test_the_guide_lists_exactly_the_registered_rules():
    text = (ROOT / "docs" / "reference" / "rules.md").read_text(encoding="utf-8")
    table = [line for line in text.splitlines() if line.startswith("| `")]
    assert len(table) == len(rules.REGISTRY) >= 30
    assert rules.rules_markdown() in text, "docs/reference/rules.md is out of date: python docs/generate.py"


def test_every_registered_rule_is_triggered_by_a_test():
    # a validation test names the code it expects: error("code", …), warning("code", …) or ("code", "file:line")
    source = (ROOT / "tests" / "test_validate.py").read_text(encoding="utf-8")
    triggered = set(re.findall(r'(?:error|warning)\(\s*"([a-z.-]+)"', source))
    triggered |= set(re.findall(r'\(\s*"([a-z-]+\.[a-z.-]+)",\s*"data/', source))
    assert len(rules.REGISTRY) >= 30
    assert sorted(set(rules.REGISTRY) - triggered) == []


def test_each_term_is_written_in_at_most_two_files():
    files = [*(ROOT / "generator").rglob("*.py"), *(ROOT / "schemas").glob("*.yaml")]
    assert len(files) > 10
    for term in ("因公出国", "公务接待", "政府性基金预算拨款", "事业收入", "财政专户管理资金", "对附属单位补助", "办公用房"):
        # the template builder (template_builder.py, its blocks and widths.py, where the header words may
        # break) is one holder: the template's wording
        holding = sorted({re.sub(r"(template_\w+|widths)\.py$", "template_*.py", f.relative_to(ROOT).as_posix())
                          for f in files if term in f.read_text(encoding="utf-8")})
        assert "generator/figures/vocabulary.py" in holding and len(holding) <= 2, (term, holding)


def test_catalogue_draws_the_headers_of_the_income_table():
    # T2 收入总表 as the published layout has it (written out by hand here)
    assert tables.T2.header_cells() == [
        (0, 0, 1, 0, "序号"), (0, 1, 0, 2, "功能分类科目"), (0, 3, 1, 3, "合计"), (0, 4, 0, 11, "本年收入"),
        (0, 12, 1, 12, "{{ s.carry_header }}"), (1, 1, 1, 1, "科目编码"), (1, 2, 1, 2, "科目名称"), (1, 4, 1, 4, "小计"),
        (1, 5, 1, 5, "财政拨款收入"), (1, 6, 1, 6, "财政专户收入"), (1, 7, 1, 7, "事业收入"), (1, 8, 1, 8, "经营收入"),
        (1, 9, 1, 9, "上级补助收入"), (1, 10, 1, 10, "附属单位上缴收入"), (1, 11, 1, 11, "其他收入"),
        (2, 0, 2, 0, "栏次"), *[(2, i, 2, i, str(i)) for i in range(1, 13)]]
    assert tables.T2.widths == [1.2, 1.8, 5.0, 1.9, 1.9, 1.9, 1.7, 1.6, 1.6, 1.7, 1.7, 1.6, 1.7]


def test_catalogue_row_fills_by_key_and_rejects_an_unknown_column():
    row = tables.T9.row(item="合计", total=1)
    assert row[tables.T9.index("item")] == "合计" and row[tables.T9.index("total")] == 1
    assert len(row) == len(tables.T9.columns) == 5
    try:
        tables.T9.row(nonsense=1)
    except KeyError as exc:
        assert "nonsense" in str(exc)
    else:
        raise AssertionError("an unknown column key was accepted")


def _builder():
    from generator.document import template_builder
    return template_builder


def test_a_restyle_of_the_reference_survives_the_next_build(tmp_path):
    # a finance office restyles reference.docx in Word: body text 12 pt, table text in 楷体, wider margins
    reference = docx.Document(str(ROOT / "templates" / "reference.docx"))
    reference.styles["Normal"].font.size = Pt(12)
    reference.styles["表格文字"].font.name = "楷体"
    reference.sections[-1].left_margin = Mm(30)
    reference.sections[0].top_margin = Mm(12)
    restyled = tmp_path / "reference.docx"
    reference.save(str(restyled))

    template = tmp_path / "publication.docx"
    _builder().build(template, restyled)
    publication, _ = build(DATA_ROOT, "304", 2023)
    out = tmp_path / "304.docx"
    out.write_bytes(render_bytes(publication, template))

    rendered = docx.Document(str(out))
    assert rendered.styles["Normal"].font.size == Pt(12)
    assert rendered.styles["表格文字"].font.name == "楷体"
    portrait = [s for s in rendered.sections if s.page_width < s.page_height]
    landscape = [s for s in rendered.sections if s.page_width > s.page_height]
    assert portrait and landscape
    assert {round(s.left_margin.mm) for s in portrait} == {30}  # Word stores twips
    assert {round(s.top_margin.mm) for s in landscape} == {12}
    # and the figures are still there
    with zipfile.ZipFile(out) as z:
        assert "812.32" in z.read("word/document.xml").decode()
