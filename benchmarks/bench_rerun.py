"""The report cache: the default annual review run twice, the second time from the cache.

    .venv/bin/python benchmarks/bench_rerun.py [--out DIR] [--workers N]

The first run starts from an empty cache (a new output root, a temporary folder
unless ``--out`` names one that does not exist yet) and executes every notebook;
the second run finds every section in ``<out>/.cache`` and only copies it,
renders the HTML, writes the workbook and the manifest (and prints the PDF when
Chromium is installed). Prints both wall times, the ratio and how many sections
each run took from the cache. The test suite checks that the second run takes
every section from the cache and gives the same outputs; how much faster it is
belongs here, because it depends on the machine and its load.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from analysis.pipeline import manifest
from analysis.pipeline.report import ReportParameters, run_report


def timed_run(out_root: Path, workers: int | None) -> tuple[float, dict]:
    start = time.perf_counter()
    index = run_report(ReportParameters(), out_root, workers=workers)
    return time.perf_counter() - start, manifest.read(index.parent / "manifest.json")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", help="output root to create (default: a temporary folder, removed afterwards)")
    parser.add_argument("--workers", type=int, default=None, help="notebook processes (default: one per core)")
    args = parser.parse_args()
    if args.out and Path(args.out).exists():
        parser.error(f"{args.out} exists: the first run must start from an empty cache")
    out_root = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="bench-rerun-"))
    try:
        first, before = timed_run(out_root, args.workers)
        second, after = timed_run(out_root, args.workers)
    finally:
        if not args.out:
            shutil.rmtree(out_root, ignore_errors=True)
    sections = len(after["notebooks"])
    print(f"{'run':<28} {'seconds':>8} {'sections from the cache':>24}")
    for name, seconds, record in (("first (empty cache)", first, before), ("second (from the cache)", second, after)):
        cached = sum(n["cached"] for n in record["notebooks"])
        print(f"{name:<28} {seconds:>8.1f} {f'{cached} of {sections}':>24}")
    print(f"ratio first / second: {first / second:.1f}x")
    differences = manifest.compare(before, after)
    print("outputs identical" if not differences else f"{len(differences)} difference(s): {differences[:3]}")


if __name__ == "__main__":
    main()
