"""Trend changes and breaks: coverage on simulated series, the embedded survey, and PAPI's 2018 redesign."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from conftest import RAW

from analysis.analyses import trends
from analysis.data.load import load_survey
from analysis.data.papi import load_papi, load_papi_events
from analysis.reporting import narrative
from analysis.sections.summary import findings


@pytest.fixture(scope="module")
def cube():
    return load_survey(RAW / "province_survey" / "mapping.yaml").cube()


def test_year_on_year_shows_the_2016_dip_within_sampling_error_and_the_2018_jump_beyond_it(cube):
    table = trends.year_on_year(cube).table().set_index("year")
    assert table.loc[2016, "difference"] < 0 and table.loc[2016, "p_value"] > 0.05
    assert table.loc[2018, "difference"] == pytest.approx(0.0417, abs=0.005) and table.loc[2018, "p_value"] < 0.01
    assert table.loc[2023, "difference"] == pytest.approx(0.0373, abs=0.005) and table.loc[2023, "p_value"] < 0.01


@pytest.mark.slow  # a simulation or a whole-survey run: not in make test-fast
def test_shift_test_intervals_cover_a_known_shift():
    rng = np.random.default_rng(12)
    years = np.arange(2014, 2024)
    covered = 0
    for _ in range(500):  # proportions: a 3-point shift on a 0.70 index rising 0.8 points a year
        se = rng.uniform(0.006, 0.010, 10)
        estimate = 0.70 + 0.008 * (years - 2014) + 0.03 * (years >= 2018) + rng.normal(0, se)
        result = trends.shift_test(pd.DataFrame({"year": years, "estimate": estimate, "se": se}), 2018)
        covered += result["ci_low"] <= 0.03 <= result["ci_high"]
    assert 0.90 <= covered / 500 <= 0.99


def test_shift_test_adds_between_year_variance_only_when_the_data_show_it():
    years = np.arange(2014, 2024)
    rng = np.random.default_rng(3)
    quiet = trends.shift_test(pd.DataFrame({"year": years, "estimate": 0.70 + (years - 2014) / 100
                                            + rng.normal(0, 0.001, 10), "se": 0.01}), 2018)
    noisy = trends.shift_test(pd.DataFrame({"year": years, "estimate": 0.70 + (years - 2014) / 100
                                            + rng.normal(0, 0.03, 10), "se": 0.002}), 2018)
    assert quiet["tau2"] == 0 and noisy["tau2"] > 1e-4  # (1 point)^2


def test_known_year_tests_skip_chow_where_a_side_is_too_short():
    years = np.arange(2014, 2024)
    index = pd.DataFrame({"year": years, "estimate": 0.70 + (years - 2014) / 100, "se": 0.01})
    table = trends.known_year_tests(index, [2016, 2018, 2023]).table().set_index("year")
    assert np.isnan(table.loc[2016, "chow_f"]) and np.isnan(table.loc[2023, "chow_f"])
    assert not np.isnan(table.loc[2018, "chow_f"])


def test_papi_2018_redesign_is_a_method_break_in_the_affected_dimension():
    papi = RAW / "papi"
    panel, events = load_papi(papi), load_papi_events(papi)
    national = panel[panel["measure"] == "C02"].groupby("period")["value"].mean()
    national.index = national.index.astype(int)
    found = trends.labelled_breaks(national, events, "C02", max_breaks=2, min_size=3, share=False).table()
    redesign = found[found["regime_from"] == 2018]
    assert len(redesign) == 1
    assert redesign.iloc[0]["label"] == "method" and "2018" in redesign.iloc[0]["event"]


def test_a_break_away_from_any_methodology_event_is_a_change():
    series = pd.Series(np.r_[np.full(7, 5.0), np.full(7, 7.0)] + np.tile([0.05, -0.05], 7), index=range(2011, 2025))
    events = pd.DataFrame({"date": pd.to_datetime(["2021-01-01"]), "kind": ["methodology"], "applies_to": ["X"],
                           "name": ["later change"]})
    found = trends.labelled_breaks(series, events, "X", min_size=3, share=False).table()
    assert found["regime_from"].tolist() == [2018] and found["label"].tolist() == ["change"]


def test_the_stability_verdict_on_a_straight_trend_and_on_a_jump():
    """Ten years on a straight line with small noise read stable; the same with a 6-point jump in 2019 do not
    (proportions; the tests do not depend on the scale)."""
    from analysis.analyses import breaks
    from analysis.analyses.trends import time_trend
    from analysis.reporting import narrative

    years = pd.Series(range(2014, 2024))
    noise = np.random.default_rng(3).normal(0, 0.003, 10)
    verdicts = {}
    for jump in (0.0, 0.06):
        rates = pd.Series(0.70 + 0.01 * np.arange(10) + noise + jump * (years >= 2019).to_numpy(), index=years)
        tests = pd.concat([breaks.sup_f_test(rates, time_trend(years)).table(),
                           breaks.cusum(rates, time_trend(years)).table()], ignore_index=True)
        unstable = trends.StabilityTests(tests, years).unstable
        verdicts[jump] = narrative.stability_sentence(tests, years, bool(unstable), "en")
    assert "No evidence" in verdicts[0.0]
    assert "not stable" in verdicts[0.06] and "2019" in verdicts[0.06]


# --------------------------------------------------------------------------- section 03 (analysis.sections.trends)


@pytest.fixture(scope="module")
def survey():
    return load_survey(RAW / "province_survey" / "mapping.yaml")


def test_the_headline_is_the_labelled_breaks_of_the_publishable_index(survey):
    """The breaks section 03 shows: Bai-Perron on the years with min_cell respondents, segments of 2 years,
    proportions; the stability tests do not reject a stable trend (sup-F p = 0.352), so by the verdict rule
    the two dates are unconfirmed candidates, and the verdict is the known years' tests plus that one sentence."""
    from analysis.analyses.describe import index_by_year, publishable_years
    from analysis.reporting.narrative import break_sentences
    from analysis.results import Result
    from analysis.sections import trends as section

    head = section.headline(survey, 2023, min_cell=10, max_breaks=3)
    assert isinstance(head, Result) and isinstance(head.stability, Result)
    index = publishable_years(index_by_year(survey.cube()), 10).set_index("year")["estimate"]
    found = trends.labelled_breaks(index, survey.events, "index", max_breaks=3, min_size=2)
    assert found.table()["label"].tolist() == ["change", "change"]  # what the search alone would say
    assert head.stability.unstable is False and not head.confirmed
    pd.testing.assert_frame_equal(head.table(), found.unconfirmed().table())
    assert head.table()["regime_from"].tolist() == [2018, 2022]
    assert head.table()["before"].tolist() == pytest.approx([0.7430800521, 0.8109993184], abs=1e-9)
    assert head.table("vi")["label"].str.startswith("chưa xác nhận").all()
    verdicts = head.summary("vi")
    assert [v.split(" (")[0] for v in verdicts[:3]] == ["Năm 2016", "Năm 2018", "Năm 2023"]  # the known years
    assert verdicts[1].startswith("Năm 2018 (năm đầu sau Chương trình hành động số 12): xu hướng gãy, chỉ số tăng "
                                  "bậc 3,32 điểm")  # p = 0.021, and why 2018 is known
    assert "): chưa có bằng chứng" in verdicts[0] and "): chưa có bằng chứng" in verdicts[2]
    assert verdicts[3].startswith("Ngoài các năm đã biết, chưa xác nhận điểm gãy nào") and "2022 (KTC 95%: 2016–2023)" \
        in verdicts[3] and len(verdicts) == 4
    assert "2018 (KTC" not in verdicts[3]  # 2018, a known year, is not an "other" candidate
    assert not any("thay đổi thực" in v for v in verdicts)  # no second verdict beside the stability tests'
    assert head.breaks.summary("vi") == break_sentences(found.unconfirmed().found, "vi")
    assert head.stability.table("en")["method"].tolist() == ["sup-F (Andrews): one break anywhere", "OLS-CUSUM",
                                                              "Recursive CUSUM"]
    assert head.stability.summary("vi")[0].startswith("Trên cả chuỗi 2014–2023 (10 năm): kiểm định sup-F p = 0,352")


