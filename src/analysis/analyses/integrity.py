"""Survey integrity checks: is a high satisfaction real?

Each check is one pass over the forms (:func:`form_answers`: the survey's grid, one row of criteria
per form) or a group-by on the cube, and has a stated rule and a false-flag rate under
honest data (``tests/test_integrity.py`` measures it on generated honest surveys and on the
embedded one):

- :func:`straight_lining`: a form is *straight-lined* when at least :data:`MIN_ITEMS` criteria are
  answered and all alike.  Honest respondents do this too (most of them all "Rất hài lòng", at a rate
  each survey shows), so a form is *flagged* only when its unit's share of straight-lined forms is above
  the funnel's upper :data:`FLAG_LEVEL` limit (:func:`funnel`, Winsorised at
  :data:`STRAIGHT_WINSOR`) against the survey's share; channels and collectors are compared with the
  rest of the survey by a one-sided binomial test (Bonferroni, :data:`GROUP_ALPHA`).  Flags under honest
  data: below 1% of forms.
- :func:`duplicates`: same unit and period, the same answer to every criterion, the same comment
  (normalised: case, accents kept, punctuation and spaces folded) and, when ``submitted_at`` exists,
  submitted within :data:`DUPLICATE_WINDOW` of the previous copy.  Without times, honest forms with few
  criteria often coincide, so a copy is flagged only when it repeats a non-empty comment too or its unit
  repeats answer patterns far more than the rest of the survey predicts (:func:`repeated_units`).
  Straight-lined forms and forms with fewer than :data:`MIN_ITEMS` answers are left to the other
  checks (honest respondents give those alike).  Every copy after the first is flagged.
- :func:`speeders`: a form completed in less than :data:`SPEED_FRACTION` of the median time of its
  collector (or channel); the time is ``duration``, else the gap to the previous submission of the
  same ``session``.  Under a log-normal time with spread 0.35, 0.03% of honest forms.
- :func:`bursts`: a unit's submissions of one day against its own mean of its other days with forms
  (so the months between two collection rounds are not counted as empty days; Poisson upper tail,
  Bonferroni over the unit-days with forms at :data:`BURST_ALPHA`); a burst within
  :data:`DEADLINE_DAYS` days before a month's end is marked as before a deadline.
- :func:`mode_gaps`: the index of staff-handed, independent and self-completed forms compared within
  each unit (:func:`analysis.analyses.indices.difference`) and pooled within unit and respondent group
  with the survey's weights (the design-based linearised variance of
  :func:`analysis.analyses.indices.linearised`).
- :func:`unit_funnel`: each unit's index against the survey's, with control limits from the design
  variance under the null (the pooled within-unit variance of respondent scores over the unit's
  effective sample size) and overdispersion as an additive random effect tau^2 estimated from
  Winsorised z-scores (Spiegelhalter, Stat Med 2005, 24:1185-1202); a unit beyond the 99.8% limits
  is flagged, high or low, and one whose respondents vary less than :data:`LOW_SPREAD` times the
  pooled within-unit variance is flagged for too little variation (both variances over the most a score
  of their mean can vary, ``mean (1 - mean)``, so an office near the ceiling is not flagged for being there).

Functions take a :class:`FormAnswers` (or a cube) and return tidy tables of proportions and codes;
respondent ids appear only in the per-form tables, which the report never publishes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special, stats

from analysis.analyses.indices import ALL, ZERO_SE, difference, estimate, linearised, moments_for
from analysis.cube.memory import Cube, score_moments
from analysis.data.grid import NO_ANSWER, FormGrid
from analysis.data.schema import DESIGN_COLUMNS, OVERALL_ITEM, Survey

MIN_ITEMS = 5  # criteria answered before a form can count as straight-lined or duplicated
FLAG_LEVEL = 0.998  # funnel limits beyond which a unit is flagged (Spiegelhalter's 3 sigma)
FUNNEL_LEVELS = (0.95, FLAG_LEVEL)  # limits drawn
WINSOR = 0.05  # z-scores Winsorised at the 5th and 95th percentiles before overdispersion is estimated (with
#                the twenty-odd agencies of a survey, the most extreme one at each end; 10% under-estimates tau^2)
STRAIGHT_WINSOR = 0.20  # for straight-lining: up to a fifth of contaminated units do not inflate tau^2
GROUP_ALPHA = 0.01  # family-wise level of the binomial tests of channels and collectors
DUPLICATE_WINDOW = pd.Timedelta(minutes=30)  # copies submitted this close count as one batch
DUPLICATE_ALPHA = 0.01  # family-wise level of the test of units' repeated answers (without times)
SPEED_FRACTION = 0.3  # a speeder takes less than this share of the median time of its collector
BURST_ALPHA = 0.001  # family-wise level of the burst test over all unit-days
DEADLINE_DAYS = 3  # a burst this many days or fewer before a month's end is before a deadline
LOW_SPREAD = 0.25  # a unit whose respondent scores vary less than this share of the pooled variance
MODE_PAIRS = (("staff", "independent"), ("self", "independent"), ("staff", "self"))
FORM_KEYS = ["period", "respondent_id", "unit_id", "channel", "group", "weight"]


@dataclass(frozen=True)
class FormAnswers:
    """One row per form: ``keys`` (:data:`FORM_KEYS`, the design columns present, ``text`` the normalised
    comment), ``answers`` (forms x criteria, 1-5 and 0 for no answer) and ``criteria`` (their codes), the forms
    in the grid's order."""

    keys: pd.DataFrame
    answers: np.ndarray
    criteria: tuple[str, ...]

    def has(self, column: str) -> bool:
        """Whether the design column is present with at least one value."""
        return column in self.keys and bool(self.keys[column].notna().any())

    @property
    def answered(self) -> np.ndarray:
        return (self.answers > 0).sum(axis=1)


