"""Write one department's publication in the requested formats: docx, pdf, xlsx.

    paths, warnings = publish(publication, ["docx", "pdf"], out=None, lo=None, template=None)

Everything is made first (in memory or in a temporary directory) and written
only when every format succeeded, each file atomically; an earlier file is
only ever replaced by a complete new one.

When LibreOffice can be driven (generator/formats/libreoffice.py), the document is laid out
once in it: the .docx is written with its contents' page numbers already
filled in, and the PDF is exported from that layout with the indexes
updated. Without LibreOffice the .docx leaves the page numbers to Word (a
warning says so) and a PDF cannot be made (an error says how to install it).

``lo``: a started ``libreoffice.LibreOffice`` to share between departments (the
batch run keeps one for all of them); None starts one for this call only,
when needed and available.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from generator.document import package, toc
from generator.document.direct import cache_dir
from generator.document.render import DOCUMENT, finish, render_parts
from generator.errors import OutputError, os_reason
from generator.figures.compute import Publication
from generator.verify import check_generated

from . import libreoffice
from .output import check_target, default_path, write_atomic

FORMATS = ("docx", "pdf", "xlsx")


def _layout_path(draft: bytes) -> Path | None:
    """Where the layout of ``draft`` is kept: keyed by the draft and by what lays it out (this
    LibreOffice, its fonts configuration and the code that drives it)."""
    directory = cache_dir()
    found = libreoffice.find()
    if directory is None or found is None:
        return None
    digest = hashlib.sha256(draft)
    for path in (found[0], Path(libreoffice.__file__), Path(libreoffice.__file__).with_name("lo_worker.py"),
                 Path(libreoffice.__file__).with_name("fontfaces.py")):
        try:
            st = Path(path).resolve().stat()
            digest.update(f"{path}:{st.st_size}:{st.st_mtime_ns}".encode())
        except OSError:
            return None
    digest.update(libreoffice.fontconfig_text().encode("utf-8"))
    return directory / "layout" / f"{digest.hexdigest()}.json"


def cached_layout(draft: bytes) -> "libreoffice.Layout | None":
    path = _layout_path(draft)
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path else None
        return libreoffice.Layout([tuple(e) for e in data["toc"]], int(data["pages"])) if data else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store_layout(draft: bytes, layout: "libreoffice.Layout") -> None:
    path = _layout_path(draft)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"toc": layout.toc, "pages": layout.pages}, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a cache that cannot be written is only slower


NO_LO_WARNING = ("警告：未找到 LibreOffice，目录中的页码留待 Word 填写（在 Word 中右键目录，选择“更新域”）。"
                 f"安装 LibreOffice 后生成的文件将直接带有页码：{libreoffice.INSTALL_HINT}。")


def too_long_warning(units: int) -> str:
    return (f"警告：本部门有 {units} 个单位，用 LibreOffice 排版以填写目录页码需要很长时间（200 个单位约 5 分钟，"
            f"再多则成倍增加），已跳过：目录中的页码留待 Word 填写（在 Word 中右键目录，选择“更新域”）。"
            f"如仍需生成即带页码的文件，请同时生成 PDF（--format docx,pdf），两者将按同一次排版写出页码。")


def parse_formats(text: str) -> list[str]:
    """"docx,pdf" -> ["docx", "pdf"]; an unknown or empty format is a user's mistake."""
    names = [f.strip().lower() for f in text.split(",")]
    bad = [f for f in names if f not in FORMATS]
    if bad or not any(names):
        raise OutputError(f"--format 应为 docx、pdf、xlsx 中的一个或几个（以逗号分隔），而不是 “{text}”。")
    return list(dict.fromkeys(names))


def output_paths(pub: Publication, formats, out: Path | None = None) -> dict[str, Path]:
    """Where each format goes: ``out`` (or the default path) with the format's suffix."""
    base = Path(out) if out else default_path(pub)
    if base.suffix.lower() not in (".docx", ".pdf", ".xlsx"):
        raise OutputError(f"输出文件应以 .docx、.pdf 或 .xlsx 结尾：{base}")
    if out and len(formats) == 1 and base.suffix.lower() != "." + formats[0]:
        raise OutputError(f"输出文件 {base} 的扩展名与 --format {formats[0]} 不符。")
    paths = {f: base.with_suffix("." + f) for f in formats}
    for path in paths.values():  # a read-only output, or --out under a file: said before any work
        check_target(path)
    return paths


