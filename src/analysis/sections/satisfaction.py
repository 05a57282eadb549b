"""Section 02, satisfaction with its uncertainty: the calls notebook 02 makes, one per finding.

:func:`headline` is the index by year, this year's index and its change since
the year before: the sentences the executive summary shows for this section.
:func:`targets` is the outlook against the targets, whose projection sentences
the summary shows too. The other calls (:func:`components`, :func:`items`,
:func:`blocks`, :func:`gaps`, :func:`ranking`) give the rest of the section.
Every result follows :class:`analysis.results.Result`; shares are proportions.

>>> data = survey_in_scope("../data/raw/province_survey/mapping.yaml")  # doctest: +SKIP
>>> headline(data, 2023, min_cell=10).summary("en")                      # doctest: +SKIP
['In 2023 the satisfaction index was 85.71% (95% CI 84.38% to 86.94%).', 'Compared with 2022, ... rose by 3.73 ...']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import pandas as pd

from analysis.analyses import describe
from analysis.analyses.indices import REST, difference, estimate, suppress
from analysis.analyses.ranking import rank_intervals, shrink, tau2
from analysis.analyses.targets import against_targets, project
from analysis.data.load import load_published_figures
from analysis.data.schema import Survey
from analysis.data.scope import PROVINCE
from analysis.reporting import narrative, plots
from analysis.reporting.labels import ANSWER_LABELS, relabel_values

SEED = 20231231  # the report's default seed (analysis.pipeline.report.ReportParameters.seed)
GAP_BY = ("channel", "group")  # the columns whose levels the gaps compare
# Known codes come first, in this order (the embedded reports' convention: direct minus online, citizen minus
# business); a survey's own codes follow, most respondents first.
GAP_ORDER = ("direct", "online", "citizen", "business", "budget_unit")
MAX_PAIRWISE = 3  # up to this many levels every pair is compared; with more, each level against the rest
GAP_COLUMNS = ["year", "first", "second", "difference", "se", "ci_low", "ci_high", "p_value", "n", "n_min",
               "suppressed", "first_level", "second_level", "by"]
RANKING_COLUMNS = ["unit_name", "block", "n", "estimate", "ci_low", "ci_high", "shrunk", "rank", "rank_low",
                   "rank_high"]


def published_figures(survey: Survey, path: str | Path | None = "", scope: str = PROVINCE) -> pd.DataFrame | None:
    """The published figures the index is set beside: those of the file ``path`` when one is given (the
    notebooks' ``published`` parameter), else the survey's own (``survey.published``, from its mapping's
    ``published:`` key), reduced to the index's figures of its ``published_scope``
    (:func:`analysis.analyses.describe.index_figures`).

    None for a report on a block or an agency (published figures are the whole survey's); an empty table
    when the whole survey has none (the index section then says so).
    """
    if scope != PROVINCE:
        return None
    figures = load_published_figures(path) if path else survey.published
    return describe.index_figures(figures, survey.published_scope)


# --------------------------------------------------------------------------- the headline: the index


@dataclass(frozen=True)
class IndexHeadline:
    """The satisfaction index by year (suppressed under ``min_cell``), the year's index and its change."""

    year: int
    index: pd.DataFrame  # describe.index_by_year suppressed: year, n, estimate, se, ci_low, ci_high, [published,
    #                      difference,] suppressed
    change: pd.Series | None  # the year minus the year before (a row of indices.difference); None: not both surveyed
    targets: pd.DataFrame = field(repr=False)  # drawn on the chart
    events: pd.DataFrame = field(repr=False)
    unpublished: bool = False  # a report on the whole survey, which has no published figures

    def table(self, lang: str | None = None) -> pd.DataFrame:
        return self.index

    def summary(self, lang: str = "vi") -> list[str]:
        """The year's index with its interval (and published figure), then its change since the year before;
        then :meth:`notes`."""
        surveyed = self.year in set(self.index["year"])
        lines = [narrative.index_sentence(self.index, self.year, lang)] if surveyed else []
        if self.change is not None:
            lines.append(narrative.change_sentence(self.change, self.year - 1, self.year, lang))
        return lines + self.notes(lang)

    def notes(self, lang: str = "vi") -> list[str]:
        """What the section cannot show (no published figures for the survey); not in the executive summary."""
        return [narrative.absent("published", lang)] if self.unpublished else []

    def plot(self, lang: str = "vi"):
        """The index by year with its band, the published figures, the targets and the events."""
        return plots.index_trend(self.index, lang, self.targets, self.events)


def headline(survey: Survey, year: int, *, min_cell: int = 10,
             published: pd.DataFrame | None = None) -> IndexHeadline:
    """The index of ``survey`` (already restricted to its scope) by year, and ``year`` against ``year - 1``.

    ``published`` is :func:`published_figures`: None (a block or an agency: no published column), an
    empty table (the survey has none: the section says so) or the figures; years and comparisons with
    fewer than ``min_cell`` respondents are suppressed.
    """
    cube = survey.cube()
    index = suppress(describe.index_by_year(cube, published), min_cell)
    change = describe.year_change(cube, year, year - 1, min_cell) if {year, year - 1} <= set(index["year"]) else None
    unpublished = published is not None and published.empty
    return IndexHeadline(year, index, change, survey.targets, survey.events, unpublished)


# --------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class TargetOutlook:
    """The index against its targets: the years met (``met``) and the projection to the later targets.

    Only years with at least ``min_cell`` respondents are compared and projected; ``first`` and
    ``last`` are the years the projection's line went through (None: no such year, nothing said).
    """

    met: pd.DataFrame  # targets.against_targets: year, estimate, ci_low, ci_high, target, gap, met, met_beyond_doubt
    projection: pd.DataFrame  # targets.project: year, target, projected, pi_low, pi_high, probability, years_used, note
    first: int | None
    last: int | None
    given: bool = True  # the survey has targets (its mapping's ``targets:`` file)
    series: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)  # the years projected from

    def table(self, lang: str | None = None) -> pd.DataFrame:
        """The projection (no table when there is nothing to project)."""
        return self.projection if len(self.projection) else pd.DataFrame()

    def summary(self, lang: str = "vi") -> list[str]:
        """One sentence per later target: the projected index and the chance of reaching the target (or
        that the series is too short for it); then :meth:`notes`."""
        if self.first is None or self.last is None:
            return self.notes(lang)
        return [narrative.projection_sentence(row, self.first, self.last, lang)
                for _, row in self.projection.iterrows()] + self.notes(lang)

    def notes(self, lang: str = "vi") -> list[str]:
        """What the section cannot show: no targets at all, no year with enough respondents, or no target
        after the data (not in the executive summary)."""
        if not self.given:
            return [narrative.absent("targets", lang)]
        if self.first is None:
            return [narrative.absent("target_years", lang)]
        return [narrative.absent("targets_ahead", lang)] if self.projection.empty else []

    def plot(self, lang: str = "vi"):
        """The index and its projection to each later target, or None when nothing is projected."""
        if self.series.empty or not self.projection["projected"].notna().any():
            return None
        return plots.projection(self.series, self.projection, lang)


def targets(survey: Survey, *, min_cell: int = 10) -> TargetOutlook:
    """The index of every year with at least ``min_cell`` respondents against ``survey.targets``, and its
    projection to the targets after the last such year."""
    years = describe.publishable_years(describe.index_by_year(survey.cube()), min_cell)
    first, last = (int(years["year"].min()), int(years["year"].max())) if len(years) else (None, None)
    return TargetOutlook(against_targets(years, survey.targets), project(years, survey.targets), first, last,
                         given=not survey.targets.empty, series=years)


# --------------------------------------------------------------------------- the rest of the section


@dataclass(frozen=True)
class Estimates:
    """One year's index by a category (``component`` or ``block``) with 95% intervals, suppressed under min_cell."""

    frame: pd.DataFrame  # year, <category>, n, estimate, se, ci_low, ci_high, suppressed
    category: str

    def table(self, lang: str | None = None) -> pd.DataFrame:
        """The estimates; with ``lang`` the category's codes (a component) in the reader's words."""
        return self.frame if lang is None else relabel_values(self.frame, self.category, lang=lang)

    def summary(self, lang: str = "vi") -> list[str]:
        return []

    def plot(self, lang: str = "vi"):
        return plots.share_intervals(self.frame, self.category, lang)


def by_category(survey: Survey, year: int, category: str, min_cell: int = 10) -> Estimates:
    """The index of ``year`` by ``category``: ``"component"`` (the survey's components) or a grouping
    column of :func:`analysis.analyses.indices.estimate` (``"block"``, ``"channel"``, ...)."""
    table = estimate(survey.cube(), ["year", category])
    table = suppress(table[table["year"] == year], min_cell).drop(columns=["method", "df"])
    return Estimates(table.reset_index(drop=True), category)


def components(survey: Survey, year: int, *, min_cell: int = 10) -> Estimates:
    """The survey's components in ``year`` with their intervals."""
    return by_category(survey, year, "component", min_cell)


def blocks(survey: Survey, year: int, *, min_cell: int = 10) -> Estimates:
    """The index of ``year`` by block of agencies."""
    return by_category(survey, year, "block", min_cell)


@dataclass(frozen=True)
class Items:
    """Each criterion of one year: shares satisfied and dissatisfied and the mean score, with 95% intervals."""

    frame: pd.DataFrame

    def table(self, lang: str | None = None) -> pd.DataFrame:
        """The shares by criterion code; with ``lang`` each criterion named by its question."""
        return self.frame if lang is None else relabel_values(self.frame, "item", lang=lang)

    def summary(self, lang: str = "vi") -> list[str]:
        return []

    def plot(self, lang: str = "vi"):
        return None


def items(survey: Survey, year: int, *, min_cell: int = 10) -> Items:
    """Per criterion of ``year``: ``n``; ``satisfied``, ``dissatisfied`` (proportions) and ``mean`` (1-5),
    each with ``_low`` and ``_high`` (95%); criteria answered by fewer than ``min_cell`` are suppressed."""
    cube = survey.cube()
    keys = ["year", "item"]
    parts = []
    for measure in ("satisfied", "dissatisfied", "mean"):
        part = estimate(cube, keys, measure)
        parts.append(part[part["year"] == year][[*keys, "n", "estimate", "ci_low", "ci_high"]].rename(columns={
            "estimate": measure, "ci_low": f"{measure}_low", "ci_high": f"{measure}_high"}))
    table = parts[0]
    for part in parts[1:]:  # n: the answers to the item, the same for every measure
        table = table.merge(part.drop(columns="n"), on=keys, how="left", validate="one_to_one")
    return Items(suppress(table.reset_index(drop=True), min_cell))


@dataclass(frozen=True)
class Distribution:
    """How each criterion of one year was answered: the share of its answers at each point of the scale
    (weighted, proportions; criteria answered by fewer than ``min_cell`` suppressed)."""

    frame: pd.DataFrame  # year, item, answer (1-5), n (answers to the item), share, suppressed

    percent = ("share", *(words[lang] for words in ANSWER_LABELS.values() for lang in ("vi", "en")))

    def table(self, lang: str | None = None) -> pd.DataFrame:
        """The shares by criterion and answer (codes, tidy); with ``lang`` one row per criterion named by its
        question, one column per answer in words, worst first, and its number of answers."""
        if lang is None:
            return self.frame
        named = relabel_values(self.frame, "item", lang=lang)
        wide = named.pivot_table(index="item", columns="answer", values="share", aggfunc="sum", sort=False)
        wide = wide.reindex(columns=sorted(ANSWER_LABELS)).rename(columns=lambda a: ANSWER_LABELS[a][lang])
        counts = named.drop_duplicates("item").set_index("item")["n"]
        return wide.join(counts).reset_index()

    def summary(self, lang: str = "vi") -> list[str]:
        return []

    def plot(self, lang: str = "vi"):
        """Stacked bars per criterion, worst answer left, best right, named by their questions."""
        shown = self.frame[~self.frame["suppressed"]]
        return plots.answer_distribution(shown, lang) if len(shown) else None


def distribution(survey: Survey, year: int, *, min_cell: int = 10) -> Distribution:
    """The weighted share of each answer (1-5) of each criterion in ``year``, of the answers given (blanks
    and "không ý kiến" left out), from the cube's answer counts."""
    answers = survey.cube().answers
    answers = answers[(answers["year"] == year) & answers["answer"].notna()]
    cells = answers.groupby(["item", "answer"], observed=True).agg(w=("w", "sum"), n=("n", "sum")).reset_index()
    totals = cells.groupby("item", observed=True)[["w", "n"]].transform("sum")
    frame = cells.assign(year=year, share=cells["w"] / totals["w"], n=totals["n"].astype(int))
    frame = frame[["year", "item", "answer", "n", "share"]].astype({"answer": int})
    form = {item: k for k, item in enumerate(survey.grid().items)}  # the form's order
    frame = frame.sort_values(["item", "answer"], key=lambda c: c.map(form) if c.name == "item" else c)
    return Distribution(suppress(frame.reset_index(drop=True), min_cell))


@dataclass(frozen=True)
class Gaps:
    """Gaps between the channels and between the respondent groups present, every year, with their tests.

    ``frame`` has one row per comparison and year (``first`` and ``second`` are the two sides'
    estimates, ``first_level`` and ``second_level`` their codes, :data:`~analysis.analyses.indices.REST`
    for the other levels pooled; ``by`` the column compared); ``rows`` the year's row of each comparison;
    ``single`` the columns with one level only (nothing to compare); ``channels`` the year's index by
    channel (implausibly high channels get a note).
    """

    year: int
    frame: pd.DataFrame
    rows: tuple[tuple[str, str, str, pd.Series], ...]  # (column, first level, second level, the year's row)
    channels: pd.DataFrame = field(repr=False)
    single: tuple[str, ...] = ()

    def table(self, lang: str | None = None) -> pd.DataFrame:
        """The gaps by year (no table when nothing is compared); with ``lang`` the pairs named for readers
        (``comparison``) in place of their codes."""
        if self.frame.empty:
            return pd.DataFrame()
        if lang is None:
            return self.frame
        named = self.frame.assign(comparison=[
            f"{narrative.level_label(a, by, lang)} – {narrative.level_label(b, by, lang)}"
            for a, b, by in zip(self.frame["first_level"], self.frame["second_level"], self.frame["by"], strict=True)])
        return named.drop(columns=["first_level", "second_level", "by"])

    def summary(self, lang: str = "vi") -> list[str]:
        """Notes on implausibly high channels, what cannot be compared, then one sentence per gap of the year."""
        notes = narrative.implausible_sentences(self.channels, lang)
        if self.single:
            notes.append(narrative.absent("second_" + "_".join(self.single), lang))
        return notes + [narrative.gap_sentence(row, first, second, lang, by) for by, first, second, row in self.rows]

    def plot(self, lang: str = "vi"):
        return None


def gap_levels(survey: Survey, column: str) -> list[str]:
    """The levels of ``column`` in ``survey``: the codes of :data:`GAP_ORDER` in that order, then the
    survey's own codes, most respondents first (ties by code)."""
    people = survey.respondents()[column].dropna()
    counts = people.value_counts()
    counts = counts[counts > 0]
    known = [code for code in GAP_ORDER if code in counts.index]
    return known + sorted(set(counts.index) - set(known), key=lambda code: (-counts[code], str(code)))


def gap_pairs(levels: list[str]) -> list[tuple[str, str]]:
    """Every pair of ``levels`` when there are at most :data:`MAX_PAIRWISE`, else each level against the rest."""
    if len(levels) <= MAX_PAIRWISE:
        return list(combinations(levels, 2))
    return [(level, REST) for level in levels]


def gaps(survey: Survey, year: int, *, min_cell: int = 10) -> Gaps:
    """The gaps between the channels and between the groups present in ``survey`` (:func:`gap_pairs` of
    :func:`gap_levels`), every year, suppressed by their smaller side."""
    cube = survey.cube()
    channels = suppress(estimate(cube, ["year", "channel"]), min_cell)
    frames, rows, single = [], [], []
    for column in GAP_BY:
        levels = gap_levels(survey, column)
        if len(levels) < 2:
            single.append(column)
        for first, second in gap_pairs(levels):
            gap = suppress(difference(cube, ["year"], column, first, second), min_cell, "n_min")
            if year in set(gap["year"]):
                rows.append((column, first, second, gap[gap["year"] == year].iloc[0]))
            frames.append(gap.rename(columns={first: "first", second: "second"}).assign(
                first_level=first, second_level=second, by=column))
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=GAP_COLUMNS)
    return Gaps(year, frame[GAP_COLUMNS], tuple(rows), channels[channels["year"] == year], tuple(single))


