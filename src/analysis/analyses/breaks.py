"""Structural breaks in a series: where did the trend break, is the change bigger than noise, and when.

- :func:`chow_test`: F test of a break at a known period (Chow), or its version
  robust to heteroskedasticity and autocorrelation, a Wald test of the
  coefficient changes with a Newey-West covariance;
- :func:`sup_f_test`: Andrews' sup-F over every admissible period, as
  strucchange's ``sctest(Fstats(...), type = "supF")``;
- :func:`breakpoints`: Bai-Perron multiple breaks by dynamic programming with a
  minimum segment length, the number of breaks chosen by BIC, the sequential
  supF(l+1 | l) tests and an interval for each date (Bai 1997), as
  strucchange's ``breakpoints`` and ``confint``;
- :func:`cusum`: the OLS-based (Ploberger-Kramer) or recursive
  (Brown-Durbin-Evans) CUSUM test, via statsmodels.

Break convention: a break is the integer ``b``, the number of observations
before it, so the old regime is ``y[:b]`` and the new one ``y[b:]``.  ``b`` is
the 0-based position of the first observation after the break and the 1-based
position of the last one before it, which is strucchange's breakpoint: the Nile
breaks at ``b = 28``, the old regime ending with 1898 (0-based observation 27).
Tables add ``period``, the label (the pandas index of ``y``) of the last
observation before the break, which is strucchange's breakdate.

Regressors ``x``: ``None`` (intercept only: a shift in the mean), ``"trend"``
(intercept and time 0, 1, ..., n - 1: a change of level and slope) or an array
or DataFrame of regressors used as given (include the intercept column).

p-values of sup-F and sequential statistics are the exact asymptotic ones
(Estrella 2003): the probability that a squared, standardised k-dimensional
Brownian bridge exceeds the statistic somewhere in the trimmed range, computed
numerically.  strucchange reports Hansen's (1997) response-surface fit to
simulated discretised processes instead, which is 5-15% (relative) lower for
p-values between 0.01 and 0.6: these are the conservative ones.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from scipy.linalg import eigh_tridiagonal
from scipy.special import log_ndtr
from statsmodels.regression.linear_model import OLS
from statsmodels.stats.diagnostic import breaks_cusumolsresid, recursive_olsresiduals

_CELLS = 2**20  # segment RSS evaluated at once by the dynamic programme (peak memory ~ 100 MB)


@dataclass(frozen=True)
class Regression:
    """A response, its regressors and the labels of its observations."""

    y: np.ndarray
    X: np.ndarray
    terms: tuple[str, ...]
    labels: pd.Index

    @property
    def n(self) -> int:
        return len(self.y)

    @property
    def k(self) -> int:
        return self.X.shape[1]

    def period(self, b: int) -> object:
        """Label of the last observation before break ``b`` (None outside the series)."""
        return self.labels[b - 1] if 1 <= b <= self.n else None


def regression(y, x: str | np.ndarray | pd.DataFrame | None = None) -> Regression:
    """Check ``y`` and build the regressors ``x`` asks for (see the module notes)."""
    labels = y.index if isinstance(y, pd.Series) else pd.RangeIndex(len(y))
    y = np.asarray(y, dtype=float)
    if y.ndim != 1 or not np.isfinite(y).all():
        raise ValueError("y must be one series of finite numbers (drop or fill missing periods first)")
    n = len(y)
    terms: tuple[str, ...]
    if x is None:
        X, terms = np.ones((n, 1)), ("intercept",)
    elif isinstance(x, str):
        if x != "trend":
            raise ValueError(f"x must be None, 'trend' or an array of regressors, not {x!r}")
        X, terms = np.column_stack([np.ones(n), np.arange(n)]), ("intercept", "trend")
    else:
        frame = x if isinstance(x, pd.DataFrame) else pd.DataFrame(np.asarray(x, dtype=float))
        X, terms = frame.to_numpy(dtype=float), tuple(str(c) for c in frame.columns)
        if len(X) != n:
            raise ValueError(f"x has {len(X)} rows for {n} observations")
        if not np.isfinite(X).all() or np.linalg.matrix_rank(X) < X.shape[1]:
            raise ValueError("regressors must be finite and linearly independent")
    return Regression(y, X, terms, labels)


def least_squares(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Least-squares coefficients and residuals (one segment of a break model)."""
    coef = np.linalg.lstsq(X, y, rcond=None)[0]
    return coef, y - X @ coef


