"""The calls a report notebook makes, one module per section; the executive summary calls the same ones.

Each module's ``headline(survey, year, *, min_cell, ...)`` returns the section's key finding as a
:class:`analysis.results.Result`, so a number in the summary is by construction its section's number.
"""

from __future__ import annotations

from pathlib import Path

from analysis.data.load import load_survey
from analysis.data.schema import Survey
from analysis.data.scope import select_scope


def survey_in_scope(mapping: str | Path, scope: str = "province") -> Survey:
    """The survey a mapping describes, restricted to ``scope`` (the province, a block or a unit id)."""
    return select_scope(load_survey(mapping), scope)
