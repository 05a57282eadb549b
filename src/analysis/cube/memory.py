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

How it is computed (tens of millions of answers in seconds, in a fraction of
the input's memory; ``benchmarks/bench_cube.py``): every column becomes integer
codes in the order ``groupby(sort=True)`` sorts it, missing values last
(categorical codes, an offset for integers of a small range, ``pd.factorize``
otherwise).  Cell codes combine the key columns by mixed radix and are
compacted to the combinations present (a presence mask and a cumulative sum
when the code space is at most 4 x rows, else hashing); respondents are
numbered by their id alone while no id comes back in another period (checked
on every row), else by (period, id).  The rows are then read in chunks that
stay in cache: ``np.bincount`` sums per (cell, item, answer), and each
respondent's per-component sums (answered, satisfied, dissatisfied, sum of
answers) packed into one integer and added with ``np.add.at``.  Respondent
scores are formed in numpy, chunk by chunk, and summed per cell by a sparse
product.  Rows are sorted by the keys, as ``groupby`` sorts them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_integer_dtype
from scipy import sparse

from analysis.data.grid import NOT_ASKED
from analysis.data.schema import COMPONENTS, OVERALL_ITEM

CELL_KEYS = ["period", "year", "unit_id", "channel", "group", "stratum"]
RESPONDENT_KEYS = ["period", "respondent_id"]
MEASURES = {  # measure -> value of an answer 1..5
    "satisfied": lambda a: (a >= 4).astype(float),
    "dissatisfied": lambda a: (a <= 2).astype(float),
    "mean": lambda a: a.astype(float),
}
SCORES = [*COMPONENTS, "index"]
MOMENTS = ["n", "y", "y2", "w", "wy", "w2", "w2y", "w2y2"]
_DEFAULTS = {"weight": 1.0, "stratum": "", "channel": "", "group": ""}  # for absent columns
_ATTRIBUTES = ["year", "unit_id", "channel", "group", "weight", "stratum", "psu"]

_CHUNK = 1 << 17  # rows read at a time: the temporaries stay in cache
_PEOPLE_CHUNK = 1 << 14  # respondents at a time
_BINS = 1 << 17  # answer sums per chunk by bincount up to this many (cell, item, answer) codes
_COUNT_BITS = 12  # packed per-component sums: answered count below 2**12
_DENSE, _DENSE_MIN = 4, 1 << 16  # code spaces up to 4 x rows (or 65536) are compacted by table, else hashed


@dataclass
class Cube:
    """The reduced survey: answer counts, respondent-score moments, PSUs per stratum.

    ``psus`` counts the primary sampling units of each ``period|stratum`` over the
    whole design (domains keep the PSUs they do not touch, as R's ``svyby`` does).
    ``units`` is the unit table, joined on demand so cells can be grouped by block.
    ``population``, when the survey knows the number served, is the population of each
    ``period|stratum`` for the finite population correction (:func:`stratum_population`).
    """

    answers: pd.DataFrame
    scores: pd.DataFrame
    psus: pd.Series
    clustered: bool
    units: pd.DataFrame
    components: tuple[str, ...] = COMPONENTS  # the components scored, in the form's order
    index_form: str = "sipas"  # how the respondent index is formed (:data:`analysis.data.schema.INDEX_FORMS`)
    population: pd.Series | None = None  # N_h per period|stratum (fpc), None: no correction

    @property
    def score_names(self) -> list[str]:
        """The respondent scores the cube holds: each component, then the index."""
        return [*self.components, "index"]

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


# --------------------------------------------------------------------------- codes


def _dense(space: int, rows: int) -> bool:
    """Whether codes below ``space`` are compacted through a table as large as the space (else hashed)."""
    return space <= max(_DENSE * rows, _DENSE_MIN)


def _int_type(size: int) -> type:
    """The integer type for codes below ``size``."""
    return np.int32 if size < 1 << 31 else np.int64


def _integer_range(values: pd.Series) -> tuple:
    """Smallest and largest value and whether any is missing, of an integer column (chunk by chunk)."""
    if isinstance(values.dtype, np.dtype):
        data = values.to_numpy()
        return data.min(), data.max(), False
    array, low, high, missing = values.array, np.nan, np.nan, False
    for start in range(0, len(array), _CHUNK):
        part = array[start:start + _CHUNK].to_numpy(dtype=float, na_value=np.nan)
        missing = missing or bool(np.isnan(part).any())
        low, high = np.fmin(low, np.fmin.reduce(part)), np.fmax(high, np.fmax.reduce(part))
    return (low, high, missing) if np.isnan(low) else (int(low), int(high), missing)


