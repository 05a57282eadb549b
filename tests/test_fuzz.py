"""Fuzz the loaders: random, truncated, corrupted and wrongly encoded files give a load or an InputError.

About 200 cases from a fixed seed: random bytes, printable garbage, CSV
look-alikes, valid files cut at random offsets, bytes flipped, valid text in
the wrong encoding (UTF-16, UTF-32, Shift-JIS, KOI8-R, ...), CSV bytes named
.xlsx, zip archives that are not workbooks and workbooks with broken XML,
fed as the survey file, the units table, the mapping and the side tables
(events, targets, series, published figures).  Each must either load
correctly or raise :class:`analysis.errors.InputError` naming the file with a
fix; any other exception fails the test and lists the case, so it can be
replayed with :func:`fuzz_cases`.  A load of a damaged survey is correct when
every respondent read is one of the file's and all but the last (which may
be cut) have their original answers.
"""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path
from typing import NamedTuple

import pytest
import yaml
from conftest import RAW
from test_load import (
    answers_by_respondent,
    base_rows,
    csv_bytes,
    default_mapping,
    to_cp1258,
    write_survey,
)

from analysis.data.load import (
    load_events,
    load_published_figures,
    load_series,
    load_survey,
    load_targets,
)
from analysis.data.schema import RESPONSE_COLUMNS, Survey
from analysis.errors import InputError

SEED = 20240607
WRONG_ENCODINGS = ["utf-16", "utf-16-be", "utf-32", "shift_jis", "koi8-r", "big5", "cp1252", "latin-1",
                   "mac_roman", "cp437"]


class Case(NamedTuple):
    name: str
    target: str  # which file the bytes replace: survey.csv, survey.xlsx, units.csv, mapping.yaml, or a side table
    data: bytes
    exact: bool = True  # a load must give the original answers (flipped bytes may change an answer: not exact)


# --------------------------------------------------------------------------- valid material to damage


def base_csv(encoding: str = "utf-8") -> bytes:
    text = csv_bytes(base_rows(), "utf-8").decode("utf-8")
    return to_cp1258(text) if encoding == "cp1258" else text.encode(encoding)


def base_xlsx(tmp: Path) -> bytes:
    files = write_survey(tmp / "xlsx-source", fmt="xlsx", title_rows=("UBND TỈNH SÔNG LAM", ""))
    return files.answers.read_bytes()


def embedded_head(lines: int = 120) -> bytes:
    """The first lines of the embedded survey (read only; never written)."""
    with open(RAW / "province_survey" / "survey.csv", "rb") as handle:
        return b"".join(handle.readline() for _ in range(lines))


def side_tables() -> dict[str, bytes]:
    return {
        "events.csv": (RAW / "province_survey" / "events.csv").read_bytes(),
        "targets.csv": (RAW / "province_survey" / "targets.csv").read_bytes(),
        "published.csv": (RAW / "published_figures.csv").read_bytes(),
        "series.csv": (RAW / "papi" / "2024.csv").read_bytes()[:6000],
    }


