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
- :func:`stability_tests`: sup-F and CUSUM tests of one linear trend.

Each returns a result (:class:`analysis.results.Result`: ``table()``, ``summary(lang)``,
``plot(lang)``).  A yearly series is a table ``year, estimate, se`` (and ``ci_low``,
``ci_high`` when known); ``share`` says whether it holds proportions (a satisfaction
index: changes in percentage points, shown in percent) or values in their own unit
(a PAPI score), for the sentences and the display.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from analysis.analyses.breaks import breakpoints, chow_test, cusum, sup_f_test
from analysis.analyses.indices import difference, suppress
from analysis.cube.memory import Cube

BREAK_COLUMNS = ["regime_from", "first_low", "first_high", "before", "after", "label", "event"]


def translated(table: pd.DataFrame, lang: str | None, **columns: str) -> pd.DataFrame:
    """``table`` with the codes of ``columns`` (column -> label prefix) in the reader's words; as is
    without ``lang``."""
    if lang is None:
        return table
    from analysis.reporting.labels import label

    return table.assign(**{c: table[c].map(lambda code, p=prefix: label(f"{p}{code}", lang))
                           for c, prefix in columns.items()})


# --------------------------------------------------------------------------- year on year


@dataclass(frozen=True)
class YearOnYear:
    """Each year against the one before (proportions); a year under ``min_cell`` respondents is suppressed.

    ``changes``: ``year, previous, estimate, previous_estimate, difference, se, ci_low, ci_high, p_value,
    n_min, suppressed``.  The sentences are those of the changes beyond sampling error and of the years in
    ``highlight`` (the known years the section tests).
    """

    changes: pd.DataFrame
    highlight: tuple[int, ...] = ()

    percent = None  # the default share columns

    def table(self, lang: str | None = None) -> pd.DataFrame:
        return self.changes

    def summary(self, lang: str = "vi") -> list[str]:
        """Which years are told and why, then one sentence per such year (the table has every year)."""
        from analysis.reporting.narrative import change_sentence, say

        told = [change_sentence(pd.Series(row._asdict()), row.previous, row.year, lang)
                for row in self.changes.itertuples()
                if (not row.suppressed and row.p_value < 0.05) or row.year in self.highlight]
        known = ", ".join(str(year) for year in self.highlight)
        return [say("yoy_which_known" if known else "yoy_which", lang, years=known), *told]

    def plot(self, lang: str = "vi") -> None:
        return None


def year_on_year(cube: Cube, measure: str = "satisfied", min_cell: int = 0,
                 highlight: tuple[int, ...] | list[int] = ()) -> YearOnYear:
    """Every year against the previous one, with the test of the difference given both years' sampling error.

    ``n_min`` is the respondents of the smaller year; rows under ``min_cell`` are suppressed.
    """
    years = sorted(cube.scores["year"].unique())
    rows = []
    for before, after in zip(years, years[1:], strict=False):
        row = difference(cube, [], "year", after, before, measure).iloc[0]
        rows.append({"year": after, "previous": before, "estimate": row[after], "previous_estimate": row[before],
                     **{k: row[k] for k in ("difference", "se", "ci_low", "ci_high", "p_value", "n_min")}})
    return YearOnYear(suppress(pd.DataFrame(rows), min_cell, "n_min"), tuple(int(y) for y in highlight))


# --------------------------------------------------------------------------- known years