class _Column:
    """One column as integer codes ``0..size-1`` in the order ``groupby(sort=True)`` sorts, missing last.

    ``codes(sel)`` reads the codes of a slice or of given rows; ``values(codes)``
    turns codes back into values of the column's dtype.  ``na`` is the code of
    the missing value (``None`` when there is none).
    """

    def __init__(self, name: str, values: pd.Series | None = None, default=None):
        self.name = name
        self.na = None
        self.dtype: Any = None  # the values' dtype; None for an absent column
        if values is None:  # an absent column: one value everywhere
            self.kind, self.size, self._levels = "constant", 1, pd.Series([default]).array
            return
        self.dtype = dtype = values.dtype
        n = len(values)
        if isinstance(dtype, pd.CategoricalDtype):
            self.kind, self._data = "codes", np.asarray(values.array.codes)
            self.size = len(dtype.categories)
            if n and self._data.min() < 0:
                self.na, self.size = self.size, self.size + 1
            return
        if is_integer_dtype(dtype) and not is_bool_dtype(dtype) and n:
            low, high, missing = _integer_range(values)
            if not pd.isna(low) and _dense(int(high) - int(low), n):
                self._low = int(low)
                self.size = int(high) - self._low + 1
                self._type = np.result_type(*(np.min_scalar_type(v) for v in (self._low, self.size, int(high) + 1)))
                if isinstance(dtype, np.dtype):
                    self.kind, self._data = "offset", values.to_numpy().view()
                    self._data.flags.writeable = False  # codes may be this very array: never write to it
                else:  # nullable integers: missing values read as high + 1, the last code
                    self.kind, self._data = "masked", values.array
                    if missing:
                        self.na, self.size = self.size, self.size + 1
                return
        codes, uniques = pd.factorize(values, sort=True)
        self.kind, self.size = "codes", len(uniques)
        self._data = codes.astype(_int_type(self.size + 1), copy=False)
        self._levels = uniques.array if isinstance(uniques, pd.Index) else pd.array(uniques)
        if n and self._data.min() < 0:
            self.na, self.size = self.size, self.size + 1

    def renamed(self, name: str) -> _Column:
        column = object.__new__(_Column)
        column.__dict__.update(self.__dict__, name=name)
        return column

    def codes(self, sel) -> np.ndarray:
        """Codes of ``sel`` (a slice or row numbers), as some integer dtype."""
        if self.kind == "constant":
            length = len(range(*sel.indices(sel.stop))) if isinstance(sel, slice) else len(sel)
            return np.zeros(length, dtype=np.int8)
        if self.kind == "offset":
            part = self._data[sel]
            return part if self._low == 0 else np.subtract(part, self._low, dtype=_int_type(self.size))
        if self.kind == "masked":
            part = self._data[sel].to_numpy(dtype=self._type, na_value=self._low + self.size - 1)
            part -= self._low
            return part
        part = self._data[sel]
        if self.na is not None:
            part = part.astype(_int_type(self.size))
            part[part < 0] = self.na
        return part

    def values(self, codes: np.ndarray):
        """The column's values for ``codes``, in its own dtype (missing for ``na``)."""
        codes = np.asarray(codes, dtype=np.int64)
        missing = codes == self.na if self.na is not None else np.zeros(len(codes), dtype=bool)
        if self.kind == "constant":
            return self._levels.take(np.zeros(len(codes), dtype=np.int64))
        if self.kind == "offset":
            return (codes + self._low).astype(self.dtype)
        if self.kind == "masked":
            data = np.where(missing, 0, codes + self._low).astype(self.dtype.numpy_dtype)
            return pd.arrays.IntegerArray(data, missing).astype(self.dtype)
        codes = np.where(missing, -1, codes)
        if isinstance(self.dtype, pd.CategoricalDtype):
            return pd.Categorical.from_codes(codes, dtype=self.dtype)
        return pd.api.extensions.take(self._levels, codes, allow_fill=True)

    def levels(self) -> pd.Series:
        """The values of all codes ``0..size-1``."""
        return pd.Series(self.values(np.arange(self.size)))

    def code_of(self, value) -> int | None:
        """The code of ``value``, if the column has it."""
        match = np.flatnonzero(self.levels().eq(value).fillna(False).to_numpy(dtype=bool))
        return int(match[0]) if len(match) else None


class _Key:
    """Several columns (or keys) combined into one code ``0..size-1``, in the sorted order of their values.

    The mixed-radix code of the parts is compacted to the combinations present:
    :func:`_learn` reads the rows once to find them (a presence mask when the
    code space is at most 4 x rows, else hashing).
    """

    def __init__(self, parts: list, rows: int):
        self.parts = parts
        self._radix = [p for p in parts if p.size > 1]
        self.raw_size = int(np.prod([p.size for p in self._radix], dtype=object)) if self._radix else 1
        if self.raw_size >= 1 << 62:
            raise ValueError("too many combinations of key values; compact part of the key first")
        self._type = _int_type(self.raw_size)
        self.mode = "dense" if _dense(self.raw_size, rows) else "hash"
        self.ready = False
        self.size: int  # size and observed once learnt (finish)
        self.observed: np.ndarray

    def nested(self) -> list[_Key]:
        """This key and the keys it is made of, innermost first."""
        inner = [k for p in self.parts if isinstance(p, _Key) for k in p.nested()]
        return [*inner, self]

    def raw(self, sel) -> np.ndarray:
        """The uncompacted (mixed-radix) code of ``sel``."""
        code = None
        for part in self._radix:
            digits = part.codes(sel)
            if code is None:
                code = digits.astype(self._type)
            else:
                code *= part.size
                code += digits
        if code is None:
            code = np.zeros(len(self.parts[0].codes(sel)), dtype=self._type)
        return code

    def start(self) -> None:
        if self.mode == "dense":
            self._present = np.zeros(self.raw_size, dtype=bool)
        else:
            self._seen: list[np.ndarray] = []

    def see(self, raw: np.ndarray) -> None:
        if self.mode == "dense":
            self._present[raw] = True
        else:
            self._seen.append(pd.unique(raw))
            if len(self._seen) > 32:
                self._seen = [pd.unique(np.concatenate(self._seen))]

    def finish(self) -> None:
        if self.mode == "dense":
            self.observed = np.flatnonzero(self._present)
            self._rank: np.ndarray = np.cumsum(self._present, dtype=_int_type(self.raw_size + 1))
            self._rank -= 1
            del self._present
        else:
            self.observed = np.sort(pd.unique(np.concatenate(self._seen))) if self._seen else np.zeros(0, np.int64)
            self._index = pd.Index(self.observed)
            del self._seen
        self.size, self.ready = len(self.observed), True

    def release(self) -> None:
        """Free the code map (the key can still decode, not code)."""
        self.__dict__.pop("_rank", None)
        self.__dict__.pop("_index", None)

    def codes(self, sel) -> np.ndarray:
        raw = self.raw(sel)
        if self.mode == "dense":
            return np.take(self._rank, raw)
        return self._index.get_indexer(raw)

    def scaled(self, factor: int):
        """A table giving ``codes * factor`` (as intp) from the raw code, or ``None`` when hashing."""
        return self._rank.astype(np.intp) * factor if self.mode == "dense" else None

    def decode(self, codes: np.ndarray) -> dict[str, np.ndarray]:
        """The codes of every column of the key, for key codes ``codes``."""
        raw = self.observed[np.asarray(codes, dtype=np.int64)].astype(np.int64)
        digits = {}
        for part in reversed(self._radix):
            raw, digits[id(part)] = np.divmod(raw, part.size)
        columns: dict[str, np.ndarray] = {}
        for part in self.parts:
            digit = digits.get(id(part), np.zeros(len(raw), dtype=np.int64))
            columns.update(part.decode(digit) if isinstance(part, _Key) else {part.name: digit})
        return columns


class _IdsReused(Exception):
    """A respondent id appears in two periods."""


