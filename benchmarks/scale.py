"""How budgetpub scales (not a test: a script run by hand that prints figures).

    python benchmarks/scale.py                      # everything, a few minutes on 2 cores
    python benchmarks/scale.py --sizes 1,10,50 --batch 20 --naive-max 50

It measures, each in a fresh subprocess so that peak memory (ru_maxrss) belongs
to that measurement alone:

- the seed department (304/2023): the CLI's wall time, and load / render (with the
  prepared template in the disk cache, as from a user's second run on; and without);
- synthetic departments of 1, 10, 50, 200 and 1,000 units (copies of one 899
  unit, tests/synth.py): load (read + validate + compute), render (in a fresh
  process: reading the prepared template included), the bytes written;
- on the same template and context, naive docxtpl (DocxTemplate(...).render();
  save()) and python-docx opening and saving the produced file (the floor);
  ratios, time per unit and peak memory;
- a batch of synthetic 3-unit departments through ``generate --all``: a first run
  (LibreOffice, when installed, lays every .docx out for its contents' page
  numbers), the same run again (layouts cached) and a run without LibreOffice;
  against one CLI call per department (measured on a sample, extrapolated).

Formats: docx. pdf and xlsx are timed by benchmarks/publish_time.py (one LibreOffice
for every run).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from synth import make_department  # noqa: E402


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ------------------------------------------------------------------ measurements (in a subprocess)

def measure_docx(data_root: str, dept: str, year: str, out: str) -> dict:
    t0 = time.perf_counter()
    from generator import build
    from generator.document.render import prepared_template, render_bytes
    t1 = time.perf_counter()
    publication, _ = build(Path(data_root), dept, int(year))
    t2 = time.perf_counter()
    prepared_template()
    t3 = time.perf_counter()
    data = render_bytes(publication)
    t4 = time.perf_counter()
    Path(out).write_bytes(data)
    return {"import": t1 - t0, "load": t2 - t1, "prepare": t3 - t2, "render": t4 - t2,
            "render_warm": t4 - t3, "bytes": len(data), "peak": _peak_mib()}


def measure_naive(data_root: str, dept: str, year: str, out: str) -> dict:
    import io

    from docxtpl import DocxTemplate

    from generator import build
    from generator.document.context import build_context
    from generator.document.render import TEMPLATE, jinja_env
    publication, _ = build(Path(data_root), dept, int(year))
    context = build_context(publication)
    t0 = time.perf_counter()
    tpl = DocxTemplate(str(TEMPLATE))
    tpl.render(context, jinja_env(), autoescape=True)
    buffer = io.BytesIO()
    tpl.save(buffer)
    t1 = time.perf_counter()
    return {"naive": t1 - t0, "peak": _peak_mib()}


def measure_floor(docx: str) -> dict:
    import io

    from docx import Document
    t0 = time.perf_counter()
    document = Document(docx)
    document.save(io.BytesIO())
    t1 = time.perf_counter()
    return {"floor": t1 - t0, "peak": _peak_mib()}


def measure_command(*cmd: str) -> dict:
    """Run a command; its wall time and the peak RSS of its largest process (pool workers included)."""
    t0 = time.perf_counter()
    proc = subprocess.run(list(cmd), capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t0
    return {"wall": wall, "returncode": proc.returncode,
            "peak": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


WORKERS = {"docx": measure_docx, "naive": measure_naive, "floor": measure_floor, "command": measure_command}


def _sub(kind: str, *args: str, timeout: float = 3600, env: dict | None = None) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--worker", kind, *args], capture_output=True,
                          text=True, timeout=timeout, cwd=ROOT, env=None if env is None else {**os.environ, **env})
    if proc.returncode != 0:
        raise RuntimeError(f"{kind} {args} failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------ the report

def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def seed(runs: int) -> None:
    from generator import DATA_ROOT
    with tempfile.TemporaryDirectory() as tmp:
        walls, cpus = [], []
        for _ in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "generator", "--dept", "304", "--year", "2023",
                            "--out", f"{tmp}/seed.docx"], check=True, capture_output=True, cwd=ROOT)
            walls.append(time.perf_counter() - t0)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        m = _sub("docx", str(DATA_ROOT), "304", "2023", f"{tmp}/seed2.docx")
        cold = _sub("docx", str(DATA_ROOT), "304", "2023", f"{tmp}/seed3.docx", env={"BUDGETPUB_CACHE": "off"})
        floor = _sub("floor", f"{tmp}/seed2.docx")
        naive = _sub("naive", str(DATA_ROOT), "304", "2023", f"{tmp}/x")
    print(f"seed 304/2023: CLI wall median {_ms(statistics.median(walls))}, min {_ms(min(walls))} "
          f"({runs} runs; target ≤ 0.5 s: {'met' if statistics.median(walls) <= 0.5 else 'NOT met'}); "
          f"CPU time (user + system) median {_ms(statistics.median(cpus))}: wall above CPU means a busy machine")
    print(f"  imports {_ms(m['import'])}, load {_ms(m['load'])}, render {_ms(m['render'])} "
          f"(prepared template from the disk cache {_ms(m['prepare'])}; without the cache: imports "
          f"{_ms(cold['import'])}, preparation {_ms(cold['prepare'])}), naive docxtpl {_ms(naive['naive'])}, "
          f"open+save floor {_ms(floor['floor'])}, peak {m['peak']:.0f} MiB")


def sizes(units: list[int], naive_max: int) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        for n in units:
            code = str(700 + len(rows))
            make_department(data, code, 2024, n)
            out = f"{tmp}/{code}.docx"
            m = _sub("docx", str(data), code, "2024", out)
            floor = _sub("floor", out)
            m["floor"], m["floor_peak"] = floor["floor"], floor["peak"]
            if n <= naive_max:
                naive = _sub("naive", str(data), code, "2024", out + ".naive")
                m["naive"], m["naive_peak"] = naive["naive"], naive["peak"]
            m["units"] = n
            rows.append(m)
            shutil.rmtree(data / code)
            print(f"  … {n} units done", file=sys.stderr, flush=True)
    print()
    print("render: in a fresh process, reading the prepared template included; render/unit: without it")
    print("| units | load | render | render/unit | naive docxtpl | naive ÷ ours | ours ÷ floor "
          "| open+save floor | peak RSS (ours) | peak RSS (naive) | peak RSS (floor) | .docx |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for m in rows:
        naive = m.get("naive")
        cells = [str(m["units"]), _ms(m["load"]), _ms(m["render"]), _ms(m["render_warm"] / m["units"]),
                 _ms(naive) if naive else "–", f"{naive / m['render']:.2f}×" if naive else "–",
                 f"{m['render'] / m['floor']:.2f}×", _ms(m["floor"]), f"{m['peak']:.0f} MiB",
                 f"{m['naive_peak']:.0f} MiB" if naive else "–", f"{m['floor_peak']:.0f} MiB",
                 f"{m['bytes'] / 1e6:.1f} MB"]
        print("| " + " | ".join(cells) + " |")
    return rows


def targets(rows: list[dict]) -> None:
    by = {m["units"]: m for m in rows}
    print()
    print("Targets (issue 12):")

    def line(text: str, ok: bool | None) -> None:
        print(f"  {'met    ' if ok else 'NOT met' if ok is not None else 'n/a    '}  {text}")

    for n, speed, floor in ((50, 2, 3), (200, 3, 2.5)):
        m = by.get(n)
        if not m:
            line(f"{n} units: not measured", None)
            continue
        if "naive" in m:
            line(f"{n} units: ≥ {speed}× faster than naive docxtpl: {m['naive'] / m['render']:.2f}×",
                 m["naive"] / m["render"] >= speed)
        line(f"{n} units: within {floor}× of the open+save floor: {m['render'] / m['floor']:.2f}×",
             m["render"] / m["floor"] <= floor)
    if 50 in by and 1000 in by:
        a = by[50]["render_warm"] / 50
        b = by[1000]["render_warm"] / 1000
        line(f"linear: render time per unit at 1,000 ÷ at 50 ≤ 1.2: {b / a:.2f} "
             f"({_ms(b)} vs {_ms(a)})", b / a <= 1.2)
        a = (by[50]["load"] + by[50]["render"]) / 50
        b = (by[1000]["load"] + by[1000]["render"]) / 1000
        print(f"           (load + render per unit: {_ms(b)} at 1,000 vs {_ms(a)} at 50: {b / a:.2f})")
    if 200 in by:
        line(f"memory: peak below 500 MiB at 200 units: {by[200]['peak']:.0f} MiB", by[200]["peak"] < 500)


def batch(departments: int, jobs: int | None, sample: int) -> None:
    """``generate --all`` over synthetic three-unit departments, three ways: a first run (LibreOffice,
    when installed, lays every .docx out for its contents' page numbers), the same run again (the
    layouts found in the cache) and a run without LibreOffice; and one CLI call per department."""
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(ROOT / "data" / "catalogue", data / "catalogue")
        for i in range(departments):
            make_department(data, str(800 + i) if i < 100 else str(8000 + i), 2030, 3)
        cmd = [sys.executable, "-m", "generator", "--year", "2030", "--all", "--data", str(data),
               "--out", f"{tmp}/out"] + (["--jobs", str(jobs)] if jobs else [])
        cache = Path(tmp) / "cache"
        runs = {}
        for label, env in (("first run", {"BUDGETPUB_CACHE": str(cache)}),
                           ("again, layouts cached", {"BUDGETPUB_CACHE": str(cache)}),
                           ("without LibreOffice", {"BUDGETPUB_CACHE": str(Path(tmp) / "cache2"),
                                                    "BUDGETPUB_SOFFICE": str(Path(tmp) / "no-soffice")})):
            shutil.rmtree(Path(tmp) / "out", ignore_errors=True)
            runs[label] = _sub("command", *cmd, env=env)
            runs[label]["files"] = len(list(Path(tmp, "out").rglob("*.docx")))
        # one call per department, on departments no run above has laid out (their drafts differ)
        one = []
        for i in range(sample):
            code = str(9900 + i)
            make_department(data, code, 2030, 3)
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "generator", "--dept", code, "--year", "2030",
                            "--data", str(data), "--out", f"{tmp}/one.docx"], check=True,
                           capture_output=True, cwd=ROOT, env={**os.environ, "BUDGETPUB_CACHE": str(cache)})
            one.append(time.perf_counter() - t0)
    lo = pdf_available()
    print()
    print(f"batch: {departments} departments of 3 units, --all on {jobs or os.cpu_count()} processes "
          f"(LibreOffice {'installed' if lo else 'not installed'}):")
    for label, run in runs.items():
        wall = run["wall"]
        print(f"  {label}: {wall:.1f} s wall ({wall / departments * 1000:.0f} ms per department), "
              f"exit {run['returncode']}, {run['files']} files, largest process {run['peak']:.0f} MiB "
              f"(target ≤ 60 s on 2 cores: {'met' if wall <= 60 else 'NOT met'})")
    if one:
        per_call = statistics.median(one)
        wall = runs["first run"]["wall"]
        print(f"  one CLI call per department instead: {per_call:.2f} s each (median of {sample}), "
              f"≈ {per_call * departments:.0f} s for {departments}: the first --all run is "
              f"{per_call * departments / wall:.1f}× faster")


def pdf_available() -> bool:
    from generator.formats import libreoffice as pdf
    return pdf.find() is not None


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--worker":
        print(json.dumps(WORKERS[sys.argv[2]](*sys.argv[3:])))
        return
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1,10,50,200,1000", help="units per synthetic department")
    p.add_argument("--naive-max", type=int, default=200, help="largest size measured with naive docxtpl")
    p.add_argument("--batch", type=int, default=200, help="departments of 3 units for --all (0: skip)")
    p.add_argument("--jobs", type=int, default=None)
    p.add_argument("--sample", type=int, default=5, help="single CLI calls timed to compare with --all")
    p.add_argument("--seed-runs", type=int, default=5)
    args = p.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    # a cache of our own, filled by the first run (as a user's second run finds it)
    os.environ["BUDGETPUB_CACHE"] = cache = tempfile.mkdtemp(prefix="budgetpub-bench-cache-")
    import atexit
    atexit.register(shutil.rmtree, cache, ignore_errors=True)
    print(f"budgetpub scale benchmark — {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f} at start, Python {sys.version.split()[0]}, formats: docx (pdf, xlsx: benchmarks/publish_time.py)")
    seed(args.seed_runs)
    rows = sizes([int(n) for n in args.sizes.split(",") if n], args.naive_max)
    targets(rows)
    if args.batch:
        batch(args.batch, args.jobs, args.sample)
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
