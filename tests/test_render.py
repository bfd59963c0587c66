"""The generated Word file, read back with python-docx, shows the seed's figures."""

from __future__ import annotations

import hashlib
import re
import zipfile
from decimal import Decimal

import docxread
import pytest
import seedtext

from generator import DATA_ROOT, build
from generator.cli import main
from generator.document.render import render_bytes
from generator.formats.output import write_publication

TABLES = ["预算收支总表", "预算收入总表", "预算支出总表", "预算财政拨款收支总表", "预算一般公共预算财政拨款支出表",
          "预算一般公共预算财政拨款基本支出表", "预算财政拨款“三公”经费支出表"]


@pytest.fixture(scope="module")
def doc304(tmp_path_factory):
    publication, _ = build(DATA_ROOT, "304", 2023)
    path = write_publication(publication, tmp_path_factory.mktemp("out") / "304.docx")
    return docxread.read(path)


@pytest.fixture(scope="module")
def doc899(tmp_path_factory):
    publication, _ = build(DATA_ROOT, "899", 2024)
    path = write_publication(publication, tmp_path_factory.mktemp("out") / "899.docx")
    return docxread.read(path), publication


@pytest.mark.parametrize("title", TABLES)
def test_department_tables_match_seed_cell_by_cell(doc304, title):
    assert doc304.body("部门" + title) == seedtext.table("部门" + title)


@pytest.mark.parametrize("title", TABLES)
def test_unit_tables_match_seed_cell_by_cell(doc304, title):
    # The seed's unit 三公 table carries the department's title; ours says 单位 like every other unit table.
    seed_title = ("部门" if "三公" in title else "单位") + title
    assert doc304.body("单位" + title) == seedtext.table(seed_title, part="unit")


def test_unit_tables_are_titled_and_captioned_as_the_unit(doc304):
    titles = [t for t, _ in doc304.tables]
    assert titles.count("单位预算财政拨款“三公”经费支出表") == 1
    assert titles.count("部门预算财政拨款“三公”经费支出表") == 1
    nine = [(t, c) for (t, _), c in zip(doc304.tables, doc304.captions) if t.endswith("表") and "预算" in t
            and ("部门预算" in t or "单位预算" in t)]
    assert len(nine) == 18
    for title, caption in nine:
        code = "304001保定市莲池区工业和信息化局本级" if title.startswith("单位") else "304保定市莲池区工业和信息化局"
        assert caption == [code, "预算年度：2023", "单位：万元"], title


@pytest.mark.parametrize("title", ["部门预算政府性基金预算财政拨款支出表", "部门预算国有资本经营预算财政拨款支出表",
                                   "单位预算政府性基金预算财政拨款支出表"])
def test_empty_tables_keep_header_blank_row_and_note(doc304, title):
    rows = doc304.table(title)
    assert rows[0][0] == "序号" and rows[2][0] == "栏次"
    assert rows[3:] == [[""] * 6]  # one blank row
    assert "注：无政府性基金预算财政拨款预算，空表列示。" in doc304.text
    assert "注：无国有资本经营预算财政拨款预算，空表列示。" in doc304.text


def test_procurement_is_an_empty_table_with_its_note(doc304):
    rows = doc304.table("部门政府采购预算")
    assert rows[-1] == [""] * 16
    assert "注：无政府采购预算，空表列示。" in doc304.text


def numbers_after(text: str, label: str) -> list[Decimal]:
    return [Decimal(m) for m in re.findall(re.escape(label) + r"\s*([0-9]+(?:\.[0-9]+)?)\s*万元", text)]


@pytest.mark.parametrize("label", ["预算收入为", "一般公共预算收入", "基金预算收入", "财政专户核拨收入", "其他来源收入",
                                   "日常公用经费", "机关运行经费预算共计", "本级支出", "公务用车运行维护费",
                                   "上年末固定资产金额为"])
def test_narrative_figures_equal_the_seed(doc304, label):
    seed_label = {"机关运行经费预算共计": "机关运行费预算共计"}.get(label, label)
    seed = set(numbers_after(seedtext.SEED, seed_label))
    ours = set(numbers_after(doc304.text, label))
    assert ours and ours <= seed, (label, ours, seed)


def test_personnel_costs_follow_the_table_not_the_seed_text(doc304):
    assert numbers_after(seedtext.SEED, "人员经费") == [Decimal("347.37")] * 2
    assert set(numbers_after(doc304.text, "人员经费")) == {Decimal("347.36")}
    assert "347.37" not in doc304.text


def test_changes_against_prior_year(doc304):
    text = doc304.text
    assert "较上年预算减少66.20万元" in text
    assert "基本支出增加135.12万元，主要原因：人员变化" in text
    assert "项目支出减少201.32万元" in text


