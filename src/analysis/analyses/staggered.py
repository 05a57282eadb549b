"""A policy adopted by different agencies at different dates: group-time effects (Callaway and Sant'Anna).

With staggered adoption the two-way fixed-effects difference-in-differences compares later adopters
with agencies already treated, whose own effect is still changing, so it can be biased (even of the
wrong sign) when effects grow with time since adoption.  :func:`group_time_effects` estimates instead
one simple difference-in-differences per adoption cohort ``g`` and year ``t``, ATT(g, t), each against
agencies not (yet) treated, and averages them by cohort, by time since adoption (the event study) and
overall, with intervals from the influence functions; the agency is the cluster.  It is R ``did``'s
``att_gt`` without covariates (``xformla = ~1``, ``base_period = "varying"``, analytic standard errors),
and matches it on ``mpdta`` (``tests/test_staggered.py``; ``tests/reference/make_mpdta_reference.py``).

The two-way fixed-effects estimate is kept beside it (:class:`TwoWayFixedEffects`) with the share of
treated cells it weights negatively (de Chaisemartin and D'Haultfœuille 2020): the sentence on why the
two differ.  Input is the unit x year panel of :func:`analysis.analyses.policy.unit_period_panel`
(``unit_id, year, value, weight, n``); an agency's weight is its mean cell weight (the people it stands
for), fixed over time as the estimator requires.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from analysis.analyses.policy import fixed_effects_fit

CONTROLS = ("never", "notyet")  # never-treated agencies, or those not yet treated in both years compared


@dataclass(frozen=True)
class TwoWayFixedEffects:
    """The static two-way fixed-effects estimate on the same panel, and how it weights the treated cells."""

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    negative_cells: int  # treated agency-years the regression weights negatively
    treated_cells: int


@dataclass(frozen=True)
class StaggeredDiD:
    """Group-time effects of one policy and their averages.

    ``group_time``: ``cohort, year, event_time, base_year, post, estimate, se, ci_low, ci_high, n_treated,
    n_comparison``; ``by_event_time``: ``event_time, estimate, se, ci_low, ci_high`` (the event study: before
    adoption, year-on-year differences, so 0 under parallel trends); ``by_cohort``: ``cohort, estimate, se,
    ci_low, ci_high, agencies, cohort_weight`` (its share of the overall effect); ``overall``: the average
    over cohorts of each cohort's mean effect after adoption, weighted by the cohort's size (Callaway and
    Sant'Anna's preferred summary), as ``estimate, se, ci_low, ci_high, p_value``; ``pretrend``: the joint
    Wald test that every pre-adoption effect is 0 (:func:`pretrend_test`).
    """

    policy: str
    group_time: pd.DataFrame
    by_event_time: pd.DataFrame
    by_cohort: pd.DataFrame
    overall: pd.Series
    pretrend: pd.Series
    twfe: TwoWayFixedEffects
    control: str
    clusters: int
    never_treated: int  # agencies not treated in the panel
    dropped: tuple[str, ...] = ()  # agencies treated from the first year: no year before to compare
    share: bool = True

    @property
    def percent(self) -> tuple[str, ...] | None:
        return None if self.share else ()

    def table(self, lang: str | None = None) -> pd.DataFrame:
        """The group-time effects (shown without ``post``: the years since adoption say it)."""
        return self.group_time if lang is None else self.group_time.drop(columns="post")

    def verdict_row(self) -> pd.Series:
        """The policy's row of the section's verdict table (:attr:`analysis.sections.policy.PolicyHeadline.
        verdicts`): the overall effect, who adopted when, the two-way fixed-effects estimate and the pre-trend
        test."""
        cohorts = self.by_cohort
        comparison = self.never_treated if self.control == "never" else int(self.group_time["n_comparison"].max())
        return pd.Series({"policy": self.policy, "design": "staggered", **self.overall.to_dict(),
                          "clusters": self.clusters, "first_year": int(self.group_time["year"].min()) - 1,
                          "last_year": int(self.group_time["year"].max()),
                          "cohorts": ", ".join(f"{c} ({n})" for c, n in zip(cohorts["cohort"], cohorts["agencies"],
                                                                            strict=True)),
                          "adopters": int(cohorts["agencies"].sum()), "never_adopted": comparison,
                          "twfe_estimate": self.twfe.estimate, "twfe_ci_low": self.twfe.ci_low,
                          "twfe_ci_high": self.twfe.ci_high, "twfe_negative": self.twfe.negative_cells,
                          "twfe_cells": self.twfe.treated_cells, "pretrend_p_value": self.pretrend["p_value"],
                          "pretrend_df": int(self.pretrend["df"])})

    def summary(self, lang: str = "vi") -> list[str]:
        """The pre-trend test and what a violation would mean (the effect and the two-way fixed-effects
        estimate are the verdict's sentences: :func:`analysis.reporting.narrative.policy_verdict`)."""
        from analysis.reporting.narrative import staggered_sentences

        return staggered_sentences(self.verdict_row(), lang, self.share)[2:]

    def plot(self, lang: str = "vi"):
        from analysis.reporting.plots import event_time_effects

        return event_time_effects(self.by_event_time, lang, self.share)


def group_time_effects(panel: pd.DataFrame, adoption: pd.Series, policy: str = "", *, control: str = "never",
                       weighted: bool = True, small_sample: bool = True, level: float = 0.95,
                       share: bool = True) -> StaggeredDiD:
    """Callaway and Sant'Anna's ATT(g, t) of a policy adopted at ``adoption`` (unit id -> first year under
    the policy; missing, or after the panel's last year: not treated in the panel).

    ``control`` is ``"never"`` (agencies never treated in the panel) or ``"notyet"`` (also those adopting
    after both years compared).  A cohort's effect in year ``t`` is the change of its mean from the year
    before adoption (before adoption: from the year before ``t``) minus the comparison agencies' change;
    agencies seen in only one of the two years are left out of that cell.  Intervals are normal, from
    the influence functions (the agency is the cluster); ``small_sample=False`` gives R ``did``'s analytic
    ones exactly, the default scales each group's part by n / (n - 1), which a few dozen agencies need.
    """
    if control not in CONTROLS:
        raise ValueError(f"control must be one of {CONTROLS}, not {control!r}")
    wide = panel.pivot_table(index="unit_id", columns="year", values="value", observed=True).sort_index(axis=1)
    years = wide.columns.to_numpy(int)
    first = adoption.reindex(wide.index).astype(float)
    first = first.where(first <= years[-1])  # adopting after the panel: never treated in it
    dropped = tuple(first.index[first <= years[0]])
    keep = ~(first <= years[0]).to_numpy()
    wide, first = wide[keep], first[keep]
    weight = (panel.groupby("unit_id", observed=True)["weight"].mean().reindex(wide.index).to_numpy(float)
              if weighted else np.ones(len(wide)))
    weight = weight / weight.mean()
    y, g = wide.to_numpy(float), first.to_numpy(float)
    cohorts = sorted({int(c) for c in g[~np.isnan(g)]})
    cells, influence = [], []
    for cohort in cohorts:
        start = int(np.searchsorted(years, cohort))
        for k in range(1, len(years)):
            post = years[k] >= cohort
            base = start - 1 if post else k - 1
            change = y[:, k] - y[:, base]
            seen = ~np.isnan(change)
            treated = seen & (g == cohort)
            later = max(years[k], years[base])
            comparison = seen & (np.isnan(g) if control == "never" else (np.isnan(g) | (g > later)) & (g != cohort))
            if not treated.any() or not comparison.any():
                continue
            estimate, psi = mean_difference(change, weight, treated, comparison, small_sample)
            cells.append({"cohort": cohort, "year": int(years[k]), "event_time": int(years[k]) - cohort,
                          "base_year": int(years[base]), "post": bool(post), "estimate": estimate,
                          "n_treated": int(treated.sum()), "n_comparison": int(comparison.sum())})
            influence.append(psi)
    if not cells:
        raise ValueError(f"policy {policy!r}: no adoption cohort has both a year before adoption and a comparison")
    table = pd.DataFrame(cells)
    psi = np.column_stack(influence)
    z = stats.norm.ppf(0.5 + level / 2)
    table = with_interval(table, psi, z)
    estimates, cohort_of, post = table["estimate"].to_numpy(), table["cohort"].to_numpy(), table["post"].to_numpy()
    by_event = [(e, *by_size(estimates[at], psi[:, at], cohort_of[at], g, weight))
                for e in sorted(table["event_time"].unique()) for at in [table["event_time"].to_numpy() == e]]
    by_cohort = [(c, float(estimates[at].mean()), psi[:, at].mean(axis=1)) for c in cohorts
                 for at in [post & (cohort_of == c)] if at.any()]
    cohort_est = np.array([e for _, e, _ in by_cohort])
    cohort_psi = np.column_stack([p for _, _, p in by_cohort])
    overall_est, overall_psi = by_size(cohort_est, cohort_psi, np.array([c for c, _, _ in by_cohort]), g, weight)
    overall_se = float(np.sqrt(overall_psi @ overall_psi))
    overall = pd.Series({"estimate": overall_est, "se": overall_se, "ci_low": overall_est - z * overall_se,
                         "ci_high": overall_est + z * overall_se,
                         "p_value": float(2 * stats.norm.sf(abs(overall_est) / overall_se))})
    events = with_interval(pd.DataFrame({"event_time": [e for e, _, _ in by_event],
                                         "estimate": [v for _, v, _ in by_event]}),
                           np.column_stack([p for _, _, p in by_event]), z)
    cohorts_table = with_interval(pd.DataFrame({"cohort": [c for c, _, _ in by_cohort], "estimate": cohort_est}),
                                  cohort_psi, z)
    cohorts_table["agencies"] = [int((g == c).sum()) for c in cohorts_table["cohort"]]
    cohorts_table["cohort_weight"] = cohort_shares(cohorts_table["cohort"].to_numpy(), g, weight)
    return StaggeredDiD(policy, table, events, cohorts_table, overall, pretrend_test(table, psi),
                        two_way_fixed_effects(panel, first, weighted, level), control, int(len(g)),
                        int(np.isnan(g).sum()), dropped, share)


def cohort_shares(cohorts: np.ndarray, g: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Each cohort's share of the people the ``cohorts`` stand for: the weights :func:`by_size` averages with."""
    size = (weight[:, None] * (g[:, None] == cohorts[None, :])).mean(axis=0)
    return size / size.sum()


def by_size(estimates: np.ndarray, psi: np.ndarray, cohorts: np.ndarray, g: np.ndarray,
            weight: np.ndarray) -> tuple[float, np.ndarray]:
    """The mean of ``estimates`` weighted by their cohorts' sizes P(G = g) (:func:`cohort_shares`), and its
    influence function, the estimation of the sizes included (R ``did``'s ``wif``)."""
    members = weight[:, None] * (g[:, None] == cohorts[None, :])
    size = members.mean(axis=0)
    size_psi = (members - size) / len(g)
    w = cohort_shares(cohorts, g, weight)
    d_w = size_psi / size.sum() - np.outer(size_psi.sum(axis=1), size) / size.sum() ** 2
    return float(w @ estimates), psi @ w + d_w @ estimates


def mean_difference(change: np.ndarray, weight: np.ndarray, treated: np.ndarray, comparison: np.ndarray,
                    small_sample: bool) -> tuple[float, np.ndarray]:
    """Weighted mean change of the treated minus that of the comparison, and its influence function
    scaled so that the variance is the sum of its squares (with ``small_sample``, each group's part
    times n / (n - 1), as a design-based variance of a mean)."""
    w1, w0 = weight * treated, weight * comparison
    c = np.where(treated | comparison, change, 0.0)
    m1, m0 = (w1 @ c) / w1.sum(), (w0 @ c) / w0.sum()
    k1, k0 = (np.sqrt(n / (n - 1)) if small_sample and n > 1 else 1.0 for n in (treated.sum(), comparison.sum()))
    return float(m1 - m0), k1 * w1 * (c - m1) / w1.sum() - k0 * w0 * (c - m0) / w0.sum()


def with_interval(table: pd.DataFrame, psi: np.ndarray, z: float) -> pd.DataFrame:
    """``table`` (one row per column of ``psi``) with ``se, ci_low, ci_high`` from the influence functions."""
    se = np.sqrt((psi ** 2).sum(axis=0))
    return table.assign(se=se, ci_low=table["estimate"] - z * se, ci_high=table["estimate"] + z * se)


def pretrend_test(table: pd.DataFrame, psi: np.ndarray) -> pd.Series:
    """Joint Wald test that every pre-adoption ATT(g, t) is 0, covariance from the influence functions.

    ``chi2_p_value`` is R ``did``'s (chi-squared); ``p_value``, the one the verdict uses, refers the same
    statistic to Hotelling's F with the number of agencies behind it: the chi-squared test rejects a true
    null far too often when a few dozen agencies estimate many pre-adoption cells (28% at 5% in
    ``tests/test_staggered.py``'s simulation, 60 agencies and 12 cells).  NaN without a pre-adoption cell,
    or with no more agencies than cells.
    """
    pre = ~table["post"].to_numpy()
    agencies = int((np.abs(psi[:, pre]).sum(axis=1) > 0).sum()) if pre.any() else 0
    b = table["estimate"].to_numpy()[pre]
    cov = psi[:, pre].T @ psi[:, pre]
    df = int(np.linalg.matrix_rank(cov)) if pre.any() else 0
    if df == 0 or agencies <= df:
        return pd.Series({"statistic": np.nan, "df": df, "agencies": agencies, "chi2_p_value": np.nan,
                          "p_value": np.nan})
    statistic = float(b @ np.linalg.pinv(cov) @ b)
    f = statistic * (agencies - df) / (df * (agencies - 1))
    return pd.Series({"statistic": statistic, "df": df, "agencies": agencies,
                      "chi2_p_value": float(stats.chi2.sf(statistic, df)),
                      "p_value": float(stats.f.sf(f, df, agencies - df))})


def two_way_fixed_effects(panel: pd.DataFrame, first: pd.Series, weighted: bool, level: float) -> TwoWayFixedEffects:
    """``value ~ unit + year + treated_after_adoption`` (SEs clustered by agency), and the number of treated
    agency-years with a negative weight in it: the residuals of the treatment dummy on the two sets of
    fixed effects (de Chaisemartin and D'Haultfœuille 2020).  Weighted, it weights each agency-year by its
    own weight sum (as the single-date difference-in-differences does), where the group-time effects fix an
    agency's weight over the years."""
    cells = panel[panel["unit_id"].isin(first.index)].reset_index(drop=True)
    treated = (cells["year"].to_numpy() >= cells["unit_id"].map(first).to_numpy(float)).astype(float)
    fit = fixed_effects_fit(cells, pd.DataFrame({"treated": treated}), weighted)
    ci = fit.conf_int(alpha=1 - level).loc["treated"]
    dummy = fixed_effects_fit(cells.assign(value=treated), pd.DataFrame(index=cells.index), weighted)
    negative = int(((dummy.resid < 0) & (treated == 1)).sum())
    return TwoWayFixedEffects(float(fit.params["treated"]), float(fit.bse["treated"]), float(ci[0]), float(ci[1]),
                              float(fit.pvalues["treated"]), negative, int(treated.sum()))