def test_the_headline_takes_max_breaks_and_min_cell(survey):
    """max_breaks (a notebook parameter, once a constant 3 in the summary) and min_cell change the headline."""
    from analysis.sections import trends as section

    one = section.headline(survey, 2023, min_cell=10, max_breaks=1)
    assert len(one.table()) == 1 and len(section.headline(survey, 2023, max_breaks=3).table()) == 2
    none = section.headline(survey, 2023, min_cell=10**6)
    assert none.table().empty and none.yearly.index.empty
    assert none.summary("en") == [narrative.say("breaks_too_short", "en", years=0, need=section.BREAK_MIN_YEARS)]
    assert findings(none, "en") == []  # what the section cannot show is not a finding of the summary
    assert none.stability.summary("en") == ["Only 0 years with enough respondents: too short for the stability tests."]


def test_known_year_tests_and_year_on_year_of_the_section(survey):
    """Known years by default: 2016 and the first years after the policies; shifts as proportions."""
    from analysis.sections import trends as section

    head = section.headline(survey, 2023)
    years = section.years_to_test(head.yearly)
    assert years == [2016, 2018, 2023] and section.years_to_test(head.yearly, [2019]) == [2019]
    tests = section.known_breaks(head.yearly, years).table().set_index("year")
    assert tests.loc[2018, "shift"] == pytest.approx(0.03324160433, abs=1e-9)
    assert tests.loc[2018, "tau"] == pytest.approx(np.sqrt(0.7547662891) / 100, abs=1e-9)
    assert tests.loc[2018, "chow_p"] == pytest.approx(0.1456565393, abs=1e-8)
    changes = section.yearly_changes(head.yearly, years, min_cell=10)
    sentences = changes.summary("en")
    assert any(s.startswith("Compared with 2015, the index in 2016 fell by 1.21 points") for s in sentences)  # known
    assert changes.table().set_index("year").loc[2016, "estimate"] == pytest.approx(0.7339690608, abs=1e-9)


