"""Hostile or unlucky input outside the sources' content: paths, permissions, arguments, pipes, templates.

Each ends in the report (exit 2, Chinese, no traceback) or is harmless by construction.
"""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from sourcetree import DEPT, UNIT, tree  # noqa: F401 (tree is a fixture)

import generator.document.render as render
import generator.formats.output as output
from generator import DATA_ROOT
from generator.cli import main
from generator.cli.runner import ChineseArgumentParser, translate
from generator.errors import OutputError, Report
from generator.errors import os_reason as reason
from generator.sources.reader import read_document

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def no_data_env(monkeypatch):
    monkeypatch.delenv("BUDGETPUB_DATA", raising=False)


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------- output paths

HOSTILE_NAMES = [
    ("/abs/path", "_abs_path"),
    ("../../etc/x", "_.._etc_x"),
    ("工业/信息化局", "工业_信息化局"),
    ("a\\b:c*?\"<>|d", "a_b_c_d"),
    ("..", "304"),
    ("  .hidden", "hidden"),
    ("第一行\u2028第二行", "第一行_第二行"),
    ("长" * 200, "长" * 60),
]


@pytest.mark.parametrize("name, segment", HOSTILE_NAMES, ids=range(len(HOSTILE_NAMES)))
def test_default_path_is_one_segment_under_output(name, segment):
    pub = SimpleNamespace(department=SimpleNamespace(code="304", year=2023, name=name, publishes="部门预算"))
    path = output.default_path(pub)
    assert path == Path("output", "304", "2023", f"{segment}2023年部门预算.docx")
    assert len(path.name.encode("utf-8")) < 255


def test_department_name_with_a_path_writes_under_output_only(tree, tmp_path, monkeypatch, capsys):
    tree.replace(DEPT, "name: 保定市莲池区工业和信息化局", "name: /tmp/工业/../信息化局")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    code, out, err = run(["--dept", "304", "--year", "2023", "--data", str(tree.root)], capsys)
    assert code == 0, err
    written = [p for p in tmp_path.rglob("*.docx")]
    assert len(written) == 1
    assert written[0].parts[-4:] == ("output", "304", "2023", "_tmp_工业_.._信息化局2023年部门预算.docx")
    assert not Path("/tmp/工业").exists()


def test_read_only_output_is_not_replaced(tmp_path, capsys):
    target = tmp_path / "pub.docx"
    target.write_bytes(b"protected")
    target.chmod(0o444)
    for extra in ([], ["--check"]):  # the dry run fails where generation would
        code, out, err = run(["--dept", "304", "--year", "2023", "--out", str(target), *extra], capsys)
        assert (code, out) == (2, "")
        assert err == f"错误：输出文件 {target} 是只读的，不会替换它：如需重新生成，请先取消只读属性或删除它。\n"
    assert target.read_bytes() == b"protected"
    assert stat.S_IMODE(target.stat().st_mode) == 0o444


def test_replaced_output_keeps_its_mode(tmp_path, capsys):
    target = tmp_path / "pub.docx"
    target.write_bytes(b"old")
    target.chmod(0o640)
    code, _, _ = run(["--dept", "304", "--year", "2023", "--out", str(target)], capsys)
    assert code == 0
    assert target.read_bytes()[:2] == b"PK"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_out_under_a_file(tmp_path, capsys):
    (tmp_path / "f").write_text("a file")
    for out_path in (tmp_path / "f" / "x.docx", tmp_path / "f" / "sub" / "x.docx"):
        code, out, err = run(["--dept", "304", "--year", "2023", "--out", str(out_path)], capsys)
        assert (code, out) == (2, "")
        assert err == f"错误：无法写入 {out_path}：{tmp_path / 'f'} 是一个文件，不是目录。\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f"]


def test_out_is_a_directory(tmp_path, capsys):
    (tmp_path / "x.docx").mkdir()
    code, out, err = run(["--dept", "304", "--year", "2023", "--out", str(tmp_path / "x.docx")], capsys)
    assert (code, out, err) == (2, "", f"错误：无法写入 {tmp_path / 'x.docx'}：已有同名的目录。\n")


def test_out_must_be_docx(tmp_path, capsys):
    code, out, err = run(["--dept", "304", "--year", "2023", "--check", "--out", str(tmp_path / "x.txt")], capsys)
    assert (code, out, err) == (2, "", f"错误：输出文件应以 .docx、.pdf 或 .xlsx 结尾：{tmp_path / 'x.txt'}\n")


