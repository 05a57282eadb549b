"""The cube from a parquet file of 1, 10, 100 million answers: pandas path, DuckDB path, bare numpy floor.

Run from the repository root::

    .venv/bin/python benchmarks/bench_engines.py [--sizes 1e6 1e7 1e8] [--dask-max 1e7] [--folder /tmp]

For each size N the script writes N synthetic answers to one parquet file in
row groups of 2**20 answers (:func:`write_answers`: generated chunk by chunk
and written with a ``pyarrow.parquet.ParquetWriter``, so never all in memory;
the time is reported apart), then measures each path in a fresh subprocess:

floor
    the bare numpy pass: the file read batch by batch (2**20 answers) with
    pyarrow, the codes of the six answer columns that vary independently here
    (period, unit_id, channel, group, item, answer: dictionary indices)
    combined by mixed radix, then ``np.bincount`` of 1, w and w² into 62,400
    bins: the answers table's numbers only, no respondents, no scores.
pandas
    ``pandas.read_parquet`` then :func:`analysis.cube.memory.build_cube` (the
    in-memory numpy path); both times are shown.
duckdb
    :func:`analysis.cube.engines.cube_from_parquet` with ``engine="duckdb"``
    (``--memory-limit``, default 3GB; 2 threads; spilling to a temporary folder).
dask
    the same with ``engine="dask"`` on Dask's local threaded scheduler, up to ``--dask-max`` answers.

Peak memory is the whole process's: ``resource.getrusage(RUSAGE_SELF).ru_maxrss``
of the measuring subprocess at its end (interpreter, imports and data included).
Time is wall-clock (``time.perf_counter``).  Each path's cube is saved and the
parent checks that DuckDB's (and Dask's) equals the pandas path's: "max diff"
is the largest ``|a - b| / max(1, |b|)`` over every number of the answers,
scores and PSU tables, with keys, dtypes and row order compared exactly.
The files are removed at the end.

The data: 13 items per respondent (overall included), item-major rows as
``load_survey`` leaves them, 20 units (stratum = unit), 10 years, 2 channels,
2 groups, ~4% missing answers, weights per year x unit; categorical text
columns (parquet dictionaries), ``int32`` respondent id, ``int16`` year,
nullable ``Int8`` answer, ``float64`` weight; no PSU column.
"""

from __future__ import annotations

import argparse
import json
import pickle
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the data are bench_cube's (also when loaded by a test)
from bench_cube import COMPONENTS, ITEM_COMPONENT, ITEMS, UNITS, YEARS, respondents  # noqa: E402

CHUNK = 1 << 20  # answers per row group


