"""The executive summary: each section's headline, by the section's own call.

:func:`key_findings` calls the ``headline`` functions of :mod:`analysis.sections` with the
parameters the section notebooks take, so a number in the summary is by construction the number in
its section (``tests/test_summary_matches_sections.py`` checks it sentence by sentence).  A headline's
``notes`` (what its section cannot show, and why: no targets, no policy, too few years) stay in the
section: the summary tells findings only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.data.schema import Survey
from analysis.results import Result
from analysis.sections import comments, drivers, policy, satisfaction, trends
from analysis.sections.period import review


@dataclass(frozen=True)
class ExecutiveSummary:
    """The sections' headlines in the order the summary tells them."""

    year: int
    headlines: tuple[Result, ...]

    def table(self, lang: str | None = None) -> pd.DataFrame:
        """The summary's sentences in Vietnamese, one row each, with the headline they come from."""
        return pd.DataFrame([{"finding": type(h).__name__, "sentence": s} for h in self.headlines
                             for s in findings(h, "vi")], columns=["finding", "sentence"])

    def summary(self, lang: str = "vi") -> list[str]:
        """Every headline's findings, most important first."""
        return [sentence for headline in self.headlines for sentence in findings(headline, lang)]

    def plot(self, lang: str = "vi") -> None:
        return None


def findings(headline: Result, lang: str = "vi") -> list[str]:
    """A headline's sentences without its ``notes`` (what its section cannot show)."""
    notes = set(headline.notes(lang)) if hasattr(headline, "notes") else set()
    return [sentence for sentence in headline.summary(lang) if sentence not in notes]


def key_findings(survey: Survey, year: int, *, full_survey: Survey | None = None, min_cell: int = 10,
                 seed: int = drivers.SEED, replicates: int = 1000, published: pd.DataFrame | None = None,
                 max_breaks: int = 3, policies: Mapping[str, str] | None = None,
                 treated_units: Sequence[str] = (), comparison_units: Sequence[str] = (),
                 categories: str | Path = "", period: str = "") -> ExecutiveSummary:
    """The headlines of sections 02-06 for ``survey`` (already restricted to its scope).

    The parameters are the section notebooks' parameters of the same names (``published``:
    :func:`analysis.sections.satisfaction.published_figures`, the survey's own unless a file is given);
    ``full_survey`` is the whole survey (the policy designs compare the scope's agencies with agencies
    outside it); a ``period`` finer than the year (a month, quarter or round) comes first, against the
    period before and a year earlier (notebook 02's period review).
    """
    reviewed = (review(survey, period, min_cell=min_cell),) if len(period) > 4 else ()
    return ExecutiveSummary(year, (
        *reviewed,
        satisfaction.headline(survey, year, min_cell=min_cell, published=published),
        satisfaction.targets(survey, min_cell=min_cell),
        drivers.headline(survey, year, min_cell=min_cell, seed=seed, replicates=replicates),
        trends.headline(survey, year, min_cell=min_cell, max_breaks=max_breaks),
        policy.headline(survey, year, full_survey=full_survey, min_cell=min_cell, policies=policies,
                        treated_units=treated_units, comparison_units=comparison_units),
        comments.headline(survey, year, min_cell=min_cell, categories=categories),
    ))
