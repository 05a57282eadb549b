"""Run the annual review: execute the notebooks, render HTML, write the manifest.

A run first checks its request against the survey (:func:`preflight`, the same
checks ``python -m analysis validate`` makes), then works in a staging folder
under the output root and moves it into
``<out_root>/<survey>/<scope>/<period>/<lang>/`` only when every notebook
succeeded, so a failed run leaves the previous report as it was; a failed
notebook and its traceback are kept in ``<out_root>/.failed/<run>/``.  Each
notebook runs into its own section folder, cached under ``<out_root>/.cache`` by
a hash of everything it depends on, so an unchanged notebook is not executed
twice; when nothing at all changed, the report folder stands as it is
(:func:`standing_report`).  Each run writes ``manifest.json`` (:mod:`analysis.pipeline.manifest`);
:func:`check_report` reruns one and lists what changed.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import hashlib
import html
import importlib.util
import json
import os
import re
import shutil
import sys
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pandas as pd  # noqa: F401  (survey_folder's doctest)
import psutil

from analysis.data.privacy import fold
from analysis.data.readers import parse_period
from analysis.data.schema import Survey
from analysis.data.scope import select_scope
from analysis.data.store import write_store
from analysis.errors import InputError
from analysis.paths import DEFAULT_OUT, DEFAULT_SURVEY, NOTEBOOK_DIR, ROOT
from analysis.pipeline import browser, manifest
from analysis.pipeline.privacy_check import RESTRICTED, restricted_folder


def lazy_module(name: str) -> ModuleType:
    """The module ``name``, imported on its first use (:class:`importlib.util.LazyLoader`)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.loader is not None, name
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = sys.modules[name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


if TYPE_CHECKING:
    import nbformat
else:  # its import takes about a second (JSON-schema checks): a rerun that reuses its report needs none of it
    nbformat = lazy_module("nbformat")

# In the report's order: the findings, the agencies' scorecards, then the appendices (data overview, methods)
ANNUAL_REVIEW = ["00_summary.ipynb", "02_satisfaction.ipynb", "10_integrity.ipynb", "03_trend_breaks.ipynb",
                 "04_policy_effects.ipynb", "05_drivers.ipynb", "06_comments.ipynb", "08_scorecards.ipynb",
                 "01_data_overview.ipynb", "09_methods.ipynb"]
KERNEL_NAME = "satisfaction-analysis"
PERIOD_FORM = re.compile(r"\d{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-R[1-9][0-9]?)?")  # 2023, 2023-07, 2023-Q3, 2023-R1
PERIOD_FORMS = "2023 (a year), 2023-07 (a month), 2023-Q3 (a quarter), 2023-R1 (a round)"
FAILED = ".failed"  # under the output root: the notebooks of failed runs, with their tracebacks
FAILED_KEPT = 10  # failed runs kept there, the latest
TRACEBACK = "traceback.txt"


class ReportError(RuntimeError):
    """A report run failed; the message names the section, the error and where the notebook was kept."""


class NotebookFailed(ReportError):
    """A notebook raised while it ran: which notebook, the cell, the error and its traceback (plain text)."""

    def __init__(self, notebook: str, cell: int, error: str, source: str = "", traceback: str = "") -> None:
        super().__init__(notebook, cell, error, source, traceback)  # the arguments: it pickles across processes
        self.notebook, self.cell, self.error, self.source, self.traceback = notebook, cell, error, source, traceback

    @property
    def first_line(self) -> str:
        return self.source.strip().splitlines()[0] if self.source.strip() else ""

    def __str__(self) -> str:
        return f"{self.notebook} failed in cell {self.cell} ({self.error}); the cell starts: {self.first_line!r}"


@dataclass
class ReportParameters:
    """What a report run is given; every notebook receives those it declares (plus its output folder).

    ``period`` (``"2023-07"``, ``"2023-Q3"``, ``"2023-R1"``, ``"2023"``), when given, is the period under
    review and sets ``year`` to its first four digits; empty: the whole ``year``.  ``published`` and
    ``papi`` empty mean the survey's own (its mapping's ``published:`` and ``papi:``).
    """

    survey: str = str(DEFAULT_SURVEY)
    published: str = ""
    papi: str = ""
    year: int = 2023
    period: str = ""
    scope: str = "province"
    lang: str = "vi"
    min_cell: int = 10
    seed: int = 20231231
    notebooks: list[str] = field(default_factory=lambda: list(ANNUAL_REVIEW))

    def __post_init__(self) -> None:
        written = str(self.period).strip()
        read = parse_period(written) if written else None  # "đợt I năm 2023", "7/2023", "quý 3/2023" as the files
        self.period = read[0] if read else written.upper()
        if self.period[:4].isdigit():
            self.year = int(self.period[:4])

    @property
    def reviewed(self) -> str:
        """The period under review, or the year: the report's folder and title."""
        return self.period or str(self.year)

    def notebook_parameters(self, output_dir: Path) -> dict:
        values = asdict(self)
        values.pop("notebooks")
        if not self.period:  # a notebook's own default stands (notebook 07 reviews a month of its own)
            values.pop("period")
        values["survey"] = str(Path(self.survey).resolve())
        values["published"] = str(Path(self.published).resolve()) if self.published else ""
        values["papi"] = str(Path(self.papi).resolve()) if self.papi else ""
        values["output_dir"] = str(output_dir)
        return values


# --------------------------------------------------------------------------- the run


def slug(text: str) -> str:
    """A folder name for a scope: ``"UBND cấp huyện"`` -> ``"ubnd-cap-huyen"``."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "scope"


def survey_folder(survey: Survey, mapping: str | Path = "") -> str:
    """A folder name for a survey: its id (the mapping's ``id``, else its folder's name), else ``"survey"``.

    >>> survey_folder(Survey(responses=pd.DataFrame(), units=pd.DataFrame(), survey_id="province_survey"))
    'province_survey'
    >>> survey_folder(Survey(responses=pd.DataFrame(), units=pd.DataFrame()), "data/Kho bạc Đà Nẵng/mapping.yaml")
    'kho-bac-da-nang'
    """
    name = survey.survey_id or (Path(mapping).parent.name if str(mapping) else "")
    return re.sub(r"[^a-z0-9_]+", "-", fold(name)).strip("-_") or "survey"


def report_folder(out_root: str | Path, survey: Survey, params: ReportParameters) -> Path:
    """``<out_root>/<survey>/<scope>/<period or year>/<lang>``: one folder per survey, scope, period, language."""
    return Path(out_root) / survey_folder(survey, params.survey) / slug(params.scope) / params.reviewed / params.lang


def notebook_cells(notebook: Path) -> list[dict]:
    """A notebook's cells as saved (its JSON), each ``source`` one string; read without nbformat (slow to import)."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    return [{**cell, "source": "".join(cell.get("source", ""))} for cell in cells]


def section_name(notebook: Path) -> dict[str, str]:
    """The section a notebook makes, in plain words (``{"vi": ..., "en": ...}``), from its first heading.

    The notebooks' headings read ``# 04 · Policy effects / Tác động của chính sách``; a notebook without
    a heading is named by its file (``04_policy_effects`` -> ``policy effects``).
    """
    try:
        cells = notebook_cells(notebook)
    except (OSError, ValueError):
        cells = []
    for cell in cells:
        if cell["cell_type"] != "markdown":
            continue
        heading = next((line for line in cell["source"].splitlines() if line.startswith("#")), None)
        if heading:
            words = re.sub(r"^\d+\s*[·.:\-–]\s*", "", heading.lstrip("#").strip())
            english, _, vietnamese = words.partition(" / ")
            return {"vi": (vietnamese or english).strip(), "en": english.strip()}
    words = re.sub(r"^\d+_", "", notebook.stem).replace("_", " ")
    return {"vi": words, "en": words}


def ensure_kernel() -> str:
    """Install this interpreter's Jupyter kernel into its own prefix, once; return its name.

    A named kernel inside the virtual environment cannot be shadowed by a
    user-wide ``python3`` kernel pointing at another interpreter.
    """
    from ipykernel.kernelspec import install
    from jupyter_client.kernelspec import KernelSpecManager

    spec_dir = Path(sys.prefix) / "share" / "jupyter" / "kernels" / KERNEL_NAME
    specs = KernelSpecManager().find_kernel_specs()
    if specs.get(KERNEL_NAME) != str(spec_dir) or not (spec_dir / "kernel.json").exists():
        install(kernel_name=KERNEL_NAME, display_name="Python (satisfaction-analysis)", prefix=sys.prefix)
    return KERNEL_NAME


def declared_parameters(notebook: Path) -> set[str]:
    """Names assigned in the notebook's cell tagged ``parameters``."""
    for cell in notebook_cells(notebook):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            tree = ast.parse(cell["source"])
            return {target.id for node in tree.body if isinstance(node, ast.Assign)
                    for target in node.targets if isinstance(target, ast.Name)}
    return set()


KERNEL_STARTS = 3  # a kernel may die before it replies (over TCP, kernels started together raced for a port)
COLOURS = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")  # terminal colours in tracebacks


@cache
def quiet_kernel() -> type:
    """The kernel manager of a run: IPC sockets, and what the kernel process itself prints in a file.

    Over TCP ipykernel warns that its traffic is not encrypted, and kernels started together can race for
    a port; over IPC (socket files in the kernel's working folder, the section's) neither happens.  The
    kernel's own stderr (start-up notes; "KeyboardInterrupt caught in kernel" when jupyter_client interrupts
    it at shutdown) goes to ``log_file``, not to the console; a notebook's output stays in the notebook.
    """
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import Unicode, default

    class QuietKernel(AsyncKernelManager):
        log_file = Unicode(os.devnull, config=True, help="where the kernel's stderr goes")

        @default("transport")
        def _ipc(self) -> str:
            return "tcp" if os.name == "nt" else "ipc"

        async def start_kernel(self, **kwargs):
            with open(self.log_file, "a", encoding="utf-8") as log:  # the kernel keeps its own copy
                return await super().start_kernel(stderr=log, **kwargs)

    return QuietKernel


def execute(notebook: Path, target: Path, parameters: dict, kernel: str) -> float:
    """Execute one notebook with papermill in this process's kept kernel (:mod:`analysis.pipeline.kernels`);
    return seconds taken; raise ReportError naming the cell.

    Nothing reaches the console (:func:`quiet_kernel`; papermill's notes, such as a parameters comment
    it cannot parse, are silenced); when the notebook fails or its kernel dies, the kernel's own messages
    are added to the error, and the kernel is not used again.
    """
    import logging

    import papermill
    from papermill.exceptions import PapermillExecutionError

    from analysis.pipeline import kernels

    logging.getLogger("papermill").setLevel(logging.ERROR)
    start = time.perf_counter()
    for attempt in range(KERNEL_STARTS):
        warm = None
        try:
            warm = kernels.warm(kernel, quiet_kernel())
            warm.prepare(notebook.parent)  # as in JupyterLab: its relative defaults read from there
            papermill.execute_notebook(str(notebook), str(target), parameters=parameters, kernel_name=kernel,
                                       engine_name=kernels.ENGINE, progress_bar=False, log_output=False,
                                       km=warm.km, kc=warm.kc)
            break
        except PapermillExecutionError as exc:
            assert warm is not None  # papermill ran: its kernel had started
            # papermill inserts one parameters cell before the failing one: count cells as the author sees them
            traceback = COLOURS.sub("", "\n".join(exc.traceback or [])) + kernel_log(warm.log)
            warm.shutdown()
            raise NotebookFailed(notebook.name, exc.cell_index, f"{exc.ename}: {exc.evalue}", exc.source or "",
                                 traceback) from None
        except RuntimeError as exc:
            said = kernel_log(warm.log) if warm is not None else ""
            if warm is not None:
                warm.shutdown()
            if "Kernel died before replying" in str(exc) and attempt + 1 < KERNEL_STARTS:
                continue  # a kernel that died at start: start another
            if "kernel" not in str(exc).lower():
                raise
            raise ReportError(f"{notebook.name}: {exc}{said or ' (the kernel printed nothing)'}") from None
    if warm is not None and not kernels.keeping():
        warm.shutdown()
    return time.perf_counter() - start


def kernel_log(log: Path, lines: int = 40) -> str:
    """The last ``lines`` of what a kernel printed, as a paragraph to add to an error; empty if nothing."""
    text = COLOURS.sub("", log.read_text(encoding="utf-8", errors="replace")).strip() if log.exists() else ""
    return "\n\nThe kernel's messages:\n" + "\n".join(text.splitlines()[-lines:]) if text else ""


def merged_report(executed: list[nbformat.NotebookNode], title: str, only: str = "") -> nbformat.NotebookNode:
    """One notebook of all sections (the executed notebooks, as read; left as they are), without parameter
    cells, cells tagged ``notebook-only``, or stderr; with ``only``, just the cells tagged so (``brief``:
    the one-page brief of notebook 00)."""
    report = nbformat.v4.new_notebook()
    report.metadata["title"] = title
    for notebook in executed:
        for cell in notebook.cells:
            tags = set(cell.get("metadata", {}).get("tags", []))
            if tags & {"parameters", "injected-parameters", "notebook-only"} or (only and only not in tags):
                continue
            cell = copy.deepcopy(cell)
            if cell.cell_type == "code":
                cell.outputs = [o for o in cell.outputs if o.get("name") != "stderr"]
                cell.metadata = {}
            report.cells.append(cell)
    return report


def render_html(notebook: nbformat.NotebookNode, target: Path, lang: str = "vi") -> None:
    """HTML without code, figures embedded, its ``lang`` attribute the report's language; each figure's alt
    text (and hover title) is the one its output carries (:meth:`analysis.reporting.outputs.Outputs.figure`:
    the figure's title), else the heading above it; then made a document (:func:`analysis.pipeline.document.arrange`:
    numbers, captions, contents, links, print style)."""
    from bs4 import BeautifulSoup
    from nbconvert import HTMLExporter

    from analysis.pipeline import document

    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                            language_code=lang)
    body, _ = exporter.from_notebook_node(notebook)
    alts = {"".join(str(output["data"]["image/png"]).split()): output["metadata"]["image/png"]["alt"]
            for cell in notebook.cells if cell.cell_type == "code" for output in cell.get("outputs", [])
            if output.get("metadata", {}).get("image/png", {}).get("alt") and "image/png" in output.get("data", {})}
    page = BeautifulSoup(body, "html.parser")
    for image in page.find_all("img"):
        heading = image.find_previous(["h1", "h2", "h3", "h4"])
        above = heading.get_text(" ", strip=True).rstrip("¶").strip() if heading else ""
        image["alt"] = image["title"] = alts.get("".join(str(image.get("src", "")).split())
                                                 .removeprefix("data:image/png;base64,")) or above
    document.arrange(page, target.parent, lang)  # numbered, captioned, with its contents and print style
    target.write_text(str(page), encoding="utf-8")


