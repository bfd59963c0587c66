"""The documentation: what is generated is current, every field and error code is explained, the
editor's JSON Schemas accept the examples and refuse what the schemas refuse, the README is short.

(`mkdocs build --strict`, which .ci/run runs, checks the site's links and navigation.)
"""

from __future__ import annotations

import copy
import importlib.util
import json
import re
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator.errors import Report
from generator.sources import rules
from generator.sources.jsonschema import json_schema
from generator.sources.reader import read_document

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _generator():
    spec = importlib.util.spec_from_file_location("docs_generate", DOCS / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GEN = _generator()


def test_the_generated_pages_and_schemas_are_current():
    assert [p.relative_to(ROOT).as_posix() for p in GEN.stale()] == [], "run: python docs/generate.py"


def test_a_schema_change_without_regeneration_is_found(monkeypatch):
    real = GEN.load_schema

    def with_a_new_field(kind):
        schema = copy.deepcopy(real(kind))
        schema["new_field"] = {"type": "string"}
        return schema
    monkeypatch.setattr(GEN, "load_schema", with_a_new_field)
    import generator.sources.jsonschema as js
    monkeypatch.setattr(js, "load_schema", with_a_new_field)
    assert {p.name for p in GEN.stale()} >= {"fields.md", "department.schema.json", "unit.schema.json"}


@pytest.mark.parametrize("kind", ["department", "unit"])
def test_every_field_is_explained_and_every_note_has_its_field(kind):
    notes = GEN.notes()
    paths = [path for path, _ in GEN.fields(kind)]
    assert len(paths) > 30
    missing = [p for p in paths if not (GEN.note(kind, p, notes) or {}).get("doc")]
    assert missing == [], f"docs/fields.yaml lacks these fields of {kind}"
    # a note for a field the schemas no longer have is stale
    for key in notes[kind]:
        if "*" in key:
            assert any(GEN.fnmatch.fnmatchcase(p, key) for p in paths), (kind, key)
        else:
            assert key in paths, (kind, key)


def test_every_shared_note_has_its_field():
    paths = {p for kind in ("department", "unit") for p, _ in GEN.fields(kind)}
    assert sorted(set(GEN.notes()["both"]) - paths) == []


def _codes_in_code() -> set[str]:
    """Every problem code the code can report: report.error/warning("code"), the schema codes, the rules."""
    found = set(rules.REGISTRY)
    for path in (ROOT / "generator").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'(?:error|warning)\(\s*"([a-z][a-z0-9-]*\.[a-z0-9.-]+)"', text))
        found |= set(re.findall(r'return \(?\s*"(schema\.[a-z-]+)"', text))
        found |= set(re.findall(r'_LimitExceeded\(\s*"([a-z]+\.[a-z-]+)"', text))
        found |= set(re.findall(r'\(\s*"(yaml\.[a-z-]+)",', text))
    return found


def test_every_error_code_is_explained_in_the_guide():
    codes = _codes_in_code()
    assert {"schema.required", "yaml.syntax", "amount.unfilled", "income.disagrees"} <= codes
    explained = (DOCS / "errors.md").read_text(encoding="utf-8") + (DOCS / "reference" / "rules.md").read_text(
        encoding="utf-8")
    assert sorted(c for c in codes if f"`{c}`" not in explained) == []


def _as_json(value):
    """A document as the editor sees it: Decimal amounts are JSON numbers."""
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    return value


def _examples():
    for folder in sorted((ROOT / "data").glob("[0-9]*/[0-9]*")):
        for path in sorted(folder.glob("*.yaml")):
            yield pytest.param(path, id=path.relative_to(ROOT / "data").as_posix())


@pytest.mark.parametrize("path", list(_examples()))
def test_every_example_department_validates_against_the_editor_schema(path):
    kind = "department" if path.name == "department.yaml" else "unit"
    document = read_document(path, path.name, Report())
    schema = json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    jsonschema.validate(_as_json(document.data), schema, cls=jsonschema.Draft7Validator)


def test_the_editor_schema_refuses_an_unknown_field_and_a_wrong_type():
    path = ROOT / "data" / "899" / "2024" / "899001.yaml"
    data = _as_json(read_document(path, path.name, Report()).data)
    schema = json_schema("unit")
    unknown = {**data, "incom": {"一般公共预算拨款": 1.0}}
    with pytest.raises(jsonschema.ValidationError, match="incom"):
        jsonschema.validate(unknown, schema, cls=jsonschema.Draft7Validator)
    wrong = copy.deepcopy(data)
    wrong["basic"][0]["function"][0]["amount"] = "192.90"  # an amount in quotes
    with pytest.raises(jsonschema.ValidationError, match="is not of type 'number'"):
        jsonschema.validate(wrong, schema, cls=jsonschema.Draft7Validator)
    unquoted = copy.deepcopy(data)
    unquoted["code"] = 899001  # a code without quotes
    with pytest.raises(jsonschema.ValidationError, match="is not of type 'string'"):
        jsonschema.validate(unquoted, schema, cls=jsonschema.Draft7Validator)
    not_allowed = copy.deepcopy(data)
    not_allowed["income"] = {"一般预算": 1.0}
    with pytest.raises(jsonschema.ValidationError, match="一般预算"):
        jsonschema.validate(not_allowed, schema, cls=jsonschema.Draft7Validator)


def test_the_readme_is_short_and_starts_with_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) <= 12 * 1024
    commands = [line.strip() for line in text.splitlines() if line.startswith("    python3 -m venv")]
    assert commands[:2] == [
        "python3 -m venv .venv && . .venv/bin/activate && pip install -e . && generate --dept 304 --year 2023",
        "python3 -m venv .venv && . .venv/bin/activate && pip install -e '.[test]' && python -m pytest -q"]
    assert text.index(commands[0]) < text.index("## ")  # before any section


def test_every_page_of_the_guide_is_in_the_navigation():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))

    def pages(node):
        if isinstance(node, str):
            yield node
        elif isinstance(node, dict):
            for value in node.values():
                yield from pages(value)
        elif isinstance(node, list):
            for value in node:
                yield from pages(value)
    listed = set(pages(config["nav"]))
    on_disk = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md") if "pending" not in p.parts}
    assert on_disk == listed
