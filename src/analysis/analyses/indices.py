"""Satisfaction rates and indices with their confidence intervals, from the cube.

:func:`estimate` gives, for any grouping, the share satisfied (answers 4-5),
the share dissatisfied (1-2) or the mean score, of an item (``"item"`` in
``by``), of a SIPAS component (``"component"`` in ``by``) or of the index
(neither), with a 95% interval:

- unweighted shares of items: Wilson's score interval;
- everything else: the design-based variance by Taylor linearisation of the
  ratio mean (strata within period, PSUs as given, domains keeping the whole
  design), as R's ``survey`` computes with ``svyby(..., svymean)``; shares get
  the logit-scale interval of ``svyciprop(method = "xlogit")`` with the
  design's degrees of freedom, means a normal (Wald) interval;
- no interval where the design gives no variance information (``method``
  says why, :data:`NOT_ESTIMABLE`): a domain with design df < 1 (inside one
  PSU, or a single respondent) and a linearised share of exactly 0 or 1, where
  ``svyciprop`` returns NA too (``tests/test_not_estimable.py``, R's ``api`` data).

With the mapping's ``population`` (the number served per unit and period) each
stratum's variance is multiplied by ``1 - n_h / N_h``, as ``svydesign(..., fpc = ~N)``
does (``tests/test_fpc.py``).

:func:`difference` tests the gap between two levels of a column (direct vs
online, citizen vs business), or one level against the others pooled, with the
covariance the shared design implies.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import expit, logit
from statsmodels.stats.proportion import proportion_confint

from analysis.cube.memory import Cube, answer_moments, score_moments

SHARES = ("satisfied", "dissatisfied")
ESTIMATE_COLUMNS = ["n", "estimate", "se", "ci_low", "ci_high", "method"]
NOT_ESTIMABLE = {  # the ``method`` of a row without an interval: why there is none
    "single_psu": "not estimable: single PSU",  # design df < 1: one PSU (or one respondent), no variance information
    "edge": "not estimable: share 0 or 1",  # every answer the same: no variance on the logit scale
}
ZERO_SE = 1e-12  # a difference's SE at most this times max(1, |difference|) is zero to rounding: no test


ALL = "_all"  # the grouping column of a whole-sample estimate (``by=[]``)
REST = "rest"  # the second side of a difference that pools every other level (:func:`difference`)


def moments_for(cube: Cube, by: list[str], measure: str) -> pd.DataFrame:
    """The cube's moments for items, components or the index, as ``by`` asks."""
    if "item" in by:
        moments = answer_moments(cube, measure, by)
    elif "component" in by:
        moments = pd.concat([score_moments(cube, measure, c, by).assign(component=c) for c in cube.components],
                            ignore_index=True)
    else:
        moments = score_moments(cube, measure, "index", by)
    return moments.assign(**{ALL: "all"}) if ALL in by else moments


def unweighted(moments: pd.DataFrame) -> pd.DataFrame:
    """The same moments with every weight set to 1."""
    return moments.assign(w=moments["n"], wy=moments["y"], w2=moments["n"], w2y=moments["y"],
                          w2y2=moments["y2"])


