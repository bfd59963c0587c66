"""Publications at the level real departments publish them (issue 19), on two fictional examples:

- 896/2024, a sub-district office published at department level: its units named in 机构设置情况
  (department.yaml units) with no unit tables and no 第二部分; its facts written for the department as a
  whole; project spending by function only, two projects listed for their 绩效目标表 (one with a cost
  indicator in words); 机关运行经费 stated directly; the prior year known only as the change;
- 895/2024, a central-level university: 事业收入, carry-over as one total without a fund, no 三公 (the
  section, its table and the comparison left out, the sections numbered on), its own legal basis,
  glossary and 绩效 sentence; its one unit by name and nature only.

Every sentence each prints is read back and compared with a text typed by hand from the sources (each
figure added up by hand, in the comments): nothing is printed that the sources do not give. check
exits 0 if and only if generate writes; verify passes on the output (.docx; 896 also as PDF).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator import DATA_ROOT
from generator.cli import budgetpub
from generator.formats import libreoffice
from generator.repository.textconv import docx_text

LAYOUT_WITHOUT_SANGONG = Path(__file__).parent / "fixtures" / "layout-without-sangong.yaml"


@pytest.fixture(autouse=True)
def _env(monkeypatch):
    monkeypatch.setenv("BUDGETPUB_SOFFICE", "/nonexistent")  # page numbers need LibreOffice; the text does not
    monkeypatch.delenv("BUDGETPUB_DATA", raising=False)


def run(args, capsys) -> tuple[int, str, str]:
    code = budgetpub(args)
    out, err = capsys.readouterr()
    return code, out, err


def plain(text: str) -> str:
    """The body as textconv shows it, a tab shown as \\t read as one, the headers and footers after it left out."""
    text = text.replace("\\t", "\t")
    return text[:text.index("\n== word/")] if "\n== word/" in text else text


def generated(dept: str, tmp_path: Path, capsys, data: Path = DATA_ROOT) -> tuple[Path, str]:
    """check, then generate: check passes and generate writes (the same exit)."""
    check = run(["check", "--dept", dept, "--year", "2024", "--data", str(data)], capsys)
    out = tmp_path / f"{dept}.docx"
    gen = run(["generate", "--dept", dept, "--year", "2024", "--data", str(data), "--out", str(out)], capsys)
    assert check[0] == gen[0] == 0 and out.is_file(), check[2] + gen[2]
    return out, plain(docx_text(out))


def narrative(text: str) -> list[str]:
    """The lines of the 情况说明 (the body's, not the contents'), table rows included."""
    lines = [line.replace("\\t", "\t").strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    start = max(i for i, line in enumerate(lines) if line.endswith("预算信息公开情况说明"))
    return lines[start:]


# 896: basic 560.00 + 250.00 + 98.40 + 42.60 + 66.00 = 1017.00; personnel 320 + 180 + 60 + 40 + 98.40 +
# 42.60 + 66 = 807.00, public 1017.00 − 807.00 = 210.00; projects by function 310.00 + 185.50 + 96.30 +
# 12.00 = 603.80; total 1620.80 = income 1608.80 + 12.00; 机关运行经费 as stated, 163.18 = 40 + 8 + 10 + 14
# + 46 + 45.18; 三公 14.00 + 1.50 = 15.50 against 14.00 + 2.00 = 16.00; procurement 28 + 60 = 88.00;
# assets 900.00 + 48.60 + 0 + 331.90 = 1280.50.
EXPECTED_896 = """\
示例市示例区东湖街道办事处2024年部门预算信息公开情况说明
按照《地方预决算公开操作规程》和《关于进一步推进预算公开工作的实施意见》规定，现将示例市示例区东湖街道办事处2024年部门预算公开如下：
一、部门职责及机构设置情况
部门职责：
（一）贯彻执行党和国家的路线方针政策，统筹辖区经济社会发展和基层治理。
（二）组织开展社区建设、城市管理、环境整治和便民服务工作。
机构设置：
部门机构设置情况
单位名称 | 单位性质
示例市示例区东湖街道办事处（本级） | 行政单位
示例市示例区东湖街道社区服务中心 | 事业单位
示例市示例区东湖街道综合执法队 | 事业单位
示例市示例区东湖街道退役军人服务站 |
二、部门预算安排的总体情况
按照预算管理有关规定，部门预算实行综合预算管理，全部收入和支出都反映在预算中。东湖街道办事处本级及所属单位的收支均包含在部门预算中。
1、收入说明
2024年部门预算收入为1620.80万元，其中：一般公共预算收入1608.80万元，基金预算收入0.00万元，财政专户核拨收入0.00万元，其他来源收入12.00万元。
2、支出说明
2024年部门支出预算1620.80万元，其中：
基本支出1017.00万元，其中：人员经费807.00万元，日常公用经费210.00万元；
项目支出603.80万元，其中：本级支出603.80万元。
3、比上年增减情况
本年度预算收支安排1620.80万元，较上年预算减少219.02万元。
三、机关运行经费安排情况
2024年，我部门机关运行经费预算共计163.18万元，其中：办公费40.00万元、邮电费8.00万元、差旅费10.00万元、公务用车运行维护费14.00万元、其他交通费用46.00万元、其他商品和服务支出45.18万元。项目支出603.80万元。
四、财政拨款“三公”经费预算情况及增减变化原因
2024年，我部门财政拨款“三公”经费预算安排15.50万元（详见下表），比上年减少0.50万元。其中：因公出国（境）费0.00万元，与上年持平；公务用车购置及运行维护费14.00万元，与上年持平；公务接待费1.50万元，比上年减少0.50万元。
单位：万元
项目名称 | 2023年度预算 | 2024年度预算 | 增减金额 | 变化原因
因公出国经费 | 0.00 | 0.00 | 0.00 | 无增减变化
公务用车购置经费 | 0.00 | 0.00 | 0.00 | 无增减变化
公务用车运行经费 | 14.00 | 14.00 | 0.00 | 无增减变化
公务接待费支出 | 2.00 | 1.50 | -0.50 | 厉行节约，压减公务接待
合计 | 16.00 | 15.50 | -0.50 | 公务接待费减少
五、预算绩效信息
（一）部门整体绩效目标
1、总体绩效目标
完善网格化服务管理，改善辖区人居环境，提升居民满意度。
（二）预算项目绩效目标
1、社区网格化服务管理绩效目标表
绩效目标 | 完成辖区 48 个网格的日常巡查和事件处置，提升基层治理精细化水平。
一级指标 | 二级指标 | 三级指标 | 指标值
产出指标 | 数量指标 | 覆盖网格数 | 48个
| 质量指标 | 网格事件按时办结率 | ≥95%
| 成本指标 | 网格服务经费 | ≤120万元
效益指标 | 社会效益指标 | 居民诉求响应及时性 | 明显提升
满意度指标 | 服务对象满意度指标 | 居民满意度 | ≥90%
2、背街小巷环境整治绩效目标表
绩效目标 | 完成 12 条背街小巷的环境整治，改善居民出行和居住环境。
一级指标 | 二级指标 | 三级指标 | 指标值
产出指标 | 数量指标 | 整治背街小巷条数 | 12条
| 时效指标 | 完成时间 | 2024年11月底前
| 成本指标 | 预算执行 | 合规
效益指标 | 生态效益指标 | 环境卫生状况 | 明显改善
满意度指标 | 服务对象满意度指标 | 居民满意度 | ≥90%
六、政府采购预算情况
2024年，示例市示例区东湖街道办事处安排政府采购预算88.00万元。其中：货物28.00万元、服务60.00万元。预留中小企业份额26.40万元，其中面向小微企业18.00万元。
七、国有资产信息
示例市示例区东湖街道办事处（含所属单位）上年末固定资产金额为1280.50万元（详见下表）。本年度拟购置固定资产总额为28.00万元，已按要求列入政府采购预算。
部门固定资产占用情况表
896示例市示例区东湖街道办事处	截止时间：2023-12-31
项　　目 | 数量 | 价值（单位：万元）
固定资产总额 |  | 1280.50
1、房屋（平方米） | 3200 | 900.00
其中：办公用房（平方米） |  |
2、车辆（台、辆） | 2 | 48.60
3、单价在50万元以上的设备(台、套) | 0 | 0.00
其中：单价50万元（含）以上的通用设备 |  |
单价100万元（含）以上的专用设备 |  |
4、其他固定资产 |  | 331.90
八、名词解释"""

# 895: basic 30000.00 (general) + 35000.00 (事业收入) = 65000.00; personnel 9000 + 6000 + 5000 + 2400 +
# 1200 + 1400 + 1800 + 1500 + 12000 + 8000 + 9000 + 2000 = 59300.00, public 5700.00; projects 12000 +
# 23500 + 3200 + 6800 = 45500.00; income 42000 + 58500 + 3200 = 103700.00 (other sources 58500 + 3200 =
# 61700.00) and the carry-over total 6800.00: 110500.00; last year's total 112500.00: 2000.00 less.
EXPECTED_895 = """\
示例大学2024年部门预算信息公开情况说明
根据《中华人民共和国预算法》和中央部门预算公开的有关规定，现将示例大学2024年部门预算公开如下：
一、部门职责及机构设置情况
部门职责：
（一）培养高层次专门人才，开展科学研究和社会服务。
（二）推进学科建设和国际交流合作。
机构设置：
部门机构设置情况
单位名称 | 单位性质
示例大学 | 事业单位
二、部门预算安排的总体情况
按照综合预算的原则，示例大学所有收入和支出均纳入部门预算管理。
1、收入说明
2024年部门预算收入为110500.00万元，其中：一般公共预算收入42000.00万元，基金预算收入0.00万元，财政专户核拨收入0.00万元，其他来源收入61700.00万元，上年结转结余6800.00万元。
2、支出说明
2024年部门支出预算110500.00万元，其中：
基本支出65000.00万元，其中：人员经费59300.00万元，日常公用经费5700.00万元；
项目支出45500.00万元，其中：本级支出45500.00万元。
3、比上年增减情况
本年度预算收支安排110500.00万元，较上年预算减少2000.00万元。
三、机关运行经费安排情况
2024年，我部门无机关运行经费预算（机关运行经费只反映行政单位和参照公务员法管理的事业单位的运行经费）。项目支出45500.00万元。
四、预算绩效信息
（一）部门整体绩效目标
1、总体绩效目标
提高人才培养质量和科研创新能力，保障学校平稳运行。
（二）预算项目绩效目标
本部门项目绩效目标随项目预算批复另行公开，本文件不单独列示。
五、政府采购预算情况
2024年，示例大学安排政府采购预算5500.00万元。其中：货物3200.00万元、工程800.00万元、服务1500.00万元。预留中小企业份额1650.00万元。
六、国有资产信息
示例大学上年末固定资产金额为385000.00万元（详见下表）。本年度拟购置固定资产总额为2800.00万元，已按要求列入政府采购预算。
部门固定资产占用情况表
895示例大学	截止时间：2023-12-31
项　　目 | 数量 | 价值（单位：万元）
固定资产总额 |  | 385000.00
1、房屋（平方米） | 560000 | 210000.00
其中：办公用房（平方米） |  |
2、车辆（台、辆） | 36 | 980.00
3、单价在50万元以上的设备(台、套) | 420 | 98000.00
其中：单价50万元（含）以上的通用设备 |  |
单价100万元（含）以上的专用设备 |  |
4、其他固定资产 |  | 76020.00
七、名词解释
1、财政拨款收入：指中央财政当年拨付的资金。
2、事业收入：指事业单位开展专业业务活动及其辅助活动取得的收入，包括教育事业收入和科研事业收入。
3、其他收入：指除上述“财政拨款收入”“事业收入”等以外的各项收入，主要包括非独立核算的附属单位上缴的收入、银行存款利息收入、捐赠收入等。
4、上年结转：指以前年度尚未完成、结转到本年按有关规定继续使用的资金。
5、基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。
6、项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。
八、其他需要说明的事项
我部门无其他需要说明的事项。"""


def _lines(text: str) -> list[str]:
    """Lines compared: a tab as textconv shows it (\\t) is a tab; a row's trailing blank cells as one " |"."""
    lines = (line.replace("\\t", "\t").strip() for line in text.splitlines())
    return [re.sub(r"\s*\|\s*$", " |", line) for line in lines if line]


