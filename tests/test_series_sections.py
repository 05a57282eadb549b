"""Sections 03 and 04 on a unit-level series CSV (analysis.sections.series): one reader for both, the values
kept in their own unit (a PAPI score, not a share), and the display helper the two notebooks use."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import RAW

from analysis.data.papi import load_papi
from analysis.data.schema import Survey
from analysis.reporting.outputs import Outputs
from analysis.sections import policy, series, trends


@pytest.fixture(scope="module")
def series_csv(tmp_path_factory):
    folder = tmp_path_factory.mktemp("series")
    papi = load_papi(RAW / "papi")
    papi[papi["measure"].isin(["C05", "C06"])].to_csv(folder / "papi.csv", index=False)
    return folder / "papi.csv"


@pytest.fixture(scope="module")
def c05(series_csv):
    return series.read(series_csv, "C05", RAW / "papi" / "events.csv")


def test_read_gives_a_survey_for_a_mapping_and_one_measure_for_a_csv(series_csv, c05):
    survey = series.read(RAW / "province_survey" / "mapping.yaml")
    assert isinstance(survey, Survey)
    assert isinstance(series.in_scope(survey, "SNV"), Survey)
    assert series.in_scope(survey, "SNV").units["unit_id"].tolist() == ["SNV"]
    assert isinstance(c05, series.UnitSeries) and series.in_scope(c05, "SNV") is c05  # a series has no scope
    assert set(c05.rows["measure"]) == {"C05"} and c05.rows["unit_id"].nunique() == 63
    assert (c05.events["kind"] == "methodology").all()
    assert series.read(series_csv, "C05").events.empty
    with pytest.raises(ValueError, match="C05"):
        series.read(series_csv, "")  # names the measures the file holds


def test_the_yearly_series_of_a_csv_is_the_mean_over_units(series_csv, c05):
    raw = pd.read_csv(series_csv)
    raw = raw[raw["measure"] == "C05"]
    expected = raw.groupby("period")["value"].agg(["mean", "sem"])
    yearly = series.yearly(c05)
    assert not yearly.share and yearly.cube is None and yearly.measure == "C05"
    np.testing.assert_allclose(yearly.index["estimate"], expected["mean"])
    np.testing.assert_allclose(yearly.index["se"], expected["sem"])
    treated = sorted(raw["unit_id"].unique())[:30]
    np.testing.assert_allclose(c05.index(treated)["estimate"],
                               raw[raw["unit_id"].isin(treated)].groupby("period")["value"].mean())
    panel = c05.panel()
    assert set(panel.columns) == {"unit_id", "year", "value", "weight", "n"} and len(panel) == len(raw)


def test_both_sections_run_on_the_series_in_its_own_unit(c05):
    """Sentences of a PAPI score say the number itself, not points of a percentage; tables are not scaled."""
    head = trends.headline(c05, 2024)
    assert head.percent == () and not head.yearly.share
    assert trends.yearly_changes(head.yearly, [2016]) is None  # no sampling error to compare against
    assert trends.years_to_test(head.yearly) == []  # a series without events: no year known beforehand
    tests = trends.known_breaks(head.yearly, trends.years_to_test(head.yearly, [2016]))
    assert tests.percent == () and tests.table()["p_value"].between(0, 1).all()
    units = sorted(c05.rows["unit_id"].unique())
    setup_args = dict(policies={"Pilot": "2016-01-01"}, treated_units=units[:30], comparison_units=units[30:])
    did = policy.headline(c05, 2024, **setup_args)
    assert did.percent == () and did.table()["policy"].tolist() == ["Pilot"]
    assert did.table()["clusters"].tolist() == [63]
    row = did.table().iloc[0]
    assert f"{row['estimate']:.2f}".replace("-", "−") in did.summary("en")[0]  # the score difference itself
    synth = policy.synthetic(did.setup, units[0])
    assert synth is not None and not synth.share and synth.unit == units[0]
    assert policy.its(did.setup).percent == ()


def test_show_saves_codes_shows_the_readers_words_and_skips_what_does_not_apply(tmp_path, c05, capsys):
    out = Outputs(tmp_path, lang="en")
    head = trends.headline(c05, 2024)
    out.show(head, "breaks", "trends.unknown")
    saved = pd.read_csv(tmp_path / "tables" / "breaks.csv", encoding="utf-8-sig")
    assert saved.columns.tolist() == ["regime_from", "first_low", "first_high", "before", "after", "label", "event"]
    assert set(saved["label"]) <= {"change", "method"}  # codes in the CSV
    assert set(head.table("en")["label"]) <= {"real change", "possible method break"}  # words on the page
    assert (tmp_path / "figures" / "breaks.png").exists()
    out.show(None, "nothing", "trends.yoy")
    assert not (tmp_path / "tables" / "nothing.csv").exists()
    short = trends.headline(series.UnitSeries(c05.rows[c05.rows["period"].astype(int) < 2015], "C05", c05.events),
                            2014)
    out.show(short.stability, "stability_tests")  # too short: the sentence only, no table
    assert not (tmp_path / "tables" / "stability_tests.csv").exists()
