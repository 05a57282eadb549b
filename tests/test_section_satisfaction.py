"""Sections 01 and 02 (analysis.sections.overview, .satisfaction): what the notebooks and the executive
summary show is made from the tables the same results save, in proportions."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from conftest import RAW

from analysis.analyses import describe, ranking
from analysis.analyses.indices import REST, difference, estimate, suppress
from analysis.reporting import narrative
from analysis.reporting.labels import format_points, format_share, label
from analysis.results import Result
from analysis.sections import overview, satisfaction, survey_in_scope
from analysis.sections.summary import findings

YEAR = 2023


@pytest.fixture(scope="module")
def survey(survey_mapping):
    return survey_in_scope(survey_mapping)


@pytest.fixture(scope="module")
def published(survey):
    return satisfaction.published_figures(survey, RAW / "published_figures.csv")


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
    assert satisfaction.published_figures(unit, RAW / "published_figures.csv", "SNV") is None  # the whole survey's


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
    assert outlook.first is None and (outlook.table()["note"] == "too_short").all()
    assert outlook.summary("vi") == outlook.notes("vi") == [narrative.absent("target_years", "vi")]


def test_a_survey_without_targets_says_so_and_shows_no_table(survey):
    outlook = satisfaction.targets(dataclasses.replace(survey, targets=survey.targets.iloc[:0]), min_cell=10)
    assert outlook.table().empty and not len(outlook.table().columns) and outlook.met.empty
    assert outlook.summary("en") == [narrative.absent("targets", "en")] and findings(outlook, "en") == []
    past = dataclasses.replace(survey, targets=survey.targets[survey.targets["year"] <= 2023])
    ahead = satisfaction.targets(past, min_cell=10)
    assert len(ahead.met) == 2 and ahead.summary("en") == [narrative.absent("targets_ahead", "en")]


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
    pairs = set(zip(table["by"], table["first_level"], table["second_level"], strict=True))
    assert pairs == {("channel", "direct", "online"), ("group", "citizen", "business")}
    assert set(gaps.table("en")["comparison"]) == {f"{label('direct', 'en')} – {label('online', 'en')}",
                                                   f"{label('citizen', 'en')} – {label('business', 'en')}"}
    assert "first_level" not in gaps.table("en") and "by" not in gaps.table("en")
    sentences = gaps.summary("en")
    assert len(sentences) == 2 and gaps.single == ()
    for by, first, second, row in gaps.rows:
        assert row["year"] == YEAR and narrative.gap_sentence(row, first, second, "en", by) in sentences
        assert format_points(row["difference"], "en") in narrative.gap_sentence(row, first, second, "en", by)
    rows = table[table["year"] == YEAR]
    assert np.allclose(rows["difference"], rows["first"] - rows["second"])


def test_the_embedded_gaps_keep_their_sides_and_numbers(survey):
    """Direct minus online and citizens minus businesses, as every report before the mapping's own codes."""
    table = satisfaction.gaps(survey, YEAR, min_cell=10).table()
    assert len(table) == 20  # 10 years x 2 comparisons
    row = table[table["year"] == YEAR].set_index("first_level")
    assert row.loc["direct", ["difference", "se", "p_value"]].tolist() == pytest.approx(
        [0.06401707713138993, 0.013219205815079873, 1.4490707826374017e-06], rel=1e-9)
    assert row.loc["citizen", ["difference", "se", "p_value"]].tolist() == pytest.approx(
        [0.023063413439013747, 0.014902022491950813, 0.12196742696689021], rel=1e-9)
    assert row["n_min"].tolist() == [585, 349]


def recoded(survey, column: str, codes: dict[str, str]):
    """``survey`` with the ``column`` codes of its respondents replaced by ``codes`` (by respondent)."""
    people = survey.responses.drop_duplicates(["period", "respondent_id"])[["period", "respondent_id", column]]
    new = people[column].astype(str).map(codes).fillna(people[column].astype(str))
    mapping = dict(zip(zip(people["period"], people["respondent_id"], strict=True), new, strict=True))
    responses = survey.responses.assign(**{column: [mapping[key] for key in zip(
        survey.responses["period"], survey.responses["respondent_id"], strict=True)]})
    return dataclasses.replace(survey, responses=responses)


