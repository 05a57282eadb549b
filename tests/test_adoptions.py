"""Adoption dates per agency (the mapping's ``adoptions``): read and checked at load, and the policy section
picks the staggered design for the policy they date."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
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


def test_a_unit_level_series_with_adoption_dates_gets_the_staggered_design(staggered, tmp_path):
    from analysis.analyses.policy import unit_period_panel
    from analysis.analyses.staggered import group_time_effects

    survey = load_survey(staggered)
    panel = unit_period_panel(survey.cube())
    csv = tmp_path / "series.csv"
    panel.assign(period=panel["year"].astype(str), measure="index", unit_name=panel["unit_id"])[
        ["unit_id", "unit_name", "period", "measure", "value"]].to_csv(csv, index=False)
    dates = {row.unit_id: row.date.strftime("%Y-%m-%d") for row in survey.adoptions.itertuples()}
    head = policy.headline(series.read(str(csv), "index"), 2024, policies={corpus.ONE_STOP: "2018-07-01"},
                           adoption_dates=dates)
    expected = group_time_effects(panel.assign(weight=1.0), pd.Series(
        {u: float(policy.policy.first_post_period(d, "year")) for u, d in dates.items()}), weighted=False)
    row = head.verdicts.set_index("policy").loc[corpus.ONE_STOP]
    assert row["design"] == "staggered"
    assert row["estimate"] == pytest.approx(expected.overall["estimate"], abs=1e-12)
    assert int(row["never_adopted"]) == len(set(panel["unit_id"])) - len(dates)


def test_out_of_scope_adopters_are_no_comparison_and_too_few_adopters_never_fall_back(staggered, tmp_path):
    late = set(corpus.ADOPTING["2021-04-01"])
    units = (staggered.parent / "units.csv").read_text(encoding="utf-8").splitlines()
    moved = [line.replace("UBND cấp xã", "UBND xã đợt sau") if line.split(",")[0] in late else line for line in units]
    mapping = copy_with(staggered, tmp_path, [f"{u},{corpus.ONE_STOP},{d}" for d, us in corpus.ADOPTING.items()
                                              for u in us])
    (tmp_path / "units.csv").write_text("\n".join(moved) + "\n", encoding="utf-8")
    full = series.read(str(mapping), "", period="2024")
    head = policy.headline(series.in_scope(full, "UBND cấp xã"), 2024, full_survey=full)
    fit = head.staggered[corpus.ONE_STOP]
    assert sorted(fit.by_cohort["cohort"]) == [2019, 2020]
    assert fit.clusters == len(full.units) - len(late)  # the late adopters are neither treated nor comparison
    one = policy.headline(series.in_scope(full, "XAT"), 2024, full_survey=full)
    assert one.staggered == {} and corpus.ONE_STOP not in one.setup.policies  # no single-date fallback
    assert any("ít hơn 2 cơ quan áp dụng" in s for s in one.setup.notes("vi"))


def test_when_every_agency_adopts_the_later_cohorts_are_the_comparison(staggered, tmp_path):
    survey = load_survey(staggered)
    rows = [f"{u},{corpus.ONE_STOP},{d}" for d, units in corpus.ADOPTING.items() for u in units]
    rest = [u for u in survey.units["unit_id"] if u not in {r.split(",")[0] for r in rows}]
    rows += [f"{u},{corpus.ONE_STOP},2023-06-01" for u in rest]  # the rest adopt last, in 2024
    mapping = copy_with(staggered, tmp_path, rows)
    full = series.read(str(mapping), "", period="2024")
    head = policy.headline(series.in_scope(full, "province"), 2024, full_survey=full)
    fit = head.staggered[corpus.ONE_STOP]
    assert fit.control == "notyet" and fit.never_treated == 0
    assert isinstance(policy.staggered_synthetic(head.setup, corpus.ONE_STOP), policy.Note)
