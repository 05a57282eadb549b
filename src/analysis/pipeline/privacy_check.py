"""Privacy check over every file a report run wrote.

:func:`scan_outputs` reads every text file under a report folder (CSV, JSON,
HTML, notebooks, and the cells of ``.xlsx`` workbooks; embedded base64 images
and hex hashes are taken out first) and returns what should not be there:

``pattern``
    a phone number, e-mail or ID number (:func:`analysis.data.privacy.find_personal_data`);
``personal-value``
    a value of one of the input's personal columns, dropped at load (the names
    under 'Họ và tên', the numbers under 'Số điện thoại', ...), read again from
    the raw survey file through its mapping.  Values are matched word by word
    (case-insensitive, NFC), so 'Nguyễn  Văn An' and 'nguyễn văn an' are found
    too; a value of a single word shorter than 6 characters is not searched
    (a given name such as 'An' is an ordinary word);
``small-cell``
    a table row whose ``n`` (or ``comments``, or ``<prefix>_n`` for the
    ``<prefix>_...`` columns) is below the minimum cell size but shows an
    estimate, or a row flagged ``suppressed`` that still shows a number;
``flagged-id``
    the respondent id of a form the integrity checks flagged (the ``respondent_id``
    column of the report's restricted files, :func:`restricted_folder`,
    :mod:`analysis.sections.integrity`) anywhere in the report folder: those ids are
    for the survey's owner only.  Ids shorter than 6 characters are not searched
    (they read as ordinary numbers);
``restricted``
    a restricted file (a ``restricted/`` folder) inside the published folder.

PNG figures and the PDF are not read (the PDF prints ``index.html``, which is);
a workbook that cannot be opened is reported as ``unreadable``.

>>> report = "reports/song_lam/province/2023/vi"
>>> findings = scan_outputs(report, "data/raw/province_survey/mapping.yaml")  # doctest: +SKIP
>>> [str(f) for f in findings]  # doctest: +SKIP
[]
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.data.privacy import find_personal_data
from analysis.data.schema import Survey

TEXT_SUFFIXES = (".csv", ".json", ".html", ".htm", ".ipynb", ".txt", ".md")
EMBEDDED = re.compile(r"data:[\w/+.\-]+;base64,[A-Za-z0-9+/=\s]+")  # images inlined in HTML
HASH = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b|\b[0-9a-f]{16,}\b"
                  r"|\b0x[0-9a-fA-F]+\b")  # uuids, hashes, memory addresses ('<Styler at 0x7ff229294590>')
SKIPPED_KEYS = ("id", "sha256", "commit")  # JSON keys whose values are ids and hashes
WORD = re.compile(r"\w+")
MIN_SINGLE_WORD = 6  # a personal value of one word is searched only from this length

N_COLUMNS = ("n", "n_min", "comments", "respondents")  # counts of the group a row describes (n_min: its smaller side)
ESTIMATE_NAMES = {
    "estimate", "rate", "se", "ci_low", "ci_high", "mean", "satisfied", "dissatisfied", "share", "share_low",
    "share_high", "difference", "p_value", "shrunk", "count", "answered", "completeness", "rank", "rank_low",
    "rank_high", "first", "second", "value", "score",
}
ESTIMATE_SUFFIXES = {"estimate", "rate", "mean", "share", "low", "high"}  # e.g. mean_low, dissatisfied_high
SHARED_NAMES = {"difference", "p_value"}  # depend on every group of the row
RESTRICTED = "restricted"  # the folder a section writes its files for the survey's owner into (never published)
RESTRICTED_ROOT = ".restricted"  # beside a survey's reports, unlisted by the index: see restricted_folder
TOKEN = re.compile(r"\w[\w\-./:]*\w|\w")  # an id as it may be written: 2023-SNV-0003, KB/12.5


@dataclass(frozen=True)
class Finding:
    """One thing a report must not show: where (file, row) and what."""

    path: str
    kind: str  # "pattern", "personal-value", "small-cell", "flagged-id", "restricted" or "unreadable"
    detail: str

    def __str__(self) -> str:
        return f"{self.path}: {self.kind}: {self.detail}"


# --------------------------------------------------------------------------- personal values of the input


def words(text: str) -> list[str]:
    return WORD.findall(unicodedata.normalize("NFC", str(text)).casefold())


class PersonalValues:
    """The values of the dropped personal columns, searchable word by word in any text."""

    def __init__(self, values) -> None:
        self.by_length: dict[int, set[tuple[str, ...]]] = defaultdict(set)
        self.original: dict[tuple[str, ...], str] = {}
        for value in values:
            value = str(value)
            forms = [tuple(words(value))]
            digits = "".join(ch for ch in value if ch.isdigit())
            if len(digits) >= MIN_SINGLE_WORD:
                forms.append((digits,))  # '0912 345 678' written as 0912345678
            for form in forms:
                if not form or (len(form) == 1 and len(form[0]) < MIN_SINGLE_WORD):
                    continue
                self.by_length[len(form)].add(form)
                self.original.setdefault(form, value)

    def __len__(self) -> int:
        return len(self.original)

    def find(self, text: str) -> list[str]:
        found = set()
        seq = words(text)
        for length, needles in self.by_length.items():
            for start in range(len(seq) - length + 1):
                key = tuple(seq[start:start + length])
                if key in needles:
                    found.add(self.original[key])
        return sorted(found)


def personal_values(survey: Survey | str | Path | None) -> PersonalValues:
    """Values of the survey's personal columns, dropped at load, read again from its raw file."""
    from analysis.data.load import load_survey, read_mapping
    from analysis.data.readers import find_header_row, nfc, read_grid, table_from_grid

    if survey is None:
        return PersonalValues([])
    if not isinstance(survey, Survey):
        survey = load_survey(survey)
    if not survey.dropped_columns:
        return PersonalValues([])
    mapping_path = Path(survey.inputs[0])
    mapping = read_mapping(mapping_path)
    path = mapping_path.parent / mapping["answers"]
    grid = read_grid(path, mapping.get("sheet", 0))
    expected = [nfc(h) for h in [*mapping["columns"].values(), *mapping["items"].values()]]
    table = table_from_grid(grid, find_header_row(grid, expected, path, "mapped"), path)
    values = pd.unique(table[survey.dropped_columns].to_numpy().ravel())
    return PersonalValues(v for v in values if str(v).strip())


