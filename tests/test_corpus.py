"""The corpus of surveys (:mod:`analysis.synthetic.corpus`) end to end, as a new user runs them (issue 12, item 9).

Each corpus survey is written to a temporary folder, validated and reported once through the README's
commands (``python -m analysis validate`` / ``report``, one run per survey shared by every test here),
and its report is held to what is true of its data: the saved index equals the brute-force truth of the
generator (computed in plain pandas, not through the cube) to 1e-9, the page states it, the form's own
components and codes are the ones compared, no personal value of the input reaches any output file, no
share exceeds 100%, and no figure of the embedded datasets (``data/raw/published_figures.csv``, tỉnh Sông
Lam) appears, nor a PAPI section the mapping did not ask for. One test per property, parametrised over the
surveys.
"""

from __future__ import annotations

import contextlib
import csv
import html
import json
import re
import subprocess
import sys
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from analysis.synthetic import corpus

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
TOLERANCE = 1e-9
SIPAS_NAMES = {"access": {"vi": "Tiếp cận dịch vụ", "en": "Access to the service"},  # the shipped names
               "procedure": {"vi": "Thủ tục hành chính", "en": "Administrative procedures"},
               "staff": {"vi": "Công chức phục vụ", "en": "Civil servants"},
               "result": {"vi": "Kết quả giải quyết", "en": "Results of the service"},
               "feedback": {"vi": "Tiếp nhận, xử lý ý kiến", "en": "Handling of feedback"}}
PERIOD_REVIEWS = [name for name in corpus.NAMES if corpus.DESIGNS[name]().review[0] == "--period"]
# Columns that make a saved row a breakdown (by agency, channel, ...), not the index of the whole survey.
BREAKDOWNS = {"unit_id", "unit_name", "block", "level", "channel", "group", "component", "item", "category",
              "first_level", "second_level", "segment", "measure", "term", "policy"}


# --------------------------------------------------------------------------- one run per survey


@dataclass
class Run:
    survey: corpus.CorpusSurvey
    validate: subprocess.CompletedProcess
    report: subprocess.CompletedProcess
    out: Path

    def pages(self) -> list[Path]:
        """Report pages under the output folder (not the index of reports, not staging or cache folders)."""
        return sorted(p for p in self.out.rglob("index.html") if p.parent != self.out
                      and not any(part.startswith(".") for part in p.relative_to(self.out).parts))

    def page(self) -> Path:
        """The report page of a run that succeeded (fails with the command's last words otherwise)."""
        assert self.report.returncode == 0, f"report exited {self.report.returncode}: {last_words(self.report)}"
        pages = self.pages()
        assert len(pages) == 1, f"expected one report page under {self.out}, found {pages}"
        return pages[0]

    def text(self) -> str:
        return visible_text(self.page())

    def table(self, name: str) -> pd.DataFrame:
        path = self.page().parent / "tables" / name
        assert path.exists(), f"no tables/{name}; saved: {sorted(p.name for p in path.parent.glob('*.csv'))}"
        return pd.read_csv(path, encoding="utf-8-sig")

    def tables(self) -> list[Path]:
        return sorted((self.page().parent / "tables").glob("*.csv"))


def last_words(done: subprocess.CompletedProcess) -> str:
    """The end of what a command said, without the kernels' start-up warnings."""
    lines = [line for line in f"{done.stdout}\n{done.stderr}".splitlines()
             if line.strip() and not line.startswith("[IPKernelApp]")]
    return "\n".join(lines[-8:]) or "(no output)"


def analysis(*args: str) -> subprocess.CompletedProcess:
    """``python -m analysis ...`` from the project root, as the README documents it."""
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=1500)


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> Callable[[str], Run]:
    """``runs(name)``: the corpus survey written, validated and reported, once per survey for the module."""
    done: dict[str, Run] = {}
    root = tmp_path_factory.mktemp("corpus")

    def get(name: str) -> Run:
        if name not in done:
            survey = corpus.write(name, root / name)
            checked = analysis("validate", "--data", str(survey.mapping))
            out = root / f"{name}-reports"
            reported = analysis("report", "--data", str(survey.mapping), *survey.review, "--out", str(out))
            done[name] = Run(survey, checked, reported, out)
        return done[name]

    return get


# --------------------------------------------------------------------------- reading what a report wrote


def visible_text(page: Path) -> str:
    """The words a reader sees on a page (no styles, scripts, tags or embedded images), NFC."""
    raw = page.read_text(encoding="utf-8", errors="replace")
    raw = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", raw, flags=re.S | re.I)
    return unicodedata.normalize("NFC", html.unescape(re.sub(r"<[^>]+>", " ", raw)))