def code_state() -> dict:
    """The hash of the package's files and the versions of the packages it uses: part of every key."""
    return {"code": manifest.code_hash(), "versions": manifest.package_versions()}


def cache_key(notebook: Path, parameters: dict, inputs: list[dict], code: dict | None = None) -> str:
    """Hash of what a notebook's results depend on: its source, parameters, inputs, code and versions
    (``code``: :func:`code_state`, found when not given)."""
    payload = {"notebook": manifest.sha256(notebook), "parameters": parameters, "inputs": inputs,
               **(code or code_state())}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:32]


def section_key(notebook: Path, parameters: dict, inputs: list[dict], code: dict | None = None) -> str:
    """The cache key of a section: :func:`cache_key` of the parameters the notebook declares (its output
    folder aside)."""
    declared = declared_parameters(notebook) - {"output_dir"}
    return cache_key(notebook, {k: v for k, v in parameters.items() if k in declared}, inputs, code)


def run_section(notebook: Path, section: Path, parameters: dict, inputs: list[dict], cache: Path | None,
                kernel: str, store: str = "") -> tuple[float, bool]:
    """Execute one notebook into ``section`` (or copy it from the cache); return seconds and whether cached.

    ``store``: the run's survey store (:mod:`analysis.data.store`), given to the notebook as its ``survey``
    in place of the mapping; the cache key names the mapping (the store is its inputs, read and checked)."""
    declared = declared_parameters(notebook)
    parameters = {k: v for k, v in parameters.items() if k in declared}  # each notebook gets what it declares
    key = section_key(notebook, parameters, inputs)
    hit = cache / key if cache is not None else None
    if hit is not None and hit.exists():
        shutil.copytree(hit, section)
        return 0.0, True
    section.mkdir(parents=True)
    try:
        given = {**parameters, "output_dir": str(section)}
        if store and "survey" in declared:
            given["survey"] = store
        seconds = execute(notebook, section / notebook.name, given, kernel)
        if given.get("survey") != parameters.get("survey"):
            name_the_mapping(section / notebook.name, store, parameters["survey"])
    except NotebookFailed as failure:  # beside the executed notebook papermill saved: kept by run_report
        (section / TRACEBACK).write_text(f"{notebook.name}, cell {failure.cell}: {failure.error}\n\n"
                                         f"The cell:\n{failure.source}\n\n{failure.traceback}\n", encoding="utf-8")
        raise
    if hit is not None:
        partial = hit.with_name(f".{key}-{uuid.uuid4().hex[:8]}")
        shutil.copytree(section, partial)
        try:
            partial.rename(hit)
        except OSError:  # a parallel run cached the same section first
            shutil.rmtree(partial)
    return seconds, False