def test_the_department_level_publication_says_what_its_sources_give_and_nothing_else(tmp_path, capsys):
    _, text = generated("896", tmp_path, capsys)
    got = _lines("\n".join(narrative(text)))
    expected = _lines(EXPECTED_896)
    assert got[:len(expected)] == expected
    # the region's glossary and closing section follow; no part of a unit, no 第一部分 without a 第二部分
    assert got[-2:] == ["九、其他需要说明的事项", "我部门无其他需要说明的事项。"]
    assert "第二部分" not in text and "第一部分" not in text and "单位预算收支总表" not in text
    # the 绩效目标表 only for the two projects listed; 项目支出 not listed by name (the list would be partial)
    assert len(re.findall(r"绩效目标表\n", text)) == 2 and "项目支出603.80万元，其中：本级" in text
    assert not re.search(r"项目支出603\.80万元，其中：(?!本级)", text)
    # 机构设置情况 prints no column no unit gives (单位规格, 经费保障形式): no blank label
    assert "单位规格" not in text and "经费保障形式" not in text


def test_the_central_level_publication_leaves_out_what_it_does_not_publish(tmp_path, capsys):
    _, text = generated("895", tmp_path, capsys)
    assert _lines("\n".join(narrative(text))) == _lines(EXPECTED_895)
    # no 三公 anywhere: not the section, not its table, not in the contents
    assert "三公" not in text
    contents = text[text.index("目  录"):text.index("示例大学收支预算\n部门预算收支总表")]
    assert "四、预算绩效信息" in contents and "七、名词解释" in contents and "九、" not in contents
    assert "地方预决算公开操作规程" not in text  # the default region's legal basis replaced
    # carry-over given as a total: T1 has it, the fiscal table (T4) prints no carry-over for a fund
    t4 = text[text.rindex("部门预算财政拨款收支总表"):text.rindex("部门预算一般公共预算财政拨款支出表")]
    assert "6800.00" not in t4 and "6,800.00" not in t4
    t1 = text[text.rindex("部门预算收支总表"):text.rindex("部门预算收入总表")]
    assert re.search(r"上年结转结余 \| 6800\.00", t1)


