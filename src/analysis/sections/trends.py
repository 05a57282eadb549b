"""Section 03, trend and breaks: the calls notebook 03 makes, and its headline for the executive summary.

:func:`headline` answers "did the trend break?" by one rule (:class:`BreakHeadline`) from the tests at
known years (:func:`years_to_test`, :func:`known_breaks`), the Bai-Perron breaks of the scope's yearly
index and the stability tests of its trend; :func:`yearly_changes` each year against the one before;
:func:`papi_breaks` the same break search on the real PAPI panel.  Each takes a survey (already in scope)
or a unit-level series (:mod:`analysis.sections.series`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.analyses import trends
from analysis.analyses.policy import first_post_period
from analysis.data.schema import Survey
from analysis.reporting import narrative
from analysis.reporting.narrative import Note
from analysis.sections.series import UnitSeries, Yearly, yearly

MIN_SIZE = 2  # the fewest years in a Bai-Perron segment of the index
BREAK_MIN_YEARS = max(4, 2 * MIN_SIZE + 1)  # the fewest years trends.labelled_breaks searches for a break in
PAPI_MAX_BREAKS, PAPI_MIN_SIZE, PAPI_MIN_YEARS = 2, 3, 6


@dataclass(frozen=True)
class BreakHeadline:
    """The section's answer to "did the trend break?", by one rule (the methods appendix states it):

    - at a year known beforehand (:func:`years_to_test`: the first years after the policies, or the
      notebook's ``known_years``), the level-shift test at that year decides, at 5%;
    - at a date not known beforehand, a break is called real (or a change of method) only when the
      stability tests reject a stable linear trend (:attr:`analysis.analyses.trends.StabilityTests.unstable`)
      and Bai-Perron places it; otherwise the dates it proposes are ``unconfirmed`` candidates.

    ``breaks`` already carries that reading; ``summary`` is the verdicts (what the executive summary shows),
    ``notes`` what the search cannot show.  The known-year tests and the stability tests are shown in their
    own parts of the section, with their p-values.
    """

    breaks: trends.LabelledBreaks
    stability: trends.StabilityTests
    yearly: Yearly
    known: trends.KnownYearTests | Note

    @property
    def percent(self) -> tuple[str, ...]:
        return self.breaks.percent

    @property
    def searched(self) -> bool:
        """The series is long enough for the break search (:data:`BREAK_MIN_YEARS`)."""
        return len(self.breaks.series) >= BREAK_MIN_YEARS

    @property
    def confirmed(self) -> bool:
        """The stability tests reject a stable trend, so the breaks Bai-Perron places are findings."""
        return self.stability.unstable is True

    def table(self, lang: str | None = None) -> pd.DataFrame:
        return self.breaks.table(lang) if self.searched else pd.DataFrame()

    def summary(self, lang: str = "vi") -> list[str]:
        """One verdict per known year, then the verdict on breaks at unknown dates (or :meth:`notes`)."""
        tested = () if isinstance(self.known, Note) else tuple(int(y) for y in self.known.tests["year"])
        known = [] if isinstance(self.known, Note) else narrative.known_break_verdicts(
            self.known.tests, lang, self.yearly.share, why=policy_years(self.yearly))
        if not self.searched:
            return known + self.notes(lang)
        if len(self.breaks.found) and not self.confirmed:
            return [*known, narrative.unconfirmed_breaks_sentence(self.breaks.found, self.stability.unstable, lang,
                                                                  tested)]
        method = self.yearly.events[self.yearly.events["kind"] == "methodology"]
        caveat = [narrative.absent("method_events", lang)] if len(self.breaks.found) and method.empty else []
        return known + self.breaks.summary(lang) + caveat

    def notes(self, lang: str = "vi") -> list[str]:
        """What the break search cannot show: the series is too short for it (not in the executive summary)."""
        if not self.searched:
            return [narrative.say("breaks_too_short", lang, years=len(self.breaks.series), need=BREAK_MIN_YEARS)]
        return []

    def plot(self, lang: str = "vi"):
        """The series with its 95% band, the breaks' date intervals and the events."""
        return self.breaks.plot(lang, index=self.yearly.index)


def scope_events(survey: Survey) -> pd.DataFrame:
    """The survey's events with ``applies_to`` set to ``all`` where the event binds every agency of the
    survey (already in scope), so a methodology event naming the scope's block, level or agencies labels
    the breaks of its index (:func:`analysis.analyses.trends.applies`); the other events stay as they are."""
    from analysis.sections.policy import binds_all

    units = list(survey.units["unit_id"])
    covers = [binds_all(applies_to, units, survey.units) for applies_to in survey.events["applies_to"]]
    return survey.events.assign(applies_to=survey.events["applies_to"].where(~pd.Series(covers, dtype=bool,
                                                                                       index=survey.events.index),
                                                                           "all"))


def headline(survey: Survey | UnitSeries, year: int, *, min_cell: int = 10, max_breaks: int = 3,
             known_years: Sequence[int] = ()) -> BreakHeadline:
    """Did the trend of the yearly index (the years with at least ``min_cell`` respondents) break: the
    level-shift tests at the known years (:func:`years_to_test` with ``known_years``), Bai-Perron breaks
    (up to ``max_breaks``, segments of at least 2 years) and the stability tests of its trend, read by the
    rule of :class:`BreakHeadline`.

    ``survey`` is already restricted to the scope (or a unit-level series CSV's measure).  ``year``, the
    review year, does not change the result: the trend uses every publishable year.  A methodology event
    labels the survey's breaks when it binds every agency of the scope (:func:`scope_events`).
    """
    series = yearly(survey, min_cell)
    values = series.index.set_index("year")["estimate"]
    events = scope_events(survey) if isinstance(survey, Survey) else series.events
    found = trends.labelled_breaks(values, events, series.measure, max_breaks=max_breaks,
                                   min_size=MIN_SIZE, share=series.share)
    stability = trends.stability_tests(series.index)
    found = found if stability.unstable else found.unconfirmed()
    return BreakHeadline(found, stability, series, known_breaks(series, years_to_test(series, known_years)))


def policy_years(series: Yearly) -> dict[int, str]:
    """Each first year after a policy event of the data, with the policies' names (what makes it known)."""
    policies = series.events[series.events["kind"] == "policy"]
    years: dict[int, list[str]] = {}
    for row in policies.itertuples():
        years.setdefault(first_post_period(row.date, "year"), []).append(str(row.name))
    return {year: "; ".join(names) for year, names in years.items()}


def years_to_test(series: Yearly, known_years: Sequence[int] = ()) -> list[int]:
    """The years to test for a break: ``known_years``, or by default the first years after the policy
    events of the data (whatever agencies they bind), among the series' years from its third on."""
    if known_years:
        return list(known_years)
    return sorted(set(policy_years(series)) & set(series.index["year"].iloc[2:]))


def yearly_changes(series: Yearly, highlight: Sequence[int] = (), *, min_cell: int = 10
                   ) -> trends.YearOnYear | Note | None:
    """Each year against the one before (a survey only; None for a series CSV, which has no sampling error):
    sentences for the changes beyond sampling error and for the years in ``highlight``; a note when the
    survey has a single year."""
    if series.cube is None:
        return None
    if series.cube.scores["year"].nunique() < 2:
        return Note("one_year")
    return trends.year_on_year(series.cube, min_cell=min_cell, highlight=tuple(highlight))


def known_breaks(series: Yearly, years: Sequence[int]) -> trends.KnownYearTests | Note:
    """Level-shift and Chow tests at each of ``years`` (:func:`analysis.analyses.trends.known_year_tests`);
    a note when there is no year to test."""
    if not years:
        return Note("known_years")
    return trends.known_year_tests(series.index, list(years), series.share)


def papi_folder(data: Survey | UnitSeries, papi: str | Path = "") -> str:
    """The PAPI folder of the real-data part: ``papi`` (notebook 03's parameter) when given, else the survey's
    own (``survey.papi``, its mapping's ``papi:`` key, set for a province's survey); "" for none (a series
    CSV has none of its own)."""
    if papi:
        return str(papi)
    return data.papi if isinstance(data, Survey) else ""


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
