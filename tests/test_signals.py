"""Ctrl-C, SIGTERM and SIGHUP in the middle of a run: exit 130/143/129, one line, no traceback,
no temporary file, and every earlier output exactly as it was; LibreOffice never outlives the run.

The run is a real subprocess. To hit the moment on purpose (not by timing luck),
the child is started through a small driver that pauses at a chosen stage and says
so on stdout: inside rendering, or with the temporary file written but not yet
renamed (the 2-3 ms window where a SIGTERM used to leave a full-size .tmp file).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

DRIVER = textwrap.dedent("""
    import os, sys, time
    import generator.formats.publish as publish
    import generator.formats.output as output
    from generator.cli import main

    stage = sys.argv[1]

    def pause():
        print("PAUSED", flush=True)
        time.sleep(30)  # the test signals long before

    if stage == "render":
        original = publish.render_parts
        def render_parts(*args, **kwargs):
            pause()
            return original(*args, **kwargs)
        publish.render_parts = render_parts
    else:  # "write": the temporary file is complete, not yet renamed over the target
        original_fsync = os.fsync
        def fsync(fd):
            original_fsync(fd)
            pause()
        output.os.fsync = fsync
    sys.exit(main(sys.argv[2:]))
""")

MESSAGES = {
    signal.SIGINT: (130, "已中断（Ctrl-C）：未完成的输出已删除，此前生成的文件保持不变。\n"),
    signal.SIGTERM: (143, "已终止（SIGTERM）：未完成的输出已删除，此前生成的文件保持不变。\n"),
    signal.SIGHUP: (129, "已挂断（SIGHUP：终端或 ssh 连接已关闭）：未完成的输出已删除，此前生成的文件保持不变。\n"),
}


def run_and_signal(tmp_path: Path, stage: str, signum: int, out: Path) -> subprocess.CompletedProcess:
    child = subprocess.Popen(
        [sys.executable, "-c", DRIVER, stage, "--dept", "304", "--year", "2023", "--data", str(ROOT / "data"),
         "--out", str(out)],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert child.stdout.readline() == "PAUSED\n"
        child.send_signal(signum)
        stdout, stderr = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    return subprocess.CompletedProcess(child.args, child.returncode, stdout, stderr)


@pytest.mark.parametrize("stage", ["render", "write"])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=["SIGINT", "SIGTERM", "SIGHUP"])
def test_interrupt_mid_run(tmp_path, stage, signum):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    earlier = out_dir / "other.docx"  # an earlier output of another run, nearby
    earlier.write_bytes(b"earlier output\n")
    target = out_dir / "304.docx"  # the earlier version of this very output
    target.write_bytes(b"last year's good file\n")
    before = {p.name: p.read_bytes() for p in out_dir.iterdir()}

    result = run_and_signal(tmp_path, stage, signum, target)

    code, message = MESSAGES[signum]
    assert (result.returncode, result.stdout, result.stderr) == (code, "", message)
    assert {p.name: p.read_bytes() for p in out_dir.iterdir()} == before  # no .tmp, nothing replaced


def test_a_second_signal_during_cleanup_does_not_make_a_traceback(tmp_path):
    target = tmp_path / "304.docx"
    child = subprocess.Popen(
        [sys.executable, "-c", DRIVER, "write", "--dept", "304", "--year", "2023", "--data", str(ROOT / "data"),
         "--out", str(target)],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert child.stdout.readline() == "PAUSED\n"
        child.send_signal(signal.SIGTERM)
        child.send_signal(signal.SIGINT)
        _, stderr = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    # Both arrive before Python runs a handler, and it runs them in signal-number order: either may win.
    assert (child.returncode, stderr) in [MESSAGES[signal.SIGINT], MESSAGES[signal.SIGTERM]]
    assert "Traceback" not in stderr and stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- LibreOffice at several moments

needs_libreoffice = pytest.mark.skipif(
    __import__("generator.formats.libreoffice", fromlist=["find"]).find() is None,
    reason="LibreOffice with python3-uno is not installed (.ci/run installs it)")


def ours(tmp: Path) -> list[str]:
    """The processes whose command line names ``tmp``: the worker, oosplash and soffice.bin of this run
    (their folder is under the run's TMPDIR), never another run's on the same machine."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if str(tmp) in text:
            found.append(text[:120])
    return found


def has_file(folder: Path, name: str) -> bool:
    """Whether a file ``name`` is anywhere below ``folder`` (LibreOffice makes and removes folders meanwhile)."""
    return any(name in files for _, _, files in os.walk(folder, onerror=lambda error: None))


def sockets() -> set[str]:
    """LibreOffice's pipes (/tmp/OSL_PIPE_<uid>_<name>, whatever $TMPDIR says): a killed soffice leaves
    them behind unless budgetpub removes them."""
    return {p.name for p in Path("/tmp").glob(f"OSL_PIPE_{os.getuid()}_*")}


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


MOMENTS = {  # when the signal is sent: what the run's TMPDIR shows at that moment
    "starting": lambda tmp: any("lo_worker" in p for p in ours(tmp)),
    "soffice-up": lambda tmp: any("soffice.bin" in p for p in ours(tmp)),
    "laying-out": lambda tmp: has_file(tmp, "draft.docx") and any("soffice.bin" in p for p in ours(tmp)),
}


@pytest.fixture(scope="module")
def font_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")  # the SC faces, extracted once for every run below


@needs_libreoffice
@pytest.mark.parametrize("moment", list(MOMENTS))
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGKILL],
                         ids=["SIGINT", "SIGTERM", "SIGHUP", "SIGKILL"])
