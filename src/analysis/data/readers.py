"""Reading files and cells: bytes to text, spreadsheets to tables, cells to periods, answers and numbers.

CSV (UTF-8, UTF-8 with BOM, Windows-1258), XLSX (a title block above the header
row is skipped) and parquet are read into a grid of NFC text; a header row is
found by the headers expected; cells are parsed into canonical periods, answers
1-5 and numbers.  Every problem raises :class:`~analysis.errors.InputError`
naming file, row, column and the fix, all the bad cells of a kind in one
message; nothing is ever written by this module.
"""

from __future__ import annotations

import datetime
import difflib
import io
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import numpy as np
import pandas as pd
import yaml

from analysis.errors import InputError
from analysis.reporting.labels import ANSWER_LABELS

HEADER_SEARCH_ROWS = 30


MISSING_ANSWERS = {"", "không ý kiến", "không có ý kiến", "ko ý kiến", "kyk", "na", "n/a", "-"}


ANSWER_CODES = {ANSWER_LABELS[k]["vi"].casefold(): k for k in ANSWER_LABELS}


ANSWER_CODES.update({ANSWER_LABELS[k]["en"].casefold(): k for k in ANSWER_LABELS})


def nfc(text: object) -> str:
    """Unicode NFC with surrounding white space removed and inner runs collapsed."""
    return " ".join(unicodedata.normalize("NFC", str(text)).split())


def decode_text(raw: bytes, path: Path) -> str:
    """Decode CSV bytes: UTF-8 (with or without BOM), else Windows-1258; NFC."""
    if not raw.strip():
        raise InputError(path, "the file is empty", fix="export the survey again; the file has no rows")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1258")
        except UnicodeDecodeError as exc:
            raise InputError(
                path, f"the file is neither UTF-8 nor Windows-1258 (byte {exc.start})",
                fix="save the file as 'CSV UTF-8' from Excel",
            ) from None
    return unicodedata.normalize("NFC", text)


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab, whichever the first line uses most."""
    first = text.split("\n", 1)[0]
    return max([",", ";", "\t"], key=first.count)


def read_grid(path: str | Path, sheet: str | int = 0) -> pd.DataFrame:
    """Read a file as a grid of NFC strings with no header, blanks as ``""``.

    The grid keeps the file's row numbers: grid index ``i`` is file row ``i + 1``.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(path, "the file does not exist", fix="check the path given as a parameter")
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".txt"):
            text = decode_text(path.read_bytes(), path)
            grid = pd.read_csv(io.BytesIO(text.encode("utf-8")), encoding="utf-8", sep=sniff_delimiter(text),
                               header=None, dtype=str, keep_default_na=False,
                               skip_blank_lines=False)  # bytes: the C parser reads them twice as fast as text
        elif suffix in (".xlsx", ".xlsm"):
            grid = pd.read_excel(path, sheet_name=sheet, header=None, dtype=object, engine="openpyxl",
                                 keep_default_na=False)  # a cell "NA" or "None" is text, as in CSV
        elif suffix == ".parquet":
            table = pd.read_parquet(path)
            grid = pd.concat([pd.DataFrame([table.columns]), pd.DataFrame(table.to_numpy(dtype=object))],
                             ignore_index=True)
        else:
            raise InputError(path, f"unknown file type {suffix!r}", fix="give a .csv, .xlsx or .parquet file")
    except InputError:
        raise
    except pd.errors.EmptyDataError:
        raise InputError(path, "the file is empty", fix="export the survey again; the file has no rows") from None
    except (pd.errors.ParserError, ValueError, OSError, KeyError, zipfile.BadZipFile,  # damaged files:
            zlib.error, EOFError, NotImplementedError, ElementTree.ParseError) as exc:  # zip, deflate, XML
        raise InputError(path, f"the file cannot be read as {suffix[1:].upper()} ({exc})",
                         fix="open it in Excel and save it again as .xlsx or 'CSV UTF-8'") from None
    grid = text_grid(grid)
    grid = grid.loc[~(grid == "").all(axis=1)] if len(grid) else grid
    if grid.empty:
        raise InputError(path, "the file is empty", fix="export the survey again; the file has no rows")
    return grid


