"""A survey without events, targets or comments: every headline still computes and says what it can."""

from __future__ import annotations

import pytest
import yaml
from conftest import RAW

from analysis.data.load import load_survey
from analysis.sections import satisfaction, trends
from analysis.sections.summary import key_findings

pytestmark = pytest.mark.slow  # the drivers' bootstrap on the whole survey


@pytest.fixture(scope="module")
def bare_survey(tmp_path_factory):
    """The embedded survey's mapping without its events, targets, published figures, PAPI and comment column."""
    folder = RAW / "province_survey"
    mapping = yaml.safe_load((folder / "mapping.yaml").read_text(encoding="utf-8"))
    for key in ("events", "targets", "published", "papi"):
        mapping.pop(key, None)
    mapping["columns"].pop("comment")
    mapping["answers"] = str(folder / mapping["answers"])
    mapping["units"] = str(folder / mapping["units"])
    path = tmp_path_factory.mktemp("bare") / "mapping.yaml"
    path.write_text(yaml.safe_dump(mapping, allow_unicode=True), encoding="utf-8")
    return load_survey(path)


def test_the_summary_runs_and_says_the_index_without_side_tables(bare_survey):
    assert bare_survey.events.empty and bare_survey.targets.empty and bare_survey.comments.empty
    assert bare_survey.published.empty and bare_survey.papi == ""
    found = key_findings(bare_survey, 2023, full_survey=bare_survey, replicates=50)
    sentences = found.summary("vi")
    assert sentences[0].startswith("Năm 2023, chỉ số hài lòng đạt")
    assert not any("mục tiêu" in s for s in sentences)  # no target: no projection sentence
    assert satisfaction.targets(bare_survey).table().empty


def test_the_breaks_are_found_without_events_to_label_them(bare_survey):
    head = trends.headline(bare_survey, 2023)
    assert len(head.table()) >= 1 and head.summary("en")


def test_every_section_of_the_bare_survey_says_what_it_cannot_show(bare_survey):
    """No events, targets or comments: each section's one sentence, none of them in the summary."""
    from analysis.reporting.narrative import absent
    from analysis.sections import comments, policy

    outlook = satisfaction.targets(bare_survey)
    assert outlook.summary("vi") == [absent("targets", "vi")]
    setup = policy.headline(bare_survey, 2023).setup
    assert setup.summary("vi") == [absent("policies", "vi")] and policy.its(setup) is None
    assert comments.headline(bare_survey, 2023).summary("en") == [absent("comments", "en")]
    head = trends.headline(bare_survey, 2023)
    # breaks found, unlabelled; the stability tests do not reject, so they are candidates and no reading of
    # them as real needs the caveat that no methodology event could tell them from a change of method
    assert len(head.table()) and not head.confirmed
    assert head.summary("en")[-1].startswith("Beyond the known years no break is confirmed")
    assert absent("method_events", "en") not in head.summary("en")
    assert trends.years_to_test(head.yearly) == []  # no policy: no year known beforehand


@pytest.fixture(scope="module")
def treasury():
    """The embedded State Treasury survey: five vertical offices, monthly, no events, targets or published figures."""
    from analysis.data.scope import select_scope

    return select_scope(load_survey(RAW / "treasury" / "mapping.yaml"), "province")


def test_the_treasury_s_summary_shows_no_other_survey_s_figures(treasury):
    found = key_findings(treasury, 2023, full_survey=treasury, replicates=50,
                         published=satisfaction.published_figures(treasury))
    for lang, words in (("vi", ("công bố", "mục tiêu", "63 tỉnh")), ("en", ("Published", "target", "63 provinces"))):
        sentences = found.summary(lang)
        assert sentences and not any(word in s for s in sentences for word in words), sentences
    assert "85,71%" not in " ".join(found.summary("vi"))  # the embedded province's published 2023 index


def test_the_treasury_s_sections_compare_its_own_groups_and_say_what_they_cannot(treasury):
    from analysis.reporting.narrative import absent
    from analysis.sections import comments, policy

    gaps = satisfaction.gaps(treasury, 2023)
    assert {(by, a, b) for by, a, b, _ in gaps.rows} == {("channel", "direct", "online"),
                                                         ("group", "citizen", "budget_unit")}
    index = satisfaction.headline(treasury, 2023, published=satisfaction.published_figures(treasury))
    assert index.notes("vi") == [absent("published", "vi")] and "published" not in index.table()
    assert satisfaction.targets(treasury).summary("en") == [absent("targets", "en")]
    assert policy.headline(treasury, 2023).setup.summary("en") == [absent("policies", "en")]
    assert trends.papi_folder(treasury) == ""
    head = trends.headline(treasury, 2023)
    assert not head.searched and len(head.summary("en")) == 1
    assert comments.headline(treasury, 2023).table()["comments"].iloc[0] > 0  # its months' comments
