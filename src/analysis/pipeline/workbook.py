"""The report's tables as one Excel workbook a reader is glad to open: ``tables.xlsx``.

A first sheet lists the tables (:func:`plan`) in the order the report shows them, each linked, with
its title (the heading above it in the report, or the label ``table.<name>``), the report's section,
its source and notes; a table saved twice gets one sheet.  Each table's sheet has headers in the
report's language, the codes of its values named as the report's table names them, shares in percent
("0.00%", the cell keeping the proportion), counts "#,##0", p-values "0.000", other numbers "0.00";
a frozen bold header row, a filter, widths from the content.  The CSVs keep their machine headers:
:func:`dictionary` gives each column's meaning in Vietnamese and English, as
``tables/data_dictionary.csv`` and the last sheet.  The same tables give the same bytes
(:func:`analysis.files.fixed_times`).
"""

from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.files import fixed_times
from analysis.reporting.labels import LANGUAGES, label, period_name, relabel_columns, short_label, value_label
from analysis.reporting.outputs import COUNT_COLUMNS, P_COLUMNS, SHARE_COLUMNS, YEAR_COLUMNS

if TYPE_CHECKING:
    from nbformat import NotebookNode

DICTIONARY = "data_dictionary"  # tables/data_dictionary.csv: written here, not a table of the report
PERCENT, COUNT, WHOLE, P_VALUE, NUMBER = "0.00%", "#,##0", "0", "0.000", "0.00"  # Excel number formats
WIDTH = (8, 60)  # a column's width in characters: at least, at most
HEADER_WIDTH = 20  # a longer header wraps instead of widening its column
SHEET_NAME = 31  # Excel's limit
FORBIDDEN = re.compile(r"[\[\]:*?/\\\s]+")  # characters Excel refuses in a sheet name (and runs of spaces)
TH = re.compile(r'<th [^>]*class="col_heading[^"]*"[^>]*>(.*?)</th>', re.S)  # a Styler's column headers
TD = re.compile(r"<td [^>]*>(.*?)</td>", re.S)


@dataclass(frozen=True)
class Shown:
    """A table as the report displays it: its headers and the text of its cells."""

    headers: list[str]
    rows: list[list[str]]

    def column(self, header: str, occurrence: int = 0) -> list[str] | None:
        """The cells under the ``occurrence``-th header ``header``; None when the display has none."""
        found = [k for k, h in enumerate(self.headers) if h == header]
        return [row[found[occurrence]] for row in self.rows] if occurrence < len(found) else None


@dataclass
class Sheet:
    """One table of the workbook: its CSV, where the report shows it, and what the contents sheet says."""

    table: str  # the CSV's name (tables/<table>.csv)
    title: str = ""
    section: str = ""
    order: tuple[int, int] | None = None  # (cell, place in the cell) in the merged report; None: not in it
    shown: Shown | None = None  # the report's display of the table, when it displays it
    notes: list[str] = field(default_factory=list)
    name: str = ""  # the sheet's name


@dataclass
class Call:
    """A call in a report cell that saves a table: ``out.table(frame, name)`` or ``out.show(result, name)``."""

    cell: int
    rank: int  # its place among the cell's calls
    name: re.Pattern[str]  # the table's name; an f-string's values match anything
    literal: int  # how many characters of the name are written out (the more, the surer the match)
    heading: str  # the heading the cell's code displayed last before it, if any


# --------------------------------------------------------------------------- where the report shows each table


def displayed(html: str, name: str) -> Shown:
    """The headers and cells of the table ``name`` in a displayed output (:meth:`Outputs.table`: a pandas
    Styler's HTML, its cells escaped text)."""
    table = html.partition(f'<table id="T_{name}">')[2].partition("</table>")[0]
    head, _, body = table.partition("<tbody>")
    return Shown([unescape(h) for h in TH.findall(head)],
                 [[unescape(c) for c in TD.findall(row)] for row in body.split("</tr>") if "<td" in row])


def written(node: ast.expr | None) -> str | None:
    """A string written in the code (``"ranking"``), else None."""
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def name_pattern(node: ast.expr) -> tuple[re.Pattern[str], int] | None:
    """A table's name as written: ``"ranking"``, or an f-string whose values match anything
    (``f"comment_shares_by_{segment}"``), with how many of its characters are written out; None for a variable."""
    parts = node.values if isinstance(node, ast.JoinedStr) else [node]
    texts = [written(p) for p in parts]
    if any(t is None and not isinstance(p, ast.FormattedValue) for p, t in zip(parts, texts, strict=True)):
        return None
    return re.compile("".join(".+" if t is None else re.escape(t) for t in texts)), sum(len(t or "") for t in texts)