def linearised(moments: pd.DataFrame, cube: Cube, ratio_by: list[str], out_by: list[str] | None = None,
               coefficient: pd.Series | None = None) -> pd.DataFrame:
    """Ratio means per ``ratio_by`` and the linearised variance of their combination per ``out_by``.

    With ``coefficient`` (+1 / -1 per moment row) the variance is that of the
    signed sum of the ratio means in each ``out_by`` group (a difference).
    Returns ``out_by`` columns plus ``estimate``, ``variance``, ``n`` and ``df``,
    the domain's degrees of freedom as R's ``degf`` counts them on a subset
    design: PSUs with a member in the domain minus strata with one.
    """
    out_by = ratio_by if out_by is None else out_by
    m = moments.copy()
    m["_c"] = 1.0 if coefficient is None else coefficient.to_numpy()
    groups = m.groupby(ratio_by, observed=True).agg(_W=("w", "sum"), _A=("wy", "sum")).reset_index()
    groups["_R"] = groups["_A"] / groups["_W"]
    m = m.merge(groups, on=ratio_by, how="left")
    m = m[m["_W"] > 0]
    m["_stratum"] = m["period"].astype(str) + "|" + m["stratum"].astype(str)
    m["_u"] = m["_c"] * (m["wy"] - m["_R"] * m["w"]) / m["_W"]
    if cube.clustered:
        z = m.groupby([*out_by, "_stratum", "psu"], observed=True)["_u"].sum()
        per = pd.DataFrame({"s1": z, "s2": z**2}).groupby(level=[*out_by, "_stratum"]).sum()
        per["size"] = per["s2"]
    else:
        m["_q"] = m["_c"] ** 2 * (m["w2y2"] - 2 * m["_R"] * m["w2y"] + m["_R"] ** 2 * m["w2"]) / m["_W"] ** 2
        m["_size"] = m["_c"] ** 2 * (m["w2y2"] + 2 * (m["_R"] * m["w2y"]).abs() + m["_R"] ** 2 * m["w2"]) / m["_W"] ** 2
        per = m.groupby([*out_by, "_stratum"], observed=True).agg(s1=("_u", "sum"), s2=("_q", "sum"),
                                                                 size=("_size", "sum"))
    strata = per.index.get_level_values("_stratum")
    n_h = cube.psus.reindex(strata).to_numpy(dtype=float)
    fpc = 1.0 if cube.population is None else 1 - n_h / cube.population.reindex(strata).to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = per["s2"] - per["s1"] ** 2 / n_h
        # >= 0 in exact arithmetic; when all scores are equal the sums cancel to rounding (+-1e-16 of their size,
        # an SE of 1e-8): that is 0
        spread = spread.where(spread > ZERO_SE * per["size"], 0.0)
        per["v"] = np.where(n_h > 1, fpc * n_h / (n_h - 1) * spread, 0.0)
    variance = per["v"].groupby(level=out_by).sum().rename("variance")
    estimate = (groups.assign(_cR=groups["_R"]) if coefficient is None else
                m.drop_duplicates(ratio_by).assign(_cR=lambda d: d["_c"] * d["_R"]))
    # a group without answers has no estimate (NaN, not the 0 of an empty sum) and n = 0
    result = estimate.groupby(out_by, observed=True)["_cR"].sum(min_count=1).rename("estimate").to_frame()
    present = m[m["n"] > 0]
    result["n"] = m.groupby(out_by, observed=True)["n"].sum().reindex(result.index, fill_value=0)
    psus = (present.groupby(out_by, observed=True)["psu"].nunique() if cube.clustered else result["n"])
    result["df"] = psus - present.groupby(out_by, observed=True)["_stratum"].nunique()
    return result.join(variance).reset_index()


def estimate(cube: Cube, by: list[str], measure: str = "satisfied", weighted: bool = True,
             level: float = 0.95) -> pd.DataFrame:
    """Rate (or mean score) per group with its interval.

    Parameters
    ----------
    cube : from :func:`analysis.cube.memory.build_cube`.
    by : grouping columns: any of period, year, unit_id, channel, group, block,
        level, vertical, and ``item`` or ``component`` (else the index).
    measure : ``"satisfied"`` (4-5), ``"dissatisfied"`` (1-2) or ``"mean"`` (1-5).
    weighted : use survey weights (design-based) or not.

    Returns ``by`` columns plus ``n`` (answers or respondents), ``estimate``,
    ``se``, ``ci_low``, ``ci_high``, ``method`` and ``df`` (design degrees of freedom).
    Shares are proportions in [0, 1].  A row without variance information has
    no interval (NaN ``ci_low``, ``ci_high``) and its reason as ``method``
    (:data:`NOT_ESTIMABLE`): df < 1 (its ``se`` is NaN too; Wilson's interval
    of unweighted item shares stays, it needs no design variance) or a
    linearised share of exactly 0 or 1.

    Examples
    --------
    >>> estimate(cube, ["year"])                       # doctest: +SKIP
    >>> estimate(cube, ["year", "component"], "mean")  # doctest: +SKIP
    """
    if not by:
        return estimate(cube, [ALL], measure, weighted, level).drop(columns=ALL)
    moments = moments_for(cube, by, measure)
    if not weighted:
        moments = unweighted(moments)
    table = linearised(moments, cube, by)
    single = table["df"] < 1  # no variance information: no SE, and no interval but Wilson's
    table["se"] = np.sqrt(table.pop("variance")).mask(single)
    if measure in SHARES and "item" in by and not weighted:
        successes = moments.groupby(by, observed=True)["y"].sum().reindex(
            pd.MultiIndex.from_frame(table[by]) if len(by) > 1 else table[by[0]]).to_numpy()
        low, high = proportion_confint(np.round(successes), table["n"], alpha=1 - level, method="wilson")
        table["ci_low"], table["ci_high"], table["method"] = low, high, "wilson"
        return table[[*by, *ESTIMATE_COLUMNS, "df"]]
    if measure in SHARES:
        table["ci_low"], table["ci_high"] = logit_interval(table["estimate"], table["se"], table["df"], level)
        table["method"] = np.where(table["estimate"].isin([0.0, 1.0]), NOT_ESTIMABLE["edge"],
                                   "linearised, logit interval")
    else:
        z = stats.norm.ppf(0.5 + level / 2)
        table["ci_low"] = table["estimate"] - z * table["se"]
        table["ci_high"] = table["estimate"] + z * table["se"]
        table["method"] = "linearised, Wald interval"
    table["method"] = table["method"].mask(single, NOT_ESTIMABLE["single_psu"])
    return table[[*by, *ESTIMATE_COLUMNS, "df"]]


