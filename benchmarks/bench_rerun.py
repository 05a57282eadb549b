"""The report cache: the default annual review from the command line, cold, from the cache, unchanged.

    .venv/bin/python benchmarks/bench_rerun.py [--out DIR]

Runs ``python -m analysis report`` (what ``make report`` runs) three times into a new output root (a
temporary folder unless ``--out`` names one that does not exist yet), each a fresh process timed from
start to exit:

1. cold: an empty cache, every notebook executed;
2. from the cache: the report folder removed, the cache kept, so every section is copied from
   ``<out>/.cache`` and the page, workbook and PDF are made again;
3. unchanged: nothing changed since, so the report folder stands as it is (nothing executed or
   rendered; the manifest says ``reused_from``).

Prints each wall time, how many sections came from the cache, and whether the three manifests list
the same outputs.  The tests check the behaviour (``tests/test_report.py``, ``tests/test_console.py``),
never the speed, which depends on the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis.paths import ROOT
from analysis.pipeline import manifest

FOLDER = Path("song_lam", "province", "2023", "vi")  # the default report's, under the output root


def timed_run(out_root: Path) -> tuple[float, dict]:
    """Wall seconds of one ``report`` command and the manifest it leaves."""
    command = [sys.executable, "-m", "analysis", "report", "--out", str(out_root)]
    start = time.perf_counter()
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env={**os.environ, "MPLBACKEND": "Agg"})
    if run.returncode:
        sys.exit(run.stderr)
    return time.perf_counter() - start, manifest.read(out_root / FOLDER / "manifest.json")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", help="output root to create (default: a temporary folder, removed afterwards)")
    args = parser.parse_args()
    if args.out and Path(args.out).exists():
        parser.error(f"{args.out} exists: the first run must start from an empty cache")
    out_root = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="bench-rerun-"))
    try:
        runs = [("cold (empty cache)", *timed_run(out_root))]
        shutil.rmtree(out_root / FOLDER)
        runs.append(("from the cache (folder removed)", *timed_run(out_root)))
        runs.append(("unchanged (report stands)", *timed_run(out_root)))
    finally:
        if not args.out:
            shutil.rmtree(out_root, ignore_errors=True)
    print(f"{'run':<32} {'seconds':>8} {'sections from the cache':>24}  reused")
    for name, seconds, record in runs:
        cached = f"{sum(n['cached'] for n in record['notebooks'])} of {len(record['notebooks'])}"
        print(f"{name:<32} {seconds:>8.1f} {cached:>24}  {'yes' if 'reused_from' in record else 'no'}")
    differences = [d for _, _, record in runs[1:] for d in manifest.compare(runs[0][2], record)]
    print("outputs identical" if not differences else f"{len(differences)} difference(s): {differences[:3]}")


if __name__ == "__main__":
    main()
