"""The privacy check over every file a run writes (analysis.pipeline.privacy_check.scan_outputs).

A real report run must show no phone, e-mail or ID-number pattern, no value of
the input's dropped personal columns (the names under 'Họ và tên', the numbers
under 'Số điện thoại') and no group under the minimum cell size; violations
planted in a small report folder, and in a copy of the real run, must each be
found, while hashes, embedded images, memory addresses and decimals must not
be taken for personal data.
"""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from test_load import base_rows, write_survey

from analysis.data.load import load_survey
from analysis.pipeline.privacy_check import Finding, personal_values, scan_outputs

# --------------------------------------------------------------------------- a small report folder

CLEAN_TABLE = pd.DataFrame({
    "year": [2023, 2023, 2023],
    "unit_id": ["STP", "UBND-XL", "BHXH"],
    "n": [120, pd.NA, 15],
    "estimate": [0.91, pd.NA, 0.8],
    "ci_low": [0.85, pd.NA, 0.6],
    "ci_high": [0.95, pd.NA, 0.9],
    "suppressed": [False, True, False],
})
CLEAN_HTML = """<!DOCTYPE html><html><body><h1>Báo cáo</h1>
<p>Chỉ số hài lòng 91,00% (n = 120), sai số 0,9123456789.</p>
<img src="data:image/png;base64,{image}">
<p>&lt;pandas.io.formats.style.Styler at 0x7ff229294590&gt;</p>
<p>Nguyễn Văn Cừ là tên đường; Hồng là một từ thường.</p>
</body></html>"""


def png_with_digits() -> str:
    """A base64 'image' whose text holds digit runs like phone and ID numbers."""
    return base64.b64encode(b"\x89PNG" + b"0912345678 001203004567 " * 20).decode()


@pytest.fixture
def small_report(tmp_path) -> tuple[Path, Path]:
    """A folder shaped like a report (tables, workbook, html, notebook, manifest) with nothing to find,
    and the mapping of the small survey of test_load (names, phones, e-mails, ID numbers dropped at load)."""
    files = write_survey(tmp_path / "input")
    folder = tmp_path / "report"
    (folder / "tables").mkdir(parents=True)
    (folder / "notebooks").mkdir()
    (folder / "figures").mkdir()
    CLEAN_TABLE.to_csv(folder / "tables" / "units.csv", index=False, encoding="utf-8-sig")
    pd.DataFrame({"category": ["Thái độ", "Khác"], "comments": [40, pd.NA], "count": [12, pd.NA],
                  "estimate": [0.3, pd.NA], "suppressed": [False, True]}).to_csv(
        folder / "tables" / "comment_shares.csv", index=False, encoding="utf-8-sig")
    with pd.ExcelWriter(folder / "tables.xlsx") as writer:
        CLEAN_TABLE.to_excel(writer, sheet_name="units", index=False)
    (folder / "index.html").write_text(CLEAN_HTML.format(image=png_with_digits()), encoding="utf-8")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "show()", outputs=[nbformat.v4.new_output("display_data", data={
            "text/plain": "<Styler at 0x7f0123456789>", "image/png": png_with_digits()})])])
    nbformat.write(notebook, folder / "notebooks" / "01_overview.ipynb")
    manifest = {"parameters": {"min_cell": 10}, "git": {"commit": "1234567890abcdef1234567890abcdef12345678"},
                "outputs": [{"path": "index.html", "sha256": "0" * 20 + "123456789012" + "0" * 32}],
                "cache": {"key": "ab" * 4 + "123456789012" + "cd" * 6, "run": "1b4e28ba-2fa1-11d2-883f-123456789012"}}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    (folder / "figures" / "a.png").write_bytes(b"\x89PNG0912345678")
    return folder, files.mapping


def test_a_clean_folder_has_no_findings(small_report):
    folder, mapping = small_report
    assert scan_outputs(folder, mapping) == []
    assert scan_outputs(folder, load_survey(mapping)) == []  # a Survey does as well as its mapping


def test_the_personal_values_are_read_from_the_raw_file_through_the_mapping(small_report):
    _, mapping = small_report
    values = set(personal_values(mapping).original.values())
    for row in base_rows():
        for header in ("Họ và tên", "Số điện thoại", "Email", "Số CCCD"):
            assert row[header] in values, row[header]


def planted_text(folder: Path, relative: str, text: str) -> None:
    path = folder / relative
    path.write_text(path.read_text(encoding="utf-8-sig").replace("</body>", f"<p>{text}</p></body>"),
                    encoding="utf-8")


