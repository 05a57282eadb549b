"""Policy effects against known truths: simulated coverage, exact synthetic twins, the embedded survey's truth."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest
from conftest import RAW

from analysis.analyses import policy
from analysis.data.load import load_survey
from analysis.reporting import narrative
from analysis.reporting.narrative import Note, absent


@pytest.mark.parametrize("date, kind, expected", [
    ("2017-03-31", "year", 2018), ("2022-10-18", "year", 2023), ("2017-01-01", "year", 2017),
    ("2023-07-15", "month", 2023 * 12 + 7), ("2023-07-01", "month", 2023 * 12 + 6),
])
def test_first_post_period(date, kind, expected):
    assert policy.first_post_period(date, kind) == expected


def simulated_panel(rng, effect, units=20, years=range(2010, 2020), first_post=2015):
    treated = pd.Series(np.arange(units) < units // 2, index=[f"u{k}" for k in range(units)])
    unit_effect = rng.normal(0, 0.05, units)
    year_effect = {y: rng.normal(0, 0.02) for y in years}
    rows = [{"unit_id": f"u{k}", "year": y, "weight": 1.0, "n": 50,
             "value": 0.7 + unit_effect[k] + year_effect[y] + effect * (treated.iloc[k] and y >= first_post)
             + rng.normal(0, 0.02)} for k in range(units) for y in years]
    return pd.DataFrame(rows), treated


@pytest.mark.slow  # a simulation or a whole-survey run: not in make test-fast
def test_difference_in_differences_intervals_cover_the_true_effect():
    rng = np.random.default_rng(17)
    covered = 0
    for _ in range(200):
        panel, treated = simulated_panel(rng, effect=0.04)
        row = policy.difference_in_differences(panel, treated, {"policy": 2015}).effects.iloc[0]
        covered += row["ci_low"] <= 0.04 <= row["ci_high"]
    assert 0.90 <= covered / 200 <= 0.99


@pytest.mark.slow  # a simulation or a whole-survey run: not in make test-fast
def test_interrupted_time_series_intervals_cover_the_true_level_change():
    rng = np.random.default_rng(23)
    covered = 0
    periods = [f"{2000 + m // 12}-{m % 12 + 1:02d}" for m in range(72)]
    start = policy.first_post_period("2003-01-01", "month")
    for _ in range(200):
        noise = np.zeros(72)
        for k in range(1, 72):  # AR(1) errors: what Newey-West is for
            noise[k] = 0.3 * noise[k - 1] + rng.normal(0, 1)
        t = np.arange(72)
        value = 70 + 0.05 * t + 3.0 * (t >= 36) + 0.1 * (t - 36) * (t >= 36) + noise
        result = policy.interrupted_time_series(pd.DataFrame({"period": periods, "value": value}),
                                                {"reform": start}, seasonal=False)
        level = result.effects.query("term == 'level'").iloc[0]
        covered += level["ci_low"] <= 3.0 <= level["ci_high"]
    assert 0.90 <= covered / 200 <= 0.99


def test_a_single_post_period_gets_a_prediction_interval_not_a_perfect_fit():
    rng = np.random.default_rng(4)
    years = np.arange(2014, 2024)
    value = 70 + years - 2014 + rng.normal(0, 0.5, 10) + 3.0 * (years == 2023)
    result = policy.interrupted_time_series(pd.DataFrame({"period": years.astype(str), "value": value}),
                                            {"late": 2023})
    row = result.effects.iloc[0]
    assert result.single_period == ["late"]
    assert row["ci_high"] - row["ci_low"] > 1.0          # a forecast's width, not ~0
    assert row["ci_low"] <= 3.0 <= row["ci_high"]


def test_event_study_has_flat_leads_and_the_effect_in_the_lags():
    panel, treated = simulated_panel(np.random.default_rng(8), effect=0.05, units=60)
    study = policy.event_study(panel, treated, 2015)
    table = study.coefficients.set_index("event_time")
    assert table.loc[-1, "estimate"] == 0
    assert table.loc[[-5, -4, -3, -2], "estimate"].abs().max() < 0.03
    assert (table.loc[[0, 1, 2, 3, 4], "estimate"] - 0.05).abs().max() < 0.03
    assert study.pretrend_p_value > 0.05


def test_synthetic_control_recovers_an_exact_twin_and_its_effect():
    rng = np.random.default_rng(1)
    years = np.arange(2010, 2020)
    donors = {f"d{k}": 0.6 + 0.01 * k + np.cumsum(rng.normal(0, 0.01, 10)) for k in range(6)}
    treated = 0.3 * donors["d1"] + 0.7 * donors["d4"] + 0.08 * (years >= 2015)
    panel = pd.DataFrame([{"unit_id": u, "year": y, "value": v} for u, series in {**donors, "t": treated}.items()
                          for y, v in zip(years, series, strict=True)])
    result = policy.synthetic_control(panel, "t", list(donors), 2015)
    assert result.weights["d1"] == pytest.approx(0.3, abs=0.02) and result.weights["d4"] == pytest.approx(0.7, abs=0.02)
    assert result.effect == pytest.approx(0.08, abs=0.005)
    assert result.p_value == pytest.approx(1 / 7)


def test_embedded_survey_action_programme_12_effect_is_recovered():
    """DiD of provincial vs vertical agencies, 2014-2022: the interval holds the truth's mean effect 2018-2022."""
    survey = load_survey(RAW / "province_survey" / "mapping.yaml")
    truth = json.loads((RAW / "province_survey" / "truth.json").read_text(encoding="utf-8"))
    effects = truth["policies"][0]["effect_on_provincial_index_points"]
    true_mean = np.mean([effects[str(y)] for y in range(2018, 2023)]) / 100
    panel = policy.unit_period_panel(survey.cube())
    treated = ~survey.units.set_index("unit_id")["vertical"]
    row = policy.difference_in_differences(panel[panel["year"] <= 2022], treated, {"AP12": 2018}).effects.iloc[0]
    assert row["ci_low"] <= true_mean <= row["ci_high"]
    assert row["p_value"] < 0.05