def name_the_mapping(executed: Path, store: str, mapping: str) -> None:
    """Write the survey's mapping where the executed notebook's parameters name the run's store (removed
    with the run), so the kept notebook says which survey it read."""
    notebook = nbformat.read(executed, as_version=4)
    recorded = notebook.metadata.get("papermill", {}).get("parameters", {})
    if recorded.get("survey") == store:
        recorded["survey"] = mapping
    for cell in notebook.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell.source = cell.source.replace(store, mapping)
    nbformat.write(notebook, executed)


def run_sections(jobs: list[tuple], workers: int | None,
                 done: Callable[[int, float, bool], None] | None = None) -> list[tuple[float, bool]]:
    """:func:`run_section` of each job, in ``workers`` processes (default: one per core) or, for one, here;
    ``done(job number, seconds, cached)`` as each finishes.

    Processes, not threads: papermill changes the process's working directory while a notebook runs.
    Each process keeps one kernel for its notebooks (:mod:`analysis.pipeline.kernels`).
    """
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from analysis.pipeline import kernels

    finished = done or (lambda number, seconds, cached: None)
    workers = min(workers or os.cpu_count() or 1, len(jobs))
    if workers <= 1:
        results = []
        with kernels.kept():  # stopped at the end: this process may run more reports
            for number, job in enumerate(jobs):
                results.append(run_section(*job))
                finished(number, *results[-1])
        return results
    with ProcessPoolExecutor(max_workers=workers, initializer=kernels.keep_for_this_process) as pool:
        futures = {pool.submit(run_section, *job): number for number, job in enumerate(jobs)}
        try:
            for future in as_completed(futures):
                finished(futures[future], *future.result())
        except BaseException:
            pool.shutdown(cancel_futures=True)  # a section failed: start no other
            raise
        return [future.result() for future in futures]


