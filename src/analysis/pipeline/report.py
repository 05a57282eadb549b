"""Run the annual review: execute the notebooks, render HTML, write the manifest.

A run works in a staging folder under the output root and moves it into
``reports/<scope>/<year>/`` only when every notebook succeeded, so a failed run
leaves the previous report as it was.  Each notebook runs into its own section
folder, cached under ``<out_root>/.cache`` by a hash of everything it depends
on, so an unchanged notebook is not executed twice.  Each run writes
``manifest.json`` (:mod:`analysis.pipeline.manifest`); :func:`check_report` reruns one
and lists what changed.
"""

from __future__ import annotations

import ast
import hashlib
import html
import json
import os
import re
import shutil
import sys
import time
import uuid
import zipfile
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pandas as pd
import psutil

from analysis.data.privacy import fold
from analysis.data.schema import Survey
from analysis.data.scope import select_scope
from analysis.errors import InputError
from analysis.paths import (
    DEFAULT_OUT,
    DEFAULT_PAPI,
    DEFAULT_PUBLISHED,
    DEFAULT_SURVEY,
    NOTEBOOK_DIR,
    ROOT,
)
from analysis.pipeline import browser, manifest

ANNUAL_REVIEW = ["00_summary.ipynb", "01_data_overview.ipynb", "02_satisfaction.ipynb", "03_trend_breaks.ipynb",
                 "04_policy_effects.ipynb", "05_drivers.ipynb", "06_comments.ipynb"]
KERNEL_NAME = "satisfaction-analysis"


class ReportError(RuntimeError):
    """A report run failed; the message says which notebook and cell."""


@dataclass
class ReportParameters:
    """What a report run is given; every notebook receives these (plus its output folder)."""

    survey: str = str(DEFAULT_SURVEY)
    published: str = str(DEFAULT_PUBLISHED)
    papi: str = str(DEFAULT_PAPI)
    year: int = 2023
    scope: str = "province"
    lang: str = "vi"
    min_cell: int = 10
    seed: int = 20231231
    notebooks: list[str] = field(default_factory=lambda: list(ANNUAL_REVIEW))

    def notebook_parameters(self, output_dir: Path) -> dict:
        values = asdict(self)
        values.pop("notebooks")
        values["survey"] = str(Path(self.survey).resolve())
        values["published"] = str(Path(self.published).resolve())
        values["papi"] = str(Path(self.papi).resolve()) if self.papi else ""
        values["output_dir"] = str(output_dir)
        return values


# --------------------------------------------------------------------------- the run


def slug(text: str) -> str:
    """A folder name for a scope: ``"UBND cấp huyện"`` -> ``"ubnd-cap-huyen"``."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "scope"


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
    for cell in nbformat.read(notebook, as_version=4).cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            tree = ast.parse(cell.source)
            return {target.id for node in tree.body if isinstance(node, ast.Assign)
                    for target in node.targets if isinstance(target, ast.Name)}
    return set()


KERNEL_STARTS = 3  # jupyter_client picks a free port before the kernel binds it: a race between kernels


def execute(notebook: Path, target: Path, parameters: dict, kernel: str) -> float:
    """Execute one notebook with papermill; return seconds taken; raise ReportError naming the cell."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    start = time.perf_counter()
    try:
        for attempt in range(KERNEL_STARTS):
            try:
                papermill.execute_notebook(str(notebook), str(target), parameters=parameters, kernel_name=kernel,
                                           cwd=str(target.parent), progress_bar=False, log_output=False)
                break
            except RuntimeError as exc:  # a kernel started beside others may find its port taken: start again
                if "Kernel died before replying" not in str(exc) or attempt + 1 == KERNEL_STARTS:
                    raise
    except PapermillExecutionError as exc:
        # papermill inserts one parameters cell before the failing one: count cells as the author sees them
        first_line = (exc.source or "").strip().splitlines()[0] if (exc.source or "").strip() else ""
        raise ReportError(f"{notebook.name} failed in cell {exc.cell_index} ({exc.ename}: {exc.evalue}); "
                          f"the cell starts: {first_line!r}") from None
    return time.perf_counter() - start