# --------------------------------------------------------------------------- section 04 (analysis.sections.policy)


@pytest.fixture(scope="module")
def survey():
    return load_survey(RAW / "province_survey" / "mapping.yaml")


def test_on_a_block_the_headline_is_the_did_the_section_shows(survey):
    """A block of provincial agencies against the vertical agencies outside it: the summary once dropped this
    DiD (it looked for vertical agencies inside the scope); the headline is the section's DiD on every scope.
    The block's own policy (the 2016 land registration, applies_to 'UBND cấp huyện; UBND cấp xã') is one of
    its policies, before the two provincial ones."""
    from analysis.data.scope import select_scope
    from analysis.reporting.narrative import did_sentence
    from analysis.results import Result
    from analysis.sections import policy as section

    block = select_scope(survey, "UBND cấp huyện")
    head = section.headline(block, 2023, full_survey=survey, min_cell=10)
    assert isinstance(head, Result) and not head.empty
    setup = head.setup
    vertical = survey.units.set_index("unit_id")["vertical"]
    assert setup.treated[setup.treated].index.tolist() == block.units["unit_id"].tolist()
    assert sorted(setup.treated[~setup.treated].index) == sorted(vertical[vertical].index)
    assert setup.policies == {"Quy trình đăng ký đất đai mới": 2016, "Chương trình hành động số 12": 2018,
                              "Kết luận số 91": 2023}
    expected = policy.did_by_policy(setup.panel, setup.treated, setup.policies).table()
    pd.testing.assert_frame_equal(head.table()[expected.columns], expected)  # the verdict is the DiD
    assert (head.table()["design"] == "did").all()
    assert head.table()["estimate"].tolist() == pytest.approx([-0.01447663309, 0.08364046258, 0.001358919719],
                                                              abs=1e-9)
    assert head.table()["clusters"].tolist() == [11, 11, 11]
    its = section.its(setup).table().set_index(["intervention", "term"])["estimate"]
    levels = [its.get((name, "level"), its.get((name, "total"))) for name in setup.policies]  # seen once: total
    assert head.table()["its_estimate"].tolist() == levels  # the level change, the DiD's form of one effect
    assert setup.provincial and all(sentence.startswith(did_sentence(row, 11, "vi")) for sentence, (_, row)
                                    in zip(head.summary("vi"), expected.iterrows(), strict=True))
    assert "thay đổi 8,36 điểm" in head.summary("vi")[1]  # points, as the section said before
    assert "Kết luận: chính sách có tác động." in head.summary("vi")[1]  # p < 0.05, one verdict per policy


