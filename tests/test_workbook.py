"""The workbook a reader opens (analysis.pipeline.workbook): the report's tables in its order, a contents
sheet, headers in the report's language, percent and count formats, a frozen bold header with a filter,
one sheet per table, the same bytes on a rerun, and a data dictionary of every column of every CSV.

The fast tests build a small report as the notebooks do (tables saved and displayed by
:class:`analysis.reporting.outputs.Outputs`, headings as Markdown outputs); the slow one reads a real run.
"""

from __future__ import annotations

import nbformat
import openpyxl
import pandas as pd
import pytest

from analysis.pipeline.workbook import DICTIONARY, write_workbook
from analysis.reporting.labels import label
from analysis.reporting.outputs import Outputs

TITLE = "Khảo sát thử — 2023"
INDEX = pd.DataFrame({"year": [2022, 2023], "n": [1250, 12104], "estimate": [0.7280045673, 0.8570884082],
                      "ci_low": [0.710241381, 0.8438374373], "ci_high": [0.7450696697, 0.8693890214],
                      "p_value": [0.0123, 0.0004], "suppressed": [False, False]})
MODELS = pd.DataFrame({"driver": ["access", "staff"], "coef": [0.107, 0.3137], "ci_low": [0.0538, 0.2461],
                       "ci_high": [0.1602, 0.3812], "n": [1176, 1176]})  # coefficients: shown as they are
BLOCKS = pd.DataFrame({"unit_name": ["Sở Kế hoạch và Đầu tư", "Ủy ban nhân dân huyện Xuân Lộc (tỉnh Sông Lam)"],
                       "n": [40, 8], "estimate": [0.9575, None], "suppressed": [False, True]})
WIDE = pd.DataFrame({"category": ["Thái độ của công chức", "Khác"], "2021": [0.0, 0.0], "2022": [0.2018, 0.0],
                     "2023": [0.1404, 0.0]})
TIDY = pd.DataFrame({"metric": ["lmg", "lmg"], "driver": ["access", "staff"], "versus": ["staff", "procedure"],
                     "difference": [-0.1043, 0.05]})


def markdown(text: str):
    return nbformat.v4.new_output("display_data", data={"text/markdown": text, "text/plain": "<Markdown>"})


def html(shown) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("display_data", data={"text/html": shown.data, "text/plain": "<HTML>"})


def cell(source: str, *outputs) -> nbformat.NotebookNode:
    code = nbformat.v4.new_code_cell(source)
    code.outputs = list(outputs)
    return code


def named(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The drivers named, as :func:`analysis.sections.drivers.for_readers` does."""
    return table.assign(driver=table["driver"].map(lambda code: label(code, lang)))


def small_report(folder, lang: str = "vi") -> nbformat.NotebookNode:
    """Tables saved and displayed as the notebooks do, and the merged report that shows them: the index
    under its heading, a model table saved with ``percent=()``, a table saved without display, an
    f-string name; one more table no cell saves, and a copy of the index under another name."""
    out = Outputs(folder, lang)
    report = nbformat.v4.new_notebook()
    report.metadata["title"] = TITLE
    report.cells = [
        cell('display(out.heading("satisfaction.title", level=1))', markdown(f"# {label('satisfaction.title', lang)}")),
        cell('display(out.heading("satisfaction.index"))\nout.show(satisfaction.headline(data), "index_by_year")',
             markdown(f"## {label('satisfaction.index', lang)}"), markdown("Năm 2023, chỉ số hài lòng đạt 85,71%."),
             html(out.table(INDEX, "index_by_year"))),
        cell('display(out.heading("satisfaction.blocks"))\nout.show(satisfaction.blocks(data), "blocks")',
             markdown(f"## {label('satisfaction.blocks', lang)}"), html(out.table(BLOCKS, "blocks"))),
        cell('display(out.heading("drivers.title", level=1))', markdown(f"# {label('drivers.title', lang)}")),
        cell('display(out.heading("drivers.importance"))\nout.table(head.differences, "driver_differences")\n'
             'display(out.heading("drivers.models"))\n'
             'display(out.table(models, "driver_models", percent=(), words=drivers.for_readers))',
             markdown(f"## {label('drivers.importance', lang)}"), markdown(f"## {label('drivers.models', lang)}"),
             html(out.table(MODELS, "driver_models", percent=(), words=named))),
        cell('display(out.heading("comments.by_segment"))\n'
             'display(out.table(wide, f"comment_shares_by_{segment}_wide", percent=wide.columns[1:]))',
             markdown(f"## {label('comments.by_segment', lang)}"),
             html(out.table(WIDE, "comment_shares_by_block_wide", percent=WIDE.columns[1:]))),
    ]
    out.table(TIDY, "driver_differences")
    out.table(pd.DataFrame({"measure": ["respondents"], "value": [12104]}), "a_table_no_cell_saves")
    out.table(INDEX, "copy_of_the_index")
    return report


REPORT_ORDER = ["index_by_year", "blocks", "driver_differences", "driver_models", "comment_shares_by_block_wide",
                "a_table_no_cell_saves"]


@pytest.fixture
def written(tmp_path):
    """The small report's workbook (vi), written twice, and its tables folder."""
    report = small_report(tmp_path)
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    write_workbook(tmp_path / "tables", first, report, "vi")
    write_workbook(tmp_path / "tables", second, report, "vi")
    return first, second, tmp_path / "tables"


def contents(book) -> list[dict]:
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, row, strict=True)) for row in rows[1:] if isinstance(row[0], int)]