def merged_report(executed: list[Path], title: str) -> nbformat.NotebookNode:
    """One notebook of all sections, without parameter cells, cells tagged ``notebook-only``, or stderr."""
    report = nbformat.v4.new_notebook()
    report.metadata["title"] = title
    for path in executed:
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            tags = set(cell.get("metadata", {}).get("tags", []))
            if tags & {"parameters", "injected-parameters", "notebook-only"}:
                continue
            if cell.cell_type == "code":
                cell.outputs = [o for o in cell.outputs if o.get("name") != "stderr"]
                cell.metadata = {}
            report.cells.append(cell)
    return report


def render_html(notebook: nbformat.NotebookNode, target: Path) -> None:
    """HTML without code, figures embedded."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(notebook)
    target.write_text(body, encoding="utf-8")


def write_workbook(tables_dir: Path, target: Path) -> None:
    """All CSV tables in one Excel workbook, one sheet per table, byte-identical on reruns.

    openpyxl stamps the save time into the file and its zip entries; both are
    replaced by a fixed date so the same tables give the same bytes.
    """
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        for csv in sorted(tables_dir.glob("*.csv")):
            pd.read_csv(csv, encoding="utf-8-sig").to_excel(writer, sheet_name=csv.stem[:31], index=False)
    with zipfile.ZipFile(target) as archive:
        entries = [(info.filename, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", data)
            archive.writestr(zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0)), data,
                             compress_type=zipfile.ZIP_DEFLATED)


def cache_key(notebook: Path, parameters: dict, inputs: list[dict]) -> str:
    """Hash of what a notebook's results depend on: its source, parameters, inputs, code and versions."""
    payload = {"notebook": manifest.sha256(notebook), "parameters": parameters, "inputs": inputs,
               "code": manifest.code_hash(), "versions": manifest.package_versions()}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:32]


def run_section(notebook: Path, section: Path, parameters: dict, inputs: list[dict], cache: Path | None,
                kernel: str) -> tuple[float, bool]:
    """Execute one notebook into ``section`` (or copy it from the cache); return seconds and whether cached."""
    declared = declared_parameters(notebook)
    parameters = {k: v for k, v in parameters.items() if k in declared}  # each notebook gets what it declares
    key = cache_key(notebook, {k: v for k, v in parameters.items() if k != "output_dir"}, inputs)
    hit = cache / key if cache is not None else None
    if hit is not None and hit.exists():
        shutil.copytree(hit, section)
        return 0.0, True
    section.mkdir(parents=True)
    seconds = execute(notebook, section / notebook.name, {**parameters, "output_dir": str(section)}, kernel)
    if hit is not None:
        partial = hit.with_name(f".{key}-{uuid.uuid4().hex[:8]}")
        shutil.copytree(section, partial)
        try:
            partial.rename(hit)
        except OSError:  # a parallel run cached the same section first
            shutil.rmtree(partial)
    return seconds, False


def run_sections(jobs: list[tuple], workers: int | None) -> list[tuple[float, bool]]:
    """:func:`run_section` of each job, in ``workers`` processes (default: one per core) or, for one, here.

    Processes, not threads: papermill changes the process's working directory while a notebook runs.
    """
    from concurrent.futures import ProcessPoolExecutor

    workers = min(workers or os.cpu_count() or 1, len(jobs))
    if workers <= 1:
        return [run_section(*job) for job in jobs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(run_section, *job) for job in jobs]
        try:
            return [future.result() for future in futures]
        except BaseException:
            pool.shutdown(cancel_futures=True)  # a section failed: start no other
            raise


def collect(sections: list[Path], staging: Path) -> list[Path]:
    """Move each section's tables, figures and executed notebook into the report folder."""
    executed = []
    for section in sections:
        for kind in ("tables", "figures"):
            (staging / kind).mkdir(exist_ok=True)
            for path in sorted((section / kind).glob("*")):
                path.replace(staging / kind / path.name)
        notebook = next(section.glob("*.ipynb"))
        executed.append(notebook.replace(staging / "notebooks" / notebook.name))
    return executed


