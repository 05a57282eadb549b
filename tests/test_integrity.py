"""The integrity checks against a known truth (issue 15): patterns injected into a generated survey
(analysis.synthetic.integrity) are recovered, honest surveys stay quiet, and no flagged id is published."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.analyses import integrity as checks
from analysis.data.grid import FormGrid
from analysis.data.load import load_survey
from analysis.sections import integrity
from analysis.sections.integrity import the_year
from analysis.synthetic import integrity as synthetic

EMBEDDED = "data/raw/province_survey/mapping.yaml"


@pytest.fixture(scope="module")
def injected():
    survey, truth = synthetic.inject(synthetic.honest())
    return integrity.checks(survey, synthetic.YEAR), truth


@pytest.fixture(scope="module")
def honest():
    return [integrity.checks(synthetic.honest(seed), synthetic.YEAR) for seed in range(1, 11)]


def flagged(found, reason: str) -> set[str]:
    return set(found.flags.loc[found.flags["reasons"].str.contains(reason), "respondent_id"])


@pytest.mark.parametrize(("pattern", "reason"), [("straight_liners", "straight_lining"),
                                                 ("duplicates", "duplicate"), ("speeders", "speeder")])
def test_injected_forms_are_recalled(injected, pattern, reason):
    found, truth = injected
    recall = len(flagged(found, reason) & set(truth[pattern])) / len(truth[pattern])
    assert recall >= 0.9, recall


def test_honest_surveys_flag_under_one_percent_of_forms_and_units(honest):
    forms = sum(f.overview.frame.set_index("check").loc["integrity.straight_lining", "checked"] for f in honest)
    assert sum(len(f.flags) for f in honest) / forms < 0.01
    units = pd.concat([f.funnel.frame for f in honest])
    assert units["flag"].ne("").mean() < 0.01 and not units["low_spread"].any()
    assert sum(len(f.bursts.frame) for f in honest) == 0
    assert all(f.headline.survives for f in honest)


def test_the_embedded_survey_flags_under_one_percent(tmp_path):
    survey = load_survey(EMBEDDED)
    found = [integrity.checks(survey, year) for year in range(2014, 2024)]
    forms = sum(f.overview.frame.set_index("check").loc["integrity.straight_lining", "checked"] for f in found)
    assert sum(len(f.flags) for f in found) / forms < 0.01
    units = pd.concat([f.funnel.frame for f in found])
    assert units["flag"].ne("").mean() < 0.01 and units["low_spread"].mean() < 0.01


def test_the_staff_effect_is_inside_its_interval_and_its_office_found(injected):
    found, truth = injected
    units = found.modes.units
    staff = units[(units["first_level"] == "staff") & (units["second_level"] == "independent")]
    top = staff.loc[staff["difference"].idxmax()]
    assert top["unit_id"] == truth["staff_effect"]["unit_id"]
    assert top["ci_low"] <= truth["staff_effect"]["effect"] <= top["ci_high"]


def test_the_flat_office_and_the_burst_are_found(injected):
    found, truth = injected
    units = found.funnel.frame.set_index("unit_id")
    assert units.loc[truth["flat_office"], "low_spread"] and units["low_spread"].sum() == 1
    bursts = found.bursts.frame
    assert len(bursts) == 1 and bursts["day"].iloc[0] == truth["burst"]["day"] and bursts["before_deadline"].all()
    assert set(found.groups.frame.query("by == 'unit_id' and flag == 'high'")["group_name"]) >= {
        f"Cơ quan {office[2:]}" for office in truth["straight_offices"]}


def test_the_headline_recomputed_and_its_brief_line(injected):
    found, _ = injected
    head = found.headline
    rows = head.frame.set_index("measure")
    assert head.survives is False and head.flagged == len(found.flags)  # three offices' forms are doubtful
    assert {"integrity.without_flagged", "integrity.independent_only"} <= set(rows.index)
    assert rows.loc["integrity.without_flagged", "vs_all_low"] <= rows.loc["integrity.without_flagged", "vs_all"]
    line = integrity.narrative.integrity_brief_line(head, "vi")
    assert line and "không đứng vững" in line
    assert not any(i in " ".join(head.summary("vi")) for i in found.flags["respondent_id"])


def test_the_shift_is_the_recomputed_index_minus_the_index(injected):
    found, _ = injected
    rows = found.headline.frame.set_index("measure")
    for measure in ("integrity.without_flagged", "integrity.independent_only"):
        assert rows.loc[measure, "vs_all"] == pytest.approx(
            rows.loc[measure, "estimate"] - rows.loc["integrity.all", "estimate"], abs=1e-9)


def test_the_funnel_overdispersion_matches_spiegelhalter_by_hand():
    rng = np.random.default_rng(5)
    n = pd.Series(rng.integers(50, 400, 30))
    p = pd.Series(np.clip(0.8 + rng.normal(0, 0.05, 30), 0, 1))
    value = rng.binomial(n, p) / n
    se = np.sqrt(0.8 * 0.2 / n)
    out = checks.funnel(value, se, 0.8, 0.1)
    z = (value - 0.8) / se
    zw = z.clip(*np.quantile(z, [0.1, 0.9]))
    w = 1 / se**2
    tau2 = (30 * np.mean(zw**2) - 29) / (w.sum() - (w**2).sum() / w.sum())
    assert out["tau2"].iloc[0] == pytest.approx(max(tau2, 0))
    assert out["z"].to_numpy() == pytest.approx(((value - 0.8) / np.sqrt(se**2 + out["tau2"].iloc[0])).to_numpy())


def test_exact_duplicates_without_times_and_absent_checks_say_so():
    survey, truth = synthetic.inject(synthetic.honest())
    bare = the_year(survey, synthetic.YEAR)
    bare.forms = bare.forms[["respondent_id", "period", "unit_id"]]
    found = integrity.checks(bare, synthetic.YEAR)
    assert len(flagged(found, "duplicate") & set(truth["duplicates"])) / len(truth["duplicates"]) >= 0.9
    overview = found.overview.frame.set_index("check")
    assert not overview.loc[["integrity.speeders", "integrity.bursts", "integrity.modes"], "available"].any()
    said = " ".join(found.overview.summary("en"))
    assert "no submission times" in said and "no collector column" in said
    assert found.headline.notes("en")


def test_the_written_survey_loads_with_its_design_columns(tmp_path):
    truth = synthetic.write(tmp_path)
    survey = load_survey(tmp_path / "mapping.yaml")
    assert set(survey.forms.columns) >= {"collector", "submitted_at", "duration", "session"}
    assert set(survey.forms["collector"].dropna()) == {"staff", "independent", "self"}
    found = integrity.checks(survey, synthetic.YEAR)
    assert len(flagged(found, "duplicate") & set(truth["duplicates"])) / len(truth["duplicates"]) >= 0.9


def test_a_bad_time_names_file_row_and_column(tmp_path):
    synthetic.write(tmp_path)
    path = tmp_path / "survey.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    cells = lines[3].split(",")
    cells[header.index("Thời điểm nộp")] = "hôm qua"
    lines[3] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    from analysis.errors import InputError

    with pytest.raises(InputError) as error:
        load_survey(tmp_path / "mapping.yaml")
    assert "Thời điểm nộp" in str(error.value) and "hôm qua" in str(error.value)


def untimed_flags(survey, criteria: int | None = None) -> float:
    """The share of forms the duplicate check flags when the survey has no submission times (all its periods),
    on its first ``criteria`` criteria when given."""
    responses = survey.responses
    if criteria is not None:
        kept = [i for i in pd.unique(responses["item"]) if i != "overall"][:criteria]
        responses = responses[responses["item"].isin(kept)].reset_index(drop=True)
    forms = checks.form_answers(FormGrid.from_long(responses), None, survey.comments)
    return float(checks.duplicates(forms, None)["duplicate"].mean())


@pytest.mark.parametrize("criteria", [None, 6])
def test_honest_forms_without_times_are_not_taken_for_duplicates(criteria):
    """Honest respondents with few criteria often answer alike: without times, exact twins are not copies
    (an exact-duplicate rule flagged 2.8% of these forms, 29% on six criteria)."""
    rates = [untimed_flags(synthetic.honest(seed), criteria) for seed in (1, 2, 3)]
    assert max(rates) < 0.01, rates


@pytest.mark.parametrize("name", ["staggered", "rounds"])
def test_corpus_surveys_without_times_flag_under_one_percent(tmp_path, name):
    from analysis.synthetic import corpus

    survey = load_survey(corpus.write(name, tmp_path).mapping)
    assert not survey.forms.get("submitted_at", pd.Series(dtype=object)).notna().any()
    assert untimed_flags(survey) < 0.01  # an exact-duplicate rule: 11.2% (staggered), 7.5% (rounds)


def test_injected_duplicates_without_times_are_recalled_with_few_false_flags():
    survey, truth = synthetic.inject(synthetic.honest())
    data = the_year(survey, synthetic.YEAR)
    copies = checks.duplicates(checks.form_answers(data.grid(), None, data.comments), None)
    found = set(copies.loc[copies["duplicate"], "respondent_id"])
    assert len(found & set(truth["duplicates"])) / len(truth["duplicates"]) >= 0.9
    assert len(found - set(truth["duplicates"])) / len(copies) < 0.01


def test_rarefaction_matches_brute_force():
    """The expected distinct patterns of n forms drawn from a pool, against every draw enumerated."""
    from itertools import combinations

    pool = [0, 0, 0, 1, 1, 2, 3, 3, 3, 3]
    counts = np.bincount(pool)
    for n in (1, 3, 5):
        brute = np.mean([len(set(draw)) for draw in combinations(pool, n)])
        assert checks.rarefied(counts, len(pool), n).sum() == pytest.approx(brute)


def test_two_collection_rounds_a_year_are_not_bursts():
    """Two 5-day rounds: the months between them are not empty days of the agency's pattern."""
    survey = synthetic.honest()
    rng = np.random.default_rng(3)
    starts = pd.to_datetime([f"{synthetic.YEAR}-03-06", f"{synthetic.YEAR}-09-11"])
    day = starts[rng.integers(0, 2, len(survey.forms))] + pd.to_timedelta(rng.integers(0, 5, len(survey.forms)), "D")
    forms = survey.forms.assign(submitted_at=day + pd.to_timedelta(rng.integers(8 * 3600, 17 * 3600,
                                                                                len(day)), "s"))
    days = checks.bursts(checks.form_answers(survey.grid(), forms, survey.comments))
    assert len(days) == 10 * synthetic.OFFICES and not days["flagged"].any()
    forms.loc[forms["unit_id"] == "CQ04", "submitted_at"] = forms["submitted_at"].where(  # a rush on one day
        forms.index.to_series().mod(3).ne(0), pd.Timestamp(f"{synthetic.YEAR}-09-14 10:00"))
    days = checks.bursts(checks.form_answers(survey.grid(), forms, survey.comments))
    assert days.loc[days["flagged"], ["unit_id", "day"]].astype(str).values.tolist() == [
        ["CQ04", f"{synthetic.YEAR}-09-14"]]


def test_an_interval_that_reads_as_its_change_is_not_printed():
    row = pd.Series({"estimate": 0.8, "vs_all": -0.0001, "vs_all_low": -0.00012, "vs_all_high": -0.00008})
    said = integrity.narrative.recomputed_part(row, "integrity_without", 3, "vi")
    assert "−0,01 điểm)" in said and "KTC" not in said
    wide = integrity.narrative.recomputed_part(pd.Series({**row, "vs_all_low": -0.004, "vs_all_high": 0.002}),
                                               "integrity_without", 3, "en")
    assert "95% CI −0.40 to 0.20" in wide
