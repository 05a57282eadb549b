"""Section 04, policy effects: the calls notebook 04 makes, and its headline for the executive summary.

:func:`setup` picks the policies and the units they bind (treated) and do not bind (comparison);
:func:`headline` is the verdict on each policy by one rule (:class:`PolicyHeadline`: the
difference-in-differences when there is a comparison group, the interrupted time series beside it or
alone), the finding the executive summary shows and the section's verdict part shows; :func:`its`,
:func:`leads_lags`, :func:`synthetic` and :func:`synthetic_difference` the interrupted time series, event study,
synthetic control and synthetic difference-in-differences; :func:`staggered_synthetic` the last for a policy
adopted agency by agency.  Each takes a
survey (in scope, with the whole survey for the comparison units) or a unit-level series
(:mod:`analysis.sections.series`).

Which agencies a policy event binds is its ``applies_to`` (:func:`analysis.data.scope.bound_units`): parts separated by
``;``, each ``all`` (every agency), ``provincial`` (every agency that is not vertical), or a block name,
a level or a unit id of the units table.  What the section cannot estimate (no policy, no agency bound,
no comparison agency, too few years) it says in one sentence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from analysis.analyses import policy
from analysis.analyses.describe import index_by_year, publishable_years
from analysis.analyses.indices import estimate
from analysis.analyses.staggered import StaggeredDiD, group_time_effects
from analysis.analyses.synthdid import SyntheticDiD, staggered_synthetic_did, synthetic_did
from analysis.data.schema import Survey
from analysis.data.scope import bound_units
from analysis.reporting.labels import label
from analysis.reporting.narrative import Note
from analysis.sections.series import UnitSeries

ITS_SPARE_YEARS = 2  # the residual degrees of freedom an interrupted time series needs at least


@dataclass(frozen=True)
class PolicySetup:
    """Which policies, and the units they bind and do not bind.

    ``policies``: name -> first post year; ``series``: the scope's yearly values (``period, value``), for
    the interrupted time series; ``panel``: the treated and comparison units by year (``unit_id, year,
    value, weight, n``); ``treated``: unit id -> bound by the policies; ``names``: unit id -> name;
    ``events``: the survey's events; ``share``: the values are proportions.  A monthly survey also
    carries its ``monthly`` series and the policies' first post months (``monthly_policies``), on which
    the interrupted time series runs with month effects.  ``summary`` says in one sentence why the
    panel designs are left out, when they are.
    """

    policies: dict[str, int]
    series: pd.DataFrame
    panel: pd.DataFrame
    treated: pd.Series
    names: pd.Series
    events: pd.DataFrame
    share: bool = True
    provincial: bool = True  # treated: agencies that are not vertical; comparison: vertical ones (the sentences say so)
    monthly: pd.DataFrame | None = None  # the scope's monthly values (``period, value``) of a monthly survey
    monthly_policies: dict[str, int] = field(default_factory=dict)  # name -> first post month number
    adoptions: dict[str, pd.Series] = field(default_factory=dict)  # policy -> unit id -> first year under it
    staggered_panel: pd.DataFrame | None = None  # the whole survey's agencies by year
    too_few_adopters: tuple[str, ...] = ()  # policies with adoption dates but under MIN_ADOPTERS adopters in scope

    def staggered_inputs(self, name: str) -> tuple[pd.DataFrame, pd.Series]:
        """The panel of the agencies the staggered design of policy ``name`` compares (its adopters in scope
        and the agencies that never adopted it) and their first years under it (NaN: never)."""
        adoption = self.adoptions[name]
        panel = self.staggered_panel if self.staggered_panel is not None else self.panel
        return panel[panel["unit_id"].isin(adoption.index)], adoption

    @property
    def uniform(self) -> dict[str, int]:
        """The policies that start on one date for every agency they bind (no adoption dates)."""
        return {name: start for name, start in self.policies.items() if name not in self.adoptions}

    @property
    def comparable(self) -> bool:
        """Both treated and comparison units, and a policy of one date: the panel designs apply."""
        return bool(self.treated.any()) and bool((~self.treated).any()) and bool(self.uniform)

    @property
    def first(self) -> tuple[str, int]:
        """The earliest policy of one date and its first post year."""
        return min(self.uniform.items(), key=lambda item: item[1])

    @property
    def window(self) -> pd.DataFrame:
        """The panel before the second policy: the years the event study and the synthetic control use."""
        later = [start for start in self.uniform.values() if start > self.first[1]]
        return self.panel[self.panel["year"] < min(later)] if later else self.panel

    percent = ()

    def table(self, lang: str | None = None) -> pd.DataFrame:
        """``policy, first_post_year`` (no table without a policy: the sentence says so); a policy adopted in
        different years lists its adopters' first years (``2019, 2020, 2022``)."""
        if not self.policies:
            return pd.DataFrame()
        years = [", ".join(str(int(y)) for y in sorted(self.adoptions[name].dropna().unique()))
                 if name in self.adoptions else start for name, start in self.policies.items()]
        return pd.DataFrame({"policy": list(self.policies), "first_post_year": years})

    def heading(self, part: str) -> str:
        """The label key of a part's heading (``"its"``, ``"did"``): provincial against vertical agencies
        (the embedded province's words), or the scope's series and the agencies bound against the others."""
        return f"policy.{part}" if self.provincial else f"policy.{part}_bound"

    def summary(self, lang: str = "vi") -> list[str]:
        """Why the panel designs are left out, when they are: no policy, no agency bound, or no comparison."""
        return self.notes(lang)

    def notes(self, lang: str = "vi") -> list[str]:
        from analysis.reporting.narrative import absent, say

        few = [say("too_few_adopters", lang, name=name, n=MIN_ADOPTERS) for name in self.too_few_adopters]
        if self.comparable or (self.adoptions and not self.uniform):
            return few
        if not self.policies:
            return few or [absent("policies", lang)]
        return [*few, absent("treated" if not self.treated.any() else "comparison", lang)]

    def plot(self, lang: str = "vi") -> None:
        return None