def text_grid(grid: pd.DataFrame) -> pd.DataFrame:
    """:func:`cell_text` of every cell, computed once per distinct value of a text column (a survey file
    repeats a few answers, labels and periods over millions of cells); cell by cell in a column of mixed
    Excel types, where equal-hashing values of different types (1, 1.0, True) must stay apart."""
    columns = {}
    for k, column in grid.items():
        if pd.api.types.infer_dtype(column, skipna=False) == "string":
            columns[k] = per_distinct(column, cell_text, unchanged=already_clean)
        else:
            columns[k] = column.map(cell_text)
    return pd.DataFrame(columns, index=grid.index)


# ASCII text that white-space normalisation would change (Python's str.split() white space, or a space at
# either end or doubled); ASCII text without any is its own NFC
UNCLEAN_ASCII = r"[\t\n\r\x0b\x0c\x1c-\x1f]|  |^ | $"


def already_clean(distinct: pd.Index) -> np.ndarray:
    """Which distinct text values :func:`cell_text` leaves as they are, found without a Python call per value
    (a million form numbers): ASCII without white space to normalise."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.array(distinct.astype(str), type=pa.string())
    clean = pc.and_(pc.string_is_ascii(text), pc.invert(pc.match_substring_regex(text, UNCLEAN_ASCII)))
    return clean.to_numpy(zero_copy_only=False)


def per_distinct(values: pd.Series, function: Callable[[Any], Any],
                 unchanged: Callable[[pd.Index], np.ndarray] | None = None) -> pd.Series:
    """``values.map(function)``, with ``function`` called once per distinct value: a column of a million
    cells holds a few answers, periods, labels or units; ``unchanged(distinct)`` may say which values
    ``function`` would return as they are (not called for those)."""
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    if unchanged is not None and len(distinct):
        keep = np.asarray(unchanged(pd.Index(distinct)), dtype=bool)
        changed = np.flatnonzero(~keep)
        fixed = [function(distinct[i]) for i in changed]
        if isinstance(distinct.dtype, pd.StringDtype) and all(isinstance(r, str) for r in fixed):
            import pyarrow as pa
            import pyarrow.compute as pc

            text = pa.array(distinct, type=pa.string())  # the unchanged stay in Arrow: no Python call per value
            if len(changed):
                text = pc.replace_with_mask(text, pa.array(~keep), pa.array(fixed, type=pa.string()))
            return pd.Series(pd.array(text, dtype="str").take(codes), index=values.index)
        results = [v if same else function(v) for v, same in zip(distinct, keep, strict=True)]
    else:
        results = [function(v) for v in distinct]
    if all(isinstance(r, str) for r in results):  # text stays text (Arrow), taken by code, not rebuilt per cell
        return pd.Series(pd.array(results, dtype="str").take(codes), index=values.index)
    objects = np.empty(len(results), dtype=object)
    objects[:] = results
    return pd.Series(objects[codes], index=values.index)


def cell_text(value: object) -> str:
    """One cell as NFC text; whole floats lose their ``.0`` (Excel numbers)."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.date):  # an Excel date cell (datetime from openpyxl, Timestamp from pandas)
        return value.strftime("%Y-%m-%d")
    return nfc(value)


def find_header_row(grid: pd.DataFrame, expected: list[str], path: Path, what: str) -> int:
    """Index of the row holding the expected headers (a title block may sit above)."""
    wanted = {h.casefold() for h in expected}
    best, best_hits = None, 0
    for index, row in grid.head(HEADER_SEARCH_ROWS).iterrows():
        hits = len(wanted & {str(v).casefold() for v in row})
        if hits > best_hits:
            best, best_hits = index, hits
        if hits == len(wanted):
            break
    if best is None:
        first = grid.iloc[0].tolist()
        raise InputError(
            path, f"no header row with the {what} columns {sorted(expected)} in the first "
            f"{HEADER_SEARCH_ROWS} rows (first row is {first[:6]})",
            row=int(grid.index[0]) + 1, fix=f"name the columns {sorted(expected)} in one header row",
        )
    return int(best)


