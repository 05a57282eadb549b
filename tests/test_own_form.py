"""A form that names its own components, criteria and codes, and forms its index its own way.

The truth is brute force in pandas on the generated answers, independent of the cube.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.analyses.indices import estimate
from analysis.data.load import load_survey
from analysis.errors import InputError
from analysis.reporting.labels import label, use_vocabulary
from analysis.sections import drivers, load, satisfaction

CRITERIA = {"digital.1": "Tra cứu trực tuyến dễ dàng", "digital.2": "Ký số thuận tiện",
            "officers.1": "Cán bộ hướng dẫn tận tình", "clearance.1": "Thông quan nhanh",
            "overall": "Hài lòng chung"}


def write_form(folder, *, index: str = "sipas", components: str | None = None, seed: int = 5) -> pd.DataFrame:
    """A CSV survey of 3 years x 2 offices with the CRITERIA, its mapping; returns the answers written."""
    rng = np.random.default_rng(seed)
    rows = []
    for year in (2021, 2022, 2023):
        for unit in ("H01", "H02"):
            for k in range(60):
                row = {"Mã phiếu": f"{year}{unit}{k}", "Năm": year, "Đơn vị": unit,
                       "Kênh": rng.choice(["Ứng dụng di động", "Tại quầy"]), "Đối tượng": "Người nộp thuế"}
                for code, question in CRITERIA.items():
                    row[question] = int(rng.choice([1, 2, 3, 4, 5], p=[.05, .1, .15, .4, .3]))
                    if rng.random() < 0.08 and code != "overall":
                        row[question] = ""  # no answer
                rows.append(row)
    answers = pd.DataFrame(rows)
    answers.to_csv(folder / "survey.csv", index=False)
    (folder / "units.csv").write_text("unit_id,unit_name,block\nH01,Chi cục Hải quan số 1,Hải quan\n"
                                      "H02,Chi cục Hải quan số 2,Hải quan\n", encoding="utf-8")
    declared = components if components is not None else (
        "components:\n  digital: {vi: Dịch vụ số, en: Digital services}\n  officers: Cán bộ hải quan\n"
        "  clearance: {vi: Thông quan, en: Clearance}\n")
    items = "".join(f"  {code}: {question}\n" for code, question in CRITERIA.items())
    (folder / "mapping.yaml").write_text(
        f"title: Khảo sát Hải quan thử\nid: hai_quan\nanswers: survey.csv\nunits: units.csv\nindex: {index}\n"
        f"{declared}labels:\n  app: {{vi: Ứng dụng di động, en: Mobile app}}\n"
        "columns:\n  respondent_id: Mã phiếu\n  period: Năm\n  unit_id: Đơn vị\n  channel: Kênh\n  group: Đối tượng\n"
        f"items:\n{items}values:\n  channel:\n    Ứng dụng di động: app\n    Tại quầy: counter\n"
        "  group:\n    Người nộp thuế: taxpayer\n", encoding="utf-8")
    return answers


def brute_index(answers: pd.DataFrame, form: str) -> pd.Series:
    """The index per year from the answers as written: respondent scores, then their mean."""
    satisfied = pd.DataFrame({code: pd.to_numeric(answers[q], errors="coerce").ge(4).where(
        pd.to_numeric(answers[q], errors="coerce").notna()).astype(float) for code, q in CRITERIA.items()})
    if form == "overall":
        score = satisfied["overall"]
    elif form == "criteria":
        score = satisfied.drop(columns="overall").mean(axis=1)
    else:
        parts = {c: satisfied[[k for k in CRITERIA if k.startswith(c + ".")]].mean(axis=1)
                 for c in ("digital", "officers", "clearance")}
        score = pd.DataFrame(parts).mean(axis=1)
    return score.groupby(answers["Năm"]).mean()


@pytest.mark.parametrize("form", ["sipas", "criteria", "overall"])
def test_the_index_is_formed_as_the_mapping_says(tmp_path, form):
    answers = write_form(tmp_path, index=form)
    survey = load_survey(tmp_path / "mapping.yaml")
    assert survey.index_form == form and survey.components == ("digital", "officers", "clearance")
    got = estimate(survey.cube(), ["year"], weighted=False).set_index("year")["estimate"]
    truth = brute_index(answers, form)
    np.testing.assert_allclose(got.to_numpy(), truth.to_numpy(), atol=1e-12)
    assert brute_index(answers, "sipas").round(6).tolist() != brute_index(answers, "overall").round(6).tolist()


def test_the_forms_components_are_scored_in_its_order_and_named_from_the_mapping(tmp_path):
    answers = write_form(tmp_path)
    survey = load(tmp_path / "mapping.yaml")
    table = satisfaction.components(survey, 2023, min_cell=10).table()
    assert sorted(table["component"]) == ["clearance", "digital", "officers"]
    digital = table.set_index("component").loc["digital", "estimate"]
    sat = pd.DataFrame({k: pd.to_numeric(answers[CRITERIA[k]], errors="coerce") for k in ("digital.1", "digital.2")})
    truth = sat.ge(4).where(sat.notna()).astype(float).mean(axis=1)[answers["Năm"] == 2023].mean()
    assert digital == pytest.approx(truth, abs=1e-12)
    assert label("digital", "en") == "Digital services" and label("officers", "en") == "Cán bộ hải quan"
    assert label("app", "vi") == "Ứng dụng di động" and label("counter", "vi") == "Tại quầy"
    assert label("digital.2", "vi") == "Ký số thuận tiện"
    use_vocabulary({})
    assert label("app", "vi") == "app"


def test_drivers_run_on_the_forms_own_components(tmp_path):
    write_form(tmp_path)
    head = drivers.headline(load(tmp_path / "mapping.yaml"), 2023, min_cell=10, replicates=0)
    assert head.data is not None and head.data.drivers == ("digital", "officers", "clearance")
    assert len(head.data) > 30 and head.importance is not None
    assert set(head.importance.table()["driver"]) == {"digital", "officers", "clearance"}


def test_a_form_without_an_overall_item_says_the_drivers_cannot_be_estimated(tmp_path):
    write_form(tmp_path)
    mapping = (tmp_path / "mapping.yaml").read_text(encoding="utf-8").replace("  overall: Hài lòng chung\n", "")
    (tmp_path / "mapping.yaml").write_text(mapping, encoding="utf-8")
    head = drivers.headline(load(tmp_path / "mapping.yaml"), 2023, min_cell=10, replicates=0)
    assert head.importance is None and "hài lòng chung" in head.summary("vi")[0]


def test_an_item_of_an_undeclared_component_is_named_with_the_fix(tmp_path):
    write_form(tmp_path, components="components:\n  digital: Dịch vụ số\n")
    with pytest.raises(InputError) as caught:
        load_survey(tmp_path / "mapping.yaml")
    text = str(caught.value)
    assert "officers.1" in text and "clearance.1" in text and "components" in text


def test_own_codes_without_a_components_section_are_refused_with_the_fix(tmp_path):
    write_form(tmp_path, components="")
    with pytest.raises(InputError, match="declare them under 'components'"):
        load_survey(tmp_path / "mapping.yaml")


def test_an_unknown_index_form_is_refused_with_the_forms_listed(tmp_path):
    write_form(tmp_path, index="average")
    with pytest.raises(InputError, match="criteria"):
        load_survey(tmp_path / "mapping.yaml")


def test_an_event_binding_no_known_agency_is_refused_with_the_choices(tmp_path):
    write_form(tmp_path)
    (tmp_path / "events.csv").write_text("date,kind,applies_to,name\n2022-01-01,policy,Hải quan,Một cửa\n"
                                         "2022-06-01,policy,Khối Thuế,Sai\n2022-07-01,policy,H01; H09,Sai nữa\n",
                                         encoding="utf-8")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(mapping.read_text(encoding="utf-8") + "events: events.csv\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_survey(mapping)
    text = str(caught.value)
    assert "'Khối Thuế'" in text and "1 more cell" in text and "H01; H09" in text and "'provincial'" in text


def test_every_unknown_channel_label_is_named_in_one_message(tmp_path):
    answers = write_form(tmp_path)
    answers.loc[[3, 9], "Kênh"] = ["Bưu điện", "Zalo"]
    answers.to_csv(tmp_path / "survey.csv", index=False)
    with pytest.raises(InputError) as caught:
        load_survey(tmp_path / "mapping.yaml")
    assert "Bưu điện" in str(caught.value) and "Zalo" in str(caught.value)


def test_a_criterion_column_the_mapping_forgot_is_named_in_the_load_note(tmp_path):
    answers = write_form(tmp_path)
    answers["Phí, lệ phí hợp lý"] = answers[CRITERIA["digital.1"]]
    answers.to_csv(tmp_path / "survey.csv", index=False)
    survey = load_survey(tmp_path / "mapping.yaml")
    assert survey.unmapped_criteria == ["Phí, lệ phí hợp lý"]
    assert "Phí, lệ phí hợp lý" in survey.load_note()


def test_the_readmes_mapping_example_is_a_mapping_the_loader_accepts(tmp_path):
    from analysis.data.load import read_mapping
    from analysis.paths import ROOT

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    example = text.split("**What the mapping says**", 1)[1].split("```yaml", 1)[1].split("```", 1)[0]
    (tmp_path / "mapping.yaml").write_text(example, encoding="utf-8")
    mapping = read_mapping(tmp_path / "mapping.yaml")
    assert list(mapping["components"]) == ["digital", "staff"] and mapping["values"]["channel"]["Tại quầy"] == "counter"


def test_drivers_by_segment_say_when_there_is_one_group_only(tmp_path):
    write_form(tmp_path)  # one respondent group: taxpayers
    head = drivers.headline(load(tmp_path / "mapping.yaml"), 2023, min_cell=10, replicates=0)
    compared = drivers.compare_segments(head.data, "group", min_cell=10, replicates=0)
    assert compared.test is None and compared.summary("vi") == [
        "Chỉ có một nhóm theo đối tượng đủ số người trả lời, nên không so sánh được các yếu tố tác động giữa các nhóm."]


def test_criteria_are_shown_by_their_questions_and_saved_by_their_codes(tmp_path):
    write_form(tmp_path)
    survey = load(tmp_path / "mapping.yaml")
    table = satisfaction.items(survey, 2023, min_cell=10)
    assert "digital.2" in set(table.table()["item"]) and "Ký số thuận tiện" in set(table.table("vi")["item"])


@pytest.mark.parametrize("code", ["index", "overall", "channel"])
def test_a_component_coded_like_the_analysis_own_names_is_refused(tmp_path, code):
    write_form(tmp_path, components=f"components:\n  {code}: Tên\n  digital: Số\n  officers: Cán bộ\n"
                                     "  clearance: Thông quan\n")
    with pytest.raises(InputError, match="names the analysis uses itself"):
        load_survey(tmp_path / "mapping.yaml")


def test_a_form_of_one_criterion_says_there_are_no_drivers_to_compare(tmp_path):
    write_form(tmp_path)
    text = (tmp_path / "mapping.yaml").read_text(encoding="utf-8")
    for code in ("digital.2", "officers.1", "clearance.1"):
        text = text.replace(f"  {code}: {CRITERIA[code]}\n", "")
    (tmp_path / "mapping.yaml").write_text(text, encoding="utf-8")
    head = drivers.headline(load(tmp_path / "mapping.yaml"), 2023, min_cell=10, replicates=0)
    assert head.importance is None and "chỉ có một tiêu chí" in head.summary("vi")[0]


def test_a_survey_code_cannot_rename_the_reports_own_words(tmp_path):
    use_vocabulary({"other": {"vi": "Nhóm khác"}, "staff": {"vi": "Cán bộ thuế"}})
    assert label("other", "en") == "Other" and label("staff", "vi") == "Cán bộ thuế"
    use_vocabulary({})