def logit_interval(p, se, df, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Interval on the logit scale (delta method), t quantile with ``df``; NaN, as R's ``svyciprop``
    gives, for a share of 0 or 1 (no variance on that scale) and for df < 1."""
    p = np.asarray(p, dtype=float)
    se = np.asarray(se, dtype=float)
    df = np.asarray(df, dtype=float)
    t = stats.t.ppf(0.5 + level / 2, np.where(df >= 1, df, np.nan))
    with np.errstate(divide="ignore", invalid="ignore"):
        half = t * se / (p * (1 - p))
        low, high = expit(logit(p) - half), expit(logit(p) + half)
    edge = (p <= 0) | (p >= 1)
    return np.where(edge, np.nan, low), np.where(edge, np.nan, high)


def difference(cube: Cube, by: list[str], column: str, first: str | int, second: str | int,
               measure: str = "satisfied", weighted: bool = True, level: float = 0.95) -> pd.DataFrame:
    """``first`` minus ``second`` of ``column`` (e.g. channel direct - online) per ``by`` group, with its test.

    ``second`` may be :data:`REST`: every other level of ``column`` pooled into one domain (``first``
    against the rest, e.g. one channel of four against the other three).

    Returns ``by`` columns plus both estimates (columns named ``first`` and ``second``), ``difference``,
    ``se``, ``ci_low``, ``ci_high``, ``p_value`` (two-sided, t with the design's df), ``n`` and ``n_min``,
    the respondents of the smaller side (what :func:`suppress` checks a comparison by).  No test (NaN
    ``se``, ``ci_low``, ``ci_high``, ``p_value``) where the design's df < 1 or the SE is zero to
    rounding (:data:`ZERO_SE`): both sides without variance information, or a level against itself.
    """
    if not by:
        return difference(cube, [ALL], column, first, second, measure, weighted, level).drop(columns=ALL)
    ratio_by = [*by, column]
    moments = moments_for(cube, ratio_by, measure)
    if second == REST:  # the other levels as one domain: their rows relabelled, so ratios pool them
        moments = moments.assign(**{column: np.where(moments[column] == first, first, REST)})
    moments = moments[moments[column].isin([first, second])]
    if not weighted:
        moments = unweighted(moments)
    sign = pd.Series(np.where(moments[column] == first, 1.0, -1.0) if first != second else 0.0,  # itself: 0
                     index=moments.index)
    table = linearised(moments, cube, ratio_by, by, sign).rename(columns={"estimate": "difference"})
    sides = linearised(moments, cube, ratio_by)  # each side's ratio mean and respondents (as estimate gives)
    levels = sides.pivot_table(index=by, columns=column, values="estimate")
    levels = levels.reindex(columns=list(dict.fromkeys([first, second])))  # a level without answers: NaN
    smaller = sides.groupby(by, observed=True)["n"].min().where(levels.notna().all(axis=1), 0)
    table = table.merge(levels.reset_index(), on=by, how="left").merge(
        smaller.rename("n_min").reset_index(), on=by, how="left")
    table["n_min"] = table["n_min"].fillna(0).astype(int)
    se = np.sqrt(table.pop("variance"))
    table["se"] = se.mask((table["df"] < 1) | (se <= ZERO_SE * np.maximum(1.0, table["difference"].abs())))
    t = stats.t.ppf(0.5 + level / 2, table["df"])
    table["ci_low"] = table["difference"] - t * table["se"]
    table["ci_high"] = table["difference"] + t * table["se"]
    table["p_value"] = 2 * stats.t.sf(np.abs(table["difference"] / table["se"]), table["df"])
    one_sided = table[list(dict.fromkeys([first, second]))].isna().any(axis=1)  # a side without answers
    table.loc[one_sided, ["difference", "se", "ci_low", "ci_high", "p_value"]] = np.nan
    return table[[*by, first, second, "difference", "se", "ci_low", "ci_high", "p_value", "n", "n_min"]]


def suppress(table: pd.DataFrame, min_cell: int, n_column: str = "n") -> pd.DataFrame:
    """Blank every estimate of a row with fewer than ``min_cell`` respondents; flag it ``suppressed``.

    Counts below the minimum are blanked too, so a small group is not revealed.
    """
    table = table.copy()
    small = table[n_column].lt(min_cell).fillna(False).to_numpy(dtype=bool)
    if "suppressed" in table:  # suppressed before: stays suppressed (its n is blank now)
        small |= table["suppressed"].fillna(True).to_numpy(dtype=bool)
    for column in table.select_dtypes("number").columns.drop(["year", "previous"], errors="ignore"):  # years stay
        kind = "Int64" if pd.api.types.is_integer_dtype(table[column]) else "Float64"
        table[column] = table[column].astype(kind).mask(small)
    table["suppressed"] = small
    return table