class SegmentRSS:
    """Residual sum of squares of OLS on any segment ``y[start:stop]``, from prefix sums.

    The regressors are replaced by the orthonormal Q of their QR decomposition
    and y by its full-sample residuals (same column space, same segment RSS, no
    cancellation in the sums).  A segment's RSS is the last pivot of the
    Gaussian elimination of its (k+1) x (k+1) cross-product matrix, done element
    by element so that ``start`` and ``stop`` broadcast like numpy arrays.
    """

    def __init__(self, data: Regression) -> None:
        q = np.linalg.qr(data.X)[0]
        z = np.column_stack([q, data.y - q @ (q.T @ data.y)])
        self.k = data.k
        self.sums = {(i, j): np.concatenate([[0.0], np.cumsum(z[:, i] * z[:, j])])
                     for i in range(self.k + 1) for j in range(i, self.k + 1)}

    def __call__(self, start, stop) -> np.ndarray:
        m = {key: s[stop] - s[start] for key, s in self.sums.items()}
        for p in range(self.k):
            for i in range(p + 1, self.k + 1):
                factor = m[p, i] / m[p, p]
                for j in range(i, self.k + 1):
                    m[i, j] = m[i, j] - factor * m[p, j]
        return np.maximum(m[self.k, self.k], 0.0)

    def split(self, start: int, stop: int, at) -> np.ndarray:
        """RSS of ``y[start:stop]`` with a break at each of ``at``."""
        return self(start, at) + self(at, stop)


def wald_f(rss_null, rss_alt, df: int):
    """The F-type statistic ``(RSS0 - RSS1) / (RSS1 / df)`` (k times the usual F)."""
    return (rss_null - rss_alt) / (rss_alt / df)


def sup_bessel_sf(statistic: float, k: int, spans) -> np.ndarray:
    """P(sup of a squared standardised k-dim Brownian bridge over a range > statistic), per range.

    A range ``[l1, l2]`` enters through its length on the log-odds scale,
    ``log(l2 (1 - l1) / (l1 (1 - l2)))`` (strucchange's ``log(par)``), on which
    the standardised bridge is a stationary Ornstein-Uhlenbeck process.  Its
    radius is a diffusion; the chance that it stays below ``sqrt(statistic)``
    from a chi start is solved on a finite-volume grid (exact in the limit,
    second order, Richardson-extrapolated from 100 and 200 cells).
    """
    spans = np.atleast_1d(np.asarray(spans, dtype=float))
    if statistic <= 0:
        return np.ones_like(spans)

    def stays(cells: int) -> np.ndarray:
        width = math.sqrt(statistic) / cells
        edges = np.arange(1, cells + 1) * width
        log_mass = stats.chi.logpdf(edges - width / 2, k) + math.log(width)
        log_flow = stats.chi.logpdf(edges, k) - math.log(2 * width)  # diffusion flow across each right edge
        diagonal = -np.exp(log_flow - log_mass)
        diagonal[-1] *= 2  # the absorbing edge is half a cell from the last centre
        diagonal[1:] -= np.exp(log_flow[:-1] - log_mass[1:])
        off = np.exp(log_flow[:-1] - (log_mass[:-1] + log_mass[1:]) / 2)
        rates, vectors = eigh_tridiagonal(diagonal, off)
        weights = (vectors.T @ np.exp(log_mass / 2)) ** 2
        return np.exp(np.outer(spans, rates)) @ weights

    coarse, fine = stays(100), stays(200)
    return np.clip(1 - (fine + (fine - coarse) / 3), 0.0, 1.0)


