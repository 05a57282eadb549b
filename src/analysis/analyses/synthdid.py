"""Synthetic difference-in-differences (Arkhangelsky, Athey, Hirshberg, Imbens and Wager 2021, AER 111(12)).

A port of R's ``synthdid`` (github.com/synth-inference/synthdid, commit 70c1ce3): unit weights (omega) that
make the controls' pre-period path parallel to the treated units', time weights (lambda) that make the
pre-periods resemble the post-periods for the controls, both found by the package's Frank-Wolfe solver with
its penalties (``zeta_omega = (N1 T1)^(1/4) sigma``, ``zeta_lambda = 1e-6 sigma``, sigma the standard
deviation of the controls' first differences before the policy), stopping rule (a decrease below
``(1e-5 sigma)^2``, at most 10,000 iterations) and sparsifying second round (weights below a quarter of the
largest set to 0, after 100 iterations).  ``estimator="sc"`` and ``"did"`` are the package's
``sc_estimate`` and ``did_estimate``.  The standard error is the placebo one (the paper's Algorithm 4):
controls drawn as pseudo-treated units, with a seeded numpy Generator, so reruns give the same number.
``tests/test_synthdid.py`` checks the estimates, weights and placebo draws against the package on the
California Proposition 99 panel (``tests/reference/make_synthdid_reference.R``) and the interval's coverage
by simulation.

The outcome is one value per unit and period: on the project's panel (``unit_id, year, value, weight, n``
from :func:`analysis.analyses.policy.unit_period_panel`) the cells' weighted means, so the survey's weights
enter through the cell values; the estimator weights units by omega, not by respondents.  Units without a
value in every period are left out (``left_out``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import stats

from analysis.analyses.trends import translated

ESTIMATORS = ("sdid", "sc", "did")


# --------------------------------------------------------------------------- the solver (synthdid's R/solver.R)
#
# Each function works on a batch of problems of one shape (the leading axis), each with its own penalty and
# stopping threshold: a fit is a batch of one, the placebo replications one batch, and each problem stops by
# its own rule, as it would alone.


def matvec(A: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``A x`` for each problem of a batch."""
    return (A @ x[:, :, None])[:, :, 0]


def dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise inner products."""
    return np.add.reduce(a * b, axis=1)


def frank_wolfe_step(A: np.ndarray, x: np.ndarray, b: np.ndarray, eta: np.ndarray, Ax: np.ndarray) -> np.ndarray:
    """One Frank-Wolfe step with exact line search for ``||Ax - b||^2 + eta ||x||^2`` on the simplex
    (``fw.step``); ``A`` is batch x rows x weights, ``Ax`` its product with ``x``, ``eta`` one per problem."""
    half_grad = ((Ax - b)[:, None, :] @ A)[:, 0, :] + eta[:, None] * x
    batch = np.arange(len(x))
    i = half_grad.argmin(axis=1)
    dx = -x
    dx[batch, i] = 1 - x[batch, i]
    d_err = A[batch, :, i] - Ax
    step = -dot(half_grad, dx) / (dot(d_err, d_err) + eta * dot(dx, dx))  # 0/0 at a vertex: no step
    step = np.where(dx.any(axis=1), np.minimum(1.0, np.maximum(0.0, step)), 0.0)
    return x + step[:, None] * dx


def simplex_weights(Y: np.ndarray, zeta: np.ndarray, intercept: bool, start: np.ndarray | None,
                    min_decrease: np.ndarray, max_iter: int) -> np.ndarray:
    """Weights on the columns but the last of each ``Y`` that reproduce its last (``sc.weight.fw``), columns
    centred first when ``intercept``; a problem stops when its penalised error falls by less than
    ``min_decrease**2``, or after ``max_iter`` steps."""
    rows, columns = Y.shape[1], Y.shape[2] - 1
    x = np.full((len(Y), columns), 1 / columns) if start is None else np.array(start, dtype=float)
    if intercept:
        Y = Y - Y.mean(axis=1, keepdims=True)
    going = np.arange(len(Y))
    A, b, xg, last = Y[:, :, :columns], Y[:, :, columns], x.copy(), np.full(len(Y), np.inf)
    zeta2, threshold = np.broadcast_to(zeta, len(Y)) ** 2, np.broadcast_to(min_decrease, len(Y)) ** 2
    Ax = matvec(A, xg)
    with np.errstate(invalid="ignore", divide="ignore"):
        for _ in range(max_iter):
            xg = frank_wolfe_step(A, xg, b, rows * zeta2, Ax)
            Ax = matvec(A, xg)
            err = Ax - b
            value = zeta2 * dot(xg, xg) + dot(err, err) / rows
            keep = last - value > threshold
            last = value
            if not keep.all():
                x[going[~keep]] = xg[~keep]
                going, A, b, xg, Ax, last = going[keep], A[keep], b[keep], xg[keep], Ax[keep], last[keep]
                zeta2, threshold = zeta2[keep], threshold[keep]
                if not len(going):
                    break
    x[going] = xg
    return x


def sparsify(v: np.ndarray) -> np.ndarray:
    """Each row's weights up to a quarter of its largest set to 0, the rest rescaled to sum to 1."""
    v = np.where(v <= v.max(axis=1, keepdims=True) / 4, 0.0, v)
    return v / v.sum(axis=1, keepdims=True)


