"""The tidy data model: column lists, codes and the containers loaders return.

Respondent-level answers are long (one row per respondent x item); side tables
describe units, events, targets and comments.  Published aggregates and panels
such as PAPI use a second shape, the unit-level series.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from analysis.data.grid import FormGrid

COMPONENTS = ("access", "procedure", "staff", "result", "feedback")
OVERALL_ITEM = "overall"
CHANNELS = ("online", "direct")
GROUPS = ("citizen", "business", "budget_unit")

RESPONSE_COLUMNS = [
    "respondent_id", "period", "year", "unit_id", "channel", "group",
    "item", "component", "answer", "weight", "stratum", "psu",
]
UNIT_COLUMNS = ["unit_id", "unit_name", "block", "level", "province", "vertical", "parent"]
EVENT_COLUMNS = ["date", "kind", "applies_to", "name", "description"]
EVENT_KINDS = ("policy", "methodology")
TARGET_COLUMNS = ["scope", "year", "target", "source"]  # target: a proportion (the file gives percent)
COMMENT_COLUMNS = ["respondent_id", "period", "unit_id", "text"]
PUBLISHED_COLUMNS = ["scope", "period", "measure", "value", "unit", "source", "note"]
POPULATION_COLUMNS = ["unit_id", "period", "served"]  # the number served per unit and period (fpc)
ADOPTION_COLUMNS = ["unit_id", "policy", "date"]  # when each agency came under a policy (staggered adoption)
# The respondent-level side table of how each form was collected (the mapping's optional design columns):
# who collected it, when it was submitted, how long it took (seconds) and the portal's device or session key.
DESIGN_COLUMNS = ["collector", "submitted_at", "duration", "session"]
FORM_COLUMNS = ["respondent_id", "period", "unit_id", *DESIGN_COLUMNS]
COLLECTORS = ("staff", "independent", "self")  # counter staff, an independent survey team, self-completed online
INDEX_FORMS = {  # the mapping's ``index:`` -> how a respondent's index score is formed
    "sipas": "mean over the components of the share of the component's criteria rated 4-5",
    "criteria": "share of all criteria answered that are rated 4-5",
    "overall": "the overall satisfaction item rated 4-5",
}
SERIES_COLUMNS = ["unit_id", "unit_name", "period", "measure", "value", "n", "se", "source"]


def component_of(item: str) -> str:
    """Component of an item code: ``"staff.2"`` -> ``"staff"``; ``"overall"`` -> ``"overall"``."""
    return item.split(".", 1)[0]


def no_events() -> pd.DataFrame:
    """An empty events table (dates typed, so date filters work on it): a survey without policies."""
    return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c == "date" else object) for c in EVENT_COLUMNS})


@dataclass
class Survey:
    """A validated survey: long answers plus side tables and what load did.

    Attributes
    ----------
    responses : one row per respondent x item, columns :data:`RESPONSE_COLUMNS`;
        ``answer`` is 1..5 or missing (no answer / "không ý kiến").  ``None`` in the survey a run keeps for
        its notebooks (:meth:`reduced`): they read the grid and the cube.
    units, events, targets, comments : side tables (see the column lists).
    dropped_columns : personal columns removed at load (header names).
    inputs : every file read, for the run manifest.
    skipped_rows : file rows left out at load because they are totals ("Tổng cộng") under the respondents.
    unmapped_criteria : columns of the file whose cells read as answers (1-5) but that the mapping does not name.
    population : the number served per unit and period (the mapping's ``population``), columns
        :data:`POPULATION_COLUMNS`; empty for none.  With it, variances get the finite population correction.
    adoptions : when each agency came under a policy event (the mapping's ``adoptions``), columns
        :data:`ADOPTION_COLUMNS`; empty for none.  Agencies of the unit table without a row never did.
    forms : one row per form: respondent_id, period, unit_id and those of :data:`DESIGN_COLUMNS` the mapping
        names (none: only the three keys); the integrity checks read it (:mod:`analysis.analyses.integrity`).
    """

    responses: pd.DataFrame | None
    units: pd.DataFrame
    events: pd.DataFrame = field(default_factory=lambda: no_events())
    targets: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=TARGET_COLUMNS))
    comments: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=COMMENT_COLUMNS))
    dropped_columns: list[str] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)
    title: str = ""
    skipped_rows: list[int] = field(default_factory=list)
    unmapped_criteria: list[str] = field(default_factory=list)  # file columns that read as answers, not mapped
    survey_id: str = ""  # short name for report folders (the mapping's ``id``, else its folder's name)
    components: tuple[str, ...] = COMPONENTS  # the form's components, in the mapping's order
    index_form: str = "sipas"  # how the index is formed: one of INDEX_FORMS
    vocabulary: dict[str, dict[str, str]] = field(default_factory=dict)  # code -> {"vi": ..., "en": ...}
    published: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PUBLISHED_COLUMNS))
    published_scope: str = ""  # the rows of ``published`` that are this survey's (the mapping's published_scope)
    papi: str = ""  # the PAPI folder this survey is read beside (the mapping's ``papi``), "" for none
    population: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=POPULATION_COLUMNS))
    adoptions: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ADOPTION_COLUMNS))
    forms: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=FORM_COLUMNS[:3]))
    _cube: Any = field(default=None, init=False, repr=False, compare=False)  # cube(), built once
    _grid: Any = field(default=None, init=False, repr=False, compare=False)  # grid(), formed once

    @property
    def n_respondents(self) -> int:
        return len(self.grid())

    def grid(self) -> FormGrid:
        """The answers as one row per form (:class:`~analysis.data.grid.FormGrid`), formed on first use and kept."""
        if self._grid is None:
            from analysis.data.grid import FormGrid

            if self.responses is None:
                raise ValueError("this survey has neither long answers nor a grid: a reduced survey is changed "
                                 "through Survey.where or relabelled, which keep its grid (dataclasses.replace "
                                 "does not)")
            self._grid = FormGrid.from_long(self.responses)
        return self._grid

    def respondents(self) -> pd.DataFrame:
        """One row per form: its period, unit, channel, group, weight, stratum and PSU (the grid's keys)."""
        return self.grid().keys

    def long_answers(self) -> pd.DataFrame:
        """The long answers: those loaded, or (a reduced survey) formed again from the grid."""
        return self.grid().long() if self.responses is None else self.responses

    def periods(self) -> list[str]:
        """The periods with forms, as text, sorted as text (``sections.period.periods`` puts them in time order)."""
        return sorted(str(p) for p in pd.unique(self.respondents()["period"]))

    def cube(self):
        """The one reduction of the answers (:func:`analysis.cube.memory.build_cube`), with the unit table;
        built on first use and kept, so every section of a run reads the same cube (a cut made with
        :meth:`where` gets its own); from the long answers, or for a reduced survey from its grid
        (:func:`~analysis.cube.memory.cube_of_forms`: the same tables, no long answers formed)."""
        if self._cube is None:
            from analysis.cube.memory import build_cube, cube_of_forms

            form = {"components": self.components, "index_form": self.index_form,
                    "population": self.population if len(self.population) else None}
            self._cube = (build_cube(self.responses, self.units, **form) if self.responses is not None else
                          cube_of_forms(self.grid(), self.units, **form))  # from the forms: no long answers formed
        return self._cube

    def reduced(self) -> Survey:
        """The survey without its long answers: the grid, the cube and the side tables, what a run's notebooks
        read (:mod:`analysis.data.store`)."""
        return self._with(replace(self, responses=None), self.grid(), self.cube())

    def with_cube(self, cube) -> Survey:
        """The survey with its cube given: built from these answers by another engine (:mod:`analysis.cube.engines`)."""
        return self._with(replace(self), self.grid(), cube)

    def where(self, keep_forms=None, **changes) -> Survey:
        """The survey with only the forms for which ``keep_forms(table)`` is true (a function of a table with
        the form columns: the grid's keys, or the long answers; None: every form), and ``changes`` to its
        other fields; the cube is built again on use when forms, units or population change.
        (``dataclasses.replace`` would lose the grid and cube of a reduced survey: change a survey through this.)"""
        grid = self.grid()
        keep = np.ones(len(grid), dtype=bool) if keep_forms is None else np.asarray(keep_forms(grid.keys), dtype=bool)
        if keep.all() and not changes:
            return self
        responses = self.responses
        if responses is not None and not keep.all():
            responses = responses[np.asarray(keep_forms(responses), dtype=bool)].reset_index(drop=True)
        same_cube = keep.all() and not {"units", "population"} & set(changes)
        return self._with(replace(self, responses=responses, **changes), grid.take(keep),
                          self._cube if same_cube else None)

    def relabelled(self, **columns) -> Survey:
        """The survey with form columns replaced (one value per form of the grid), e.g. the channel by collector."""
        return self._with(replace(self, responses=None), self.grid().with_keys(**columns))

    @staticmethod
    def _with(survey: Survey, grid: FormGrid, cube=None) -> Survey:
        survey._grid, survey._cube = grid, cube
        return survey

    def load_note(self) -> str:
        """One sentence on what load did, for notebooks and logs."""
        dropped = ", ".join(self.dropped_columns) or "none"
        skipped = (f"; total rows left out: {', '.join(map(str, self.skipped_rows))}" if self.skipped_rows else "")
        if self.unmapped_criteria:
            skipped += (f"; columns that look like criteria but are not in the mapping (left out): "
                        f"{', '.join(self.unmapped_criteria)}")
        return (
            f"{self.n_respondents} respondents, {self.grid().n_answers} answers, "
            f"{self.units.shape[0]} units; personal columns dropped at load: {dropped}{skipped}"
        )
