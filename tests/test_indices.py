"""Rates and intervals against known truths: Wilson's formula, the textbook SE of a mean, hand sums."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.cube import build_cube, respondent_scores
from analysis.indices import item_rates, weighted_index


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
    table = item_rates(build_cube(long_answers({"staff.1": answers})), by=["item"])
    row = table.iloc[0]
    assert (row["n"], row["satisfied"]) == (100, 77)
    low, high = wilson(77, 100)
    assert row["ci_low"] == pytest.approx(low, abs=1e-12)
    assert row["ci_high"] == pytest.approx(high, abs=1e-12)


def test_respondent_score_averages_components_not_items():
    # r0: access 1/1 satisfied, staff 1/3 satisfied -> (1 + 1/3) / 2
    answers = long_answers({"access.1": [5], "staff.1": [4], "staff.2": [2], "staff.3": [1], "overall": [1]})
    scores = respondent_scores(answers)
    assert scores.loc[0, "score"] == pytest.approx((1 + 1 / 3) / 2)


def test_unweighted_index_interval_is_the_textbook_standard_error_of_a_mean():
    rng = np.random.default_rng(7)
    values = rng.integers(1, 6, size=(200, 3))
    answers = long_answers({f"staff.{k + 1}": values[:, k].tolist() for k in range(3)})
    scores = respondent_scores(answers)
    row = weighted_index(scores, by=["year"]).iloc[0]
    assert row["rate"] == pytest.approx(scores["score"].mean(), abs=1e-12)
    assert row["se"] == pytest.approx(stats.sem(scores["score"]), rel=1e-10)


def test_weighted_stratified_variance_matches_the_hand_computed_linearisation():
    """Ratio mean with strata: V = sum_h n_h/(n_h-1) sum_j (z_hj - zbar_h)^2, z = w (y - R) / W."""
    rng = np.random.default_rng(11)
    n = 120
    weights = rng.uniform(1, 5, n)
    strata = np.repeat(["a", "b", "c"], n // 3)
    answers = long_answers({"result.1": rng.integers(1, 6, n).tolist()}, weight=weights, stratum_label=strata)
    answers["stratum"] = answers["stratum_label"]
    scores = respondent_scores(answers)
    row = weighted_index(scores, by=["year"]).iloc[0]
    y, w = scores["score"].to_numpy(), scores["weight"].to_numpy()
    ratio = np.sum(w * y) / np.sum(w)
    z = w * (y - ratio) / np.sum(w)
    variance = sum(len(zh) / (len(zh) - 1) * np.sum((zh - zh.mean()) ** 2)
                   for zh in (z[scores["stratum"].to_numpy() == s] for s in "abc"))
    assert row["rate"] == pytest.approx(ratio, abs=1e-12)
    assert row["se"] == pytest.approx(np.sqrt(variance), rel=1e-10)


def test_domain_estimates_keep_the_whole_design():
    """A domain's variance counts PSUs outside the domain with a zero total (as svyby does)."""
    rng = np.random.default_rng(3)
    n = 90
    answers = long_answers({"access.1": rng.integers(1, 6, n).tolist()},
                           channel=np.where(np.arange(n) % 3 == 0, "online", "direct"))
    scores = respondent_scores(answers)
    table = weighted_index(scores, by=["channel"]).set_index("channel")
    y = scores["score"].to_numpy()
    in_domain = (scores["channel"] == "online").to_numpy()
    ratio = y[in_domain].mean()
    z = np.where(in_domain, (y - ratio) / in_domain.sum(), 0.0)
    expected = np.sqrt(n / (n - 1) * np.sum((z - z.mean()) ** 2))
    assert table.loc["online", "se"] == pytest.approx(expected, rel=1e-10)
