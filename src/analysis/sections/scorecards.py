"""Agency scorecards: one page per agency an agency head can be handed.

:func:`scorecards` gives, for each agency of the scope with at least ``min_cell`` respondents in the
year, its index with its interval and rank interval (the ranking of section 02), its components against
its block and the whole scope, its change since the year before, its commonest complaint topics and two
scrubbed quotes; an agency under ``min_cell`` gets only its name and the sentence that it is suppressed.
Every number is an estimate of :mod:`analysis.analyses.indices` on the survey's cube, as in section 02.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.analyses import comments as comment_analysis
from analysis.analyses.indices import difference, estimate, suppress
from analysis.data.schema import Survey
from analysis.sections.comments import NOT_COMPLAINTS, Comments, collect
from analysis.sections.satisfaction import Ranking

QUOTES = 2  # scrubbed quotes per agency
TOPICS = 3  # complaint topics per agency


@dataclass(frozen=True)
class Scorecards:
    """One row per agency (``agencies``: ``unit_id, unit_name, block, n, estimate, ci_low, ci_high, shrunk,
    rank, rank_low, rank_high, change, change_low, change_high, change_p, suppressed``), its components
    against its block and the scope (``components``: ``unit_id, component, estimate, block_estimate,
    scope_estimate``), its complaint topics (``topics``) and quotes (``quotes``); ``ranked`` agencies in
    the ranking; ``year`` the year."""

    year: int
    agencies: pd.DataFrame
    components: pd.DataFrame
    topics: pd.DataFrame
    quotes: pd.DataFrame
    ranked: int
    comment_names: Comments | None = None

    percent = ("estimate", "ci_low", "ci_high", "shrunk", "change", "change_low", "change_high")

    def table(self, lang: str | None = None) -> pd.DataFrame:
        """The agencies' row (saved as ``scorecards.csv``; suppressed agencies blank)."""
        return self.agencies

    def summary(self, lang: str = "vi") -> list[str]:
        return []

    def html(self, lang: str = "vi") -> str:
        """Every agency's card (:func:`analysis.reporting.scorecard.render`)."""
        from analysis.reporting.scorecard import render

        return render(self, lang)

    def plot(self, lang: str = "vi") -> None:
        return None


def scorecards(survey: Survey, year: int, ranking: Ranking, *, min_cell: int = 10, seed: int = 0,
               categories: str = "") -> Scorecards:
    """The scorecards of every agency of ``survey`` (already in scope) in ``year``; ``ranking`` is section
    02's (:func:`analysis.sections.satisfaction.ranking`), ``categories`` notebook 06's dictionary."""
    cube = survey.cube()
    units = survey.units[["unit_id", "unit_name", "block"]]
    index = estimate(cube, ["year", "unit_id"]).query("year == @year")
    agencies = units.merge(index[["unit_id", "n", "estimate", "ci_low", "ci_high"]], on="unit_id", how="inner")
    agencies = agencies.merge(ranking.frame[["unit_name", "shrunk", "rank", "rank_low", "rank_high"]],
                              on="unit_name", how="left")
    if year - 1 in set(cube.scores["year"]):
        change = difference(cube, ["unit_id"], "year", year, year - 1).rename(columns={
            "difference": "change", "ci_low": "change_low", "ci_high": "change_high", "p_value": "change_p"})
        change = suppress(change, min_cell, "n_min")
        agencies = agencies.merge(change[["unit_id", "change", "change_low", "change_high", "change_p"]],
                                  on="unit_id", how="left")
    else:
        agencies = agencies.assign(change=float("nan"), change_low=float("nan"), change_high=float("nan"),
                                   change_p=float("nan"))
    agencies = suppress(agencies.sort_values("rank", na_position="last").reset_index(drop=True), min_cell)
    kept = agencies.loc[~agencies["suppressed"], "unit_id"]
    topics, quotes, found = complaints(survey, year, kept, min_cell, seed, categories)
    return Scorecards(year, agencies, components(survey, year, kept), topics, quotes, len(ranking.frame), found)


def components(survey: Survey, year: int, kept: pd.Series) -> pd.DataFrame:
    """Each kept agency's components beside its block's and the scope's, in ``year``."""
    cube = survey.cube()
    own = estimate(cube, ["year", "unit_id", "component"]).query("year == @year and unit_id in @kept")
    block = estimate(cube, ["year", "block", "component"]).query("year == @year")
    scope = estimate(cube, ["year", "component"]).query("year == @year")
    table = own[["unit_id", "component", "estimate"]].merge(survey.units[["unit_id", "block"]], on="unit_id")
    table = table.merge(block[["block", "component", "estimate"]].rename(columns={"estimate": "block_estimate"}),
                        on=["block", "component"], how="left")
    table = table.merge(scope[["component", "estimate"]].rename(columns={"estimate": "scope_estimate"}),
                        on="component", how="left")
    order = {code: k for k, code in enumerate(cube.components)}
    return table.sort_values(["unit_id", "component"], key=lambda c: c.map(order) if c.name == "component"
                             else c).reset_index(drop=True)


def complaints(survey: Survey, year: int, kept: pd.Series, min_cell: int, seed: int, categories: str
               ) -> tuple[pd.DataFrame, pd.DataFrame, Comments | None]:
    """The commonest complaint topics of each kept agency's comments of ``year`` (agencies with at least
    ``min_cell`` comments) and two scrubbed quotes of them."""
    empty = pd.DataFrame(columns=["unit_id", "category", "estimate", "comments"])
    if survey.comments.empty:
        return empty, pd.DataFrame(columns=["unit_id", "category", "text"]), None
    found = collect(survey, categories, year)
    shares = comment_analysis.category_shares(found.found, found.texts, by=["unit_id"], min_cell=min_cell,
                                              keywords=found.keywords).table()
    shares = shares[shares["unit_id"].isin(kept) & ~shares["category"].isin(NOT_COMPLAINTS)
                    & shares["estimate"].notna() & (shares["count"] > 0)]
    topics = (shares.sort_values(["unit_id", "estimate"], ascending=[True, False]).groupby("unit_id").head(TOPICS)
              [["unit_id", "category", "estimate", "comments"]])
    complaint = found.found[~found.found["category"].isin(NOT_COMPLAINTS)]
    quotes = [comment_analysis.examples(complaint[complaint["unit_id"] == unit], found.texts[found.texts["unit_id"]
                                                                                              == unit],
                                        per_category=1, min_cell=min_cell, seed=seed).head(QUOTES)
              for unit in kept]
    quotes_table = pd.concat([pd.DataFrame(columns=["unit_id", "category", "text"]), *quotes], ignore_index=True)
    return topics.reset_index(drop=True), quotes_table[["unit_id", "category", "text"]], found