def collect(sections: list[Path], staging: Path) -> list[Path]:
    """Move each section's tables, figures and executed notebook into the report folder, and its restricted
    files into ``restricted/`` of it, which :func:`keep_restricted` moves out before the folder is published."""
    executed = []
    for section in sections:
        for kind in ("tables", "figures", RESTRICTED):  # restricted: for the survey's owner, never published
            if kind != RESTRICTED or (section / kind).is_dir():
                (staging / kind).mkdir(exist_ok=True)
            for path in sorted((section / kind).glob("*")):
                path.replace(staging / kind / path.name)
        notebook = next(section.glob("*.ipynb"))
        executed.append(notebook.replace(staging / "notebooks" / notebook.name))
    return executed


# --------------------------------------------------------------------------- preflight


def describe_periods(periods, limit: int = 12) -> str:
    """Periods as a reader takes them in: all of a short list, else the first, the last and how many.

    >>> describe_periods(["2021-01", "2021-02", "2021-03"])
    '2021-01, 2021-02, 2021-03'
    >>> describe_periods([f"2021-{m:02d}" for m in range(1, 13)] + ["2022-01"])
    '2021-01 .. 2022-01 (13 periods)'
    """
    periods = sorted(str(p) for p in periods)
    if len(periods) <= limit:
        return ", ".join(periods)
    return f"{periods[0]} .. {periods[-1]} ({len(periods)} periods)"


def preflight(survey: Survey, params: ReportParameters, *, reviewed: bool = True, scoped: bool = True) -> list[str]:
    """Check a report request against the survey before anything is written; return what it found.

    The checks ``report`` runs first and ``validate`` runs too, so a survey that validates with the
    same ``--year``/``--period``/``--scope`` passes the report's: the published figures and PAPI
    folder it names can be read; the period (``params.period``) or year is one the survey holds;
    the scope is ``province``, a block or a unit id; and the scope has respondents in that period.
    ``reviewed=False`` leaves out what depends on the period, ``scoped=False`` what depends on the scope.
    Raises :class:`~analysis.errors.InputError` naming what is wrong and what to give instead.
    """
    from analysis.data.load import load_published_figures
    from analysis.data.papi import load_papi

    notes = []
    if params.published:
        figures = load_published_figures(params.published)
        notes.append(f"published figures: {len(figures)} rows from {params.published}")
    elif not survey.published.empty:
        notes.append(f"published figures: {len(survey.published)} rows, the survey's own")
    papi = params.papi or survey.papi
    if papi:
        if not Path(papi).is_dir():
            raise InputError(papi, "the PAPI folder does not exist",
                             fix="give the folder that holds the files YYYY.csv and the codebooks, or leave it out")
        notes.append(f"PAPI panel: {load_papi(papi)['unit_id'].nunique()} provinces from {papi}")
    periods = survey.periods()
    years = sorted(int(y) for y in survey.respondents()["year"].unique())
    year_list = ", ".join(map(str, years))
    more = "" if periods == [str(y) for y in years] else f"; its periods are {describe_periods(periods)}"
    if reviewed and params.period:
        if not PERIOD_FORM.fullmatch(params.period):
            raise InputError(params.survey, f"the period {params.period!r} is not of a form the report knows",
                             fix=f"give --period as {PERIOD_FORMS}; this survey's periods are "
                                 f"{describe_periods(periods)}")
        if params.period not in periods:
            whole_year = (f"; for the whole year {params.period[:4]} give --year {params.period[:4]}"
                          if params.period[:4] in map(str, years) and params.period != params.period[:4] else "")
            whole_year = (f"; {params.period} is a year of it: give --year {params.period}"
                          if params.period in map(str, years) else whole_year)
            raise InputError(params.survey, f"the period {params.period} is not in the survey; its periods are "
                             f"{describe_periods(periods)}", fix=f"choose one of them with --period{whole_year}")
    elif reviewed and params.year not in years:
        raise InputError(params.survey, f"the year {params.year} is not in the survey; its years are "
                         f"{year_list}{more}", fix="choose one of them with --year (or a period with --period)")
    if scoped:
        try:
            data = select_scope(survey, params.scope)
        except ValueError as exc:
            raise InputError(params.survey, str(exc), fix="give --scope province, a block name or a unit id") from None
        if reviewed:
            forms = data.respondents()
            chosen = (forms["period"] == params.period) if params.period else (forms["year"] == params.year)
            if not chosen.any():
                held = describe_periods(data.periods()) if len(forms) else "none"
                raise InputError(params.survey, f"the scope {params.scope!r} has no respondents in "
                                 f"{params.reviewed}; its periods are {held}",
                                 fix="choose one of them, or a wider scope with --scope")
            notes.append(f"{params.reviewed}, scope {params.scope}: "
                         f"{int(chosen.sum())} "
                         f"respondents")
    return notes


