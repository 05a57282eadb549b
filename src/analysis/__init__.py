"""Analysis of satisfaction with public services (Viet Nam).

The flow, one subpackage per stage (see ARCHITECTURE.md): ``data`` (files -> a
validated tidy survey: schema, readers, scope, PAPI, privacy), ``cube`` (the one
reduction over respondent rows, in memory or out of core), ``analyses`` (indices,
targets, ranking, trends, breaks, policy, drivers, comments, Decision 766),
``reporting`` (labels, sentences, figures, tables), ``sections`` (each report
section's headline), ``pipeline`` (papermill runs, cache, manifests, the command
line), ``synthetic`` (the embedded data's generators).

The notebook API is re-exported here (``from analysis import survey_in_scope, Outputs``), loaded on
first use so that ``import analysis`` (and the command line) stays light. ``__version__`` is the
installed distribution's version: ``pyproject.toml`` holds the one number.
"""

from importlib import import_module, metadata

from analysis.errors import InputError

# name -> the module that defines it (loaded when the name is first used)
_API = {
    "load_survey": "analysis.data.load", "select_scope": "analysis.data.scope", "Survey": "analysis.data.schema",
    "survey_in_scope": "analysis.sections", "Outputs": "analysis.reporting.outputs",
    "label": "analysis.reporting.labels", "Result": "analysis.results", "key_findings": "analysis.sections.summary",
    "ReportParameters": "analysis.pipeline.report", "run_report": "analysis.pipeline.report",
}
__all__ = ["InputError", *_API, "sections"]


def __getattr__(name: str):
    """The notebook API's names, imported when first asked for (PEP 562)."""
    if name in _API:
        return getattr(import_module(_API[name]), name)
    if name == "sections":
        return import_module("analysis.sections")
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")

try:
    __version__ = metadata.version("satisfaction-analysis")
except metadata.PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "0+unknown"
