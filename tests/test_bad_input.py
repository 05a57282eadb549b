"""Bad input: every problem is an InputError naming file, row, column and the fix; nothing is written."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest
from test_load import (
    ACCESS,
    ID,
    PERIOD,
    STAFF,
    UNIT,
    UNITS,
    WEIGHT,
    base_rows,
    default_mapping,
    write_survey,
)

from analysis.data.load import load_survey
from analysis.errors import InputError


def snapshot(folder: Path) -> dict[str, str]:
    """Every file (and folder) under ``folder`` with the SHA-256 of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            for p in sorted(folder.rglob("*"))}


def load_fails(mapping: Path, *, file: Path, row: int | None = None, column: str | None = None) -> InputError:
    """Load, expect an InputError at file/row/column with a Fix line, and check nothing was written."""
    folder = mapping.parent
    before = snapshot(folder)
    with pytest.raises(InputError) as info:
        load_survey(mapping)
    assert snapshot(folder) == before, "load_survey wrote to the input folder"
    error = info.value
    message = str(error)
    where = message.splitlines()[0]
    assert where.startswith(f"{file}, ") or where.startswith(f"{file}:"), message
    assert error.file == str(file)
    assert error.row == row, message
    if row is not None:
        assert f"row {row}" in where
    assert error.column == column, message
    if column is not None:
        assert f"column {column!r}" in where
    fix_lines = [line for line in message.splitlines() if line.startswith("Fix: ")]
    assert len(fix_lines) == 1 and len(fix_lines[0]) > len("Fix: ") + 10, message
    return error


def file_row(index: int) -> int:
    """CSV row of base_rows()[index]: the header is row 1."""
    return index + 2


# --------------------------------------------------------------------------- empty files


@pytest.mark.parametrize("content", [b"", b"   \r\n\t\n  \n"], ids=["zero-bytes", "whitespace"])
def test_empty_survey_file(tmp_path, content):
    files = write_survey(tmp_path)
    files.answers.write_bytes(content)
    error = load_fails(files.mapping, file=files.answers)
    assert "empty" in str(error)


@pytest.mark.parametrize("content", [b"", b" \n\n"], ids=["zero-bytes", "whitespace"])
def test_empty_units_file(tmp_path, content):
    files = write_survey(tmp_path)
    files.units.write_bytes(content)
    error = load_fails(files.mapping, file=files.units)
    assert "empty" in str(error)


# --------------------------------------------------------------------------- missing required columns


def test_units_file_without_unit_name(tmp_path):
    units = [{k: v for k, v in unit.items() if k != "unit_name"} for unit in UNITS]
    files = write_survey(tmp_path, units=units)
    error = load_fails(files.mapping, file=files.units, row=1, column="unit_name")
    assert "missing" in str(error)


def test_mapping_without_respondent_id(tmp_path):
    mapping = default_mapping()
    del mapping["columns"]["respondent_id"]
    files = write_survey(tmp_path, mapping=mapping)
    error = load_fails(files.mapping, file=files.mapping, column="respondent_id")
    assert "respondent_id" in error.fix


# --------------------------------------------------------------------------- answers


def test_unknown_answer_label(tmp_path):
    rows = base_rows()
    rows[1][STAFF] = "Tạm được"
    files = write_survey(tmp_path, rows)
    error = load_fails(files.mapping, file=files.answers, row=file_row(1), column=STAFF)
    assert "'Tạm được'" in str(error)
    assert "Rất hài lòng" in error.fix  # the fix lists the labels that are understood


@pytest.mark.parametrize("value", ["0", "6", "9"])
def test_answer_out_of_range(tmp_path, value):
    rows = base_rows()
    rows[2][STAFF] = value
    files = write_survey(tmp_path, rows)
    error = load_fails(files.mapping, file=files.answers, row=file_row(2), column=STAFF)
    assert f"'{value}'" in str(error) and "1-5" in str(error)


# --------------------------------------------------------------------------- ids, units, periods


def test_duplicated_respondent_id_within_a_period(tmp_path):
    rows = base_rows()
    rows[3][ID] = rows[1][ID]
    files = write_survey(tmp_path, rows)
    error = load_fails(files.mapping, file=files.answers, row=file_row(3), column=ID)
    assert f"'{rows[1][ID]}'" in str(error) and "2023" in str(error)
    assert f"rows {file_row(1)}, {file_row(3)}" in str(error)


def test_unknown_unit(tmp_path):
    rows = base_rows()
    rows[2][UNIT] = "Sở Không Tồn Tại"
    files = write_survey(tmp_path, rows)
    error = load_fails(files.mapping, file=files.answers, row=file_row(2), column=UNIT)
    assert "'Sở Không Tồn Tại'" in str(error) and "units.csv" in error.fix


