"""The period under review: a month, quarter or round against the period before it and the same
period a year earlier (notebook 02 shows it; the executive summary takes its sentences).

A review of a period sees the survey up to that period (:func:`up_to`), so the year's sections
show the year to date.  The comparisons are :func:`analysis.analyses.indices.difference` on the
``period`` column: the covariance-aware test of two independent samples (strata within period).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.analyses.indices import difference, estimate
from analysis.data.schema import Survey
from analysis.reporting import narrative
from analysis.reporting.labels import period_name, relabel_values

COLUMNS = ["comparison", "period", "compared_period", "estimate", "compared_estimate", "difference", "se", "ci_low",
           "ci_high", "p_value", "n", "n_min", "suppressed"]


def order(period: str) -> tuple[int, int]:
    """A period's place in time: ``2023-R10`` after ``2023-R9``, ``2023-07`` after ``2023-06``."""
    text = str(period)
    return int(text[:4]), int(text[5:].lstrip("QR") or 0)


def periods(survey: Survey) -> list[str]:
    """The survey's periods, in time order."""
    return sorted(survey.periods(), key=order)


def up_to(survey: Survey, period: str) -> Survey:
    """The survey without the periods after ``period`` (a year: without the later years; "": the whole
    survey), so a review never uses data from after the period it reviews."""
    if not period:
        return survey
    after = (lambda p: int(p[:4]) > int(period)) if len(period) == 4 else (lambda p: order(p) > order(period))
    kept = [p for p in periods(survey) if not after(p)]
    if len(kept) == len(periods(survey)):
        return survey
    later = ~survey.comments["period"].astype(str).isin(kept) if len(survey.comments) else None
    return survey.where(lambda forms: forms["period"].astype(str).isin(kept),
                        comments=survey.comments if later is None else survey.comments[~later].reset_index(drop=True))


def year_earlier(period: str) -> str:
    """The same period a year before: ``2024-06`` -> ``2023-06``, ``2024-R1`` -> ``2023-R1``."""
    return f"{int(period[:4]) - 1}{period[4:]}"


@dataclass(frozen=True)
class PeriodReview:
    """The index of ``period`` and its changes against the period before and a year earlier.

    ``frame`` has a row per comparison made (``previous``, ``year_before``) with both estimates, the
    difference and its test, blanked when a side has fewer than ``min_cell`` respondents; ``index``
    is the period's own estimate (a row of :func:`~analysis.analyses.indices.estimate`).
    """

    period: str
    index: pd.Series
    frame: pd.DataFrame

    def table(self, lang: str | None = None) -> pd.DataFrame:
        """The comparisons; with ``lang`` the comparison and the periods named for readers."""
        if lang is None:
            return self.frame
        named = relabel_values(self.frame, "comparison", lang=lang)
        return named.assign(period=named["period"].map(lambda p: period_name(p, lang)),
                            compared_period=named["compared_period"].map(lambda p: period_name(p, lang)))

    def summary(self, lang: str = "vi") -> list[str]:
        """The period's index, then one sentence per comparison (or why there is none)."""
        lines = [narrative.period_index_sentence(self.index, period_name(self.period, lang), lang)]
        for row in self.frame.itertuples(index=False):
            lines.append(narrative.period_change_sentence(pd.Series(row._asdict()), lang))
        if self.frame.empty:
            lines.append(narrative.say("period_first", lang, period=period_name(self.period, lang)))
        return [*lines, narrative.say("period_year_to_date", lang, year=self.period[:4],
                                      period=period_name(self.period, lang))]

    def plot(self, lang: str = "vi"):
        return None


def review(survey: Survey, period: str, *, min_cell: int = 10) -> PeriodReview:
    """The index of ``period`` against the period before it and the same period a year earlier."""
    known = periods(survey)
    cube = survey.cube()
    own = estimate(cube, ["period"]).set_index("period").loc[period]
    others = []
    before = [p for p in known if order(p) < order(period)]
    if before:
        others.append(("previous_period", before[-1]))
    if year_earlier(period) in known and (not before or year_earlier(period) != before[-1]):
        others.append(("year_earlier", year_earlier(period)))
    rows = []
    for comparison, other in others:
        test = difference(cube, [], "period", period, other).iloc[0]
        tested = test[["difference", "se", "ci_low", "ci_high", "p_value", "n", "n_min"]].to_dict()
        rows.append({"comparison": comparison, "period": period, "compared_period": other, "estimate": test[period],
                     "compared_estimate": test[other], **tested})
    frame = pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "suppressed"]).astype({"n": int, "n_min": int})
    small = frame["n_min"] < min_cell
    frame.loc[small, ["estimate", "compared_estimate", "difference", "se", "ci_low", "ci_high", "p_value"]] = None
    frame["suppressed"] = small
    if own["n"] < min_cell:
        own = own.copy()
        own[["estimate", "se", "ci_low", "ci_high"]] = float("nan")
    return PeriodReview(period, own, frame)
