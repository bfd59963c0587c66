"""libyaml's C parser and the pure-Python one give the same documents and the same reports.

Valid files are read with the C parser when PyYAML has it; every problem is
reported by the pure-Python parser (the text is parsed again), so messages and
positions do not depend on how PyYAML was built.
"""

from __future__ import annotations

import pytest
import yaml

from generator import DATA_ROOT
from generator.errors import Report
from generator.sources import reader as sources
from generator.sources.reader import read_document
from generator.sources.validate import SCHEMA_DIR, load_schema

needs_libyaml = pytest.mark.skipif(getattr(yaml, "CSafeLoader", None) is None,
                                   reason="PyYAML built without libyaml: only the pure-Python loader exists")

SOURCES = sorted(p for p in DATA_ROOT.glob("*/*/*.yaml"))

TRICKY = {
    "crlf-bom": "\ufeffcode: \"304\"\r\nname: 示例\r\nlist:\r\n  - {a: 1, b: 文字}\r\n",
    "flow-after-wide-text": "items:\n  - {名称: 公务用车购置费, fund: 一般公共预算拨款, amount: 18.00}\n",
    "block-scalars": "texts:\n  duties: |\n    （一）第一段。\n    （二）第二段。\n  other: >\n    折叠\n    文字\nafter: 1\n",
    "anchors": "a: &x {k: 1.50}\nb: *x\nc: [&y 2, *y]\n",
    "quotes-and-escapes": "a: \"引号\\t内\\u4e2d\"\nb: '单''引'\nc: \"304\"  # 注释：中文\n",
    "scalars": "a: 0304\nb: true\nc: ~\nd: 1_000.50\ne: .inf\nf: 2023-12-31\ng: 1e3\n",
    "nested": "x:\n  - - 1\n    - 2\n  - y:\n      z: [a, {b: c}]\n",
    "empty": "# nothing\n",
}

BROKEN = {
    "tab": "a: 1\n\tb: 2\n",
    "no-colon": "a: 1\nb 2\nc: 3\n",
    "two-colons": "a: b: c\n",
    "at-sign": "a: @x\n",
    "indent": "a: 1\n b: 2\n",
    "unclosed-bracket": "a: [1, 2\nb: 3\n",
    "unclosed-quote": "a: \"未完\nb: 1\n",
    "undefined-alias": "a: *r\n",
    "second-document": "a: 1\n---\nb: 2\n",
    "control-character": "a: 正科级\x01\n",
    "duplicate-key": "a: 1\na: 2\n",
    "merge-key": "base: &b {x: 1}\nm:\n  <<: *b\n",
    "tag": "a: !!binary aGVsbG8=\nb: !foo x\n",
}


def _read(path, shown, monkeypatch, fast: bool):
    monkeypatch.setattr(sources, "_FAST_LOADER", getattr(yaml, "CSafeLoader", None) if fast else None)
    report = Report()
    doc = read_document(path, shown, report)
    state = None if doc is None else (doc.data, doc.positions, doc.raw, doc.keys)
    return state, [p.format() for p in report.problems]


def _both(path, shown, monkeypatch):
    fast = _read(path, shown, monkeypatch, True)
    pure = _read(path, shown, monkeypatch, False)
    return fast, pure


@needs_libyaml
def test_the_c_parser_is_used_when_available():
    assert sources._FAST_LOADER is yaml.CSafeLoader


@needs_libyaml
@pytest.mark.parametrize("path", SOURCES, ids=[f"{p.parent.parent.name}/{p.name}" for p in SOURCES])
def test_same_document_from_both_parsers_for_the_data(path, monkeypatch):
    fast, pure = _both(path, path.name, monkeypatch)
    assert fast[0] is not None and fast[0][1]  # read, with positions
    assert fast == pure


@needs_libyaml
@pytest.mark.parametrize("name", sorted(TRICKY))
def test_same_document_from_both_parsers(name, tmp_path, monkeypatch):
    path = tmp_path / "x.yaml"
    path.write_bytes(TRICKY[name].encode("utf-8"))
    fast, pure = _both(path, "x.yaml", monkeypatch)
    assert fast == pure


@needs_libyaml
@pytest.mark.parametrize("name", sorted(BROKEN))
def test_same_report_from_both_parsers(name, tmp_path, monkeypatch):
    path = tmp_path / "x.yaml"
    path.write_bytes(BROKEN[name].encode("utf-8"))
    fast, pure = _both(path, "x.yaml", monkeypatch)
    assert fast[1], "a problem is reported"
    assert fast == pure


@pytest.mark.parametrize("kind", ["department", "unit"])
def test_schemas_are_valid_cerberus_schemas(kind):
    """validate.py takes them as valid when it starts (cerberus checking them is slow)."""
    from generator.sources.validate import _Validator

    assert _Validator(load_schema(kind)).schema is not None  # raises SchemaError if not


NORMALIZATION_RULES = {"default", "default_setter", "coerce", "rename", "rename_handler",
                       "purge_unknown", "purge_readonly"}


def _rule_names(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _rule_names(value)
    elif isinstance(node, list):
        for value in node:
            yield from _rule_names(value)


@pytest.mark.parametrize("kind", sorted(p.stem for p in SCHEMA_DIR.glob("*.yaml") if not p.stem.startswith("_")))
def test_schemas_have_no_normalization_rules(kind):
    """check_schema skips cerberus's normalization pass, which is right only without these rules."""
    names = set(_rule_names(load_schema(kind)))
    assert names, kind
    assert not names & NORMALIZATION_RULES
