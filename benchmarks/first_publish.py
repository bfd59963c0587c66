"""How long a first publish takes, with and without LibreOffice (not a test: figures to read).

    python benchmarks/first_publish.py                    # everything: about 15 minutes on 2 cores
    python benchmarks/first_publish.py --units 50 --batch 0 --no-compare

Each figure is one command in a fresh process (``python -m generator``), timed by wall clock, with
the peak memory of its largest process (LibreOffice's included). "First" means the layouts are not
in the cache: the cache holds only what a machine keeps from any earlier run (the prepared
template, the SC faces copied out of the Noto collections, where LibreOffice is), so that a
one-time setup of the machine is not counted as the department's.

- generate --format docx on synthetic departments of N units (tests/synth.py), LibreOffice laying
  out the contents' page numbers, in parts across one process per core (formats/layout.py);
- the same without LibreOffice, against the render alone (load, then render_bytes, in one process);
- --format xlsx alone (the workbook from the computed tables) and its peak memory;
- --format pdf: its size against a plain ``soffice --convert-to pdf`` of the same .docx;
- the contents' page numbers against one layout of the whole document (LibreOffice updating the
  contents itself), unless --no-compare;
- generate --all over 200 departments of 3 units, first run.

Memory: the peak of the generate process itself (GNU time's %M), LibreOffice's processes apart.

Set PYTHONDONTWRITEBYTECODE off (as an installed wheel has its bytecode): a run that compiles every
module it imports is not a user's run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from synth import make_department  # noqa: E402


TIME = shutil.which("time") or "/usr/bin/time"


def run(cmd: list[str], env: dict, cwd: Path) -> dict:
    """Wall time, CPU time of the command and everything it started, and the peak memory of the
    command's own process (GNU time's %M; LibreOffice's processes are its grandchildren)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    timed = [TIME, "-f", "peak %M"] + cmd if Path(TIME).exists() else cmd
    t0 = time.perf_counter()
    proc = subprocess.run(timed, capture_output=True, text=True, env=env, cwd=cwd)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    peaks = [int(line.split()[1]) for line in proc.stderr.splitlines() if line.startswith("peak ")]
    return {"wall": wall, "cpu": after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime,
            "peak": peaks[-1] / 1024 if peaks else float("nan"), "stderr": proc.stderr}