def test_check_refuses_what_generate_refuses_for_the_new_shapes(tmp_path, capsys):
    import shutil
    data = tmp_path / "data"
    shutil.copytree(DATA_ROOT / "896", data / "896")
    shutil.copytree(DATA_ROOT / "catalogue", data / "catalogue")
    source = data / "896" / "2024" / "896000.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("amount: 163.18", "amount: 210.01"), encoding="utf-8")
    check = run(["check", "--dept", "896", "--year", "2024", "--data", str(data)], capsys)
    out = tmp_path / "x.docx"
    gen = run(["generate", "--dept", "896", "--year", "2024", "--data", str(data), "--out", str(out)], capsys)
    assert check[0] == gen[0] == 2 and not out.exists()
    assert "错误[running-costs.stated-exceeds]" in check[2] and "错误[running-costs.stated-exceeds]" in gen[2]


def test_verify_passes_on_both_and_reads_the_missing_sangong_only_with_its_regions_layout(tmp_path, capsys):
    out896, _ = generated("896", tmp_path, capsys)
    out895, _ = generated("895", tmp_path, capsys)
    assert run(["verify", str(out896)], capsys)[0] == 0
    assert run(["verify", "--layout", str(LAYOUT_WITHOUT_SANGONG), str(out895)], capsys)[0] == 0
    # the default region's layout asks for 三公: the central-level publication lacks it, and verify says so
    code, out, err = run(["verify", str(out895)], capsys)
    assert code == 1 and "三公" in out + err


