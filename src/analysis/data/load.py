"""Read survey files into the tidy data model, or fail with a clear message.

Reads CSV (UTF-8, UTF-8 with BOM, Windows-1258), XLSX (a title block above the
header row is skipped) and parquet.  A wide survey form, one row per
respondent with Vietnamese headers, is described by a YAML mapping file, so a
new form needs a new mapping, not new code.  Every problem raises
:class:`~analysis.errors.InputError` naming file, row, column and the fix;
nothing is ever written by this module.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.data.grid import FormGrid
from analysis.data.privacy import fold, is_personal_header, scrub
from analysis.data.readers import (
    close_match_hint,
    find_header_row,
    map_values,
    more_cells,
    nfc,
    parse_answer,
    parse_answers,
    parse_numbers,
    parse_periods,
    per_distinct,
    read_grid,
    read_table,
    read_yaml,
    table_from_grid,
    to_bool,
)
from analysis.data.schema import (
    ADOPTION_COLUMNS,
    CHANNELS,
    COLLECTORS,
    COMMENT_COLUMNS,
    COMPONENTS,
    DESIGN_COLUMNS,
    EVENT_COLUMNS,
    EVENT_KINDS,
    GROUPS,
    INDEX_FORMS,
    OVERALL_ITEM,
    POPULATION_COLUMNS,
    RESPONSE_COLUMNS,
    SERIES_COLUMNS,
    TARGET_COLUMNS,
    UNIT_COLUMNS,
    Survey,
    component_of,
)
from analysis.data.scope import applies_parts, bound_units
from analysis.errors import InputError

DEFAULT_VALUES = {
    "channel": {"trực tuyến": "online", "online": "online", "trực tiếp": "direct",
                "direct": "direct", "giấy": "direct", "phiếu giấy": "direct"},
    "group": {"người dân": "citizen", "công dân": "citizen", "cá nhân": "citizen",
              "citizen": "citizen", "doanh nghiệp": "business", "tổ chức": "business",
              "business": "business", "đơn vị sử dụng ngân sách": "budget_unit",
              "budget_unit": "budget_unit"},
}
RESERVED_CODES = {"index", OVERALL_ITEM, "score", *RESPONSE_COLUMNS, "block", "level", "vertical", "unit_name"}
ROLES_REQUIRED = ("respondent_id", "period", "unit_id")
ROLES_OPTIONAL = ("channel", "group", "weight", "stratum", "psu", "comment", *DESIGN_COLUMNS)
DEFAULT_VALUES["collector"] = {"công chức": "staff", "cán bộ": "staff", "công chức một cửa": "staff",
                               "staff": "staff", "độc lập": "independent", "nhóm khảo sát độc lập": "independent",
                               "independent": "independent", "tự điền": "self", "tự điền trực tuyến": "self",
                               "trực tuyến": "self", "self": "self"}


# --------------------------------------------------------------------------- files


# --------------------------------------------------------------------------- values


# --------------------------------------------------------------------------- side tables


def load_units(path: str | Path) -> pd.DataFrame:
    """The unit table: id, name, block, level, province, vertical flag, parent."""
    path = Path(path)
    table = read_table(path, ["unit_id", "unit_name", "block"], ["level", "province", "vertical", "parent"])
    for column in UNIT_COLUMNS:
        if column not in table:
            table[column] = ""
    table["vertical"] = to_bool(table["vertical"], path, "vertical")
    duplicated = table["unit_id"].duplicated()
    if duplicated.any():
        row = duplicated.idxmax()
        raise InputError(path, f"the unit id {table.loc[row, 'unit_id']!r} appears twice", row=row,
                         column="unit_id", fix="give each unit one row")
    return table[UNIT_COLUMNS].reset_index(drop=True)


def load_events(path: str | Path, units: pd.DataFrame | None = None) -> pd.DataFrame:
    """Policies and methodology changes with dates (ISO dates, e.g. 2017-03-31); with ``units``, whom each
    binds is checked against them (:func:`check_applies_to`)."""
    path = Path(path)
    table = read_table(path, ["date", "kind", "name"], ["applies_to", "description"])
    for column in EVENT_COLUMNS:
        if column not in table:
            table[column] = ""
    dates = pd.to_datetime(table["date"], format="%Y-%m-%d", errors="coerce")
    bad = table["date"][dates.isna()]
    if len(bad):
        raise InputError(path, f"the date {bad.iloc[0]!r} cannot be read{more_cells(bad)}", row=bad.index[0],
                         column="date", fix="write dates as YYYY-MM-DD")
    bad = table["kind"][~table["kind"].isin(EVENT_KINDS)]
    if len(bad):
        raise InputError(path, f"the kind {bad.iloc[0]!r} is not known{more_cells(bad)}", row=bad.index[0],
                         column="kind", fix=f"use one of {list(EVENT_KINDS)}")
    table["date"] = dates
    table["applies_to"] = table["applies_to"].replace("", "all")
    if units is not None:
        check_applies_to(table, units, path)
    return table[EVENT_COLUMNS].sort_values("date", kind="stable").reset_index(drop=True)


def check_applies_to(events: pd.DataFrame, units: pd.DataFrame, path: Path) -> None:
    """Every part of an event's ``applies_to`` binds some agency (:func:`analysis.data.scope.bound_units`)."""
    bad = events["applies_to"][[any(part not in ("all", "provincial") and not bound_units(part, units)
                                    for part in applies_parts(value)) for value in events["applies_to"]]]
    if len(bad):
        blocks = sorted(set(units["block"].astype(str)) - {""})[:6]
        raise InputError(path, f"the event applies to {bad.iloc[0]!r}, which is no block, level or unit of the unit "
                         f"table{more_cells(bad)}", row=bad.index[0], column="applies_to",
                         fix=f"write 'all', 'provincial' (the agencies that are not vertical), a block "
                         f"({', '.join(blocks)}), a level or a unit id")


