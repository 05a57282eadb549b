"""Targets: actual against target per year, and the chance of reaching future targets.

The projection is an ordinary least-squares line through the yearly index
(statsmodels), with a 95% prediction interval for the target year and the
probability that the year's value reaches the target under that line's
t predictive distribution.  A line through a few points says little: below
:data:`MIN_YEARS` years no projection is made and the table says so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

MIN_YEARS = 5


def against_targets(index: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Years that have both an index value and a target: the gap and whether it was met.

    ``index`` has ``year, estimate, ci_low, ci_high`` and ``targets`` has
    ``year, target``, all proportions.  ``met`` compares the estimate with the target;
    ``met_beyond_doubt`` asks the whole 95% interval to be at or above it.
    """
    table = index[["year", "estimate", "ci_low", "ci_high"]].merge(
        targets[["year", "target"]], on="year", how="inner")
    table["gap"] = table["estimate"] - table["target"]
    table["met"] = table["estimate"] >= table["target"]
    table["met_beyond_doubt"] = table["ci_low"] >= table["target"]
    return table


def project(index: pd.DataFrame, targets: pd.DataFrame, after: int | None = None,
            level: float = 0.95) -> pd.DataFrame:
    """Projection of the index to each target year later than the data, with the chance of reaching it.

    Returns ``year, target, projected, pi_low, pi_high, probability,
    years_used, note``; ``note`` is ``"too_short"`` (fewer than
    :data:`MIN_YEARS` years, nothing projected) or ``""``.  The projection and its
    prediction interval are cut to [0, 1].
    """
    last = after if after is not None else int(index["year"].max()) if len(index) else 0  # no years: all ahead
    future = targets[targets["year"] > last][["year", "target"]].reset_index(drop=True)
    series = index.dropna(subset=["estimate"])
    table = future.assign(projected=np.nan, pi_low=np.nan, pi_high=np.nan, probability=np.nan,
                          years_used=len(series), note="")
    if future.empty:  # no target ahead of the data (or no targets at all): nothing to project
        return table
    if len(series) < MIN_YEARS:
        table["note"] = "too_short"
        return table
    model = sm.OLS(series["estimate"].to_numpy(float), sm.add_constant(series["year"].to_numpy(float))).fit()
    prediction = model.get_prediction(sm.add_constant(future["year"].to_numpy(float), has_constant="add"))
    frame = prediction.summary_frame(alpha=1 - level)
    se_obs = np.sqrt(frame["mean_se"].to_numpy() ** 2 + model.scale)
    # a share lies in [0, 1]: a straight line that leaves it is cut at the bound (the interval keeps its
    # coverage, since no share lies outside), and the chance of the target is the line's
    table["projected"] = frame["mean"].clip(0, 1).to_numpy()
    table["pi_low"] = frame["obs_ci_lower"].clip(0, 1).to_numpy()
    table["pi_high"] = frame["obs_ci_upper"].clip(0, 1).to_numpy()
    table["probability"] = stats.t.sf((table["target"] - table["projected"]) / se_obs, model.df_resid)
    return table
