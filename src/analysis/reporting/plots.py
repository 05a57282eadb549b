"""One look for every figure; labels come from :mod:`analysis.reporting.labels`.

matplotlib's bundled DejaVu Sans has every Vietnamese glyph, so it is the font.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.ticker import MaxNLocator, ScalarFormatter
from scipy import stats

from analysis.reporting.labels import label, short_label

PALETTE = {"estimate": "#1f5f99", "published": "#c0392b", "target": "#7f8c8d", "band": "#1f5f99"}


def error_bars(value, low, high) -> list:
    """The lengths of an interval's two bars, never negative: a percentile (bootstrap) interval of a small
    sample may not hold its own estimate, and matplotlib refuses a negative bar."""
    return [(value - low).clip(lower=0), (high - value).clip(lower=0)]


def set_style() -> None:
    """Seaborn's white grid, DejaVu Sans (Vietnamese diacritics), fixed figure size and DPI."""
    sns.set_theme(style="whitegrid", font=["DejaVu Sans"], rc={
        "figure.figsize": (8, 4.2), "figure.dpi": 100, "savefig.dpi": 100,
        "axes.titleweight": "bold", "svg.hashsalt": "analysis",
    })


def in_percent(table: pd.DataFrame, columns: tuple[str, ...], share: bool = True) -> pd.DataFrame:
    """``table`` with its ``columns`` (those present) as floats, proportions times 100 when ``share``
    (a series in its own unit, such as a PAPI score, is drawn as it is)."""
    scale = 100.0 if share else 1.0
    return table.assign(**{c: scale * pd.to_numeric(table[c]).astype(float) for c in columns if c in table})


def index_trend(table: pd.DataFrame, lang: str = "vi", targets: pd.DataFrame | None = None,
                events: pd.DataFrame | None = None):
    """Index by year with its 95% band; published figures and targets as markers; events as lines.

    ``table`` and ``targets`` hold proportions (drawn in percent). Suppressed years (blank
    estimates) are gaps in the line and the band.
    """
    set_style()
    table = in_percent(table, ("estimate", "ci_low", "ci_high", "published"))
    fig, ax = plt.subplots()
    ax.fill_between(table["year"], table["ci_low"], table["ci_high"], color=PALETTE["band"], alpha=0.18,
                    label=label("legend.ci95", lang))
    ax.plot(table["year"], table["estimate"], marker="o", color=PALETTE["estimate"],
            label=label("legend.estimate", lang))
    if "published" in table and table["published"].notna().any():
        shown = table[table["published"].notna()]
        ax.scatter(shown["year"], shown["published"], marker="D", s=45, zorder=3, color=PALETTE["published"],
                   label=label("published", lang))
    if targets is not None and not targets.empty:
        ax.scatter(targets["year"], 100 * targets["target"], marker="_", s=400, linewidths=2.5,
                   color=PALETTE["target"], zorder=3, label=label("legend.target", lang))
    if events is not None:
        event_lines(ax, event_marks(events, table["year"]), lang)
    ax.set_xlabel(label("year", lang))
    ax.set_ylabel(label("rate", lang))
    ax.set_title(label("index", lang), pad=16)
    ax.set_xticks(sorted(set(table["year"]) | set([] if targets is None else targets["year"])))
    ax.tick_params(axis="x", rotation=45)
    legend_below(ax)
    fig.tight_layout()
    return fig


def projection(series: pd.DataFrame, ahead: pd.DataFrame, lang: str = "vi"):
    """The index by year with its 95% band and, from the last year, the projection to each target year with
    its 95% prediction interval and the target (:func:`analysis.analyses.targets.project`, proportions)."""
    set_style()
    series = in_percent(series, ("estimate", "ci_low", "ci_high"))
    ahead = in_percent(ahead.dropna(subset=["projected"]), ("projected", "pi_low", "pi_high", "target"))
    fig, ax = plt.subplots()
    ax.fill_between(series["year"], series["ci_low"], series["ci_high"], color=PALETTE["band"], alpha=0.18,
                    label=label("legend.ci95", lang))
    ax.plot(series["year"], series["estimate"], marker="o", color=PALETTE["estimate"],
            label=label("legend.estimate", lang))
    last = series.iloc[[-1]]
    start = pd.DataFrame({"year": last["year"], "projected": last["estimate"], "pi_low": last["estimate"],
                          "pi_high": last["estimate"]})
    path = pd.concat([start, ahead[["year", "projected", "pi_low", "pi_high"]]], ignore_index=True)
    ax.fill_between(path["year"], path["pi_low"], path["pi_high"], color=PALETTE["target"], alpha=0.12,
                    label=label("legend.prediction", lang))
    ax.plot(path["year"], path["projected"], linestyle="--", marker="o", color=PALETTE["target"],
            label=label("legend.projection", lang))
    ax.scatter(ahead["year"], ahead["target"], marker="*", s=140, zorder=4, color=PALETTE["published"],
               label=label("legend.target", lang))
    ax.set_xlabel(label("year", lang))
    ax.set_ylabel(label("rate", lang))
    ax.set_title(label("satisfaction.projection_title", lang))
    ax.set_xticks(sorted(set(series["year"]) | set(ahead["year"])))
    ax.tick_params(axis="x", rotation=45)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig


