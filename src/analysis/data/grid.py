"""The answers as one row per form: the shape a survey file has, and what a run keeps of the respondents.

A :class:`FormGrid` holds each form's keys and design (respondent, period, unit, channel, group,
weight, stratum, PSU) once, beside a small integer per criterion, where the long answers
(:data:`analysis.data.schema.RESPONSE_COLUMNS`) repeat the keys on every answer: a million forms of
13 criteria take 40 MB here, 0.5 GB long.  The sections that need respondents (drivers, integrity,
comments, counts) read it, and the cube of a cut of a reduced survey (a scope, a period, a relabelling)
is built from it (:func:`analysis.cube.memory.cube_of_forms`): a run's notebooks never form long answers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.data.schema import RESPONSE_COLUMNS, component_of

ANSWER_COLUMNS = ("item", "component", "answer")
KEY_COLUMNS = [c for c in RESPONSE_COLUMNS if c not in ANSWER_COLUMNS]  # what a form has once
TEXT_KEYS = ("respondent_id", "period", "unit_id", "channel", "group", "stratum", "psu")
NOT_ASKED, NO_ANSWER = -1, 0  # the grid's codes beside the answers 1-5
ANSWERS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class FormGrid:
    """One row per form, in the order the forms first appear.

    ``keys`` holds the form's columns of :data:`KEY_COLUMNS` that the survey has (text as ordered
    categoricals of sorted categories); ``answers`` (forms x items, int8) the answer 1-5,
    :data:`NO_ANSWER` for a criterion left blank or "không ý kiến", :data:`NOT_ASKED` for a criterion
    the form does not have; ``items`` the criteria in the form's order and ``components`` the
    component of each.
    """

    keys: pd.DataFrame
    answers: np.ndarray
    items: tuple[str, ...]
    components: tuple[str, ...]

    @classmethod
    def from_columns(cls, forms: pd.DataFrame, answers: dict[str, pd.Series]) -> FormGrid:
        """The grid of a survey file read wide: ``forms`` (a row per form, :data:`KEY_COLUMNS`) and the answers
        of each criterion (1-5 or missing), in the mapping's order."""
        keys = forms[[c for c in KEY_COLUMNS if c in forms]].reset_index(drop=True)
        for column in TEXT_KEYS:
            if column in keys:
                keys[column] = pd.Categorical(keys[column], ordered=True)
        grid = np.empty((len(keys), len(answers)), dtype=np.int8)
        for j, values in enumerate(answers.values()):
            grid[:, j] = values.to_numpy(dtype=np.float32, na_value=NO_ANSWER)
        return cls(keys, grid, tuple(answers), tuple(component_of(item) for item in answers))

    @classmethod
    def from_long(cls, responses: pd.DataFrame) -> FormGrid:
        """The grid of long answers: each form's keys from its first row, the items in the order they appear.
        Raises ValueError for an answer other than 1-5 or none, or an item without a component."""
        period, respondent = pd.factorize(responses["period"])[0], pd.factorize(responses["respondent_id"])[0]
        form, _ = pd.factorize(period.astype(np.int64) * (int(respondent.max(initial=0)) + 1) + respondent)
        first = _first_rows(form)
        item, items = pd.factorize(responses["item"])
        item_first = _first_rows(item)
        answers = responses["answer"].to_numpy(dtype=float, na_value=np.nan)
        odd = ~np.isnan(answers) & ~np.isin(answers, ANSWERS)
        if odd.any():
            raise ValueError(f"a form's grid holds answers 1-5 or none; {int(odd.sum())} answer(s) are not, "
                             f"e.g. {answers[odd][0]!r}")
        components = responses["component"].take(item_first).reset_index(drop=True)
        if components.isna().any():
            raise ValueError(f"items without a component: {', '.join(map(str, items[components.isna()]))}")
        grid = np.full((len(first), len(items)), NOT_ASKED, dtype=np.int8)
        grid[form, item] = np.nan_to_num(answers, nan=NO_ANSWER)
        keys = responses[[c for c in KEY_COLUMNS if c in responses]].take(first).reset_index(drop=True)
        return cls(keys, grid, tuple(str(i) for i in items), tuple(str(c) for c in components))

    def __len__(self) -> int:
        return len(self.keys)

    @property
    def n_answers(self) -> int:
        """Rows of the long answers: the criteria on each form, answered or not."""
        return int((self.answers != NOT_ASKED).sum())

    def answered(self, item: str) -> pd.Series:
        """The answers to ``item``, one per form (missing where none), as floats."""
        values = self.answers[:, self.items.index(item)].astype(float)
        values[values <= NO_ANSWER] = np.nan
        return pd.Series(values, name=item)

    def take(self, keep: np.ndarray) -> FormGrid:
        """The forms where ``keep`` (a boolean per form) holds."""
        keep = np.asarray(keep, dtype=bool)
        if keep.all():
            return self
        return FormGrid(self.keys[keep].reset_index(drop=True), self.answers[keep], self.items, self.components)

    def with_keys(self, **columns) -> FormGrid:
        """The grid with key columns replaced (one value per form)."""
        return FormGrid(self.keys.assign(**columns), self.answers, self.items, self.components)

    def long(self) -> pd.DataFrame:
        """The long answers (:data:`RESPONSE_COLUMNS`: one row per form x criterion asked, criterion by criterion,
        forms in order), the criteria and components ordered categoricals of sorted categories."""
        item_of_row, form_of_row = np.nonzero((self.answers != NOT_ASKED).T)
        responses = self.keys.take(form_of_row).reset_index(drop=True)
        items = sorted(self.items)
        item_codes = np.array([items.index(i) for i in self.items], dtype=np.int16)[item_of_row]
        responses["item"] = pd.Categorical.from_codes(item_codes, categories=items, ordered=True)
        components = sorted(set(self.components))
        component_codes = np.array([components.index(c) for c in self.components], dtype=np.int16)
        responses["component"] = pd.Categorical.from_codes(component_codes[item_of_row], categories=components,
                                                           ordered=True)
        answer = self.answers[form_of_row, item_of_row]
        responses["answer"] = pd.arrays.IntegerArray(answer, answer == NO_ANSWER)
        return responses[[c for c in RESPONSE_COLUMNS if c in responses]]


def _first_rows(codes: np.ndarray) -> np.ndarray:
    """The first row of each code ``0..k-1`` (codes numbered in the order they first appear)."""
    size = int(codes.max(initial=-1)) + 1
    first = np.empty(size, dtype=np.intp)
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)
    return first
