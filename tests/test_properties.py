"""Property-based tests (hypothesis): the loaders, the cube and the indices on inputs that try to break them.

Small random long-form surveys (several periods, units, channels, groups,
strata, clusters, weights, unanswered items, ids reused across periods) must
give a cube whose totals add up, shares in [0, 1] with intervals around them,
unweighted item shares equal to the counts' ratio, totals that add up over
groups, a zero difference between a group and itself, and suppression that
blanks every small row.  Any table of valid answers written as CSV (UTF-8,
UTF-8 with BOM, Windows-1258) or XLSX loads back to the same answers.

Examples are few (``max_examples`` 50, no deadline) so the module runs in
about 25 seconds; hypothesis shrinks any failure to a minimal survey and prints it.
The heavier properties are marked ``slow``: ``make test-fast`` keeps one property
each of the cube, the estimates, the loaders and suppression, ``make test`` runs all.
"""

from __future__ import annotations

import tempfile
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_load import (
    ACCESS,
    COMMENT,
    ID,
    ITEM_HEADERS,
    OVERALL,
    PERIOD,
    PERSONAL_HEADERS,
    ROLE_HEADERS,
    STAFF,
    UNIT,
    WEIGHT,
    write_survey,
)

from analysis.analyses.indices import difference, estimate, suppress
from analysis.cube.memory import build_cube
from analysis.data.load import load_survey
from analysis.data.privacy import scrub
from analysis.data.schema import OVERALL_ITEM
from analysis.reporting.labels import ANSWER_LABELS

TOL = 1e-12
# Same examples on every run (derandomize), nothing stored under .hypothesis/ (database=None): a failure
# prints the minimal example and a @reproduce_failure blob to replay it.
PROPERTIES = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                      derandomize=True, database=None, print_blob=True)
LOADS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                 derandomize=True, database=None, print_blob=True)

ITEMS = ["access.1", "access.2", "procedure.1", "staff.1", "staff.2", "result.1", "feedback.1", OVERALL_ITEM]
PERIODS = ["2021", "2022", "2023"]


# --------------------------------------------------------------------------- random surveys


@st.composite
def surveys(draw, min_people: int = 1, max_people: int = 24) -> pd.DataFrame:
    """Long answers (one row per respondent x item) of a small random survey.

    Respondent attributes are constant over a respondent's rows; PSUs are
    nested in strata; ids may come back in another period; weights are
    positive floats, integers or absent; answers are 1-5 or missing.
    """
    people = draw(st.integers(min_people, max_people))
    items = draw(st.lists(st.sampled_from(ITEMS), min_size=1, max_size=len(ITEMS), unique=True))
    periods = draw(st.lists(st.sampled_from(PERIODS), min_size=1, max_size=3, unique=True))
    weights = draw(st.sampled_from(["float", "integer", "none"]))
    clustered = draw(st.booleans())
    reuse_ids = draw(st.booleans())
    answer = st.one_of(st.none(), st.integers(1, 5))
    person = st.fixed_dictionaries({
        "period": st.sampled_from(periods),
        "unit_id": st.sampled_from(["A", "B", "C"]),
        "channel": st.sampled_from(["direct", "online"]),
        "group": st.sampled_from(["citizen", "business"]),
        "stratum": st.sampled_from(["s1", "s2"]),
        "cluster": st.integers(0, 2),
        "weight": (st.floats(0.1, 50, allow_nan=False, allow_infinity=False) if weights == "float"
                   else st.integers(1, 9)),
        "answers": st.lists(answer, min_size=len(items), max_size=len(items)),
    })
    drawn = draw(st.lists(person, min_size=people, max_size=people))
    rows, seen = [], {}
    for k, p in enumerate(drawn):
        number = seen.setdefault(p["period"], 0) if reuse_ids else k
        seen[p["period"]] = seen.get(p["period"], 0) + 1
        rid = f"r{number}"
        psu = f"{p['stratum']}-c{p['cluster']}" if clustered else rid
        for item, value in zip(items, p["answers"], strict=True):
            rows.append({"respondent_id": rid, "period": p["period"], "year": int(p["period"]),
                         "unit_id": p["unit_id"], "channel": p["channel"], "group": p["group"], "item": item,
                         "component": item.split(".")[0], "answer": value, "weight": p["weight"],
                         "stratum": p["stratum"], "psu": psu})
    frame = pd.DataFrame(rows)
    frame["answer"] = pd.array(frame["answer"].tolist(), dtype="Int8")
    if weights == "none":
        frame = frame.drop(columns="weight")
    return frame