def first_post_years(policies: Mapping[str, str]) -> dict[str, int]:
    """Policies given as name -> date (YYYY-MM-DD) as name -> first post year."""
    return {name: policy.first_post_period(date, "year") for name, date in policies.items()}


def binds_all(applies_to: str, unit_ids: Sequence[str], units: pd.DataFrame) -> bool:
    """Whether ``applies_to`` binds every one of ``unit_ids`` (and there is at least one)."""
    return bool(unit_ids) and set(unit_ids) <= bound_units(applies_to, units)


def setup(survey: Survey | UnitSeries, full_survey: Survey | UnitSeries | None = None, *, min_cell: int = 10,
          policies: Mapping[str, str] | None = None, treated_units: Sequence[str] = (),
          comparison_units: Sequence[str] = (), adoption_dates: Mapping[str, str] | None = None) -> PolicySetup:
    """The policies and units of section 04.

    On a survey (``survey`` in scope, ``full_survey`` the whole survey, default ``survey``): treated units
    are ``treated_units``, or the agencies in scope that are not vertical, or (a scope of vertical agencies
    only) every agency in scope; the policies are ``policies`` (name -> date) or, when empty, the policy
    events that bind every treated unit (:func:`analysis.data.scope.bound_units`) inside the years with at
    least ``min_cell`` respondents; comparison units are ``comparison_units`` or the agencies of the whole
    survey that are neither treated nor bound by a chosen policy event (for ``provincial`` policies: the
    vertical agencies, so a block or a unit is compared with the vertical agencies outside it).  The series
    is the scope's index.

    On a unit-level series, ``policies`` and ``treated_units`` must be given (``comparison_units`` for
    the designs with a comparison group); the series is the mean of the treated units.  ``adoption_dates``
    (unit id -> date) date a single policy unit by unit, as a survey's ``adoptions`` file does: its units
    are the treated ones, and the comparison units (default: every other unit) never adopted it.
    """
    treated_units, comparison_units = list(treated_units), list(comparison_units)
    given_comparison = list(comparison_units)
    too_few: tuple[str, ...] = ()
    if isinstance(survey, UnitSeries):
        treated_units = treated_units or list(adoption_dates or {})
        missing = [name for name, given in (("policies", policies), ("treated_units", treated_units)) if not given]
        if missing:
            raise ValueError(f"a unit-level series names no agencies or policies of its own: give the "
                             f"notebook parameter(s) {', '.join(missing)}")
        panel, names, events, share = survey.panel(), survey.names(), survey.events, False
        index = survey.index(treated_units)
        chosen = first_post_years(policies or {})
        adoptions, staggered_panel = series_adoptions(panel, chosen, adoption_dates or {}, comparison_units)
        provincial = False  # a series' units are whatever it holds: the sentences say "bound" and "comparison"
    else:
        full = full_survey if isinstance(full_survey, Survey) else survey
        index = publishable_years(index_by_year(survey.cube()), min_cell)  # years under min_cell: not in the series
        vertical = full.units.set_index("unit_id")["vertical"]
        in_scope = list(survey.units["unit_id"])
        treated_units = treated_units or [u for u in in_scope if not vertical[u]] or in_scope
        panel, names = policy.unit_period_panel(full.cube()), full.units.set_index("unit_id")["unit_name"]
        events, share = survey.events, True
        binding = events[(events["kind"] == "policy")
                         & events["applies_to"].map(lambda a: binds_all(a, treated_units, full.units)).astype(bool)]
        if policies:  # given by hand: compared with the vertical agencies, as a provincial policy
            chosen, bound = first_post_years(policies), set(treated_units) | set(vertical.index[~vertical])
        else:
            years = index["year"]
            starts = {row.name: policy.first_post_period(row.date, "year") for row in binding.itertuples()}
            chosen = {name: start for name, start in starts.items()
                      if len(years) and years.min() < start <= years.max()}
            used = binding[binding["name"].isin(chosen)]["applies_to"]
            bound = set(treated_units).union(*(bound_units(a, full.units) for a in used))
        comparison_units = comparison_units or [u for u in vertical.index if u not in bound]
        flags = vertical.astype(bool)
        provincial = not flags.reindex(treated_units, fill_value=False).any() and bool(
            flags.reindex(comparison_units, fill_value=False).all())
        starts, adoptions, staggered_panel = adoption_design(survey, full, index["year"], given_comparison)
        dated = set(full.adoptions["policy"])  # a policy with adoption dates never falls back to its event's date
        too_few = tuple(name for name in chosen if name in dated and name not in starts)
        chosen = {name: start for name, start in chosen.items() if name not in dated} | starts
    series = pd.DataFrame({"period": index["year"].astype(str), "value": index["estimate"]})
    units = [*treated_units, *comparison_units]
    treated = pd.Series({u: u in treated_units for u in units}, dtype=bool)
    monthly, starts = (None, {}) if isinstance(survey, UnitSeries) else monthly_design(
        survey, min_cell, dict(policies) if policies else {row.name: row.date for row in binding.itertuples()
                                                           if row.name in chosen})
    return PolicySetup(chosen, series, panel[panel["unit_id"].isin(units)], treated, names, events, share, provincial,
                       monthly, starts, adoptions, staggered_panel, too_few)


