"""The data overview: shape, completeness, response counts and the index path.

Each function takes the survey (or the cube built from it) and returns a tidy
table; :mod:`analysis.reporting.plots` draws them and the notebooks show them.
"""

from __future__ import annotations

import pandas as pd

from analysis.analyses.indices import difference, estimate, suppress
from analysis.cube.memory import Cube
from analysis.data.grid import NO_ANSWER, NOT_ASKED
from analysis.data.schema import Survey


def shape(survey: Survey) -> pd.DataFrame:
    """Counts that describe the data: respondents, answers, units, blocks, periods, items."""
    grid = survey.grid()
    r = grid.keys
    rows = {
        "respondents": survey.n_respondents,
        "answers": int((grid.answers > NO_ANSWER).sum()),
        "units": r["unit_id"].nunique(),
        "blocks": survey.units.loc[survey.units["unit_id"].isin(r["unit_id"].unique()), "block"].nunique(),
        "periods": r["period"].nunique(),
        "first_period": str(r["period"].min()),
        "last_period": str(r["period"].max()),
        "items": int((grid.answers != NOT_ASKED).any(axis=0).sum()),
        "comments": len(survey.comments),
    }
    # counts stay whole numbers (the display writes 12.104), the first and last periods text (2014, not 2.014)
    return pd.DataFrame({"measure": list(rows), "value": [v if isinstance(v, str) else int(v) for v in rows.values()]},
                        dtype=object)


def respondent_counts(survey: Survey, by: list[str]) -> pd.DataFrame:
    """Respondents per group, wide by year (e.g. ``by=["block"]`` gives blocks x years)."""
    people = survey.respondents().merge(survey.units[["unit_id", "unit_name", "block", "level", "vertical"]],
                                        on="unit_id", how="left", validate="many_to_one")
    table = people.groupby([*by, "year"], observed=True).size().unstack("year", fill_value=0)
    table.columns = [str(c) for c in table.columns]
    return table.reset_index()


def completeness(cube: Cube) -> pd.DataFrame:
    """Share of respondents who answered each item (not blank, not 'không ý kiến'), a proportion."""
    answers = cube.answers
    total = answers.groupby("item", observed=True)["n"].sum()
    answered = answers[answers["answer"].notna()].groupby("item", observed=True)["n"].sum()
    table = pd.DataFrame({"n": total, "answered": answered.reindex(total.index, fill_value=0)})
    table["completeness"] = table["answered"] / table["n"]
    return table.reset_index()


INDEX_MEASURE = "satisfaction_pct"  # the published figures' measure set beside the index (percent)


def index_figures(published: pd.DataFrame, scope: str = "") -> pd.DataFrame:
    """The rows of a published-figures table (:func:`analysis.data.load.load_published_figures`) that
    give the index of a year: measure ``satisfaction_pct``, a year as period, of the scope ``scope``.

    A file may hold figures of several scopes (the shared ``data/raw/published_figures.csv`` holds the
    province review's, the State Treasury's, the national SIPAS): only the scope named is used, or the
    file's one scope when it holds one; never a guess, so no survey borrows another's figures.
    """
    rows = published[(published["measure"] == INDEX_MEASURE)
                     & published["period"].astype(str).str.fullmatch(r"\d{4}")]
    scopes = set(rows["scope"])
    chosen = scope if scope in scopes else next(iter(scopes)) if len(scopes) == 1 and not scope else None
    return rows[rows["scope"] == chosen].reset_index(drop=True)


def index_by_year(cube: Cube, published: pd.DataFrame | None = None) -> pd.DataFrame:
    """The weighted satisfaction index by year (a proportion, 95% CI), published figures beside it.

    ``published``: published figures (percent), of which :func:`index_figures` are used; the columns
    ``published`` and ``difference`` (the estimate minus the published figure) are added only when
    there is at least one.
    """
    table = estimate(cube, ["year"])[["year", "n", "estimate", "se", "ci_low", "ci_high"]]
    figures = index_figures(published) if published is not None else published
    if figures is not None and len(figures):
        figures = figures.assign(year=figures["period"].astype(int))[["year", "value"]]
        table = table.merge(figures.assign(published=figures["value"] / 100)[["year", "published"]], on="year",
                            how="left")
        table["difference"] = table["estimate"] - table["published"]
    return table


def year_change(cube: Cube, after: int, before: int, min_cell: int) -> pd.Series:
    """The index of ``after`` minus ``before`` (proportions) with its test, suppressed when either year
    has fewer than ``min_cell`` respondents (a row of :func:`analysis.analyses.indices.difference`)."""
    return suppress(difference(cube, [], "year", after, before), min_cell, "n_min").iloc[0]


def publishable_years(index: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """The rows of :func:`index_by_year` with at least ``min_cell`` respondents: the years a trend,
    a projection or a break test may use (the others are suppressed in the report)."""
    return index[index["n"] >= min_cell].reset_index(drop=True)
