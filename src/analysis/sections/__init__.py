"""The calls a report notebook makes, one module per section; the executive summary calls the same ones.

A section with a line in the executive summary has ``headline(survey, year, *, min_cell, ...)``,
its key finding as a :class:`analysis.results.Result`; :mod:`.summary` (notebook 00) calls those
same functions, so a number in the summary is by construction its section's number.
"""

from __future__ import annotations

from pathlib import Path

from analysis.data.load import load_survey
from analysis.data.schema import Survey
from analysis.data.scope import select_scope
from analysis.data.store import is_store, read_store
from analysis.reporting.labels import use_vocabulary
from analysis.sections.period import up_to


def load(mapping: str | Path) -> Survey:
    """The survey a mapping describes, or a run's store of it (:mod:`analysis.data.store`: what a report run
    gives its notebooks), its own names for its codes taken up by the labels."""
    survey = read_store(mapping) if is_store(mapping) else load_survey(mapping)
    use_vocabulary(survey.vocabulary)
    return survey


def survey_in_scope(mapping: str | Path, scope: str = "province", period: str = "") -> Survey:
    """The survey a mapping describes (:func:`load`), restricted to ``scope`` (the province, a block or a
    unit id) and to the periods up to the reviewed ``period`` (a year, month, quarter or round; "": all)."""
    return up_to(select_scope(load(mapping), scope), period)
