"""The executive summary: the key numbers of every section, computed the way the sections compute them.

:func:`key_findings` calls the same functions with the same parameters as
notebooks 02-06, so a number in the summary is the number in its section;
:func:`bullets` turns them into sentences (:mod:`analysis.reporting.narrative`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.analyses import (
    comments,
    describe,
    drivers,
    indices,
    policy,
    targets,
    trends,
)
from analysis.cube.memory import build_cube
from analysis.data.schema import Survey
from analysis.reporting import narrative


@dataclass
class Findings:
    """Tables behind the summary (percent where shares)."""

    year: int
    index: pd.DataFrame
    change: pd.Series | None
    projection: pd.DataFrame
    importance: drivers.Importance | None  # None: too few respondents this year (as notebook 05 says)
    ipa: pd.DataFrame | None
    dropped: int
    breaks: pd.DataFrame
    did: pd.DataFrame | None
    comment_shares: pd.DataFrame | None
    comment_names: comments.Config


def key_findings(survey: Survey, year: int, seed: int, replicates: int = 1000,
                 published: pd.DataFrame | None = None, min_cell: int = 10) -> Findings:
    """Compute the summary's numbers for ``survey`` (already restricted to its scope)."""
    cube = survey.cube()
    by_year = describe.index_by_year(cube, published)
    index, shown = indices.suppress(by_year, min_cell), describe.publishable_years(by_year, min_cell)
    change = describe.year_change(cube, year, year - 1, min_cell) if {year, year - 1} <= set(index["year"]) else None
    answers = drivers.driver_data(survey.responses, survey.units)
    this_year = answers[answers["year"] == year]
    importance = ipa = None
    if drivers.enough_respondents(this_year, min_cell):  # as notebook 05
        importance = drivers.relative_importance(this_year, replicates=replicates, seed=seed)
        ipa = drivers.importance_performance(importance, build_cube(
            survey.responses[survey.responses["year"] == year], survey.units))
    found = trends.labelled_breaks(shown.set_index("year")["rate"], survey.events, "index", max_breaks=3, min_size=2)
    did = None
    vertical = survey.units.set_index("unit_id")["vertical"]
    chosen = policy.policies_from_events(survey.events, periods=index["year"].astype(str))
    if chosen and vertical.any() and not vertical.all():
        did = policy.did_by_policy(policy.unit_period_panel(cube), ~vertical, chosen)
        did = did.assign(**{c: 100 * did[c] for c in ["estimate", "se", "ci_low", "ci_high"]})
    config = comments.load_config()
    texts = survey.comments[survey.comments["period"] == str(year)]
    shares = None
    if len(texts) >= min_cell:
        shares = indices.percent(comments.category_shares(comments.categorise(texts, config), texts, by=[],
                                                          min_cell=min_cell))
    return Findings(year, index, change, targets.project(shown, survey.targets), importance, ipa,
                    int(this_year.attrs.get("dropped", 0)), found, did, shares, config)


def bullets(findings: Findings, lang: str = "vi") -> list[str]:
    """The summary as sentences, most important first."""
    f = findings
    lines = [narrative.index_sentence(f.index, f.year, lang)] if f.year in set(f.index["year"]) else []
    if f.change is not None:
        lines.append(narrative.change_sentence(f.change, f.year - 1, f.year, lang))
    years = f.index.loc[~f.index["suppressed"], "year"]
    if len(years):
        first, last = int(years.min()), int(years.max())
        lines += [narrative.projection_sentence(row, first, last, lang) for _, row in f.projection.iterrows()]
    if f.importance is not None:
        lmg = f.importance.shares[f.importance.shares["metric"] == "lmg"]
        lines.append(narrative.drivers_sentence(lmg, f.importance.fit, lang, f.dropped).strip())
        lines.append(narrative.ipa_sentence(f.ipa, lang))
    lines += narrative.break_sentences(f.breaks, lang)
    if f.did is not None:
        lines += [narrative.did_sentence(row, int(row["clusters"]), lang) for _, row in f.did.iterrows()]
    if f.comment_shares is not None and f.comment_shares["estimate"].notna().any():
        lines.append(narrative.comments_sentence(f.comment_shares, lang, f.comment_names.name))
    return lines
