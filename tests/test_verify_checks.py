"""budgetpub verify beyond the arithmetic, on Word files: the registered checks, defects planted in a
generated publication (tests/planted.py), the hand-typed rebuilds of the seed (tests/handtyped.py),
what the reader makes of hand-made layouts, and the region's run with its reports.

The PDF side of the same (the examples, the planted defects, the rebuilds converted by LibreOffice)
is tests/test_verify_pdf.py.
"""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal

import pytest

import handtyped
import planted
from generator import DATA_ROOT, build
from generator.cli import budgetpub
from generator.document.render import render_bytes
from generator.verify import CHECKS, Layout, check_generated, read_document, verify_bytes


@pytest.fixture(scope="module")
def docx899() -> bytes:
    publication, _ = build(DATA_ROOT, "899", 2024)
    return render_bytes(publication)


@pytest.fixture(scope="module")
def docx898() -> bytes:
    publication, _ = build(DATA_ROOT, "898", 2024)
    return render_bytes(publication)


# ------------------------------------------------------------------ planted defects

@pytest.mark.parametrize("name", list(planted.DEFECTS))
def test_each_planted_defect_is_reported_with_its_section(docx899, name):
    edit, expected = planted.DEFECTS[name]
    result = verify_bytes(edit(docx899))
    found = planted.reported(result, expected)
    assert found, result.format()
    assert not result.ok  # each is an error: the publication does not pass
    assert all(d.code in CHECKS for d in result.disagreements)


def test_every_planted_defect_is_reported_in_one_document(docx899):
    result = verify_bytes(planted.plant(docx899))
    for name, (_, expected) in planted.DEFECTS.items():
        assert planted.reported(result, expected), name


def test_a_deleted_table_is_reported_though_the_other_parts_have_it(docx899):
    edit, expected = planted.DELETED
    result = verify_bytes(edit(docx899))
    found = planted.reported(result, expected)
    assert [d.what for d in found] == ["缺少“单位预算一般公共预算财政拨款支出表”"]
    # the department's copy and the other units' do not stand in for it
    assert not any(d.code == "structure.table" and d.scope != planted.CENTRE for d in result.disagreements)


def test_an_untouched_publication_has_no_finding(docx899):
    result = verify_bytes(docx899)
    assert result.disagreements == [] and result.checks > 3000


def test_the_898_department_table_of_part_of_its_basic_expenditure_carries_its_note(docx898):
    doc = read_document(docx898)
    t6 = doc.scopes[0].tables["T6"]
    assert t6.notes == ["注：示例市示例区示例街道办事处本级的基本支出未提供经济分类明细，未列入本表；"
                        "本表合计小于一般公共预算财政拨款支出表的基本支出。"]
    assert verify_bytes(docx898).disagreements == []
    # without its note (as generated before): reported
    broken = planted.edit(docx898, ["部门预算一般公共预算财政拨款基本支出表"], t6.notes[0], "")
    found = [(d.code, d.where, d.values) for d in verify_bytes(broken).disagreements]
    assert found == [("note.empty", "部门预算一般公共预算财政拨款基本支出表",
                      [("部门预算一般公共预算财政拨款基本支出表 合计", "17350.00"),
                       ("部门预算一般公共预算财政拨款支出表 基本支出", "4249150.00")])]


def test_generation_refuses_a_document_missing_a_table(docx899):
    from generator.verify import GeneratedDocumentDisagrees
    with pytest.raises(GeneratedDocumentDisagrees) as info:
        check_generated(planted.DELETED[0](docx899))
    assert "缺少“单位预算一般公共预算财政拨款支出表”" in str(info.value)
    # the authors' own words are theirs: XX in a text is reported by verify, not called a bug of budgetpub
    assert check_generated(planted.DEFECTS["XX in the text"][0](docx899)).disagreements == []


# ------------------------------------------------------------------ the hand-typed rebuilds of the seed

