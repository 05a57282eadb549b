"""Decision 766/QĐ-TTg: the 100-point index of service to citizens and businesses.

Decision 766/QĐ-TTg of 23/6/2022 scores a unit in five groups with maximum
points 18/20/22/22/18 (total 100) and rates the total in five bands
(:data:`BANDS`); both are official (source 003).  The criteria inside each
group, their points and thresholds are read from a YAML configuration, the
:class:`Scoring` (:func:`load_scoring`): the shipped ``config/decision766.yaml``
is this project's documented default, because the official split is not
published in the sources we have.

The rule: a criterion with rate ``r`` (percent) earns
``points x min(r / threshold, 1)``, i.e. ``r x max / threshold`` capped at
the criterion's maximum (:func:`linear_points`).

Scale: the Decision states its criteria and thresholds in percent, so the
indicator tables (``*_pct`` columns), the criteria's ``rate_pct`` and the
thresholds are percentages, and :func:`score` refuses proportions.  The
survey side is an analysis like any other: :func:`survey_rates` returns
proportions (``estimate``, ``ci_low``, ``ci_high``); :func:`with_survey_rates`
turns them into the indicator table's percent (:func:`as_rate_pct`), the one
place where the two scales meet.

Missing indicators: a criterion without a rate for a unit and period earns 0
points (a score is never raised by a gap in the data) and is reported: the
criteria table flags it (``is_missing``), the totals count and name it
(``n_missing``, ``missing_criteria``) and :func:`score` emits a
:class:`MissingIndicatorWarning`; ``missing="error"`` stops instead.

Examples
--------
>>> scoring = load_scoring()                                         # doctest: +SKIP
>>> survey = load_survey("data/raw/treasury/mapping.yaml")           # doctest: +SKIP
>>> table = load_indicators("data/raw/treasury/indicators.csv", scoring, survey.units)  # doctest: +SKIP
>>> scores = score(with_survey_rates(table, survey.cube(), scoring), scoring)           # doctest: +SKIP
>>> scores.totals.head()                                             # doctest: +SKIP
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.analyses.indices import estimate
from analysis.cube.memory import Cube
from analysis.data.load import resolve_units
from analysis.data.readers import nfc, parse_numbers, parse_periods, read_table, read_yaml
from analysis.errors import InputError
from analysis.paths import CONFIG_DIR
from analysis.reporting.labels import label

DEFAULT_SCORING = CONFIG_DIR / "decision766.yaml"
KEYS = ["unit_id", "period"]
TOTAL_POINTS = 100.0
PERCENT = 100.0  # a rate of the indicator tables (percent) per unit of proportion
# Bands, best first, with their inclusive lower edge (source 003).
BANDS: tuple[tuple[str, float], ...] = (
    ("excellent", 90.0), ("good", 80.0), ("fair", 70.0), ("average", 50.0), ("weak", 0.0))
BAND_DIGITS = 9  # totals are rounded to this many decimals before banding (float sums, not policy)
TOLERANCE = 1e-9
INDICATOR_SOURCE = "indicator table"
MISSING_POLICIES = ("zero", "error")
CRITERIA_COLUMNS = [*KEYS, "index_group", "criterion", "indicator", "rate_pct", "threshold", "max_points",
                    "points", "is_missing"]


class MissingIndicatorWarning(UserWarning):
    """Some criteria had no rate for some units and periods and were scored 0."""


# --------------------------------------------------------------------------- configuration


@dataclass(frozen=True)
class Criterion:
    """One scored criterion: the indicator column it reads, its points and threshold (percent)."""

    code: str
    group: str
    name: dict[str, str]
    indicator: str
    points: float
    threshold: float
    survey_item: str | None = None


@dataclass(frozen=True)
class Group:
    """One of the five groups, with its maximum points and criteria."""

    code: str
    name: dict[str, str]
    max_points: float
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Scoring:
    """A validated Decision 766 configuration: groups, criteria, points, thresholds (``config/decision766.yaml``)."""

    groups: tuple[Group, ...]
    source: str
    title: str = ""

    @property
    def criteria(self) -> list[Criterion]:
        return [c for g in self.groups for c in g.criteria]

    @property
    def indicators(self) -> list[str]:
        """Indicator columns, in configuration order, without repeats."""
        return list(dict.fromkeys(c.indicator for c in self.criteria))

    def table(self, lang: str | None = None) -> pd.DataFrame:
        """One row per criterion: group, code, indicator, threshold, maximum points, survey item, order."""
        return pd.DataFrame([{"index_group": c.group, "criterion": c.code, "indicator": c.indicator,
                              "threshold": float(c.threshold), "max_points": float(c.points),
                              "survey_item": c.survey_item, "order": k}
                             for k, c in enumerate(self.criteria)])

    def name(self, code: str, lang: str = "vi") -> str:
        """Reader's name of a group or criterion code (from the file), else :func:`label`."""
        for group in self.groups:
            if group.code == code:
                return group.name[lang]
            for criterion in group.criteria:
                if criterion.code == code:
                    return criterion.name[lang]
        return label(code, lang)