# --------------------------------------------------------------------------- the run


def unique(paths: list[str]) -> list[str | Path]:
    """``paths`` without repeats (the same file named twice), in their order."""
    seen: dict[Path, str | Path] = {}
    for path in paths:
        seen.setdefault(Path(path).resolve(), path)
    return list(seen.values())


def request_files(survey: Survey, params: ReportParameters) -> list[str | Path]:
    """The files and folders a report reads: the survey's, the published figures, the PAPI folder."""
    papi = params.papi or survey.papi
    return unique([*survey.inputs, *([params.published] if params.published else []), *([papi] if papi else [])])


def recorded_parameters(params: ReportParameters) -> dict:
    """The parameters as the manifest records them: paths inside the project relative to it."""
    return {**asdict(params), "survey": manifest.relative(params.survey),
            "published": manifest.relative(params.published) if params.published else "",
            "papi": manifest.relative(params.papi) if params.papi else ""}


def report_key(params: ReportParameters, notebook_dir: str | Path, inputs: list[dict]) -> str:
    """Hash of what a whole report depends on: each section's cache key (:func:`section_key`: notebook,
    parameters, inputs, code, versions), the request, and whether Chromium can print the PDF."""
    code = code_state()
    sections = [section_key(Path(notebook_dir) / name, params.notebook_parameters(Path()), inputs, code)
                for name in params.notebooks]
    payload = {"sections": sections, "parameters": recorded_parameters(params), "pdf": browser.chromium() is not None}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:32]


def standing_report(out_root: Path, params: ReportParameters, notebook_dir: str | Path) -> tuple[Path, dict] | None:
    """The folder and manifest of a report made for this very request from the same inputs, notebooks,
    code and versions (:func:`report_key`), its files as the manifest lists them; else None.

    Found without loading the survey: by the parameters its manifest records (the survey's folder name
    needs the survey), its inputs hashed again from the files and folders it names (``requested``: a
    folder's files as they are now).
    """
    for path in sorted(out_root.glob(f"*/{slug(params.scope)}/{params.reviewed}/{params.lang}/manifest.json")):
        try:
            record = manifest.read(path)
            if record.get("parameters") != recorded_parameters(params) or "requested" not in record:
                continue
            inputs = manifest.file_hashes([ROOT / name for name in record["requested"]])
        except (OSError, ValueError):  # a file gone: not this report
            continue
        if unchanged_report(path.parent, report_key(params, notebook_dir, inputs)):
            return path.parent, record
    return None


def unchanged_report(folder: Path, key: str) -> dict | None:
    """The manifest of the report in ``folder`` when it was made under ``key`` and every file it lists is
    there with its hash (the PDF when it says one was made); else None."""
    try:
        record = manifest.read(folder / "manifest.json")
    except (OSError, ValueError):
        return None
    files = [(folder / output["path"], output["sha256"]) for output in record.get("outputs", [])]
    if record.get("report_key") != key or not files or (record.get("pdf") == "report.pdf"
                                                         and not (folder / "report.pdf").is_file()):
        return None
    return record if all(path.is_file() and manifest.sha256(path) == sha for path, sha in files) else None


def reuse_report(folder: Path, previous: dict, started: datetime, seconds: float) -> None:
    """Record in ``folder``'s manifest that this run took the report as it stood: every section as from the
    cache, ``reused_from`` the start of the run that made the files, the environment of this run."""
    record = {**previous, "notebooks": [{**n, "seconds": 0.0, "cached": True} for n in previous["notebooks"]],
              **manifest.environment(), "reused_from": previous.get("reused_from", previous["started"]),
              "started": started.isoformat(timespec="seconds"), "seconds": round(seconds, 3)}
    partial = folder / f".manifest-{uuid.uuid4().hex[:8]}.json"
    manifest.write(record, partial)
    partial.replace(folder / "manifest.json")


ENGINE_CHOICES = ("auto", "numpy", "duckdb", "dask")  # "auto" and analysis.cube.engines.ENGINES (a test checks)


