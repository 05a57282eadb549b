"""The executive summary says what the sections say: on the province (in Vietnamese and English), a block
and a unit report, every sentence of the summary appears word for word (numbers included) in a section of
the same report."""

from __future__ import annotations

import json
import re

import nbformat
import pytest

from analysis.pipeline.report import ANNUAL_REVIEW, ReportParameters, run_report

pytestmark = pytest.mark.slow

RUNS = [("province", "vi"), ("UBND cấp huyện", "vi"), ("SNV", "vi"), ("province", "en")]  # scope, language


def markdown_outputs(path) -> list[str]:
    """The Markdown a notebook displayed, output by output."""
    notebook = nbformat.read(path, as_version=4)
    return [output["data"]["text/markdown"] for cell in notebook.cells if cell.cell_type == "code"
            for output in cell.get("outputs", []) if "text/markdown" in output.get("data", {})]


def summary_sentences(path) -> list[str]:
    """The bullets of the executive summary notebook."""
    return [line[2:].strip() for text in markdown_outputs(path) for line in text.splitlines()
            if line.startswith("- ")]


@pytest.fixture(scope="module", params=RUNS, ids=lambda run: "-".join(run))
def report(request, tmp_path_factory):
    sections = [n for n in ANNUAL_REVIEW if n != "01_data_overview.ipynb"]  # the overview has no headline
    scope, lang = request.param
    params = ReportParameters(scope=scope, lang=lang, notebooks=sections)
    return run_report(params, tmp_path_factory.mktemp("summary")).parent


def test_every_summary_sentence_is_a_section_sentence(report):
    sentences = summary_sentences(report / "notebooks" / "00_summary.ipynb")
    assert len(sentences) >= 4, sentences
    sections = "\n".join(text for path in sorted((report / "notebooks").glob("0[2-9]_*.ipynb"))
                         for text in markdown_outputs(path))
    missing = [s for s in sentences if s not in sections]
    assert not missing, missing


def test_the_summary_index_is_the_index_table(report):
    """The index of the year in the summary is the saved table's value, in percent with two decimals."""
    import pandas as pd

    table = pd.read_csv(report / "tables" / "satisfaction_index_by_year.csv").set_index("year")
    if table.loc[2023, "suppressed"]:
        pytest.skip("the year is suppressed in this scope")
    from analysis.reporting.labels import format_share

    lang = json.loads((report / "manifest.json").read_text(encoding="utf-8"))["parameters"]["lang"]
    shown = format_share(table.loc[2023, "estimate"], lang)
    first = summary_sentences(report / "notebooks" / "00_summary.ipynb")[0]
    assert shown in first, (shown, first)
    assert re.search(r"\b2023\b", first)
