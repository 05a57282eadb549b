"""The answers one row per form (``FormGrid``) and the reduced survey a run's notebooks read: the same numbers
as the long answers give, for every section that reads respondents."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import RAW

from analysis.analyses import comments as comment_analysis
from analysis.analyses import describe, drivers, integrity
from analysis.analyses.indices import estimate
from analysis.cube.memory import build_cube, cube_of_forms
from analysis.data.grid import NO_ANSWER, NOT_ASKED, FormGrid
from analysis.data.load import load_survey
from analysis.data.scope import select_scope
from analysis.sections import integrity as integrity_section
from analysis.sections.period import up_to


@pytest.fixture(scope="module")
def survey():
    return load_survey(RAW / "province_survey" / "mapping.yaml")


def test_a_loaded_survey_s_grid_gives_back_its_long_answers(survey):
    grid = survey.grid()
    assert len(grid) == survey.n_respondents == survey.responses.groupby(["period", "respondent_id"],
                                                                         observed=True).ngroups
    pd.testing.assert_frame_equal(grid.long(), survey.responses)
    again = FormGrid.from_long(survey.responses)  # formed from the long answers, as for a survey built by hand
    assert again.items == grid.items and again.components == grid.components
    np.testing.assert_array_equal(again.answers, grid.answers)
    pd.testing.assert_frame_equal(again.keys, grid.keys)


def test_a_grid_tells_a_blank_answer_from_a_criterion_the_form_lacks():
    responses = pd.DataFrame({
        "respondent_id": ["a", "a", "a", "b", "b"], "period": "2024", "year": 2024, "unit_id": "U1",
        "item": ["staff.1", "staff.2", "overall", "staff.1", "overall"],
        "component": ["staff", "staff", "overall", "staff", "overall"],
        "answer": pd.array([5, None, 4, 2, 3], dtype="Int8")})
    grid = FormGrid.from_long(responses)
    assert grid.items == ("staff.1", "staff.2", "overall")
    np.testing.assert_array_equal(grid.answers, [[5, NO_ANSWER, 4], [2, NOT_ASKED, 3]])
    assert grid.n_answers == 5 and grid.answered("staff.2").isna().all()
    back = grid.long().sort_values(["respondent_id", "item"]).reset_index(drop=True)
    expected = responses.sort_values(["respondent_id", "item"]).reset_index(drop=True)
    assert back["answer"].tolist() == expected["answer"].tolist()
    assert back[["respondent_id", "item"]].astype(str).values.tolist() == \
        expected[["respondent_id", "item"]].values.tolist()


def test_the_reduced_survey_holds_no_long_answers_and_gives_every_section_the_same_numbers(survey):
    reduced = survey.reduced()
    assert reduced.responses is None and reduced.n_respondents == survey.n_respondents
    pd.testing.assert_frame_equal(describe.shape(reduced), describe.shape(survey))
    for level in ("component", "item"):
        pd.testing.assert_frame_equal(drivers.driver_data(reduced.grid(), reduced.units, level=level, year=2023).rows,
                                      drivers.driver_data(survey.responses, survey.units, level=level, year=2023).rows)
    categorised = comment_analysis.categorise(survey.comments)
    pd.testing.assert_frame_equal(comment_analysis.with_dissatisfaction(categorised, reduced.grid()),
                                  comment_analysis.with_dissatisfaction(categorised, survey.grid()))
    block = survey.units["block"].iloc[0]
    for cut in (lambda s: select_scope(s, block), lambda s: up_to(s, "2019"),
                lambda s: integrity_section.the_year(s, 2023)):
        pd.testing.assert_frame_equal(estimate(cut(reduced).cube(), ["unit_id"]),
                                      estimate(cut(survey).cube(), ["unit_id"]))
    checked, expected = integrity_section.checks(reduced, 2023), integrity_section.checks(survey, 2023)
    pd.testing.assert_frame_equal(checked.flags, expected.flags)
    for part in ("overview", "funnel", "modes", "groups", "bursts"):
        for name, value in vars(getattr(checked, part)).items():
            if isinstance(value, pd.DataFrame):
                pd.testing.assert_frame_equal(value, getattr(getattr(expected, part), name))


def test_a_form_answers_matrix_leaves_out_the_overall_item(survey):
    forms = integrity.form_answers(survey.grid())
    assert "overall" not in forms.criteria and forms.answers.shape == (survey.n_respondents, len(forms.criteria))
    long = survey.responses[survey.responses["item"] != "overall"]
    assert int((forms.answers > 0).sum()) == int(long["answer"].notna().sum())


def test_component_drivers_come_from_the_forms_components_whatever_the_items_are_named():
    rows = [(person, item, component, answer) for person in range(40)
            for item, component, answer in (("q1", "staff", 1 + person % 5), ("q2", "staff", 1 + person % 3),
                                            ("q3", "access", 1 + person % 4), ("overall", "overall", 1 + person % 5))]
    responses = pd.DataFrame(rows, columns=["respondent_id", "item", "component", "answer"]).assign(
        period="2024", year=2024, unit_id="U1")
    data = drivers.driver_data(responses, level="component")
    assert data.drivers == ("access", "staff")  # the form's order: access before staff
    assert data.rows["staff"].iloc[7] == pytest.approx((3 + 2) / 2)  # person 7: q1 = 3, q2 = 2


def test_a_grid_holds_answers_1_to_5_only():
    responses = pd.DataFrame({"respondent_id": ["a", "b"], "period": "2024", "item": "staff.1", "component": "staff",
                              "answer": [3.5, 4.0]})
    with pytest.raises(ValueError, match="1-5"):
        FormGrid.from_long(responses)


@pytest.mark.parametrize("clusters", [False, True], ids=["unclustered", "clustered"])
@pytest.mark.parametrize("variant", ["strings", "categoricals", "ids reused over periods", "no weight, no stratum",
                                     "rows in respondent order"])
@pytest.mark.parametrize("index_form", ["sipas", "criteria", "overall"])
def test_the_cube_of_the_forms_is_the_cube_of_their_long_answers(variant, clusters, index_form):
    """cube_of_forms (a reduced survey's cubes) against build_cube on the same forms' long answers, on the
    small random surveys of test_cube.py (items skipped, blanks, weights, strata, clusters, ids reused)."""
    from test_cube import VARIANTS, assert_same
    from test_cube import survey as random_survey

    grid = FormGrid.from_long(random_survey(seed=len(variant), clusters=clusters, **VARIANTS[variant]))
    form = {"components": ("staff", "access", "waiting"), "index_form": index_form}
    actual, expected = cube_of_forms(grid, **form), build_cube(grid.long(), **form)
    assert actual.clustered == expected.clustered
    assert_same(actual.answers, expected.answers)
    assert_same(actual.scores, expected.scores)
    pd.testing.assert_series_equal(actual.psus, expected.psus)
    pd.testing.assert_frame_equal(actual.units, expected.units)


def test_a_reduced_survey_builds_its_cubes_from_its_forms(survey, monkeypatch):
    from analysis.data import grid as grid_module

    monkeypatch.setattr(grid_module.FormGrid, "long", lambda self: pytest.fail("long answers formed"))
    cut = up_to(survey.reduced(), "2019")  # a cut: its cube is built again, from the forms alone
    pd.testing.assert_frame_equal(estimate(cut.cube(), ["year"]), estimate(up_to(survey, "2019").cube(), ["year"]))