def answer_distribution(table: pd.DataFrame, lang: str = "vi"):
    """Each criterion's answers as one stacked bar (shares in percent, worst answer left), criteria named by
    their questions (shortened; the table beside the figure has them in full)."""
    from analysis.reporting.labels import ANSWER_LABELS

    set_style()
    wide = table.pivot_table(index="item", columns="answer", values="share", aggfunc="sum").reindex(
        index=pd.unique(table["item"]), columns=[1, 2, 3, 4, 5]).fillna(0) * 100
    wide = wide.iloc[::-1]  # the table's (the form's) first criterion on top
    colours = ["#b2182b", "#ef8a62", "#d9d9d9", "#67a9cf", "#2166ac"]
    fig, ax = plt.subplots(figsize=(9, 0.42 * len(wide) + 1.8))
    left = np.zeros(len(wide))
    for answer, colour in zip(wide.columns, colours, strict=True):
        ax.barh([short_label(item, lang) for item in wide.index], wide[answer], left=left, color=colour,
                label=ANSWER_LABELS[answer][lang], height=0.7)
        left += wide[answer].to_numpy()
    ax.set_xlim(0, 100)
    ax.set_xlabel(label("share_of_answers", lang))
    ax.set_title(label("satisfaction.distribution", lang), pad=10)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.5 / (0.42 * len(wide) + 1.8) - 0.04), ncol=5,
              fontsize=8, frameon=False)
    fig.tight_layout()
    return fig


def counts_heatmap(table: pd.DataFrame, row: str, lang: str = "vi"):
    """Respondents per row group x year as an annotated heat map."""
    set_style()
    data = table.set_index(row)
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(data) + 1.5))
    sns.heatmap(data, annot=True, fmt="d", cmap="Blues", cbar=False, ax=ax, linewidths=0.5)
    ax.set_xlabel(label("year", lang))
    ax.set_ylabel(label(row, lang))
    ax.set_title(label("n", lang))
    fig.tight_layout()
    return fig


def save(fig, path) -> None:
    """Save a figure as PNG with no time stamp in its metadata, so reruns give identical bytes."""
    fig.savefig(path, format="png", metadata={"Software": None}, bbox_inches="tight")  # legends below kept


class DecimalComma(ScalarFormatter):
    """matplotlib's own tick labels with a decimal comma (``77,5``), as Vietnamese writes decimals."""

    def __call__(self, x, pos=None) -> str:
        return super().__call__(x, pos).replace(".", ",")

    def get_offset(self) -> str:
        return super().get_offset().replace(".", ",")


def localise(fig, lang: str = "vi"):
    """``fig`` with the numbers on its axes written the ``lang`` way (a decimal comma in Vietnamese); axes of
    names, dates or years keep theirs. Every saved figure passes here
    (:meth:`analysis.reporting.outputs.Outputs.figure`)."""
    if lang == "vi":
        for axis in (axis for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)):
            if type(axis.get_major_formatter()) is ScalarFormatter:
                axis.set_major_formatter(DecimalComma())
    return fig


def describe(fig, lang: str = "vi") -> str:
    """A figure's alt text: its title (or the axes' titles); for a figure without one, what its y axis shows
    and its legend's entries."""
    titles = [fig.get_suptitle(), *(ax.get_title() for ax in fig.axes)]
    text = "; ".join(t for t in titles if t)
    if text:
        return text
    for ax in fig.axes:
        legend = ax.get_legend()
        entries = ", ".join(t.get_text() for t in legend.get_texts()) if legend else ""
        if ax.get_ylabel() or entries:
            return ": ".join(part for part in (ax.get_ylabel(), entries) if part)
    return label("figure", lang)