PLANTED = {
    "name-in-html": (lambda f: planted_text(f, "index.html", "Người góp ý: NGUYỄN  THỊ   HỒNG"),
                     "index.html", "personal-value", "Nguyễn Thị Hồng"),
    "name-across-lines": (lambda f: planted_text(f, "index.html", "Trần Văn\n  Bình"),
                          "index.html", "personal-value", "Trần Văn Bình"),
    "phone-in-csv": (lambda f: (f / "tables" / "quotes.csv").write_text(
        "category,text\nThái độ,Gọi 0987 654 321 nhé\n", encoding="utf-8-sig"),
        "tables/quotes.csv", "pattern", "0987 654 321"),
    "email-in-notebook": (lambda f: nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "Liên hệ hong.nguyen@gmail.com")]), f / "notebooks" / "06_comments.ipynb"),
        "notebooks/06_comments.ipynb", "pattern", "hong.nguyen@gmail.com"),
    "id-number-in-json": (lambda f: (f / "extra.json").write_text(
        json.dumps({"note": "CCCD 079088001234"}), encoding="utf-8"), "extra.json", "pattern", "079088001234"),
    "id-number-in-workbook": (lambda f: pd.DataFrame({"text": ["số 001300009999"]}).to_excel(
        f / "quotes.xlsx", index=False), "quotes.xlsx[Sheet1]", "personal-value", "001300009999"),
    "small-cell-in-csv": (lambda f: CLEAN_TABLE.assign(n=[120, 7, 15], estimate=[0.91, 0.5, 0.8]).drop(
        columns="suppressed").to_csv(f / "tables" / "units.csv", index=False, encoding="utf-8-sig"),
        "tables/units.csv", "small-cell", "n = 7 is below 10"),
    "suppressed-row-showing-an-estimate": (lambda f: CLEAN_TABLE.assign(estimate=[0.91, 0.5, 0.8]).to_csv(
        f / "tables" / "units.csv", index=False, encoding="utf-8-sig"),
        "tables/units.csv", "small-cell", "flagged suppressed but shows estimate"),
    "small-cell-in-workbook": (lambda f: CLEAN_TABLE.assign(n=[120, 3, 15], estimate=[0.9, 1.0, 0.8]).to_excel(
        f / "tables.xlsx", sheet_name="units", index=False), "tables.xlsx[units]", "small-cell", "n = 3"),
    "few-comments": (lambda f: pd.DataFrame({"category": ["Khác"], "comments": [4], "count": [1],
                                             "estimate": [0.25], "suppressed": [False]}).to_csv(
        f / "tables" / "comment_shares.csv", index=False, encoding="utf-8-sig"),
        "tables/comment_shares.csv", "small-cell", "comments = 4"),
    "few-others": (lambda f: pd.DataFrame({"category": ["A"], "n": [50], "estimate": [0.2], "others_n": [6],
                                           "others_estimate": [0.5], "suppressed": [False]}).to_csv(
        f / "tables" / "linked.csv", index=False, encoding="utf-8-sig"),
        "tables/linked.csv", "small-cell", "others_n = 6 is below 10 but the row shows others_estimate"),
}


@pytest.mark.parametrize("name", list(PLANTED))
def test_a_planted_violation_is_found(small_report, name):
    folder, mapping = small_report
    plant, where, kind, detail = PLANTED[name]
    plant(folder)
    findings = scan_outputs(folder, mapping)
    assert findings, name
    assert {f.path for f in findings} == {where}, findings
    assert any(f.kind == kind and detail in f.detail for f in findings), findings


def test_min_cell_comes_from_the_manifest_or_the_caller(small_report):
    folder, mapping = small_report
    assert scan_outputs(folder, mapping) == []  # the row with n = 15 passes the run's minimum of 10
    stricter = scan_outputs(folder, mapping, min_cell=20)
    assert {(f.path, f.kind) for f in stricter} == {("tables/units.csv", "small-cell"),
                                                    ("tables.xlsx[units]", "small-cell")}
    assert all("n = 15 is below 20" in f.detail for f in stricter)
    assert all(isinstance(f, Finding) and str(f).startswith(f.path) for f in stricter)


# --------------------------------------------------------------------------- a real run


@pytest.fixture(scope="module")
def real_run(tmp_path_factory) -> Path:
    """The annual review, with a minimum cell size of 100 so that suppression happens in several tables."""
    from analysis.pipeline.report import ReportParameters, run_report

    out = tmp_path_factory.mktemp("privacy-run")
    return run_report(ReportParameters(min_cell=100), out, use_cache=False).parent


@pytest.mark.slow
def test_a_real_run_shows_no_personal_data_and_no_small_cell(real_run, survey_mapping):
    assert json.loads((real_run / "manifest.json").read_text(encoding="utf-8"))["parameters"]["min_cell"] == 100
    blocks = pd.read_csv(real_run / "tables" / "blocks.csv", encoding="utf-8-sig")
    assert blocks["suppressed"].any() and not blocks["suppressed"].all()  # the check has something to check
    findings = scan_outputs(real_run, survey_mapping)
    assert findings == [], "\n".join(map(str, findings))


