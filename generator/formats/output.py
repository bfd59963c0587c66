"""Where a publication is written, and how: never half, never over what someone protected.

- nothing from the sources becomes a path component: the default file is
  ``output/<code>/<year>/<name sanitized to one segment><year>年部门预算.docx`` (单位预算 for a unit alone);
- the file is written to a temporary file beside the target and renamed over
  it only when complete: a failed or interrupted run (Ctrl-C, SIGTERM: see
  cli/runner.py) leaves any earlier file untouched and no temporary file behind;
- an existing output that is read-only is never replaced (an error, exit 2:
  someone protected it on purpose); a writable one keeps its mode.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import stat
import tempfile
from pathlib import Path

from generator.document.render import render_bytes
from generator.errors import OutputError, os_reason
from generator.figures.compute import Publication
from generator.verify import check_generated

OUTPUT_DIR = Path("output")


# Not in a file name: path separators, characters Windows refuses, controls and line breaks, zero-width and
# bidirectional formatting characters (the sources refuse them too: this is the second line of defence).
_UNSAFE_IN_NAME = re.compile(r'[/\\<>:"|?*\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u180e\u200b-\u200f\u202a-\u202e'
                             r'\u2060-\u206f\ufeff]+')  # and what a reader cannot see (a right-to-left override)


_NAME_CHARS = 60  # 180 bytes in UTF-8, with the rest of the name below the usual 255


def safe_segment(text: str) -> str:
    """``text`` as one harmless path segment: no separator, no leading dot, not too long ('' if nothing is left)."""
    text = _UNSAFE_IN_NAME.sub("_", text).strip().lstrip(".").strip()
    return text[:_NAME_CHARS]


def default_path(pub: Publication) -> Path:
    """``output/<code>/<year>/<name><year>年部门预算.docx`` (or 单位预算), always under ``output/``."""
    d = pub.department
    code, year = str(d.code), str(d.year)
    if not (re.fullmatch(r"[0-9]{1,9}", code) and re.fullmatch(r"[0-9]{4}", year)):  # validation ensures it
        raise OutputError(f"部门编码 “{code}” 或年度 “{year}” 不能用作文件名。")
    name = safe_segment(d.name) or code
    return OUTPUT_DIR / code / year / f"{name}{year}年{d.publishes}.docx"


def check_target(path: Path) -> None:
    """A read-only or non-file target, or a parent that is a file, is an error before anything is written."""
    for parent in path.parents:
        try:
            mode = os.stat(parent).st_mode
        except (FileNotFoundError, NotADirectoryError):
            continue  # made when writing, or below a file (found further up)
        except OSError as exc:
            raise OutputError(f"无法写入 {path}：无法访问 {parent}（{os_reason(exc)}）。") from None
        if not stat.S_ISDIR(mode):
            raise OutputError(f"无法写入 {path}：{parent} 是一个文件，不是目录。") from None
        break
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return
    except OSError as exc:
        raise OutputError(f"无法写入 {path}：{os_reason(exc)}。") from None
    if stat.S_ISDIR(mode):
        raise OutputError(f"无法写入 {path}：已有同名的目录。")
    if not stat.S_ISREG(mode):
        raise OutputError(f"无法写入 {path}：已有同名的特殊文件（不是普通文件）。")
    if not mode & 0o222:
        raise OutputError(f"输出文件 {path} 是只读的，不会替换它：如需重新生成，请先取消只读属性或删除它。")


@contextlib.contextmanager
def _signals_held():
    """SIGINT, SIGTERM and SIGHUP wait (they are delivered when the block ends)."""
    held = {signal.SIGINT, signal.SIGTERM} | ({signal.SIGHUP} if hasattr(signal, "SIGHUP") else set())
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (AttributeError, ValueError, OSError):  # not POSIX
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed over it when complete.

    An exception at any point, KeyboardInterrupt and cliutil.Terminated (SIGTERM)
    included, removes the temporary file and leaves an earlier ``path`` as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)  # an existing file keeps its mode
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask  # mkstemp makes 0600; a publication is an ordinary file
    tmp = None
    try:
        with _signals_held():  # no interrupt between making the temporary file and knowing its name
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        tmp = None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass


def write_publication(pub: Publication, out: Path | None = None, template: Path | None = None) -> Path:
    path = Path(out) if out else default_path(pub)
    if path.suffix.lower() != ".docx":
        raise OutputError(f"输出文件应以 .docx 结尾：{path}")
    check_target(path)
    data = render_bytes(pub, template)  # everything that can fail happens before the file is touched
    check_generated(data, pub.department.left_out)  # the document adds up, table against table and text against table
    check_target(path)  # again: it may have changed while rendering
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise OutputError(f"无法写入 {path}：{os_reason(exc)}。") from None
    return path