def weights_of(responses: pd.DataFrame) -> pd.Series:
    return responses["weight"].astype(float) if "weight" in responses else pd.Series(1.0, index=responses.index)


def answered_people(responses: pd.DataFrame) -> pd.DataFrame:
    """Per respondent: satisfied index score (NaN when no criterion answered) and weight, by hand."""
    data = responses.assign(_w=weights_of(responses))
    criteria = data[(data["item"] != OVERALL_ITEM) & data["answer"].notna()]
    satisfied = (criteria["answer"].astype(int) >= 4).astype(float)
    by_component = satisfied.groupby([criteria["period"], criteria["respondent_id"], criteria["component"]]).mean()
    score = by_component.groupby(level=[0, 1]).mean().rename("score")
    first = data.drop_duplicates(["period", "respondent_id"]).set_index(["period", "respondent_id"])
    return first[["year", "unit_id", "channel", "group", "_w"]].join(score).reset_index()


BYS = [[], ["year"], ["unit_id"], ["channel", "group"], ["period", "unit_id"], ["item"], ["unit_id", "item"],
       ["component"], ["year", "component"]]


# --------------------------------------------------------------------------- the cube


@PROPERTIES
@given(surveys())
def test_cube_totals_add_up(responses):
    cube = build_cube(responses)
    answers = cube.answers
    w = weights_of(responses)
    assert answers["n"].sum() == len(responses)  # every row counted once, unanswered ones too
    assert answers["w"].sum() == pytest.approx(w.sum(), rel=1e-12)
    assert answers["w2"].sum() == pytest.approx((w ** 2).sum(), rel=1e-12)
    counted = answers.assign(answer=answers["answer"].astype("Int64").fillna(0))
    expected = responses.assign(answer=responses["answer"].astype("Int64").fillna(0)).groupby(
        ["item", "answer"]).size()
    got = counted.groupby(["item", "answer"])["n"].sum()
    pd.testing.assert_series_equal(got, expected, check_names=False, check_dtype=False)
    people = answered_people(responses)
    scored = people["score"].notna()
    assert cube.scores["satisfied:index|n"].sum() == scored.sum()
    assert cube.scores["satisfied:index|w"].sum() == pytest.approx(people.loc[scored, "_w"].sum(), rel=1e-12)
    assert cube.scores["satisfied:index|wy"].sum() == pytest.approx(
        (people["_w"] * people["score"]).sum(), rel=1e-9, abs=1e-12)
    assert cube.psus.sum() >= 1


# --------------------------------------------------------------------------- the indices


@PROPERTIES
@given(surveys(), st.sampled_from(BYS), st.sampled_from(["satisfied", "dissatisfied", "mean"]), st.booleans())
def test_estimates_are_in_range_and_inside_their_interval(responses, by, measure, weighted):
    table = estimate(build_cube(responses), by, measure, weighted)
    shown = table[table["n"].fillna(0) > 0]
    low, high = (0.0, 1.0) if measure != "mean" else (1.0, 5.0)
    value, ci_low, ci_high = (shown[c].astype(float) for c in ("estimate", "ci_low", "ci_high"))
    assert value.notna().all(), shown
    assert ((value >= low - TOL) & (value <= high + TOL)).all(), shown
    # no interval where there is no variance information (df < 1, a share of 0 or 1), and its reason
    estimable = ~shown["method"].str.startswith("not estimable")
    assert ci_low[~estimable].isna().all() and ci_high[~estimable].isna().all(), shown
    value, ci_low, ci_high = value[estimable], ci_low[estimable], ci_high[estimable]
    assert (ci_low <= value + TOL).all() and (value <= ci_high + TOL).all(), shown
    se = shown["se"].astype(float)
    assert (se.isna() == (shown["df"] < 1)).all() and (se.dropna() >= 0).all(), shown
    if measure != "mean":
        assert ((ci_low >= -TOL) & (ci_high <= 1 + TOL)).all(), shown
    # rows without data show no estimate
    empty = table[table["n"].fillna(0) == 0]
    assert empty["estimate"].isna().all(), empty


@pytest.mark.slow
@PROPERTIES
@given(surveys(), st.sampled_from([["item"], ["unit_id", "item"], ["year", "channel", "item"]]),
       st.sampled_from(["satisfied", "dissatisfied"]))
