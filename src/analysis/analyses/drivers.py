"""What drives overall satisfaction: driver models, relative importance, importance-performance analysis.

The outcome is each respondent's answer to the overall item (1-5); the
drivers are the five SIPAS components' mean answers (or the items' answers).

Driver models (:func:`linear_model`, :func:`ordered_logit`) give coefficients with
robust (HC3) or likelihood standard errors and standardised coefficients, per
segment; :func:`drivers_differ` tests whether the coefficients differ
between segments (robust Wald F test of segment x driver interactions).

Relative importance (:func:`relative_importance`) splits the R² of the
linear model among the drivers two ways:

- LMG (Lindeman, Merenda and Gold 1980), the Shapley value of R²: each
  driver's increase of R² when it joins, averaged over all orderings.  It is
  computed exactly from the correlation matrix: the R² of every one of the
  2^p subsets (``r_S' R_SS^-1 r_S``) and the Shapley weights
  ``|S|! (p - |S| - 1)! / p!``.  The shares sum to R².
- Johnson's (2000) relative weights: regress on the orthogonal
  ``R_XX^{1/2}``-rotation of the drivers and map the squared coefficients
  back; they also sum to R².

Both are functions of the weighted moment matrix of (drivers, outcome), so the
data are read once.  The bootstrap splits respondents once, at random
(seeded), into ``groups`` groups and keeps each group's moment matrix;
a replicate draws multinomial counts of the groups and sums their matrices.
Respondents are iid, so the groups of a random partition are iid too, and the
statistic is a smooth function of the total moment matrix, the sum over
groups: resampling groups is the bootstrap of these iid units, consistent for
the same sampling distribution (the groups' sums have ``n / groups`` times the
respondents' variance, and the total sums ``groups`` of them).  With
``groups >= n`` every group is one respondent and it is the ordinary
bootstrap.  Intervals are percentile intervals, for each share, each
driver's rank (1 = most important) and each pairwise difference of shares, as
R's relaimpo (``booteval.relimp``) reports them.  The same seed gives the
same intervals.

Importance-performance analysis (:func:`importance_performance`) sets each
driver's share of R² against its performance, the weighted share satisfied,
and places it by quadrant (split at the means); a driver to act on is important with a
performance interval wholly below the mean.

Every share is a proportion (part of R², part of 1, share satisfied).
:class:`Importance` and :class:`ImportancePerformance` follow
:class:`analysis.results.Result`; their sentences come from
:mod:`analysis.reporting.narrative` and their figures from
:mod:`analysis.reporting.plots` (imported when asked for).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from math import factorial
from typing import Literal

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import sparse
from statsmodels.miscmodels.ordinal_model import OrderedModel

from analysis.analyses.indices import estimate
from analysis.cube.memory import RESPONDENT_KEYS, Cube
from analysis.data.grid import NO_ANSWER, NOT_ASKED, FormGrid
from analysis.data.schema import COMPONENTS, OVERALL_ITEM

OUTCOME = OVERALL_ITEM
MIN_RESPONDENTS = 30  # a driver model needs more respondents than a published rate
METRICS = ("lmg", "johnson")
QUADRANTS = ("concentrate", "keep_up", "overkill", "low_priority")
ATTRIBUTES = ["year", "unit_id", "channel", "group", "block", "weight"]

_CHUNK = 1 << 16  # respondents per sparse product when summing moment matrices
_BATCH = 1 << 22  # matrix elements per batched solve of subset R²


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class DriverData:
    """One row per respondent who answered every driver and the overall item, and how many did not.

    ``rows``: respondent keys, ``year, unit_id, channel, group, [block], weight``,
    the drivers (named by component or item code) and ``overall`` (1-5).
    ``respondents`` counts the respondents of the answers given (before dropping),
    ``dropped`` those missing a driver or the overall answer. The counts are
    fields of the answers :func:`driver_data` read: to count one year's, pass
    that year (a filter of ``rows`` keeps the counts of all the rows).
    """

    rows: pd.DataFrame
    drivers: tuple[str, ...]
    respondents: int
    dropped: int

    def __len__(self) -> int:
        return len(self.rows)


def enough_respondents(data: DriverData | pd.DataFrame, min_cell: int) -> bool:
    """Whether driver data (one row per respondent) are enough for the models: ``min_cell`` and at least 30."""
    return len(data) >= max(min_cell, MIN_RESPONDENTS)


def driver_data(forms: FormGrid | pd.DataFrame, units: pd.DataFrame | None = None, level: str = "component",
                year: int | None = None, components: tuple[str, ...] = COMPONENTS) -> DriverData:
    """The respondents who answered every driver and the overall item (:class:`DriverData`).

    Parameters
    ----------
    forms : the survey's forms (:meth:`analysis.data.schema.Survey.grid`), or its long answers.
    units : unit table; its ``block`` is joined when given.
    level : ``"component"`` (drivers = the components' mean answers: the mean of a respondent's answered
        items of the component) or ``"item"`` (drivers = the items' answers).
    year : only this year's respondents (and their ``dropped`` count); None for all.
    components : the form's components (:attr:`analysis.data.schema.Survey.components`); those
        the answers hold are the component drivers, in this order.
    """
    if level not in ("component", "item"):
        raise ValueError(f"level must be 'component' or 'item', got {level!r}")
    grid = forms if isinstance(forms, FormGrid) else FormGrid.from_long(forms)
    if year is not None:
        grid = grid.take((grid.keys["year"] == year).to_numpy())
        if not len(grid):  # a scope without answers that year: nobody to analyse
            rows = pd.DataFrame(columns=[*RESPONDENT_KEYS, *ATTRIBUTES, *components, OUTCOME])
            return DriverData(rows=rows, drivers=tuple(components), respondents=0, dropped=0)
    asked = (grid.answers != NOT_ASKED).any(axis=0)  # the criteria these forms have
    present = [item for item, on in zip(grid.items, asked, strict=True) if on]
    if OUTCOME not in present:
        raise ValueError(f"no answers to the overall item {OUTCOME!r}")
    answers = grid.answers.astype(float)
    answers[answers <= NO_ANSWER] = np.nan
    column = {item: j for j, item in enumerate(grid.items)}
    if level == "component":
        held = {c for c, on in zip(grid.components, asked, strict=True) if on}
        drivers = [c for c in components if c in held]
        values = {}
        for component in drivers:
            part = answers[:, [column[i] for i, c in zip(grid.items, grid.components, strict=True) if c == component]]
            answered = (~np.isnan(part)).sum(axis=1)
            with np.errstate(invalid="ignore"):
                values[component] = np.where(answered > 0, np.nansum(part, axis=1) / answered, np.nan)
    else:
        order = {c: k for k, c in enumerate(components)}
        drivers = sorted((i for i in present if i != OUTCOME),
                         key=lambda item: (order.get(item.split(".")[0], len(order)), item))
        values = {item: answers[:, column[item]] for item in drivers}
    frame = grid.keys[[c for c in [*RESPONDENT_KEYS, *ATTRIBUTES] if c in grid.keys]].assign(
        **values, **{OUTCOME: answers[:, column[OUTCOME]]})
    if "weight" not in frame:
        frame["weight"] = 1.0
    if units is not None and "block" in units:
        frame = frame.merge(units[["unit_id", "block"]], on="unit_id", how="left", validate="many_to_one")
    kept = frame.dropna(subset=[*drivers, OUTCOME])
    columns = [*RESPONDENT_KEYS, *(c for c in ATTRIBUTES if c in kept), *drivers, OUTCOME]
    return DriverData(rows=kept[columns].reset_index(drop=True), drivers=tuple(drivers), respondents=len(frame),
                      dropped=len(frame) - len(kept))


def _unpack(data: DriverData | pd.DataFrame, drivers: list[str] | None) -> tuple[pd.DataFrame, list[str]]:
    """The rows and the drivers asked for, else those of the :class:`DriverData`, else the components present."""
    if isinstance(data, DriverData):
        frame, known = data.rows, list(data.drivers)
    else:
        frame, known = data, [c for c in COMPONENTS if c in data]
    found = list(drivers or known)
    if not found:
        raise ValueError("no drivers: name them, or build the data with driver_data")
    return frame, found


def _segments(data: pd.DataFrame, by: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Each respondent's segment code (``-1``: a missing ``by`` value) and the segments' ``by`` values."""
    if not by:
        return np.zeros(len(data), dtype=np.intp), pd.DataFrame(index=range(1))
    grouped = data.groupby(by, sort=True, observed=True)
    return grouped.ngroup().fillna(-1).to_numpy(dtype=np.intp), grouped.size().reset_index()[by]


def _parts(data: pd.DataFrame, by: list[str]):
    """``(by values, rows)`` of every segment, or of the whole data when ``by`` is empty."""
    if not by:
        yield {}, data
        return
    for key, part in data.groupby(by, sort=True, observed=True):
        yield dict(zip(by, key, strict=True)), part


# --------------------------------------------------------------------------- moments and metrics


def moment_matrices(values: np.ndarray, weight: np.ndarray, cell: np.ndarray, cells: int
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Respondents and weighted moment matrices per cell, in one pass over the rows.

    The moment matrix of a cell is ``sum w z z'`` with ``z = (1, values)``:
    the weight sum, weighted sums and weighted cross-products.  Returns counts
    (cells,) and matrices (cells, k + 1, k + 1).
    """
    n, k = values.shape
    moments = np.zeros((cells, (k + 1) ** 2))
    for start in range(0, n, _CHUNK):
        sel = slice(start, start + _CHUNK)
        z = np.column_stack([np.ones(len(values[sel])), values[sel]])
        outer = (z[:, :, None] * z[:, None, :]).reshape(len(z), -1)
        rows = cell[sel]
        members = sparse.csr_matrix((weight[sel], (rows, np.arange(len(rows)))), shape=(cells, len(rows)))
        moments += members @ outer
    return np.bincount(cell, minlength=cells), moments.reshape(cells, k + 1, k + 1)


def correlation(moments: np.ndarray) -> np.ndarray:
    """Correlation matrices (..., k, k) from moment matrices (..., k + 1, k + 1) of :func:`moment_matrices`."""
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = moments[..., 0, 1:] / moments[..., :1, 0]
        cov = moments[..., 1:, 1:] / moments[..., :1, :1] - mean[..., :, None] * mean[..., None, :]
        sd = np.sqrt(np.diagonal(cov, axis1=-2, axis2=-1))
        return cov / sd[..., :, None] / sd[..., None, :]


def subset_r2(corr: np.ndarray) -> np.ndarray:
    """R² of the outcome (last variable) on every subset of the drivers, indexed by bit mask.

    ``corr`` is (..., p + 1, p + 1); returns (..., 2**p), where bit ``j`` of
    the index says whether driver ``j`` is in the subset.  Eliminating the
    subset's drivers from its correlation matrix with the outcome (Gaussian
    elimination, all subsets of a size at once) leaves the Schur complement
    ``1 - r_S' R_SS^-1 r_S`` in the corner.
    """
    corr = np.asarray(corr, dtype=float)
    p = corr.shape[-1] - 1
    flat = corr.reshape(-1, p + 1, p + 1)
    out = np.zeros((len(flat), 1 << p))
    for size in range(1, p + 1):
        members = np.array(list(combinations(range(p), size)))
        index = np.column_stack([members, np.full(len(members), p)])
        masks = (1 << members).sum(axis=1)
        step = max(1, _BATCH // (len(members) * (size + 1) ** 2))
        for start in range(0, len(flat), step):
            a = flat[start:start + step][:, index[:, :, None], index[:, None, :]]
            for _ in range(size):
                a = a[..., 1:, 1:] - a[..., 1:, :1] * a[..., :1, 1:] / a[..., :1, :1]
            out[start:start + step, masks] = 1 - a[..., 0, 0]
    return out.reshape(*corr.shape[:-2], 1 << p)


def lmg(corr: np.ndarray) -> np.ndarray:
    """LMG (Shapley) shares of R² from correlation matrices (..., p + 1, p + 1), outcome last: (..., p)."""
    r2 = subset_r2(corr)
    p = corr.shape[-1] - 1
    masks = np.arange(1 << p)
    size = np.bitwise_count(masks)
    shapley = np.array([factorial(s) * factorial(p - s - 1) / factorial(p) for s in range(p)])
    out = np.empty((*r2.shape[:-1], p))
    for j in range(p):
        without = masks[(masks >> j) & 1 == 0]
        out[..., j] = (r2[..., without | (1 << j)] - r2[..., without]) @ shapley[size[without]]
    return out


def johnson(corr: np.ndarray) -> np.ndarray:
    """Johnson's (2000) relative weights from correlation matrices (..., p + 1, p + 1), outcome last: (..., p).

    With ``R_XX = V diag(l) V'``, ``L = V diag(sqrt l) V'`` relates the drivers to
    their closest orthogonal counterparts; ``beta = L^-1 r_XY`` are the outcome's
    coefficients on those, and the weight of driver ``j`` is ``sum_k L_jk² beta_k²``.
    """
    r_xx, r_xy = corr[..., :-1, :-1], corr[..., :-1, -1]
    values, vectors = np.linalg.eigh(r_xx)
    root = (vectors * np.sqrt(np.clip(values, 0, None))[..., None, :]) @ np.swapaxes(vectors, -1, -2)
    beta = np.linalg.solve(root, r_xy[..., None])
    return (root**2 @ beta**2)[..., 0]


def _metrics(moments: np.ndarray) -> dict[str, np.ndarray]:
    """LMG and Johnson's weights (..., p) from moment matrices; NaN where a correlation is undefined
    or the drivers are collinear (a small group where two scores move together exactly)."""
    corr = correlation(moments)
    identity = np.eye(corr.shape[-1])
    valid = np.isfinite(corr).all(axis=(-2, -1))
    corr = np.where(valid[..., None, None], corr, identity)
    valid &= np.linalg.eigvalsh(corr[..., :-1, :-1]).min(axis=-1) > 1e-10
    corr = np.where(valid[..., None, None], corr, identity)
    return {"lmg": np.where(valid[..., None], lmg(corr), np.nan),
            "johnson": np.where(valid[..., None], johnson(corr), np.nan)}


# --------------------------------------------------------------------------- relative importance


@dataclass(frozen=True)
class Importance:
    """Relative importance per segment with bootstrap intervals; every table is tidy, shares proportions.

    ``shares``: ``by``, ``metric`` (lmg, johnson), ``driver``, ``estimate``
    (part of R²) with ``ci_low``, ``ci_high``; ``share`` (part of 1) with
    ``share_low``, ``share_high``; ``rank`` (1 = most important) with
    ``rank_ci_low``, ``rank_ci_high``.
    ``differences``: ``by``, ``metric``, ``driver``, ``versus``, ``difference``
    (of ``estimate``) with ``ci_low``, ``ci_high``.
    ``fit``: ``by``, ``n``, ``r2`` with ``ci_low``, ``ci_high``.
    ``dropped``: respondents of the data left out for a missing answer
    (:attr:`DriverData.dropped`; 0 for a plain table).
    """

    shares: pd.DataFrame
    differences: pd.DataFrame
    fit: pd.DataFrame
    by: tuple[str, ...]
    drivers: tuple[str, ...]
    dropped: int = 0

    def table(self, lang: str | None = None) -> pd.DataFrame:
        """The shares of both metrics (``shares``)."""
        return self.shares

    def lmg(self) -> pd.DataFrame:
        """The LMG rows of ``shares``."""
        return self.shares[self.shares["metric"] == "lmg"]

    def summary(self, lang: str = "vi") -> list[str]:
        """R² and the two most important drivers (LMG), with the respondents left out; one sentence per segment."""
        from analysis.reporting import narrative

        if not self.by:
            return [narrative.drivers_sentence(self.lmg(), self.fit, lang, self.dropped)]
        return [narrative.segment_sentence(key, narrative.drivers_sentence(rows, fit, lang), lang)
                for (key, rows), (_, fit) in zip(_parts(self.lmg(), list(self.by)), _parts(self.fit, list(self.by)),
                                                 strict=True)]

    def plot(self, lang: str = "vi"):
        """The LMG shares with their intervals (whole sample only; None by segment)."""
        from analysis.reporting import plots

        return None if self.by else plots.driver_importance(self.lmg(), lang)


def _rows(keys: pd.DataFrame, drivers: list[str], columns: dict[str, np.ndarray]) -> pd.DataFrame:
    """A tidy table: one row per segment x driver, from (segments, drivers) arrays."""
    frame = keys.loc[keys.index.repeat(len(drivers))].reset_index(drop=True)
    frame["driver"] = np.tile(drivers, len(keys))
    for name, values in columns.items():
        frame[name] = np.asarray(values).reshape(-1)
    return frame


def _interval(draws: np.ndarray, level: float, method: Literal["linear", "inverted_cdf"] = "linear") -> np.ndarray:
    """Percentile interval (2, ...) over the replicates (first axis).

    Missing without replicates, and where more than 1% of them are undefined (a small segment whose
    resamples make drivers collinear): percentiles of the rest would be too narrow.
    """
    if not len(draws):
        return np.full((2, *draws.shape[1:]), np.nan)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns: NaN, as wanted
        bounds = np.nanquantile(draws, [(1 - level) / 2, (1 + level) / 2], axis=0, method=method)
    return np.where(np.isnan(draws).mean(axis=0) > 0.01, np.nan, bounds)


def _ranks(values: np.ndarray) -> np.ndarray:
    """Ranks along the last axis, 1 = largest; NaN where the values are."""
    ranks = (-values).argsort(axis=-1).argsort(axis=-1) + 1.0
    return np.where(np.isnan(values), np.nan, ranks)


def relative_importance(data: DriverData | pd.DataFrame, by: Sequence[str] = (), drivers: list[str] | None = None,
                        replicates: int = 1000, seed: int = 0, groups: int = 2000, level: float = 0.95,
                        weighted: bool = True) -> Importance:
    """LMG and Johnson's relative weights per segment, with percentile bootstrap intervals.

    Parameters
    ----------
    data : from :func:`driver_data` (its ``dropped`` is kept), or a table of its ``rows``' shape.
    by : segment columns (block, channel, group, year, ...); empty for the whole sample.
    replicates : bootstrap replicates (0: estimates only, intervals missing).
    seed : seeds the partition into groups and the replicates' draws.
    groups : respondents are split once into this many random groups, resampled
        as units (see the module's notes); at least ``n`` gives the ordinary bootstrap.
    weighted : use the survey weights.
    """
    dropped = data.dropped if isinstance(data, DriverData) else 0
    data, drivers = _unpack(data, drivers)
    by = list(by)
    code, keys = _segments(data, by)
    keep = code >= 0
    values = data.loc[keep, [*drivers, OUTCOME]].to_numpy(dtype=float)
    values = values - values.mean(axis=0)  # shifted to the means: correlations unchanged, no cancellation
    weight = data.loc[keep, "weight"].to_numpy(dtype=float) if weighted else np.ones(len(values))
    segments, n = len(keys), len(values)
    rng = np.random.default_rng(seed)
    g = min(groups, n)
    group = rng.permutation(n) % g
    counts, moments = moment_matrices(values, weight, code[keep] * g + group, segments * g)
    moments = moments.reshape(segments, g, *moments.shape[1:])
    point = _metrics(moments.sum(axis=1))
    draws = rng.multinomial(g, np.full(g, 1 / g), size=replicates).astype(float)
    boot = _metrics(np.tensordot(draws, moments, axes=([1], [1])))

    shares, differences = [], []
    pairs = list(combinations(range(len(drivers)), 2))
    for name in METRICS:
        r2, r2_boot = point[name].sum(axis=-1, keepdims=True), boot[name].sum(axis=-1, keepdims=True)
        low, high = _interval(boot[name], level)
        share_low, share_high = _interval(boot[name] / r2_boot, level)
        rank_low, rank_high = _interval(_ranks(boot[name]), level, "inverted_cdf")
        shares.append(_rows(keys, drivers, {
            "estimate": point[name], "ci_low": low, "ci_high": high, "share": point[name] / r2,
            "share_low": share_low, "share_high": share_high, "rank": _ranks(point[name]),
            "rank_ci_low": rank_low, "rank_ci_high": rank_high}).assign(metric=name))
        for i, j in pairs:
            low, high = _interval(boot[name][..., i] - boot[name][..., j], level)
            differences.append(keys.assign(metric=name, driver=drivers[i], versus=drivers[j],
                                           difference=point[name][:, i] - point[name][:, j],
                                           ci_low=low, ci_high=high))
    share_table = pd.concat(shares, ignore_index=True)
    share_table = share_table[[*by, "metric", *share_table.columns.drop([*by, "metric"])]]
    for column in ("rank", "rank_ci_low", "rank_ci_high"):
        share_table[column] = share_table[column].astype("Int64")
    low, high = _interval(boot["lmg"].sum(axis=-1), level)
    fit = keys.assign(n=counts.reshape(segments, g).sum(axis=1), r2=point["lmg"].sum(axis=-1), ci_low=low,
                      ci_high=high)
    return Importance(shares=share_table, differences=pd.concat(differences, ignore_index=True), fit=fit,
                      by=tuple(by), drivers=tuple(drivers), dropped=dropped)


# --------------------------------------------------------------------------- driver models


def _weighted_sd(values: np.ndarray, weight: np.ndarray) -> np.ndarray:
    mean = np.average(values, axis=0, weights=weight)
    return np.sqrt(np.average((values - mean) ** 2, axis=0, weights=weight))


def _coefficients(result, first: int, drivers: list[str], scale: np.ndarray, level: float, key: dict,
                  n: int) -> pd.DataFrame:
    """The drivers' rows of a fitted model (its parameters ``first`` on), with standardised coefficients."""
    rows = slice(first, first + len(drivers))
    params, bounds = np.asarray(result.params)[rows], np.asarray(result.conf_int(1 - level))[rows]
    return pd.DataFrame({**key, "driver": drivers, "coef": params, "se": np.asarray(result.bse)[rows],
                         "ci_low": bounds[:, 0], "ci_high": bounds[:, 1], "p_value": np.asarray(result.pvalues)[rows],
                         "std_coef": params * scale, "std_low": bounds[:, 0] * scale,
                         "std_high": bounds[:, 1] * scale, "n": n})


def linear_model(data: DriverData | pd.DataFrame, by: Sequence[str] = (), drivers: list[str] | None = None,
                 weighted: bool = True, level: float = 0.95) -> pd.DataFrame:
    """Linear model of the overall answer on the drivers per segment, HC3 standard errors.

    Weighted by the survey weights (WLS, whose HC3 sandwich is the pweight
    one).  ``std_coef`` is ``coef * sd(driver) / sd(overall)`` (weighted SDs),
    its interval the coefficient's scaled alike.  Returns ``by``, ``driver``,
    ``coef``, ``se``, ``ci_low``, ``ci_high``, ``p_value``, ``std_coef``,
    ``std_low``, ``std_high``, ``n``.
    """
    data, drivers = _unpack(data, drivers)
    tables = []
    for key, part in _parts(data, list(by)):
        x, y = part[drivers].to_numpy(dtype=float), part[OUTCOME].to_numpy(dtype=float)
        w = part["weight"].to_numpy(dtype=float) if weighted else np.ones(len(part))
        result = sm.WLS(y, sm.add_constant(x, has_constant="add"), weights=w).fit(cov_type="HC3")
        scale = _weighted_sd(x, w) / _weighted_sd(y[:, None], w)
        tables.append(_coefficients(result, 1, drivers, scale, level, key, len(part)))
    return pd.concat(tables, ignore_index=True)


class CountedOrderedModel(OrderedModel):
    """statsmodels' ordered model over distinct rows, row i standing for ``counts[i]`` respondents: its
    log-likelihood, start values, score and Hessian (numerical, of the log-likelihood) are those of the
    rows repeated, so the fit is (``tests/test_drivers.py``)."""

    def __init__(self, endog, exog, counts: np.ndarray, **kwargs) -> None:
        super().__init__(endog, exog, **kwargs)
        self.counts = np.asarray(counts, dtype=float)

    def loglike(self, params):
        return float(self.counts @ self.loglikeobs(params))

    @property
    def start_params(self):
        freq = np.bincount(self.endog, weights=self.counts) / self.counts.sum()
        threshold = self.transform_reverse_threshold_params(self.distr.ppf(np.clip(freq.cumsum(), 0, 1)))
        return np.concatenate((np.zeros(self.k_vars), threshold))


def ordered_logit(data: DriverData | pd.DataFrame, by: Sequence[str] = (), drivers: list[str] | None = None,
                  max_rows: int = 200_000, seed: int = 0, level: float = 0.95) -> pd.DataFrame:
    """Ordered logit of the overall answer (1-5) on the drivers per segment (statsmodels' OrderedModel).

    Fitted on a random sample of at most ``max_rows`` respondents (seeded),
    unweighted, over the sample's distinct rows each counted as often as it occurs
    (:class:`CountedOrderedModel`: the same likelihood; answers and component means take few
    values, so 200,000 respondents are a few thousand rows).  ``std_coef`` is fully
    standardised: ``coef * sd(driver) / sd(latent)``, ``sd(latent)² =
    var(x'b) + pi²/3``.  Columns as :func:`linear_model`.
    """
    data, drivers = _unpack(data, drivers)
    if len(data) > max_rows:
        rows = np.sort(np.random.default_rng(seed).choice(len(data), max_rows, replace=False))
        data = data.iloc[rows]
    tables = []
    for key, part in _parts(data, list(by)):
        x, y = part[drivers].to_numpy(dtype=float), part[OUTCOME].to_numpy(dtype=float)
        rows, counts = np.unique(np.column_stack([x, y]), axis=0, return_counts=True)
        result = CountedOrderedModel(rows[:, -1], rows[:, :-1], counts, distr="logit").fit(
            method="bfgs", maxiter=1000, disp=False)
        latent_sd = np.sqrt(np.var(x @ np.asarray(result.params)[:len(drivers)]) + np.pi**2 / 3)
        tables.append(_coefficients(result, 0, drivers, x.std(axis=0) / latent_sd, level, key, len(part)))
    return pd.concat(tables, ignore_index=True)


def drivers_differ(data: DriverData | pd.DataFrame, segment: str, drivers: list[str] | None = None,
                   weighted: bool = True) -> pd.DataFrame:
    """Do the drivers' effects differ between the levels of ``segment``?

    One linear model with the segment's levels, the drivers and every level x
    driver interaction, HC3 covariance; Wald F tests that the interactions are
    zero, jointly (``driver = "all"``) and driver by driver.  Returns
    ``segment``, ``driver``, ``statistic``, ``df_num``, ``df_den``,
    ``p_value``, ``n``, ``levels``.
    """
    data, drivers = _unpack(data, drivers)
    data = data.dropna(subset=[segment])
    levels = np.sort(data[segment].unique())
    if len(levels) < 2:
        raise ValueError(f"{segment!r} has a single level; nothing to compare")
    x = data[drivers].to_numpy(dtype=float)
    dummies = (data[segment].to_numpy()[:, None] == levels[1:]).astype(float)
    interactions = (dummies[:, :, None] * x[:, None, :]).reshape(len(x), -1)
    design = np.column_stack([np.ones(len(x)), dummies, x, interactions])
    w = data["weight"].to_numpy(dtype=float) if weighted else np.ones(len(x))
    result = sm.WLS(data[OUTCOME].to_numpy(dtype=float), design, weights=w).fit(cov_type="HC3")
    first = 1 + len(levels) - 1 + len(drivers)
    columns = np.arange(first, design.shape[1]).reshape(len(levels) - 1, len(drivers))
    rows = []
    for name, tested in [("all", columns.ravel()), *((d, columns[:, j]) for j, d in enumerate(drivers))]:
        restriction = np.zeros((len(tested), design.shape[1]))
        restriction[np.arange(len(tested)), tested] = 1
        test = result.wald_test(restriction, use_f=True, scalar=True)
        rows.append({"segment": segment, "driver": name, "statistic": float(test.statistic),
                     "df_num": int(test.df_num), "df_den": int(test.df_denom), "p_value": float(test.pvalue),
                     "n": len(x), "levels": len(levels)})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- importance-performance


@dataclass(frozen=True)
class ImportancePerformance:
    """Importance against performance per driver (:func:`importance_performance`), shares as proportions.

    ``points``: ``by``, ``driver``, ``importance`` (share of R², summing to 1 per
    segment) with ``importance_low``, ``importance_high``; ``performance`` (share
    satisfied) with ``performance_low``, ``performance_high``; ``quadrant``,
    ``mean_performance`` and ``act`` (:func:`importance_performance`).
    """

    points: pd.DataFrame
    by: tuple[str, ...] = ()
    metric: str = "lmg"

    def table(self, lang: str | None = None) -> pd.DataFrame:
        return self.points

    def summary(self, lang: str = "vi") -> list[str]:
        """The drivers to concentrate on; one sentence per segment."""
        from analysis.reporting import narrative

        if not self.by:
            return [narrative.ipa_sentence(self.points, lang)]
        return [narrative.segment_sentence(key, narrative.ipa_sentence(rows, lang), lang)
                for key, rows in _parts(self.points, list(self.by))]

    def plot(self, lang: str = "vi"):
        """The importance-performance matrix (whole sample only; None by segment)."""
        from analysis.reporting import plots

        return None if self.by else plots.importance_performance(self.points, lang)


def importance_performance(importance: Importance, cube: Cube, metric: str = "lmg",
                           year: int | None = None) -> ImportancePerformance:
    """Importance (share of R², summing to 1) against performance (weighted share satisfied) per driver.

    Performance comes from :func:`analysis.analyses.indices.estimate` by component (or
    item, for item drivers) and the importance's segments, over the cube's
    respondents of ``year`` when given (the year the importance was computed
    on; the survey's cube serves every year), else over the whole cube.
    ``quadrant`` splits at the means of the segment's drivers: ``concentrate``
    (important, performing below the mean), ``keep_up``, ``overkill`` (less
    important, performing above it), ``low_priority``; it places a driver, it is not a verdict.  The
    verdict, ``act``, is the rule of the methods appendix: a driver to act on is at least as important as
    the mean driver and its performance interval lies wholly below the mean performance
    (``mean_performance``), a gap beyond sampling error.
    """
    by = list(importance.by)
    level = "component" if set(importance.drivers) <= set(cube.components) else "item"
    shares = importance.shares[importance.shares["metric"] == metric]
    table = shares[[*by, "driver", "share", "share_low", "share_high"]].rename(columns={
        "share": "importance", "share_low": "importance_low", "share_high": "importance_high"})
    within = [] if year is None or "year" in by else ["year"]
    performance = estimate(cube, [*within, *by, level])
    if within:
        performance = performance[performance["year"] == year]
    performance = performance.rename(columns={
        level: "driver", "estimate": "performance", "ci_low": "performance_low", "ci_high": "performance_high"})
    table = table.merge(performance[[*by, "driver", "performance", "performance_low", "performance_high"]],
                        on=[*by, "driver"], how="left", validate="one_to_one")
    axes = table[["importance", "performance"]].groupby([table[c] for c in by] if by else np.zeros(len(table)))
    mean = axes.transform("mean")
    important = (table["importance"] >= mean["importance"]).to_numpy()
    performing = (table["performance"] >= mean["performance"]).to_numpy()
    table["quadrant"] = np.select([important & ~performing, important & performing, ~important & performing],
                                  QUADRANTS[:3], QUADRANTS[3])
    table["mean_performance"] = mean["performance"]
    table["act"] = important & (table["performance_high"] < mean["performance"]).to_numpy()
    return ImportancePerformance(points=table, by=tuple(by), metric=metric)
