"""The schemas as JSON Schema, for an editor's completion and checking while a clerk types.

``json_schema(kind, docs)`` translates the cerberus schema of ``department`` or ``unit`` (as
validate.load_schema resolves it: ``use`` and ``allowed_from`` filled in) into JSON Schema
(draft-07, which the YAML language server of VS Code and others reads). ``docs`` gives each
field's description (docs/fields.yaml). The files ship in the wheel as
``schemas/<kind>.schema.json``; ``budgetpub init`` copies them into a repository's
``.budgetpub/`` and the source files name them on their first line:

    # yaml-language-server: $schema=../../../.budgetpub/unit.schema.json

The editor's check is a help, not the check: amounts with more than two decimals, codes the
catalogue does not know and every cross-check are ``budgetpub check``'s.
"""

from __future__ import annotations

import json
from typing import Any, Callable

from .validate import load_schema

DRAFT = "http://json-schema.org/draft-07/schema#"
TITLES = {"department": "budgetpub department.yaml（部门）", "unit": "budgetpub 单位文件（<单位编码>.yaml）"}


def _rule(rule: dict, path: str, describe: Callable[[str], str | None]) -> dict:
    out: dict[str, Any] = {}
    kind = rule.get("type")
    if kind == "string":
        out["type"] = "string"
        if rule.get("empty") is False:
            out["minLength"] = 1
        if "regex" in rule:
            out["pattern"] = f"^(?:{rule['regex']})$"  # cerberus matches the whole value
    elif kind == "amount":
        out["type"] = "number"
    elif kind == "integer":
        out["type"] = "integer"
    elif kind == "boolean":
        out["type"] = "boolean"
    elif kind == "dict":
        out["type"] = "object"
        if "schema" in rule:
            out.update(_object(rule["schema"], path, describe))
        else:
            if "keysrules" in rule:
                out["propertyNames"] = _rule(rule["keysrules"], path + ".*", describe)
                out["propertyNames"].pop("description", None)
            if "valuesrules" in rule:
                out["additionalProperties"] = _rule(rule["valuesrules"], path + ".*", describe)
        if rule.get("empty") is False:
            out["minProperties"] = 1
    elif kind == "list":
        out["type"] = "array"
        if "schema" in rule:
            out["items"] = _rule(rule["schema"], path + "[]", describe)
        if rule.get("empty") is False:
            out["minItems"] = 1
    if "allowed" in rule:
        out["enum"] = list(rule["allowed"])
    if "min" in rule:
        out["minimum"] = rule["min"]
    if "max" in rule:
        out["maximum"] = rule["max"]
    text = describe(path)
    if text:
        out["description"] = text
    return out


def _object(schema: dict, path: str, describe: Callable[[str], str | None]) -> dict:
    properties = {key: _rule(rule, f"{path}.{key}" if path else key, describe) for key, rule in schema.items()}
    out: dict[str, Any] = {"properties": properties, "additionalProperties": False}
    # cerberus: a required field that excludes another is required unless that one is written
    # (assets: as_of, or none: true): in JSON Schema, one of them is required
    required = [key for key, rule in schema.items() if rule.get("required") and not rule.get("excludes")]
    either = [key for key, rule in schema.items() if rule.get("required") and rule.get("excludes")]
    if required:
        out["required"] = required
    if either:
        out["anyOf"] = [{"required": [key]} for key in either]
    needs: dict[str, Any] = {key: [rule["dependencies"]] if isinstance(rule["dependencies"], str)
                             else list(rule["dependencies"]) for key, rule in schema.items() if "dependencies" in rule}
    for key, rule in schema.items():
        if rule.get("excludes"):
            excluded = [rule["excludes"]] if isinstance(rule["excludes"], str) else list(rule["excludes"])
            needs[key] = {"not": {"anyOf": [{"required": [other]} for other in excluded]}}
    if needs:
        out["dependencies"] = needs
    return out


def json_schema(kind: str, describe: Callable[[str], str | None] = lambda path: None) -> dict:
    """The JSON Schema of ``kind`` (department or unit); ``describe(path)`` gives a field's description."""
    return {"$schema": DRAFT, "title": TITLES[kind], "type": "object",
            **_object(load_schema(kind), "", describe)}


def json_text(kind: str, describe: Callable[[str], str | None] = lambda path: None) -> str:
    return json.dumps(json_schema(kind, describe), ensure_ascii=False, indent=2) + "\n"
