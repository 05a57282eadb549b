"""Did a policy change satisfaction?  Interrupted time series, difference-in-differences,
event study and synthetic control.

- :func:`interrupted_time_series`: segmented regression with a level and a
  slope change at each intervention (or, ``slope_change=False``, the level
  change only: the common published form), AR(1) errors by feasible GLS
  (default), Newey-West (HAC) or plain OLS standard errors, optional month
  effects, and the counterfactual line with its interval.  AR(1) is the default because
  Newey-West intervals under-cover in series this short: in
  ``tests/test_policy.py``'s simulation (72 months, AR(0.3) errors) a 95%
  Newey-West interval for the level change covered 86% of the time, the
  AR(1) one 92.5%.  The level-only form with OLS errors is R's
  ``lm(y ~ t + law + factor(month))`` (``tests/test_its_methods.py``, on R's ``Seatbelts``).
- :func:`difference_in_differences` and :func:`event_study`: units the policy
  binds against units it does not, unit and period fixed effects, standard
  errors clustered by unit (statsmodels).  Fitted on unit x period cells with
  the cells' weight sums, which gives the respondent-level weighted estimate
  and the same cluster scores.
- :func:`synthetic_control`: one treated unit against a convex combination of
  donors, with placebo-in-space inference.

Each returns a result (:class:`analysis.results.Result`).  ``share`` says whether the
values are proportions (a satisfaction index: effects in percentage points, shown in
percent) or in their own unit (a PAPI score), for the sentences and the display.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import optimize, stats

from analysis.analyses.trends import translated
from analysis.cube.memory import Cube, score_moments


def first_post_period(date: str | pd.Timestamp, kind: str) -> int:
    """The first period fully after a policy dated ``date``, as a period number.

    Years: a policy of 31/3/2017 first shows in 2018 (one of 1/1/2017 in 2017).
    Months are numbered ``year * 12 + month - 1``: a policy of 18/10/2022 first
    shows in November 2022.
    """
    date = pd.Timestamp(date)
    if kind == "year":
        return date.year + (0 if (date.month, date.day) == (1, 1) else 1)
    return date.year * 12 + date.month - 1 + (0 if date.day == 1 else 1)


def period_numbers(periods: pd.Series) -> tuple[np.ndarray, str]:
    """Periods ``"2023"`` or ``"2023-07"`` as consecutive numbers, and their kind."""
    text = periods.astype(str)
    if text.str.fullmatch(r"\d{4}").all():
        return text.astype(int).to_numpy(), "year"
    if text.str.fullmatch(r"\d{4}-\d{2}").all():
        return (text.str.slice(0, 4).astype(int) * 12 + text.str.slice(5, 7).astype(int) - 1).to_numpy(), "month"
    raise ValueError("periods must all be years (2023) or all months (2023-07)")


# --------------------------------------------------------------------------- interrupted time series


EFFECT_COLUMNS = ["intervention", "term", "estimate", "ci_low", "ci_high", "p_value"]


@dataclass(frozen=True)
class InterruptedTimeSeries:
    """A fitted segmented regression: effects, fitted and counterfactual lines."""

    effects: pd.DataFrame      # intervention, term (level / slope / total), estimate, ci_low, ci_high, p_value
    lines: pd.DataFrame        # period, value, fitted, counterfactual, cf_low, cf_high
    errors: str                # "ar1", "newey-west" or "ols"
    single_period: list[str]   # interventions seen in one period only: level from the prediction error
    interventions: dict[str, int]  # name -> first post period number
    events: pd.DataFrame | None = None  # methodology events marked on the figure
    share: bool = True
    slope_change: bool = True  # False: a level change only at each intervention

    @property
    def percent(self) -> tuple[str, ...] | None:
        return None if self.share else ()

    def table(self, lang: str | None = None) -> pd.DataFrame:
        """``effects``; with ``lang`` the terms in the reader's words."""
        return translated(self.effects, lang, term="")

    def summary(self, lang: str = "vi") -> list[str]:
        """The effect of each intervention by the last period."""
        from analysis.reporting.narrative import its_sentences

        return its_sentences(self.effects, self.single_period, lang, self.share)

    def plot(self, lang: str = "vi"):
        """Observed, fitted and counterfactual lines; the interventions and methodology events marked.
        Months are drawn on a scale of years (2023.5 is July 2023), so the axis reads as years."""
        from analysis.reporting.plots import event_marks, interrupted_series

        numbers, kind = period_numbers(self.lines["period"])
        marks = pd.DataFrame({"x": [start - 0.5 for start in self.interventions.values()], "kind": "policy",
                              "name": list(self.interventions)})
        if self.events is not None:
            method = event_marks(self.events[self.events["kind"] == "methodology"], pd.Series(numbers), kind)
            marks = pd.concat([marks, method], ignore_index=True)
        per_year = 12 if kind == "month" else 1
        return interrupted_series(self.lines.assign(x=numbers / per_year), lang,
                                  marks.assign(x=marks["x"] / per_year), share=self.share)


