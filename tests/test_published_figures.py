"""data/raw/published_figures.csv: loads, and holds the figures of the sources exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.data.load import load_published_figures
from analysis.data.schema import COMPONENTS

FIGURES = Path(__file__).resolve().parents[1] / "data" / "raw" / "published_figures.csv"

# Every row of the national SIPAS table (sipas_national.csv: year, sipas_national_pct).
SIPAS_NATIONAL = {"2017": 81, "2018": 82.99, "2020": 85, "2021": 87.16, "2022": 80.08,
                  "2023": 82.66, "2024": 83.94}
SIPAS_2023_COMPONENTS = {"access": 83.00, "procedure": 83.02, "staff": 83.12, "result": 83.03,
                         "feedback": 82.27}


@pytest.fixture(scope="module")
def figures():
    return load_published_figures(FIGURES)


def figure(figures, scope: str, period: str, measure: str) -> float:
    row = figures[(figures["scope"] == scope) & (figures["period"] == period) & (figures["measure"] == measure)]
    assert len(row) == 1, (scope, period, measure)
    return row["value"].iloc[0]


def test_file_loads_with_one_row_per_figure(figures):
    assert figures.columns.tolist() == ["scope", "period", "measure", "value", "unit", "source", "note"]
    assert figures["value"].notna().all()
    assert not figures.duplicated(["scope", "period", "measure"]).any()
    assert set(figures["unit"]) <= {"percent", "points", "count"}
    assert (figures["source"] != "").all()


def test_every_national_sipas_year_is_present(figures):
    national = figures[(figures["scope"] == "national") & (figures["measure"] == "sipas")]
    assert dict(zip(national["period"], national["value"], strict=True)) == pytest.approx(SIPAS_NATIONAL)
    for component, expected in SIPAS_2023_COMPONENTS.items():
        assert component in COMPONENTS
        assert figure(figures, "national", "2023", f"sipas.{component}") == expected
    assert figure(figures, "national", "2023", "province_min_pct") == 75.03
    assert figure(figures, "national", "2023", "province_max_pct") == 90.61
    assert figure(figures, "national", "2017", "province_min_pct") == 67.70
    assert figure(figures, "national", "2024", "respondents") == 36525


def test_article_figures(figures):
    assert figure(figures, "kbnn", "2022", "satisfaction_pct") == 94.5
    assert figure(figures, "kbnn_thai_binh", "2023-07", "satisfaction_pct") == 93.64
    rows = figures[figures["scope"] == "kbnn_da_nang"].set_index("measure")
    assert rows.loc["satisfaction_pct", "value"] == 99 and "above" in rows.loc["satisfaction_pct", "note"]
    assert rows.loc["dissatisfied_pct", "value"] == 1 and "below" in rows.loc["dissatisfied_pct", "note"]


def test_province_review_path(figures):
    review = figures[(figures["scope"] == "province_review") & (figures["measure"] == "satisfaction_pct")]
    path = {int(p): v for p, v in zip(review["period"], review["value"], strict=True)}
    assert path == {2017: 76.43, 2018: 80.6, 2022: 81.98, 2023: 85.71}
    targets = figures[(figures["scope"] == "province_review") & (figures["measure"] == "target_pct")]
    targets = dict(zip(targets["period"], targets["value"], strict=True))
    assert targets == {"2018": 78, "2023": 84.01, "2025": 90, "2030": 95}


def test_derived_values_are_published_minus_the_published_rise(figures):
    for derived, published in (("2017", "2018"), ("2022", "2023")):
        value = figure(figures, "province_review", published, "satisfaction_pct")
        rise = figure(figures, "province_review", published, "change_points")
        assert abs(figure(figures, "province_review", derived, "satisfaction_pct") - (value - rise)) < 1e-9
        note = figures.loc[(figures["scope"] == "province_review") & (figures["period"] == derived)
                           & (figures["measure"] == "satisfaction_pct"), "note"].iloc[0]
        assert "derived" in note
    assert figure(figures, "province_review", "2018", "change_points") == 4.17
    assert figure(figures, "province_review", "2023", "change_points") == 3.73


def test_decision_766_maxima_sum_to_100_and_bands(figures):
    d766 = figures[figures["scope"] == "decision_766"]
    maxima = d766[d766["measure"].str.startswith("max_points.")]
    assert sorted(maxima["value"]) == [18, 18, 20, 22, 22]
    assert maxima["value"].sum() == 100
    bands = d766[d766["measure"].str.startswith("band_min_points.")]
    assert sorted(bands["value"], reverse=True) == [90, 80, 70, 50]
