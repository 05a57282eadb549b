"""Driver analysis against exact and independent computations, and the embedded survey's truth.

- LMG from the moment matrix equals the average over all p! orderings of R²
  increments from plain least squares on the raw data (1e-10);
- LMG and Johnson's weights equal base R's on R's swiss data
  (tests/reference/make_drivers_reference.R);
- the bootstrap is reproducible with its seed, and resampling groups spreads
  like resampling respondents;
- on the embedded survey the ranking matches the generator's driver weights
  and every interval holds the population share recorded in truth.json;
- the respondents left out are counted for the year analysed (38 in 2023 on
  the embedded survey, not the ten years' 506).
"""

from __future__ import annotations

import dataclasses
import json
from itertools import permutations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from conftest import RAW, ROOT
from scipy import stats

from analysis.analyses.drivers import (
    Importance,
    ImportancePerformance,
    driver_data,
    drivers_differ,
    importance_performance,
    linear_model,
    ordered_logit,
    relative_importance,
)
from analysis.analyses.indices import estimate
from analysis.data.load import load_survey
from analysis.reporting import narrative
from analysis.reporting.labels import label
from analysis.results import Result
from analysis.sections import drivers as section

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


@pytest.mark.slow  # a simulation or a whole-survey run: not in make test-fast
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
    for (segment, metric), rows in shares.groupby(["segment", "metric"]):  # noqa: B007 (metric: in the query)
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


def test_linear_model_gives_hc3_errors_and_the_coefficients_of_standardised_variables():
    data = simulated(800, 3, seed=4)
    drivers = ["d0", "d1", "d2"]
    table = linear_model(data, drivers=drivers)
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