def driver_importance(shares: pd.DataFrame, lang: str = "vi"):
    """Each driver's share of the explained variation (proportions, drawn in percent) with its interval:
    the LMG rows of :attr:`analysis.analyses.drivers.Importance.shares` for one segment."""
    points = shares[["driver", "share", "share_low", "share_high"]]
    points = points.set_axis(["driver", "estimate", "ci_low", "ci_high"], axis=1)
    return estimates_with_intervals(in_percent(points, ("estimate", "ci_low", "ci_high")), "driver", lang,
                                    title_key="share")


def importance_performance(table: pd.DataFrame, lang: str = "vi"):
    """Importance-performance matrix of one segment (proportions, drawn in percent): drivers with both
    intervals and mean lines (:func:`analysis.analyses.drivers.importance_performance`)."""
    set_style()
    table = in_percent(table, tuple(f"{m}{s}" for m in ("performance", "importance") for s in ("", "_low", "_high")))
    x, y = table["performance"], table["importance"]
    fig, ax = plt.subplots(figsize=(8, 6))
    ax.errorbar(x, y, xerr=error_bars(x, table["performance_low"], table["performance_high"]),
                yerr=error_bars(y, table["importance_low"], table["importance_high"]), fmt="o",
                color=PALETTE["estimate"], ecolor=PALETTE["band"], elinewidth=1.5, capsize=3, alpha=0.9)
    for driver, px, py in zip(table["driver"], x, y, strict=True):
        ax.annotate(short_label(driver, lang), (px, py), xytext=(6, 6), textcoords="offset points", fontsize=9)
    ax.axvline(x.mean(), color=PALETTE["target"], linestyle="--", linewidth=1, label=label("legend.mean", lang))
    ax.axhline(y.mean(), color=PALETTE["target"], linestyle="--", linewidth=1)
    corners = {"concentrate": (0.02, 0.98, "left", "top"), "keep_up": (0.98, 0.98, "right", "top"),
               "overkill": (0.98, 0.02, "right", "bottom"), "low_priority": (0.02, 0.02, "left", "bottom")}
    for code, (cx, cy, ha, va) in corners.items():
        ax.text(cx, cy, label(code, lang), transform=ax.transAxes, ha=ha, va=va, fontsize=9,
                color=PALETTE["target"], fontweight="bold")
    ax.set_xlabel(label("performance", lang))
    ax.set_ylabel(label("importance", lang))
    ax.set_title(label("drivers.ipa", lang))
    ax.legend(loc="center right", fontsize=8)
    fig.tight_layout()
    return fig


def decision766_totals(totals: pd.DataFrame, units: pd.DataFrame | None = None, lang: str = "vi"):
    """Decision 766 total points by month, one line per unit (named from ``units`` when given), with
    the band edges as horizontal lines (:attr:`analysis.analyses.decision766.Scores.totals`)."""
    import numpy as np

    from analysis.analyses.decision766 import BANDS, band_label

    set_style()
    fig, ax = plt.subplots(figsize=(9, 4.6))
    names = {} if units is None else dict(zip(units["unit_id"], units["unit_name"], strict=True))
    for unit_id, part in totals.groupby("unit_id", sort=True):
        x = pd.to_datetime(part["period"], format="mixed")
        ax.plot(x, part["total_points"], linewidth=1.4, label=names.get(unit_id, unit_id))
    low = min(40.0, float(np.floor(totals["total_points"].min() / 10) * 10))
    for code, edge in BANDS[:-1]:
        ax.axhline(edge, color="#7f8c8d", linewidth=0.9, linestyle="--", zorder=1)
        ax.annotate(band_label(code, lang), (1.0, edge), xycoords=("axes fraction", "data"), xytext=(4, 2),
                    textcoords="offset points", fontsize=8, color="#555555", va="bottom")
    ax.set_ylim(low, 100)
    ax.set_xlabel(label("period", lang))
    ax.set_ylabel(label("total_points", lang))
    ax.set_title(label("d766.trend", lang))
    ax.legend(loc="lower right", fontsize=8, ncol=2)
    fig.tight_layout()
    return fig