MIN_ADOPTERS = 2  # a policy adopted agency by agency is estimated with at least this many adopters in scope


def series_adoptions(panel: pd.DataFrame, chosen: dict[str, int], dates: Mapping[str, str],
                     comparison_units: Sequence[str]) -> tuple[dict[str, pd.Series], pd.DataFrame | None]:
    """A unit-level series' adoption dates (unit id -> date) as the staggered design's input: the one policy
    they date (its first post year set to the earliest adopter's) -> unit id -> first year under it, NaN for
    the comparison units (default: every other unit of the panel)."""
    if not dates:
        return {}, None
    if len(chosen) != 1:
        raise ValueError("adoption dates date one policy: give exactly one policy with them")
    first = pd.Series({u: float(policy.first_post_period(d, "year")) for u, d in dates.items()})
    others = list(comparison_units) or [u for u in panel["unit_id"].unique() if u not in first.index]
    name = next(iter(chosen))
    chosen[name] = int(first.min())
    return {name: pd.concat([first, pd.Series(float("nan"), index=others)])}, panel


def adoption_design(survey: Survey, full: Survey, years: pd.Series, comparison_units: Sequence[str] = ()
                    ) -> tuple[dict[str, int], dict[str, pd.Series], pd.DataFrame | None]:
    """The policies adopted agency by agency (the mapping's ``adoptions``) with at least :data:`MIN_ADOPTERS`
    adopters in scope first under it inside ``years`` and something to compare them with (an agency that
    never adopted, or a later cohort): name -> the earliest adopter's first year; name -> unit id -> first
    year under it (NaN: never adopted), over the adopters in scope and the agencies that never adopted
    (``comparison_units`` when given; adopters outside the scope are neither); and the panel of the whole
    survey's agencies."""
    if full.adoptions.empty or not len(years):
        return {}, {}, None
    in_scope = set(survey.units["unit_id"])
    starts, adoptions = {}, {}
    for name, rows in full.adoptions.groupby("policy", sort=False):
        first = rows.set_index("unit_id")["date"].map(lambda d: policy.first_post_period(d, "year")).astype(float)
        mine = first[first.index.isin(in_scope)]
        inside = mine[(mine > years.min()) & (mine <= years.max())]
        never = [u for u in comparison_units or full.units["unit_id"] if u not in first.index]
        if len(inside) < MIN_ADOPTERS or not (never or inside.nunique() > 1):
            continue
        starts[str(name)] = int(inside.min())
        adoptions[str(name)] = pd.concat([mine, pd.Series(float("nan"), index=never)])
    return starts, adoptions, policy.unit_period_panel(full.cube()) if adoptions else None


