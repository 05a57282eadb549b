"""Run the annual review: execute the notebooks, render HTML, write the manifest.

A run works in a staging folder under the output root and moves it into
``reports/<scope>/<year>/`` only when every notebook succeeded, so a failed run
leaves the previous report as it was.  Each run writes ``manifest.json``:
parameters, SHA-256 of every input and output table, package versions, git
commit and timings.
"""

from __future__ import annotations

import ast
import hashlib
import json
import platform
import re
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import nbformat
import pandas as pd

from analysis.labels import label, relabel_columns
from analysis.privacy import fold

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"
DEFAULT_SURVEY = ROOT / "data" / "raw" / "province_survey" / "mapping.yaml"
DEFAULT_PUBLISHED = ROOT / "data" / "raw" / "published_figures.csv"
DEFAULT_PAPI = ROOT / "data" / "raw" / "papi"
DEFAULT_OUT = ROOT / "reports"
ANNUAL_REVIEW = ["01_data_overview.ipynb", "02_satisfaction.ipynb", "03_trend_breaks.ipynb",
                 "04_policy_effects.ipynb"]
KERNEL_NAME = "satisfaction-analysis"
YEAR_COLUMNS = {"year", "period", "previous", "first_period", "first_low", "first_high"}  # shown without 2.014
PACKAGES = ["pandas", "numpy", "scipy", "statsmodels", "matplotlib", "seaborn", "papermill", "nbconvert",
            "nbformat", "ipykernel", "openpyxl", "pyyaml", "pyarrow", "satisfaction-analysis"]


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


# --------------------------------------------------------------------------- inside notebooks


class Outputs:
    """Where a notebook saves its tables (CSV) and figures (PNG), and how it shows them.

    >>> out = Outputs("/tmp/example-outputs", lang="en")  # doctest: +SKIP
    >>> out.table(frame, "index_by_year")                  # doctest: +SKIP
    """

    def __init__(self, output_dir: str | Path, lang: str = "vi") -> None:
        self.dir = Path(output_dir)
        self.lang = lang
        (self.dir / "tables").mkdir(parents=True, exist_ok=True)
        (self.dir / "figures").mkdir(parents=True, exist_ok=True)

    def table(self, table: pd.DataFrame, name: str, digits: int = 2):
        """Save ``table`` as ``tables/<name>.csv`` (UTF-8 with BOM, for Excel); return it for display.

        The display has the reader's labels and number format (``85,71`` in
        Vietnamese, ``85.71`` in English), no row index and blanks for missing.
        """
        table.to_csv(self.dir / "tables" / f"{name}.csv", index=False, encoding="utf-8-sig",
                     lineterminator="\n", float_format="%.10g")
        years = [c for c in table.columns if c in YEAR_COLUMNS or str(c).endswith("_year")]
        shown = table.astype({c: str for c in years})  # no 2.014 for years
        if "suppressed" in shown and not shown["suppressed"].any():
            shown = shown.drop(columns="suppressed")  # the CSV keeps the flag; readers need it only when set
        for column in shown.select_dtypes("bool").columns:
            shown[column] = shown[column].map({True: label("yes", self.lang), False: label("no", self.lang)})
        if "note" in shown:
            shown["note"] = shown["note"].map(lambda code: label(code, self.lang) if code else "")
        shown = relabel_columns(shown, self.lang)
        decimal, thousands = (",", ".") if self.lang == "vi" else (".", ",")
        style = shown.style.hide(axis="index").format(precision=digits, decimal=decimal, thousands=thousands,
                                                       na_rep="")
        if "p_value" in table:
            style = style.format(precision=3, decimal=decimal, subset=[label("p_value", self.lang)])
        return style

    def heading(self, key: str, level: int = 2):
        """A Markdown heading in the report's language, from the translation table."""
        from IPython.display import Markdown

        return Markdown(f"{'#' * level} {label(key, self.lang)}")

    def figure(self, fig, name: str):
        """Save ``fig`` as ``figures/<name>.png``, close it, and return the PNG for display.

        Showing the saved bytes (not the live figure) makes the report's images
        the files on disk, whatever matplotlib backend the kernel has.
        """
        import matplotlib.pyplot as plt
        from IPython.display import Image

        from analysis.plots import save

        path = self.dir / "figures" / f"{name}.png"
        save(fig, path)
        plt.close(fig)
        return Image(data=path.read_bytes(), format="png")


# --------------------------------------------------------------------------- the run


