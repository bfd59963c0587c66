"""budgetpub verify: every generated document adds up; broken documents are caught.

The broken documents are made here by editing the text of a generated
document's word/document.xml (never by the code under test), so they stand for
a document edited by hand after generation, or made by hand in the same layout.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from generator import DATA_ROOT, build
from generator.cli import budgetpub
from generator.formats import output
from generator.document.render import render_bytes
from generator.formats.output import write_publication
from generator.verify import GeneratedDocumentDisagrees, Layout, verify_bytes

DEPARTMENTS = sorted((p.parent.name, p.name) for p in DATA_ROOT.glob("*/*") if (p / "department.yaml").exists())


def rendered(dept: str, year: str) -> bytes:
    publication, _ = build(DATA_ROOT, dept, year)
    return render_bytes(publication)


@pytest.fixture(scope="module")
def docx304() -> bytes:
    return rendered("304", "2023")


@pytest.fixture(scope="module")
def docx899() -> bytes:
    return rendered("899", "2024")


def edit(docx: bytes, anchors: list[str], old: str, new: str) -> bytes:
    """Replace the first ``old`` after each anchor in turn (document order, after the table of
    contents) in word/document.xml."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                xml = data.decode("utf-8")
                # after the table of contents (its entries repeat the headings)
                last = max(xml.rfind('<w:pStyle w:val="toc'), xml.rfind('<w:pStyle w:val="TOC'))
                pos = xml.index("</w:p>", last) if last >= 0 else 0
                for anchor in anchors:
                    pos = xml.index(anchor, pos) + len(anchor)
                at = xml.index(old, pos)
                xml = xml[:at] + new + xml[at + len(old):]
                data = xml.encode("utf-8")
            dst.writestr(info, data)
    return out.getvalue()


def test_every_data_department_is_verified():  # the parametrized test below runs on each of these
    assert {("304", "2023"), ("897", "2024"), ("898", "2024"), ("899", "2024")} <= set(DEPARTMENTS)


@pytest.mark.parametrize("dept,year", DEPARTMENTS)
def test_every_data_department_passes_verify(dept, year):
    from generator.verify.layout import without
    publication, _ = build(DATA_ROOT, dept, year)
    # a department whose region leaves sections out (895: no 三公) is read with that region's layout
    result = verify_bytes(rendered(dept, year), without(publication.department.omit))
    assert result.errors == [] and result.ok
    # the only warnings: ASCII commas and full stops 304's authors copied from the seed's texts
    assert {d.code for d in result.warnings} <= ({"wording.punctuation"} if dept == "304" else set())
    assert result.checks > 200  # it really looked: trees, totals, cross-table, narrative (897: one small unit)


def test_scopes_are_the_department_then_its_units(docx899):
    assert verify_bytes(docx899).scopes == ["示例市示例区文化和旅游局", "示例市示例区文化和旅游局本级",
                                            "示例市示例区文化馆", "示例市示例区旅游服务中心"]


def test_the_seeds_347_37_in_the_expenditure_sentence_is_caught(docx304):
    broken = edit(docx304, ["2、支出说明"], "人员经费347.36万元", "人员经费347.37万元")
    result = verify_bytes(broken)
    narrative = [d for d in result.disagreements if d.code == "narrative"]
    assert len(narrative) == 2  # the stated 人员经费 against T6, and 基本支出 = 人员经费 + 日常公用经费
    d = narrative[0]
    assert d.scope == "保定市莲池区工业和信息化局"
    assert d.where.startswith("二、部门预算安排的总体情况 “基本支出373.37万元，其中：人员经费347.37万元")
    assert d.values == [("文字", "347.37"), ("部门预算一般公共预算财政拨款基本支出表 合计行“人员经费”列", "347.36")]
    assert narrative[1].values == [("基本支出", "373.37"), ("人员经费 + 日常公用经费", "373.38")]
    assert {d.code for d in result.errors} == {"narrative"}