# --------------------------------------------------------------------------- reading what a run wrote


def json_strings(node, key: str = "") -> list[str]:
    """Every string in a JSON document but images and ids/hashes."""
    if isinstance(node, dict):
        return [s for k, v in node.items() if not (k.startswith("image/") or k in SKIPPED_KEYS)
                for s in json_strings(v, k)]
    if isinstance(node, list):
        return [s for v in node for s in json_strings(v, key)]
    return [node] if isinstance(node, str) else []


def readable_text(path: Path) -> str:
    """The text of a file as a reader sees it, without embedded images and hashes."""
    raw = path.read_bytes().decode("utf-8-sig", errors="replace")
    if path.suffix in (".json", ".ipynb"):
        with contextlib.suppress(ValueError):  # not JSON after all: read as text
            raw = "\n".join(json_strings(json.loads(raw)))
    raw = EMBEDDED.sub(" ", raw)
    if path.suffix in (".html", ".htm", ".ipynb"):
        raw = html.unescape(raw)
    return HASH.sub(" ", raw)


def workbook_tables(path: Path) -> dict[str, pd.DataFrame]:
    """Every sheet of a workbook as text cells ('' for blanks)."""
    sheets = pd.read_excel(path, sheet_name=None, dtype=object, engine="openpyxl")
    return {name: sheet.map(lambda v: "" if pd.isna(v) else str(v)) for name, sheet in sheets.items()}


def csv_table(path: Path) -> pd.DataFrame | None:
    try:
        return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    except (ValueError, pd.errors.ParserError, pd.errors.EmptyDataError):
        return None


# --------------------------------------------------------------------------- small cells


def governed_columns(columns: list[str], n_column: str) -> list[str]:
    """The estimate columns whose group is counted by ``n_column``."""
    prefixes = {c[:-1] for c in columns if c.endswith("_n")}
    if n_column.endswith("_n"):
        prefix = n_column[:-1]
        return [c for c in columns if c != n_column and (c.startswith(prefix) or c in SHARED_NAMES)]
    return [c for c in columns if c not in N_COLUMNS and not any(c.startswith(p) for p in prefixes)
            and (c in ESTIMATE_NAMES or c.rsplit("_", 1)[-1] in ESTIMATE_SUFFIXES)]


def shown(value: str) -> bool:
    return str(value).strip() not in ("", "nan", "NaN", "<NA>", "None")


def small_cells(table: pd.DataFrame, where: str, min_cell: int) -> list[Finding]:
    """Rows of a table that show an estimate for a group under ``min_cell`` (or flagged suppressed)."""
    columns = [str(c) for c in table.columns]
    table = table.set_axis(columns, axis=1)
    n_columns = [c for c in columns if c in N_COLUMNS or c.endswith("_n")]
    if "comments" in n_columns and "n" in n_columns:
        n_columns.remove("comments")
    findings = []
    flagged = (table["suppressed"].astype(str).str.strip().str.casefold().isin(["true", "1", "yes", "có"])
               if "suppressed" in table else pd.Series(False, index=table.index))
    for n_column in n_columns:
        governed = governed_columns(columns, n_column)
        if not governed:
            continue
        n = pd.to_numeric(table[n_column].astype(str).str.replace(",", ".", regex=False), errors="coerce")
        for position, (index, row) in enumerate(table.iterrows()):
            showing = [c for c in governed if shown(row[c])]
            if n.loc[index] < min_cell and showing:
                findings.append(Finding(where, "small-cell", f"row {position + 2}: {n_column} = {row[n_column]} is "
                                        f"below {min_cell} but the row shows {', '.join(showing)}"))
            elif flagged.loc[index] and (showing or shown(row[n_column])):
                findings.append(Finding(where, "small-cell", f"row {position + 2} is flagged suppressed but shows "
                                        f"{', '.join(([n_column] if shown(row[n_column]) else []) + showing)}"))
    return findings