def slug(text: str) -> str:
    """A folder name for a scope: ``"UBND cấp huyện"`` -> ``"ubnd-cap-huyen"``."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "scope"


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


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


def git_state() -> dict:
    """The commit the code came from, and whether the work tree had changes."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    try:
        return {"commit": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain", "--", "src", "notebooks"))}
    except (OSError, subprocess.CalledProcessError):
        return {"commit": None, "dirty": None}


def package_versions() -> dict[str, str]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def declared_parameters(notebook: Path) -> set[str]:
    """Names assigned in the notebook's cell tagged ``parameters``."""
    for cell in nbformat.read(notebook, as_version=4).cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            tree = ast.parse(cell.source)
            return {target.id for node in tree.body if isinstance(node, ast.Assign)
                    for target in node.targets if isinstance(target, ast.Name)}
    return set()


def execute(notebook: Path, target: Path, parameters: dict, kernel: str) -> float:
    """Execute one notebook with papermill; return seconds taken; raise ReportError naming the cell."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    start = time.perf_counter()
    declared = declared_parameters(notebook)
    parameters = {k: v for k, v in parameters.items() if k in declared}  # each notebook gets what it declares
    try:
        papermill.execute_notebook(str(notebook), str(target), parameters=parameters, kernel_name=kernel,
                                   cwd=str(target.parent), progress_bar=False, log_output=False)
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
    """All CSV tables in one Excel workbook, one sheet per table."""
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        for csv in sorted(tables_dir.glob("*.csv")):
            pd.read_csv(csv, encoding="utf-8-sig").to_excel(writer, sheet_name=csv.stem[:31], index=False)


def run_report(params: ReportParameters, out_root: str | Path = DEFAULT_OUT,
               notebook_dir: str | Path = NOTEBOOK_DIR) -> Path:
    """Run the annual review for one scope and year; return the path of its ``index.html``.

    Inputs are loaded and validated first, in this process, so a bad file
    fails at once with its :class:`~analysis.errors.InputError`.
    """
    from analysis.load import load_published_figures, load_survey

    started = datetime.now(timezone.utc)
    clock = time.perf_counter()
    survey = load_survey(params.survey)
    load_published_figures(params.published)
    out_root = Path(out_root)
    final = out_root / slug(params.scope) / str(params.year)
    staging = out_root / ".staging" / f"{slug(params.scope)}-{params.year}-{uuid.uuid4().hex[:8]}"
    (staging / "notebooks").mkdir(parents=True)
    try:
        kernel = ensure_kernel()
        timings, executed = {}, []
        for name in params.notebooks:
            target = staging / "notebooks" / name
            timings[name] = round(execute(Path(notebook_dir) / name, target,
                                          params.notebook_parameters(staging), kernel), 3)
            executed.append(target)
        title = f"{survey.title} — {params.year}"
        render_html(merged_report(executed, title), staging / "index.html")
        write_workbook(staging / "tables", staging / "tables.xlsx")
        manifest = {
            "parameters": {**asdict(params), "survey": relative(params.survey), "published": relative(params.published),
                           "papi": relative(params.papi) if params.papi else ""},
            "inputs": [{"path": relative(p), "sha256": sha256(Path(p))} for p in [*survey.inputs, params.published]],
            "notebooks": [{"name": n, "sha256": sha256(Path(notebook_dir) / n), "seconds": timings[n]}
                          for n in params.notebooks],
            "outputs": [{"path": str(p.relative_to(staging)), "sha256": sha256(p)}
                        for p in sorted([*staging.glob("tables/*.csv"), *staging.glob("figures/*.png")])],
            "versions": package_versions(),
            "python": platform.python_version(),
            "git": git_state(),
            "started": started.isoformat(timespec="seconds"),
            "seconds": round(time.perf_counter() - clock, 3),
        }
        (staging / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                               encoding="utf-8")
        replace_folder(staging, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if (out_root / ".staging").exists() and not any((out_root / ".staging").iterdir()):
            (out_root / ".staging").rmdir()
    return final / "index.html"


def relative(path: str | Path) -> str:
    """A path relative to the project root when it lies inside it (manifests compare across clones)."""
    path = Path(path).resolve()
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def replace_folder(new: Path, final: Path) -> None:
    """Move ``new`` to ``final``, replacing an older report only once the new one is complete."""
    final.parent.mkdir(parents=True, exist_ok=True)
    old = final.with_name(f".{final.name}.old-{uuid.uuid4().hex[:8]}")
    if final.exists():
        final.rename(old)
    new.rename(final)
    shutil.rmtree(old, ignore_errors=True)

