"""How long a region's run of budgetpub verify takes (not a test: a script that prints figures).

    python benchmarks/verify_region.py                 # 200 .docx publications, then the PDFs
    python benchmarks/verify_region.py --count 50 --jobs 2 --no-pdf

A 财政局 runs ``budgetpub verify DIR/ --format html -o report.html`` on every department of its
region. This makes ``--count`` publications (.docx) from the five example departments (each rendered
once, copied under a name of its own: 1 to 4 parts each, 16 to 77 pages), runs the command line on
the folder as a clerk would (a fresh process: imports, the parallel workers and the HTML report
included) and prints the wall time. Then, when LibreOffice is installed, the same departments as
PDFs (budgetpub's own, laid out by LibreOffice) and the seed typed by hand (tests/handtyped.py,
converted by ``soffice --convert-to pdf``): seconds per publication and per page, one process.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from generator import DATA_ROOT, build  # noqa: E402
from generator.document.render import render_bytes  # noqa: E402
from generator.verify import verify_path  # noqa: E402

EXAMPLES = sorted((p.parent.name, p.name) for p in DATA_ROOT.glob("*/*") if (p / "department.yaml").exists())


def region(folder: Path, count: int) -> None:
    rendered = []
    for dept, year in EXAMPLES:
        publication, _ = build(DATA_ROOT, dept, int(year))
        rendered.append((f"{dept}-{year}", render_bytes(publication)))
    for k in range(count):
        name, data = rendered[k % len(rendered)]
        (folder / f"{k:04d}-{name}.docx").write_bytes(data)


def cli_run(folder: Path, jobs: int | None) -> tuple[float, float, int]:
    report = folder.parent / "report.html"
    cmd = [sys.executable, "-c", "import sys; from generator.cli import budgetpub; sys.exit(budgetpub(sys.argv[1:]))",
           "verify", str(folder), "--format", "html", "-o", str(report)]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
    return wall, cpu, done.returncode


def pdfs(folder: Path) -> list[tuple[str, Path]]:
    import handtyped
    from generator.formats import libreoffice
    from generator.formats.publish import publish

    out = []
    with libreoffice.LibreOffice() as lo:
        for dept, year in EXAMPLES:
            publication, _ = build(DATA_ROOT, dept, int(year))
            written, _ = publish(publication, ["pdf"], folder / f"{dept}-{year}.pdf", lo=lo)
            out.append((f"{dept}/{year}（budgetpub）", written[0]))
    (folder / "seed.docx").write_bytes(handtyped.build(handtyped.Variant()))
    soffice = libreoffice._soffice()
    subprocess.run([soffice, f"-env:UserInstallation=file://{folder / 'profile'}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), str(folder / "seed.docx")], check=True, capture_output=True)
    out.append(("304/2023 手工录入（LibreOffice 转换）", folder / "seed.pdf"))
    return out


def _pages(path: Path) -> int:
    import pdfplumber
    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--count", type=int, default=200)
    p.add_argument("--jobs", type=int, default=None, help="--jobs of the run (default: one per core)")
    p.add_argument("--no-pdf", action="store_true")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="budgetpub-verify-bench-") as tmp:
        folder = Path(tmp) / "region"
        folder.mkdir()
        region(folder, args.count)
        size = sum(f.stat().st_size for f in folder.iterdir())
        load = os.getloadavg()[0]
        wall, cpu, code = cli_run(folder, args.jobs)
        report = (Path(tmp) / "report.html").stat().st_size
        print(f"{args.count} publications (.docx, {size / 1e6:.1f} MB), {os.cpu_count()} cores, load {load:.1f} "
              f"before: budgetpub verify DIR --format html → wall {wall:.1f} s, CPU {cpu:.1f} s "
              f"({cpu / args.count * 1000:.0f} ms of CPU each; exit {code}; report {report / 1e3:.0f} kB)")
        if args.no_pdf:
            return
        from generator.formats import libreoffice
        if libreoffice.find() is None:
            print("PDF: LibreOffice is not installed, skipped")
            return
        pdf_dir = Path(tmp) / "pdf"
        pdf_dir.mkdir()
        print("| PDF | pages | verify (CPU) | per page |")
        print("|---|---:|---:|---:|")
        total_pages = total_time = 0.0
        for name, path in pdfs(pdf_dir):
            t0 = time.process_time()
            verify_path(path)
            spent = time.process_time() - t0  # CPU: the machine may be busy
            pages = _pages(path)
            total_pages += pages
            total_time += spent
            print(f"| {name} | {pages} | {spent:.2f} s | {spent / pages * 1000:.0f} ms |")
        print(f"| all | {total_pages:.0f} | {total_time:.2f} s | {total_time / total_pages * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
