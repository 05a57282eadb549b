"""Domains without variance information get no interval, as R's ``svyciprop`` gives none; a difference
whose SE is zero to rounding gets no test; sentences say "không ước lượng được".

``tests/reference/make_api_reference.R`` stored the ``api`` data of R's survey package
(``api_sample.csv``: ``apiclus1``, a one-stage sample of 15 school districts, and ``apistrat``, schools
sampled by type) and, per county, ``svyby`` estimates and SEs, ``svyciprop(method = "xlogit")`` intervals
(shares) or ``svymean``'s (means) with ``degf``, and ``svycontrast`` differences (``api_reference.csv``).
A school's ``sch.wide`` is its answer: 5 (yes) or 1 (no).  Many counties sit in one district (design
df 0), some schools are alone in their county, and some counties have a share of exactly 0 or 1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint
from test_indices_vs_r import REFERENCE, RTOL

from analysis.analyses.indices import NOT_ESTIMABLE, difference, estimate
from analysis.cube.memory import build_cube
from analysis.reporting import narrative
from analysis.reporting.labels import format_number, format_points, format_share

SAMPLE = pd.read_csv(REFERENCE / "api_sample.csv", dtype={"cds": str})
R = pd.read_csv(REFERENCE / "api_reference.csv")
CONTRASTS = R["domain"].str.contains(" - ")


def api_cube(design: str):
    """One design's schools as respondents of one item, their county as the unit."""
    schools = SAMPLE[SAMPLE["design"] == design]
    clustered = design == "clus1"
    return build_cube(pd.DataFrame({
        "respondent_id": schools["cds"], "period": "2000", "year": 2000, "unit_id": schools["cname"],
        "channel": "", "group": "citizen", "item": "access.1", "component": "access",
        "answer": pd.array(np.where(schools["sch.wide"] == "Yes", 5, 1), dtype="Int8"), "weight": schools["pw"],
        "stratum": "" if clustered else schools["stype"],
        "psu": schools["dnum"].astype(str) if clustered else schools["cds"]}))


@pytest.fixture(scope="module", params=["clus1", "strat"])
def design(request):
    return request.param, api_cube(request.param)


@pytest.mark.parametrize("measure, by", [("satisfied", ["unit_id", "item"]), ("dissatisfied", ["unit_id", "item"]),
                                         ("satisfied", ["unit_id"]), ("mean", ["unit_id", "item"])])
def test_domains_match_r_and_have_no_interval_where_r_has_none(design, measure, by):
    name, cube = design
    ours = estimate(cube, by, measure).set_index("unit_id")
    truth = R[(R["design"] == name) & (R["measure"] == measure) & ~CONTRASTS].set_index("domain")
    assert sorted(ours.index) == sorted(truth.index)
    share = measure != "mean"
    counted = {"single": 0, "edge": 0, "interval": 0}
    for county, r in truth.iterrows():
        row = ours.loc[county]
        assert row["estimate"] == pytest.approx(r["estimate"], rel=RTOL, abs=1e-15)
        assert row["df"] == r["df"]
        # R's interval of a share of 1 may come out as [1; 1] when its mean rounds to 1 - 1e-16: none either
        no_interval = pd.isna(r["ci_low"]) or (share and r["ci_high"] - r["ci_low"] < 1e-12)
        if r["df"] < 1:  # one PSU (one district, or a school alone in its county): no variance information
            assert pd.isna(row["se"]) and pd.isna(row["ci_low"]) and pd.isna(row["ci_high"])
            assert row["method"] == NOT_ESTIMABLE["single_psu"]
            counted["single"] += 1
        elif no_interval:
            assert row["estimate"] in (0.0, 1.0) and row["se"] == pytest.approx(r["se"], abs=1e-15)
            assert pd.isna(row["ci_low"]) and pd.isna(row["ci_high"]) and row["method"] == NOT_ESTIMABLE["edge"]
            counted["edge"] += 1
        else:
            assert row["se"] == pytest.approx(r["se"], rel=RTOL, abs=1e-15)
            assert (row["ci_low"], row["ci_high"]) == pytest.approx((r["ci_low"], r["ci_high"]), rel=RTOL, abs=1e-15)
            assert not row["method"].startswith("not estimable")
            counted["interval"] += 1
    assert counted["single"] and counted["interval"] and (counted["edge"] or name == "clus1" or not share)


def test_unweighted_item_shares_keep_wilsons_interval():
    ours = estimate(api_cube("strat"), ["unit_id", "item"], weighted=False).set_index("unit_id")
    for county, (successes, n) in {"Contra Costa": (8, 8), "Stanislaus": (0, 1), "Alameda": (4, 6)}.items():
        row = ours.loc[county]
        assert row["method"] == "wilson"
        assert (row["ci_low"], row["ci_high"]) == pytest.approx(proportion_confint(successes, n, method="wilson"))
    assert pd.isna(ours.loc["Stanislaus", "se"])  # one school: no design variance, but Wilson's interval stands


@pytest.mark.parametrize("measure", ["satisfied", "mean"])
def test_a_difference_with_a_zero_se_gets_no_test(design, measure):
    name, cube = design
    truth = R[(R["design"] == name) & (R["measure"] == measure) & CONTRASTS]
    tested = 0
    for _, r in truth.iterrows():
        first, second = r["domain"].split(" - ")
        row = difference(cube, [], "unit_id", first, second, measure).iloc[0]
        assert row["difference"] == pytest.approx(r["estimate"], rel=RTOL, abs=1e-15)
        if r["se"] < 1e-12:  # R: 0 or 1e-17, the SE of two domains without variance information
            assert row[["se", "ci_low", "ci_high", "p_value"]].isna().all(), (first, second)
        else:
            assert row["se"] == pytest.approx(r["se"], rel=RTOL)
            assert 0 < row["p_value"] < 1 and row["ci_low"] < row["difference"] < row["ci_high"]
            tested += 1
    assert 0 < tested < len(truth)


def test_sentences_say_not_estimable_instead_of_nan():
    cube = api_cube("clus1")
    gap = difference(cube, [], "unit_id", "Kern", "Plumas").iloc[0]
    kern = estimate(cube, ["unit_id"]).set_index("unit_id").loc["Kern"]
    for lang, word in (("vi", "không ước lượng được"), ("en", "not estimable")):
        sentences = [narrative.gap_sentence(gap, "Kern", "Plumas", lang, "unit_id"),
                     narrative.change_sentence(gap, 1999, 2000, lang),
                     narrative.period_index_sentence(kern, "2000", lang),
                     narrative.index_sentence(pd.DataFrame([kern]).assign(year=2000), 2000, lang)]
        for sentence in sentences:
            assert word in sentence and "nan" not in sentence.lower(), sentence
    tested = difference(cube, [], "unit_id", "Los Angeles", "San Diego").iloc[0]  # an interval: as before
    assert (f"(KTC 95%: {format_points(tested['ci_low'])} đến {format_points(tested['ci_high'])}; "
            f"p = {format_number(tested['p_value'], 'vi', 3)})") in narrative.gap_sentence(
        tested, "Los Angeles", "San Diego", "vi", "unit_id")
    assert narrative.interval(0.25, 0.5, "vi") == f"{format_share(0.25)} – {format_share(0.5)}"