def shift_test(index: pd.DataFrame, first_post: int, slope: bool = False) -> pd.Series:
    """Level shift at ``first_post`` in ``estimate ~ year`` weighted by ``1 / (se^2 + tau^2)``.

    ``index`` has ``year, estimate, se`` (same units).  ``tau^2``, the variation
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
    y, variance = index["estimate"].to_numpy(float), index["se"].to_numpy(float) ** 2
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


@dataclass(frozen=True)
class KnownYearTests:
    """A level-shift test and Chow's F at each known year.

    ``tests``: ``year, shift, se, ci_low, ci_high, p_value, tau, chow_f, chow_p``; ``tau`` is the
    between-year standard deviation beyond sampling error (the square root of :func:`shift_test`'s
    ``tau2``), in the series' unit like ``shift``.
    """

    tests: pd.DataFrame
    share: bool = True

    @property
    def percent(self) -> tuple[str, ...]:
        return ("shift", "se", "ci_low", "ci_high", "tau") if self.share else ()

    def table(self, lang: str | None = None) -> pd.DataFrame:
        return self.tests

    def summary(self, lang: str = "vi") -> list[str]:
        from analysis.reporting.narrative import shift_sentence

        return [shift_sentence(pd.Series(row._asdict()), row.year, lang, self.share) for row in self.tests.itertuples()]

    def plot(self, lang: str = "vi") -> None:
        return None


def known_year_tests(index: pd.DataFrame, years: list[int], share: bool = True) -> KnownYearTests:
    """For each year: :func:`shift_test` and Chow's F for a change of level and slope in ``estimate ~ year``.

    Chow's test needs three years on each side; where there are fewer its columns are missing.  (Its
    Newey-West version, ``breaks.chow_test(hac_lags=)``, is not used here: on 10 yearly points it
    rejected a true trend 42% of the time at the 5% level in a simulation.)
    """
    rows = []
    for year in years:
        before = int((index["year"] < year).sum())
        shift = shift_test(index, year).drop("slope_change")
        row = {"year": year, **shift.drop("tau2").to_dict(), "tau": float(np.sqrt(shift["tau2"])),
               "chow_f": np.nan, "chow_p": np.nan}
        if min(before, len(index) - before) > 2:
            chow = chow_test(index["estimate"].to_numpy(float), time_trend(index["year"]), break_index=before)
            row.update(chow_f=chow.statistic, chow_p=chow.p_value)
        rows.append(row)
    columns = ["year", "shift", "se", "ci_low", "ci_high", "p_value", "tau", "chow_f", "chow_p"]
    return KnownYearTests(pd.DataFrame(rows, columns=columns), share)


def time_trend(years: pd.Series) -> pd.DataFrame:
    """Regressors ``intercept`` and ``trend`` in years, so that a year left out keeps its gap."""
    years = np.asarray(years, dtype=float)
    return pd.DataFrame({"intercept": 1.0, "trend": years - years.min()})


# --------------------------------------------------------------------------- unknown dates


def applies(applies_to: str, measure: str) -> bool:
    """Whether an event's ``applies_to`` (``all`` or codes separated by ';') covers ``measure``."""
    codes = {c.strip() for c in str(applies_to).split(";")}
    return "all" in codes or measure in codes


@dataclass(frozen=True)
class LabelledBreaks:
    """Bai-Perron breaks of a yearly series, each labelled ``method`` or ``change``.

    ``found``: ``regime_from`` (first year of the new regime), ``first_low``, ``first_high`` (its
    interval), ``before``, ``after`` (segment means of the series), ``label`` and ``event`` (the
    methodology event inside the interval).  ``series`` is the series (index: year), ``events`` the
    events drawn on the figure.
    """

    found: pd.DataFrame
    series: pd.Series
    events: pd.DataFrame
    share: bool = True

    @property
    def percent(self) -> tuple[str, ...]:
        return ("before", "after") if self.share else ()

    def unconfirmed(self) -> LabelledBreaks:
        """The same breaks read ``unconfirmed``: the stability tests do not reject a stable trend, so the
        dates the search proposes are candidates, not findings (the verdict rule of
        :class:`analysis.sections.trends.BreakHeadline`)."""
        return replace(self, found=self.found.assign(label="unconfirmed"))

    def table(self, lang: str | None = None) -> pd.DataFrame:
        """``found``; with ``lang`` the labels in the reader's words."""
        return translated(self.found, lang, label="break.")

    def summary(self, lang: str = "vi") -> list[str]:
        from analysis.reporting.narrative import break_sentences

        return break_sentences(self.found, lang, self.share)

    def plot(self, lang: str = "vi", index: pd.DataFrame | None = None):
        """The series (or ``index``: ``year, estimate`` and its ``ci_low, ci_high`` band) with the breaks' intervals."""
        from analysis.reporting.plots import trend_with_breaks

        if index is None:
            index = pd.DataFrame({"year": self.series.index, "estimate": self.series.to_numpy()})
        return trend_with_breaks(index, self.found, self.events, lang, self.share)


