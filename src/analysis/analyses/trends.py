"""Where did the trend break, and was it real or a change of method?

- :func:`year_on_year`: each year against the one before, with the test of the
  difference given both years' sampling error (design-based, from the cube).
- :func:`shift_test`: a level shift (and optionally a slope change) at a known
  year in a short annual series, weighted by each year's sampling variance, so
  the test rests on every answer behind the yearly estimates rather than on
  ten points alone.  Year-to-year variation beyond sampling error is added as
  a between-year variance (method of moments) so the test is not overconfident.
- :func:`labelled_breaks`: Bai-Perron breaks (:mod:`analysis.analyses.breaks`) with each
  break labelled a possible method break when a methodology event of the
  measure falls inside its interval.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from analysis.analyses.breaks import breakpoints, chow_test
from analysis.analyses.indices import difference
from analysis.cube.memory import Cube


def year_on_year(cube: Cube, measure: str = "satisfied") -> pd.DataFrame:
    """Every year against the previous one: ``year, previous, difference, se, ci_low, ci_high, p_value`` and
    ``n_min``, the respondents of the smaller year (to suppress by)."""
    years = sorted(cube.scores["year"].unique())
    rows = []
    for before, after in zip(years, years[1:]):
        row = difference(cube, [], "year", after, before, measure).iloc[0]
        rows.append({"year": after, "previous": before, "rate": row[after], "rate_previous": row[before],
                     **{k: row[k] for k in ("difference", "se", "ci_low", "ci_high", "p_value", "n_min")}})
    return pd.DataFrame(rows)


def shift_test(index: pd.DataFrame, first_post: int, slope: bool = False) -> pd.Series:
    """Level shift at ``first_post`` in ``rate ~ year`` weighted by ``1 / (se^2 + tau^2)``.

    ``index`` has ``year, rate, se`` (same units).  ``tau^2``, the variation
    between years beyond sampling error, is estimated from the model's
    residuals by the method of moments when their chi-square test says
    sampling error does not explain them (p < 0.05), else 0: adding it always
    made the intervals conservative (99-100% coverage in the tests).
    Returns ``shift, se, ci_low, ci_high, p_value, tau2, slope_change`` (NaN without ``slope``).
    """
    year = index["year"].to_numpy(float)
    post = (year >= first_post).astype(float)
    columns = {"const": np.ones_like(year), "year": year - year.min(), "shift": post}
    if slope:
        columns["slope_change"] = post * (year - first_post)
    X = pd.DataFrame(columns)
    y, variance = index["rate"].to_numpy(float), index["se"].to_numpy(float) ** 2
    first = sm.WLS(y, X, weights=1 / variance).fit()
    q = float(np.sum(first.resid**2 / variance))
    w = 1 / variance
    hat = np.diag(X.to_numpy() @ np.linalg.pinv(X.T.to_numpy() @ (w[:, None] * X.to_numpy())) @ (X.T.to_numpy() * w))
    overdispersed = first.df_resid > 0 and stats.chi2.sf(q, first.df_resid) < 0.05
    tau2 = max(0.0, (q - first.df_resid) / float(np.sum(w * (1 - hat)))) if overdispersed else 0.0
    fit = sm.WLS(y, X, weights=1 / (variance + tau2)).fit(cov_type="fixed scale")
    low, high = fit.conf_int().loc["shift"]
    return pd.Series({"shift": fit.params["shift"], "se": fit.bse["shift"], "ci_low": low, "ci_high": high,
                      "p_value": fit.pvalues["shift"], "tau2": tau2,
                      "slope_change": fit.params.get("slope_change", np.nan)})


def known_year_tests(index: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """For each year: :func:`shift_test` and Chow's F for a change of level and slope in ``rate ~ year``.

    Chow's test needs three years on each side; where there are fewer its columns are missing.  (Its
    Newey-West version, ``breaks.chow_test(hac_lags=)``, is not used here: on 10 yearly points it
    rejected a true trend 42% of the time at the 5% level in a simulation.)
    """
    rows = []
    for year in years:
        before = int((index["year"] < year).sum())
        row = {"year": year, **shift_test(index, year).drop("slope_change").to_dict(),
               "chow_f": np.nan, "chow_p": np.nan}
        if min(before, len(index) - before) > 2:
            chow = chow_test(index["rate"].to_numpy(float), time_trend(index["year"]), break_index=before)
            row.update(chow_f=chow.statistic, chow_p=chow.p_value)
        rows.append(row)
    return pd.DataFrame(rows)


def time_trend(years: pd.Series) -> pd.DataFrame:
    """Regressors ``intercept`` and ``trend`` in years, so that a year left out keeps its gap."""
    years = np.asarray(years, dtype=float)
    return pd.DataFrame({"intercept": 1.0, "trend": years - years.min()})


def applies(applies_to: str, measure: str) -> bool:
    """Whether an event's ``applies_to`` (``all`` or codes separated by ';') covers ``measure``."""
    codes = {c.strip() for c in str(applies_to).split(";")}
    return "all" in codes or measure in codes


def labelled_breaks(series: pd.Series, events: pd.DataFrame, measure: str = "all", x: str | None = None,
                    max_breaks: int = 3, min_size: int | float = 0.15, level: float = 0.95) -> pd.DataFrame:
    """Bai-Perron breaks of a yearly ``series`` (index: year), each labelled ``method`` or ``change``.

    Columns: ``regime_from`` (first year of the new regime), ``first_low``,
    ``first_high`` (its interval), ``before``, ``after`` (segment means of the
    series), ``label`` and ``event`` (the methodology event inside the interval).
    """
    none = pd.DataFrame(columns=["regime_from", "first_low", "first_high", "before", "after", "label", "event"])
    if len(series) < 4:  # too short to look for a break at all
        return none
    fit = breakpoints(series.reset_index(drop=True), x, max_breaks=max_breaks, min_size=min_size)
    if fit.n_breaks == 0:
        return none
    years = series.index.to_numpy()
    n = len(years)
    method = events[(events["kind"] == "methodology") & events["applies_to"].map(lambda a: applies(a, measure))]
    bounds = [0, *fit.breaks(), n]
    rows = []
    for number, row in enumerate(fit.confint(level).itertuples()):
        first = int(years[row.estimate])
        low = int(years[int(np.clip(row.lower, 0, n - 1))]) if not pd.isna(row.lower) else first
        high = int(years[int(np.clip(row.upper, 0, n - 1))]) if not pd.isna(row.upper) else first
        inside = method[(method["date"].dt.year >= low) & (method["date"].dt.year <= high)]
        rows.append({"regime_from": first, "first_low": low, "first_high": high,
                     "before": float(series.iloc[bounds[number]:bounds[number + 1]].mean()),
                     "after": float(series.iloc[bounds[number + 1]:bounds[number + 2]].mean()),
                     "label": "method" if len(inside) else "change",
                     "event": "; ".join(inside["name"]) if len(inside) else ""})
    return pd.DataFrame(rows)