def load_targets(path: str | Path) -> pd.DataFrame:
    """Targets: scope, year, target (a proportion; the file gives ``target_pct`` in percent), source."""
    path = Path(path)
    table = read_table(path, ["scope", "year", "target_pct"], ["source"])
    if "source" not in table:
        table["source"] = ""
    for column in ("year", "target_pct"):
        table[column] = parse_numbers(table[column], path, column)
        blank = table[column].isna()
        if blank.any():
            raise InputError(path, f"the {column} is blank", row=int(blank.idxmax()), column=column,
                             fix="give every target its year and its value in percent, or remove the row")
    table["year"] = table["year"].astype(int)
    table["target"] = table["target_pct"] / 100  # the file says percent; analyses work in proportions
    return table[TARGET_COLUMNS].reset_index(drop=True)


def load_series(path: str | Path) -> pd.DataFrame:
    """A unit-level series (unit, period, measure, value, optional n / se / source)."""
    path = Path(path)
    table = read_table(path, ["unit_id", "period", "measure", "value"], ["unit_name", "n", "se", "source"])
    for column in ("unit_name", "source", "n", "se"):
        if column not in table:
            table[column] = ""
    table["period"] = parse_periods(table["period"], path, "period")
    for column in ("value", "n", "se"):
        table[column] = parse_numbers(table[column], path, column)
    return table[SERIES_COLUMNS].reset_index(drop=True)


def load_adoptions(path: str | Path, units: pd.DataFrame | None, events: pd.DataFrame) -> pd.DataFrame:
    """When each agency came under a policy (unit_id, policy, date YYYY-MM-DD): a policy adopted office by
    office.  ``policy`` names a policy event of the events file; a unit may be given by its name."""
    path = Path(path)
    table = read_table(path, ADOPTION_COLUMNS)
    table["unit_id"] = resolve_units(table["unit_id"], units, path, "unit_id")
    policies = set(events.loc[events["kind"] == "policy", "name"])
    bad = table["policy"][~table["policy"].isin(policies)]
    if len(bad):
        raise InputError(path, f"the policy {bad.iloc[0]!r} is no policy of the events file{more_cells(bad)}",
                         row=bad.index[0], column="policy",
                         fix=f"write the name of a policy event exactly as the events file does "
                         f"({', '.join(sorted(policies)[:4]) or 'the events file has none: add it there'})")
    dates = pd.to_datetime(table["date"], format="%Y-%m-%d", errors="coerce")
    bad = table["date"][dates.isna()]
    if len(bad):
        raise InputError(path, f"the date {bad.iloc[0]!r} cannot be read{more_cells(bad)}", row=bad.index[0],
                         column="date", fix="write dates as YYYY-MM-DD")
    again = table[table.duplicated(["unit_id", "policy"])]
    if len(again):
        raise InputError(path, f"the unit {again['unit_id'].iloc[0]!r} adopts {again['policy'].iloc[0]!r} twice"
                         f"{more_cells(again['unit_id'])}", row=again.index[0], column="unit_id",
                         fix="keep one row per unit and policy: the date the unit came under it")
    return table.assign(date=dates)[ADOPTION_COLUMNS].reset_index(drop=True)


