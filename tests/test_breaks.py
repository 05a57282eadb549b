"""Structural breaks against R's strucchange (reference numbers stored in tests/reference/).

``tests/reference/make_strucchange_reference.R`` ran strucchange 1.5-3, sandwich
3.0-2 and lmtest 0.9-40 (Debian r-cran-*) on R's Nile series (the same numbers
as ``statsmodels.datasets.nile``) and on a simulated trend series with breaks at
40 and 85 (``strucchange_trend_series.csv``, made by the script with a fixed
seed), and wrote ``strucchange_fit.csv`` (``summary(breakpoints(...))$RSS``),
``strucchange_breaks.csv`` (breakpoints and ``confint`` for 1-5 breaks, with
``het.reg = het.err = TRUE`` and ``FALSE``), ``strucchange_coef.csv`` and
``strucchange_tests.csv`` (Chow, NeweyWest Wald via ``lmtest::waldtest``,
sup-F, OLS and recursive CUSUM).  Breaks are counts of observations before the
break, which is strucchange's breakpoint.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, optimize, special, stats
from statsmodels.datasets import nile

from analysis.analyses.breaks import (
    SegmentRSS,
    breakpoints,
    chow_test,
    cusum,
    regression,
    sup_bessel_sf,
    sup_f_test,
)

REFERENCE = Path(__file__).parent / "reference"
RTOL = 1e-8  # achieved on every statistic; the issue asks 1e-6 for RSS and BIC


@pytest.fixture(scope="module")
def flow() -> pd.Series:
    """Annual flow of the Nile at Aswan, 1871-1970, indexed by year."""
    return nile.load_pandas().data.set_index("year")["volume"]


@pytest.fixture(scope="module")
def trend_series() -> pd.Series:
    return pd.read_csv(REFERENCE / "strucchange_trend_series.csv")["y"]


@pytest.fixture(scope="module")
def data(flow, trend_series) -> dict[str, tuple[pd.Series, str | None]]:
    """Each reference dataset as (y, x)."""
    return {"nile": (flow, None), "trend": (trend_series, "trend"),
            "nile_post": (flow.iloc[28:], None), "trend_head": (trend_series.iloc[:40], "trend")}


@pytest.fixture(scope="module")
def fitted(data) -> dict[str, object]:
    return {name: breakpoints(*data[name]) for name in ("nile", "trend")}


def reference(name: str) -> pd.DataFrame:
    return pd.read_csv(REFERENCE / f"strucchange_{name}.csv")


def r_test(dataset: str, test: str) -> pd.Series:
    table = reference("tests")
    row = table[(table["dataset"] == dataset) & (table["test"] == test)]
    assert len(row) == 1, (dataset, test)
    return row.iloc[0]


def test_nile_breaks_after_1898(flow, fitted):
    bp = fitted["nile"]
    assert bp.n_breaks == 1 and bp.breaks() == (28,)
    # 28 observations before the break: the old regime is flow[:28], ending with 1898 (0-based obs 27)
    assert flow.index[27] == 1898 and flow.index[28] == 1899
    ci = bp.confint()
    assert ci.loc[0, ["lower", "estimate", "upper"]].tolist() == [25, 28, 32]
    assert ci.loc[0, ["period_lower", "period", "period_upper"]].tolist() == [1895, 1898, 1902]
    coef = bp.coefficients()
    assert coef["estimate"].tolist() == pytest.approx([flow.iloc[:28].mean(), flow.iloc[28:].mean()])
    assert coef[["first", "last"]].values.tolist() == [[1871, 1898], [1899, 1970]]
    assert bp.summary("en") == ["Bai-Perron with segments of at least 15 of 100 observations: BIC chooses 1 break "
                                "(of up to 5), after 1898 (95% interval 1895 to 1902)."]
    assert bp.summary("vi") == ["Bai–Perron với mỗi đoạn ít nhất 15 trong 100 quan sát: BIC chọn 1 điểm gãy "
                                "(tối đa 5), sau 1898 (khoảng tin cậy 95%: 1895 đến 1902)."]
    assert bp.plot("en") is None


@pytest.mark.parametrize("dataset", ["nile", "trend"])
def test_rss_bic_and_breaks_match_strucchange(fitted, dataset):
    bp, fit = fitted[dataset], reference("fit").query("dataset == @dataset")
    table = bp.table()
    assert table["n_breaks"].tolist() == fit["n_breaks"].tolist()
    np.testing.assert_allclose(table["rss"], fit["rss"], rtol=RTOL)
    np.testing.assert_allclose(table["bic"], fit["bic"], rtol=RTOL)
    assert table["selected"].tolist() == (fit["bic"] == fit["bic"].min()).tolist()
    located = reference("breaks").query("dataset == @dataset and variant == 'het'")
    for m, group in located.groupby("n_breaks"):
        assert bp.breaks(m) == tuple(group["breakpoint"])


@pytest.mark.parametrize("variant", ["het", "hom"])
@pytest.mark.parametrize("dataset", ["nile", "trend"])
def test_confint_equals_strucchange(fitted, dataset, variant):
    expected = reference("breaks").query("dataset == @dataset and variant == @variant")
    for m, group in expected.groupby("n_breaks"):
        ci = fitted[dataset].confint(n_breaks=m, het_reg=variant == "het", het_err=variant == "het")
        assert ci["estimate"].tolist() == group["breakpoint"].tolist()
        for column in ("lower", "upper"):
            assert ci[column].astype("float").tolist() == group[column].astype("float").tolist(), (m, column)


def test_trend_model_two_breaks_and_coefficients(fitted):
    bp = fitted["trend"]
    assert bp.n_breaks == 2 and bp.breaks() == (40, 85)  # the simulated breaks
    coef = bp.coefficients()
    expected = reference("coef").query("dataset == 'trend'")
    merged = coef.merge(expected, on=["segment", "term"], suffixes=("", "_r"))
    assert len(merged) == 6
    np.testing.assert_allclose(merged["estimate"], merged["estimate_r"], rtol=RTOL)
    ci = bp.confint()
    assert (ci["lower"] <= [40, 85]).all() and (ci["upper"] >= [40, 85]).all()


def test_confint_level_and_refusal(fitted):
    bp = fitted["nile"]
    narrow, wide = bp.confint(level=0.5), bp.confint(level=0.99)
    assert wide.loc[0, "lower"] <= narrow.loc[0, "lower"] <= 28 <= narrow.loc[0, "upper"] <= wide.loc[0, "upper"]
    with pytest.raises(ValueError, match="no break"):
        bp.confint(n_breaks=0)


@pytest.mark.parametrize("dataset, lags", [("nile", None), ("nile", 4), ("trend", None), ("trend", 3)])
def test_chow_and_hac_wald_match_r(data, dataset, lags):
    expected = r_test(dataset, "chow" if lags is None else "chow_hac")
    result = chow_test(*data[dataset], break_index=int(expected["point"]), hac_lags=lags)
    assert (result.df_num, result.df_den) == (expected["df1"], expected["df2"])
    assert result.statistic == pytest.approx(expected["statistic"], rel=RTOL)
    assert result.p_value == pytest.approx(expected["p_value"], rel=1e-6)
    assert result.table().loc[0, "method"] == ("chow" if lags is None else "wald_hac")


def test_chow_sentence_and_bounds(flow):
    result = chow_test(flow, break_index=28)
    assert result.period == 1898
    assert result.summary("en") == ["Chow test of a break after 1898: F(1, 98) = 75.93, p < 0.001."]
    assert result.summary("vi") == ["Kiểm định Chow về một điểm gãy sau 1898: F(1, 98) = 75,93, p < 0,001."]
    assert chow_test(flow, break_index=28, hac_lags=4).summary("en")[0].startswith(
        "Wald test with Newey-West covariance (4 lags) of a break after 1898: F(1, 98) = ")
    with pytest.raises(ValueError, match="break_index"):
        chow_test(flow, "trend", break_index=2)


@pytest.mark.parametrize("dataset", ["nile", "trend", "nile_post", "trend_head"])
def test_sup_f_statistic_matches_strucchange(data, dataset):
    expected = r_test(dataset, "sup_f")
    result = sup_f_test(*data[dataset])
    assert result.statistic == pytest.approx(expected["statistic"], rel=RTOL)
    assert result.break_index == expected["breakpoint"]
    # exact asymptotic p-value vs strucchange's Hansen (1997) approximation: a little larger
    if expected["p_value"] > 0.01:
        assert expected["p_value"] <= result.p_value <= 1.15 * expected["p_value"]
    else:
        assert result.p_value < 1e-6


def kummer_series(statistic: float, k: int, span: float) -> float:
    """The same probability by its eigenfunction series, M(-mu, k/2, q/2) vanishing at the statistic."""
    g = lambda mu: special.hyp1f1(-mu, k / 2, statistic / 2)  # noqa: E731
    grid = np.linspace(1e-9, 20, 4001)
    signs = np.sign(g(grid))
    stay = 0.0
    for i in np.flatnonzero(signs[:-1] != signs[1:]):
        mu = optimize.brentq(g, grid[i], grid[i + 1], xtol=1e-14)
        f = lambda r: special.hyp1f1(-mu, k / 2, r**2 / 2)  # noqa: E731, B023 (on the radius r = sqrt(q))
        inner = integrate.quad(lambda r: f(r) * stats.chi.pdf(r, k), 0, np.sqrt(statistic))[0]  # noqa: B023
        norm = integrate.quad(lambda r: f(r) ** 2 * stats.chi.pdf(r, k), 0, np.sqrt(statistic))[0]  # noqa: B023
        stay += np.exp(-mu * span) * inner**2 / norm
    return 1 - stay


def test_sup_bessel_p_values():
    span = 2 * np.log(0.85 / 0.15)  # 15% trimming
    for statistic, k in [(8.86, 1), (10.0, 2), (12.0, 3)]:
        assert sup_bessel_sf(statistic, k, [span])[0] == pytest.approx(kummer_series(statistic, k, span), rel=1e-6)
    # so the 5% critical value of sup-F with one regressor and 15% trimming is 8.86
    assert sup_bessel_sf(8.86, 1, [span])[0] == pytest.approx(0.05, abs=2e-4)
    # a range of length 0 is one point: chi-square
    assert sup_bessel_sf(8.0, 1, [0.0])[0] == pytest.approx(stats.chi2.sf(8.0, 1), rel=1e-6)
    assert sup_bessel_sf(20.0, 3, [0.0])[0] == pytest.approx(stats.chi2.sf(20.0, 3), rel=1e-6)
    p = sup_bessel_sf(8.0, 2, [0.5, 2.0, span, 6.0])
    assert np.all(np.diff(p) > 0)


def test_sequential_tests(data, fitted):
    nile_seq, trend_seq = fitted["nile"].sequential(), fitted["trend"].sequential()
    assert nile_seq.loc[0, "statistic"] == pytest.approx(sup_f_test(*data["nile"]).statistic, rel=1e-10)
    assert nile_seq.loc[0, "break"] == 28
    assert nile_seq.loc[0, "p_value"] < 0.001 and nile_seq.loc[1, "p_value"] > 0.05  # one break, as BIC
    assert (trend_seq["p_value"].iloc[:2] < 0.001).all() and trend_seq.loc[2, "p_value"] > 0.05  # two
    assert trend_seq.loc[1, "break"] in (40, 85)  # a true break added to the 1-break partition (67)


@pytest.mark.parametrize("kind, test", [("ols", "OLS-CUSUM"), ("recursive", "Rec-CUSUM")])
@pytest.mark.parametrize("dataset", ["nile", "trend", "nile_post", "trend_head"])
def test_cusum_matches_strucchange(data, dataset, kind, test):
    expected = r_test(dataset, test)
    result = cusum(*data[dataset], kind=kind)
    assert result.statistic == pytest.approx(expected["statistic"], rel=RTOL)
    assert result.p_value == pytest.approx(expected["p_value"], rel=1e-6)


@pytest.mark.parametrize("kind", ["ols", "recursive"])
def test_cusum_detects_a_shift_and_not_noise(kind):
    rng = np.random.default_rng(7)
    noise = rng.normal(size=200)
    shifted = noise + np.where(np.arange(200) < 100, 0.0, 1.0)
    assert cusum(shifted, kind=kind).p_value < 0.01
    assert cusum(noise, kind=kind).p_value > 0.1
    process = cusum(noise, kind=kind).process
    assert list(process.columns) == ["position", "period", "value"]


def test_known_breaks_are_found():
    rng = np.random.default_rng(11)
    n = 300
    t = np.arange(n)
    mean_shift = rng.normal(size=n) + np.where(t < 130, 0.0, 1.2)
    bp = breakpoints(mean_shift)
    assert bp.n_breaks == 1 and abs(bp.breaks()[0] - 130) <= 3
    ci = bp.confint()
    assert ci.loc[0, "lower"] <= 130 <= ci.loc[0, "upper"]
    line = np.select([t < 100, t < 200], [0.02 * t, 6 - 0.02 * t], 0.03 * t - 5) + rng.normal(scale=0.5, size=n)
    found = breakpoints(line, "trend").breaks()
    assert len(found) == 2 and abs(found[0] - 100) <= 3 and abs(found[1] - 200) <= 3


@pytest.mark.parametrize("x", [None, "trend"])
def test_dynamic_programme_is_the_exhaustive_optimum(x):
    rng = np.random.default_rng(3)
    n, h = 36, 5
    y = rng.normal(size=n) + (np.arange(n) > 15) * 1.5
    bp = breakpoints(y, x, max_breaks=4, min_size=h)
    rss = SegmentRSS(regression(y, x))
    for m in range(1, bp.max_breaks + 1):
        allowed = [c for c in itertools.combinations(range(h, n - h + 1), m)
                   if all(b - a >= h for a, b in zip((0, *c), (*c, n), strict=True))]
        best = min(allowed, key=lambda c: sum(float(rss(a, b)) for a, b in zip((0, *c), (*c, n), strict=True)))
        assert bp.breaks(m) == best


def test_min_size_respected_and_max_breaks_capped():
    y = np.random.default_rng(5).normal(size=90)
    bp = breakpoints(y, min_size=20, max_breaks=9)
    assert bp.min_size == 20 and bp.max_breaks == 3  # ceil(90 / 20) - 2
    for found in bp.table()["breaks"]:
        assert np.diff([0, *found, 90]).min() >= 20
    assert breakpoints(y).min_size == 13  # floor(0.15 * 90)
    with pytest.raises(ValueError, match="min_size"):
        breakpoints(y, "trend", min_size=2)
    with pytest.raises(ValueError, match="min_size"):
        breakpoints(y, min_size=46)


def test_labels_and_regressors():
    y = np.r_[np.zeros(20), np.ones(20)] + np.random.default_rng(2).normal(scale=0.1, size=40)
    plain = breakpoints(y)
    assert plain.confint().loc[0, "period"] == 19  # positions when y has no index
    quarters = pd.Series(y, index=pd.period_range("2015Q1", periods=40, freq="Q"))
    assert breakpoints(quarters).confint().loc[0, "period"] == pd.Period("2019Q4", freq="Q")
    x = pd.DataFrame({"const": 1.0, "t": np.arange(40.0)})
    assert breakpoints(y, x).breaks() == breakpoints(y, "trend").breaks()
    assert breakpoints(y, x).coefficients()["term"].unique().tolist() == ["const", "t"]
    with pytest.raises(ValueError, match="finite"):
        breakpoints(np.r_[y[:-1], np.nan])


def test_every_test_result_follows_the_result_protocol(flow):
    """sup-F and CUSUM give one sentence in each language, a one-row table and no figure."""
    from analysis.results import Result

    sup_f, ols_cusum, recursive = sup_f_test(flow), cusum(flow), cusum(flow, kind="recursive")
    for result in (sup_f, ols_cusum, recursive, chow_test(flow, break_index=28), breakpoints(flow)):
        assert isinstance(result, Result)
    assert sup_f.summary("en") == [f"sup-F test over candidate breaks: sup F = {sup_f.statistic:.2f} for a break "
                                   "after 1898, p < 0.001."]
    assert ols_cusum.summary("en") == [f"OLS-based CUSUM test of stable coefficients: S = {ols_cusum.statistic:.3f}, "
                                       "p < 0.001."]
    assert recursive.summary("vi")[0].startswith("Kiểm định CUSUM phần dư đệ quy về độ ổn định của các hệ số: S = ")
    assert len(sup_f.table()) == len(ols_cusum.table()) == 1 and sup_f.plot() is None