def test_the_seeds_layout_of_the_sentence_is_read_too(docx304):
    # the seed writes "基本支出 373.37万元" and "其中：人员经费347.37万元" as separate lines
    broken = edit(docx304, ["2、支出说明"], "基本支出373.37万元，其中：人员经费347.36万元，",
                  "基本支出 373.37万元</w:t></w:r></w:p><w:p><w:r><w:t>其中：人员经费347.37万元</w:t></w:r></w:p>"
                  "<w:p><w:r><w:t xml:space=\"preserve\">")
    found = [(d.code, d.values) for d in verify_bytes(broken).errors]
    assert found == [("narrative", [("文字", "347.37"),
                                    ("部门预算一般公共预算财政拨款基本支出表 合计行“人员经费”列", "347.36")])]


def test_a_total_off_by_one_cent_is_caught(docx304):
    broken = edit(docx304, ["部门预算支出总表", ">合计<"], ">812.32<", ">812.33<")
    result = verify_bytes(broken)
    by_code = {}
    for d in result.disagreements:
        by_code.setdefault(d.code, []).append(d)
    total = by_code["table.total"]
    assert [(d.where, d.values) for d in total] == [
        ("部门预算支出总表 第1行（合计）“合计”列", [("合计行", "812.33"), ("各类之和", "812.32")])]
    assert by_code["table.row"][0].values == [("合计", "812.33"), ("基本支出+项目支出+经营支出+上解上级支出+对附属单位补助支出", "812.32")]
    assert {"cross", "units"} <= set(by_code)  # T1 against T3, and the department against its one unit
    assert all(d.scope == "保定市莲池区工业和信息化局" for d in result.disagreements)


def test_a_units_table_that_does_not_add_into_the_departments_is_caught(docx899):
    # 旅游服务中心's 三公 table: 公务接待费 1.70 becomes 1.80 in its 合计 column
    anchors = ["三、示例市示例区旅游服务中心收支预算", "单位预算财政拨款“三公”经费支出表", "三、公务接待费"]
    broken = edit(docx899, anchors, ">1.70<", ">1.80<")
    units = [d for d in verify_bytes(broken).disagreements if d.code == "units"]
    assert [(d.scope, d.where, d.values) for d in units] == [
        ("示例市示例区文化和旅游局", "部门预算财政拨款“三公”经费支出表 行（三、公务接待费）“合计”列",
         [("部门", "4.50"), ("各单位之和（示例市示例区文化和旅游局本级、示例市示例区文化馆、示例市示例区旅游服务中心）", "4.60")]),
    ]


def test_a_broken_tree_names_the_row_and_its_children(docx899):
    # 部门 T3: 20701 文化和旅游 合计 554.40 → 555.40 (its 项 still add up to 554.40)
    broken = edit(docx899, ["部门预算支出总表", ">20701<"], ">554.40<", ">555.40<")
    tree = [d for d in verify_bytes(broken).disagreements if d.code == "table.tree" and "20701 " in d.where]
    assert tree[0].where == "部门预算支出总表 第3行（20701 文化和旅游）“合计”列"
    assert tree[0].what.startswith("上级科目应等于下级科目之和（2070101、2070109")
    assert tree[0].values == [("本行", "555.40"), ("下级之和", "554.40")]


def test_carry_over_rule_between_t1_and_t2(docx899):
    # T1 shows 上年结转结余 30.00 and 年终结转结余 14.00; T2 shows the 16.00 spent from it
    broken = edit(docx899, ["部门预算收支总表", "上年结转结余"], ">30.00<", ">31.00<")
    found = [d for d in verify_bytes(broken).disagreements if "规则" in d.what]
    assert [d.values for d in found] == [[("部门预算收入总表", "16.00"),
                                          ("部门预算收支总表 上年结转结余 − 年终结转结余", "17.00")]]