def normalised(v: np.ndarray) -> np.ndarray:
    """Each row of ``v`` summing to 1; uniform when it sums to 0 (synthdid's ``sum_normalize``)."""
    total = v.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total != 0, v / total, 1 / v.shape[-1])


def collapsed_form(Y: np.ndarray, N0: int, T0: int) -> np.ndarray:
    """Each ``Y`` with its treated rows and its post columns each averaged into one."""
    top = np.concatenate([Y[:, :N0, :T0], Y[:, :N0, T0:].mean(axis=2, keepdims=True)], axis=2)
    bottom = np.concatenate([Y[:, N0:, :T0].mean(axis=1), Y[:, N0:, T0:].mean(axis=(1, 2))[:, None]], axis=1)
    return np.concatenate([top, bottom[:, None, :]], axis=1)


@dataclass(frozen=True)
class Options:
    """The penalties (one per panel of a batch) and switches of a fit (synthdid's ``opts``), reused by its
    placebo fits."""

    zeta_omega: np.ndarray
    zeta_lambda: np.ndarray
    omega_intercept: bool
    update_omega: bool
    update_lambda: bool
    min_decrease: np.ndarray
    max_iter: int = 10_000

    def repeated(self, times: int) -> Options:
        """Each panel's penalties ``times`` over, for its placebo replications."""
        return replace(self, zeta_omega=np.repeat(self.zeta_omega, times),
                       zeta_lambda=np.repeat(self.zeta_lambda, times),
                       min_decrease=np.repeat(self.min_decrease, times))


def noise_level(Y: np.ndarray, N0: int, T0: int) -> np.ndarray:
    """Per panel, the standard deviation of the controls' period-to-period changes before the policy."""
    if T0 < 2:
        raise ValueError("synthetic difference-in-differences needs at least two periods before the policy")
    return np.std(np.diff(Y[:, :N0, :T0], axis=2).reshape(len(Y), -1), axis=1, ddof=1)


def default_options(Y: np.ndarray, N0: int, T0: int, estimator: str = "sdid") -> Options:
    """synthdid_estimate's defaults for a batch of panels (``sc_estimate``: eta_omega 1e-6, no intercept,
    lambda 0; ``did_estimate``: uniform weights, not updated)."""
    if estimator not in ESTIMATORS:
        raise ValueError(f"estimator must be one of {ESTIMATORS}, got {estimator!r}")
    sigma = noise_level(Y, N0, T0)
    eta_omega = 1e-6 if estimator == "sc" else ((Y.shape[1] - N0) * (Y.shape[2] - T0)) ** 0.25
    return Options(zeta_omega=eta_omega * sigma, zeta_lambda=1e-6 * sigma, omega_intercept=estimator != "sc",
                   update_omega=estimator != "did", update_lambda=estimator == "sdid", min_decrease=1e-5 * sigma)


