"""The cube from files of long answers: in memory, out of core (DuckDB) or on a cluster (Dask).

:func:`analysis.cube.memory.build_cube` reduces answers held in memory as a
DataFrame.  At national scale the answers are files (parquet, or CSV) larger
than memory; :func:`cube_from_parquet` reduces them where they lie and
returns the same :class:`~analysis.cube.memory.Cube` (same columns, dtypes, row
order, numbers to 1e-12), so :func:`analysis.analyses.indices.estimate` and everything
after it work unchanged.  :func:`build` chooses the engine.

The files hold the tidy long answers (one row per respondent x item, the
columns of :data:`analysis.data.schema.RESPONSE_COLUMNS`; ``channel``, ``group``,
``stratum``, ``weight`` and ``psu`` may be absent, as for ``build_cube``), as
:func:`write_parquet` writes them from a :class:`~analysis.data.schema.Survey`.
The cube's columns get the dtypes the in-memory path would have after
``pandas.read_parquet`` of the same files (categoricals with their categories,
nullable ``Int8`` answers, ...); CSV columns are read as :data:`CSV_DTYPES`.

Engines
-------
``"numpy"``
    read the files into pandas, then :func:`~analysis.cube.memory.build_cube` (integer
    codes and ``np.bincount``; fastest while the answers fit in memory).
``"duckdb"``
    SQL over the files, with bounded memory (``memory_limit``; what does not
    fit spills to ``temp_directory``).  The group-bys: the respondents (per
    respondent and component: answered, satisfied, dissatisfied, sum of
    answers; in passes over hash partitions of the respondents sized to the
    memory limit), joined to the attributes of each respondent's first row
    (as ``build_cube`` takes them, by row number: file index and row in file);
    per cell the moments ``n, y, y2, w, wy, w2, w2y, w2y2`` of every respondent
    score; the PSUs per period and stratum; the answers per cell x item x
    answer (count, sum of weights, sum of squared weights).  100 million
    answers take about 40 s and 2.7 GiB on 2 cores (``benchmarks/README.md``).
    CSV files are first copied to parquet in the temporary directory (the
    rows need numbers to find a respondent's first row).
``"dask"``
    the same reduction as a Dask graph: row groups are read where the workers
    run, shuffled by respondent (a group-by on ``period, respondent_id``), each
    partition of whole respondents is reduced by ``build_cube`` and the partial
    cubes are added in a tree (their counts and moments are sums; the PSUs per
    stratum are counted from the distinct PSUs).  Locally it runs on Dask's
    threaded scheduler; with a ``distributed.Client`` open it runs on its cluster.

Running on a cluster
--------------------
A ministry with a Dask cluster (``dask scheduler`` on one machine, ``dask
worker tcp://scheduler:8786`` on each node; or ``dask-jobqueue`` on a
SLURM/PBS system, or Kubernetes) puts the answer files on storage every node
mounts at the same path (NFS, Lustre, a shared disk), one parquet file per
province or per year, row groups of about a million answers
(:func:`write_parquet` writes them so), then, on a machine with this
package installed with its Dask extra and Dask's scheduler client
(``pip install -e ".[distributed]" distributed`` in the repository)::

    from distributed import Client
    from analysis.cube.engines import cube_from_parquet
    from analysis.analyses.indices import estimate

    with Client("tcp://scheduler:8786"):                # the cluster's scheduler
        cube = cube_from_parquet("/shared/sipas/2024/*.parquet", engine="dask")
    estimate(cube, ["year", "unit_id"])                 # the small cube: on the laptop

The workers need the same Python packages (the same install, or one
container image).  The client reads the files' footers and, for categorical
columns, one value of each row group (the dictionaries); each worker reads
its row groups, the shuffle moves the answers between workers once (Dask's
peer-to-peer shuffle), and only the partial cubes (thousands of rows) come
back.  ``tests/test_engines.py`` runs this on a ``LocalCluster`` of two worker
processes when ``distributed`` is installed.  Without a cluster the same call
runs on the local machine's cores (``scheduler="threads"``, or
``"synchronous"`` to debug); on one machine DuckDB holds memory down better
(Dask's local shuffle keeps the answers in memory).
"""

from __future__ import annotations

import glob
import gzip
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis.cube.memory import CELL_KEYS, MEASURES, MOMENTS, Cube, build_cube, stratum_population
from analysis.data.schema import COMPONENTS, OVERALL_ITEM, RESPONSE_COLUMNS, Survey

