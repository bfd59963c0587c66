"""LibreOffice, headless: lay a .docx out once, for its contents page numbers and its PDF.

One ``LibreOffice`` session starts one soffice process (through
generator/formats/lo_worker.py, run by a Python that has LibreOffice's ``uno``
module) and serves any number of documents:

    with LibreOffice() as lo:
        layout = lo.layout(docx_path, pdf_path)   # pdf_path None: page numbers only
        layout.toc                                # [(level, text, page), ...]

For each document LibreOffice updates the indexes (the 目录) and fields
through its own API before reading the page numbers or exporting: a plain
``soffice --convert-to pdf`` leaves the contents as the file cached them.
The PDF carries bookmarks for the headings.

Fonts: the publication asks for 宋体, 仿宋 and 黑体 (and Times New Roman for
digits). On a server these are absent, and fontconfig would fall back to the
Japanese face of Noto Sans CJK. The soffice process gets its own fontconfig
file (the system's, plus aliases): 宋体/仿宋/Times New Roman → Noto Serif CJK
SC, 黑体 → Noto Sans CJK SC (Debian: fonts-noto-cjk), so the PDF shows
Chinese glyph forms; and the SC faces are read from standalone copies instead
of Debian's collections (fontfaces.py), so the PDF embeds fonts named SC
(from a collection, LibreOffice names them after its first, Japanese face).
"""

from __future__ import annotations

import functools
import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from generator.document.direct import cache_dir
from generator.errors import OutputError

from . import fontfaces

WORKER = Path(__file__).resolve().parent / "lo_worker.py"
INSTALL_HINT = ("Debian/Ubuntu：sudo apt-get install libreoffice-writer-nogui python3-uno fonts-noto-cjk；"
                "其他系统请安装 LibreOffice（含其 Python-UNO 组件）与 Noto CJK SC 字体")
TIMEOUT = 600  # seconds for one document (or for soffice to start)

SERIF_SC, SANS_SC = "Noto Serif CJK SC", "Noto Sans CJK SC"
FONT_ALIASES = {
    "宋体": SERIF_SC, "SimSun": SERIF_SC, "新宋体": SERIF_SC, "NSimSun": SERIF_SC,
    "仿宋": SERIF_SC, "FangSong": SERIF_SC, "仿宋_GB2312": SERIF_SC, "楷体": SERIF_SC, "KaiTi": SERIF_SC,
    "Times New Roman": SERIF_SC,
    "黑体": SANS_SC, "SimHei": SANS_SC, "微软雅黑": SANS_SC, "Microsoft YaHei": SANS_SC,
    "serif": SERIF_SC, "sans-serif": SANS_SC,
}


class LibreOfficeMissing(OutputError):
    def __init__(self, what: str = "LibreOffice"):
        super().__init__(f"生成 PDF 需要 {what}，但本机未找到。安装方法：{INSTALL_HINT}。"
                         "（Word 文件的生成不需要 LibreOffice。）")


class LibreOfficeFailed(OutputError):
    exit_code = 1  # not the user's mistake: LibreOffice did not start, crashed or hung


@dataclass
class Layout:
    toc: list[tuple[int, str, str]] = field(default_factory=list)  # (level, text, page) of each contents entry
    pages: int = 0
    soffice_pid: int = 0  # the LibreOffice process that laid it out
    before: list[int] = field(default_factory=list)  # (headings) the page of the last paragraph before each