def normalised(text: pd.Series) -> pd.Series:
    """Comments compared as text: NFC, case folded, punctuation and runs of spaces as one space."""
    text = text.fillna("").astype(str)
    said = text != ""
    folded = text[said].str.normalize("NFC").str.casefold().str.replace(r"[\W_]+", " ", regex=True).str.strip()
    return text.where(~said, folded)


def form_answers(grid: FormGrid, forms: pd.DataFrame | None = None,
                 comments: pd.DataFrame | None = None) -> FormAnswers:
    """The survey's forms (:meth:`analysis.data.schema.Survey.grid`) as one row of criteria (every item but the
    overall one) each, with the form's keys, its design columns (``forms``: :attr:`analysis.data.schema.Survey.forms`)
    and its normalised comment."""
    keep = [j for j, item in enumerate(grid.items) if item != OVERALL_ITEM]
    matrix = np.maximum(grid.answers[:, keep], NO_ANSWER)
    keys = grid.keys[FORM_KEYS]
    if forms is not None and len(forms):
        design = [c for c in DESIGN_COLUMNS if c in forms]
        keys = keys.merge(forms[["period", "respondent_id", *design]].drop_duplicates(["period", "respondent_id"]),
                          on=["period", "respondent_id"], how="left", validate="one_to_one")
    text = pd.Series("", index=keys.index)
    if comments is not None and len(comments):
        said = comments.drop_duplicates(["period", "respondent_id"]).set_index(["period", "respondent_id"])["text"]
        text = pd.Series(said.reindex(pd.MultiIndex.from_frame(keys[["period", "respondent_id"]])).to_numpy())
    return FormAnswers(keys.assign(text=normalised(text).to_numpy()), matrix, tuple(grid.items[j] for j in keep))


def straight(forms: FormAnswers, min_items: int = MIN_ITEMS) -> tuple[np.ndarray, np.ndarray]:
    """Whether each form is straight-lined (at least ``min_items`` criteria answered, all alike) and its answer."""
    high = forms.answers.max(axis=1, initial=0)
    low = np.where(forms.answers > 0, forms.answers, 9).min(axis=1, initial=9)
    return (forms.answered >= min_items) & (low == high), high


# --------------------------------------------------------------------------- the funnel


