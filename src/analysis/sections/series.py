"""What sections 03 (trend and breaks) and 04 (policy effects) run on: a survey, or a unit-level series.

Both sections take either a survey mapping (``.yaml``) or a unit-level series CSV
(``unit_id, period, measure, value``, e.g. a PAPI measure) with the measure to use.
:func:`read` opens either, :func:`in_scope` restricts a survey to the report's scope,
:func:`yearly` gives the yearly series the trend tests run on.

A survey's series holds proportions (``share``: sentences in percentage points, tables in
percent); a CSV's series keeps its own unit (a PAPI score), shown as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.analyses.describe import index_by_year, publishable_years
from analysis.analyses.policy import panel_from_series
from analysis.cube.memory import Cube
from analysis.data.load import load_events, load_series
from analysis.data.schema import Survey, no_events
from analysis.data.scope import select_scope
from analysis.data.store import is_store
from analysis.sections import load
from analysis.sections.period import up_to


@dataclass(frozen=True)
class UnitSeries:
    """One measure of a unit-level series CSV, with its events: what a section runs on instead of a survey.

    ``rows`` are the CSV's rows of ``measure`` (:data:`analysis.data.schema.SERIES_COLUMNS`).
    """

    rows: pd.DataFrame
    measure: str
    events: pd.DataFrame

    def index(self, units: list[str] | None = None) -> pd.DataFrame:
        """The yearly mean over ``units`` (default: all) with its standard error over units:
        ``year, estimate, se``."""
        rows = self.rows if units is None else self.rows[self.rows["unit_id"].isin(units)]
        mean = rows.groupby("period")["value"].agg(["mean", "sem"]).reset_index()
        return pd.DataFrame({"year": mean["period"].astype(int), "estimate": mean["mean"], "se": mean["sem"]})

    def panel(self) -> pd.DataFrame:
        """The units x years panel (:func:`analysis.analyses.policy.panel_from_series`)."""
        return panel_from_series(self.rows)

    def names(self) -> pd.Series:
        """Unit id -> unit name."""
        return self.rows.drop_duplicates("unit_id").set_index("unit_id")["unit_name"]


def read_series(path: str | Path, measure: str, events: str | Path = "") -> UnitSeries:
    """The rows of ``measure`` in a unit-level series CSV, and the events CSV ``events`` (none when empty)."""
    rows = load_series(path)
    chosen = rows[rows["measure"] == measure].reset_index(drop=True)
    if chosen.empty:
        raise ValueError(f"{path} has no rows of measure {measure!r}; give one of {sorted(rows['measure'].unique())} "
                         "as the notebook parameter measure")
    return UnitSeries(chosen, measure, load_events(events) if events else no_events())


def read(path: str | Path, measure: str = "", events: str | Path = "", period: str = "") -> Survey | UnitSeries:
    """A survey mapping (``.yaml``/``.yml``) or a run's store of it: the survey up to the reviewed ``period``
    (a year, month, quarter or round); or a unit-level series CSV's ``measure`` with the events CSV
    ``events`` (:func:`read_series`)."""
    if str(path).endswith((".yaml", ".yml")) or is_store(path):
        return up_to(load(path), period)
    return read_series(path, measure, events)


def in_scope(data: Survey | UnitSeries, scope: str = "province") -> Survey | UnitSeries:
    """A survey restricted to ``scope`` (:func:`analysis.data.scope.select_scope`); a series as it is."""
    return select_scope(data, scope) if isinstance(data, Survey) else data


@dataclass(frozen=True)
class Yearly:
    """The yearly series a section's trend tests run on.

    ``index``: ``year, estimate, se`` (a survey adds ``n, ci_low, ci_high``), the years with at least
    ``min_cell`` respondents; ``measure`` is ``"index"`` for a survey (the satisfaction index) or the
    CSV's measure (events are matched to it); ``share``: the values are proportions; ``cube``: the
    survey's cube (None for a series), for the year-on-year tests.
    """

    index: pd.DataFrame
    events: pd.DataFrame
    measure: str
    share: bool
    cube: Cube | None = None


def yearly(data: Survey | UnitSeries, min_cell: int = 10) -> Yearly:
    """The yearly series of a survey (its satisfaction index, publishable years) or of a series CSV (the
    mean over units)."""
    if isinstance(data, UnitSeries):
        return Yearly(data.index(), data.events, data.measure, share=False)
    cube = data.cube()
    index = publishable_years(index_by_year(cube), min_cell)  # years under min_cell are left out of the trend
    return Yearly(index, data.events, "index", share=True, cube=cube)
