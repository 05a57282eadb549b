"""The real PAPI panel: 63 provinces x 2011-2024, as a unit-level series.

PAPI (Provincial Governance and Public Administration Performance Index;
CECODES, Viet Nam Fatherland Front and UNDP) publishes sub-dimension scores
per province and year.  The folder (``data/raw/papi/``) holds one CSV per year
(``2011.csv`` ... with columns ``Province``, ``SC11`` .. ``SC83``), three
codebooks and ``events.csv`` (methodology breaks).  See ``SOURCE.md`` there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data.load import load_events
from analysis.data.readers import parse_numbers, read_table
from analysis.data.schema import SERIES_COLUMNS
from analysis.errors import InputError

SOURCE = "PAPI (CECODES, VFF-CRT, UNDP), papi.org.vn"
PROVINCES = "codebook_provinces.csv"
DIMENSIONS = "codebook_criteria.csv"
SUBDIMENSIONS = "codebook_subcriteria.csv"
YEAR_FILE = re.compile(r"^\d{4}\.csv$")
MEASURE_COLUMNS = ["measure", "name", "dimension", "dimension_name"]
# PAPI's own Vietnamese names (papi.org.vn) of the English words its files use: the dimensions as
# codebook_criteria.csv names them (C01..C08) and the methodology events of events.csv.  A Vietnamese report
# shows these (analysis.reporting.labels.label); the files stay as published.
VIETNAMESE = {
    "Participation": "Tham gia của người dân ở cấp cơ sở",  # C01
    "Transparency of Local Decision-making": "Công khai, minh bạch",  # C02
    "Vertical Accountability": "Trách nhiệm giải trình với người dân",  # C03
    "Control of Corruption in the Public Sector": "Kiểm soát tham nhũng trong khu vực công",  # C04
    "Public Administrative Procedures": "Thủ tục hành chính công",  # C05
    "Public Service Delivery": "Cung ứng dịch vụ công",  # C06
    "Environmental Governance": "Quản trị môi trường",  # C07
    "E-Governance": "Quản trị điện tử",  # C08
    "PAPI 2018 redesign": "PAPI thay đổi thiết kế năm 2018",
    "PAPI adds SC83 e-responsiveness": "PAPI thêm chỉ số SC83 (phản hồi trực tuyến của chính quyền)",
    "PAPI drops SC52 construction permits": "PAPI bỏ chỉ số SC52 (cấp phép xây dựng)",
}


def read_codebook(path: Path, extra: Sequence[str] = ()) -> pd.DataFrame:
    """A codebook (``Variable_Code``, ``Variable_Name`` and ``extra``); codes must be unique."""
    table = read_table(path, ["Variable_Code", "Variable_Name", *extra])
    duplicated = table["Variable_Code"].duplicated()
    if duplicated.any():
        row = duplicated.idxmax()
        raise InputError(path, f"the code {table.loc[row, 'Variable_Code']!r} appears twice", row=row,
                         column="Variable_Code", fix="give each code one row")
    return table


def papi_measures(folder: str | Path) -> pd.DataFrame:
    """Every PAPI measure with its name and dimension, from the codebooks.

    Parameters
    ----------
    folder : the PAPI folder (``data/raw/papi``).

    Returns
    -------
    DataFrame with columns ``measure, name, dimension, dimension_name``: one row
    per sub-dimension (``SC11``) and per dimension (``C01``, its own dimension).
    """
    folder = Path(folder)
    dimensions = read_codebook(folder / DIMENSIONS)
    subs = read_codebook(folder / SUBDIMENSIONS, ["Criteria_Code"])
    dimension_names = dict(zip(dimensions["Variable_Code"], dimensions["Variable_Name"], strict=True))
    unknown = ~subs["Criteria_Code"].isin(list(dimension_names))
    if unknown.any():
        row = unknown.idxmax()
        raise InputError(folder / SUBDIMENSIONS, f"the dimension {subs.loc[row, 'Criteria_Code']!r} is not in "
                         f"{DIMENSIONS}", row=row, column="Criteria_Code",
                         fix=f"use a code from {DIMENSIONS} ({', '.join(dimension_names)})")
    table = pd.concat([
        pd.DataFrame({"measure": dimensions["Variable_Code"], "name": dimensions["Variable_Name"],
                      "dimension": dimensions["Variable_Code"]}),
        pd.DataFrame({"measure": subs["Variable_Code"], "name": subs["Variable_Name"],
                      "dimension": subs["Criteria_Code"]}),
    ])
    table["dimension_name"] = table["dimension"].map(dimension_names)
    return table[MEASURE_COLUMNS].sort_values(["dimension", "measure"]).reset_index(drop=True)


def read_year(path: Path, provinces: set[str], codes: list[str]) -> pd.DataFrame:
    """One year's file as long scores (``unit_id, period, measure, value``), blanks dropped."""
    table = read_table(path, ["Province"], codes)
    unknown = ~table["Province"].isin(provinces)
    if unknown.any():
        row = unknown.idxmax()
        raise InputError(path, f"the province code {table.loc[row, 'Province']!r} is not in {PROVINCES}",
                         row=row, column="Province", fix=f"use a code P01..P63 as listed in {PROVINCES}")
    duplicated = table["Province"].duplicated()
    if duplicated.any():
        row = duplicated.idxmax()
        raise InputError(path, f"the province {table.loc[row, 'Province']!r} appears twice", row=row,
                         column="Province", fix="give each province one row per year")
    scores = pd.DataFrame({code: parse_numbers(table[code], path, code) for code in codes if code in table})
    scores["unit_id"] = table["Province"]
    long = scores.melt(id_vars="unit_id", var_name="measure", value_name="value").dropna(subset=["value"])
    return long.assign(period=path.stem)


