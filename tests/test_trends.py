"""Trend changes and breaks: coverage on simulated series, the embedded survey, and PAPI's 2018 redesign."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import RAW

from analysis.analyses import trends
from analysis.data.load import load_survey
from analysis.data.papi import load_papi, load_papi_events


@pytest.fixture(scope="module")
def cube():
    return load_survey(RAW / "province_survey" / "mapping.yaml").cube()


def test_year_on_year_shows_the_2016_dip_within_sampling_error_and_the_2018_jump_beyond_it(cube):
    table = trends.year_on_year(cube).set_index("year")
    assert table.loc[2016, "difference"] < 0 and table.loc[2016, "p_value"] > 0.05
    assert table.loc[2018, "difference"] == pytest.approx(0.0417, abs=0.005) and table.loc[2018, "p_value"] < 0.01
    assert table.loc[2023, "difference"] == pytest.approx(0.0373, abs=0.005) and table.loc[2023, "p_value"] < 0.01


def test_shift_test_intervals_cover_a_known_shift():
    rng = np.random.default_rng(12)
    years = np.arange(2014, 2024)
    covered = 0
    for _ in range(500):
        se = rng.uniform(0.6, 1.0, 10)
        rate = 70 + 0.8 * (years - 2014) + 3.0 * (years >= 2018) + rng.normal(0, se)
        result = trends.shift_test(pd.DataFrame({"year": years, "rate": rate, "se": se}), 2018)
        covered += result["ci_low"] <= 3.0 <= result["ci_high"]
    assert 0.90 <= covered / 500 <= 0.99


def test_shift_test_adds_between_year_variance_only_when_the_data_show_it():
    years = np.arange(2014, 2024)
    rng = np.random.default_rng(3)
    quiet = trends.shift_test(pd.DataFrame({"year": years, "rate": 70 + years - 2014 + rng.normal(0, 0.1, 10),
                                            "se": 1.0}), 2018)
    noisy = trends.shift_test(pd.DataFrame({"year": years, "rate": 70 + years - 2014 + rng.normal(0, 3, 10),
                                            "se": 0.2}), 2018)
    assert quiet["tau2"] == 0 and noisy["tau2"] > 1


def test_known_year_tests_skip_chow_where_a_side_is_too_short():
    years = np.arange(2014, 2024)
    index = pd.DataFrame({"year": years, "rate": 70.0 + years - 2014, "se": 1.0})
    table = trends.known_year_tests(index, [2016, 2018, 2023]).set_index("year")
    assert np.isnan(table.loc[2016, "chow_f"]) and np.isnan(table.loc[2023, "chow_f"])
    assert not np.isnan(table.loc[2018, "chow_f"])


def test_papi_2018_redesign_is_a_method_break_in_the_affected_dimension():
    papi = RAW / "papi"
    panel, events = load_papi(papi), load_papi_events(papi)
    national = panel[panel["measure"] == "C02"].groupby("period")["value"].mean()
    national.index = national.index.astype(int)
    found = trends.labelled_breaks(national, events, "C02", max_breaks=2, min_size=3)
    redesign = found[found["regime_from"] == 2018]
    assert len(redesign) == 1
    assert redesign.iloc[0]["label"] == "method" and "2018" in redesign.iloc[0]["event"]


def test_a_break_away_from_any_methodology_event_is_a_change():
    series = pd.Series(np.r_[np.full(7, 5.0), np.full(7, 7.0)] + np.tile([0.05, -0.05], 7), index=range(2011, 2025))
    events = pd.DataFrame({"date": pd.to_datetime(["2021-01-01"]), "kind": ["methodology"], "applies_to": ["X"],
                           "name": ["later change"]})
    found = trends.labelled_breaks(series, events, "X", min_size=3)
    assert found["regime_from"].tolist() == [2018] and found["label"].tolist() == ["change"]


def test_the_stability_verdict_on_a_straight_trend_and_on_a_jump():
    """Ten years on a straight line with small noise read stable; the same with a 6-point jump in 2019 do not."""
    from analysis.analyses import breaks
    from analysis.analyses.trends import time_trend
    from analysis.reporting import narrative

    years = pd.Series(range(2014, 2024))
    noise = np.random.default_rng(3).normal(0, 0.3, 10)
    verdicts = {}
    for jump in (0.0, 6.0):
        rates = pd.Series(70 + 1.0 * np.arange(10) + noise + jump * (years >= 2019).to_numpy(), index=years)
        tests = pd.concat([breaks.sup_f_test(rates, time_trend(years)).table(),
                           breaks.cusum(rates, time_trend(years)).table()], ignore_index=True)
        verdicts[jump] = narrative.stability_sentence(tests, years, "en")
    assert "No evidence" in verdicts[0.0]
    assert "not stable" in verdicts[6.0] and "2019" in verdicts[6.0]