def load_population(path: str | Path, units: pd.DataFrame | None = None) -> pd.DataFrame:
    """The number served per unit and period (unit_id, period, served: a whole number), for the finite
    population correction; with ``units`` a unit may be given by its name, and must be in the table."""
    path = Path(path)
    table = read_table(path, POPULATION_COLUMNS)
    table["unit_id"] = resolve_units(table["unit_id"], units, path, "unit_id")
    table["period"] = parse_periods(table["period"], path, "period")
    served = parse_numbers(table["served"], path, "served")
    bad = table["served"][~(served >= 0) | (served % 1 != 0)]
    if len(bad):
        raise InputError(path, f"the number served {bad.iloc[0]!r} is not a whole number of 0 or more"
                         f"{more_cells(bad)}", row=bad.index[0], column="served",
                         fix="write how many people (or dossiers) the unit served in the period, without "
                         "thousands separators, e.g. 1250")
    again = table[table.duplicated(["unit_id", "period"])]
    if len(again):
        raise InputError(path, f"the unit {again['unit_id'].iloc[0]!r} has a second row for "
                         f"{again['period'].iloc[0]}{more_cells(again['period'])}", row=again.index[0],
                         column="period", fix="give each unit one row per period")
    return table.assign(served=served.astype("int64"))[POPULATION_COLUMNS]


def check_population(population: pd.DataFrame, frame: pd.DataFrame, path: Path, mapping_path: Path,
                     clustered: bool) -> None:
    """The number served covers every unit and period with respondents, at least their number, and the
    design samples respondents one by one (``frame``: one row per respondent)."""
    if clustered:
        raise InputError(mapping_path, "the mapping gives the number served ('population') and a PSU column "
                         "whose clusters hold several respondents: the correction from the number served is for "
                         "respondents sampled one by one", column="population",
                         fix="remove 'population:' from the mapping, or the 'psu' column")
    counts = frame.groupby(["unit_id", "period"]).size().rename("respondents").reset_index()
    merged = counts.merge(population.reset_index(names="row"), on=["unit_id", "period"], how="left")
    missing = merged[merged["served"].isna()]
    if len(missing):
        pairs = ", ".join(f"{r.unit_id} in {r.period}" for r in missing.head(8).itertuples())
        more = f" and {len(missing) - 8} more" if len(missing) > 8 else ""
        raise InputError(path, f"{len(missing)} unit-period(s) with respondents have no number served: "
                         f"{pairs}{more}", column="served", fix="add a row (unit_id, period, served) for each")
    short = merged[merged["served"] < merged["respondents"]].astype({"row": int, "served": int}).set_index("row")
    if len(short):
        first = short.iloc[0]
        raise InputError(path, f"the unit {first['unit_id']!r} served {first['served']} in {first['period']}, fewer "
                         f"than its {first['respondents']} respondents{more_cells(short['served'])}",
                         row=int(short.index[0]), column="served",
                         fix="give the number of people (or dossiers) the unit served in the period, all of them")


def load_published_figures(path: str | Path) -> pd.DataFrame:
    """Figures published in the source articles, one row each, with their source."""
    path = Path(path)
    table = read_table(path, ["scope", "period", "measure", "value", "unit", "source"], ["note"])
    table["value"] = parse_numbers(table["value"], path, "value")
    if "note" not in table:
        table["note"] = ""
    return table.reset_index(drop=True)


# --------------------------------------------------------------------------- wide survey forms


