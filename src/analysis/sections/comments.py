"""Section 06, written suggestions: the calls notebook 06 makes; the executive summary calls :func:`headline`.

:func:`headline` gives the shares of the year's comments in each category
(and the sentence the summary shows); :func:`collect` categorises every
comment once for the rest of the section: shares by year and by a segment,
the categories that go with dissatisfied answers, frequent words and quotes.
Shares are proportions; tables come back with the categories' names
(``named``) where the notebook saves them so.  A year is every period of
that year (``2023``, ``2023-07``, ``2023-Q3``, ``2023-R1``).  A survey without
comments, or a year with too few, gets one sentence saying so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.analyses import comments
from analysis.analyses.comments import CategoryShares, Keywords
from analysis.data.schema import Survey
from analysis.reporting import narrative
from analysis.reporting.labels import label

LABELLED = ("channel", "group")  # segment columns holding codes (blocks and unit ids are names already)


NOT_COMPLAINTS = ("praise", "other")  # comment categories that are not what people complain about

@dataclass(frozen=True)
class Comments:
    """The comments of a survey, categorised once.

    ``texts``: the comments with their unit's ``block`` and the respondent's
    ``channel`` and ``group``; ``found``: one row per comment and category
    (:func:`analysis.analyses.comments.categorise`); ``keywords``: the dictionary.
    """

    texts: pd.DataFrame
    found: pd.DataFrame
    keywords: Keywords

    def of_year(self, year: int) -> Comments:
        """The comments of ``year`` (of its months, quarters or rounds too)."""
        texts, found = self.texts, self.found
        return Comments(texts[in_year(texts["period"], year)], found[in_year(found["period"], year)], self.keywords)

    @property
    def empty(self) -> bool:
        """No comment at all (the survey has none, or none in scope)."""
        return self.texts.empty

    def name(self, table: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
        """``table`` with the categories' names in ``lang`` instead of their codes."""
        return table.assign(category=table["category"].map(lambda code: self.keywords.name(code, lang)))


def in_year(periods: pd.Series, year: int) -> pd.Series:
    """Which periods (2023, 2023-07, 2023-Q3, 2023-R1) fall in ``year``."""
    return periods.astype(str).str.slice(0, 4) == str(year)


def collect(survey: Survey, categories: str | Path = "", year: int | None = None) -> Comments:
    """The survey's comments (of ``year`` only, when given) with block, channel and group, categorised
    by the dictionary ``categories`` (a YAML path; empty for the shipped one)."""
    keywords = comments.load_keywords(categories or None)
    texts = survey.comments if year is None else survey.comments[in_year(survey.comments["period"], year)]
    texts = texts.merge(survey.units[["unit_id", "block"]], on="unit_id")
    texts = texts.assign(year=texts["period"].astype(str).str.slice(0, 4).astype(int))  # months count in their year
    respondents = survey.respondents()[["period", "respondent_id", "channel", "group"]]
    texts = texts.merge(respondents, on=["period", "respondent_id"], how="left")
    return Comments(texts, comments.categorise(texts, keywords), keywords)


@dataclass(frozen=True)
class CommentsHeadline:
    """The shares of the year's comments in each category (over all of them).

    ``total`` is the comments of the survey (every year); ``min_cell`` the fewest comments a year's shares
    are published with.
    """

    year: int
    shares: CategoryShares
    total: int = 0
    min_cell: int = 10

    def table(self, lang: str | None = None) -> pd.DataFrame:
        return self.shares.table()

    def summary(self, lang: str = "vi") -> list[str]:
        """The number of comments and the most common category, or (:meth:`notes`) why there is none."""
        if not self.shares.shares["estimate"].notna().any():
            return self.notes(lang)
        return [narrative.comments_sentence(self.shares.shares, lang, self.shares.keywords.name, self.year)]

    def notes(self, lang: str = "vi") -> list[str]:
        """What the section cannot show: the survey has no comments, or the year too few (not in the
        executive summary)."""
        if not self.total:
            return [narrative.absent("comments", lang)]
        if not self.shares.shares["estimate"].notna().any():
            return [narrative.say("comments_too_few", lang, year=self.year, min_cell=self.min_cell)]
        return []

    def plot(self, lang: str = "vi"):
        return None