def funnel(value: pd.Series, null_se: pd.Series, target: float, winsor: float = WINSOR) -> pd.DataFrame:
    """Funnel-plot limits with additive overdispersion (Spiegelhalter 2005, section 3.2).

    ``value`` per group and ``null_se`` its standard error if the group were at ``target``.  The z-scores
    are Winsorised at ``winsor`` and ``1 - winsor``; with ``I`` groups and ``phi`` the mean squared
    Winsorised z, tau^2 = (I phi - (I - 1)) / (sum w - sum w^2 / sum w), w = 1 / null_se^2 (0 when
    negative).  Returns ``z`` (against ``sqrt(null_se^2 + tau^2)``), ``tau2``, ``phi``, the limits
    ``low_<level>`` / ``high_<level>`` of :data:`FUNNEL_LEVELS` and ``flag`` (``high``, ``low`` or ``""``,
    beyond the :data:`FLAG_LEVEL` limits).
    """
    ok = null_se.gt(0) & value.notna()
    z = (value - target) / null_se.where(ok)
    shown = z[ok]
    phi, tau2 = np.nan, 0.0
    if len(shown) >= 3:
        low, high = shown.quantile([winsor, 1 - winsor])
        phi = float((shown.clip(low, high) ** 2).mean())
        w = 1 / null_se[ok] ** 2
        tau2 = max(0.0, (len(shown) * phi - (len(shown) - 1)) / float(w.sum() - (w**2).sum() / w.sum()))
    se = np.sqrt(null_se**2 + tau2).where(ok)
    out = pd.DataFrame({"z": (value - target) / se, "tau2": tau2, "phi": phi}, index=value.index)
    for level in FUNNEL_LEVELS:
        q = stats.norm.ppf(0.5 + level / 2)
        out[f"low_{level:g}"], out[f"high_{level:g}"] = target - q * se, target + q * se
    q = stats.norm.ppf(0.5 + FLAG_LEVEL / 2)
    out["flag"] = np.where(out["z"] > q, "high", np.where(out["z"] < -q, "low", ""))
    return out


# --------------------------------------------------------------------------- per-form checks