def starting_weights(B: int, N0: int, T0: int, estimator: str) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The weights a batch of fits starts from (None: solved from uniform)."""
    if estimator == "sc":
        return None, np.zeros((B, T0))
    if estimator == "did":
        return np.full((B, N0), 1 / N0), np.full((B, T0), 1 / T0)
    return None, None


def fit_weights(Y: np.ndarray, zeta: np.ndarray, intercept: bool, start: np.ndarray | None,
                options: Options) -> np.ndarray:
    """A first round of 100 iterations, then the solver again from its sparsified weights."""
    first = simplex_weights(Y, zeta, intercept, start, options.min_decrease, 100)
    return simplex_weights(Y, zeta, intercept, sparsify(first), options.min_decrease, options.max_iter)


def block_fit(Y: np.ndarray, N0: int, T0: int, options: Options, omega: np.ndarray | None = None,
              lambda_: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Estimates, omegas and lambdas of a batch of panels ``Y`` (batch x units x periods) whose rows ``N0:``
    are treated from column ``T0`` on (``synthdid_estimate`` without covariates); ``omega``/``lambda_``
    (batch x weights) are the starting weights, or the fixed ones when not updated."""
    Yc = collapsed_form(Y, N0, T0)
    if options.update_lambda:
        lambda_ = fit_weights(Yc[:, :N0], options.zeta_lambda, True, lambda_, options)
    if options.update_omega:
        omega = fit_weights(Yc[:, :, :T0].transpose(0, 2, 1), options.zeta_omega, options.omega_intercept, omega,
                            options)
    assert omega is not None and lambda_ is not None
    B, N1, T1 = len(Y), Y.shape[1] - N0, Y.shape[2] - T0
    units = np.concatenate([-omega, np.full((B, N1), 1 / N1)], axis=1)
    periods = np.concatenate([-lambda_, np.full((B, T1), 1 / T1)], axis=1)
    return np.einsum("bn,bnt,bt->b", units, Y, periods), omega, lambda_


# --------------------------------------------------------------------------- cohorts and the placebo


@dataclass(frozen=True)
class Cohort:
    """One adoption date's fits against the never-treated units, for each panel of a batch."""

    first_post: int
    rows: np.ndarray            # its units' rows in the panels
    T0: int
    options: Options
    estimate: np.ndarray        # one per panel
    omega: np.ndarray           # panels x never-treated units
    lambda_: np.ndarray         # panels x pre periods


def cohort_fits(Y: np.ndarray, never: np.ndarray, adoption: np.ndarray, periods: np.ndarray,
                estimator: str) -> list[Cohort]:
    """A fit per adoption date: for each panel of ``Y`` (panels x units x periods), the units adopting then
    against the rows ``never``, all periods.  ``adoption`` holds each unit's first post period (ignored for
    ``never``)."""
    fits = []
    for first_post in np.unique(np.delete(adoption, never)):
        rows = np.setdiff1d(np.flatnonzero(adoption == first_post), never)
        N0, T0 = len(never), int((periods < first_post).sum())
        block = Y[:, np.concatenate([never, rows])]
        options = default_options(block, N0, T0, estimator)
        estimate, omega, lambda_ = block_fit(block, N0, T0, options, *starting_weights(len(Y), N0, T0, estimator))
        fits.append(Cohort(int(first_post), rows, T0, options, estimate, omega, lambda_))
    return fits