class _Respondents:
    """Respondents (period, respondent_id) as codes ``0..size-1``, learnt like a :class:`_Key`.

    Respondent ids are usually unique over periods; then the id alone names the
    respondent, its codes serve as they are (compacted if some are unused) and
    no table as large as periods x ids is needed.  Reading the rows checks
    that no id comes back in another period (:class:`_IdsReused`); if one
    does, :meth:`fall_back` learns the key (period, respondent_id) instead.
    """

    parts: list = []

    def __init__(self, period: _Column, respondent: _Column, rows: int):
        self.period, self.respondent, self.rows = period, respondent, rows
        self._inner: _Key | None = None
        self.ready = False
        self.size: int  # once learnt (finish)
        self.first_rows: np.ndarray | None = None

    def nested(self) -> list[_Respondents]:
        return [self]

    def start(self) -> None:
        self._first: np.ndarray = np.full(self.respondent.size, self.rows, dtype=_int_type(self.rows + 1))

    def raw(self, sel):
        return self.respondent.codes(sel), sel

    def see(self, raw) -> None:
        ids, sel = raw
        np.minimum.at(self._first, ids, np.arange(sel.start, sel.stop, dtype=self._first.dtype))

    def finish(self) -> None:
        present = self._first < self.rows
        self.first_rows = first_rows = self._first[present].astype(np.intp)
        del self._first
        self.size = len(first_rows)
        self._rank: np.ndarray | None = None  # ids serve as codes, unless some are unused
        if self.size != len(present):
            self._rank = np.cumsum(present, dtype=_int_type(len(present) + 1)) - 1
        # the period of each id (by its first row); reading the rows checks it is the period of every row
        self._period_of = np.full(len(present), -1, dtype=np.min_scalar_type(-self.period.size - 1))
        self._period_of[present] = self.period.codes(self.first_rows)
        self.ready = True

    def fall_back(self) -> None:
        self._inner = inner = _Key([self.period, self.respondent], self.rows)
        self.__dict__.pop("_period_of", None)
        self.first_rows = None
        _learn([inner], self.rows)
        self.size = inner.size

    def verify(self) -> None:
        """Read the rows to check that no id comes back in another period (else fall back)."""
        try:
            for start in range(0, self.rows, _CHUNK):
                self.codes(slice(start, min(self.rows, start + _CHUNK)))
        except _IdsReused:
            self.fall_back()

    def codes(self, sel) -> np.ndarray:
        if self._inner is not None:
            return self._inner.codes(sel)
        ids = self.respondent.codes(sel)
        if (np.take(self._period_of, ids) != self.period.codes(sel)).any():
            raise _IdsReused
        return ids if self._rank is None else np.take(self._rank, ids)

    def release(self) -> None:
        if self._inner is not None:
            self._inner.release()
        self.__dict__.pop("_rank", None)
        self.__dict__.pop("_period_of", None)


def _learn(keys: list[_Key | _Respondents], rows: int) -> None:
    """Find the combinations present of every key (one read of the rows per level of nesting)."""
    todo = list({id(k): k for key in keys for k in key.nested() if not k.ready}.values())
    while todo:
        batch = [k for k in todo if all(p.ready for p in k.parts if isinstance(p, _Key))]
        for key in batch:
            key.start()
        for start in range(0, rows, _CHUNK):
            sel = slice(start, min(rows, start + _CHUNK))
            for key in batch:
                key.see(key.raw(sel))
        for key in batch:
            key.finish()
        todo = [k for k in todo if not k.ready]


def _distinct(codes: np.ndarray, space: int, sort: bool = True) -> np.ndarray:
    """Distinct values of non-negative ``codes`` below ``space`` (sorted unless ``sort`` is false)."""
    if _dense(space, len(codes)):
        present = np.zeros(space, dtype=bool)
        present[codes] = True
        return np.flatnonzero(present)
    found = pd.unique(np.asarray(codes, dtype=np.int64))
    return np.sort(found) if sort else found


# --------------------------------------------------------------------------- the pass over the rows


class _Packing:
    """Per (item, answer) code: answered (1/0) and each measure's value, summed per respondent x component.

    When every value is a small non-negative integer the sums are packed into
    one int64 (``_COUNT_BITS`` for the count, enough bits per measure for the
    count times the largest value), else kept as separate float sums.  The
    overall item counts for nothing, unless the index is formed on it (``count_overall``).
    """

    def __init__(self, item: _Column, answer: _Column, count_overall: bool = False):
        levels = answer.levels()
        answered = levels.notna().to_numpy()
        numbers = levels.astype(float)
        rows = [answered.astype(float)]
        for value in MEASURES.values():
            rows.append(np.where(answered, np.asarray(value(numbers), dtype=float), 0.0))
        table = np.array(rows)  # (1 + measures) x answer codes
        counted = np.ones(item.size, dtype=bool)
        overall = item.code_of(OVERALL_ITEM)
        if overall is not None and not count_overall:
            counted[overall] = False
        per_item = table[:, None, :] * counted[None, :, None]  # (1 + measures) x item x answer
        self.fields = len(table)
        whole = bool(np.all(table == np.round(table)) and np.all(table >= 0))
        widths = [_COUNT_BITS, *(_COUNT_BITS + max(int(row.max(initial=0)), 1).bit_length() for row in table[1:])]
        self.packed = whole and sum(widths) <= 63
        self.luts = [values.reshape(-1) for values in per_item]
        if self.packed:
            self.shifts = [int(s) for s in np.cumsum([0, *widths[:-1]])]
            self.masks = [(1 << w) - 1 for w in widths]
            self.lut = np.zeros(item.size * answer.size, dtype=np.int64)
            for shift, values in zip(self.shifts, self.luts, strict=True):
                self.lut += values.astype(np.int64) << shift

    def accumulators(self, size: int) -> list[np.ndarray]:
        if self.packed:
            return [np.zeros(size, dtype=np.int64)]
        return [np.zeros(size) for _ in range(self.fields)]

    def add(self, accumulators: list[np.ndarray], index: np.ndarray, item_answer: np.ndarray) -> None:
        if self.packed:
            np.add.at(accumulators[0], index, np.take(self.lut, item_answer))
        else:
            for accumulator, lut in zip(accumulators, self.luts, strict=True):
                np.add.at(accumulator, index, np.take(lut, item_answer))

    def counted(self, accumulators: list[np.ndarray]) -> int:
        """Answers counted in the sums (to check that no packed count overflowed)."""
        if not self.packed:
            return int(accumulators[0].sum())
        packed, step = accumulators[0], 1 << 20
        return sum(int((packed[s:s + step] & self.masks[0]).sum()) for s in range(0, packed.size, step))

    def unpack(self, accumulators: list[np.ndarray], components: int, code: int, sel) -> list[np.ndarray]:
        """Answered count and per-measure sums of component ``code`` for respondents ``sel``, as floats."""
        if not self.packed:
            return [a.reshape(components, -1)[code, sel] for a in accumulators]
        packed = accumulators[0].reshape(components, -1)[code, sel]
        return [((packed >> s) & m).astype(float) for s, m in zip(self.shifts, self.masks, strict=True)]


