"""generate --year Y --all: every department of the year, in a process pool; failures summarized."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from generator import DATA_ROOT
from generator.cli import main
from generator.cli.batch import Outcome, Progress, departments, run_one


def copy_304(root: Path, code: str) -> Path:
    """data/304/2023 as department ``code`` (its code and its unit's code changed)."""
    folder = root / code / "2023"
    shutil.copytree(DATA_ROOT / "304" / "2023", folder)
    dept = folder / "department.yaml"
    dept.write_text(dept.read_text(encoding="utf-8").replace('code: "304"', f'code: "{code}"'), encoding="utf-8")
    unit = folder / "304001.yaml"
    text = unit.read_text(encoding="utf-8").replace('code: "304001"', f'code: "{code}001"')
    unit.unlink()
    (folder / f"{code}001.yaml").write_text(text, encoding="utf-8")
    return folder


def data_with_a_broken_department(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(DATA_ROOT / "304", root / "304")
    shutil.copytree(DATA_ROOT / "899" / "2024", root / "899" / "2024")  # another year: not in the 2023 batch
    shutil.copytree(DATA_ROOT / "catalogue", root / "catalogue")
    copy_304(root, "306")
    broken = copy_304(root, "305") / "305001.yaml"
    text = broken.read_text(encoding="utf-8")
    assert text.count("rank: 正科级") == 1
    broken.write_text(text.replace("rank: 正科级", "rank 正科级"), encoding="utf-8")
    return root


def test_departments_of_a_year(tmp_path):
    root = data_with_a_broken_department(tmp_path)
    assert departments(root, 2023) == ["304", "305", "306"]
    assert departments(root, 2024) == ["899"]
    assert departments(root, 2025) == []


def test_all_renders_the_good_ones_and_reports_the_broken_one(tmp_path, capsys):
    root = data_with_a_broken_department(tmp_path)
    out = tmp_path / "out"
    code = main(["--year", "2023", "--all", "--data", str(root), "--out", str(out), "--jobs", "2"])
    captured = capsys.readouterr()
    assert code == 2
    written = sorted(p.relative_to(out).parts[:2] for p in out.rglob("*.docx"))
    assert written == [("304", "2023"), ("306", "2023")]
    assert "2023 年共 3 个部门：成功 2 个，失败 1 个。" in captured.out
    assert "以下 1 个部门失败" in captured.err
    failure = [l for l in captured.err.splitlines() if l.startswith("  305：")]
    assert len(failure) == 1
    assert failure[0].endswith("305/2023/305001.yaml:6:1: 错误[yaml.syntax] YAML 语法错误："
                               "这一行缺少冒号：应写成“键: 值”（冒号后加空格）。")
    # not a terminal: one plain line per department, in the order they finish
    lines = [l for l in captured.err.splitlines() if l.startswith("[")]
    assert len(lines) == 3 and lines[-1].startswith("[3/3] ")
    assert sorted(l.split("] ")[1][:4] for l in lines) == ["304：", "305：", "306："]


def test_all_succeeds_when_every_department_does(tmp_path, capsys):
    root = data_with_a_broken_department(tmp_path)
    shutil.rmtree(root / "305")
    assert main(["--year", "2023", "--all", "--check", "--data", str(root)]) == 0
    captured = capsys.readouterr()
    assert "成功 2 个，失败 0 个" in captured.out and "以下" not in captured.err


def test_all_without_departments_is_an_error(tmp_path, capsys):
    assert main(["--year", "2030", "--all", "--data", str(tmp_path)]) == 2
    assert "没有 2030 年的部门" in capsys.readouterr().err


def test_dept_or_all_but_not_both(capsys):
    for argv in (["--year", "2023"], ["--year", "2023", "--all", "--dept", "304"]):
        assert main(argv + ["--data", str(DATA_ROOT)]) == 2
        assert "二者选一" in capsys.readouterr().err


def test_an_internal_error_is_reported_and_does_not_raise(monkeypatch):
    def broken_build(*args):
        raise KeyError("boom")

    import generator.repository.workspace

    monkeypatch.setattr(generator.repository.workspace, "load", broken_build)
    outcome = run_one(str(DATA_ROOT), "304", 2023, None, True)
    assert (outcome.ok, outcome.internal) == (False, True)
    assert outcome.detail.startswith("内部错误 KeyError: 'boom'")


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_on_a_terminal():
    stream = _Terminal()
    progress = Progress(2, stream)
    progress.update(Outcome("304", True, "x"))
    progress.update(Outcome("305", False, "y"))
    text = stream.getvalue()
    assert text.startswith("\r[###############...............] 1/2 个部门，失败 0")
    assert "\r[##############################] 2/2 个部门，失败 1" in text and text.endswith("\n")


def test_a_warning_of_many_departments_is_said_once_with_their_codes():
    from generator.cli.batch import Outcome, summary
    no_lo = "警告：未找到 LibreOffice，目录中的页码留待 Word 填写。"
    outcomes = [Outcome(str(800 + i), True, f"out/{800 + i}.docx", notices=(no_lo,)) for i in range(12)]
    outcomes.append(Outcome("899", True, "out/899.docx"))
    good, bad = summary(outcomes, 2030)
    assert bad.count(no_lo) == 1
    assert f"{no_lo}（12 个部门：800、801、802、803、804、805、806、807、808、809 等）" in bad
    assert "899" not in bad and "成功 13 个" in good
