"""Section 10, is the satisfaction real: the integrity checks of one year and what the headline depends on.

:func:`checks` runs every check of :mod:`analysis.analyses.integrity` on the year's forms once and returns
:class:`Checks`, whose parts the notebook shows: ``headline`` (the index recomputed without flagged forms
and from the independent collector alone, with the differences and their design-based intervals, and
whether the headline survives), ``overview`` (each check: its columns, what it checked, what it flagged and
its false-flag rate under honest data), ``funnel``, ``modes``, ``groups`` and ``bursts``.  Flagged
respondent ids go only to :meth:`Checks.restricted`, a file a report keeps outside its published folder.

>>> data = survey_in_scope("../data/raw/province_survey/mapping.yaml")  # doctest: +SKIP
>>> headline(data, 2023, min_cell=10).summary("en")                      # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.analyses import integrity as checks_
from analysis.analyses.indices import REST, difference, estimate, suppress
from analysis.data.schema import Survey
from analysis.pipeline.privacy_check import RESTRICTED
from analysis.reporting import narrative, plots
from analysis.reporting.labels import label

FLAGS_FILE = "integrity_flags.csv"
CHECK_COLUMNS = {"straight_lining": (), "duplicates": ("submitted_at",), "speeders": ("duration", "session"),
                 "bursts": ("submitted_at",), "modes": ("collector",), "funnel": (), "low_spread": ()}
HONEST_RATE = {  # at most this share of what a check checks is flagged under honest data (tests/test_integrity.py:
    #               forms for the per-form checks, agencies for the funnel; bursts: the family-wise level)
    "straight_lining": 0.01, "duplicates": 0.01, "speeders": 0.01, "bursts": checks_.BURST_ALPHA,
    "funnel": 0.01, "low_spread": 0.01,
}
OVERVIEW_COLUMNS = ["check", "columns", "available", "checked", "flagged", "share", "honest_rate", "unchecked"]
DEPENDS_COLUMNS = ["measure", "n", "estimate", "ci_low", "ci_high", "vs_all", "vs_all_low", "vs_all_high", "inside",
                   "holds"]


@dataclass(frozen=True)
class IntegrityHeadline:
    """The year's index with all forms, without the flagged ones and from the independent collector alone
    (``frame``: :data:`DEPENDS_COLUMNS`, ``vs_all`` the change against the index of all forms); a recomputed index
    ``holds`` when it lies inside the index's 95% interval (``inside``) or, outside it, its change's interval holds
    0; the headline ``survives`` when every recomputed index holds.  A comparison of sizes, not a test that the
    flagged forms are honest: dropping them moves the index less than its own sampling error."""

    year: int
    frame: pd.DataFrame
    flagged: int
    survives: bool | None  # None: nothing to recompute (no flagged form, no independent collector)
    independent: bool  # the survey says who collected its forms

    def table(self, lang: str | None = None) -> pd.DataFrame:
        return self.frame if lang is None else in_words(self.frame, lang)

    def summary(self, lang: str = "vi") -> list[str]:
        return narrative.integrity_sentences(self, lang) + self.notes(lang)

    def notes(self, lang: str = "vi") -> list[str]:
        return [] if self.independent else [narrative.absent("integrity_collector", lang)]

    def plot(self, lang: str = "vi") -> None:
        return None


@dataclass(frozen=True)
class Overview:
    """One row per check (:data:`OVERVIEW_COLUMNS`) and its sentence."""

    frame: pd.DataFrame
    by_lang: dict = field(default_factory=dict, repr=False)  # the checks' sentences in each language

    percent = ("share", "honest_rate")

    def table(self, lang: str | None = None) -> pd.DataFrame:
        return self.frame if lang is None else in_words(self.frame, lang)

    def summary(self, lang: str = "vi") -> list[str]:
        return self.by_lang.get(lang, [])

    def plot(self, lang: str = "vi") -> None:
        return None


@dataclass(frozen=True)
class Funnel:
    """Each unit's index against the survey's with its control limits (:func:`analysis.analyses.integrity.unit_funnel`),
    units under ``min_cell`` suppressed."""

    frame: pd.DataFrame

    percent = ("estimate", "ci_low", "ci_high")

    def table(self, lang: str | None = None) -> pd.DataFrame:
        shown = self.frame[["unit_name", "n", "estimate", "ci_low", "ci_high", "z", "flag", "spread", "suppressed"]]
        return shown if lang is None else in_words(shown, lang)

    def summary(self, lang: str = "vi") -> list[str]:
        return narrative.funnel_sentences(self.frame, lang)

    def plot(self, lang: str = "vi"):
        shown = self.frame[~self.frame["suppressed"]]
        return plots.funnel(shown, lang) if len(shown) >= 3 else None


@dataclass(frozen=True)
class Modes:
    """Gaps between collectors: pooled within unit and respondent group, and per unit (``units``)."""

    pooled: pd.DataFrame
    units: pd.DataFrame
    empty: bool = False

    def table(self, lang: str | None = None) -> pd.DataFrame:
        shown = self.units.drop(columns=["unit_id"])
        return shown if lang is None else in_words(shown, lang)

    def summary(self, lang: str = "vi") -> list[str]:
        return narrative.mode_sentences(self.pooled, self.units, lang)

    def plot(self, lang: str = "vi"):
        """The first pair of collectors present (staff against the independent team, when both are), by unit."""
        if self.pooled.empty:
            return None
        pair = self.pooled.iloc[0]
        shown = self.units[(self.units["first_level"] == pair["first_level"])
                           & (self.units["second_level"] == pair["second_level"]) & self.units["difference"].notna()]
        return plots.mode_gaps(shown, lang) if len(shown) else None


@dataclass(frozen=True)
class Table:
    """A table of a check (straight-lining by group, burst days), suppressed under ``min_cell``."""

    frame: pd.DataFrame
    percent: tuple[str, ...] = ()
    empty: bool = False

    def table(self, lang: str | None = None) -> pd.DataFrame:
        return self.frame if lang is None else in_words(self.frame, lang)

    def summary(self, lang: str = "vi") -> list[str]:
        return []

    def plot(self, lang: str = "vi") -> None:
        return None


@dataclass(frozen=True)
class Checks:
    """Every check of one year, computed once (see the module doc); ``flags`` holds the flagged forms' ids."""

    headline: IntegrityHeadline
    overview: Overview
    funnel: Funnel
    modes: Modes
    groups: Table
    bursts: Table
    flags: pd.DataFrame = field(repr=False)

    def restricted(self, output_dir: str | Path) -> Path:
        """Write the flagged forms (period, respondent id, unit, reasons, the form a duplicate copies) to
        ``<output_dir>/restricted/integrity_flags.csv``: for the survey's owner, never published (a report moves
        it outside its folder, :func:`analysis.pipeline.privacy_check.restricted_folder`)."""
        folder = Path(output_dir) / RESTRICTED
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / FLAGS_FILE
        self.flags.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
        return path


