"""The error corpus: broken sources, each a minimal change of a valid one, through the command line.

Each case is one file in tests/corpus/ (see its README.md): which example it starts
from, the edits, and the errors expected (code, file, line, column, field path).
For every case the command line must:

- exit 2, print nothing on stdout and no traceback;
- print exactly one error line per expected problem, in Chinese, with its location;
- write no output file, and leave an existing one byte for byte as it was.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator import DATA_ROOT
from generator.cli import main

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(CORPUS.glob("*.yaml"))

# `data/304/2023/304001.yaml:44:33: 错误[schema.decimals] 金额最多 …（字段：basic[0]…）`
ERROR_LINE = re.compile(
    r"^(?P<file>[^:\s]+)(?::(?P<line>\d+)(?::(?P<column>\d+))?)?: 错误\[(?P<code>[a-z0-9.-]+)\] "
    r"(?P<message>.*?)(?:（字段：(?P<path>[^）]*)）)?$")
CJK = re.compile(r"[\u4e00-\u9fff]")
EARLIER = b"an earlier publication, to be left as it is\n"


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 60


def read(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as f:  # \r\n kept as written
        return f.read()


def apply(edit: dict, directory: Path) -> None:
    path = directory / edit["file"]
    if "replace" in edit:
        text = read(path)
        assert text.count(edit["replace"]) == 1, f"{edit['replace']!r} occurs {text.count(edit['replace'])} times"
        new = edit["with"]
        if edit.get("unescape"):  # \uXXXX written in the manifest: a character YAML itself would not keep
            new = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), new)
        path.write_text(text.replace(edit["replace"], new), encoding="utf-8", newline="")
    elif "delete_line_with" in edit:
        lines = read(path).splitlines(keepends=True)
        hits = [i for i, line in enumerate(lines) if edit["delete_line_with"] in line]
        assert len(hits) == 1, hits
        del lines[hits[0]]
        path.write_text("".join(lines), encoding="utf-8", newline="")
    elif "truncate_at" in edit:
        text = read(path)
        assert text.count(edit["truncate_at"]) == 1
        path.write_text(text[:text.index(edit["truncate_at"])], encoding="utf-8", newline="")
    elif "append" in edit:
        with open(path, "a", encoding="utf-8", newline="") as f:
            f.write(edit["append"])
    elif "write" in edit:
        path.write_text(edit["write"], encoding="utf-8", newline="")
    elif "write_bytes" in edit:
        path.write_bytes(edit["write_bytes"])
    elif "encode" in edit:
        path.write_bytes(path.read_text(encoding="utf-8").encode(edit["encode"]))
    elif "prefix_bytes" in edit:
        path.write_bytes(edit["prefix_bytes"] + path.read_bytes())
    elif "crlf" in edit:
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    elif "append_padding" in edit:  # a very large file: megabytes of comment lines
        line = "# " + "填充" * 40 + "\n"
        with open(path, "a", encoding="utf-8") as f:
            f.write(line * (edit["append_padding"] // len(line.encode("utf-8")) + 1))
    elif "copy_to" in edit:
        shutil.copy(path, directory / edit["copy_to"])
    elif "rename_to" in edit:
        path.rename(directory / edit["rename_to"])
    elif "remove" in edit:
        path.unlink()
    elif "mkdir" in edit:
        path.mkdir()
    elif "mkfifo" in edit:
        os.mkfifo(path)
    else:  # pragma: no cover - a mistake in a manifest
        raise AssertionError(f"unknown edit {edit}")


def files_under(path: Path) -> dict[str, bytes]:
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case_file", CASES, ids=[c.stem for c in CASES])
def test_broken_source(case_file, tmp_path, monkeypatch, capsys):
    case = yaml.safe_load(case_file.read_text(encoding="utf-8"))
    dept, year = case.get("example", "304/2023").split("/")
    root = tmp_path / "data"
    directory = root / dept / year
    shutil.copytree(DATA_ROOT / dept / year, directory)
    for edit in case["edits"]:
        apply(edit, directory)

    work = tmp_path / "work"
    earlier = work / "output" / "published.docx"
    earlier.parent.mkdir(parents=True)
    earlier.write_bytes(EARLIER)
    before = files_under(work)
    monkeypatch.chdir(work)
    monkeypatch.delenv("BUDGETPUB_DATA", raising=False)

    for argv in (["--out", str(earlier)], [], ["--check"]):  # an explicit output, the default one, a dry run
        code = main(["--dept", dept, "--year", year, "--data", str(root), *argv])
        out, err = capsys.readouterr()
        assert code == 2, err
        assert out == ""
        assert "Traceback" not in err
        assert files_under(work) == before, "an output file was written or changed"

        lines = err.splitlines()
        assert lines[0] == f"{dept} {year} 年预算数据有错误，未生成任何文件：", err
        assert re.fullmatch(r"共 \d+ 个错误，\d+ 个警告。", lines[-1]), err
        errors = [ERROR_LINE.match(line) for line in lines if "错误[" in line]
        assert all(errors), err
        for e in errors:  # every message in Chinese, not an English exception text
            assert CJK.search(e["message"]), e.string
        # Files are shown relative to where one stands (or absolute): compared as resolved paths.
        found = [(e["code"], str((work / e["file"]).resolve()), e["line"], e["column"], e["path"]) for e in errors]
        unmatched = list(found)
        for want in case["expect"]:
            key = (want["code"], str((directory / want["file"]).resolve()),
                   str(want["line"]) if "line" in want else None,
                   str(want["column"]) if "column" in want else None, want.get("path"))
            hit = next((f for f in unmatched if f[:3] == key[:3] and f[4] == key[4]
                        and (key[3] is None and "line" in want or f[3] == key[3])), None)
            assert hit, f"expected {key} among {found}\n{err}"
            unmatched.remove(hit)
        assert unmatched == [], f"more errors than problems: {unmatched}\n{err}"
