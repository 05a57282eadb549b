"""Targets: actual against target per year, and the chance of reaching future targets.

The projection is an ordinary least-squares line through the logit of the yearly
index (statsmodels): the line, its 95% prediction interval for the target year and
the probability that the year's value reaches the target (the t predictive
distribution of the logit at or above the target's logit) are made on that scale
and brought back with the inverse logit, so every bound lies strictly between 0
and 1 and an interval narrows towards the bound it nears.  ``projected`` is the
back-transformed line, the median of the predictive distribution.  A year at
exactly 0 or 1 (every respondent satisfied, or none) has no logit: it is moved to
:data:`EDGE` from its bound, so it keeps its place in the line
(``tests/test_targets_ranking.py``, against R's ``predict(lm(qlogis(y) ~ year),
interval = "prediction")`` in ``tests/reference/``).  A line through a few points
says little: below :data:`MIN_YEARS` years no projection is made and the table says so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import special, stats

MIN_YEARS = 5
EDGE = 0.001  # an index of exactly 0 or 1 is taken as 0.1% or 99.9% on the logit scale


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
    :data:`MIN_YEARS` years, nothing projected) or ``""``.  Fitted on the logit
    scale (see the module notes): every value lies in (0, 1).
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
    logit = special.logit(series["estimate"].to_numpy(float).clip(EDGE, 1 - EDGE))
    model = sm.OLS(logit, sm.add_constant(series["year"].to_numpy(float))).fit()
    prediction = model.get_prediction(sm.add_constant(future["year"].to_numpy(float), has_constant="add"))
    frame = prediction.summary_frame(alpha=1 - level)
    se_obs = np.sqrt(frame["mean_se"].to_numpy() ** 2 + model.scale)
    table["projected"] = special.expit(frame["mean"].to_numpy())
    table["pi_low"] = special.expit(frame["obs_ci_lower"].to_numpy())
    table["pi_high"] = special.expit(frame["obs_ci_upper"].to_numpy())
    # a target of 1 (logit +inf) is never reached, one of 0 always
    z = (special.logit(table["target"].to_numpy(float)) - frame["mean"].to_numpy()) / se_obs
    table["probability"] = stats.t.sf(z, model.df_resid)
    return table
