"""Write one department's publication in the requested formats: docx, pdf, xlsx.

    paths, warnings = publish(publication, ["docx", "pdf"], out=None, lo=None, template=None)

Everything is made first (in memory or in a temporary directory) and written
only when every format succeeded, each file atomically; an earlier file is
only ever replaced by a complete new one.

When LibreOffice can be driven (generator/pdf.py), the document is laid out
once in it: the .docx is written with its contents' page numbers already
filled in, and the PDF is exported from that layout with the indexes
updated. Without LibreOffice the .docx leaves the page numbers to Word (a
warning says so) and a PDF cannot be made (an error says how to install it).

``lo``: a started ``pdf.LibreOffice`` to share between departments (the
batch run keeps one for all of them); None starts one for this call only,
when needed and available.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from . import package, pdf, toc
from .compute import Publication
from .errors import OutputError
from .oserrors import reason as os_reason
from .render import check_target, default_path, finish, render_raw, write_atomic

FORMATS = ("docx", "pdf", "xlsx")
NO_LO_WARNING = ("警告：未找到 LibreOffice，目录中的页码留待 Word 填写（在 Word 中右键目录，选择“更新域”）。"
                 f"安装 LibreOffice 后生成的文件将直接带有页码：{pdf.INSTALL_HINT}。")


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


def publish(pub: Publication, formats=("docx",), out: Path | None = None, lo: "pdf.LibreOffice | None" = None,
            template: Path | None = None) -> tuple[list[Path], list[str]]:
    """Write ``pub`` in ``formats``; returns the paths written and the warnings to show."""
    formats = list(formats)
    paths = output_paths(pub, formats, out)
    epoch = package.epoch(pub.revision)
    raw = render_raw(pub, template)
    warnings: list[str] = []
    data: dict[str, bytes] = {}
    need_lo = "pdf" in formats or "docx" in formats
    own_lo = None
    if not need_lo:
        lo = None  # Excel alone needs no layout
    elif lo is None:
        try:
            own_lo = lo = pdf.LibreOffice()
        except pdf.LibreOfficeMissing:
            if "pdf" in formats:
                raise
            lo = None
    try:
        pages = page_count = None
        with tempfile.TemporaryDirectory(prefix="budgetpub-") as tmp:
            if lo is not None:
                first = finish(raw, pub, epoch)  # every heading listed, page numbers not yet known
                draft = Path(tmp) / "draft.docx"
                draft.write_bytes(first)
                pdf_path = Path(tmp) / "out.pdf" if "pdf" in formats else None
                layout = lo.layout(draft, pdf_path)
                pages = toc.match_pages(toc.headings(toc.read_document(first)), layout.toc)
                if pages is None:
                    warnings.append("警告：LibreOffice 排出的目录与文件的标题不一致，目录页码留待 Word 填写。")
                page_count = layout.pages or None
                if pdf_path:
                    data["pdf"] = pdf_path.read_bytes()
            elif "docx" in formats:
                warnings.append(NO_LO_WARNING)
        docx = finish(raw, pub, epoch, pages, page_count)
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