ENGINES = ("numpy", "duckdb", "dask")
THRESHOLD = 10_000_000  # answers: larger files go to DuckDB when the engine is chosen automatically
MEMORY_LIMIT = "3GB"  # DuckDB's, by default: the whole process stays under 4 GiB at 100 million answers
ROW_GROUP = 1 << 20  # answers per parquet row group written by write_parquet
CSV_DTYPES = {  # how CSV columns are read, by both the in-memory path and DuckDB
    "respondent_id": "str", "period": "str", "year": "int64", "unit_id": "str", "channel": "str", "group": "str",
    "item": "str", "component": "str", "answer": "Int8", "weight": "float64", "stratum": "str", "psu": "str",
}
_SQL_TYPES = {"str": "VARCHAR", "int64": "BIGINT", "Int8": "TINYINT", "float64": "DOUBLE"}
_REQUIRED = ["respondent_id", "period", "year", "unit_id", "item", "component", "answer"]
_DEFAULTS = {"channel": "", "group": "", "stratum": ""}  # absent columns: one value, as build_cube fills them
_SUMS = {"satisfied": "s", "dissatisfied": "d", "mean": "m"}  # measure -> its per-component sum in SQL (see people)
assert list(_SUMS) == list(MEASURES)  # satisfied: answer >= 4, dissatisfied: answer <= 2, mean: the answer
_BYTES_PER_ANSWER = 128  # memory per answer while respondents are reduced: a pass takes memory_limit / 128 answers
_FILE_BITS = 40  # row number = file index << 40 | row in file: the order of rows over several files


# --------------------------------------------------------------------------- files


def write_parquet(source: Survey | pd.DataFrame, path: str | Path, row_group_size: int = ROW_GROUP) -> Path:
    """Write a survey's long answers (or a responses DataFrame) to one parquet file, in row groups.

    The columns of :data:`~analysis.data.schema.RESPONSE_COLUMNS` present are
    written with their pandas dtypes (restored by ``pandas.read_parquet``);
    rows keep their order.  Returns the path.
    """
    responses = source.long_answers() if isinstance(source, Survey) else source
    columns = [c for c in RESPONSE_COLUMNS if c in responses.columns]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(responses[columns], preserve_index=False)
    pq.write_table(table, path, row_group_size=row_group_size)
    return path


def resolve(paths_or_glob) -> tuple[list[Path], str]:
    """The files named by a path, a directory, a glob or a list of them (sorted), and their kind.

    The kind is ``"parquet"`` or ``"csv"`` (``.csv``, ``.csv.gz``); all files must be of one kind.
    """
    items = paths_or_glob if isinstance(paths_or_glob, (list, tuple)) else [paths_or_glob]
    files: list[Path] = []
    for item in items:
        text = str(item)
        if any(ch in text for ch in "*?["):
            files += sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
        elif Path(text).is_dir():
            files += sorted(p for p in Path(text).rglob("*") if p.is_file() and _kind(p))
        elif Path(text).is_file():
            files.append(Path(text))
        else:
            raise FileNotFoundError(f"no answer file at {text}")
    if not files:
        raise FileNotFoundError(f"no answer files match {paths_or_glob!r}")
    kinds = {_kind(f) for f in files}
    kind = kinds.pop()
    if kind is None or kinds:
        raise ValueError(f"answer files must all be parquet or all CSV (.csv, .csv.gz): {[str(f) for f in files]}")
    return files, kind