def straight_lining(forms: FormAnswers, min_items: int = MIN_ITEMS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Straight-lined forms and where they gather.

    Returns (per form: the keys, ``answer`` of a straight-lined form, ``straight``, ``flagged``: straight
    and in a unit flagged high) and (per unit, channel and collector: ``by``, ``level``, ``n`` forms,
    ``count`` straight-lined, ``share``, ``expected`` (the survey's share for units, the rest's for the
    others), ``p_value`` (binomial, channels and collectors), ``z`` and limits (units), ``flag``).
    """
    is_straight, value = straight(forms, min_items)
    table = forms.keys.assign(answer=np.where(is_straight, value, 0), straight=is_straight)
    overall = float(is_straight.mean()) if len(table) else np.nan
    units = table.groupby("unit_id", observed=True)["straight"].agg(n="size", count="sum").reset_index()
    units["share"] = units["count"] / units["n"]
    units["expected"] = overall
    units = units.join(funnel(units["share"], np.sqrt(overall * (1 - overall) / units["n"]), overall,
                              STRAIGHT_WINSOR))
    units = units.rename(columns={"unit_id": "level"}).assign(by="unit_id", p_value=np.nan)  # units: the funnel's z
    groups = []
    for by in ("channel", "collector"):
        if by not in table or table[by].nunique() < 2:
            continue
        counts = table.groupby(by, observed=True)["straight"].agg(n="size", count="sum").reset_index()
        rest_n, rest_count = len(table) - counts["n"], int(is_straight.sum()) - counts["count"]
        counts["share"] = counts["count"] / counts["n"]
        counts["expected"] = rest_count / rest_n
        counts["p_value"] = stats.binom.sf(counts["count"] - 1, counts["n"], counts["expected"])
        counts["flag"] = np.where(counts["p_value"] < GROUP_ALPHA / len(counts), "high", "")
        groups.append(counts.rename(columns={by: "level"}).assign(by=by))
    summary = pd.concat([units, *groups], ignore_index=True)
    high_units = set(units.loc[units["flag"] == "high", "level"])
    table["flagged"] = table["straight"] & table["unit_id"].isin(high_units)
    return table, summary


def duplicates(forms: FormAnswers, window: pd.Timedelta | None = DUPLICATE_WINDOW,
               min_items: int = MIN_ITEMS, alpha: float = DUPLICATE_ALPHA) -> pd.DataFrame:
    """Copies of a form (see the module's rule): the keys, ``duplicate`` and ``of`` (the respondent id of
    the first form of its batch).  ``window`` None, or no ``submitted_at``, compares without times
    (copies in a unit of :func:`repeated_units` at ``alpha``, or with an identical non-empty comment)."""
    is_straight, _ = straight(forms, min_items)
    eligible = (forms.answered >= min_items) & ~is_straight
    width = forms.answers.shape[1]
    signature = np.unique(np.ascontiguousarray(forms.answers).view(np.dtype((np.void, width))).ravel(),
                          return_inverse=True)[1].ravel() if width else np.zeros(len(forms.keys), dtype=int)
    table = forms.keys.assign(_signature=signature, _class=forms.answered * (5 * width + 1) + forms.answers.sum(axis=1),
                              duplicate=False, of=None)
    timed = window is not None and forms.has("submitted_at")
    candidates = table[eligible & (table["submitted_at"].notna() if timed else True)]
    batch = ["period", "unit_id", "_signature", "text"]
    if not timed:
        units = repeated_units(candidates, alpha)
        unit = pd.MultiIndex.from_frame(candidates[["period", "unit_id"]])
        candidates = candidates[candidates["text"].ne("").to_numpy() | unit.isin(units.index[units["flagged"]])]
    candidates = candidates[candidates.duplicated(batch, keep=False)]
    if timed:
        candidates = candidates.sort_values([*batch, "submitted_at"], kind="stable")
        gap = candidates.groupby(batch, sort=False)["submitted_at"].diff()
        copy = gap.le(window)
        start = (~copy).cumsum()  # a batch: a form and the copies that follow it within the window
    else:
        copy = candidates.duplicated(batch)
        start = candidates.groupby(batch, sort=False).ngroup()
    first = candidates["respondent_id"].groupby(start.to_numpy()).transform("first")
    table.loc[copy.index[copy.to_numpy()], "duplicate"] = True
    table.loc[copy.index[copy.to_numpy()], "of"] = first[copy.to_numpy()].to_numpy()
    return table.drop(columns=["_signature", "_class"])


def rarefied(k: np.ndarray, m: np.ndarray, n: np.ndarray) -> np.ndarray:
    """The chance that a pattern given by ``k`` of ``m`` forms is among ``n`` of them drawn without replacement:
    ``1 - C(m - k, n) / C(m, n)`` (rarefaction, Hurlbert, Ecology 1971)."""
    k, m, n = (np.asarray(v, dtype=float) for v in (k, m, n))
    rest = np.maximum(m - k - n + 1, 1)
    none = special.gammaln(m - k + 1) - special.gammaln(rest) - special.gammaln(m + 1) + special.gammaln(m - n + 1)
    return np.where(m - k < n, 1.0, -np.expm1(none))


def repeated_units(forms: pd.DataFrame, alpha: float = DUPLICATE_ALPHA) -> pd.DataFrame:
    """Units whose forms repeat an answer pattern (``_signature``) more often than the rest of the survey predicts.

    Honest respondents answer alike too, the more so with few criteria and a satisfied office, so repeats are
    judged within each class of forms (``_class``: the number of criteria answered and their sum).  A unit's
    ``n`` forms of a class are compared with ``n`` forms drawn from the class's forms in the other units of
    the period: the distinct patterns they would give are :func:`rarefied` summed over the patterns, and the
    unit's repeated forms (forms minus distinct patterns) are tested against that expectation (Poisson upper
    tail, Bonferroni over the units at ``alpha``).  A class with more of the unit's forms than of the others'
    is left out.  One row per period and unit: ``repeated``, ``expected``, ``p_value``, ``flagged``."""
    cls, unit = ["period", "_class"], ["period", "_class", "unit_id"]
    count = forms.groupby([*unit, "_signature"], observed=True).size()
    total = count.groupby(level=[*cls, "_signature"], observed=True).sum()
    size = count.groupby(level=unit, observed=True).sum()
    rest = size.groupby(level=cls, observed=True).transform("sum") - size
    # distinct patterns n forms of the rest would give: every pattern at its period count, then corrected for
    # the unit's own forms of the patterns it gave (their count elsewhere is the total less the unit's)
    patterns = total.groupby([*(total.index.get_level_values(c) for c in cls), total.rename("k")]).size()
    cells = size.rename("n").reset_index().merge(rest.rename("m").reset_index(), on=unit).merge(
        patterns.rename("patterns").reset_index(), on=cls)
    drawn = (cells["patterns"] * rarefied(cells["k"], cells["m"], cells["n"])).groupby(
        pd.MultiIndex.from_frame(cells[unit])).sum()
    own = count.rename("c").reset_index().merge(total.rename("k").reset_index(), on=[*cls, "_signature"]).merge(
        size.rename("n").reset_index().merge(rest.rename("m").reset_index(), on=unit), on=unit)
    correction = (rarefied(own["k"] - own["c"], own["m"], own["n"]) - rarefied(own["k"], own["m"], own["n"]))
    drawn = drawn.add(pd.Series(correction, index=pd.MultiIndex.from_frame(own[unit])).groupby(
        level=unit).sum(), fill_value=0)
    testable = size.le(rest)
    repeated = (size - count.groupby(level=unit, observed=True).size())[testable]
    expected = (size - drawn.reindex(size.index))[testable]
    table = pd.DataFrame({"repeated": repeated.groupby(level=["period", "unit_id"], observed=True).sum(),
                          "expected": expected.groupby(level=["period", "unit_id"], observed=True).sum()})
    table["p_value"] = stats.poisson.sf(table["repeated"] - 1, table["expected"].clip(lower=0))
    table["flagged"] = table["repeated"].gt(0) & table["p_value"].lt(alpha / max(len(table), 1))
    return table


def form_seconds(forms: FormAnswers) -> pd.Series | None:
    """Seconds each form took: ``duration``, else the time since the previous submission of its session;
    None when neither can be known."""
    keys = forms.keys
    if forms.has("duration"):
        return keys["duration"].astype(float)
    if forms.has("submitted_at") and forms.has("session"):
        ordered = keys.sort_values(["session", "submitted_at"], kind="stable")
        gap = ordered.groupby("session", sort=False)["submitted_at"].diff().dt.total_seconds()
        return gap.reindex(keys.index)
    return None


def speeders(forms: FormAnswers, fraction: float = SPEED_FRACTION) -> pd.DataFrame | None:
    """Forms completed in less than ``fraction`` of the median time of their collector (else channel):
    the keys, ``seconds``, ``median`` and ``speeder``; None without a duration or session times."""
    seconds = form_seconds(forms)
    if seconds is None:
        return None
    mode = "collector" if forms.has("collector") else "channel"
    table = forms.keys.assign(seconds=seconds.to_numpy())
    table["median"] = table.groupby(table[mode].fillna(""), observed=True)["seconds"].transform("median")
    table["speeder"] = table["seconds"].lt(fraction * table["median"])
    return table


def bursts(forms: FormAnswers, alpha: float = BURST_ALPHA) -> pd.DataFrame | None:
    """Days on which a unit received far more forms than on its other days with forms (see the module's rule): one row
    per unit and day with forms: ``unit_id``, ``day``, ``n`` (forms that day), ``expected``, ``p_value``,
    ``flagged``, ``before_deadline``; None without ``submitted_at``."""
    if not forms.has("submitted_at"):
        return None
    days = forms.keys.dropna(subset=["submitted_at"]).assign(day=lambda d: d["submitted_at"].dt.floor("D"))
    counts = days.groupby(["unit_id", "day"], observed=True).size().rename("n").reset_index()
    total = counts.groupby("unit_id", observed=True)["n"].transform("sum")
    other_days = counts.groupby("unit_id", observed=True)["n"].transform("size") - 1
    counts["expected"] = ((total - counts["n"]) / other_days).where(other_days > 0)
    counts["p_value"] = stats.poisson.sf(counts["n"] - 1, counts["expected"])
    counts["flagged"] = counts["p_value"].lt(alpha / max(len(counts), 1))
    month_end = counts["day"] + pd.offsets.MonthEnd(0)
    counts["before_deadline"] = (month_end - counts["day"]).dt.days <= DEADLINE_DAYS
    return counts


# --------------------------------------------------------------------------- group-level checks


def relabelled(survey: Survey, labels: np.ndarray) -> Cube:
    """The cube of ``survey`` with each form's ``channel`` replaced by its label (one per form of its grid, in
    order: a collector, kept or flagged): every estimate and difference of :mod:`analysis.analyses.indices`
    then compares them."""
    return survey.relabelled(channel=pd.Categorical(np.asarray(labels, dtype=object))).cube()


def tested(table: pd.DataFrame, estimate_column: str = "difference", level: float = 0.95) -> pd.DataFrame:
    """``se``, ``ci_low``, ``ci_high`` and ``p_value`` (t with the design's df) of a linearised estimate."""
    se = np.sqrt(table["variance"])
    table = table.assign(se=se.mask((table["df"] < 1) | (se <= ZERO_SE)))
    t = stats.t.ppf(0.5 + level / 2, table["df"].where(table["df"] >= 1))
    table["ci_low"] = table[estimate_column] - t * table["se"]
    table["ci_high"] = table[estimate_column] + t * table["se"]
    table["p_value"] = 2 * stats.t.sf(np.abs(table[estimate_column] / table["se"]), table["df"])
    return table.drop(columns="variance")


def pooled_gap(cube: Cube, first: str, second: str) -> pd.Series:
    """``first`` minus ``second`` (levels of the cube's ``channel``) within unit and respondent group, averaged
    with the weight of each unit-group cell that has both: the design-based variance of that combination."""
    ratio_by = ["unit_id", "group", "channel"]
    moments = moments_for(cube, ratio_by, "satisfied")
    moments = moments[moments["channel"].isin([first, second])]
    present = moments[moments["n"] > 0].groupby(["unit_id", "group"], observed=True)["channel"].nunique()
    both = present[present == 2].index
    cell = pd.MultiIndex.from_frame(moments[["unit_id", "group"]])
    moments = moments[cell.isin(both)]
    if moments.empty:
        return pd.Series({"difference": np.nan, "se": np.nan, "ci_low": np.nan, "ci_high": np.nan,
                          "p_value": np.nan, "n": 0, "df": np.nan})
    share = moments.groupby(["unit_id", "group"], observed=True)["w"].transform("sum") / moments["w"].sum()
    sign = np.where(moments["channel"] == first, 1.0, -1.0)
    table = linearised(moments.assign(**{ALL: "all"}), cube, ratio_by, [ALL],
                       pd.Series(sign * share.to_numpy(), index=moments.index))
    return tested(table.rename(columns={"estimate": "difference"})).iloc[0].drop(ALL)


def mode_gaps(cube: Cube, levels: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The gaps between the collectors ``levels`` of a cube relabelled by collector (:func:`relabelled`):
    (pooled within unit and group: ``first_level``, ``second_level``, ``difference``, ``se``, ``ci_low``,
    ``ci_high``, ``p_value``, ``n``) and (per unit: :func:`analysis.analyses.indices.difference` rows with
    the pair's codes), for each pair of :data:`MODE_PAIRS` present."""
    pooled, units = [], []
    for first, second in MODE_PAIRS:
        if not {first, second} <= levels:
            continue
        pooled.append(pooled_gap(cube, first, second).to_frame().T.assign(first_level=first, second_level=second))
        gap = difference(cube, ["unit_id"], "channel", first, second)
        units.append(gap.rename(columns={first: "first", second: "second"}).assign(first_level=first,
                                                                                  second_level=second))
    columns = ["first_level", "second_level", "difference", "se", "ci_low", "ci_high", "p_value", "n"]
    pooled_table = (pd.concat(pooled, ignore_index=True)[columns] if pooled else pd.DataFrame(columns=columns))
    return pooled_table.astype({c: float for c in columns[2:]}), (
        pd.concat(units, ignore_index=True) if units else pd.DataFrame())


def unit_funnel(cube: Cube) -> pd.DataFrame:
    """Each unit's index against the survey's (see the module's rule): ``unit_id``, ``n``, ``estimate``,
    ``ci_low``, ``ci_high`` (:func:`analysis.analyses.indices.estimate`), ``n_eff`` (effective sample size),
    ``target``, ``z``, ``tau2``, the limits, ``flag`` and ``spread`` (its respondents' variance over the pooled
    within-unit variance, each over ``mean (1 - mean)``), ``low_spread``."""
    moments = score_moments(cube, "satisfied", "index", ["unit_id"])
    sums = moments.groupby("unit_id", observed=True)[["n", "y", "y2", "w", "w2"]].sum()
    sums = sums[sums["n"] > 0]
    within = (sums["y2"] - sums["y"] ** 2 / sums["n"]).clip(lower=0)
    pooled = float(within.sum() / (sums["n"] - 1).clip(lower=0).sum())
    mean = sums["y"] / sums["n"]
    bound = (sums["n"] - 1) * mean * (1 - mean)  # the most a score in [0, 1] with this mean can vary
    dispersion = (within / bound).where(bound > 0, 0.0).where(sums["n"] > 1)
    units = estimate(cube, ["unit_id"]).set_index("unit_id")[["n", "estimate", "ci_low", "ci_high"]]
    units = units.join((sums["w"] ** 2 / sums["w2"]).rename("n_eff"))
    target = float(estimate(cube, [])["estimate"].iloc[0])
    units["target"] = target
    units["null_se"] = np.sqrt(pooled / units["n_eff"])
    units = units.join(funnel(units["estimate"], units["null_se"], target))
    pooled_dispersion = float(within.sum() / bound.sum()) if bound.sum() > 0 else np.nan
    units["spread"] = dispersion / pooled_dispersion
    units["low_spread"] = units["spread"].lt(LOW_SPREAD)
    return units.reset_index()
