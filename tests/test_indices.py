"""Rates and intervals against known truths: Wilson's formula, the textbook SE of a mean (R: test_indices_vs_r)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.analyses.indices import difference, estimate, suppress
from analysis.cube.memory import build_cube, respondent_scores


def long_answers(answers: dict[str, list], weight=None, **columns) -> pd.DataFrame:
    """Long answers of respondents r0, r1, ... for the given items."""
    n = len(next(iter(answers.values())))
    frames = []
    for item, values in answers.items():
        frames.append(pd.DataFrame({
            "respondent_id": [f"r{i}" for i in range(n)], "period": "2023", "year": 2023, "unit_id": "A",
            "channel": "direct", "group": "citizen", "item": item, "component": item.split(".")[0],
            "answer": pd.array(values, dtype="Int8"),
            "weight": 1.0 if weight is None else weight, "stratum": "", "psu": [f"r{i}" for i in range(n)],
            **columns,
        }))
    return pd.concat(frames, ignore_index=True)


def wilson(successes: int, n: int, z: float = stats.norm.ppf(0.975)) -> tuple[float, float]:
    """Wilson's score interval written out from its formula."""
    p = successes / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    return centre - half, centre + half


def test_item_rate_interval_is_wilsons():
    answers = [5] * 37 + [4] * 40 + [3] * 10 + [2] * 8 + [1] * 5 + [None] * 6
    table = estimate(build_cube(long_answers({"staff.1": answers})), ["item"], weighted=False)
    row = table.iloc[0]
    assert (row["n"], row["estimate"], row["method"]) == (100, 0.77, "wilson")
    low, high = wilson(77, 100)
    assert row["ci_low"] == pytest.approx(low, abs=1e-12)
    assert row["ci_high"] == pytest.approx(high, abs=1e-12)


def test_respondent_score_averages_components_not_items():
    # r0: access 1/1 satisfied, staff 1/3 satisfied -> (1 + 1/3) / 2
    answers = long_answers({"access.1": [5], "staff.1": [4], "staff.2": [2], "staff.3": [1], "overall": [1]})
    scores = respondent_scores(answers)
    assert scores.loc[0, "score"] == pytest.approx((1 + 1 / 3) / 2)
    assert scores.loc[0, "mean:staff"] == pytest.approx(7 / 3)
    assert scores.loc[0, "dissatisfied:index"] == pytest.approx((0 + 2 / 3) / 2)


def test_unweighted_index_interval_is_the_textbook_standard_error_of_a_mean():
    rng = np.random.default_rng(7)
    values = rng.integers(1, 6, size=(200, 3))
    answers = long_answers({f"staff.{k + 1}": values[:, k].tolist() for k in range(3)})
    scores = respondent_scores(answers)
    row = estimate(build_cube(answers), ["year"], weighted=False).iloc[0]
    assert row["estimate"] == pytest.approx(scores["score"].mean(), abs=1e-12)
    assert row["se"] == pytest.approx(stats.sem(scores["score"]), rel=1e-10)


def test_a_comparison_is_suppressed_by_its_smaller_side():
    """12 direct and 4 online respondents: the gap's n is 16, but its smaller side (n_min = 4) decides."""
    answers = long_answers({"a.1": [5, 4, 4, 2, 5, 4, 3, 5, 4, 4, 5, 1, 4, 2, 5, 3]},
                           channel=["direct"] * 12 + ["online"] * 4)
    gap = difference(build_cube(answers), [], "channel", "direct", "online")
    assert gap.loc[0, "n"] == 16 and gap.loc[0, "n_min"] == 4
    assert suppress(gap, 10, "n_min").loc[0, ["direct", "online", "difference", "ci_low", "n_min"]].isna().all()
    assert not suppress(gap, 4, "n_min").loc[0, "suppressed"]


def test_suppression_keeps_the_years_a_row_compares():
    table = pd.DataFrame({"year": [2018], "previous": [2017], "n_min": [4], "difference": [0.05]})
    shown = suppress(table, 10, "n_min")
    assert shown.loc[0, ["year", "previous"]].tolist() == [2018, 2017] and pd.isna(shown.loc[0, "difference"])


def test_suppression_blanks_small_groups_and_keeps_large_ones():
    table = pd.DataFrame({"unit_id": ["A", "B"], "n": [9, 10], "estimate": [0.9, 0.8], "ci_low": [0.5, 0.6]})
    shown = suppress(table, min_cell=10)
    assert shown["suppressed"].tolist() == [True, False]
    assert shown.loc[0, ["n", "estimate", "ci_low"]].isna().all()
    assert shown.loc[1, "estimate"] == 0.8 and shown.loc[1, "n"] == 10
