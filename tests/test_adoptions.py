"""Adoption dates per agency (the mapping's ``adoptions``): read and checked at load, and the policy section
picks the staggered design for the policy they date."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_bad_input import load_fails

from analysis.data.load import load_survey
from analysis.sections import policy, series
from analysis.synthetic import corpus


@pytest.fixture(scope="module")
def staggered(tmp_path_factory) -> Path:
    return corpus.write("staggered", tmp_path_factory.mktemp("staggered")).mapping


def copy_with(mapping: Path, folder: Path, rows: list[str]) -> Path:
    """The survey's folder copied into ``folder`` with ``adoptions.csv`` replaced by ``rows``."""
    for path in mapping.parent.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "adoptions.csv").write_text("\n".join(["unit_id,policy,date", *rows]) + "\n", encoding="utf-8")
    return folder / "mapping.yaml"


def test_adoptions_are_read_with_unit_names_and_first_years(staggered, tmp_path):
    survey = load_survey(staggered)
    assert survey.adoptions["policy"].eq(corpus.ONE_STOP).all()
    assert len(survey.adoptions) == sum(len(units) for units in corpus.ADOPTING.values())
    named = copy_with(staggered, tmp_path, [f"UBND xã An Thạnh,{corpus.ONE_STOP},2018-07-01"])
    assert load_survey(named).adoptions["unit_id"].tolist() == ["XAT"]


@pytest.mark.parametrize("row, column", [("XAT,Chính sách không có,2018-07-01", "policy"),
                                         (f"XAT,{corpus.ONE_STOP},1/7/2018", "date"),
                                         (f"XZZ,{corpus.ONE_STOP},2018-07-01", "unit_id")])
def test_a_bad_adoption_row_is_named_with_its_fix(staggered, tmp_path, row, column):
    mapping = copy_with(staggered, tmp_path, [f"XBH,{corpus.ONE_STOP},2018-07-01", row])
    load_fails(mapping, file=tmp_path / "adoptions.csv", row=3, column=column)


def test_a_unit_adopting_twice_is_refused(staggered, tmp_path):
    mapping = copy_with(staggered, tmp_path, [f"XAT,{corpus.ONE_STOP},2018-07-01"] * 2)
    load_fails(mapping, file=tmp_path / "adoptions.csv", row=3, column="unit_id")


def test_the_section_chooses_the_staggered_design_and_the_scope_limits_the_adopters(staggered):
    full = series.read(str(staggered), "", period="2024")
    head = policy.headline(series.in_scope(full, "province"), 2024, full_survey=full)
    verdicts = head.verdicts.set_index("policy")
    assert verdicts.loc[corpus.ONE_STOP, "design"] == "staggered"
    assert head.did is None  # no policy of one date: no single-date difference-in-differences
    fit = head.staggered[corpus.ONE_STOP]
    assert sorted(fit.by_cohort["cohort"]) == [2019, 2020, 2022]
    assert fit.by_cohort["agencies"].tolist() == [4, 4, 4]
    block = policy.headline(series.in_scope(full, "UBND cấp xã"), 2024, full_survey=full)
    assert block.staggered[corpus.ONE_STOP].overall["estimate"] == pytest.approx(fit.overall["estimate"])
    scoped = policy.headline(series.in_scope(full, "XAT"), 2024, full_survey=full)
    assert scoped.staggered == {}  # one adopter in scope: too few for the staggered design
