"""Analysis of satisfaction with public services (Viet Nam).

The flow, one subpackage per stage (see ARCHITECTURE.md): ``data`` (files -> a
validated tidy survey: schema, readers, scope, PAPI, privacy), ``cube`` (the one
reduction over respondent rows, in memory or out of core), ``analyses`` (indices,
targets, ranking, trends, breaks, policy, drivers, comments, Decision 766),
``reporting`` (labels, sentences, figures, tables), ``sections`` (each report
section's headline), ``pipeline`` (papermill runs, cache, manifests, the command
line), ``synthetic`` (the embedded data's generators).

``__version__`` is the installed distribution's version: ``pyproject.toml`` holds the one number.
"""

from importlib import metadata

from analysis.errors import InputError

__all__ = ["InputError"]

try:
    __version__ = metadata.version("satisfaction-analysis")
except metadata.PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "0+unknown"
