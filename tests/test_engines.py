"""The cube from files (DuckDB out of core, Dask in local mode) equals build_cube on the same answers.

The reference is :func:`analysis.cube.memory.build_cube` on the answers in memory
(itself checked against a plain groupby in ``test_cube.py``): the same rows in
the same order, same columns and dtypes, numbers to 1e-12.  Inputs: the
embedded survey (written to parquet and to CSV; slow), the small random surveys of
``test_cube.py`` in all their variants (categoricals, ids reused over periods,
missing keys, clusters, no weight, answers not whole numbers) split over
several files and row groups, and 10 million generated answers (slow).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_cube import VARIANTS, assert_same, survey

from analysis.analyses.indices import estimate
from analysis.cube import engines
from analysis.cube.engines import build, cube_from_parquet, write_parquet
from analysis.cube.memory import build_cube

ROOT = Path(__file__).resolve().parents[1]
MAPPING = ROOT / "data" / "raw" / "province_survey" / "mapping.yaml"
try:
    import dask.dataframe  # noqa: F401  (the optional extra 'distributed')

    HAS_DASK = True
except ImportError:
    HAS_DASK = False
needs_dask = pytest.mark.skipif(not HAS_DASK, reason="Dask is the optional extra 'distributed': "
                                                     "pip install -e '.[distributed]'")
# Dask costs about a second a call whatever the size: its cases are slow (make test runs them, make test-fast not)
FILE_ENGINES = ["duckdb", pytest.param("dask", marks=[needs_dask, pytest.mark.slow])]


def assert_same_cube(actual, expected) -> None:
    assert actual.clustered == expected.clustered
    assert_same(actual.answers, expected.answers)
    assert_same(actual.scores, expected.scores)
    pd.testing.assert_series_equal(actual.psus, expected.psus)
    pd.testing.assert_frame_equal(actual.units, expected.units)


def cube_of(paths, engine: str, **options):
    if engine == "dask":
        options.setdefault("scheduler", "threads")
    return cube_from_parquet(paths, engine=engine, **options)


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    from analysis.data.load import load_survey

    folder = tmp_path_factory.mktemp("province")
    survey = load_survey(MAPPING)
    parquet = write_parquet(survey, folder / "answers.parquet", row_group_size=50_000)
    csv = folder / "answers.csv"
    survey.responses.to_csv(csv, index=False)
    return survey, parquet, csv, build_cube(survey.responses, survey.units)


@pytest.fixture(scope="module")
def province_as_text(province):
    """build_cube on the answers as a CSV holds them: text columns, not the categoricals of load (the keys of
    the cube keep their input's dtype)."""
    survey = province[0]
    text = survey.responses.astype({c: "str" for c, dtype in survey.responses.dtypes.items()
                                    if isinstance(dtype, pd.CategoricalDtype)})
    return build_cube(text, survey.units)


# --------------------------------------------------------------------------- the embedded survey


# the whole embedded survey through each engine (a few seconds each): slow, so that make test-fast stays fast; the
# small random surveys below run every engine and variant in the fast lane


@pytest.mark.slow
@pytest.mark.parametrize("engine", FILE_ENGINES)
def test_the_embedded_survey_from_parquet_gives_build_cubes_cube(province, engine):
    survey, parquet, _, expected = province
    assert_same_cube(cube_of(parquet, engine, units=survey.units), expected)


@pytest.mark.slow
@pytest.mark.parametrize("engine", FILE_ENGINES)
def test_the_embedded_survey_from_csv_gives_build_cubes_cube(province, province_as_text, engine):
    survey, _, csv, _ = province
    assert_same_cube(cube_of(csv, engine, units=survey.units), province_as_text)


@pytest.mark.slow
def test_estimates_from_the_duckdb_cube_are_those_of_the_in_memory_cube(province):
    survey, parquet, _, expected = province
    cube = cube_of(parquet, "duckdb", units=survey.units)
    for by in (["year"], ["year", "channel"], ["year", "component"], ["year", "item"], ["year", "block"]):
        for measure in ("satisfied", "mean"):
            actual, wanted = estimate(cube, by, measure), estimate(expected, by, measure)
            pd.testing.assert_frame_equal(actual, wanted, rtol=1e-12, atol=1e-12)


@pytest.mark.slow
def test_the_numpy_engine_reads_the_files_into_build_cube(province, province_as_text):
    survey, parquet, csv, expected = province
    assert_same_cube(cube_from_parquet(parquet, engine="numpy", units=survey.units), expected)
    assert_same_cube(cube_from_parquet(csv, engine="numpy", units=survey.units), province_as_text)


@pytest.mark.slow
def test_dask_on_a_local_distributed_cluster_of_two_worker_processes(province):
    """The cluster path as a ministry runs it (``Client(address)``), on a LocalCluster on this machine."""
    distributed = pytest.importorskip("distributed", reason="Dask's cluster scheduler: pip install distributed")
    survey_, parquet, _, expected = province
    with (distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as
          cluster, distributed.Client(cluster)):
        cube = cube_from_parquet(parquet, engine="dask", units=survey_.units)
    assert_same_cube(cube, expected)


# --------------------------------------------------------------------------- every variant of the small surveys


def split(responses: pd.DataFrame, folder: Path, parts: int = 3, row_group_size: int = 400) -> list[Path]:
    """The answers over ``parts`` parquet files (in order) of small row groups; names sort in that order."""
    bounds = np.linspace(0, len(responses), parts + 1).astype(int)
    return [write_parquet(responses.iloc[a:b], folder / f"part-{i:02d}.parquet", row_group_size=row_group_size)
            for i, (a, b) in enumerate(zip(bounds[:-1], bounds[1:], strict=True))]


@pytest.mark.parametrize("engine", FILE_ENGINES)
@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("clusters", [False, True], ids=["unclustered", "clustered"])
def test_every_variant_split_over_files_gives_build_cubes_cube(tmp_path, engine, variant, clusters):
    responses = survey(seed=len(variant), clusters=clusters, **VARIANTS[variant])
    split(responses, tmp_path)
    assert_same_cube(cube_of(str(tmp_path / "*.parquet"), engine), build_cube(responses))


@pytest.mark.parametrize("engine", FILE_ENGINES)
@pytest.mark.parametrize("index_form", ["sipas", "criteria", "overall"])
@pytest.mark.parametrize("answers", ["Int8", "half"])
def test_a_form_of_its_own_gives_build_cubes_cube(tmp_path, engine, index_form, answers):
    """The survey's own components (two of them, and one the answers do not have) and each index form."""
    responses = survey(seed=11, answers=answers)
    second = responses[responses["item"] == "overall"].assign(item="overall.2")  # the overall component's 2nd item
    responses = pd.concat([responses, second], ignore_index=True)
    split(responses, tmp_path)
    form = {"components": ("staff", "access", "waiting"), "index_form": index_form}
    actual = cube_of(str(tmp_path / "*.parquet"), engine, **form)
    expected = build_cube(responses, **form)
    assert_same_cube(actual, expected)
    assert (actual.components, actual.index_form) == (expected.components, expected.index_form)
    assert expected.scores["satisfied:index|n"].sum() > 0


@pytest.mark.parametrize("engine", FILE_ENGINES)
def test_clustering_can_be_forced_either_way(tmp_path, engine):
    clustered = survey(seed=3, clusters=True, text="category")
    write_parquet(clustered, tmp_path / "clustered.parquet", row_group_size=500)
    for flag in (False, True):
        assert_same_cube(cube_of(tmp_path / "clustered.parquet", engine, clustered=flag),
                         build_cube(clustered, clustered=flag))
    plain = survey(seed=4)  # no psu column: each respondent its own PSU, a cell key
    write_parquet(plain, tmp_path / "plain.parquet")
    assert_same_cube(cube_of(tmp_path / "plain.parquet", engine, clustered=True), build_cube(plain, clustered=True))


@pytest.mark.parametrize("engine", FILE_ENGINES)
def test_missing_keys_varying_attributes_integer_ids_and_weights(tmp_path, engine):
    responses = survey(seed=5, clusters=True)
    responses.loc[responses["respondent_id"].isin(["r001", "r002"]), "channel"] = None
    responses.loc[responses.index[::50], "component"] = None  # rows of no component: in no score
    responses.loc[responses.index[::37], "unit_id"] = "U9"  # attributes that vary within a respondent: first row
    responses.loc[responses.index[::41], "psu"] = None
    split(responses, tmp_path)
    assert_same_cube(cube_of(tmp_path, engine), build_cube(responses))

    numbers = survey(seed=6)
    numbers["respondent_id"] = numbers["respondent_id"].str[1:].astype(np.int32) * 7
    numbers["weight"] = (numbers["weight"] * 4).round().astype(np.int64)  # integer weights sum to integers
    write_parquet(numbers, tmp_path / "numbers" / "answers.parquet")
    assert_same_cube(cube_of(tmp_path / "numbers", engine), build_cube(numbers))


def test_categories_are_those_pandas_reads_back_from_several_files(tmp_path):
    responses = survey(seed=9, text="category")
    first, second = responses.iloc[:900].copy(), responses.iloc[900:].copy()
    second["unit_id"] = second["unit_id"].cat.reorder_categories(sorted(second["unit_id"].cat.categories)[::-1])
    second["channel"] = second["channel"].cat.add_categories(["phone"])  # unused in the data, kept by pandas
    paths = [write_parquet(first, tmp_path / "a.parquet", 300), write_parquet(second, tmp_path / "b.parquet", 300)]
    read = engines.read_files(paths, "parquet")
    dtypes = engines.dtypes_of(paths, "parquet")
    assert all(read[c].dtype == d for c, d in dtypes.items())
    assert_same_cube(cube_of(paths, "duckdb"), build_cube(read))


def test_duckdb_cleans_up_its_temporary_folder(tmp_path):
    write_parquet(survey(seed=2), tmp_path / "answers.parquet")
    spill = tmp_path / "spill"
    spill.mkdir()
    cube_from_parquet(tmp_path / "answers.parquet", temp_directory=spill, memory_limit="256MB", threads=1)
    assert list(spill.iterdir()) == []


# --------------------------------------------------------------------------- the automatic choice


@pytest.mark.slow
def test_build_chooses_memory_for_frames_and_small_files_duckdb_above_the_threshold(tmp_path, monkeypatch, province):
    survey_, parquet, _, expected = province
    used = []
    original = engines.cube_from_parquet

    def spy(paths, engine="duckdb", **options):
        used.append(engine)
        return original(paths, engine=engine, **options)

    monkeypatch.setattr(engines, "cube_from_parquet", spy)
    assert_same_cube(build(survey_), expected)
    assert_same_cube(build(survey_.responses, survey_.units), expected)
    assert used == []  # in memory: build_cube itself
    assert_same_cube(build(parquet, survey_.units), expected)
    assert_same_cube(build(parquet, survey_.units, threshold=len(survey_.responses) - 1), expected)
    assert_same_cube(build(parquet, survey_.units, engine="duckdb", memory_limit="1GB"), expected)
    assert used == ["numpy", "duckdb", "duckdb"]
    with pytest.raises(ValueError, match="engine"):
        build(parquet, engine="spark")
    with pytest.raises(ValueError, match="write_parquet"):
        build(survey_.responses, engine="duckdb")
    with pytest.raises(FileNotFoundError):
        build(tmp_path / "nothing-*.parquet")


def test_answer_files_need_the_answer_columns(tmp_path):
    write_parquet(survey(seed=1).drop(columns=["item"]), tmp_path / "answers.parquet")
    with pytest.raises(ValueError, match="item"):
        cube_from_parquet(tmp_path / "answers.parquet")
    survey(seed=1).drop(columns=["component"]).to_csv(tmp_path / "answers.csv", index=False)
    with pytest.raises(ValueError, match="component"):
        cube_from_parquet(tmp_path / "answers.csv")


# --------------------------------------------------------------------------- 10 million answers


def generated(path: Path, n: int) -> Path:
    spec = importlib.util.spec_from_file_location("bench_engines", ROOT / "benchmarks" / "bench_engines.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write_answers(path, n)


@pytest.fixture(scope="module")
def ten_million(tmp_path_factory):
    """10 M generated answers (769,231 respondents, item-major) in parquet, and build_cube of them read back."""
    folder = tmp_path_factory.mktemp("ten_million")
    path = generated(folder / "answers.parquet", 10_000_000)
    yield path, build_cube(pd.read_parquet(path)), folder
    os.remove(path)


@pytest.mark.slow
def test_ten_million_generated_answers_through_duckdb_give_the_pandas_cube(ten_million):
    """With a 1 GB memory limit (the people table spills); about 10 s."""
    path, expected, folder = ten_million
    assert_same_cube(cube_from_parquet(path, memory_limit="1GB", temp_directory=folder), expected)


@pytest.mark.slow
@needs_dask
def test_ten_million_generated_answers_through_dask_give_the_pandas_cube(ten_million):
    """Dask's threaded scheduler, 10 row groups shuffled by respondent; about 10 s."""
    path, expected, _ = ten_million
    assert_same_cube(cube_of(path, "dask"), expected)


def test_the_answer_count_of_csv_files_plain_or_gzipped_is_close(tmp_path):
    """engine='auto' chooses by this count: a gzipped file is counted by its lines, not its compressed bytes."""
    rng = np.random.default_rng(0)
    n = 300_000
    answers = pd.DataFrame({"respondent_id": np.arange(n), "period": "2023", "item": "staff.1",
                            "answer": rng.integers(1, 6, n)})
    answers.to_csv(tmp_path / "a.csv", index=False)
    answers.to_csv(tmp_path / "a.csv.gz", index=False)
    for name in ("a.csv", "a.csv.gz"):
        assert engines.answer_count([tmp_path / name], "csv") == pytest.approx(n, rel=0.1), name