def test_running_costs_and_projects_listed(doc304):
    para = next(t for _, t in doc304.paragraphs if t.startswith("2023年，我部门机关运行经费预算共计"))
    assert "邮电费1.80万元、公务移动通讯费用补贴5.00万元" in para
    assert "公务交通补贴8.00万元" in para
    assert "；元；" not in para  # the seed's broken fragment
    for name, amount in [("困难职工春节慰问", "6.00"), ("离休干部及建国前老工人春节慰问", "0.45"),
                         ("离休干部医保统筹", "308.00"), ("职教幼教补助", "117.50"), ("综合业务费", "7.00")]:
        assert f"{name}{amount}万元" in para


def test_unit_narrative_says_unit(doc304):
    text = doc304.text
    assert "保定市莲池区工业和信息化局本级2023年单位预算信息公开情况说明" in text
    assert "2023年单位预算收入为812.32万元" in text
    assert "我单位机关运行经费预算共计26.01万元" in text


def test_performance_tables_match_seed(doc304):
    for i, name in enumerate(["困难职工春节慰问", "离休干部及建国前老工人春节慰问", "离休干部医保统筹", "职教幼教补助",
                              "综合业务费"], 1):
        rows = doc304.table(f"{i}、{name}绩效目标表")
        assert rows[0][0] == "绩效目标" and rows[1][0] == "一级指标"
        body = rows[2:]
        assert len(body) == 9
        # the 一级指标 column is merged: 产出 ×4, 效益 ×4, 满意度 ×1
        assert [r[0] for r in body] == ["产出指标"] * 4 + ["效益指标"] * 4 + ["满意度指标"]
        cost = next(r for r in body if r[1] == "成本指标")
        assert cost[4] in seedtext.SEED


def test_sangong_comparison_table(doc304):
    rows = doc304.table("四、财政拨款“三公”经费预算情况及增减变化原因")
    assert rows[0] == ["项目名称", "2022年度预算", "2023年度预算", "增减金额", "变化原因"]
    assert rows[3] == ["公务用车运行经费", "3.00", "3.00", "0.00", "无增减变化"]
    assert rows[5] == ["合计", "3.00", "3.00", "0.00", "无增减变化"]


def test_assets_table(doc304):
    rows = doc304.table("部门固定资产占用情况表")
    assert rows[1] == ["固定资产总额", "121", "50.30"]
    assert rows[4] == ["2、车辆（台、辆）", "2", "27.56"]


# ------------------------------------------------------------------ fictional department

@pytest.mark.parametrize("title", TABLES + ["预算政府性基金预算财政拨款支出表", "预算国有资本经营预算财政拨款支出表"])
def test_fictional_tables_non_empty_and_as_computed(doc899, title):
    # every body row as printed equals the computed row, formatted independently here:
    # Decimal → two decimals, zero and None → blank; 序号 counts from 1
    doc, publication = doc899
    attr = {t: f"t{i}" for i, t in enumerate(TABLES + ["预算政府性基金预算财政拨款支出表",
                                                      "预算国有资本经营预算财政拨款支出表"], 1)}
    attr.update({"预算财政拨款“三公”经费支出表": "t9", "预算政府性基金预算财政拨款支出表": "t7",
                 "预算国有资本经营预算财政拨款支出表": "t8"})
    computed = getattr(publication.scope, attr[title])

    def shown(v):
        if isinstance(v, Decimal):
            return "" if v == 0 else f"{v:.2f}"
        return "" if v is None else str(v)

    body = doc.body("部门" + title)
    assert body, title
    assert body == [[str(i), *map(shown, row)] for i, row in enumerate(computed, 1)]


def test_fictional_hand_computed_figures_in_the_document(doc899):
    doc, _ = doc899
    t1 = doc.body("部门预算收支总表")
    # hand computed in tests/test_fictional.py: 本年收入 782.09, 本年支出 798.09, 结转 30.00 / 14.00, 总计 812.09
    assert t1[31][1:] == ["本年收入合计", "782.09", "本年支出合计", "798.09"]
    assert t1[32][1:] == ["上年结转结余", "30.00", "年终结转结余", "14.00"]
    assert t1[33][1:] == ["收入总计", "812.09", "支出总计", "812.09"]
    t2 = doc.body("部门预算收入总表")
    assert t2[0][3:] == ["798.09", "782.09", "726.59", "", "29.00", "18.50", "8.00", "", "", "16.00"]
    t7 = doc.body("部门预算政府性基金预算财政拨款支出表")
    assert t7[0][3:] == ["45.00", "", "45.00"]
    t8 = doc.body("部门预算国有资本经营预算财政拨款支出表")
    assert t8[0][3:] == ["25.00", "", "25.00"]
    # an authored reason ending in 。 is embedded in a sentence without doubling its punctuation
    assert "。；" not in doc.text and "。。" not in doc.text
    procurement = doc.table("部门政府采购预算")
    assert len(procurement) > 3
    assert "注：无政府采购预算，空表列示。" not in doc.text


