"""Section 07, Decision 766/QĐ-TTg: the calls notebook 07 makes.

:func:`headline` scores every unit and period of an indicator table with the
survey's satisfaction criterion and states one unit's month (the sentence of
notebook 07); the rest of the section reads the same scores: the unit's
criteria and groups, every unit's total in the month, the bands of the year,
the month's satisfaction by group and channel, the feedback indicators.
Survey shares are proportions; indicator rates, thresholds and points are the
Decision's percent and points.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.analyses import comments
from analysis.analyses import decision766 as d766
from analysis.analyses.decision766 import Scores
from analysis.analyses.indices import suppress
from analysis.cube.memory import Cube
from analysis.data.schema import Survey
from analysis.reporting import narrative, plots
from analysis.reporting.labels import label


@dataclass(frozen=True)
class Decision766Headline:
    """The Decision 766 scores of every unit and period, and the unit-month the section states.

    ``indicators``: the indicator table with the survey's rates (percent), as scored;
    ``cube``: the survey's cube; ``units``: the unit table.
    """

    scores: Scores
    indicators: pd.DataFrame
    cube: Cube
    units: pd.DataFrame
    unit_id: str
    period: str

    @property
    def unit_name(self) -> str:
        return str(self.units.set_index("unit_id").loc[self.unit_id, "unit_name"])

    def table(self, lang: str | None = None) -> pd.DataFrame:
        """The unit's criteria in the period: rate (percent), threshold, maximum and points."""
        criteria = self.scores.criteria
        chosen = (criteria["unit_id"] == self.unit_id) & (criteria["period"] == self.period)
        return criteria.loc[chosen, ["index_group", "criterion", "rate_pct", "threshold", "max_points", "points"]]

    def summary(self, lang: str = "vi") -> list[str]:
        """The unit's satisfaction, total points and band in the period, and the criteria without data."""
        return [narrative.decision766_sentence(self.scores, self.unit_id, self.period, self.unit_name, lang)]

    def plot(self, lang: str = "vi"):
        """Every unit's total points by period, with the band edges."""
        return plots.decision766_totals(self.scores.totals, self.units, lang)

    def for_readers(self, table: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
        """``table`` with groups, criteria, bands and units named
        (:func:`analysis.analyses.decision766.for_readers`)."""
        return d766.for_readers(table, self.scores.scoring, lang, self.units if "unit_id" in table else None)


def headline(survey: Survey, period: str, *, office: str, indicators: str | Path,
             config: str | Path | None = None) -> Decision766Headline:
    """Score the indicator table ``indicators`` (with the survey's satisfaction criterion) by the scoring
    ``config`` (None: the shipped default) and state ``office`` (a unit id or name) in ``period``."""
    scoring = d766.load_scoring(config)
    cube = survey.cube()
    table = d766.with_survey_rates(d766.load_indicators(indicators, scoring, survey.units), cube, scoring)
    return Decision766Headline(d766.score(table, scoring), table, cube, survey.units,
                               d766.find_unit(survey.units, office), period)


def groups(head: Decision766Headline) -> pd.DataFrame:
    """The unit's points by group in the period."""
    table = head.scores.groups
    chosen = (table["unit_id"] == head.unit_id) & (table["period"] == head.period)
    return table.loc[chosen, ["index_group", "max_points", "points", "n_missing"]]


def offices(head: Decision766Headline) -> pd.DataFrame:
    """Every unit in the period: respondents and share satisfied (a proportion), total points, band, gaps."""
    satisfaction = d766.survey_rates(head.cube)[["unit_id", "period", "n", "estimate"]]
    totals = head.scores.totals
    table = totals[totals["period"] == head.period].merge(satisfaction, on=["unit_id", "period"], how="left")
    return table[["unit_id", "n", "estimate", "total_points", "band", "n_missing"]]


def year_scores(head: Decision766Headline) -> Scores:
    """The scores of the periods of the headline period's year."""
    return head.scores.during(head.period[:4])


def band_counts(scores: Scores) -> pd.DataFrame:
    """Number of periods in each band per unit (:func:`analysis.analyses.decision766.band_counts`)."""
    return d766.band_counts(scores.totals)


def satisfaction_breakdown(head: Decision766Headline, *, min_cell: int = 10, lang: str = "vi") -> pd.DataFrame:
    """The unit's share satisfied in the period by group and channel (proportions), small groups blank."""
    by = ["unit_id", "period", "group", "channel"]
    table = d766.survey_rates(head.cube, "overall", by)
    table = table[(table["unit_id"] == head.unit_id) & (table["period"] == head.period)]
    table = suppress(table, min_cell)[["group", "channel", "n", "estimate", "ci_low", "ci_high"]]
    return table.assign(**{c: table[c].map(lambda code: label(code, lang)) for c in ("group", "channel")})


@dataclass(frozen=True)
class Feedback:
    """Decision 766 group 5 feedback indicators of the headline period's year (percent, as the Decision
    states them): over all units (the sentences) and by unit (the table)."""

    overall: pd.DataFrame
    by_unit: pd.DataFrame

    def table(self, lang: str | None = None) -> pd.DataFrame:
        return self.by_unit

    def summary(self, lang: str = "vi") -> list[str]:
        return narrative.feedback_sentences(self.overall, lang)

    def plot(self, lang: str = "vi"):
        return None


def feedback(head: Decision766Headline, lang: str = "vi") -> Feedback:
    """The feedback indicators of the year (means over its unit-months); the by-unit table named for readers."""
    in_year = head.indicators[head.indicators["period"].str[:4] == head.period[:4]]
    by_unit = comments.feedback_summary(in_year, by=["unit_id"])
    by_unit = by_unit.assign(measure=by_unit["measure"].map(lambda m: label(m, lang)))
    return Feedback(comments.feedback_summary(in_year, by=[]), head.for_readers(by_unit, lang))
