"""The one reduction over respondent-level answers.

:func:`build_cube` passes over the long answers once and returns a :class:`Cube`
of two small tables that everything downstream reads:

``answers``
    per cell (period, unit, channel, group, stratum [, psu]) x item x answer:
    ``n`` answers, weight sum ``w`` and squared-weight sum ``w2``.  Any
    function of the answer (satisfied, dissatisfied, score) has its weighted
    moments in these three numbers, because the answer is fixed within a cell.
``scores``
    per cell: for each respondent-level score (the share of a component's
    items rated 4-5, the SIPAS index, ...) the moments ``n, y, y2, w, wy, w2,
    w2y, w2y2`` (sums of 1, y, y², w, wy, w², w²y, w²y²) that a design-based
    (linearised) variance needs, weighted or not.

With clusters (an explicit ``psu`` column) the PSU is one of the cell keys, so
totals per PSU can be formed for any grouping; without, each respondent is its
own PSU and the squared-weight moments stand in for the PSU totals.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.schema import COMPONENTS, OVERALL_ITEM

CELL_KEYS = ["period", "year", "unit_id", "channel", "group", "stratum"]
RESPONDENT_KEYS = ["period", "respondent_id"]
MEASURES = {  # measure -> value of an answer 1..5
    "satisfied": lambda a: (a >= 4).astype(float),
    "dissatisfied": lambda a: (a <= 2).astype(float),
    "mean": lambda a: a.astype(float),
}
SCORES = [*COMPONENTS, "index"]
MOMENTS = ["n", "y", "y2", "w", "wy", "w2", "w2y", "w2y2"]


@dataclass
class Cube:
    """The reduced survey: answer counts, respondent-score moments, PSUs per stratum.

    ``psus`` counts the primary sampling units of each ``period|stratum`` over the
    whole design (domains keep the PSUs they do not touch, as R's ``svyby`` does).
    ``units`` is the unit table, joined on demand so cells can be grouped by block.
    """

    answers: pd.DataFrame
    scores: pd.DataFrame
    psus: pd.Series
    clustered: bool
    units: pd.DataFrame

    @property
    def keys(self) -> list[str]:
        return [*CELL_KEYS, "psu"] if self.clustered else list(CELL_KEYS)

    def frame(self, which: str, by: list[str]) -> pd.DataFrame:
        """``answers`` or ``scores`` with unit attributes joined when ``by`` asks for them."""
        table = getattr(self, which)
        wanted = [c for c in by if c not in table.columns and c in self.units.columns]
        if wanted:
            table = table.merge(self.units[["unit_id", *wanted]], on="unit_id", how="left", validate="many_to_one")
        return table


def respondent_scores(responses: pd.DataFrame) -> pd.DataFrame:
    """One row per respondent: per-component and index scores for every measure.

    A component score is the mean over the respondent's answered items of the
    component (for ``satisfied``: the share rated 4-5); the index is the mean
    of the component scores the respondent has.  Columns are named
    ``<measure>:<score>`` (``satisfied:staff``, ``satisfied:index``); the
    column ``score`` repeats ``satisfied:index``.  The overall item is not part
    of the index.  Missing where the respondent answered no item of it.
    """
    answered = responses[(responses["item"] != OVERALL_ITEM) & responses["answer"].notna()]
    answer = answered["answer"].astype(float)
    keys = [answered[k] for k in [*RESPONDENT_KEYS, "component"]]
    columns = {}
    for measure, value in MEASURES.items():
        by_component = value(answer).groupby(keys).mean().unstack("component")
        for component in COMPONENTS:
            columns[f"{measure}:{component}"] = by_component.get(component)
        columns[f"{measure}:index"] = by_component.mean(axis=1)
    table = pd.DataFrame(columns)
    table["score"] = table["satisfied:index"]
    attributes = [c for c in ["year", "unit_id", "channel", "group", "weight", "stratum", "psu"]
                  if c in responses.columns]
    first = responses.drop_duplicates(RESPONDENT_KEYS).set_index(RESPONDENT_KEYS)[attributes]
    return first.join(table, how="left").reset_index()


def build_cube(responses: pd.DataFrame, units: pd.DataFrame | None = None, clustered: bool | None = None) -> Cube:
    """Reduce long answers (the tidy ``responses``) to a :class:`Cube`.

    ``clustered`` defaults to whether any PSU holds more than one respondent.
    """
    data = responses.copy()
    for column, default in (("weight", 1.0), ("stratum", ""), ("channel", ""), ("group", "")):
        if column not in data:
            data[column] = default
    if "psu" not in data:
        data["psu"] = data["respondent_id"]
    if clustered is None:
        people = data.drop_duplicates(RESPONDENT_KEYS)
        clustered = bool(people.groupby(["period", "psu"]).size().max() > 1)
    keys = [*CELL_KEYS, "psu"] if clustered else list(CELL_KEYS)

    data["w2"] = data["weight"] ** 2
    answers = (data.groupby([*keys, "item", "answer"], dropna=False, observed=True, sort=True)
               .agg(n=("weight", "size"), w=("weight", "sum"), w2=("w2", "sum")).reset_index())
    answers["component"] = answers["item"].str.split(".").str[0]

    people = respondent_scores(data)
    w2 = people["weight"] ** 2
    moment_columns = {}
    for column in [c for c in people.columns if ":" in c]:
        y = people[column]
        present = y.notna()
        moment_columns[column] = pd.DataFrame({
            "n": present.astype(int), "y": y.fillna(0.0), "y2": (y**2).fillna(0.0),
            "w": people["weight"].where(present, 0.0),
            "wy": (people["weight"] * y).fillna(0.0), "w2": w2.where(present, 0.0),
            "w2y": (w2 * y).fillna(0.0), "w2y2": (w2 * y**2).fillna(0.0)})
    wide = pd.concat(moment_columns, axis=1)
    wide.columns = [f"{score}|{moment}" for score, moment in wide.columns]
    wide = pd.concat([people[keys], wide], axis=1)
    scores = wide.groupby(keys, observed=True, sort=True).sum().reset_index()

    stratum_key = people["period"].astype(str) + "|" + people["stratum"].astype(str)
    psus = people.groupby(stratum_key)["psu"].nunique().rename("psus")
    if units is None:
        units = pd.DataFrame({"unit_id": sorted(data["unit_id"].unique())})
    return Cube(answers=answers, scores=scores, psus=psus, clustered=clustered, units=units)


def score_moments(cube: Cube, measure: str, score: str, by: list[str]) -> pd.DataFrame:
    """Moments of one respondent score per cell, in the common shape (:data:`MOMENTS`)."""
    table = cube.frame("scores", by)
    columns = {f"{measure}:{score}|{m}": m for m in MOMENTS}
    base = [c for c in table.columns if "|" not in c]
    return table[[*base, *columns]].rename(columns=columns)


def answer_moments(cube: Cube, measure: str, by: list[str]) -> pd.DataFrame:
    """Moments of an answer function per cell and item (answered cells only)."""
    table = cube.frame("answers", by)
    table = table[table["answer"].notna()].copy()
    y = MEASURES[measure](table["answer"].astype(float)).to_numpy()
    table["y"] = y * table["n"]
    table["y2"] = y**2 * table["n"]
    table["wy"] = y * table["w"]
    table["w2y"] = y * table["w2"]
    table["w2y2"] = y**2 * table["w2"]
    return table