def test_the_headline_on_the_province_and_where_no_comparison_exists(survey):
    from analysis.data.scope import select_scope
    from analysis.sections import policy as section

    head = section.headline(survey, 2023)
    assert head.setup.policies == {"Chương trình hành động số 12": 2018, "Kết luận số 91": 2023}
    assert head.table()["estimate"].tolist() == pytest.approx([0.04904069038, 0.007290995064], abs=1e-9)
    vertical_unit = survey.units.loc[survey.units["vertical"], "unit_id"].iloc[0]
    alone = section.headline(select_scope(survey, vertical_unit), 2023, full_survey=survey)
    assert alone.empty and alone.summary("vi") == [] and alone.table().empty
    # the provincial policies do not bind a vertical agency: nothing to estimate, said once
    assert not alone.setup.comparable and alone.setup.summary("en") == [absent("policies", "en")]
    assert not len(alone.setup.table().columns) and section.its(alone.setup) is None  # no table: nothing shown
    assert section.leads_lags(alone.setup) is None and section.synthetic(alone.setup) is None


def test_the_section_parameters_choose_policies_and_units(survey):
    """Policies given by date, treated and comparison units given by hand: the headline uses them."""
    from analysis.sections import policy as section

    head = section.headline(survey, 2023, policies={"Pilot": "2017-03-31"}, treated_units=["SNV", "SXD"],
                            comparison_units=["CT", "KBT"])
    assert head.setup.policies == {"Pilot": 2018}
    assert head.setup.treated.to_dict() == {"SNV": True, "SXD": True, "CT": False, "KBT": False}
    assert set(head.setup.panel["unit_id"]) == {"SNV", "SXD", "CT", "KBT"}
    assert head.table()["clusters"].tolist() == [4]


def test_the_other_designs_of_the_section(survey):
    """ITS, event study and synthetic control on the section's setup: proportions, the numbers of before / 100."""
    from analysis.sections import policy as section

    setup = section.headline(survey, 2023).setup
    its = section.its(setup).table().set_index(["intervention", "term"])
    assert its.loc[("Chương trình hành động số 12", "level"), "estimate"] == pytest.approx(0.04675779987, abs=1e-8)
    assert its.loc[("Kết luận số 91", "total"), "estimate"] == pytest.approx(0.03636809869, abs=1e-8)
    assert section.its(setup).table("vi")["term"].iloc[0] == "Thay đổi mức"
    study = section.leads_lags(setup)
    assert study.table().set_index("event_time").loc[-4, "estimate"] == pytest.approx(0.0316757155, abs=1e-9)
    synth = section.synthetic(setup)
    assert synth.unit == "TTHCC" and synth.table()["gap"].iloc[0] == pytest.approx(0.06913563933, abs=1e-9)
    assert synth.summary("vi")[0].startswith("Trung tâm Phục vụ hành chính công tỉnh: sau chính sách, chênh lệch "
                                             "trung bình so với đối chứng tổng hợp là 6,91 điểm")


# --------------------------------------------------------------------------- applies_to, and what cannot be shown


def test_applies_to_binds_all_provincial_blocks_levels_and_units(survey):
    from analysis.data.scope import bound_units

    units = survey.units
    ids = set(units["unit_id"])
    vertical = set(units.loc[units["vertical"], "unit_id"])
    assert bound_units("all", units) == ids
    assert bound_units("provincial", units) == ids - vertical
    assert bound_units("UBND cấp huyện", units) == {"HBA", "HNT", "TXSL"}  # a block
    assert bound_units("xã", units) == {"XDH", "XTP", "PTT"}  # a level
    assert bound_units("SNV", units) == {"SNV"}  # a unit id
    assert bound_units(" UBND cấp huyện ; xã;CT ", units) == {"HBA", "HNT", "TXSL", "XDH", "XTP", "PTT", "CT"}
    assert bound_units("nowhere", units) == set()