def share_text(share: float, lang: str) -> str:
    """A proportion as the report writes a share: 0.857142 -> '85,71' (vi) or '85.71' (en)."""
    text = f"{100 * share:.2f}"
    return text.replace(".", ",") if lang == "vi" else text


def percents(text: str, lang: str) -> list[float]:
    """Every number written before a % sign, read the report language's way."""
    values = []
    for token in re.findall(r"(\d[\d.,]*)\s*%", text):
        number = token.replace(".", "").replace(",", ".") if lang == "vi" else token.replace(",", "")
        try:
            values.append(float(number))
        except ValueError:
            continue
    return values


def output_texts(out: Path) -> Iterator[tuple[Path, str]]:
    """The text of every file a run wrote (all folders, the cache too; inside workbooks; JSON decoded)."""
    for path in sorted(out.rglob("*")):
        if not path.is_file() or path.suffix.lower() in (".png", ".pdf", ".jpg"):
            continue
        if path.suffix.lower() in (".xlsx", ".zip"):
            with zipfile.ZipFile(path) as book:
                for member in book.namelist():
                    yield path, html.unescape(book.read(member).decode("utf-8", "ignore"))
            continue
        text = path.read_bytes().decode("utf-8", "ignore")
        if path.suffix.lower() in (".json", ".ipynb"):
            with contextlib.suppress(ValueError):
                text = json.dumps(json.loads(text), ensure_ascii=False)
        elif path.suffix.lower() in (".html", ".htm", ".xml", ".svg"):
            text = html.unescape(text)
        yield path, unicodedata.normalize("NFC", text)


