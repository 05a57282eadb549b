"""The survey as a run read and checked it, kept for the run's notebooks: read once per run.

A report run loads the survey files once (:func:`analysis.data.load.load_survey`: every check, every
error named) and writes that :class:`~analysis.data.schema.Survey` to ``<staging>/survey.survey.store``.
Each notebook of the run is given the store's path in place of the mapping's and reads it back
(:func:`analysis.sections.load`): no notebook parses the survey files again (300,000 forms: 0.3 s
to read the store, 4.6 s to load the files).

The store is Python's pickle of the survey, written by this package in this run and removed with the
run's staging folder; it is never a user's input (:func:`read_store` reads only a file whose first
bytes say it is one).
"""

from __future__ import annotations

import pickle
from pathlib import Path

from analysis.data.schema import Survey
from analysis.files import write_bytes_atomic

SUFFIX = ".survey.store"
MAGIC = b"analysis-survey-store-1\n"  # first bytes of a store; a format change bumps the number


def is_store(path: str | Path) -> bool:
    """Whether ``path`` names a survey store (its name ends in ``.survey.store``)."""
    return str(path).endswith(SUFFIX)


def write_store(survey: Survey, folder: str | Path, name: str = "survey") -> Path:
    """Write ``survey`` to ``<folder>/<name>.survey.store``; return the path."""
    path = Path(folder) / f"{name}{SUFFIX}"
    write_bytes_atomic(path, MAGIC + pickle.dumps(survey, protocol=pickle.HIGHEST_PROTOCOL))
    return path


def read_store(path: str | Path) -> Survey:
    """The survey a run stored (:func:`write_store`)."""
    raw = Path(path).read_bytes()
    if not raw.startswith(MAGIC):
        raise ValueError(f"{path} is not a survey store written by this package")
    survey = pickle.loads(raw[len(MAGIC):])  # noqa: S301 - written by this run, in its own staging folder
    if not isinstance(survey, Survey):
        raise ValueError(f"{path} does not hold a survey")
    return survey
