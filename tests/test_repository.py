"""A budget repository of its own (issue 8), driven against temporary git repositories:
discovery and paths, --rev and its stamp, the prior year from history, diff, new-year,
init, textconv and the budgetpub command line."""

from __future__ import annotations

import json
import re
import shutil
import sys
import subprocess
import zipfile
from pathlib import Path

import pytest

from generator import DATA_ROOT
from generator.cli import VERBS, budgetpub, main
from generator.repository.textconv import docx_text
from generator.sources.unfilled import MARK, VERIFY

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed (.ci/run installs it)")

NAME_304 = "保定市莲池区工业和信息化局2023年部门预算.docx"
UNIT = "data/304/2023/304001.yaml"


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    assert done.returncode == 0, (args, done.stderr)
    return done.stdout.strip()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def double_the_relief_project(repo: Path) -> None:
    """困难职工春节慰问 6.00 → 12.00 (600 people), paid by 6.00 more 一般公共预算拨款."""
    unit = repo / UNIT
    edit(unit, "  一般公共预算拨款: 812.32", "  一般公共预算拨款: 818.32")
    edit(unit, "    amount: 6.00\n    quantity: {count: 300, unit: 人}",
         "    amount: 12.00\n    quantity: {count: 600, unit: 人}")
    text = unit.read_text(encoding="utf-8")
    unit.write_text(text.replace('value: "≤6万元"', 'value: "≤12万元"', 1), encoding="utf-8")


def unmark(directory: Path, words: tuple[str, ...] = (MARK, VERIFY)) -> int:
    """Enter the amounts new-year or init marked and confirm the texts it carried over: keep the
    values, delete the marks. Returns how many marks of the first word were deleted."""
    count = 0
    for path in directory.glob("*.yaml"):
        lines = []
        for line in path.read_text(encoding="utf-8").splitlines():
            for word in words:
                if f"# {word}" in line and not line.lstrip().startswith("#"):
                    count += word == words[0]
                    line = re.sub(rf"\s*# {word}[：；]?", "  #", line).rstrip(" #")
            lines.append(line)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return count


@pytest.fixture
def office(tmp_path, monkeypatch):
    """A budget repository in git: budgetpub.toml, data/304/2023 and data/899/2024; tag v1."""
    for var in ("BUDGETPUB_DATA", "SOURCE_DATE_EPOCH"):
        monkeypatch.delenv(var, raising=False)
    for var, value in (("GIT_AUTHOR_NAME", "财务室"), ("GIT_AUTHOR_EMAIL", "office@example.org"),
                       ("GIT_COMMITTER_NAME", "财务室"), ("GIT_COMMITTER_EMAIL", "office@example.org"),
                       ("GIT_CONFIG_NOSYSTEM", "1"), ("GIT_CONFIG_GLOBAL", "/dev/null")):
        monkeypatch.setenv(var, value)
    repo = tmp_path / "office"
    shutil.copytree(DATA_ROOT / "304" / "2023", repo / "data" / "304" / "2023")
    shutil.copytree(DATA_ROOT / "899" / "2024", repo / "data" / "899" / "2024")
    (repo / "budgetpub.toml").write_text('data = "data"\noutput = "output"\n', encoding="utf-8")
    (repo / ".gitignore").write_text("output/\n", encoding="utf-8")
    git(tmp_path, "init", "-q", str(repo))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "2023 budget as published")
    git(repo, "tag", "v1")
    monkeypatch.chdir(repo)
    return repo


# ------------------------------------------------------------------ discovery and paths

def test_generate_finds_the_repository_from_a_subfolder(office, monkeypatch, capsys):
    monkeypatch.chdir(office / "data" / "899")
    assert main(["--dept", "304", "--year", "2023"]) == 0
    assert capsys.readouterr().out == f"已生成：../../output/304/2023/{NAME_304}\n"
    assert (office / "output" / "304" / "2023" / NAME_304).is_file()


def test_error_paths_are_relative_to_where_the_user_stands(office, monkeypatch, capsys):
    edit(office / UNIT, "  一般公共预算拨款: 812.32", "  一般公共预算拨款: 813.32")
    monkeypatch.chdir(office / "data" / "304")
    assert budgetpub(["check", "--dept", "304", "--year", "2023"]) == 2
    assert "\n2023/304001.yaml:11:13: 错误[income.disagrees]" in capsys.readouterr().err
    (office / "notes").mkdir()
    monkeypatch.chdir(office / "notes")
    assert budgetpub(["check", "--dept", "304", "--year", "2023"]) == 2
    assert "\n../data/304/2023/304001.yaml:11:13: 错误[income.disagrees]" in capsys.readouterr().err


