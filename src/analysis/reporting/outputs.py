"""What a notebook calls to save and show its results: tables (CSV), figures (PNG), headings.

Tables are shown in the reader's language and number format; what is saved
is the plain table, so reruns compare byte for byte.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from analysis.reporting.labels import format_number, format_p_value, label, relabel_columns, value_label

YEAR_COLUMNS = {"year", "period", "previous", "regime_from", "first_low", "first_high", "cohort"}  # shown without 2.014
# Columns of whole numbers (counts, ranks, degrees of freedom, event times): shown without decimals, 12.104.
COUNT_COLUMNS = {"n", "n_min", "n_answers", "answered", "count", "comments", "others_n", "clusters", "df_num",
                 "df_den", "levels", "years", "years_used", "rank", "rank_low", "rank_high", "rank_ci_low",
                 "rank_ci_high", "event_time", "respondents", "n_missing", "n_treated", "n_comparison", "adopters",
                 "never_adopted", "agencies", "twfe_negative", "twfe_cells", "pretrend_df"}
WHOLE_PERCENT = {"probability"}  # a chance, in whole percent (12%) as the sentences say it
# shown to three decimals, "< 0,001" below
P_COLUMNS = {"p_value", "chow_p", "its_p_value", "change_p", "pretrend_p_value"}
# Columns whose values may be codes (a measure, a kind of term, PAPI's English names and events): shown by
# :func:`analysis.reporting.labels.value_label`, any other value as it is.
WORD_COLUMNS = ("measure", "kind", "name", "event")
# Columns that hold proportions (or differences of proportions) in the analyses' tables: saved as
# they are, shown in percent (or percentage points). A table of mean scores passes ``percent=()``.
SHARE_COLUMNS = ("estimate", "se", "ci_low", "ci_high", "difference", "published", "target", "gap", "projected",
                 "pi_low", "pi_high", "probability", "completeness", "shrunk", "shrunk_se", "prior_mean",
                 "previous_estimate", "first", "second", "satisfied", "satisfied_low", "satisfied_high",
                 "dissatisfied", "dissatisfied_low", "dissatisfied_high",
                 "share", "share_low", "share_high", "others_estimate", "gap_low", "gap_high", "compared_estimate",
                 "importance", "importance_low", "importance_high", "performance", "performance_low",
                 "performance_high", "mean_performance", "change", "change_low", "change_high",
                 "vs_all", "vs_all_low", "vs_all_high")


def shown_cells(table: pd.DataFrame, lang: str = "vi", digits: int = 2) -> pd.DataFrame:
    """``table`` as the text a reader sees, cell by cell (:func:`analysis.reporting.labels.format_number`):
    decimals the language's way (``85,71`` / ``85.71``) with thousands separators, one minus sign
    (``−``), no negative zero; counts (:data:`COUNT_COLUMNS`, whole-number columns) without decimals
    (``12.104``), probabilities in whole percent, p-values ``< 0,001`` below 0.001; the codes of
    :data:`WORD_COLUMNS` named; blanks for missing; text as it is."""
    def cell(value, column, whole: bool) -> str:
        if isinstance(value, str):
            return value_label(column, value, lang) if column in WORD_COLUMNS else value
        if value is None or pd.isna(value):
            return ""
        if column in P_COLUMNS:
            return format_p_value(float(value), lang)
        return format_number(value, lang, 0 if whole or isinstance(value, numbers.Integral) else digits)

    cells = {}
    for k, column in enumerate(table.columns):
        values = table.iloc[:, k]
        whole = column in COUNT_COLUMNS | WHOLE_PERCENT or pd.api.types.is_integer_dtype(values)
        cells[k] = [cell(value, column, whole) for value in values]
    return pd.DataFrame(cells, index=table.index).set_axis(table.columns, axis=1)


def estimate_without_interval(table: pd.DataFrame) -> pd.Series | None:
    """Rows with an estimate, not suppressed, and no interval: no variance information
    (:data:`analysis.analyses.indices.NOT_ESTIMABLE`); None for a table without an interval."""
    if not {"estimate", "ci_low", "ci_high"} <= set(table.columns):
        return None
    kept = ~table["suppressed"].fillna(True).astype(bool) if "suppressed" in table else True
    return table["estimate"].notna() & table["ci_low"].isna() & kept


def not_estimable(cells: pd.DataFrame, without: pd.Series | None, lang: str = "vi") -> pd.DataFrame:
    """The displayed ``cells`` with "không ước lượng được" in the interval of the rows ``without`` one, so a
    missing interval is never mistaken for a small group's blank."""
    if without is None:
        return cells
    return cells.assign(ci_low=cells["ci_low"].mask(without, label("not_estimable", lang)),
                        ci_high=cells["ci_high"].mask(without, ""))