@pytest.mark.slow
def test_violations_planted_in_a_real_run_are_found(real_run, survey_mapping, tmp_path):
    folder = tmp_path / "copy"
    shutil.copytree(real_run, folder)
    raw = (survey_mapping.parent / "survey.csv").read_text(encoding="utf-8-sig").splitlines()
    name, phone = raw[5].split(",")[5:7]  # a respondent's 'Họ và tên' and 'Số điện thoại' in the raw file
    planted_text(folder, "index.html", f"Cảm ơn {name}")
    notebook = nbformat.read(folder / "notebooks" / "06_comments.ipynb", as_version=4)
    notebook.cells[-1].source += f"\n# gọi lại {phone}"
    nbformat.write(notebook, folder / "notebooks" / "06_comments.ipynb")
    blocks = pd.read_csv(folder / "tables" / "blocks.csv", encoding="utf-8-sig")
    row = int(blocks.index[blocks["suppressed"]][0])
    blocks.loc[row, ["n", "estimate"]] = [42, 0.875]
    blocks.loc[row, "suppressed"] = False
    blocks.to_csv(folder / "tables" / "blocks.csv", index=False, encoding="utf-8-sig")
    found = {(f.path, f.kind) for f in scan_outputs(folder, survey_mapping)}
    assert ("index.html", "personal-value") in found
    assert ("notebooks/06_comments.ipynb", "pattern") in found
    assert ("notebooks/06_comments.ipynb", "personal-value") in found
    assert ("tables/blocks.csv", "small-cell") in found
    assert {path for path, _ in found} == {"index.html", "notebooks/06_comments.ipynb", "tables/blocks.csv"}


@pytest.mark.slow
def test_a_unit_report_suppresses_comparisons_with_a_small_side(survey_mapping, tmp_path):
    """Agency CCT had 1-8 online respondents a year in 2014-2017: its channel gaps for those years are blank."""
    from analysis.pipeline.report import NOTEBOOK_DIR, ensure_kernel, execute

    (tmp_path / "notebooks").mkdir()
    execute(NOTEBOOK_DIR / "02_satisfaction.ipynb", tmp_path / "notebooks" / "02_satisfaction.ipynb",
            {"survey": str(survey_mapping), "scope": "CCT", "output_dir": str(tmp_path)}, ensure_kernel())
    gaps = pd.read_csv(tmp_path / "tables" / "gaps_by_year.csv", encoding="utf-8-sig")
    channel = gaps[(gaps["first_level"] == "direct") & (gaps["second_level"] == "online")].set_index("year")
    assert channel["suppressed"].loc[2014:2017].all() and channel["difference"].loc[2014:2017].isna().all()
    assert not channel["suppressed"].loc[2023] and (gaps.loc[~gaps["suppressed"], "n_min"] >= 10).all()
    assert scan_outputs(tmp_path, survey_mapping, min_cell=10) == []


@pytest.mark.slow
def test_a_unit_report_with_years_under_the_minimum_runs_and_shows_no_small_cell(survey_mapping, tmp_path):
    """Agency STNMT with min_cell 30: some years fall under it; every section still runs, and shows none of them."""
    from analysis.pipeline.report import ReportParameters, run_report

    folder = run_report(ReportParameters(scope="STNMT", min_cell=30), tmp_path, use_cache=False).parent
    index = pd.read_csv(folder / "tables" / "satisfaction_index_by_year.csv", encoding="utf-8-sig")
    assert index["suppressed"].any() and not index["suppressed"].all()  # the check has something to check
    assert scan_outputs(folder, survey_mapping) == []


def test_a_flagged_id_in_the_report_folder_is_found(small_report, tmp_path):
    """The integrity section's flagged ids are for the owner, kept outside the report folder
    (restricted_folder): shown anywhere in it, found; a restricted file inside it is a finding too."""
    import shutil

    from analysis.pipeline.privacy_check import restricted_folder

    given, mapping = small_report
    folder = tmp_path / "reports" / "small" / "province" / "2023" / "vi"
    shutil.move(given, folder)
    restricted = restricted_folder(folder)
    assert restricted == tmp_path / "reports" / "small" / ".restricted" / "province" / "2023" / "vi"
    restricted.mkdir(parents=True)
    flags = pd.DataFrame({"period": ["2023"], "respondent_id": ["2023-STP-0042"], "unit_id": ["STP"],
                          "reasons": ["duplicate"]})
    flags.to_csv(restricted / "integrity_flags.csv", index=False)
    assert scan_outputs(folder, mapping) == []  # the restricted file sits outside the published folder
    (folder / "index.html").write_text("<p>Phiếu 2023-STP-0042 bị gắn cờ.</p>", encoding="utf-8")
    findings = scan_outputs(folder, mapping)
    assert [(f.path, f.kind) for f in findings] == [("index.html", "flagged-id")]
    (folder / "restricted").mkdir()
    flags.to_csv(folder / "restricted" / "integrity_flags.csv", index=False)
    assert ("restricted/integrity_flags.csv", "restricted") in {(f.path, f.kind) for f in scan_outputs(folder, mapping)}