class _Weights:
    """The weight column read by chunk or by rows, as float64; a missing weight reads as 0 (sums skip it)."""

    def __init__(self, weight: pd.Series):
        self.integer = isinstance(weight.dtype, np.dtype) and weight.dtype.kind in "iu"
        self._data = weight.to_numpy() if isinstance(weight.dtype, np.dtype) else weight.array

    def __getitem__(self, sel) -> np.ndarray:
        part = self._data[sel]
        part = part.astype(float, copy=False) if isinstance(part, np.ndarray) else part.to_numpy(
            dtype=float, na_value=np.nan)
        if np.isnan(part).any():
            part = np.nan_to_num(part, nan=0.0)
        return part


@dataclass
class _Scan:
    """What one read of the rows gives: respondents' first rows and component sums, answer sums."""

    first: np.ndarray  # per respondent, its first row
    sums: list[np.ndarray]  # respondent x component accumulators (see _Packing)
    counts: np.ndarray | None = None  # answers: per (cell, item, answer) code
    weights: np.ndarray | None = None
    squares: np.ndarray | None = None
    answer_key: _Key | None = None  # when (cell, item, answer) codes had to be compacted
    answered: int = 0  # answers counted in the component sums


def _scan(rows: int, respondents: _Respondents, component: _Column, item: _Column, answer: _Column,
          packing: _Packing, cells: _Key | None = None, weight: _Weights | None = None,
          first: np.ndarray | None = None, sums: bool = True) -> _Scan:
    """Read the rows once: first rows, respondent x component sums and (with ``cells``) answer sums."""
    try:
        return _scan_once(rows, respondents, component, item, answer, packing, cells, weight, first, sums)
    except _IdsReused:
        respondents.fall_back()
        return _scan_once(rows, respondents, component, item, answer, packing, cells, weight, None, sums)


def _scan_once(rows: int, respondents: _Respondents, component: _Column, item: _Column, answer: _Column,
               packing: _Packing, cells: _Key | None, weight: _Weights | None, first: np.ndarray | None,
               sums: bool) -> _Scan:
    components, answers, pairs = component.size, answer.size, item.size * answer.size
    find_first = first is None
    if first is None:
        first = np.full(respondents.size, rows, dtype=_int_type(rows + 1))
    scan = _Scan(first=first, sums=packing.accumulators(respondents.size * components if sums else 0))
    per_pair = np.zeros(pairs, dtype=np.int64)  # rows per (item, answer), when the answer sums do not give them
    index_type = _int_type(respondents.size * components)
    if cells is not None:
        inline = cells.size * pairs <= _BINS  # else compact the (cell, item, answer) codes first
        if not inline:
            scan.answer_key = answer_key = _Key([cells, item, answer], rows)
            _learn([answer_key], rows)
        space = cells.size * pairs if inline else answer_key.size
        per_chunk = space <= _BINS  # bincount per chunk, else add into the totals
        table = cells.scaled(pairs) if inline else None  # raw cell code -> cell code * pairs
        scan.counts = counts = np.zeros(space, dtype=np.int64)
        if weight is not None:
            scan.weights, scan.squares = weights, squares = np.zeros(space), np.zeros(space)
    for start in range(0, rows, _CHUNK):
        stop = min(rows, start + _CHUNK)
        sel = slice(start, stop)
        who = respondents.codes(sel)
        if find_first:
            np.minimum.at(scan.first, who, np.arange(start, stop, dtype=scan.first.dtype))
        item_answer: np.ndarray = item.codes(sel).astype(_int_type(pairs))
        item_answer *= answers
        item_answer += answer.codes(sel)
        if sums:  # component-major: component * respondents + respondent
            index: np.ndarray = component.codes(sel).astype(index_type)
            index *= respondents.size
            index += who
            packing.add(scan.sums, index, item_answer)
        if cells is None or not inline:
            per_pair += np.bincount(item_answer, minlength=pairs)
        if cells is None:
            continue
        if table is not None:
            key = np.take(table, cells.raw(sel))
            key += item_answer
        elif inline:
            key = cells.codes(sel).astype(np.intp)
            key *= pairs
            key += item_answer
        else:
            key = answer_key.codes(sel).astype(np.intp)
        w = weight[sel] if weight is not None else None
        if per_chunk:
            counts += np.bincount(key, minlength=space)
            if w is not None:
                weights += np.bincount(key, w, minlength=space)
                squares += np.bincount(key, w * w, minlength=space)
        else:
            np.add.at(counts, key, 1)
            if w is not None:
                np.add.at(weights, key, w)
                np.add.at(squares, key, w * w)
    scan.first = scan.first.astype(np.intp, copy=False)
    if cells is not None and inline and pairs:
        per_pair = counts.reshape(-1, pairs).sum(axis=0)
    scan.answered = int(per_pair[packing.luts[0] > 0].sum())
    return scan


def _read(rows: int, respondents: _Respondents, component: _Column, item: _Column, answer: _Column,
          cells: _Key | None = None, weight: _Weights | None = None, first: np.ndarray | None = None,
          index_form: str = "sipas") -> tuple[_Scan, _Packing]:
    """:func:`_scan`, again without packing in the (unlikely) case that a packed count overflowed."""
    packing = _Packing(item, answer, count_overall=index_form == "overall")
    scan = _scan(rows, respondents, component, item, answer, packing, cells, weight, first)
    if packing.packed and packing.counted(scan.sums) != scan.answered:
        packing.packed = False  # more than 2**12 - 1 answers of one respondent to one component
        scan = _scan(rows, respondents, component, item, answer, packing, cells, weight, scan.first)
    return scan, packing