@dataclass(frozen=True)
class Ranking:
    """Agencies of one year ranked by their shrunk index, with 90% rank intervals (best first).

    Agencies with fewer than ``min_cell`` respondents are left out; so are those whose index has no
    standard error (not estimable: a share of 0 or 1, or one PSU), named in ``unranked`` and in the summary; ``tau2`` is
    the between-agency variance the shrinkage used (:func:`analysis.analyses.ranking.tau2`).
    """

    frame: pd.DataFrame  # RANKING_COLUMNS
    tau2: float
    unranked: tuple[str, ...] = ()  # agency names without a standard error

    def table(self, lang: str | None = None) -> pd.DataFrame:
        return self.frame

    def summary(self, lang: str = "vi") -> list[str]:
        from analysis.reporting.narrative import say

        return [say("unranked", lang, names=", ".join(self.unranked))] if self.unranked else []

    def plot(self, lang: str = "vi"):
        return plots.caterpillar(self.frame, lang) if len(self.frame) else None


def ranking(survey: Survey, year: int, *, min_cell: int = 10, seed: int = SEED) -> Ranking:
    """Agencies of ``year`` with at least ``min_cell`` respondents, their index shrunk towards their
    block's (empirical Bayes) and ranked with 90% intervals from ``seed``'s draws."""
    units = estimate(survey.cube(), ["year", "unit_id"])
    units = units[(units["year"] == year) & (units["n"] >= min_cell)]
    units = units.merge(survey.units[["unit_id", "unit_name", "block"]], on="unit_id")
    estimable = units["se"].gt(0)  # NaN (not estimable) or 0: no precision to shrink or rank by
    unranked = tuple(units.loc[~estimable, "unit_name"])
    units = units[estimable]
    if units.empty:
        return Ranking(pd.DataFrame(columns=RANKING_COLUMNS), 0.0, unranked)
    ranked = rank_intervals(shrink(units), seed=seed)
    return Ranking(ranked.sort_values("rank")[RANKING_COLUMNS].reset_index(drop=True), tau2(units), unranked)