# ------------------------------------------------------------------ output file

def test_same_sources_give_identical_bytes(monkeypatch):
    publication, _ = build(DATA_ROOT, "304", 2023)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = render_bytes(publication)
    second = render_bytes(publication)
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    third = render_bytes(publication)
    assert third != first
    with zipfile.ZipFile(__import__("io").BytesIO(third)) as z:
        core = z.read("docProps/core.xml").decode()
        assert "2023-11-14T22:13:20Z" in core
        assert all(i.date_time == (2023, 11, 14, 22, 13, 20) for i in z.infolist())


def test_special_characters_in_names_come_out_intact(tmp_path):
    import shutil
    src = tmp_path / "data" / "304" / "2023"
    shutil.copytree(DATA_ROOT / "304" / "2023", src)
    name = '保定市莲池区工业&信息化局<试点>"A"'
    path = src / "department.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "name: 保定市莲池区工业和信息化局", f"name: '{name}'"), encoding="utf-8")
    publication, _ = build(tmp_path / "data", "304", 2023)
    out = write_publication(publication, tmp_path / "x.docx")
    doc = docxread.read(out)
    assert doc.paragraphs[-1][1] == "我单位无其他需要说明的事项。"  # not truncated
    assert any(t == name for _, t in doc.paragraphs)
    assert f"{name}2023年部门预算信息公开情况说明" in doc.text


def test_failed_run_leaves_earlier_file_untouched(tmp_path, monkeypatch):
    out = tmp_path / "pub.docx"
    out.write_bytes(b"earlier publication")
    import generator.formats.output as output

    def boom(*args, **kwargs):
        raise RuntimeError("render failed")

    monkeypatch.setattr(output, "render_bytes", boom)
    publication, _ = build(DATA_ROOT, "304", 2023)
    with pytest.raises(RuntimeError):
        output.write_publication(publication, out)
    assert out.read_bytes() == b"earlier publication"
    assert [p.name for p in tmp_path.iterdir()] == ["pub.docx"]


def test_write_interrupted_leaves_no_partial_file(tmp_path, monkeypatch):
    import os

    import generator.formats.output as output
    out = tmp_path / "pub.docx"
    out.write_bytes(b"earlier")

    def failing_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    publication, _ = build(DATA_ROOT, "304", 2023)
    with pytest.raises(output.OutputError, match="磁盘空间不足"):
        output.write_publication(publication, out)
    assert out.read_bytes() == b"earlier"
    assert [p.name for p in tmp_path.iterdir()] == ["pub.docx"]


def test_cli_writes_default_path_and_says_where(tmp_path, monkeypatch, capsys):
    import shutil
    monkeypatch.delenv("BUDGETPUB_DATA", raising=False)
    shutil.copytree(DATA_ROOT / "304" / "2023", tmp_path / "data" / "304" / "2023")  # a budget repository
    monkeypatch.chdir(tmp_path)
    assert main(["--dept", "304", "--year", "2023"]) == 0
    expected = tmp_path / "output" / "304" / "2023" / "保定市莲池区工业和信息化局2023年部门预算.docx"
    assert expected.is_file()
    assert str(expected.relative_to(tmp_path)) in capsys.readouterr().out


def test_toc_field_without_update_on_open(tmp_path):
    publication, _ = build(DATA_ROOT, "304", 2023)
    with zipfile.ZipFile(__import__("io").BytesIO(render_bytes(publication))) as z:
        document = z.read("word/document.xml").decode()
        settings = z.read("word/settings.xml").decode()
    assert 'TOC \\o "1-4"' in document
    assert "updateFields" not in settings  # Word would ask to update fields at every opening
    # section breaks survive rendering: landscape pages for T2 and T4 per scope, and for the procurement
    # table only where it lists items (304 has none: its empty table stays in the portrait flow)
    assert publication.scope.procurement == [] and document.count("注：无政府采购预算，空表列示。") == 2
    assert document.count('w:orient="landscape"') == 2 * 2


