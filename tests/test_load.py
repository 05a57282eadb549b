"""Correct loads of wide survey forms: encodings, formats, answers, periods, units, privacy.

The helpers at the top (``write_survey`` and friends) build a small survey --
mapping YAML + survey file + units.csv -- under pytest's ``tmp_path``; they are
shared with ``test_bad_input.py``.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from itertools import combinations
from pathlib import Path
from typing import NamedTuple

import numpy as np
import openpyxl
import pandas as pd
import pytest
import yaml

from analysis.data.load import load_survey
from analysis.data.privacy import MASK, find_personal_data
from analysis.data.schema import RESPONSE_COLUMNS, Survey
from analysis.errors import InputError

# --------------------------------------------------------------------------- shared helpers

ROLE_HEADERS = {
    "respondent_id": "Số phiếu",
    "period": "Kỳ khảo sát",
    "unit_id": "Cơ quan",
    "channel": "Hình thức khảo sát",
    "group": "Đối tượng",
    "weight": "Trọng số",
    "comment": "Ý kiến đóng góp",
}
ITEM_HEADERS = {
    "access.1": "1.1. Thông tin về thủ tục được niêm yết công khai, dễ tìm",
    "staff.1": "3.1. Công chức có thái độ lịch sự, tôn trọng",
    "overall": "6. Mức độ hài lòng chung",
}
ID, PERIOD, UNIT, WEIGHT, COMMENT = (ROLE_HEADERS[r] for r in ("respondent_id", "period", "unit_id",
                                                               "weight", "comment"))
ACCESS, STAFF, OVERALL = ITEM_HEADERS.values()
PERSONAL_HEADERS = ["Họ và tên", "Số điện thoại", "Email", "Số CCCD"]

UNITS = [
    {"unit_id": "STP", "unit_name": "Sở Tư pháp", "block": "Sở, ban, ngành", "level": "tỉnh",
     "province": "Sông Lam", "vertical": "0", "parent": ""},
    {"unit_id": "UBND-XL", "unit_name": "Ủy ban nhân dân huyện Xuân Lộc", "block": "Cấp huyện",
     "level": "huyện", "province": "Sông Lam", "vertical": "0", "parent": ""},
    {"unit_id": "BHXH", "unit_name": "Bảo hiểm xã hội tỉnh", "block": "Cơ quan ngành dọc",
     "level": "tỉnh", "province": "Sông Lam", "vertical": "1", "parent": ""},
]


def base_rows() -> list[dict[str, str]]:
    """Four respondents, one dict per survey row (header -> cell text), in file column order."""
    people = [
        ("P-001", "STP", "Trực tiếp", "Người dân", "Nguyễn Thị Hồng", "0912345678",
         "hong.nguyen@gmail.com", "001203004567", "1.5", "5", "4", "Rất hài lòng",
         "Cán bộ hướng dẫn tận tình, chu đáo."),
        ("P-002", "UBND-XL", "Trực tuyến", "Doanh nghiệp", "Trần Văn Bình", "0987 654 321",
         "binh.tran@congty.vn", "079088001234", "2", "3", "", "Bình thường",
         "Cần liên hệ lại qua số 0987 654 321 hoặc binh.tran@congty.vn"),
        ("P-003", "BHXH", "Trực tiếp", "Người dân", "Lê Văn Cường", "+84 903 111 222",
         "cuong.le@yahoo.com", "123456789", "1", "2", "Không ý kiến", "Rất không hài lòng",
         "Chờ 15 ngày, đi lại 3 lần mới có kết quả; CMND của tôi là 123456789."),
        ("P-004", "STP", "Trực tuyến", "Doanh nghiệp", "Phạm Thu Hà", "0912.000.111",
         "ha.pham@gmail.com", "001300009999", "1", "4", "5", "4", ""),
    ]
    headers = [ID, PERIOD, UNIT, ROLE_HEADERS["channel"], ROLE_HEADERS["group"], *PERSONAL_HEADERS,
               WEIGHT, ACCESS, STAFF, OVERALL, COMMENT]
    rows = []
    for (rid, unit, channel, group, name, phone, email, idn, weight, a, s, o, comment) in people:
        values = [rid, "2023", unit, channel, group, name, phone, email, idn, weight, a, s, o, comment]
        rows.append(dict(zip(headers, values, strict=True)))
    return rows


# What base_rows() must load to.
EXPECTED_ANSWERS = {
    "P-001": {"access.1": 5, "staff.1": 4, "overall": 5},
    "P-002": {"access.1": 3, "staff.1": pd.NA, "overall": 3},
    "P-003": {"access.1": 2, "staff.1": pd.NA, "overall": 1},
    "P-004": {"access.1": 4, "staff.1": 5, "overall": 4},
}
EXPECTED_WEIGHTS = {"P-001": 1.5, "P-002": 2.0, "P-003": 1.0, "P-004": 1.0}
EXPECTED_UNITS = {"P-001": "STP", "P-002": "UBND-XL", "P-003": "BHXH", "P-004": "STP"}


def default_mapping(answers: str = "survey.csv") -> dict:
    """A mapping like data/raw/province_survey/mapping.yaml for the files written here."""
    return {
        "title": "Khảo sát thử nghiệm",
        "answers": answers,
        "units": "units.csv",
        "columns": dict(ROLE_HEADERS),
        "items": dict(ITEM_HEADERS),
        "values": {"channel": {"Trực tuyến": "online", "Trực tiếp": "direct"},
                   "group": {"Người dân": "citizen", "Doanh nghiệp": "business"}},
    }


def to_cp1258(text: str) -> bytes:
    """Windows-1258 bytes, as Vietnamese Windows writes them.

    Python's ``cp1258`` codec has no precomposed letters such as 'ấ' or 'ệ':
    they are written as the closest base letter the code page has ('â', 'ê')
    followed by combining tone marks.
    """
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", ch)
        for size in range(len(marks), -1, -1):
            for kept in combinations(range(len(marks)), size):
                head = unicodedata.normalize("NFC", base + "".join(marks[i] for i in kept))
                tail = "".join(m for i, m in enumerate(marks) if i not in kept)
                try:
                    out += head.encode("cp1258") + tail.encode("cp1258")
                    break
                except UnicodeEncodeError:
                    continue
            else:
                continue
            break
        else:
            raise UnicodeEncodeError("cp1258", ch, 0, 1, "no Windows-1258 spelling")
    return bytes(out)


def csv_bytes(rows: list[dict[str, str]], encoding: str = "utf-8", title_rows=()) -> bytes:
    """The rows as CSV text (header row first), encoded as a Vietnamese office would save it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for line in title_rows:
        writer.writerow([line])
    writer.writerow(list(rows[0]))
    writer.writerows([list(row.values()) for row in rows])
    text = buffer.getvalue()
    if encoding == "cp1258":
        return to_cp1258(text)
    return text.encode(encoding)


