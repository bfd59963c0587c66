"""Where the template, the schemas and the catalogue are: the budget repository's own copy
first, then the one packaged with budgetpub.

The wheel carries them as package data (pyproject.toml maps the top-level folders
templates/, schemas/, data/catalogue/ and data/ to the packages ``generator.templates``,
``generator.schemas``, ``generator.classification`` and ``generator.examples``, the example
departments ``budgetpub init --example`` writes); in a checkout (or an editable install) they
are read where they are.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent

# resource: (package it is installed as, folder in the checkout)
_PACKAGED = {
    "templates": ("generator.templates", CHECKOUT / "templates"),
    "schemas": ("generator.schemas", CHECKOUT / "schemas"),
    "catalogue": ("generator.classification", CHECKOUT / "data" / "catalogue"),
    "examples": ("generator.examples", CHECKOUT / "data"),
}


def packaged(kind: str) -> Path:
    """The folder of packaged resources of ``kind`` (templates, schemas or catalogue)."""
    package, checkout = _PACKAGED[kind]
    try:  # data-only folders are namespace packages: their folder is their search location
        spec = importlib.util.find_spec(package)
    except (ModuleNotFoundError, ValueError):  # a plain checkout, not installed
        spec = None
    for location in (spec.submodule_search_locations or []) if spec else []:
        if Path(location).is_dir() and any(Path(location).iterdir()):
            return Path(location)
    return checkout


SCHEMA_DIR = packaged("schemas")
CATALOGUE_DIR = packaged("catalogue")
TEMPLATE = packaged("templates") / "publication.docx"
EXAMPLES = packaged("examples")  # the example departments: <code>/<year>/*.yaml
SAMPLE_DATA = CHECKOUT / "data"  # the sample departments; only in a checkout


def template(root: Path | None = None) -> Path:
    """The repository's templates/publication.docx when it has one, else the packaged one. Anything of
    that name counts (a folder, a broken link, a pipe): it is reported when read, never silently
    replaced by the packaged template."""
    if root is not None and os.path.lexists(Path(root) / "templates" / "publication.docx"):
        return Path(root) / "templates" / "publication.docx"
    return TEMPLATE


def catalogue_dir(root: Path | None = None, year: int | str | None = None) -> Path:
    """The repository's catalogue/<year>/ when it has one, else the packaged catalogue."""
    if root is not None and year is not None and (Path(root) / "catalogue" / str(year)).is_dir():
        return Path(root) / "catalogue" / str(year)
    return CATALOGUE_DIR


WORDING = packaged("templates") / "wording.yaml"  # the default region's wording


@functools.lru_cache(maxsize=None)
def region_wording() -> dict:
    """templates/wording.yaml: the default region's wording (a department overrides it in its
    ``wording``). Read with the safe loader: it is ours, packaged."""
    import yaml
    return yaml.safe_load(WORDING.read_text(encoding="utf-8"))