def test_fictional_units_say_only_their_own_things(doc899):
    doc, _ = doc899
    museum = doc.part("二、示例市示例区文化馆收支预算", "三、示例市示例区旅游服务中心收支预算")
    centre = doc.part("三、示例市示例区旅游服务中心收支预算", None)
    bureau = doc.part("一、示例市示例区文化和旅游局本级收支预算", "二、示例市示例区文化馆收支预算")
    # the 文化馆's 三公 fell 1.00 → 0.80 for its own reason, never the department's
    # (comparison tables: the department's, then each unit's, the 文化馆 third)
    reasons = {r[0]: r[4] for r in doc.table("四、财政拨款“三公”经费预算情况及增减变化原因", 2)[1:]}
    assert reasons == {"因公出国经费": "无增减变化", "公务用车购置经费": "无增减变化", "公务用车运行经费": "无增减变化",
                       "公务接待费支出": "压减接待次数，控制接待标准。", "合计": "公务接待费减少。"}
    # a 事业单位 has no 机关运行经费, and says so
    assert "我单位无机关运行经费预算" in museum and "机关运行经费预算共计" not in museum
    assert "我单位无机关运行经费预算" in centre
    assert "我单位机关运行经费预算共计36.90万元" in bureau
    # its duties are its own, and no unit speaks of the department's other units or matters
    assert "组织开展群众文化活动" in museum and "拟订全区文化和旅游发展规划" not in museum
    assert "我部门无其他需要说明的事项" not in museum + centre + bureau
    assert "所属文化馆、旅游服务中心的收支包含在部门预算中" not in museum + centre + bureau
    # reasons of another unit's projects are not borrowed
    assert "惠民演出场次和基层文化辅导员培训规模扩大" in museum and "新增公务用车更新购置" not in museum


def test_fictional_fixed_asset_purchases_are_the_items_that_buy_them(doc899):
    doc, _ = doc899
    bureau = doc.part("一、示例市示例区文化和旅游局本级收支预算", "二、示例市示例区文化馆收支预算")
    # the 轿车 18.00 and the computers 6 × 0.55 = 3.30 are fixed assets: 21.30
    assert "本年度拟购置固定资产总额为21.30万元" in bureau
    # the department: 21.30 + 音响设备 9.00 + 办公桌椅 1.40 (the 宣传品印制 service is not) = 31.70
    department = doc.text[:doc.text.rindex("第二部分 部门所属单位预算")]
    assert "本年度拟购置固定资产总额为31.70万元" in department


def amount_style(docx: bytes) -> tuple[str, str]:
    """(font size, character spacing) of the tables' amount style 表格数字 in a rendered file."""
    import io
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        styles = z.read("word/styles.xml").decode("utf-8")
    block = re.search(r'<w:style [^>]*w:styleId="表格数字">.*?</w:style>', styles, re.S).group(0)
    size = re.search(r'<w:sz w:val="([0-9]+)"/>', block).group(1)
    spacing = re.search(r'<w:rPr>.*<w:spacing w:val="(-?[0-9]+)"/>', block)
    return size, spacing.group(1) if spacing else ""


def test_tables_in_yuan_print_their_amounts_as_large_as_the_labels_a_little_condensed():
    # 898's tables are in 元 (4,544,150.00 where 万元 prints 454.42): 表格数字 takes the look of
    # 表格数字（元）, 9 pt like the labels, condensed by 0.3 pt a character; 304's, in 万元, keep 9 pt
    yuan, _ = build(DATA_ROOT, "898", 2024)
    wan, _ = build(DATA_ROOT, "304", 2023)
    assert yuan.department.table_unit == "元" and wan.department.table_unit == "万元"
    assert amount_style(render_bytes(yuan)) == ("18", "-6")
    assert amount_style(render_bytes(wan)) == ("18", "")


def test_a_text_that_rounds_yuan_into_wan_yuan_says_so_once_per_scope():
    # 898 keeps its amounts in 元 and prints its text in 万元: 基本支出 17,350 元 is 1.74 万元, its
    # parts 12,345 and 5,005 元 are 1.23 and 0.50; the reader is told why they need not add up
    import io
    note = "（文中金额由以元为单位的预算数换算为万元，四舍五入保留两位小数，分项之和与合计可能有尾差）"
    yuan, _ = build(DATA_ROOT, "898", 2024)
    wan, _ = build(DATA_ROOT, "304", 2023)
    with zipfile.ZipFile(io.BytesIO(render_bytes(yuan))) as z:
        text = z.read("word/document.xml").decode("utf-8")
    assert text.count(note) == 1 + len(yuan.units) == 3
    assert "人员经费1.23万元，日常公用经费0.50万元" in re.sub(r"<[^>]+>", "", text)
    with zipfile.ZipFile(io.BytesIO(render_bytes(wan))) as z:
        assert "尾差" not in z.read("word/document.xml").decode("utf-8")