def load_scoring(path: str | Path | None = None) -> Scoring:
    """Read and validate a Decision 766 configuration (how criteria are scored).

    Parameters
    ----------
    path : a YAML file shaped like ``config/decision766.yaml``; None for the shipped default.

    Raises
    ------
    InputError
        naming the file, the group or criterion and the fix, when a criterion's
        points do not add up to its group's maximum, the groups do not add up
        to 100, a threshold is outside (0, 100] or a key is missing.
    """
    path = DEFAULT_SCORING if path is None else Path(path)
    raw = read_yaml(path, "configuration", "analysis/config/decision766.yaml")
    entries = raw.get("groups")
    if not isinstance(entries, list) or not entries:
        raise InputError(path, "the configuration has no list of 'groups'",
                         fix="start from the shipped analysis/config/decision766.yaml")
    groups = tuple(parse_group(entry, k, path) for k, entry in enumerate(entries, 1))
    criteria_codes = [c.code for g in groups for c in g.criteria]
    for what, codes in (("group", [g.code for g in groups]), ("criterion", criteria_codes)):
        repeated = sorted({c for c in codes if codes.count(c) > 1})
        if repeated:
            raise InputError(path, f"the {what} code {repeated[0]!r} is used twice",
                             fix=f"give each {what} its own code")
    total = sum(g.max_points for g in groups)
    if abs(total - TOTAL_POINTS) > TOLERANCE:
        raise InputError(path, f"the groups' max_points add up to {total:g}, not {TOTAL_POINTS:g} "
                         f"({', '.join(f'{g.code} {g.max_points:g}' for g in groups)})",
                         fix="change the groups' max_points so that they add up to 100 "
                         "(official: 18, 20, 22, 22, 18)")
    return Scoring(groups=groups, source=str(path), title=str(raw.get("title", "")))


def parse_group(entry: object, position: int, path: Path) -> Group:
    """One group entry, its criteria, and the check that their points add up to its maximum."""
    where = f"group {position}"
    entry = require_keys(entry, ("code", "name", "max_points", "criteria"), where, path)
    code = str(entry["code"])
    where = f"group {code!r}"
    max_points = positive_number(entry["max_points"], f"{where}: max_points", path)
    if not isinstance(entry["criteria"], list) or not entry["criteria"]:
        raise InputError(path, f"{where} has no list of 'criteria'", fix="list at least one criterion under the group")
    criteria = tuple(parse_criterion(c, k, code, path) for k, c in enumerate(entry["criteria"], 1))
    points = sum(c.points for c in criteria)
    if abs(points - max_points) > TOLERANCE:
        raise InputError(path, f"in {where} the criteria's points add up to {points:g}, not the group's "
                         f"max_points {max_points:g} ({', '.join(f'{c.code} {c.points:g}' for c in criteria)})",
                         fix=f"change the criteria's points so that they add up to {max_points:g}")
    return Group(code=code, name=names(entry["name"], where, path), max_points=max_points, criteria=criteria)