def check_request(survey: Survey, params: ReportParameters) -> None:
    """Fail before anything is written when the year is not in the survey or the scope names nothing."""
    years = sorted(int(y) for y in survey.responses["year"].unique())
    if params.year not in years:
        raise InputError(params.survey, f"the year {params.year} is not in the survey; its years are "
                         f"{', '.join(map(str, years))}", fix="choose one of them with --year")
    select_scope(survey, params.scope)  # an unknown block or unit id raises here


def run_report(params: ReportParameters, out_root: str | Path = DEFAULT_OUT,
               notebook_dir: str | Path = NOTEBOOK_DIR, use_cache: bool = True, workers: int | None = None) -> Path:
    """Run the annual review for one scope and year; return the path of its ``index.html``.

    Inputs are loaded and validated first, in this process, so a bad file
    fails at once with its :class:`~analysis.errors.InputError`.  A notebook
    whose source, parameters, inputs, code and package versions are unchanged
    is not executed again: its results come from ``<out_root>/.cache``.  The
    notebooks run side by side in ``workers`` processes (default: one per core);
    each writes only its own section, so the results do not depend on the order.
    """
    from analysis.data.load import load_published_figures, load_survey

    started = datetime.now(UTC)
    clock = time.perf_counter()
    survey = load_survey(params.survey)
    check_request(survey, params)
    load_published_figures(params.published)
    inputs = manifest.file_hashes([*survey.inputs, params.published, *([params.papi] if params.papi else [])])
    out_root = Path(out_root)
    final = out_root / slug(params.scope) / str(params.year)
    remove_stale_staging(out_root / ".staging")
    staging = out_root / ".staging" / f"{os.getpid()}-{slug(params.scope)}-{params.year}-{uuid.uuid4().hex[:8]}"
    (staging / "notebooks").mkdir(parents=True)
    cache = out_root / ".cache" if use_cache else None
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
    try:
        kernel = ensure_kernel()
        sections = [staging / "sections" / Path(name).stem for name in params.notebooks]
        results = run_sections([(Path(notebook_dir) / name, section, params.notebook_parameters(section), inputs,
                                 cache, kernel) for name, section in zip(params.notebooks, sections, strict=True)],
                               workers)
        timings = {name: {"seconds": round(seconds, 3), "cached": cached}
                   for name, (seconds, cached) in zip(params.notebooks, results, strict=True)}
        executed = collect(sections, staging)
        shutil.rmtree(staging / "sections")
        render_html(merged_report(executed, f"{survey.title} — {params.year}"), staging / "index.html")
        write_workbook(staging / "tables", staging / "tables.xlsx")
        pdf = browser.print_pdf(staging / "index.html", staging / "report.pdf")
        record = {
            "parameters": {**asdict(params), "survey": manifest.relative(params.survey),
                           "published": manifest.relative(params.published),
                           "papi": manifest.relative(params.papi) if params.papi else ""},
            "inputs": inputs,
            "notebooks": [{"name": n, "sha256": manifest.sha256(Path(notebook_dir) / n), **timings[n]}
                          for n in params.notebooks],
            "outputs": [{"path": str(p.relative_to(staging)), "sha256": manifest.sha256(p)}
                        for p in sorted([*staging.glob("tables/*.csv"), *staging.glob("figures/*.png"),
                                         staging / "tables.xlsx", staging / "index.html"])],
            "pdf": "report.pdf" if pdf else "not made: Chromium not installed (apt-get install chromium)",
            **manifest.environment(),
            "started": started.isoformat(timespec="seconds"),
            "seconds": round(time.perf_counter() - clock, 3),
        }
        manifest.write(record, staging / "manifest.json")
        replace_folder(staging, final)
        write_index(out_root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if (out_root / ".staging").exists() and not any((out_root / ".staging").iterdir()):
            (out_root / ".staging").rmdir()
    return final / "index.html"


def remove_stale_staging(folder: Path) -> None:
    """Delete staging folders left by runs that were killed (their process is gone)."""
    for leftover in folder.glob("*") if folder.exists() else []:
        pid = leftover.name.split("-", 1)[0]
        if pid.isdigit() and not psutil.pid_exists(int(pid)):
            shutil.rmtree(leftover, ignore_errors=True)


def check_report(manifest_path: str | Path) -> list[str]:
    """Rerun the report a manifest describes, without the cache, and list what differs (empty: identical)."""
    import tempfile

    old = manifest.read(manifest_path)
    given = {k: v for k, v in old["parameters"].items() if k in ReportParameters.__dataclass_fields__}
    for key in ("survey", "published", "papi"):
        if given.get(key) and not Path(given[key]).is_absolute():
            given[key] = str(ROOT / given[key])
    with tempfile.TemporaryDirectory() as scratch:
        index = run_report(ReportParameters(**given), scratch, use_cache=False)
        new = manifest.read(index.parent / "manifest.json")
    return manifest.compare(old, new)


def replace_folder(new: Path, final: Path) -> None:
    """Move ``new`` to ``final``, replacing an older report only once the new one is complete."""
    final.parent.mkdir(parents=True, exist_ok=True)
    old = final.with_name(f".{final.name}.old-{uuid.uuid4().hex[:8]}")
    if final.exists():
        final.rename(old)
    new.rename(final)
    shutil.rmtree(old, ignore_errors=True)



def batch_scopes(params: ReportParameters, level: str) -> list[str]:
    """Scopes of a batch: every block (``level="block"``), or every block and unit (``"unit"``)."""
    from analysis.data.load import load_survey

    units = load_survey(params.survey).units
    scopes = sorted(units["block"].unique())
    return scopes + sorted(units["unit_id"]) if level == "unit" else scopes


def run_batch(params: ReportParameters, level: str, out_root: str | Path = DEFAULT_OUT,
              workers: int | None = None) -> Path:
    """One report per block (and unit), in parallel across cores, and an index page linking them."""
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from tqdm import tqdm

    scopes = batch_scopes(params, level)
    jobs = [replace(params, scope=scope) for scope in scopes]
    failures = []
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count()) as pool:
        futures = {pool.submit(run_report, job, out_root, workers=1): job.scope for job in jobs}
        for future in tqdm(as_completed(futures), total=len(futures), desc="reports", unit="report"):
            try:
                future.result()
            except (ReportError, ValueError) as exc:
                failures.append(f"{futures[future]}: {exc}")
    index = write_index(out_root)
    if failures:
        raise ReportError("some reports failed (the others are written):\n" + "\n".join(failures))
    return index


def write_index(out_root: str | Path) -> Path:
    """``<out_root>/index.html``: a link to every report under the output root, by year and scope."""
    out_root = Path(out_root)
    rows = []
    for page in sorted(out_root.glob("*/*/index.html")):
        if page.relative_to(out_root).parts[0].startswith("."):  # staging and cache folders
            continue
        info = manifest.read(page.parent / "manifest.json")["parameters"]
        rows.append(f'<tr><td>{info["year"]}</td><td><a href="{page.relative_to(out_root).as_posix()}">'
                    f'{html.escape(info["scope"])}</a></td><td>{info["lang"]}</td></tr>')
    body = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Báo cáo / Reports</title></head><body>"
            "<h1>Báo cáo đánh giá mức độ hài lòng / Satisfaction reports</h1><table>"
            "<tr><th>Năm / Year</th><th>Phạm vi / Scope</th><th>Ngôn ngữ / Language</th></tr>"
            + "".join(rows) + "</table></body></html>\n")
    target = out_root / "index.html"
    partial = target.with_name(f".index-{uuid.uuid4().hex[:8]}.html")
    partial.write_text(body, encoding="utf-8")
    partial.replace(target)
    return target