def estimates_with_intervals(table: pd.DataFrame, category: str, lang: str = "vi", title_key: str = "rate",
                             value: str = "estimate"):
    """Horizontal points with 95% interval bars, one row per category (components, blocks, items).

    Rows whose estimate is missing (suppressed small groups) are left out.
    """
    set_style()
    shown = table.dropna(subset=[value]).sort_values(value)
    labels = [short_label(str(c), lang) for c in shown[category]]
    fig, ax = plt.subplots(figsize=(8, 0.42 * len(shown) + 1.6))
    ax.errorbar(shown[value], range(len(shown)), xerr=error_bars(shown[value], shown["ci_low"], shown["ci_high"]),
                fmt="o", color=PALETTE["estimate"], ecolor=PALETTE["band"], elinewidth=2, capsize=3)
    ax.set_yticks(range(len(shown)), labels)
    ax.set_xlabel(label(title_key, lang))
    ax.set_title(label(category, lang))
    fig.tight_layout()
    return fig


def share_intervals(table: pd.DataFrame, category: str, lang: str = "vi"):
    """Shares by category (``estimate``, ``ci_low``, ``ci_high``: proportions, drawn in percent) with their
    95% intervals, one row per category: the components or blocks of a year. Suppressed rows are left out."""
    points = in_percent(table, ("estimate", "ci_low", "ci_high"))[[category, "estimate", "ci_low", "ci_high"]]
    return estimates_with_intervals(points, category, lang)


def caterpillar(table: pd.DataFrame, lang: str = "vi"):
    """Units by their shrunk rate: raw estimate with its interval (grey), shrunk value (blue), rank interval.

    ``estimate``, ``ci_low``, ``ci_high`` and ``shrunk`` are proportions (drawn in percent).
    """
    set_style()
    shown = table.sort_values("shrunk").reset_index(drop=True)
    shown = in_percent(shown, ("estimate", "ci_low", "ci_high", "shrunk"))
    fig, ax = plt.subplots(figsize=(9, 0.34 * len(shown) + 1.6))
    y = range(len(shown))
    ax.errorbar(shown["estimate"], y, xerr=error_bars(shown["estimate"], shown["ci_low"], shown["ci_high"]),
                fmt="o", color="#999999", ecolor="#cccccc", elinewidth=2, capsize=2,
                label=label("legend.observed", lang))
    ax.scatter(shown["shrunk"], y, color=PALETTE["estimate"], zorder=3,
               label=label("legend.shrunk", lang))
    names = [f"{n}  [{lo}–{hi}]" for n, lo, hi in zip(shown["unit_name"], shown["rank_low"], shown["rank_high"],
                                                                   strict=True)]
    ax.set_yticks(list(y), names, fontsize=8)
    ax.set_xlabel(label("rate", lang))
    ax.set_title(label("title.ranking", lang))
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig


def legend_below(ax) -> None:
    """The legend under the plot, in two columns, so it never covers the data or the event numbers."""
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=8, frameon=False)


def event_lines(ax, events: pd.DataFrame | None, lang: str = "vi") -> None:
    """Vertical lines at events (x = period number), numbered at the top and named in the legend: policies
    dashed in colour, methodology changes dotted in grey (the legend says which is which)."""
    if events is None:
        return
    for number, row in enumerate(events.itertuples(), start=1):
        method = row.kind == "methodology"
        color = "#7f8c8d" if method else PALETTE["published"]
        ax.axvline(row.x, color=color, linestyle=":" if method else "--", linewidth=1.2,
                   label=f"({number}) {row.name} — {label('event.' + row.kind, lang)}")
        ax.text(row.x, 1.01, f"({number})", transform=ax.get_xaxis_transform(), ha="center", va="bottom",
                fontsize=8, color=color)


def event_marks(events: pd.DataFrame, years: pd.Series, kind: str = "year") -> pd.DataFrame:
    """Events inside the periods shown (years, or month numbers with ``kind="month"``), placed just
    before the first period they could show in."""
    from analysis.analyses.policy import first_post_period

    first = [first_post_period(date, kind) for date in events["date"]]
    marks = pd.DataFrame({"x": [year - 0.5 for year in first], "kind": events["kind"], "name": events["name"]})
    return marks[(marks["x"] > years.min()) & (marks["x"] < years.max())]


def interrupted_series(lines: pd.DataFrame, lang: str = "vi", events: pd.DataFrame | None = None,
                       ylabel: str = "rate", share: bool = True, xlabel: str = "year"):
    """Observed values, the fitted segments and the counterfactual line with its 95% band
    (proportions drawn in percent when ``share``)."""
    set_style()
    lines = in_percent(lines, ("value", "fitted", "counterfactual", "cf_low", "cf_high"), share)
    fig, ax = plt.subplots()
    x = lines["x"]
    ax.fill_between(x, lines["cf_low"], lines["cf_high"], color="#999999", alpha=0.25)
    ax.plot(x, lines["counterfactual"], color="#666666", linestyle=":", label=label("legend.counterfactual", lang))
    ax.plot(x, lines["fitted"], color=PALETTE["estimate"], label=label("legend.fitted", lang))
    ax.scatter(x, lines["value"], color=PALETTE["estimate"], zorder=3, s=18, label=label("legend.observed_value", lang))
    event_lines(ax, events, lang)
    ax.set_ylabel(label(ylabel, lang))
    ax.set_xlabel(label(xlabel, lang))
    ax.set_title(label("policy.its_title", lang), pad=16)
    legend_below(ax)
    fig.tight_layout()
    return fig