# --- known date --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChowTest:
    """A test of a break at a known date: F statistic, degrees of freedom and p-value."""

    statistic: float
    df_num: int
    df_den: int
    p_value: float
    break_index: int
    period: object
    hac_lags: int | None
    n: int

    @property
    def method(self) -> str:
        return "chow" if self.hac_lags is None else "wald_hac"

    def table(self, lang: str | None = None) -> pd.DataFrame:
        """One row: method, break, period, statistic, df_num, df_den, p_value, hac_lags, n."""
        return pd.DataFrame([{"method": self.method, "break": self.break_index, "period": self.period,
                              "statistic": self.statistic, "df_num": self.df_num, "df_den": self.df_den,
                              "p_value": self.p_value, "hac_lags": self.hac_lags, "n": self.n}])

    def summary(self, lang: str = "vi") -> list[str]:
        """The result in one sentence (:func:`analysis.reporting.narrative.chow_sentence`)."""
        from analysis.reporting.narrative import chow_sentence

        return [chow_sentence(self, lang)]

    def plot(self, lang: str = "vi") -> None:
        """No figure: one test."""
        return None


def chow_test(y, x: str | np.ndarray | pd.DataFrame | None = None, *, break_index: int,
              hac_lags: int | None = None) -> ChowTest:
    """Test for a change of all coefficients after ``break_index`` observations.

    Parameters
    ----------
    y : the series (a pandas Series keeps its index as period labels).
    x : regressors: None (mean), ``"trend"`` or an array (see the module notes).
    break_index : number of observations before the break (old regime ``y[:b]``).
    hac_lags : None for the classic Chow F (strucchange's ``sctest(type = "Chow")``);
        an integer for the Wald test of the changes in ``y ~ X + D X`` (D = 1
        after the break) with the Newey-West covariance (Bartlett kernel, no
        small-sample correction), in F form ``W / k`` on (k, n - 2k) degrees of
        freedom, as ``lmtest::waldtest(..., vcov = NeweyWest(lag = hac_lags,
        prewhite = FALSE, adjust = FALSE))``.
    """
    data = regression(y, x)
    n, k, b = data.n, data.k, int(break_index)
    if not k < b < n - k:
        raise ValueError(f"break_index must leave more than {k} observations on each side, got {b} of {n}")
    if hac_lags is None:
        rss = SegmentRSS(data)
        statistic = float(wald_f(rss(0, n), rss.split(0, n, b), n - 2 * k)) / k
    else:
        after = (np.arange(n) >= b)[:, None] * data.X
        fit = OLS(data.y, np.column_stack([data.X, after])).fit(
            cov_type="HAC", cov_kwds={"maxlags": int(hac_lags), "use_correction": False})
        delta, cov = fit.params[k:], fit.cov_params()[k:, k:]
        statistic = float(delta @ np.linalg.solve(cov, delta)) / k
    p_value = float(stats.f.sf(statistic, k, n - 2 * k))
    return ChowTest(statistic, k, n - 2 * k, p_value, b, data.period(b), hac_lags, n)


# --- unknown date: one break -------------------------------------------------------------------


@dataclass(frozen=True)
class SupFTest:
    """Andrews' sup-F test: the largest F over candidate breaks, where it is, and its p-value."""

    statistic: float
    break_index: int
    period: object
    p_value: float
    k: int
    n: int
    candidates: pd.DataFrame

    def table(self, lang: str | None = None) -> pd.DataFrame:
        """One row: statistic (k times the F of the best split), break, period, p_value, k, n."""
        return pd.DataFrame([{"method": "sup_f", "statistic": self.statistic, "break": self.break_index,
                              "period": self.period, "p_value": self.p_value, "k": self.k, "n": self.n}])

    def summary(self, lang: str = "vi") -> list[str]:
        """The result in one sentence (:func:`analysis.reporting.narrative.sup_f_sentence`)."""
        from analysis.reporting.narrative import sup_f_sentence

        return [sup_f_sentence(self, lang)]

    def plot(self, lang: str = "vi") -> None:
        """No figure: one test."""
        return None


