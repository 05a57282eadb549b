"""Time analysis.analyses.breaks.breakpoints (up to 5 breaks, default 15% minimum segment) on long series.

Run: python benchmarks/bench_breaks.py
Series of 100, 1,000 and 10,000 points with breaks at 40% and 70% of the
series: shifts in the mean for the mean-shift model (x=None), changes of level
and slope for the trend model (x="trend"); best of 3 runs (1 for 10,000).
"""

from __future__ import annotations

import time

import numpy as np

from analysis.analyses.breaks import breakpoints


def simulated(n: int, model: str, rng: np.random.Generator) -> np.ndarray:
    """Unit noise around a mean (or a line) that changes at 40% and 70% of the series."""
    t = np.arange(n) / n
    if model == "mean":
        mean = np.select([t < 0.4, t < 0.7], [0.0, 1.5], 0.5)
    else:
        mean = np.select([t < 0.4, t < 0.7], [1 + 2 * t, 4 - 2 * t], 1 + 3 * t)
    return mean + rng.normal(size=n)


def main() -> None:
    rng = np.random.default_rng(2024)
    print(f"{'n':>7} {'model':>6} {'seconds':>8}  breaks (BIC)")
    for n in (100, 1_000, 10_000):
        for model, x in (("mean", None), ("trend", "trend")):
            y = simulated(n, model, rng)
            times = []
            for _ in range(1 if n >= 10_000 else 3):
                start = time.perf_counter()
                result = breakpoints(y, x, max_breaks=5)
                times.append(time.perf_counter() - start)
            print(f"{n:>7} {model:>6} {min(times):>8.3f}  {result.breaks()}")


if __name__ == "__main__":
    main()
