"""Write one department's publication in the requested formats: docx, pdf, xlsx.

    paths, warnings = publish(publication, ["docx", "pdf"], out=None, lo=None, template=None)
    warnings = dry_run(publication, ["docx"], out=None, template=None)   # check: all but layout and write

Everything is made first (in memory or in a temporary directory) and written
only when every format succeeded, each file atomically; an earlier file is
only ever replaced by a complete new one.

When LibreOffice can be driven (generator/formats/libreoffice.py), the contents' page numbers come
from its layout. For a .docx, it is made in parts side by side (layout.py: the front matter, the
department and each unit laid out alone across a pool of LibreOffice processes, the page numbers
the sums), each part's layout kept in the cache; the .docx is written once, its contents' page
numbers filled in. With a PDF, the whole document is laid out once, its contents updated and
exported (the export needs the whole layout anyway; the parts' would come on top), in one process,
so that its fonts are embedded once and its bookmarks span the whole: exporting the parts and
joining their PDFs made a file 4.5 times as large at 10 units (each part its own font subsets).
Without LibreOffice the .docx leaves the page numbers to Word (a warning says so) and a PDF cannot
be made (an error says how to install it).

``lo``: a started ``libreoffice.LibreOffice`` (or ``layout.Pool``) to share between departments (the
batch run keeps one per worker); None starts a pool for this call only, when a part needs laying out.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from generator.document import package, toc
from generator.document.direct import cache_dir
from generator.document.render import DOCUMENT, finish, package_parts, render_parts
from generator.document.untrusted import unusable
from generator.errors import OutputError, os_reason
from generator.figures.compute import Publication
from generator.resources import TEMPLATE
from generator.verify import GeneratedDocumentUnreadable, UnreadableDocument, check_generated

from . import layout, libreoffice
from .output import check_target, default_path, write_atomic

FORMATS = ("docx", "pdf", "xlsx")


def layout_identity() -> str | None:
    """What lays a document out: this LibreOffice, its fonts configuration and the code that drives
    it (a layout is kept in the cache under it); None when LibreOffice cannot be driven here."""
    found = libreoffice.find()
    if found is None:
        return None
    here = Path(libreoffice.__file__)
    stamps = []
    for path in (found[0], here, here.with_name("lo_worker.py"), here.with_name("fontfaces.py"),
                 here.with_name("layout.py")):
        try:
            st = Path(path).resolve().stat()
        except OSError:
            return None
        stamps.append(f"{path}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(stamps + [libreoffice.fontconfig_text()])


def _layout_cache() -> Path | None:
    directory = cache_dir()
    return directory / "layout" if directory is not None else None


NO_LO_WARNING = ("警告：未找到 LibreOffice，目录中的页码留待 Word 填写（在 Word 中右键目录，选择“更新域”）。"
                 f"安装 LibreOffice 后生成的文件将直接带有页码：{libreoffice.INSTALL_HINT}。")


def too_long_warning(units: int) -> str:
    return (f"警告：本部门有 {units} 个单位，用 LibreOffice 排版以填写目录页码需要很长时间（与单位数成正比，"
            f"{LAYOUT_MAX_UNITS} 个单位以上要数分钟），已跳过：目录中的页码留待 Word 填写（在 Word 中右键目录，选择“更新域”）。"
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


# LibreOffice lays a publication out in parts (layout.py), in time proportional to the units, shared
# by the cores. A department of LONG_LAYOUT_UNITS units or more is told before that the wait is
# LibreOffice's; one of more than LAYOUT_MAX_UNITS units gets its .docx without a layout, the page
# numbers left to Word (a warning says why and how), unless a PDF is asked for, which needs the layout.
LONG_LAYOUT_UNITS = 20
LAYOUT_MAX_UNITS = 200


def publish(pub: Publication, formats=("docx",), out: Path | None = None, lo=None,
            template: Path | None = None, notify=None) -> tuple[list[Path], list[str]]:
    """Write ``pub`` in ``formats``; returns the paths written and the warnings to show.
    ``lo``: a started ``libreoffice.LibreOffice`` or ``layout.Pool`` to use (None: a pool is started
    when a part needs laying out). ``notify(message)``: told before a long layout starts (the CLI
    prints it)."""
    paths, data, warnings = make(pub, formats, out, lo, template, notify)
    written = []
    for f in formats:
        try:
            write_atomic(paths[f], data[f])
        except OSError as exc:
            raise OutputError(f"无法写入 {paths[f]}：{os_reason(exc)}。") from None
        written.append(paths[f])
    return written, warnings


def dry_run(pub: Publication, formats=("docx",), out: Path | None = None,
            template: Path | None = None) -> list[str]:
    """What ``check`` runs: everything ``publish`` does but LibreOffice's layout (which only fills in
    the contents' page numbers and exports the PDF) and the write. The outputs are checked (a
    read-only file, --out under a file), the document is rendered in memory and verified (a
    disagreement is exit 3 here, as it would be at generate), the Excel file is made when asked for,
    and a PDF asked for needs LibreOffice installed. Returns the warnings generate would show."""
    return make(pub, formats, out, template=template, lay_out=False)[2]


def make(pub: Publication, formats=("docx",), out: Path | None = None, lo=None, template: Path | None = None,
         notify=None, lay_out: bool = True) -> tuple[dict[str, Path], dict[str, bytes], list[str]]:
    """Every file of ``formats`` made in memory and verified: (paths, bytes by format, warnings).
    ``lay_out=False`` (check): no LibreOffice layout, the contents without page numbers and no PDF
    bytes; what LibreOffice would be asked for is still found and said (missing, too long)."""
    formats = list(formats)
    paths = output_paths(pub, formats, out)
    epoch = package.epoch(pub.revision)
    raw = render_parts(pub, template)
    document = dict(raw)[DOCUMENT]
    warnings: list[str] = []
    data: dict[str, bytes] = {}
    pages = page_count = None
    own: list = []  # what this call started, closed at its end
    given = None if lo is None else lo if isinstance(lo, layout.Pool) else layout.Pool([lo])

    def pool(parts: int) -> layout.Pool:
        if given is not None:
            chosen = given
        elif not own:
            own.append(chosen := layout.Pool(size=layout.pool_size(parts)))
        else:
            chosen = own[0]
        chosen.adopt(tmp)  # the parts, the draft and the PDF go with LibreOffice, even if budgetpub is killed
        return chosen

    try:
        with tempfile.TemporaryDirectory(prefix="budgetpub-") as tmp_name:
            tmp = Path(tmp_name)
            too_long = ("docx" in formats and "pdf" not in formats and len(pub.units) > LAYOUT_MAX_UNITS
                        and libreoffice.find() is not None)  # (without LibreOffice, NO_LO_WARNING says what to do)
            identity = layout_identity() if ("docx" in formats or "pdf" in formats) and not too_long else None
            if too_long:
                warnings.append(too_long_warning(len(pub.units)))
            elif identity is None and "pdf" in formats:
                libreoffice.LibreOffice()  # raises LibreOfficeMissing, saying what is missing and how to install it
            elif identity is None and "docx" in formats:
                warnings.append(NO_LO_WARNING)
            elif not lay_out:  # check: LibreOffice is there; its layout only gives the page numbers
                identity = None
            elif identity is not None and "pdf" in formats:
                # the whole document laid out once, its contents updated and exported: the page numbers
                # and the PDF from one pass (the parts' layout would come on top of the export's)
                draft, pdf_path = tmp / "draft.docx", tmp / "out.pdf"
                draft.write_bytes(finish(raw, pub, epoch))
                if notify is not None and len(pub.units) >= LONG_LAYOUT_UNITS:
                    notify(f"正在用 LibreOffice 排版并导出 PDF（{len(pub.units)} 个单位）……")
                whole = pool(1).members[0].layout(draft, pdf_path)
                data["pdf"] = pdf_path.read_bytes()
                printed = len(re.findall(rb"/Type\s*/Page[^s]", data["pdf"]))  # (not a blank page LibreOffice adds)
                found = layout.Result(toc.match_pages(toc.headings(document), whole.toc), printed, 1)
            elif identity is not None:
                found = _lay_out(pub, raw, document, epoch, tmp, pool, identity, notify)
            if identity is not None and not too_long:
                if found.pages is None:
                    warnings.append("警告：LibreOffice 排出的目录与文件的标题不一致，目录页码留待 Word 填写。")
                pages, page_count = found.pages, found.total or None
            docx = finish(raw, pub, epoch, pages, page_count)  # once, with the page numbers when known
            try:  # the document adds up (verify): a disagreement is a bug, nothing is written
                check_generated(docx, pub.department.left_out)
            except UnreadableDocument as exc:  # past a bound of the reading (a compression ratio, a count of cells)
                raise _unreadable(template, exc) from None
            if "docx" in formats:
                data["docx"] = docx
            if "xlsx" in formats:
                from .xlsx import workbook_bytes
                data["xlsx"] = workbook_bytes(pub, epoch)
    except BaseException as exc:  # an error or an interrupt: LibreOffice stops now, not after its document
        for p in own:
            p.abort()
        if given is not None and not isinstance(exc, Exception):  # Ctrl-C, SIGTERM, SIGHUP: the batch's too
            given.abort()
        raise
    finally:
        for p in own:
            p.close()
    return paths, data, warnings


def _unreadable(template: Path | None, exc: UnreadableDocument) -> Exception:
    """The document just rendered cannot be read back to be verified: made by the repository's template
    (exit 2, naming it: a loop that repeats a table's cells, say), or by budgetpub's own (a bug, exit 3)."""
    if template is not None and Path(template) != TEMPLATE:
        return unusable(Path(template), "template.output", f"用这个模板生成的文件无法读回核对：{exc}"
                        "请检查模板中的循环是否生成了大量重复的内容。")
    return GeneratedDocumentUnreadable(str(exc))


def _lay_out(pub: Publication, raw, document: bytes, epoch: int, tmp: Path, pool, identity: str,
             notify) -> layout.Result:
    """The contents' page numbers: the parts laid out side by side (layout.py), or, for a template
    whose document cannot be cut into parts, the whole document in one process."""
    headings = toc.headings(document)
    documents = layout.split(document, layout.grouping(len(pub.units)), front_alone=False)
    if documents is None:
        draft = tmp / "draft.docx"
        draft.write_bytes(finish(raw, pub, epoch))
        whole = pool(1).members[0].layout(draft)
        return layout.Result(toc.match_pages(headings, whole.toc), whole.pages, 1)
    documents[0] = layout.front_with_contents(documents[0], headings)

    def announced(parts: int) -> layout.Pool:  # asked only when some part is not in the cache
        if notify is not None and len(pub.units) >= LONG_LAYOUT_UNITS:
            notify(f"正在用 LibreOffice 排版（{len(pub.units)} 个单位），以填写目录的页码……")
        return pool(parts)
    return layout.lay_out(documents, package_parts(raw, pub, epoch), DOCUMENT, headings, tmp, announced,
                          _layout_cache(), identity, front_joined=True)
