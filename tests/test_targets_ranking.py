"""Targets and rankings against known truths: R's lm on the logit scale, simulated coverage and
statsmodels' meta-analysis.

Indices and targets are proportions (0-1); the series below are written in percent and divided by 100.
``tests/reference/make_projection_reference.R`` wrote ``projection_series.csv`` and, from
``predict(lm(qlogis(estimate) ~ year), interval = "prediction")`` back-transformed with ``plogis``,
``projection_reference.csv``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit, logit
from statsmodels.stats.meta_analysis import combine_effects

from analysis.analyses.ranking import between_variance, rank_intervals, shrink, tau2
from analysis.analyses.targets import EDGE, MIN_YEARS, against_targets, project

REFERENCE = Path(__file__).parent / "reference"

TARGETS = pd.DataFrame({"year": [2018, 2023, 2025, 2030], "target": [0.78, 0.8401, 0.90, 0.95]})


def series(values, start=2014):
    """An index table of ``values`` given in percent: proportions with a +-1.5-point interval."""
    years = np.arange(start, start + len(values))
    estimate = np.asarray(values, dtype=float) / 100
    return pd.DataFrame({"year": years, "estimate": estimate, "ci_low": estimate - 0.015,
                         "ci_high": estimate + 0.015})


def test_actual_against_target_uses_the_interval_for_beyond_doubt():
    table = against_targets(series([75, 76, 77, 78, 80.6, 81, 81.2, 81.5, 82, 84.5]), TARGETS).set_index("year")
    assert table.loc[2018, "gap"] == pytest.approx(0.026)
    assert table.loc[2018, "met"] and table.loc[2018, "met_beyond_doubt"]       # 80.6% - 1.5 = 79.1% >= 78%
    assert table.loc[2023, "met"] and not table.loc[2023, "met_beyond_doubt"]   # 84.5% >= 84.01% > 84.5% - 1.5


def test_a_short_series_is_not_projected():
    table = project(series([80, 81, 82, 83][: MIN_YEARS - 1]), TARGETS)
    assert (table["note"] == "too_short").all() and table["projected"].isna().all()


def test_projection_of_a_near_exact_logistic_line_is_that_line():
    """A logit rising by a known slope, with a +-0.01 wiggle: the projection is the logistic line's value."""
    wiggle = np.tile([0.01, -0.01], 5)
    slow = project(series(100 * expit(logit(0.7) + 0.1 * np.arange(10) + wiggle)), TARGETS).set_index("year")
    assert slow.loc[2025, "projected"] == pytest.approx(expit(logit(0.7) + 0.1 * 11), abs=0.001)  # 87.5% < 90%
    assert slow.loc[2030, "projected"] == pytest.approx(expit(logit(0.7) + 0.1 * 16), abs=0.001)  # 92.0% < 95%
    assert slow.loc[2025, "probability"] < 0.01 and slow.loc[2030, "probability"] < 0.01
    fast = project(series(100 * expit(logit(0.7) + 0.25 * np.arange(10) + wiggle)), TARGETS).set_index("year")
    assert fast.loc[2030, "projected"] == pytest.approx(expit(logit(0.7) + 0.25 * 16), abs=0.001)  # 99.2%
    assert fast.loc[2025, "probability"] > 0.99 and fast.loc[2030, "probability"] > 0.99


def test_prediction_intervals_cover_the_future_value_at_their_level():
    """200 simulated logistic series with noise on the logit scale: the 95% interval for year +2 covers the
    truth 90-99% of the time."""
    rng = np.random.default_rng(5)
    covered = 0
    for _ in range(200):
        values = 100 * expit(logit(0.75) + 0.05 * np.arange(12) + rng.normal(0, 0.06, 12))
        table = project(series(values[:10]), pd.DataFrame({"year": [2025], "target": [0.846]})).iloc[0]
        covered += table["pi_low"] <= values[11] / 100 <= table["pi_high"]
    assert 0.90 <= covered / 200 <= 0.99


@pytest.mark.parametrize("name", ["near_top", "level"])
def test_projection_is_rs_logit_line_with_its_prediction_interval_and_chance(name):
    index = pd.read_csv(REFERENCE / "projection_series.csv").query("series == @name")
    reference = pd.read_csv(REFERENCE / "projection_reference.csv").query("series == @name")
    table = project(index, reference[["year", "target"]])
    assert table["years_used"].eq(len(index)).all() and table["note"].eq("").all()
    for column in ("projected", "pi_low", "pi_high", "probability"):
        assert table[column].to_numpy() == pytest.approx(reference[column].to_numpy(), rel=1e-8, abs=1e-12), column