def placebo_draws(controls: np.ndarray, cohorts: list[Cohort], replications: int,
                  rng: np.random.Generator) -> np.ndarray:
    """Placebo estimates (panels x replications x cohorts).  Each draw permutes a panel's never-treated rows
    ``controls`` (panels x units x periods) and gives the last ones the treated units' adoption dates, cohort
    by cohort; each cohort is refitted on the remaining controls and its pseudo-treated units, with its own
    penalties and, as starting weights, its omega (restricted to those controls, rescaled) and lambda
    (synthdid's ``placebo_se``; one cohort is exactly it)."""
    S, Nc, T = controls.shape
    sizes = [len(c.rows) for c in cohorts]
    N0 = Nc - sum(sizes)
    if N0 < 1:
        raise ValueError("the placebo standard error needs more never-treated units than treated ones")
    order = np.array([[rng.permutation(Nc) for _ in range(replications)] for _ in range(S)])
    bounds = np.cumsum([N0, *sizes])
    draws = []
    for k, cohort in enumerate(cohorts):
        rows = np.concatenate([order[:, :, :N0], order[:, :, bounds[k]:bounds[k + 1]]], axis=2)
        panels = np.take_along_axis(controls, rows.reshape(S, -1)[:, :, None], axis=1)
        omega = normalised(np.take_along_axis(cohort.omega[:, None, :], order[:, :, :N0], axis=2))
        draws.append(block_fit(panels.reshape(S * replications, -1, T), N0, cohort.T0,
                               cohort.options.repeated(replications), omega.reshape(S * replications, N0),
                               np.repeat(cohort.lambda_, replications, axis=0))[0])
    return np.stack(draws, axis=1).reshape(S, replications, len(cohorts))


@dataclass(frozen=True)
class PanelEffects:
    """The cohorts' and the overall effects of a batch of panels; in ``estimate`` and ``se`` a row per panel,
    a column per cohort and the overall effect last."""

    cohorts: list[Cohort]
    weight: np.ndarray          # each cohort's weight in the overall effect
    estimate: np.ndarray
    se: np.ndarray


def panel_effects(Y: np.ndarray, never: np.ndarray, adoption: np.ndarray, periods: np.ndarray,
                  estimator: str = "sdid", replications: int = 200, seed: int = 20240517) -> PanelEffects:
    """Each cohort's effect against the never-treated rows, their average weighted by treated units x post
    periods, and placebo standard errors of both from the same draws, for each panel of ``Y`` (panels x
    units x periods; many panels at once for a simulation).  One adoption date: synthdid's
    ``synthdid_estimate`` and ``sqrt(vcov(method = "placebo"))``.  Without more never-treated units than
    treated ones there are no placebo draws: the standard errors are NaN (synthdid stops there)."""
    cohorts = cohort_fits(Y, never, adoption, periods, estimator)
    treated = sum(len(c.rows) for c in cohorts)
    draws = placebo_draws(Y[:, never], cohorts, replications, np.random.default_rng(seed)) \
        if len(never) > treated else np.full((len(Y), replications, len(cohorts)), np.nan)
    size = np.array([len(c.rows) * (len(periods) - c.T0) for c in cohorts], dtype=float)
    weight = size / size.sum()
    estimates = np.column_stack([c.estimate for c in cohorts])
    return PanelEffects(cohorts, weight, np.column_stack([estimates, estimates @ weight]),
                        np.column_stack([draws.std(axis=1), (draws @ weight).std(axis=1)]))