def event_time_effects(table: pd.DataFrame, lang: str = "vi", share: bool = True):
    """Leads and lags of an event study with 95% intervals; event time -1 is the reference
    (differences of proportions drawn in points when ``share``)."""
    set_style()
    table = in_percent(table, ("estimate", "ci_low", "ci_high"), share)
    fig, ax = plt.subplots()
    est = table["estimate"]
    ax.errorbar(table["event_time"], est, yerr=error_bars(est, table["ci_low"], table["ci_high"]),
                fmt="o", color=PALETTE["estimate"], capsize=3)
    ax.axhline(0, color="#333333", linewidth=0.8)
    ax.axvline(-0.5, color=PALETTE["published"], linestyle="--", linewidth=1)
    ax.set_xlabel(label("event_time", lang))
    ax.set_ylabel(label("difference", lang))
    ax.set_title(label("title.event_study", lang))
    fig.tight_layout()
    return fig


def synthetic_twin(lines: pd.DataFrame, first_post: int, unit_name: str, lang: str = "vi", share: bool = True):
    """A synthetic control: the treated unit against its synthetic twin (proportions in percent when ``share``)."""
    set_style()
    lines = in_percent(lines, ("treated", "synthetic"), share)
    fig, ax = plt.subplots()
    ax.plot(lines["year"], lines["treated"], marker="o", color=PALETTE["estimate"], label=unit_name)
    ax.plot(lines["year"], lines["synthetic"], marker="s", linestyle="--", color="#666666",
            label=label("legend.synthetic", lang))
    ax.axvline(first_post - 0.5, color=PALETTE["published"], linestyle="--", linewidth=1)
    ax.set_ylabel(label("rate", lang))
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def synthetic_did_lines(lines: pd.DataFrame, unit_name: str | None, lang: str = "vi", share: bool = True):
    """Synthetic difference-in-differences, one panel per adoption date (``first_post_year``): the treated
    units' mean against their comparison line, with the time weights of the pre-policy periods as bars
    (values in percent when ``share``; a series in its own unit as it is)."""
    set_style()
    lines = in_percent(lines, ("treated", "synthetic"), share)
    cohorts = sorted(lines["first_post_year"].unique())
    fig, axes = plt.subplots(1, len(cohorts), sharey=True, squeeze=False,
                             figsize=(max(8.0, 4.0 * len(cohorts)), 4.2))
    for ax, first_post in zip(axes[0], cohorts, strict=True):
        cohort = lines[lines["first_post_year"] == first_post]
        weights = ax.twinx()
        weights.bar(cohort["year"], cohort["time_weight"], width=0.8, color=PALETTE["target"], alpha=0.35,
                    label=label("legend.time_weight", lang))
        weights.set_ylim(0, 3)  # the bars in the lower third, under the lines
        weights.set_yticks([])
        weights.grid(False)
        ax.set_zorder(weights.get_zorder() + 1)
        ax.patch.set_visible(False)
        ax.plot(cohort["year"], cohort["treated"], marker="o", color=PALETTE["estimate"],
                label=unit_name or label("legend.treated_mean", lang))
        ax.plot(cohort["year"], cohort["synthetic"], marker="s", linestyle="--", color="#666666",
                label=label("legend.synthetic_did", lang))
        ax.axvline(first_post - 0.5, color=PALETTE["published"], linestyle="--", linewidth=1)
        if len(cohorts) > 1:
            ax.set_title(f"{label('first_post_year', lang)}: {first_post}", fontsize=9)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        ax.set_xlabel(label("year", lang))
    axes[0][0].set_ylabel(label("rate" if share else "value", lang))
    handles = [h for a in (axes[0][0], weights) for h in a.get_legend_handles_labels()[0]]
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=8, frameon=False)
    fig.suptitle(label("title.synthetic_did", lang), fontweight="bold")
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    return fig