def read_mapping(path: Path) -> dict:
    """Read and check a mapping file (see ``data/raw/province_survey/mapping.yaml``)."""
    mapping = read_yaml(path, "mapping file", "data/raw/province_survey/mapping.yaml")
    for key in ("answers", "columns", "items"):
        if key not in mapping:
            raise InputError(path, f"the mapping has no {key!r} section", fix="start from the shipped mapping.yaml")
    check_mapping_shape(mapping, path)
    for role in ROLES_REQUIRED:
        if role not in mapping["columns"]:
            raise InputError(path, f"the mapping's 'columns' section has no {role!r}",
                             column=role, fix=f"add '{role}: <header in the survey file>'")
    unknown = set(mapping["columns"]) - set(ROLES_REQUIRED) - set(ROLES_OPTIONAL)
    if unknown:
        raise InputError(path, f"the mapping's 'columns' section has unknown keys {sorted(unknown)}",
                         fix=f"use only {[*ROLES_REQUIRED, *ROLES_OPTIONAL]}")
    declared = list(mapping.get("components") or COMPONENTS)
    reserved = sorted(set(declared) & RESERVED_CODES)
    if reserved:
        raise InputError(path, f"the component code(s) {reserved} are names the analysis uses itself",
                         column=reserved[0], fix="give the component another code, e.g. 'service' or 'digital'")
    strays = [item for item in mapping["items"] if component_of(item) not in (*declared, OVERALL_ITEM)]
    if strays:
        own = "declare them under 'components' (e.g. 'digital: Dịch vụ số')" if "components" not in mapping else \
            "add them under 'components'"
        raise InputError(path, f"the item code(s) {strays[:5]} do not start with a component of the form "
                         f"({', '.join(declared)})", column=strays[0],
                         fix=f"name items '<component>.<k>' like 'staff.1', or {own}; 'overall' is the overall item")
    form = mapping.get("index", "sipas")
    if form not in INDEX_FORMS:
        raise InputError(path, f"the mapping's 'index' is {form!r}", column="index",
                         fix="write one of: " + "; ".join(f"{k} ({v})" for k, v in INDEX_FORMS.items()))
    if form == "overall" and OVERALL_ITEM not in mapping["items"]:
        raise InputError(path, "the mapping's 'index: overall' needs an 'overall' item", column="index",
                         fix="add 'overall: <header of the overall satisfaction question>' under 'items'")
    return mapping


def check_mapping_shape(mapping: dict, path: Path) -> None:
    """Each section of the mapping has the shape load_survey reads (a cut or careless edit may leave another)."""
    def scalar(value) -> bool:
        return isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value).strip() != ""

    for key in ("id", "index", "published_scope"):
        if key in mapping and not scalar(mapping[key]):
            raise InputError(path, f"the mapping's {key!r} is {mapping[key]!r}", column=key,
                             fix="write 'index: sipas'" if key == "index" else f"write '{key}: <a short name>'")
    for key in ("answers", "units", "events", "targets", "published", "papi", "population", "adoptions"):
        if key in mapping and not (isinstance(mapping[key], str) and mapping[key].strip()):
            raise InputError(path, f"the mapping's {key!r} is {mapping[key]!r}, not a file name",
                             fix=f"write '{key}: <file name next to the mapping>'")
    for key in ("columns", "items"):
        section = mapping[key]
        if not isinstance(section, dict) or not section:
            raise InputError(path, f"the mapping's {key!r} section is empty or not a set of 'code: header' lines",
                             fix="start from the shipped mapping.yaml")
        for code, header in section.items():
            if not isinstance(code, str) or not scalar(header):
                raise InputError(path, f"the mapping's {key!r} entry {code!r} has the header {header!r}",
                                 column=str(code), fix=f"write '{code}: <header in the survey file>'")
    for key in ("values", "defaults", "components", "labels"):
        if not isinstance(mapping.get(key, {}), dict):
            raise InputError(path, f"the mapping's {key!r} section is not a set of 'key: value' lines",
                             fix="start from the shipped mapping.yaml")
    for key in ("components", "labels"):
        for code, name in (mapping.get(key) or {}).items():
            if not (scalar(name) or (isinstance(name, dict) and name.get("vi") and set(name) <= {"vi", "en"})):
                raise InputError(path, f"the mapping's {key!r} entry {code!r} is {name!r}", column=str(code),
                                 fix=f"write '{code}: <Vietnamese name>' or '{code}: {{vi: <name>, en: <name>}}'")
    for role, table in mapping.get("values", {}).items():
        if not isinstance(table, dict) or not all(scalar(k) and scalar(v) for k, v in table.items()):
            raise InputError(path, f"the mapping's 'values' for {role!r} are not 'label: code' lines",
                             fix=f"write the labels of {role!r} as 'Trực tuyến: online'")
    if not isinstance(mapping.get("sheet", 0), (str, int)) or isinstance(mapping.get("sheet", 0), bool):
        raise InputError(path, f"the mapping's 'sheet' is {mapping['sheet']!r}",
                         fix="give the sheet's name or its number (0 for the first)")