def interrupted_time_series(series: pd.DataFrame, interventions: dict[str, int], seasonal: bool | None = None,
                            errors: str = "ar1", maxlags: int | None = None, level: float = 0.95,
                            events: pd.DataFrame | None = None, share: bool = True,
                            slope_change: bool = True) -> InterruptedTimeSeries:
    """Segmented regression of ``series.value`` on time with a level and slope change per intervention.

    Parameters
    ----------
    series : columns ``period`` (years or ``YYYY-MM`` months) and ``value`` (a share or any other
        measure, e.g. log counts).
    interventions : name -> first post period number (see :func:`first_post_period`).
        An intervention with fewer than 2 post periods gets a level change only.
    seasonal : month effects (default: yes for monthly series with 24+ points).
    errors : ``"ar1"`` (feasible GLS with AR(1) errors), ``"newey-west"`` (OLS, HAC errors) or
        ``"ols"`` (OLS, its plain standard errors).
    maxlags : Newey-West lags (default ``floor(4 (n/100)^(2/9))``, at least 1).
    events : methodology events to mark on the figure (kept on the result).
    share : the values are proportions (see the module notes).
    slope_change : a slope change per intervention besides its level change; without it the
        ``total`` effect is the level change.
    """
    series = series.sort_values("period").reset_index(drop=True)
    t, kind = period_numbers(series["period"])
    y = series["value"].to_numpy(float)
    design = {"const": np.ones(len(t)), "time": (t - t[0]).astype(float)}
    for name, start in interventions.items():
        post = (t >= start).astype(float)
        design[f"{name}|level"] = post
        if slope_change and post.sum() >= 2:
            design[f"{name}|slope"] = post * (t - start)
    if seasonal is None:
        seasonal = kind == "month" and len(t) >= 24
    if seasonal:
        for month in range(1, 12):
            design[f"month_{month}"] = (t % 12 == month).astype(float)
    X = pd.DataFrame(design)
    lags = maxlags if maxlags is not None else max(1, int(np.floor(4 * (len(t) / 100) ** (2 / 9))))
    alpha = 1 - level
    # a level change seen in a single period fits that period exactly, so its HAC variance is
    # meaningless: it is estimated instead as the prediction error of a fit without that period
    single = [n for n, start in interventions.items() if (t >= start).sum() == 1]
    keep = ~np.isin(t, [interventions[n] for n in single]) if single else np.ones(len(t), bool)
    fit_X = X.loc[keep, [c for c in X.columns if c.split("|")[0] not in single]]
    if errors == "ar1":
        fit = sm.GLSAR(y[keep], fit_X, rho=1).iterative_fit(maxiter=50)
    elif errors == "newey-west":
        fit = sm.OLS(y[keep], fit_X).fit(cov_type="HAC", cov_kwds={"maxlags": lags})
    elif errors == "ols":
        fit = sm.OLS(y[keep], fit_X).fit()
    else:
        raise ValueError(f"errors must be 'ar1', 'newey-west' or 'ols', not {errors!r}")

    rows = []
    for name, start in interventions.items():
        if name in single:
            rows.append(prediction_error_row(fit, X, y, t, start, name, alpha))
            continue
        for term in ("level", "slope"):
            column = f"{name}|{term}"
            if column in X:
                rows.append(effect_row(fit, fit_X.columns == column, name, term, alpha))
        weights = np.array([1.0 if c == f"{name}|level" else float(t[-1] - start) if c == f"{name}|slope" else 0.0
                            for c in fit_X.columns])
        rows.append(effect_row(fit, weights, name, "total", alpha))
    counterfactual_X = X[fit_X.columns].copy()
    counterfactual_X[[c for c in fit_X.columns if "|" in c]] = 0.0
    cf = fit.get_prediction(counterfactual_X).summary_frame(alpha=alpha)
    lines = pd.DataFrame({"period": series["period"], "value": y,
                          "fitted": fit.predict(X[fit_X.columns]).to_numpy(),
                          "counterfactual": cf["mean"].to_numpy(), "cf_low": cf["mean_ci_lower"].to_numpy(),
                          "cf_high": cf["mean_ci_upper"].to_numpy()})
    return InterruptedTimeSeries(pd.DataFrame(rows, columns=EFFECT_COLUMNS), lines, errors, single,
                                 dict(interventions), events, share, slope_change)