def test_write_error_has_a_chinese_reason(tmp_path, monkeypatch, capsys):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(output.tempfile, "mkstemp", full)
    target = tmp_path / "pub.docx"
    code, out, err = run(["--dept", "304", "--year", "2023", "--out", str(target)], capsys)
    assert (code, out, err) == (2, "", f"错误：无法写入 {target}：磁盘空间不足。\n")
    assert list(tmp_path.iterdir()) == []


def test_check_renders_like_generate(monkeypatch, capsys):
    import generator.formats.publish as publish

    def broken(pub, *args):
        raise OutputError("排版失败（测试）。")
    monkeypatch.setattr(publish, "render_parts", broken)  # the one rendering generate and check share
    code, out, err = run(["--dept", "304", "--year", "2023", "--check"], capsys)
    assert (code, out, err) == (2, "", "错误：排版失败（测试）。\n")


@pytest.mark.parametrize("verb", [[], ["--check"]])
def test_a_document_of_the_packaged_template_that_cannot_be_read_back_is_a_bug_not_a_traceback(
        verb, tmp_path, monkeypatch, capsys):
    """verify's reading has bounds (a compression ratio, a count of cells) that a document budgetpub
    renders from its own template should never pass; if one did, generate and check say it is
    budgetpub's fault (exit 3) and write nothing. (A repository's template that makes such a document
    is the user's: tests/corpus/hostile/template-repeated-cells.yaml.)"""
    import generator.formats.publish as publish
    from generator.verify import UnreadableDocument

    def unreadable(data, omit=()):
        raise UnreadableDocument("无法作为 Word 文件（.docx）读取：其中的表格过大（测试）。")
    monkeypatch.setattr(publish, "check_generated", unreadable)
    monkeypatch.setenv("BUDGETPUB_SOFFICE", "/nonexistent")  # (the layout only fills in page numbers)
    target = tmp_path / "304.docx"
    code, out, err = run(["--dept", "304", "--year", "2023", "--out", str(target)] + verb, capsys)
    assert (code, out) == (3, "")
    assert err.startswith("错误：刚生成的文件无法读回核对，未写入任何文件。无法作为 Word 文件（.docx）读取：其中的表格过大（测试）。"
                          "这是 budgetpub 的缺陷"), err
    assert "Traceback" not in err and list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- templates

@pytest.mark.parametrize("tag", ['{% include "/etc/hostname" %}', '{% import "/etc/hostname" as x %}',
                                 '{% extends "/etc/hostname" %}'])
def test_the_template_environment_cannot_load_files(tag):
    env = render.jinja_env()
    assert env.loader is None
    with pytest.raises(TypeError, match="no loader"):
        env.from_string(tag).render()


# ---------------------------------------------------------------- unreadable sources

def test_unreadable_file_is_reported(tree, monkeypatch):
    import generator.files as files
    real_open = os.open

    def deny(path, *args, **kwargs):
        if str(path).endswith(UNIT):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)
    monkeypatch.setattr(files.os, "open", deny)
    report = tree.report()
    assert [p.format() for p in report.errors] == [
        "data/304/2023/304001.yaml: 错误[files.unreadable] 无法读取这个文件：没有权限。"]


def test_unreadable_folder_is_reported(tree, monkeypatch, capsys):
    real_scandir = os.scandir

    def deny(path="."):
        if str(path).endswith("2023"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)
    monkeypatch.setattr(os, "scandir", deny)
    code, out, err = run(["--dept", "304", "--year", "2023", "--check", "--data", str(tree.root)], capsys)
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert lines[0] == "304 2023 年预算数据有错误，未生成任何文件：" and lines[2] == "共 1 个错误，0 个警告。"
    assert lines[1].endswith("data/304/2023: 错误[files.unreadable] 无法读取这个目录：没有权限。"), err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file: the monkeypatched tests above cover it")
def test_really_unreadable_file(tree):  # pragma: no cover - runs for a non-root developer
    (tree.dir / UNIT).chmod(0)
    try:
        assert [p.code for p in tree.report().errors] == ["files.unreadable"]
    finally:
        (tree.dir / UNIT).chmod(0o644)


def test_folder_named_like_a_unit(tree):
    (tree.dir / "304999.yaml").mkdir()
    assert [p.format() for p in tree.report().errors] == [
        "data/304/2023/304999.yaml: 错误[files.unreadable] 无法读取这个文件：这是一个目录，不是文件。"]