def load_survey(mapping_path: str | Path) -> Survey:
    """Load a wide survey form described by a YAML mapping into a :class:`Survey`.

    Parameters
    ----------
    mapping_path : the mapping file.  Its ``answers`` names the survey file
        (relative to the mapping), ``columns`` maps roles to headers, ``items``
        maps item codes (``staff.1``) to headers, and optional ``units``,
        ``events``, ``targets``, ``population`` (the number served per unit and
        period: :func:`load_population`) name side tables.

    Examples
    --------
    >>> survey = load_survey("data/raw/province_survey/mapping.yaml")  # doctest: +SKIP
    >>> survey.responses.columns.tolist()[:4]  # doctest: +SKIP
    ['respondent_id', 'period', 'year', 'unit_id']
    """
    mapping_path = Path(mapping_path)
    mapping = read_mapping(mapping_path)
    base = mapping_path.parent
    path = base / mapping["answers"]
    columns: dict[str, str] = {role: nfc(h) for role, h in mapping["columns"].items()}
    items: dict[str, str] = {item: nfc(h) for item, h in mapping["items"].items()}

    grid = read_grid(path, mapping.get("sheet", 0))
    expected = [*columns.values(), *items.values()]
    header_index = find_header_row(grid, expected, path, "mapped")
    table = table_from_grid(grid, header_index, path)
    by_fold = {h.casefold(): h for h in table.columns}
    for name, header in [*columns.items(), *items.items()]:
        if header.casefold() not in by_fold:
            raise InputError(
                mapping_path, f"the mapping names the column {header!r} (for {name!r}), "
                f"which is not in the header row (row {header_index + 1}) of {path.name}",
                column=header, fix=close_match_hint(header, list(table.columns)),
            )
    mapped_headers = {by_fold[h.casefold()] for h in expected}
    dropped = [h for h in table.columns if h not in mapped_headers and is_personal_header(h)]
    table = table.drop(columns=dropped)
    skipped = trailing_total_rows(table)
    table = table.drop(index=skipped)
    unmapped = [h for h in table.columns if h not in mapped_headers and looks_like_answers(table[h])]
    if table.empty:
        raise InputError(path, "the file has a header row but no respondents", fix="add the answers")

    def col(role: str) -> pd.Series:
        return table[by_fold[columns[role].casefold()]]

    units = load_units(base / mapping["units"]) if "units" in mapping else None
    frame = pd.DataFrame(index=table.index)
    frame["respondent_id"] = col("respondent_id")
    blank = frame["respondent_id"] == ""
    if blank.any():
        raise InputError(path, "the respondent id is blank", row=int(blank.idxmax()),
                         column=columns["respondent_id"], fix="give every form an id (số phiếu)")
    frame["period"] = parse_periods(col("period"), path, columns["period"])
    frame["year"] = frame["period"].str.slice(0, 4).astype(int)
    frame["unit_id"] = resolve_units(col("unit_id"), units, path, columns["unit_id"])
    values = mapping.get("values", {})
    for role, allowed in (("channel", CHANNELS), ("group", GROUPS)):
        if role in columns:
            frame[role] = map_values(col(role), {**DEFAULT_VALUES[role], **values.get(role, {})},
                                     allowed, path, columns[role])
        else:
            frame[role] = mapping.get("defaults", {}).get(role, "")
    frame["weight"] = (parse_numbers(col("weight"), path, columns["weight"], positive=True).fillna(1.0)
                       if "weight" in columns else 1.0)
    frame["stratum"] = col("stratum") if "stratum" in columns else ""
    frame["psu"] = col("psu") if "psu" in columns else frame["respondent_id"]
    check_unique_respondents(frame, path, columns["respondent_id"])

    answers, problems = {}, []
    for item, header in items.items():  # every criterion column checked before one message names them all
        try:
            answers[item] = parse_answers(table[by_fold[header.casefold()]], path, header)
        except InputError as error:
            problems.append(error)
    if problems:
        raise with_other_columns(problems)
    grid = FormGrid.from_columns(frame, answers)

    comments = pd.DataFrame(columns=COMMENT_COLUMNS)
    if "comment" in columns:
        text = per_distinct(col("comment"), scrub).astype("str")
        keep = text != ""
        comments = pd.DataFrame({"respondent_id": frame["respondent_id"], "period": frame["period"],
                                 "unit_id": frame["unit_id"], "text": text})[keep].reset_index(drop=True)

    inputs = [str(mapping_path), str(path)]
    side: dict = {"forms": design_columns(frame, {role: col(role) for role in DESIGN_COLUMNS if role in columns},
                                          values.get("collector", {}), path, columns)}
    if units is None:
        units = pd.DataFrame({"unit_id": sorted(frame["unit_id"].unique())})  # no unit table: named by their ids
        for column in UNIT_COLUMNS[1:]:
            units[column] = False if column == "vertical" else ""
        units["unit_name"], units["block"] = units["unit_id"], "Tất cả cơ quan"  # one block: all of them
    else:
        inputs.append(str(base / mapping["units"]))
    for key, loader in (("events", lambda p: load_events(p, units)), ("targets", load_targets),
                        ("published", load_published_figures)):
        if key in mapping:
            side[key] = loader(base / mapping[key])
            inputs.append(str(base / mapping[key]))
    if "population" in mapping:
        served = base / mapping["population"]
        side["population"] = load_population(served, units if "units" in mapping else None)
        check_population(side["population"], frame, served, mapping_path,
                         "psu" in columns and bool(frame.duplicated(["period", "psu"]).any()))
        inputs.append(str(served))
    if "adoptions" in mapping:
        if "events" not in mapping:
            raise InputError(mapping_path, "the mapping gives adoption dates ('adoptions') but no events file",
                             column="adoptions", fix="add 'events: events.csv' naming the policies adopted")
        side["adoptions"] = load_adoptions(base / mapping["adoptions"], units if "units" in mapping else None,
                                           side["events"])
        inputs.append(str(base / mapping["adoptions"]))
    if "papi" in mapping:
        side["papi"] = str(base / mapping["papi"])
    if "published_scope" in mapping:
        side["published_scope"] = str(mapping["published_scope"])
    present = set(grid.components)
    survey_id = str(mapping.get("id", "")) or mapping_path.resolve().parent.name
    survey = Survey(responses=grid.long(), units=units, comments=comments,
                  dropped_columns=dropped, inputs=inputs, title=mapping.get("title", ""),
                  skipped_rows=skipped, unmapped_criteria=unmapped, survey_id=survey_id,
                  components=tuple(c for c in (mapping.get("components") or COMPONENTS) if c in present),
                  index_form=mapping.get("index", "sipas"), vocabulary=vocabulary(mapping, items), **side)
    return Survey._with(survey, grid)