MIN_MONTHS = 24  # a monthly series this long is analysed by month, with month effects


def monthly_design(survey: Survey, min_cell: int, dates: Mapping[str, object]) -> tuple[pd.DataFrame | None, dict]:
    """The scope's index by month (months under ``min_cell`` left out) and each policy's first post month
    inside it, for a survey of at least :data:`MIN_MONTHS` months; ``(None, {})`` for any other."""
    periods = pd.Series(survey.periods(), dtype=str)
    if not periods.str.fullmatch(r"\d{4}-\d{2}").all():
        return None, {}
    index = estimate(survey.cube(), ["period"])
    index = index[index["n"] >= min_cell]
    if len(index) < MIN_MONTHS:
        return None, {}
    months = policy.period_numbers(index["period"])[0]
    starts = {name: policy.first_post_period(date, "month") for name, date in dates.items()}
    starts = {name: start for name, start in starts.items() if months.min() < start <= months.max()}
    return pd.DataFrame({"period": index["period"].to_numpy(), "value": index["estimate"].to_numpy()}), starts


@dataclass(frozen=True)
class PolicyHeadline:
    """The section's answer to "did each policy change satisfaction?", by one rule (the methods appendix
    states it): with a comparison group (agencies the policy does not bind, which absorb what changed for
    every agency in the same years) the difference-in-differences is the verdict and the interrupted time
    series (the scope's series against its own trend) its robustness check, their agreement said in words;
    without one the interrupted time series is the verdict, with that caveat.

    The section's verdict part shows this object, the executive summary its ``summary``: they agree on
    every scope.
    """

    setup: PolicySetup
    did: policy.DifferenceInDifferences | None
    its: policy.InterruptedTimeSeries | Note | None = None
    staggered: dict[str, StaggeredDiD] = field(default_factory=dict)  # policies adopted agency by agency

    @property
    def empty(self) -> bool:
        """No estimate of any policy (no policy, or neither design could be fitted)."""
        return self.verdicts.empty

    @property
    def percent(self) -> tuple[str, ...] | None:
        return VERDICT_SHARES if self.setup.share else ()

    @property
    def verdicts(self) -> pd.DataFrame:
        """One row per policy: ``policy, design`` (``did`` or ``its``), the verdict design's ``estimate, se,
        ci_low, ci_high, p_value`` (and, for the DiD, ``clusters, first_year, last_year``), ``effect`` (its
        test rejects at 5%), the interrupted time series' level change at the policy (``its_estimate,
        its_ci_low, its_ci_high, its_p_value``) beside a DiD or as the verdict, and ``agree`` (the same
        verdict, and the same sign when both find one).  A policy adopted agency by agency has the design
        ``staggered``: its overall group-time effect, with the two-way fixed-effects estimate and the
        pre-trend test beside it (:meth:`analysis.analyses.staggered.StaggeredDiD.verdict_row`)."""
        its = self.its.effects if isinstance(self.its, policy.InterruptedTimeSeries) else pd.DataFrame(
            columns=policy.EFFECT_COLUMNS)
        # the level change at the policy (a policy seen one period only has its prediction error, "total"):
        # the same form as the difference-in-differences' one effect
        its = its[its["term"].isin(["level", "total"])].sort_values("term", key=lambda t: t != "level")
        its = its.drop_duplicates("intervention").set_index("intervention")[["estimate", "ci_low", "ci_high",
                                                                              "p_value"]]
        if self.did is not None:
            rows = self.did.effects.assign(design="did")
            beside = its.add_prefix("its_").reindex(rows["policy"]).reset_index(drop=True)
            rows = pd.concat([rows.reset_index(drop=True), beside], axis=1)
        else:
            rows = its.drop(index=list(self.staggered), errors="ignore").rename_axis("policy").reset_index()
            rows = rows.assign(design="its")
        if self.staggered:
            rows = pd.concat([rows, *(pd.DataFrame([fit.verdict_row()]) for fit in self.staggered.values())],
                             ignore_index=True)
            whole = [c for c in STAGGERED_COUNTS if c in rows]
            rows[whole] = rows[whole].astype("Int64")  # counts and years stay whole beside the other designs' rows
        rows["effect"] = rows["p_value"] < ALPHA
        if "its_p_value" in rows:
            its_effect = rows["its_p_value"] < ALPHA
            same_sign = (rows["estimate"] > 0) == (rows["its_estimate"] > 0)
            agree = (rows["effect"] == its_effect) & (~rows["effect"] | same_sign)
            rows["agree"] = agree.astype("boolean").mask(rows["its_p_value"].isna())
        return rows

    def table(self, lang: str | None = None) -> pd.DataFrame:
        table = self.verdicts
        return table if lang is None else table.assign(design=table["design"].map(lambda d: label(f"design.{d}",
                                                                                                    lang)))

    def summary(self, lang: str = "vi") -> list[str]:
        """One verdict per policy (:func:`analysis.reporting.narrative.policy_verdict`)."""
        from analysis.reporting.narrative import policy_verdict

        return [policy_verdict(row, lang, self.setup.share, self.setup.provincial)
                for _, row in self.verdicts.iterrows()]

    def plot(self, lang: str = "vi") -> None:
        return None


