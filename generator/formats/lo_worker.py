"""LibreOffice worker: one headless soffice process serves many documents.

Run by generator/formats/libreoffice.py with a Python that can ``import uno`` (Debian:
python3-uno with the system python3); it must not import the generator
package. Its arguments: soffice, the session's private folder (HOME: the profile goes
in HOME/profile, LibreOffice's temporary files in $TMPDIR, which is HOME/tmp) and the pid of
budgetpub. It starts soffice itself (that profile, a pipe connection, the font configuration
given in $FONTCONFIG_FILE), then reads one JSON request per line on stdin and answers one
JSON line on stdout:

    {"docx": "/abs/in.docx", "pdf": "/abs/out.pdf" or null}
    -> {"ok": true, "toc": [[level, text, page], ...], "pages": N, "soffice": pid}
    {"docx": "/abs/part.docx", "headings": true, "expect": N or null, "before_of": "text" or null}
    -> {"ok": true, "headings": [[level, text, page, page before], ...], "pages": N, "soffice": pid}
    {"docx": "/abs/final.docx", "pdf": "/abs/out.pdf", "update": false}
    -> as the first, the contents as the file has them
    -> {"ok": false, "error": "..."}

For each document it updates every index (the table of contents) and field
through LibreOffice's API, reads the page of every contents entry from the
updated index, and exports the PDF (bookmarks from the headings) when asked.
With "headings" it updates nothing: it reads the physical page of each heading
of outline levels 1 to 4 (what the contents list) from the layout, for a part
of a publication laid out alone (publish.py adds the parts' pages up). With
"update" false the indexes and fields are left as the file has them (a
.docx whose contents already hold their page numbers).
End of input (or {"quit": true}) closes soffice.

LibreOffice never outlives budgetpub: soffice runs in a process group of its own, and a guard
thread waits for SIGTERM, SIGINT or SIGHUP (blocked in every other thread). budgetpub sends
SIGTERM when it stops early (Ctrl-C, SIGTERM, SIGHUP, an error); the kernel sends it when
budgetpub dies, even by SIGKILL (PR_SET_PDEATHSIG on Linux; elsewhere the guard also looks at
the parent pid twice a second). The guard then kills soffice's process group, removes HOME
(the profile and every temporary file) and ends the worker, whatever the main thread is doing.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time

import uno  # noqa: F401  (python3-uno)
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


STOP = {signal.SIGTERM, signal.SIGINT, signal.SIGHUP}


class Guard:
    """Kills soffice and removes HOME when budgetpub says so or dies (see the module docstring)."""

    def __init__(self, home: str, parent: int):
        self.home, self.parent = home, parent
        self.lock = threading.Lock()  # held while soffice starts: its pid is known before any cleanup
        self.proc: subprocess.Popen | None = None
        self.pipes: list[str] = []  # the sockets soffice makes for its pipes (pipe_sockets): removed with it

    def start(self) -> None:
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP)  # for every thread started after: the guard waits for them
        threading.Thread(target=self._wait_signal, daemon=True).start()
        threading.Thread(target=self._watch_parent, daemon=True).start()
        try:  # the kernel tells us when budgetpub dies (Linux)
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
        if os.getppid() != self.parent:  # budgetpub died before the line above
            self.stop()

    def _wait_signal(self) -> None:
        signal.sigwait(STOP)
        self.stop()

    def _watch_parent(self) -> None:
        while os.getppid() == self.parent:
            time.sleep(0.5)
        self.stop()

    def stop(self) -> None:
        with self.lock:
            if self.proc is not None and self.proc.poll() is None:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except OSError:
                    pass
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    pass
            self._remove_adopted()
            remove_sockets(self.pipes)
            shutil.rmtree(self.home, ignore_errors=True)
            os._exit(1)

    def _remove_adopted(self) -> None:
        """budgetpub's temporary folders it named (libreoffice.LibreOffice.adopt): budgetpub-… beside HOME."""
        try:
            with open(os.path.join(self.home, "adopted"), encoding="utf-8") as f:
                named = [line.strip() for line in f if line.strip()]
        except OSError:
            return
        for path in named:
            if (os.path.basename(path).startswith("budgetpub-") and os.path.isabs(path)
                    and os.path.dirname(path) == os.path.dirname(os.path.realpath(self.home))):
                shutil.rmtree(path, ignore_errors=True)