@pytest.mark.skipif(libreoffice.find() is None, reason="LibreOffice is not installed; .ci/run installs it")
def test_the_department_level_pdf_verifies(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("BUDGETPUB_SOFFICE")
    out = tmp_path / "896.docx"
    code = budgetpub(["generate", "--dept", "896", "--year", "2024", "--data", str(DATA_ROOT), "--format", "docx,pdf",
                      "--out", str(out)])
    capsys.readouterr()
    assert code == 0
    assert run(["verify", str(out.with_suffix(".pdf"))], capsys)[0] == 0


def _copy(tmp_path: Path, dept: str) -> Path:
    import shutil
    data = tmp_path / "data"
    shutil.copytree(DATA_ROOT / dept, data / dept)
    shutil.copytree(DATA_ROOT / "catalogue", data / "catalogue")
    return data


def test_sections_left_out_are_out_of_the_contents_and_the_others_numbered_on(tmp_path, capsys):
    # 898 (a department and its two units) with four parts left out by the department's wording
    data = _copy(tmp_path, "898")
    dept = data / "898" / "2024" / "department.yaml"
    dept.write_text(dept.read_text(encoding="utf-8") + "wording:\n  omit: [legal_basis, procurement, assets, glossary]\n",
                    encoding="utf-8")
    out = tmp_path / "898.docx"
    check = run(["check", "--dept", "898", "--year", "2024", "--data", str(data)], capsys)
    gen = run(["generate", "--dept", "898", "--year", "2024", "--data", str(data), "--out", str(out)], capsys)
    assert check[0] == gen[0] == 0 and out.is_file(), check[2] + gen[2]
    text = plain(docx_text(out))
    for word in ("政府采购", "国有资产", "固定资产占用", "名词解释", "地方预决算公开操作规程"):
        assert word not in text, word
    headings = [line.strip() for line in text.splitlines()
                if re.fullmatch(r"\s*[一二三四五六七八九]、\S+", line) and "收支预算" not in line]
    expected = ["一、部门职责及机构设置情况", "二、部门预算安排的总体情况", "三、机关运行经费安排情况",
                "四、财政拨款“三公”经费预算情况及增减变化原因", "五、预算绩效信息", "六、其他需要说明的事项"]
    # the contents list the department's sections; the body has them for the department and each unit
    assert headings == expected + expected + [h.replace("部门", "单位") for h in expected] * 2
    assert "现将示例市示例区示例街道办事处2024年部门预算公开如下" in text
    from generator.verify import verify_bytes
    from generator.verify.layout import without
    result = verify_bytes(out.read_bytes(), without(("legal_basis", "procurement", "assets", "glossary")))
    assert result.errors == []


def test_a_unit_without_a_nature_says_nothing_of_running_costs(tmp_path, capsys):
    data = _copy(tmp_path, "895")
    unit = data / "895" / "2024" / "895001.yaml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("nature: 事业单位\n", ""), encoding="utf-8")
    _, text = generated("895", tmp_path, capsys, data)
    lines = narrative(text)
    section = lines[lines.index("三、机关运行经费安排情况") + 1]
    assert section == "2024年，我部门项目支出45500.00万元。"  # neither a figure nor 无机关运行经费
    assert "单位性质" not in text  # no unit gives one: no such column


def test_diff_lists_only_the_parts_published(tmp_path, capsys, monkeypatch):
    # 896 publishes no unit part: a changed fact moves the department's figures only
    import subprocess
    data = _copy(tmp_path, "896")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "a"], cwd=tmp_path, check=True)
    source = data / "896" / "2024" / "896000.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("amount: 185.50", "amount: 186.50")
                      .replace("一般公共预算拨款: 1608.80", "一般公共预算拨款: 1609.80"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = run(["diff", "--dept", "896", "--year", "2024"], capsys)
    assert code == 0, err
    moved = [line.strip() for line in out.splitlines() if line.startswith("      ")]
    assert moved and all(line.startswith("部门 · ") for line in moved), out
    assert "项目支出（按功能分类） · 一般公共预算拨款 · 功能分类 2120501：185.50 → 186.50（+1.00）" in out


def test_project_targets_left_out_where_none_is_listed(tmp_path, capsys):
    data = _copy(tmp_path, "895")
    dept = data / "895" / "2024" / "department.yaml"
    dept.write_text(dept.read_text(encoding="utf-8").replace("omit: [sangong]", "omit: [sangong, project_targets]"),
                    encoding="utf-8")
    _, text = generated("895", tmp_path, capsys, data)
    lines = narrative(text)
    performance = lines[lines.index("四、预算绩效信息"):lines.index("五、政府采购预算情况")]
    assert performance == ["四、预算绩效信息", "（一）部门整体绩效目标", "1、总体绩效目标",
                           "提高人才培养质量和科研创新能力，保障学校平稳运行。"]


def _committed(tmp_path: Path, dept: str) -> Path:
    import subprocess
    data = _copy(tmp_path, dept)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "a"], cwd=tmp_path, check=True)
    return data