def outcome_matrix(panel: pd.DataFrame) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Units x periods (sorted) from a long panel (``unit_id, year, value``) or a wide one, and the units
    left out for a missing value."""
    if {"unit_id", "year", "value"} <= set(panel.columns):
        panel = panel.pivot_table(index="unit_id", columns="year", values="value", aggfunc="first")
    wide = panel.sort_index().sort_index(axis=1).astype(float)
    complete = wide.notna().all(axis=1)
    return wide[complete], tuple(str(u) for u in wide.index[~complete])


# --------------------------------------------------------------------------- the result


EFFECT_COLUMNS = ["estimand", "first_post_year", "estimate", "se", "ci_low", "ci_high", "treated_units",
                  "post_periods", "cohort_weight"]


@dataclass(frozen=True)
class SyntheticDiD:
    """Synthetic difference-in-differences effects with placebo intervals.

    ``effects``: ``estimand`` (``overall``, or ``cohort`` for each adoption date when there are several),
    ``first_post_year``, ``estimate, se, ci_low, ci_high``, ``treated_units``, ``post_periods`` and
    ``cohort_weight`` (the cohort's share of the overall estimate); ``lines``: per cohort (``first_post_year``)
    and period (``year``) the treated units' mean, the ``synthetic`` comparison (omega-weighted controls
    shifted to the treated units' lambda-weighted pre-period level: its mean post-period gap is the estimate)
    and ``time_weight`` (lambda, 0 after the policy); ``unit_weights``: ``first_post_year, unit_id, weight``.
    """

    effects: pd.DataFrame
    lines: pd.DataFrame
    unit_weights: pd.DataFrame
    unit_name: str | None       # the treated unit's name when there is one, else None
    controls: int               # the never-treated units
    replications: int
    estimator: str
    level: float
    left_out: tuple[str, ...]   # units without a value in every period
    share: bool = True

    @property
    def percent(self) -> tuple[str, ...] | None:
        return None if self.share else ()

    @property
    def overall(self) -> pd.Series:
        """The overall effect's row."""
        return self.effects[self.effects["estimand"] == "overall"].iloc[0]

    def table(self, lang: str | None = None) -> pd.DataFrame:
        return translated(self.effects, lang, estimand="synthdid.")

    def summary(self, lang: str = "vi") -> list[str]:
        """The overall effect, its interval and what it rests on."""
        from analysis.reporting.narrative import say, synthetic_did_sentence

        left_out = [say("synthetic_did_left_out", lang, n=len(self.left_out), units=", ".join(self.left_out))
                    ] if self.left_out else []
        return [synthetic_did_sentence(self.overall, self.unit_name, self.controls, self.replications,
                                       int((self.effects["estimand"] == "cohort").sum()), self.level, lang,
                                       self.share), *left_out]

    def plot(self, lang: str = "vi"):
        from analysis.reporting.plots import synthetic_did_lines

        return synthetic_did_lines(self.lines, self.unit_name, lang, self.share)


def interval(estimate: np.ndarray, se: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """The normal interval ``estimate -/+ z se`` (synthdid's README)."""
    z = stats.norm.ppf(0.5 + level / 2)
    return estimate - z * se, estimate + z * se


def staggered_synthetic_did(panel: pd.DataFrame, adoption: Mapping, estimator: str = "sdid",
                            replications: int = 200, seed: int = 20240517, level: float = 0.95,
                            names: Mapping[str, str] | None = None, share: bool = True) -> SyntheticDiD:
    """Synthetic DiD per adoption cohort against the never-treated units, and their weighted average.

    ``adoption`` maps a unit to its first post period; units it leaves out, or dated after the last period,
    are never treated within the data; units with fewer than two periods before their date (the noise level
    needs two) are left out (``left_out``).  Each cohort (units sharing a date) is fitted on its units and
    the never-treated ones over all periods, the other cohorts set aside: comparing with already-treated
    units is what biases two-way fixed effects under staggered adoption.  The overall effect averages the
    cohorts with weights proportional to treated units x post periods, which makes it the mean effect over
    the treated unit-periods (the aggregation of Clarke, Pailañir, Athey and Imbens 2023, Stata's ``sdid``).
    Its placebo standard error comes from the same draws as the cohorts': never-treated units take the
    treated units' dates at random, each cohort is refitted and averaged with the same weights, so the
    correlation between cohorts (they share controls) is in the standard error.  With one date this is
    synthdid's estimate and placebo standard error.
    """
    wide, left_out = outcome_matrix(panel)
    periods = wide.columns.to_numpy()
    dated = {u: int(d) for u, d in adoption.items() if u in wide.index and pd.notna(d) and d <= periods.max()}
    early = [u for u, d in dated.items() if (periods < d).sum() < 2]
    wide = wide.drop(index=early)
    if not set(dated) - set(early):
        raise ValueError("no unit adopts the policy inside the data's periods, after two periods without it")
    date = wide.index.map(lambda u: dated.get(u, 0)).to_numpy()
    never = np.flatnonzero(date == 0)
    fit = panel_effects(wide.to_numpy()[None], never, date, periods, estimator, replications, seed)
    cohorts = fit.cohorts
    effects = pd.DataFrame({
        "estimand": ["cohort"] * len(cohorts) + ["overall"],
        "first_post_year": pd.array([c.first_post for c in cohorts]
                                    + [cohorts[0].first_post if len(cohorts) == 1 else None], dtype="Int64"),
        "estimate": fit.estimate[0], "se": fit.se[0],
        "treated_units": [len(c.rows) for c in cohorts] + [sum(len(c.rows) for c in cohorts)],
        "post_periods": pd.array([len(periods) - c.T0 for c in cohorts]  # the overall row: one cohort's, or none
                                 + [len(periods) - cohorts[0].T0 if len(cohorts) == 1 else None], dtype="Int64"),
        "cohort_weight": [*fit.weight, 1.0]})
    low, high = interval(effects["estimate"].to_numpy(), effects["se"].to_numpy(), level)
    effects = effects.assign(ci_low=low, ci_high=high)[EFFECT_COLUMNS]
    if len(cohorts) == 1:
        effects = effects.iloc[[1]].reset_index(drop=True)
    names = {} if names is None else dict(names)
    treated = wide.index[date > 0]
    controls = wide.index[never]
    return SyntheticDiD(effects, comparison_lines(wide, never, cohorts),
                        pd.concat([pd.DataFrame({"first_post_year": c.first_post, "unit_id": controls,
                                                 "weight": c.omega[0]}) for c in cohorts], ignore_index=True),
                        names.get(treated[0], str(treated[0])) if len(treated) == 1 else None, len(never),
                        replications, estimator, level, left_out + tuple(str(u) for u in early), share)


def synthetic_did(panel: pd.DataFrame, treated: Iterable, first_post: int, estimator: str = "sdid",
                  replications: int = 200, seed: int = 20240517, level: float = 0.95,
                  names: Mapping[str, str] | None = None, share: bool = True) -> SyntheticDiD:
    """Synthetic DiD of the ``treated`` units (ids) against all the others, the policy from period
    ``first_post`` on (a long panel ``unit_id, year, value`` or a wide units x periods table)."""
    return staggered_synthetic_did(panel, dict.fromkeys(treated, first_post), estimator, replications, seed,
                                   level, names, share)


def comparison_lines(wide: pd.DataFrame, never: np.ndarray, cohorts: list[Cohort]) -> pd.DataFrame:
    """Each cohort's treated mean and its synthetic comparison by period, with the time weights."""
    frames = []
    for c in cohorts:
        treated = wide.iloc[c.rows].mean(axis=0).to_numpy()
        synthetic = c.omega[0] @ wide.iloc[never].to_numpy()
        shift = (treated[:c.T0] - synthetic[:c.T0]) @ c.lambda_[0]
        frames.append(pd.DataFrame({"first_post_year": c.first_post, "year": wide.columns, "treated": treated,
                                    "synthetic": synthetic + shift,
                                    "time_weight": np.append(c.lambda_[0], np.zeros(len(treated) - c.T0))}))
    return pd.concat(frames, ignore_index=True)