# --------------------------------------------------------------------------- respondents


def _score_names(components: tuple[str, ...] = COMPONENTS) -> list[str]:
    return [f"{measure}:{score}" for measure in MEASURES for score in [*components, "index"]]


class _People:
    """Respondent scores from the respondent x component sums of a :class:`_Scan`.

    ``names`` are the components scored; the index is, by ``index_form``, the mean of the
    respondent's component scores (``sipas``), the share of all the criteria they answered
    (``criteria``: the component sums pooled) or their overall item (``overall``).
    """

    def __init__(self, scan: _Scan, packing: _Packing, component: _Column,
                 names: tuple[str, ...] = COMPONENTS, index_form: str = "sipas"):
        self.scan, self.packing = scan, packing
        self.size, self.measures = scan.first.size, packing.fields - 1
        self._form(component, names, index_form)

    def _form(self, component: _Column, names: tuple[str, ...], index_form: str) -> None:
        """Which components are scored (``names``) and which make the index (``index_form``)."""
        self.names = names
        self.components, self.n_scores, self.pooled = component.size, len(names) + 1, index_form == "criteria"
        overall = component.code_of(OVERALL_ITEM)
        if index_form == "overall":
            self.in_index = [] if overall is None else [overall]
        else:
            self.in_index = [c for c in range(component.size) if c not in (component.na, overall)]
        codes = [component.code_of(name) for name in names]
        self.wanted = {code: j for j, code in enumerate(codes) if code is not None}  # component code -> score

    def sums(self, code: int, sel) -> list[np.ndarray]:
        """Answered count and per-measure sums of component ``code`` for respondents ``sel``, as floats."""
        return self.packing.unpack(self.scan.sums, self.components, code, sel)

    def scores(self, sel, missing: float = np.nan) -> tuple[np.ndarray, np.ndarray]:
        """Scores of respondents ``sel`` (measures*scores x respondents, ``missing`` where a respondent
        has none) and whether they have them (scores x respondents)."""
        people = len(range(self.size)[sel]) if isinstance(sel, slice) else len(sel)
        measures, n_scores = self.measures, self.n_scores
        scores = np.zeros((measures, n_scores, people))
        presence = np.zeros((n_scores, people), dtype=bool)
        total = np.zeros((measures, people))
        count = np.zeros(people)
        for code in range(self.components):  # in component order, as pandas' row mean sums them
            wanted, in_index = self.wanted.get(code), code in self.in_index
            if wanted is None and not in_index:
                continue
            answered, *sums = self.sums(code, sel)
            present = answered > 0
            if not present.any():
                continue
            if in_index and self.pooled:  # criteria: all the answers of the respondent, pooled
                for k, part in enumerate(sums):
                    total[k] += part
                count += answered
                in_index = False
            for k, ratio in enumerate(sums):
                np.divide(ratio, answered, out=ratio, where=present)  # stays 0 where nothing was answered
                if in_index:
                    total[k] += ratio
                if wanted is not None:
                    scores[k, wanted] = ratio
            if in_index:
                count += present
            if wanted is not None:
                presence[wanted] = present
        presence[-1] = count > 0
        scores[:, -1] = np.divide(total, count, out=total, where=presence[-1])
        if missing != 0:
            scores[:, ~presence] = missing
        return scores.reshape(measures * n_scores, people), presence

    def moment_sums(self, weight: np.ndarray, cell: np.ndarray, cells: int) -> dict[str, dict[str, np.ndarray]]:
        """Per cell, the sums of n, y, y2, w, wy, w2, w2y, w2y2 of every score, by score name and moment."""
        people = len(cell)
        n_scores = self.n_scores
        n_measured = len(MEASURES) * n_scores
        plain = np.zeros((cells, n_scores + 2 * n_measured))  # n, y, y2
        weighted = np.zeros((cells, n_scores + n_measured))  # w, wy
        squared = np.zeros((cells, n_scores + 2 * n_measured))  # w2, w2y, w2y2
        order = np.argsort(cell, kind="stable") if cells > _PEOPLE_CHUNK // 4 else None  # few cells per chunk
        for start in range(0, people, _PEOPLE_CHUNK):
            chunk = slice(start, min(people, start + _PEOPLE_CHUNK))
            sel = chunk if order is None else order[chunk]
            scores, presence = self.scores(sel, missing=0.0)
            first = np.empty((scores.shape[1], n_scores + n_measured))  # presence, y (respondents x columns)
            first[:, :n_scores] = presence.T
            first[:, n_scores:] = scores.T
            second = first[:, n_scores:] ** 2
            c = cell[sel]
            low, high = int(c.min()), int(c.max())
            # cells x respondents, one entry per respondent: 1, then its weight, then its squared weight
            matrix = sparse.csr_matrix((np.ones(len(c)), (c - low, np.arange(len(c)))), shape=(high - low + 1, len(c)))
            w = np.take(weight[sel], matrix.indices)
            rows = slice(low, high + 1)
            plain[rows, :n_scores + n_measured] += matrix @ first
            plain[rows, n_scores + n_measured:] += matrix @ second
            matrix.data = w
            weighted[rows] += matrix @ first
            matrix.data = w * w
            squared[rows, :n_scores + n_measured] += matrix @ first
            squared[rows, n_scores + n_measured:] += matrix @ second
        out = {}
        for j, name in enumerate(_score_names(self.names)):
            s, y, y2 = j % n_scores, n_scores + j, n_scores + n_measured + j
            out[name] = {"n": plain[:, s].round().astype(np.int64), "y": plain[:, y], "y2": plain[:, y2],
                         "w": weighted[:, s], "wy": weighted[:, y], "w2": squared[:, s], "w2y": squared[:, y],
                         "w2y2": squared[:, y2]}
        return out


def _respondent_codes(responses: pd.DataFrame) -> tuple[_Column, _Column, _Respondents]:
    period = _Column("period", responses["period"])
    respondent = _Column("respondent_id", responses["respondent_id"])
    return period, respondent, _Respondents(period, respondent, len(responses))


