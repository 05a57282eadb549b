"""The real PAPI panel: shape, known structure, dimension sums, events and bad input."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from analysis.data.papi import load_papi, load_papi_events, papi_measures
from analysis.data.schema import SERIES_COLUMNS
from analysis.errors import InputError

PAPI = Path(__file__).resolve().parents[1] / "data" / "raw" / "papi"
YEARS = [str(y) for y in range(2011, 2025)]


@pytest.fixture(scope="module")
def papi():
    return load_papi(PAPI)


def csv_row(year: str, province: str) -> dict[str, str]:
    """One province's row of a yearly file, read straight from the CSV."""
    with open(PAPI / f"{year}.csv", newline="", encoding="utf-8") as fh:
        return next(r for r in csv.DictReader(fh) if r["Province"] == province)


def value(papi, province: str, year: str, measure: str):
    cell = papi[(papi["unit_id"] == province) & (papi["period"] == year) & (papi["measure"] == measure)]
    assert len(cell) <= 1
    return cell["value"].iloc[0] if len(cell) else None


def test_shape_is_63_provinces_by_2011_to_2024(papi):
    assert papi.columns.tolist() == SERIES_COLUMNS
    assert sorted(papi["unit_id"].unique()) == [f"P{i:02d}" for i in range(1, 64)]
    assert sorted(papi["period"].unique()) == YEARS
    assert papi["value"].notna().all() and papi["unit_name"].notna().all()
    assert papi["n"].isna().all() and papi["se"].isna().all()
    assert papi["source"].str.contains("PAPI").all()
    assert not papi.duplicated(["unit_id", "period", "measure"]).any()
    assert value(papi, "P01", "2011", "SC11") is not None
    assert papi.loc[papi["unit_id"] == "P32", "unit_name"].iloc[0] == "Da Nang"


def test_blank_provinces_and_cells_are_not_rows(papi):
    # P15 is blank in 2014; in 2018 P14 has no C02/C04 sub-dimensions (blank cells).
    assert papi[(papi["unit_id"] == "P15") & (papi["period"] == "2014")].empty
    assert value(papi, "P14", "2018", "SC21") is None
    assert value(papi, "P14", "2018", "C02") is None
    assert value(papi, "P14", "2018", "C01") is not None


def test_known_structure_of_the_design(papi):
    years_of = papi.groupby("measure")["period"].agg(lambda p: sorted(set(p)))
    for measure in ("C07", "C08", "SC24", "SC71", "SC81"):
        assert years_of[measure] == YEARS[YEARS.index("2018"):], measure
    assert years_of["SC83"] == YEARS[YEARS.index("2019"):]
    assert years_of["SC52"] == YEARS[:YEARS.index("2021")]
    assert years_of["C05"] == YEARS


def test_dimension_is_the_sum_of_its_sub_dimensions_on_real_cells(papi):
    row = csv_row("2019", "P32")  # Da Nang 2019: C02 has 4 sub-dimensions
    expected = sum(float(row[c]) for c in ("SC21", "SC22", "SC23", "SC24"))
    assert value(papi, "P32", "2019", "C02") == pytest.approx(expected, abs=1e-12)
    row = csv_row("2024", "P01")  # Hanoi 2024: SC52 blank, C05 sums the 3 that exist
    assert row["SC52"] == ""
    expected = sum(float(row[c]) for c in ("SC51", "SC53", "SC54"))
    assert value(papi, "P01", "2024", "C05") == pytest.approx(expected, abs=1e-12)
    row = csv_row("2011", "P01")  # Hanoi 2011: C05 sums 4
    expected = sum(float(row[c]) for c in ("SC51", "SC52", "SC53", "SC54"))
    assert value(papi, "P01", "2011", "C05") == pytest.approx(expected, abs=1e-12)


def test_measures_codebook():
    measures = papi_measures(PAPI)
    assert measures.columns.tolist() == ["measure", "name", "dimension", "dimension_name"]
    assert len(measures) == 8 + 29
    sc52 = measures.set_index("measure").loc["SC52"]
    assert (sc52["name"], sc52["dimension"], sc52["dimension_name"]) == (
        "Construction Permits", "C05", "Public Administrative Procedures")


def test_events_name_the_method_breaks():
    events = load_papi_events(PAPI)
    assert (events["kind"] == "methodology").all()
    by_year = {d.year: e for d, e in zip(events["date"], events.to_dict("records"), strict=True)}
    assert "redesign" in by_year[2018]["name"]
    codes = {year: {c.strip() for c in e["applies_to"].split(";")} for year, e in by_year.items()}
    assert {"C02", "C07", "C08", "SC24"} <= codes[2018]
    assert {"C08", "SC83"} <= codes[2019]
    assert {"C05", "SC52"} <= codes[2021]


def edit_cell(path: Path, province: str, column: str, new: str) -> int:
    """Set one cell of a yearly CSV copy; return its file row (header = row 1)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split(",")
        if cells[0] == province:
            cells[header.index(column)] = new
            lines[number - 1] = ",".join(cells)
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            return number
    raise AssertionError(f"{province} not in {path}")


@pytest.fixture
def papi_copy(tmp_path):
    return Path(shutil.copytree(PAPI, tmp_path / "papi"))


def test_unknown_province_code_names_file_row_and_column(papi_copy):
    row = edit_cell(papi_copy / "2015.csv", "P05", "Province", "P99")
    with pytest.raises(InputError) as caught:
        load_papi(papi_copy)
    message = str(caught.value)
    assert "2015.csv" in message and f"row {row}" in message and "column 'Province'" in message
    assert "P99" in message


def test_text_score_names_file_row_and_column(papi_copy):
    row = edit_cell(papi_copy / "2019.csv", "P10", "SC33", "cao")
    with pytest.raises(InputError) as caught:
        load_papi(papi_copy)
    message = str(caught.value)
    assert "2019.csv" in message and f"row {row}" in message and "column 'SC33'" in message
    assert "'cao'" in message