# what the seed says wrong, as the verifier reports it: (code, part, words of the place)
SEED_SLIPS = sorted([
    ("narrative", "保定市莲池区工业和信息化局", "人员经费"),   # 347.37 in the text, 347.36 in the table
    ("narrative", "保定市莲池区工业和信息化局本级", "人员经费"),
    ("structure.title", "保定市莲池区工业和信息化局", "政府基金"),  # 表7 titled 政府基金…
    ("structure.title", "保定市莲池区工业和信息化局本级", "政府基金"),
    ("structure.part", "保定市莲池区工业和信息化局本级", "部门预算财政拨款“三公”经费支出表"),  # the department's table
    ("wording.placeholder", "保定市莲池区工业和信息化局", "三、机关运行经费安排情况"),  # …7万元；元；…
    ("wording.placeholder", "保定市莲池区工业和信息化局本级", "三、机关运行经费安排情况"),
    ("wording.punctuation", "保定市莲池区工业和信息化局", "五、预算绩效信息"),  # 创新,提高 · 保障. · 复议.
    ("wording.punctuation", "保定市莲池区工业和信息化局", "五、预算绩效信息"),
    ("wording.punctuation", "保定市莲池区工业和信息化局", "五、预算绩效信息"),
    ("wording.scope", "保定市莲池区工业和信息化局本级", "二、单位预算安排的总体情况"),  # 部门预算收入 in the unit
    ("wording.scope", "保定市莲池区工业和信息化局本级", "三、机关运行经费安排情况"),  # 我部门
    ("wording.scope", "保定市莲池区工业和信息化局本级", "四、财政拨款“三公”经费预算情况及增减变化原因"),
])


def slips(result) -> list[tuple[str, str, str]]:
    out = []
    for d in result.disagreements:
        words = next((w for code, scope, w in SEED_SLIPS if code == d.code and scope == d.scope
                      and (w in d.where or w in d.what)), d.where)
        out.append((d.code, d.scope, words))
    return sorted(out)


@pytest.fixture(scope="module")
def rebuilds() -> dict:
    return {v: handtyped.build(v) for v in handtyped.VARIANTS}


@pytest.mark.parametrize("variant", handtyped.VARIANTS, ids=[v.name for v in handtyped.VARIANTS])
def test_a_hand_typed_rebuild_gets_the_seeds_slips_and_nothing_else(rebuilds, variant):
    result = verify_bytes(rebuilds[variant])
    assert slips(result) == SEED_SLIPS, result.format()
    personnel = [d for d in result.disagreements if d.code == "narrative"]
    stated = "3473700.00" if variant.yuan else "347.37"
    assert [d.values[0] for d in personnel] == [("文字", stated)] * 2  # the department's text and the unit's
    assert result.scopes == ["保定市莲池区工业和信息化局", "保定市莲池区工业和信息化局本级"]  # from the captions
    assert result.checks > 1800