def vertical_only(survey, events):
    """The embedded survey's vertical agencies alone (a treasury-like survey), with ``events``."""
    from analysis.data.scope import select_scope  # noqa: F401  (the survey is cut by hand below)

    units = survey.units[survey.units["vertical"]].reset_index(drop=True)
    responses = survey.responses[survey.responses["unit_id"].isin(units["unit_id"])].reset_index(drop=True)
    events = pd.DataFrame(events).assign(date=lambda t: pd.to_datetime(t["date"]), description="")
    return dataclasses.replace(survey, units=units, responses=responses, events=events,
                               comments=survey.comments.iloc[:0])


def test_a_survey_of_vertical_agencies_without_policies_says_so_once(survey):
    from analysis.sections import policy as section

    bare = vertical_only(survey, {"date": [], "kind": [], "applies_to": [], "name": []})
    head = section.headline(bare, 2023)
    assert head.empty and head.summary("en") == [] and head.setup.summary("en") == [absent("policies", "en")]
    assert section.its(head.setup) is None and section.leads_lags(head.setup) is None


def test_a_policy_binding_every_agency_has_an_its_but_no_comparison(survey):
    from analysis.sections import policy as section

    everyone = vertical_only(survey, {"date": ["2019-06-01"], "kind": ["policy"], "applies_to": ["all"],
                                      "name": ["Reform"]})
    head = section.headline(everyone, 2023)
    assert head.setup.policies == {"Reform": 2020} and head.did is None
    assert head.setup.summary("vi") == [absent("comparison", "vi")]
    its = section.its(head.setup)
    assert its.table()["intervention"].unique().tolist() == ["Reform"] and its.summary("en")
    assert head.table()["design"].tolist() == ["its"]  # without a comparison, the ITS is the verdict
    level = its.table().query("term == 'level'").iloc[0]
    assert head.table()["estimate"].iloc[0] == level["estimate"]
    assert head.summary("en")[0].endswith(narrative.say("its_alone", "en"))


def test_a_policy_of_one_unit_is_compared_with_the_others(survey):
    """A unit-id policy in a survey of vertical agencies: that agency's report compares it with the agencies
    the policy does not bind, in words that do not call them provincial and vertical."""
    from analysis.data.scope import select_scope
    from analysis.sections import policy as section

    pilot = vertical_only(survey, {"date": ["2019-06-01"], "kind": ["policy"], "applies_to": ["KBT"],
                                   "name": ["Pilot"]})
    head = section.headline(select_scope(pilot, "KBT"), 2023, full_survey=pilot)
    setup = head.setup
    assert setup.policies == {"Pilot": 2020} and setup.treated[setup.treated].index.tolist() == ["KBT"]
    assert sorted(setup.treated[~setup.treated].index) == sorted(set(pilot.units["unit_id"]) - {"KBT"})
    assert not setup.provincial and not head.empty
    assert head.summary("en")[0].startswith("After Pilot, the agencies it binds changed by")
    assert setup.heading("did") == "policy.did_bound" and section.headline(survey, 2023).setup.heading("did") == \
        "policy.did"
    province = section.headline(pilot, 2023)  # the whole survey: the pilot does not bind every agency
    assert province.setup.policies == {} and province.setup.summary("en") == [absent("policies", "en")]


def test_too_few_years_for_the_interrupted_time_series_say_so(survey):
    from analysis.sections import policy as section

    setup = section.headline(survey, 2023).setup
    kept = setup.series["period"].isin(["2016", "2017", "2018", "2019", "2023"])  # 2023: one year after Kết luận 91
    short = dataclasses.replace(setup, series=setup.series[kept])
    assert section.its_residual_df(setup.series["period"].astype(int), setup.policies) == 5
    assert section.its(short) == Note("its_years") and section.its(short).summary("en") == [absent("its_years", "en")]