ALPHA = 0.05  # the level of every policy verdict
STAGGERED_COUNTS = ("clusters", "first_year", "last_year", "adopters", "never_adopted", "twfe_negative", "twfe_cells",
                    "pretrend_df")
VERDICT_SHARES = ("estimate", "se", "ci_low", "ci_high", "its_estimate", "its_ci_low", "its_ci_high",
                  "twfe_estimate", "twfe_ci_low", "twfe_ci_high")


def headline(survey: Survey | UnitSeries, year: int, *, full_survey: Survey | UnitSeries | None = None,
             min_cell: int = 10, policies: Mapping[str, str] | None = None, treated_units: Sequence[str] = (),
             comparison_units: Sequence[str] = (), its_errors: str = "ar1",
             adoption_dates: Mapping[str, str] | None = None) -> PolicyHeadline:
    """The verdict on each policy of :func:`setup` (same parameters): the difference-in-differences of
    each policy on its own window when the setup has a comparison group, and the interrupted time series
    (:func:`its`, ``its_errors``) beside it or alone; a policy adopted agency by agency, its group-time
    effects against the agencies that never adopted (:func:`analysis.analyses.staggered.group_time_effects`).

    ``year``, the review year, does not change the result: the designs use every year.
    """
    chosen = setup(survey, full_survey, min_cell=min_cell, policies=policies, treated_units=treated_units,
                   comparison_units=comparison_units, adoption_dates=adoption_dates)
    did = policy.did_by_policy(chosen.panel, chosen.treated, chosen.uniform, share=chosen.share) \
        if chosen.comparable else None
    staggered = {name: group_time_effects(*chosen.staggered_inputs(name), name, share=chosen.share,
                                          control="never" if chosen.adoptions[name].isna().any() else "notyet")
                 for name in chosen.adoptions}
    return PolicyHeadline(chosen, did, its(chosen, its_errors), staggered)


