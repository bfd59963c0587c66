"""Render the publication into its Word file: docxtpl, then a reproducible, atomic write.

- autoescape and StrictUndefined: a name with ``&`` or ``<`` comes out intact,
  and a variable the context lacks stops the run instead of printing nothing;
- the zip entries get a fixed timestamp and the document properties fixed
  dates (package.epoch: SOURCE_DATE_EPOCH when set, else the sources' commit),
  so the same sources give the same bytes; generator/toc.py writes the
  contents, package.py the properties, language and font table;
- the file is written to a temporary file beside the target and renamed over
  it only when complete: a failed run leaves any earlier file untouched.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

from jinja2 import Environment, StrictUndefined

from . import direct, gc_paused, package, toc
from .compute import Publication
from .context import build_context
from .errors import OutputError
from .prose import with_live_figures
from .verify import check_generated

from .resources import TEMPLATE  # (the packaged template; a repository may have its own)


def jinja_env() -> Environment:
    return Environment(autoescape=True, undefined=StrictUndefined)


def default_path(pub: Publication) -> Path:
    d = pub.department
    return Path("output") / d.code / str(d.year) / f"{d.name}{d.year}年部门预算.docx"


def title(pub: Publication) -> str:
    """The document's title, as the cover prints it: …2024年部门预算, or 单位预算 for a unit publishing alone."""
    d = pub.department
    return f"{d.name}{d.year}年{d.publishes}"


def render_raw(pub: Publication, template: Path | None = None) -> bytes:
    """The template rendered: the package docxtpl would save (same parts, same bytes), made
    directly by generator/direct.py in time linear in the size of the document."""
    pub = with_live_figures(pub)  # the figures cited in authored prose (prose.py)
    prepared = prepared_template(template)
    if prepared is None:  # a template feature the direct path does not reproduce
        return render_raw_docxtpl(pub, template)
    with gc_paused():
        return prepared.render(build_context(pub))


def render_raw_docxtpl(pub: Publication, template: Path | None = None) -> bytes:
    """The reference: docxtpl's render and save (slow on large documents; tests compare)."""
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(str(template or TEMPLATE))
    tpl.render(build_context(with_live_figures(pub)), jinja_env(), autoescape=True)
    buffer = io.BytesIO()
    tpl.save(buffer)
    return buffer.getvalue()


def prepared_template(template: Path | None = None):
    """The template prepared for direct rendering (generator/direct.py); None: use docxtpl."""
    return direct.prepared_template(Path(template or TEMPLATE))


def finish(raw: bytes, pub: Publication, epoch: int, pages: list[str] | None = None,
           page_count: int | None = None) -> bytes:
    """The package as published: contents listed (with ``pages`` when a layout gave them), true properties
    (package.py: with the git revision of the sources), fixed dates and entry order."""
    revision = pub.revision.identifier if pub.revision else None
    return package.finish(toc.fill(raw, pages), title(pub), epoch, page_count, revision)


def render_bytes(pub: Publication, template: Path | None = None) -> bytes:
    """The .docx without a LibreOffice layout (its contents without page numbers): publish.py adds one."""
    epoch = package.epoch(pub.revision)  # a bad SOURCE_DATE_EPOCH stops before any work
    return finish(render_raw(pub, template), pub, epoch)


def render_bytes_docxtpl(pub: Publication, template: Path | None = None) -> bytes:
    """render_bytes through docxtpl: the reference the direct path is compared with."""
    epoch = package.epoch(pub.revision)
    return finish(render_raw_docxtpl(pub, template), pub, epoch)


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a publication is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_publication(pub: Publication, out: Path | None = None, template: Path | None = None) -> Path:
    path = Path(out) if out else default_path(pub)
    if path.suffix.lower() != ".docx":
        raise OutputError(f"输出文件应以 .docx 结尾：{path}")
    data = render_bytes(pub, template)  # everything that can fail happens before the file is touched
    check_generated(data)  # the document adds up, table against table and text against table
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise OutputError(f"无法写入 {path}：{exc.strerror or exc}") from None
    return path