def dimension_scores(scores: pd.DataFrame, measures: pd.DataFrame) -> pd.DataFrame:
    """Dimension rows: the sum of a province-year's sub-dimension scores.

    A dimension is scored only when the province has every sub-dimension that
    the year's design has (those with a score for any province that year).
    """
    dimension_of = measures.set_index("measure")["dimension"]
    scores = scores.assign(dimension=scores["measure"].map(dimension_of))
    design = scores.groupby(["period", "dimension"])["measure"].nunique().rename("design")
    sums = (scores.groupby(["unit_id", "period", "dimension"])["value"].agg(["sum", "size"])
            .join(design, on=["period", "dimension"]).reset_index())
    complete = sums[sums["size"] == sums["design"]].rename(columns={"dimension": "measure", "sum": "value"})
    return complete[["unit_id", "period", "measure", "value"]]


def load_papi(folder: str | Path) -> pd.DataFrame:
    """The PAPI panel in the unit-level series shape (:data:`analysis.data.schema.SERIES_COLUMNS`).

    Parameters
    ----------
    folder : the PAPI folder (``data/raw/papi``) with the yearly files and codebooks.

    Returns
    -------
    DataFrame, one row per province x year x measure: ``unit_id`` ``P01``..``P63``,
    ``unit_name`` from the codebook, ``period`` the year as text, ``measure`` a
    sub-dimension (``SC11``) or a dimension (``C01``, sum of its sub-dimensions),
    ``value`` the score; ``n`` and ``se`` are missing.  Blank cells are not rows.

    Raises
    ------
    InputError : an unknown province code, a score that is not a number, a
        missing codebook or no yearly file (names file, row and column).

    Examples
    --------
    >>> papi = load_papi("data/raw/papi")  # doctest: +SKIP
    >>> papi.query("measure == 'C05' and period == '2024'")["value"].describe()  # doctest: +SKIP
    """
    folder = Path(folder)
    measures = papi_measures(folder)
    provinces = read_codebook(folder / PROVINCES)
    names = dict(zip(provinces["Variable_Code"], provinces["Variable_Name"], strict=True))
    files = sorted(p for p in folder.glob("*.csv") if YEAR_FILE.match(p.name))
    if not files:
        raise InputError(folder, "the folder has no yearly PAPI file (such as 2011.csv)",
                         fix="give the folder that holds the files YYYY.csv and the codebooks")
    codes = measures.loc[measures["measure"] != measures["dimension"], "measure"].tolist()
    scores = pd.concat([read_year(path, set(names), codes) for path in files], ignore_index=True)
    series = pd.concat([scores, dimension_scores(scores, measures)], ignore_index=True)
    series["value"] = series["value"].astype(float)
    series = series.assign(unit_name=series["unit_id"].map(names), n=np.nan, se=np.nan, source=SOURCE)
    return series[SERIES_COLUMNS].sort_values(["unit_id", "period", "measure"]).reset_index(drop=True)


def load_papi_events(folder: str | Path) -> pd.DataFrame:
    """PAPI's methodology breaks (``events.csv``) via :func:`analysis.data.load.load_events`."""
    return load_events(Path(folder) / "events.csv")