def write_answers(path: str | Path, n: int, seed: int = 20240607, chunk: int = CHUNK) -> Path:
    """Write ``n`` synthetic long answers to ``path`` (parquet, row groups of ``chunk``), chunk by chunk.

    Memory: per-respondent attributes (about 20 bytes x n / 13) and one chunk.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    people = -(-n // len(ITEMS))
    year, unit, channel, group, weight, lean = respondents(people, rng)
    lean = lean.astype(np.float32)
    years = np.asarray(YEARS, dtype=np.int16)

    def categorical(codes: np.ndarray, categories: list[str]) -> pd.Categorical:
        return pd.Categorical.from_codes(codes, categories=categories)

    path = Path(path)
    writer = None
    try:
        for start in range(0, n, chunk):
            stop = min(n, start + chunk)
            rows = np.arange(start, stop, dtype=np.int64)
            who, item = rows % people, (rows // people).astype(np.int8)  # item-major
            latent = lean[who] + rng.normal(3.6, 0.9, stop - start)
            answer = np.clip(np.rint(latent), 1, 5).astype(np.int8)
            missing = rng.random(stop - start) < 0.04
            frame = pd.DataFrame({
                "respondent_id": who.astype(np.int32),
                "period": categorical(year[who], [str(y) for y in YEARS]),
                "year": years[year[who]],
                "unit_id": categorical(unit[who], UNITS),
                "channel": categorical(channel[who], ["direct", "online"]),
                "group": categorical(group[who], ["citizen", "business"]),
                "item": categorical(item, ITEMS),
                "component": categorical(ITEM_COMPONENT[item], COMPONENTS),
                "answer": pd.arrays.IntegerArray(answer, missing),
                "weight": weight[who],
                "stratum": categorical(unit[who], UNITS),
            })
            table = pa.Table.from_pandas(frame, preserve_index=False)
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema)
            writer.write_table(table, row_group_size=chunk)
    finally:
        if writer is not None:
            writer.close()
    return path


# --------------------------------------------------------------------------- the measurements


def floor(path: str) -> dict:
    """One streaming pass: per batch, the codes of the answer columns by mixed radix, bincount of 1, w and w²."""
    import pyarrow.parquet as pq

    columns = ["period", "unit_id", "channel", "group", "item", "answer"]  # year, stratum: functions of these here
    parquet = pq.ParquetFile(path)
    sizes = None
    n = w = w2 = None
    for batch in parquet.iter_batches(batch_size=CHUNK, columns=[*columns, "weight"]):
        key = None
        for name in columns:
            column = batch.column(name)
            if name == "answer":
                codes, size = column.fill_null(0).to_numpy(), 6  # 0 = missing
            else:  # dictionary indices are the codes (the same dictionary in every row group here)
                codes, size = column.indices.to_numpy(), len(column.dictionary)
            key = codes.astype(np.int64) if key is None else key * size + codes
        if sizes is None:
            sizes = int(np.prod([len(batch.column(c).dictionary) for c in columns[:-1]])) * 6
            n, w, w2 = np.zeros(sizes, np.int64), np.zeros(sizes), np.zeros(sizes)
        weight = batch.column("weight").to_numpy()
        n += np.bincount(key, minlength=sizes)
        w += np.bincount(key, weight, minlength=sizes)
        w2 += np.bincount(key, weight * weight, minlength=sizes)
    return {"cells": int(np.count_nonzero(n))}


def measure(what: str, path: str, out: str, memory_limit: str) -> dict:
    """One measurement in this (fresh) process; the cube is pickled to ``out``."""
    import analysis.cube.engines  # noqa: F401  (imports are not part of the measurement)
    import analysis.cube.memory

    start = time.perf_counter()
    result = {}
    if what == "floor":
        result.update(floor(path))
        cube = None
    elif what == "pandas":
        data = pd.read_parquet(path)
        result["read_seconds"] = time.perf_counter() - start
        cube = analysis.cube.memory.build_cube(data)
        result["cube_seconds"] = time.perf_counter() - start - result["read_seconds"]
        del data
    else:
        import duckdb

        cube = analysis.cube.engines.cube_from_parquet(path, engine=what, memory_limit=memory_limit, threads=2,
                                                  temp_directory=Path(out).parent, scheduler="threads")
        result["duckdb"] = duckdb.__version__
    result["seconds"] = time.perf_counter() - start
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    if cube is not None:
        with open(out, "wb") as handle:
            pickle.dump((cube.answers, cube.scores, cube.psus, cube.clustered), handle)
    return result


def run(what: str, path: Path, folder: Path, memory_limit: str) -> dict:
    out = folder / f"cube-{what}.pickle"
    done = subprocess.run([sys.executable, __file__, "--measure", what, str(path), str(out), memory_limit],
                          capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{what} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def difference(folder: Path, what: str, reference: str = "pandas") -> float:
    """Largest relative difference between two saved cubes (keys, dtypes and order must match exactly)."""
    with open(folder / f"cube-{what}.pickle", "rb") as handle:
        actual = pickle.load(handle)
    with open(folder / f"cube-{reference}.pickle", "rb") as handle:
        expected = pickle.load(handle)
    assert actual[3] == expected[3], "clustered differs"
    worst = 0.0
    for a, e in zip(actual[:2], expected[:2], strict=True):
        assert list(a.columns) == list(e.columns) and len(a) == len(e)
        for column in e.columns:
            if pd.api.types.is_float_dtype(e[column]):
                x, y = a[column].to_numpy(float), e[column].to_numpy(float)
                worst = max(worst, float(np.max(np.abs(x - y) / np.maximum(1.0, np.abs(y)), initial=0.0)))
            else:
                assert a[column].dtype == e[column].dtype, column
                pd.testing.assert_series_equal(a[column], e[column], check_names=False)
    pd.testing.assert_series_equal(actual[2], expected[2])
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e6, 1e7, 1e8])
    parser.add_argument("--dask-max", type=float, default=1e7, help="largest size also run through Dask (0: none)")
    parser.add_argument("--memory-limit", default="3GB", help="DuckDB's memory_limit")
    parser.add_argument("--folder", default=None, help="where the parquet files go (default: system temp)")
    parser.add_argument("--measure", nargs=4, metavar=("WHAT", "PATH", "OUT", "LIMIT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure)))
        return
    print(f"{'answers':>11} {'gen s':>6} {'file MB':>7} {'floor s':>7} {'floor MB':>8} {'pandas read s':>13} "
          f"{'pandas cube s':>13} {'pandas MB':>9} {'duckdb s':>8} {'duckdb MB':>9} {'max diff':>8} "
          f"{'dask s':>6} {'dask MB':>7} {'dask diff':>9}", flush=True)
    for size in args.sizes:
        n = int(size)
        folder = Path(tempfile.mkdtemp(prefix="bench-engines-", dir=args.folder))
        try:
            start = time.perf_counter()
            path = write_answers(folder / "answers.parquet", n)
            generated = time.perf_counter() - start
            file_mb = path.stat().st_size / 2**20
            floor_ = run("floor", path, folder, args.memory_limit)
            pandas_ = run("pandas", path, folder, args.memory_limit)
            duck = run("duckdb", path, folder, args.memory_limit)
            diff = difference(folder, "duckdb")
            dask_cells = f"{'':>6} {'':>7} {'':>9}"
            if n <= args.dask_max:
                dask_ = run("dask", path, folder, args.memory_limit)
                dask_cells = f"{dask_['seconds']:>6.1f} {dask_['peak_mb']:>7.0f} {difference(folder, 'dask'):>9.1e}"
            print(f"{n:>11,} {generated:>6.1f} {file_mb:>7.0f} {floor_['seconds']:>7.2f} {floor_['peak_mb']:>8.0f} "
                  f"{pandas_['read_seconds']:>13.2f} {pandas_['cube_seconds']:>13.2f} {pandas_['peak_mb']:>9.0f} "
                  f"{duck['seconds']:>8.1f} {duck['peak_mb']:>9.0f} {diff:>8.1e} {dask_cells}", flush=True)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
