"""The one-page brief shows the sections' own numbers: its boxes are the index, change and projection
tables of section 02, its agencies the ends of the ranking, its complaints the year's commonest
complaint categories, its verdict lines the policy and trend headlines; in plain words (no p-value)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import RAW

from analysis.data.scope import select_scope
from analysis.reporting.labels import format_share
from analysis.sections import brief, load, satisfaction, summary
from analysis.sections.comments import CommentsHeadline
from analysis.sections.policy import PolicyHeadline


@pytest.fixture(scope="module")
def survey():
    return load(RAW / "province_survey" / "mapping.yaml")


@pytest.fixture(scope="module")
def findings(survey):
    return summary.key_findings(survey, 2023, full_survey=survey, replicates=50,
                                published=satisfaction.published_figures(survey, "", "province"))


@pytest.fixture(scope="module")
def page(survey, findings):
    return brief.brief(findings, satisfaction.ranking(survey, 2023), "Sông Lam, năm 2023", "vi")


def test_the_boxes_are_the_section_s_numbers(survey, findings, page):
    boxes = page.table().set_index("box")
    index = satisfaction.headline(survey, 2023).index.set_index("year").loc[2023]
    assert boxes.loc["index", "value"] == index["estimate"]
    assert (boxes.loc["index", "low"], boxes.loc["index", "high"]) == (index["ci_low"], index["ci_high"])
    change = satisfaction.headline(survey, 2023).change
    assert boxes.loc["change", "value"] == change["difference"] and boxes.loc["change", "beyond_error"]
    projection = satisfaction.targets(survey).projection
    targets = page.table()[page.table()["box"] == "target"]
    assert targets["value"].tolist() == projection["projected"].tolist()
    assert targets["probability"].tolist() == projection["probability"].tolist()
    assert page.table()[["value", "low", "high"]].stack().between(-1, 1).all()  # proportions inside


def test_the_agencies_are_the_ends_of_the_ranking(survey, page):
    ranked = satisfaction.ranking(survey, 2023).frame.sort_values("rank")
    assert page.best["unit_name"].tolist() == ranked["unit_name"].head(3).tolist()
    assert page.worst["unit_name"].tolist() == ranked["unit_name"].tail(3).iloc[::-1].tolist()
    html = page.html("vi")
    for row in page.best.itertuples():
        ranks = f"{row.rank_low}" if row.rank_low == row.rank_high else f"{row.rank_low}–{row.rank_high}"
        assert f"hạng {ranks} trong {len(ranked)}" in html
        assert f"{row.unit_name}: {format_share(row.shrunk, 'vi')}" in html  # the index the rank is of


def test_the_complaints_are_the_year_s_commonest_complaint_categories(findings, page):
    shares = next(h for h in findings.headlines if isinstance(h, CommentsHeadline)).shares.shares
    complaints = shares[~shares["category"].isin(["praise", "other"])].dropna(subset=["estimate"])
    assert page.complaints["category"].tolist() == complaints.nlargest(3, "estimate")["category"].tolist()
    assert "praise" not in set(page.complaints["category"])


def test_one_plain_line_per_policy_and_no_p_value(findings, page):
    policy = next(h for h in findings.headlines if isinstance(h, PolicyHeadline))
    assert len(page.policies) == len(policy.verdicts) == 2
    assert page.policies[0].startswith("Chương trình hành động số 12: có tác động, 4,90 điểm")
    assert page.policies[1].startswith("Kết luận số 91: chưa có bằng chứng tác động")
    text = re.sub(r"<[^>]+>", " ", page.html("vi"))
    assert "p =" not in text and "p <" not in text and "Bai" not in text  # method names stay in the sections
    assert page.trend == ["Xu hướng gãy năm 2018 (tăng 3,32 điểm); không xác nhận điểm gãy nào khác."]
    assert page.act and page.act[0].startswith("Cần ưu tiên cải thiện")


def test_a_unit_report_has_no_ranking_and_says_nothing_of_one(survey):
    unit = select_scope(survey, "SNV")
    found = summary.key_findings(unit, 2023, full_survey=survey, replicates=20)
    page = brief.brief(found, satisfaction.ranking(unit, 2023), "SNV", "en")
    assert page.best.empty and page.worst.empty and "ranking" not in page.notes_keys
    assert "Highest-rated" not in page.html("en") and isinstance(page.table(), pd.DataFrame)