@dataclass(frozen=True)
class Reduction:
    """How a run reduces the survey to its cube (:mod:`analysis.cube.engines`).

    ``engine``: ``numpy`` (in memory), ``duckdb`` (out of core, within ``memory_limit``, e.g. ``"2GB"``;
    default :data:`analysis.cube.engines.MEMORY_LIMIT`), ``dask`` (this machine's threads, or the cluster
    whose scheduler is at ``scheduler``, e.g. ``tcp://10.0.0.5:8786``: its workers must see this run's
    staging folder at the same path) or ``auto``: numpy, since the run has the survey in memory once it has
    read and checked it (1 million forms: 1.3 s in memory, 25 s through parquet and DuckDB).  The engine
    reduces the survey up to the period reviewed (the cube of the province, which every section and the summary
    read); a block, agency or year cut of it is reduced in memory from its forms (the manifest says so).
    The tables are the same whichever reduces (``tests/test_report_runs.py``), so the engine is not part of
    the report's key: a report made by one stands for another.
    """

    engine: str = "auto"
    memory_limit: str | None = None
    scheduler: str | None = None

    def used(self) -> str:
        """The engine the run's survey is reduced by."""
        return "numpy" if self.engine == "auto" else self.engine

    def reduce(self, survey: Survey, folder: Path) -> Survey:
        """The survey as the run's notebooks read it (:meth:`Survey.reduced`), its cube built by :meth:`used`
        (other than numpy: from the long answers written to ``folder`` as parquet, removed afterwards)."""
        engine = self.used()
        if engine == "numpy":
            return survey.reduced()
        from analysis.cube.engines import MEMORY_LIMIT, cube_from_parquet, write_parquet

        answers = write_parquet(survey, folder / "answers.parquet")
        try:
            with _scheduler(self.scheduler if engine == "dask" else None):
                cube = cube_from_parquet(answers, engine=engine, units=survey.units,
                                         population=survey.population if len(survey.population) else None,
                                         components=survey.components, index_form=survey.index_form,
                                         memory_limit=self.memory_limit or MEMORY_LIMIT)
        finally:
            answers.unlink(missing_ok=True)
        return survey.with_cube(cube).reduced()


def _scheduler(address: str | None):
    """A client of the Dask cluster at ``address`` (Dask computes on it while open), or nothing to open."""
    if not address:
        return contextlib.nullcontext()
    from distributed import Client

    return Client(address)


