"""Staggered adoption: Callaway and Sant'Anna group-time effects against R did's mpdta and a simulation."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.analyses.staggered import group_time_effects

REFERENCE = Path(__file__).parent / "reference"

# R did 2.5.1's own vignette (did-basics.md, bcallaway11/did at 71ba8a5), printed to 4 decimals:
# att_gt(yname="lemp", gname="first.treat", idname="countyreal", tname="year", xformla=~1, data=mpdta)
PUBLISHED_GROUP_TIME = [-0.0105, -0.0704, -0.1373, -0.1008, 0.0065, -0.0028, -0.0046, -0.0412,
                        0.0305, -0.0027, -0.0311, -0.0261]
PUBLISHED_EVENT_TIME = [0.0305, -0.0006, -0.0245, -0.0199, -0.0510, -0.1373, -0.1008]  # aggte(type="dynamic")


@pytest.fixture(scope="module")
def mpdta() -> tuple[pd.DataFrame, pd.Series]:
    data = pd.read_csv(REFERENCE / "mpdta.csv")
    unit = data["countyreal"].astype(int).astype(str)
    panel = pd.DataFrame({"unit_id": unit, "year": data["year"], "value": data["lemp"],
                          "weight": np.exp(data["lpop"]), "n": 1})
    adoption = data.groupby(unit)["first.treat"].first().replace(0, np.nan)
    return panel, adoption


@pytest.fixture(scope="module")
def reference() -> dict:
    return json.loads((REFERENCE / "mpdta_reference.json").read_text())


def test_published_point_estimates(mpdta):
    fit = group_time_effects(*mpdta, control="never", weighted=False, small_sample=False)
    assert fit.group_time["estimate"].round(4).tolist() == PUBLISHED_GROUP_TIME
    assert fit.by_event_time["estimate"].round(4).tolist() == PUBLISHED_EVENT_TIME
    assert round(fit.pretrend["chi2_p_value"], 5) == 0.16812  # "P-value for pre-test of parallel trends assumption"


@pytest.mark.parametrize("control, key", [("never", "nevertreated"), ("notyet", "notyettreated")])
def test_matches_the_reference_implementation(mpdta, reference, control, key):
    fit, ref = group_time_effects(*mpdta, control=control, weighted=False, small_sample=False), reference[key]
    cells = fit.group_time
    assert cells["cohort"].tolist() == ref["group_time"]["cohort"]
    assert cells["year"].tolist() == ref["group_time"]["year"]
    np.testing.assert_allclose(cells["estimate"], ref["group_time"]["estimate"], atol=1e-10)
    np.testing.assert_allclose(cells["se"], ref["group_time"]["se"], atol=1e-10)
    assert fit.by_event_time["event_time"].tolist() == ref["dynamic"]["by"]
    np.testing.assert_allclose(fit.by_event_time["estimate"], ref["dynamic"]["by_estimate"], atol=1e-10)
    np.testing.assert_allclose(fit.by_event_time["se"], ref["dynamic"]["by_se"], atol=1e-10)
    np.testing.assert_allclose(fit.by_cohort["estimate"], ref["group"]["by_estimate"], atol=1e-10)
    np.testing.assert_allclose(fit.by_cohort["se"], ref["group"]["by_se"], atol=1e-10)
    assert fit.overall["estimate"] == pytest.approx(ref["group"]["estimate"], abs=1e-10)
    assert fit.overall["se"] == pytest.approx(ref["group"]["se"], abs=1e-10)
    assert fit.pretrend["chi2_p_value"] == pytest.approx(ref["pretrend_p_value"], abs=1e-5)  # stored rounded


@pytest.mark.parametrize("control, key", [("never", "nevertreated_weighted"), ("notyet", "notyettreated_weighted")])
def test_weighted_cells_and_cohort_weights(mpdta, reference, control, key):
    fit, ref = group_time_effects(*mpdta, control=control, weighted=True, small_sample=False), reference[key]
    np.testing.assert_allclose(fit.group_time["estimate"], ref["group_time"]["estimate"], atol=1e-10)
    np.testing.assert_allclose(fit.group_time["se"], ref["group_time"]["se"], atol=1e-10)
    assert fit.pretrend["chi2_p_value"] == pytest.approx(ref["pretrend_p_value"], abs=1e-5)
    # the overall effect averages cohorts by the people they stand for (R did's weighted P(G = g))
    panel, adoption = mpdta
    people = panel.groupby("unit_id")["weight"].mean()
    sizes = np.array([people[adoption.reindex(people.index) == c].sum() for c in fit.by_cohort["cohort"]])
    assert fit.overall["estimate"] == pytest.approx(sizes @ fit.by_cohort["estimate"] / sizes.sum(), abs=1e-12)


def simulated_panel(rng: np.random.Generator, units: int = 60, noise: float = 0.02) -> tuple[pd.DataFrame, pd.Series]:
    """Agencies adopting in 2017, 2019, 2021 or never (a quarter each); the effect grows by one point a
    year after adoption from two points: the overall truth (cohorts equally large) is 4 points."""
    years = np.arange(2014, 2024)
    cohort = np.resize([2017.0, 2019.0, 2021.0, np.nan], units)
    level = rng.normal(0.8, 0.04, units)
    shock = rng.normal(0, 0.01, len(years))
    event = years[None, :] - cohort[:, None]
    effect = np.where(event >= 0, 0.02 + 0.01 * np.nan_to_num(event, nan=-1), 0.0)
    value = level[:, None] + shock[None, :] + effect + rng.normal(0, noise, (units, len(years)))
    ids = [f"U{i:02d}" for i in range(units)]
    panel = pd.DataFrame({"unit_id": np.repeat(ids, len(years)), "year": np.tile(years, units),
                          "value": value.ravel(), "weight": 1.0, "n": 50})
    return panel, pd.Series(cohort, index=ids)


TRUTH = np.mean([0.02 + 0.01 * np.arange(7).mean(), 0.02 + 0.01 * np.arange(5).mean(),
                 0.02 + 0.01 * np.arange(3).mean()])


def test_simulation_recovers_the_truth_where_two_way_fixed_effects_does_not():
    rng = np.random.default_rng(20240601)
    fits = [group_time_effects(*simulated_panel(rng)) for _ in range(200)]
    estimates = np.array([f.overall["estimate"] for f in fits])
    covered = np.mean([f.overall["ci_low"] <= TRUTH <= f.overall["ci_high"] for f in fits])
    twfe = np.array([f.twfe.estimate for f in fits])
    assert pytest.approx(0.04) == TRUTH
    assert abs(estimates.mean() - TRUTH) < 3 * estimates.std() / np.sqrt(len(fits))
    assert 0.90 <= covered <= 0.99
    assert TRUTH - twfe.mean() > 10 * twfe.std() / np.sqrt(len(fits))  # biased towards zero
    assert all(f.twfe.negative_cells > 0 for f in fits)  # late years of early adopters weighted negatively
    pre = np.array([f.pretrend["p_value"] for f in fits])
    chi2 = np.array([f.pretrend["chi2_p_value"] for f in fits])
    assert 0.01 <= np.mean(pre < 0.05) <= 0.10 < np.mean(chi2 < 0.05)  # parallel trends hold: F keeps its level


def test_a_pre_trend_is_detected():
    rng = np.random.default_rng(7)
    panel, adoption = simulated_panel(rng)
    drift = panel["unit_id"].map(adoption).notna() * (panel["year"] - 2014) * 0.01  # adopters rise beforehand
    fit = group_time_effects(panel.assign(value=panel["value"] + drift), adoption)
    assert fit.pretrend["p_value"] < 0.001


def test_agencies_treated_from_the_first_year_are_left_out_and_unknown_control_refused():
    rng = np.random.default_rng(3)
    panel, adoption = simulated_panel(rng, units=20)
    adoption.iloc[0] = 2014.0
    fit = group_time_effects(panel, adoption)
    assert fit.dropped == ("U00",)
    assert fit.clusters == 19
    with pytest.raises(ValueError, match="control"):
        group_time_effects(panel, adoption, control="later")
