"""Design-based estimation by many domains: this package, R ``survey`` and the Python package ``svy``.

    .venv/bin/python benchmarks/bench_domains.py [--sizes 1e5 1e6] [--domains 63] [--repeat 3]

For each size, N respondents of one period: 63 agencies (the domains) in 7 strata, clusters (PSUs) of 10
respondents nested in an agency, a weight per agency, the overall item answered 1-5 (satisfied: 4-5).
The same design is then estimated by agency three ways, each timed on the domain estimate alone (the
data already in memory; best of ``--repeat``):

- **this package**: :func:`analysis.cube.memory.build_cube` once (timed apart, ``cube s``), then
  :func:`analysis.analyses.indices.estimate` by ``unit_id`` (``estimate s``);
- **R survey**: ``svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, nest = TRUE)``, then
  ``svyby(~satisfied, ~unit_id, design, svymean)`` (``Rscript``; skipped when R or its ``survey`` is missing);
- **svy** (``pip install svy``; skipped when absent): ``Sample(data, Design(stratum, psu, wgt))``, then
  ``sample.estimation.mean("satisfied", by="unit_id")``.

Prints the seconds, the ratios (R / this package, svy / this package) and the largest difference of the
standard errors from R's.  The suite checks the numbers against R (``tests/test_indices_vs_r.py``),
never the speed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.analyses.indices import estimate
from analysis.cube.memory import build_cube

R_SCRIPT = """
suppressMessages(library(survey))
data <- read.csv(commandArgs(TRUE)[1], colClasses = c(unit_id = "character", stratum = "character",
                                                     psu = "character"))
design <- svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, data = data, nest = TRUE)
best <- Inf
for (i in seq_len(as.integer(commandArgs(TRUE)[3]))) {
  seconds <- system.time(result <- svyby(~satisfied, ~unit_id, design, svymean))[["elapsed"]]
  best <- min(best, seconds)
}
write.csv(data.frame(unit_id = result$unit_id, estimate = coef(result), se = SE(result), seconds = best),
          commandArgs(TRUE)[2], row.names = FALSE)
"""


def respondents(n: int, domains: int, seed: int = 20231231) -> pd.DataFrame:
    """One row per respondent: unit, stratum, PSU, weight and the overall answer."""
    rng = np.random.default_rng(seed)
    unit = rng.integers(0, domains, n)
    psu = unit * (n // (10 * domains) + 1) + rng.integers(0, n // (10 * domains) + 1, n)  # ~10 per PSU
    level = 0.55 + 0.35 * (np.arange(domains) / domains)  # agencies differ
    answer = np.where(rng.random(n) < level[unit], rng.integers(4, 6, n), rng.integers(1, 4, n))
    return pd.DataFrame({"unit_id": pd.Series(unit).map("u{:02d}".format), "stratum": (unit % 7).astype(str),
                         "psu": psu.astype(str), "weight": 1.0 + unit % 5,
                         "answer": answer.astype("int8"), "satisfied": (answer >= 4).astype(float)})


def best_of(repeat: int, run) -> tuple[float, object]:
    """Best wall seconds of ``repeat`` calls of ``run`` and its last result."""
    seconds, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        seconds.append(time.perf_counter() - start)
    return min(seconds), result


def this_package(people: pd.DataFrame, repeat: int) -> tuple[float, float, pd.DataFrame]:
    """Seconds of the cube, of the estimate by agency, and the estimates."""
    responses = pd.DataFrame({
        "respondent_id": np.arange(len(people)).astype(str), "period": "2023", "year": 2023,
        "unit_id": people["unit_id"], "channel": "direct", "group": "citizen", "item": "overall",
        "component": "overall", "answer": people["answer"].astype("Int8"), "weight": people["weight"],
        "stratum": people["stratum"], "psu": people["psu"]})
    cube_seconds, cube = best_of(repeat, lambda: build_cube(responses, index_form="overall", components=()))
    seconds, table = best_of(repeat, lambda: estimate(cube, ["unit_id"]))
    return cube_seconds, seconds, table


def r_survey(people: pd.DataFrame, repeat: int, folder: Path) -> tuple[float, pd.DataFrame] | None:
    """R's seconds for svyby and its table, or None without R."""
    if shutil.which("Rscript") is None:
        return None
    data, out, script = folder / "people.csv", folder / "r.csv", folder / "domains.R"
    people.to_csv(data, index=False)
    script.write_text(R_SCRIPT)
    run = subprocess.run(["Rscript", str(script), str(data), str(out), str(repeat)], capture_output=True, text=True)
    if run.returncode:
        print(f"R failed: {run.stderr.strip()[:300]}")
        return None
    table = pd.read_csv(out)
    return float(table["seconds"].iloc[0]), table


def svy_package(people: pd.DataFrame, repeat: int) -> tuple[float, pd.DataFrame] | None:
    """svy's seconds for the mean by agency and its table, or None when svy is not installed."""
    try:
        import polars as pl
        import svy
    except ImportError:
        return None
    sample = svy.Sample(data=pl.from_pandas(people), design=svy.Design(stratum="stratum", psu="psu", wgt="weight"))
    seconds, result = best_of(repeat, lambda: sample.estimation.mean(y="satisfied", by="unit_id"))
    return seconds, result.to_polars().to_pandas()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e5, 1e6])
    parser.add_argument("--domains", type=int, default=63)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'respondents':>12} {'cube s':>7} {'estimate s':>10} {'R s':>8} {'svy s':>7} {'R/this':>7} "
          f"{'svy/this':>8} {'max |SE - R SE|':>16}")
    with tempfile.TemporaryDirectory(prefix="bench-domains-") as scratch:
        for size in args.sizes:
            people = respondents(int(size), args.domains)
            cube_seconds, seconds, ours = this_package(people, args.repeat)
            r, other = r_survey(people, args.repeat, Path(scratch)), svy_package(people, args.repeat)
            gap = (float((ours.set_index("unit_id")["se"] - r[1].set_index("unit_id")["se"]).abs().max())
                   if r else float("nan"))
            print(f"{int(size):>12,} {cube_seconds:>7.3f} {seconds:>10.4f} "
                  f"{r[0] if r else float('nan'):>8.2f} {other[0] if other else float('nan'):>7.3f} "
                  f"{r[0] / seconds if r else float('nan'):>7.0f} "
                  f"{other[0] / seconds if other else float('nan'):>8.1f} {gap:>16.1e}")


if __name__ == "__main__":
    main()