# LibreOffice's layout takes about 20 ms a page on a short document and more per page the longer it
# is (a unit is some 17 pages: 50 units 30 s, 200 units about 5 minutes, 1,000 units over an hour).
# A department of LONG_LAYOUT_UNITS units or more is told before that the wait is LibreOffice's; one
# of more than LAYOUT_MAX_UNITS units gets its .docx without a layout, the page numbers left to Word
# (a warning says why and how), unless a PDF is asked for, which needs the layout anyway.
LONG_LAYOUT_UNITS = 20
LAYOUT_MAX_UNITS = 200


def publish(pub: Publication, formats=("docx",), out: Path | None = None, lo: "libreoffice.LibreOffice | None" = None,
            template: Path | None = None, notify=None) -> tuple[list[Path], list[str]]:
    """Write ``pub`` in ``formats``; returns the paths written and the warnings to show.
    ``notify(message)``: told before a long LibreOffice layout starts (the CLI prints it)."""
    formats = list(formats)
    paths = output_paths(pub, formats, out)
    epoch = package.epoch(pub.revision)
    raw = render_parts(pub, template)
    warnings: list[str] = []
    data: dict[str, bytes] = {}
    need_lo = "pdf" in formats or "docx" in formats
    own_lo = None
    first = finish(raw, pub, epoch) if need_lo else None  # every heading listed, page numbers not yet known
    # the same draft laid out by the same LibreOffice gives the same page numbers: a .docx alone reuses them
    layout = cached_layout(first) if need_lo and "pdf" not in formats else None
    too_long = ("docx" in formats and "pdf" not in formats and layout is None and len(pub.units) > LAYOUT_MAX_UNITS
                and libreoffice.find() is not None)  # (without LibreOffice, NO_LO_WARNING says what to do)
    if too_long:
        warnings.append(too_long_warning(len(pub.units)))
    if not need_lo or layout is not None or too_long:
        lo = None  # Excel alone needs no layout, nor a .docx whose draft was laid out before
    elif lo is None:
        try:
            own_lo = lo = libreoffice.LibreOffice()
        except libreoffice.LibreOfficeMissing:
            if "pdf" in formats:
                raise
            lo = None
    try:
        pages = page_count = None
        with tempfile.TemporaryDirectory(prefix="budgetpub-") as tmp:
            if lo is not None:
                draft = Path(tmp) / "draft.docx"
                draft.write_bytes(first)
                pdf_path = Path(tmp) / "out.pdf" if "pdf" in formats else None
                if notify is not None and len(pub.units) >= LONG_LAYOUT_UNITS:
                    notify(f"正在用 LibreOffice 排版（{len(pub.units)} 个单位），以填写目录的页码"
                           f"{'并导出 PDF' if pdf_path else ''}：这样大的文件可能需要几分钟……")
                layout = lo.layout(draft, pdf_path)
                store_layout(first, layout)
                if pdf_path:
                    data["pdf"] = pdf_path.read_bytes()
            elif "docx" in formats and layout is None and not too_long:
                warnings.append(NO_LO_WARNING)
            if layout is not None:
                # the headings of the rendered document, as the draft lists them (not unzipped again)
                pages = toc.match_pages(toc.headings(dict(raw)[DOCUMENT]), layout.toc)
                if pages is None:
                    warnings.append("警告：LibreOffice 排出的目录与文件的标题不一致，目录页码留待 Word 填写。")
                page_count = layout.pages or None
        # the draft is the document when no layout gave page numbers: finish it once, not twice
        docx = first if first is not None and pages is None and page_count is None else \
            finish(raw, pub, epoch, pages, page_count)
        check_generated(docx)  # the document adds up (verify.py); a disagreement is a bug: nothing is written
        if "docx" in formats:
            data["docx"] = docx
        if "xlsx" in formats:
            from .xlsx import workbook_bytes
            data["xlsx"] = workbook_bytes(pub, docx, epoch)
    finally:
        if own_lo is not None:
            own_lo.close()
    written = []
    for f in formats:
        try:
            write_atomic(paths[f], data[f])
        except OSError as exc:
            raise OutputError(f"无法写入 {paths[f]}：{os_reason(exc)}。") from None
        written.append(paths[f])
    return written, warnings