@pytest.mark.parametrize("detail", [[], ["--detail"]])
def test_diff_of_a_prior_year_given_as_a_change_states_the_change(tmp_path, capsys, monkeypatch, detail):
    # 896 gives the prior year only as the change (-219.02): diff says the change moved, never a prior total
    # derived from this year's (上年预算数 is not in the sources)
    data = _committed(tmp_path, "896")
    dept = data / "896" / "2024" / "department.yaml"
    dept.write_text(dept.read_text(encoding="utf-8").replace("change: -219.02", "change: -218.02"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = run(["diff", "--dept", "896", "--year", "2024", *detail], capsys)
    assert code == 0, err
    assert "部门 · 上年预算数 · 比上年增减（本年支出合计减上年预算数）：-219.02 → -218.02（+1.00）" in out
    figures = [line.strip() for line in out.splitlines() if "情况说明" in line]
    assert figures == (["部门 · 情况说明 · 比上年增减：-219.02 → -218.02（+1.00）"] if detail
                       else ["部门 · 情况说明：比上年增减 +1.00"]), out


def test_diff_of_this_year_with_a_prior_change_moves_no_prior_total(tmp_path, capsys, monkeypatch):
    # a change of this year's spending, the prior year given as the change: the stated change stays, and no
    # prior total derived from the new spending is reported as moving
    data = _committed(tmp_path, "896")
    source = data / "896" / "2024" / "896000.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("amount: 185.50", "amount: 186.50")
                      .replace("一般公共预算拨款: 1608.80", "一般公共预算拨款: 1609.80"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = run(["diff", "--dept", "896", "--year", "2024", "--detail"], capsys)
    assert code == 0, err
    assert "部门 · 情况说明 · 支出总计：1620.80 → 1621.80（+1.00）" in out
    assert "上年预算数" not in out and "比上年增减" not in out, out


# ---------------------------------------------------------------- the other sources as one total (单位资金)

def _between(text: str, start: str, end: str) -> list[str]:
    """The lines of the department's table titled ``start`` (up to the title ``end``), as _lines reads them."""
    return _lines(text[text.rindex(start):text.rindex(end)])


SPLIT = re.compile(r"事业收入|经营收入|上级补助|附属单位|其他收入")


def test_non_fiscal_income_given_as_one_total_is_one_row_and_one_column(tmp_path, capsys):
    # 896 gives its income other than 财政拨款 as one total (单位资金 12.00), paying 12.00 of 2120199: 收支总表 has
    # one row for it, 收入总表 one column; no 0.00 or blank 事业收入 … 其他收入 (the split is not given)
    out, text = generated("896", tmp_path, capsys)
    t1 = _between(text, "部门预算收支总表", "部门预算收入总表")
    assert "5 | 五、单位资金收入 | 12.00 | 五、教育支出 |" in t1
    assert "6 |  |  | 六、科学技术支出 |" in t1 and not SPLIT.search("\n".join(t1))
    t2 = _between(text, "部门预算收入总表", "部门预算支出总表")
    assert "| 科目编码 | 科目名称 |  | 小计 | 财政拨款 收入 | 财政专户 收入 | 单位 资金 |" in t2
    assert "栏次 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8" in t2
    assert "1 |  | 合计 | 1620.80 | 1620.80 | 1608.80 |  | 12.00 |" in t2
    assert "15 | 2120199 | 其他城乡社区管理事务支出 | 322.00 | 322.00 | 310.00 |  | 12.00 |" in t2
    assert not SPLIT.search("\n".join(t2))
    # the narrative states the sum only (其他来源收入12.00万元, EXPECTED_896), as for sources given one by one
    assert "其他来源收入12.00万元。" in text


def test_the_workbook_prints_the_same_income_table(tmp_path, capsys):
    import openpyxl
    out = tmp_path / "896.docx"
    assert budgetpub(["generate", "--dept", "896", "--year", "2024", "--format", "docx,xlsx", "--out", str(out)]) == 0
    capsys.readouterr()
    book = openpyxl.load_workbook(out.with_suffix(".xlsx"))
    sheet = next(s for s in book.worksheets if "收入总表" in s.title)
    rows = [[c for c in row if c not in (None, "")] for row in sheet.iter_rows(values_only=True)]
    assert ["科目编码", "科目名称", "小计", "财政拨款收入", "财政专户收入", "单位资金"] in rows
    assert [1, "合计", 1620.8, 1620.8, 1608.8, 12] in rows


def test_spending_without_its_non_fiscal_source_is_one_income_table_column(tmp_path, capsys):
    # 895 with its income split (事业收入 58500, 其他收入 3200) but two project lines given without their source
    # (单位资金): 收支总表 keeps the split the sources give; 收入总表, which would split the spending, shows the other
    # sources in one column (35000 of 事业收入's basic + 23500 + 3200 = 61700), never a part of 事业收入 as all of it
    data = _copy(tmp_path, "895")
    unit = data / "895" / "2024" / "895001.yaml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("fund: 事业收入, amount: 23500.00", "fund: 单位资金, amount: 23500.00")
                    .replace("fund: 其他收入, amount: 3200.00", "fund: 单位资金, amount: 3200.00"), encoding="utf-8")
    out, text = generated("895", tmp_path, capsys, data)
    assert _lines("\n".join(narrative(text))) == _lines(EXPECTED_895)  # every sentence as with the sources split
    t1 = _between(text, "部门预算收支总表", "部门预算收入总表")
    assert "5 | 五、事业收入 | 58500.00 | 五、教育支出 | 87000.00" in t1 and "9 | 九、其他收入 | 3200.00 | 九、社会保险基金支出 |" in t1
    t2 = _between(text, "部门预算收入总表", "部门预算支出总表")
    assert t2[-5:] == ["1 |  | 合计 | 110500.00 | 103700.00 | 42000.00 |  | 61700.00 | 6800.00",
                       "2 | 205 | 教育支出 | 87000.00 | 80200.00 | 42000.00 |  | 38200.00 | 6800.00",
                       "3 | 20502 | 普通教育 | 87000.00 | 80200.00 | 42000.00 |  | 38200.00 | 6800.00",
                       "4 | 2050205 | 高等教育 | 87000.00 | 80200.00 | 42000.00 |  | 38200.00 | 6800.00",
                       "5 | 206 | 科学技术支出 | 23500.00 | 23500.00 |  |  | 23500.00 |"][:5] or t2
    assert run(["verify", "--layout", str(LAYOUT_WITHOUT_SANGONG), str(out)], capsys)[0] == 0


def test_verify_adds_the_one_column_up_against_the_income_rows(tmp_path, capsys):
    import zipfile
    out, _ = generated("896", tmp_path, capsys)
    with zipfile.ZipFile(out) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    first = xml.index(">12.00<")  # 收支总表's 单位资金收入; the next is 收入总表's 单位资金 in its 合计 row
    second = xml.index(">12.00<", first + 1)
    parts["word/document.xml"] = (xml[:second] + ">13.00<" + xml[second + len(">12.00<"):]).encode("utf-8")
    tampered = tmp_path / "tampered.docx"
    with zipfile.ZipFile(tampered, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    code, report, err = run(["verify", str(tampered)], capsys)
    assert code == 1
    assert "部门预算收入总表 合计“单位资金”列：应等于部门预算收支总表的单位资金收入（部门预算收入总表：13.00；部门预算收支总表：12.00）" \
        in report, report
    # the columns the table does not have are not named (its 单位资金 stands for them)
    assert "小计应等于财政拨款收入+财政专户收入+单位资金（" in report and "事业收入" not in report, report


# ---------------------------------------------------------------- a section no part states

def test_procurement_stated_by_no_part_is_left_out_with_its_contents_entry(tmp_path, capsys):
    # 896 (one part) without its procurement: no heading with nothing under it; the contents and the numbers
    # close up as for a section the wording leaves out, and the warning says so
    data = _copy(tmp_path, "896")
    source = data / "896" / "2024" / "896000.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(re.sub(r"(?m)^procurement_summary: .*\n", "", text), encoding="utf-8")
    check = run(["check", "--dept", "896", "--year", "2024", "--data", str(data)], capsys)
    assert check[0] == 0
    assert ("警告[procurement.unstated] 单位 896000 没有写政府采购预算（procurement）：公开文件不印“政府采购预算情况”一节，"
            "目录中也没有。有则写明；没有则写 procurement: []。") in check[2]
    _, text = generated("896", tmp_path, capsys, data)
    assert "政府采购" not in text and "拟购置固定资产" not in text
    contents = text[text.index("目  录"):text.index("示例市示例区东湖街道办事处收支预算\n部门预算收支总表")]
    assert "\t六、国有资产信息" in contents and "\t八、其他需要说明的事项" in contents and "九、" not in contents
    lines = narrative(text)
    assert [line for line in lines if re.match(r"[一二三四五六七八九]、", line)] == [
        "一、部门职责及机构设置情况", "二、部门预算安排的总体情况", "三、机关运行经费安排情况",
        "四、财政拨款“三公”经费预算情况及增减变化原因", "五、预算绩效信息", "六、国有资产信息", "七、名词解释",
        "八、其他需要说明的事项"]
    assert lines[lines.index("六、国有资产信息") + 1] == \
        "示例市示例区东湖街道办事处（含所属单位）上年末固定资产金额为1280.50万元（详见下表）。"