def test_cli_exit_codes_and_json(tmp_path, docx304, capsys):
    good, bad, junk = tmp_path / "good.docx", tmp_path / "bad.docx", tmp_path / "junk.docx"
    good.write_bytes(docx304)
    bad.write_bytes(edit(docx304, ["2、支出说明"], "人员经费347.36万元", "人员经费347.37万元"))
    junk.write_bytes(b"not a zip file")
    assert verify_main([str(good)]) == 0
    assert "核对通过" in capsys.readouterr().out
    assert verify_main([str(bad)]) == 1
    out = capsys.readouterr().out
    assert "文字中的人员经费与表不一致（文字：347.37；部门预算一般公共预算财政拨款基本支出表 合计行“人员经费”列：347.36）" in out
    assert verify_main([str(bad), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["disagreements"][0]["values"][0] == {"what": "文字", "value": "347.37"}
    assert verify_main([str(junk)]) == 2
    assert "无法作为 Word 文件" in capsys.readouterr().err
    assert verify_main([str(tmp_path / "missing.docx")]) == 2
    assert budgetpub(["verify", str(bad)]) == 1  # the verb in generator/cli/main.py
    capsys.readouterr()
    assert budgetpub(["verify", str(good), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True


def test_a_document_cut_off_after_its_tables_is_unreadable_not_half_checked(tmp_path, docx304, capsys):
    # the body is read as a stream (memory flat at any size): every table of 304 is read before the
    # cut is found, and still nothing is reported as checked
    with zipfile.ZipFile(io.BytesIO(docx304)) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    xml = parts["word/document.xml"]
    parts["word/document.xml"] = xml[:xml.rindex(b"</w:tbl>") + len(b"</w:tbl>") + 20]
    cut = tmp_path / "cut.docx"
    with zipfile.ZipFile(cut, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    assert verify_main([str(cut)]) == 2
    err = capsys.readouterr().err
    assert "无法作为 Word 文件（.docx）读取" in err and "核对通过" not in err


def test_a_docx_without_budget_tables_cannot_be_verified(tmp_path, capsys):
    import docx
    path = tmp_path / "letter.docx"
    document = docx.Document()
    document.add_paragraph("致各单位：请于月底前报送预算。")
    document.save(str(path))
    assert verify_main([str(path)]) == 2
    assert "没有找到部门预算公开的表格" in capsys.readouterr().err


def test_generation_refuses_to_write_a_document_that_does_not_add_up(tmp_path, monkeypatch, docx304):
    publication, _ = build(DATA_ROOT, "304", 2023)
    broken = edit(docx304, ["部门预算支出总表", ">合计<"], ">812.32<", ">812.33<")
    monkeypatch.setattr(output, "render_bytes", lambda pub, template=None: broken)  # as if the renderer had a bug
    out = tmp_path / "out.docx"
    with pytest.raises(GeneratedDocumentDisagrees) as info:
        write_publication(publication, out)
    assert info.value.exit_code == 3
    assert "这是 budgetpub 的缺陷" in str(info.value) and "812.33" in str(info.value)
    assert not out.exists()
    assert list(Path(tmp_path).iterdir()) == []


def hand_made(personnel_in_text: str, toc: bool = False) -> bytes:
    """A document typed by hand in Word's default styles (no budgetpub template), in the seed's layout:
    two tables and the seed's 支出说明, one figure per line."""
    import docx
    document = docx.Document()
    if toc:  # a table of contents typed as plain text: 第二部分 comes before any table
        for text in ("目录", "第一部分 部门预算", "示例局收支预算", "第二部分 部门所属单位预算", "一、示例局本级收支预算"):
            document.add_paragraph(text)
    for text in ("第一部分 部门预算", "示例局收支预算", "部门预算支出总表"):
        document.add_paragraph(text)
    t3 = [["序号", "科目编码", "科目名称", "合计", "基本支出", "项目支出", "经营支出", "上解上级支出", "对附属单位补助支出"],
          ["栏次", "1", "2", "3", "4", "5", "6", "7", "8"],
          ["1", "", "合计", "812.32", "373.37", "438.95", "", "", ""],
          ["2", "208", "社会保障和就业支出", "812.32", "373.37", "438.95", "", "", ""],
          ["3", "20805", "行政事业单位养老支出", "812.32", "373.37", "438.95", "", "", ""],
          ["4", "2080501", "行政单位离退休", "812.32", "373.37", "438.95", "", "", ""]]
    t6 = [["序号", "科目编码", "科目名称", "合计", "人员经费", "公用经费"],
          ["1", "", "合计", "373.37", "347.36", "26.01"],
          ["2", "301", "工资福利支出", "347.36", "347.36", ""],
          ["3", "30101", "基本工资", "347.36", "347.36", ""],
          ["4", "302", "商品和服务支出", "26.01", "", "26.01"],
          ["5", "30201", "办公费", "26.01", "", "26.01"]]
    for title, rows in (("部门预算支出总表", t3), ("部门预算一般公共预算财政拨款基本支出表", t6)):
        if title != "部门预算支出总表":
            document.add_paragraph(title)
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
    for text in ("示例局2023年部门预算信息公开情况说明", "二、部门预算安排的总体情况", "2、支出说明",
                 "2023年部门支出预算：812.32万元，", "基本支出 373.37万元", f"其中：人员经费{personnel_in_text}万元",
                 "日常公用经费26.01万元", "项目支出438.95万元"):
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# the fragment hand_made() types holds two tables and one section: the region's layout asks no more of it
FRAGMENT = Layout(tables=("T3", "T6"), sections=(), explanation=True)


def test_a_hand_made_document_with_the_seeds_347_37_is_caught():
    good = verify_bytes(hand_made("347.36"), FRAGMENT)
    assert good.disagreements == [] and good.checks > 30
    bad = verify_bytes(hand_made("347.37"), FRAGMENT)
    assert [(d.code, d.scope, d.where, d.values) for d in bad.disagreements] == [
        ("narrative", "示例局", "二、部门预算安排的总体情况 “其中：人员经费347.37万元”",
         [("文字", "347.37"), ("部门预算一般公共预算财政拨款基本支出表 合计行“人员经费”列", "347.36")])]


def test_a_typed_table_of_contents_does_not_make_the_department_a_unit():
    from generator.verify import read_document
    scopes = read_document(hand_made("347.36", toc=True)).scopes
    assert [(s.name, s.is_unit, sorted(s.tables)) for s in scopes] == [("示例局", False, ["T3", "T6"])]


NARRATIVE_SLIPS = [  # (anchors, old, new, the disagreement expected)
    (["二、部门预算安排的总体情况"], "预算收入为812.09", "预算收入为812.10", "文字中的预算收入与表不一致"),
    (["二、部门预算安排的总体情况"], "支出预算798.09", "支出预算798.19", "文字中的支出预算与表不一致"),
    (["二、部门预算安排的总体情况"], "基本支出572.59", "基本支出572.58", "文字中的基本支出与表不一致"),
    (["二、部门预算安排的总体情况"], "人员经费496.69", "人员经费496.70", "基本支出应等于人员经费 + 日常公用经费"),
    (["二、部门预算安排的总体情况"], "日常公用经费75.90", "日常公用经费75.09", "基本支出应等于人员经费 + 日常公用经费"),
    (["二、部门预算安排的总体情况"], "项目支出198.00", "项目支出198.01", "文字中的项目支出与表不一致"),
    (["二、部门预算安排的总体情况"], "较上年预算增加81.89", "较上年预算增加81.98", "比上年增减：总的增减应等于各部分增减之和"),
    (["三、机关运行经费安排情况"], "共计36.90", "共计36.91", "文字中的机关运行经费与表不一致"),
    (["三、机关运行经费安排情况"], "办公费6.80", "办公费6.90", "所列各项之和应等于总数"),
    (["四、财政拨款“三公”经费预算情况"], "预算安排27.30", "预算安排27.03", "文字中的“三公”经费与表不一致"),
    (["四、财政拨款“三公”经费预算情况"], "比上年增加15.40", "比上年增加15.50", "合计比上年的增减与比较表不一致"),
    (["六、政府采购预算情况"], "政府采购预算43.70", "政府采购预算43.07", "文字中的政府采购预算与表不一致"),
    (["七、国有资产信息"], "固定资产金额为1833.95", "固定资产金额为1833.59", "文字中的上年末固定资产金额与表不一致"),
]


@pytest.mark.parametrize("anchors,old,new,what", NARRATIVE_SLIPS, ids=[s[3] + s[2] for s in NARRATIVE_SLIPS])
def test_each_narrative_figure_is_checked(docx899, anchors, old, new, what):
    found = [d for d in verify_bytes(edit(docx899, anchors, old, new)).disagreements]
    assert found and all(d.code == "narrative" and d.scope == "示例市示例区文化和旅游局" for d in found)
    assert what in [d.what for d in found]


def test_personnel_plus_public_is_the_total_in_t6(docx899):
    # the 人员经费 cell of T6's 合计 row (548.59 = 488.69 + 59.90), one cent off
    broken = edit(docx899, ["部门预算一般公共预算财政拨款基本支出表", ">合计<", ">548.59<"], ">488.69<", ">488.70<")
    rows = [(d.where, d.what, d.values) for d in verify_bytes(broken).disagreements if d.code == "table.row"]
    assert rows == [("部门预算一般公共预算财政拨款基本支出表 第1行（合计）", "合计应等于人员经费+公用经费",
                     [("合计", "548.59"), ("人员经费+公用经费", "548.60")])]


def test_t9_parts_add_up(docx899):
    broken = edit(docx899, ["部门预算财政拨款“三公”经费支出表", "二、公务用车购置及运维费"], ">22.80<", ">22.90<")
    whats = {d.what for d in verify_bytes(broken).disagreements if d.code == "table.total"}
    assert "应等于公务用车购置费 + 公务用车运行维护费" in whats
    assert any(w.startswith("合计应等于") for w in whats)


def test_t5_is_the_general_budget_column_of_t4(docx899):
    broken = edit(docx899, ["部门预算财政拨款收支总表", "七、文化旅游体育与传媒支出", ">539.90<"], ">494.90<", ">494.80<")
    cross = [d for d in verify_bytes(broken).disagreements if d.code == "cross"]
    assert ("部门预算一般公共预算财政拨款支出表 文化旅游体育与传媒支出", [("部门预算一般公共预算财政拨款支出表", "494.90"),
            ("部门预算财政拨款收支总表", "494.80")]) in [(d.where, d.values) for d in cross]


def test_t1_totals_are_t3s(docx899):
    broken = edit(docx899, ["部门预算收支总表", "七、文化旅游体育与传媒支出"], ">599.40<", ">599.41<")
    cross = [(d.where, d.values) for d in verify_bytes(broken).disagreements if d.code == "cross"]
    assert ("部门预算收支总表 第7行（七、文化旅游体育与传媒支出）",
            [("部门预算收支总表", "599.41"), ("部门预算支出总表", "599.40")]) in cross


def test_a_cell_that_is_not_an_amount_is_named_once(docx899):
    broken = edit(docx899, ["部门预算支出总表", ">20701<"], ">554.40<", ">554,4O<")  # a letter O for a zero
    cells = [(d.where, d.values) for d in verify_bytes(broken).disagreements if d.code == "table.cell"]
    assert cells == [("部门预算支出总表 第3行（20701 文化和旅游）", [("单元格内容", "554,4O")])]


def test_thousands_separators_and_dashes_are_read_as_a_reader_would():
    from generator.verify import amount
    assert [amount(t) for t in ("1,833.95", "—", "-", "", "12", "1.2.3", "三")] == [
        Decimal("1833.95"), 0, 0, 0, Decimal("12"), None, None]


def test_the_guide_shows_what_verify_prints_for_its_broken_document(docx304, tmp_path, capsys):
    # the document docs/verify.md describes: the seed's 347.37, and 438.96 in T5's 合计 row
    broken = edit(docx304, ["2、支出说明"], "人员经费347.36万元", "人员经费347.37万元")
    broken = edit(broken, ["部门预算一般公共预算财政拨款支出表", ">合计<"], ">438.95<", ">438.96<")
    (tmp_path / "broken.docx").write_bytes(broken)
    assert verify_main([str(tmp_path / "broken.docx")]) == 1
    printed = capsys.readouterr().out.splitlines()
    guide = (Path(__file__).resolve().parent.parent / "docs" / "verify.md").read_text(encoding="utf-8")
    shown = guide.split("$ budgetpub verify broken.docx\n", 1)[1].split("$ echo $?", 1)[0]
    def count_free(lines):  # the number of checks may change with the layout; the findings may not
        return [re.sub(r"共核对 [0-9]+ 处", "共核对 N 处", line) for line in lines]
    assert count_free(shown.splitlines()) == count_free(printed)


def test_text_in_wan_is_compared_with_tables_in_yuan_rounded_once():
    # 898 publishes its tables in 元 and its text in 万元: 收入总计 4,554,150.00 元 is 455.42 万元
    docx898 = rendered("898", "2024")
    assert verify_bytes(docx898).disagreements == []
    broken = edit(docx898, ["二、部门预算安排的总体情况"], "预算收入为455.42", "预算收入为455.41")
    assert [(d.what, d.values) for d in verify_bytes(broken).disagreements] == [
        ("文字中的预算收入与表不一致", [("文字", "455.41"), ("部门预算收支总表 收入总计", "455.42")])]


def test_a_units_table_in_yuan_that_does_not_add_into_the_departments_is_caught():
    docx898 = rendered("898", "2024")
    broken = edit(docx898, ["二、示例市示例区示例街道社区服务中心收支预算", "单位预算收支总表", "本年收入合计"],
                  ">87,350.00<", ">87,350.01<")
    units = [(d.where, d.values) for d in verify_bytes(broken).disagreements if d.code == "units"]
    assert units == [("部门预算收支总表 行（本年收入合计）“预算数”列",
                      [("部门", "4519150.00"), ("各单位之和（示例市示例区示例街道办事处本级、示例市示例区示例街道社区服务中心）",
                                              "4519150.01")])]


def test_publishing_refuses_to_write_any_format_when_the_document_does_not_add_up(tmp_path, monkeypatch, docx304):
    from generator.formats import publish as publishing
    publication, _ = build(DATA_ROOT, "304", 2023)
    broken = edit(docx304, ["部门预算支出总表", ">合计<"], ">812.32<", ">812.33<")
    monkeypatch.setattr(publishing, "finish", lambda *args, **kwargs: broken)  # as if the packaging had a bug
    with pytest.raises(GeneratedDocumentDisagrees):
        publishing.publish(publication, ["xlsx"], tmp_path / "out.xlsx")  # Excel alone: no LibreOffice needed
    assert list(tmp_path.iterdir()) == []


def test_project_names_ending_in_digits_are_read_apart_from_their_amounts(tmp_path):
    # synthetic units name their projects 文化市场执法检查800001 …: "…800001" then "36.00万元"
    import synth

    from generator import build, verify
    from generator.document.render import finish, render_parts
    synth.make_department(tmp_path, "800", 2030, units=2)
    publication, _ = build(tmp_path, "800", 2030)
    result = verify.verify_bytes(finish(render_parts(publication), publication, 0))
    assert result.ok, result.format()
    assert result.checks > 1000


def verify_main(argv: list[str]) -> int:
    """``budgetpub verify ARGS`` as the command line runs it."""
    return budgetpub(["verify", *argv])


def test_the_summary_names_a_few_parts_of_a_large_department():
    """201 parts (a department and 200 units) are not 201 names on one line: the first five and the count."""
    from generator.verify import Result
    names = ["示例局"] + [f"示例第{i}中心" for i in range(1, 201)]
    line = Result(names, 1000, []).format().splitlines()[-1]
    assert line == ("核对通过：示例局、示例第1中心、示例第2中心、示例第3中心、示例第4中心……（部门及所属单位共 201 个部分），"
                    "共核对 1000 处，表与表、表与文字均一致。")
    three = Result(names[:3], 10, []).format()
    assert three == "核对通过：示例局、示例第1中心、示例第2中心，共核对 10 处，表与表、表与文字均一致。"
