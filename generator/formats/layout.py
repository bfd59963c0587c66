"""The contents' page numbers from LibreOffice, laid out in parts, in parallel.

LibreOffice's layout takes longer per page the longer the document (about 20 ms a page for a
short one, several times that for 200 units). But each part of a publication starts on a new
page and flows on its own: the front matter (cover and contents, not numbered), the department
(第一部分 and its tables and 情况说明) and each unit. So each part is laid out as a document of its
own, across a pool of LibreOffice processes, and the contents' page numbers are the sums: a
heading on page p of the k-th part of the body is on page p + the pages of the parts before it
(the body is numbered from 1: template_builder.number_pages). tests/test_layout.py checks that
this gives the numbers of one layout of the whole document, on every example.

A part is the rendered document.xml cut before the first paragraph of a scope (its 第一部分/第二部分
title, else its heading), with the section properties that govern its last page as the body's
own; the front matter's contents are listed with a placeholder page number (the digits do not
change a line). publish lays the front matter out with the body's first part (one document less
to load: a three-unit department is one document, not two); the front's pages are those up to the
last paragraph before the body's first heading (LibreOffice's blank page before an even page 1 is
neither's, and is not printed). Each part's layout is kept in the cache, keyed by the part and by what lays it out
(publish.layout_key): a second run lays out only the parts that changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import re
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from generator.document import toc

from . import libreoffice

PLACEHOLDER = "888"
_HEADING2 = re.compile(rb'<w:pStyle w:val="Heading2"/>')
_HEADING1 = b'<w:pStyle w:val="Heading1"/>'
_SECT = re.compile(rb"<w:sectPr[ >].*?</w:sectPr>", re.S)
_BREAK_AT_END = re.compile(rb"<w:p><w:pPr>(<w:sectPr[ >].*?</w:sectPr>)</w:pPr></w:p>\s*$", re.S)


@dataclass
class PartLayout:
    pages: int
    headings: list[tuple[int, str, str]]  # (level, text, page within the part)
    before: list[int] = field(default_factory=list)  # the page of the last paragraph before each heading (0: none)
    front: int = 0  # (_body_of_first) the pages of the front matter laid out before it


def _paragraph_start(xml: bytes, at: int, window: int = 1 << 16) -> int:
    """Where the paragraph holding ``at`` starts (-1: none), looked for in the ``window`` bytes
    before it first: a form that never occurs (our paragraphs are all ``<w:p>``) was searched back to
    the document's start at every heading, 7 s of a 200-unit publication whose layout was cached."""
    low = max(0, at - window)
    found = max(xml.rfind(b"<w:p>", low, at), xml.rfind(b"<w:p ", low, at))
    if found >= 0 or low == 0:
        return found
    return max(xml.rfind(b"<w:p>", 0, low + 4), xml.rfind(b"<w:p ", 0, low + 4))


def cuts(document: bytes) -> list[int]:
    """Where each scope's part starts: before its heading (Heading 2), or before the part's title
    (Heading 1) right above it. [] when the document has no such headings."""
    out = []
    for m in _HEADING2.finditer(document):
        start = _paragraph_start(document, m.start())
        before = _paragraph_start(document, start)
        if before >= 0 and _HEADING1 in document[before:start]:
            start = before
        if start > 0 and (not out or start > out[-1]):
            out.append(start)
    return out


def _break_at_end(content: bytes):
    """The section break that ends ``content``, if its last paragraph is one. Matched at the last
    candidate only: searched from the start, the pattern ran from every earlier section break to the
    end of the part (5 s of a 50-unit layout's 40)."""
    at = content.rfind(b"<w:p><w:pPr><w:sectPr")
    return _BREAK_AT_END.match(content, at) if at >= 0 else None