def labelled_breaks(series: pd.Series, events: pd.DataFrame, measure: str = "all", x: str | None = None,
                    max_breaks: int = 3, min_size: int | float = 0.15, level: float = 0.95,
                    share: bool = True) -> LabelledBreaks:
    """Bai-Perron breaks of a yearly ``series`` (index: year), each labelled against the methodology events
    of ``measure``.  A series too short for two segments of ``min_size`` (or under 4 years) has none."""
    none = LabelledBreaks(pd.DataFrame(columns=BREAK_COLUMNS), series, events, share)
    h = int(np.floor(min_size * len(series))) if min_size < 1 else int(min_size)
    if len(series) < 4 or len(series) <= 2 * h:  # too short to look for a break at all
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
    return LabelledBreaks(pd.DataFrame(rows, columns=BREAK_COLUMNS), series, events, share)


# --------------------------------------------------------------------------- stability


@dataclass(frozen=True)
class StabilityTests:
    """sup-F and the OLS and recursive CUSUM tests of one linear trend, or none when the series is too short.

    ``tests``: rows ``method`` (``sup_f``, ``cusum_ols``, ``cusum_recursive``), ``statistic``,
    ``p_value``, ``n`` and, for sup-F, ``break`` (the years before the likeliest break); ``years`` the
    years of the series.
    """

    tests: pd.DataFrame
    years: pd.Series
    min_years: int = 6

    percent = ()
    ALPHA = 0.05

    @property
    def unstable(self) -> bool | None:
        """The rule: the trend is unstable when sup-F or the OLS-CUSUM rejects it at 5%, Bonferroni-adjusted
        (twice the smaller p-value below 0.05); None when the series is too short for the tests."""
        if self.tests.empty:
            return None
        p = self.tests.set_index("method")["p_value"]
        return bool(2 * min(p["sup_f"], p["cusum_ols"]) < self.ALPHA)

    def table(self, lang: str | None = None) -> pd.DataFrame:
        """``method, test_statistic, p_value, years``; with ``lang`` the methods in the reader's words.
        No columns when the series is too short."""
        if self.tests.empty:
            return pd.DataFrame()
        shown = self.tests[["method", "statistic", "p_value", "n"]].rename(columns={"statistic": "test_statistic",
                                                                                    "n": "years"})
        return translated(shown, lang, method="")

    def summary(self, lang: str = "vi") -> list[str]:
        from analysis.reporting import narrative

        if self.tests.empty:
            return [narrative.say("too_few_years", lang, years=len(self.years))]
        return [narrative.stability_sentence(self.tests, self.years, bool(self.unstable), lang)]

    def plot(self, lang: str = "vi") -> None:
        return None


def stability_tests(index: pd.DataFrame, min_years: int = 6) -> StabilityTests:
    """The tests of :class:`StabilityTests` on ``estimate ~ year`` (``index``: ``year, estimate``)."""
    years = index["year"].reset_index(drop=True)
    if len(index) < min_years:
        return StabilityTests(pd.DataFrame(), years, min_years)
    values, trend = index.set_index("year")["estimate"], time_trend(index["year"])
    tests = pd.concat([sup_f_test(values, trend).table(), cusum(values, trend).table(),
                       cusum(values, trend, kind="recursive").table()], ignore_index=True)
    return StabilityTests(tests, years, min_years)
