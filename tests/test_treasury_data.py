"""The embedded State Treasury dataset.

It loads, reproduces KBNN Thái Bình's July 2023 figure, and regenerates identically.
"""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest
from conftest import RAW

from analysis.analyses import decision766 as d766
from analysis.analyses.indices import estimate
from analysis.data.load import load_survey
from analysis.reporting import narrative
from analysis.sections import decision766 as section
from analysis.synthetic import treasury as synthetic_treasury

SHIPPED = RAW / "treasury"
OFFICE, MONTH = "KBTB", "2023-07"


@pytest.fixture(scope="module")
def survey():
    return load_survey(SHIPPED / "mapping.yaml")


@pytest.fixture(scope="module")
def cube(survey):
    return survey.cube()


@pytest.fixture(scope="module")
def scores(survey, cube):
    config = d766.load_scoring()
    table = d766.with_survey_rates(d766.load_indicators(SHIPPED / "indicators.csv", config, survey.units), cube, config)
    with warnings.catch_warnings():
        warnings.simplefilter("error", d766.MissingIndicatorWarning)  # the shipped data has no gaps
        return d766.score(table, config)


def test_regeneration_from_the_seed_gives_the_shipped_files_byte_for_byte(tmp_path):
    synthetic_treasury.generate(tmp_path)
    assert sorted(p.name for p in SHIPPED.iterdir()) == sorted(synthetic_treasury.GENERATED_FILES)
    for name in synthetic_treasury.GENERATED_FILES:
        assert (tmp_path / name).read_bytes() == (SHIPPED / name).read_bytes(), name


def test_the_files_are_small_and_say_they_are_synthetic():
    assert sum(p.stat().st_size for p in SHIPPED.iterdir()) < 3_000_000
    note = (SHIPPED / "SOURCE.md").read_text(encoding="utf-8")
    assert "SYNTHETIC" in note and "93.64%" in note and "seed 002" in note


def test_the_survey_loads_with_offices_groups_channels_and_months(survey):
    responses = survey.responses
    assert sorted(survey.units["unit_name"]) == ["KBNN Hưng Yên", "KBNN Nam Định", "KBNN Quảng Ninh",
                                                 "KBNN Thái Bình", "KBNN Đà Nẵng"]
    assert set(responses["group"]) == {"budget_unit", "citizen"}
    assert set(responses["channel"]) == {"online", "direct"}
    periods = sorted(responses["period"].unique())
    assert periods[0] == "2021-01" and periods[-1] == "2024-12" and len(periods) == 48
    assert responses.groupby(["unit_id", "period"])["respondent_id"].nunique().min() >= 40


def test_kbnn_thai_binh_july_2023_satisfaction_is_93_64_percent(cube):
    """Unweighted share of overall answers rated 4-5, computed by the toolkit (cube + estimate)."""
    table = estimate(cube, ["unit_id", "period", "item"], weighted=False)
    row = table[(table["unit_id"] == OFFICE) & (table["period"] == MONTH) & (table["item"] == "overall")].iloc[0]
    assert row["n"] == 110
    assert round(100 * row["estimate"], 2) == 93.64
    assert row["estimate"] == pytest.approx(103 / 110, abs=1e-12)
    rates = d766.survey_rates(cube).set_index(["unit_id", "period"])
    assert rates.loc[(OFFICE, MONTH), "estimate"] == row["estimate"]  # a proportion, as every analysis gives
    assert round(d766.as_rate_pct(rates.loc[(OFFICE, MONTH), "estimate"]), 2) == 93.64


def test_kbnn_thai_binh_july_2023_is_rated_xuat_sac(scores, survey):
    total = scores.totals.set_index(["unit_id", "period"]).loc[(OFFICE, MONTH)]
    assert total["total_points"] >= 90 and total["band"] == "excellent"
    assert d766.band_label(total["band"], "vi").lower() == "xuất sắc"
    procedures = scores.criteria[(scores.criteria["unit_id"] == OFFICE) & (scores.criteria["period"] == MONTH)
                                 & (scores.criteria["criterion"] == "satisfaction.procedures")].iloc[0]
    assert round(procedures["rate_pct"], 2) == 93.64
    assert d766.find_unit(survey.units, "KBNN Thái Bình") == d766.find_unit(survey.units, "kbtb") == OFFICE
    sentence = narrative.decision766_sentence(scores, OFFICE, MONTH, "KBNN Thái Bình")
    assert sentence.startswith("KBNN Thái Bình, tháng 7/2023: tỷ lệ hài lòng 93,64%, tổng điểm ")
    assert sentence.endswith("/100, xếp loại xuất sắc.")


def test_other_office_months_are_mostly_good_or_fair_with_a_few_lower(scores):
    bands = scores.totals["band"].value_counts(normalize=True)
    assert len(scores.totals) == 5 * 48
    assert bands.get("good", 0) + bands.get("fair", 0) > 0.6
    assert 0 < bands.get("average", 0) + bands.get("weak", 0) < 0.15
    assert bands.get("excellent", 0) < 0.25


