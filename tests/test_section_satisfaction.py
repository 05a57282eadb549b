"""Sections 01 and 02 (analysis.sections.overview, .satisfaction): what the notebooks and the executive
summary show is made from the tables the same results save, in proportions."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from conftest import RAW

from analysis.analyses import describe, ranking
from analysis.analyses.indices import estimate, suppress
from analysis.reporting import narrative
from analysis.reporting.labels import format_points, format_share, label
from analysis.results import Result
from analysis.sections import overview, satisfaction, survey_in_scope

YEAR = 2023


@pytest.fixture(scope="module")
def survey(survey_mapping):
    return survey_in_scope(survey_mapping)


@pytest.fixture(scope="module")
def published():
    return satisfaction.published_figures(RAW / "published_figures.csv", "province")


@pytest.fixture(scope="module")
def headline(survey, published):
    return satisfaction.headline(survey, YEAR, min_cell=10, published=published)


@pytest.mark.slow  # a simulation or a whole-survey run: not in make test-fast
def test_every_section_result_follows_the_protocol_and_is_frozen(survey, headline):
    results = [headline, satisfaction.targets(survey), satisfaction.components(survey, YEAR),
               satisfaction.items(survey, YEAR), satisfaction.blocks(survey, YEAR), satisfaction.gaps(survey, YEAR),
               satisfaction.ranking(survey, YEAR), overview.headline(survey), overview.counts(survey, "block")]
    for result in results:
        assert isinstance(result, Result) and dataclasses.is_dataclass(result), type(result)
        assert isinstance(result.table(), pd.DataFrame) and not result.table().attrs
        assert all(isinstance(s, str) for s in result.summary("en"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        headline.year = 2022  # type: ignore[misc]


def test_the_headline_sentences_state_the_index_of_its_own_table(headline):
    table = headline.table().set_index("year")
    row = table.loc[YEAR]
    assert 0 < row["estimate"] < 1 and row["ci_low"] < row["estimate"] < row["ci_high"]  # proportions
    for lang in ("vi", "en"):
        index, change = headline.summary(lang)
        for value in ("estimate", "ci_low", "ci_high", "published"):
            assert format_share(row[value], lang) in index, (value, index)
        assert str(YEAR) in index and str(YEAR - 1) in change
        assert format_points(abs(headline.change["difference"]), lang) in change
        assert change == narrative.change_sentence(headline.change, YEAR - 1, YEAR, lang)
    assert headline.summary("vi")[0].startswith("Năm 2023, chỉ số hài lòng đạt 85,71%")  # the published 2023 figure


def test_the_headline_table_is_the_index_by_year_with_the_published_path_as_proportions(survey, headline, published):
    expected = suppress(describe.index_by_year(survey.cube(), published), 10)
    pd.testing.assert_frame_equal(headline.table(), expected)
    table = headline.table().set_index("year")
    assert table["published"].dropna().to_dict() == pytest.approx({2017: 0.7643, 2018: 0.806, 2022: 0.8198,
                                                                    2023: 0.8571})
    assert (table["difference"] - (table["estimate"] - table["published"])).abs().max() < 1e-12
    assert headline.plot("en") is not None


def test_the_headline_of_a_unit_with_a_suppressed_year_reveals_nothing_of_it(survey_mapping):
    """SNV had 36 respondents in 2022 and 33 in 2023: with min_cell 35, 2023 and its change are not published."""
    unit = survey_in_scope(survey_mapping, "SNV")
    shown = satisfaction.headline(unit, YEAR, min_cell=35)
    table = shown.table().set_index("year")
    assert table.loc[YEAR, "suppressed"] and pd.isna(table.loc[YEAR, "estimate"]) and pd.isna(table.loc[YEAR, "n"])
    assert not table.loc[YEAR - 1, "suppressed"] and table.loc[YEAR - 1, "n"] == 36
    assert shown.change is not None and shown.change["suppressed"] and pd.isna(shown.change["difference"])
    assert shown.summary("en") == [narrative.say("index_suppressed", "en", year=YEAR),
                                   narrative.say("comparison_suppressed", "en", first=YEAR, second=YEAR - 1)]
    hidden = satisfaction.headline(unit, YEAR, min_cell=10).table().set_index("year").loc[YEAR, "estimate"]
    assert all(format_share(hidden, "en") not in s for s in shown.summary("en"))
    assert satisfaction.published_figures(RAW / "published_figures.csv", "SNV") is None  # the province's only


def test_a_year_without_a_year_before_has_no_change(survey):
    first = int(survey.responses["year"].min())
    shown = satisfaction.headline(survey, first, min_cell=10)
    assert shown.change is None and len(shown.summary("vi")) == 1
    assert satisfaction.headline(survey, 1999, min_cell=10).summary("vi") == []


def test_the_target_outlook_projects_the_published_years_and_says_so(survey):
    outlook = satisfaction.targets(survey, min_cell=10)
    years = describe.publishable_years(describe.index_by_year(survey.cube()), 10)
    assert (outlook.first, outlook.last) == (int(years["year"].min()), int(years["year"].max()))
    projection = outlook.table()
    assert projection["year"].tolist() == [2025, 2030] and projection["target"].tolist() == [0.90, 0.95]
    assert projection["probability"].between(0, 1).all() and (projection["projected"] < 1).all()
    assert outlook.summary("en") == [narrative.projection_sentence(row, outlook.first, outlook.last, "en")
                                     for _, row in projection.iterrows()]
    assert format_share(projection.loc[0, "probability"], "en", 0) in outlook.summary("en")[0]
    met = outlook.met.set_index("year")
    assert met.index.tolist() == [2018, 2023] and met.loc[2018, "target"] == 0.78
    assert met.loc[2023, "gap"] == pytest.approx(met.loc[2023, "estimate"] - 0.8401)


def test_a_scope_without_enough_years_projects_nothing_and_says_nothing(survey_mapping):
    outlook = satisfaction.targets(survey_in_scope(survey_mapping, "SNV"), min_cell=1000)
    assert outlook.first is None and outlook.summary("vi") == [] and (outlook.table()["note"] == "too_short").all()


def test_items_hold_satisfied_dissatisfied_and_mean_of_each_criterion(survey):
    table = satisfaction.items(survey, YEAR, min_cell=10).table()
    measures = [f"{m}{s}" for m in ("satisfied", "dissatisfied", "mean") for s in ("", "_low", "_high")]
    assert table.columns.tolist() == ["year", "item", "n", *measures, "suppressed"]
    assert (table["year"] == YEAR).all() and table["item"].is_unique
    for measure in ("satisfied", "dissatisfied", "mean"):
        expected = estimate(survey.cube(), ["year", "item"], measure).set_index(["year", "item"])
        ours = table.set_index(["year", "item"])
        assert np.allclose(ours[measure], expected.loc[ours.index, "estimate"])
        assert (ours[f"{measure}_low"] <= ours[measure]).all() and (ours[measure] <= ours[f"{measure}_high"]).all()
    assert table["satisfied"].between(0, 1).all() and table["mean"].between(1, 5).all()
    assert (table["satisfied"] + table["dissatisfied"] <= 1 + 1e-12).all()


def test_components_and_blocks_are_the_years_index_by_category(survey):
    components = satisfaction.components(survey, YEAR, min_cell=10)
    table = components.table()
    assert sorted(table["component"]) == sorted(["access", "procedure", "staff", "result", "feedback"])
    assert table.columns.tolist() == ["year", "component", "n", "estimate", "se", "ci_low", "ci_high", "suppressed"]
    assert table["estimate"].between(0, 1).all() and components.plot("vi") is not None
    blocks = satisfaction.blocks(survey, YEAR, min_cell=10).table()
    assert set(blocks["block"]) == set(survey.units["block"]) and (blocks["year"] == YEAR).all()


def test_gaps_name_both_comparisons_and_state_the_years_rows(survey):
    gaps = satisfaction.gaps(survey, YEAR, min_cell=10)
    table = gaps.table()
    assert table.columns.tolist() == satisfaction.GAP_COLUMNS
    pairs = set(zip(table["first_level"], table["second_level"], strict=True))
    assert pairs == {("direct", "online"), ("citizen", "business")}
    assert set(gaps.table("en")["comparison"]) == {f"{label('direct', 'en')} – {label('online', 'en')}",
                                                   f"{label('citizen', 'en')} – {label('business', 'en')}"}
    sentences = gaps.summary("en")
    for first, second, row in gaps.rows:
        assert row["year"] == YEAR and narrative.gap_sentence(row, first, second, "en") in sentences
        assert format_points(row["difference"], "en") in narrative.gap_sentence(row, first, second, "en")
    rows = table[table["year"] == YEAR]
    assert np.allclose(rows["difference"], rows["first"] - rows["second"])


def test_an_implausibly_high_channel_gets_a_note():
    channels = pd.DataFrame({"year": [YEAR, YEAR], "channel": ["direct", "online"], "estimate": [0.995, 0.9]})
    gaps = satisfaction.Gaps(YEAR, pd.DataFrame(columns=satisfaction.GAP_COLUMNS), (), channels)
    assert gaps.summary("en") == narrative.implausible_sentences(channels, "en") and len(gaps.summary("en")) == 1
    assert "99.50%" in gaps.summary("en")[0]


def test_the_ranking_is_shrunk_and_ranked_with_its_seed(survey):
    ranked = satisfaction.ranking(survey, YEAR, min_cell=10, seed=7)
    table = ranked.table()
    assert table.columns.tolist() == satisfaction.RANKING_COLUMNS
    assert table["rank"].tolist() == list(range(1, len(table) + 1))
    assert (table["rank_low"] <= table["rank"]).all() and (table["rank"] <= table["rank_high"]).all()
    assert (table["n"] >= 10).all() and table["shrunk"].between(0, 1).all()
    units = estimate(survey.cube(), ["year", "unit_id"])
    units = units[(units["year"] == YEAR) & (units["n"] >= 10)].merge(survey.units[["unit_id", "block"]])
    assert ranked.tau2 == ranking.tau2(units) > 0
    again = satisfaction.ranking(survey, YEAR, min_cell=10, seed=7).table()
    pd.testing.assert_frame_equal(table, again)


def test_no_agency_large_enough_gives_an_empty_ranking_without_a_figure(survey_mapping):
    ranked = satisfaction.ranking(survey_in_scope(survey_mapping, "SNV"), YEAR, min_cell=1000)
    assert ranked.table().empty and ranked.plot("vi") is None


@pytest.mark.slow  # a simulation or a whole-survey run: not in make test-fast
def test_the_overview_states_the_data_and_counts_by_group(survey):
    head = overview.headline(survey)
    assert head.summary("en") == [narrative.data_sentence(survey, "en")]
    assert head.table()["measure"].iloc[0] == "respondents"
    assert overview.shape(survey, "en")["measure"].iloc[0] == label("respondents", "en")
    by_channel = overview.counts(survey, "channel", "en").table()
    assert set(by_channel["channel"]) <= {label(c, "en") for c in survey.responses["channel"].unique()}
    by_block = overview.counts(survey, "block").table()
    assert set(by_block["block"]) == set(survey.units["block"])
    assert by_block.drop(columns="block").to_numpy().sum() == survey.n_respondents
    completeness = overview.completeness(survey)
    assert completeness["completeness"].between(0, 1).all()
    assert np.allclose(completeness["completeness"], completeness["answered"] / completeness["n"])
