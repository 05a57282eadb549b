"""Section 05, key drivers: the calls notebook 05 makes; the executive summary calls :func:`headline`.

:func:`headline` gives the year's relative importance (LMG and Johnson's
weights with bootstrap intervals) and its importance-performance matrix, or
says that the year has too few respondents; :func:`models` the driver models;
:func:`compare_segments` whether the drivers differ between segments.  Shares
are proportions; :func:`for_readers` names the codes of a table for display.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.analyses import drivers
from analysis.analyses.drivers import DriverData, Importance, ImportancePerformance
from analysis.data.schema import OVERALL_ITEM, Survey, component_of
from analysis.reporting import narrative
from analysis.reporting.labels import label, relabel_values

SEED = 20231231  # the report's default seed
CODE_COLUMNS = ("driver", "metric", "model", "quadrant", "segment")  # codes named for readers


@dataclass(frozen=True)
class DriversHeadline:
    """The year's key drivers: relative importance and importance-performance, or too few respondents.

    ``data`` holds the year's respondents who answered every driver (its
    ``dropped`` counts the year's respondents left out); ``importance`` and
    ``ipa`` are None when they are too few for the models (all three None: no overall item, or a
    single criterion to explain it by).
    """

    year: int
    data: DriverData | None  # None: nothing to analyse (``reason`` says why)
    importance: Importance | None
    ipa: ImportancePerformance | None
    reason: str = ""  # when data is None: "drivers_no_overall" (no overall item) or "drivers_one" (one driver)

    def table(self, lang: str | None = None) -> pd.DataFrame:
        """The relative importance of the drivers (empty when too few respondents)."""
        return self.importance.table() if self.importance is not None else pd.DataFrame()

    def summary(self, lang: str = "vi") -> list[str]:
        """The drivers sentence (R², the two most important, respondents left out) and the IPA sentence."""
        if self.data is None:
            return [narrative.say(self.reason, lang)]
        if self.importance is None or self.ipa is None:
            return [narrative.say("drivers_too_few", lang, n=len(self.data), year=self.year)]
        return [*self.importance.summary(lang), *self.ipa.summary(lang)]

    def plot(self, lang: str = "vi"):
        """The drivers' shares of the explained variation, or None."""
        return self.importance.plot(lang) if self.importance is not None else None


def headline(survey: Survey, year: int, *, min_cell: int = 10, seed: int = SEED, replicates: int = 1000
             ) -> DriversHeadline:
    """Relative importance of the components in ``year``, with its importance-performance matrix.

    Parameters
    ----------
    survey : restricted to the scope (:func:`analysis.sections.survey_in_scope`).
    min_cell, seed, replicates : as notebook 05's parameters.
    """
    items = set(survey.cube().answers["item"])  # the cube's small table, not another pass over the answers
    if OVERALL_ITEM not in items:
        return DriversHeadline(year, None, None, None, "drivers_no_overall")
    present = [c for c in survey.components if any(component_of(item) == c for item in items)]
    data = drivers.driver_data(survey.grid(), survey.units, level="component" if len(present) > 1 else "item",
                               year=year, components=survey.components)
    if len(data.drivers) < 2:
        return DriversHeadline(year, None, None, None, "drivers_one")
    if not drivers.enough_respondents(data, min_cell):
        return DriversHeadline(year, data, None, None)
    importance = drivers.relative_importance(data, replicates=replicates, seed=seed)
    ipa = drivers.importance_performance(importance, survey.cube(), year=year)
    return DriversHeadline(year, data, importance, ipa)


def models(data: DriverData, *, seed: int = SEED) -> pd.DataFrame:
    """The linear model (HC3) and the ordered logit of the overall answer, one table with ``model``."""
    return pd.concat([drivers.linear_model(data).assign(model="ols"),
                      drivers.ordered_logit(data, seed=seed).assign(model="ordered_logit")], ignore_index=True)


@dataclass(frozen=True)
class SegmentComparison:
    """Do the drivers differ between the levels of ``segment``?

    ``left_out``: levels with fewer than ``min_cell`` respondents, not compared.
    ``test``: :func:`analysis.analyses.drivers.drivers_differ` on the others, and
    ``importance`` their relative importance by segment; both None when fewer
    than two levels are left.
    """

    segment: str
    left_out: tuple[str, ...]
    test: pd.DataFrame | None
    importance: Importance | None

    def table(self, lang: str | None = None) -> pd.DataFrame:
        """Each segment's LMG shares and ranks."""
        if self.importance is None:
            return pd.DataFrame(columns=[self.segment, "driver", "share", "share_low", "share_high", "rank"])
        return self.importance.lmg()[[self.segment, "driver", "share", "share_low", "share_high", "rank"]]

    def summary(self, lang: str = "vi") -> list[str]:
        """Which levels were left out, and the joint test's verdict."""
        lines = [narrative.segments_left_out_sentence(list(self.left_out), lang)] if self.left_out else []
        if self.test is None:
            return [*lines, narrative.say("segments_one", lang, segment=label(self.segment, lang).lower())]
        return [*lines, narrative.differ_sentence(self.test, lang)]

    def plot(self, lang: str = "vi"):
        return None


def compare_segments(data: DriverData, segment: str, *, min_cell: int = 10, seed: int = SEED,
                     replicates: int = 1000) -> SegmentComparison:
    """The drivers by ``segment`` (channel, group, block, year) among the levels with at least ``min_cell``
    respondents: the Wald test of equal effects and each level's relative importance."""
    rows = data.rows
    sizes = rows[segment].value_counts()
    left_out = tuple(sorted(map(str, sizes[sizes < min_cell].index)))
    kept = rows[rows[segment].isin(sizes[sizes >= min_cell].index)]
    if kept[segment].nunique() < 2:
        return SegmentComparison(segment, left_out, None, None)
    chosen = list(data.drivers)
    return SegmentComparison(segment, left_out, drivers.drivers_differ(kept, segment, drivers=chosen),
                             drivers.relative_importance(kept, by=[segment], drivers=chosen, replicates=replicates,
                                                         seed=seed))


def for_readers(table: pd.DataFrame, lang: str = "vi", *columns: str) -> pd.DataFrame:
    """``table`` with the codes of :data:`CODE_COLUMNS` (and ``columns``) named in ``lang``."""
    return relabel_values(table, *(c for c in (*CODE_COLUMNS, *columns) if c in table), lang=lang)
