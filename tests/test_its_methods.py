"""The interrupted time series' level-only form and its plain OLS errors against R, on R's ``Seatbelts``.

``tests/reference/make_seatbelts_reference.R`` wrote the series (``seatbelts.csv``: UK car drivers killed
per month, 1969-01 to 1984-12, the seat-belt law from 1983-02) and the law's effects in
``lm(log(DriversKilled) ~ t + law + factor(month))``, with and without a slope change, under plain OLS and
Newey-West errors (``seatbelts_reference.csv``).  The outcome is a log count, not a share.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.analyses import policy

REFERENCE = Path(__file__).parent / "reference"
COLUMNS = ["estimate", "ci_low", "ci_high", "p_value"]


@pytest.fixture(scope="module")
def seatbelts() -> pd.DataFrame:
    data = pd.read_csv(REFERENCE / "seatbelts.csv", dtype={"period": str})
    return pd.DataFrame({"period": data["period"], "value": np.log(data["drivers_killed"])})


def reference(form: str, errors: str) -> pd.DataFrame:
    table = pd.read_csv(REFERENCE / "seatbelts_reference.csv")
    return table[(table["form"] == form) & (table["errors"] == errors)].set_index("term")


def law(series: pd.DataFrame, **options) -> policy.InterruptedTimeSeries:
    start = policy.first_post_period("1983-01-31", "month")  # the law took effect on 31 January 1983
    assert start == 1983 * 12 + 1  # February 1983, where R's law column turns 1
    return policy.interrupted_time_series(series, {"law": start}, seasonal=True, share=False, **options)


def test_the_level_only_form_with_ols_errors_is_rs_lm_with_month_dummies(seatbelts):
    fitted = law(seatbelts, slope_change=False, errors="ols")
    effects = fitted.effects.set_index("term")
    truth = reference("level", "ols")
    assert list(effects.index) == ["level", "total"] and not fitted.slope_change and fitted.errors == "ols"
    for term in ("level", "total"):  # without a slope change the total is the level change
        assert effects.loc[term, COLUMNS].to_numpy(float) == pytest.approx(truth.loc["level", COLUMNS].to_numpy(float),
                                                                           rel=1e-6, abs=1e-9)
    assert effects.loc["level", ["estimate", "ci_low", "ci_high"]].tolist() == pytest.approx(
        [-0.1468961, -0.2189972, -0.07479503], abs=1e-7)  # the figures the issue quotes from R


@pytest.mark.parametrize(("form", "errors"), [("level", "newey-west"), ("level_slope", "ols"),
                                              ("level_slope", "newey-west")])
def test_each_form_and_error_is_rs(seatbelts, form, errors):
    effects = law(seatbelts, slope_change=form == "level_slope", errors=errors).effects.set_index("term")
    truth = reference(form, errors)
    assert set(effects.index) == set(truth.index) | {"total"}
    for term in truth.index:
        assert effects.loc[term, COLUMNS].to_numpy(float) == pytest.approx(truth.loc[term, COLUMNS].to_numpy(float),
                                                                           rel=1e-6, abs=1e-9), term


def test_the_counterfactual_of_a_log_series_is_in_its_own_unit(seatbelts):
    fitted = law(seatbelts, slope_change=False, errors="ols")
    post = fitted.lines["period"] >= "1983-02"
    gap = (fitted.lines["fitted"] - fitted.lines["counterfactual"])[post]
    assert gap.to_numpy() == pytest.approx(fitted.effects.loc[0, "estimate"], abs=1e-12)
    assert fitted.percent == () and fitted.lines["value"].between(4, 6).all()  # log counts, not shares


def test_the_default_is_still_a_slope_change_with_ar1_errors(seatbelts):
    fitted = law(seatbelts)
    assert fitted.errors == "ar1" and fitted.slope_change
    assert list(fitted.effects["term"]) == ["level", "slope", "total"]
    with pytest.raises(ValueError, match="'ols'"):
        law(seatbelts, errors="hc3")
