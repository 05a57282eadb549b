"""The one shape of an analysis result: a table, sentences and a figure.

Every analysis that returns more than one table (an interrupted time series,
a difference-in-differences, breaks, relative importance, ...) and every
section headline returns a frozen dataclass that follows :class:`Result`:

- ``table()`` the tidy table behind it, shares as proportions and codes as codes (what is saved as
  CSV); ``table(lang)`` the same table with its code values in the reader's words (what is shown);
- ``summary(lang)`` its sentences, made by :mod:`analysis.reporting.narrative`;
- ``plot(lang)`` its figure, drawn by :mod:`analysis.reporting.plots`, or None.

Two optional attributes tell :meth:`~analysis.reporting.outputs.Outputs.show` more: ``percent``,
the columns shown in percent (None: the default share columns; ``()`` for a series in its own unit),
and ``empty``, true when the result does not apply (nothing is shown).

Metadata (counts left out, the years used, a note) are fields of the
dataclass, never ``DataFrame.attrs``.  A notebook shows a result with
:meth:`analysis.reporting.outputs.Outputs.show`; the executive summary takes
the sentences of the same objects, so its numbers are the sections' numbers.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

import pandas as pd


@runtime_checkable
class Result(Protocol):
    """What :meth:`Outputs.show` and the executive summary expect of a result."""

    def table(self, lang: str | None = None) -> pd.DataFrame:
        """The tidy table (proportions)."""
        ...

    def summary(self, lang: str = "vi") -> list[str]:
        """Sentences in ``lang`` ("vi" or "en")."""
        ...

    def plot(self, lang: str = "vi") -> Any:
        """A matplotlib figure, or None when the result has none."""
        ...