def test_unweighted_item_shares_are_the_ratio_of_counts(responses, by, measure):
    table = estimate(build_cube(responses), by, measure, weighted=False)
    answered = responses[responses["answer"].notna()]
    hit = answered["answer"].astype(int) >= 4 if measure == "satisfied" else answered["answer"].astype(int) <= 2
    counts = answered.assign(hit=hit).groupby(by).agg(n=("hit", "size"), hits=("hit", "sum")).reset_index()
    merged = table.merge(counts, on=by, how="outer", suffixes=("", "_expected"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged
    assert (merged["n"] == merged["n_expected"]).all()
    assert np.allclose(merged["estimate"], merged["hits"] / merged["n_expected"], rtol=0, atol=TOL)
    assert (merged["method"] == "wilson").all()


@pytest.mark.slow  # the two heaviest properties (several estimates per example): make test runs them
@PROPERTIES
@given(surveys(), st.booleans())
def test_totals_add_up_over_groups(responses, weighted):
    """The index of the whole is the weight-weighted mean of the groups' indices; n adds up."""
    cube = build_cube(responses)
    people = answered_people(responses).dropna(subset=["score"])
    assume(len(people) > 0)
    if not weighted:
        people["_w"] = 1.0
    whole = estimate(cube, [], weighted=weighted)
    by_unit = estimate(cube, ["unit_id"], weighted=weighted).set_index("unit_id")
    assert whole["n"].iloc[0] == len(people) == by_unit["n"].sum()
    unit_weight = people.groupby("unit_id")["_w"].sum()
    pooled = (by_unit["estimate"] * unit_weight).sum() / unit_weight.sum()
    assert whole["estimate"].iloc[0] == pytest.approx(pooled, abs=1e-12)
    reference = (people["_w"] * people["score"]).sum() / people["_w"].sum()
    assert whole["estimate"].iloc[0] == pytest.approx(reference, abs=1e-12)
    by_item = estimate(cube, ["item"], weighted=weighted)
    assert by_item["n"].sum() == responses["answer"].notna().sum()


@pytest.mark.slow
@PROPERTIES
@given(surveys(min_people=2), st.sampled_from([[], ["year"], ["unit_id"]]), st.sampled_from(["channel", "group"]),
       st.sampled_from(["satisfied", "mean"]), st.booleans())
def test_difference_of_a_group_with_itself_is_zero(responses, by, column, measure, weighted):
    answered = responses[(responses["item"] != OVERALL_ITEM) & responses["answer"].notna()]
    assume(len(answered) > 0)
    cube = build_cube(responses)
    level = answered[column].iloc[0]
    table = difference(cube, by, column, level, level, measure, weighted)
    assert len(table) > 0
    assert list(table.columns[len(by):len(by) + 3]) == [level, level, "difference"]
    table = table.dropna(subset=[level])  # groups where nobody answered have no estimate
    assert np.allclose(table["difference"].astype(float), 0.0, atol=TOL), table
    assert table[["se", "ci_low", "ci_high", "p_value"]].isna().all().all(), table  # SE 0: no test


@pytest.mark.slow
@PROPERTIES
@given(surveys(), st.sampled_from([[], ["year"]]), st.booleans())
def test_difference_between_identical_copies_is_zero(responses, by, weighted):
    """Every respondent answered once as 'direct' and once, identically, as 'online': no gap."""
    direct = responses.assign(channel="direct")
    online = responses.assign(channel="online", respondent_id="copy-" + responses["respondent_id"],
                              psu="copy-" + responses["psu"])
    both = pd.concat([direct, online], ignore_index=True)
    assume(both.loc[both["item"] != OVERALL_ITEM, "answer"].notna().any())
    table = difference(build_cube(both), by, "channel", "direct", "online", weighted=weighted).dropna(
        subset=["direct"])
    assert np.allclose(table["difference"], 0.0, atol=1e-12), table
    assert np.allclose(table["direct"], table["online"], atol=1e-12)
    tested = table["se"].notna()  # an SE zero to rounding (every answer equal): no test
    assert (table.loc[tested, "ci_low"] <= TOL).all() and (table.loc[tested, "ci_high"] >= -TOL).all()


# --------------------------------------------------------------------------- suppression


@st.composite
def result_tables(draw) -> pd.DataFrame:
    rows = draw(st.integers(0, 15))
    n = draw(st.lists(st.integers(0, 40), min_size=rows, max_size=rows))
    value = st.floats(0, 1, allow_nan=False)
    return pd.DataFrame({
        "year": draw(st.lists(st.sampled_from([2021, 2022, 2023]), min_size=rows, max_size=rows)),
        "unit_id": [f"U{k}" for k in range(rows)],
        "n": pd.array(n, dtype="int64"),
        "estimate": draw(st.lists(value, min_size=rows, max_size=rows)),
        "se": draw(st.lists(value, min_size=rows, max_size=rows)),
        "ci_low": draw(st.lists(value, min_size=rows, max_size=rows)),
        "ci_high": draw(st.lists(value, min_size=rows, max_size=rows)),
        "count": draw(st.lists(st.integers(0, 40), min_size=rows, max_size=rows)),
        "method": "wilson",
    })


def assert_suppressed(before: pd.DataFrame, after: pd.DataFrame, min_cell: int, n_column: str = "n") -> None:
    small = (before[n_column].astype(float) < min_cell).to_numpy()
    assert after["suppressed"].tolist() == small.tolist()
    numbers = [c for c in before.select_dtypes("number").columns if c != "year"]
    assert n_column in numbers
    for column in numbers:
        assert after.loc[small, column].isna().all(), (column, after[small])
        kept = after.loc[~small, column].astype(float).to_numpy()
        assert np.array_equal(kept, before.loc[~small, column].astype(float).to_numpy(), equal_nan=True), column
    for column in before.columns.difference(numbers):
        assert after[column].tolist() == before[column].tolist(), column  # labels and year stay


@PROPERTIES
@given(result_tables(), st.integers(1, 30))
def test_suppression_blanks_every_small_row(table, min_cell):
    original = table.copy()
    shown = suppress(table, min_cell)
    pd.testing.assert_frame_equal(table, original)  # the input is not changed
    assert_suppressed(original, shown, min_cell)
    # suppressing again (or with a larger minimum) never brings a blanked row back
    again = suppress(shown, min_cell)
    assert again["suppressed"].tolist() == shown["suppressed"].tolist()
    pd.testing.assert_frame_equal(again, shown)
    stricter = suppress(shown, min_cell + 5)
    assert (stricter["suppressed"] >= shown["suppressed"]).all()
    assert stricter.loc[stricter["suppressed"], ["n", "estimate", "ci_low", "ci_high"]].isna().all().all()


@pytest.mark.slow
@PROPERTIES
@given(surveys(), st.sampled_from(BYS), st.integers(1, 12), st.booleans())
def test_suppressed_estimates_reveal_no_small_cell(responses, by, min_cell, weighted):
    table = estimate(build_cube(responses), by, weighted=weighted)
    shown = suppress(table, min_cell)
    assert_suppressed(table, shown, min_cell)
    small = shown["suppressed"].to_numpy(dtype=bool)
    assert shown.loc[small, ["n", "estimate", "se", "ci_low", "ci_high", "df"]].isna().all().all()


# --------------------------------------------------------------------------- the loader

ANSWER_CELLS = {  # cell text -> answer (None: no answer)
    **{str(k): k for k in range(1, 6)}, "4.0": 4, " 3 ": 3,
    "": None, "không ý kiến": None, "Không ý kiến": None,
    **{ANSWER_LABELS[k]["vi"]: k for k in ANSWER_LABELS},
    **{ANSWER_LABELS[k]["vi"].upper(): k for k in ANSWER_LABELS},
}
UNIT_CELLS = {"STP": "STP", "stp": "STP", "Sở Tư pháp": "STP", "UBND-XL": "UBND-XL",
              "Ủy ban nhân dân huyện Xuân Lộc": "UBND-XL", "BHXH": "BHXH",
              "BẢO HIỂM XÃ HỘI TỈNH": "BHXH"}
CHANNEL_CELLS = {"Trực tuyến": "online", "Trực tiếp": "direct", "trực tiếp": "direct", "online": "online"}
GROUP_CELLS = {"Người dân": "citizen", "Doanh nghiệp": "business", "doanh nghiệp": "business"}
WEIGHT_CELLS = {"1": 1.0, "1.5": 1.5, "0,75": 0.75, "2": 2.0, "12.125": 12.125, "": 1.0}
PERIOD_CELLS = [("2023", "2023"), ("2023-07", "2023-07"), ("7/2023", "2023-07"), ("2023-R1", "2023-R1")]
LETTERS = ("aăâbcdđeêghiklmnoôơpqrstuưvxy"
           "àảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ")
TEXT_LIKE_MISSING = st.sampled_from(["NA", "N/A", "None", "null", "NaN", "nan"])  # pandas' default NA words
COMMENT_TEXT = st.one_of(st.text(alphabet=LETTERS + LETTERS.upper() + "  ,.;:!?()'\"\n-", max_size=40),
                         TEXT_LIKE_MISSING)
NAME_TEXT = st.text(alphabet=LETTERS + LETTERS.upper() + " ", min_size=1, max_size=20)


@st.composite
def survey_tables(draw) -> tuple[list[dict[str, str]], dict[str, dict]]:
    """Survey rows (header -> cell text) and what each respondent must load to."""
    people = draw(st.integers(1, 8))
    ids = draw(st.lists(st.one_of(st.from_regex(r"P-[0-9]{1,4}", fullmatch=True),
                                  st.from_regex(r"0[0-9]{2,6}", fullmatch=True),
                                  st.from_regex(r"[1-9][0-9]{0,5}", fullmatch=True), TEXT_LIKE_MISSING),
                        min_size=people, max_size=people, unique=True))
    period_cell, period = draw(st.sampled_from(PERIOD_CELLS))
    rows, expected = [], {}
    for rid in ids:
        unit, channel, group, weight = (draw(st.sampled_from(sorted(cells))) for cells in
                                        (UNIT_CELLS, CHANNEL_CELLS, GROUP_CELLS, WEIGHT_CELLS))
        answers = [draw(st.sampled_from(sorted(ANSWER_CELLS))) for _ in ITEM_HEADERS]
        comment = draw(COMMENT_TEXT)
        row = {ID: rid, PERIOD: period_cell, UNIT: unit, ROLE_HEADERS["channel"]: channel,
               ROLE_HEADERS["group"]: group, PERSONAL_HEADERS[0]: draw(NAME_TEXT),
               PERSONAL_HEADERS[1]: "0912345678", WEIGHT: weight, COMMENT: comment}
        row.update(dict(zip(ITEM_HEADERS.values(), answers, strict=True)))
        rows.append(row)
        text = " ".join(unicodedata.normalize("NFC", comment).split())
        expected[rid] = {"period": period, "unit_id": UNIT_CELLS[unit], "channel": CHANNEL_CELLS[channel],
                         "group": GROUP_CELLS[group], "weight": WEIGHT_CELLS[weight],
                         "answers": {item: ANSWER_CELLS[a] for item, a in zip(ITEM_HEADERS, answers, strict=True)},
                         "comment": scrub(text) if text else None}
    order = draw(st.permutations(list(rows[0])))  # any column order
    return [{h: row[h] for h in order} for row in rows], expected


def loaded(survey) -> dict[str, dict]:
    out = {}
    responses = survey.responses
    comments = survey.comments.set_index("respondent_id")["text"].to_dict()
    for rid, person in responses.groupby("respondent_id", sort=False):
        first = person.iloc[0]
        out[rid] = {"period": first["period"], "unit_id": first["unit_id"], "channel": first["channel"],
                    "group": first["group"], "weight": float(first["weight"]),
                    "answers": {item: (None if pd.isna(a) else int(a))
                                for item, a in zip(person["item"], person["answer"], strict=True)},
                    "comment": comments.get(rid)}
    return out


@LOADS
@given(survey_tables(), st.sampled_from(["utf-8", "utf-8-sig", "cp1258", "xlsx"]), st.booleans())
def test_any_table_of_valid_answers_loads_back(table, fmt, title_block):
    rows, expected = table
    title = ("UBND TỈNH SÔNG LAM", "KẾT QUẢ KHẢO SÁT NĂM 2023", "") if title_block and fmt == "xlsx" else ()
    with tempfile.TemporaryDirectory() as folder:
        if fmt == "xlsx":
            files = write_survey(Path(folder), rows, fmt="xlsx", title_rows=title)
        else:
            files = write_survey(Path(folder), rows, encoding=fmt, title_rows=title)
        survey = load_survey(files.mapping)
    assert loaded(survey) == expected
    assert survey.dropped_columns == [h for h in rows[0] if h in PERSONAL_HEADERS[:2]]
    assert str(survey.responses["answer"].dtype) == "Int8"
    for text in survey.comments["text"]:
        assert unicodedata.is_normalized("NFC", text)
    assert {ACCESS, STAFF, OVERALL} <= set(rows[0])  # the headers the mapping names were written


# --------------------------------------------------------------------------- what the properties found, pinned


def people_answers(answers: list[list[int | None]], weights: list[float], items: list[str],
                   years: list[int] | None = None) -> pd.DataFrame:
    """Long answers of respondents r0, r1, ... (one list of answers per respondent, one per item)."""
    rows = []
    for k, (values, weight) in enumerate(zip(answers, weights, strict=True)):
        year = 2023 if years is None else years[k]
        for item, value in zip(items, values, strict=True):
            rows.append({"respondent_id": f"r{k}", "period": str(year), "year": year, "unit_id": "A",
                         "channel": "direct", "group": "citizen", "item": item, "component": item.split(".")[0],
                         "answer": value, "weight": weight, "stratum": "", "psu": f"r{k}"})
    frame = pd.DataFrame(rows)
    frame["answer"] = pd.array(frame["answer"].tolist(), dtype="Int8")
    return frame


def test_equal_scores_have_a_zero_standard_error_not_a_missing_one():
    """Variance by cancellation came out -1e-17 and its square root NaN, so the interval was missing."""
    cube = build_cube(people_answers([[3, 1, 2], [3, 1, 2], [None, None, None]], [0.1, 0.1, 1.0],
                                     ["procedure.1", "staff.1", "staff.2"]))
    row = estimate(cube, [], "mean").iloc[0]
    assert row["se"] == 0.0 and row["ci_low"] == row["estimate"] == row["ci_high"]


def test_a_group_without_answers_has_no_estimate_and_is_suppressed():
    """A component not asked in a year read 0% satisfied (the sum of nothing) with a blank n."""
    cube = build_cube(people_answers([[5, 4], [4, None], [None, 5], [None, 2]], [1.0] * 4, ["staff.1", "result.1"],
                                     years=[2022, 2022, 2023, 2023]))
    table = estimate(cube, ["year", "component"]).set_index(["year", "component"])
    assert pd.isna(table.loc[(2023, "staff"), "estimate"]) and table.loc[(2023, "staff"), "n"] == 0
    assert table.loc[(2022, "staff"), "estimate"] == 1.0 and table.loc[(2023, "result"), "estimate"] == 0.5
    assert suppress(table.reset_index(), 1).set_index(["year", "component"]).loc[(2023, "staff"), "suppressed"]


def test_difference_of_a_level_with_itself_and_with_a_level_without_answers():
    cube = build_cube(people_answers([[5], [2], [4]], [1.0, 2.0, 1.0], ["staff.1"]).assign(
        channel=["direct", "direct", "online"]))
    itself = difference(cube, [], "channel", "direct", "direct")
    assert list(itself.columns[:3]) == ["direct", "direct", "difference"]
    assert itself.loc[0, "difference"] == 0.0  # was the level itself, 0.33
    assert itself.loc[0, ["se", "ci_low", "ci_high", "p_value"]].isna().all()  # its SE is 0: no test
    missing = difference(cube, [], "channel", "direct", "paper")  # no such level: NaN, not a KeyError
    assert pd.isna(missing.loc[0, "paper"])
    assert missing.loc[0, ["difference", "se", "ci_low", "ci_high", "p_value"]].isna().all()  # not 'direct' itself
    assert missing.loc[0, "n_min"] == 0


def test_suppressing_twice_keeps_what_was_suppressed():
    table = pd.DataFrame({"unit_id": ["A", "B"], "n": [3, 30], "estimate": [0.5, 0.9]})
    once = suppress(table, 10)
    twice = suppress(once, 10)  # was a TypeError (a boolean mask with missing values)
    pd.testing.assert_frame_equal(twice, once)


def test_xlsx_cells_reading_like_missing_values_are_text():
    """pandas turned the words 'NA', 'None', 'null' of a workbook into blanks, unlike the same CSV."""
    rows = [{ID: "NA", PERIOD: "2023", UNIT: "STP", ROLE_HEADERS["channel"]: "Trực tiếp",
             ROLE_HEADERS["group"]: "Người dân", WEIGHT: "1", ACCESS: "5", STAFF: "4", OVERALL: "5",
             COMMENT: "None"}]
    with tempfile.TemporaryDirectory() as folder:
        survey = load_survey(write_survey(Path(folder), rows, fmt="xlsx").mapping)
    assert set(survey.responses["respondent_id"]) == {"NA"}
    assert survey.comments["text"].tolist() == ["None"]