def design_columns(frame: pd.DataFrame, cells: dict[str, pd.Series], collectors: dict, path: Path,
                   headers: dict[str, str]) -> pd.DataFrame:
    """The forms table (:data:`analysis.data.schema.FORM_COLUMNS`): each form's keys and the design columns the
    mapping names: ``collector`` (a code of :data:`COLLECTORS`, labels mapped as the channel's, the mapping's
    ``values: collector:`` first), ``submitted_at`` (date and time), ``duration`` (seconds) and ``session``
    (text); a blank cell is a form without that information."""
    forms = frame[["respondent_id", "period", "unit_id"]].copy()
    if "collector" in cells:
        given = cells["collector"] != ""
        forms["collector"] = map_values(cells["collector"][given], {**DEFAULT_VALUES["collector"], **collectors},
                                        COLLECTORS, path, headers["collector"]).reindex(forms.index)
    if "submitted_at" in cells:
        text = cells["submitted_at"]
        when = pd.to_datetime(text.where(text != ""), errors="coerce", dayfirst=not text.str.match(r"\d{4}-").all())
        bad = text[when.isna() & (text != "")]
        if len(bad):
            raise InputError(path, f"the time {bad.iloc[0]!r} cannot be read{more_cells(bad)}", row=bad.index[0],
                             column=headers["submitted_at"],
                             fix="write times as YYYY-MM-DD HH:MM (or DD/MM/YYYY HH:MM)")
        forms["submitted_at"] = when
    if "duration" in cells:
        seconds = parse_numbers(cells["duration"], path, headers["duration"])
        bad = cells["duration"][seconds < 0]
        if len(bad):
            raise InputError(path, f"the duration {bad.iloc[0]!r} is negative{more_cells(bad)}", row=bad.index[0],
                             column=headers["duration"], fix="give how many seconds the form took, 0 or more")
        forms["duration"] = seconds
    if "session" in cells:
        forms["session"] = cells["session"].where(cells["session"] != "")
    return forms.reset_index(drop=True)