def header(sheet) -> list[str]:
    return [c.value for c in sheet[1]]


def test_the_sheets_follow_the_report_after_a_contents_sheet(written):
    book = openpyxl.load_workbook(written[0])
    listed = contents(book)
    assert book.sheetnames[0] == "Mục lục" and book.sheetnames[-1] == "Từ điển dữ liệu"
    assert [row["Tệp CSV"] for row in listed] == [f"{name}.csv" for name in REPORT_ORDER] + [f"{DICTIONARY}.csv"]
    assert [row["Trang tính"] for row in listed] == book.sheetnames[1:]
    for row in listed:
        link = book.worksheets[0].cell(row=row["STT"] + 1, column=2).hyperlink
        assert link.location == f"'{row['Trang tính']}'!A1", row
    index = listed[0]
    assert index["Tên bảng"] == label("satisfaction.index", "vi")
    assert index["Phần của báo cáo"] == label("satisfaction.title", "vi")
    assert index["Nguồn"] == TITLE
    assert listed[2]["Tên bảng"] == label("table.driver_differences", "vi")  # saved without a heading of its own
    assert listed[2]["Phần của báo cáo"] == label("drivers.title", "vi")
    assert label("workbook.note.not_shown", "vi") in listed[2]["Ghi chú"]
    assert listed[4]["Tên bảng"] == label("comments.by_segment", "vi")  # found by its f-string
    assert label("workbook.note.suppressed", "vi") in listed[1]["Ghi chú"]
    for name in book.sheetnames:
        assert len(name) <= 31 and not set(name) & set("[]:*?/\\")
    assert len({n.casefold() for n in book.sheetnames}) == len(book.sheetnames)


def test_a_table_saved_twice_is_one_sheet_naming_the_other_file(written):
    book = openpyxl.load_workbook(written[0])
    listed = contents(book)
    assert "copy_of_the_index.csv" not in [row["Tệp CSV"] for row in listed]
    assert "copy_of_the_index.csv" in listed[0]["Ghi chú"]
    tables = [tuple(sheet.iter_rows(values_only=True)) for sheet in book.worksheets[1:]]
    assert len(set(tables)) == len(tables)


def test_headers_are_in_vietnamese_and_the_csvs_keep_their_codes(written):
    book = openpyxl.load_workbook(written[0])
    assert header(book.worksheets[1]) == [label(c, "vi") for c in INDEX.columns]
    assert header(book.worksheets[1])[:3] == ["Năm", "Số phiếu", "Ước lượng"]
    saved = pd.read_csv(written[2] / "index_by_year.csv", encoding="utf-8-sig")
    assert list(saved.columns) == list(INDEX.columns)
    models = book.worksheets[4]
    assert [c.value for c in models["A"][1:]] == [label("access", "vi"), label("staff", "vi")]  # codes named
    assert models["A1"].value == label("driver", "vi")


def test_shares_are_percent_keeping_the_proportion_and_counts_have_separators(written):
    book = openpyxl.load_workbook(written[0])
    index = book.worksheets[1]
    estimate = index.cell(row=3, column=3)
    assert estimate.value == INDEX.loc[1, "estimate"] and estimate.number_format == "0.00%"
    assert index.cell(row=3, column=2).value == 12104 and index.cell(row=3, column=2).number_format == "#,##0"
    assert index.cell(row=3, column=1).number_format == "0"  # a year, not 2,023
    assert index.cell(row=3, column=6).number_format == "0.000"  # a p-value
    assert index.cell(row=3, column=7).value == label("no", "vi")
    models = book.worksheets[4]  # percent=() in the notebook: the report shows coefficients as they are
    assert [models.cell(row=2, column=k).number_format for k in (2, 3, 4)] == ["0.00"] * 3
    wide = book.worksheets[5]  # percent=wide.columns[1:]: shares, the column of zeros as its neighbours
    assert [wide.cell(row=3, column=k).number_format for k in (2, 3, 4)] == ["0.00%"] * 3
    assert wide.cell(row=2, column=3).value == 0.2018
    blocks = book.worksheets[2]
    assert blocks.cell(row=3, column=3).value is None  # a suppressed row stays blank


