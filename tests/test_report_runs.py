"""End-to-end runs apart from the default report: the rerun check, batch reports, bad input, the command line.

(Apart from test_report.py so that the two files run in parallel processes.)
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from analysis.errors import InputError
from analysis.pipeline.report import ReportParameters, check_report, run_report

pytestmark = pytest.mark.slow


def test_check_reports_no_difference_and_then_the_table_an_edited_answer_changes(tmp_path):
    from conftest import RAW

    data = tmp_path / "survey"
    shutil.copytree(RAW / "province_survey", data)
    shutil.copy(RAW / "published_figures.csv", tmp_path)  # the mapping's published: and papi: lie beside it
    shutil.copytree(RAW / "papi", tmp_path / "papi")
    params = ReportParameters(survey=str(data / "mapping.yaml"), notebooks=["01_data_overview.ipynb"])
    index = run_report(params, tmp_path / "reports")
    assert check_report(index.parent / "manifest.json") == []
    text = (data / "survey.csv").read_text(encoding="utf-8-sig").splitlines(keepends=True)
    cells = text[1].split(",")
    cells[9] = "1" if cells[9] != "1" else "5"  # the first respondent's first criterion
    text[1] = ",".join(cells)
    (data / "survey.csv").write_text("".join(text), encoding="utf-8-sig")
    differences = check_report(index.parent / "manifest.json")
    assert any("input changed" in d and "survey.csv" in d for d in differences)
    assert any("output changed: tables/index_by_year.csv" in d for d in differences)


def test_bad_input_fails_before_anything_is_written(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        run_report(ReportParameters(survey=str(tmp_path / "missing.yaml")), tmp_path / "reports")
    assert not (tmp_path / "reports").exists()


@pytest.mark.parametrize("request_, message", [
    ({"year": 2030}, "the year 2030 is not in the survey; its years are 2014, 2015"),
    ({"scope": "Sở Không Có"}, "neither 'province', a block nor a unit id"),
])
def test_a_year_or_scope_the_survey_lacks_fails_before_anything_is_written(tmp_path, request_, message):
    with pytest.raises((InputError, ValueError), match=message):
        run_report(ReportParameters(**request_), tmp_path / "reports")
    assert not (tmp_path / "reports").exists()


def test_the_command_line_names_the_years_and_exits_with_an_error(tmp_path):
    result = subprocess.run([sys.executable, "-m", "analysis", "report", "--year", "2030", "--out", str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode == 1 and "2023" in result.stderr and "--year" in result.stderr


def test_command_line_help():
    result = subprocess.run([sys.executable, "-m", "analysis", "report", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "--year" in result.stdout and "--lang" in result.stdout


def test_batch_writes_one_report_per_block_and_an_index(tmp_path):
    from analysis.pipeline.report import run_batch

    params = ReportParameters(notebooks=["01_data_overview.ipynb"])
    index = run_batch(params, "block", tmp_path, workers=2)
    html = index.read_text(encoding="utf-8")
    reports = sorted(tmp_path.glob("song_lam/*/2023/vi/index.html"))
    assert len(reports) == 10
    for report in reports:
        assert report.relative_to(tmp_path).as_posix() in html
    assert "UBND cấp huyện" in html


def test_a_kernel_that_dies_at_start_is_started_again(monkeypatch, tmp_path):
    """Kernels started side by side can race for a port ('Kernel died before replying'): execute retries."""
    import papermill

    from analysis.pipeline import report

    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) < report.KERNEL_STARTS:
            raise RuntimeError("Kernel died before replying to kernel_info")

    monkeypatch.setattr(papermill, "execute_notebook", flaky)
    report.execute(tmp_path / "a.ipynb", tmp_path / "out.ipynb", {}, "python3")
    assert len(calls) == report.KERNEL_STARTS

    def dead(*args, **kwargs):
        calls.append(1)
        raise RuntimeError("Kernel died before replying to kernel_info")

    calls.clear()
    monkeypatch.setattr(papermill, "execute_notebook", dead)
    with pytest.raises(RuntimeError, match="Kernel died"):  # not for ever
        report.execute(tmp_path / "a.ipynb", tmp_path / "out.ipynb", {}, "python3")
    assert len(calls) == report.KERNEL_STARTS


def test_the_notebooks_read_the_run_s_store_never_the_survey_file(tmp_path, monkeypatch):
    """Read once, reduced once: the survey file is removed as soon as the run has stored what it read (its
    grid and cube, no long answers); every section of the review still runs from the store, and the index is
    the one computed here from the file."""
    import pandas as pd
    from conftest import RAW

    from analysis.pipeline import report
    from analysis.sections import satisfaction, survey_in_scope

    data = tmp_path / "survey"
    shutil.copytree(RAW / "province_survey", data)
    shutil.copy(RAW / "published_figures.csv", tmp_path)
    shutil.copytree(RAW / "papi", tmp_path / "papi")
    in_memory = survey_in_scope(data / "mapping.yaml", "province", "2023")
    expected = satisfaction.headline(in_memory, 2023, min_cell=10,
                                     published=satisfaction.published_figures(in_memory, "", "province")).table()
    stored = report.write_store

    def store_then_remove_the_file(survey, folder):
        assert survey.responses is None  # reduced: the grid, the cube and the side tables, no long answers
        path = stored(survey, folder)
        (data / "survey.csv").unlink()
        return path

    monkeypatch.setattr(report, "write_store", store_then_remove_the_file)
    index = run_report(ReportParameters(survey=str(data / "mapping.yaml")), tmp_path / "reports", use_cache=False)
    assert not (data / "survey.csv").exists()
    assert len(list((index.parent / "notebooks").glob("*.ipynb"))) == len(report.ANNUAL_REVIEW)
    table = pd.read_csv(index.parent / "tables" / "satisfaction_index_by_year.csv")
    assert table["year"].tolist() == expected["year"].tolist()
    assert (table["estimate"] - expected["estimate"]).abs().max() < 1e-9  # the CSV keeps 10 significant digits
    kept = (index.parent / "notebooks" / "02_satisfaction.ipynb").read_text(encoding="utf-8")
    assert str(data / "mapping.yaml") in kept and ".survey.store" not in kept  # the kept notebook names the file


def test_each_engine_gives_the_review_the_tables_of_the_in_memory_cube(tmp_path):
    """The whole review with its cube reduced by DuckDB, and two sections with it reduced by Dask on a cluster
    reached by its scheduler's address (a LocalCluster here): every table is the one the in-memory cube gives."""
    import pandas as pd
    from conftest import RAW

    from analysis.cube.engines import ENGINES
    from analysis.pipeline import manifest
    from analysis.pipeline.report import ENGINE_CHOICES, Reduction

    assert ("auto", *ENGINES) == ENGINE_CHOICES
    params = ReportParameters(survey=str(RAW / "province_survey" / "mapping.yaml"))

    def tables(engine: str, params: ReportParameters, **options) -> dict[str, pd.DataFrame]:
        index = run_report(params, tmp_path / engine, use_cache=False, reduction=Reduction(engine, **options))
        assert manifest.read(index.parent / "manifest.json")["engine"]["name"] == engine
        return {path.name: pd.read_csv(path) for path in sorted((index.parent / "tables").glob("*.csv"))}

    def assert_same(actual: dict, expected: dict) -> None:
        assert list(actual) == list(expected)
        for name, table in expected.items():
            pd.testing.assert_frame_equal(actual[name], table, check_exact=False, rtol=1e-9, atol=1e-12, obj=name)

    in_memory = tables("numpy", params)
    assert len(in_memory) > 40
    assert_same(tables("duckdb", params, memory_limit="1GB"), in_memory)
    distributed = pytest.importorskip("distributed", reason="Dask's cluster scheduler: pip install distributed")
    two = ReportParameters(survey=params.survey, notebooks=["01_data_overview.ipynb", "02_satisfaction.ipynb"])
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        on_cluster = tables("dask", two, scheduler=cluster.scheduler_address)
    del on_cluster["data_dictionary.csv"]  # the workbook's list of its tables: these two sections' only
    assert_same(on_cluster, {name: in_memory[name] for name in on_cluster})