def test_os_reasons_are_chinese():
    assert reason(PermissionError(errno.EACCES, "Permission denied")) == "没有权限"
    assert reason(FileExistsError(errno.EEXIST, "File exists")) == "已存在同名的文件或目录"
    assert reason(OSError(9999, "Something")) == "系统错误（错误号 9999）"


# ---------------------------------------------------------------- hostile YAML, timed loosely

def test_alias_bomb_is_rejected_fast_and_small(tmp_path):
    lines = ["b0: &b0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"b{i}: &b{i} [" + ", ".join([f"*b{i - 1}"] * 9) + "]" for i in range(1, 10)]
    path = tmp_path / "x.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = Report()
    started = time.process_time()
    assert read_document(path, "x.yaml", report) is None
    assert time.process_time() - started < 5  # a correctness bound (it used to take minutes), not a benchmark
    assert [p.code for p in report.problems] == ["yaml.alias-bomb"]


def test_huge_number_is_not_repeated(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("amount: " + "9" * 5000 + "\n", encoding="utf-8")
    report = Report()
    read_document(path, "x.yaml", report)
    [problem] = report.problems
    assert problem.format() == ("x.yaml:1:9: 错误[yaml.number-too-long] 数字太长（5,000 个字符：999999999999…9999）："
                                "金额和编码都不会这么长，请检查。（字段：amount）")


# ---------------------------------------------------------------- arguments

@pytest.mark.parametrize("argv, message", [
    (["--dept", "304", "--year", "abc"], "参数 --year：应为四位数的预算年度，如 2023，而不是 “abc”"),
    (["--dept", "304", "--year", "２０２３"], "参数 --year：应为四位数的预算年度，如 2023，而不是 “２０２３”"),
    (["--dept", "304", "--year", "2_023"], "参数 --year：应为四位数的预算年度，如 2023，而不是 “2_023”"),
    (["--dept", "304", "--year", " 2023"], "参数 --year：应为四位数的预算年度，如 2023，而不是 “ 2023”"),
    (["--dept", "304"], "缺少必需的参数：--year"),
    ([], "缺少必需的参数：--year"),
    (["--dept", "304", "--year", "2023", "--bogus"], "无法识别的参数：--bogus"),
    (["--dept", "304", "--year"], "参数 --year 后面应跟一个值"),
], ids=["letters", "fullwidth", "underscore", "space", "missing", "none", "unknown", "no-value"])
def test_argument_errors_are_chinese(argv, message, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    out, err = capsys.readouterr()
    assert (exc.value.code, out) == (2, "")
    assert err.startswith("用法：generate [-h] ")
    assert err.splitlines()[-1] == f"generate：错误：{message}。"


def test_dept_accepts_codes_only(capsys):
    for dept in ("３０４", "304/..", "/etc", "304 "):
        assert main(["--dept", dept, "--year", "2023", "--check"]) == 2
        out, err = capsys.readouterr()
        assert (out, err) == ("", f"错误：--dept 应为部门编码（数字），如 304，而不是 “{dept}”。\n")


def test_help_is_chinese(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    out, _ = capsys.readouterr()
    assert exc.value.code == 0
    assert out.startswith("用法：generate")
    assert "\n选项：\n" in out and "显示本帮助并退出" in out and "显示版本并退出" in out
    assert "show this help" not in out and "usage:" not in out


def test_subcommand_errors_are_chinese_too():
    parser = ChineseArgumentParser(prog="budgetpub")
    sub = parser.add_subparsers(dest="verb", required=True)
    sub.add_parser("check").add_argument("--year", type=int, required=True)
    assert translate("argument --year: invalid int value: 'abc'") == "参数 --year 的值 “abc” 无效：应为整数"
    assert translate("argument verb: invalid choice: 'x' (choose from 'check')") == \
        "参数 verb 的值 “x” 无效：可选的值为 'check'"
    with pytest.raises(SystemExit):
        parser.parse_args(["check", "--year", "abc"])


# ---------------------------------------------------------------- pipes

def test_broken_pipe_is_quiet(tmp_path):
    child = subprocess.Popen([sys.executable, "-m", "generator", "--dept", "304", "--year", "2023", "--check",
                              "--data", str(DATA_ROOT)],
                             cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    child.stdout.close()  # the reader went away, as `| head -0` does
    stderr = child.stderr.read().decode()
    assert (child.wait(timeout=120), stderr) == (141, "")