def rezip(workbook: bytes, change) -> bytes:
    """The workbook with ``change(name, data) -> data`` applied to each zip entry."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, change(info.filename, source.read(info.filename)))
    return out.getvalue()


def flip(rng: random.Random, data: bytes, count: int) -> bytes:
    data = bytearray(data)
    for _ in range(count):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def cut(rng: random.Random, data: bytes) -> bytes:
    return data[:rng.randrange(1, len(data))]


def garbage_csv(rng: random.Random) -> bytes:
    """Text that looks like CSV: separators, quotes, line ends, digits, Vietnamese letters, headers."""
    pieces = [",", ";", "\t", '"', "\n", "\r\n", "1", "5", "2023", "Số phiếu", "Cơ quan", "ệ", "đ", " ",
              "không ý kiến",
              "Rất hài lòng", "STP", "\x00", "\ufeff", "=1+1", "NA"]
    return "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 300))).encode("utf-8")


def fuzz_cases(tmp: Path, seed: int = SEED, scale: int = 1) -> list[Case]:
    """The cases, from a fixed seed; ``scale`` multiplies their number (for longer local runs)."""
    rng = random.Random(seed)
    cases: list[Case] = []
    valid = {enc: base_csv(enc) for enc in ("utf-8", "utf-8-sig", "cp1258")}
    real = embedded_head()
    workbook = base_xlsx(tmp)
    mapping = yaml.safe_dump(default_mapping(), allow_unicode=True, sort_keys=False).encode("utf-8")
    units = (RAW / "province_survey" / "units.csv").read_bytes()
    text = valid["utf-8"].decode("utf-8")
    for k in range(scale):
        tag = f"{k}-"
        for i in range(14):
            cases.append(Case(f"{tag}random-bytes-{i}", "survey.csv", rng.randbytes(rng.choice([1, 7, 100, 3000]))))
            cases.append(Case(f"{tag}csv-garbage-{i}", "survey.csv", garbage_csv(rng)))
        for i in range(8):
            cases.append(Case(f"{tag}random-bytes-xlsx-{i}", "survey.xlsx", rng.randbytes(rng.choice([1, 22, 4000]))))
        for enc, data in valid.items():
            for i in range(8):
                cases.append(Case(f"{tag}cut-{enc}-{i}", "survey.csv", cut(rng, data)))
        for i in range(16):
            cases.append(Case(f"{tag}cut-embedded-{i}", "survey.embedded.csv", cut(rng, real)))
        for i in range(8):
            cases.append(Case(f"{tag}flip-csv-{i}", "survey.csv", flip(rng, valid["utf-8-sig"], rng.randrange(1, 6)),
                              False))
            cases.append(Case(f"{tag}flip-embedded-{i}", "survey.embedded.csv", flip(rng, real, rng.randrange(1, 20)),
                              False))
        for enc in WRONG_ENCODINGS:
            cases.append(Case(f"{tag}encoding-{enc}", "survey.csv", text.encode(enc, errors="replace")))
            cases.append(Case(f"{tag}encoding-{enc}-embedded", "survey.embedded.csv",
                              real.decode("utf-8-sig").encode(enc, errors="replace")))
        cases.append(Case(f"{tag}mixed-utf8-header-cp1258-body", "survey.csv",
                          text.split("\r\n", 1)[0].encode("utf-8") + b"\r\n" + to_cp1258(text.split("\r\n", 1)[1])))
        cases.append(Case(f"{tag}nul-bytes", "survey.csv", valid["utf-8"].replace(b",", b"\x00,")))
        for i in range(12):
            cases.append(Case(f"{tag}cut-xlsx-{i}", "survey.xlsx", cut(rng, workbook)))
        for i in range(6):
            cases.append(Case(f"{tag}flip-xlsx-{i}", "survey.xlsx", flip(rng, workbook, rng.randrange(1, 10)), False))
        cases.append(Case(f"{tag}csv-named-xlsx", "survey.xlsx", valid["utf-8"]))
        cases.append(Case(f"{tag}zip-not-a-workbook", "survey.xlsx", rezip_plain(rng)))
        for i, part in enumerate(("xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml",
                                  "[Content_Types].xml", "xl/styles.xml")):
            cases.append(Case(f"{tag}xlsx-broken-xml-{i}", "survey.xlsx",
                              rezip(workbook, lambda name, data, part=part: cut(rng, data) if name == part else data)))
        cases.append(Case(f"{tag}xlsx-empty-sheet", "survey.xlsx", rezip(workbook, lambda name, data: (
            b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b"<sheetData/></worksheet>" if name == "xl/worksheets/sheet1.xml" else data))))
        for i in range(6):
            cases.append(Case(f"{tag}units-cut-{i}", "units.csv", cut(rng, units), False))
        cases.append(Case(f"{tag}units-random", "units.csv", rng.randbytes(500)))
        cases.append(Case(f"{tag}units-utf16", "units.csv", units.decode("utf-8-sig").encode("utf-16")))
        for i in range(12):
            cases.append(Case(f"{tag}mapping-cut-{i}", "mapping.yaml", cut(rng, mapping), False))
        for i in range(3):
            cases.append(Case(f"{tag}mapping-flip-{i}", "mapping.yaml", flip(rng, mapping, rng.randrange(1, 8)), False))
        cases.append(Case(f"{tag}mapping-random", "mapping.yaml", rng.randbytes(300)))
        for i, broken in enumerate(broken_mappings()):
            cases.append(Case(f"{tag}mapping-shape-{i}", "mapping.yaml", broken))
        cases.append(Case(f"{tag}mapping-utf16", "mapping.yaml", mapping.decode("utf-8").encode("utf-16")))
        cases.append(Case(f"{tag}mapping-cp1258", "mapping.yaml", to_cp1258(mapping.decode("utf-8"))))
        for name, data in side_tables().items():
            for i in range(3):
                cases.append(Case(f"{tag}{name}-cut-{i}", name, cut(rng, data)))
            cases.append(Case(f"{tag}{name}-flip", name, flip(rng, data, 5)))
            cases.append(Case(f"{tag}{name}-random", name, rng.randbytes(200)))
            cases.append(Case(f"{tag}{name}-utf16", name, data.decode("utf-8-sig").encode("utf-16")))
    return cases


def broken_mappings() -> list[bytes]:
    """Mappings of the wrong shape, as a cut or a careless edit leaves them (sections empty, lists, numbers)."""
    shapes = []
    for key, value in (("items", None), ("items", ["access.1"]), ("columns", None), ("columns", ["Số phiếu"]),
                       ("answers", None), ("answers", 12), ("answers", ["survey.csv"]), ("units", None),
                       ("values", ["Trực tuyến"]), ("values", {"channel": None}), ("sheet", "Không có"),
                       ("defaults", "online")):
        mapping = default_mapping()
        mapping[key] = value
        shapes.append(mapping)
    mapping = default_mapping()
    mapping["columns"]["period"] = None
    shapes.append(mapping)
    mapping = default_mapping()
    mapping["items"]["staff.1"] = ["3.1"]
    shapes.append(mapping)
    dumped = [yaml.safe_dump(m, allow_unicode=True, sort_keys=False).encode("utf-8") for m in shapes]
    return dumped + [b"- a\n- b\n", b"42\n", b"title: only\n", b"answers: survey.csv\ncolumns:\nitems:\n"]


def rezip_plain(rng: random.Random) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "không phải bảng tính")
        archive.writestr("data.bin", rng.randbytes(100))
    return out.getvalue()


# --------------------------------------------------------------------------- running one case


SIDE_LOADERS = {"events.csv": load_events, "targets.csv": load_targets, "published.csv": load_published_figures,
                "series.csv": load_series}


def run_case(case: Case, folder: Path) -> str | None:
    """Load the damaged file; return a description of what went wrong, or None when all is well."""
    folder.mkdir(parents=True)
    if case.target in SIDE_LOADERS:
        path = folder / case.target
        path.write_bytes(case.data)
        return outcome(lambda: SIDE_LOADERS[case.target](path), {path}, check=lambda table: None)
    if case.target == "survey.embedded.csv":
        real = RAW / "province_survey"
        path = folder / "survey.csv"
        path.write_bytes(case.data)
        mapping = folder / "mapping.yaml"
        text = (real / "mapping.yaml").read_text(encoding="utf-8")  # its published figures and PAPI where they are
        text = text.replace("published: ../", f"published: {RAW}/").replace("papi: ../", f"papi: {RAW}/")
        mapping.write_text(text, encoding="utf-8")
        (folder / "units.csv").write_bytes((real / "units.csv").read_bytes())
        for side in ("events.csv", "targets.csv"):
            (folder / side).write_bytes((real / side).read_bytes())
        original = load_survey_once("embedded")
        return outcome(lambda: load_survey(mapping), {path, mapping},
                       check=lambda s: same_as_original(s, original, case.exact))
    fmt = "xlsx" if case.target == "survey.xlsx" else "csv"
    files = write_survey(folder, fmt=fmt)
    original = load_survey_once("base")
    target = {"survey.csv": files.answers, "survey.xlsx": files.answers, "units.csv": files.units,
              "mapping.yaml": files.mapping}[case.target]
    target.write_bytes(case.data)
    return outcome(lambda: load_survey(files.mapping), {files.answers, files.units, files.mapping},
                   check=lambda s: same_as_original(s, original, case.exact))


_ORIGINALS: dict[str, dict] = {}


def load_survey_once(which: str) -> dict:
    if which not in _ORIGINALS:
        if which == "embedded":
            survey = load_survey(RAW / "province_survey" / "mapping.yaml")
            head = survey.responses[survey.responses["respondent_id"].isin(
                survey.responses["respondent_id"].drop_duplicates().head(200))]
            _ORIGINALS[which] = answers_by_respondent(Survey(responses=head, units=survey.units))
        else:
            import tempfile

            with tempfile.TemporaryDirectory() as scratch:
                _ORIGINALS[which] = answers_by_respondent(load_survey(write_survey(Path(scratch)).mapping))
    return _ORIGINALS[which]


def same_as_original(survey: Survey, original: dict, exact: bool = True) -> str | None:
    """None when the survey read is the original's, but for a last respondent cut short (``exact``),
    or (not ``exact``) when it is at least a well-formed survey."""
    if list(survey.responses.columns) != RESPONSE_COLUMNS:
        return f"columns {list(survey.responses.columns)}"
    answers = survey.responses["answer"]
    if str(answers.dtype) != "Int8" or not answers.dropna().isin([1, 2, 3, 4, 5]).all():
        return "answers outside 1-5"
    if not exact:
        return None
    got = answers_by_respondent(survey)
    ids = list(got)
    for position, rid in enumerate(ids):
        last = position == len(ids) - 1
        if rid not in original:
            if last and any(o.startswith(rid) for o in original):
                continue  # the id itself was cut
            return f"respondent {rid!r} is not in the file"
        if not last and got[rid] != original[rid]:
            return f"respondent {rid!r} has answers {got[rid]}, the file has {original[rid]}"
    return None


def outcome(load, files: set[Path], check) -> str | None:
    try:
        result = load()
    except InputError as error:
        folder = next(iter(files)).parent  # a damaged mapping may name another file there (survCy.csv)
        if Path(error.file).parent != folder:
            return f"InputError names {error.file!r}, not a file of the case"
        if not error.fix:
            return f"InputError without a fix: {error}"
        return None
    except Exception as error:  # noqa: BLE001 -- the point of the test
        return f"{type(error).__module__}.{type(error).__name__}: {str(error)[:300]}"
    return check(result)


# --------------------------------------------------------------------------- the test


@pytest.mark.slow  # some 200 cases, each a load: make test runs it, make test-fast leaves it out
def test_fuzzed_files_load_or_fail_with_an_input_error(tmp_path):
    cases = fuzz_cases(tmp_path / "material")
    assert 180 <= len(cases) <= 260, len(cases)
    problems = []
    for number, case in enumerate(cases):
        problem = run_case(case, tmp_path / f"case-{number:03d}")
        if problem:
            problems.append(f"{case.name} ({case.target}, {len(case.data)} bytes): {problem}")
    assert not problems, f"{len(problems)} of {len(cases)} cases:\n" + "\n".join(problems)


@pytest.mark.parametrize("encoding", WRONG_ENCODINGS[:3])
def test_a_survey_in_a_wrong_encoding_is_an_input_error_not_a_wrong_load(tmp_path, encoding):
    """UTF-16/32 files are not silently read as garbage: the error names the file and says how to save it."""
    files = write_survey(tmp_path)
    files.answers.write_bytes(base_csv().decode("utf-8").encode(encoding))
    with pytest.raises(InputError) as info:
        load_survey(files.mapping)
    assert info.value.file == str(files.answers)
    assert info.value.fix