def table_from_grid(grid: pd.DataFrame, header_index: int, path: Path) -> pd.DataFrame:
    """Body rows under the header row, columns named by the headers; index = file row."""
    headers = grid.loc[header_index].tolist()
    seen: set[str] = set()
    for header in headers:
        if header and header.casefold() in seen:
            raise InputError(path, f"the header {header!r} appears twice", row=header_index + 1,
                             column=header, fix="give each column a distinct header")
        seen.add(header.casefold())
    body = grid.loc[grid.index > header_index].copy()
    body.columns = headers
    body = body.loc[:, [h != "" for h in headers]]
    body.index = body.index + 1  # file row numbers, as Excel shows them
    return body


def read_table(path: str | Path, required: list[str], optional: Sequence[str] = (), sheet: str | int = 0,
               what: str = "required") -> pd.DataFrame:
    """Read a tidy side table, checking that the required columns are present."""
    path = Path(path)
    grid = read_grid(path, sheet)
    header_index = find_header_row(grid, required, path, what)
    table = table_from_grid(grid, header_index, path)
    by_fold = {c.casefold(): c for c in table.columns}
    for column in required:
        if column.casefold() not in by_fold:
            raise InputError(path, f"the required column {column!r} is missing", row=header_index + 1,
                             column=column, fix=close_match_hint(column, list(table.columns)))
    keep = [by_fold[c.casefold()] for c in [*required, *optional] if c.casefold() in by_fold]
    table = table[keep]
    table.columns = [c for c in [*required, *optional] if c.casefold() in by_fold]
    if table.empty:
        raise InputError(path, "the file has a header row but no data rows", fix="add the data rows")
    return table


def close_match_hint(name: str, headers: list[str]) -> str:
    """A fix that suggests the closest existing header, if any."""
    close = difflib.get_close_matches(name, headers, n=1, cutoff=0.5)
    if close:
        return f"the file has {close[0]!r}: rename it, or correct the name in the mapping"
    return f"add a column headed {name!r} (headers found: {', '.join(headers[:8])})"


PERIOD_PATTERNS = [
    (re.compile(r"^(?:năm\s*)?(\d{4})$", re.I), "year", lambda m: m.group(1)),
    (re.compile(r"^tháng\s*(\d{1,2})\s*(?:/|-|năm)\s*(\d{4})$", re.I), "month",
     lambda m: f"{m.group(2)}-{int(m.group(1)):02d}"),
    (re.compile(r"^\d{1,2}/(\d{1,2})/(\d{4})$"), "month",  # a date, day first: 15/07/2023
     lambda m: f"{m.group(2)}-{int(m.group(1)):02d}"),
    (re.compile(r"^(\d{4})-(\d{1,2})(?:-\d{1,2}(?:[ T]00:00(?::00)?)?)?$"), "month",
     lambda m: f"{m.group(1)}-{int(m.group(2)):02d}"),
    (re.compile(r"^(\d{1,2})/(\d{4})$"), "month", lambda m: f"{m.group(2)}-{int(m.group(1)):02d}"),
    (re.compile(r"^(?:tháng\s*)?(\d{1,2})[/-](\d{4})$", re.I), "month",
     lambda m: f"{m.group(2)}-{int(m.group(1)):02d}"),
    (re.compile(r"^(\d{4})[-\s]*(?:R|đợt\s*)(\d+)$", re.I), "round", lambda m: f"{m.group(1)}-R{int(m.group(2))}"),
    (re.compile(r"^đợt\s*([0-9]+|[IVX]+)\s*(?:/|năm)\s*(\d{4})$", re.I), "round",
     lambda m: f"{m.group(2)}-R{roman(m.group(1))}"),
    (re.compile(r"^(\d{4})[-\s]*Q([1-4])$", re.I), "quarter", lambda m: f"{m.group(1)}-Q{m.group(2)}"),
    (re.compile(r"^(?:Q|quý\s*)([1-4]|I{1,3}|IV)\s*(?:/|-|năm)\s*(\d{4})$", re.I), "quarter",
     lambda m: f"{m.group(2)}-Q{roman(m.group(1))}"),
]


