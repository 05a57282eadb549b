"""Agency scorecards: each agency's numbers are section 02's estimates (its index, its block's and the
scope's components, the ranking's rank interval), its change is the design-based year difference, small
agencies show nothing but their suppression, and quotes are scrubbed and at most two."""

from __future__ import annotations

import re

import pytest
from conftest import RAW

from analysis.analyses.indices import difference, estimate
from analysis.data.privacy import scrub
from analysis.reporting.labels import format_share
from analysis.sections import load, satisfaction, scorecards


@pytest.fixture(scope="module")
def survey():
    return load(RAW / "province_survey" / "mapping.yaml")


@pytest.fixture(scope="module")
def cards(survey):
    return scorecards.scorecards(survey, 2023, satisfaction.ranking(survey, 2023), seed=1)


def test_each_card_holds_the_section_s_estimates(survey, cards):
    cube = survey.cube()
    units = estimate(cube, ["year", "unit_id"]).query("year == 2023").set_index("unit_id")
    agencies = cards.agencies.set_index("unit_id")
    assert (agencies["estimate"] == units.loc[agencies.index, "estimate"]).all()
    ranked = satisfaction.ranking(survey, 2023).frame.set_index("unit_name")
    assert (agencies.set_index("unit_name")["rank_high"] == ranked.loc[agencies["unit_name"], "rank_high"]).all()
    change = difference(cube, ["unit_id"], "year", 2023, 2022).set_index("unit_id")
    assert agencies.loc["SNV", "change"] == pytest.approx(change.loc["SNV", "difference"], abs=1e-12)
    block_components = estimate(cube, ["year", "block", "component"]).query("year == 2023")
    own = cards.components.merge(block_components, on=["block", "component"], suffixes=("", "_section"))
    assert (own["block_estimate"] == own["estimate_section"]).all() and len(own) == len(cards.components)
    scope = satisfaction.components(survey, 2023).frame.set_index("component")["estimate"]
    assert (cards.components["scope_estimate"] == cards.components["component"].map(scope)).all()
    html = cards.html("vi")
    first = cards.agencies.iloc[0]
    assert f"{first['unit_name']}</h3>" in html and format_share(first["estimate"], "vi") in html
    assert html.count('class="scorecard"') == len(cards.agencies)


def test_a_small_agency_shows_only_that_it_is_suppressed(survey):
    few = scorecards.scorecards(survey, 2023, satisfaction.ranking(survey, 2023), min_cell=60)
    small = few.agencies[few.agencies["suppressed"]]
    assert len(small) and small["estimate"].isna().all() and small["n"].isna().all()
    assert not set(small["unit_id"]) & set(few.components["unit_id"]) | set(few.topics["unit_id"])
    section = re.search(rf'<section class="scorecard"><h3 id="scorecard-{small["unit_id"].iloc[0]}">.*?</section>',
                        few.html("vi"))
    assert section and "%" not in section.group(0)


def test_quotes_are_scrubbed_complaints_two_at_most(cards):
    assert cards.quotes.groupby("unit_id").size().max() <= scorecards.QUOTES
    assert (cards.quotes["text"] == cards.quotes["text"].map(scrub)).all()
    assert not cards.quotes["category"].isin(["praise", "other"]).any()
    assert cards.topics.groupby("unit_id").size().max() <= scorecards.TOPICS