def pipe_sockets(profile_url: str, pipe: str) -> list[str]:
    """The sockets soffice makes for its two pipes, which it removes when it closes but leaves behind
    when it is killed: the one it accepts budgetpub's connection on (``pipe``) and its single-instance
    pipe, named after its profile (SingleOfficeIPC_ and the MD5 of the profile's URL in UTF-16, each
    byte in hex without its leading zero). LibreOffice puts them in /tmp (else /var/tmp) whatever
    $TMPDIR says, as OSL_PIPE_<uid>_<name>. Both names are this session's alone (this worker's pid,
    its own profile folder)."""
    digest = "".join(format(b, "x") for b in hashlib.md5(profile_url.encode("utf-16-le")).digest())
    return [os.path.join(folder, f"OSL_PIPE_{os.getuid()}_{name}") for folder in ("/tmp", "/var/tmp")
            for name in (pipe, f"SingleOfficeIPC_{digest}")]


def remove_sockets(paths: list[str]) -> None:
    """Each of ``paths`` that is a socket of this user's (never a file of that name that is not)."""
    for path in paths:
        try:
            info = os.lstat(path)
            if stat.S_ISSOCK(info.st_mode) and info.st_uid == os.getuid():
                os.unlink(path)
        except OSError:
            pass


def _unblock() -> None:
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP)


def start(soffice: str, guard: Guard):
    profile = uno.systemPathToFileUrl(os.path.join(guard.home, "profile"))
    pipe = f"budgetpub{os.getpid()}"
    guard.pipes = pipe_sockets(profile, pipe)
    args = [soffice, "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
            "--nolockcheck", f"-env:UserInstallation={profile}",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"]
    with guard.lock:  # a process group of its own: killed whole, soffice.bin included
        guard.proc = proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                             stderr=subprocess.DEVNULL, start_new_session=True,
                                             preexec_fn=_unblock)  # the signals the guard waits for: soffice's own
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + 120
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except NoConnectException:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("LibreOffice did not start")
            time.sleep(0.2)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    return proc, desktop


def toc_entries(doc) -> list:
    """(level, text, page) of each entry of the first content index, after the update."""
    indexes = doc.getDocumentIndexes()
    for i in range(indexes.getCount()):
        index = indexes.getByIndex(i)
        if not index.supportsService("com.sun.star.text.ContentIndex"):
            continue
        entries = []
        enum = index.getAnchor().createEnumeration()
        while enum.hasMoreElements():
            para = enum.nextElement()
            if not para.supportsService("com.sun.star.text.Paragraph"):
                continue
            text = para.getString()
            style = para.ParaStyleName or ""
            level = int("".join(ch for ch in style if ch.isdigit()) or 0)
            if "\t" not in text:
                continue  # the index title, if any
            words, _, page = text.rpartition("\t")
            entries.append([level, words.strip(), page.strip()])
        return entries
    return []


def _heading_styles(doc, named: bool) -> list:
    """(outline level, style, name) of the paragraph styles of outline level 1-4 in use. ``named``: only
    Heading 1-4 (what a Word heading style is called in LibreOffice), four look-ups instead of asking
    each of the document's 150 styles through the bridge (a third of a small part's headings)."""
    styles = doc.getStyleFamilies().getByName("ParagraphStyles")
    names = [f"Heading {level}" for level in range(1, 5)] if named else styles.getElementNames()
    out = []
    for name in names:
        if named and not styles.hasByName(name):
            continue
        style = styles.getByName(name)
        try:
            level = style.getPropertyValue("OutlineLevel")
        except Exception:
            continue
        if 1 <= level <= 4 and style.isInUse():
            out.append((level, style, name))
    return out


def _paragraphs_of(doc, styles: list) -> list:
    """(level, range) of each paragraph of the ``styles``, found by LibreOffice's own search."""
    found = []
    for level, style, name in styles:
        search = doc.createSearchDescriptor()
        search.SearchStyles = True
        search.SearchString = getattr(style, "DisplayName", "") or name
        ranges = doc.findAll(search)
        for i in range(ranges.getCount()):
            found.append((level, ranges.getByIndex(i)))
    return found


