"""Section 01, the data overview: the calls notebook 01 makes.

What was loaded (:func:`headline`: the data sentence and the size of the data), respondents by
block or channel and year (:func:`counts`), and how completely each criterion was answered
(:func:`completeness`, proportions). The index by year is section 02's
:func:`analysis.sections.satisfaction.headline`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis.analyses import describe
from analysis.data.schema import Survey
from analysis.reporting import narrative, plots
from analysis.reporting.labels import relabel_values

CODED = ("channel", "group")  # grouping columns that hold codes (shown by their labels); blocks hold names


@dataclass(frozen=True)
class DataOverview:
    """The size of the data (``measure``: a code, ``value``) and the sentence on what was loaded."""

    frame: pd.DataFrame
    survey: Survey = field(repr=False)

    def table(self, lang: str | None = None) -> pd.DataFrame:
        return self.frame

    def summary(self, lang: str = "vi") -> list[str]:
        """Respondents, agencies and years loaded, and the personal columns dropped at load."""
        return [narrative.data_sentence(self.survey, lang)]

    def plot(self, lang: str = "vi"):
        return None


def headline(survey: Survey) -> DataOverview:
    """What ``survey`` (already restricted to its scope) holds: respondents, answers, units, blocks, years."""
    return DataOverview(describe.shape(survey), survey)


def shape(survey: Survey, lang: str = "vi") -> pd.DataFrame:
    """The size of the data with each measure named in ``lang`` (the table notebook 01 saves)."""
    return relabel_values(describe.shape(survey), "measure", lang=lang)


@dataclass(frozen=True)
class Counts:
    """Respondents per group (rows) and year (columns)."""

    frame: pd.DataFrame
    by: str

    def table(self, lang: str | None = None) -> pd.DataFrame:
        return self.frame

    def summary(self, lang: str = "vi") -> list[str]:
        return []

    def plot(self, lang: str = "vi"):
        """The counts as an annotated heat map."""
        return plots.counts_heatmap(self.frame, self.by, lang)


def counts(survey: Survey, by: str, lang: str = "vi") -> Counts:
    """Respondents by ``by`` (``"block"``, ``"channel"``, ...) and year; coded groups named in ``lang``."""
    table = describe.respondent_counts(survey, [by])
    return Counts(relabel_values(table, by, lang=lang) if by in CODED else table, by)


def criteria_named(table: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """A table by criterion with each criterion named by its question, as the form words it."""
    return relabel_values(table, "item", lang=lang)


def completeness(survey: Survey) -> pd.DataFrame:
    """Per criterion: answers, those not blank nor 'không ý kiến', and ``completeness``, their share."""
    return describe.completeness(survey.cube())
