"""Design-based estimates against R's survey package (reference numbers stored in tests/reference/).

``tests/reference/make_design_sample.py`` wrote ``design_sample.csv`` (4 strata, 25
clusters, unequal weights, 10% missing answers); ``make_r_reference.R`` ran R's
survey 4.1-1 (Debian r-cran-survey) on it and wrote ``r_survey_reference.csv``:
``svyby(..., svymean)`` estimates and SEs by channel, ``svycontrast`` for the
direct - online difference, and ``svyciprop(method = "xlogit")`` intervals with
their ``degf``.  Tolerance: relative 1e-8, far inside the 4 significant digits asked.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.analyses.indices import difference, estimate
from analysis.cube.memory import build_cube

REFERENCE = Path(__file__).parent / "reference"
ITEMS = {"a_access1": "access.1", "a_staff1": "staff.1", "a_staff2": "staff.2"}
RTOL = 1e-8


def sample_responses(clustered: bool) -> pd.DataFrame:
    """The design sample in the tidy long shape."""
    wide = pd.read_csv(REFERENCE / "design_sample.csv", dtype={"period": str})
    if not clustered:
        wide["psu"] = wide["respondent_id"]
    long = wide.melt(id_vars=["respondent_id", "period", "stratum", "psu", "weight", "channel"],
                     value_vars=list(ITEMS), var_name="column", value_name="answer")
    long["item"] = long["column"].map(ITEMS)
    long["component"] = long["item"].str.split(".").str[0]
    long["answer"] = long["answer"].astype("Int8")
    return long.assign(year=2023, unit_id="U", group="citizen").drop(columns="column")


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "r_survey_reference.csv")


@pytest.fixture(scope="module", params=["stratified", "clustered"])
def design(request):
    cube = build_cube(sample_responses(request.param == "clustered"))
    assert cube.clustered == (request.param == "clustered")
    return request.param, cube


def expected(reference, design, quantity, domain):
    row = reference[(reference["design"] == design) & (reference["quantity"] == quantity)
                    & (reference["domain"] == domain)]
    assert len(row) == 1, (design, quantity, domain)
    return row.iloc[0]


@pytest.mark.parametrize("quantity, measure, item", [
    ("sat_access1", "satisfied", "access.1"), ("mean_access1", "mean", "access.1"), ("score", "satisfied", None),
])
def test_domain_estimates_and_standard_errors_match_svyby(reference, design, quantity, measure, item):
    name, cube = design
    by_channel = estimate(cube, ["channel"] + (["item"] if item else []), measure)
    overall = estimate(cube, ["period"] + (["item"] if item else []), measure)
    if item:
        by_channel, overall = (t[t["item"] == item] for t in (by_channel, overall))
    rows = {**{r["channel"]: r for _, r in by_channel.iterrows()}, "all": overall.iloc[0]}
    for domain, row in rows.items():
        truth = expected(reference, name, quantity, domain)
        assert row["estimate"] == pytest.approx(truth["estimate"], rel=RTOL)
        assert row["se"] == pytest.approx(truth["se"], rel=RTOL)


@pytest.mark.parametrize("quantity, measure, by", [
    ("sat_access1", "satisfied", ["item"]), ("mean_access1", "mean", ["item"]), ("score", "satisfied", ["period"]),
])
def test_difference_of_domains_matches_svycontrast(reference, design, quantity, measure, by):
    check_difference(reference, design, quantity, measure, by)


def check_difference(reference, design, quantity, measure, by):
    """direct - online of ``quantity`` per ``by`` against R's ``svycontrast`` (also with an fpc: test_fpc.py)."""
    name, cube = design
    table = difference(cube, by, "channel", "direct", "online", measure)
    row = table[table["item"] == "access.1"].iloc[0] if by == ["item"] else table.iloc[0]
    truth = expected(reference, name, f"{quantity}:direct-online", "all")
    assert row["difference"] == pytest.approx(truth["estimate"], rel=RTOL)
    assert row["se"] == pytest.approx(truth["se"], rel=RTOL)


def test_share_intervals_match_svyciprop_xlogit(reference, design):
    check_share_intervals(reference, design)


def check_share_intervals(reference, design):
    """The logit intervals of an item's share by channel and overall against R's ``svyciprop``."""
    name, cube = design
    by_channel = estimate(cube, ["channel", "item"]).query("item == 'access.1'")
    overall = estimate(cube, ["item"]).query("item == 'access.1'")
    rows = {**{r["channel"]: r for _, r in by_channel.iterrows()}, "all": overall.iloc[0]}
    for domain, row in rows.items():
        truth = expected(reference, name, "ciprop_sat_access1", domain)
        assert row["df"] == truth["df"]
        assert row["ci_low"] == pytest.approx(truth["ci_low"], rel=RTOL)
        assert row["ci_high"] == pytest.approx(truth["ci_high"], rel=RTOL)
