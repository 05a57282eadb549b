"""Rankings that carry their uncertainty, and empirical-Bayes shrinkage of small units.

Each unit's estimate is shrunk towards its block's mean by the normal-normal
model ``estimate ~ N(theta, se^2)``, ``theta ~ N(block mean, tau^2)``, with
``tau^2`` estimated by DerSimonian and Laird's method of moments pooled over
blocks (as ``statsmodels.stats.meta_analysis`` does for one group).  Ranks
(1 = best) and their interval come from draws of the units' posteriors.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def between_variance(estimate: np.ndarray, se: np.ndarray, group: np.ndarray) -> float:
    """DerSimonian-Laird ``tau^2`` with one mean per group (0 when the data show no spread)."""
    w = 1 / se**2
    frame = pd.DataFrame({"w": w, "wy": w * estimate, "w2": w**2, "g": group})
    sums = frame.groupby("g")[["w", "wy", "w2"]].sum()
    mean = frame["g"].map(sums["wy"] / sums["w"]).to_numpy()
    q = float((w * (estimate - mean) ** 2).sum())
    df = len(estimate) - len(sums)
    c = float((sums["w"] - sums["w2"] / sums["w"]).sum())
    return max(0.0, (q - df) / c) if df > 0 and c > 0 else 0.0


def tau2(table: pd.DataFrame, group: str = "block", estimate: str = "estimate", se: str = "se") -> float:
    """The ``tau^2`` :func:`shrink` uses: :func:`between_variance` of the table's units, one mean per ``group``."""
    return between_variance(table[estimate].to_numpy(float), table[se].to_numpy(float), table[group].to_numpy())


def shrink(table: pd.DataFrame, group: str = "block", estimate: str = "estimate", se: str = "se") -> pd.DataFrame:
    """Add ``prior_mean``, ``shrunk``, ``shrunk_se`` and ``shrinkage`` (0 = kept, 1 = replaced by the prior).

    The prior mean of a block is its precision-weighted mean under ``tau^2`` (:func:`tau2` of the same table).
    """
    table = table.copy()
    y, s = table[estimate].to_numpy(float), table[se].to_numpy(float)
    between = tau2(table, group, estimate, se)
    w = 1 / (s**2 + between)
    prior = (pd.Series(w * y).groupby(table[group].to_numpy()).sum()
             / pd.Series(w).groupby(table[group].to_numpy()).sum())
    table["prior_mean"] = table[group].map(prior).to_numpy()
    factor = s**2 / (s**2 + between) if between > 0 else np.ones_like(s)
    table["shrinkage"] = factor
    table["shrunk"] = table["prior_mean"] + (1 - factor) * (y - table["prior_mean"])
    table["shrunk_se"] = np.sqrt((1 - factor) * s**2) if between > 0 else 0.0
    return table


def rank_intervals(table: pd.DataFrame, estimate: str = "shrunk", se: str = "shrunk_se", level: float = 0.90,
                   draws: int = 4000, seed: int = 0) -> pd.DataFrame:
    """Add ``rank`` (1 = highest) and its ``level`` interval ``rank_low``, ``rank_high`` by simulation."""
    table = table.copy()
    rng = np.random.default_rng(seed)
    y, s = table[estimate].to_numpy(float), table[se].to_numpy(float)
    simulated = y + s * rng.standard_normal((draws, len(y)))
    ranks = (-simulated).argsort(axis=1).argsort(axis=1) + 1
    tail = (1 - level) / 2
    table["rank"] = (-y).argsort().argsort() + 1
    table["rank_low"] = np.quantile(ranks, tail, axis=0, method="inverted_cdf").astype(int)
    table["rank_high"] = np.quantile(ranks, 1 - tail, axis=0, method="inverted_cdf").astype(int)
    return table