def _soffice() -> str | None:
    explicit = os.environ.get("BUDGETPUB_SOFFICE")
    if explicit:
        return explicit if Path(explicit).exists() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def _uno_python(soffice: str) -> str | None:
    """A Python interpreter that can import uno: LibreOffice's own, or the system one (python3-uno)."""
    candidates = [os.environ.get("BUDGETPUB_UNO_PYTHON", "")]
    program = Path(os.path.realpath(soffice)).parent
    candidates += [str(program / "python"), str(program / "python.exe"), "/usr/bin/python3", sys.executable]
    for c in candidates:
        if c and Path(c).exists():
            try:
                ok = subprocess.run([c, "-c", "import uno"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                    timeout=60).returncode == 0
            except (OSError, subprocess.TimeoutExpired):
                ok = False
            if ok:
                return c
    return None


def find() -> tuple[str, str] | None:
    """(soffice, python with uno), or None when LibreOffice cannot be driven here. Asked once per
    process for the same settings (trying ``import uno`` takes a Python start: 30 ms, once per
    department of a batch before)."""
    return _find(os.environ.get("BUDGETPUB_SOFFICE"), os.environ.get("BUDGETPUB_UNO_PYTHON"), os.environ.get("PATH"))


@functools.lru_cache(maxsize=8)
def _find(*settings) -> tuple[str, str] | None:
    soffice = _soffice()
    if not soffice:
        return None
    known = _found_before(settings, soffice)
    if known is not None:
        return known
    python = _uno_python(soffice)
    if python:
        _remember(settings, soffice, python)
    return (soffice, python) if python else None


def _stamp(path: str) -> str:
    st = Path(path).resolve().stat()
    return f"{Path(path).resolve()}:{st.st_size}:{st.st_mtime_ns}"


def _found_before(settings: tuple, soffice: str) -> tuple[str, str] | None:
    """The Python that could drive this soffice, as found by an earlier run (kept in the cache with
    the layouts): trying ``import uno`` costs a Python start on every run otherwise."""
    directory = cache_dir()
    try:
        known = json.loads((directory / "libreoffice.json").read_text(encoding="utf-8")) if directory else None
        if (known and known["settings"] == list(settings) and known["soffice"] == soffice
                and known["stamps"] == [_stamp(soffice), _stamp(known["python"])]):
            return soffice, known["python"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def _remember(settings: tuple, soffice: str, python: str) -> None:
    directory = cache_dir()
    if directory is None:
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        tmp = directory / f"libreoffice.json.{os.getpid()}.tmp"
        tmp.write_text(json.dumps({"settings": list(settings), "soffice": soffice, "python": python,
                                   "stamps": [_stamp(soffice), _stamp(python)]}), encoding="utf-8")
        os.replace(tmp, directory / "libreoffice.json")
    except OSError:
        pass


def fontconfig_text(fonts: Path | None = None, rejected: list[Path] | tuple = ()) -> str:
    """LibreOffice's fontconfig file: the system's, plus the aliases, zh-CN, and (when given) the
    standalone SC faces in ``fonts`` instead of the ``rejected`` collections (fontfaces.py)."""
    rules = "\n".join(
        f'  <match target="pattern"><test name="family" qual="any"><string>{src}</string></test>'
        f'<edit name="family" mode="assign" binding="strong"><string>{dst}</string></edit></match>'
        for src, dst in FONT_ALIASES.items())
    faces = ""
    if fonts is not None:
        faces = f"  <dir>{escape(str(fonts))}</dir>\n"
        if rejected:
            faces += ("  <selectfont><rejectfont>"
                      + "".join(f"<glob>{escape(str(path))}</glob>" for path in rejected)
                      + "</rejectfont></selectfont>\n")
    return ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
            '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
            f'{faces}{rules}\n'
            '  <match target="pattern"><edit name="lang" mode="assign"><string>zh-cn</string></edit></match>\n'
            '</fontconfig>\n')


class LibreOffice:
    """One headless LibreOffice process for any number of documents."""

    def __init__(self):
        found = find()
        if not found:
            if not _soffice():
                raise LibreOfficeMissing()
            raise LibreOfficeMissing("LibreOffice 的 Python-UNO 组件（python3-uno）")
        self.soffice, self.python = found
        self._proc: subprocess.Popen | None = None
        self._dir: str | None = None
        self._soffice = 0  # soffice's process group
        self._adopted: list[Path] = []  # budgetpub's temporary folders that go with this session (adopt)
        # a pool starts its sessions in threads: abort (from the thread an interrupt reaches) may come while
        # another thread is starting this one, and what that thread then starts is stopped by it at once
        self._lock = threading.RLock()
        self._aborted = False
        self._ready = False  # the worker said LibreOffice is ready

    def __enter__(self) -> "LibreOffice":
        self.start()
        return self

    def __exit__(self, kind, *rest) -> None:
        if kind is None:
            self.close()
        else:  # an error or an interrupt: LibreOffice is stopped at once
            self.abort()

    def start(self) -> None:
        """Start the session (spawn) and wait until LibreOffice is ready."""
        self.spawn()
        with self._lock:
            if self._ready:
                return
        try:
            answer = self._read()
        except BaseException:  # interrupted or failed while starting: nothing of it is left behind
            self._stop()
            raise
        if not answer.get("ready"):
            self._stop()
            raise LibreOfficeFailed("LibreOffice 未能启动。")
        self._soffice = int(answer.get("soffice") or 0)
        self._ready = True

    def spawn(self) -> None:
        """Start the worker without waiting for LibreOffice to be ready (``start`` waits). Call it from
        the thread that lives as long as the session, as Pool.headings does before its threads: the
        worker learns of budgetpub's death from the kernel (PR_SET_PDEATHSIG), which tells it when the
        *thread* that started it ends; a worker started in a pool's thread was told to stop as soon as
        that thread finished its parts, and a batch's next department found it gone."""
        with self._lock:
            if self._proc and self._proc.poll() is None:
                return
            ended = self._proc is not None
        if ended:  # the worker ended by itself (LibreOffice crashed, was killed): a new session for the next document
            self._stop()
        with self._lock:
            if self._proc:
                return
            if self._aborted:
                raise LibreOfficeFailed("LibreOffice 已停止。")
            self._dir = home = tempfile.mkdtemp(prefix="budgetpub-lo-")  # fonts.conf, LibreOffice's profile, temporary files
            self._ready = False
        try:
            cache = cache_dir()
            fonts = (cache / "fonts") if cache is not None else Path(home) / "fonts"
            written, collections = fontfaces.standalone(fonts)
            conf = Path(home) / "fonts.conf"
            conf.write_text(fontconfig_text(fonts if written else None, collections), encoding="utf-8")
            (Path(home) / "tmp").mkdir()
            self._write_adopted()
            env = dict(os.environ, FONTCONFIG_FILE=str(conf), SAL_USE_VCLPLUGIN="svp", TMPDIR=str(Path(home) / "tmp"))
            # a session of its own: the terminal's Ctrl-C reaches budgetpub alone, which ends LibreOffice
            proc = subprocess.Popen([self.python, "-u", str(WORKER), self.soffice, home, str(os.getpid())],
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                    env=env, text=True, encoding="utf-8", start_new_session=True)
            with self._lock:
                self._proc = proc
                if self._aborted:  # stopped from another thread while this one was starting it
                    raise LibreOfficeFailed("LibreOffice 已停止。")
        except BaseException:  # interrupted or failed while starting: nothing of it is left behind
            self._stop()
            raise

    def adopt(self, path: Path) -> None:
        """``path`` (a temporary folder of budgetpub's) is removed with the session's folder by the worker's
        guard if budgetpub dies (lo_worker.py): drafts and PDFs in it do not outlive a SIGKILL either."""
        self._adopted.append(Path(path).resolve())
        self._write_adopted()

    def _write_adopted(self) -> None:
        if self._dir:
            try:
                (Path(self._dir) / "adopted").write_text("".join(f"{p}\n" for p in self._adopted), encoding="utf-8")
            except FileNotFoundError:  # the session ended by itself (its guard removed the folder): the next
                pass  # document starts a new one (spawn), which writes the list again

    @property
    def home(self) -> str | None:
        """The session's folder (after start): whatever is put in it goes when the session ends, whichever way."""
        return self._dir

    def _read(self) -> dict:
        assert self._proc and self._proc.stdout
        sel = selectors.DefaultSelector()
        sel.register(self._proc.stdout, selectors.EVENT_READ)
        if not sel.select(TIMEOUT):
            self._stop()
            raise LibreOfficeFailed(f"LibreOffice 在 {TIMEOUT} 秒内没有响应。")
        line = self._proc.stdout.readline()
        if not line:
            self._stop()
            raise LibreOfficeFailed("LibreOffice 意外退出。")
        return json.loads(line)

    def layout(self, docx: Path, pdf: Path | None = None, update: bool = True) -> Layout:
        """Lay ``docx`` out with updated indexes (``update`` False: as the file has them); export it to
        ``pdf`` when given."""
        answer = self._ask({"docx": str(Path(docx).resolve()), "pdf": str(Path(pdf).resolve()) if pdf else None,
                            "update": update}, docx)
        return Layout([(int(a), str(b), str(c)) for a, b, c in answer["toc"]], int(answer.get("pages") or 0),
                      int(answer.get("soffice") or 0))

    def headings(self, docx: Path, expect: int | None = None, before_of: str | None = None) -> Layout:
        """Lay ``docx`` out as it is: the physical page of each heading of levels 1-4 (``Layout.toc``)
        and the number of pages. For a part of a publication laid out alone (layout.py). ``expect``:
        the headings budgetpub counted in it (the worker then asks Heading 1-4 first);
        ``before_of``: the page before a heading only for the headings of this text (None: all)."""
        answer = self._ask({"docx": str(Path(docx).resolve()), "headings": True, "expect": expect,
                            "before_of": before_of}, docx)
        found = answer["headings"]
        return Layout([(int(a), str(b), str(c)) for a, b, c, _ in found], int(answer.get("pages") or 0),
                      int(answer.get("soffice") or 0), [int(d) for *_, d in found])

    def _ask(self, request: dict, docx: Path) -> dict:
        self.start()
        assert self._proc and self._proc.stdin
        try:
            self._proc.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
            self._proc.stdin.flush()
            answer = self._read()
        except BrokenPipeError:
            self._stop()
            raise LibreOfficeFailed("LibreOffice 意外退出。") from None
        except Exception:  # it failed: stopped (a batch starts it again for its next department)
            self._stop()
            raise
        except BaseException:  # Ctrl-C, SIGTERM, SIGHUP while it works: it stops now, not after the document
            self.abort()
            raise
        if not answer.get("ok"):
            raise LibreOfficeFailed(f"LibreOffice 无法处理 {docx}：{answer.get('error')}")
        return answer

    def close(self) -> None:
        """Ends the session: LibreOffice closes (it may take a moment); then its folder is removed."""
        proc = self._proc
        if proc:
            try:
                if proc.stdin:
                    proc.stdin.close()
                proc.wait(timeout=60)
            except (OSError, subprocess.TimeoutExpired):
                self._stop()
            except BaseException:
                self.abort()
                raise
            self._proc = None
            if proc.stdout:
                proc.stdout.close()
        self._remove()

    def abort(self) -> None:
        """Ends the session now and for good (a session a thread is starting meanwhile is stopped by
        it): the worker, told by SIGTERM, kills LibreOffice's process group and removes the session's
        folder; if it has not within seconds, both are killed from here."""
        with self._lock:
            self._aborted = True
        self._stop()

    def _stop(self) -> None:
        with self._lock:
            proc, self._proc = self._proc, None
            self._ready = False
        if proc is not None:
            if proc.poll() is None:
                try:
                    proc.send_signal(signal.SIGTERM)
                    proc.wait(timeout=5)
                except (OSError, subprocess.TimeoutExpired):
                    for group in (getattr(self, "_soffice", 0), proc.pid):
                        if group:
                            try:
                                os.killpg(group, signal.SIGKILL)
                            except OSError:
                                pass
                    proc.wait()
            for stream in (proc.stdin, proc.stdout):
                try:
                    if stream:
                        stream.close()
                except OSError:
                    pass
        self._remove()

    def _remove(self) -> None:
        with self._lock:
            folder, self._dir = self._dir, None
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