def test_truth_file_agrees_with_what_the_toolkit_computes(scores):
    truth = json.loads((SHIPPED / "truth.json").read_text(encoding="utf-8"))
    figure = truth["published_figure"]
    total = scores.totals.set_index(["unit_id", "period"]).loc[(figure["unit_id"], figure["period"])]
    assert figure["rate_pct"] == 93.64 and figure["decision766_band"] == "excellent"
    assert figure["decision766_total"] == pytest.approx(total["total_points"], abs=1e-3)
    assert truth["band_counts"] == scores.totals["band"].value_counts().reindex(
        [c for c, _ in d766.BANDS], fill_value=0).to_dict()


def test_da_nang_stays_above_99_percent_every_year_as_source_001_reports(cube):
    yearly = d766.survey_rates(cube, "overall", ["unit_id", "year"])
    assert (yearly.loc[yearly["unit_id"] == "KBDN", "estimate"] > 0.99).all()


def test_the_generator_lifts_a_weak_published_month_to_the_excellent_band():
    """The guarantee does not rest on the seed: a low draw is lifted towards the thresholds (closed form)."""

    config = d766.load_scoring()
    indicators = pd.read_csv(SHIPPED / "indicators.csv", dtype={"period": str})
    month = (indicators["unit_id"] == OFFICE) & (indicators["period"] == MONTH)
    indicators.loc[month, ["dossiers_digitised_pct", "results_electronic_pct", "payments_online_pct"]] = 10.0
    satisfaction = pd.DataFrame({"unit_id": [OFFICE], "period": [MONTH], "procedure_satisfaction_pct": [103 / 1.1]})
    lifted, lam = synthetic_treasury.lift_published_month(indicators, satisfaction, config)
    assert 0 < lam <= 1
    table = lifted[month].drop(columns="unit_name").merge(satisfaction, on=["unit_id", "period"])
    total = d766.score(table, config).totals.iloc[0]
    assert total["total_points"] >= synthetic_treasury.PUBLISHED_MIN_TOTAL and total["band"] == "excellent"
    assert lifted[~month].equals(indicators[~month])


def test_the_section_headline_states_the_published_month(survey, scores):
    head = section.headline(survey, MONTH, office="KBNN Thái Bình", indicators=SHIPPED / "indicators.csv")
    pd.testing.assert_frame_equal(head.scores.totals, scores.totals)
    assert head.unit_id == OFFICE and head.unit_name == "KBNN Thái Bình"
    assert head.summary("vi") == [narrative.decision766_sentence(scores, OFFICE, MONTH, "KBNN Thái Bình")]
    assert head.summary("vi")[0].startswith("KBNN Thái Bình, tháng 7/2023: tỷ lệ hài lòng 93,64%, tổng điểm ")
    assert list(head.table()["criterion"]) == [c.code for c in scores.scoring.criteria]
    offices = section.offices(head).set_index("unit_id")
    assert len(offices) == 5 and offices.loc[OFFICE, "n"] == 110
    assert offices.loc[OFFICE, "estimate"] == pytest.approx(103 / 110, abs=1e-12)
    breakdown = section.satisfaction_breakdown(head, min_cell=10)
    assert breakdown["estimate"].dropna().between(0, 1).all() and breakdown["n"].sum() == 110
    year = section.year_scores(head)
    assert set(year.totals["period"].str[:4]) == {"2023"} and len(year.totals) == 5 * 12
    assert section.band_counts(year).iloc[:, 1:].to_numpy().sum() == 60
    feedback = section.feedback(head, "en")
    assert len(feedback.summary("en")) == 3 and set(feedback.table()["unit"]) == set(survey.units["unit_name"])


@pytest.mark.slow
def test_notebook_07_runs_on_its_defaults_and_states_the_published_month(tmp_path):
    import nbformat
    import papermill

    from analysis.pipeline.report import NOTEBOOK_DIR, ensure_kernel

    target = tmp_path / "07.ipynb"
    papermill.execute_notebook(str(NOTEBOOK_DIR / "07_decision_766.ipynb"), str(target),
                               parameters={"output_dir": str(tmp_path / "out")}, kernel_name=ensure_kernel(),
                               cwd=str(NOTEBOOK_DIR), progress_bar=False)
    text = "\n".join(o["data"]["text/markdown"] for c in nbformat.read(target, as_version=4).cells
                     for o in c.get("outputs", []) if "text/markdown" in o.get("data", {}))
    assert "KBNN Thái Bình, tháng 7/2023: tỷ lệ hài lòng 93,64%, tổng điểm" in text
    assert "xếp loại xuất sắc" in text
    assert (tmp_path / "out" / "figures" / "d766_total_by_month.png").exists()
    assert (tmp_path / "out" / "tables" / "d766_criteria.csv").exists()