def split(document: bytes, group: int = 1, front_alone: bool = True) -> list[bytes] | None:
    """The document.xml of each part: the front matter, the department, then the units ``group`` at
    a time (0: the whole body in one part); None when the document cannot be cut so (a template
    without the scope headings). ``front_alone`` False: the front matter and the first part of the
    body are one part (one document less for LibreOffice to load; lay_out takes the front's pages
    off by the first heading of the body)."""
    body = document.find(b"<w:body>")
    final = document.rfind(b"<w:sectPr")
    found = cuts(document)
    if body < 0 or final < 0 or not found or found[-1] > final:
        return None
    found = found[:1] + (found[1::group] if group > 0 else [])
    if not front_alone:
        found = found[1:]
    head, end = document[:body + len(b"<w:body>")], b"</w:body></w:document>"
    bounds = [body + len(b"<w:body>"), *found, final]
    parts = []
    for a, b in zip(bounds, bounds[1:]):
        content = document[a:b]
        at_end = _break_at_end(content)
        if at_end:  # a part that ends with its section break (the front matter): that break is the body's
            sect = at_end.group(1)
            content = content[:at_end.start()] + b"<w:p><w:pPr/></w:p>"
        else:  # the properties of the section the part ends in: the next break, or the body's own
            sect = _SECT.search(document, b).group(0)
        parts.append(head + content + sect + end)
    return parts


def front_with_contents(front: bytes, headings: list[tuple[int, str]]) -> bytes:
    """The front matter with its contents listed, each with a placeholder page number."""
    return toc.fill_xml(front, [(level, text, PLACEHOLDER) for level, text in headings])