def test_an_index_of_exactly_one_is_taken_as_one_edge_below_it():
    values = [0.90, 0.92, 0.95, 0.97, 0.99, 1.0]
    index = pd.DataFrame({"year": range(2019, 2025), "estimate": values})
    edged = index.assign(estimate=[*values[:-1], 1 - EDGE])
    targets = pd.DataFrame({"year": [2030, 2030], "target": [0.99, 1.0]})
    table, expected = project(index, targets), project(edged, targets)
    pd.testing.assert_frame_equal(table, expected)
    assert np.isfinite(table[["projected", "pi_low", "pi_high"]]).all().all()
    assert table.loc[1, "probability"] == 0.0  # a share of 100% is never above itself


def test_between_variance_is_dersimonian_laird_as_statsmodels_computes_it():
    rng = np.random.default_rng(2)
    y, se = rng.normal(0.8, 0.05, 12), rng.uniform(0.01, 0.04, 12)
    ours = between_variance(y, se, np.zeros(12))
    reference = combine_effects(y, se**2, method_re="dl").tau2
    assert ours == pytest.approx(reference, rel=1e-10)


def test_shrinkage_pulls_imprecise_units_further_towards_their_block():
    table = pd.DataFrame({"unit_id": list("abcdef"), "block": list("xxxyyy"),
                          "estimate": [0.9, 0.7, 0.8, 0.6, 0.65, 0.95], "se": [0.01, 0.01, 0.1, 0.02, 0.02, 0.15]})
    shrunk = shrink(table).set_index("unit_id")
    assert tau2(table) > 0 and tau2(table) == between_variance(table["estimate"].to_numpy(), table["se"].to_numpy(),
                                                               table["block"].to_numpy())
    assert shrunk.loc["c", "shrinkage"] > shrunk.loc["a", "shrinkage"]
    assert shrunk.loc["f", "shrinkage"] > 0.5 and abs(shrunk.loc["f", "shrunk"] - 0.95) > 0.1
    assert abs(shrunk.loc["a", "shrunk"] - 0.9) < 0.01


def test_rank_intervals_are_exact_when_units_are_far_apart_and_wide_when_they_tie():
    apart = pd.DataFrame({"shrunk": [0.9, 0.8, 0.7], "shrunk_se": [0.001] * 3})
    ranked = rank_intervals(apart, seed=1)
    assert ranked["rank"].tolist() == [1, 2, 3]
    assert (ranked["rank_low"] == ranked["rank"]).all() and (ranked["rank_high"] == ranked["rank"]).all()
    tied = rank_intervals(pd.DataFrame({"shrunk": [0.8] * 4, "shrunk_se": [0.05] * 4}), seed=1)
    assert (tied["rank_low"] == 1).all() and (tied["rank_high"] == 4).all()


def test_rank_intervals_cover_the_true_rank_when_the_model_holds():
    rng = np.random.default_rng(9)
    hits, total = 0, 0
    for _ in range(40):
        theta = rng.normal(0.8, 0.05, 15)
        se = rng.uniform(0.01, 0.04, 15)
        table = pd.DataFrame({"block": "all", "estimate": theta + rng.normal(0, se), "se": se})
        ranked = rank_intervals(shrink(table), seed=int(rng.integers(1_000_000)), draws=2000)
        true_rank = (-theta).argsort().argsort() + 1
        hits += int(((ranked["rank_low"] <= true_rank) & (true_rank <= ranked["rank_high"])).sum())
        total += 15
    assert 0.83 <= hits / total <= 0.98  # nominal 90%


def test_a_scope_takes_its_own_targets_or_else_the_provinces(survey_mapping):
    from dataclasses import replace

    from analysis.data.load import load_survey
    from analysis.data.scope import select_scope

    survey = load_survey(survey_mapping)
    own = pd.DataFrame({"scope": ["SNV"], "year": [2025], "target": [0.92], "source": ["test"]})
    survey = replace(survey, targets=pd.concat([survey.targets, own], ignore_index=True))
    assert select_scope(survey, "SNV").targets["target"].tolist() == [0.92]
    assert select_scope(survey, "UBND cấp xã").targets["year"].tolist() == [2018, 2023, 2025, 2030]
    assert select_scope(survey, "UBND cấp xã").targets["target"].tolist() == pytest.approx([0.78, 0.8401, 0.9, 0.95])
    assert set(select_scope(survey, "province").targets["scope"]) == {"province"}


def test_a_projection_never_leaves_zero_to_one_hundred_percent():
    index = pd.DataFrame({"year": range(2017, 2025), "estimate": [0.80, 0.83, 0.86, 0.88, 0.91, 0.93, 0.95, 0.985]})
    targets = pd.DataFrame({"year": [2030], "target": [0.95]})
    row = project(index, targets).iloc[0]
    unbounded = np.polyval(np.polyfit(index["year"], index["estimate"], 1), 2030)
    assert unbounded > 1 and 0 < row["pi_low"] < row["projected"] < row["pi_high"] < 1
    assert row["projected"] > 0.99 and row["probability"] > 0.5
