"""The SC faces copied out of Noto CJK collections for LibreOffice (generator/formats/fontfaces.py)."""

from __future__ import annotations

import shutil
import struct
import subprocess

import pytest

from generator.formats import fontfaces
from generator.formats import libreoffice as pdf


def table(font: bytes, tag: bytes) -> bytes:
    tables = struct.unpack(">H", font[4:6])[0]
    for i in range(tables):
        name, _, offset, length = struct.unpack(">4sLLL", font[12 + 16 * i:28 + 16 * i])
        if name == tag:
            return font[offset:offset + length]
    raise KeyError(tag)


def checksum(data: bytes) -> int:
    data += b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}L", data)) & 0xFFFFFFFF


def cff(name: bytes, subfonts: list[bytes]) -> bytes:
    """A CFF table's start: header, a Name INDEX of one name, and a string INDEX of sub-font names."""
    header = bytes([1, 0, 4, 1])
    names = struct.pack(">HB", 1, 1) + bytes([1, 1 + len(name)]) + name
    offsets, at = [1], 1
    for s in subfonts:
        at += len(s)
        offsets.append(at)
    strings = struct.pack(">HB", len(subfonts), 1) + bytes(offsets) + b"".join(subfonts)
    return header + names + strings


def collection(faces: list[list[tuple[bytes, bytes]]]) -> bytes:
    """A font collection whose faces are lists of (tag, table); equal tables are stored once, shared."""
    stored: dict[bytes, int] = {}
    directory_size = sum(12 + 16 * len(face) for face in faces)
    data = bytearray()
    start = 12 + 4 * len(faces) + directory_size
    for face in faces:
        for _, content in face:
            if content not in stored:
                stored[content] = start + len(data)
                data += content + b"\0" * (-len(content) % 4)
    head = b"ttcf" + struct.pack(">LL", 0x00010000, len(faces))
    offsets, directories, at = [], b"", 12 + 4 * len(faces)
    for face in faces:
        offsets.append(at + len(directories))
        d = struct.pack(">LHHHH", 0x4F54544F, len(face), 0, 0, 0)
        for tag, content in sorted(face):
            summed = content[:8] + b"\0\0\0\0" + content[12:] if tag == b"head" else content  # as the format sums it
            d += struct.pack(">4sLLL", tag, checksum(summed), stored[content], len(content))
        directories += d
    return head + struct.pack(f">{len(faces)}L", *offsets) + directories + bytes(data)


def test_a_face_comes_out_whole_with_its_own_tables_and_the_shared_cff_named_after_it():
    shared = cff(b"FontCJKjp-Regular", [b"FontCJKjp-Regular-Kana", b"FontCJKjp-Regular-Ideographs"])
    head = bytes(range(54))  # a head table: bytes 8-11 are checkSumAdjustment
    jp = [(b"CFF ", shared), (b"head", head), (b"name", b"JP name table")]
    sc = [(b"CFF ", shared), (b"head", head), (b"name", b"SC name table!")]
    ttc = collection([jp, sc])

    font = fontfaces.extract_face(ttc, 1, "FontCJKsc-Regular")

    assert font[:4] == b"OTTO" and struct.unpack(">H", font[4:6])[0] == 3
    assert table(font, b"name") == b"SC name table!"  # the second face's own table, not the first's
    renamed = table(font, b"CFF ")
    assert len(renamed) == len(shared)
    assert b"FontCJKjp" not in renamed
    assert renamed.count(b"FontCJKsc-Regular") == 3  # the font name and both sub-font names
    assert fontfaces._cff_font_name(renamed) == b"FontCJKsc-Regular"
    # every table's checksum, and the whole file's (head.checkSumAdjustment), as the format defines them
    tables = struct.unpack(">H", font[4:6])[0]
    for i in range(tables):
        tag, sum_, offset, length = struct.unpack(">4sLLL", font[12 + 16 * i:28 + 16 * i])
        content = font[offset:offset + length]
        if tag == b"head":
            content = content[:8] + b"\0\0\0\0" + content[12:]
        assert offset % 4 == 0 and sum_ == checksum(content), tag
    assert checksum(font) == 0xB1B0AFBA


def test_a_name_of_another_length_is_left_as_it_is():
    shared = cff(b"FontCJKjp-Regular", [b"FontCJKjp-Regular-Kana"])
    ttc = collection([[(b"CFF ", shared)], [(b"CFF ", shared)]])
    assert table(fontfaces.extract_face(ttc, 1, "FontCJKsimplified-Regular"), b"CFF ") == shared


def test_not_a_collection_or_no_such_face_is_refused():
    with pytest.raises(ValueError, match="not a font collection"):
        fontfaces.extract_face(b"OTTO" + bytes(20), 0)
    with pytest.raises(ValueError, match="no face 2"):
        fontfaces.extract_face(collection([[(b"name", b"x")], [(b"name", b"y")]]), 2)


needs_noto = pytest.mark.skipif(not shutil.which("fc-query") or not fontfaces.system_faces(),
                                reason="fontconfig or fonts-noto-cjk is not installed; .ci/run installs them")


@needs_noto
def test_the_copies_are_the_sc_faces_and_fontconfig_finds_them_instead_of_the_collections(tmp_path):
    written, collections = fontfaces.standalone(tmp_path / "fonts")
    assert collections and all(c.suffix == ".ttc" for c in collections)
    assert {p.name.split("-")[0] for p in written} == {"NotoSerifCJKsc", "NotoSansCJKsc"}
    for path in written:  # fontconfig reads each copy as one SC face, named as the collection named it
        out = subprocess.run(["fc-query", "-f", "%{family}|%{postscriptname}\n", str(path)],
                             capture_output=True, text=True, check=True).stdout.splitlines()
        assert len(out) == 1
        family, postscript = out[0].split("|")
        assert "Noto Serif CJK SC" in family or "Noto Sans CJK SC" in family
        assert path.name.startswith(postscript + "-")
    conf = tmp_path / "fonts.conf"
    conf.write_text(pdf.fontconfig_text(tmp_path / "fonts", collections), encoding="utf-8")
    for family, face in (("宋体", "NotoSerifCJKsc-Regular"), ("黑体", "NotoSansCJKsc-Regular"),
                         ("仿宋:bold", "NotoSerifCJKsc-Bold")):
        out = subprocess.run(["fc-match", "-f", "%{file}|%{postscriptname}", family], capture_output=True,
                             text=True, env={"FONTCONFIG_FILE": str(conf), "PATH": "/usr/bin:/bin",
                                             "HOME": str(tmp_path)}).stdout
        file, postscript = out.split("|")
        assert postscript == face and file.startswith(str(tmp_path / "fonts")), out
    # the copies are made once: a second call finds them
    before = {p: p.stat().st_mtime_ns for p in written}
    again, _ = fontfaces.standalone(tmp_path / "fonts")
    assert {p: p.stat().st_mtime_ns for p in again} == before
    # a copy from an earlier version of the fonts or of this code is replaced, not kept beside
    stale = tmp_path / "fonts" / f"{written[0].name.rsplit('-', 1)[0]}-0123456789abcdef.otf"
    stale.write_bytes(b"an older copy")
    written[0].unlink()
    fontfaces.standalone(tmp_path / "fonts")
    assert not stale.exists() and written[0].exists()