def headline(survey: Survey, year: int, *, min_cell: int = 10, categories: str | Path = "") -> CommentsHeadline:
    """Category shares of ``year``'s comments, blank (and a sentence saying so) under ``min_cell`` comments.

    ``categories`` is notebook 06's parameter: a keyword dictionary, empty for the shipped one.
    """
    found = collect(survey, categories, year).of_year(year)
    return CommentsHeadline(year, shares(found, [], min_cell=min_cell), len(survey.comments), min_cell)


def shares(found: Comments, by: list[str], *, min_cell: int = 10) -> CategoryShares:
    """Category shares of the comments by ``by`` (``[]``: over all of them)."""
    return comments.category_shares(found.found, found.texts, by=by, min_cell=min_cell, keywords=found.keywords)


def by_year(found: Comments, *, min_cell: int = 10, lang: str = "vi") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Shares by year, tidy (categories named) and wide (categories x years)."""
    table = found.name(shares(found, ["year"], min_cell=min_cell).table(), lang)
    wide = table.pivot(index="category", columns="year", values="estimate")
    return table, wide.rename(columns=str).reset_index()  # the years as column names


def by_segment(found: Comments, segment: str, *, min_cell: int = 10, lang: str = "vi"
               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Shares by ``segment`` (block, unit_id, channel, group), tidy and wide (segments x categories)."""
    table = found.name(shares(found, [segment], min_cell=min_cell).table(), lang)
    if segment in LABELLED:
        table[segment] = table[segment].map(lambda code: label(code, lang))
    return table, table.pivot(index=segment, columns="category", values="estimate").reset_index()


@dataclass(frozen=True)
class Dissatisfaction:
    """How each category's commenters answered the overall question against the other commenters
    (:func:`analysis.analyses.comments.with_dissatisfaction`, proportions)."""

    linked: pd.DataFrame
    keywords: Keywords
    years: tuple[int, int] = (0, 0)  # the first and last year of the comments pooled
    comments: int = 0

    def table(self, lang: str | None = None) -> pd.DataFrame:
        return self.linked

    def summary(self, lang: str = "vi") -> list[str]:
        """That the part pools every year's comments (and how many), then the categories whose commenters
        are more often dissatisfied, or that none is."""
        pooled = narrative.say("comments_pooled", lang, first=self.years[0], last=self.years[1],
                               n=narrative.format_number(self.comments, lang, 0))
        return [pooled, *narrative.dissatisfaction_sentences(self.linked, lang, self.keywords.name)]

    def plot(self, lang: str = "vi"):
        return None


def dissatisfaction(found: Comments, survey: Survey, *, min_cell: int = 10) -> Dissatisfaction:
    """Which categories go with dissatisfied overall answers (every year's comments, pooled for their number;
    the part says so)."""
    years = found.texts["year"]
    return Dissatisfaction(comments.with_dissatisfaction(found.found, survey.grid(), min_cell=min_cell), found.keywords,
                           (int(years.min()), int(years.max())) if len(years) else (0, 0), len(found.texts))


def terms(found: Comments, *, min_cell: int = 10, n: int = 5, lang: str = "vi") -> pd.DataFrame:
    """The most frequent words and two-word phrases of each category (categories named)."""
    return found.name(comments.top_terms(found.found, found.texts, found.keywords, n=n, min_cell=min_cell), lang)


def quotes(found: Comments, *, min_cell: int = 10, seed: int = 0, per_category: int = 2,
           lang: str = "vi") -> pd.DataFrame:
    """A few quotes per category from unit-periods with at least ``min_cell`` comments (categories named)."""
    picked = comments.examples(found.found, found.texts, per_category=per_category, min_cell=min_cell, seed=seed)
    return found.name(picked, lang)