def sup_f_test(y, x: str | np.ndarray | pd.DataFrame | None = None, trim: float = 0.15) -> SupFTest:
    """Largest F statistic for a single break over the admissible dates, as strucchange's Fstats.

    Candidates are ``b = from, ..., n - from`` with ``from = floor(trim * n)``
    (or ``trim`` observations when ``trim >= 1``), kept within ``k + 1`` of the
    ends.  Each F is ``(RSS0 - RSS(b)) / (RSS(b) / (n - 2k))``; the p-value is
    the exact asymptotic one (module notes).  ``candidates`` has ``break``,
    ``period`` and ``statistic`` for every candidate.
    """
    data = regression(y, x)
    n, k = data.n, data.k
    first = math.floor(trim * n) if trim < 1 else int(trim)
    last = min(n - first, n - k - 1)
    first = max(first, k + 1)
    if first > last:
        raise ValueError(f"no admissible break between {first} and {last}")
    at = np.arange(first, last + 1)
    rss = SegmentRSS(data)
    f = wald_f(rss(0, n), rss.split(0, n, at), n - 2 * k)
    best = int(np.argmax(f))
    span = math.log((n - first) * last / (first * (n - last)))
    p_value = float(sup_bessel_sf(float(f[best]), k, span)[0])
    candidates = pd.DataFrame({"break": at, "period": [data.period(int(b)) for b in at], "statistic": f})
    return SupFTest(float(f[best]), int(at[best]), data.period(int(at[best])), p_value, k, n, candidates)


# --- unknown dates: Bai-Perron ---------------------------------------------------------------


def pargmax_v(x: float, xi: float = 1.0, phi1: float = 1.0, phi2: float = 1.0) -> float:
    """P(argmax V <= x) for V a two-sided Brownian motion with drift (Bai 1997), strucchange's pargmaxV."""
    phi = xi * (phi2 / phi1) ** 2
    a = abs(x)
    with np.errstate(divide="ignore"):
        log_a = np.log(a)
    if x < 0:
        frac = xi / phi
        return float(-np.exp(log_a / 2 - a / 8 - math.log(2 * math.pi) / 2)
                     - (phi / xi * (phi + 2 * xi) / (phi + xi))
                     * np.exp(frac * (1 + frac) * a / 2 + log_ndtr(-(0.5 + frac) * math.sqrt(a)))
                     + np.exp(math.log(a / 2 - 2 + (phi + 2 * xi) ** 2 / ((phi + xi) * xi))
                              + log_ndtr(-math.sqrt(a) / 2)))
    frac = xi**2 / phi
    return float(1 + math.sqrt(frac) * np.exp(log_a / 2 - frac * a / 8 - math.log(2 * math.pi) / 2)
                 + (xi / phi * (2 * phi + xi) / (phi + xi))
                 * np.exp((phi + xi) * a / 2 + log_ndtr(-(phi + xi / 2) / math.sqrt(phi) * math.sqrt(a)))
                 - np.exp(math.log((2 * phi + xi) ** 2 / ((phi + xi) * phi) - 2 + frac * a / 2)
                          + log_ndtr(-math.sqrt(frac) * math.sqrt(a) / 2)))


def zeroin(f, a: float, b: float, fa: float, fb: float, tol: float = np.finfo(float).eps ** 0.25,
           maxit: int = 1000) -> float:
    """Brent's root search exactly as R's ``uniroot`` runs it (R_zeroin2), so intervals round as in R."""
    eps = np.finfo(float).eps
    c, fc = a, fa
    if fa == 0:
        return a
    if fb == 0:
        return b
    for _ in range(maxit + 1):
        prev_step = b - a
        if abs(fc) < abs(fb):
            a, b, c = b, c, b
            fa, fb, fc = fb, fc, fb
        tol_act = 2 * eps * abs(b) + tol / 2
        new_step = (c - b) / 2
        if abs(new_step) <= tol_act or fb == 0:
            return b
        if abs(prev_step) >= tol_act and abs(fa) > abs(fb):
            cb = c - b
            if a == c:
                t1 = fb / fa
                p, q = cb * t1, 1.0 - t1
            else:
                q, t1, t2 = fa / fc, fb / fc, fb / fa
                p = t2 * (cb * q * (q - t1) - (b - a) * (t1 - 1.0))
                q = (q - 1.0) * (t1 - 1.0) * (t2 - 1.0)
            if p > 0:
                q = -q
            else:
                p = -p
            if p < 0.75 * cb * q - abs(tol_act * q) / 2 and p < abs(prev_step * q / 2):
                new_step = p / q
        if abs(new_step) < tol_act:
            new_step = tol_act if new_step > 0 else -tol_act
        a, fa = b, fb
        b += new_step
        fb = f(b)
        if (fb > 0 and fc > 0) or (fb < 0 and fc < 0):
            c, fc = a, fa
    return b