def heading_pages(doc, expect: int | None = None, before_of: str | None = None) -> list:
    """(level, text, physical page, physical page of the last paragraph before it or 0) of each
    paragraph of a heading style of outline level 1-4 with text (what the contents list: toc.py reads
    them by their style), in order. The page before tells where a front matter laid out with the
    body's start ends: LibreOffice inserts a blank page (not printed) where the body's numbering
    restarts at 1 on an even page, so the heading's page alone does not. ``before_of``: that page
    only for the headings of this text (the body's first), 0 for the others; None: for all.

    Found by searching for the heading styles (LibreOffice finds them itself) rather than by walking
    every paragraph and table through the bridge: a three-unit department's walk took 1.5 s of its
    layout's 4, the search a tenth of that. ``expect``: how many headings budgetpub counted in the
    part; when Heading 1-4 hold that many, the other styles are not asked about."""
    def with_text(named: bool) -> list:  # (level, range, text) of the headings that have text
        found = [(level, found_range, found_range.getString())
                 for level, found_range in _paragraphs_of(doc, _heading_styles(doc, named))]
        return [item for item in found if item[2].strip()]

    texts = with_text(named=expect is not None)
    if expect is not None and len(texts) != expect:  # headings of other styles: every style asked
        texts = with_text(named=False)
    view = doc.getCurrentController().getViewCursor()
    wanted = None if before_of is None else "".join(before_of.split())
    out = []
    for level, found_range, text in texts:
        view.gotoRange(found_range.getStart(), False)
        page, y = view.getPage(), view.getPosition().Y
        before = 0
        if wanted is None or "".join(text.split()) == wanted:
            cursor = found_range.getText().createTextCursorByRange(found_range.getStart())
            if cursor.gotoPreviousParagraph(False):
                cursor.gotoEndOfParagraph(False)
                view.gotoRange(cursor, False)
                before = view.getPage()
        out.append((page, y, [level, text, str(page), before]))
    out.sort(key=lambda item: (item[0], item[1]))
    return [entry for _, _, entry in out]


def process(desktop, request: dict, pid: int) -> dict:
    url = uno.systemPathToFileUrl(request["docx"])
    doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True), prop("ReadOnly", True)))
    if doc is None:
        return {"ok": False, "error": "cannot open " + request["docx"]}
    try:
        if request.get("headings"):
            found = heading_pages(doc, request.get("expect"), request.get("before_of"))
            return {"ok": True, "headings": found, "pages": doc.getCurrentController().PageCount, "soffice": pid}
        if request.get("update", True):
            doc.getTextFields().refresh()
            indexes = doc.getDocumentIndexes()
            for i in range(indexes.getCount()):
                indexes.getByIndex(i).update()
            doc.refresh()
            entries = toc_entries(doc)
        else:
            entries = []
        pages = doc.getCurrentController().PageCount if doc.getCurrentController() else 0
        if request.get("pdf"):
            # not tagged: the structure tree of a tagged PDF (an element per table cell, uncompressed)
            # made the file 6 times LibreOffice's plain export at one unit, 27 times at 50; the fonts
            # are subsets either way. Bookmarks give the headings' outline.
            filter_data = uno.Any("[]com.sun.star.beans.PropertyValue", tuple([
                prop("ExportBookmarks", True), prop("UseTaggedPDF", False), prop("ExportNotes", False),
                prop("OpenBookmarkLevels", 2)]))
            doc.storeToURL(uno.systemPathToFileUrl(request["pdf"]), (
                prop("FilterName", "writer_pdf_Export"), prop("FilterData", filter_data)))
        return {"ok": True, "toc": entries, "pages": pages, "soffice": pid}
    finally:
        doc.close(True)


def main() -> int:
    soffice, home, parent = sys.argv[1], sys.argv[2], int(sys.argv[3])
    guard = Guard(home, parent)
    guard.start()
    try:
        proc, desktop = start(soffice, guard)
    except BaseException:  # soffice did not start: nothing of it is left behind
        guard.stop()
    print(json.dumps({"ready": True, "soffice": proc.pid}), flush=True)
    try:
        for line in sys.stdin:
            if not line.strip():
                continue
            request = json.loads(line)
            if request.get("quit"):
                break
            try:
                answer = process(desktop, request, proc.pid)
            except Exception as exc:  # one document's failure does not end the session
                answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
            print(json.dumps(answer, ensure_ascii=False), flush=True)
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass
        with guard.lock:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            remove_sockets(guard.pipes)  # closed, soffice removed them; killed or crashed, it did not
    return 0


if __name__ == "__main__":
    sys.exit(main())