def roman(text: str) -> int:
    """A round or quarter number written 1, 2 or I, II, IV."""
    if text.isdigit():
        return int(text)
    values = {"I": 1, "V": 5, "X": 10}
    digits = [values[c] for c in text.upper()]
    return sum(-d if d < nxt else d for d, nxt in zip(digits, [*digits[1:], 0], strict=True))


def more_cells(bad: pd.Series) -> str:
    """'' for one bad cell; else how many more there are and where (rows of the file, first ones listed)."""
    if len(bad) <= 1:
        return ""
    rows = [str(r) for r in bad.index[1:6]]
    more = len(bad) - 1 - len(rows)
    where = f"rows {', '.join(rows)}" + (f" and {more:,} more" if more > 0 else "")
    values = ", ".join(repr(v) for v in dict.fromkeys(bad.iloc[1:]) if v is not None)
    values = values if len(values) <= 80 else values[:77] + "..."
    return f"; {len(bad) - 1:,} more cell(s) of the same kind in this column ({where}: {values})"


def parse_period(text: str) -> tuple[str, str] | None:
    """Canonical period and its kind, or None: ``"7/2023"`` -> ``("2023-07", "month")``."""
    for pattern, kind, canonical in PERIOD_PATTERNS:
        match = pattern.match(text)
        if match:
            value = canonical(match)
            if kind == "month" and not 1 <= int(value[5:7]) <= 12:
                return None
            return value, kind
    return None


def parse_periods(values: pd.Series, path: Path, column: str) -> pd.Series:
    """Canonical periods; one kind per file (years, months or rounds).  Each distinct text is read once."""
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    parsed = [parse_period(text) or ("", "") for text in distinct]
    period = pd.Series(pd.array([p for p, _ in parsed], dtype="str").take(codes), index=values.index)
    bad = values[(period == "").to_numpy()]
    if len(bad):
        raise InputError(path, f"the period {bad.iloc[0]!r} cannot be read{more_cells(bad)}", row=bad.index[0],
                         column=column, fix="write a year (2023), a month (2023-07 or 7/2023), a quarter "
                         "(2023-Q3) or a round (2023-R1 or đợt I năm 2023)")
    kinds = np.array([k for _, k in parsed], dtype=object)
    if len(set(kinds)) > 1:
        row = values.index[kinds[codes] != kinds[codes[0]]][0]
        raise InputError(path, f"the column mixes period types {sorted(set(kinds))} (row {row} has "
                         f"{values[row]!r}, row {values.index[0]} has {values.iloc[0]!r})",
                         row=row, column=column, fix="use one period type for the whole file")
    return period


def parse_answer(text: str) -> int | float | None:
    """1..5, NaN for no answer, None when the text is not an answer."""
    folded = text.casefold().strip()
    if folded in MISSING_ANSWERS:
        return np.nan
    if folded in ANSWER_CODES:
        return ANSWER_CODES[folded]
    try:
        number = float(folded.replace(",", "."))
    except ValueError:
        return None
    return int(number) if number.is_integer() else number


