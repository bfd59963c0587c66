"""Render the publication into the parts of its Word file (docxtpl's output, made directly), finished
reproducibly. Writing the file is formats/output.py's.

- autoescape and StrictUndefined: a name with ``&`` or ``<`` comes out intact,
  and a variable the context lacks stops the run instead of printing nothing;
- the zip entries get a fixed timestamp and the document properties fixed
  dates (package.epoch: SOURCE_DATE_EPOCH when set, else the sources' commit),
  so the same sources give the same bytes; generator/document/toc.py writes the
  contents, package.py the properties, language and font table;
- templates are chosen by the code (the packaged one, or the repository's
  templates/ folder), never named by the sources, and the Jinja environment
  has no loader, so no ``{% include %}`` can read another file.
"""

from __future__ import annotations

import io
from pathlib import Path

from generator.figures.compute import Publication
from generator.figures.model import gc_paused
from generator.figures.tables import AMOUNT_LOOK, AMOUNT_STYLE
from generator.resources import TEMPLATE  # (the packaged template; a repository may have its own)

from . import direct, ooxml, package, sandbox, toc
from .context import build_context
from .prose import with_live_figures
from .untrusted import read_template, template_errors

jinja_env = direct.environment  # the one environment: the direct path reproduces docxtpl only with it


DOCUMENT = "word/document.xml"


def render_parts(pub: Publication, template: Path | None = None) -> list[tuple[str, bytes]]:
    """The template rendered, as the parts of the package docxtpl would save (same parts, same
    bytes, same order), made directly by generator/document/direct.py in time linear in the size of the
    document and with one copy of it in memory."""
    prepared = prepared_template(template)
    if prepared is None:  # a template feature the direct path does not reproduce
        return package.read_parts(render_raw_docxtpl(pub, template))
    context = build_context(with_live_figures(pub))  # figures cited in prose
    with gc_paused(), template_budget(pub), template_errors(Path(template or TEMPLATE), prepared.sources):
        return prepared.render_parts(context)


# What one render of the template may spend (sandbox.Budget): generous for the packaged template
# (some 0.4 M characters and a few milliseconds a scope), bounded for any other.
SECONDS, SECONDS_PER_SCOPE = 30.0, 0.5
OUTPUT, OUTPUT_PER_SCOPE = 64_000_000, 2_000_000


def template_budget(pub: Publication):
    scopes = 1 + len(pub.units)
    return sandbox.budget(SECONDS + SECONDS_PER_SCOPE * scopes, OUTPUT + OUTPUT_PER_SCOPE * scopes)


def render_raw_docxtpl(pub: Publication, template: Path | None = None) -> bytes:
    """docxtpl's render and save: for a template the direct path does not reproduce, and the
    reference tests compare the direct path with (slow on large documents)."""
    from docxtpl import DocxTemplate

    path = Path(template or TEMPLATE)
    data = read_template(path)
    context = build_context(with_live_figures(pub))
    with template_budget(pub), template_errors(path):
        tpl = DocxTemplate(io.BytesIO(data))
        tpl.render(context, jinja_env(), autoescape=True)
        buffer = io.BytesIO()
        tpl.save(buffer)
        return buffer.getvalue()


def prepared_template(template: Path | None = None):
    """The template prepared for direct rendering (generator/document/direct.py); None: use docxtpl."""
    return direct.prepared_template(Path(template or TEMPLATE))


def finish(raw: bytes | list[tuple[str, bytes]], pub: Publication, epoch: int, pages: list[str] | None = None,
           page_count: int | None = None) -> bytes:
    """The package as published (``raw``: render_parts, or a saved package): contents listed
    (with ``pages`` when a layout gave them), true properties (package.py: with the git revision of
    the sources), fixed dates and entry order.

    The document passes through as few whole copies as can be: {% vm %} merges put in schema
    order (ooxml.order_rendered: one new copy), then the contents written as pieces around the
    rest of it (toc.fill_pieces), which go into the compressed entry without being joined."""
    parts = package.read_parts(raw) if isinstance(raw, (bytes, bytearray)) else raw
    parts = [(name, toc.fill_pieces(ooxml.order_rendered(data), pages) if name == DOCUMENT else data)
             for name, data in parts]
    revision = pub.revision.identifier if pub.revision else None
    look = AMOUNT_LOOK.get(pub.department.table_unit)
    return package.finish(parts, pub.department.title, epoch, page_count, revision,
                          looks={AMOUNT_STYLE: look} if look else None)


def package_parts(raw: list[tuple[str, bytes]], pub: Publication, epoch: int) -> list[tuple[str, bytes]]:
    """The parts as ``finish`` writes them (styles, fonts, settings as published), the document as
    rendered: what a layout of parts of the document is given (formats/layout.py)."""
    revision = pub.revision.identifier if pub.revision else None
    look = AMOUNT_LOOK.get(pub.department.table_unit)
    return list(package.finished_parts(raw, pub.department.title, epoch, None, revision,
                                       looks={AMOUNT_STYLE: look} if look else None))


def render_bytes(pub: Publication, template: Path | None = None) -> bytes:
    """The .docx without a LibreOffice layout (its contents without page numbers): publish.py adds one."""
    epoch = package.epoch(pub.revision)  # a bad SOURCE_DATE_EPOCH stops before any work
    return finish(render_parts(pub, template), pub, epoch)


def render_bytes_docxtpl(pub: Publication, template: Path | None = None) -> bytes:
    """render_bytes through docxtpl: the reference the direct path is compared with."""
    epoch = package.epoch(pub.revision)
    return finish(render_raw_docxtpl(pub, template), pub, epoch)