@pytest.mark.filterwarnings("ignore::statsmodels.tools.sm_exceptions.ConvergenceWarning")  # gtol: at the optimum
def test_the_ordered_logit_on_counted_distinct_rows_is_the_fit_on_every_row():
    """Component means take few values: the fit over distinct rows and their counts is statsmodels' own
    OrderedModel on the rows repeated (estimates, SEs and log-likelihood)."""
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    from analysis.analyses.drivers import CountedOrderedModel

    rng = np.random.default_rng(16)
    x = rng.integers(1, 6, size=(3000, 2)) / np.array([1.0, 2.0])  # a mean answer and a mean of two answers
    latent = x @ np.array([0.9, -0.5]) + rng.logistic(size=len(x))
    y = 1.0 + np.searchsorted([1.0, 2.0, 2.8, 3.6], latent)
    tight = {"method": "bfgs", "maxiter": 1000, "disp": False, "gtol": 1e-9}  # both at the optimum, not near it
    every = OrderedModel(y, x, distr="logit").fit(**tight)
    rows, counts = np.unique(np.column_stack([x, y]), axis=0, return_counts=True)
    assert len(rows) < len(x) / 20
    counted = CountedOrderedModel(rows[:, -1], rows[:, :-1], counts, distr="logit").fit(**tight)
    np.testing.assert_allclose(counted.params, every.params, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(counted.bse, every.bse, rtol=1e-5)
    assert counted.llf == pytest.approx(every.llf, rel=1e-12)


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
    rows = data.rows
    assert data.respondents == survey.n_respondents
    assert data.dropped == survey.n_respondents - len(rows) == 506
    assert rows[["access", "procedure", "staff", "result", "feedback", "overall"]].notna().all().all()
    assert rows["block"].notna().all()
    first = survey.responses[survey.responses["respondent_id"] == rows.loc[0, "respondent_id"]]
    staff = first.loc[first["component"] == "staff", "answer"].dropna()
    assert rows.loc[0, "staff"] == pytest.approx(staff.mean())
    items = driver_data(survey.responses, level="item")
    assert items.drivers[:2] == ("access.1", "access.2") and len(items.drivers) == 12
    assert not rows.attrs and not items.rows.attrs  # counts are fields, not metadata riding on the table


def test_the_dropped_count_is_the_years_own(survey, data):
    """2023's respondents without every answer are 38; the whole survey's 506 must not leak into 2023."""
    year = driver_data(survey.responses, survey.units, year=2023)
    respondents = survey.responses.loc[survey.responses["year"] == 2023, "respondent_id"].nunique()
    assert (year.respondents, year.dropped, len(year)) == (respondents, 38, respondents - 38)
    pd.testing.assert_frame_equal(year.rows, data.rows[data.rows["year"] == 2023].reset_index(drop=True))
    by_year = sum(driver_data(survey.responses, survey.units, year=y).dropped for y in range(2014, 2024))
    assert by_year == data.dropped


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


def test_importance_performance_quadrants_and_the_verdict_rule(survey, importance):
    cube = survey.cube()
    ipa = importance_performance(importance, cube)
    assert isinstance(ipa, ImportancePerformance) and isinstance(ipa, Result)
    table = ipa.table()
    assert table["importance"].sum() == pytest.approx(1)
    performance = estimate(cube, ["component"]).set_index("component")["estimate"]
    np.testing.assert_allclose(table["performance"], performance.loc[table["driver"]])
    high = table["importance"] >= table["importance"].mean()
    good = table["performance"] >= table["performance"].mean()
    expected = np.select([high & ~good, high & good, ~high & good], ["concentrate", "keep_up", "overkill"],
                         "low_priority")
    assert list(table["quadrant"]) == list(expected)
    # the one verdict: important, with the whole performance interval below the drivers' mean performance
    below = table["performance_high"] < table["performance"].mean()
    assert list(table["act"]) == list(high & below) and "diagonal" not in table
    assert table.set_index("driver").loc["procedure", "quadrant"] == "concentrate"
    for code in [*table["quadrant"], "act", "mean_performance"]:
        assert label(code, "vi") != code and label(code, "en") != code
    fig = ipa.plot("vi")
    assert fig.axes[0].get_xlabel() == label("performance", "vi")
    assert ipa.summary("en") == [narrative.ipa_sentence(table, "en")]


def test_importance_performance_of_one_year_from_the_survey_cube_is_that_of_the_years_cube(survey):
    """Performance read from the whole survey's cells of 2023 equals that of a cube of 2023's answers."""
    from analysis.cube.memory import build_cube

    importance = relative_importance(driver_data(survey.responses, survey.units, year=2023), replicates=0)
    shared = importance_performance(importance, survey.cube(), year=2023).table()
    alone = importance_performance(importance, build_cube(
        survey.responses[survey.responses["year"] == 2023], survey.units)).table()
    columns = ["performance", "performance_low", "performance_high"]
    np.testing.assert_allclose(shared[columns], alone[columns], rtol=1e-12, atol=1e-14)
    assert list(shared["quadrant"]) == list(alone["quadrant"])


@pytest.mark.slow  # a simulation or a whole-survey run: not in make test-fast
def test_driver_models_and_sentences_on_the_embedded_survey(data, importance, survey):
    by_channel = linear_model(data, by=["channel"])
    assert set(by_channel["channel"]) == {"direct", "online"}
    assert (by_channel.groupby("channel")["std_coef"].idxmax().map(by_channel["driver"]) == "staff").all()
    logit = ordered_logit(data)
    assert logit.set_index("driver")["std_coef"].idxmax() == "staff"
    differ = drivers_differ(data, "year")
    assert differ["levels"].iloc[0] == 10 and differ.set_index("driver").loc["all", "p_value"] > 0.05
    shares = lmg_rows(importance).reset_index()
    ipa = importance_performance(importance, survey.cube()).table()
    assert isinstance(importance, Importance) and isinstance(importance, Result) and importance.dropped == 506
    for lang in ("vi", "en"):
        text = narrative.drivers_sentence(shares, importance.fit, lang, dropped=data.dropped)
        assert label("staff", lang) in text and "506" in text
        assert importance.summary(lang) == [text]
        assert label("procedure", lang) in narrative.ipa_sentence(ipa, lang)
        assert label("year", lang).lower() in narrative.differ_sentence(differ, lang)


# --------------------------------------------------------------------------- the section's headline


@pytest.fixture(scope="module")
def headline(survey):
    return section.headline(survey, 2023, min_cell=10, seed=20231231, replicates=200)


def test_the_2023_drivers_sentence_says_38_answers_were_left_out(headline):
    """The defect of the ten-year count (506) beside the year's 1,176 analysed respondents, fixed."""
    assert isinstance(headline, Result) and headline.data.dropped == 38 and len(headline.data) == 1176
    drivers_vi, ipa_vi = headline.summary("vi")
    assert "1.176 phiếu" in drivers_vi and " 38 phiếu thiếu câu trả lời không được đưa vào phân tích." in drivers_vi
    assert "506" not in drivers_vi
    drivers_en, _ = headline.summary("en")
    assert "1,176 respondents" in drivers_en and " 38 respondents with a missing answer were left out." in drivers_en
    assert ipa_vi == narrative.ipa_sentence(headline.ipa.table(), "vi")


def test_the_headline_is_the_sections_own_computation(survey, headline):
    """Same seed, same numbers as the analyses called directly on the year's respondents."""
    year = driver_data(survey.responses, survey.units, year=2023)
    direct = relative_importance(year, replicates=200, seed=20231231)
    pd.testing.assert_frame_equal(headline.table(), direct.shares)
    pd.testing.assert_frame_equal(headline.importance.fit, direct.fit)
    assert headline.importance.summary("vi") == direct.summary("vi")
    assert headline.plot("vi").axes[0].get_xlabel() == label("share", "vi")
    assert (headline.table()["share"].between(0, 1)).all()  # proportions


def test_a_scope_with_too_few_respondents_says_so_and_nothing_else(survey):
    answers = survey.responses[survey.responses["year"] == 2023]
    small = dataclasses.replace(survey, responses=answers[answers["respondent_id"].isin(
        answers["respondent_id"].unique()[:25])])
    head = section.headline(small, 2023, min_cell=10, replicates=0)
    assert 0 < len(head.data) < 30 and head.data.respondents == 25
    assert head.importance is None and head.ipa is None and head.plot("vi") is None and head.table().empty
    assert head.summary("en") == [narrative.say("drivers_too_few", "en", n=len(head.data), year=2023)]
    empty = section.headline(small, 2019, min_cell=10, replicates=0)  # no answers that year at all
    assert (len(empty.data), empty.data.dropped) == (0, 0) and empty.importance is None
    assert empty.summary("vi") == [narrative.say("drivers_too_few", "vi", n=0, year=2019)]


def test_segments_under_min_cell_are_left_out_and_named(headline):
    compared = section.compare_segments(headline.data, "channel", min_cell=10, replicates=0)
    assert compared.left_out == () and compared.test is not None
    assert set(compared.table()["channel"]) == {"direct", "online"}
    assert compared.summary("vi")[-1] == narrative.differ_sentence(compared.test, "vi")
    sizes = headline.data.rows["unit_id"].value_counts()
    by_unit = section.compare_segments(headline.data, "unit_id", min_cell=int(sizes.max()), replicates=0)
    assert by_unit.test is None and by_unit.importance is None and by_unit.table().empty
    assert len(by_unit.left_out) == (sizes < sizes.max()).sum()
    assert by_unit.summary("vi") == [narrative.segments_left_out_sentence(list(by_unit.left_out), "vi"),
                                     narrative.say("segments_one", "vi", segment=label("unit_id", "vi").lower())]


def test_results_by_segment_say_one_sentence_per_segment_and_draw_no_figure(survey, headline):
    importance = compared = section.compare_segments(headline.data, "channel", min_cell=10, replicates=100).importance
    assert compared is not None and importance.plot("en") is None
    sentences = importance.summary("en")
    assert [s.split(": ", 1)[0] for s in sentences] == [label("direct", "en"), label("online", "en")]
    lmg = importance.lmg()
    online = lmg[lmg["channel"] == "online"]
    fit = importance.fit[importance.fit["channel"] == "online"]
    assert sentences[1] == f"{label('online', 'en')}: {narrative.drivers_sentence(online, fit, 'en')}"
    ipa = importance_performance(importance, survey.cube(), year=2023)
    assert ipa.plot("en") is None and len(ipa.summary("en")) == 2
    assert ipa.table().groupby("channel")["importance"].sum().round(12).eq(1).all()
