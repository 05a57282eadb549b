"""The tidy data model: column lists, codes and the containers loaders return.

Respondent-level answers are long (one row per respondent x item); side tables
describe units, events, targets and comments.  Published aggregates and panels
such as PAPI use a second shape, the unit-level series.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

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


def codes_of(values: pd.Series) -> np.ndarray:
    """Integer codes of a column (a categorical's own, else factorised; missing is -1)."""
    return values.cat.codes.to_numpy() if isinstance(values.dtype, pd.CategoricalDtype) else pd.factorize(values)[0]


def first_of_each_form(responses: pd.DataFrame) -> np.ndarray:
    """Whether each answer row is the first of its form (period, respondent_id), from integer codes (no text
    compared): the last write of a repeated index wins, so writing the rows backwards leaves each form's first."""
    period, respondent = codes_of(responses["period"]), codes_of(responses["respondent_id"])
    forms = int(respondent.max(initial=0)) + 1
    key = period.astype(np.int64) * forms + respondent
    size = (int(period.max(initial=0)) + 1) * forms
    if size > 4 * len(key):  # sparse keys (many periods, each with its own ids): hashing needs less memory
        return ~pd.Series(key).duplicated().to_numpy()
    first, present = np.empty(size, dtype=np.int64), np.zeros(size, dtype=bool)
    first[key[::-1]] = np.arange(len(key) - 1, -1, -1)
    present[key] = True
    flags = np.zeros(len(key), dtype=bool)
    flags[first[present]] = True
    return flags


@dataclass
class Survey:
    """A validated survey: long answers plus side tables and what load did.

    Attributes
    ----------
    responses : one row per respondent x item, columns :data:`RESPONSE_COLUMNS`;
        ``answer`` is 1..5 or missing (no answer / "không ý kiến").
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

    responses: pd.DataFrame
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
    _respondents: Any = field(default=None, init=False, repr=False, compare=False)  # respondents(), found once

    @property
    def n_respondents(self) -> int:
        return len(self.respondents())

    def respondents(self) -> pd.DataFrame:
        """Each form's first answer row: one row per respondent, with its period, unit, channel, group, weight
        (found on first use and kept, as the cube)."""
        if self._respondents is None:
            self._respondents = self.responses[first_of_each_form(self.responses)]
        return self._respondents

    def cube(self):
        """The one reduction of the answers (:func:`analysis.cube.memory.build_cube`), with the unit table;
        built on first use and kept, so every section of a run reads the same cube (a scope made with
        :func:`dataclasses.replace` gets its own)."""
        if self._cube is None:
            from analysis.cube.memory import build_cube

            self._cube = build_cube(self.responses, self.units, components=self.components,
                                    index_form=self.index_form,
                                    population=self.population if len(self.population) else None)
        return self._cube

    def load_note(self) -> str:
        """One sentence on what load did, for notebooks and logs."""
        dropped = ", ".join(self.dropped_columns) or "none"
        skipped = (f"; total rows left out: {', '.join(map(str, self.skipped_rows))}" if self.skipped_rows else "")
        if self.unmapped_criteria:
            skipped += (f"; columns that look like criteria but are not in the mapping (left out): "
                        f"{', '.join(self.unmapped_criteria)}")
        return (
            f"{self.n_respondents} respondents, {len(self.responses)} answers, "
            f"{self.units.shape[0]} units; personal columns dropped at load: {dropped}{skipped}"
        )
