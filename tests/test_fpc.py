"""The finite population correction (the mapping's ``population``: the number served) against R's survey.

``tests/reference/make_r_reference.R`` wrote ``fpc_served.csv``, the number each unit of
``design_sample.csv`` served (a unit is one of its clusters, the respondents sampled one by one; unit
``Z`` served 400 and nobody was sampled from it), and ``r_fpc_reference.csv``: the numbers of
``test_indices_vs_r.py`` from ``svydesign(ids = ~1, ..., fpc = ~N)`` with ``N`` the number served by the
stratum's units (``stratified``), or by every unit, ``Z`` too, in a design of one stratum
(``unstratified``).  Tolerance: relative 1e-8.  Then the mapping's ``population:`` file: it loads, and a
bad one fails with one message.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from test_indices_vs_r import REFERENCE, RTOL, check_difference, check_share_intervals, expected, sample_responses
from test_load import csv_bytes, default_mapping, write_survey

from analysis.analyses.indices import estimate
from analysis.cube.engines import cube_from_parquet, write_parquet
from analysis.cube.memory import build_cube
from analysis.data.load import load_population, load_survey
from analysis.errors import InputError

SERVED = load_population(REFERENCE / "fpc_served.csv")


def fpc_responses(stratified: bool) -> pd.DataFrame:
    """The design sample with its clusters as units and every respondent its own PSU."""
    long = sample_responses(clustered=True)
    long = long.assign(unit_id=long["psu"], psu=long["respondent_id"])
    return long if stratified else long.drop(columns="stratum")


def fpc_units() -> pd.DataFrame:
    return pd.DataFrame({"unit_id": sorted(SERVED["unit_id"])})  # Z too: a unit nobody was sampled from


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "r_fpc_reference.csv")


@pytest.fixture(scope="module", params=["stratified", "unstratified"])
def design(request):
    cube = build_cube(fpc_responses(request.param == "stratified"), fpc_units(), population=SERVED)
    assert not cube.clustered
    return request.param, cube


def test_population_per_stratum_is_the_number_its_units_served(design):
    name, cube = design
    served = SERVED.assign(stratum=SERVED["unit_id"].str[:2])
    if name == "stratified":  # Z is in no stratum of the sample: left out
        truth = served[served["unit_id"] != "Z"].groupby("stratum")["served"].sum()
        truth.index = "2023|" + truth.index
    else:  # one stratum: every unit of the unit table
        truth = pd.Series({"2023|": served["served"].sum()})
    pd.testing.assert_series_equal(cube.population, truth.astype(float), check_names=False)
    assert (cube.population > cube.psus.reindex(cube.population.index)).all()


@pytest.mark.parametrize("quantity, measure, item", [
    ("sat_access1", "satisfied", "access.1"), ("mean_access1", "mean", "access.1"), ("score", "satisfied", None),
])
def test_estimates_with_fpc_match_svydesign_fpc(reference, design, quantity, measure, item):
    name, cube = design

    def domains(cube) -> dict:
        by_channel = estimate(cube, ["channel"] + (["item"] if item else []), measure)
        overall = estimate(cube, ["period"] + (["item"] if item else []), measure)
        if item:
            by_channel, overall = (t[t["item"] == item] for t in (by_channel, overall))
        return {**{r["channel"]: r for _, r in by_channel.iterrows()}, "all": overall.iloc[0]}

    plain = domains(build_cube(fpc_responses(name == "stratified")))  # no correction: the SEs are larger
    for domain, row in domains(cube).items():
        truth = expected(reference, name, quantity, domain)
        assert row["estimate"] == pytest.approx(truth["estimate"], rel=RTOL)
        assert row["se"] == pytest.approx(truth["se"], rel=RTOL)
        assert row["se"] < 0.9 * plain[domain]["se"]


@pytest.mark.parametrize("quantity, measure, by", [
    ("sat_access1", "satisfied", ["item"]), ("mean_access1", "mean", ["item"]), ("score", "satisfied", ["period"]),
])
def test_differences_with_fpc_match_svycontrast(reference, design, quantity, measure, by):
    check_difference(reference, design, quantity, measure, by)


def test_share_intervals_with_fpc_match_svyciprop(reference, design):
    check_share_intervals(reference, design)


@pytest.mark.parametrize("engine", ["duckdb", pytest.param("dask", marks=pytest.mark.slow)])
def test_file_engines_carry_the_population(tmp_path, engine):
    if engine == "dask":
        pytest.importorskip("dask.dataframe")
    responses = fpc_responses(stratified=True)
    expected_cube = build_cube(responses, fpc_units(), population=SERVED)
    path = write_parquet(responses, tmp_path / "answers.parquet")
    options = {"scheduler": "threads"} if engine == "dask" else {}
    cube = cube_from_parquet(path, engine=engine, units=fpc_units(), population=SERVED, **options)
    pd.testing.assert_series_equal(cube.population, expected_cube.population)
    ours, theirs = (estimate(c, ["channel"]).set_index("channel")["se"] for c in (cube, expected_cube))
    pd.testing.assert_series_equal(ours, theirs, rtol=1e-12)


def test_a_clustered_design_or_units_across_strata_are_refused():
    with pytest.raises(ValueError, match="clusters"):
        build_cube(sample_responses(clustered=True).assign(unit_id=lambda d: d["psu"]), population=SERVED)
    across = fpc_responses(stratified=True)
    across["unit_id"] = across["channel"]  # a channel's respondents sit in every stratum
    served = pd.DataFrame({"unit_id": ["direct", "online"], "period": "2023", "served": [1000, 1000]})
    with pytest.raises(ValueError, match="one stratum per period.*direct in 2023: S1, S2, S3, S4"):
        build_cube(across, population=served)


# --------------------------------------------------------------------------- the mapping's population file


def with_population(folder: Path, rows: list[dict[str, str]], mapping: dict | None = None) -> Path:
    """The small survey of test_load with a population file ``served.csv`` of ``rows``; its mapping."""
    mapping = {**(mapping or default_mapping()), "population": "served.csv"}
    files = write_survey(folder, mapping=mapping)
    (folder / "served.csv").write_bytes(csv_bytes(rows))
    return files.mapping


SERVED_ROWS = [{"unit_id": "STP", "period": "2023", "served": "10"},
               {"unit_id": "Ủy ban nhân dân huyện Xuân Lộc", "period": "2023", "served": "5"},  # by its name
               {"unit_id": "BHXH", "period": "2023", "served": "3"}]


def test_a_mapping_with_population_loads_and_corrects_the_variance(tmp_path):
    survey = load_survey(with_population(tmp_path, SERVED_ROWS))
    assert survey.population.to_dict("list") == {"unit_id": ["STP", "UBND-XL", "BHXH"],
                                                 "period": ["2023"] * 3, "served": [10, 5, 3]}
    assert str(tmp_path / "served.csv") in survey.inputs
    cube = survey.cube()
    assert cube.population.to_dict() == {"2023|": 18.0}  # one stratum: 4 respondents of 18 served
    plain = estimate(build_cube(survey.responses, survey.units), [])
    corrected = estimate(cube, [])
    assert corrected["se"].iloc[0] == pytest.approx(plain["se"].iloc[0] * (1 - 4 / 18) ** 0.5, rel=1e-12)


def test_a_bad_population_file_names_every_bad_cell_at_once(tmp_path):
    rows = [{**SERVED_ROWS[0], "served": "-3"}, {**SERVED_ROWS[1], "served": "2,5"}, {**SERVED_ROWS[2], "served": ""}]
    with pytest.raises(InputError) as error:
        load_survey(with_population(tmp_path, rows))
    message = str(error.value)
    assert "served.csv, row 2, column 'served'" in message and "'-3' is not a whole number" in message
    assert "2 more cell(s)" in message and "rows 3, 4" in message and "Fix:" in message


@pytest.mark.parametrize("rows, found", [
    (SERVED_ROWS[:1], "2 unit-period(s) with respondents have no number served: BHXH in 2023, UBND-XL in 2023"),
    ([{**SERVED_ROWS[0], "served": "1"}, *SERVED_ROWS[1:]], "row 2, column 'served': the unit 'STP' served 1 in "
                                                            "2023, fewer than its 2 respondents"),
    ([*SERVED_ROWS, {**SERVED_ROWS[2], "served": "4"}], "row 5, column 'period': the unit 'BHXH' has a second row"),
    ([*SERVED_ROWS, {"unit_id": "SYT", "period": "2023", "served": "4"}], "the unit 'SYT' is not in the unit table"),
])
def test_a_population_file_that_does_not_fit_the_survey_says_where(tmp_path, rows, found):
    with pytest.raises(InputError, match="Fix:") as error:
        load_survey(with_population(tmp_path, rows))
    assert found in str(error.value)


def test_population_with_clusters_of_respondents_is_refused_at_load(tmp_path):
    mapping = default_mapping()
    mapping["columns"]["psu"] = mapping["columns"]["unit_id"]  # the agency as the cluster: STP holds two
    with pytest.raises(InputError, match="column 'population'.*sampled one by one") as error:
        load_survey(with_population(tmp_path, SERVED_ROWS, mapping))
    assert "remove 'population:'" in str(error.value)