def test_a_short_series_says_why_there_is_no_break_search(survey):
    """Four years: too short for Bai-Perron with 2-year segments (it is not searched, so not 'no break')."""
    from analysis.sections import trends as section

    short = dataclasses.replace(survey, responses=survey.responses[survey.responses["year"] >= 2020])
    head = section.headline(short, 2023)
    assert not head.searched and head.table().empty and section.BREAK_MIN_YEARS == 5
    assert head.notes("vi") == [narrative.say("breaks_too_short", "vi", years=4, need=5)]
    known = narrative.known_break_verdicts(head.known.tests, "vi", why=section.policy_years(head.yearly))
    assert head.summary("vi") == [*known, *head.notes("vi")]
    assert findings(head, "vi") == known and known[0].startswith("Năm 2023 (năm đầu sau Kết luận số 91)")
    five = section.headline(dataclasses.replace(survey, responses=survey.responses[survey.responses["year"] >= 2019]),
                            2023)
    assert five.searched and five.summary("en") and five.notes("en") == []


def test_breaks_without_methodology_events_say_they_cannot_be_told_from_method(survey):
    """The caveat qualifies the breaks' reading ('real change'), so the executive summary keeps it."""
    from analysis.sections import trends as section

    def confirmed(data):  # the headline as if the stability tests had rejected a stable trend
        head = section.headline(data, 2023)
        rejected = trends.StabilityTests(head.stability.tests.assign(p_value=0.001), head.stability.years)
        index = head.yearly.index.set_index("year")["estimate"]
        found = trends.labelled_breaks(index, section.scope_events(data), "index", max_breaks=3, min_size=2)
        return dataclasses.replace(head, stability=rejected, breaks=found)

    head = confirmed(survey)
    assert head.confirmed and len(head.table()) == 2 and head.notes("en") == []  # a methodology event exists
    assert narrative.absent("method_events", "en") not in head.summary("en")
    policies_only = dataclasses.replace(survey, events=survey.events[survey.events["kind"] == "policy"])
    bare = confirmed(policies_only)
    assert bare.summary("en") == [*head.summary("en"), narrative.absent("method_events", "en")]
    assert findings(bare, "en") == bare.summary("en") and bare.notes("en") == []
    unconfirmed = section.headline(policies_only, 2023)  # no break found: no caveat on its reading
    assert narrative.absent("method_events", "en") not in unconfirmed.summary("en")


def test_a_methodology_event_of_the_scope_s_block_labels_its_breaks(survey):
    """An event naming a block (as the mapping may) applies to every agency of that block's report."""
    from analysis.data.scope import select_scope
    from analysis.sections import trends as section

    block = select_scope(survey, "UBND cấp huyện")
    index = section.headline(block, 2023).yearly.index.set_index("year")["estimate"]

    def labelled(data):
        return trends.labelled_breaks(index, section.scope_events(data), "index", max_breaks=3, min_size=2).table()

    found = labelled(block)
    assert len(found), "the block's index breaks"
    first = found.iloc[0]
    event = pd.DataFrame({"date": pd.to_datetime([f"{int(first['regime_from'])}-01-01"]), "kind": ["methodology"],
                          "applies_to": ["UBND cấp huyện"], "name": ["New form"], "description": [""]})
    marked = labelled(dataclasses.replace(block, events=event))
    assert marked["label"].iloc[0] == "method" and marked["event"].iloc[0] == "New form"
    assert (labelled(dataclasses.replace(block, events=event.assign(applies_to="UBND cấp xã")))["label"]
            == "change").all()


def test_no_known_year_and_a_single_year_are_said_in_one_sentence(survey):
    from analysis.sections import trends as section

    head = section.headline(survey, 2023)
    note = section.known_breaks(head.yearly, [])
    assert note.summary("en") == [narrative.absent("known_years", "en")] and note.table().empty
    one = section.headline(dataclasses.replace(survey, responses=survey.responses[survey.responses["year"] == 2023]),
                           2023)
    assert section.yearly_changes(one.yearly).summary("vi") == [narrative.absent("one_year", "vi")]


def test_the_papi_part_appears_for_a_survey_that_names_papi_or_when_asked(survey, tmp_path):
    from analysis.sections import series
    from analysis.sections import trends as section

    named = dataclasses.replace(survey, papi=str(RAW / "papi"))
    assert section.papi_folder(named) == str(RAW / "papi")
    assert section.papi_folder(dataclasses.replace(survey, papi="")) == ""  # a treasury's survey: no PAPI
    assert section.papi_folder(dataclasses.replace(survey, papi=""), "/some/papi") == "/some/papi"  # asked for
    csv = tmp_path / "series.csv"
    pd.DataFrame({"unit_id": ["a", "a"], "period": ["2020", "2021"], "measure": ["m", "m"],
                  "value": [1.0, 2.0]}).to_csv(csv, index=False)
    assert section.papi_folder(series.read(csv, "m")) == ""  # a series CSV: only an explicit papi
