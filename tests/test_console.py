"""What a report run prints, and the rerun that finds nothing changed.

The console: one line per section as it finishes (its plain name, its seconds or "from the cache"),
the page/workbook/PDF line, the report's path with the time taken, and nothing from the kernels,
papermill or traitlets, on success or failure.  The rerun: when inputs, parameters, notebooks and code
are as they were, the report folder stands (its files untouched, the manifest says ``reused_from``);
any change makes a new report.  Timings are printed, never asserted (``benchmarks/bench_rerun.py``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from test_pipeline import ECHO, ECHO_PARAMETERS, notebook

from analysis.pipeline import browser, manifest
from analysis.pipeline.report import (
    NOTEBOOK_DIR,
    TRACEBACK,
    ReportError,
    ReportParameters,
    run_report,
    section_name,
)

pytestmark = pytest.mark.slow

NOISE = ["IPKernelApp", "running over TCP", "Unable to parse", "KeyboardInterrupt", "Passed unknown parameter",
         "Traceback"]
SECTIONS = ["06_comments.ipynb", "09_methods.ipynb"]
PARAMETERS = ECHO_PARAMETERS + "\nmin_cell = 10  # a group under min_cell = suppressed (papermill cannot parse it)"


def report(out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", "report", "--out", str(out), *extra],
                          capture_output=True, text=True, cwd=ROOT, env={**os.environ, "MPLBACKEND": "Agg"})


def untouched(folder: Path) -> dict[str, int]:
    """Modification times of a report's files, the manifest aside."""
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*")
            if p.is_file() and p.name != "manifest.json"}


def quiet(text: str) -> None:
    assert not [noise for noise in NOISE if noise in text], text


def test_the_command_line_shows_each_section_and_the_path_and_an_unchanged_rerun_reuses_the_report(tmp_path):
    out = tmp_path / "reports"
    first = report(out, "--notebooks", *SECTIONS)
    assert first.returncode == 0, first.stderr
    quiet(first.stdout + first.stderr)
    index = out / "song_lam" / "province" / "2023" / "vi" / "index.html"
    lines = first.stdout.splitlines()
    assert lines[0].endswith("— 2023, province, vi: 2 sections"), lines
    done = [line for line in lines if re.match(r"  \[\d/2\] ", line)]
    assert [line[:8] for line in done] == ["  [1/2] ", "  [2/2] "]  # as each finished
    for name in SECTIONS:
        plain = section_name(NOTEBOOK_DIR / name)["vi"]
        assert len([line for line in done if re.search(rf"\] {re.escape(plain)} +\d+\.\d s$", line)]) == 1, done
    assert re.fullmatch(r"  page, workbook( and PDF| \(no PDF\)) +\d+\.\d s", lines[-2]), lines
    assert re.fullmatch(rf"Report written: {re.escape(str(index))} \(\d+\.\d s\)", lines[-1]), lines
    hint = "" if browser.chromium() else f"warning: {browser.pdf_hint('vi')}"
    assert first.stderr.strip() == hint  # only what needs the user

    before, made = untouched(index.parent), manifest.read(index.parent / "manifest.json")
    again = report(out, "--notebooks", *SECTIONS)
    assert again.returncode == 0, again.stderr
    quiet(again.stdout + again.stderr)
    lines = again.stdout.splitlines()
    assert lines[0].startswith("Nothing changed since the run of ") and len(lines) == 2, lines
    assert re.fullmatch(rf"Report unchanged: {re.escape(str(index))} \(\d+\.\d s\)", lines[1]), lines
    assert untouched(index.parent) == before  # the folder is the answer: nothing executed or rendered
    record = manifest.read(index.parent / "manifest.json")
    assert record["reused_from"] == made["started"] and [n["cached"] for n in record["notebooks"]] == [True, True]
    assert manifest.compare(made, record) == []

    reordered = report(out, "--notebooks", *reversed(SECTIONS))  # another request: a new report, from the cache
    assert reordered.returncode == 0, reordered.stderr
    quiet(reordered.stdout + reordered.stderr)
    done = [line for line in reordered.stdout.splitlines() if line.startswith("  [")]
    assert [line[:8] for line in done] == ["  [1/2] ", "  [2/2] "]
    assert sorted(line[8:] for line in done) == sorted(f"{section_name(NOTEBOOK_DIR / name)['vi']:<40} from the cache"
                                                       for name in SECTIONS)
    assert reordered.stdout.splitlines()[-1].startswith("Report written: ")
    assert "reused_from" not in manifest.read(index.parent / "manifest.json")