def test_the_header_row_is_bold_frozen_filtered_and_columns_fit(written):
    book = openpyxl.load_workbook(written[0])
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), sheet.title
        assert all(c.font.b for c in sheet[1]), sheet.title
    blocks = book.worksheets[2]
    assert blocks.auto_filter.ref == f"A1:D{len(BLOCKS) + 1}"
    names = blocks.column_dimensions["A"].width
    assert len("Ủy ban nhân dân huyện Xuân Lộc (tỉnh Sông Lam)") <= names <= 60  # no "Sở Kế hoạ"
    assert 8 <= blocks.column_dimensions["B"].width < 20


def test_a_second_write_gives_the_same_bytes(written):
    first, second, _ = written
    assert first.read_bytes() == second.read_bytes()


def test_the_data_dictionary_covers_every_column_of_every_csv(written):
    tables = written[2]
    words = pd.read_csv(tables / f"{DICTIONARY}.csv", encoding="utf-8-sig", dtype=str)
    assert list(words.columns) == ["column", "vi", "en", "tables"]
    for path in tables.glob("*.csv"):
        if path.stem == DICTIONARY:
            continue
        for column in pd.read_csv(path, encoding="utf-8-sig", nrows=0).columns:
            row = words[words["column"] == column]
            assert len(row) == 1, (path.name, column)
            assert path.stem in row["tables"].iloc[0].split(), (path.name, column)
    codes = words.set_index("column")
    assert codes.loc["ci_low", "vi"] == "Cận dưới 95%" and codes.loc["ci_low", "en"] == "95% CI low"
    assert codes.loc["2023", "vi"] == "năm 2023"  # a wide table's period column
    assert [c for c in codes.index if codes.loc[c, "vi"] == c and not c[0].isupper()] == []  # every code explained
    sheet = openpyxl.load_workbook(written[0])["Từ điển dữ liệu"]
    assert sheet.max_row == len(words) + 1


def test_an_english_report_gets_an_english_workbook(tmp_path):
    report = small_report(tmp_path, "en")
    write_workbook(tmp_path / "tables", tmp_path / "tables.xlsx", report, "en")
    book = openpyxl.load_workbook(tmp_path / "tables.xlsx")
    assert book.sheetnames[0] == "Contents" and book.sheetnames[-1] == "Data dictionary"
    assert header(book.worksheets[1])[:3] == ["Year", "Respondents", "Estimate"]
    assert contents(book)[0]["Title"] == label("satisfaction.index", "en")


def test_without_a_report_the_tables_come_by_name(tmp_path):
    Outputs(tmp_path).table(INDEX, "b_index")
    Outputs(tmp_path).table(BLOCKS, "a_blocks")
    write_workbook(tmp_path / "tables", tmp_path / "tables.xlsx")
    book = openpyxl.load_workbook(tmp_path / "tables.xlsx")
    assert [row["Tệp CSV"] for row in contents(book)] == ["a_blocks.csv", "b_index.csv", f"{DICTIONARY}.csv"]
    assert book.worksheets[2].cell(row=2, column=3).number_format == "0.00%"  # SHARE_COLUMNS


@pytest.mark.slow
def test_a_real_report_has_each_table_once_in_its_order(tmp_path):
    """Notebook 01 saves the index again in a cell the report leaves out (``notebook-only``): the table
    the issue saw twice.  It gets no sheet of its own; the sheets follow the report's headings."""
    from analysis.pipeline.report import ReportParameters, run_report

    index = run_report(ReportParameters(notebooks=["01_data_overview.ipynb", "02_satisfaction.ipynb"]), tmp_path)
    folder = index.parent
    book = openpyxl.load_workbook(folder / "tables.xlsx")
    listed = contents(book)
    files = [row["Tệp CSV"] for row in listed]
    assert "index_by_year.csv" not in files and "satisfaction_index_by_year.csv" in files
    page = index.read_text(encoding="utf-8")
    titles = [row["Tên bảng"] for row in listed[:-1] if row["Tên bảng"] in page]
    assert len(titles) >= 8
    assert [page.index(t) for t in titles] == sorted(page.index(t) for t in titles)
    tables = [tuple(sheet.iter_rows(values_only=True)) for sheet in book.worksheets[1:]]
    assert len(set(tables)) == len(tables)
    sheet = book[listed[files.index("satisfaction_index_by_year.csv")]["Trang tính"]]
    saved = pd.read_csv(folder / "tables" / "satisfaction_index_by_year.csv", encoding="utf-8-sig")
    column = list(saved.columns).index("estimate") + 1
    assert sheet.cell(row=2, column=column).value == pytest.approx(saved["estimate"].iloc[0], abs=0)
    assert sheet.cell(row=2, column=column).number_format == "0.00%"
    words = pd.read_csv(folder / "tables" / f"{DICTIONARY}.csv", encoding="utf-8-sig", dtype=str)
    for path in sorted(p for p in (folder / "tables").glob("*.csv") if p.stem != DICTIONARY):
        assert set(pd.read_csv(path, encoding="utf-8-sig", nrows=0).columns) <= set(words["column"]), path.name