def run_report(params: ReportParameters, out_root: str | Path = DEFAULT_OUT,
               notebook_dir: str | Path = NOTEBOOK_DIR, use_cache: bool = True, workers: int | None = None,
               progress: Callable[[str], None] | None = None, reduction: Reduction = Reduction()) -> Path:
    """Run the annual (or period) review for one survey, scope, period and language; return its ``index.html``.

    The report goes to ``<out_root>/<survey>/<scope>/<period or year>/<lang>/`` (:func:`report_folder`).
    Inputs are loaded and checked first, in this process (:func:`preflight`), so a bad file or a
    period the survey lacks fails at once with its :class:`~analysis.errors.InputError`.  A notebook
    whose source, parameters, inputs, code and package versions are unchanged is not executed again:
    its results come from ``<out_root>/.cache``; when that holds for every section and the report
    folder is as its manifest lists it (:func:`report_key`), the report stands: nothing is executed or
    rendered, the manifest says so (``reused_from``).  ``use_cache=False`` executes every notebook.
    The notebooks run side by side in ``workers`` processes (default: one per core); each writes
    only its own section, so the results do not depend on the order.  A notebook that fails is kept,
    executed up to its error, with its traceback in ``<out_root>/.failed/<run>/``; the
    :class:`ReportError` names its section.  ``progress`` is given a line as each section finishes
    (its plain name, its seconds or "from the cache") and when the page, workbook and PDF are made.
    ``reduction`` says which engine builds the cube (:class:`Reduction`); the manifest names it.
    """
    from analysis.data.load import load_survey
    from analysis.sections.period import up_to

    started = datetime.now(UTC)
    clock = time.perf_counter()
    say = progress or (lambda line: None)
    missing = [name for name in params.notebooks if not (Path(notebook_dir) / name).is_file()]
    if missing:
        present = sorted(p.name for p in Path(notebook_dir).glob("*.ipynb"))
        raise InputError(notebook_dir, f"there is no notebook {', '.join(missing)}",
                         fix=f"name notebooks of the folder: {', '.join(present) or 'it has none'}")
    out_root = Path(out_root)
    count = f"{len(params.notebooks)} section{'s' if len(params.notebooks) != 1 else ''}"
    standing = standing_report(out_root, params, notebook_dir) if use_cache else None
    if standing is not None:  # made from these very inputs: it passed the preflight, no need to load them
        folder, previous = standing
        reuse_report(folder, previous, started, time.perf_counter() - clock)
        remove_stale_staging(out_root / ".staging")
        write_index(out_root)
        made = datetime.fromisoformat(previous.get("reused_from", previous["started"])).astimezone()
        say(f"Nothing changed since the run of {made:%Y-%m-%d %H:%M}: its {count} and files stand")
        return folder / "index.html"
    from analysis.pipeline.workbook import write_workbook  # slow to import: not needed by a report that stands

    survey = load_survey(params.survey)
    preflight(survey, params)
    requested = request_files(survey, params)
    inputs = manifest.file_hashes(requested)
    final = report_folder(out_root, survey, params)
    key = report_key(params, notebook_dir, inputs)

    names = [section_name(Path(notebook_dir) / name) for name in params.notebooks]
    say(f"{survey.title or survey_folder(survey, params.survey)} — {params.reviewed}, {params.scope}, "
        f"{params.lang}: {count}")
    finished: list[int] = []

    def section_done(number: int, seconds: float, cached: bool) -> None:
        finished.append(number)
        name = names[number].get(params.lang) or names[number]["en"]
        say(f"  [{len(finished)}/{len(names)}] {name:<40} {'from the cache' if cached else f'{seconds:5.1f} s'}")

    run_name = f"{survey_folder(survey, params.survey)}-{slug(params.scope)}-{params.reviewed}-{params.lang}"
    remove_stale_staging(out_root / ".staging")
    staging = out_root / ".staging" / f"{os.getpid()}-{run_name}-{uuid.uuid4().hex[:8]}"
    (staging / "notebooks").mkdir(parents=True)
    cache = out_root / ".cache" if use_cache else None
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
    try:
        kernel = ensure_kernel()
        sections = [staging / "sections" / Path(name).stem for name in params.notebooks]
        engine = reduction.used()
        # what the notebooks read, not the files: the survey up to the period reviewed, its cube by the engine
        store = str(write_store(reduction.reduce(up_to(survey, params.reviewed), staging), staging).resolve())
        try:
            results = run_sections([(Path(notebook_dir) / name, section, params.notebook_parameters(section),
                                     inputs, cache, kernel, store)
                                    for name, section in zip(params.notebooks, sections, strict=True)], workers,
                                   section_done)
        except NotebookFailed as failure:
            run = f"{started:%Y%m%dT%H%M%S}-{run_name}-{uuid.uuid4().hex[:4]}"
            kept = keep_failed(sections, out_root / FAILED, run)
            name = section_name(Path(notebook_dir) / failure.notebook)
            raise ReportError(f"Mục «{name['vi']}» ({failure.notebook}) không chạy được / section '{name['en']}' "
                              f"failed: {failure.error} (cell {failure.cell}, which starts {failure.first_line!r}) "
                              f"— notebook and traceback kept in {kept}") from None
        timings = {name: {"seconds": round(seconds, 3), "cached": cached}
                   for name, (seconds, cached) in zip(params.notebooks, results, strict=True)}
        rendering = time.perf_counter()
        executed = collect(sections, staging)
        shutil.rmtree(staging / "sections")
        Path(store).unlink()
        notebooks = [nbformat.read(path, as_version=4) for path in executed]  # read once, for all three
        title = f"{survey.title} — {params.reviewed}"
        render_html(merged_report(notebooks, title), staging / "index.html", params.lang)
        with ThreadPoolExecutor(max_workers=1) as printer:  # Chromium prints the page while the rest is made
            printed = printer.submit(browser.print_pdf, staging / "index.html", staging / "report.pdf")
            write_workbook(staging / "tables", staging / "tables.xlsx", merged_report(notebooks, title),
                           params.lang)
            brief = merged_report(notebooks, title, only="brief")
            if brief.cells:  # the one-page brief alone, for the director: HTML and PDF
                render_html(brief, staging / "brief.html", params.lang)
                browser.print_pdf(staging / "brief.html", staging / "brief.pdf")
            pdf = printed.result()
        rendered = "page, workbook and PDF" if pdf else "page and workbook (no PDF)"
        say(f"  {rendered:<46} {time.perf_counter() - rendering:5.1f} s")
        record = {
            "report": {"survey_id": survey_folder(survey, params.survey), "title": survey.title,
                       "scope": params.scope, "period": params.reviewed, "lang": params.lang},
            "parameters": recorded_parameters(params),
            "report_key": key,
            "requested": [manifest.relative(name) for name in requested],
            "inputs": inputs,
            "skipped_rows": [int(row) for row in survey.skipped_rows],
            "notebooks": [{"name": n, "sha256": manifest.sha256(Path(notebook_dir) / n), **timings[n]}
                          for n in params.notebooks],
            "outputs": [{"path": str(p.relative_to(staging)), "sha256": manifest.sha256(p)}
                        for p in sorted([*staging.glob("tables/*.csv"), *staging.glob("figures/*.png"),
                                         *staging.glob("brief.html"), staging / "tables.xlsx",
                                         staging / "index.html"])],
            "pdf": "report.pdf" if pdf else "not made: Chromium not installed (apt-get install chromium)",
            "engine": {"name": engine, "reduced": f"the survey up to {params.reviewed}; a block, agency or year "
                                                  "of it in memory, from its forms"},
            **manifest.environment(),
            "started": started.isoformat(timespec="seconds"),
            "seconds": round(time.perf_counter() - clock, 3),
        }
        manifest.write(record, staging / "manifest.json")
        keep_restricted(staging / RESTRICTED, restricted_folder(final))
        replace_folder(staging, final)
        write_index(out_root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        remove_stale_staging(out_root / ".staging")
    return final / "index.html"


def keep_failed(sections: list[Path], folder: Path, run: str, kept: int = FAILED_KEPT) -> Path:
    """Move the failed sections' executed notebooks and tracebacks to ``folder/run``; keep the latest runs only.

    A section failed when :func:`run_section` wrote its traceback beside the notebook.  Runs are
    named from their start time first, so the oldest sort first and are removed beyond ``kept``.
    """
    target = folder / run
    target.mkdir(parents=True, exist_ok=True)
    for section in sections:
        if (section / TRACEBACK).exists():
            for notebook in section.glob("*.ipynb"):
                notebook.replace(target / notebook.name)
            (section / TRACEBACK).replace(target / f"{section.name}.{TRACEBACK}")
    runs = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    for old in runs[:-kept] if kept > 0 else runs:
        if old != target:
            shutil.rmtree(old, ignore_errors=True)
    return target


def remove_stale_staging(folder: Path) -> None:
    """Delete staging folders left by runs that were killed (their process is gone), and ``folder`` if empty."""
    for leftover in folder.glob("*") if folder.exists() else []:
        pid = leftover.name.split("-", 1)[0]
        if pid.isdigit() and not psutil.pid_exists(int(pid)):
            shutil.rmtree(leftover, ignore_errors=True)
    if folder.exists() and not any(folder.iterdir()):
        folder.rmdir()


def check_report(manifest_path: str | Path, progress: Callable[[str], None] | None = None) -> list[str]:
    """Rerun the report a manifest describes, without the cache, and list what differs (empty: identical);
    ``progress`` as :func:`run_report`'s."""
    import tempfile

    old = manifest.read(manifest_path)
    given = {k: v for k, v in old["parameters"].items() if k in ReportParameters.__dataclass_fields__}
    for key in ("survey", "published", "papi"):
        if given.get(key) and not Path(given[key]).is_absolute():
            given[key] = str(ROOT / given[key])
    with tempfile.TemporaryDirectory() as scratch:
        index = run_report(ReportParameters(**given), scratch, use_cache=False, progress=progress)
        new = manifest.read(index.parent / "manifest.json")
    return manifest.compare(old, new)


def keep_restricted(files: Path, folder: Path) -> None:
    """Move a run's restricted files (the forms the integrity checks flagged) to ``folder``, outside the published
    report (:func:`analysis.pipeline.privacy_check.restricted_folder`), replacing an older run's; none: remove those."""
    if files.is_dir():
        replace_folder(files, folder)
    else:
        shutil.rmtree(folder, ignore_errors=True)


def replace_folder(new: Path, final: Path) -> None:
    """Move ``new`` to ``final``, replacing an older report only once the new one is complete."""
    final.parent.mkdir(parents=True, exist_ok=True)
    old = final.with_name(f".{final.name}.old-{uuid.uuid4().hex[:8]}")
    if final.exists():
        final.rename(old)
    new.rename(final)
    shutil.rmtree(old, ignore_errors=True)


# --------------------------------------------------------------------------- batches and the index


def batch_scopes(params: ReportParameters, level: str, survey: Survey | None = None) -> list[str]:
    """Scopes of a batch: every block (``level="block"``), or every block and unit (``"unit"``)."""
    from analysis.data.load import load_survey

    units = (load_survey(params.survey) if survey is None else survey).units
    scopes = sorted(units["block"].unique())
    return scopes + sorted(units["unit_id"]) if level == "unit" else scopes


def run_batch(params: ReportParameters, level: str, out_root: str | Path = DEFAULT_OUT,
              workers: int | None = None, progress: Callable[[str], None] | None = None,
              reduction: Reduction = Reduction()) -> Path:
    """One report per block (and unit), in parallel across cores, and an index page linking them.

    The period (or year) is checked once, before any report starts (:func:`preflight`).  ``progress``
    is given a line as each report finishes: its scope and seconds, "unchanged" or "failed".
    """
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from analysis.data.load import load_survey

    say = progress or (lambda line: None)
    survey = load_survey(params.survey)
    preflight(survey, params, scoped=False)
    scopes = batch_scopes(params, level, survey)
    jobs = [replace(params, scope=scope) for scope in scopes]
    failures = []
    say(f"{survey.title or survey_folder(survey, params.survey)} — {params.reviewed}, {params.lang}: "
        f"{len(jobs)} reports ({level})")
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count()) as pool:
        futures = {pool.submit(run_report, job, out_root, workers=1, reduction=reduction): job.scope for job in jobs}
        for count, future in enumerate(as_completed(futures), start=1):
            try:
                record = manifest.read(future.result().parent / "manifest.json")
                outcome = "unchanged" if "reused_from" in record else f"{record['seconds']:5.1f} s"
            except (ReportError, ValueError) as exc:
                failures.append(f"{futures[future]}: {exc}")
                outcome = "failed"
            say(f"  [{count}/{len(jobs)}] {futures[future]:<40} {outcome}")
    index = write_index(out_root)
    if failures:
        raise ReportError("some reports failed (the others are written):\n" + "\n".join(failures))
    return index