def effect_row(fit, weights, name: str, term: str, alpha: float) -> dict:
    """A linear combination of coefficients with its interval and p-value."""
    test = fit.t_test(np.asarray(weights, dtype=float).reshape(1, -1))
    low, high = np.asarray(test.conf_int(alpha=alpha)).ravel()
    return {"intervention": name, "term": term, "estimate": float(np.asarray(test.effect).ravel()[0]),
            "ci_low": float(low), "ci_high": float(high), "p_value": float(np.asarray(test.pvalue).ravel()[0])}


def prediction_error_row(fit, X: pd.DataFrame, y: np.ndarray, t: np.ndarray, start: int, name: str,
                         alpha: float) -> dict:
    """Level change of an intervention seen in one period: observed minus predicted, prediction interval."""
    at = np.flatnonzero(t == start)[0]
    row = X.iloc[[at]][fit.model.exog_names]  # earlier interventions stay in force
    predicted = fit.get_prediction(row)
    rho = float(np.ravel(getattr(fit.model, "rho", 0.0))[0])
    se = float(np.sqrt(predicted.var_pred_mean[0] + fit.scale / (1 - rho**2)))  # marginal error variance
    gap = float(y[at] - predicted.predicted_mean[0])
    q = stats.t.ppf(1 - alpha / 2, fit.df_resid)
    return {"intervention": name, "term": "total", "estimate": gap, "ci_low": gap - q * se, "ci_high": gap + q * se,
            "p_value": float(2 * stats.t.sf(abs(gap) / se, fit.df_resid))}


# --------------------------------------------------------------------------- panels


def unit_period_panel(cube: Cube, measure: str = "satisfied") -> pd.DataFrame:
    """Unit x year cells of the index: ``unit_id, year, value`` (weighted mean), ``weight``, ``n``."""
    m = score_moments(cube, measure, "index", ["unit_id", "year"])
    cells = m.groupby(["unit_id", "year"], observed=True)[["n", "w", "wy"]].sum().reset_index()
    cells = cells[cells["w"] > 0]
    return pd.DataFrame({"unit_id": cells["unit_id"], "year": cells["year"], "value": cells["wy"] / cells["w"],
                         "weight": cells["w"], "n": cells["n"]}).reset_index(drop=True)


