"""A budget repository in git, made hostile on purpose: the setup of tests/corpus/hostile/ (its README).

``HostileRepo(tmp_path, "304/2023")`` copies the example department into ``tmp_path/repo`` with a
budgetpub.toml, commits it on ``main`` and offers the operations the cases use (``apply``): files
written, replaced, linked, made FIFOs or sockets; the template's parts edited; hostile Word files
built (a zip bomb, an encrypted entry, an unknown compression method, corrupt data, an LFS pointer);
commits and branches, and trees crafted with names git's porcelain refuses (``..``, ``.git``).

``{outside}`` in any text is a folder beside the repository that must stay empty: what a case
tries to write or read outside the repository points there.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import socket
import struct
import subprocess
import zipfile
from pathlib import Path

from generator import DATA_ROOT
from generator.resources import CATALOGUE_DIR, TEMPLATE

GIT_ENV = {"GIT_AUTHOR_NAME": "财务室", "GIT_AUTHOR_EMAIL": "office@example.org", "GIT_COMMITTER_NAME": "财务室",
           "GIT_COMMITTER_EMAIL": "office@example.org", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null"}


class HostileRepo:
    def __init__(self, tmp_path: Path, example: str = "304/2023"):
        self.base = tmp_path
        self.root = tmp_path / "repo"
        self.outside = tmp_path / "outside"
        self.outside.mkdir()
        self.dept, self.year = example.split("/")
        shutil.copytree(DATA_ROOT / self.dept / self.year, self.root / "data" / self.dept / self.year)
        (self.root / "budgetpub.toml").write_text('data = "data"\noutput = "output"\n', encoding="utf-8")
        (self.root / ".gitignore").write_text("output/\n", encoding="utf-8")
        self.git("init", "-q", "-b", "main")
        self.commit("the example as published")

    # -- git ------------------------------------------------------------------------------------

    def git(self, *args: str, stdin: bytes | None = None) -> str:
        done = subprocess.run(["git", *args], cwd=self.root, capture_output=True, input=stdin,
                              env={**os.environ, **GIT_ENV})
        assert done.returncode == 0, (args, done.stderr)
        return done.stdout.decode("utf-8", "surrogateescape").strip()

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)

    def text(self, value: str) -> str:
        return (value.replace("{outside}", str(self.outside)).replace("{repo}", str(self.root))
                .replace("{pkg}", str(CATALOGUE_DIR)))

    def path(self, rel: str) -> Path:
        return self.root / self.text(rel)

    # -- operations -----------------------------------------------------------------------------

    def apply(self, op: dict) -> None:
        kind, arg = next(iter(op.items()))
        getattr(self, "_" + kind.replace("-", "_"))(arg, op)

    def _write(self, rel: str, op: dict) -> None:
        path = self.path(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        if "bytes" in op:
            path.write_bytes(op["bytes"])
        else:
            path.write_text(self.text(op.get("text", "")), encoding=op.get("encoding", "utf-8"))

    def _replace(self, rel: str, op: dict) -> None:
        path = self.path(rel)
        text = path.read_text(encoding="utf-8")
        new = self.text(op["new"])
        if "repeat" in op:  # {repeat} in new: a piece written many times (a text too large to keep in the manifest)
            new = new.replace("{repeat}", op["repeat"]["piece"] * op["repeat"]["times"])
        if op.get("unescape"):  # \uXXXX written in the manifest: a character YAML itself would not keep
            new = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), new)
        assert text.count(op["old"]) == 1, (rel, op["old"], text.count(op["old"]))
        path.write_text(text.replace(op["old"], new), encoding="utf-8")

    def _encode(self, rel: str, op: dict) -> None:
        path = self.path(rel)
        path.write_bytes(path.read_text(encoding="utf-8").encode(op["as"]))

    def _symlink(self, rel: str, op: dict) -> None:
        path = self.path(rel)
        if path.exists() or path.is_symlink():
            path.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(self.text(op["to"]), path)

    def _move(self, rel: str, op: dict) -> None:
        target = self.path(op["to"])
        target.parent.mkdir(parents=True, exist_ok=True)
        self.path(rel).rename(target)

    def _copy(self, rel: str, op: dict) -> None:
        source = Path(self.text(rel)) if rel.startswith("/") else self.path(rel)
        target = self.path(op["to"])
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)

    def _remove(self, rel: str, op: dict) -> None:
        path = self.path(rel)
        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()

    def _mkdir(self, rel: str, op: dict) -> None:
        self.path(rel).mkdir(parents=True)

    def _mkfifo(self, rel: str, op: dict) -> None:
        path = self.path(rel)
        if path.exists():
            path.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(path)

    def _socket(self, rel: str, op: dict) -> None:
        path = self.path(rel)
        if path.exists():
            path.unlink()
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(str(path))  # the file stays after the socket is closed
        server.close()

    def _big(self, rel: str, op: dict) -> None:
        path = self.path(rel)
        with open(path, "wb") as f:
            f.write(b"# " + b"x" * (op["size"] - 3) + b"\n")

    def _template(self, rel: str, op: dict) -> None:
        """Edit a part of templates/publication.docx (the packaged template copied there first)."""
        path = self.path("templates/publication.docx")
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(TEMPLATE, path)
        part = rel
        with zipfile.ZipFile(path) as z:
            entries = [(i, z.read(i)) for i in z.infolist()]
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for info, data in entries:
                if info.filename == part:
                    text = data.decode("utf-8")
                    assert text.count(op["old"]) >= 1, (part, op["old"])
                    data = text.replace(op["old"], self.text(op["new"]), 1).encode("utf-8")
                z.writestr(info, data)
        path.write_bytes(out.getvalue())

    def _docx(self, rel: str, op: dict) -> None:
        """A hostile Word file at ``rel``, made from the packaged template: ``how`` is bomb, encrypted,
        method, corrupt, lfs, text or spans (a table of 120 rows of 50 cells each spanning 1,000 columns:
        some 400 KB of XML, six million cells once spanned)."""
        path = self.path(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        how = op["how"]
        if how == "lfs":
            path.write_text("version https://git-lfs.github.com/spec/v1\noid sha256:" + "0" * 64 + "\nsize 98304\n")
            return
        if how == "text":
            path.write_text("这不是 Word 文件。\n", encoding="utf-8")
            return
        with zipfile.ZipFile(TEMPLATE) as z:
            entries = [(i.filename, z.read(i)) for i in z.infolist()]
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in entries:
                if how == "spans" and name == "word/document.xml":
                    cell = '<w:tc><w:tcPr><w:gridSpan w:val="1000"/><w:vMerge/></w:tcPr><w:p/></w:tc>'
                    table = "<w:tbl>" + ("<w:tr>" + cell * 50 + "</w:tr>") * 120 + "</w:tbl>"
                    z.writestr(name, data.replace(b"<w:body>", b"<w:body>" + table.encode(), 1))
                elif how == "bomb" and name == "word/document.xml":
                    info = zipfile.ZipInfo(name)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    with z.open(info, "w", force_zip64=True) as f:
                        block = b" " * (1 << 20)
                        for _ in range(op.get("megabytes", 300)):
                            f.write(block)
                else:
                    z.writestr(name, data)
        data = bytearray(out.getvalue())
        if how in ("encrypted", "method"):
            _patch_headers(data, b"word/document.xml", how)
        elif how == "corrupt":
            start = data.index(b"word/document.xml") + len("word/document.xml") + 200
            for i in range(start, start + 4000):
                data[i] ^= 0x5A
        path.write_bytes(bytes(data))

    def _commit(self, message: str, op: dict) -> None:
        self.commit(message)

    def _branch(self, name: str, op: dict) -> None:
        self.git("checkout", "-q", "-b", name)

    def _checkout(self, name: str, op: dict) -> None:
        self.git("checkout", "-q", "-f", name)
        self.git("clean", "-q", "-fdx", "-e", "output")

    def _tree(self, branch: str, op: dict) -> None:
        """A commit on ``branch`` whose tree holds ``entries`` added under their folders, by name, with
        git's plumbing (mktree accepts names checkout would refuse: .., .git)."""
        base = self.git("rev-parse", "HEAD^{tree}")
        tree = base
        for entry in op["entries"]:
            folder, name = entry["in"], entry["name"]
            if entry.get("mode") == "160000":  # a submodule: a commit, here the current one
                line = f"160000 commit {self.git('rev-parse', 'HEAD')}\t{name}"
            elif "text" in entry:
                obj = self.git("hash-object", "-w", "--stdin", stdin=self.text(entry["text"]).encode("utf-8"))
                line = f"{entry.get('mode', '100644')} blob {obj}\t{name}"
            else:  # a folder holding one file
                blob = self.git("hash-object", "-w", "--stdin", stdin=self.text(entry["file_text"]).encode("utf-8"))
                sub = self.git("mktree", stdin=f"100644 blob {blob}\t{entry['file']}\n".encode("utf-8"))
                line = f"040000 tree {sub}\t{name}"
            tree = self._put(tree, folder.split("/") if folder else [], line)
        commit = self.git("commit-tree", tree, "-p", "HEAD", "-m", f"crafted: {branch}")
        self.git("branch", "-f", branch, commit)

    def _put(self, tree: str, folders: list[str], line: str) -> str:
        listing = self.git("ls-tree", tree)
        if not folders:
            name = line.split("\t", 1)[1]
            kept = [row for row in listing.splitlines() if row.split("\t", 1)[1] != name]
            return self.git("mktree", stdin=("\n".join(kept + [line]) + "\n").encode("utf-8"))
        rows = listing.splitlines()
        sub = next((row.split()[2] for row in rows if row.split("\t", 1)[1] == folders[0]), None)
        new_sub = self._put(sub or self.git("mktree", stdin=b""), folders[1:], line)
        kept = [row for row in rows if row.split("\t", 1)[1] != folders[0]]
        return self.git("mktree", stdin=("\n".join(kept + [f"040000 tree {new_sub}\t{folders[0]}"]) + "\n").encode())


def _patch_headers(data: bytearray, name: bytes, how: str) -> None:
    """Set the encryption flag, or an unknown compression method (99), on ``name``'s zip headers."""
    for signature, name_len_at, flag_at, method_at, name_at in ((b"PK\x03\x04", 26, 6, 8, 30),
                                                                (b"PK\x01\x02", 28, 8, 10, 46)):
        i = 0
        while (i := data.find(signature, i)) >= 0:
            length = struct.unpack("<H", data[i + name_len_at:i + name_len_at + 2])[0]
            if data[i + name_at:i + name_at + length] == name:
                if how == "encrypted":
                    flag = struct.unpack("<H", data[i + flag_at:i + flag_at + 2])[0] | 1
                    data[i + flag_at:i + flag_at + 2] = struct.pack("<H", flag)
                else:
                    data[i + method_at:i + method_at + 2] = struct.pack("<H", 99)
            i += 4