def respondent_scores(responses: pd.DataFrame, components: tuple[str, ...] = COMPONENTS,
                      index_form: str = "sipas") -> pd.DataFrame:
    """One row per respondent: per-component and index scores for every measure.

    A component score is the mean over the respondent's answered items of the
    component (for ``satisfied``: the share rated 4-5); the index is the mean
    of the component scores the respondent has.  Columns are named
    ``<measure>:<score>`` (``satisfied:staff``, ``satisfied:index``); the
    column ``score`` repeats ``satisfied:index``.  The overall item is not part
    of the index.  Missing where the respondent answered no item of it.
    Respondents come in the order of their first row, with that row's attributes.
    """
    rows = len(responses)
    _, _, respondents = _respondent_codes(responses)
    _learn([respondents], rows)
    component = _Column("component", responses["component"])
    scan, packing = _read(rows, respondents, component, _Column("item", responses["item"]),
                          _Column("answer", responses["answer"]), first=respondents.first_rows, index_form=index_form)
    order = np.argsort(scan.first, kind="stable")  # respondents in the order they first appear
    people = _People(scan, packing, component, components, index_form)
    scores = np.empty((len(order), len(MEASURES) * people.n_scores))
    for start in range(0, len(order), _PEOPLE_CHUNK):
        sel = slice(start, start + _PEOPLE_CHUNK)
        scores[sel] = people.scores(order[sel])[0].T
    attributes = [c for c in _ATTRIBUTES if c in responses.columns]
    first = scan.first[order]
    columns = {c: responses[c].take(first).reset_index(drop=True) for c in [*RESPONDENT_KEYS, *attributes]}
    columns.update({name: scores[:, j] for j, name in enumerate(_score_names(components))})
    columns["score"] = columns["satisfied:index"]
    return pd.DataFrame(columns)


# --------------------------------------------------------------------------- the cube


def _clustered(period: _Column, psu: _Column, first: np.ndarray) -> bool:
    """Whether a PSU of some period holds more than one respondent (by their first rows)."""
    periods, psus = period.codes(first).astype(np.int64), psu.codes(first).astype(np.int64)
    keep = np.ones(len(first), dtype=bool)
    for column, codes in ((period, periods), (psu, psus)):
        if column.na is not None:
            keep &= codes != column.na
    code = periods[keep] * psu.size + psus[keep]
    return len(_distinct(code, period.size * psu.size, sort=False)) < len(code)