def its(chosen: PolicySetup, errors: str = "ar1") -> policy.InterruptedTimeSeries | Note | None:
    """Interrupted time series of the scope's series at every policy of one date (``errors``: "ar1" or
    "newey-west"); a policy adopted in different years is left to the staggered design.

    None without such a policy (the setup says so); a note when the series leaves fewer than
    :data:`ITS_SPARE_YEARS` residual degrees of freedom (:func:`its_residual_df`).
    """
    policies = chosen.uniform  # a policy adopted in different years has no one date to interrupt the series at
    if not policies:
        return None
    monthly = {name: start for name, start in chosen.monthly_policies.items() if name in policies}
    if chosen.monthly is not None and monthly:  # by month, with month effects
        return policy.interrupted_time_series(chosen.monthly, monthly, errors=errors, events=chosen.events,
                                              share=chosen.share)
    if its_residual_df(chosen.series["period"].astype(int), policies) < ITS_SPARE_YEARS:
        return Note("its_years")
    return policy.interrupted_time_series(chosen.series, policies, errors=errors, events=chosen.events,
                                          share=chosen.share)


def its_residual_df(years: pd.Series, policies: Mapping[str, int]) -> int:
    """The residual degrees of freedom of :func:`analysis.analyses.policy.interrupted_time_series` on yearly
    ``years``: intercept and trend, a level and a slope per policy seen two years or more; a policy seen one
    year only is fitted without that year (its level is a prediction error)."""
    post = [int((years >= start).sum()) for start in policies.values()]
    return len(years) - sum(n == 1 for n in post) - 2 - 2 * sum(n >= 2 for n in post) - sum(n == 0 for n in post)


def leads_lags(chosen: PolicySetup) -> policy.EventStudy | None:
    """Event study of the earliest policy, on the years before the next one (None without a comparison)."""
    if not chosen.comparable:
        return None
    return policy.event_study(chosen.window, chosen.treated, chosen.first[1], share=chosen.share)


MIN_DONORS = 2  # a synthetic control's placebo test refits each donor from the others


def synthetic_pair(chosen: PolicySetup, unit: str = "") -> tuple[str, list[str]]:
    """The agency of the synthetic designs (``unit``, default the treated unit serving the most people) and
    its comparison agencies (the donors)."""
    sizes = chosen.panel.groupby("unit_id")["weight"].sum()
    unit = unit or sizes[chosen.treated.reindex(sizes.index).fillna(False).astype(bool)].idxmax()
    donors = [u for u in chosen.treated.index if not chosen.treated[u] and u in set(chosen.panel["unit_id"])]
    return unit, donors


def synthetic(chosen: PolicySetup, unit: str = "") -> policy.SyntheticControl | Note | None:
    """Synthetic control of ``unit`` (:func:`synthetic_pair`) from the comparison units, for the earliest
    policy (None without a comparison; a note with a single donor)."""
    if not chosen.comparable:
        return None
    unit, donors = synthetic_pair(chosen, unit)
    if len(donors) < MIN_DONORS:
        return Note("synthetic_donors")
    return policy.synthetic_control(chosen.window, unit, donors, chosen.first[1], names=chosen.names,
                                    share=chosen.share)


def synthetic_difference(chosen: PolicySetup, unit: str = "") -> SyntheticDiD | Note | None:
    """Synthetic difference-in-differences (Arkhangelsky et al. 2021) beside the synthetic control: the same
    agency against the same comparison agencies on the same years, with a placebo interval (one treated
    agency, so the placebo draws need only two comparison agencies)."""
    if not chosen.comparable:
        return None
    unit, donors = synthetic_pair(chosen, unit)
    if len(donors) < MIN_DONORS:
        return Note("synthetic_donors")
    window = chosen.window[chosen.window["unit_id"].isin([unit, *donors])]
    return synthetic_did(window, [unit], chosen.first[1], names=chosen.names, share=chosen.share)


def staggered_synthetic(chosen: PolicySetup, name: str) -> SyntheticDiD | Note | None:
    """Synthetic difference-in-differences of the policy ``name`` adopted agency by agency, cohort by cohort
    against the agencies that never adopted it (None when the setup has no such policy; a note when every
    agency adopted it)."""
    if name not in chosen.adoptions:
        return None
    panel, adoption = chosen.staggered_inputs(name)
    if not adoption.isna().any():
        return Note("synthdid_never")
    return staggered_synthetic_did(panel, adoption.dropna().to_dict(), names=chosen.names, share=chosen.share)
