"""Time exact relative importance and its bootstrap.

Run: python benchmarks/bench_drivers.py
Exact LMG (all 2^p subsets of one correlation matrix) for p = 5, 10 and 15
drivers, best of 5 runs; then analysis.analyses.drivers.relative_importance (LMG and
Johnson's weights, 1,000 bootstrap replicates over 2,000 groups) on 1,000,000
generated respondents with five component scores (means of 2-3 answers 1-5),
an overall answer and survey weights, for the whole sample and by 10 segments.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from analysis.analyses.drivers import lmg, relative_importance
from analysis.data.schema import COMPONENTS

CUTS = np.array([-1.6, -0.9, -0.25, 1.1])
ITEMS = {"access": 2, "procedure": 3, "staff": 3, "result": 2, "feedback": 2}
WEIGHTS = np.array([0.12, 0.25, 0.35, 0.20, 0.08])


def answers(latent: np.ndarray) -> np.ndarray:
    """Answers 1-5 from latent values and the cut points."""
    return 1.0 + (latent[..., None] > CUTS).sum(axis=-1)


def respondents(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """Driver data as :func:`analysis.analyses.drivers.driver_data` returns it, generated directly."""
    person = rng.normal(0.3, 0.6, n)
    latent = person[:, None] + rng.normal(0, 0.6, (n, len(COMPONENTS)))
    data = pd.DataFrame({c: answers(latent[:, [j]] + rng.normal(0, 0.45, (n, ITEMS[c]))).mean(axis=1)
                         for j, c in enumerate(COMPONENTS)})
    data["overall"] = answers(latent @ WEIGHTS + rng.normal(0, 0.45, n))
    data["weight"] = rng.uniform(20, 200, n).round(4)
    data["segment"] = rng.integers(0, 10, n)
    return data


def best_of(runs: int, call) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    rng = np.random.default_rng(2024)
    print(f"{'task':<62} {'seconds':>8}")
    for p in (5, 10, 15):
        x = rng.normal(size=(1000, p + 1)) + rng.normal(size=(1000, 1))
        corr = np.corrcoef(x, rowvar=False)
        print(f"{f'exact LMG, p = {p} ({2**p:,} subsets)':<62} {best_of(5, lambda corr=corr: lmg(corr)):>8.4f}")
    data = respondents(1_000_000, rng)
    for by, name in (([], "whole sample"), (["segment"], "10 segments")):
        seconds = best_of(1, lambda by=by: relative_importance(data, by=by, drivers=list(COMPONENTS), replicates=1000))
        print(f"{f'1,000 bootstrap replicates, 1,000,000 respondents, {name}':<62} {seconds:>8.2f}")


if __name__ == "__main__":
    main()
