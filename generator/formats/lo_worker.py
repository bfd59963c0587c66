"""LibreOffice worker: one headless soffice process serves many documents.

Run by generator/formats/libreoffice.py with a Python that can ``import uno`` (Debian:
python3-uno with the system python3); it must not import the generator
package. It starts soffice itself (a private profile, a pipe connection, the
font configuration given in $FONTCONFIG_FILE), then reads one JSON request
per line on stdin and answers one JSON line on stdout:

    {"docx": "/abs/in.docx", "pdf": "/abs/out.pdf" or null}
    -> {"ok": true, "toc": [[level, text, page], ...], "pages": N, "soffice": pid}
    {"docx": "/abs/part.docx", "headings": true}
    -> {"ok": true, "headings": [[level, text, page], ...], "pages": N, "soffice": pid}
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
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import uno  # noqa: F401  (python3-uno)
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def start(soffice: str):
    profile = tempfile.mkdtemp(prefix="budgetpub-lo-")
    pipe = f"budgetpub{os.getpid()}"
    args = [soffice, "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
            "--nolockcheck", f"-env:UserInstallation=file://{profile}",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"]
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
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
    return proc, desktop, profile


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


def heading_pages(doc) -> list:
    """(level, text, physical page) of each paragraph of outline level 1-4 with text, in order."""
    cursor = doc.getCurrentController().getViewCursor()
    out = []
    enum = doc.getText().createEnumeration()
    while enum.hasMoreElements():
        para = enum.nextElement()
        if not para.supportsService("com.sun.star.text.Paragraph"):
            continue
        level = para.OutlineLevel
        if 1 <= level <= 4:
            text = para.getString()
            if text.strip():
                cursor.gotoRange(para.getStart(), False)
                out.append([level, text, str(cursor.getPage())])
    return out


def process(desktop, request: dict, pid: int) -> dict:
    url = uno.systemPathToFileUrl(request["docx"])
    doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True), prop("ReadOnly", True)))
    if doc is None:
        return {"ok": False, "error": "cannot open " + request["docx"]}
    try:
        if request.get("headings"):
            found = heading_pages(doc)
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
    soffice = sys.argv[1]
    proc, desktop, profile = start(soffice)
    print(json.dumps({"ready": True}), flush=True)
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
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(profile, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
