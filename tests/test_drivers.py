"""Driver analysis against exact and independent computations, and the embedded survey's truth.

- LMG from the moment matrix equals the average over all p! orderings of R²
  increments from plain least squares on the raw data (1e-10);
- LMG and Johnson's weights equal base R's on R's swiss data
  (tests/reference/make_drivers_reference.R);
- the bootstrap is reproducible with its seed, and resampling groups spreads
  like resampling respondents;
- on the embedded survey the ranking matches the generator's driver weights
  and every interval holds the population share recorded in truth.json.
"""

from __future__ import annotations

import json
from itertools import permutations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from conftest import RAW, ROOT
from scipy import stats

from analysis.analyses.drivers import (
    driver_data,
    drivers_differ,
    importance_performance,
    ipa_figure,
    ols,
    ordered_logit,
    relative_importance,
)
from analysis.analyses.indices import estimate
from analysis.data.load import load_survey
from analysis.reporting import narrative
from analysis.reporting.labels import label

REFERENCE = ROOT / "tests" / "reference"
SURVEY = RAW / "province_survey"


def simulated(n: int, p: int, seed: int, slopes: np.ndarray | None = None) -> pd.DataFrame:
    """Correlated drivers d0..d{p-1}, an outcome ``overall`` and positive weights."""
    rng = np.random.default_rng(seed)
    common = rng.normal(size=(n, 1))
    x = 0.7 * common + rng.normal(size=(n, p))
    slopes = np.linspace(1.0, 0.2, p) if slopes is None else slopes
    data = pd.DataFrame(x, columns=[f"d{j}" for j in range(p)])
    data["overall"] = x @ slopes + rng.normal(scale=1.5, size=n)
    data["weight"] = rng.uniform(0.5, 3.0, n)
    return data


