"""Reading a file that may come from anyone: a budget repository's sources, configuration, catalogue and
template, a document given to ``verify`` or ``textconv``.

- ``read_regular(path, limit, root)``: the bytes of a regular file of at most ``limit`` bytes. What the
  path is is checked before it is opened, and again on the open descriptor: a directory, a FIFO (which
  would block), a device (which would never end), a socket, a file over the limit or a symbolic link
  leading out of ``root`` (the repository) is refused with a Chinese reason, naming nothing but what
  the caller shows (the path in the repository, never a link's target);
- ``Package(data)``: a zip package (.docx) whose entries are read with a cap on their total
  uncompressed size and on their compression ratio (a zip bomb is refused before it is inflated);
  an encrypted entry, an unknown compression method or corrupt data is a Chinese reason too.

Both raise ``Refused`` (its ``reason`` is one Chinese phrase, without a path); callers put the path
in front, as the user sees it.
"""

from __future__ import annotations

import errno
import io
import os
import stat
import zipfile
import zlib
from pathlib import Path

from .errors import os_reason

MB = 1024 * 1024


class Refused(Exception):
    """A file or a package entry that is not read; ``reason`` says why, in Chinese; ``kind`` is
    ``unreadable``, ``too-large`` or ``symlink`` (a link out of the repository)."""

    def __init__(self, reason: str, kind: str = "unreadable"):
        super().__init__(reason)
        self.reason, self.kind = reason, kind


_KINDS = ((stat.S_ISFIFO, "命名管道（FIFO）"), (stat.S_ISCHR, "字符设备"), (stat.S_ISBLK, "块设备"),
          (stat.S_ISSOCK, "套接字"))


def _not_regular(mode: int) -> str | None:
    if stat.S_ISDIR(mode):
        return "这是一个目录，不是文件"
    if stat.S_ISREG(mode):
        return None
    kind = next((word for test, word in _KINDS if test(mode)), "特殊文件")
    return f"它不是普通文件，而是{kind}（读取它可能永远不会结束）"


def too_large(limit: int) -> str:
    size = f"{limit // MB} MB" if limit >= MB else f"{limit // 1024} KB"
    return f"文件超过 {size}，不像是预算仓库中的文件：请检查文件是否正确"


def inside(path: Path, root: Path | None) -> str | None:
    """Why ``path`` (followed through its links) is not inside ``root``; None when it is (or no root)."""
    if root is None:
        return None
    try:
        target = Path(os.path.realpath(path, strict=True))
    except OSError as exc:
        return os_reason(exc)
    except RuntimeError:  # pragma: no cover - Python < 3.13 raises ELOOP as OSError; older as RuntimeError
        return os_reason(OSError(errno.ELOOP, ""))
    if not target.is_relative_to(Path(os.path.realpath(root))):
        return "它是指向仓库以外的符号链接：仓库中的文件只能链接到仓库之内"
    return None


def check_regular(path: Path, limit: int | None = None, root: Path | None = None) -> int:
    """The size of ``path`` when it may be read (see the module docstring); raises Refused."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise Refused(os_reason(exc)) from None
    said = _not_regular(st.st_mode)
    if said:
        raise Refused(said)
    outside = inside(path, root)
    if outside:
        raise Refused(outside, "symlink")
    if limit is not None and st.st_size > limit:
        raise Refused(too_large(limit), "too-large")
    return st.st_size


def read_regular(path: Path, limit: int, root: Path | None = None) -> bytes:
    """The bytes of ``path``, a regular file of at most ``limit`` bytes inside ``root``; raises Refused."""
    check_regular(path, limit, root)
    try:  # O_NONBLOCK: a FIFO put in its place after the check does not block the open
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise Refused(os_reason(exc)) from None
    try:
        said = _not_regular(os.fstat(fd).st_mode)
        if said:
            raise Refused(said)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(limit + 1 - size, 4 * MB))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise Refused(os_reason(exc)) from None
    finally:
        os.close(fd)
    if size > limit:
        raise Refused(too_large(limit), "too-large")
    return b"".join(chunks)


# ---------------------------------------------------------------- zip packages

MAX_RATIO = 200  # a Word file's XML compresses some 20 to 30 times; deflate's own limit is about 1,000
RATIO_FROM = 1 * MB  # a small entry may compress better than that without harm
MAX_ENTRIES = 10_000


class Package:
    """A zip package read within bounds: ``total`` uncompressed bytes at most over every entry read,
    no entry inflating more than MAX_RATIO times (above RATIO_FROM), MAX_ENTRIES entries at most."""

    def __init__(self, data: bytes, total: int):
        self.total = total
        self.left = total
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            self.infos = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
            raise Refused("它不是 zip 格式的 Word 文件（.docx），或文件已损坏") from None
        if len(self.infos) > MAX_ENTRIES:
            raise Refused(f"压缩包中的条目超过 {MAX_ENTRIES:,} 个，不像是 Word 文件")

    def names(self) -> list[str]:
        return [i.filename for i in self.infos]

    def __contains__(self, name: str) -> bool:
        return any(i.filename == name for i in self.infos)

    def _info(self, name: str) -> zipfile.ZipInfo:
        try:
            info = self.zip.getinfo(name)
        except KeyError:
            raise Refused(f"其中缺少 {name}") from None
        if info.flag_bits & 0x1:
            raise Refused(f"其中的 {name} 已加密，无法读取")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise Refused(f"其中的 {name} 使用了不支持的压缩方法（编号 {info.compress_type}）")
        if info.file_size > self.left:
            raise Refused(f"解压后超过 {self.total // MB} MB（{name} 一项就有 {info.file_size // MB} MB），"
                          "不像是预算公开文件或模板")
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise Refused(f"其中的 {name} 压缩比异常（{info.file_size // max(info.compress_size, 1):,} 倍），"
                          "可能是“压缩炸弹”")
        return info

    def read(self, name: str) -> bytes:
        info = self._info(name)
        self.left -= info.file_size
        try:
            return self.zip.read(info)
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError, NotImplementedError, RuntimeError):
            raise Refused(f"其中的 {name} 数据已损坏，无法解压") from None

    def open(self, name: str):
        """A stream of the entry (for a large part read piece by piece); errors while reading it are
        the caller's to turn into Refused (``CORRUPT`` lists them)."""
        info = self._info(name)
        self.left -= info.file_size
        try:
            return self.zip.open(info)
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError, NotImplementedError, RuntimeError):
            raise Refused(f"其中的 {name} 数据已损坏，无法解压") from None

    def read_all(self) -> list[tuple[str, bytes]]:
        """Every entry, in order: the whole package checked (sizes, ratios, data)."""
        return [(info.filename, self.read(info.filename)) for info in self.infos]


CORRUPT = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError)