def argmax_interval(alpha: float, xi: float, phi1: float, phi2: float) -> tuple[float, float] | None:
    """The ``alpha/2`` and ``1 - alpha/2`` quantiles of argmax V, or None when 0 lies outside them."""
    a2 = alpha / 2
    p0 = pargmax_v(0, xi, phi1, phi2)
    if math.isnan(p0) or not a2 <= p0 <= 1 - a2:
        return None

    def quantile(level: float, step: int) -> float:
        def gap(v: float) -> float:
            return pargmax_v(v, xi, phi1, phi2) - level

        far = 0
        while gap(far) * step < 0:  # strucchange widens the search by 1000 at a time
            far += step
        lo, hi = sorted((0, far))
        return zeroin(gap, lo, hi, gap(lo), gap(hi))

    return quantile(a2, -1000), quantile(1 - a2, 1000)


@dataclass(frozen=True)
class Breakpoints:
    """Bai-Perron breaks: the best partition for each number of breaks, and the BIC choice.

    ``rss[m]`` and ``locations[m]`` are the least RSS and its breaks (see the
    module's break convention) with ``m = 0 .. max_breaks`` breaks, segments of
    at least ``min_size`` observations.
    """

    data: Regression
    min_size: int
    rss: np.ndarray
    locations: tuple[tuple[int, ...], ...]

    @property
    def max_breaks(self) -> int:
        return len(self.locations) - 1

    @property
    def bic(self) -> np.ndarray:
        """strucchange's BIC: ``n (log RSS + 1 - log n + log 2 pi) + log(n) (k + 1)(m + 1)``."""
        n, m = self.data.n, np.arange(self.max_breaks + 1)
        return n * (np.log(self.rss) + 1 - math.log(n) + math.log(2 * math.pi)) + math.log(n) * self.df(m)

    def df(self, m: np.ndarray) -> np.ndarray:
        """Parameters of the m-break model: k coefficients and a variance per segment."""
        return (self.data.k + 1) * (m + 1)

    @property
    def n_breaks(self) -> int:
        """The number of breaks BIC chooses."""
        return int(np.argmin(self.bic))

    def breaks(self, n_breaks: int | None = None) -> tuple[int, ...]:
        """Breaks of the best partition with ``n_breaks`` breaks (default: BIC's choice)."""
        return self.locations[self.n_breaks if n_breaks is None else n_breaks]

    def segments(self, n_breaks: int | None = None) -> list[slice]:
        """The segments of that partition as slices of ``y``."""
        bounds = [0, *self.breaks(n_breaks), self.data.n]
        return [slice(a, b) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]

    def table(self, lang: str | None = None) -> pd.DataFrame:
        """One row per number of breaks: n_breaks, breaks (tuple), df, rss, bic, selected (BIC)."""
        m = np.arange(self.max_breaks + 1)
        return pd.DataFrame({"n_breaks": m, "breaks": list(self.locations), "df": self.df(m), "rss": self.rss,
                             "bic": self.bic, "selected": m == self.n_breaks})

    def coefficients(self, n_breaks: int | None = None) -> pd.DataFrame:
        """OLS coefficients per segment.

        Columns: segment (1, 2, ...), start, stop (the segment is ``y[start:stop]``),
        first, last (labels of its first and last observations), term, estimate.
        """
        labels, rows = self.data.labels, []
        for number, seg in enumerate(self.segments(n_breaks), start=1):
            coef = least_squares(self.data.X[seg], self.data.y[seg])[0]
            rows += [{"segment": number, "start": seg.start, "stop": seg.stop, "first": labels[seg.start],
                      "last": labels[seg.stop - 1], "term": term, "estimate": value}
                     for term, value in zip(self.data.terms, coef, strict=True)]
        return pd.DataFrame(rows)

    def confint(self, level: float = 0.95, n_breaks: int | None = None, het_reg: bool = True,
                het_err: bool = True) -> pd.DataFrame:
        """Interval for each break date (Bai 1997), as strucchange's ``confint.breakpointsfull``.

        Returns ``break_no``, ``lower``, ``estimate``, ``upper`` (breaks in the
        module's convention; not clipped to the series, as in strucchange; <NA>
        where the interval cannot be computed) and ``period_lower``, ``period``,
        ``period_upper``.  ``het_reg`` / ``het_err`` let the regressors' moments
        and the error variance differ between segments.
        """
        X, y, n = self.data.X, self.data.y, self.data.n
        breaks = self.breaks(n_breaks)
        if not breaks:
            raise ValueError("no break to give an interval for")
        pooled_q, pooled_sigma = X.T @ X / n, 0.0
        fits = []
        for seg in self.segments(n_breaks):
            coef, resid = least_squares(X[seg], y[seg])
            pooled_sigma += resid @ resid / n
            fits.append((coef, X[seg].T @ X[seg] / len(resid), resid @ resid / len(resid)))
        fits = [(coef, q if het_reg else pooled_q, sigma if het_err else pooled_sigma)
                for coef, q, sigma in fits]
        rows = []
        pairs = zip(breaks, fits, fits[1:], strict=False)  # m breaks between m + 1 segments
        for number, (b, (beta1, q1, sigma1), (beta2, q2, sigma2)) in enumerate(pairs, 1):
            delta = beta2 - beta1
            qprod1, qprod2 = delta @ q1 @ delta, delta @ q2 @ delta
            quantiles = argmax_interval(1 - level, qprod2 / qprod1 if het_reg else 1.0,
                                        math.sqrt(sigma1), math.sqrt(sigma2))
            lower = upper = None
            if quantiles is not None:
                scale = sigma1 / qprod1
                lower, upper = b - math.ceil(quantiles[1] * scale), b - math.floor(quantiles[0] * scale)
            rows.append({"break_no": number, "lower": lower, "estimate": b, "upper": upper})
        table = pd.DataFrame(rows).astype({"lower": "Int64", "estimate": "Int64", "upper": "Int64"})
        for column, name in (("lower", "period_lower"), ("estimate", "period"), ("upper", "period_upper")):
            table[name] = [None if pd.isna(b) else self.data.period(int(b)) for b in table[column]]
        return table

    def sequential(self) -> pd.DataFrame:
        """Bai-Perron's supF(l+1 | l) tests of ``l`` against ``l + 1`` breaks, l = 0 .. max_breaks - 1.

        Given the best ``l``-break partition, the statistic is the F of the best
        extra break in any segment, ``(RSS_l - RSS') / (RSS' / (n - (l + 2) k))``
        (for ``l = 0`` strucchange's sup-F with ``from = min_size``).  Its
        p-value is ``1 - prod(1 - p_i)`` over the segments that can hold a break,
        ``p_i`` the exact asymptotic sup-F p-value with the segment's own
        trimming ``min_size / length`` (Bai-Perron's ``G^(l+1)`` limit).
        Columns: n_breaks (``l``), statistic, p_value, break (the extra break).
        """
        rss, h, n, k = SegmentRSS(self.data), self.min_size, self.data.n, self.data.k
        rows = []
        for m in range(self.max_breaks):
            bounds = [0, *self.locations[m], n]
            gain, extra, spans = 0.0, None, []
            for a, b in zip(bounds[:-1], bounds[1:], strict=True):
                if b - a < 2 * h:
                    continue
                at = np.arange(a + h, b - h + 1)
                drop = rss(a, b) - rss.split(a, b, at)
                spans.append(2 * math.log((b - a - h) / h))
                if drop.max() > gain:
                    gain, extra = float(drop.max()), int(at[np.argmax(drop)])
            if not spans:
                break
            statistic = float(wald_f(self.rss[m], self.rss[m] - gain, n - (m + 2) * k))
            p_value = 1 - float(np.prod(1 - sup_bessel_sf(statistic, k, spans)))
            rows.append({"n_breaks": m, "statistic": statistic, "p_value": p_value, "break": extra})
        return pd.DataFrame(rows, columns=["n_breaks", "statistic", "p_value", "break"])

    def summary(self, lang: str = "vi", level: float = 0.95) -> list[str]:
        """BIC's choice and the dates with their ``level`` intervals, in one sentence
        (:func:`analysis.reporting.narrative.bai_perron_sentence`)."""
        from analysis.reporting.narrative import bai_perron_sentence

        return [bai_perron_sentence(self, lang, level)]

    def plot(self, lang: str = "vi") -> None:
        """No figure here: :func:`analysis.analyses.trends.labelled_breaks` draws a yearly series with its breaks."""
        return None


