"""build_cube and respondent_scores against a plain pandas groupby reference written out here.

The reference is the obvious computation (``groupby`` on the string columns,
``unstack``, row means), slow but easy to check by eye; the cube's integer-code
and bincount implementation must give the same tables to 1e-12: same rows in
the same (sorted) order, same columns, same key values and dtypes.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from analysis.cube.memory import (
    CELL_KEYS,
    MEASURES,
    MOMENTS,
    build_cube,
    respondent_scores,
)
from analysis.data.schema import COMPONENTS, OVERALL_ITEM

ITEMS = ["access.1", "access.2", "procedure.1", "staff.1", "staff.2", "staff.3", "result.1", "feedback.1",
         OVERALL_ITEM]
TOL = 1e-12


# --------------------------------------------------------------------------- the reference


def reference_scores(responses: pd.DataFrame) -> pd.DataFrame:
    """One row per respondent (in order of first appearance): component means, their mean, first-row attributes."""
    answered = responses[(responses["item"] != OVERALL_ITEM) & responses["answer"].notna()]
    answer = answered["answer"].astype(float)
    keys = [answered[k] for k in ["period", "respondent_id", "component"]]
    columns = {}
    for measure, value in MEASURES.items():
        by_component = value(answer).groupby(keys, observed=True).mean().unstack("component")
        for component in COMPONENTS:
            columns[f"{measure}:{component}"] = (by_component[component] if component in by_component.columns
                                                 else pd.Series(np.nan, index=by_component.index))
        columns[f"{measure}:index"] = by_component.mean(axis=1)
    table = pd.DataFrame(columns)
    table["score"] = table["satisfied:index"]
    attributes = [c for c in ["year", "unit_id", "channel", "group", "weight", "stratum", "psu"]
                  if c in responses.columns]
    first = responses.drop_duplicates(["period", "respondent_id"]).set_index(["period", "respondent_id"])
    return first[attributes].join(table, how="left").reset_index()


def reference_cube(responses: pd.DataFrame, clustered: bool | None = None) -> dict:
    data = responses.copy()
    for column, default in (("weight", 1.0), ("stratum", ""), ("channel", ""), ("group", "")):
        if column not in data:
            data[column] = default
    if "psu" not in data:
        data["psu"] = data["respondent_id"]
    people = reference_scores(data)
    if clustered is None:
        clustered = bool(people.groupby(["period", "psu"], observed=True).size().max() > 1)
    keys = [*CELL_KEYS, "psu"] if clustered else list(CELL_KEYS)

    data["w2"] = data["weight"] ** 2
    answers = (data.groupby([*keys, "item", "answer"], dropna=False, observed=True, sort=True)
               .agg(n=("weight", "size"), w=("weight", "sum"), w2=("w2", "sum")).reset_index())
    answers["component"] = answers["item"].str.split(".").str[0]

    w, w2 = people["weight"], people["weight"] ** 2
    moments = {}
    for name in [c for c in people.columns if ":" in c]:
        y = people[name].astype(float)
        present = y.notna()
        values = {"n": present.astype(int), "y": y.fillna(0.0), "y2": (y**2).fillna(0.0),
                  "w": w.where(present, 0.0), "wy": (w * y).fillna(0.0), "w2": w2.where(present, 0.0),
                  "w2y": (w2 * y).fillna(0.0), "w2y2": (w2 * y**2).fillna(0.0)}
        moments.update({f"{name}|{m}": values[m] for m in MOMENTS})
    wide = pd.concat([people[keys], pd.DataFrame(moments)], axis=1)
    scores = wide.groupby(keys, observed=True, sort=True).sum().reset_index()

    stratum = people["period"].astype(str) + "|" + people["stratum"].astype(str)
    psus = people.groupby(stratum)["psu"].nunique().rename("psus")
    return {"answers": answers, "scores": scores, "psus": psus, "clustered": clustered}


# --------------------------------------------------------------------------- data


def survey(seed: int = 0, *, people: int = 240, text: str = "str", answers: str = "Int8", clusters: bool = False,
           reuse_ids: bool = False, weight: bool = True, stratum: bool = True, shuffle: bool = True) -> pd.DataFrame:
    """Small random long answers: 3 periods, 4 strata, 5 units, NAs, respondents skipping items."""
    rng = np.random.default_rng(seed)
    period = rng.choice(["2021", "2022", "2023"], people)
    numbers = np.arange(people) % 97 if reuse_ids else np.arange(people)  # reused: the same id in several periods
    unit = rng.choice([f"U{k}" for k in range(5)], people)
    frame = pd.DataFrame({
        "respondent_id": [f"r{k:03d}" for k in numbers], "period": period, "year": period.astype(int),
        "unit_id": unit, "channel": rng.choice(["direct", "online"], people),
        "group": rng.choice(["citizen", "business"], people, p=[0.8, 0.2]),
        "weight": rng.uniform(0.5, 3.0, people).round(3), "stratum": [f"S{int(u[1:]) % 4}" for u in unit],
    })
    frame["psu"] = (frame["stratum"] + "-" + pd.Series(rng.integers(0, 6, people)).astype(str)) if clusters \
        else frame["respondent_id"]
    rows = []
    for item in ITEMS:
        asked = rng.random(people) < 0.85  # some respondents skip some items (and whole components)
        block = frame[asked].assign(item=item, component=item.split(".")[0])
        values = rng.integers(1, 6, len(block)).astype(float)
        values[rng.random(len(block)) < 0.12] = np.nan  # "không ý kiến"
        rows.append(block.assign(answer=values))
    long = pd.concat(rows, ignore_index=True)
    if shuffle:
        long = long.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    if answers == "Int8":
        long["answer"] = long["answer"].astype("Int8")
    elif answers == "half":  # not whole numbers: the unpacked path
        long["answer"] = long["answer"] - 0.5
    if text == "category":
        for column in ["respondent_id", "period", "unit_id", "channel", "group", "stratum", "psu", "item",
                       "component"]:
            long[column] = long[column].astype("category")
    drop = [c for c, keep in (("weight", weight), ("stratum", stratum), ("psu", clusters)) if not keep]
    return long.drop(columns=drop)


# --------------------------------------------------------------------------- comparison


def assert_same(actual: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert list(actual.columns) == list(expected.columns)
    assert len(actual) == len(expected)
    for column in expected.columns:
        a, e = actual[column], expected[column]
        if pd.api.types.is_float_dtype(e) or (pd.api.types.is_object_dtype(e) and column.count(":")):
            np.testing.assert_allclose(a.to_numpy(float), e.to_numpy(float), rtol=TOL, atol=TOL, err_msg=column)
        else:
            assert a.dtype == e.dtype, (column, a.dtype, e.dtype)
            pd.testing.assert_series_equal(a.reset_index(drop=True), e.reset_index(drop=True), check_names=False,
                                           obj=column)


def assert_cube(responses: pd.DataFrame, clustered: bool | None = None) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.PerformanceWarning)
        cube = build_cube(responses, clustered=clustered)
    expected = reference_cube(responses, clustered)
    assert cube.clustered == expected["clustered"]
    assert_same(cube.answers, expected["answers"])
    assert_same(cube.scores, expected["scores"])
    pd.testing.assert_series_equal(cube.psus, expected["psus"])
    units = sorted(responses["unit_id"].dropna().unique())
    assert cube.units["unit_id"].tolist() == units


VARIANTS = {
    "strings": {},
    "categoricals": {"text": "category"},
    "float answers": {"answers": "float"},
    "ids reused over periods": {"reuse_ids": True},
    "categoricals, ids reused": {"text": "category", "reuse_ids": True},
    "no weight, no stratum": {"weight": False, "stratum": False},
    "rows in respondent order": {"shuffle": False},
    "answers not whole numbers": {"answers": "half"},
}


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("clusters", [False, True], ids=["unclustered", "clustered"])
def test_cube_matches_the_groupby_reference(variant, clusters):
    responses = survey(seed=len(variant), clusters=clusters, **VARIANTS[variant])
    assert_cube(responses)


@pytest.mark.parametrize("variant", VARIANTS)
def test_respondent_scores_match_the_groupby_reference(variant):
    responses = survey(seed=len(variant) + 1, **VARIANTS[variant])
    assert_same(respondent_scores(responses), reference_scores(responses))


def test_clustering_can_be_forced_either_way():
    responses = survey(seed=3, clusters=True, text="category")
    assert_cube(responses, clustered=False)
    assert_cube(survey(seed=4), clustered=True)  # each respondent its own PSU, PSU a cell key


def test_missing_key_values_keep_answer_rows_and_leave_respondents_out_of_scores_as_groupby_does():
    responses = survey(seed=5, clusters=True)
    responses.loc[responses["respondent_id"].isin(["r001", "r002"]), "channel"] = None
    responses.loc[responses.index[::50], "component"] = None  # rows of no component: in no score
    assert_cube(responses)
    assert_same(respondent_scores(responses), reference_scores(responses))


def test_integer_ids_and_a_respondent_with_more_answers_than_the_packed_count_holds():
    responses = survey(seed=6)
    responses["respondent_id"] = responses["respondent_id"].str[1:].astype(np.int32) * 7  # gaps in the ids
    many = pd.DataFrame({"respondent_id": 7000, "period": "2023", "year": 2023, "unit_id": "U1", "channel": "direct",
                         "group": "citizen", "weight": 1.5, "stratum": "S1", "item": "staff.1", "component": "staff",
                         "answer": pd.array(np.resize([5, 4, 2, 1, 3, None], 5000), dtype="Int8")})
    responses = pd.concat([responses, many], ignore_index=True)
    assert_cube(responses)
    assert_same(respondent_scores(responses), reference_scores(responses))


def test_reruns_give_identical_tables():
    responses = survey(seed=7, text="category", clusters=True)
    first, second = build_cube(responses), build_cube(responses)
    pd.testing.assert_frame_equal(first.answers, second.answers)
    pd.testing.assert_frame_equal(first.scores, second.scores)


def test_empty_answers_give_empty_tables():
    empty = survey(seed=8).iloc[:0]
    cube = build_cube(empty)
    assert cube.answers.empty and cube.scores.empty and cube.psus.empty
    assert respondent_scores(empty).empty


@pytest.mark.parametrize("variant", ["strings", "categoricals", "ids reused over periods", "answers not whole numbers"])
@pytest.mark.parametrize("clusters", [False, True], ids=["unclustered", "clustered"])
def test_the_other_code_paths_give_the_same_tables(monkeypatch, variant, clusters):
    """Many chunks of rows and respondents, (cell, item, answer) codes compacted, every key hashed."""
    import analysis.cube.memory as cube

    responses = survey(seed=len(variant) + 10, clusters=clusters, **VARIANTS[variant])
    for name, value in (("_CHUNK", 23), ("_PEOPLE_CHUNK", 17), ("_BINS", 5), ("_DENSE", 0), ("_DENSE_MIN", 0)):
        monkeypatch.setattr(cube, name, value)
    assert_cube(responses)
    assert_same(respondent_scores(responses), reference_scores(responses))
    monkeypatch.setattr(cube, "_DENSE", 4)  # tables again, still in small chunks
    assert_cube(responses)
