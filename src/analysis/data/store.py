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

SUFFIX = ".survey.store"
MAGIC = b"analysis-survey-store-2\n"  # first bytes of a store; a format change bumps the number


def is_store(path: str | Path) -> bool:
    """Whether ``path`` names a survey store (its name ends in ``.survey.store``)."""
    return str(path).endswith(SUFFIX)


def write_store(survey: Survey, folder: str | Path, name: str = "survey") -> Path:
    """Write ``survey`` to ``<folder>/<name>.survey.store``; return the path."""
    path = Path(folder) / f"{name}{SUFFIX}"
    partial = path.with_name(f".{path.name}.partial")
    with open(partial, "wb") as store:  # pickled as written, never a second copy of the survey in memory
        store.write(MAGIC)
        pickle.dump(survey, store, protocol=pickle.HIGHEST_PROTOCOL)
    partial.replace(path)
    return path


def read_store(path: str | Path) -> Survey:
    """The survey a run stored (:func:`write_store`)."""
    with open(path, "rb") as stored:  # unpickled as read: the file's bytes are never all in memory at once
        if stored.read(len(MAGIC)) != MAGIC:
            raise ValueError(f"{path} is not a survey store written by this package")
        survey = pickle.load(stored)  # noqa: S301 - written by this run, in its own staging folder
    if not isinstance(survey, Survey):
        raise ValueError(f"{path} does not hold a survey")
    return survey
