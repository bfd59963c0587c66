"""The house: generator/ is made of parts, and each part imports only the parts below it.

    cli → repository → sources → figures        (data flows one way)
          document → formats → verify

- every module lies in a part (a subpackage), apart from the package's own __init__/__main__ and
  the base modules errors.py, files.py and resources.py;
- a part imports only the parts its __init__ says it may (PARTS below is that list, and each part's
  docstring states it); the verifier re-adds independently, so it reaches only the vocabulary, the
  money formatting and the OOXML reading helpers, never compute or the model;
- no two modules import each other (also through a function-level import), and no module is
  longer than 600 lines;
- the check itself finds a forbidden import planted into a copy of the sources.
"""

from __future__ import annotations

import ast
from pathlib import Path

GENERATOR = Path(__file__).resolve().parent.parent / "generator"
BASE = {"errors", "resources", "files"}

# part: the parts it may import (besides itself)
PARTS = {
    "errors": set(),
    "resources": set(),
    "files": {"errors"},
    "figures": BASE,
    "sources": BASE | {"figures"},
    "document": BASE | {"figures"},
    "verify": BASE | {"figures", "document"},
    "formats": BASE | {"figures", "document", "verify"},
    "repository": BASE | {"figures", "sources", "document", "verify"},  # import reads publications with verify's reader
    "cli": BASE | {"figures", "sources", "document", "verify", "formats", "repository"},
}
# the verifier reads what a reader sees; it must not reuse the computation it checks
VERIFY_MAY_USE = {"generator.errors", "generator.files", "generator.figures.money", "generator.figures.vocabulary",
                  "generator.document.ooxml"}
MAX_LINES = 600


def module_name(path: Path) -> str:
    rel = path.relative_to(GENERATOR.parent).with_suffix("")
    parts = list(rel.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def sources() -> dict[str, tuple[Path, str]]:
    return {module_name(p): (p, p.read_text(encoding="utf-8")) for p in sorted(GENERATOR.rglob("*.py"))}


def imports_of(name: str, path: Path, text: str, known: set[str]) -> set[str]:
    """Every generator module ``name`` imports, at the top or inside a function."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("generator")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("generator"):
                continue
            for alias in node.names:  # `from generator.figures import tables` imports a module
                candidate = f"{target}.{alias.name}"
                found.add(candidate if candidate in known else target)
    return found


def part_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""  # "" is the package's own __init__


def violations(modules: dict[str, tuple[Path, str]]) -> list[str]:
    known = set(modules)
    found = []
    graph = {name: imports_of(name, path, text, known) for name, (path, text) in modules.items()}
    for name, targets in graph.items():
        part = part_of(name)
        if part in ("", "__main__"):
            continue
        for target in sorted(targets):
            other = part_of(target)
            if other == part:
                continue
            if other == "":
                found.append(f"{name} imports the package's own API (generator/__init__)")
            elif other not in PARTS[part]:
                found.append(f"{name} ({part}) imports {target} ({other})")
            elif part == "verify" and target not in VERIFY_MAY_USE:
                found.append(f"{name} (verify) imports {target}: the verifier re-adds independently")
    for name, targets in graph.items():
        for target in targets:
            if target != name and name in graph.get(target, ()):
                found.append(f"{name} and {target} import each other")
    return found


def test_every_module_lies_in_a_part():
    loose = [p.name for p in GENERATOR.glob("*.py") if p.stem not in BASE | {"__init__", "__main__"}]
    assert loose == []
    assert {p.name for p in GENERATOR.iterdir() if p.is_dir() and (p / "__init__.py").exists()} == set(PARTS) - BASE


def test_each_part_says_what_it_may_import():
    for part in set(PARTS) - BASE:
        doc = ast.get_docstring(ast.parse((GENERATOR / part / "__init__.py").read_text(encoding="utf-8")))
        assert doc and "May import" in doc, part


def test_parts_import_only_the_parts_below_them():
    assert violations(sources()) == []


def test_no_module_is_too_long():
    long = {name: len(text.splitlines()) for name, (_, text) in sources().items()
            if len(text.splitlines()) > MAX_LINES}
    assert long == {}


def test_a_planted_forbidden_import_is_found():
    modules = sources()
    assert violations(modules) == []
    path, text = modules["generator.figures.compute"]
    planted = dict(modules)
    planted["generator.figures.compute"] = (path, text + "\n\ndef _planted():\n    from generator.cli import main\n")
    assert violations(planted) == ["generator.figures.compute (figures) imports generator.cli.main (cli)"]
    path, text = modules["generator.verify.tables"]
    planted = dict(modules)
    planted["generator.verify.tables"] = (path, text + "\nfrom generator.figures.compute import compute\n")
    assert violations(planted) == ["generator.verify.tables (verify) imports generator.figures.compute: "
                                   "the verifier re-adds independently"]
    path, text = modules["generator.figures.tables"]
    planted = dict(modules)
    planted["generator.figures.tables"] = (path, text + "\nfrom .compute import compute\n")
    assert violations(planted) == ["generator.figures.compute and generator.figures.tables import each other",
                                   "generator.figures.tables and generator.figures.compute import each other"]
