"""Synthetic difference-in-differences against R's synthdid on California's Proposition 99, and by simulation.

``tests/reference/make_synthdid_reference.R`` (synthdid at commit 70c1ce3) wrote, from
``california_prop99.csv`` (Abadie, Diamond and Hainmueller 2010: cigarette packs per capita in 39 states,
1970-2000, California treated from 1989), the synthdid, synthetic-control and DiD estimates with their
placebo standard errors (``synthdid_reference.csv``), the unit and time weights (``synthdid_weights.csv``)
and the placebo estimate with each control as the treated unit (``synthdid_placebo.csv``).  The port runs
the same arithmetic, so estimates, weights and placebo estimates agree to rounding (1e-9); the placebo
standard error over 200 random draws differs from R's only by the draws (numpy's generator, not R's).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from analysis.analyses import synthdid

REFERENCE = Path(__file__).parent / "reference"
PUBLISHED = {"sdid": -15.6, "sc": -19.6, "did": -27.3}  # Arkhangelsky et al. (2021, AER), Table 1


@pytest.fixture(scope="module")
def california() -> pd.DataFrame:
    data = pd.read_csv(REFERENCE / "california_prop99.csv", sep=";")
    return data.rename(columns={"State": "unit_id", "Year": "year", "PacksPerCapita": "value"})


@pytest.fixture(scope="module")
def wide(california) -> pd.DataFrame:
    return synthdid.outcome_matrix(california)[0]


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "synthdid_reference.csv").set_index("estimator")


@pytest.fixture(scope="module")
def fits(wide) -> dict[str, synthdid.Cohort]:
    """Each estimator's fit without its placebo, California last of the rows' order (R puts it last too)."""
    date = np.where(wide.index == "California", 1989, 0)
    never = np.flatnonzero(date == 0)
    return {e: synthdid.cohort_fits(wide.to_numpy()[None], never, date, wide.columns.to_numpy(), e)[0]
            for e in synthdid.ESTIMATORS}


@pytest.fixture(scope="module")
def result(california) -> synthdid.SyntheticDiD:
    return synthdid.synthetic_did(california, ["California"], 1989, share=False)


@pytest.mark.parametrize("estimator", synthdid.ESTIMATORS)
def test_the_estimate_its_penalties_and_weights_are_rs(fits, wide, reference, estimator):
    fit, expected = fits[estimator], reference.loc[estimator]
    assert fit.estimate[0] == pytest.approx(expected["estimate"], abs=1e-9)
    assert round(fit.estimate[0], 1) == PUBLISHED[estimator]
    assert (fit.T0, len(fit.omega[0])) == (expected["T0"], expected["N0"])
    assert fit.options.zeta_omega[0] == pytest.approx(expected["zeta_omega"], rel=1e-12)
    assert fit.options.min_decrease[0] == pytest.approx(expected["min_decrease"], rel=1e-12)
    weights = pd.read_csv(REFERENCE / "synthdid_weights.csv")
    weights = weights[weights["estimator"] == estimator]
    omega = weights[weights["kind"] == "omega"].set_index("name")["weight"]
    controls = wide.index.drop("California")
    assert np.abs(fit.omega[0] - omega.loc[controls].to_numpy()).max() < 1e-9
    assert np.abs(fit.lambda_[0] - weights[weights["kind"] == "lambda"]["weight"].to_numpy()).max() < 1e-9


@pytest.mark.parametrize("estimator", synthdid.ESTIMATORS)
def test_each_placebo_draw_is_rs(fits, wide, reference, estimator):
    """With one treated unit a placebo draw depends only on the control drawn as treated: all 38 agree with
    R's, so their spread, the standard error 200 draws estimate, is R's exactly."""
    fit = fits[estimator]
    controls = wide.drop(index="California").to_numpy()
    n = len(controls)
    order = np.array([np.append(np.delete(np.arange(n), j), j) for j in range(n)])
    estimates = synthdid.block_fit(controls[order], n - 1, fit.T0, fit.options.repeated(n),
                                   synthdid.normalised(fit.omega[0][order[:, :-1]]),
                                   np.repeat(fit.lambda_, n, axis=0))[0]
    expected = pd.read_csv(REFERENCE / "synthdid_placebo.csv")
    expected = expected[expected["estimator"] == estimator].set_index("unit")["estimate"]
    assert np.abs(estimates - expected.loc[wide.index.drop("California")].to_numpy()).max() < 1e-9
    assert estimates.std() == pytest.approx(reference.loc[estimator, "se_exact"], rel=1e-10)


@pytest.mark.parametrize("estimator", ["sdid", "did"])  # sc's draws are R's (above); its 200 take seconds
def test_the_placebo_standard_error_agrees_with_rs(california, reference, estimator, result):
    """Both are the spread of 200 draws from the same 38 placebo estimates, by different generators: each
    draw's standard error varies by about 7-8% around the exact one (resampling the 38), so two of them
    differ by about 11%; the tolerance is 30%, near three of those."""
    fitted = result if estimator == "sdid" else synthdid.synthetic_did(california, ["California"], 1989,
                                                                       estimator, share=False)
    row = fitted.overall
    assert row["estimate"] == pytest.approx(reference.loc[estimator, "estimate"], abs=1e-9)
    assert row["se"] == pytest.approx(reference.loc[estimator, "se"], rel=0.30)
    assert row["se"] == pytest.approx(reference.loc[estimator, "se_exact"], rel=0.25)




def test_the_result_reads_as_a_result(result, wide):
    table = result.table()
    assert list(table.columns) == synthdid.EFFECT_COLUMNS and len(table) == 1
    row = table.iloc[0]
    assert row["ci_low"] < row["estimate"] < row["ci_high"] and row["first_post_year"] == 1989
    assert row["ci_high"] - row["estimate"] == pytest.approx(1.959963985 * row["se"])
    assert (row["treated_units"], row["post_periods"], result.controls) == (1, 12, 38)
    assert result.table("vi")["estimand"].iloc[0] == "Tác động chung"
    vi, en = result.summary("vi")[0], result.summary("en")[0]
    assert vi.startswith("California: theo khác biệt kép tổng hợp") and "−15,60 điểm" in vi and "38 đơn vị" in vi
    assert "−15.60 points" in en and "200 replications" in en
    lines = result.lines
    post = lines[lines["year"] >= 1989]
    assert (post["treated"] - post["synthetic"]).mean() == pytest.approx(row["estimate"], abs=1e-9)
    assert lines["time_weight"].sum() == pytest.approx(1) and (post["time_weight"] == 0).all()
    assert result.unit_weights["weight"].sum() == pytest.approx(1)
    assert result.percent == ()
    figure = result.plot("en")
    assert figure.axes[0].get_legend_handles_labels()[1] == ["California", "Synthetic DiD comparison"]
    plt.close(figure)


def simulated(rng: np.random.Generator, panels: int, never: int, dates: dict[int, tuple[int, float]],
              periods: int) -> tuple[np.ndarray, np.ndarray]:
    """Panels of unit and period effects, a factor (unit loading x period factor) and noise; ``dates`` maps a
    first post period to (its units, the effect); never-treated units first.  Returns the panels and each
    unit's first post period (0: never)."""
    date = np.concatenate([np.zeros(never, int)] + [np.full(n, d) for d, (n, _) in dates.items()])
    units = len(date)
    Y = (rng.normal(0, 1, (panels, units, 1)) + np.linspace(0, 2, periods) + rng.normal(0, 0.3, (panels, 1, periods))
         + rng.normal(0, 1, (panels, units, 1)) * rng.normal(0, 0.5, (panels, 1, periods))
         + rng.normal(0, 0.5, (panels, units, periods)))
    for first, (_, effect) in dates.items():
        Y[:, date == first, first:] += effect
    return Y, date