@pytest.mark.parametrize("value", ["năm ngoái", "2023-13"])
def test_unparseable_period(tmp_path, value):
    rows = base_rows()
    rows[1][PERIOD] = value
    files = write_survey(tmp_path, rows)
    error = load_fails(files.mapping, file=files.answers, row=file_row(1), column=PERIOD)
    assert f"{value!r}" in str(error)


# --------------------------------------------------------------------------- mixed types


def test_text_in_weight_column(tmp_path):
    rows = base_rows()
    rows[2][WEIGHT] = "không rõ"
    files = write_survey(tmp_path, rows)
    error = load_fails(files.mapping, file=files.answers, row=file_row(2), column=WEIGHT)
    assert "'không rõ'" in str(error)


def test_period_column_mixing_years_and_months(tmp_path):
    rows = base_rows()
    rows[2][PERIOD] = "2023-07"
    files = write_survey(tmp_path, rows)
    error = load_fails(files.mapping, file=files.answers, row=file_row(2), column=PERIOD)
    assert "'2023-07'" in str(error) and "'2023'" in str(error)


# --------------------------------------------------------------------------- mapping and file format


def test_mapping_names_a_column_missing_from_the_file(tmp_path):
    mapping = default_mapping()
    mapping["columns"]["weight"] = "Trọng số mẫu"
    files = write_survey(tmp_path, mapping=mapping)
    error = load_fails(files.mapping, file=files.mapping, column="Trọng số mẫu")
    assert files.answers.name in str(error)  # says which file lacks the column
    assert f"{WEIGHT!r}" in error.fix  # suggests the closest header


@pytest.mark.parametrize("content", [
    "answers: survey.csv\ncolumns: [Số phiếu, Năm\n  items: {staff.1: : x\n".encode(),
    "Đây là danh sách cột, không phải YAML".encode(),
    "Số phiếu,Kỳ khảo sát,Cơ quan\nP-001,2023,STP\n".encode(),
    random.Random(1258).randbytes(512),
], ids=["broken-yaml", "plain-text", "csv-given-as-mapping", "binary"])
def test_mapping_that_is_not_yaml(tmp_path, content):
    files = write_survey(tmp_path)
    files.mapping.write_bytes(content)
    load_fails(files.mapping, file=files.mapping)


def test_xlsx_that_is_random_bytes(tmp_path):
    files = write_survey(tmp_path, fmt="xlsx")
    files.answers.write_bytes(random.Random(2023).randbytes(4096))
    load_fails(files.mapping, file=files.answers)


def test_an_input_error_crosses_a_process_boundary_intact():
    """Batch reports run in worker processes: their input errors come back pickled, with every field."""
    import pickle

    error = pickle.loads(pickle.dumps(InputError("a.csv", "answer 7 is outside 1-5", row=12, column="Câu 3",
                                                 fix="use 1-5")))
    assert (error.file, error.row, error.column, error.fix) == ("a.csv", 12, "Câu 3", "use 1-5")
    assert str(error) == "a.csv, row 12, column 'Câu 3': answer 7 is outside 1-5.\nFix: use 1-5."


# --------------------------------------------------------------------------- every bad cell in one message


def test_every_bad_answer_of_a_kind_is_named_in_one_message(tmp_path):
    """Codes 9 ("no answer") in 200 cells of two columns: one run, one message, with the count and the rows."""
    rows = [dict(base_rows()[i % 4], **{ID: f"P-{i:04d}"}) for i in range(150)]
    for row in rows[1:]:
        row[STAFF] = "9"
    for row in rows[100:]:
        row[ACCESS] = "9"
    files = write_survey(tmp_path, rows)
    error = load_fails(files.mapping, file=files.answers, row=file_row(100), column=ACCESS)
    message = str(error)
    assert "49 more cell(s) of the same kind in this column" in message, message
    assert f"rows {file_row(101)}, {file_row(102)}" in message
    assert f"column {STAFF!r} from row {file_row(1)}" in message, message
    assert "1 other column(s)" in message


def test_every_unknown_unit_is_counted(tmp_path):
    rows = base_rows()
    rows[1][UNIT] = rows[3][UNIT] = "Sở Không Tồn Tại"
    files = write_survey(tmp_path, rows)
    error = load_fails(files.mapping, file=files.answers, row=file_row(1), column=UNIT)
    assert f"1 more cell(s) of the same kind in this column (rows {file_row(3)}" in str(error)
