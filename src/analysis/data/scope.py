"""Scopes of a report: the whole survey (``"province"``), a block of agencies or one agency."""

from __future__ import annotations

import pandas as pd

from analysis.data.schema import Survey

PROVINCE = "province"


def select_scope(survey: Survey, scope: str) -> Survey:
    """The survey restricted to a scope: ``"province"`` (all), a block name or a unit id.

    Targets: the scope's own rows of the targets file, or the province's when it has none
    (the province's targets bind every agency).
    """
    targets = survey.targets[survey.targets["scope"] == scope]
    if targets.empty:
        targets = survey.targets[survey.targets["scope"] == PROVINCE]
    targets = targets.reset_index(drop=True)
    if scope == PROVINCE:
        return survey.where(targets=targets)
    units = survey.units
    chosen = units.loc[(units["unit_id"] == scope) | (units["block"] == scope), "unit_id"]
    if chosen.empty:
        raise ValueError(f"scope {scope!r} is neither 'province', a block nor a unit id; "
                         f"blocks: {sorted(units['block'].unique())}")
    return survey.where(lambda forms: forms["unit_id"].isin(chosen),
                        units=units[units["unit_id"].isin(chosen)].reset_index(drop=True), targets=targets,
                        comments=survey.comments[survey.comments["unit_id"].isin(chosen)].reset_index(drop=True))


def applies_parts(applies_to: object) -> list[str]:
    """The parts of an event's ``applies_to``: ``"UBND cấp huyện; UBND cấp xã"`` -> both blocks."""
    return [part.strip() for part in str(applies_to).split(";")]


def bound_units(applies_to: str, units: pd.DataFrame) -> set[str]:
    """The unit ids of ``units`` (the units table) that an event's ``applies_to`` binds.

    ``applies_to`` is one or more parts separated by ``;``: ``all`` (every unit), ``provincial`` (every unit
    that is not vertical), or a block name, a level or a unit id (the units with that ``block``, ``level``
    or ``unit_id``).  A part matching none of these binds nothing.
    """
    bound: set[str] = set()
    for part in applies_parts(applies_to):
        if part == "all":
            chosen = pd.Series(True, index=units.index)
        elif part == "provincial":
            chosen = ~units["vertical"].astype(bool)
        else:
            chosen = (units["block"] == part) | (units["level"] == part) | (units["unit_id"] == part)
        bound |= set(units.loc[chosen, "unit_id"])
    return bound