def test_a_block_effect_is_recovered_with_nominal_coverage():
    """200 panels of 20 controls and 4 treated units, 3 of 6 periods before the policy, an effect of 1: the
    95% placebo interval (20 draws each) covers it 90-99% of the time (here 92.5%; in 300 other such panels
    with 30 draws 93.7%; with fewer controls the placebo standard error, learnt from them, is noisier and
    the normal interval covers less)."""
    Y, date = simulated(np.random.default_rng(2024), 200, 20, {3: (4, 1.0)}, 6)
    fit = synthdid.panel_effects(Y, np.flatnonzero(date == 0), date, np.arange(6), replications=20)
    estimate, se = fit.estimate[:, -1], fit.se[:, -1]
    assert abs(estimate.mean() - 1) < 3 * estimate.std() / np.sqrt(len(estimate))
    covered = np.mean(np.abs(estimate - 1) <= 1.959963985 * se)
    assert 0.90 <= covered <= 0.99


def test_a_staggered_effect_is_recovered_cohort_by_cohort_and_overall():
    """Two cohorts (2 units from period 3, effect 1; 2 from period 4, effect 2) against 20 never-treated
    units, 6 periods, 60 panels: the overall truth weights them by units x post periods, (2 x 3, 2 x 2) / 10;
    its placebo standard error is the spread of the estimates over the panels (in 300 such panels 0.283
    against 0.281, and the interval covered 94.7%)."""
    Y, date = simulated(np.random.default_rng(17), 60, 20, {3: (2, 1.0), 4: (2, 2.0)}, 6)
    fit = synthdid.panel_effects(Y, np.flatnonzero(date == 0), date, np.arange(6), replications=20)
    truth = np.array([1.0, 2.0, (6 * 1.0 + 4 * 2.0) / 10])
    assert fit.weight == pytest.approx([0.6, 0.4])
    mean, spread = fit.estimate.mean(axis=0), fit.estimate.std(axis=0)
    assert np.all(np.abs(mean - truth) < 3 * spread / np.sqrt(len(fit.estimate)))
    assert fit.se[:, -1].mean() == pytest.approx(spread[-1], rel=0.25)