def the_year(survey: Survey, year: int) -> Survey:
    """The survey's forms of ``year``, with their design columns."""
    keys = survey.respondents()
    periods = pd.unique(keys.loc[(keys["year"] == year).to_numpy(), "period"])
    return survey.where(lambda forms: (forms["year"] == year).to_numpy(),
                        forms=survey.forms[survey.forms["period"].isin(periods)].reset_index(drop=True))


def shift(cube, first: str, second: str, share: float) -> pd.Series:
    """``share`` times the gap ``first`` - ``second`` of the cube's channel: the change of the whole
    index when the other side is dropped (its interval holds the share fixed)."""
    gap = difference(cube, [], "channel", first, second).iloc[0]
    return pd.Series({k: share * gap[k] for k in ("difference", "ci_low", "ci_high")})


def depends(survey: Survey, forms: checks_.FormAnswers, flagged: np.ndarray, year: int,
            min_cell: int) -> pd.DataFrame:
    """The index of all forms, without ``flagged`` ones and from the independent collector alone."""
    whole = estimate(survey.cube(), []).iloc[0]
    rows = [{"measure": "integrity.all", **whole[["n", "estimate", "ci_low", "ci_high"]]}]
    weight = forms.keys["weight"].to_numpy(dtype=float)
    sides = [("integrity.without_flagged", np.where(flagged, "flagged", "kept"), "kept", "flagged",
              weight[flagged].sum() / weight.sum())]
    if forms.has("collector"):
        collector = forms.keys["collector"].fillna("unknown").to_numpy(dtype=object)
        independent = collector == "independent"
        sides.append(("integrity.independent_only", collector, "independent", REST,
                      1 - weight[independent].sum() / weight.sum()))
    for measure, labels, first, second, share in sides:
        cube = checks_.relabelled(survey, labels)
        own = estimate(cube, ["channel"]).set_index("channel")
        if first not in own.index:
            continue
        change = shift(cube, first, second, share) if share > 0 and len(own) > 1 else pd.Series(
            {"difference": 0.0, "ci_low": np.nan, "ci_high": np.nan})
        rows.append({"measure": measure, **own.loc[first, ["n", "estimate", "ci_low", "ci_high"]],
                     "vs_all": change["difference"], "vs_all_low": change["ci_low"], "vs_all_high": change["ci_high"]})
    frame = pd.DataFrame(rows).reindex(columns=DEPENDS_COLUMNS)
    frame["inside"] = frame["estimate"].between(whole["ci_low"], whole["ci_high"])
    within_error = frame["vs_all_low"].le(0) & frame["vs_all_high"].ge(0)  # the change's interval holds 0
    frame["holds"] = frame["inside"] | within_error.fillna(True).astype(bool)
    return suppress(frame.astype({"n": int}), min_cell)