NUMBER = re.compile(r"-?(?:[1-9]\d*|0)(?:\.\d+)?")


def typed(value: str):
    """A cell as a spreadsheet holds it: numbers as numbers (not phone/ID numbers with a leading 0)."""
    if NUMBER.fullmatch(value):
        number = float(value)
        return int(number) if number.is_integer() and "." not in value else number
    return value


def write_xlsx(path: Path, rows: list[dict[str, str]], title_rows=()) -> None:
    """An Excel workbook: title block lines, then the header row, then the rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Kết quả"
    for line in title_rows:
        sheet.append([line] if line else [])
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append([typed(v) if v != "" else None for v in row.values()])
    book.save(path)


def write_parquet(path: Path, rows: list[dict[str, str]]) -> None:
    """A parquet file with numeric columns typed as numbers and blanks as nulls."""
    frame = pd.DataFrame(rows)
    for column in frame.columns:
        cells = frame[column]
        filled = cells != ""
        if filled.any() and cells[filled].map(lambda v: bool(NUMBER.fullmatch(v))).all():
            frame[column] = pd.to_numeric(cells.replace("", np.nan))
    frame.to_parquet(path)


class SurveyFiles(NamedTuple):
    folder: Path
    mapping: Path
    answers: Path
    units: Path


def write_survey(folder: Path, rows: list[dict[str, str]] | None = None, *, fmt: str = "csv",
                 encoding: str = "utf-8", title_rows=(), mapping: dict | None = None,
                 units: list[dict[str, str]] | None = None) -> SurveyFiles:
    """Write mapping.yaml + survey.<fmt> + units.csv into ``folder``; return their paths.

    ``rows`` are dicts header -> cell text (default :func:`base_rows`); ``fmt`` is
    csv, xlsx or parquet; ``encoding`` (csv only) is utf-8, utf-8-sig or cp1258.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rows = base_rows() if rows is None else rows
    answers = folder / f"survey.{fmt}"
    if fmt == "csv":
        answers.write_bytes(csv_bytes(rows, encoding, title_rows))
    elif fmt == "xlsx":
        write_xlsx(answers, rows, title_rows)
    elif fmt == "parquet":
        write_parquet(answers, rows)
    else:
        raise ValueError(fmt)
    units_path = folder / "units.csv"
    units_path.write_bytes(csv_bytes(UNITS if units is None else units))
    mapping_path = folder / "mapping.yaml"
    mapping = default_mapping(answers.name) if mapping is None else mapping
    mapping_path.write_text(yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return SurveyFiles(folder, mapping_path, answers, units_path)


def answers_by_respondent(survey: Survey) -> dict[str, dict[str, object]]:
    """{respondent: {item: answer}} with pd.NA for no answer."""
    out: dict[str, dict[str, object]] = {}
    for rid, item, answer in survey.responses[["respondent_id", "item", "answer"]].itertuples(index=False):
        out.setdefault(rid, {})[item] = pd.NA if pd.isna(answer) else int(answer)
    return out


def assert_same_answers(got: dict, expected: dict) -> None:
    assert got.keys() == expected.keys()
    for rid in expected:
        assert got[rid].keys() == expected[rid].keys(), rid
        for item, value in expected[rid].items():
            if value is pd.NA:
                assert got[rid][item] is pd.NA, (rid, item, got[rid][item])
            else:
                assert got[rid][item] == value, (rid, item, got[rid][item])


def assert_base_survey(survey: Survey) -> None:
    """The Survey loaded from base_rows() is right in every column that matters."""
    responses = survey.responses
    assert list(responses.columns) == RESPONSE_COLUMNS
    assert len(responses) == 4 * len(ITEM_HEADERS)
    assert str(responses["answer"].dtype) == "Int8"
    assert_same_answers(answers_by_respondent(survey), EXPECTED_ANSWERS)
    per_person = responses.drop_duplicates("respondent_id").set_index("respondent_id")
    assert per_person["weight"].to_dict() == EXPECTED_WEIGHTS
    assert per_person["unit_id"].to_dict() == EXPECTED_UNITS
    assert per_person["channel"].to_dict() == {"P-001": "direct", "P-002": "online",
                                               "P-003": "direct", "P-004": "online"}
    assert per_person["group"].to_dict() == {"P-001": "citizen", "P-002": "business",
                                             "P-003": "citizen", "P-004": "business"}
    assert set(responses["period"]) == {"2023"}
    assert set(responses["year"]) == {2023}
    assert survey.dropped_columns == PERSONAL_HEADERS
    assert survey.n_respondents == 4


def string_cells(survey: Survey):
    """Every text cell and header of every table in the Survey."""
    for name in ("responses", "units", "events", "targets", "comments"):
        table = getattr(survey, name)
        yield from (str(c) for c in table.columns)
        for column in table.columns:
            yield from (str(v) for v in table[column].tolist())


# --------------------------------------------------------------------------- encodings and formats


@pytest.fixture
def csv_utf8_survey(tmp_path) -> Survey:
    return load_survey(write_survey(tmp_path / "utf8").mapping)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1258"])
def test_csv_encodings_load_identically(tmp_path, csv_utf8_survey, encoding):
    files = write_survey(tmp_path / encoding, encoding=encoding)
    survey = load_survey(files.mapping)
    assert_base_survey(survey)
    pd.testing.assert_frame_equal(survey.responses, csv_utf8_survey.responses)
    pd.testing.assert_frame_equal(survey.comments, csv_utf8_survey.comments)
    assert survey.dropped_columns == PERSONAL_HEADERS


def test_cp1258_combining_marks_come_back_as_nfc(tmp_path):
    files = write_survey(tmp_path, encoding="cp1258")
    raw = files.answers.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    # 'ấ', 'ệ', 'ủ'... are written as base letter + combining mark (0xEC acute, 0xF2 dot below, 0xD2 hook)
    assert b"\xec" in raw and b"\xf2" in raw and b"\xd2" in raw
    survey = load_survey(files.mapping)
    expected_comments = [unicodedata.normalize("NFC", r[COMMENT]) for r in base_rows()]
    texts = survey.comments.set_index("respondent_id")["text"].to_dict()
    assert texts["P-001"] == expected_comments[0] == "Cán bộ hướng dẫn tận tình, chu đáo."
    for cell in string_cells(survey):
        assert unicodedata.is_normalized("NFC", cell), cell
    assert survey.dropped_columns == PERSONAL_HEADERS
    assert_base_survey(survey)


TITLE_BLOCK = ("UBND TỈNH SÔNG LAM", "KẾT QUẢ KHẢO SÁT MỨC ĐỘ HÀI LÒNG NĂM 2023", "")


def test_xlsx_with_title_block_loads_like_csv(tmp_path, csv_utf8_survey):
    files = write_survey(tmp_path, fmt="xlsx", title_rows=TITLE_BLOCK)
    assert openpyxl.load_workbook(files.answers).active["A4"].value == ID  # header on Excel row 4
    survey = load_survey(files.mapping)
    assert_base_survey(survey)
    pd.testing.assert_frame_equal(survey.responses, csv_utf8_survey.responses)
    pd.testing.assert_frame_equal(survey.comments, csv_utf8_survey.comments)


@pytest.mark.parametrize("title_rows", [TITLE_BLOCK, ("",) + TITLE_BLOCK], ids=["title-at-A1", "blank-row-1"])
def test_xlsx_error_rows_are_excel_rows(tmp_path, title_rows):
    rows = base_rows()
    rows[0][STAFF] = "Tạm được"
    files = write_survey(tmp_path, rows, fmt="xlsx", title_rows=title_rows)
    header_row = len(title_rows) + 1
    with pytest.raises(InputError) as info:
        load_survey(files.mapping)
    assert info.value.row == header_row + 1
    assert f"row {header_row + 1}," in str(info.value)
    assert info.value.column == STAFF


def test_parquet_loads_like_csv(tmp_path, csv_utf8_survey):
    files = write_survey(tmp_path, fmt="parquet")
    assert pd.api.types.is_numeric_dtype(pd.read_parquet(files.answers)[ACCESS])
    survey = load_survey(files.mapping)
    assert_base_survey(survey)
    pd.testing.assert_frame_equal(survey.responses, csv_utf8_survey.responses)
    pd.testing.assert_frame_equal(survey.comments, csv_utf8_survey.comments)


def test_semicolon_csv_from_excel_loads(tmp_path, csv_utf8_survey):
    files = write_survey(tmp_path)
    text = files.answers.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    files.answers.write_bytes(out.getvalue().encode("utf-8-sig"))
    pd.testing.assert_frame_equal(load_survey(files.mapping).responses, csv_utf8_survey.responses)


# --------------------------------------------------------------------------- answers


@pytest.mark.parametrize("cell, expected", [
    ("1", 1), ("2", 2), ("3", 3), ("4", 4), ("5", 5), ("4.0", 4),
    ("Rất hài lòng", 5), (" hài lòng ", 4), ("RẤT KHÔNG HÀI LÒNG", 1), ("Bình thường", 3),
    ("Không hài lòng", 2), ("rất   hài  lòng", 5),
    ("không ý kiến", pd.NA), ("Không ý kiến", pd.NA), ("", pd.NA), ("   ", pd.NA),
])
def test_answers_as_numbers_labels_or_missing(tmp_path, cell, expected):
    rows = base_rows()
    rows[0][ACCESS] = cell
    survey = load_survey(write_survey(tmp_path, rows).mapping)
    answer = answers_by_respondent(survey)["P-001"]["access.1"]
    if expected is pd.NA:
        assert answer is pd.NA  # missing, never 0
    else:
        assert answer == expected
    assert str(survey.responses["answer"].dtype) == "Int8"
    assert not (survey.responses["answer"] == 0).any()
    assert set(survey.responses["answer"].dropna()) <= {1, 2, 3, 4, 5}


def test_missing_answers_are_not_counted_as_zero(tmp_path):
    rows = base_rows()
    for row in rows:
        row[STAFF] = "không ý kiến"
    rows[0][STAFF] = "5"
    survey = load_survey(write_survey(tmp_path, rows).mapping)
    staff = survey.responses.loc[survey.responses["item"] == "staff.1", "answer"]
    assert staff.isna().sum() == 3
    assert staff.mean() == 5


# --------------------------------------------------------------------------- periods and units


@pytest.mark.parametrize("cell, period, year", [
    ("2023", "2023", 2023),
    ("2023-07", "2023-07", 2023),
    ("2023-7", "2023-07", 2023),
    ("7/2023", "2023-07", 2023),
    ("07/2023", "2023-07", 2023),
    ("Tháng 7/2023", "2023-07", 2023),
    ("2023-R1", "2023-R1", 2023),
    ("2023-r2", "2023-R2", 2023),
])
def test_periods_are_canonicalised(tmp_path, cell, period, year):
    rows = base_rows()
    for row in rows:
        row[PERIOD] = cell
    survey = load_survey(write_survey(tmp_path, rows).mapping)
    assert set(survey.responses["period"]) == {period}
    assert set(survey.responses["year"]) == {year}
    assert set(survey.comments["period"]) == {period}


def test_same_respondent_id_in_two_periods_is_allowed(tmp_path):
    rows = base_rows()
    rows[2][PERIOD] = rows[3][PERIOD] = "2024"
    rows[2][ID], rows[3][ID] = rows[0][ID], rows[1][ID]
    survey = load_survey(write_survey(tmp_path, rows).mapping)
    assert survey.n_respondents == 4
    assert sorted(survey.responses["period"].unique()) == ["2023", "2024"]


def test_unit_given_by_name_resolves_to_id(tmp_path):
    rows = base_rows()
    rows[0][UNIT] = "Sở Tư pháp"
    rows[1][UNIT] = "  ủy ban nhân dân   huyện xuân lộc "
    rows[2][UNIT] = "BẢO HIỂM XÃ HỘI TỈNH"
    rows[3][UNIT] = "stp"
    survey = load_survey(write_survey(tmp_path, rows).mapping)
    per_person = survey.responses.drop_duplicates("respondent_id").set_index("respondent_id")
    assert per_person["unit_id"].to_dict() == EXPECTED_UNITS
    assert set(survey.comments["unit_id"]) <= {"STP", "UBND-XL", "BHXH"}
    assert list(survey.units["unit_id"]) == ["STP", "UBND-XL", "BHXH"]


# --------------------------------------------------------------------------- personal data


def test_personal_columns_are_dropped_and_never_reach_a_table(tmp_path):
    rows = base_rows()
    survey = load_survey(write_survey(tmp_path, rows).mapping)
    assert survey.dropped_columns == PERSONAL_HEADERS
    assert "personal columns dropped at load: Họ và tên, Số điện thoại, Email, Số CCCD" in survey.load_note()
    personal_values = {row[h] for row in rows for h in PERSONAL_HEADERS}
    digits_only = {re.sub(r"\D", "", v) for v in personal_values if re.search(r"\d{6}", re.sub(r"\D", "", v))}
    cells = list(string_cells(survey))
    for value in personal_values | digits_only | set(PERSONAL_HEADERS):
        leaks = [c for c in cells if value.casefold() in c.casefold()]
        assert not leaks, f"{value!r} reached the Survey: {leaks[:3]}"


def test_comments_are_scrubbed(tmp_path):
    survey = load_survey(write_survey(tmp_path).mapping)
    texts = survey.comments.set_index("respondent_id")["text"].to_dict()
    assert set(texts) == {"P-001", "P-002", "P-003"}  # blank comments are not kept
    assert texts["P-001"] == "Cán bộ hướng dẫn tận tình, chu đáo."
    assert texts["P-002"] == f"Cần liên hệ lại qua số {MASK} hoặc {MASK}"
    assert texts["P-003"] == f"Chờ 15 ngày, đi lại 3 lần mới có kết quả; CMND của tôi là {MASK}."
    for text in texts.values():
        assert find_personal_data(text) == []


# --------------------------------------------------------------------------- the embedded survey


@pytest.fixture(scope="module")
def embedded(survey_mapping) -> Survey:
    return load_survey(survey_mapping)


def test_embedded_survey_loads(embedded):
    assert embedded.n_respondents == 12104
    assert embedded.responses["item"].nunique() == 13
    assert len(embedded.units) == 23
    assert embedded.units["unit_id"].is_unique
    assert set(embedded.responses["unit_id"]) <= set(embedded.units["unit_id"])
    assert list(embedded.responses.columns) == RESPONSE_COLUMNS
    assert len(embedded.responses) == 12104 * 13


def test_embedded_survey_drops_the_two_personal_columns(embedded):
    assert embedded.dropped_columns == ["Họ và tên", "Số điện thoại"]
    assert not set(embedded.dropped_columns) & set(embedded.responses.columns)


def test_embedded_survey_answers_are_1_to_5_or_missing(embedded):
    answers = embedded.responses["answer"]
    assert str(answers.dtype) == "Int8"
    assert set(answers.dropna().unique()) == {1, 2, 3, 4, 5}
    assert answers.isna().any()


def test_embedded_survey_comments_hold_no_personal_data(embedded):
    assert len(embedded.comments) > 0
    found = {text: find_personal_data(text) for text in embedded.comments["text"]}
    assert {t: f for t, f in found.items() if f} == {}


def test_a_trailing_total_row_is_left_out_and_said(tmp_path):
    rows = base_rows()
    total = {header: "" for header in rows[0]}
    total[ID] = "Tổng cộng"
    total[WEIGHT] = "5.5"
    files = write_survey(tmp_path, [*rows, total], fmt="xlsx")
    survey = load_survey(files.mapping)
    assert survey.n_respondents == 4
    assert survey.skipped_rows == [6]  # Excel row: header on row 1, four respondents on rows 2-5
    assert "total rows left out: 6" in survey.load_note()


def test_excel_date_cells_in_the_period_column_are_months(tmp_path):
    import datetime

    files = write_survey(tmp_path, fmt="xlsx")
    book = openpyxl.load_workbook(files.answers)
    sheet = book.active
    column = [c.value for c in sheet[1]].index(PERIOD) + 1
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, column).value = datetime.datetime(2019, 4 + row % 2, 1)
    book.save(files.answers)
    survey = load_survey(files.mapping)
    assert sorted(survey.responses["period"].unique()) == ["2019-04", "2019-05"]