def calls(source: str, cell: int, lang: str) -> list[Call]:
    """The table-saving calls of a cell's code, in the order written, with the heading shown before each
    (``out.heading(key)``, ``out.show(result, name, key)``; a ``level=1`` heading is a section's title)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # a cell of IPython magics
        return []
    found: list[Call] = []
    heading = ""
    nodes = sorted((n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)),
                   key=lambda n: (n.lineno, n.col_offset))
    for node in nodes:
        method = node.func.attr if isinstance(node.func, ast.Attribute) else ""
        given = [*node.args, *(k.value for k in node.keywords if k.arg == "heading")]
        key = written(given[0] if method == "heading" and given else given[2] if method == "show" and len(given) > 2
                      else None)
        if key is not None and label(key, lang) != key:  # a heading of the translation table
            top = any(k.arg == "level" and isinstance(k.value, ast.Constant) and k.value.value == 1
                      for k in node.keywords)
            heading = "" if top else label(key, lang)
        name = name_pattern(node.args[1]) if method in ("table", "show") and len(node.args) > 1 else None
        if name is not None:
            found.append(Call(cell, len(found), name[0], name[1], heading))
    return found


def best_call(name: str, candidates: list[Call]) -> Call | None:
    """The call that saves ``name``: the one naming it most fully, the first of those."""
    matching = [c for c in candidates if c.name.fullmatch(name)]
    return min(matching, key=lambda c: (-c.literal, c.cell, c.rank)) if matching else None


def locate(sheets: list[Sheet], report: NotebookNode, lang: str) -> None:
    """Give each sheet its place, section, heading-title and display from the merged report.

    Headings are the Markdown the report shows (``#`` a section, ``##`` and below a heading); a
    displayed table is the HTML output of id ``T_<name>``; a table saved without display is placed by
    the call that saves it (its name as written in the cell's code, an f-string matching any value).
    """
    section, heading = "", ""
    found: list[Call] = []
    shown: dict[str, tuple[int, int, str, str, Shown]] = {}  # name -> cell, output, section, heading, display
    context: dict[int, tuple[str, str]] = {}  # cell -> the section it ends in, the heading it starts under
    for k, cell in enumerate(report.cells):
        start, opened = heading, section
        texts = ([cell.source] if cell.cell_type == "markdown" else
                 [str(o.get("data", {}).get("text/markdown", "")) for o in cell.get("outputs", [])])
        outputs = [] if cell.cell_type == "markdown" else cell.get("outputs", [])
        for j, text in enumerate(texts):
            for line in text.splitlines():
                level = len(line) - len(line.lstrip("#"))
                if level and line[level:level + 1] == " ":
                    section, heading = (line[level:].strip(), "") if level == 1 else (section, line[level:].strip())
            html = str(outputs[j].get("data", {}).get("text/html", "")) if outputs else ""
            for name in re.findall(r'<table id="T_([^"]+)"', html):
                shown.setdefault(name, (k, j, section, heading, displayed(html, name)))
        if cell.cell_type == "code":
            found += calls(cell.source, k, lang)
        context[k] = (section, start if section == opened else "")
    for sheet in sheets:
        if sheet.table in shown:
            k, j, sheet.section, sheet.title, sheet.shown = shown[sheet.table]
            call = best_call(sheet.table, [c for c in found if c.cell == k])
            sheet.order = (k, call.rank if call else len(found) + j)
        elif call := best_call(sheet.table, found):
            sheet.order = (call.cell, call.rank)
            sheet.section, start = context[call.cell]
            sheet.title = call.heading or start
            sheet.notes.append(label("workbook.note.not_shown", lang))


# --------------------------------------------------------------------------- the plan


def csv_tables(tables_dir: Path) -> list[Path]:
    """The report's CSV tables (not the data dictionary this module writes beside them)."""
    return sorted(p for p in Path(tables_dir).glob("*.csv") if p.stem != DICTIONARY)


def plan(tables_dir: str | Path, report: NotebookNode | None = None, lang: str = "vi") -> list[Sheet]:
    """The sheets of the workbook, in the report's order (``report``: the merged notebook,
    :func:`analysis.pipeline.report.merged_report`; tables it does not save come last, by name), one per
    distinct table: a table saved twice with the same content is named in the first one's notes."""
    sheets = [Sheet(path.stem) for path in csv_tables(Path(tables_dir))]
    if report is not None:
        locate(sheets, report, lang)
    ordered = sorted(sheets, key=lambda s: (s.order is None, s.order or (0, 0), s.table))
    kept: dict[bytes, Sheet] = {}
    for sheet in ordered:
        content = (Path(tables_dir) / f"{sheet.table}.csv").read_bytes()
        if content in kept:
            kept[content].notes.append(f"{label('workbook.note.same', lang)} {sheet.table}.csv")
            continue
        kept[content] = sheet
        if report is not None and sheet.order is None:
            sheet.notes.append(label("workbook.note.not_shown", lang))
        own = f"table.{sheet.table}"
        sheet.title = label(own, lang) if label(own, lang) != own else sheet.title or sheet.section or sheet.table
        number = f"{len(kept)}. "
        sheet.name = number + FORBIDDEN.sub(" ", short_label(sheet.title, lang, SHEET_NAME - len(number))).strip("' ")
    return list(kept.values())


def meaning(column: str, lang: str) -> str:
    """A column's meaning in ``lang``: its label, or the period a wide table's column is (``năm 2014``)."""
    from analysis.pipeline.report import PERIOD_FORM  # here: the report imports this module

    own = label(column, lang)
    return period_name(column, lang) if own == column and PERIOD_FORM.fullmatch(column) else own


def dictionary(tables_dir: str | Path) -> pd.DataFrame:
    """Every column of every CSV table: its code, its meaning in Vietnamese and English, the tables it is in."""
    where: dict[str, list[str]] = {}
    for path in csv_tables(Path(tables_dir)):
        for column in pd.read_csv(path, encoding="utf-8-sig", nrows=0).columns:
            where.setdefault(str(column), []).append(path.stem)
    codes = sorted(where, key=lambda c: (c.casefold(), c))
    return pd.DataFrame({"column": codes, **{lang: [meaning(c, lang) for c in codes] for lang in LANGUAGES},
                         "tables": [" ".join(where[c]) for c in codes]})


# --------------------------------------------------------------------------- cells


def shown_number(text: str, lang: str) -> tuple[float, float] | None:
    """A displayed number (``12.104,50`` vi, ``12,104.50`` en, ``−1,52``) and half its last digit; None for
    text, blanks and ``< 0,001``."""
    text = text.strip().replace("−", "-")
    text = text.replace(".", "").replace(",", ".") if lang == "vi" else text.replace(",", "")
    try:
        value = float(text)
    except ValueError:
        return None
    decimals = len(text.partition(".")[2])
    return value, 0.5 * 10 ** -decimals + 1e-9


def scale(values: pd.Series, texts: list[str], lang: str) -> int | None:
    """How the report shows a numeric column: 100 (in percent), 1 (as saved), 0 (neither: the display is
    not this column) or None (its cells cannot tell)."""
    fits = {1: True, 100: True}
    for value, text in zip(values, texts, strict=True):
        shown = shown_number(text, lang)
        if shown is None or pd.isna(value):
            continue
        for factor in fits:
            fits[factor] = fits[factor] and abs(shown[0] - factor * float(value)) <= shown[1]
    fitting = [f for f, ok in fits.items() if ok]
    return fitting[0] if len(fitting) == 1 else None if fitting else 0


def number_format(table: pd.DataFrame, column: str, percent: bool) -> str | None:
    """The Excel format of a column (None: a text column)."""
    values = table[column]
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        return None
    if percent:
        return PERCENT
    if column in P_COLUMNS:
        return P_VALUE
    if column in YEAR_COLUMNS or column.endswith("_year"):
        return WHOLE
    return COUNT if column in COUNT_COLUMNS or pd.api.types.is_integer_dtype(values) else NUMBER


def columns(table: pd.DataFrame, shown: Shown | None, lang: str) -> list[tuple[str, list, str | None]]:
    """Each column's header, cells and format: numbers as saved (shares in percent where the report shows
    them so, else :data:`SHARE_COLUMNS`), codes named as the report's display names them (else
    :func:`value_label`), yes/no for flags.  A display whose numbers are not the table's is not used."""
    headers = list(relabel_columns(table, lang).columns)
    whole = shown is not None and len(shown.rows) == len(table) and all(len(r) == len(shown.headers)
                                                                         for r in shown.rows)
    texts = [shown.column(h, headers[:k].count(h)) if shown and whole else None for k, h in enumerate(headers)]
    numeric = [pd.api.types.is_numeric_dtype(table[c]) and not pd.api.types.is_bool_dtype(table[c])
               for c in table.columns]
    scales = [scale(table[c], t, lang) if t is not None and n else None
              for c, t, n in zip(table.columns, texts, numeric, strict=True)]
    if 0 in scales:
        texts, scales = [None] * len(headers), [None] * len(headers)
    measures = [n and c not in COUNT_COLUMNS | P_COLUMNS | YEAR_COLUMNS and not c.endswith("_year")
                for c, n in zip(table.columns, numeric, strict=True)]  # not counts, years or p-values
    decided = {f for f, measure in zip(scales, measures, strict=True) if measure and f}
    if len(decided) == 1:  # a column of zeros or blanks (saved as 0: whole numbers) is shown as the others are
        only = next(iter(decided))
        scales = [only if f is None and measure else f for f, measure in zip(scales, measures, strict=True)]
    result = []
    for column, header, text, factor in zip(table.columns, headers, texts, scales, strict=True):
        fmt = number_format(table, column, factor == 100 if factor else column in SHARE_COLUMNS)
        cells: list = []
        for k, value in enumerate(table[column]):
            if isinstance(value, bool | np.bool_):
                cells.append(label("yes" if value else "no", lang))
            elif value is None or pd.isna(value):
                cells.append(None)
            elif fmt is not None:
                cells.append(value.item() if hasattr(value, "item") else value)
            else:
                cells.append((text[k] or None) if text is not None else value_label(column, str(value), lang))
        result.append((header, cells, fmt))
    return result


def width(value, fmt: str | None) -> int:
    """How many characters a cell shows."""
    if value is None:
        return 0
    if fmt is None:
        return len(str(value))
    if fmt == PERCENT:
        return len(f"{100 * value:,.2f}%")
    digits = {COUNT: 0, WHOLE: 0, P_VALUE: 3}.get(fmt, 2)
    return len(f"{value:,.{digits}f}" if math.isfinite(value) else str(value))


# --------------------------------------------------------------------------- the workbook


def fill(sheet, table: list[tuple[str, list, str | None]], links: dict[int, str] | None = None) -> None:
    """Write columns (header, cells, format) into an openpyxl sheet: a bold frozen header row, a filter, widths
    from the content; ``links``: the row (from 0) -> the sheet its second column links to."""
    from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
    from openpyxl.worksheet.hyperlink import Hyperlink  # type: ignore[import-untyped]

    for j, (header, cells, fmt) in enumerate(table, start=1):
        top = sheet.cell(row=1, column=j, value=header)
        top.font, top.alignment = Font(bold=True), Alignment(wrap_text=True, vertical="top")
        for i, value in enumerate(cells, start=2):
            cell = sheet.cell(row=i, column=j, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text, not a formula
            if fmt is not None:
                cell.number_format = fmt
            elif isinstance(value, str) and len(value) > WIDTH[1]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        widest = max([min(len(header), HEADER_WIDTH), *(width(v, fmt) for v in cells)])
        sheet.column_dimensions[get_column_letter(j)].width = min(max(widest + 2, WIDTH[0]), WIDTH[1])
    for i, target in (links or {}).items():
        cell = sheet.cell(row=i + 2, column=2)
        quoted = target.replace("'", "''")
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{quoted}'!A1", display=target)
        cell.style = "Hyperlink"
    sheet.freeze_panes = "A2"
    rows = max((len(cells) for _, cells, _ in table), default=0)
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(table), 1))}{rows + 1}"


