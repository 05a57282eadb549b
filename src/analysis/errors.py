"""One error type for bad input: it names the file, row, column and the fix."""

from __future__ import annotations

from functools import partial
from pathlib import Path


class InputError(ValueError):
    """Raised when an input file cannot be used as it is.

    The message is written for the person who owns the file: where the problem
    is (file, spreadsheet row as seen in Excel, column header) and what to do.

    Examples
    --------
    >>> err = InputError("a.csv", "answer 7 is outside 1-5", row=12,
    ...                  column="Câu 3", fix="use 1-5 or leave the cell blank")
    >>> print(err)  # doctest: +NORMALIZE_WHITESPACE
    a.csv, row 12, column 'Câu 3': answer 7 is outside 1-5.
    Fix: use 1-5 or leave the cell blank.
    """

    def __init__(
        self,
        file: str | Path,
        problem: str,
        *,
        row: int | None = None,
        column: str | None = None,
        fix: str = "",
    ) -> None:
        self.file = str(file)
        self.problem = problem
        self.row = row
        self.column = column
        self.fix = fix
        where = [self.file]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        message = f"{', '.join(where)}: {problem}."
        if fix:
            message += f"\nFix: {fix}."
        super().__init__(message)

    def __reduce__(self):
        """Picklable with its fields, so that it crosses from a batch worker process intact."""
        return partial(InputError, row=self.row, column=self.column, fix=self.fix), (self.file, self.problem)
