"""The integrity checks against a known truth (issue 15): patterns injected into a generated survey
(analysis.synthetic.integrity) are recovered, honest surveys stay quiet, and no flagged id is published."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.analyses import integrity as checks
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
    assert rows.loc["integrity.without_flagged", "change_low"] <= rows.loc["integrity.without_flagged", "change"]
    line = integrity.narrative.integrity_brief_line(head, "vi")
    assert line and "không đứng vững" in line
    assert not any(i in " ".join(head.summary("vi")) for i in found.flags["respondent_id"])


def test_the_shift_is_the_recomputed_index_minus_the_index(injected):
    found, _ = injected
    rows = found.headline.frame.set_index("measure")
    for measure in ("integrity.without_flagged", "integrity.independent_only"):
        assert rows.loc[measure, "change"] == pytest.approx(
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
