"""Reviewing a month, a quarter or a round: the period against the one before and a year earlier.

The truth is brute force on the generated answers (unweighted respondents, SIPAS index).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.data.load import load_survey
from analysis.data.readers import parse_period
from analysis.reporting.labels import period_name
from analysis.sections import period as review_of
from analysis.sections import survey_in_scope

ITEMS = {"staff.1": "Cán bộ tận tình", "result.1": "Trả kết quả đúng hẹn", "overall": "Hài lòng chung"}


def write_survey(folder, periods: list[str], level: dict[str, float] | None = None, n: int = 80) -> pd.DataFrame:
    """A CSV survey of ``periods`` (two offices, ``n`` respondents each) and its mapping."""
    rng = np.random.default_rng(7)
    rows = []
    for k, period in enumerate(periods):
        good = (level or {}).get(period, 0.8)
        for unit in ("T1", "T2"):
            for r in range(n):
                row = {"Số phiếu": f"{k}-{unit}-{r}", "Kỳ": period, "Đơn vị": unit}
                for question in ITEMS.values():
                    row[question] = int(rng.choice([4, 5])) if rng.random() < good else int(rng.choice([1, 2, 3]))
                rows.append(row)
    answers = pd.DataFrame(rows)
    answers.to_csv(folder / "survey.csv", index=False)
    items = "".join(f"  {code}: {question}\n" for code, question in ITEMS.items())
    (folder / "mapping.yaml").write_text(
        "title: Kho bạc thử\nanswers: survey.csv\ncolumns:\n  respondent_id: Số phiếu\n  period: Kỳ\n"
        f"  unit_id: Đơn vị\nitems:\n{items}", encoding="utf-8")
    return answers


def brute(answers: pd.DataFrame, period: str) -> float:
    """The SIPAS index of a period: per respondent, the mean over its components of the share rated 4-5."""
    rows = answers[answers["Kỳ"].map(lambda p: parse_period(str(p))[0]) == period]
    return float(rows[[ITEMS["staff.1"], ITEMS["result.1"]]].ge(4).mean(axis=1).mean())


MONTHS = [f"{y}-{m:02d}" for y in (2023, 2024) for m in range(1, 13)]


def test_a_month_is_compared_with_the_month_before_and_the_same_month_a_year_earlier(tmp_path):
    answers = write_survey(tmp_path, MONTHS, level={"2024-06": 0.95, "2024-05": 0.7, "2023-06": 0.8}, n=60)
    head = review_of.review(survey_in_scope(tmp_path / "mapping.yaml", period="2024-06"), "2024-06", min_cell=10)
    assert head.index["estimate"] == pytest.approx(brute(answers, "2024-06"), abs=1e-12)
    table = head.table().set_index("comparison")
    assert table.loc["previous_period", "compared_period"] == "2024-05"
    assert table.loc["year_earlier", "compared_period"] == "2023-06"
    for comparison, other in (("previous_period", "2024-05"), ("year_earlier", "2023-06")):
        truth = brute(answers, "2024-06") - brute(answers, other)
        assert table.loc[comparison, "difference"] == pytest.approx(truth, abs=1e-12)
    assert table.loc["previous_period", "p_value"] < 0.05  # 95% against 70% satisfied, 120 respondents each
    lines = head.summary("vi")
    assert lines[0].startswith("Chỉ số hài lòng tháng 6/2024") and "tháng 5/2024 (kỳ trước)" in lines[1]
    assert "lớn hơn sai số chọn mẫu" in lines[1] and "tháng 6/2023 (cùng kỳ năm trước)" in lines[2]
    assert lines[3] == "Các số liệu của năm 2024 trong báo cáo này tính đến hết tháng 6/2024."


def test_a_review_sees_nothing_after_its_period(tmp_path):
    write_survey(tmp_path, MONTHS, n=20)
    survey = survey_in_scope(tmp_path / "mapping.yaml", period="2024-03")
    assert survey.responses["period"].max() == "2024-03"
    assert load_survey(tmp_path / "mapping.yaml").responses["period"].max() == "2024-12"


@pytest.mark.parametrize("written, canonical", [("đợt I năm 2022", "2022-R1"), ("Đợt 2/2022", "2022-R2"),
                                                ("quý 3/2022", "2022-Q3"), ("2022-Q4", "2022-Q4"),
                                                ("Năm 2022", "2022"), ("Tháng 7 năm 2022", "2022-07"),
                                                ("15/07/2022", "2022-07")])
def test_rounds_and_quarters_are_read_as_kbnn_and_reports_write_them(written, canonical):
    assert parse_period(written)[0] == canonical


def test_rounds_compare_with_the_round_before(tmp_path):
    rounds = ["đợt I năm 2022", "đợt II năm 2022", "đợt I năm 2023", "đợt II năm 2023"]
    answers = write_survey(tmp_path, rounds, n=40)
    head = review_of.review(load_survey(tmp_path / "mapping.yaml"), "2023-R2", min_cell=10)
    table = head.table().set_index("comparison")
    assert table.loc["previous_period", "compared_period"] == "2023-R1"
    assert table.loc["year_earlier", "compared_period"] == "2022-R2"
    truth = brute(answers, "2023-R2") - brute(answers, "2022-R2")
    assert table.loc["year_earlier", "difference"] == pytest.approx(truth, abs=1e-12)
    assert period_name("2023-R2", "vi") == "đợt 2 năm 2023"


def test_the_first_period_says_there_is_nothing_to_compare(tmp_path):
    write_survey(tmp_path, MONTHS[:3], n=20)
    head = review_of.review(load_survey(tmp_path / "mapping.yaml"), "2023-01", min_cell=10)
    assert head.table().empty and "kỳ khảo sát đầu tiên" in head.summary("vi")[-2]


def test_a_small_period_is_not_published(tmp_path):
    write_survey(tmp_path, MONTHS[:3], n=3)
    head = review_of.review(load_survey(tmp_path / "mapping.yaml"), "2023-02", min_cell=10)
    assert head.table()["suppressed"].all() and head.table()["difference"].isna().all()
    assert "không công bố" in head.summary("vi")[0]


def test_the_tenth_round_comes_after_the_ninth(tmp_path):
    rounds = [f"2023-R{k}" for k in range(1, 12)]
    write_survey(tmp_path, rounds, n=10)
    survey = survey_in_scope(tmp_path / "mapping.yaml", period="2023-R10")
    assert review_of.periods(survey)[-2:] == ["2023-R9", "2023-R10"]
    head = review_of.review(survey, "2023-R10", min_cell=5)
    assert head.table()["compared_period"].tolist() == ["2023-R9"]


def test_a_year_s_review_uses_no_later_data(tmp_path):
    """Reviewing 2023 of a survey that runs into 2024: the 2024 months are left out of every section (the
    projection of a 2023 review rests on the years up to 2023), and the whole survey is untouched."""
    months = [f"{year}-{month:02d}" for year in (2022, 2023, 2024) for month in (3, 9)]
    write_survey(tmp_path, months)
    whole = survey_in_scope(tmp_path / "mapping.yaml")
    reviewed = survey_in_scope(tmp_path / "mapping.yaml", "province", "2023")
    assert sorted(reviewed.responses["year"].unique()) == [2022, 2023]
    assert sorted(whole.responses["year"].unique()) == [2022, 2023, 2024]
    assert review_of.up_to(whole, "2024") is whole  # nothing after 2024: the same survey
    assert sorted(review_of.up_to(whole, "2023-03").responses["period"].unique()) == ["2022-03", "2022-09",
                                                                                       "2023-03"]
