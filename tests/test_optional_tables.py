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
    """The embedded survey's mapping without its events, targets and comment column."""
    folder = RAW / "province_survey"
    mapping = yaml.safe_load((folder / "mapping.yaml").read_text(encoding="utf-8"))
    for key in ("events", "targets"):
        mapping.pop(key)
    mapping["columns"].pop("comment")
    mapping["answers"] = str(folder / mapping["answers"])
    mapping["units"] = str(folder / mapping["units"])
    path = tmp_path_factory.mktemp("bare") / "mapping.yaml"
    path.write_text(yaml.safe_dump(mapping, allow_unicode=True), encoding="utf-8")
    return load_survey(path)


def test_the_summary_runs_and_says_the_index_without_side_tables(bare_survey):
    assert bare_survey.events.empty and bare_survey.targets.empty and bare_survey.comments.empty
    found = key_findings(bare_survey, 2023, full_survey=bare_survey, replicates=50)
    sentences = found.summary("vi")
    assert sentences[0].startswith("Năm 2023, chỉ số hài lòng đạt")
    assert not any("mục tiêu" in s for s in sentences)  # no target: no projection sentence
    assert satisfaction.targets(bare_survey).table().empty


def test_the_breaks_are_found_without_events_to_label_them(bare_survey):
    head = trends.headline(bare_survey, 2023)
    assert len(head.table()) >= 1 and head.summary("en")
