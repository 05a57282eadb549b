"""Decision 766: bands at their edges, the linear rule by hand, missing indicators, configuration checks."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import RAW

from analysis.analyses import decision766 as d766
from analysis.data.load import load_published_figures
from analysis.errors import InputError
from analysis.reporting import narrative
from analysis.reporting.labels import label
from analysis.results import Result

CONFIG = d766.load_scoring()


# --------------------------------------------------------------------------- bands


@pytest.mark.parametrize("total, code", [
    (0, "weak"), (49.99, "weak"), (50, "average"), (69.99, "average"), (70, "fair"), (79.99, "fair"),
    (80, "good"), (89.99, "good"), (90, "excellent"), (100, "excellent"),
])
def test_band_edges(total, code):
    assert d766.band(total) == code


@pytest.mark.parametrize("code, vietnamese", [
    ("excellent", "xuất sắc"), ("good", "tốt"), ("fair", "khá"), ("average", "trung bình"), ("weak", "yếu"),
])
def test_bands_have_the_decisions_vietnamese_names(code, vietnamese):
    assert d766.band_label(code, "vi").lower() == vietnamese
    assert label(f"band.{code}", "en") != f"band.{code}"


def test_a_float_sum_that_is_90_counts_as_90_and_missing_totals_have_no_band():
    total = sum([0.1] * 900)  # 89.99999999999..., 90 in exact arithmetic
    assert total < 90
    assert d766.band(total) == "excellent"
    assert d766.band(float("nan")) is None and d766.band(None) is None
    assert d766.band_label(None) == ""


@pytest.mark.parametrize("total", [-0.01, 100.01])
def test_a_total_outside_0_to_100_is_an_error(total):
    with pytest.raises(ValueError, match="between 0 and 100"):
        d766.band(total)


def test_band_edges_and_group_maxima_match_the_published_figures():
    """The official parts of the configuration agree with data/raw/published_figures.csv (source 003)."""
    figures = load_published_figures(RAW / "published_figures.csv")
    figures = figures[figures["scope"] == "decision_766"].set_index("measure")["value"]
    for group in CONFIG.groups:
        assert group.max_points == figures[f"max_points.{group.code}"], group.code
    for code, low in d766.BANDS[:-1]:
        assert low == figures[f"band_min_points.{code}"], code
    assert sum(g.max_points for g in CONFIG.groups) == 100
    assert [g.max_points for g in CONFIG.groups] == [18, 20, 22, 22, 18]


# --------------------------------------------------------------------------- the linear rule


@pytest.mark.parametrize("rate, threshold, max_points, expected", [
    (100, 100, 6, 6.0),      # at the threshold: full points
    (90, 90, 7, 7.0),
    (97.5, 90, 7, 7.0),      # above: capped at the maximum
    (45, 90, 4, 2.0),        # half the threshold: half the points
    (50, 100, 14, 7.0),
    (25, 50, 6, 3.0),
    (60, 80, 10, 7.5),       # 60 x 10 / 80
    (0, 100, 8, 0.0),
])
def test_linear_rule(rate, threshold, max_points, expected):
    assert float(d766.linear_points(rate, threshold, max_points)) == pytest.approx(expected, abs=1e-12)


def test_linear_rule_works_on_arrays_and_keeps_missing_rates_missing():
    points = d766.linear_points([45, 120, np.nan], [90, 100, 100], [4, 6, 6])
    assert points[:2].tolist() == [2.0, 6.0] and math.isnan(points[2])


# A made-up unit under the shipped default configuration, worked by hand:
#   (i)   transparency   published 100/100 x 6 = 6;  complete 90/100 x 6 = 5.4;  status 50/100 x 6 = 3    -> 14.4
#   (ii)  progress       on time 95/100 x 14 = 13.3;  early 25/50 x 6 = 3                                  -> 16.3
#   (iii) digitisation   dossiers 80/100 x 8 = 6.4;  results 100/100 x 8 = 8;  reuse 40/80 x 6 = 3          -> 17.4
#   (iv)  online         services 100/100 x 6 = 6;  dossiers 60/80 x 10 = 7.5;  payment 75/50 -> capped 6   -> 19.5
#   (v)   satisfaction   classified 100 -> 3;  on time 50/100 x 4 = 2;  feedback 45/90 x 4 = 2;
#                        procedures 93.64/90 -> capped 7                                                    -> 14
#   total 14.4 + 16.3 + 17.4 + 19.5 + 14 = 81.6 -> tốt (good)
HAND_RATES = {
    "procedures_published_on_time_pct": 100, "procedures_public_pct": 90, "dossier_status_public_pct": 50,
    "dossiers_on_time_pct": 95, "dossiers_early_pct": 25,
    "dossiers_digitised_pct": 80, "results_electronic_pct": 100, "data_reused_pct": 40,
    "services_full_online_pct": 100, "dossiers_online_pct": 60, "payments_online_pct": 75,
    "feedback_classified_pct": 100, "feedback_on_time_pct": 50, "feedback_satisfaction_pct": 45,
    "procedure_satisfaction_pct": 93.64,
}
HAND_GROUPS = {"transparency": 14.4, "progress": 16.3, "digitisation": 17.4, "online_service": 19.5,
               "satisfaction": 14.0}


def one_unit(**changes: float) -> pd.DataFrame:
    return pd.DataFrame([{"unit_id": "X", "period": "2023-07", **HAND_RATES, **changes}])


def test_hand_worked_total_for_a_made_up_unit():
    result = d766.score(one_unit(), CONFIG)
    groups = result.groups.set_index("index_group")
    for group, points in HAND_GROUPS.items():
        assert groups.loc[group, "points"] == pytest.approx(points, abs=1e-9), group
    assert groups["max_points"].tolist() == [18, 20, 22, 22, 18]
    total = result.totals.iloc[0]
    assert total["total_points"] == pytest.approx(81.6, abs=1e-9)
    assert total["band"] == "good" and total["n_missing"] == 0 and total["missing_criteria"] == ""
    criteria = result.criteria.set_index("criterion")
    assert criteria.loc["online_service.payment", "points"] == 6.0  # capped
    assert criteria.loc["satisfaction.feedback_handling", "points"] == pytest.approx(2.0)
    assert list(result.criteria.columns) == d766.CRITERIA_COLUMNS
    assert len(result.criteria) == 15


def test_every_criterion_at_its_threshold_scores_100_and_losing_ten_points_lands_on_90():
    at_threshold = {c.indicator: c.threshold for c in CONFIG.criteria}
    full = d766.score(one_unit(**at_threshold), CONFIG).totals.iloc[0]
    assert full["total_points"] == 100 and full["band"] == "excellent"
    # digitised 0 (-8) and feedback on time 50% (-2): exactly 90, still excellent; a little less is good
    edge = d766.score(one_unit(**{**at_threshold, "dossiers_digitised_pct": 0, "feedback_on_time_pct": 50}),
                      CONFIG).totals.iloc[0]
    assert edge["total_points"] == pytest.approx(90) and edge["band"] == "excellent"
    below = d766.score(one_unit(**{**at_threshold, "dossiers_digitised_pct": 0, "feedback_on_time_pct": 49.75}),
                       CONFIG).totals.iloc[0]
    assert below["total_points"] == pytest.approx(89.99) and below["band"] == "good"


def test_units_and_periods_are_scored_separately_in_configuration_order():
    table = pd.concat([one_unit(), one_unit().assign(period="2023-08", dossiers_digitised_pct=0),
                       one_unit().assign(unit_id="A")], ignore_index=True)
    totals = d766.score(table, CONFIG).totals.set_index(["unit_id", "period"])["total_points"]
    assert totals[("X", "2023-07")] == pytest.approx(81.6)
    assert totals[("X", "2023-08")] == pytest.approx(81.6 - 6.4)
    assert totals[("A", "2023-07")] == pytest.approx(81.6)
    criteria = d766.score(table, CONFIG).criteria
    first = criteria[(criteria["unit_id"] == "X") & (criteria["period"] == "2023-07")]
    assert first["criterion"].tolist() == [c.code for c in CONFIG.criteria]


# --------------------------------------------------------------------------- missing indicators


def test_a_missing_rate_scores_zero_and_is_reported():
    with pytest.warns(d766.MissingIndicatorWarning, match="feedback_on_time_pct"):
        result = d766.score(one_unit(feedback_on_time_pct=np.nan), CONFIG)
    row = result.criteria.set_index("criterion").loc["satisfaction.feedback_on_time"]
    assert bool(row["is_missing"]) and row["points"] == 0
    total = result.totals.iloc[0]
    assert total["total_points"] == pytest.approx(81.6 - 2)
    assert total["n_missing"] == 1 and total["missing_criteria"] == "satisfaction.feedback_on_time"
    assert result.groups.set_index("index_group").loc["satisfaction", "n_missing"] == 1


def test_an_absent_indicator_column_is_missing_everywhere_and_reported():
    table = one_unit().drop(columns="procedure_satisfaction_pct")
    with pytest.warns(d766.MissingIndicatorWarning, match="procedure_satisfaction_pct"):
        result = d766.score(table, CONFIG)
    assert result.totals.iloc[0]["missing_criteria"] == "satisfaction.procedures"
    assert result.totals.iloc[0]["total_points"] == pytest.approx(81.6 - 7)


def test_missing_error_policy_stops_with_an_input_error():
    with pytest.raises(InputError, match="lack some indicators") as info:
        d766.score(one_unit(dossiers_early_pct=np.nan), CONFIG, missing="error")
    assert info.value.column == "dossiers_early_pct" and "Fix:" in str(info.value)
    with pytest.raises(ValueError, match="missing must be one of"):
        d766.score(one_unit(), CONFIG, missing="skip")


@pytest.mark.parametrize("bad", [100.5, -1, "n/a"])
def test_a_rate_outside_0_to_100_is_an_input_error(bad):
    with pytest.raises(InputError, match="not a percentage between 0 and 100") as info:
        d766.score(one_unit(dossiers_online_pct=bad), CONFIG)
    assert info.value.column == "dossiers_online_pct"


def test_rates_given_as_proportions_are_an_input_error():
    proportions = one_unit(**{k: v / 100 for k, v in HAND_RATES.items()})
    with pytest.raises(InputError, match="proportions"):
        d766.score(proportions, CONFIG)


def test_a_repeated_unit_period_is_an_input_error():
    with pytest.raises(InputError, match="more than one row"):
        d766.score(pd.concat([one_unit(), one_unit()]), CONFIG)


# --------------------------------------------------------------------------- reading indicators


def write_indicators(path, rows: list[dict]) -> None:
    pd.DataFrame(rows).to_csv(path, index=False)


def test_load_indicators_reads_periods_and_numbers_and_names_a_bad_cell(tmp_path):
    path = tmp_path / "indicators.csv"
    write_indicators(path, [{"unit_id": "X", "period": "7/2023", **HAND_RATES},
                            {"unit_id": "X", "period": "2023-08", **HAND_RATES, "data_reused_pct": ""}])
    table = d766.load_indicators(path, CONFIG)
    assert table["period"].tolist() == ["2023-07", "2023-08"]
    assert math.isnan(table.loc[1, "data_reused_pct"])
    write_indicators(path, [{"unit_id": "X", "period": "2023-07", **HAND_RATES},
                            {"unit_id": "X", "period": "2023-08", **HAND_RATES, "data_reused_pct": 140}])
    with pytest.raises(InputError) as info:
        d766.load_indicators(path, CONFIG)
    assert (info.value.file, info.value.row, info.value.column) == (str(path), 3, "data_reused_pct")


def test_load_indicators_rejects_a_repeated_month(tmp_path):
    path = tmp_path / "indicators.csv"
    write_indicators(path, [{"unit_id": "X", "period": "2023-07", **HAND_RATES}] * 2)
    with pytest.raises(InputError, match="more than one row") as info:
        d766.load_indicators(path, CONFIG)
    assert info.value.row == 3


# --------------------------------------------------------------------------- configuration


def shipped_yaml() -> dict:
    return yaml.safe_load(d766.DEFAULT_SCORING.read_text(encoding="utf-8"))


def write_config(tmp_path, raw: dict):
    path = tmp_path / "decision766.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def config_fails(path, *phrases: str) -> InputError:
    with pytest.raises(InputError) as info:
        d766.load_scoring(path)
    message = str(info.value)
    assert info.value.file == str(path) and "Fix:" in message, message
    for phrase in phrases:
        assert phrase in message, message
    return info.value


def test_the_shipped_configuration_says_its_split_is_a_documented_default():
    header = d766.DEFAULT_SCORING.read_text(encoding="utf-8").split("\ngroups:")[0]
    assert "NOT official" in header and "HOW TO EDIT" in header
    for group in CONFIG.groups:
        assert sum(c.points for c in group.criteria) == group.max_points
        assert all(0 < c.threshold <= 100 for c in group.criteria)
    assert [c.code for c in CONFIG.criteria if c.survey_item] == ["satisfaction.procedures"]
    assert CONFIG.name("satisfaction", "vi") == "Mức độ hài lòng"
    assert CONFIG.name("band.good", "vi") == "Tốt"


def test_an_edited_copy_loads(tmp_path):
    raw = shipped_yaml()
    raw["groups"][1]["criteria"][0]["points"] = 10
    raw["groups"][1]["criteria"][1]["points"] = 10
    config = d766.load_scoring(write_config(tmp_path, raw))
    assert [c.points for c in config.groups[1].criteria] == [10, 10]
    assert d766.score(one_unit(), config).groups.set_index("index_group").loc["progress", "points"] == \
        pytest.approx(9.5 + 5)


def test_criteria_points_that_do_not_add_up_to_the_group_maximum(tmp_path):
    raw = shipped_yaml()
    raw["groups"][1]["criteria"][0]["points"] = 13
    config_fails(write_config(tmp_path, raw), "group 'progress'", "add up to 19", "max_points 20")


def test_groups_that_do_not_add_up_to_100(tmp_path):
    raw = shipped_yaml()
    raw["groups"][4]["max_points"] = 19
    raw["groups"][4]["criteria"][0]["points"] = 4
    config_fails(write_config(tmp_path, raw), "add up to 101", "official: 18, 20, 22, 22, 18")


@pytest.mark.parametrize("threshold, phrase", [(0, "not a number greater than 0"), (-5, "not a number greater than 0"),
                                               (120, "above 100"), ("90%", "not a number greater than 0")])
def test_thresholds_outside_0_to_100(tmp_path, threshold, phrase):
    raw = shipped_yaml()
    raw["groups"][4]["criteria"][3]["threshold"] = threshold
    config_fails(write_config(tmp_path, raw), "satisfaction.procedures", phrase)


def test_a_criterion_without_an_indicator_and_a_repeated_code(tmp_path):
    raw = shipped_yaml()
    del raw["groups"][0]["criteria"][0]["indicator"]
    config_fails(write_config(tmp_path, raw), "has no 'indicator'")
    raw = shipped_yaml()
    raw["groups"][0]["criteria"][1]["code"] = raw["groups"][0]["criteria"][0]["code"]
    config_fails(write_config(tmp_path, raw), "used twice")


def test_unreadable_or_absent_configuration_files(tmp_path):
    config_fails(tmp_path / "nothing.yaml", "does not exist")
    bad = tmp_path / "bad.yaml"
    bad.write_text("groups: [unclosed\n", encoding="utf-8")
    config_fails(bad, "not valid YAML")
    bad.write_text("title: only a title\n", encoding="utf-8")
    config_fails(bad, "no list of 'groups'")


# --------------------------------------------------------------------------- for readers


def test_period_text_and_the_summary_sentence_of_a_made_up_unit():
    assert d766.period_text("2023-07", "vi") == "tháng 7/2023"
    assert d766.period_text("2023-07", "en") == "July 2023"
    assert d766.period_text("2023", "vi") == "2023"
    result = d766.score(one_unit(), CONFIG)
    assert narrative.decision766_sentence(result, "X", "2023-07", "Đơn vị X") == (
        "Đơn vị X, tháng 7/2023: tỷ lệ hài lòng 93,64%, tổng điểm 81,60/100, xếp loại tốt.")
    assert narrative.decision766_sentence(result, "X", "2023-07", "Unit X", "en") == (
        "Unit X, July 2023: satisfaction 93.64%, total score 81.60/100, rated good.")
    with pytest.warns(d766.MissingIndicatorWarning):
        gap = d766.score(one_unit(feedback_on_time_pct=np.nan), CONFIG)
    assert narrative.decision766_sentence(gap, "X", "2023-07") == (
        "X, tháng 7/2023: tỷ lệ hài lòng 93,64%, tổng điểm 79,60/100, xếp loại khá. "
        "Thiếu số liệu 1 tiêu chí (satisfaction.feedback_on_time), tính 0 điểm.")
    with pytest.warns(d766.MissingIndicatorWarning):
        unsurveyed = d766.score(one_unit().drop(columns="procedure_satisfaction_pct"), CONFIG)
    assert narrative.decision766_sentence(unsurveyed, "X", "2023-07", lang="en") == (
        "X, July 2023: total score 74.60/100, rated fair. 1 criteria have no data (satisfaction.procedures) "
        "and earn 0 points.")
    with pytest.raises(ValueError, match="no score"):
        narrative.decision766_sentence(result, "X", "2023-08")


def test_scores_follow_the_result_protocol():
    result = d766.score(pd.concat([one_unit(), one_unit().assign(period="2024-01", dossiers_digitised_pct=0)],
                                  ignore_index=True), CONFIG)
    assert isinstance(result, Result) and result.scoring is CONFIG
    pd.testing.assert_frame_equal(result.table(), result.totals)
    assert result.summary("vi") == ["2 lượt đơn vị – kỳ được chấm điểm: xuất sắc 0, tốt 1, khá 1, trung bình 0, yếu 0."]
    assert result.summary("en") == ["2 unit-periods scored: excellent 0, good 1, fair 1, average 0, weak 0."]
    year = result.during("2023")
    assert list(year.totals["period"]) == ["2023-07"] and len(year.criteria) == 15 and len(year.groups) == 5
    assert result.plot("vi").axes[0].get_ylabel() == label("total_points", "vi")


def test_for_readers_replaces_codes_with_names():
    result = d766.score(one_unit(), CONFIG)
    shown = d766.for_readers(result.totals, CONFIG, "vi", pd.DataFrame({"unit_id": ["X"], "unit_name": ["Đơn vị X"]}))
    assert shown.loc[0, "unit"] == "Đơn vị X" and shown.loc[0, "band"] == "Tốt"
    named = d766.for_readers(result.criteria, CONFIG, "en")
    assert named.loc[0, "index_group"] == "Publicity and transparency"
    counts = d766.band_counts(result.totals)
    assert counts.columns.tolist() == ["unit_id", *[f"band.{c}" for c, _ in d766.BANDS]]
    assert counts.loc[0, "band.good"] == 1