def panel_from_series(series: pd.DataFrame) -> pd.DataFrame:
    """A unit-level series (one measure, yearly) as a panel: ``unit_id, year, value, weight, n``."""
    years, kind = period_numbers(series["period"])
    if kind != "year":
        raise ValueError("the panel methods work on yearly series")
    n = series["n"].fillna(1).to_numpy() if "n" in series else np.ones(len(series))
    return pd.DataFrame({"unit_id": series["unit_id"].to_numpy(), "year": years,
                         "value": series["value"].to_numpy(float), "weight": 1.0, "n": n})


@dataclass(frozen=True)
class DifferenceInDifferences:
    """Policy effects from two-way fixed-effects panel regressions.

    ``effects``: ``policy, estimate, se, ci_low, ci_high, p_value`` (plus ``first_year, last_year``, the
    window of each policy's own regression, from :func:`did_by_policy`) and ``clusters``, the units
    behind each estimate; ``clusters`` (the field) the units of the panel.
    """

    effects: pd.DataFrame
    clusters: int
    share: bool = True

    @property
    def percent(self) -> tuple[str, ...] | None:
        return None if self.share else ()

    def table(self, lang: str | None = None) -> pd.DataFrame:
        return self.effects

    def summary(self, lang: str = "vi") -> list[str]:
        """One sentence per policy."""
        from analysis.reporting.narrative import did_sentence

        return [did_sentence(row, int(row["clusters"]), lang, self.share) for _, row in self.effects.iterrows()]

    def plot(self, lang: str = "vi") -> None:
        return None


def fixed_effects_fit(panel: pd.DataFrame, regressors: pd.DataFrame, weighted: bool):
    """WLS of value on regressors plus unit and year fixed effects, SEs clustered by unit."""
    units = pd.get_dummies(panel["unit_id"], prefix="u", drop_first=True, dtype=float)
    years = pd.get_dummies(panel["year"], prefix="y", drop_first=True, dtype=float)
    X = pd.concat([regressors.reset_index(drop=True), units.reset_index(drop=True), years.reset_index(drop=True)],
                  axis=1)
    X.insert(0, "const", 1.0)
    weights = panel["weight"].to_numpy(float) if weighted else np.ones(len(panel))
    groups = pd.factorize(panel["unit_id"])[0]
    return sm.WLS(panel["value"].to_numpy(float), X, weights=weights).fit(
        cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)


def difference_in_differences(panel: pd.DataFrame, treated: pd.Series, policies: dict[str, int],
                              weighted: bool = True, level: float = 0.95,
                              share: bool = True) -> DifferenceInDifferences:
    """Effect of each policy on treated units: ``value ~ unit + year + sum_k treated x post_k``.

    ``treated`` is a boolean per ``unit_id``; ``policies`` maps name -> first
    post year.  Effects of later policies are the additional change on top of
    earlier ones.
    """
    bound = panel["unit_id"].map(treated).astype(float).to_numpy()
    regressors = pd.DataFrame({name: bound * (panel["year"].to_numpy() >= start)
                               for name, start in policies.items()})
    fit = fixed_effects_fit(panel, regressors, weighted)
    ci = fit.conf_int(alpha=1 - level)
    effects = pd.DataFrame({"policy": list(policies), "estimate": fit.params[list(policies)].to_numpy(),
                            "se": fit.bse[list(policies)].to_numpy(),
                            "ci_low": ci.loc[list(policies), 0].to_numpy(),
                            "ci_high": ci.loc[list(policies), 1].to_numpy(),
                            "p_value": fit.pvalues[list(policies)].to_numpy()})
    clusters = int(panel["unit_id"].nunique())
    return DifferenceInDifferences(effects.assign(clusters=clusters), clusters, share)