def write_package(path: Path, shared: list[tuple[str, bytes]], document_name: str, document: bytes) -> None:
    """A .docx of ``shared`` parts with ``document`` as its document.xml, stored (not compressed)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for name, data in shared:
            z.writestr(name, document if name == document_name else data)


class Pool:
    """LibreOffice processes laying out documents side by side: ``members`` given (the batch's one
    process) or ``size`` started for the pool and closed with it."""

    def __init__(self, members: list | None = None, size: int = 1):
        self._own = members is None
        self.members = members if members is not None else [libreoffice.LibreOffice() for _ in range(size)]

    def __enter__(self) -> "Pool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def headings(self, paths: list[Path], hints: list[dict] | None = None) -> list[PartLayout]:
        """Each document's layout, in order: each process takes the next document when it is free.
        ``hints``: for each document, what LibreOffice.headings may be told (expect, before_of)."""
        results: list[PartLayout | None] = [None] * len(paths)
        work: queue.Queue = queue.Queue()
        for item in enumerate(paths):
            work.put(item)
        hints = hints or [{} for _ in paths]
        failed: list[BaseException] = []

        def run(lo) -> None:
            while not failed:
                try:
                    i, path = work.get_nowait()
                except queue.Empty:
                    return
                try:
                    found = lo.headings(path, **hints[i])
                except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
                    failed.append(exc)
                    return
                results[i] = PartLayout(found.pages, found.toc, found.before)

        busy = self.members[:len(paths)]
        for lo in busy:  # started from this thread, which outlives the pool's threads (LibreOffice.spawn)
            spawn = getattr(lo, "spawn", None)
            if callable(spawn):
                try:
                    spawn()
                except BaseException:
                    self.abort()
                    raise
        threads = [threading.Thread(target=run, args=(lo,), daemon=True) for lo in busy]
        for t in threads:
            t.start()
        try:
            for t in threads:
                t.join()
        except BaseException:  # an interrupt (it reaches this thread): every process stops now, and
            failed.append(None)  # the threads end (each stops what it was starting) before budgetpub does
            self.abort()
            for t in threads:
                t.join(timeout=30)
            raise
        if failed:
            raise failed[0]
        return results  # type: ignore[return-value]

    def close(self) -> None:
        if self._own:
            for lo in self.members:
                lo.close()

    def abort(self) -> None:
        """Stop every process now (an interrupt or an error): not after the document it is laying out."""
        for lo in self.members:
            lo.abort()

    def adopt(self, path: Path) -> None:
        """``path`` (a temporary folder of budgetpub's) goes with LibreOffice if budgetpub is killed."""
        if self.members and callable(getattr(self.members[0], "adopt", None)):
            self.members[0].adopt(path)


def pool_size(parts: int) -> int:
    """Processes worth starting for ``parts`` parts: one per core, at most one for two parts."""
    return max(1, min(os.cpu_count() or 1, parts // 2))


def grouping(units: int) -> int:
    """Units laid out together in one part: LibreOffice's cost per document (loading the styles, a
    fifth of a unit's layout) is paid once for several, while each core still gets about four
    parts; a small department's body is one part (0), as its batch run lays out many side by side."""
    if units < 8:
        return 0
    return max(1, min(8, units // (4 * (os.cpu_count() or 1))))


def _cached(directory: Path | None, key: str) -> PartLayout | None:
    if directory is None:
        return None
    try:
        data = json.loads((directory / f"{key}.json").read_text(encoding="utf-8"))
        return PartLayout(int(data["pages"]), [(int(a), str(b), str(c)) for a, b, c in data["headings"]],
                          [int(d) for d in data["before"]])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _store(directory: Path | None, key: str, found: PartLayout) -> None:
    if directory is None:
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        tmp = directory / f"{key}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps({"pages": found.pages, "headings": found.headings, "before": found.before},
                                  ensure_ascii=False),
                       encoding="utf-8")
        os.replace(tmp, directory / f"{key}.json")
    except OSError:
        pass  # a cache that cannot be written is only slower


@dataclass
class Result:
    pages: list[str] | None  # the page of each heading the contents list, in document order
    total: int  # pages of the whole document
    laid_out: int  # parts LibreOffice laid out (the others came from the cache)


def lay_out(documents: list[bytes], shared: list[tuple[str, bytes]], document_name: str,
            headings: list[tuple[int, str]], tmp: Path, pool, cache: Path | None, identity: str,
            front_joined: bool = False) -> Result:
    """The page numbers of ``headings`` from the parts' layouts (``documents``: split(), the front
    matter with its contents listed; ``front_joined``: split with front_alone False), each from the
    cache or laid out by ``pool(n)``: the Pool to lay out n parts with, asked for only when a part is
    not in the cache."""
    digest = hashlib.sha256(identity.encode("utf-8"))
    for name, data in shared:
        if name != document_name:
            digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    base = digest.hexdigest()
    keys = [hashlib.sha256(base.encode("ascii") + part).hexdigest() for part in documents]
    found: list[PartLayout | None] = [_cached(cache, k) for k in keys]
    missing = [i for i, f in enumerate(found) if f is None]
    if missing:
        paths, hints = [], []
        for i in missing:
            path = tmp / f"part{i}.docx"
            write_package(path, shared, document_name, documents[i])
            paths.append(path)
            # the headings it holds (LibreOffice then looks at Heading 1-4 only), and the page before a
            # heading only where _body_of_first reads it: the joined part's first heading
            hints.append({"expect": len(toc.headings(documents[i])),
                          "before_of": headings[0][1] if front_joined and i == 0 and headings else ""})
        for i, layout in zip(missing, pool(len(missing)).headings(paths, hints)):
            found[i] = layout
            _store(cache, keys[i], layout)
    if front_joined:  # the first part is the front matter and the body's start: the body from its first heading
        body = _body_of_first(found[0], headings)
        if body is None:
            return Result(None, sum(part.pages for part in found), len(missing))
        found = [PartLayout(body.front, []), body, *found[1:]]
    total = sum(part.pages for part in found)
    entries: list[tuple[int, str, str]] = []
    offset = 0
    for part in found[1:]:  # the body: numbered from 1 (the front matter is not counted)
        entries += [(level, text, str(offset + int(page))) for level, text, page in part.headings]
        offset += part.pages
    return Result(toc.match_pages(headings, entries), total, len(missing))


def _body_of_first(joined: PartLayout, headings: list[tuple[int, str]]) -> PartLayout | None:
    """The body's share of a part laid out with the front matter before it: from the page of the
    body's first heading (the part's first heading the contents list: a scope's part starts with it).
    The front matter's pages end with the last paragraph before that heading: a blank page LibreOffice
    put between them (the body's page 1 falling on an even page) is neither's and is not printed.
    None when that heading is not found."""
    if not headings or len(joined.before) != len(joined.headings):
        return None
    first = re.sub(r"\s+", "", headings[0][1])
    for i, (level, text, page) in enumerate(joined.headings):
        if re.sub(r"\s+", "", text) == first and page.isdigit():
            start = int(page) - 1  # the pages before the body's first
            return PartLayout(joined.pages - start, [(lv, t, str(int(p) - start)) for lv, t, p in joined.headings[i:]
                                                     if p.isdigit()], [], front=joined.before[i])
    return None