def render_alone(data: Path, dept: str, env: dict) -> dict:
    code = ("import time, json, sys; t0 = time.perf_counter(); from generator import build; "
            "from generator.document.render import render_bytes; "
            f"p, _ = build({str(data)!r}, {dept!r}, 2024); t1 = time.perf_counter(); render_bytes(p); "
            "t2 = time.perf_counter(); from generator.formats.xlsx import workbook_bytes; workbook_bytes(p, 0); "
            "t3 = time.perf_counter(); print(json.dumps({'load': t1 - t0, 'render': t2 - t1, 'xlsx': t3 - t2}))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    return json.loads(proc.stdout)


def pages_compared(data: Path, dept: str, docx: Path, env: dict) -> str:
    """The contents' page numbers of the published .docx against LibreOffice's own update of the
    contents in one layout of the whole document."""
    code = f"""
import json, re, zipfile
from generator import build
from generator.document import toc
from generator.document.render import DOCUMENT, finish, render_parts
from generator.formats.libreoffice import LibreOffice
p, _ = build({str(data)!r}, {dept!r}, 2024)
raw = render_parts(p)
headings = toc.headings(dict(raw)[DOCUMENT])
draft = {str(docx.with_suffix('.draft.docx'))!r}
open(draft, 'wb').write(finish(raw, p, 0))
with LibreOffice() as lo:
    whole = toc.match_pages(headings, lo.layout(draft).toc)
xml = zipfile.ZipFile({str(docx)!r}).read('word/document.xml').decode()
ours = re.findall(r'<w:tab/></w:r><w:r><w:t xml:space="preserve">([0-9]+)</w:t>', xml)
print(json.dumps({{'same': ours == whole, 'entries': len(ours)}}))
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    found = json.loads(proc.stdout.strip().splitlines()[-1])
    return f"{'identical' if found['same'] else 'DIFFERENT'} ({found['entries']} entries)"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--units", default="50,200", help="units of the departments published")
    p.add_argument("--batch", type=int, default=200, help="three-unit departments for --all (0: skip)")
    p.add_argument("--no-compare", action="store_true", help="skip the whole-document layout (minutes at 200 units)")
    args = p.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory(prefix="budgetpub-first-") as tmp_name:
        tmp = Path(tmp_name)
        env["BUDGETPUB_CACHE"] = str(tmp / "cache")
        no_lo = {**env, "BUDGETPUB_SOFFICE": str(tmp / "no-soffice")}
        data = tmp / "data"
        shutil.copytree(ROOT / "data" / "catalogue", data / "catalogue")
        make_department(data, "701", 2024, 1)
        gen = [sys.executable, "-m", "generator", "--year", "2024", "--data", str(data)]
        run(gen + ["--dept", "701", "--out", str(tmp / "warm.docx"), "--format", "docx,pdf"], env, ROOT)  # the machine
        print(f"budgetpub first publish — {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")
        for i, n in enumerate(int(u) for u in args.units.split(",") if u):
            dept = str(750 + i)
            make_department(data, dept, 2024, n)
            out = tmp / f"{dept}.docx"
            shutil.rmtree(tmp / "cache" / "layout", ignore_errors=True)
            lo = run(gen + ["--dept", dept, "--out", str(out)], env, ROOT)
            again = run(gen + ["--dept", dept, "--out", str(tmp / f"{dept}-again.docx")], env, ROOT)
            plain = run(gen + ["--dept", dept, "--out", str(tmp / f"{dept}-nolo.docx")], no_lo, ROOT)
            alone = render_alone(data, dept, env)
            xlsx = run(gen + ["--dept", dept, "--format", "xlsx", "--out", str(tmp / f"{dept}.xlsx")], no_lo, ROOT)
            print(f"{n} units:")
            print(f"  generate, LibreOffice, layouts not cached: {lo['wall']:.1f} s wall ({lo['cpu']:.0f} s CPU, "
                  f"LibreOffice's included), peak {lo['peak']:.0f} MiB; again (layouts cached): {again['wall']:.2f} s")
            print(f"  generate without LibreOffice: {plain['wall']:.2f} s; render alone {alone['render']:.2f} s "
                  f"(load {alone['load']:.2f} s): {plain['wall'] / alone['render']:.2f}× the render")
            print(f"  the workbook alone {alone['xlsx']:.2f} s ({alone['xlsx'] / alone['render']:.2f}× the render); "
                  f"--format xlsx {xlsx['wall']:.2f} s, peak {xlsx['peak']:.0f} MiB (--format docx: peak "
                  f"{plain['peak']:.0f} MiB)")
            if not args.no_compare:
                print(f"  contents' page numbers against one layout of the whole document: "
                      f"{pages_compared(data, dept, out, env)}")
            if n <= 50:
                pdf = run(gen + ["--dept", dept, "--format", "docx,pdf", "--out", str(tmp / f"{dept}-p.docx")], env,
                          ROOT)
                (tmp / "plain").mkdir(exist_ok=True)
                soffice = run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to",
                               "pdf", "--outdir", str(tmp / "plain"), str(tmp / f"{dept}-p.docx")], env, ROOT)
                ours, theirs = (tmp / f"{dept}-p.pdf").stat().st_size, (tmp / "plain" / f"{dept}-p.pdf").stat().st_size
                print(f"  --format docx,pdf: {pdf['wall']:.1f} s, PDF {ours / 1e6:.2f} MB; plain soffice "
                      f"--convert-to pdf: {soffice['wall']:.1f} s, {theirs / 1e6:.2f} MB: {ours / theirs:.2f}×")
        if args.batch:
            batch = tmp / "batch"
            shutil.copytree(ROOT / "data" / "catalogue", batch / "catalogue")
            for i in range(args.batch):
                make_department(batch, str(800 + i) if i < 100 else str(8000 + i), 2030, 3)
            shutil.rmtree(tmp / "cache" / "layout", ignore_errors=True)
            b = run([sys.executable, "-m", "generator", "--year", "2030", "--all", "--data", str(batch),
                     "--out", str(tmp / "batch-out")], env, ROOT)
            print(f"--all over {args.batch} departments of 3 units, first run with LibreOffice: {b['wall']:.1f} s "
                  f"({b['wall'] / args.batch * 1000:.0f} ms a department)")
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
