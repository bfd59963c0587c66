"""The Chinese (SC) faces of Noto CJK as fonts of their own, for LibreOffice's PDF export.

Debian's fonts-noto-cjk ships each weight as one collection (.ttc) of five
faces, Japanese first. Given the SC face, LibreOffice lays the text out with
it (Chinese glyph forms), but its PDF export names every embedded font after
the collection's first face: ``pdffonts`` lists ``NotoSerifCJKjp-Regular``
for a document set in Noto Serif CJK SC, and a reader checking the PDF sees a
Japanese font. So the SC faces are copied out of their collections into
standalone OpenType files (their tables as they are: the SC face's own name,
cmap and OS/2; the glyph table the faces share, CFF, is named after the
Japanese face, and its copy is renamed after the SC face), and the fontconfig
file LibreOffice runs with (pdf.py) reads those files and leaves the
collections out: only SC faces remain to embed.

The copies are made once per machine, in ``<cache>/fonts`` (direct.cache_dir),
keyed by the collection's path, size and date; without a cache, in the
session's temporary directory.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path

FAMILIES = ("Noto Serif CJK SC", "Noto Sans CJK SC")
FORMAT = 2  # bump when the copies change: they are made again


@dataclass(frozen=True)
class Face:
    file: Path  # the collection (or standalone font) fontconfig found it in
    index: int  # the face's index in the collection
    postscript: str  # e.g. NotoSerifCJKsc-Regular


def system_faces() -> list[Face]:
    """The SC faces fontconfig knows (fc-list), each family's styles; [] without fontconfig."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return []
    faces = []
    for family in FAMILIES:
        try:
            out = subprocess.run([fc_list, "-f", "%{file}|%{index}|%{postscriptname}\n", f"{family}"],
                                 capture_output=True, text=True, timeout=60).stdout
        except (OSError, subprocess.SubprocessError):
            return []
        for line in out.splitlines():
            parts = line.split("|")
            if len(parts) == 3 and parts[1].isdigit() and parts[2]:
                faces.append(Face(Path(parts[0]), int(parts[1]), parts[2]))
    return sorted(set(faces), key=lambda f: (f.postscript, str(f.file)))


def _checksum(data: bytes) -> int:
    data += b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}L", data)) & 0xFFFFFFFF


def _cff_font_name(cff: bytes) -> bytes | None:
    """The first name of a CFF table's Name INDEX (its FontName)."""
    try:
        header_size = cff[2]
        count = struct.unpack(">H", cff[header_size:header_size + 2])[0]
        size = cff[header_size + 2]
        if count < 1 or not 1 <= size <= 4:
            return None
        at = header_size + 3
        first, second = (int.from_bytes(cff[at + i * size:at + (i + 1) * size], "big") for i in (0, 1))
        data = at + (count + 1) * size - 1  # offsets count from 1, relative to the byte before the data
        return cff[data + first:data + second]
    except (IndexError, struct.error):
        return None


def _renamed_cff(cff: bytes, postscript: str) -> bytes:
    """The CFF table with its font name (and the names of its sub-fonts, which start with it) made
    ``postscript``, in place. A collection's faces share one CFF table, named after the first face;
    LibreOffice's PDF export names the embedded font from it. Only a name of the same length is put
    in (NotoSansCJKjp-Regular → NotoSansCJKsc-Regular): no offset in the table moves."""
    name, new = _cff_font_name(cff), postscript.encode("ascii", "replace")
    if not name or name == new or len(name) != len(new):
        return cff
    return cff.replace(name, new)


def extract_face(collection: bytes, index: int, postscript: str | None = None) -> bytes:
    """Face ``index`` of an OpenType collection as a standalone font: its table directory and
    tables copied as they are (4-byte aligned; the CFF font name made ``postscript``, the face's
    own PostScript name, when given), table and file checksums computed anew."""
    if collection[:4] != b"ttcf":
        raise ValueError("not a font collection")
    count = struct.unpack(">L", collection[8:12])[0]
    if not 0 <= index < count:
        raise ValueError(f"no face {index} in a collection of {count}")
    offset = struct.unpack(">L", collection[12 + 4 * index:16 + 4 * index])[0]
    header = collection[offset:offset + 12]
    tables = struct.unpack(">H", header[4:6])[0]
    records = [struct.unpack(">4sLLL", collection[offset + 12 + 16 * i:offset + 28 + 16 * i]) for i in range(tables)]
    position = 12 + 16 * tables
    directory, data = [], []
    for tag, checksum, start, length in sorted(records):
        table = collection[start:start + length]
        if len(table) != length:
            raise ValueError(f"table {tag!r} runs past the end of the collection")
        if tag == b"head":  # checkSumAdjustment (bytes 8-11) is zero while the file's sum is taken
            table = table[:8] + b"\0\0\0\0" + table[12:]
        elif tag == b"CFF " and postscript:
            renamed = _renamed_cff(table, postscript)
            if renamed != table:
                table, checksum = renamed, _checksum(renamed)
        directory.append(struct.pack(">4sLLL", tag, checksum, position, length))
        padded = table + b"\0" * (-length % 4)
        data.append(padded)
        position += len(padded)
    font = bytearray(header + b"".join(directory) + b"".join(data))
    head = next((i for i, (tag, *_) in enumerate(sorted(records)) if tag == b"head"), None)
    if head is not None:
        at = struct.unpack(">L", directory[head][8:12])[0] + 8
        font[at:at + 4] = struct.pack(">L", (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF)
    return bytes(font)


def standalone(directory: Path, faces: list[Face] | None = None) -> tuple[list[Path], list[Path]]:
    """Write each SC face of a collection into ``directory`` (once: named by the collection's path,
    size and date); returns (the fonts written or found there, the collections they came from)."""
    faces = system_faces() if faces is None else faces
    written, sources = [], []
    for face in faces:
        try:
            st = face.file.stat()
            with open(face.file, "rb") as f:
                if f.read(4) != b"ttcf":
                    continue  # a standalone font already: nothing to do
        except OSError:
            continue
        key = hashlib.sha256(f"{FORMAT}:{face.file}:{face.index}:{st.st_size}:{st.st_mtime_ns}".encode()).hexdigest()[:16]
        target = directory / f"{face.postscript}-{key}.otf"
        if not target.exists():
            try:
                font = extract_face(face.file.read_bytes(), face.index, face.postscript)
                directory.mkdir(parents=True, exist_ok=True)
                tmp = target.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_bytes(font)
                os.replace(tmp, target)
            except (OSError, ValueError, struct.error):
                continue  # that face stays in its collection: named after the first face, still Chinese
            for old in directory.glob(f"{face.postscript}-*.otf"):  # a copy of an earlier version (20 MB)
                if old != target:
                    try:
                        old.unlink()
                    except OSError:
                        pass
        written.append(target)
        sources.append(face.file)
    return written, sorted(set(sources))