def _kind(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    if name.endswith((".csv", ".csv.gz")):
        return "csv"
    return None


def answer_count(files: list[Path], kind: str) -> int:
    """Rows in the files: exact for parquet (from the footers), estimated from a sample of lines for CSV."""
    if kind == "parquet":
        return sum(pq.ParquetFile(f).metadata.num_rows for f in files)
    total = 0
    for f in files:
        with open(f, "rb") as raw:
            if f.name.lower().endswith(".gz"):  # lines per compressed byte, from the start of the file
                with gzip.GzipFile(fileobj=raw) as text:
                    sample = text.read(1 << 20)
            else:
                sample = raw.read(1 << 20)
            consumed = raw.tell()
        total += int(max(sample.count(b"\n"), 1) * f.stat().st_size / max(consumed, 1))
    return total


def dtypes_of(files: list[Path], kind: str) -> dict:
    """The pandas dtype of every answer column present, as ``pandas.read_parquet`` (or :data:`CSV_DTYPES`) gives it.

    Categorical columns get the categories pyarrow unifies over the files' row
    groups, read from one value of each (the dictionaries), not the whole column.
    """
    if kind == "csv":
        header = pd.read_csv(files[0], nrows=0).columns
        out = {c: pd.api.types.pandas_dtype(CSV_DTYPES[c]) for c in RESPONSE_COLUMNS if c in header}
    else:
        out = _parquet_dtypes(files)
    missing = [c for c in _REQUIRED if c not in out]
    if missing:
        raise ValueError(f"{files[0]}: answer files need the columns {missing}")
    return out


def _parquet_dtypes(files: list[Path]) -> dict:
    schema = pq.read_schema(files[0])
    dtypes = schema.empty_table().to_pandas().dtypes.to_dict()
    out = {}
    for name in [c for c in RESPONSE_COLUMNS if c in schema.names]:
        out[name] = dtypes[name]
        if pa.types.is_dictionary(schema.field(name).type):
            pieces = []
            for f in files:
                parquet = pq.ParquetFile(f)
                for group in range(parquet.num_row_groups):
                    column = parquet.read_row_group(group, columns=[name]).column(0)
                    pieces += [chunk.slice(0, min(1, len(chunk))) for chunk in column.chunks]
            if pieces:
                out[name] = pa.chunked_array(pieces, type=schema.field(name).type).to_pandas().dtype
    return out


def read_files(files: list[Path], kind: str) -> pd.DataFrame:
    """The answers of the files as one DataFrame (what the in-memory path reduces)."""
    if kind == "parquet":
        columns = [c for c in RESPONSE_COLUMNS if c in pq.read_schema(files[0]).names]
        return pq.read_table([str(f) for f in files] if len(files) > 1 else str(files[0]),
                             columns=columns).to_pandas()
    dtypes = dtypes_of(files, kind)
    parts = [pd.read_csv(f, usecols=list(dtypes), dtype={c: CSV_DTYPES[c] for c in dtypes}, keep_default_na=False,
                         na_values=[""]) for f in files]
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


# --------------------------------------------------------------------------- the choice


def build(source, units: pd.DataFrame | None = None, clustered: bool | None = None, engine: str = "auto",
          threshold: int = THRESHOLD, population: pd.DataFrame | None = None, **options) -> Cube:
    """The cube of a survey, a responses DataFrame, or answer files, by the engine that fits.

    ``engine="auto"`` reduces a :class:`Survey` or a DataFrame in memory
    (:func:`~analysis.cube.memory.build_cube`), and files (a path, directory, glob or
    list; parquet or CSV) in memory when they hold at most ``threshold``
    answers, else with DuckDB.  ``engine`` may also be ``"numpy"``,
    ``"duckdb"`` or ``"dask"``; ``options`` go to :func:`cube_from_parquet`.
    A Survey's unit table (and number served, ``population``), components and index form are used unless
    ``units`` or ``options`` give them.
    """
    if engine not in ("auto", *ENGINES):
        raise ValueError(f"engine must be 'auto' or one of {ENGINES}, not {engine!r}")
    if isinstance(source, Survey):
        if population is None and len(source.population):
            population = source.population
        units = source.units if units is None else units
        options = {"components": source.components, "index_form": source.index_form, **options}
        source = source.long_answers()
    if isinstance(source, pd.DataFrame):
        if engine in ("auto", "numpy"):
            form = {k: options[k] for k in ("components", "index_form") if k in options}
            return build_cube(source, units, clustered, population=population, **form)
        raise ValueError(f"engine {engine!r} reads files: write the answers with write_parquet first")
    files, kind = resolve(source)
    if engine == "auto":
        engine = "numpy" if answer_count(files, kind) <= threshold else "duckdb"
    return cube_from_parquet(files, engine=engine, units=units, clustered=clustered, population=population,
                             **options)


def cube_from_parquet(paths_or_glob, engine: str = "duckdb", units: pd.DataFrame | None = None,
                      clustered: bool | None = None, memory_limit: str = MEMORY_LIMIT, threads: int | None = None,
                      temp_directory: str | Path | None = None, scheduler: str | None = None,
                      population: pd.DataFrame | None = None, components: tuple[str, ...] = COMPONENTS,
                      index_form: str = "sipas") -> Cube:
    """Reduce answer files (parquet, or CSV) to the :class:`Cube` ``build_cube`` gives for their rows.

    Parameters
    ----------
    paths_or_glob : a file, a directory (its parquet or CSV files), a glob
        (``"answers/*.parquet"``) or a list of them; files are read in sorted
        order, which decides a respondent's first row.
    engine : ``"duckdb"`` (out of core), ``"dask"`` (local or a cluster) or ``"numpy"`` (in memory).
    units, clustered : as for :func:`~analysis.cube.memory.build_cube`.
    memory_limit, threads, temp_directory : DuckDB's memory limit (``"3GB"``
        keeps the whole process under 4 GiB at 100 million answers), threads
        (default: all cores) and where it spills (default: a new folder in the
        system's temporary directory, removed afterwards).
    scheduler : Dask's scheduler (``None``: the open ``distributed.Client``, else threads).
    population : the number served per unit and period, for the finite population correction
        (:func:`~analysis.cube.memory.stratum_population`; every engine).
    components, index_form : the form's components scored and how its index is formed, as for ``build_cube``.
    """
    files, kind = resolve(paths_or_glob)
    if engine == "numpy":
        return build_cube(read_files(files, kind), units, clustered, population=population,
                          components=components, index_form=index_form)
    dtypes = dtypes_of(files, kind)
    form = (tuple(components), index_form)
    if engine == "duckdb":
        tables = _duckdb_tables(files, kind, dtypes, clustered, memory_limit, threads, temp_directory, form)
    elif engine == "dask":
        tables = _dask_tables(files, kind, dtypes, clustered, scheduler, form)
    else:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    return assemble(*tables, dtypes=dtypes, units=units, population=population, components=form[0],
                    index_form=index_form)


# --------------------------------------------------------------------------- the cube from reduced tables


def _key_dtypes(dtypes: dict, clustered: bool) -> dict:
    """The dtype of each cell key (absent columns take build_cube's constant's dtype)."""
    out = {}
    for name in [*CELL_KEYS, "psu"] if clustered else CELL_KEYS:
        if name == "psu" and name not in dtypes:
            out[name] = dtypes["respondent_id"]  # each respondent its own PSU
        else:
            out[name] = dtypes[name] if name in dtypes else pd.Series([_DEFAULTS[name]]).array.dtype
    return out


def _cast(values: pd.Series, dtype) -> pd.Series:
    if isinstance(dtype, pd.CategoricalDtype):
        return pd.Series(pd.Categorical(values, dtype=dtype), index=values.index)
    if values.dtype == dtype:
        return values
    return values.astype(dtype)


def _typed(frame: pd.DataFrame, dtypes: dict) -> pd.DataFrame:
    return frame.assign(**{c: _cast(frame[c], d) for c, d in dtypes.items() if c in frame.columns})


def score_names(components: tuple[str, ...] = COMPONENTS) -> list[str]:
    """``<measure>:<score>`` for every measure and score (each component, then the index), in the cube's order."""
    return [f"{measure}:{score}" for measure in MEASURES for score in [*components, "index"]]


def assemble(answers: pd.DataFrame, scores: pd.DataFrame, pairs: pd.DataFrame, clustered: bool, *,
             dtypes: dict, units: pd.DataFrame | None = None, population: pd.DataFrame | None = None,
             components: tuple[str, ...] = COMPONENTS, index_form: str = "sipas") -> Cube:
    """The :class:`Cube` from tables reduced elsewhere, in ``build_cube``'s shape.

    ``answers``: cell keys, item, answer, ``n``, ``w``, ``w2`` (weight sums; any
    row order); ``scores``: cell keys and ``<measure>:<score>|<moment>`` columns
    (missing sums read as 0); ``pairs``: ``period``, ``stratum`` and ``psus``,
    the PSUs (or respondents) of each pair; ``dtypes``: the input's column
    dtypes (:func:`dtypes_of`).  Keys are cast to those dtypes and rows sorted
    as ``groupby(sort=True)`` sorts them (categories in their order, missing last).
    ``population``, ``components`` and ``index_form`` as for :func:`~analysis.cube.memory.build_cube`.
    """
    keys = _key_dtypes(dtypes, clustered)
    names = list(keys)
    weight = dtypes.get("weight")
    integer_weight = isinstance(weight, np.dtype) and weight.kind in "iu"

    answers = _typed(answers, {**keys, "item": dtypes["item"], "answer": dtypes["answer"]})
    answers = answers.sort_values([*names, "item", "answer"], na_position="last", kind="stable", ignore_index=True)
    table = {c: answers[c] for c in [*names, "item", "answer"]}
    table["n"] = answers["n"].to_numpy(dtype=np.int64)
    if weight is None:
        table["w"] = table["w2"] = table["n"].astype(float)
    else:
        w, w2 = answers["w"].to_numpy(dtype=float), answers["w2"].to_numpy(dtype=float)
        table["w"], table["w2"] = (w.astype(np.int64), w2.astype(np.int64)) if integer_weight else (w, w2)
    table["component"] = answers["item"].str.split(".").str[0]  # as build_cube derives it
    cube_answers = pd.DataFrame(table)

    scores = _typed(scores, keys).sort_values(names, na_position="last", kind="stable", ignore_index=True)
    table = {c: scores[c] for c in names}
    for name in score_names(components):
        for moment in MOMENTS:
            column = f"{name}|{moment}"
            values = scores[column] if column in scores else pd.Series(0.0, index=scores.index)
            values = values.fillna(0).to_numpy()
            table[column] = values.astype(np.int64) if moment == "n" else values.astype(float)
    cube_scores = pd.DataFrame(table)

    pairs = _typed(pairs, {"period": dtypes["period"], "stratum": keys["stratum"]}).reset_index(drop=True)
    label = pairs["period"].astype(str) + "|" + pairs["stratum"].astype(str)  # as build_cube labels them
    psus = pd.Series(pairs["psus"].to_numpy(dtype=np.int64), dtype=np.int64).groupby(label).sum().rename("psus")

    if units is None:
        units = pd.DataFrame({"unit_id": sorted(v for v in cube_answers["unit_id"].unique() if not pd.isna(v))})
    return Cube(answers=cube_answers, scores=cube_scores, psus=psus, clustered=bool(clustered), units=units,
                components=tuple(components), index_form=index_form,
                population=None if population is None else stratum_population(cube_scores, units, population, psus,
                                                                               bool(clustered)))


# --------------------------------------------------------------------------- DuckDB


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value) -> str:
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    return "'" + str(value).replace("'", "''") + "'"