def _partitions(rss: SegmentRSS, n: int, h: int, max_breaks: int) -> list[tuple[int, ...]]:
    """Least-RSS breaks for 1 .. max_breaks breaks: Bai and Perron's (2003) dynamic programme.

    ``best[s, e]`` is the least RSS of ``y[:e]`` cut into ``s`` segments of at
    least ``h``, ``prev[s, e]`` where the last of them starts.  Ends are taken
    in blocks of at most ``h``, so that every start a block needs was settled by
    an earlier block; ties go to the earliest break, as in strucchange.
    """
    best = np.full((max_breaks + 1, n + 1), np.inf)
    prev = np.zeros((max_breaks + 1, n + 1), dtype=int)
    ends = np.arange(h, n - h + 1)
    size = max(1, min(h, _CELLS // len(ends)))
    for first in range(0, len(ends), size):
        e = ends[first:first + size, None]
        starts = np.arange(e[-1, 0] - h + 1)
        with np.errstate(divide="ignore", invalid="ignore"):  # starts past e - h are masked
            cost = np.where(starts <= e - h, rss(starts, e), np.inf)
        best[1, e[:, 0]] = cost[:, 0]
        for s in range(2, max_breaks + 1):
            total = best[s - 1, starts] + cost
            prev[s, e[:, 0]] = np.argmin(total, axis=1)
            best[s, e[:, 0]] = np.take_along_axis(total, prev[s, e], axis=1)[:, 0]
    last = rss(ends, n)
    locations = []
    for m in range(1, max_breaks + 1):
        found = [int(ends[np.argmin(best[m, ends] + last)])]
        for s in range(m, 1, -1):
            found.insert(0, int(prev[s, found[0]]))
        locations.append(tuple(found))
    return locations


def breakpoints(y, x: str | np.ndarray | pd.DataFrame | None = None, max_breaks: int = 5,
                min_size: float = 0.15) -> Breakpoints:
    """Multiple breaks at unknown dates (Bai and Perron 2003), as strucchange's ``breakpoints``.

    Parameters
    ----------
    y : the series (a pandas Series keeps its index as period labels).
    x : regressors: None (mean), ``"trend"`` or an array (see the module notes).
    max_breaks : most breaks considered, capped like strucchange at
        ``ceil(n / min_size) - 2``.
    min_size : least observations in a segment (``h``); below 1, a share of n
        (``floor(min_size * n)``, strucchange's default 0.15).

    The segment RSS come from prefix sums and the dynamic programme runs over
    blocks of ends with numpy, O(n^2) work in O(n) memory: n = 10,000 with 5
    breaks takes seconds (``benchmarks/bench_breaks.py``).

    Examples
    --------
    >>> from statsmodels.datasets import nile
    >>> flow = nile.load_pandas().data.set_index("year")["volume"]
    >>> bp = breakpoints(flow)
    >>> bp.n_breaks, bp.breaks()
    (1, (28,))
    """
    data = regression(y, x)
    n, k = data.n, data.k
    h = math.floor(min_size * n) if min_size < 1 else int(min_size)
    if not k < h <= n // 2:
        raise ValueError(f"min_size must give more than {k} and at most {n // 2} observations, got {h}")
    max_breaks = min(int(max_breaks), math.ceil(n / h) - 2)
    if max_breaks < 1:
        raise ValueError(f"no room for a break with segments of {h} of {n} observations")
    rss = SegmentRSS(data)
    locations = [(), *_partitions(rss, n, h, max_breaks)]
    totals = [float(sum(rss(a, b) for a, b in zip([0, *found], [*found, n], strict=True)))
              for found in locations]
    return Breakpoints(data, h, np.array(totals), tuple(locations))


# --- CUSUM -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CusumTest:
    """A CUSUM test: statistic, p-value and the fluctuation process."""

    kind: str
    statistic: float
    p_value: float
    n: int
    process: pd.DataFrame

    def table(self, lang: str | None = None) -> pd.DataFrame:
        """One row: method, statistic, p_value, n."""
        return pd.DataFrame([{"method": f"cusum_{self.kind}", "statistic": self.statistic,
                              "p_value": self.p_value, "n": self.n}])

    def summary(self, lang: str = "vi") -> list[str]:
        """The result in one sentence (:func:`analysis.reporting.narrative.cusum_sentence`)."""
        from analysis.reporting.narrative import cusum_sentence

        return [cusum_sentence(self, lang)]

    def plot(self, lang: str = "vi") -> None:
        """No figure: one test."""
        return None


def brownian_motion_max_sf(statistic: float) -> float:
    """P(sup |W(t)| / (1 + 2t) > statistic, 0 < t < 1), strucchange's p-value of the recursive CUSUM."""
    x = statistic
    if x < 0.3:
        return 1 - 0.1465 * x
    cdf = stats.norm.cdf
    return float(2 * (stats.norm.sf(3 * x) + math.exp(-4 * x**2) * (cdf(x) + cdf(5 * x) - 1)
                      - math.exp(-16 * x**2) * stats.norm.sf(x)))


def cusum(y, x: str | np.ndarray | pd.DataFrame | None = None, kind: str = "ols") -> CusumTest:
    """CUSUM test of parameter stability, as strucchange's ``sctest(type = "OLS-CUSUM" / "Rec-CUSUM")``.

    ``kind="ols"``: cumulated OLS residuals over ``sigma sqrt(n)`` (sigma on
    n - k df), sup compared with a Brownian bridge (statsmodels'
    ``breaks_cusumolsresid``).  ``kind="recursive"``: cumulated standardised
    recursive residuals (statsmodels' ``recursive_olsresiduals``) over their
    standard deviation times ``sqrt(n - k)``, the statistic the largest
    ``|W(t)| / (1 + 2t)``.  ``process`` has ``position`` (observations used),
    ``period`` and ``value``.
    """
    data = regression(y, x)
    n, k = data.n, data.k
    fit = OLS(data.y, data.X).fit()
    if kind == "ols":
        statistic, p_value, _ = breaks_cusumolsresid(fit.resid, ddof=k)
        value = np.cumsum(fit.resid) / math.sqrt(fit.resid @ fit.resid / (n - k) * n)
        position = np.arange(1, n + 1)
    elif kind == "recursive":
        w = recursive_olsresiduals(fit)[3][k:]
        value = np.cumsum(w) / (w.std(ddof=1) * math.sqrt(n - k))
        statistic = float(np.max(np.abs(value) / (1 + 2 * np.arange(1, n - k + 1) / (n - k))))
        p_value = brownian_motion_max_sf(statistic)
        position = np.arange(k + 1, n + 1)
    else:
        raise ValueError(f"kind must be 'ols' or 'recursive', not {kind!r}")
    process = pd.DataFrame({"position": position, "period": data.labels[position - 1], "value": value})
    return CusumTest(kind, float(statistic), float(p_value), n, process)
