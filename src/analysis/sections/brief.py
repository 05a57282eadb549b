"""The one-page brief a director reads first: number boxes, the best and worst agencies, the top
complaints, what to act on and one line per policy.

:func:`brief` takes the executive summary's headlines (:func:`analysis.sections.summary.key_findings`)
and the section's ranking (:func:`analysis.sections.satisfaction.ranking`), so every number of the brief
is the number its section shows; nothing is recomputed.  The words are plain: p-values, clustering and
method names stay in the sections and the methods appendix, and the brief's notes say where.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.reporting import narrative
from analysis.reporting.labels import label
from analysis.results import Result
from analysis.sections.comments import NOT_COMPLAINTS, CommentsHeadline
from analysis.sections.drivers import DriversHeadline
from analysis.sections.integrity import IntegrityHeadline
from analysis.sections.period import PeriodReview
from analysis.sections.policy import PolicyHeadline
from analysis.sections.satisfaction import IndexHeadline, Ranking, TargetOutlook
from analysis.sections.summary import ExecutiveSummary
from analysis.sections.trends import BreakHeadline

SHOWN = 3  # agencies at each end of the ranking, complaint topics
BOX_COLUMNS = ["box", "period", "value", "low", "high", "target", "probability", "beyond_error"]


@dataclass(frozen=True)
class Brief:
    """What the brief shows, in proportions: ``boxes`` (``BOX_COLUMNS``: the reviewed period's index, its
    change since the period before, each later target's projection), the ``best`` and ``worst`` agencies
    (rows of the ranking), the top ``complaints`` (category shares) and the sentences: ``act`` (what to
    improve), ``policies``, ``trend`` and ``integrity`` (whether the index survives without flagged forms;
    one line each)."""

    title: str
    boxes: pd.DataFrame
    best: pd.DataFrame
    worst: pd.DataFrame
    agencies: int
    complaints: pd.DataFrame
    act: list[str]
    policies: list[str]
    trend: list[str]
    notes_keys: tuple[str, ...]
    integrity: tuple[str, ...] = ()

    percent = ("value", "low", "high", "target", "probability")

    def table(self, lang: str | None = None) -> pd.DataFrame:
        """The boxes (the brief's numbers, saved as ``brief.csv``)."""
        return self.boxes if lang is None else self.boxes.assign(box=self.boxes["box"].map(
            lambda code: label(f"brief.{code}", lang)))

    def summary(self, lang: str = "vi") -> list[str]:
        return []  # the brief is drawn (:meth:`html`); the executive summary's sentences follow it

    def notes(self, lang: str = "vi") -> list[str]:
        """Where the methods behind the brief's numbers are (p-values, designs, the verdict rules)."""
        return [label(f"brief.note.{key}", lang) for key in self.notes_keys]

    def html(self, lang: str = "vi") -> str:
        """The brief as one HTML block (:func:`analysis.reporting.brief.render`)."""
        from analysis.reporting.brief import render

        return render(self, lang)

    def plot(self, lang: str = "vi") -> None:
        return None


def headline_of(findings: ExecutiveSummary, kind: type) -> Result | None:
    """The executive summary's headline of type ``kind``, if it has one."""
    return next((h for h in findings.headlines if isinstance(h, kind)), None)


def beyond(p_value: float) -> bool | None:
    """Whether a change exceeds sampling error (its test rejects at 5%); None when it has no test."""
    return None if pd.isna(p_value) else bool(p_value < 0.05)


def boxes(findings: ExecutiveSummary) -> pd.DataFrame:
    """The number boxes: the reviewed period's index, its change since the period before (with whether the
    change exceeds sampling error) and each later target's projection with the chance of reaching it."""
    rows = []
    reviewed, index = headline_of(findings, PeriodReview), headline_of(findings, IndexHeadline)
    if isinstance(reviewed, PeriodReview):
        own = reviewed.index
        rows.append({"box": "index", "period": reviewed.period, "value": own["estimate"], "low": own["ci_low"],
                     "high": own["ci_high"]})
        for row in reviewed.frame.itertuples():
            if row.comparison == "previous_period":
                rows.append({"box": "change", "period": row.compared_period, "value": row.difference,
                             "low": row.ci_low, "high": row.ci_high, "beyond_error": beyond(row.p_value)})
    elif isinstance(index, IndexHeadline):
        year = index.index.set_index("year")
        if index.year in year.index and not year.loc[index.year, "suppressed"]:
            own = year.loc[index.year]
            rows.append({"box": "index", "period": str(index.year), "value": own["estimate"],
                         "low": own["ci_low"], "high": own["ci_high"]})
        if index.change is not None and pd.notna(index.change["difference"]):
            change = index.change
            rows.append({"box": "change", "period": str(index.year - 1), "value": change["difference"],
                         "low": change["ci_low"], "high": change["ci_high"],
                         "beyond_error": beyond(change["p_value"])})
    outlook = headline_of(findings, TargetOutlook)
    if isinstance(outlook, TargetOutlook):
        for row in outlook.projection.itertuples():
            if pd.notna(row.projected):
                rows.append({"box": "target", "period": str(row.year), "value": row.projected, "low": row.pi_low,
                             "high": row.pi_high, "target": row.target, "probability": row.probability})
    return pd.DataFrame(rows, columns=BOX_COLUMNS)


def ends(ranking: Ranking) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The best and the worst agencies of the ranking (at most :data:`SHOWN` each, never the same one)."""
    frame = ranking.frame.sort_values("rank")
    shown = min(SHOWN, len(frame) // 2)
    return frame.head(shown), frame.tail(shown).iloc[::-1]


def complaints(headline: Result | None, lang: str = "vi") -> pd.DataFrame:
    """The :data:`SHOWN` commonest complaint topics of the year (praise and uncategorised left out), named
    in ``lang``: ``category, name, estimate, ci_low, ci_high, count, comments``."""
    columns = ["category", "name", "estimate", "ci_low", "ci_high", "count", "comments"]
    if not isinstance(headline, CommentsHeadline):
        return pd.DataFrame(columns=columns)
    shares = headline.shares.shares
    shares = shares[~shares["category"].isin(NOT_COMPLAINTS) & shares["estimate"].notna() & (shares["count"] > 0)]
    top = shares.sort_values("estimate", ascending=False).head(SHOWN)
    return top.assign(name=top["category"].map(lambda code: headline.shares.keywords.name(code, lang)))[columns]


def brief(findings: ExecutiveSummary, ranking: Ranking, title: str, lang: str = "vi",
          integrity: IntegrityHeadline | None = None) -> Brief:
    """The brief of ``findings`` (the executive summary), ``ranking`` (notebook 02's) and ``integrity``
    (notebook 10's :func:`analysis.sections.integrity.headline`), titled ``title``, its sentences in ``lang``."""
    best, worst = ends(ranking)
    drivers, policy, trend = (headline_of(findings, DriversHeadline), headline_of(findings, PolicyHeadline),
                              headline_of(findings, BreakHeadline))
    act = drivers.ipa.summary(lang) if isinstance(drivers, DriversHeadline) and drivers.ipa is not None else []
    policies = ([narrative.policy_brief_line(row, lang, policy.setup.share, policy.setup.provincial)
                 for _, row in policy.verdicts.iterrows()] if isinstance(policy, PolicyHeadline) else [])
    trend_line = [narrative.trend_brief_line(trend, lang)] if isinstance(trend, BreakHeadline) and trend.searched \
        else []
    numbers = boxes(findings)
    notes = ("intervals", *(("targets",) if numbers["box"].eq("target").any() else ()),
             *(("ranking",) if len(best) else ()), *(("policies",) if policies else ()), "sections")
    survives = narrative.integrity_brief_line(integrity, lang) if integrity is not None else None
    return Brief(title, numbers, best, worst, len(ranking.frame),
                 complaints(headline_of(findings, CommentsHeadline), lang), act, policies, trend_line, notes,
                 (survives,) if survives else ())