def _source_sql(con, files: list[Path], dtypes: dict) -> str:
    """A SELECT giving every row with the columns the reduction reads (defaults for absent ones) and ``_row``."""
    names = [_literal(str(f).replace("\\", "/")) for f in files]
    columns = [f"{_quote(c)}" for c in _REQUIRED]
    columns += [_quote(c) if c in dtypes else f"{_literal(d)} AS {_quote(c)}" for c, d in _DEFAULTS.items()]
    if "weight" in dtypes:
        columns.append('coalesce(CASE WHEN isnan(CAST("weight" AS DOUBLE)) THEN 0.0 ELSE CAST("weight" AS DOUBLE) '
                       'END, 0.0) AS _w')
    else:
        columns.append("1.0 AS _w")
    columns.append('"psu"' if "psu" in dtypes else '"respondent_id" AS "psu"')
    select = ", ".join(columns)
    import duckdb

    try:  # DuckDB >= 1.3 numbers the files of one scan
        _fetch(con, f"SELECT file_index FROM read_parquet({names[0]}, file_row_number = true) LIMIT 0")
        return (f"SELECT {select}, (CAST(file_index AS BIGINT) << {_FILE_BITS}) + file_row_number AS _row "
                f"FROM read_parquet([{', '.join(names)}], file_row_number = true)")
    except duckdb.Error:  # older: one scan per file
        return " UNION ALL ".join(
            f"SELECT {select}, ({i}::BIGINT << {_FILE_BITS}) + file_row_number AS _row "
            f"FROM read_parquet({name}, file_row_number = true)" for i, name in enumerate(names))