def write_workbook(tables_dir: Path, target: Path, report: NotebookNode | None = None,
                   lang: str = "vi") -> None:
    """The report's tables in one Excel workbook (see the module), in the report's language ``lang``, and
    ``tables/data_dictionary.csv``; the sheets in the order of ``report`` (the merged notebook; None:
    by name).  Byte-identical on reruns: openpyxl's save times are replaced by a fixed date."""
    from openpyxl import Workbook  # type: ignore[import-untyped]

    sheets = plan(tables_dir, report, lang)
    words = dictionary(tables_dir)
    words.to_csv(Path(tables_dir) / f"{DICTIONARY}.csv", index=False, encoding="utf-8-sig", lineterminator="\n")
    book = Workbook()
    contents = book.active
    contents.title = label("workbook.contents", lang)
    for sheet in sheets:
        table = pd.read_csv(Path(tables_dir) / f"{sheet.table}.csv", encoding="utf-8-sig")
        if "suppressed" in table and table["suppressed"].eq(True).any():
            sheet.notes.append(label("workbook.note.suppressed", lang))
        fill(book.create_sheet(sheet.name), columns(table, sheet.shown, lang))
    named = label("workbook.dictionary", lang)
    fill(book.create_sheet(named), [(label(f"workbook.{c}", lang), list(words[c]), None) for c in words.columns])
    source = str(report.metadata.get("title", "")) if report is not None else ""
    rows: list[list] = [[k, s.name, s.title, s.section, source, f"{s.table}.csv", "; ".join(s.notes)]
                        for k, s in enumerate(sheets, start=1)]
    rows.append([len(rows) + 1, named, label("workbook.dictionary.title", lang), "", "", f"{DICTIONARY}.csv", ""])
    keys = ("number", "sheet", "title", "section", "source", "file", "notes")
    fill(contents, [(label(f"workbook.{key}", lang), [row[j] for row in rows], COUNT if key == "number" else None)
                    for j, key in enumerate(keys)], {k: row[1] for k, row in enumerate(rows)})
    contents.cell(row=len(rows) + 3, column=1, value=label("workbook.note.scale", lang))
    book.save(target)
    fixed_times(target)
