"""Section 03, trend and breaks: the calls notebook 03 makes, and its headline for the executive summary.

:func:`headline` gives the labelled Bai-Perron breaks of the scope's yearly index with the stability
tests beside them; :func:`years_to_test`, :func:`yearly_changes` and :func:`known_breaks` the tests
at known years; :func:`papi_breaks` the same break search on the real PAPI panel.  Each takes a survey
(already in scope) or a unit-level series (:mod:`analysis.sections.series`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.analyses import trends
from analysis.analyses.policy import policies_from_events
from analysis.data.schema import Survey
from analysis.sections.series import UnitSeries, Yearly, yearly

MIN_SIZE = 2  # the fewest years in a Bai-Perron segment of the index
PAPI_MAX_BREAKS, PAPI_MIN_SIZE, PAPI_MIN_YEARS = 2, 3, 6


@dataclass(frozen=True)
class BreakHeadline:
    """The section's key finding: where the yearly series broke (labelled against methodology events),
    with the sup-F and CUSUM stability tests of its linear trend beside it.

    ``summary`` is the breaks' sentences (what the executive summary shows); ``stability`` is shown in
    its own part of the section.
    """

    breaks: trends.LabelledBreaks
    stability: trends.StabilityTests
    yearly: Yearly

    @property
    def percent(self) -> tuple[str, ...]:
        return self.breaks.percent

    def table(self, lang: str | None = None) -> pd.DataFrame:
        return self.breaks.table(lang)

    def summary(self, lang: str = "vi") -> list[str]:
        return self.breaks.summary(lang)

    def plot(self, lang: str = "vi"):
        """The series with its 95% band, the breaks' date intervals and the events."""
        return self.breaks.plot(lang, index=self.yearly.index)


def headline(survey: Survey | UnitSeries, year: int, *, min_cell: int = 10, max_breaks: int = 3) -> BreakHeadline:
    """Bai-Perron breaks (up to ``max_breaks``, segments of at least 2 years) of the yearly index of the
    years with at least ``min_cell`` respondents, and the stability tests of its trend.

    ``survey`` is already restricted to the scope (or a unit-level series CSV's measure).  ``year``, the
    review year, does not change the result: the trend uses every publishable year.
    """
    series = yearly(survey, min_cell)
    values = series.index.set_index("year")["estimate"]
    found = trends.labelled_breaks(values, series.events, series.measure, max_breaks=max_breaks,
                                   min_size=MIN_SIZE, share=series.share)
    return BreakHeadline(found, trends.stability_tests(series.index), series)


def years_to_test(series: Yearly, known_years: Sequence[int] = ()) -> list[int]:
    """The years to test for a break: ``known_years``, or by default 2016 and the first years after the
    policies in the data, among the series' years from its third on."""
    if known_years:
        return list(known_years)
    index = series.index
    policy_years = policies_from_events(series.events, periods=index["year"].astype(str)).values()
    return sorted({2016, *policy_years} & set(index["year"].iloc[2:]))


def yearly_changes(series: Yearly, highlight: Sequence[int] = (), *, min_cell: int = 10) -> trends.YearOnYear | None:
    """Each year against the one before (a survey only; None for a series CSV, which has no sampling error):
    sentences for the changes beyond sampling error and for the years in ``highlight``."""
    if series.cube is None:
        return None
    return trends.year_on_year(series.cube, min_cell=min_cell, highlight=tuple(highlight))


def known_breaks(series: Yearly, years: Sequence[int]) -> trends.KnownYearTests:
    """Level-shift and Chow tests at each of ``years`` (:func:`analysis.analyses.trends.known_year_tests`)."""
    return trends.known_year_tests(series.index, list(years), series.share)


@dataclass(frozen=True)
class PapiBreaks:
    """Breaks of PAPI's dimensions (the mean over provinces), each labelled against PAPI's methodology
    changes: ``found`` has ``measure, name`` and the columns of :class:`analysis.analyses.trends.LabelledBreaks`."""

    found: pd.DataFrame
    dimensions: int

    percent = ()  # PAPI scores, not shares

    def table(self, lang: str | None = None) -> pd.DataFrame:
        return trends.translated(self.found, lang, label="break.")

    def summary(self, lang: str = "vi") -> list[str]:
        from analysis.reporting.narrative import papi_sentence

        return [papi_sentence(self.found, self.dimensions, lang)]

    def plot(self, lang: str = "vi") -> None:
        return None


def papi_breaks(folder: str | Path) -> PapiBreaks:
    """Bai-Perron breaks (up to 2, segments of at least 3 years) of each PAPI dimension with 6 years or more."""
    from analysis.data.papi import load_papi, load_papi_events, papi_measures

    panel, events = load_papi(folder), load_papi_events(folder)
    dimensions = papi_measures(folder).query("measure == dimension")
    found = []
    for code, name in zip(dimensions["measure"], dimensions["name"], strict=True):
        national = panel[panel["measure"] == code].groupby("period")["value"].mean()
        national.index = national.index.astype(int)
        if len(national) >= PAPI_MIN_YEARS:
            table = trends.labelled_breaks(national, events, code, max_breaks=PAPI_MAX_BREAKS,
                                           min_size=PAPI_MIN_SIZE, share=False).found
            found.append(table.assign(measure=code, name=name))
    table = pd.concat(found, ignore_index=True)
    return PapiBreaks(table[["measure", "name", *trends.BREAK_COLUMNS]], len(dimensions))