def parse_criterion(entry: object, position: int, group: str, path: Path) -> Criterion:
    """One criterion entry, with its threshold checked to lie in (0, 100]."""
    entry = require_keys(entry, ("code", "name", "indicator", "points", "threshold"),
                         f"criterion {position} of group {group!r}", path)
    where = f"criterion {entry['code']!r}"
    threshold = positive_number(entry["threshold"], f"{where}: threshold", path)
    if threshold > 100:
        raise InputError(path, f"{where} has threshold {threshold:g}, above 100",
                         fix="give the threshold as a percentage greater than 0 and at most 100")
    item = entry.get("survey_item")
    return Criterion(code=str(entry["code"]), group=group, name=names(entry["name"], where, path),
                     indicator=str(entry["indicator"]),
                     points=positive_number(entry["points"], f"{where}: points", path),
                     threshold=threshold, survey_item=None if item is None else str(item))


def require_keys(entry: object, keys: Iterable[str], where: str, path: Path) -> dict:
    """``entry`` as a mapping holding every key, or an InputError naming the first missing one."""
    if not isinstance(entry, dict):
        raise InputError(path, f"{where} is not a set of keys", fix=f"give {where} the keys {list(keys)}")
    for key in keys:
        if key not in entry:
            raise InputError(path, f"{where} has no {key!r}", fix=f"add '{key}:' to {where}")
    return entry


def positive_number(value: object, where: str, path: Path) -> float:
    """A number greater than 0, or an InputError."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise InputError(path, f"{where} is {value!r}, not a number greater than 0",
                         fix="write a number greater than 0 (thresholds: greater than 0 and at most 100)")
    return float(value)


def names(value: object, where: str, path: Path) -> dict[str, str]:
    """``{vi: ..., en: ...}`` names, or an InputError."""
    if not isinstance(value, dict) or not all(isinstance(value.get(k), str) and value[k] for k in ("vi", "en")):
        raise InputError(path, f"{where} needs a Vietnamese and an English name",
                         fix="write name: {vi: \"...\", en: \"...\"}")
    return {k: nfc(value[k]) for k in ("vi", "en")}


# --------------------------------------------------------------------------- inputs


def load_indicators(path: str | Path, config: Scoring | None = None, units: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read a unit x period table of indicator rates (percent), one column per indicator.

    Parameters
    ----------
    path : CSV / XLSX / parquet with columns ``unit_id``, ``period`` and the
        configuration's indicator columns (blank = no data; absent columns are
        reported as missing by :func:`score`).
    config : the configuration naming the indicator columns (default: shipped).
    units : unit table; when given, unit ids (or names) are checked against it.

    Returns ``unit_id``, ``period`` and the indicator columns found, as floats.
    """
    config = config or load_scoring()
    path = Path(path)
    table = read_table(path, KEYS, config.indicators, what="unit_id and period")
    table["period"] = parse_periods(table["period"], path, "period")
    if units is not None:
        table["unit_id"] = resolve_units(table["unit_id"], units, path, "unit_id")
    present = [c for c in config.indicators if c in table]
    for column in present:
        table[column] = parse_numbers(table[column], path, column)
    check_rates(table, present, path, rows=True)
    check_unique(table, path, rows=True)
    return table.reset_index(drop=True)


def check_rates(table: pd.DataFrame, columns: list[str], source: str | Path, rows: bool = False) -> None:
    """Every rate is a number in [0, 100] (or missing); else an InputError at the first bad cell."""
    for column in columns:
        values = pd.to_numeric(table[column], errors="coerce")
        bad = (values.isna() & table[column].notna()) | (values < 0) | (values > 100)
        if bad.any():
            at = bad.idxmax()
            raise InputError(source, f"the rate {table.loc[at, column]!r} is not a percentage between 0 and 100"
                             + ("" if rows else
                                f" (unit {table.loc[at, 'unit_id']!r}, period {table.loc[at, 'period']!r})"),
                             row=int(at) if rows else None, column=column,
                             fix="give rates in percent (93.64, not 0.9364); "
                             "leave the cell blank when there is no data")