def report_manifests(out_root: Path) -> list[Path]:
    """Every report's ``manifest.json`` under ``out_root`` (beside its ``index.html``), not in dot folders."""
    found = []
    for folder, subfolders, files in os.walk(out_root):
        subfolders[:] = sorted(s for s in subfolders if not s.startswith("."))  # staging, cache, failed, old
        if "manifest.json" in files and "index.html" in files and Path(folder) != out_root:
            found.append(Path(folder) / "manifest.json")
    return found


def write_index(out_root: str | Path) -> Path:
    """``<out_root>/index.html``: a link to every report under the output root, with its survey's title,
    scope, period and language (read from each report's ``manifest.json``)."""
    out_root = Path(out_root)
    reports = []
    for path in report_manifests(out_root):
        record = manifest.read(path)
        given = record.get("parameters", {})
        about = record.get("report", {})  # reports of older runs have parameters only
        reports.append((str(about.get("title") or about.get("survey_id") or given.get("survey", "")),
                        str(about.get("scope", given.get("scope", ""))),
                        str(about.get("period") or given.get("period") or given.get("year", "")),
                        str(about.get("lang", given.get("lang", ""))),
                        (path.parent / "index.html").relative_to(out_root).as_posix()))
    rows = [f'<tr><td>{html.escape(title)}</td><td><a href="{html.escape(link)}">{html.escape(scope)}</a></td>'
            f"<td>{html.escape(period)}</td><td>{html.escape(lang)}</td></tr>"
            for title, scope, period, lang, link in sorted(reports)]
    body = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Báo cáo / Reports</title></head><body>"
            "<h1>Báo cáo đánh giá mức độ hài lòng / Satisfaction reports</h1><table>"
            "<tr><th>Khảo sát / Survey</th><th>Phạm vi / Scope</th><th>Kỳ / Period</th>"
            "<th>Ngôn ngữ / Language</th></tr>" + "".join(rows) + "</table></body></html>\n")
    target = out_root / "index.html"
    partial = target.with_name(f".index-{uuid.uuid4().hex[:8]}.html")
    partial.write_text(body, encoding="utf-8")
    partial.replace(target)
    return target
