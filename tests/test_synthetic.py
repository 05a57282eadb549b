"""The embedded province survey: regenerated identically, and it reproduces the published path."""

from __future__ import annotations

import json

import pytest
from conftest import RAW

from analysis.analyses.describe import index_by_year
from analysis.data.load import load_survey
from analysis.synthetic import province as synthetic

SHIPPED = RAW / "province_survey"
GENERATED_FILES = ["survey.csv", "units.csv", "events.csv", "targets.csv", "mapping.yaml", "truth.json",
                   "comment_categories.csv"]


@pytest.fixture(scope="module")
def shipped_survey():
    return load_survey(SHIPPED / "mapping.yaml")


@pytest.fixture(scope="module")
def shipped_index(shipped_survey):
    return index_by_year(shipped_survey.cube()).set_index("year")


@pytest.mark.slow  # the generator calibrates ten years by root finding: 15 s or more
def test_regeneration_from_the_seed_gives_the_shipped_files_byte_for_byte(tmp_path):
    synthetic.generate(tmp_path)
    for name in GENERATED_FILES:
        assert (tmp_path / name).read_bytes() == (SHIPPED / name).read_bytes(), name


@pytest.mark.parametrize("year, published", [(2017, 76.43), (2018, 80.6), (2022, 81.98), (2023, 85.71)])
def test_index_reproduces_the_published_figure_within_half_a_point(shipped_index, year, published):
    assert abs(shipped_index.loc[year, "estimate"] - published / 100) < 0.005  # estimates are proportions


def test_2016_falls_below_2015_and_the_published_rises_hold(shipped_index):
    rate = shipped_index["estimate"]
    assert rate[2016] < rate[2015]
    assert abs((rate[2018] - rate[2017]) - 0.0417) < 0.005
    assert abs((rate[2023] - rate[2022]) - 0.0373) < 0.005


def test_direct_answers_run_higher_than_online_ones(shipped_survey):
    answered = shipped_survey.responses.dropna(subset=["answer"])
    satisfied = answered.assign(sat=answered["answer"] >= 4).groupby("channel")["sat"].mean()
    assert satisfied["direct"] > satisfied["online"] + 0.03


def test_truth_file_records_what_later_analyses_are_checked_against(shipped_index):
    truth = json.loads((SHIPPED / "truth.json").read_text(encoding="utf-8"))
    assert abs(sum(truth["driver_weights"].values()) - 1) < 1e-12
    names = [p["name"] for p in truth["policies"]]
    assert names == ["Chương trình hành động số 12", "Kết luận số 91"]
    action_12 = truth["policies"][0]
    assert action_12["applies_to"] == "provincial" and action_12["from_year"] == 2018
    assert all(effect > 0 for effect in action_12["effect_on_provincial_index_points"].values())
    assert truth["dip_2016"]["effect_on_province_index_points"] < 0
    # the recorded path (in percent) is the one the shipped answers give
    for year, value in truth["index_path_pct"].items():
        assert value / 100 == pytest.approx(shipped_index.loc[int(year), "estimate"], abs=1e-5)
        break


def test_vertical_agencies_are_not_bound_by_the_provincial_policy():
    """Counterfactual check on the generator: the policy shift is zero for vertical agencies."""
    import numpy as np

    draws = synthetic.draw(np.random.default_rng(1))
    shift = synthetic.policy_effect(draws.frame)
    vertical = draws.frame["vertical"].to_numpy()
    after = draws.frame["year"].to_numpy() >= 2018
    assert np.all(shift[vertical] == 0)
    assert np.all(shift[~vertical & after] > 0)
    assert np.all(shift[~after] == 0)