def test_outside_a_repository_is_an_error_not_the_sample_data(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("BUDGETPUB_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    assert main(["--dept", "304", "--year", "2023", "--check"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("错误：这里不是预算仓库：") and "budgetpub init" in err
    assert list(tmp_path.iterdir()) == []


def test_budgetpub_data_overrides_the_repository(office, tmp_path, monkeypatch, capsys):
    other = tmp_path / "elsewhere" / "data"
    shutil.copytree(DATA_ROOT / "304" / "2023", other / "304" / "2023")
    edit(other / "304" / "2023" / "department.yaml", "name: 保定市莲池区工业和信息化局", "name: 别处的局")
    monkeypatch.setenv("BUDGETPUB_DATA", str(other))
    assert budgetpub(["check", "--dept", "304", "--year", "2023"]) == 0
    assert capsys.readouterr().out.startswith("别处的局（304）")
    monkeypatch.delenv("BUDGETPUB_DATA")
    assert budgetpub(["check", "--dept", "304", "--year", "2023", "--data", str(other)]) == 0
    assert capsys.readouterr().out.startswith("别处的局（304）")


def test_the_repositorys_catalogue_for_the_year_wins(office):
    from generator.repository.discovery import discover
    from generator.repository.workspace import load
    catalogue = office / "catalogue" / "2023"
    shutil.copytree(DATA_ROOT / "catalogue", catalogue)
    path = catalogue / "function-classification.csv"
    text = path.read_text(encoding="utf-8")
    assert text.count("\n2089999,其他社会保障和就业支出,") == 1
    path.write_text(text.replace("\n2089999,其他社会保障和就业支出,", "\n2089999,本仓库的名称,"), encoding="utf-8")
    rows = {r[0]: r[1] for r in load(discover(), "304", 2023).publication.scope.t3}
    assert rows["2089999"] == "本仓库的名称"


def test_the_repositorys_template_wins(office):
    from generator import resources
    from generator.repository.discovery import discover
    from generator.repository.workspace import load
    assert load(discover(), "304", 2023).template == resources.TEMPLATE
    (office / "templates").mkdir()
    shutil.copy(resources.TEMPLATE, office / "templates" / "publication.docx")
    assert load(discover(), "304", 2023).template == office / "templates" / "publication.docx"


# ------------------------------------------------------------------ --rev and the stamp

def core_version(path: Path) -> str | None:
    core = zipfile.ZipFile(path).read("docProps/core.xml").decode()
    found = re.search(r"<cp:version>([^<]*)</cp:version>", core)
    return found.group(1) if found else None


def test_rev_build_equals_a_checkout_of_the_revision_and_is_stamped(office, tmp_path, monkeypatch, capsys):
    double_the_relief_project(office)
    git(office, "commit", "-q", "-am", "more relief")
    git(office, "tag", "v2")
    edit(office / UNIT, "  一般公共预算拨款: 818.32", "  一般公共预算拨款: 900.00")  # a dirty working tree
    status, index = git(office, "status", "--porcelain"), (office / ".git" / "index").read_bytes()

    assert budgetpub(["generate", "--dept", "304", "--year", "2023", "--rev", "v1", "--out", str(tmp_path / "at-v1.docx")]) == 0
    assert git(office, "status", "--porcelain") == status  # working tree and index untouched
    assert (office / ".git" / "index").read_bytes() == index
    assert "900.00" in (office / UNIT).read_text(encoding="utf-8")

    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(office), str(clone))
    git(clone, "checkout", "-q", "v1")
    monkeypatch.chdir(clone)
    assert main(["--dept", "304", "--year", "2023", "--out", str(tmp_path / "checkout.docx")]) == 0
    assert (tmp_path / "at-v1.docx").read_bytes() == (tmp_path / "checkout.docx").read_bytes()

    v1 = git(office, "rev-parse", "v1")
    assert core_version(tmp_path / "at-v1.docx") == v1
    text = docx_text(tmp_path / "at-v1.docx")
    assert "数据版本" not in text  # in the properties only, unless budgetpub.toml asks for the cover
    assert "\n1 | 一、一般公共预算拨款收入 | 812.32 |" in text  # the sources of v1, not those of v2 or the working tree


def test_a_dirty_working_tree_is_marked(office, capsys):
    edit(office / "data" / "304" / "2023" / "department.yaml", "government_level: 区级", "government_level: 区级 ")
    assert main(["--dept", "304", "--year", "2023", "--out", "dirty.docx"]) == 0
    head = git(office, "rev-parse", "HEAD")
    assert core_version(office / "dirty.docx") == head + "-dirty"
    assert "数据版本" not in docx_text(office / "dirty.docx")
    # an office that wants the revision on the cover (a draft) says so in budgetpub.toml
    config = office / "budgetpub.toml"
    config.write_text(config.read_text(encoding="utf-8") + 'stamp = "cover"\n', encoding="utf-8")
    assert main(["--dept", "304", "--year", "2023", "--out", "dirty.docx"]) == 0
    assert f"\n数据版本：{head[:7]}（含未提交的修改）\n" in docx_text(office / "dirty.docx")
    config.write_text(config.read_text(encoding="utf-8").replace('stamp = "cover"', 'stamp = "yes"'),
                      encoding="utf-8")
    assert main(["--dept", "304", "--year", "2023", "--out", "dirty.docx"]) == 2
    assert '配置项 stamp 应为 "properties"、"cover" 之一' in capsys.readouterr().err
    git(office, "checkout", "-q", "--", "budgetpub.toml")
    # changes elsewhere (another department) do not mark this one
    git(office, "checkout", "-q", "--", ".")
    edit(office / "data" / "899" / "2024" / "department.yaml", "government_level: 区级", "government_level: 区级 ")
    assert main(["--dept", "304", "--year", "2023", "--out", "clean.docx"]) == 0
    assert core_version(office / "clean.docx") == head


def test_unknown_revision(office, capsys):
    assert budgetpub(["check", "--dept", "304", "--year", "2023", "--rev", "v9"]) == 2
    assert capsys.readouterr().err == "错误：找不到版本 “v9”：请给出提交、标签或分支的名称（git log、git tag 可以列出）。\n"


def test_errors_at_a_revision_name_the_revision(office, capsys):
    edit(office / UNIT, "  一般公共预算拨款: 812.32", "  一般公共预算拨款: 813.32")
    git(office, "commit", "-q", "-am", "a mistake")
    git(office, "checkout", "-q", "HEAD~1", "--", ".")  # the working tree is right again
    assert budgetpub(["check", "--dept", "304", "--year", "2023", "--rev", "HEAD"]) == 2
    assert "\nHEAD:data/304/2023/304001.yaml:11:13: 错误[income.disagrees]" in capsys.readouterr().err
    assert budgetpub(["check", "--dept", "304", "--year", "2023"]) == 0


# ------------------------------------------------------------------ diff

def test_diff_names_the_changed_project_its_delta_and_the_rows_it_moves(office, capsys):
    double_the_relief_project(office)
    git(office, "commit", "-q", "-am", "more relief")
    assert budgetpub(["diff", "--dept", "304", "--year", "2023", "v1", "HEAD"]) == 0
    out = capsys.readouterr().out
    # compact: each changed fact, and under it only the published figures it moves
    project = ("  改动  304001 保定市莲池区工业和信息化局本级 · 项目 · “困难职工春节慰问” · 一般公共预算拨款 · 功能分类 2089999："
               "6.00 → 12.00（+6.00）\n")
    income = "  改动  304001 保定市莲池区工业和信息化局本级 · 收入 · 一般公共预算拨款：812.32 → 818.32（+6.00）\n"
    assert "数据的改动（2 处，单位：万元），每处之下是它使公开的数如何变化：\n" in out
    under_project = out.split(project)[1].split("  改动  ")[0]
    assert ("      部门及本单位 · 表3 支出总表 · 2089999 其他社会保障和就业支出、20899、208、合计：合计 +6.00、项目支出 +6.00\n"
            in under_project)
    assert "      部门及本单位 · 情况说明：支出总计 +6.00、项目支出 +6.00、比上年增减 +6.00、项目支出比上年增减 +6.00\n" \
        in under_project
    assert "收入预算数" not in under_project and "表6" not in out  # income is the other fact's; basic did not move
    under_income = out.split(income)[1].split("  改动  ")[0]
    assert ("      部门及本单位 · 表1 收支总表 · 一、一般公共预算拨款收入、本年收入合计、收入总计：收入预算数 +6.00\n"
            in under_income)
    assert len(out.splitlines()) < 30  # a two-figure change reads in a screen

    assert budgetpub(["diff", "--dept", "304", "--year", "2023", "v1", "HEAD", "--detail"]) == 0
    detail = capsys.readouterr().out
    assert ("  部门 · 表3 支出总表 · 2089999 其他社会保障和就业支出：合计 314.45 → 320.45（+6.00）；"
            "项目支出 314.45 → 320.45（+6.00）") in detail
    assert "  部门 · 表1 收支总表 · 一、一般公共预算拨款收入：收入预算数 812.32 → 818.32（+6.00）" in detail
    assert "  部门 · 情况说明 · 项目支出：438.95 → 444.95（+6.00）" in detail
    assert "  304001 保定市莲池区工业和信息化局本级：各表和情况说明的变化同部门。" in detail
    rows = [line for line in detail.splitlines() if line.startswith("  部门 · ")]
    cells = sum(line.count("→") for line in rows)
    assert f"公开数字的变化（{len(rows)} 行，{cells} 个数）：" in detail  # the counts are what is listed

    assert budgetpub(["diff", "--dept", "304", "--year", "2023", "v1", "HEAD", "--format", "markdown"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("## 保定市莲池区工业和信息化局（部门 304 2023 年：v1 → HEAD）\n")
    assert ("| 改动 | 304001 保定市莲池区工业和信息化局本级 · 项目 · “困难职工春节慰问” · 一般公共预算拨款 · "
            "功能分类 2089999 | 6.00 | 12.00 | +6.00 |") in md
    assert "\n- 部门及本单位 · 表3 支出总表 · 2089999 其他社会保障和就业支出、20899、208、合计：合计 +6.00、项目支出 +6.00\n" in md
    assert budgetpub(["diff", "--dept", "304", "--year", "2023", "v1", "HEAD", "--format", "markdown", "--detail"]) == 0
    md = capsys.readouterr().out
    table = [line for line in md.splitlines() if line.startswith("| 部门 |")]
    assert f"### 公开数字的变化（{len({tuple(r.split(' | ')[1:3]) for r in table})} 行，{len(table)} 个数）" in md
    assert "| 部门 | 表3 支出总表 | 2089999 其他社会保障和就业支出 | 项目支出 | 314.45 | 320.45 | +6.00 |" in md


def test_diff_with_errors_on_one_side_lists_the_facts_and_exits_2(office, capsys):
    edit(office / UNIT, "  一般公共预算拨款: 812.32", "  一般公共预算拨款: 813.32")  # income no longer adds up
    assert budgetpub(["diff", "--dept", "304", "--year", "2023"]) == 2
    out, err = capsys.readouterr()
    assert err.startswith("工作区的数据有错误（1 个），公开的数无法算出：\n")
    assert "错误[income.disagrees]" in err
    assert "有一方的数据有错误（见上），公开的数无法算出，只列出数据的改动。" in out
    assert "  改动  304001 保定市莲池区工业和信息化局本级 · 收入 · 一般公共预算拨款：812.32 → 813.32（+1.00）" in out


def test_diff_without_changes_and_against_the_working_tree(office, capsys):
    assert budgetpub(["diff", "--dept", "304", "--year", "2023"]) == 0
    assert capsys.readouterr().out.endswith("（部门 304 2023 年：HEAD → 工作区）\n\n没有差异。\n")
    double_the_relief_project(office)
    assert budgetpub(["diff", "--dept", "304", "--year", "2023", "v1"]) == 0
    out = capsys.readouterr().out
    assert "v1 → 工作区" in out and "6.00 → 12.00（+6.00）" in out


# ------------------------------------------------------------------ new-year and the prior year

def test_new_year_refuses_to_publish_until_the_amounts_are_entered(office, capsys):
    assert budgetpub(["new-year", "--dept", "899", "--year", "2024"]) == 0
    assert capsys.readouterr().out == "已新建：data/899/2025\n"
    new = office / "data" / "899" / "2025"
    assert sorted(p.name for p in new.iterdir()) == ["899001.yaml", "899002.yaml", "899003.yaml", "department.yaml"]
    dept = (new / "department.yaml").read_text(encoding="utf-8")
    assert "\nyear: 2025\n" in dept
    assert "  basic: 572.59\n  project: 198.00\n  other: 27.50\n" in dept  # 2024's figures as the prior year
    unit = (new / "899001.yaml").read_text(encoding="utf-8")
    assert "  一般公共预算拨款: 361.14  # 待填写\n" in unit
    assert "    公务用车购置费: 18.00\n" in unit  # 2024's 三公 as the prior year's

    assert budgetpub(["generate", "--dept", "899", "--year", "2025"]) == 2
    err = capsys.readouterr().err
    marks = sum(p.read_text(encoding="utf-8").count(f"# {MARK}") for p in new.glob("*.yaml"))
    assert err.count("错误[amount.unfilled]") == marks > 50
    lines = (new / "899001.yaml").read_text(encoding="utf-8").splitlines()
    line = lines.index("  一般公共预算拨款: 361.14  # 待填写")
    assert f"data/899/2025/899001.yaml:{line + 1}:{lines[line].index('#') + 1}: 错误[amount.unfilled]" in err
    assert not (office / "output").exists()

    assert unmark(new, (MARK,)) == marks
    # last year's texts are carried over marked # 待核实: refused until each is confirmed
    assert budgetpub(["check", "--dept", "899", "--year", "2025"]) == 2
    err = capsys.readouterr().err
    texts = sum(p.read_text(encoding="utf-8").count(f"# {VERIFY}") for p in new.glob("*.yaml"))
    assert err.count("错误[text.unverified]") == texts > 10 and "错误[amount.unfilled]" not in err
    unit = (new / "899001.yaml").read_text(encoding="utf-8").splitlines()
    reason = next(i for i, line in enumerate(unit) if line.startswith("    basic: ") and f"# {VERIFY}" in line)
    assert f"data/899/2025/899001.yaml:{reason + 1}:{unit[reason].index('#') + 1}: 错误[text.unverified]" in err
    assert any(line.startswith("  duties: |") and line.endswith(f"# {VERIFY}") for line in unit)  # a block: its key
    unmark(new, (VERIFY,))
    assert budgetpub(["check", "--dept", "899", "--year", "2025"]) == 0
    assert "（899）2025年部门预算：校验通过。" in capsys.readouterr().out
    assert budgetpub(["new-year", "--dept", "899", "--year", "2024"]) == 2  # never overwrites
    assert "已经存在" in capsys.readouterr().err


def prepared_next_year(office) -> Path:
    assert budgetpub(["new-year", "--dept", "899", "--year", "2024"]) == 0
    new = office / "data" / "899" / "2025"
    unmark(new)
    return new


def test_prior_year_from_history_when_the_sources_omit_it(office):
    from generator.repository.discovery import discover
    from generator.repository.workspace import load
    new = prepared_next_year(office)
    for path in new.glob("*.yaml"):  # delete every prior-year figure written in 2025's sources
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\nprior_year:[^\n]*\n(  [^\n]*\n)+", "\n", text)
        text = re.sub(r"\n  prior_year:[^\n]*\n(    [^\n]*\n)+", "\n", text)
        path.write_text(text, encoding="utf-8")
        assert "prior_year" not in text
    pub = load(discover(), "899", 2025).publication
    assert pub.scope.figures.prior_total == pub.scope.figures.expenditure_total  # 2024's = 2025's
    assert pub.scope.figures.prior_basic == load(discover(), "899", 2024).publication.scope.figures.basic
    assert [r.prior for r in pub.scope.sangong_comparison] == [r.current for r in pub.scope.sangong_comparison]


def test_prior_year_written_in_the_sources_must_agree_with_history(office, capsys):
    new = prepared_next_year(office)
    edit(new / "department.yaml", "  basic: 572.59", "  basic: 570.00")
    edit(new / "899003.yaml", "    公务接待费: 1.70", "    公务接待费: 1.50")
    assert budgetpub(["check", "--dept", "899", "--year", "2025"]) == 2
    err = capsys.readouterr().err
    assert ("data/899/2025/department.yaml:9:10: 错误[history.prior-disagrees] 部门上年基本支出：本年数据写的是 "
            "570.00 万元，按 2024 年的预算数据算得 572.59 万元。两处须一致：改正其中一处，或删去本年数据中的 "
            "prior_year，由上年数据给出。（字段：prior_year.basic）\n"
            "    另见 data/899/2024/department.yaml:3:1\n") in err
    assert ("data/899/2025/899003.yaml:65:12: 错误[history.prior-disagrees] 单位 899003 “三公”经费上年公务接待费："
            "本年数据写的是 1.50 万元，按 2024 年的预算数据算得 1.70 万元。") in err
    assert "\n    另见 data/899/2024/899003.yaml:58:3（字段：sangong）\n" in err


def test_without_history_the_sources_prior_year_is_used(office):
    from generator.repository.discovery import discover
    from generator.repository.workspace import load
    new = prepared_next_year(office)
    edit(new / "department.yaml", "  basic: 572.59", "  basic: 570.00")
    edit(new / "899001.yaml", "  basic: 307.14", "  basic: 304.55")
    shutil.rmtree(office / "data" / "899" / "2024")
    pub = load(discover(), "899", 2025).publication
    assert pub.scope.figures.prior_basic == pub.scope.figures.basic - 2 - __import__("decimal").Decimal("0.59")


# ------------------------------------------------------------------ init, hooks, textconv

def test_init_then_check(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("BUDGETPUB_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    assert budgetpub(["init", "new", "--dept", "512", "--name", "示例县示例局", "--year", "2025"]) == 0
    repo = tmp_path / "new"
    assert (repo / "budgetpub.toml").is_file()
    assert (repo / ".gitignore").read_text(encoding="utf-8") == "output/\n"
    assert "*.docx diff=docx" in (repo / ".gitattributes").read_text(encoding="utf-8")
    assert "exec budgetpub check" in (repo / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    for name, kind in (("department.yaml", "department"), ("512001.yaml", "unit")):  # the editor's schema
        first = (repo / "data" / "512" / "2025" / name).read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=../../../.budgetpub/{kind}.schema.json"
        assert json.loads((repo / ".budgetpub" / f"{kind}.schema.json").read_text(encoding="utf-8"))["properties"]
    capsys.readouterr()
    monkeypatch.chdir(repo / "data")
    assert budgetpub(["check", "--dept", "512", "--year", "2025"]) == 2
    err = capsys.readouterr().err
    source = repo / "data" / "512" / "2025"
    # one error per item to fill, each at file:line: every value marked “# 待填写”, every text “待填写：…”
    items = sorted((f"512/2025/{path.name}", n) for path in source.glob("*.yaml")
                   for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                   if not line.lstrip().startswith("#") and ("# 待填写" in line or "待填写：" in line))
    errors = re.findall(r"^(\S+?\.yaml):(\d+):(?:\d+:)? 错误\[([a-z.-]+)\]", err, re.M)  # relative to data/
    assert len(items) == 14 and len(errors) == 14, err
    assert sorted((f, int(n)) for f, n, _ in errors) == items, err
    assert {code for *_, code in errors} == {"amount.unfilled", "text.placeholder"}, err
    for path in source.glob("*.yaml"):  # the finance office fills the skeleton in
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"0\.00(\}?)(\s*)# 待填写[：]?", r"120.00\1\2# ", text)
        text = re.sub(r"# 待填写[：]?", "# ", text)
        text = re.sub(r"待填写：(.*)", r"（本单位的实际内容）\1", text).replace("（本单位的实际内容）部门", "本部门")
        text = text.replace("（本单位的实际内容）单位", "本单位").replace("（本单位的实际内容）专项资金绩效目标，没有时写“无”", "无")
        path.write_text(text, encoding="utf-8")
    (source / "department.yaml").write_text((source / "department.yaml").read_text(encoding="utf-8").replace(
        "  project: 120.00", "  project: 0.00"), encoding="utf-8")
    assert budgetpub(["check", "--dept", "512", "--year", "2025"]) == 0, capsys.readouterr().err
    out, err = capsys.readouterr()
    assert "示例县示例局（512）2025年部门预算：校验通过。" in out
    assert "错误[" not in err and "警告[procurement.unstated]" in err  # what the skeleton leaves out is named
    assert budgetpub(["init", str(repo), "--dept", "512", "--name", "示例县示例局", "--year", "2025"]) == 2


def test_the_example_carries_on_to_next_year_with_its_editor_schemas(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("BUDGETPUB_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    assert budgetpub(["init", "office", "--example"]) == 0
    repo = tmp_path / "office"
    stale = repo / ".budgetpub" / "unit.schema.json"
    stale.write_text("{}", encoding="utf-8")  # an older budgetpub's schema
    monkeypatch.chdir(repo)
    assert budgetpub(["new-year", "--dept", "899", "--year", "2024"]) == 0
    first = (repo / "data" / "899" / "2025" / "899002.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../../.budgetpub/unit.schema.json"
    assert stale.read_bytes() == (Path(__file__).resolve().parent.parent / "schemas" / "unit.schema.json").read_bytes()
    capsys.readouterr()
    assert budgetpub(["init", "other", "--example", "--dept", "899"]) == 2
    assert "不与 --dept" in capsys.readouterr().err
    assert budgetpub(["init", "other", "--example", "123"]) == 2
    assert "没有编码为 123 的示例部门" in capsys.readouterr().err


def test_check_of_changed_files_for_the_pre_commit_hook(office, capsys):
    hook = (Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "entry: budgetpub check" in hook
    assert budgetpub(["check", "data/304/2023/304001.yaml", "data/899/2024/899002.yaml", "README.md"]) == 0
    out = capsys.readouterr().out
    assert "（304）2023年部门预算：校验通过。" in out and "（899）2024年部门预算：校验通过。" in out
    edit(office / UNIT, "  一般公共预算拨款: 812.32", "  一般公共预算拨款: 813.32")
    assert budgetpub(["check", "data/304/2023/304001.yaml", "data/899/2024/899002.yaml"]) == 2


def test_textconv_prints_paragraphs_and_table_rows(office, capsys):
    assert main(["--dept", "304", "--year", "2023", "--out", "p.docx"]) == 0
    capsys.readouterr()
    assert budgetpub(["textconv", "p.docx"]) == 0
    out = capsys.readouterr().out
    assert "[title] 保定市莲池区工业和信息化局2023年部门预算\n" in out
    assert "\n保定市莲池区工业和信息化局\n2023年部门预算\n" in out
    assert re.search(r"\n1 \| 一、一般公共预算拨款收入 \| 812\.32 \| 一、一般公共服务支出 \| [0-9.]*\n", out)


def _docx_with(tmp_path: Path, parts: dict[str, str]) -> Path:
    """The packaged template with ``parts`` added or replaced: a file someone committed."""
    from generator.resources import TEMPLATE
    path = tmp_path / "sent.docx"
    with zipfile.ZipFile(TEMPLATE) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename not in parts:
                out.writestr(info.filename, src.read(info.filename))
        for name, text in parts.items():
            out.writestr(name, text)
    return path


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_textconv_keeps_what_it_shows_within_bounds(tmp_path, monkeypatch, capsys):
    """textconv runs in git diff on what anyone committed: the text it holds to print, a part it parses
    whole and the template markup it lists one by one are bounded; past them it says so in Chinese."""
    from generator.repository import textconv
    body = "".join(f"<w:p><w:r><w:t>第{i}段</w:t></w:r></w:p>" for i in range(50))
    markup = "".join(f'<w:p><w:r><w:instrText>{{{{ x{i} }}}}</w:instrText></w:r></w:p>' for i in range(5))
    path = _docx_with(tmp_path, {"word/document.xml": f"<w:document {W_NS}><w:body>{body}{markup}</w:body></w:document>"})
    assert budgetpub(["textconv", str(path)]) == 0
    out = capsys.readouterr().out
    assert "第49段" in out and "{{ x4 }}" in out
    monkeypatch.setattr(textconv, "MAX_HIDDEN", 3)  # more markup than is listed one by one: counted, not dropped
    assert budgetpub(["textconv", str(path)]) == 0
    out = capsys.readouterr().out
    assert "{{ x0 }}" in out and "{{ x4 }}" not in out  # (the template's own title property counts too)
    assert re.search(r"（另有 [23] 处模板标记未逐一列出", out)
    monkeypatch.setattr(textconv, "MAX_TEXT", 100)
    assert budgetpub(["textconv", str(path)]) == 2
    assert "中的文字超过" in capsys.readouterr().err
    monkeypatch.setattr(textconv, "MAX_TEXT", 50_000_000)
    monkeypatch.setattr(textconv, "PART_BYTES", 1000)
    footer = f"<w:ftr {W_NS}>" + "<w:p><w:r><w:t>页脚</w:t></w:r></w:p>" * 100 + "</w:ftr>"
    assert budgetpub(["textconv", str(_docx_with(tmp_path, {"word/footer9.xml": footer}))]) == 2
    assert re.search(r"其中的 word/footer[19]\.xml 解压后有 .*页眉、页脚、批注或属性不会这么大", capsys.readouterr().err)


# ------------------------------------------------------------------ the command line

def test_budgetpub_help_is_chinese_and_documents_exit_codes(capsys):
    with pytest.raises(SystemExit) as stop:
        budgetpub(["--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    for verb in VERBS:
        assert verb in out
    assert "退出码：" in out and "130" in out and "  2    使用者的错误" in out
    with pytest.raises(SystemExit):
        budgetpub(["--version"])
    assert re.fullmatch(r"budgetpub \d+\.\d+\.\d+\n", capsys.readouterr().out)


def test_generate_and_budgetpub_generate_are_the_same(office, capsys):
    assert main(["--dept", "304", "--year", "2023", "--out", "a.docx"]) == 0
    assert budgetpub(["generate", "--dept", "304", "--year", "2023", "--out", "b.docx"]) == 0
    assert (office / "a.docx").read_bytes() == (office / "b.docx").read_bytes()


def test_the_sample_department_has_two_consecutive_years_that_agree(tmp_path):
    from generator import build
    from generator.errors import InvalidSources
    publication, _ = build(DATA_ROOT, "899", 2024)  # its prior year checked against data/899/2023
    earlier, _ = build(DATA_ROOT, "899", 2023)
    assert publication.scope.figures.prior_total == earlier.scope.figures.expenditure_total
    comparison = {r.category: r.prior for r in publication.scope.sangong_comparison}
    assert comparison == {r.category: r.current for r in earlier.scope.sangong_comparison}

    shutil.copytree(DATA_ROOT / "899", tmp_path / "data" / "899")  # 2024 consistent in itself, not with 2023
    edit(tmp_path / "data" / "899" / "2024" / "department.yaml", "  basic: 560.20", "  basic: 561.20")
    edit(tmp_path / "data" / "899" / "2024" / "899001.yaml", "  basic: 298.60", "  basic: 299.60")
    with pytest.raises(InvalidSources) as raised:
        build(tmp_path / "data", "899", 2024)
    found = [(p.code, str(p.location), [str(r) for r in p.related]) for p in raised.value.report.errors]
    assert found == [
        ("history.prior-disagrees", "data/899/2024/department.yaml:9:10", ["data/899/2023/department.yaml:3:1"]),
        ("history.prior-disagrees", "data/899/2024/899001.yaml:82:10", ["data/899/2023/899001.yaml:2:1"]),
    ]


def test_a_budget_repository_in_a_subfolder_of_a_git_repository(office, tmp_path, monkeypatch, capsys):
    outer = tmp_path / "outer"
    shutil.copytree(office, outer / "budget", ignore=shutil.ignore_patterns(".git"))
    git(tmp_path, "init", "-q", str(outer))
    git(outer, "add", "-A")
    git(outer, "commit", "-q", "-m", "budget in a subfolder")
    double_the_relief_project(outer / "budget")
    monkeypatch.chdir(outer / "budget" / "data")
    assert budgetpub(["generate", "--dept", "304", "--year", "2023", "--rev", "HEAD", "--out",
                      str(tmp_path / "head.docx")]) == 0
    assert main(["--dept", "304", "--year", "2023", "--out", str(tmp_path / "now.docx")]) == 0
    head = git(outer, "rev-parse", "HEAD")
    assert core_version(tmp_path / "head.docx") == head
    assert core_version(tmp_path / "now.docx") == head + "-dirty"
    assert "\n1 | 一、一般公共预算拨款收入 | 812.32 |" in docx_text(tmp_path / "head.docx")
    assert "\n1 | 一、一般公共预算拨款收入 | 818.32 |" in docx_text(tmp_path / "now.docx")


def test_configuration_names_the_folders_and_rejects_unknown_keys(office, monkeypatch, capsys):
    (office / "data").rename(office / "sources")
    (office / "budgetpub.toml").write_text('data = "sources"\noutput = "published"\n', encoding="utf-8")
    monkeypatch.chdir(office / "sources")
    assert main(["--dept", "304", "--year", "2023"]) == 0
    assert capsys.readouterr().out == f"已生成：../published/304/2023/{NAME_304}\n"
    (office / "budgetpub.toml").write_text('data = "sources"\ntemplate = "x.docx"\n', encoding="utf-8")
    assert main(["--dept", "304", "--year", "2023"]) == 2
    assert capsys.readouterr().err == "错误：../budgetpub.toml: 未知的配置项 “template”。允许的配置项：data、output、stamp。\n"


def test_missing_department_is_shown_where_the_user_stands(office, capsys):
    assert budgetpub(["check", "--dept", "305", "--year", "2023"]) == 2
    assert capsys.readouterr().err == "错误：找不到部门 305 2023 年的预算数据目录：data/305/2023\n"


def test_diff_between_two_years(office, capsys):
    shutil.copytree(DATA_ROOT / "899" / "2023", office / "data" / "899" / "2023")
    assert budgetpub(["diff", "--dept", "899", "--year", "2023", "--to-year", "2024", "--detail"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("示例市示例区文化和旅游局（部门 899：2023 年 → 2024 年）\n")
    assert ("  改动  899001 示例市示例区文化和旅游局本级 · 项目 · “文化市场执法检查” · 一般公共预算拨款 · "
            "功能分类 2070112：30.00 → 36.00（+6.00）") in out
    assert "  新增  899001 示例市示例区文化和旅游局本级 · 项目 · “公务用车更新购置”" in out
    assert "  部门 · 情况说明 · 项目支出：130.00 → 198.00（+68.00）" in out


def test_a_broken_prior_year_is_reported_before_it_is_used(office, capsys):
    new = prepared_next_year(office)
    assert budgetpub(["check", "--dept", "899", "--year", "2025"]) == 0
    edit(office / "data" / "899" / "2024" / "899002.yaml", "  一般公共预算拨款: 208.11", "  一般公共预算拨款: 208.12")
    capsys.readouterr()
    assert budgetpub(["check", "--dept", "899", "--year", "2025"]) == 2
    err = capsys.readouterr().err
    assert ("data/899/2025/department.yaml:9:3: 错误[history.prior-invalid] 2024 年的预算数据有错误，"
            "不能用作上年数（见下）。请先改正上年数据。") in err
    assert "data/899/2024/899002.yaml:10:13: 错误[income.disagrees]" in err
    assert new.is_dir()


def test_diff_reads_assets_given_by_count_only():
    # 898's units give some asset kinds as a count without a value (the value is None): diff lists the
    # values that are given and skips the rest (it stopped with a TypeError on the first count)
    from decimal import Decimal

    from generator import build
    from generator.repository import diff
    pub, _ = build(DATA_ROOT, "898", 2024)
    assets = {k: v for k, v in diff.facts(pub.department).items() if k[1] == "国有资产"}
    assert assets == {("898002 示例市示例区示例街道社区服务中心", "国有资产", "车辆（台、辆）"): Decimal("0")}


def test_the_pre_commit_hook_says_in_one_line_what_to_put_on_path(tmp_path, monkeypatch):
    # pre-commit runs the entry with the files appended, with whatever PATH git has: without the venv's
    # bin on it, one line says what to do (not pre-commit's "Executable `budgetpub` not found")
    import shlex

    import yaml
    monkeypatch.chdir(tmp_path)
    assert budgetpub(["init", "repo", "--dept", "512", "--name", "示例县示例局", "--year", "2025"]) == 0
    hook = yaml.safe_load((tmp_path / "repo" / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (entry,) = [h["entry"] for r in hook["repos"] for h in r["hooks"]]
    argv = shlex.split(entry) + ["data/512/2025/512001.yaml"]
    bare = subprocess.run(argv, cwd=tmp_path / "repo", capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert (bare.returncode, bare.stdout) == (1, "")
    assert bare.stderr.strip().count("\n") == 0 and "budgetpub 不在 PATH 上" in bare.stderr
    bin_dir = str(Path(sys.executable).parent)  # the venv running the tests has budgetpub
    found = subprocess.run(argv, cwd=tmp_path / "repo", capture_output=True, text=True,
                           env={"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path)})
    assert found.returncode == 2 and "错误[amount.unfilled]" in found.stderr  # it ran check on the skeleton