class Outputs:
    """Where a notebook saves its tables (CSV) and figures (PNG), and how it shows them.

    >>> out = Outputs("/tmp/example-outputs", lang="en")  # doctest: +SKIP
    >>> out.table(frame, "index_by_year")                  # doctest: +SKIP
    """

    def __init__(self, output_dir: str | Path, lang: str = "vi") -> None:
        self.dir = Path(output_dir)
        self.lang = lang
        (self.dir / "tables").mkdir(parents=True, exist_ok=True)
        (self.dir / "figures").mkdir(parents=True, exist_ok=True)

    def table(self, table: pd.DataFrame, name: str, digits: int = 2, percent: Iterable[str] | None = None,
              words: Callable[[pd.DataFrame, str], pd.DataFrame] | None = None):
        """Save ``table`` as ``tables/<name>.csv`` (UTF-8 with BOM, for Excel); return it for display.

        The CSV keeps the analyses' scale (proportions) and codes. The display
        (``words(table, lang)``, the same table with its codes named, or ``table``) has the
        reader's labels and number format (:func:`shown_cells`), the ``percent`` columns
        (default: those of :data:`SHARE_COLUMNS` in the table) times 100, no row index and
        blanks for missing.
        """
        table.to_csv(self.dir / "tables" / f"{name}.csv", index=False, encoding="utf-8-sig",
                     lineterminator="\n", float_format="%.10g")
        shown = table if words is None else words(table, self.lang)
        years = [c for c in shown.columns if c in YEAR_COLUMNS or str(c).endswith("_year")]
        shown = shown.astype({c: str for c in years})  # no 2.014 for years
        scaled = [c for c in (SHARE_COLUMNS if percent is None else percent) if c in shown and c not in years]
        shown = shown.assign(**{c: 100 * pd.to_numeric(shown[c]) for c in scaled})
        without = estimate_without_interval(shown)
        if "suppressed" in shown and not shown["suppressed"].any():
            shown = shown.drop(columns="suppressed")  # the CSV keeps the flag; readers need it only when set
        for column in shown.select_dtypes("bool").columns:
            shown[column] = shown[column].map({True: label("yes", self.lang), False: label("no", self.lang)})
        if "note" in shown:
            shown["note"] = shown["note"].map(lambda code: label(code, self.lang) if isinstance(code, str) else "")
        shown = relabel_columns(not_estimable(shown_cells(shown, self.lang, digits), without, self.lang), self.lang)
        style = shown.style.set_uuid(name).hide(axis="index").format(escape="html")
        from IPython.display import HTML

        return HTML(style.to_html())  # a plain HTML output: no object address in the saved notebook

    def show(self, result, name: str, heading: str | None = None, figure: str | None = None) -> None:
        """Display a :class:`analysis.results.Result` under ``heading`` (a label key): its sentences, its
        table (``table()`` saved as ``tables/<name>.csv``, ``table(lang)`` shown; shares in percent unless
        the result's ``percent`` says otherwise) and its figure (``figures/<figure or name>.png``).

        Nothing is shown for None or a result whose ``empty`` is true (a finding that does not apply).
        """
        from IPython.display import Markdown, display

        if result is None or getattr(result, "empty", False):
            return
        if heading:
            display(self.heading(heading))
        for sentence in result.summary(self.lang):
            display(Markdown(sentence))
        saved = result.table()
        if len(saved.columns):
            display(self.table(saved, name, percent=getattr(result, "percent", None),
                               words=lambda _, lang: result.table(lang)))
        fig = result.plot(self.lang)
        if fig is not None:
            display(self.figure(fig, figure or name))

    def heading(self, key: str, level: int = 2):
        """A Markdown heading in the report's language, from the translation table."""
        from IPython.display import Markdown

        return Markdown(f"{'#' * level} {label(key, self.lang)}")

    def figure(self, fig, name: str):
        """Save ``fig`` as ``figures/<name>.png``, close it, and return the PNG for display.

        The figure's axes are given the report language's decimals first
        (:func:`analysis.reporting.plots.localise`), and the PNG its title as alt text
        (:func:`analysis.reporting.plots.describe`). Showing the saved bytes (not the live
        figure) makes the report's images the files on disk, whatever matplotlib backend the
        kernel has.
        """
        import matplotlib.pyplot as plt
        from IPython.display import Image

        from analysis.reporting.plots import describe, localise, save

        path = self.dir / "figures" / f"{name}.png"
        save(localise(fig, self.lang), path)
        alt = describe(fig, self.lang)
        plt.close(fig)
        return Image(data=path.read_bytes(), format="png", alt=alt)
