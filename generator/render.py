"""Render the publication into its Word file: docxtpl, then a reproducible, atomic write.

- autoescape and StrictUndefined: a name with ``&`` or ``<`` comes out intact,
  and a variable the context lacks stops the run instead of printing nothing;
- the zip entries get a fixed timestamp and the document properties fixed
  dates (SOURCE_DATE_EPOCH when set), so the same sources give the same bytes;
- the file is written to a temporary file beside the target and renamed over
  it only when complete: a failed run leaves any earlier file untouched.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import time
import zipfile
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined

from .compute import Publication
from .context import build_context
from .errors import OutputError

from .resources import TEMPLATE  # (the packaged template; a repository may have its own)
DEFAULT_EPOCH = 946684800  # 2000-01-01T00:00:00Z, when SOURCE_DATE_EPOCH is not set


def jinja_env() -> Environment:
    return Environment(autoescape=True, undefined=StrictUndefined)


def default_path(pub: Publication) -> Path:
    d = pub.department
    return Path("output") / d.code / str(d.year) / f"{d.name}{d.year}年部门预算.docx"


def _epoch() -> int:
    value = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        return int(value) if value else DEFAULT_EPOCH
    except ValueError:
        raise OutputError(f"环境变量 SOURCE_DATE_EPOCH 应为整数秒，而不是 “{value}”。") from None


def render_bytes(pub: Publication, template: Path | None = None) -> bytes:
    tpl = DocxTemplate(str(template or TEMPLATE))
    tpl.render(build_context(pub), jinja_env(), autoescape=True)
    buffer = io.BytesIO()
    tpl.save(buffer)
    return normalize(buffer.getvalue(), _epoch(), pub.revision.identifier if pub.revision else None)


def normalize(docx: bytes, epoch: int, revision: str | None = None) -> bytes:
    """Same entries in the same order, with a fixed timestamp and fixed core-property dates."""
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
    date_time = time.gmtime(max(epoch, 315532800))[:6]  # zip cannot go before 1980
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                for element in ("dcterms:created", "dcterms:modified"):
                    text = re.sub(rf"(<{element}[^>]*>)[^<]*(</{element}>)", rf"\g<1>{stamp}\g<2>", text)
                text = re.sub(r"<cp:lastPrinted>[^<]*</cp:lastPrinted>", "", text)
                text = re.sub(r"(<cp:revision>)[^<]*(</cp:revision>)", r"\g<1>1\g<2>", text)
                if revision:  # the git revision of the sources (gitsrc.Revision.identifier)
                    text = text.replace("</cp:coreProperties>", f"<cp:version>{revision}</cp:version></cp:coreProperties>")
                data = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, data)
    return out.getvalue()


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
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise OutputError(f"无法写入 {path}：{exc.strerror or exc}") from None
    return path