def test_the_staggered_result_has_a_row_per_cohort_and_leaves_out_what_it_cannot_use():
    Y, date = simulated(np.random.default_rng(5), 1, 10, {4: (2, 1.0), 6: (2, 2.0)}, 8)
    units = [f"u{k:02d}" for k in range(len(date))]
    panel = long_panel(Y[0])
    panel = panel[~((panel["unit_id"] == "u03") & (panel["year"] == 2018))]  # a control missing a year
    adoption = {u: 2016 + d for u, d in zip(units, date, strict=True) if d} | {"u04": 2017, "u05": 2030}
    result = synthdid.staggered_synthetic_did(panel, adoption, replications=20)
    table = result.table()
    assert list(table["estimand"]) == ["cohort", "cohort", "overall"]
    assert list(table["first_post_year"].iloc[:2]) == [2020, 2022] and pd.isna(table["first_post_year"].iloc[2])
    assert table["estimate"].iloc[2] == pytest.approx(table["cohort_weight"].iloc[:2] @ table["estimate"].iloc[:2])
    assert result.left_out == ("u03", "u04")  # a missing year; a single period before its date
    assert result.controls == 8 and result.unit_name is None  # u05 adopts after the data end: never treated
    assert result.summary("vi")[0].startswith("4 đơn vị áp dụng chính sách vào 2 thời điểm khác nhau")
    assert "units × periods after the policy" in result.summary("en")[0]
    figure = result.plot("vi")
    assert len([a for a in figure.axes if a.get_title()]) == 2
    plt.close(figure)


def test_without_more_controls_than_treated_units_the_estimate_has_no_interval():
    """synthdid's placebo stops there; here the estimate stands without an interval and the sentence says why."""
    Y, date = simulated(np.random.default_rng(1), 1, 3, {3: (3, 1.0)}, 6)
    result = synthdid.synthetic_did(long_panel(Y[0]), ["u03", "u04", "u05"], 2019)
    row = result.overall
    assert np.isfinite(row["estimate"]) and np.isnan([row["se"], row["ci_low"], row["ci_high"]]).all()
    assert result.summary("en")[0].endswith("needs more comparison units than treated ones, and here there are 3 "
                                            "against 3.")
    assert "không có khoảng tin cậy" in result.summary("vi")[0]
    with pytest.raises(ValueError, match="more never-treated units"):
        synthdid.placebo_draws(Y[:, :3], synthdid.cohort_fits(Y, np.arange(3), date, np.arange(6), "sdid"), 5,
                               np.random.default_rng(0))


def long_panel(Y: np.ndarray, first_year: int = 2016) -> pd.DataFrame:
    """A simulated panel (units x periods) in the project's long shape."""
    units = [f"u{k:02d}" for k in range(Y.shape[0])]
    return pd.DataFrame({"unit_id": np.repeat(units, Y.shape[1]), "value": Y.ravel(),
                         "year": np.tile(np.arange(first_year, first_year + Y.shape[1]), len(units))})


def test_a_rerun_is_identical_the_seed_changes_it_and_a_wide_table_is_the_same():
    Y, date = simulated(np.random.default_rng(3), 1, 10, {4: (2, 1.0)}, 6)
    panel = long_panel(Y[0])
    treated = ["u10", "u11"]
    first = synthdid.synthetic_did(panel, treated, 2020, replications=20)
    pd.testing.assert_frame_equal(synthdid.synthetic_did(panel, treated, 2020, replications=20).effects,
                                  first.effects)
    wide = panel.pivot(index="unit_id", columns="year", values="value")
    pd.testing.assert_frame_equal(synthdid.synthetic_did(wide, treated, 2020, replications=20).effects,
                                  first.effects)
    other = synthdid.synthetic_did(panel, treated, 2020, replications=20, seed=7).overall
    assert other["estimate"] == first.overall["estimate"] and other["se"] != first.overall["se"]


def test_the_did_estimator_is_the_two_way_fixed_effects_difference_in_differences():
    """With uniform weights on a balanced panel synthdid's DiD is the unweighted two-way fixed-effects one."""
    from analysis.analyses import policy

    Y, date = simulated(np.random.default_rng(8), 1, 9, {4: (3, 1.0)}, 7)
    panel = long_panel(Y[0]).assign(weight=1.0, n=1)
    treated = pd.Series(date > 0, index=[f"u{k:02d}" for k in range(len(date))])
    twfe = policy.difference_in_differences(panel, treated, {"policy": 2020}, weighted=False)
    did = synthdid.synthetic_did(panel, treated[treated].index, 2020, estimator="did", replications=5)
    assert did.overall["estimate"] == pytest.approx(twfe.effects["estimate"].iloc[0], abs=1e-10)
