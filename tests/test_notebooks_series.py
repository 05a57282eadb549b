"""Notebooks 03 and 04 run on any unit-level series CSV (here: a PAPI measure), and the review renders in English."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import RAW

from analysis.data.papi import load_papi
from analysis.pipeline.report import (
    NOTEBOOK_DIR,
    ReportParameters,
    ensure_kernel,
    execute,
    run_report,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def series_csv(tmp_path_factory):
    folder = tmp_path_factory.mktemp("series")
    papi = load_papi(RAW / "papi")
    papi[papi["measure"] == "C05"].to_csv(folder / "c05.csv", index=False)
    return folder / "c05.csv"


def run(notebook: str, target_dir, **parameters):
    execute(NOTEBOOK_DIR / notebook, target_dir / notebook, {**parameters, "output_dir": str(target_dir)},
            ensure_kernel())
    return target_dir / "tables"


def test_trend_breaks_notebook_on_a_series_csv(series_csv, tmp_path):
    tables = run("03_trend_breaks.ipynb", tmp_path, survey=str(series_csv), measure="C05",
                 events=str(RAW / "papi" / "events.csv"), papi="", lang="en", known_years=[2016])
    tests = pd.read_csv(tables / "known_year_tests.csv", encoding="utf-8-sig")
    assert len(tests) >= 1 and tests["p_value"].between(0, 1).all()
    assert (tables / "breaks.csv").exists()


def test_policy_notebook_on_a_series_csv(series_csv, tmp_path):
    units = sorted(pd.read_csv(series_csv)["unit_id"].unique())
    tables = run("04_policy_effects.ipynb", tmp_path, survey=str(series_csv), measure="C05",
                 policies={"Pilot": "2016-01-01"}, treated_units=units[:30], comparison_units=units[30:],
                 synthetic_unit=units[0])
    did = pd.read_csv(tables / "did_effects.csv", encoding="utf-8-sig")
    assert did["policy"].tolist() == ["Pilot"] and did["clusters"].iloc[0] == len(units)
    assert (tables / "event_study.csv").exists() and (tables / "synthetic_placebos.csv").exists()


def test_the_review_renders_in_english(tmp_path):
    index = run_report(ReportParameters(lang="en", notebooks=["00_summary.ipynb", "02_satisfaction.ipynb"]),
                       tmp_path)
    html = index.read_text(encoding="utf-8")
    assert "Executive summary" in html and "Satisfaction index by year, with 95% confidence intervals" in html
    assert "85.71%" in html and "85,71%" not in html
    assert "\ufffd" not in html