@pytest.fixture
def small(tmp_path):
    """Two small notebooks (a parameters comment papermill cannot parse) and the arguments of run_report."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    notebook(folder, "01_echo.ipynb", PARAMETERS, ECHO, "# 01 · Echo / Lặp lại")
    notebook(folder, "02_again.ipynb", PARAMETERS, ECHO.replace("echo.csv", "again.csv"))
    return {"out_root": tmp_path / "reports", "notebook_dir": folder, "workers": 1}


def test_a_rerun_reuses_the_report_only_when_nothing_changed(small, monkeypatch, capfd):
    params = ReportParameters(notebooks=["01_echo.ipynb", "02_again.ipynb"])
    lines: list[str] = []
    index = run_report(params, **small, progress=lines.append)
    assert [line.split()[:2] for line in lines[1:3]] == [["[1/2]", "Lặp"], ["[2/2]", "again"]]
    quiet("".join(capfd.readouterr()))  # nothing from the kernels or papermill reached the console

    def reused(params: ReportParameters, **options) -> bool:
        lines.clear()
        made = run_report(params, **small, progress=lines.append, **options)
        assert made == index
        return "reused_from" in manifest.read(index.parent / "manifest.json")

    assert reused(params) and lines[0].startswith("Nothing changed") and reused(params)
    assert not reused(ReportParameters(notebooks=params.notebooks, seed=1))  # a parameter no notebook declares
    assert [line.endswith("from the cache") for line in lines[1:3]] == [True, True]  # re-rendered, not executed
    assert reused(ReportParameters(notebooks=params.notebooks, seed=1))
    assert not reused(ReportParameters(notebooks=params.notebooks, seed=1, min_cell=5))  # a declared parameter
    assert [line.endswith("from the cache") for line in lines[1:3]] == [False, False]
    changed = ReportParameters(notebooks=params.notebooks, seed=1, min_cell=5)
    assert not reused(changed, use_cache=False)  # --no-cache executes every notebook
    (index.parent / "tables" / "again.csv").unlink()  # the folder is not as its manifest lists it
    assert not reused(changed) and (index.parent / "tables" / "again.csv").exists()
    notebook(small["notebook_dir"], "02_again.ipynb", PARAMETERS, ECHO.replace("echo.csv", "again.csv") + "\n1")
    assert not reused(changed)  # a notebook edited
    monkeypatch.setattr(manifest, "code_hash", lambda package=None: "other code")
    assert not reused(changed)  # the package's code
    quiet("".join(capfd.readouterr()))


def test_a_failing_notebook_prints_no_kernel_noise_and_keeps_its_traceback(small, capfd):
    notebook(small["notebook_dir"], "03_broken.ipynb", PARAMETERS, "raise ValueError('deliberate')")
    with pytest.raises(ReportError, match=r"03_broken.ipynb\) không chạy được .* ValueError: deliberate"):
        run_report(ReportParameters(notebooks=["01_echo.ipynb", "03_broken.ipynb"]), **small)
    quiet("".join(capfd.readouterr()))
    kept = next((small["out_root"] / ".failed").iterdir())
    assert "ValueError: deliberate" in (kept / f"03_broken.{TRACEBACK}").read_text(encoding="utf-8")
