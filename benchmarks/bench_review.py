"""The whole annual review on surveys of 100 thousand to millions of respondents: wall time and peak memory.

    .venv/bin/python benchmarks/bench_review.py [--sizes 1e5 1e6] [--keep DIR]

For each size, a wide survey file shaped like the embedded one (its 13 criteria, units, periods, weights
and side tables) is written by repeating the embedded survey's forms under new form numbers (generated,
never committed: 1 million forms are 140 MB of CSV), then ``python -m analysis report --data <mapping>
--no-cache`` (what ``make report`` runs, every section executed) is timed from start to exit, and the
memory of its whole process tree (the command, its worker processes and every notebook kernel) is
sampled every half second: the peak of the summed proportional set sizes (PSS: a page shared by two
processes counts half in each), and the peak of the summed resident sets (RSS, an upper bound).

Beside it, the floor: one pass that reads the same file (``pandas.read_csv``) and counts the answers of
each criterion by unit and year with ``np.bincount``.  The suite never checks speed
(``tests/test_report_runs.py`` checks that the notebooks read the run's store, never the file).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import psutil

from analysis.paths import ROOT

EMBEDDED = ROOT / "data" / "raw" / "province_survey"


def write_survey(n: int, folder: Path) -> Path:
    """The embedded survey's forms repeated to ``n`` under new form numbers, with its side files; the mapping."""
    folder.mkdir(parents=True)
    for path in EMBEDDED.iterdir():
        if path.name != "survey.csv":
            shutil.copy(path, folder / path.name)
    mapping = (folder / "mapping.yaml").read_text(encoding="utf-8")
    for key in ("published: ../published_figures.csv", "papi: ../papi"):  # the embedded survey's own, by path
        name, relative = key.split(": ")
        mapping = mapping.replace(key, f"{name}: {(EMBEDDED / relative).resolve()}")
    (folder / "mapping.yaml").write_text(mapping, encoding="utf-8")
    forms = pd.read_csv(EMBEDDED / "survey.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    header = True
    with open(folder / "survey.csv", "w", encoding="utf-8-sig", newline="") as out:
        for start in range(0, n, len(forms)):
            chunk = forms.iloc[: min(len(forms), n - start)].copy()
            chunk["Số phiếu"] = [f"P{i:09d}" for i in range(start, start + len(chunk))]
            chunk.to_csv(out, index=False, header=header)
            header = False
    return folder / "mapping.yaml"


def tree_memory(process: psutil.Process) -> tuple[int, int]:
    """Summed PSS and RSS (bytes) of ``process`` and all its descendants."""
    pss = rss = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            info = member.memory_full_info()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        pss, rss = pss + getattr(info, "pss", info.rss), rss + info.rss
    return pss, rss


def timed_review(mapping: Path, out_root: Path) -> tuple[float, int, int]:
    """Wall seconds of one ``report`` command and the peak PSS and RSS of its process tree."""
    command = [sys.executable, "-m", "analysis", "report", "--data", str(mapping), "--out", str(out_root),
               "--no-cache"]
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "MPLBACKEND": "Agg"})
    peaks = [0, 0]

    def sample() -> None:
        watched = psutil.Process(child.pid)
        while child.poll() is None:
            pss, rss = tree_memory(watched)
            peaks[0], peaks[1] = max(peaks[0], pss), max(peaks[1], rss)
            time.sleep(0.5)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, error = child.communicate()
    seconds = time.perf_counter() - start
    sampler.join()
    if child.returncode:
        sys.exit(error)
    return seconds, peaks[0], peaks[1]


def floor(mapping: Path) -> float:
    """Seconds to read the survey file once and count each criterion's answers by unit and year."""
    start = time.perf_counter()
    forms = pd.read_csv(mapping.parent / "survey.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    unit = pd.factorize(forms["Mã cơ quan"])[0]
    year = pd.factorize(forms["Năm khảo sát"])[0]
    key = unit * (year.max() + 1) + year
    for column in forms.columns[9:22]:  # the 13 criteria
        answer = pd.factorize(forms[column])[0]
        np.bincount(key * (answer.max() + 2) + answer + 1)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e5, 1e6])
    parser.add_argument("--keep", help="folder to keep the generated surveys and reports in (default: removed)")
    args = parser.parse_args()
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-review-"))
    print(f"{'respondents':>12} {'answers':>12} {'write s':>8} {'floor s':>8} {'review s':>9} {'peak PSS GiB':>13} "
          f"{'peak RSS GiB':>13}")
    try:
        for size in args.sizes:
            n = int(size)
            start = time.perf_counter()
            mapping = write_survey(n, root / f"survey-{n}")
            written = time.perf_counter() - start
            seconds, pss, rss = timed_review(mapping, root / f"reports-{n}")
            print(f"{n:>12,} {13 * n:>12,} {written:>8.1f} {floor(mapping):>8.1f} {seconds:>9.1f} "
                  f"{pss / 2**30:>13.2f} {rss / 2**30:>13.2f}", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