def r2_least_squares(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """Weighted R² of y on an intercept and ``x``, by ``numpy.linalg.lstsq``."""
    design = np.column_stack([np.ones(len(y)), x])
    root = np.sqrt(w)
    beta = np.linalg.lstsq(design * root[:, None], y * root, rcond=None)[0]
    residual = y - design @ beta
    centred = y - np.average(y, weights=w)
    return 1 - (w * residual**2).sum() / (w * centred**2).sum()


def lmg_brute_force(data: pd.DataFrame, drivers: list[str], weighted: bool) -> np.ndarray:
    """LMG by definition: each driver's R² increment when it enters, averaged over all orderings."""
    x, y = data[drivers].to_numpy(), data["overall"].to_numpy()
    w = data["weight"].to_numpy() if weighted else np.ones(len(y))
    total, orders = np.zeros(len(drivers)), list(permutations(range(len(drivers))))
    for order in orders:
        before = 0.0
        for k, j in enumerate(order):
            after = r2_least_squares(x[:, list(order[:k + 1])], y, w)
            total[j] += after - before
            before = after
    return total / len(orders)


def lmg_rows(importance, metric: str = "lmg") -> pd.DataFrame:
    return importance.shares[importance.shares["metric"] == metric].set_index("driver")


@pytest.mark.parametrize("p", [2, 3, 4, 5])
@pytest.mark.parametrize("weighted", [False, True])
def test_lmg_equals_the_average_over_all_orderings_of_least_squares_increments(p, weighted):
    data = simulated(300, p, seed=p)
    drivers = [f"d{j}" for j in range(p)]
    importance = relative_importance(data, drivers=drivers, replicates=0, weighted=weighted)
    estimated = lmg_rows(importance)["estimate"].to_numpy()
    np.testing.assert_allclose(estimated, lmg_brute_force(data, drivers, weighted), rtol=0, atol=1e-10)
    full = r2_least_squares(data[drivers].to_numpy(), data["overall"].to_numpy(),
                            data["weight"].to_numpy() if weighted else np.ones(len(data)))
    assert importance.fit["r2"].iloc[0] == pytest.approx(full, abs=1e-10)
    for metric in ("lmg", "johnson"):
        assert lmg_rows(importance, metric)["estimate"].sum() == pytest.approx(full, abs=1e-10)
        assert lmg_rows(importance, metric)["share"].sum() == pytest.approx(1, abs=1e-12)


@pytest.mark.parametrize("weighted", [False, True])
def test_lmg_and_johnson_weights_equal_base_r_on_the_swiss_data(weighted):
    data = pd.read_csv(REFERENCE / "drivers_swiss.csv").rename(columns={"Fertility": "overall"})
    reference = pd.read_csv(REFERENCE / "drivers_swiss_reference.csv")
    reference = reference[reference["weighted"] == weighted]
    drivers = [c for c in data.columns if c not in ("overall", "weight")]
    importance = relative_importance(data, drivers=drivers, replicates=0, weighted=weighted)
    for metric in ("lmg", "johnson"):
        expected = reference[reference["metric"] == metric].set_index("driver")["value"]
        np.testing.assert_allclose(lmg_rows(importance, metric)["estimate"], expected.loc[drivers], rtol=0,
                                   atol=1e-10)
    r2 = reference.loc[reference["metric"] == "r2", "value"].iloc[0]
    assert importance.fit["r2"].iloc[0] == pytest.approx(r2, abs=1e-10)


def test_bootstrap_intervals_are_reproducible_with_the_seed_and_change_with_another():
    data = simulated(3000, 4, seed=11)
    drivers = ["d0", "d1", "d2", "d3"]
    runs = [relative_importance(data, drivers=drivers, replicates=300, seed=seed, groups=500) for seed in (5, 5, 6)]
    pd.testing.assert_frame_equal(runs[0].shares, runs[1].shares)
    pd.testing.assert_frame_equal(runs[0].differences, runs[1].differences)
    pd.testing.assert_frame_equal(runs[0].fit, runs[1].fit)
    assert not np.allclose(runs[0].shares["ci_low"], runs[2].shares["ci_low"])
    pd.testing.assert_series_equal(runs[0].shares["estimate"], runs[2].shares["estimate"])


def test_a_segment_with_collinear_drivers_gets_no_shares_and_the_others_are_unchanged():
    """Four respondents whose d1 is d0 exactly: no unique shares there (NaN), not a failed run."""
    data = simulated(2000, 3, seed=4).assign(segment="large")
    tiny = simulated(4, 3, seed=5).assign(segment="tiny")
    tiny["d1"] = tiny["d0"]
    both = relative_importance(pd.concat([data, tiny], ignore_index=True), by=["segment"],
                               drivers=["d0", "d1", "d2"], replicates=50, seed=1).shares
    alone = relative_importance(data, by=["segment"], drivers=["d0", "d1", "d2"], replicates=0).shares
    assert both.loc[both["segment"] == "tiny", "estimate"].isna().all()
    np.testing.assert_allclose(both.loc[both["segment"] == "large", "estimate"], alone["estimate"], atol=1e-12)


def test_an_interval_is_blank_when_more_than_one_percent_of_its_replicates_are_undefined():
    from analysis.analyses.drivers import _interval

    draws = np.random.default_rng(2).normal(size=(1000, 2))
    draws[:50, 0] = np.nan  # 5% undefined: the rest would give too narrow an interval
    draws[:5, 1] = np.nan   # 0.5%: kept
    low, high = _interval(draws, 0.95)
    assert np.isnan(low[0]) and np.isnan(high[0])
    assert -2.2 < low[1] < -1.7 and 1.7 < high[1] < 2.2


def test_resampling_groups_spreads_like_resampling_respondents():
    """Groups of a random partition of iid respondents are iid: same interval widths as the ordinary bootstrap."""
    data = simulated(20_000, 5, seed=3)
    widths = {}
    for groups in (len(data), 1000):  # every respondent its own group: the ordinary bootstrap
        shares = relative_importance(data, drivers=[f"d{j}" for j in range(5)], replicates=1000, seed=9,
                                     groups=groups).shares
        widths[groups] = (shares["ci_high"] - shares["ci_low"]).to_numpy()
    ratio = widths[1000] / widths[len(data)]
    assert np.all(np.abs(ratio - 1) < 0.15), ratio
    assert abs(ratio.mean() - 1) < 0.06, ratio


def test_tables_hold_together():
    data = simulated(2000, 4, seed=21).assign(segment=lambda d: np.where(d.index % 3 == 0, "a", "b"))
    importance = relative_importance(data, by=["segment"], drivers=["d0", "d1", "d2", "d3"], replicates=200,
                                     seed=1)
    shares, fit = importance.shares, importance.fit.set_index("segment")
    assert list(fit["n"]) == [667, 1333]
    for (segment, metric), rows in shares.groupby(["segment", "metric"]):
        assert rows["estimate"].sum() == pytest.approx(fit.loc[segment, "r2"], abs=1e-12)
        assert sorted(rows["rank"]) == [1, 2, 3, 4]
        assert (rows["ci_low"] <= rows["estimate"]).all() and (rows["estimate"] <= rows["ci_high"]).all()
        assert (rows["rank_ci_low"] <= rows["rank"]).all() and (rows["rank"] <= rows["rank_ci_high"]).all()
        pairs = importance.differences.query("segment == @segment and metric == @metric")
        assert len(pairs) == 6
        value = rows.set_index("driver")["estimate"]
        np.testing.assert_allclose(pairs["difference"], value[pairs["driver"]].to_numpy()
                                   - value[pairs["versus"]].to_numpy(), atol=1e-15)


def hc3_standard_errors(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """HC3 standard errors of weighted least squares, from MacKinnon and White's (1985) formula."""
    design = np.column_stack([np.ones(len(y)), x])
    bread = np.linalg.inv(design.T @ (w[:, None] * design))
    beta = bread @ design.T @ (w * y)
    residual = y - design @ beta
    leverage = w * np.einsum("ij,jk,ik->i", design, bread, design)
    meat = design.T @ (((w * residual / (1 - leverage)) ** 2)[:, None] * design)
    return np.sqrt(np.diag(bread @ meat @ bread))


def test_ols_gives_hc3_errors_and_the_coefficients_of_standardised_variables():
    data = simulated(800, 3, seed=4)
    drivers = ["d0", "d1", "d2"]
    table = ols(data, drivers=drivers)
    x, y, w = data[drivers].to_numpy(), data["overall"].to_numpy(), data["weight"].to_numpy()
    np.testing.assert_allclose(table["se"], hc3_standard_errors(x, y, w)[1:], rtol=1e-10)

    def standardised(v):
        mean = np.average(v, axis=0, weights=w)
        return (v - mean) / np.sqrt(np.average((v - mean) ** 2, axis=0, weights=w))

    direct = sm.WLS(standardised(y), sm.add_constant(standardised(x)), weights=w).fit().params[1:]
    np.testing.assert_allclose(table["std_coef"], direct, rtol=1e-10)


def test_ordered_logit_recovers_the_latent_slopes_on_a_seeded_sample():
    rng = np.random.default_rng(8)
    x = rng.normal(size=(6000, 2))
    slopes = np.array([1.2, 0.4])
    latent = x @ slopes + rng.logistic(size=len(x))
    data = pd.DataFrame(x, columns=["a", "b"]).assign(
        overall=1.0 + np.searchsorted([-2.0, -0.7, 0.5, 2.0], latent), weight=1.0)
    table = ordered_logit(data, drivers=["a", "b"], max_rows=4000, seed=2)
    assert (table["n"] == 4000).all()
    assert np.all(np.abs(table["coef"] - slopes) < 3 * table["se"])
    sd_latent = np.sqrt(np.var(x[:, :2] @ slopes) + np.pi**2 / 3)
    np.testing.assert_allclose(table["std_coef"], slopes * x.std(axis=0) / sd_latent, rtol=0.1)
    pd.testing.assert_frame_equal(table, ordered_logit(data, drivers=["a", "b"], max_rows=4000, seed=2))


def test_drivers_differ_finds_a_slope_that_changes_between_segments_and_no_other():
    data = simulated(4000, 3, seed=12)
    data["segment"] = np.where(np.arange(len(data)) % 2 == 0, "x", "y")
    data.loc[data["segment"] == "y", "overall"] += 0.6 * data.loc[data["segment"] == "y", "d2"]
    table = drivers_differ(data, "segment", drivers=["d0", "d1", "d2"]).set_index("driver")
    assert table.loc["all", "df_num"] == 3 and table.loc["d2", "df_num"] == 1
    assert table.loc["all", "p_value"] < 1e-6 and table.loc["d2", "p_value"] < 1e-6
    assert table.loc["d0", "p_value"] > 0.01 and table.loc["d1", "p_value"] > 0.01
    # with one interaction the F test is the square of the robust t test of that coefficient
    y = data["segment"].eq("y").to_numpy(float)
    x = data[["d0", "d1", "d2"]].to_numpy()
    design = np.column_stack([np.ones(len(x)), y, x, y[:, None] * x])
    fit = sm.WLS(data["overall"].to_numpy(), design, weights=data["weight"].to_numpy()).fit(cov_type="HC3")
    assert table.loc["d2", "statistic"] == pytest.approx(fit.tvalues[7] ** 2, rel=1e-10)


# --------------------------------------------------------------------------- the embedded survey


@pytest.fixture(scope="module")
def survey():
    return load_survey(SURVEY / "mapping.yaml")


@pytest.fixture(scope="module")
def data(survey):
    return driver_data(survey.responses, survey.units)


@pytest.fixture(scope="module")
def importance(data):
    return relative_importance(data, replicates=1000, seed=2023)


@pytest.fixture(scope="module")
def truth():
    return json.loads((SURVEY / "truth.json").read_text(encoding="utf-8"))


def test_driver_data_keeps_complete_respondents_and_says_how_many_were_dropped(survey, data):
    assert data.attrs["respondents"] == survey.n_respondents
    assert data.attrs["dropped"] == survey.n_respondents - len(data) > 0
    assert data[["access", "procedure", "staff", "result", "feedback", "overall"]].notna().all().all()
    assert data["block"].notna().all()
    first = survey.responses[survey.responses["respondent_id"] == data.loc[0, "respondent_id"]]
    staff = first.loc[first["component"] == "staff", "answer"].dropna()
    assert data.loc[0, "staff"] == pytest.approx(staff.mean())
    items = driver_data(survey.responses, level="item")
    assert items.attrs["drivers"][:2] == ["access.1", "access.2"] and len(items.attrs["drivers"]) == 12


def test_estimated_ranking_and_intervals_recover_the_truth(importance, truth):
    population = truth["driver_lmg_share_population"]
    weights = pd.Series(truth["driver_weights"])
    for metric in ("lmg", "johnson"):
        rows = lmg_rows(importance, metric)
        assert stats.spearmanr(rows["estimate"], weights.loc[rows.index]).statistic >= 0.9
    rows = lmg_rows(importance)
    for driver, row in rows.iterrows():
        assert row["share_low"] <= population["share"][driver] <= row["share_high"], driver
        assert row["ci_low"] <= population["lmg"][driver] <= row["ci_high"], driver
    fit = importance.fit.iloc[0]
    assert fit["ci_low"] <= population["r2"] <= fit["ci_high"]


def test_importance_performance_quadrants_and_diagonal(survey, importance):
    cube = survey.cube()
    table = importance_performance(importance, cube)
    assert table["importance"].sum() == pytest.approx(1)
    performance = estimate(cube, ["component"]).set_index("component")["estimate"]
    np.testing.assert_allclose(table["performance"], performance.loc[table["driver"]])
    high = table["importance"] >= table["importance"].mean()
    good = table["performance"] >= table["performance"].mean()
    expected = np.select([high & ~good, high & good, ~high & good], ["concentrate", "keep_up", "overkill"],
                         "low_priority")
    assert list(table["quadrant"]) == list(expected)
    z = (table[["importance", "performance"]] - table[["importance", "performance"]].mean()) / table[
        ["importance", "performance"]].std()
    assert list(table["diagonal"]) == list(np.where(z["importance"] > z["performance"], "improve", "maintain"))
    assert table.set_index("driver").loc["procedure", "quadrant"] == "concentrate"
    for code in [*table["quadrant"], *table["diagonal"]]:
        assert label(code, "vi") != code and label(code, "en") != code
    fig = ipa_figure(table, "vi")
    assert fig.axes[0].get_xlabel() == label("performance", "vi")


def test_driver_models_and_sentences_on_the_embedded_survey(data, importance, survey):
    by_channel = ols(data, by=["channel"])
    assert set(by_channel["channel"]) == {"direct", "online"}
    assert (by_channel.groupby("channel")["std_coef"].idxmax().map(by_channel["driver"]) == "staff").all()
    logit = ordered_logit(data)
    assert logit.set_index("driver")["std_coef"].idxmax() == "staff"
    differ = drivers_differ(data, "year")
    assert differ["levels"].iloc[0] == 10 and differ.set_index("driver").loc["all", "p_value"] > 0.05
    shares = lmg_rows(importance).reset_index()
    ipa = importance_performance(importance, survey.cube())
    for lang in ("vi", "en"):
        text = narrative.drivers_sentence(shares, importance.fit, lang, dropped=data.attrs["dropped"])
        assert label("staff", lang) in text and "506" in text
        assert label("procedure", lang) in narrative.ipa_sentence(ipa, lang)
        assert label("year", lang).lower() in narrative.differ_sentence(differ, lang)
