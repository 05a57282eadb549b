"""A monthly survey's interrupted time series runs by month, with month effects: a known jump is found.

The survey is drawn with a trend, a seasonal swing and a level change of +10 points from the policy's
first month; the section must recover the change, not confuse it with the season.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.sections import load, policy

MONTHS = [f"{y}-{m:02d}" for y in (2022, 2023, 2024) for m in range(1, 13)]
JUMP, START = 0.10, "2023-07"


def write_monthly(folder) -> None:
    rng = np.random.default_rng(11)
    rows = []
    for t, month in enumerate(MONTHS):
        p = 0.66 + 0.002 * t + 0.05 * np.sin(2 * np.pi * int(month[5:]) / 12) + (JUMP if month >= START else 0.0)
        for unit in ("K1", "K2", "K3"):
            for r in range(120):
                good = rng.random() < p  # both criteria rated alike: the respondent's index is 0 or 1
                answer = int(rng.choice([4, 5])) if good else int(rng.choice([1, 2, 3]))
                rows.append({"Số phiếu": f"{month}-{unit}-{r}", "Tháng": month, "Đơn vị": unit,
                             "Câu 1": answer, "Câu 2": answer, "Hài lòng chung": answer})
    pd.DataFrame(rows).to_csv(folder / "survey.csv", index=False)
    (folder / "units.csv").write_text("unit_id,unit_name,block,vertical\nK1,Phòng 1,Khối A,0\nK2,Phòng 2,Khối A,0\n"
                                      "K3,Kho bạc khu vực,Khối B,1\n", encoding="utf-8")
    (folder / "events.csv").write_text(f"date,kind,applies_to,name\n{START}-01,policy,Khối A,Một cửa điện tử\n",
                                       encoding="utf-8")
    (folder / "mapping.yaml").write_text(
        "title: Kho bạc theo tháng\nanswers: survey.csv\nunits: units.csv\nevents: events.csv\ncolumns:\n"
        "  respondent_id: Số phiếu\n  period: Tháng\n  unit_id: Đơn vị\nitems:\n  staff.1: Câu 1\n  result.1: Câu 2\n"
        "  overall: Hài lòng chung\n", encoding="utf-8")


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    folder = tmp_path_factory.mktemp("monthly")
    write_monthly(folder)
    survey = load(folder / "mapping.yaml")
    return policy.setup(survey, survey, min_cell=10)


def test_the_monthly_survey_is_analysed_by_month_from_the_policys_first_month(setup):
    assert setup.monthly is not None and list(setup.monthly["period"]) == MONTHS
    assert setup.monthly_policies == {"Một cửa điện tử": 2023 * 12 + 6}


def test_the_level_change_is_recovered_beside_the_season(setup):
    fitted = policy.its(setup)
    level = fitted.effects.set_index("term").loc["level"]
    assert level["ci_low"] < JUMP < level["ci_high"] and level["p_value"] < 0.01
    assert list(fitted.lines["period"]) == MONTHS
    assert fitted.plot("vi") is not None