def check_unique(table: pd.DataFrame, source: str | Path, rows: bool = False) -> None:
    """One row per unit and period."""
    repeated = table.duplicated(KEYS, keep="first")
    if repeated.any():
        at = repeated.idxmax()
        same = table.index[(table["unit_id"] == table.loc[at, "unit_id"])
                           & (table["period"] == table.loc[at, "period"])]
        raise InputError(source, f"unit {table.loc[at, 'unit_id']!r}, period {table.loc[at, 'period']!r} "
                         "has more than one row" + (f" (rows {', '.join(map(str, same[:5]))})" if rows else ""),
                         row=int(at) if rows else None, column="period", fix="keep one row per unit and period")


def survey_rates(cube: Cube, item: str = "overall", by: Iterable[str] = KEYS) -> pd.DataFrame:
    """Unweighted share (a proportion) of ``item``'s answers rated 4-5, per ``by`` group.

    Computed with :func:`analysis.analyses.indices.estimate` (``weighted=False``): answered
    items only in the denominator, Wilson 95% interval.  Returns ``by`` plus
    ``n`` (answers), ``estimate``, ``ci_low``, ``ci_high`` (proportions).
    """
    by = list(by)
    table = estimate(cube, [*by, "item"], weighted=False)
    table = table[table["item"] == item]
    if table.empty:
        raise ValueError(f"the survey has no answers to the item {item!r}")
    return table[[*by, "n", "estimate", "ci_low", "ci_high"]].reset_index(drop=True)


def as_rate_pct(share):
    """A proportion as a rate of the indicator tables, in percent as the Decision states its thresholds.

    >>> round(as_rate_pct(103 / 110), 2)
    93.64
    """
    return share * PERCENT


