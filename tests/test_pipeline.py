"""The pipeline around the notebooks: the preflight, report folders that never collide, the index page,
failed notebooks kept with their traceback, periods passed to the notebooks that declare them.

The runs here use small notebooks written into ``tmp_path`` (a parameters cell and one table), so
they test the pipeline, not the sections; the runs of the real notebooks are in test_report*.py.
"""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import RAW

from analysis.data.load import load_survey
from analysis.errors import InputError
from analysis.pipeline import manifest
from analysis.pipeline.cli import main
from analysis.pipeline.report import (
    ANNUAL_REVIEW,
    FAILED,
    NOTEBOOK_DIR,
    TRACEBACK,
    ReportError,
    ReportParameters,
    keep_failed,
    preflight,
    remove_stale_staging,
    report_folder,
    run_report,
    section_name,
    survey_folder,
    write_index,
)

PROVINCE = str(RAW / "province_survey" / "mapping.yaml")
TREASURY = str(RAW / "treasury" / "mapping.yaml")


@pytest.fixture(scope="module")
def province():
    return load_survey(PROVINCE)


@pytest.fixture(scope="module")
def treasury():
    return load_survey(TREASURY)


def notebook(folder, name, parameters: str, body: str, heading: str = ""):
    """A small notebook: an optional heading, a parameters cell and one code cell."""
    cells = ([nbformat.v4.new_markdown_cell(heading)] if heading else []) + [
        nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(body)]
    nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata={"language_info": {"name": "python"}}),
                   folder / name)
    return name


ECHO_PARAMETERS = ('survey = ""\nyear = 0\nperiod = ""\nscope = ""\nlang = ""\npublished = "x"\npapi = "x"\n'
                   'output_dir = ""')
ECHO = ("import os, pandas as pd\nos.makedirs(os.path.join(output_dir, 'tables'), exist_ok=True)\n"
        "pd.DataFrame({'year': [year], 'period': [period], 'lang': [lang], 'published': [published], "
        "'papi': [papi]}).to_csv(os.path.join(output_dir, 'tables', 'echo.csv'), index=False)")
NOT_DECLARED = ECHO.replace("[period]", "['not declared']").replace("echo.csv", "echo_no_period.csv")