@pytest.mark.parametrize("variant", handtyped.VARIANTS, ids=[v.name for v in handtyped.VARIANTS])
def test_a_hand_typed_rebuild_lists_every_table_read_and_none_skipped(rebuilds, variant):
    result = verify_bytes(rebuilds[variant])
    read = [(s.scope, s.kind) for s in result.seen if s.read]
    kinds = ["T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "三公比较", "政府采购", "固定资产"]
    assert sorted(read) == sorted((scope, k) for scope in result.scopes for k in kinds)
    assert [s for s in result.seen if not s.read or s.reason] == []
    listing = result.format(tables=True)
    assert "识别并核对的表格 24 张" in listing and "跳过的表格 0 张" in listing


def test_the_seeds_running_cost_items_are_read_however_they_are_joined(rebuilds):
    # 办公费2.16、邮电费1.80 公务移动通讯费用补贴5.00（no separator）…工会经费1.14和福利费1.46；其他…3.45 = 26.01
    from generator.verify.narrative import listed_items
    doc = read_document(rebuilds[handtyped.Variant()])
    text = next(line.text for line in doc.scopes[0].paragraphs if "机关运行费预算共计" in line.text)
    m, items = listed_items(text, r"机关运行经?费预算共计")
    assert [f"{v:f}" for _, v, _ in items] == ["2.16", "1.80", "5.00", "3.00", "8.00", "1.14", "1.46", "3.45"]
    assert sum(v for _, v, _ in items) == Decimal("26.01")
    m, projects = listed_items(text, r"项目支出")  # the stray "元；项目支出438.95万元" repeats the total
    assert [(n, f"{v:f}") for n, v, _ in projects] == [("综合业务专项经费", "7"), ("离休干部医保统筹", "308"),
                                                        ("职教幼教补助", "117.50"), ("困难职工慰问", "6"),
                                                        ("离休干部及建国前老工人两节慰问", "0.45")]


def _paragraphs(data: bytes):
    import docx
    return docx.Document(io.BytesIO(data)).paragraphs


def test_full_width_digits_are_read_as_the_figures_they_are():
    variant = handtyped.Variant(full_width=True, thousands=True, yuan=True)
    data = handtyped.build(variant, replace=[("", "其中：人员经费347.37", "其中：人员经费347.36")])
    assert any("人员经费３，４７３，６００．００元" in p.text for p in _paragraphs(data))  # typed full-width
    result = verify_bytes(data)
    # the department's text corrected (typed in full-width digits, as every figure): only the unit's 347.37 is left
    assert [d.scope for d in result.disagreements if d.code == "narrative"] == ["保定市莲池区工业和信息化局本级"]


@pytest.mark.parametrize("change,expected", [
    ({"replace": [("一、部门职责及机构设置情况", "部门职责：", "部门职责：XX")]},
     ("wording.placeholder", "保定市莲池区工业和信息化局", "一、部门职责及机构设置情况")),
    ({"replace": [("", "保定市莲池区工业和信息化局2023年部门预算信息公开情况说明",
                   "保定市莲池区工业和信息化局2022年部门预算信息公开情况说明")]},
     ("year", "保定市莲池区工业和信息化局", "2022年部门预算信息公开情况说明")),
    ({"omit": [("单位预算支出总表", 0)]}, ("structure.table", "保定市莲池区工业和信息化局本级", "收支预算")),
    ({"replace": [("部门预算国有资本经营预算财政拨款支出表", "注：无国有资本经营预算财政拨款预算，空表列示。", "")]},
     ("note.empty", "保定市莲池区工业和信息化局", "部门预算国有资本经营预算财政拨款支出表")),
    ({"replace": [("公务用车运行经费", "无增减变化", "比上年增加")]},
     ("direction", "保定市莲池区工业和信息化局", "公务用车运行经费")),
], ids=["XX", "year", "deleted table", "empty table without note", "direction"])
def test_defects_planted_in_a_hand_typed_document_are_reported(change, expected):
    result = verify_bytes(handtyped.build(handtyped.Variant(headings=False), **change))
    assert planted.reported(result, expected), result.format()


def test_a_column_the_header_does_not_have_is_never_compared():
    import docx
    document = docx.Document()
    for text in ("部门预算支出总表", "304某局    预算年度：2023    单位：万元"):
        document.add_paragraph(text)
    rows = [["序号", "科目编码", "科目名称", "合计", "基本支出", "项目支出"],  # no 经营支出… columns at all
            ["1", "", "合计", "10.00", "4.00", "6.00"], ["2", "208", "社会保障和就业支出", "10.00", "4.00", "6.00"],
            ["3", "20805", "行政事业单位养老支出", "10.00", "4.00", "6.00"]]
    table = document.add_table(rows=len(rows), cols=6)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.rows[r].cells[c].text = text
    out = io.BytesIO()
    document.save(out)
    result = verify_bytes(out.getvalue(), Layout(tables=("T3",), sections=(), explanation=False))
    assert result.disagreements == [] and result.checks >= 10
    assert [s.reason for s in result.seen] == ["缺少列：经营支出、上解上级支出、对附属单位补助支出，这些列不核对"]
    assert result.scopes == ["某局"]


# ------------------------------------------------------------------ the registry

def test_every_check_is_registered_with_a_severity_and_a_chinese_title():
    assert {"narrative", "structure.table", "structure.section", "note.empty", "year", "contents",
            "wording.placeholder", "direction", "performance"} <= set(CHECKS)
    assert all(c.severity in ("错误", "警告") and re.search(r"[\u4e00-\u9fff]", c.title) for c in CHECKS.values())


def test_a_cost_indicator_that_disagrees_with_its_project_is_reported(rebuilds):
    data = handtyped.build(handtyped.Variant(), replace=[("1、困难职工春节慰问绩效目标表", "≤6万元", "≤7万元")])
    found = [d for d in verify_bytes(data).disagreements if d.code.startswith("performance")]
    assert [(d.scope, d.where, d.values) for d in found] == [
        ("保定市莲池区工业和信息化局", "1、困难职工春节慰问绩效目标表",
         [("成本指标", "7万元"), ("项目支出（困难职工慰问）", "6万元")]),
        ("保定市莲池区工业和信息化局", "1、困难职工春节慰问绩效目标表",  # 300人 × 每人200元 in its target
         [("人数 × 标准", "60000元"), ("金额", "7万元")])]


# ------------------------------------------------------------------ the region's run

def test_a_folder_is_verified_in_one_report(tmp_path, docx899, capsys):
    region = tmp_path / "区"
    (region / "sub").mkdir(parents=True)
    (region / "good.docx").write_bytes(docx899)
    (region / "sub" / "bad.docx").write_bytes(planted.plant(docx899, ["a 合计 off"]))
    (region / "sub" / "~$good.docx").write_bytes(b"Word's lock file")  # left out
    (region / "junk.pdf").write_bytes(b"%PDF-1.4 not really")
    assert budgetpub(["verify", str(region), "--format", "json", "-j", "2"]) == 2  # junk.pdf is unreadable
    report = json.loads(capsys.readouterr().out)
    files = {f["path"].rsplit("/", 1)[-1]: f for f in report["files"]}
    assert set(files) == {"good.docx", "bad.docx", "junk.pdf"}
    assert files["good.docx"]["ok"] and not files["bad.docx"]["ok"] and "无法作为 PDF 读取" in files["junk.pdf"]["error"]
    (region / "junk.pdf").unlink()
    assert budgetpub(["verify", str(region)]) == 1
    out = capsys.readouterr().out
    assert "共 2 份：通过 1 份（其中有警告 0 份），有错误 1 份，无法读取 0 份。" in out
    assert budgetpub(["verify", str(region / "good.docx")]) == 0
    capsys.readouterr()


def test_the_html_report_has_a_row_per_department_and_escapes_what_documents_say(tmp_path, docx899, capsys):
    hostile = planted.edit(docx899, [], "示例市示例区文化馆收支预算", "&lt;script&gt;alert(1)&lt;/script&gt;收支预算")
    (tmp_path / "a.docx").write_bytes(docx899)
    (tmp_path / "b.docx").write_bytes(hostile)
    out = tmp_path / "report" / "index.html"
    out.parent.mkdir()
    assert budgetpub(["verify", str(tmp_path / "a.docx"), str(tmp_path / "b.docx"), "--format", "html", "-o", str(out)]) \
        in (0, 1)
    page = out.read_text(encoding="utf-8")
    assert page.count('<tr class="pass">') + page.count('<tr class="fail">') + page.count('<tr class="warn">') == 4
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert 'href="../a.docx"' in page  # links relative to the report
    assert "已写入" in capsys.readouterr().err


def test_cli_refuses_an_unknown_check_and_a_bad_layout(tmp_path, docx899, capsys):
    (tmp_path / "a.docx").write_bytes(docx899)
    assert budgetpub(["verify", str(tmp_path / "a.docx"), "--ignore", "no.such"]) == 2
    assert "no.such" in capsys.readouterr().err
    (tmp_path / "layout.yaml").write_text("tables: [T1, T99]\n", encoding="utf-8")
    assert budgetpub(["verify", str(tmp_path / "a.docx"), "--layout", str(tmp_path / "layout.yaml")]) == 2
    assert "tables" in capsys.readouterr().err
    assert budgetpub(["verify", str(tmp_path / "nothing-here")]) == 2
    assert "找不到文件" in capsys.readouterr().err + capsys.readouterr().out


def test_a_regions_layout_asks_for_its_own_tables(tmp_path, docx899, capsys):
    broken = planted.DELETED[0](docx899)
    (tmp_path / "a.docx").write_bytes(broken)
    assert budgetpub(["verify", str(tmp_path / "a.docx")]) == 1
    capsys.readouterr()
    (tmp_path / "layout.yaml").write_text("tables: [T1, T2, T3, T4, T6, T7, T8, T9]\n", encoding="utf-8")
    assert budgetpub(["verify", str(tmp_path / "a.docx"), "--layout", str(tmp_path / "layout.yaml")]) == 0
    assert budgetpub(["verify", str(tmp_path / "a.docx"), "--ignore", "structure"]) == 0
    capsys.readouterr()


def test_warnings_fail_only_a_strict_run(tmp_path, capsys):
    data = handtyped.build(handtyped.Variant(), replace=[
        ("其中：人员经费", "347.37", "347.36"), ("第二部分", "其中：人员经费347.37", "其中：人员经费347.36"),
        ("", "部门预算政府基金", "部门预算政府性基金"), ("第二部分", "单位预算政府基金", "单位预算政府性基金"),
        ("第二部分", "部门预算财政拨款“三公”", "单位预算财政拨款“三公”"),
        ("第二部分", "     304保定市莲池区工业和信息化局 ", "     304001保定市莲池区工业和信息化局本级 "),
        ("", "7万元；元；", "7万元；"), ("第二部分", "7万元；元；", "7万元；")])
    (tmp_path / "a.docx").write_bytes(data)
    assert budgetpub(["verify", str(tmp_path / "a.docx")]) == 0
    out = capsys.readouterr().out
    assert "核对通过，有" in out and "错误[" not in out
    assert budgetpub(["verify", str(tmp_path / "a.docx"), "--strict"]) == 1
    capsys.readouterr()