def with_survey_rates(indicators: pd.DataFrame, cube: Cube, config: Scoring | None = None) -> pd.DataFrame:
    """The indicator table plus the columns of criteria with a ``survey_item``, from the survey (in percent).

    Unit-periods present in only one of the two get missing values for the
    other's columns (so :func:`score` reports them).  A survey column that the
    indicator table already holds is an error, not silently replaced.
    """
    config = config or load_scoring()
    table = indicators.copy()
    for criterion in (c for c in config.criteria if c.survey_item):
        column = criterion.indicator
        if column in table and table[column].notna().any():
            raise InputError(INDICATOR_SOURCE, f"the column {column!r} is in the indicator table and is also "
                             f"computed from the survey (item {criterion.survey_item!r})", column=column,
                             fix=f"drop the column from the indicator file, or remove 'survey_item' from "
                             f"{criterion.code!r} in the configuration")
        rates = survey_rates(cube, str(criterion.survey_item))
        rates = rates.assign(**{column: as_rate_pct(rates["estimate"])})[[*KEYS, column]]
        table = table.drop(columns=column, errors="ignore").merge(rates, on=KEYS, how="outer")
    return table.sort_values(KEYS, kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- scoring


def linear_points(rate, threshold, max_points):
    """Points for a rate: ``rate x max_points / threshold``, capped at ``max_points``.

    Element-wise on numbers or arrays (percent); NaN where the rate is missing.

    >>> float(linear_points(45, 90, 4)), float(linear_points(97, 90, 4))
    (2.0, 4.0)
    """
    rate = np.asarray(rate, dtype=float)
    return np.minimum(rate * np.asarray(max_points, dtype=float) / np.asarray(threshold, dtype=float),
                      np.asarray(max_points, dtype=float))


def band(total: float) -> str | None:
    """Band code of a total out of 100: excellent >= 90, good >= 80, fair >= 70, average >= 50, else weak.

    Lower edges are inclusive (90 is excellent, 89.99 good).  The total is
    rounded to 9 decimals first, so float sums such as 89.99999999999999 count
    as 90.  None for a missing total.

    >>> band(90), band(89.99), band(50), band(49.99)
    ('excellent', 'good', 'average', 'weak')
    """
    if total is None or pd.isna(total):
        return None
    value = round(float(total), BAND_DIGITS)
    if not 0 <= value <= TOTAL_POINTS:
        raise ValueError(f"a Decision 766 total lies between 0 and 100, got {total!r}")
    return next(code for code, low in BANDS if value >= low)


def band_label(code: str | None, lang: str = "vi") -> str:
    """Reader's name of a band code (``"excellent"`` -> ``"Xuất sắc"``); blank for None."""
    return "" if code is None or pd.isna(code) else label(f"band.{code}", lang)


@dataclass(frozen=True)
class Scores:
    """Decision 766 scores at three levels (unit x period [x group [x criterion]]), and the scoring used.

    Attributes
    ----------
    criteria : ``unit_id, period, index_group, criterion, indicator, rate_pct,
        threshold, max_points, points, is_missing`` (rates and thresholds in percent).
    groups : ``unit_id, period, index_group, max_points, points, n_missing``.
    totals : ``unit_id, period, total_points, band, n_missing, missing_criteria``.
    scoring : the configuration that scored them.
    """

    criteria: pd.DataFrame
    groups: pd.DataFrame
    totals: pd.DataFrame
    scoring: Scoring

    def table(self, lang: str | None = None) -> pd.DataFrame:
        """The totals (points, not shares)."""
        return self.totals

    def summary(self, lang: str = "vi") -> list[str]:
        """How many unit-periods fall in each band."""
        from analysis.reporting import narrative

        return [narrative.bands_sentence(self.totals, lang)]

    def plot(self, lang: str = "vi"):
        """Total points by period, one line per unit."""
        from analysis.reporting import plots

        return plots.decision766_totals(self.totals, None, lang)

    def during(self, prefix: str) -> Scores:
        """The scores of the periods that start with ``prefix`` (``"2023"``: the months of 2023)."""
        def keep(table: pd.DataFrame) -> pd.DataFrame:
            return table[table["period"].str.startswith(prefix)].reset_index(drop=True)

        return Scores(keep(self.criteria), keep(self.groups), keep(self.totals), self.scoring)


def score(indicators: pd.DataFrame, config: Scoring | None = None, missing: str = "zero") -> Scores:
    """Score every unit and period of an indicator table.

    Parameters
    ----------
    indicators : one row per ``unit_id`` x ``period``, one column per indicator,
        rates in percent (0-100); NaN or an absent column means no data.
    config : from :func:`load_scoring` (default: the shipped configuration).
    missing : ``"zero"`` scores a criterion without a rate 0 points, flags it
        and warns (:class:`MissingIndicatorWarning`); ``"error"`` raises
        :class:`~analysis.errors.InputError` instead.

    Returns a :class:`Scores` (criteria, groups, totals with band codes).
    """
    if missing not in MISSING_POLICIES:
        raise ValueError(f"missing must be one of {MISSING_POLICIES}, got {missing!r}")
    config = config or load_scoring()
    absent_keys = [k for k in KEYS if k not in indicators]
    if absent_keys:
        raise InputError(INDICATOR_SOURCE, f"the table has no column {absent_keys[0]!r}", column=absent_keys[0],
                         fix="give one row per unit_id and period")
    frame = indicators.reindex(columns=[*KEYS, *config.indicators]).reset_index(drop=True)
    check_rates(frame, config.indicators, INDICATOR_SOURCE)
    check_unique(frame, INDICATOR_SOURCE)
    rates = frame[config.indicators].apply(pd.to_numeric, errors="coerce")
    if rates.notna().any().any() and rates.max().max() <= 1 and (rates > 0).any().any():
        raise InputError(INDICATOR_SOURCE, "every rate is at most 1: the table seems to hold proportions, "
                         "not percentages", fix="multiply the rates by 100 (0.9364 -> 93.64)")
    long = (pd.concat([frame[KEYS], rates], axis=1)
            .melt(id_vars=KEYS, var_name="indicator", value_name="rate_pct")
            .merge(config.table(), on="indicator"))
    long = long.sort_values([*KEYS, "order"], kind="stable").reset_index(drop=True)
    long["is_missing"] = long["rate_pct"].isna()
    if long["is_missing"].any():
        report_missing(long, missing)
    long["points"] = np.nan_to_num(linear_points(long["rate_pct"], long["threshold"], long["max_points"]), nan=0.0)
    criteria = long[CRITERIA_COLUMNS]

    groups = (criteria.groupby([*KEYS, "index_group"], sort=False)
              .agg(max_points=("max_points", "sum"), points=("points", "sum"), n_missing=("is_missing", "sum"))
              .reset_index())
    totals = (groups.groupby(KEYS, sort=False)
              .agg(total_points=("points", "sum"), n_missing=("n_missing", "sum")).reset_index())
    totals.insert(3, "band", totals["total_points"].map(band))
    gaps = criteria[criteria["is_missing"]].groupby(KEYS, sort=False)["criterion"].agg(", ".join)
    totals["missing_criteria"] = [gaps.get(key, "") for key in zip(totals["unit_id"], totals["period"], strict=True)]
    return Scores(criteria=criteria, groups=groups, totals=totals, scoring=config)


def report_missing(criteria: pd.DataFrame, policy: str) -> None:
    """Warn (or raise, for ``policy="error"``) about criteria without a rate."""
    gaps = criteria[criteria["is_missing"]]
    n_cells = gaps[KEYS].drop_duplicates().shape[0]
    n_all = criteria[KEYS].drop_duplicates().shape[0]
    per_indicator = gaps.groupby("indicator", sort=False).size()
    first = gaps.iloc[0]
    text = (f"{n_cells} of {n_all} unit-periods lack some indicators "
            f"({', '.join(f'{k}: {v}' for k, v in per_indicator.items())}; first: unit {first['unit_id']!r}, "
            f"period {first['period']!r}, {first['indicator']!r})")
    if policy == "error":
        raise InputError(INDICATOR_SOURCE, text, column=str(first["indicator"]),
                         fix="fill in the missing rates, or score with missing='zero' to give them 0 points")
    warnings.warn(f"{text}; these criteria earn 0 points (see is_missing and missing_criteria)",
                  MissingIndicatorWarning, stacklevel=3)


# --------------------------------------------------------------------------- for readers


def find_unit(units: pd.DataFrame, unit: str) -> str:
    """The unit id of ``unit``, given as an id or a name (``"KBNN Thái Bình"``)."""
    wanted = nfc(unit).casefold()
    for unit_id, name in zip(units["unit_id"], units["unit_name"], strict=True):
        if wanted in (nfc(unit_id).casefold(), nfc(name).casefold()):
            return unit_id
    raise ValueError(f"unit {unit!r} is not in the unit table; units: {', '.join(units['unit_name'])}")


def for_readers(table: pd.DataFrame, config: Scoring, lang: str = "vi",
                units: pd.DataFrame | None = None) -> pd.DataFrame:
    """``table`` with codes replaced by names: groups, criteria, bands, and unit ids (column ``unit``)."""
    table = table.copy()
    for column in ("index_group", "criterion"):
        if column in table:
            table[column] = table[column].map(lambda code: config.name(code, lang))
    if "band" in table:
        table["band"] = table["band"].map(lambda code: band_label(code, lang))
    if units is not None and "unit_id" in table:
        table["unit_id"] = table["unit_id"].map(units.set_index("unit_id")["unit_name"]).fillna(table["unit_id"])
        table = table.rename(columns={"unit_id": "unit"})
    return table


def band_counts(totals: pd.DataFrame, by: str = "unit_id") -> pd.DataFrame:
    """Number of periods in each band per ``by`` group; columns ``band.<code>``, best band first."""
    counts = pd.crosstab(totals[by], totals["band"]).reindex(columns=[code for code, _ in BANDS], fill_value=0)
    counts.columns = [f"band.{code}" for code in counts.columns]
    return counts.reset_index()


def period_text(period: str, lang: str = "vi") -> str:
    """``"2023-07"`` -> ``"tháng 7/2023"`` (vi) or ``"July 2023"`` (en); other periods as given."""
    if len(period) == 7 and period[4] == "-":
        year, month = int(period[:4]), int(period[5:])
        if lang == "vi":
            return f"tháng {month}/{year}"
        return pd.Timestamp(year=year, month=month, day=1).strftime("%B %Y")
    return period