def parse_answers(values: pd.Series, path: Path, column: str) -> pd.Series:
    """Answers as nullable Int8 1..5; an unknown label or out-of-range number is an error."""
    codes = per_distinct(values, lambda text: np.inf if (code := parse_answer(text)) is None else code)
    codes = codes.to_numpy(dtype=float)
    unreadable = values[np.isinf(codes)]
    if len(unreadable):
        raise InputError(
            path, f"the answer {unreadable.iloc[0]!r} is not on the answer scale{more_cells(unreadable)}",
            row=unreadable.index[0], column=column,
            fix="use 1-5 or one of: " + ", ".join(ANSWER_LABELS[k]["vi"] for k in ANSWER_LABELS)
            + "; leave blank or write 'không ý kiến' for no answer",
        )
    outside = values[~np.isnan(codes) & ~np.isin(codes, (1, 2, 3, 4, 5))]
    if len(outside):
        raise InputError(path, f"the answer {outside.iloc[0]!r} is outside the scale 1-5{more_cells(outside)}",
                         row=outside.index[0], column=column,
                         fix="correct the answer, or leave the cell blank if there was no answer "
                         "(codes such as 0 or 9 for 'no answer' must be blank)")
    return pd.Series(codes, index=values.index).astype("Int8")


def parse_numbers(values: pd.Series, path: Path, column: str, positive: bool = False) -> pd.Series:
    """Floats; text among numbers is reported as a column of mixed types."""
    numbers = pd.to_numeric(values.str.replace(",", ".", regex=False), errors="coerce")
    bad = values[numbers.isna() & (values != "")]
    if len(bad):
        row = bad.index[0]
        raise InputError(path, f"the column mixes numbers and text (row {row} has {values[row]!r}{more_cells(bad)})",
                         row=row, column=column, fix="put only numbers in this column")
    if positive and (numbers <= 0).any():
        row = (numbers <= 0).idxmax()
        raise InputError(path, f"the value {values[row]!r} is not positive", row=row, column=column,
                         fix="survey weights must be greater than 0")
    return numbers


def map_values(values: pd.Series, table: dict[str, str], allowed: tuple[str, ...], path: Path,
               column: str) -> pd.Series:
    """Translate labels such as 'Trực tuyến' to codes such as 'online'."""
    lookup = {k.casefold(): v for k, v in table.items()}
    lookup.update({a: a for a in allowed})
    mapped = per_distinct(values, lambda text: lookup.get(text.casefold()))
    bad = values[mapped.isna()]
    if len(bad):
        raise InputError(path, f"the value {bad.iloc[0]!r} is not known{more_cells(bad)}", row=bad.index[0],
                         column=column, fix=f"use one of {sorted(set(table))} or add it under 'values' in the mapping")
    return mapped.astype("str")


def to_bool(values: pd.Series, path: Path, column: str) -> pd.Series:
    """Yes/no columns: 1/0, true/false, có/không, x/blank."""
    truth = {"1": True, "true": True, "yes": True, "có": True, "x": True,
             "0": False, "false": False, "no": False, "không": False, "": False}
    mapped = values.str.casefold().map(truth)
    if mapped.isna().any():
        row = mapped.isna().idxmax()
        raise InputError(path, f"the value {values[row]!r} is not yes/no", row=row, column=column,
                         fix="write 1 or 0 (có/không)")
    return mapped.astype(bool)


def read_yaml(path: Path, what: str, template: str) -> dict:
    """A YAML file as a mapping, or an InputError naming the file; ``what`` names it for the reader.

    ``template`` is the shipped file the reader can start again from.
    """
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(path, f"the {what} does not exist",
                         fix=f"check the path given as a parameter (the shipped one is {template})") from None
    except UnicodeDecodeError:
        raise InputError(path, f"the {what} is not a UTF-8 text file", fix="save it as UTF-8") from None
    except yaml.YAMLError as exc:
        raise InputError(path, f"the {what} is not valid YAML ({exc})",
                         fix="check indentation, quotes and brackets") from None
    if not isinstance(raw, dict):
        raise InputError(path, f"the {what} is empty or not a set of keys", fix=f"start from the shipped {template}")
    return raw