def did_by_policy(panel: pd.DataFrame, treated: pd.Series, policies: dict[str, int],
                  weighted: bool = True, share: bool = True) -> DifferenceInDifferences:
    """One difference-in-differences per policy, each on its own window of years.

    Policy k is estimated on the years from the previous policy's first post
    year (or the start) to the year before the next policy, so each effect is
    the change that policy brought on top of those before it.
    """
    starts = sorted(policies.items(), key=lambda item: item[1])
    rows = []
    for k, (name, start) in enumerate(starts):
        low = starts[k - 1][1] if k else panel["year"].min()
        high = starts[k + 1][1] - 1 if k + 1 < len(starts) else panel["year"].max()
        window = panel[(panel["year"] >= low) & (panel["year"] <= high)]
        effects = difference_in_differences(window, treated, {name: start}, weighted).effects
        rows.append(effects.drop(columns="clusters").assign(first_year=low, last_year=high,
                                                            clusters=effects["clusters"]))
    return DifferenceInDifferences(pd.concat(rows, ignore_index=True), int(panel["unit_id"].nunique()), share)


def policies_from_events(events: pd.DataFrame, kind: str = "year", applies_to: str = "provincial",
                         periods: pd.Series | None = None) -> dict[str, int]:
    """Policy events binding ``applies_to`` as name -> first post period, inside the data's periods."""
    chosen = events[(events["kind"] == "policy") & (events["applies_to"] == applies_to)]
    policies = {row.name: first_post_period(row.date, kind) for row in chosen.itertuples()}
    if periods is not None:
        numbers, _ = period_numbers(periods)
        policies = {n: p for n, p in policies.items() if numbers.min() < p <= numbers.max()}
    return policies


@dataclass(frozen=True)
class EventStudy:
    """Leads and lags of a policy with intervals, and the joint test of no pre-trend."""

    coefficients: pd.DataFrame  # event_time, estimate, ci_low, ci_high (event time -1 is the reference, 0)
    pretrend_p_value: float
    share: bool = True

    @property
    def percent(self) -> tuple[str, ...] | None:
        return None if self.share else ()

    def table(self, lang: str | None = None) -> pd.DataFrame:
        return self.coefficients

    def summary(self, lang: str = "vi") -> list[str]:
        """The verdict of the joint test of the leads."""
        from analysis.reporting.narrative import pretrend_sentence

        return [pretrend_sentence(self.pretrend_p_value, lang)]

    def plot(self, lang: str = "vi"):
        from analysis.reporting.plots import event_time_effects

        return event_time_effects(self.coefficients, lang, self.share)


def event_study(panel: pd.DataFrame, treated: pd.Series, first_post: int, weighted: bool = True,
                level: float = 0.95, share: bool = True) -> EventStudy:
    """Treated-minus-comparison differences by year relative to ``first_post`` (-1 = reference)."""
    bound = panel["unit_id"].map(treated).astype(bool).to_numpy()
    event_time = panel["year"].to_numpy() - first_post
    times = sorted(set(event_time) - {-1})
    regressors = pd.DataFrame({f"e{e}": (bound & (event_time == e)).astype(float) for e in times})
    fit = fixed_effects_fit(panel, regressors, weighted)
    names = [f"e{e}" for e in times]
    ci = fit.conf_int(alpha=1 - level).loc[names]
    table = pd.DataFrame({"event_time": times, "estimate": fit.params[names].to_numpy(),
                          "ci_low": ci[0].to_numpy(), "ci_high": ci[1].to_numpy()})
    table = pd.concat([table, pd.DataFrame({"event_time": [-1], "estimate": [0.0], "ci_low": [0.0],
                                            "ci_high": [0.0]})]).sort_values("event_time").reset_index(drop=True)
    leads = [f"e{e}" for e in times if e < -1]
    p_value = float(fit.wald_test(" = 0, ".join(leads) + " = 0", scalar=True).pvalue) if leads else float("nan")
    return EventStudy(table, p_value, share)


# --------------------------------------------------------------------------- synthetic control