def looks_like_answers(values: pd.Series) -> bool:
    """Whether a column reads as answers on the 1-5 scale (a criterion the mapping may have missed)."""
    counts = values[values != ""].value_counts()
    if counts.empty or len(counts) > 7:
        return False
    readable = [(a := parse_answer(v)) is not None and (pd.isna(a) or 1 <= a <= 5) for v in counts.index]
    return bool(counts[readable].sum() >= 0.9 * counts.sum())


def vocabulary(mapping: dict, items: dict[str, str]) -> dict[str, dict[str, str]]:
    """Names for the form's own codes: its components and ``labels``, its channel and group codes (their
    label under ``values``, unless the shipped labels know the code) and its items (their question)."""
    def named(name) -> dict[str, str]:
        return dict(name) if isinstance(name, dict) else {"vi": nfc(str(name))}

    words = {item: {"vi": header} for item, header in items.items() if item != OVERALL_ITEM}
    for role in ("channel", "group"):
        for label_text, code in mapping.get("values", {}).get(role, {}).items():
            if code not in DEFAULT_VALUES[role].values():
                words.setdefault(str(code), {"vi": nfc(str(label_text))})
    words.update({code: named(name) for key in ("components", "labels")
                  for code, name in (mapping.get(key) or {}).items()})
    return words


def with_other_columns(errors: list[InputError]) -> InputError:
    """The first column's error, its message extended by the columns where the same check failed too."""
    first = errors[0]
    if len(errors) == 1:
        return first
    others = "; ".join(f"column {e.column!r} from row {e.row}" for e in errors[1:6])
    more = f" and {len(errors) - 6} more columns" if len(errors) > 6 else ""
    return InputError(first.file, f"{first.problem}. The answers of {len(errors) - 1} other column(s) fail "
                      f"the same check: {others}{more}", row=first.row, column=first.column, fix=first.fix)


TOTAL_ROW_WORDS = ("tong cong", "tong so", "tong", "cong", "total", "sum")


def trailing_total_rows(table: pd.DataFrame) -> list[int]:
    """File rows at the bottom of ``table`` that are totals ("Tổng cộng", "Cộng", "Total"), not respondents."""
    rows = []
    for row in reversed(table.index):
        cells = [c for c in table.loc[row].tolist() if c != ""]
        if cells and fold(cells[0]).rstrip(":").strip() in TOTAL_ROW_WORDS:
            rows.append(row)
        else:
            break
    return sorted(rows)


def resolve_units(values: pd.Series, units: pd.DataFrame | None, path: Path, column: str) -> pd.Series:
    """Unit ids, accepting a unit's name in place of its id; unknown units are errors."""
    if units is None:
        return values
    lookup = {u.casefold(): u for u in units["unit_id"]}
    lookup.update({nfc(n).casefold(): u for n, u in zip(units["unit_name"], units["unit_id"], strict=True)})
    resolved = per_distinct(values, lambda text: lookup.get(text.casefold()))
    bad = values[resolved.isna()]
    if len(bad):
        raise InputError(path, f"the unit {bad.iloc[0]!r} is not in the unit table{more_cells(bad)}",
                         row=bad.index[0], column=column,
                         fix="correct the unit id, or add the unit to the unit table (units.csv)")
    return resolved.astype("str")


def check_unique_respondents(frame: pd.DataFrame, path: Path, column: str) -> None:
    """A respondent id may appear once per period."""
    duplicated = frame.duplicated(["period", "respondent_id"], keep=False)
    if duplicated.any():
        rows = frame.index[duplicated]
        first = frame.loc[rows[0], "respondent_id"]
        same = [r for r in rows if frame.loc[r, "respondent_id"] == first]
        raise InputError(path, f"the respondent id {first!r} appears more than once in period "
                         f"{frame.loc[rows[0], 'period']} (rows {', '.join(map(str, same[:5]))})",
                         row=int(same[1]), column=column, fix="give each form its own id, or remove the duplicate")