def trend_with_breaks(index: pd.DataFrame, found: pd.DataFrame, events: pd.DataFrame, lang: str = "vi",
                      share: bool = True):
    """The yearly series (``year, estimate`` and its ``ci_low, ci_high`` band when given; proportions drawn
    in percent when ``share``), each break's date interval shaded, and events marked."""
    set_style()
    index = in_percent(index, ("estimate", "ci_low", "ci_high"), share)
    fig, ax = plt.subplots()
    if {"ci_low", "ci_high"} <= set(index.columns):
        ax.fill_between(index["year"], index["ci_low"], index["ci_high"], color=PALETTE["band"], alpha=0.18,
                        label=label("legend.ci95", lang))
    ax.plot(index["year"], index["estimate"], marker="o", color=PALETTE["estimate"],
            label=label("legend.estimate", lang))
    for number, row in enumerate(found.itertuples()):
        ax.axvspan(row.first_low - 0.5, row.first_high - 0.5, color="#f1c40f", alpha=0.25,
                   label=label("legend.break_interval", lang) if number == 0 else None)
        ax.axvline(row.regime_from - 0.5, color="#b7950b", linewidth=2,
                   label=label("legend.break", lang) if number == 0 else None)
    event_lines(ax, event_marks(events, index["year"]), lang)
    ax.set_xlabel(label("year", lang))
    ax.set_ylabel(label("rate", lang))
    ax.set_title(label("trends.unknown", lang), pad=16)
    legend_below(ax)
    fig.tight_layout()
    return fig


def funnel(table: pd.DataFrame, lang: str = "vi"):
    """Each unit's index (``estimate``, a proportion) against its effective sample size ``n_eff``, with the
    survey's index (``target``) and the funnel's 95% and 99.8% control limits drawn from ``null_se`` (the
    standard error at the target) and ``tau2`` (:func:`analysis.analyses.integrity.unit_funnel`); flagged
    units named."""
    from analysis.analyses.integrity import FUNNEL_LEVELS

    set_style()
    shown = table.sort_values("n_eff")
    fig, ax = plt.subplots(figsize=(8, 4.6))
    size = np.linspace(shown["n_eff"].min() * 0.8, shown["n_eff"].max() * 1.1, 200)
    target, tau2 = float(shown["target"].iloc[0]), float(shown["tau2"].iloc[0])
    per_form = float((shown["null_se"] ** 2 * shown["n_eff"]).median())  # the pooled variance of one form
    for level, style in zip(FUNNEL_LEVELS, ("--", ":"), strict=True):
        half = 100 * stats.norm.ppf(0.5 + level / 2) * np.sqrt(per_form / size + tau2)
        ax.plot(size, 100 * target + half, style, color=PALETTE["target"],
                label=label(f"integrity.limit_{100 * level:g}", lang))
        ax.plot(size, 100 * target - half, style, color=PALETTE["target"])
    ax.axhline(100 * target, color=PALETTE["target"], linewidth=1, label=label("integrity.target", lang))
    flagged = (shown["flag"].isin(["high", "low"]) | shown["low_spread"].astype(bool)).to_numpy()
    ax.scatter(shown["n_eff"], 100 * shown["estimate"], zorder=3,
               color=np.where(flagged, PALETTE["published"], PALETTE["estimate"]))
    for row in shown[flagged].itertuples():
        ax.annotate(short_label(str(row.unit_name), lang, 24), (row.n_eff, 100 * row.estimate), fontsize=8,
                    xytext=(4, 4), textcoords="offset points")
    ax.set_xlabel(label("integrity.n_eff", lang))
    ax.set_ylabel(label("rate", lang))
    ax.set_title(label("integrity.funnel_title", lang))
    legend_below(ax)
    fig.tight_layout()
    return fig


def mode_gaps(table: pd.DataFrame, lang: str = "vi"):
    """Per unit, staff-handed forms minus another collector's (``difference``, ``ci_low``, ``ci_high``:
    proportions, drawn in points), one row per unit and pair, zero marked."""
    points = in_percent(table, ("difference", "ci_low", "ci_high"))
    points = points.assign(row=[f"{name} ({label('collector.' + second, lang).lower()})"
                                for name, second in zip(points["unit_name"], points["second_level"], strict=True)])
    fig = estimates_with_intervals(points[["row", "difference", "ci_low", "ci_high"]], "row", lang,
                                   "difference", value="difference")
    fig.axes[0].axvline(0, color=PALETTE["target"], linewidth=1)
    fig.axes[0].set_title(label("integrity.mode_title", lang))
    return fig