def checks(survey: Survey, year: int, *, min_cell: int = 10) -> Checks:
    """Every integrity check of ``survey`` (already restricted to its scope) in ``year``."""
    data = the_year(survey, year)
    forms = checks_.form_answers(data.grid(), data.forms, data.comments)
    lined, groups = checks_.straight_lining(forms)
    timed = forms.has("submitted_at")
    copies = checks_.duplicates(forms, checks_.DUPLICATE_WINDOW if timed else None)
    fast = checks_.speeders(forms)
    days = checks_.bursts(forms)
    funnel = checks_.unit_funnel(data.cube()).merge(data.units[["unit_id", "unit_name"]], on="unit_id", how="left")
    collected = forms.has("collector")
    pooled, units = (checks_.mode_gaps(checks_.relabelled(data, forms.keys["collector"].fillna("unknown")
                                                           .to_numpy(dtype=object)),
                                       set(forms.keys["collector"].dropna()))
                     if collected else (pd.DataFrame(), pd.DataFrame()))

    reasons = pd.DataFrame({"straight_lining": lined["flagged"].to_numpy(), "duplicate": copies["duplicate"].to_numpy(),
                            "speeder": fast["speeder"].to_numpy() if fast is not None else False})
    flagged = reasons.any(axis=1).to_numpy()
    why = pd.Series("", index=reasons.index)
    for reason in reasons.columns:
        why = why.where(~reasons[reason], why + ";" + reason)
    flags = forms.keys.loc[flagged, ["period", "respondent_id", "unit_id"]].assign(
        reasons=why[flagged].str.lstrip(";").to_numpy(), of=copies.loc[flagged, "of"].to_numpy())
    frame = depends(data, forms, flagged, year, min_cell)
    recomputed = frame.iloc[1:]
    if not flagged.any():  # nothing dropped: the index without flagged forms is the index
        recomputed = recomputed[recomputed["measure"] != "integrity.without_flagged"]
    recomputed = recomputed[recomputed["estimate"].notna()]
    survives = bool(recomputed["holds"].all()) if len(recomputed) else None
    headline = IntegrityHeadline(year, frame, int(flagged.sum()), survives, collected)

    funnel = suppress(funnel, min_cell)
    units_table = pd.DataFrame()
    if len(units):
        units_table = suppress(units.merge(data.units[["unit_id", "unit_name"]], on="unit_id", how="left"),
                               min_cell, "n_min")
    names = data.units.set_index("unit_id")["unit_name"]
    groups = groups.assign(group_name=np.where(groups["by"] == "unit_id", groups["level"].map(names), groups["level"]))
    groups = suppress(groups[["by", "group_name", "n", "count", "share", "expected", "p_value", "z", "flag"]], min_cell)
    bursts = pd.DataFrame()
    if days is not None and days["flagged"].any():
        bursts = days[days["flagged"]].assign(unit_name=lambda d: d["unit_id"].map(names),
                                              day=lambda d: d["day"].dt.strftime("%Y-%m-%d"))
        bursts = suppress(bursts[["unit_name", "day", "n", "expected", "p_value", "before_deadline"]], min_cell)
    rows = [
        ("straight_lining", True, len(lined), int(lined["flagged"].sum())),
        ("duplicates", True, len(copies), int(copies["duplicate"].sum())),
        ("speeders", fast is not None, len(fast) if fast is not None else 0,
         int(fast["speeder"].sum()) if fast is not None else 0),
        ("bursts", days is not None, len(days) if days is not None else 0,
         int(days["flagged"].sum()) if days is not None else 0),
        ("modes", collected, int(pooled["n"].max()) if len(pooled) else 0,
         int((units["p_value"] < 0.05 / max(len(units), 1)).sum()) if len(units) else 0),
        ("funnel", True, len(funnel), int(funnel["flag"].ne("").sum())),
        ("low_spread", True, len(funnel), int(funnel["low_spread"].sum())),
    ]
    overview = pd.DataFrame([{"check": f"integrity.{check}", "columns": ", ".join(CHECK_COLUMNS[check]),
                              "available": available, "checked": checked, "flagged": count,
                              "share": count / checked if checked else np.nan,
                              "honest_rate": HONEST_RATE.get(check, np.nan),
                              "unchecked": "" if available else f"absent.integrity_{check}"}
                             for check, available, checked, count in rows], columns=OVERVIEW_COLUMNS)
    lined = lined.merge(data.units[["unit_id", "unit_name"]], on="unit_id", how="left")
    said = {lang: narrative.check_sentences(overview, lined, copies, timed, bursts, lang) for lang in ("vi", "en")}
    return Checks(headline, Overview(overview, by_lang=said), Funnel(funnel), Modes(pooled, units_table,
                  empty=not collected), Table(groups, ("share", "expected")), Table(bursts, (), bursts.empty), flags)


def in_words(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The section's codes in the reader's words: checks, measures, columns needed, flags, collectors and
    the groups of the straight-lining table."""
    words = {"check": label, "measure": label, "flag": lambda c, lang: label(f"integrity.{c}", lang) if c else "",
             "unchecked": lambda c, lang: label(c, lang) if c else "",
             "first_level": lambda c, lang: label(f"collector.{c}", lang),
             "second_level": lambda c, lang: label(f"collector.{c}", lang),
             "columns": lambda c, lang: ", ".join(label(f"design.{part}", lang) for part in c.split(", ") if part)}
    shown = table.assign(**{column: [name(c, lang) if isinstance(c, str) else c for c in table[column]]
                            for column, name in words.items() if column in table})
    if "by" in shown:
        shown["group_name"] = [label(f"collector.{g}", lang) if by == "collector" else label(g, lang)
                               for by, g in zip(table["by"], table["group_name"], strict=True)]
        shown["by"] = shown["by"].map(lambda by: label(by, lang))
    return shown


def headline(survey: Survey, year: int, *, min_cell: int = 10) -> IntegrityHeadline:
    """What the year's index depends on (:class:`IntegrityHeadline`): the brief's line comes from it."""
    return checks(survey, year, min_cell=min_cell).headline
