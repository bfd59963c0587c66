"""Ctrl-C and SIGTERM in the middle of a run: exit 130/143, one line, no traceback,
no temporary file, and every earlier output exactly as it was.

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
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
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
