"""The hostile corpus: budget repositories, revisions and documents made to run code, write or read
outside, hang, exhaust memory or be misread (tests/corpus/hostile/, see tests/corpus/README.md).

Each case sets up a repository in git (tests/hostilerepo.py) and runs budgetpub verbs on it. For
every run: the exit code the case expects, the error codes and the words it expects, no traceback,
every line of stderr Chinese, nothing written in the folder outside the repository (where the
payloads point), no marker file of a payload anywhere, and no temporary file left.

Also here: no verb lets a traceback escape on any case of the source corpus (tests/corpus/*.yaml),
whether the broken sources are in the working tree or in a revision.
"""

from __future__ import annotations

import re
import shlex
import signal
import tempfile
from pathlib import Path

import pytest
import yaml
from hostilerepo import HostileRepo
from test_corpus import CASES as SOURCE_CASES
from test_corpus import apply as apply_source_edit

import generator.document.render as render
from generator.cli import budgetpub

CORPUS = Path(__file__).parent / "corpus" / "hostile"
CASES = sorted(CORPUS.glob("*.yaml"))
CJK = re.compile(r"[\u4e00-\u9fff]")
SECONDS_PER_RUN = 120  # a run that takes longer has hung: the test fails instead of waiting for ever


def test_the_hostile_corpus_covers_every_class():
    names = [c.stem for c in CASES]
    assert len(names) >= 75
    for prefix in ("template-", "rev-", "amount-", "name-", "unit-file-", "catalogue-", "prose-", "config-",
                   "document-", "new-year-", "init-"):
        assert any(n.startswith(prefix) for n in names), prefix


class _Hung(Exception):
    pass


def _alarm(signum, frame):
    raise _Hung()


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """A TMPDIR of the test's own (to find what is left behind), no data folder from the environment."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    for var in ("BUDGETPUB_DATA", "SOURCE_DATE_EPOCH"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("BUDGETPUB_SOFFICE", "/nonexistent")  # no LibreOffice here: the signal tests drive it
    previous = signal.signal(signal.SIGALRM, _alarm)
    yield tmp
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    signal.alarm(SECONDS_PER_RUN)
    try:
        code = budgetpub(argv)
    finally:
        signal.alarm(0)
    out, err = capsys.readouterr()
    return code, out, err


def assert_said_in_chinese(out: str, err: str, argv) -> None:
    assert "Traceback" not in out + err, (argv, err)
    for line in err.splitlines():
        if line.strip():
            assert CJK.search(line), (argv, line)


@pytest.mark.parametrize("case_file", CASES, ids=[c.stem for c in CASES])
def test_hostile_case(case_file, tmp_path, isolated, monkeypatch, capsys):
    case = yaml.safe_load(case_file.read_text(encoding="utf-8"))
    repo = HostileRepo(tmp_path, case.get("example", "304/2023"))
    for op in case["setup"]:
        repo.apply(op)
    if "seconds" in case:  # the template's time budget, shortened for the test
        monkeypatch.setattr(render, "SECONDS", case["seconds"])
        monkeypatch.setattr(render, "SECONDS_PER_SCOPE", 0)
    monkeypatch.chdir(repo.root)
    assert case["runs"]
    for spec in case["runs"]:
        argv = shlex.split(repo.text(spec["verb"]).replace("\\n", "\n"))
        code, out, err = run(argv, capsys)
        assert code == spec["exit"], (argv, out, err)
        assert_said_in_chinese(out, err, argv)
        if spec["exit"]:
            assert (err + out).strip(), argv  # said why (verify's report of a folder goes to stdout)
        for code_expected in spec.get("errors", []):
            assert f"错误[{code_expected}]" in err, (argv, code_expected, err)
        for words in spec.get("says", []):
            assert words in err, (argv, words, err)
        for words in spec.get("out", []):
            assert words in out, (argv, words, out)
        assert list(repo.outside.iterdir()) == [] or case_file.stem in _OUTSIDE_SETUP, (argv, list(repo.outside.iterdir()))
        assert not list(tmp_path.rglob("PWNED")), argv
        assert list(isolated.iterdir()) == [], (argv, list(isolated.iterdir()))  # no temporary file left


# cases whose own setup puts something outside the repository (what they then must not read)
_OUTSIDE_SETUP = {"unit-file-link-outside", "config-data-link-outside", "init-name-yaml-would-misread",
                  "catalogue-link-outside"}


# ---------------------------------------------------------------- no traceback on any verb

@pytest.mark.parametrize("case_file", SOURCE_CASES, ids=[c.stem for c in SOURCE_CASES])
def test_no_verb_lets_a_traceback_escape(case_file, tmp_path, isolated, monkeypatch, capsys):
    """Every verb that reads sources, on each broken source of tests/corpus/: in the working tree
    (exit 2) and committed on a branch (--rev, diff: exit 2, or 0 when git cannot hold the breakage,
    e.g. an empty folder or a FIFO)."""
    case = yaml.safe_load(case_file.read_text(encoding="utf-8"))
    example = case.get("example", "304/2023")
    dept, year = example.split("/")
    repo = HostileRepo(tmp_path, example)
    repo.git("checkout", "-q", "-b", "broken")
    for edit in case["edits"]:
        apply_source_edit(edit, repo.root / "data" / dept / year)
    try:
        repo.commit("broken")
        committed = True
    except AssertionError:  # git does not take a FIFO
        committed = False
    monkeypatch.chdir(repo.root)
    here = [["check", "--dept", dept, "--year", year], ["generate", "--dept", dept, "--year", year],
            ["generate", "--dept", dept, "--year", year, "--check", "--format", "docx,xlsx"],
            ["new-year", "--dept", dept, "--year", year]]
    for argv in here:
        code, out, err = run(argv, capsys)
        assert code == 2, (argv, err)
        assert_said_in_chinese(out, err, argv)
    if committed:
        for argv in (["generate", "--dept", dept, "--year", year, "--rev", "broken", "--check"],
                     ["diff", "main", "broken", "--dept", dept, "--year", year]):
            code, out, err = run(argv, capsys)
            assert code in (0, 2), (argv, err)
            assert_said_in_chinese(out, err, argv)
    assert list(isolated.iterdir()) == []