def _psus(period: _Column, stratum: _Column, psu: _Column | None, first: np.ndarray) -> pd.Series:
    """PSUs per ``period|stratum`` over all respondents (the PSU of their first row; ``None``: each its own)."""
    pair = period.codes(first).astype(np.int64) * stratum.size + stratum.codes(first)
    space = period.size * stratum.size
    pairs = _distinct(pair, space)
    if psu is None:
        count = np.bincount(pair, minlength=space)
    else:
        psus = psu.codes(first).astype(np.int64)
        counted = psus != psu.na if psu.na is not None else slice(None)
        distinct = _distinct(pair[counted] * psu.size + psus[counted], space * psu.size, sort=False)
        count = np.bincount(distinct // psu.size, minlength=space)
    key = pd.DataFrame({"period": period.values(pairs // stratum.size),
                        "stratum": stratum.values(pairs % stratum.size)})
    label = key["period"].astype(str) + "|" + key["stratum"].astype(str)  # as the indices read it
    return pd.Series(count[pairs], dtype=np.int64).groupby(label).sum().rename("psus")


def stratum_population(scores: pd.DataFrame, units: pd.DataFrame, population: pd.DataFrame, psus: pd.Series,
                       clustered: bool) -> pd.Series:
    """The population ``N_h`` of each ``period|stratum`` of a cube's ``scores``: the number served
    (``population``: unit_id, period, served) by the stratum's units in the period.

    A stratum's units are those with respondents in it; in a period with one stratum, every unit of
    ``units`` (also those nobody answered for).  Raises ValueError for a clustered design (the number
    served counts people, not clusters), a unit in two strata of a period, a sampled unit without
    its number served, or a stratum with more respondents (``psus``) than it served.
    """
    if clustered:
        raise ValueError("a finite population correction from the number served needs respondents sampled one "
                         "by one; this design has clusters (PSUs of several respondents): drop the population "
                         "(the mapping's 'population:') or the PSU column")
    cells = scores[["period", "unit_id", "stratum"]].astype(str).drop_duplicates()
    strata = cells.groupby(["period", "unit_id"])["stratum"].unique()
    nested = strata.map(len) == 1
    if not nested.all():
        bad = [f"{unit} in {period}: {', '.join(sorted(found))}" for (period, unit), found in strata[~nested].items()]
        raise ValueError("the finite population correction needs each unit in one stratum per period; "
                         f"{len(bad)} unit(s) are in several: {'; '.join(bad[:5])}")
    served = population[["unit_id", "period", "served"]].astype({"unit_id": str, "period": str}).reset_index(
        drop=True)
    missing = cells.merge(served, on=["period", "unit_id"], how="left")
    missing = missing[missing["served"].isna()]
    if len(missing):
        raise ValueError(f"the number served is missing for {len(missing)} sampled unit-period(s): "
                         + ", ".join(f"{r.unit_id} in {r.period}" for r in missing.head(5).itertuples()))
    by_period = cells.groupby("period")["stratum"]
    lone = by_period.first().where(by_period.nunique() == 1)  # a period's only stratum
    listed = served["unit_id"].isin(units["unit_id"].astype(str))
    stratum = served.merge(cells, on=["period", "unit_id"], how="left")["stratum"].fillna(
        served["period"].map(lone).where(listed))
    total = served["served"].groupby(served["period"] + "|" + stratum).sum().astype(float).rename("population")
    over = psus[psus > total.reindex(psus.index)]
    if len(over):
        raise ValueError(f"{len(over)} stratum-period(s) have more respondents than the number served: "
                         + ", ".join(f"{label} ({n} respondents, {total[label]:.0f} served)"
                                     for label, n in over.head(5).items()))
    return total


def _design(table: pd.DataFrame, period: _Column, respondent: _Column) -> tuple:
    """The cell keys' columns of ``table`` (long answers, or forms), its PSU (each respondent its own when it has
    no ``psu`` column), its weights (None: unweighted) and whether it has a PSU column."""
    columns = {"period": period}
    for name in CELL_KEYS[1:]:
        columns[name] = _Column(name, table.get(name), _DEFAULTS.get(name))
    has_psu = "psu" in table
    psu = _Column("psu", table["psu"]) if has_psu else respondent.renamed("psu")
    return columns, psu, _Weights(table["weight"]) if "weight" in table else None, has_psu


def build_cube(responses: pd.DataFrame, units: pd.DataFrame | None = None, clustered: bool | None = None,
               components: tuple[str, ...] = COMPONENTS, index_form: str = "sipas",
               population: pd.DataFrame | None = None) -> Cube:
    """Reduce long answers (the tidy ``responses``) to a :class:`Cube`.

    ``clustered`` defaults to whether any PSU holds more than one respondent.  ``components`` are
    the components scored one by one; the index is formed as ``index_form`` says.  ``population``
    (unit_id, period, served: the number served) gives the cube its population per stratum
    (:func:`stratum_population`) for the finite population correction.
    """
    rows = len(responses)
    period, respondent, respondents = _respondent_codes(responses)
    columns, psu, weight, has_psu = _design(responses, period, respondent)
    component = _Column("component", responses["component"])
    item, answer = _Column("item", responses["item"]), _Column("answer", responses["answer"])

    cells = _Key([columns[k] for k in CELL_KEYS], rows)
    _learn([respondents, cells], rows)
    first = respondents.first_rows
    if clustered is None:
        if has_psu:
            respondents.verify()  # the first rows must be those of (period, respondent_id)
            first = respondents.first_rows
            if first is None:
                first = _scan(rows, respondents, component, item, answer, _Packing(item, answer), sums=False).first
            clustered = _clustered(period, psu, first)
        else:
            clustered = False  # every respondent its own PSU
    if clustered:
        columns["psu"] = psu
        cells = _Key([cells, psu], rows)
        _learn([cells], rows)
    scan, packing = _read(rows, respondents, component, item, answer, cells, weight, first, index_form)
    first = scan.first

    weights = np.ones(len(first)) if weight is None else weight[first]
    respondents.release()  # what is left to do reads respondents by their first row
    scores = _score_table(columns, cells, first, weights, _People(scan, packing, component, components, index_form))
    scan.sums.clear()

    # answers: one row per (cell, item, answer) present
    assert scan.counts is not None  # a scan with cells sums the answers
    present = np.flatnonzero(scan.counts)
    if scan.answer_key is None:
        pairs = item.size * answer.size
        decoded = cells.decode(present // pairs)
        decoded["item"], decoded["answer"] = present % pairs // answer.size, present % answer.size
    else:
        decoded = scan.answer_key.decode(present)
    weighted = None
    if weight is not None:
        assert scan.weights is not None and scan.squares is not None  # a weighted scan sums the weights
        weighted = (scan.weights[present], scan.squares[present], weight.integer)
    answers = _answer_table(columns, item, answer, decoded, scan.counts[present], weighted)
    return _assemble(columns, answers, scores, psu if has_psu else None, first, cells, units, bool(clustered),
                     components, index_form, population)


class _FormPeople(_People):
    """Respondent scores read from forms, one row each (:class:`~analysis.data.grid.FormGrid`'s answers, in
    respondent order): the sums of a :class:`_Scan`, formed per form from its criteria of each component."""

    def __init__(self, answers: np.ndarray, counted: list[list[int]], component: _Column,
                 names: tuple[str, ...] = COMPONENTS, index_form: str = "sipas"):
        self.answers, self.counted = answers, counted  # counted[code]: the columns summed for component code
        self.size, self.measures = len(answers), len(MEASURES)
        self._form(component, names, index_form)

    def sums(self, code: int, sel) -> list[np.ndarray]:
        part = self.answers[sel][:, self.counted[code]]
        given = part > 0
        return [given.sum(axis=1, dtype=float), (part >= 4).sum(axis=1, dtype=float),
                (given & (part <= 2)).sum(axis=1, dtype=float), np.where(given, part, 0).sum(axis=1, dtype=float)]


def cube_of_forms(grid, units: pd.DataFrame | None = None, clustered: bool | None = None,
                  components: tuple[str, ...] = COMPONENTS, index_form: str = "sipas",
                  population: pd.DataFrame | None = None) -> Cube:
    """:func:`build_cube` of the long answers of ``grid`` (a :class:`~analysis.data.grid.FormGrid`), read from
    its forms without forming the long answers (their codes are read :data:`_CHUNK` answers at a time, in the
    order build_cube reads them, so the sums are build_cube's; a million forms: 1.2 s, 130 MB at most;
    ``tests/test_grid.py``: the same tables)."""
    keys, answers = grid.keys, grid.answers
    forms = len(keys)
    period, respondent = _Column("period", keys["period"]), _Column("respondent_id", keys["respondent_id"])
    columns, psu, weight, has_psu = _design(keys, period, respondent)
    ids = respondent.codes(slice(0, forms)).astype(np.int64)
    reused = len(_distinct(ids, respondent.size, sort=False)) < forms  # an id in two periods: (period, id)
    first = (np.lexsort((ids, period.codes(slice(0, forms)))) if reused else np.argsort(ids, kind="stable"))
    cells = _Key([columns[k] for k in CELL_KEYS], forms)
    _learn([cells], forms)
    if clustered is None:
        clustered = has_psu and _clustered(period, psu, first)
    if clustered:
        columns["psu"] = psu
        cells = _Key([cells, psu], forms)
        _learn([cells], forms)

    names = sorted(set(grid.components))  # the component codes, as the long answers' categories sort them
    component = _Column("component", pd.Series(pd.Categorical(names, categories=names, ordered=True)))
    counted = [[j for j, (item, of) in enumerate(zip(grid.items, grid.components, strict=True))
                if of == name and (item != OVERALL_ITEM or index_form == "overall")] for name in names]
    weights = np.ones(forms) if weight is None else weight[first]
    people = _FormPeople(answers[first], counted, component, components, index_form)
    scores = _score_table(columns, cells, first, weights, people)

    sorted_items = sorted(grid.items)
    item = _Column("item", pd.Series(pd.Categorical(sorted_items, categories=sorted_items, ordered=True)))
    answer = _Column("answer", pd.Series(pd.array([1, 2, 3, 4, 5, None], dtype="Int8")))  # codes 0-4, 5 none
    cell = cells.codes(slice(0, forms)).astype(np.int64)
    pairs = item.size * answer.size
    offsets = [sorted_items.index(name) * answer.size for name in grid.items]
    answered = int((answers != NOT_ASKED).sum())
    if _dense(cells.size * pairs, answered):  # the (cell, item, answer) codes present, numbered in order
        seen = np.zeros(cells.size * pairs, dtype=bool)
        for code, _ in _answer_stream(answers, cell, pairs, offsets):
            seen[code] = True
        present, rank = np.flatnonzero(seen), np.cumsum(seen) - 1
        number = lambda code: np.take(rank, code)  # noqa: E731
    else:  # too many codes for a table: found by hashing, numbered by sorting
        present = np.sort(pd.unique(np.concatenate(
            [pd.unique(code) for code, _ in _answer_stream(answers, cell, pairs, offsets)] or [np.zeros(0, int)])))
        number = lambda code: np.searchsorted(present, code)  # noqa: E731
    size = len(present)
    by_chunk = cells.size * pairs <= _BINS or size <= _BINS  # as build_cube sums: by chunk when its table is small
    counts, sums = np.zeros(size, dtype=np.int64), [np.zeros(size), np.zeros(size)]
    for code, rows in _answer_stream(answers, cell, pairs, offsets):
        slot = number(code)
        w = weight[rows] if weight is not None else None
        if by_chunk:
            counts += np.bincount(slot, minlength=size)
            if w is not None:
                sums[0] += np.bincount(slot, w, minlength=size)
                sums[1] += np.bincount(slot, w * w, minlength=size)
        else:
            np.add.at(counts, slot, 1)
            if w is not None:
                np.add.at(sums[0], slot, w)
                np.add.at(sums[1], slot, w * w)
    weighted = None if weight is None else (*sums, weight.integer)
    decoded = cells.decode(present // pairs)
    decoded["item"], decoded["answer"] = present % pairs // answer.size, present % answer.size
    table = _answer_table(columns, item, answer, decoded, counts, weighted)
    return _assemble(columns, table, scores, psu if has_psu else None, first, cells, units, bool(clustered),
                     components, index_form, population)


def _answer_stream(answers: np.ndarray, cell: np.ndarray, pairs: int, offsets: list[int]):
    """The (cell, item, answer) code and the form of each answer, in the long answers' order (criterion by
    criterion, forms in order), :data:`_CHUNK` answers at a time as build_cube reads them; ``offsets`` is each
    criterion's item code times the answer codes (0-4 for 1-5, 5 for none)."""
    pending: list[tuple[np.ndarray, np.ndarray]] = []
    held = 0
    for j, offset in enumerate(offsets):
        rows = np.flatnonzero(answers[:, j] != NOT_ASKED)
        given = answers[rows, j].astype(np.int64)
        code = cell[rows] * pairs + offset + np.where(given > 0, given - 1, 5)
        start = 0
        while start < len(rows):
            take = min(_CHUNK - held, len(rows) - start)
            pending.append((code[start:start + take], rows[start:start + take]))
            held, start = held + take, start + take
            if held == _CHUNK:
                yield np.concatenate([c for c, _ in pending]), np.concatenate([r for _, r in pending])
                pending, held = [], 0
    if pending:
        yield np.concatenate([c for c, _ in pending]), np.concatenate([r for _, r in pending])


def _score_table(columns: dict, cells: _Key, first: np.ndarray, weights: np.ndarray, people: _People) -> pd.DataFrame:
    """Per cell of the respondents (by their first row), the moments of every score."""
    cell = cells.codes(first)
    keep = np.ones(len(first), dtype=bool)  # respondents with a missing key are left out, as groupby does
    for column in columns.values():
        if column.na is not None:
            keep &= column.codes(first) != column.na
    present_cells = _distinct(cell[keep], cells.size)
    rank = np.full(cells.size, len(present_cells), dtype=np.int64)  # cells of left-out respondents: one extra
    rank[present_cells] = np.arange(len(present_cells))
    sums = people.moment_sums(weights, rank[cell], len(present_cells) + 1)
    table = {name: columns[name].values(codes) for name, codes in cells.decode(present_cells).items()}
    for name, moments in sums.items():
        for moment, values in moments.items():
            table[f"{name}|{moment}"] = values[:len(present_cells)]
    return pd.DataFrame(table)


def _answer_table(columns: dict, item: _Column, answer: _Column, decoded: dict, counts: np.ndarray,
                  weighted: tuple | None) -> pd.DataFrame:
    """One row per (cell, item, answer) code present (``decoded``): ``n`` and, ``weighted`` being the weight
    sums, squared-weight sums and whether the weights are integers, ``w`` and ``w2``."""
    table = {name: column.values(decoded[name]) for name, column in columns.items()}
    table["item"] = item.values(decoded["item"])
    table["answer"] = answer.values(decoded["answer"])
    table["n"] = counts
    if weighted is None:
        table["w"] = table["w2"] = table["n"].astype(float)
    else:
        table["w"], table["w2"], integer = weighted
        if integer:  # integer weights sum to integers, as in pandas
            table["w"], table["w2"] = table["w"].astype(np.int64), table["w2"].astype(np.int64)
    items = item.levels()  # the component of each item, from its code: item.split(".")[0]
    table["component"] = items.str.split(".").str[0].take(decoded["item"]).reset_index(drop=True)
    return pd.DataFrame(table)


def _assemble(columns: dict, answers: pd.DataFrame, scores: pd.DataFrame, psu: _Column | None, first: np.ndarray,
              cells: _Key, units: pd.DataFrame | None, clustered: bool, components: tuple[str, ...],
              index_form: str, population: pd.DataFrame | None) -> Cube:
    """The :class:`Cube` of the tables, with the PSUs per stratum, the units and the population."""
    psus = _psus(columns["period"], columns["stratum"], psu, first)
    if units is None:
        unit = columns["unit_id"]
        seen = _distinct(cells.decode(np.arange(cells.size))["unit_id"], unit.size)
        units = pd.DataFrame({"unit_id": sorted(v for v in unit.values(seen) if not pd.isna(v))})
    return Cube(answers=answers, scores=scores, psus=psus, clustered=clustered, units=units,
                components=tuple(components), index_form=index_form,
                population=None if population is None else stratum_population(scores, units, population, psus,
                                                                               clustered))


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