def split_channel(survey, levels: list[str]):
    """``survey`` with its direct respondents spread over ``levels`` in turn (online stays online)."""
    people = survey.responses.drop_duplicates(["period", "respondent_id"])
    direct = people[people["channel"] == "direct"]
    codes = {key: levels[k % len(levels)] for k, key in enumerate(zip(direct["period"], direct["respondent_id"],
                                                                          strict=True))}
    channel = [codes.get(key, code) for key, code in zip(zip(survey.responses["period"],
                                                             survey.responses["respondent_id"], strict=True),
                                                         survey.responses["channel"].astype(str), strict=True)]
    return dataclasses.replace(survey, responses=survey.responses.assign(channel=channel))


def test_gaps_compare_the_codes_the_survey_defines(survey):
    """Groups taxpayer/budget_unit and channels app/online: compared, with the same numbers as under the
    embedded codes (the test is the same covariance-aware difference)."""
    own = recoded(recoded(survey, "group", {"citizen": "taxpayer"}), "channel", {"direct": "app"})
    gaps = satisfaction.gaps(own, YEAR, min_cell=10)
    table = gaps.table()
    assert set(zip(table["by"], table["first_level"], table["second_level"], strict=True)) == {
        ("channel", "online", "app"), ("group", "business", "taxpayer")}  # known codes first, then the survey's
    embedded = satisfaction.gaps(survey, YEAR, min_cell=10).table()
    for by in ("channel", "group"):
        ours, theirs = table[table["by"] == by], embedded[embedded["by"] == by]
        assert np.allclose(ours["difference"], -theirs["difference"], equal_nan=True)  # the sides swapped
        assert np.allclose(ours["se"], theirs["se"], equal_nan=True)
        assert np.allclose(ours["p_value"], theirs["p_value"], equal_nan=True)
    assert all(sentence.startswith("Gap ") for sentence in gaps.summary("en"))
    assert f"{label('online', 'en')} – {label('app', 'en')}" in set(gaps.table("en")["comparison"])


def test_three_channels_are_compared_pair_by_pair(survey):
    three = split_channel(survey, ["direct", "app"])
    gaps = satisfaction.gaps(three, YEAR, min_cell=10)
    pairs = [(a, b) for by, a, b, _ in gaps.rows if by == "channel"]
    assert pairs == [("direct", "online"), ("direct", "app"), ("online", "app")]
    cube = three.cube()
    for first, second in pairs:
        direct = difference(cube, ["year"], "channel", first, second)
        row = gaps.table().query("by == 'channel' and first_level == @first and second_level == @second")
        assert np.allclose(row["difference"], direct["difference"])


def test_more_than_three_channels_each_against_the_rest(survey):
    """Four channels: each against the other three pooled, which is the difference on a survey whose other
    three channels carry one code (brute force)."""
    four = split_channel(survey, ["direct", "app", "kiosk"])
    levels = satisfaction.gap_levels(four, "channel")
    assert len(levels) == 4 and levels[:2] == ["direct", "online"]
    gaps = satisfaction.gaps(four, YEAR, min_cell=10)
    table = gaps.table()
    channel = table[table["by"] == "channel"]
    assert set(channel["second_level"]) == {REST} and set(channel["first_level"]) == set(levels)
    for level in levels:
        merged = recoded(four, "channel", {other: "others" for other in levels if other != level})
        expected = difference(merged.cube(), ["year"], "channel", level, "others")
        ours = channel[channel["first_level"] == level].reset_index(drop=True)
        for column in ("difference", "se", "p_value", "ci_low", "ci_high"):
            assert np.allclose(ours[column].astype(float), expected[column], equal_nan=True), (level, column)
        assert np.allclose(ours["second"].astype(float), expected["others"], equal_nan=True)
    named = set(gaps.table("vi")["comparison"])
    assert f"{label('app', 'vi')} – {label('rest.channel', 'vi')}" in named
    assert any(label("rest.channel", "en") in s for s in gaps.summary("en"))


def test_one_channel_and_one_group_say_so_in_one_sentence(survey):
    single = recoded(recoded(survey, "channel", {"online": "direct"}), "group", {"business": "citizen"})
    gaps = satisfaction.gaps(single, YEAR, min_cell=10)
    assert gaps.single == ("channel", "group") and gaps.table().empty and gaps.rows == ()
    assert gaps.summary("vi") == [narrative.absent("second_channel_group", "vi")]
    one_channel = satisfaction.gaps(recoded(survey, "channel", {"online": "direct"}), YEAR, min_cell=10)
    assert one_channel.summary("en")[0] == narrative.absent("second_channel", "en")
    assert len(one_channel.summary("en")) == 2 and one_channel.summary("en")[1].startswith("Gap Citizens")


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