def personal_values_in(text: str, personal: dict[str, tuple[str, ...]]) -> set[str]:
    """The personal values of the input found in ``text``: names and e-mails as written, phone and ID
    numbers as whole runs of digits."""
    words = re.findall(r"\w+", text)
    trigrams = {" ".join(words[i:i + 3]) for i in range(len(words) - 2)}
    digits = set(re.findall(r"\d+", text))
    mails = set(re.findall(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+", text))
    found = {n for n in personal["names"] if n in trigrams} | {e for e in personal["emails"] if e in mails}
    return found | {v for kind in ("phones", "ids") for v in personal[kind] if v in digits}


def embedded_figures() -> dict[str, float]:
    """The figures published for the embedded datasets (province review, KBNN): not whole numbers, so a
    coincidence with a real estimate is negligible; as proportions."""
    table = pd.read_csv(ROOT / "data" / "raw" / "published_figures.csv")
    own = table[table["scope"].isin(["province_review", "kbnn", "kbnn_da_nang", "kbnn_thai_binh"])
                & table["unit"].isin(["percent", "points"]) & (table["value"] % 1 != 0)]
    return {f"{r.scope} {r.period} {r.measure}": r.value / 100 for r in own.itertuples()}


def numeric_cells(path: Path) -> Iterator[float]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.reader(handle):
            for cell in row:
                try:
                    yield float(cell)
                except ValueError:
                    continue


def index_tables(run: Run) -> list[tuple[str, pd.DataFrame]]:
    """Saved tables that hold the index of the whole survey by period (a ``period`` and an ``estimate``
    column, no breakdown)."""
    found = []
    for path in run.tables():
        table = pd.read_csv(path, encoding="utf-8-sig", dtype={"period": str, "compared_period": str})
        if {"period", "estimate"} <= set(table.columns) and not BREAKDOWNS & set(table.columns):
            found.append((path.name, table))
    return found


# --------------------------------------------------------------------------- the properties


@pytest.mark.parametrize("name", corpus.NAMES)
def test_validate_accepts_the_survey_and_counts_its_respondents(runs, name):
    run = runs(name)
    assert run.validate.returncode == 0, last_words(run.validate)
    n = run.survey.truth["respondents"]
    written = "|".join(re.escape(f) for f in (f"{n}", f"{n:,}", f"{n:,}".replace(",", ".")))
    assert re.search(rf"(?<![\d.,])({written})(?![\d]|[.,]\d)", run.validate.stdout), run.validate.stdout


@pytest.mark.parametrize("name", corpus.NAMES)
def test_report_completes_with_a_page_in_the_survey_period_and_language_folder(runs, name):
    run = runs(name)
    page = run.page()
    assert (page.parent / "manifest.json").exists()
    parts = page.relative_to(run.out).parts
    truth = run.survey.truth
    assert truth["survey_id"] in parts and run.survey.reviewed in parts and run.survey.lang in parts, parts
    assert corpus.DESIGNS[name]().title in run.text()


@pytest.mark.parametrize("name", corpus.NAMES)
def test_the_index_of_reports_lists_the_report_with_its_survey_title(runs, name):
    run = runs(name)
    run.page()
    listing = run.out / "index.html"
    assert listing.exists(), f"no {listing}"
    assert corpus.DESIGNS[name]().title in visible_text(listing)


@pytest.mark.parametrize("name", corpus.NAMES)
def test_the_saved_index_by_year_is_the_brute_force_truth(runs, name):
    run = runs(name)
    truth = run.survey.truth
    tables = [p for p in run.tables() if p.name.endswith("index_by_year.csv")]
    assert tables, f"no tables/*index_by_year.csv; saved: {[p.name for p in run.tables()]}"
    for path in tables:
        table = pd.read_csv(path, encoding="utf-8-sig").set_index("year")
        assert set(table.index) == set(truth["index_by_year"]), f"{path.name}: years {sorted(table.index)}"
        for year, expected in truth["index_by_year"].items():
            assert abs(table.loc[year, "estimate"] - expected) <= TOLERANCE, (path.name, year,
                                                                               table.loc[year, "estimate"], expected)
            assert table.loc[year, "n"] == truth["index_n_by_year"][year], (path.name, year)


@pytest.mark.parametrize("name", PERIOD_REVIEWS)
def test_the_saved_index_of_the_reviewed_period_is_the_brute_force_truth(runs, name):
    run = runs(name)
    truth, period = run.survey.truth, run.survey.reviewed
    candidates = index_tables(run)
    holding = [(n, t) for n, t in candidates if period in set(t["period"])]
    assert holding, (f"no saved table holds the index of {period} (tables with period and estimate columns: "
                     f"{[n for n, _ in candidates]}; saved: {[p.name for p in run.tables()]})")
    index = truth["index_by_period"]
    for table_name, table in holding:
        for row in table.to_dict("records"):
            assert abs(row["estimate"] - index[row["period"]]) <= TOLERANCE, (table_name, row, index[row["period"]])
            if "compared_period" in row:  # a comparison with another period: its index and the difference too
                other = index[str(row["compared_period"])]
                assert abs(row["compared_estimate"] - other) <= TOLERANCE, (table_name, row, other)
                assert abs(row["difference"] - (index[row["period"]] - other)) <= TOLERANCE, (table_name, row)


@pytest.mark.parametrize("name", corpus.NAMES)
def test_the_page_states_the_index_of_the_reviewed_period(runs, name):
    run = runs(name)
    expected = share_text(run.survey.truth["index_by_period"][run.survey.reviewed], run.survey.lang)
    assert re.search(rf"(?<![\d.,]){re.escape(expected)}\s?%", run.text()), f"{expected}% not on the page"


@pytest.mark.parametrize("name", corpus.NAMES)
def test_the_saved_components_are_the_form_components_at_their_truth(runs, name):
    run = runs(name)
    truth = run.survey.truth
    table = run.table("components.csv")
    year = table[table["year"] == int(run.survey.reviewed[:4])].set_index("component")
    assert sorted(year.index) == sorted(truth["components"])
    for component, expected in truth["components_of_year"].items():
        assert abs(year.loc[component, "estimate"] - expected) <= TOLERANCE, (component, expected)


@pytest.mark.parametrize("name", corpus.NAMES)
def test_the_page_names_the_form_components_and_no_other(runs, name):
    run = runs(name)
    truth, lang, text = run.survey.truth, run.survey.lang, run.text()
    names = {c: SIPAS_NAMES[c] for c in truth["components"] if c in SIPAS_NAMES}
    names.update(truth["component_names"])
    for component, name_of in names.items():
        written = name_of.get(lang) or name_of["vi"]
        assert written in text, f"the component {component!r} is not named on the page ({written!r})"
    for component, shipped in SIPAS_NAMES.items():
        if component not in names or names[component] != shipped:
            assert shipped[lang] not in text, f"the page names {shipped[lang]!r}, which this form does not have"
    if len(truth["components"]) != 5:
        assert not re.search(r"năm thành phần|five components", text, re.I), "the page speaks of five components"


@pytest.mark.parametrize("name", corpus.NAMES)
def test_the_gaps_compare_the_mapping_codes_at_their_truth(runs, name):
    run = runs(name)
    truth = run.survey.truth
    levels, rest = truth["index_by_level_of_year"], truth["index_of_the_rest_of_year"]
    path = run.page().parent / "tables" / "gaps_by_year.csv"
    gaps = pd.read_csv(path, encoding="utf-8-sig") if path.exists() else pd.DataFrame(columns=["year"])
    gaps = gaps[gaps["year"] == int(run.survey.reviewed[:4])]
    for column in ("channel", "group"):
        codes = set(levels[column])
        compared = set(gaps["first_level"]) | set(gaps["second_level"]) if len(gaps) else set()
        if len(codes) > 1:
            assert codes <= compared, f"{column}: the codes {sorted(codes - compared)} are compared with nothing"
    for row in gaps.itertuples():
        column = "channel" if row.first_level in levels["channel"] else "group"
        first = levels[column][row.first_level]
        second = levels[column].get(row.second_level, rest[column].get(row.first_level))
        assert abs(row.first - first) <= TOLERANCE and abs(row.second - second) <= TOLERANCE, row
        assert abs(row.difference - (first - second)) <= TOLERANCE, row


@pytest.mark.parametrize("name", corpus.NAMES)
def test_no_personal_value_of_the_input_reaches_any_output(runs, name):
    run = runs(name)
    run.page()
    control = set().union(*(personal_values_in(text, run.survey.personal)
                            for path, text in output_texts(run.survey.mapping.parent) if path.name != "truth.json"))
    assert len(control) > 100, "the scan finds no personal value even in the input file: it would miss a leak"
    leaks: dict[str, set[str]] = {}
    for path, text in output_texts(run.out):
        found = personal_values_in(text, run.survey.personal)
        if found:
            leaks.setdefault(str(path.relative_to(run.out)), set()).update(found)
    assert not leaks, {where: sorted(values)[:3] for where, values in list(leaks.items())[:5]}


@pytest.mark.parametrize("name", corpus.NAMES)
def test_no_share_above_100_percent_on_the_page(runs, name):
    run = runs(name)
    over = [v for v in percents(run.text(), run.survey.lang) if v > 100 + 1e-9]
    assert not over, f"shares above 100% on the page: {over[:5]}"


@pytest.mark.parametrize("name", corpus.NAMES)
def test_no_figure_of_the_embedded_datasets_appears(runs, name):
    run = runs(name)
    text, lang = run.text(), run.survey.lang
    assert "Sông Lam" not in text
    figures = embedded_figures()
    genuine = set()  # the survey's own numbers, as the page writes them (shares in percent, scores as they are)
    for path in run.tables():
        assert "Sông Lam" not in path.read_text(encoding="utf-8-sig"), path.name
        for value in numeric_cells(path):
            borrowed = [k for k, f in figures.items() if abs(value - f) < 1e-12 or abs(value - 100 * f) < 1e-9]
            assert not borrowed, f"tables/{path.name} holds {value}: the figure {borrowed[0]}"
            genuine.add(share_text(abs(value), lang))
            genuine.add(share_text(abs(value) / 100, lang))  # a mean score or points, written as themselves
    for key, figure in figures.items():
        written = share_text(figure, lang)
        if written not in genuine:
            assert not re.search(rf"(?<![\d.,]){re.escape(written)}(?![\d])", text), f"the page shows {key}"


@pytest.mark.parametrize("name", corpus.NAMES)
def test_no_papi_section_without_a_papi_folder_in_the_mapping(runs, name):
    run = runs(name)
    assert not [p.name for p in run.tables() if "papi" in p.name], "PAPI tables in a survey that names no PAPI folder"
    assert "PAPI" not in run.text()


@pytest.mark.parametrize("name", corpus.NAMES)
def test_the_corpus_survey_is_the_same_bytes_on_every_run(tmp_path, name):
    first, second = corpus.write(name, tmp_path / "1" / name), corpus.write(name, tmp_path / "2" / name)
    assert first.truth == second.truth and first.personal == second.personal
    for path in sorted(first.mapping.parent.iterdir()):
        assert path.read_bytes() == (second.mapping.parent / path.name).read_bytes(), path.name


def test_a_policy_adopted_commune_by_commune_gets_the_staggered_verdict_covering_its_truth(runs):
    run = runs("staggered")
    truth = run.survey.truth["staggered"]
    verdicts = pd.read_csv(next(p for p in run.tables() if p.name.endswith("did_effects.csv")), encoding="utf-8-sig")
    row = verdicts.set_index("policy").loc[truth["policy"]]
    assert row["design"] == "staggered"
    assert row["ci_low"] <= truth["overall"] <= row["ci_high"], (row["ci_low"], truth["overall"], row["ci_high"])
    assert bool(row["effect"])
    cells = pd.read_csv(next(p for p in run.tables() if p.name.endswith("staggered_effects_1.csv")),
                        encoding="utf-8-sig")
    assert sorted(cells["cohort"].unique()) == sorted(int(c) for c in truth["by_cohort"])
    assert "Callaway–Sant'Anna" in visible_text(run.page())