def test_text_cells_are_normalised_once_per_distinct_value_as_cell_by_cell():
    from analysis.data.readers import cell_text, text_grid

    grid = pd.DataFrame({0: [" Rất  hài lòng ", "Re\u0301", "", "1"] * 3,  # text: by distinct value
                         1: [1.0, True, None, pd.Timestamp("2023-07-15")] * 3})  # Excel types: cell by cell
    assert text_grid(grid).equals(grid.map(cell_text))
    assert text_grid(grid)[0].iloc[:2].tolist() == ["Rất hài lòng", "Ré"]
    assert text_grid(grid)[1].iloc[:2].tolist() == ["1", "True"]


def test_text_found_clean_without_a_call_is_text_cell_text_leaves_as_it_is():
    """The fast path for a million form numbers: every ASCII value it skips is one cell_text returns unchanged,
    white space of every kind Python's split() knows included."""
    from analysis.data.readers import already_clean, cell_text

    values = ["P000001", "a b", "a  b", " a", "a ", "a\tb", "a\x0bb", "a\x1fb", "a\nb", "Hoà", "Hoa\u0300", "",
              "a\u00a0b", "2023-R1", "x\x1cy"]
    clean = already_clean(pd.Index(values))
    assert clean.tolist() == [cell_text(v) == v and v.isascii() for v in values]
    assert all(cell_text(v) == v for v, same in zip(values, clean, strict=True) if same)