# --------------------------------------------------------------------------- the scan


def report_min_cell(folder: Path) -> int:
    """The minimum cell size the run used (its manifest), else 10."""
    try:
        return int(json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["parameters"]["min_cell"])
    except (OSError, ValueError, KeyError, TypeError):
        return 10


def restricted_folder(report: str | Path) -> Path:
    """Where the restricted files of the report folder ``<out>/<survey>/<scope>/<period>/<lang>`` go:
    ``<out>/<survey>/.restricted/<scope>/<period>/<lang>``, outside the published folder, a dot folder that
    the index of reports does not list.

    >>> restricted_folder("/r/song_lam/province/2023/vi").as_posix()
    '/r/song_lam/.restricted/province/2023/vi'
    """
    report = Path(report).absolute()
    survey = report.parents[2]
    return survey / RESTRICTED_ROOT / report.relative_to(survey)


def flagged_ids(folder: Path) -> set[str]:
    """The respondent ids of the restricted files of a report folder (the forms the integrity checks flagged),
    read from :func:`restricted_folder` and from a ``restricted/`` folder left inside it."""
    ids: set[str] = set()
    for path in sorted([*restricted_folder(folder).glob("*.csv"), *(folder / RESTRICTED).glob("*.csv")]):
        table = csv_table(path)
        if table is not None and "respondent_id" in table:
            ids |= {i for i in table["respondent_id"].str.strip() if len(i) >= MIN_SINGLE_WORD}
    return ids


def scan_text(text: str, where: str, personal: PersonalValues,
              ids: AbstractSet[str] = frozenset()) -> list[Finding]:
    findings = [Finding(where, "pattern", f"{found!r} looks like a phone number, e-mail or ID number")
                for found in dict.fromkeys(find_personal_data(text))]
    findings += [Finding(where, "personal-value", f"{value!r} is a value of a personal column of the input")
                 for value in personal.find(text)]
    if ids:
        findings += [Finding(where, "flagged-id", f"{token!r} is the id of a form the integrity checks flagged")
                     for token in dict.fromkeys(TOKEN.findall(text)) if token in ids]
    return findings


def scan_outputs(folder: str | Path, survey: Survey | str | Path | None = None,
                 min_cell: int | None = None) -> list[Finding]:
    """What a report folder shows that it must not: personal data and small cells (see the module doc).

    Parameters
    ----------
    folder : a report folder (``reports/<survey>/<scope>/<period>/<lang>``) or any folder a run wrote.
    survey : the input: a :class:`~analysis.data.schema.Survey` from :func:`analysis.data.load.load_survey`,
        or its mapping file; its dropped personal columns are read again from the raw
        survey file.  ``None``: only patterns and small cells are checked.
    min_cell : the minimum cell size; default the one in the folder's ``manifest.json`` (else 10).

    Returns the findings, by file (empty: nothing found).
    """
    folder = Path(folder)
    min_cell = report_min_cell(folder) if min_cell is None else min_cell
    personal = personal_values(survey)
    ids = flagged_ids(folder)
    findings: list[Finding] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        where = path.relative_to(folder).as_posix()
        if where.startswith(f"{RESTRICTED}/"):
            findings.append(Finding(where, "restricted", "a file for the survey's owner inside the published "
                                    f"folder: it belongs in {restricted_folder(folder)}"))
            continue
        if path.suffix.lower() in TEXT_SUFFIXES:
            findings += scan_text(readable_text(path), where, personal, ids)
            if path.suffix.lower() == ".csv":
                table = csv_table(path)
                if table is not None:
                    findings += small_cells(table, where, min_cell)
        elif path.suffix.lower() in (".xlsx", ".xlsm"):
            try:
                sheets = workbook_tables(path)
            except (ValueError, OSError, KeyError) as exc:
                findings.append(Finding(where, "unreadable", f"the workbook cannot be read ({exc})"))
                continue
            for name, table in sheets.items():
                text = "\n".join([",".join(map(str, table.columns)),
                                  *(",".join(row) for row in table.itertuples(index=False))])
                findings += scan_text(HASH.sub(" ", text), f"{where}[{name}]", personal, ids)
                findings += small_cells(table, f"{where}[{name}]", min_cell)
    return findings