# --------------------------------------------------------------------------- published figures belong to a survey


def test_the_survey_s_own_published_figures_are_the_default(survey):
    """The notebooks' published = "" means the survey's own (its mapping's published:), the same figures as
    the file given by hand."""
    own = satisfaction.published_figures(survey)
    given = satisfaction.published_figures(survey, RAW / "published_figures.csv")
    if survey.published.empty:
        pytest.skip("the shipped mapping names no published figures yet")
    pd.testing.assert_frame_equal(own, given)
    assert set(own["scope"]) == {"province_review"} and set(own["measure"]) == {"satisfaction_pct"}


def test_a_survey_without_published_figures_shows_none_and_says_so(survey):
    bare = dataclasses.replace(survey, published=survey.published.iloc[:0])
    figures = satisfaction.published_figures(bare)
    assert figures is not None and figures.empty
    head = satisfaction.headline(bare, YEAR, min_cell=10, published=figures)
    assert "published" not in head.table() and "difference" not in head.table()
    assert head.summary("en")[-1] == narrative.absent("published", "en") and len(head.summary("en")) == 3
    assert findings(head, "en") == head.summary("en")[:2]  # the summary tells the index, not the note
    assert not any("Published figure" in s for s in head.summary("en"))
    block = satisfaction.headline(bare, YEAR, min_cell=10, published=satisfaction.published_figures(bare, "", "SNV"))
    assert block.notes("en") == [] and "published" not in block.table()


def test_another_survey_s_figures_never_reach_the_index(survey):
    """A survey's own file with one figure: that figure only, none of the province review's."""
    own = pd.DataFrame({"scope": ["kbnn", "kbnn"], "period": ["2022", "2023-07"],
                        "measure": ["satisfaction_pct", "satisfaction_pct"], "value": [94.5, 93.64],
                        "unit": "percent", "source": "test", "note": ""})
    assert satisfaction.published_figures(dataclasses.replace(survey, published=own)).empty  # not its scope
    other = dataclasses.replace(survey, published=own, published_scope="kbnn")
    table = satisfaction.headline(other, YEAR, min_cell=10, published=satisfaction.published_figures(other)).table()
    assert table.set_index("year")["published"].dropna().to_dict() == {2022: pytest.approx(0.945)}
    head = satisfaction.headline(other, YEAR, published=satisfaction.published_figures(other))
    assert not any(word in head.summary(lang)[0] for lang, word in (("vi", "công bố"), ("en", "Published")))
    earlier = satisfaction.headline(other, 2022, published=satisfaction.published_figures(other))
    assert "Published figure: 94.50%" in earlier.summary("en")[0]


def test_the_index_figures_of_a_file_with_several_scopes():
    figures = pd.DataFrame({"scope": ["a", "b", "b", "a", "c"], "period": ["2020", "2020", "2021", "2021-07", "2022"],
                            "measure": ["satisfaction_pct"] * 4 + ["sipas"], "value": [1.0, 2.0, 3.0, 4.0, 5.0],
                            "unit": "percent", "source": "", "note": ""})
    assert describe.index_figures(figures).empty  # several scopes and none named: no guess
    assert describe.index_figures(figures, "b")["value"].tolist() == [2.0, 3.0]  # the survey's published_scope
    assert describe.index_figures(figures, "a")["value"].tolist() == [1.0]  # its yearly index figures only
    assert describe.index_figures(figures, "z").empty
    assert describe.index_figures(figures[figures["scope"] == "b"])["value"].tolist() == [2.0, 3.0]  # a file's one
    assert describe.index_figures(figures.iloc[:0]).empty


def test_the_executive_summary_tells_findings_not_notes(survey):
    """A survey without targets or published figures: the sections say so, the summary does not repeat it."""
    from analysis.sections.summary import ExecutiveSummary

    bare = dataclasses.replace(survey, targets=survey.targets.iloc[:0], published=survey.published.iloc[:0])
    index = satisfaction.headline(bare, YEAR, min_cell=10, published=satisfaction.published_figures(bare))
    outlook = satisfaction.targets(bare, min_cell=10)
    told = ExecutiveSummary(YEAR, (index, outlook)).summary("en")
    assert told == index.summary("en")[:2] and len(index.notes("en")) == len(outlook.notes("en")) == 1
    assert ExecutiveSummary(YEAR, (index, outlook)).table()["sentence"].tolist() == findings(index, "vi")