def test_libreoffice_does_not_outlive_the_run(tmp_path, font_cache, moment, signum):
    if signum == signal.SIGKILL and moment == "soffice-up":
        pytest.skip("SIGKILL: starting and laying out are the two moments that differ")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    out = tmp_path / "out.docx"
    before = sockets()
    child = subprocess.Popen(
        [sys.executable, "-m", "generator", "--dept", "304", "--year", "2023", "--data", str(ROOT / "data"),
         "--format", "docx,pdf", "--out", str(out)],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp), "BUDGETPUB_CACHE": str(font_cache)})
    try:
        assert wait_for(lambda: MOMENTS[moment](tmp), 120), (moment, ours(tmp), child.poll())
        child.send_signal(signum)
        _, stderr = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    if signum == signal.SIGKILL:
        assert child.returncode == -signal.SIGKILL
        assert wait_for(lambda: not ours(tmp), 5), ours(tmp)  # LibreOffice gone within 5 s of its parent
    else:
        code, message = MESSAGES[signum]
        assert (child.returncode, stderr) == (code, message)
        assert ours(tmp) == []
    assert wait_for(lambda: not list(tmp.iterdir()), 5), [f for _, _, f in os.walk(tmp)]  # profile, drafts, PDF: all gone
    assert wait_for(lambda: sockets() <= before, 5), sockets() - before  # nor its pipes' sockets in /tmp
    assert not out.exists() and not out.with_suffix(".pdf").exists()


@needs_libreoffice
def test_a_session_being_started_in_a_thread_when_aborted_is_stopped_by_that_thread(monkeypatch, tmp_path):
    """The layout pool starts its sessions in threads and an interrupt reaches the main thread, which
    aborts them all: a session whose process was being started at that moment (abort saw none yet)
    is stopped by the starting thread itself, and its folder goes (a worker was left running)."""
    import threading

    from generator.formats import libreoffice
    monkeypatch.setenv("BUDGETPUB_CACHE", str(tmp_path / "cache"))
    started, aborted = threading.Event(), threading.Event()
    real_popen = subprocess.Popen
    children = []

    def popen(*args, **kwargs):  # the worker replaced by a process that would wait a minute
        if str(libreoffice.WORKER) not in args[0]:
            return real_popen(*args, **kwargs)  # fc-match and the like
        child = real_popen(["sleep", "60"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                           start_new_session=True)
        children.append(child)
        started.set()
        aborted.wait(30)  # abort runs in the other thread now, before start has its process
        return child
    monkeypatch.setattr(libreoffice.subprocess, "Popen", popen)
    lo = libreoffice.LibreOffice()
    raised = []

    def start():
        try:
            lo.start()
        except libreoffice.LibreOfficeFailed as exc:
            raised.append(exc)
    thread = threading.Thread(target=start)
    thread.start()
    assert started.wait(30)
    home = Path(lo.home)
    lo.abort()
    aborted.set()
    thread.join(30)
    assert not thread.is_alive() and len(raised) == 1
    assert children[0].wait(10) is not None  # stopped, not left running
    assert not home.exists() and lo.home is None
    with pytest.raises(libreoffice.LibreOfficeFailed):
        lo.start()  # aborted for good: a thread asking later does not start another