@dataclass(frozen=True)
class SyntheticControl:
    """A treated unit, its synthetic twin and the placebo distribution."""

    unit: str
    weights: pd.Series          # donor -> weight
    lines: pd.DataFrame         # year, treated, synthetic
    effect: float               # mean post-period gap
    placebos: pd.DataFrame      # unit_id, unit_name, rmspe_ratio (post / pre), gap
    p_value: float              # share of units whose ratio is at least the treated one's
    first_post: int
    unit_name: str
    share: bool = True

    @property
    def percent(self) -> tuple[str, ...] | None:
        return None if self.share else ()

    def table(self, lang: str | None = None) -> pd.DataFrame:
        return self.placebos

    def summary(self, lang: str = "vi") -> list[str]:
        """The mean post-period gap and its placebo p-value."""
        from analysis.reporting.narrative import synthetic_sentence

        return [synthetic_sentence(self.unit_name, self.effect, self.p_value, len(self.weights), lang, self.share)]

    def plot(self, lang: str = "vi"):
        from analysis.reporting.plots import synthetic_twin

        return synthetic_twin(self.lines, self.first_post, self.unit_name, lang, self.share)


def synthetic_weights(target: np.ndarray, donors: np.ndarray) -> np.ndarray:
    """Non-negative weights summing to 1 that best reproduce ``target`` (rows: pre periods).

    Solved as non-negative least squares with the sum constraint added as a
    heavily weighted extra row (Lawson-Hanson's active set method is exact and
    deterministic, so reruns give the same weights to the last digit).
    """
    penalty = 1e4 * max(1.0, float(np.abs(donors).max()))
    system = np.vstack([donors, np.full((1, donors.shape[1]), penalty)])
    weights, _ = optimize.nnls(system, np.append(target, penalty))
    return weights / weights.sum()


def synthetic_control(panel: pd.DataFrame, unit: str, donors: list[str], first_post: int,
                      names: Mapping[str, str] | None = None, share: bool = True) -> SyntheticControl:
    """Synthetic control for ``unit`` from ``donors`` with placebo-in-space inference.

    Years where the unit has no value are left out, and so are donors missing any remaining year.
    ``names`` (unit id -> name) names the units in the placebo table and the sentence.
    """
    wide = panel.pivot_table(index="year", columns="unit_id", values="value").sort_index()
    wide = wide[wide[unit].notna()]
    donors = [d for d in donors if d in wide and wide[d].notna().all()]
    pre = wide.index < first_post

    def fit(target: str, pool: list[str]) -> tuple[np.ndarray, pd.Series]:
        w = synthetic_weights(wide.loc[pre, target].to_numpy(), wide.loc[pre, pool].to_numpy())
        return w, wide[pool].to_numpy() @ w

    def ratio(actual: pd.Series, synthetic: np.ndarray) -> tuple[float, float]:
        gap = actual.to_numpy() - synthetic
        rmspe_pre = np.sqrt(np.mean(gap[pre] ** 2))
        return np.sqrt(np.mean(gap[~pre] ** 2)) / max(rmspe_pre, 1e-12), float(np.mean(gap[~pre]))

    weights, synthetic = fit(unit, donors)
    placebo_rows = [{"unit_id": unit, **dict(zip(("rmspe_ratio", "gap"), ratio(wide[unit], synthetic), strict=True))}]
    for donor in donors:
        others = [d for d in donors if d != donor]
        _, placebo = fit(donor, others)
        placebo_rows.append({"unit_id": donor, **dict(zip(("rmspe_ratio", "gap"), ratio(wide[donor], placebo),
                                                                strict=True))})
    placebos = pd.DataFrame(placebo_rows)
    names = {} if names is None else dict(names)
    placebos.insert(1, "unit_name", placebos["unit_id"].map(lambda u: names.get(u, u)))
    treated_ratio = placebos.loc[0, "rmspe_ratio"]
    p_value = float((placebos["rmspe_ratio"] >= treated_ratio).mean())
    lines = pd.DataFrame({"year": wide.index, "treated": wide[unit].to_numpy(), "synthetic": synthetic})
    return SyntheticControl(unit, pd.Series(weights, index=donors), lines, float(placebos.loc[0, "gap"]),
                            placebos, p_value, first_post, names.get(unit, unit), share)