def _csv_to_parquet(con, files: list[Path], dtypes: dict, folder: Path) -> list[Path]:
    """Copy CSV files to parquet (rows in order, columns typed as CSV_DTYPES) for numbered rows."""
    out = []
    types = "{" + ", ".join(f"{_literal(c)}: '{_SQL_TYPES[CSV_DTYPES[c]]}'" for c in dtypes) + "}"
    columns = ", ".join(_quote(c) for c in dtypes)
    for i, f in enumerate(files):
        target = folder / f"answers-{i:05d}.parquet"
        source, target_ = _literal(str(f).replace("\\", "/")), _literal(str(target).replace("\\", "/"))
        con.execute(f"COPY (SELECT {columns} FROM read_csv({source}, header = true, types = {types})) "
                    f"TO {target_} (FORMAT parquet, ROW_GROUP_SIZE {ROW_GROUP})")
        out.append(target)
    return out


def _duckdb_tables(files: list[Path], kind: str, dtypes: dict, clustered: bool | None, memory_limit: str,
                   threads: int | None, temp_directory, form: tuple[tuple[str, ...], str]) -> tuple:
    import duckdb

    work = Path(tempfile.mkdtemp(prefix="cube-duckdb-", dir=temp_directory))
    config: dict[str, Any] = {"memory_limit": memory_limit, "temp_directory": str(work / "spill"),
                              "preserve_insertion_order": True}
    if threads:
        config["threads"] = int(threads)
    con = duckdb.connect(str(work / "cube.duckdb"), config=config)
    try:
        if kind == "csv":
            files = _csv_to_parquet(con, files, dtypes, work)
        con.execute("SET preserve_insertion_order = false")
        con.execute(f"CREATE TEMP VIEW answer_rows AS {_source_sql(con, files, dtypes)}")
        rows = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
        passes = max(1, -(-rows * _BYTES_PER_ANSWER // _bytes(memory_limit)))
        return _duckdb_reduce(con, dtypes, clustered, passes, form)
    finally:
        con.close()
        shutil.rmtree(work, ignore_errors=True)


def _bytes(size: str) -> int:
    """Bytes of a DuckDB memory size such as ``"3GB"``, ``"512 MiB"`` (DuckDB's units: KB = 1000, KiB = 1024)."""
    text = str(size).strip().upper().replace(" ", "")
    units = {"KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40, "KB": 10**3, "MB": 10**6, "GB": 10**9,
             "TB": 10**12, "B": 1}
    for unit, factor in units.items():
        if text.endswith(unit):
            return int(float(text[: -len(unit)]) * factor)
    return int(float(text))


def _fetch(con, sql: str) -> pd.DataFrame:
    result = con.sql(sql)
    fetch = getattr(result, "to_arrow_table", None) or result.fetch_arrow_table  # DuckDB 2 / 1.x
    return fetch().to_pandas()


def _duckdb_reduce(con, dtypes: dict, clustered: bool | None, passes: int = 1,
                   form: tuple[tuple[str, ...], str] = (COMPONENTS, "sipas")) -> tuple:
    q = _quote
    names, index_form = form  # the components scored, how the index is formed
    found = _fetch(con, 'SELECT DISTINCT "component" FROM answer_rows WHERE "component" IS NOT NULL')["component"]
    components = [c for c in _cast(found, dtypes["component"]).sort_values(kind="stable").tolist()
                  if c != OVERALL_ITEM]  # build_cube's order; the overall item is summed apart (k = len)
    attributes = ["year", "unit_id", "channel", "group", "stratum", "psu"]

    # 1. respondents: per component the answered count and the sums of each measure, then the attributes of the
    # respondent's first row.  Per row, the counts (answered, satisfied, dissatisfied) and, for non-negative whole
    # answers, the answer are packed in 32-bit fields of one HUGEINT, so one sum per component adds them all.
    # Respondents are reduced in passes over hash-partitions of (period, respondent_id), so that each pass's
    # hash table fits in memory (spilling works but is several times slower).
    answer = dtypes["answer"]
    whole = pd.api.types.is_integer_dtype(answer) and not pd.api.types.is_bool_dtype(answer) and bool(_fetch(
        con, 'SELECT coalesce(min("answer") >= 0, true) AS whole FROM answer_rows')["whole"].iloc[0])
    fields = ["CAST(1 AS HUGEINT)", 'CAST("answer" >= 4 AS HUGEINT)', 'CAST("answer" <= 2 AS HUGEINT)']
    if whole:
        fields.append('CAST("answer" AS HUGEINT)')
    packed = " + ".join(f"({field} << {32 * i})" for i, field in enumerate(fields))
    overall = len(components)  # the code of the overall component's sums, kept when the index is formed on it
    summed = range(len(components) + (index_form == "overall"))
    code = " ".join(f"WHEN {_literal(c)} THEN {k}" for k, c in enumerate(components))
    code = f'CASE "component" {code} END' if components else "CAST(NULL AS INTEGER)"
    code = f'CASE WHEN "component" = {_literal(OVERALL_ITEM)} THEN {overall} ELSE {code} END'
    counted = '"answer" IS NOT NULL' + ("" if index_form == "overall" else
                                         f' AND "item" IS DISTINCT FROM {_literal(OVERALL_ITEM)}')
    sums = [f"sum(CASE WHEN _c = {k} THEN _p END) AS p{k}" for k in summed]
    if not whole:
        sums += [f"fsum(CASE WHEN _c = {k} THEN _a END) AS t{k}" for k in summed]
    for part in range(passes):
        where = f'WHERE hash("period", "respondent_id") % {passes} = {part}' if passes > 1 else ""
        select = (f'SELECT "period", "respondent_id", min(_row) AS _first{"".join(", " + x for x in sums)} '
                  f'FROM (SELECT "period", "respondent_id", _row, CASE WHEN {counted} THEN {code} END AS _c, '
                  f'{packed} AS _p, CAST("answer" AS DOUBLE) AS _a FROM answer_rows {where}) '
                  f'GROUP BY "period", "respondent_id"')
        con.execute(f"CREATE TABLE sums AS {select}" if part == 0 else f"INSERT INTO sums {select}")
    mask = (1 << 32) - 1
    decoded = []
    for k in summed:
        p = f"coalesce(p{k}, 0)"
        decoded += [f"CAST({p} & {mask} AS BIGINT) AS a{k}", f"CAST(({p} >> 32) & {mask} AS DOUBLE) AS s{k}",
                    f"CAST(({p} >> 64) & {mask} AS DOUBLE) AS d{k}",
                    f"CAST({p} >> 96 AS DOUBLE) AS m{k}" if whole else f"t{k} AS m{k}"]
    con.execute(f"""CREATE TABLE people AS
        SELECT sums."period", sums."respondent_id", {", ".join(f"first.{q(a)}" for a in attributes)}, first._w
               {"".join(", " + x for x in decoded)}
        FROM sums JOIN answer_rows AS first ON sums._first = first._row""")
    con.execute("DROP TABLE sums")

    if clustered is None:
        clustered = "psu" in dtypes and bool(_fetch(
            con, 'SELECT coalesce(max(c), 0) > 1 AS clustered FROM (SELECT count(*) AS c FROM people '
            'WHERE "period" IS NOT NULL AND "psu" IS NOT NULL GROUP BY "period", "psu")')["clustered"].iloc[0])
    keys = [*CELL_KEYS, "psu"] if clustered else list(CELL_KEYS)
    key_list = ", ".join(q(k) for k in keys)

    # 2. respondent scores (missing where nothing was answered) and their moments per cell
    named = {c: k for k, c in enumerate(components) if c in names}
    columns = []
    for measure in MEASURES:
        m = _SUMS[measure]
        for score in names:
            j = named.get(score)
            value = f"CASE WHEN a{j} > 0 THEN {m}{j} / a{j} END" if j is not None else "CAST(NULL AS DOUBLE)"
            columns.append(f"{value} AS {q(f'{measure}:{score}')}")
        columns.append(f"{_index_sql(m, len(components), index_form)} AS {q(f'{measure}:index')}")
    complete = " AND ".join(f"{q(k)} IS NOT NULL" for k in keys)
    moments = []
    for name in score_names(names):
        y = q(name)
        present = f"CASE WHEN {y} IS NOT NULL THEN _w END"
        moments += [f"count({y}) AS {q(name + '|n')}", f"fsum({y}) AS {q(name + '|y')}",
                    f"fsum({y} * {y}) AS {q(name + '|y2')}", f"fsum({present}) AS {q(name + '|w')}",
                    f"fsum(_w * {y}) AS {q(name + '|wy')}", f"fsum({present} * _w) AS {q(name + '|w2')}",
                    f"fsum(_w * _w * {y}) AS {q(name + '|w2y')}",
                    f"fsum(_w * _w * {y} * {y}) AS {q(name + '|w2y2')}"]
    scores = _fetch(con, f"SELECT {key_list}, {', '.join(moments)} FROM (SELECT {key_list}, _w, {', '.join(columns)} "
                         f"FROM people WHERE {complete}) GROUP BY {key_list}")

    # 3. PSUs (respondents, when there is no PSU column) per period and stratum, by first rows
    counting = 'count(DISTINCT "psu")' if "psu" in dtypes else "count(*)"
    pairs = _fetch(con, f'SELECT "period", "stratum", {counting} AS psus FROM people GROUP BY "period", "stratum"')
    con.execute("DROP TABLE people")

    # 4. answers: per cell x item x answer, every row with its own keys
    answers = _fetch(con, f'SELECT {key_list}, "item", "answer", count(*) AS n, fsum(_w) AS w, fsum(_w * _w) AS w2 '
                          f'FROM answer_rows GROUP BY {key_list}, "item", "answer"')
    return answers, scores, pairs, clustered


def _index_sql(m: str, components: int, index_form: str) -> str:
    """A respondent's index from the sums ``a<k>`` (answered) and ``<m><k>`` (the measure) of each component
    ``k``, as :class:`~analysis.cube.memory._People` forms it: the mean of the component scores (``sipas``),
    the pooled share (``criteria``) or the overall item's (``overall``, summed as component ``components``)."""
    if index_form == "overall":
        return f"CASE WHEN a{components} > 0 THEN {m}{components} / a{components} END"
    if not components:
        return "CAST(NULL AS DOUBLE)"
    if index_form == "criteria":
        total = " + ".join(f"coalesce({m}{k}, 0)" for k in range(components))
        return f"({total}) / nullif({' + '.join(f'a{k}' for k in range(components))}, 0)"
    total = " + ".join(f"CASE WHEN a{k} > 0 THEN {m}{k} / a{k} ELSE 0.0 END" for k in range(components))
    count = " + ".join(f"CAST(a{k} > 0 AS INTEGER)" for k in range(components))
    return f"({total}) / nullif({count}, 0)"


# --------------------------------------------------------------------------- Dask


def _read_row_group(piece: tuple, dtypes: dict) -> pd.DataFrame:
    """One row group of one file as pandas (categoricals on the files' common categories), with ``_row``."""
    index, path, group, offset = piece
    frame = pq.ParquetFile(path).read_row_group(group, columns=list(dtypes)).to_pandas()
    frame = _typed(frame, dtypes)
    frame["_row"] = (np.int64(index) << _FILE_BITS) + offset + np.arange(len(frame), dtype=np.int64)
    return frame


def _number_rows(frame: pd.DataFrame, dtypes: dict, partition_info=None) -> pd.DataFrame:
    number = partition_info["number"] if partition_info else 0
    frame = _typed(frame, dtypes)
    return frame.assign(_row=(np.int64(number) << _FILE_BITS) + np.arange(len(frame), dtype=np.int64))


def _partial(part: pd.DataFrame, flags: list[bool], has_psu: bool,
             form: tuple[tuple[str, ...], str] = (COMPONENTS, "sipas")) -> dict:
    """The cube of one partition of whole respondents (rows in file order), for each clustering asked."""
    part = part.sort_values("_row", kind="stable").drop(columns="_row").reset_index(drop=True)
    out: dict = {"cubes": {}}
    for flag in flags:
        cube = build_cube(part, clustered=flag, components=form[0], index_form=form[1])
        out["cubes"][flag] = (cube.answers.drop(columns="component"), cube.scores)
    first = part.drop_duplicates(["period", "respondent_id"])  # each respondent's first row
    stratum = first["stratum"] if "stratum" in first else pd.Series("", index=first.index)
    if has_psu:
        triples = pd.DataFrame({"period": first["period"], "stratum": stratum, "psu": first["psu"]})
        out["psus"] = triples.drop_duplicates()
        pairs = first[["period", "psu"]].dropna()
        out["clusters"] = pairs.groupby(["period", "psu"], observed=True).size().rename("c").reset_index()
    else:
        pairs = pd.DataFrame({"period": first["period"], "stratum": stratum})
        out["psus"] = pairs.groupby(["period", "stratum"], dropna=False, observed=True).size().rename(
            "psus").reset_index()
    return out


def _add(tables: list[pd.DataFrame], by: list[str]) -> pd.DataFrame:
    frame = pd.concat(tables, ignore_index=True)
    return frame.groupby(by, dropna=False, observed=True, sort=False).sum().reset_index()


def _combine(*partials: dict, has_psu: bool) -> dict:
    """Add partial cubes (counts and moments are sums; distinct PSUs are united)."""
    out: dict = {"cubes": {}}
    for flag in partials[0]["cubes"]:
        keys = [*CELL_KEYS, "psu"] if flag else list(CELL_KEYS)
        answers = [p["cubes"][flag][0] for p in partials]
        scores = [p["cubes"][flag][1] for p in partials]
        keys = [k for k in keys if k in answers[0].columns]
        out["cubes"][flag] = (_add(answers, [*keys, "item", "answer"]), _add(scores, keys))
    if has_psu:
        out["psus"] = pd.concat([p["psus"] for p in partials], ignore_index=True).drop_duplicates()
        out["clusters"] = _add([p["clusters"] for p in partials], ["period", "psu"])
    else:
        out["psus"] = _add([p["psus"] for p in partials], ["period", "stratum"])
    return out


def _dask_tables(files: list[Path], kind: str, dtypes: dict, clustered: bool | None, scheduler: str | None,
                 form: tuple[tuple[str, ...], str]) -> tuple:
    import dask
    import dask.dataframe as dd

    meta = pd.DataFrame({c: pd.Series(dtype=d) for c, d in dtypes.items()}).assign(_row=pd.Series(dtype=np.int64))
    if kind == "parquet":
        pieces = []
        for index, path in enumerate(files):
            metadata = pq.ParquetFile(path).metadata
            offsets = np.cumsum([0] + [metadata.row_group(g).num_rows for g in range(metadata.num_row_groups)])
            pieces += [(index, str(path), g, int(offsets[g])) for g in range(metadata.num_row_groups)]
        frame = dd.from_map(_read_row_group, pieces, dtypes=dtypes, meta=meta, enforce_metadata=False)
    else:
        frame = dd.read_csv([str(f) for f in files], usecols=list(dtypes), dtype={c: CSV_DTYPES[c] for c in dtypes},
                            keep_default_na=False, na_values=[""], blocksize="64MB")
        frame = frame.map_partitions(_number_rows, dtypes, meta=meta)
    has_psu = "psu" in dtypes
    flags = [bool(clustered)] if clustered is not None or not has_psu else [False, True]
    shuffled = frame.shuffle(on=["period", "respondent_id"], npartitions=frame.npartitions)
    partials = [dask.delayed(_partial)(part, flags, has_psu, form) for part in shuffled.to_delayed()]
    while len(partials) > 1:  # a tree of additions, 8 at a time
        partials = [dask.delayed(_combine)(*partials[i:i + 8], has_psu=has_psu) for i in range(0, len(partials), 8)]
    total = dask.delayed(_combine)(*partials, has_psu=has_psu)
    (total,) = dask.compute(total, scheduler=scheduler)

    if clustered is None:
        clustered = has_psu and bool(len(total["clusters"]) and total["clusters"]["c"].max() > 1)
    answers, scores = total["cubes"][bool(clustered)]
    if has_psu:
        triples = total["psus"]
        pairs = triples.groupby(["period", "stratum"], dropna=False, observed=True)["psu"].nunique().rename(
            "psus").reset_index()
    else:
        pairs = total["psus"]
    return answers, scores, pairs, clustered
