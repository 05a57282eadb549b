"""Satisfaction rates and indices with their 95% confidence intervals.

Unweighted shares of one item use Wilson's interval.  The weighted index is a
ratio mean whose variance is the design-based Taylor linearisation, with
strata (within period) and primary sampling units, as R's ``survey`` package
computes for ``svyby(~score, ~g, design, svymean)``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm
from statsmodels.stats.proportion import proportion_confint

from analysis.cube import respondent_scores
from analysis.schema import SATISFIED

Z95 = norm.ppf(0.975)

__all__ = ["item_rates", "respondent_scores", "weighted_index"]


def item_rates(cube: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Unweighted share of answers 4-5 per group, from the cube, with Wilson 95% intervals.

    Returns ``by`` columns plus ``n`` (answers), ``satisfied``, ``rate``,
    ``ci_low``, ``ci_high`` (proportions in [0, 1]).
    """
    answered = cube[cube["answer"].notna()]
    flag = answered["answer"].isin(SATISFIED)
    table = (answered.assign(satisfied=answered["n"].where(flag, 0))
             .groupby(by, observed=True)[["n", "satisfied"]].sum().reset_index())
    table["rate"] = table["satisfied"] / table["n"]
    table["ci_low"], table["ci_high"] = proportion_confint(table["satisfied"], table["n"], method="wilson")
    return table


def weighted_index(scores: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Weighted mean of respondent scores per group, with a design-based 95% interval.

    Parameters
    ----------
    scores : one row per respondent with ``score``, ``weight`` and, when the
        design has them, ``stratum`` and ``psu`` (default: each respondent is
        its own PSU, one stratum per period).
    by : grouping columns (domains), e.g. ``["year"]`` or ``["year", "channel"]``.

    Returns ``by`` columns plus ``n``, ``weight``, ``rate``, ``se``, ``ci_low``, ``ci_high``.
    Domains are estimated as R's ``svyby`` does: PSUs of a stratum with no
    member of the domain count with a zero total.
    """
    data = scores.copy()
    if "weight" not in data:
        data["weight"] = 1.0
    period = data["period"] if "period" in data else data["year"].astype(str)
    stratum = data["stratum"].astype(str) if "stratum" in data else ""
    data["_stratum"] = period.astype(str) + "|" + stratum
    data["_psu"] = data["psu"].astype(str) if "psu" in data else data["respondent_id"].astype(str)
    psus_per_stratum = data.groupby("_stratum")["_psu"].nunique()

    data["_wy"] = data["weight"] * data["score"]
    table = data.groupby(by, observed=True).agg(n=("score", "size"), weight=("weight", "sum"),
                                                wy=("_wy", "sum")).reset_index()
    table["rate"] = table["wy"] / table["weight"]
    data = data.merge(table[[*by, "rate", "weight"]].rename(columns={"weight": "_W"}), on=by)
    data["_z"] = data["weight"] * (data["score"] - data["rate"]) / data["_W"]
    psu_totals = data.groupby([*by, "_stratum", "_psu"], observed=True)["_z"].sum()
    per_stratum = psu_totals.groupby(level=[*by, "_stratum"]).agg(s1="sum", s2=lambda t: (t ** 2).sum())
    n_h = psus_per_stratum.reindex(per_stratum.index.get_level_values("_stratum")).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        term = np.where(n_h > 1, n_h / (n_h - 1) * (per_stratum["s2"] - per_stratum["s1"] ** 2 / n_h), 0.0)
    variance = pd.Series(term, index=per_stratum.index).groupby(level=by).sum()
    table["se"] = np.sqrt(variance.reindex(pd.MultiIndex.from_frame(table[by]) if len(by) > 1
                                           else table[by[0]]).to_numpy())
    table["ci_low"] = (table["rate"] - Z95 * table["se"]).clip(0, 1)
    table["ci_high"] = (table["rate"] + Z95 * table["se"]).clip(0, 1)
    return table.drop(columns="wy")