@pytest.fixture
def echo_notebooks(tmp_path):
    """Two notebooks that save the parameters they got: one declares ``period``, one does not."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    notebook(folder, "01_echo.ipynb", ECHO_PARAMETERS, ECHO, "# 01 · Echo / Lặp lại")
    notebook(folder, "02_no_period.ipynb", ECHO_PARAMETERS.replace('period = ""\n', ""), NOT_DECLARED)
    return folder


# --------------------------------------------------------------------------- the preflight


def test_a_period_the_survey_lacks_is_an_error_naming_the_periods_it_has(treasury):
    with pytest.raises(InputError, match=r"the period 2030-07 is not in the survey; its periods are "
                                         r"2021-01 \.\. 2024-12 \(48 periods\)"):
        preflight(treasury, ReportParameters(survey=TREASURY, period="2030-07"))
    with pytest.raises(InputError, match="2023 is a year of it: give --year 2023"):
        preflight(treasury, ReportParameters(survey=TREASURY, period="2023"))  # a monthly survey: months
    assert ReportParameters(survey=TREASURY, period="07/2023").period == "2023-07"  # as the files write it
    with pytest.raises(InputError, match="not of a form the report knows"):
        preflight(treasury, ReportParameters(survey=TREASURY, period="July 2023"))
    with pytest.raises(InputError, match=r"the year 2030 is not in the survey; its years are 2021, 2022, 2023, "
                                         r"2024; its periods are 2021-01 \.\. 2024-12"):
        preflight(treasury, ReportParameters(survey=TREASURY, year=2030))
    notes = preflight(treasury, ReportParameters(survey=TREASURY, period="2023-07", scope="KBTB"))
    assert "2023-07, scope KBTB: 110 respondents" in notes  # the published month of KBNN Thái Bình


def test_a_scope_without_respondents_in_the_period_is_an_error(province):
    province = replace(province, papi="")  # (the PAPI check is not what this test is about)
    first = province.responses["year"] == 2023
    unit = province.responses.loc[first, "unit_id"].iloc[0]
    without = replace(province, responses=province.responses[~(first & (province.responses["unit_id"] == unit))])
    with pytest.raises(InputError, match=rf"the scope '{unit}' has no respondents in 2023; its periods are "
                                         r"2014, 2015, .*2022\."):
        preflight(without, ReportParameters(scope=unit))
    with pytest.raises(InputError, match="neither 'province', a block nor a unit id"):
        preflight(province, ReportParameters(scope="Sở Không Có"))
    assert preflight(without, ReportParameters(scope=unit), reviewed=False) == [
        n for n in preflight(province, ReportParameters(scope=unit)) if "respondents" not in n]


def test_a_period_the_survey_lacks_fails_before_anything_is_written(tmp_path):
    with pytest.raises(InputError, match="its periods are 2021-01 .. 2024-12"):
        run_report(ReportParameters(survey=TREASURY, period="2025-01"), tmp_path / "reports")
    with pytest.raises(InputError, match="there is no notebook 99_none.ipynb"):
        run_report(ReportParameters(notebooks=["99_none.ipynb"]), tmp_path / "reports")
    assert not (tmp_path / "reports").exists()


def command(*args: str) -> tuple[int, str, str]:
    """``python -m analysis ARGS`` (its exit code, stdout, stderr), in this process."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse refusing the arguments
            code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_the_command_line_names_the_periods_and_exits_with_an_error(tmp_path):
    result = subprocess.run([sys.executable, "-m", "analysis", "report", "--data", TREASURY, "--period", "2030-07",
                             "--out", str(tmp_path / "reports")], capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    assert "2021-01 .. 2024-12 (48 periods)" in result.stderr and "--period" in result.stderr
    assert not (tmp_path / "reports").exists()
    code, _, err = command("validate", "--data", TREASURY, "--period", "2030-07")
    assert code == 1 and "2021-01 .. 2024-12 (48 periods)" in err


def test_validate_runs_the_reports_checks_and_says_what_it_read():
    code, out, err = command("validate", "--data", TREASURY, "--year", "2023-07", "--scope", "KBTB")  # a month
    assert code == 0, err
    assert "14504 respondents" in out and "periods: 2021-01 .. 2024-12 (48 periods)" in out
    assert "2023-07, scope KBTB: 110 respondents" in out and "Ready for 'report' --period 2023-07" in out
    code, out, err = command("validate", "--data", TREASURY, "--scope", "Sở Không Có")
    assert code == 1 and "neither 'province'" in err
    code, out, err = command("validate", "--data", TREASURY, "--year", "2023", "--period", "2023-07")
    assert code == 2 and "not allowed with argument" in err  # one or neither


def test_validate_says_which_total_rows_it_skipped(tmp_path):
    folder = tmp_path / "survey"
    folder.mkdir()
    for name in ("mapping.yaml", "units.csv"):
        (folder / name).write_bytes((RAW / "province_survey" / name).read_bytes())
    mapping = (folder / "mapping.yaml").read_text(encoding="utf-8")
    mapping = "\n".join(line for line in mapping.splitlines()
                        if not line.startswith(("events:", "targets:", "published:", "papi:")))
    (folder / "mapping.yaml").write_text(mapping, encoding="utf-8")
    answers = pd.read_csv(RAW / "province_survey" / "survey.csv", dtype=str, keep_default_na=False,
                          encoding="utf-8-sig").head(399)
    total = pd.DataFrame([["Tổng cộng"] + [""] * (answers.shape[1] - 1)], columns=answers.columns)
    pd.concat([answers, total]).to_csv(folder / "survey.csv", index=False, encoding="utf-8-sig")  # rows 2-401
    code, out, err = command("validate", "--data", str(folder / "mapping.yaml"))
    assert code == 0, err
    assert "1 total row(s) skipped, not respondents: file rows 401" in out


# --------------------------------------------------------------------------- folders and the index


def test_report_folders_keep_surveys_scopes_periods_and_languages_apart(province, treasury):
    folders = {report_folder("out", survey, ReportParameters(survey=path, **request))
               for survey, path in ((province, PROVINCE), (treasury, TREASURY))
               for request in ({}, {"lang": "en"}, {"scope": "UBND cấp huyện"}, {"year": 2022},
                               {"period": "2023-07"})}
    assert len(folders) == 10
    assert report_folder("out", province, ReportParameters()).as_posix() == "out/song_lam/province/2023/vi"
    assert (report_folder("out", treasury, ReportParameters(survey=TREASURY, period="2023-q3", scope="KBTB"))
            .as_posix() == "out/treasury/kbtb/2023-Q3/vi")
    anonymous = replace(province, survey_id="")
    assert survey_folder(anonymous, "data/Sở Nội vụ/mapping.yaml") == "so-noi-vu"
    assert survey_folder(anonymous) == "survey"


def test_the_index_lists_every_report_with_its_surveys_title(tmp_path):
    def report(relative, **about):
        (tmp_path / relative).mkdir(parents=True)
        (tmp_path / relative / "index.html").write_text("report", encoding="utf-8")
        manifest.write({"report": about, "parameters": {"scope": about["scope"], "lang": about["lang"]}},
                       tmp_path / relative / "manifest.json")

    report("song_lam/province/2023/vi", title="Tỉnh Sông Lam", survey_id="song_lam", scope="province",
           period="2023", lang="vi")
    report("song_lam/province/2023/en", title="Tỉnh Sông Lam", survey_id="song_lam", scope="province",
           period="2023", lang="en")
    report("treasury/kbtb/2023-07/vi", title="Kho bạc <5 tỉnh>", survey_id="treasury", scope="KBTB",
           period="2023-07", lang="vi")
    report(".failed/x/y", title="Không được liệt kê", scope="province", period="2023", lang="vi")
    report("song_lam/province/2023/.vi.old-0badf00d", title="Bản cũ", scope="province", period="2023", lang="vi")
    page = write_index(tmp_path).read_text(encoding="utf-8")
    for link in ("song_lam/province/2023/vi/index.html", "song_lam/province/2023/en/index.html",
                 "treasury/kbtb/2023-07/vi/index.html"):
        assert f'href="{link}"' in page, link
    assert page.count("<tr>") == 4  # the header and three reports
    assert "Tỉnh Sông Lam" in page and "Kho bạc &lt;5 tỉnh&gt;" in page and "2023-07" in page
    assert "Không được liệt kê" not in page and "Bản cũ" not in page


def test_failed_runs_are_kept_up_to_a_limit_and_not_removed_as_stale_staging(tmp_path):
    failed = tmp_path / FAILED
    for run in range(12):
        section = tmp_path / f"staging{run}" / "sections" / "04_policy_effects"
        section.mkdir(parents=True)
        (section / "04_policy_effects.ipynb").write_text("{}", encoding="utf-8")
        (section / TRACEBACK).write_text("KeyError: 'term'", encoding="utf-8")
        kept = keep_failed([section, section.with_name("05_fine")], failed, f"20240101T0000{run:02d}-x", kept=10)
        assert (kept / "04_policy_effects.ipynb").exists() and (kept / f"04_policy_effects.{TRACEBACK}").exists()
    assert sorted(p.name for p in failed.iterdir()) == [f"20240101T0000{run:02d}-x" for run in range(2, 12)]
    remove_stale_staging(tmp_path / ".staging")
    remove_stale_staging(failed)  # even pointed at it, nothing there is named like a dead run's staging folder
    assert len(list(failed.iterdir())) == 10


def test_sections_are_named_in_plain_words_from_their_headings():
    names = {name: section_name(NOTEBOOK_DIR / name) for name in ANNUAL_REVIEW}
    assert names["04_policy_effects.ipynb"] == {"vi": "Tác động của chính sách", "en": "Policy effects"}
    assert names["01_data_overview.ipynb"]["en"] == "Data overview"
    assert all(name["vi"] and name["en"] and "·" not in name["vi"] for name in names.values())
    assert section_name(NOTEBOOK_DIR / "99_no_such_notebook.ipynb") == {"vi": "no such notebook",
                                                                         "en": "no such notebook"}


def test_parameters_a_period_sets_the_year_and_empty_paths_mean_the_surveys_own(tmp_path):
    params = ReportParameters(period="2024-r1")
    assert (params.period, params.year, params.reviewed) == ("2024-R1", 2024, "2024-R1")
    given = params.notebook_parameters(tmp_path)
    assert given["period"] == "2024-R1" and given["year"] == 2024
    assert given["published"] == "" and given["papi"] == ""
    assert "period" not in ReportParameters(year=2022).notebook_parameters(tmp_path)  # the notebook's own default
    assert ReportParameters(published="x.csv").notebook_parameters(tmp_path)["published"] == str(
        (tmp_path.cwd() / "x.csv").resolve())


# --------------------------------------------------------------------------- runs of small notebooks


@pytest.mark.slow
def test_two_languages_and_two_surveys_of_one_scope_and_year_do_not_overwrite_each_other(tmp_path, echo_notebooks):
    out = tmp_path / "reports"
    runs = [ReportParameters(lang="vi"), ReportParameters(lang="en"), ReportParameters(survey=TREASURY),
            ReportParameters(survey=TREASURY, period="2023-07")]
    pages = [run_report(replace(params, notebooks=["01_echo.ipynb", "02_no_period.ipynb"]), out,
                        notebook_dir=echo_notebooks, workers=1) for params in runs]
    assert [p.relative_to(out).as_posix() for p in pages] == [
        "song_lam/province/2023/vi/index.html", "song_lam/province/2023/en/index.html",
        "treasury/province/2023/vi/index.html", "treasury/province/2023-07/vi/index.html"]
    assert all(page.exists() for page in pages)  # each run left the others' reports in place
    echoed = [pd.read_csv(page.parent / "tables" / "echo.csv", keep_default_na=False) for page in pages]
    assert [e["lang"].iloc[0] for e in echoed] == ["vi", "en", "vi", "vi"]
    assert [e["period"].iloc[0] for e in echoed] == ["", "", "", "2023-07"]  # the default: none passed
    assert [int(e["year"].iloc[0]) for e in echoed] == [2023] * 4  # the year of the period, too
    assert echoed[0]["published"].iloc[0] == "" and echoed[0]["papi"].iloc[0] == ""  # the survey's own
    record = manifest.read(pages[3].parent / "manifest.json")
    assert record["report"] == {"survey_id": "treasury", "title": load_survey(TREASURY).title, "scope": "province",
                                "period": "2023-07", "lang": "vi"}
    assert record["parameters"]["period"] == "2023-07" and record["skipped_rows"] == []
    assert "data/raw/published_figures.csv" in [i["path"] for i in manifest.read(
        pages[0].parent / "manifest.json")["inputs"]]  # the survey's own published figures are an input
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count("<tr>") == 5
    assert load_survey(PROVINCE).title in index and load_survey(TREASURY).title in index
    no_period = pd.read_csv(pages[3].parent / "tables" / "echo_no_period.csv")
    assert no_period["period"].iloc[0] == "not declared" and no_period["year"].iloc[0] == 2023  # it ran without


@pytest.mark.slow
def test_a_failed_notebook_is_kept_with_its_traceback_and_named_by_its_section(tmp_path, echo_notebooks):
    notebook(echo_notebooks, "04_policy_effects.ipynb", 'survey = ""\noutput_dir = ""',
             "table = {'estimate': 1}\ntable['term']", "# 04 · Policy effects / Tác động của chính sách")
    out = tmp_path / "reports"
    index = run_report(ReportParameters(notebooks=["01_echo.ipynb"]), out, notebook_dir=echo_notebooks)
    before = {p: p.read_bytes() for p in index.parent.rglob("*") if p.is_file()}
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (out / ".staging" / f"{dead.pid}-song_lam-province-2023-vi-0badf00d").mkdir(parents=True)
    with pytest.raises(ReportError) as failure:
        run_report(ReportParameters(notebooks=["01_echo.ipynb", "04_policy_effects.ipynb"]), out,
                   notebook_dir=echo_notebooks, use_cache=False, workers=2)
    message = str(failure.value)
    assert message.startswith("Mục «Tác động của chính sách» (04_policy_effects.ipynb) không chạy được / "
                              "section 'Policy effects' failed: KeyError: 'term'"), message
    kept = Path(message.rsplit("kept in ", 1)[1])
    assert kept.parent == out / FAILED and kept.is_dir()
    assert sorted(p.name for p in kept.iterdir()) == ["04_policy_effects.ipynb", f"04_policy_effects.{TRACEBACK}"]
    traceback = (kept / f"04_policy_effects.{TRACEBACK}").read_text(encoding="utf-8")
    assert "KeyError" in traceback and "table['term']" in traceback and "\x1b[" not in traceback
    executed = nbformat.read(kept / "04_policy_effects.ipynb", as_version=4)
    assert any(o.get("ename") == "KeyError" for c in executed.cells if c.cell_type == "code" for o in c.outputs)
    assert {p: p.read_bytes() for p in index.parent.rglob("*") if p.is_file()} == before  # the report stands
    assert not (out / ".staging").exists()  # the run's staging folder and the dead run's are gone
    again = run_report(ReportParameters(notebooks=["01_echo.ipynb"]), out, notebook_dir=echo_notebooks)
    assert kept.is_dir()  # a later run leaves the failed notebook where it was
    assert [n["cached"] for n in manifest.read(again.parent / "manifest.json")["notebooks"]] == [True]
    assert json.loads((index.parent / "manifest.json").read_text(encoding="utf-8"))["report"]["lang"] == "vi"
