"""Time and peak memory of build_cube + rates against a bare numpy bincount pass (the floor).

Run from the repository root::

    .venv/bin/python benchmarks/bench_cube.py [--sizes 1e6 1e7 3e7] [--repeat 1]

For each size N the script generates N synthetic answers in the tidy long shape
the loader returns (item-major, as ``melt`` leaves them): 13 items per
respondent, 20 units (stratum = unit), 10 years, 2 channels, 2 groups, ~4%
missing answers; compact dtypes: categoricals for the text columns, ``int16``
year, ``int32`` respondent id (unique over the years), nullable ``Int8``
answers, ``float64`` weight.  Every measurement runs in a fresh subprocess that
generates the same data (fixed seed), imports everything, then measures:

floor
    one bare numpy pass as anyone would write it: the codes of the answer
    columns (period, year, unit_id, channel, group, stratum, item, answer)
    combined by mixed radix into one int64 key over the whole array, then
    ``np.bincount`` of 1, the weight and the squared weight.  Its bins are the
    product of the columns' level counts (25 M here, most of them empty).
lean floor
    the same over the six columns that vary independently here (period,
    unit_id, channel, group, item, answer: 96 k bins).  At small sizes the 25 M
    bins dominate the floor's time, so this is the stricter yardstick.
cube + rates
    ``build_cube`` then ``analysis.analyses.indices.estimate`` for ``["year"]``,
    ``["year", "channel"]``, ``["year", "component"]``, ``["year", "item"]``
    and ``["year", "unit_id"]``.

Time is wall-clock (``time.perf_counter``), best of ``--repeat`` runs.  Peak
memory is ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` at the end minus the
resident set size just before the measurement; between the two the kernel's
high-water mark is reset (``/proc/self/clear_refs`` = 5, Linux), so the peak
is that of the measurement alone, not of generating the data.  "input MB" is
``DataFrame.memory_usage(deep=True)`` of the columns.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import json
import subprocess
import sys
import time

import numpy as np
import pandas as pd

ITEMS = ["access.1", "access.2", "procedure.1", "procedure.2", "procedure.3", "staff.1", "staff.2",
         "staff.3", "result.1", "result.2", "feedback.1", "feedback.2", "overall"]
YEARS = list(range(2014, 2024))
UNITS = [f"U{k:02d}" for k in range(20)]
GROUPINGS = [["year"], ["year", "channel"], ["year", "component"], ["year", "item"], ["year", "unit_id"]]


COMPONENTS = sorted({i.split(".")[0] for i in ITEMS})
ITEM_COMPONENT = np.array([COMPONENTS.index(i.split(".")[0]) for i in ITEMS], dtype=np.int8)


def respondents(people: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """Codes of year, unit, channel and group, the weight (per year x unit) and the leaning of each respondent."""
    year = np.sort(rng.integers(0, len(YEARS), people)).astype(np.int8)  # respondents numbered within years
    unit = rng.integers(0, len(UNITS), people).astype(np.int8)
    channel = rng.integers(0, 2, people).astype(np.int8)
    group = (rng.random(people) < 0.3).astype(np.int8)
    weight = rng.uniform(20, 200, (len(YEARS), len(UNITS)))[year, unit]
    lean = 0.3 * channel + 0.05 * (year - 5) + rng.normal(0, 0.6, people)
    return year, unit, channel, group, weight, lean


def generate(n: int, seed: int = 20240607) -> pd.DataFrame:
    """``n`` synthetic answers (13 per respondent, item-major) with compact dtypes."""
    rng = np.random.default_rng(seed)
    people = -(-n // len(ITEMS))
    year, unit, channel, group, weight, lean = respondents(people, rng)

    def per_row(values: np.ndarray) -> np.ndarray:  # item-major: every respondent for item 1, then item 2 ...
        return np.tile(values, len(ITEMS))[:n]

    item = np.repeat(np.arange(len(ITEMS), dtype=np.int8), people)[:n]
    answer = np.empty(n, dtype=np.int8)
    missing = np.empty(n, dtype=bool)
    for start in range(0, n, 1 << 22):  # in chunks, to keep generation light
        stop = min(n, start + (1 << 22))
        latent = lean[np.arange(start, stop) % people] + rng.normal(3.6, 0.9, stop - start)
        answer[start:stop] = np.clip(np.rint(latent), 1, 5)
        missing[start:stop] = rng.random(stop - start) < 0.04
    unit_codes = per_row(unit)

    def categorical(codes: np.ndarray, categories: list[str]) -> pd.Categorical:
        return pd.Categorical.from_codes(codes, categories=categories)

    return pd.DataFrame({
        "respondent_id": per_row(np.arange(people, dtype=np.int32)),
        "period": categorical(per_row(year), [str(y) for y in YEARS]),
        "year": per_row(np.asarray(YEARS, dtype=np.int16)[year]),
        "unit_id": categorical(unit_codes, UNITS),
        "channel": categorical(per_row(channel), ["direct", "online"]),
        "group": categorical(per_row(group), ["citizen", "business"]),
        "item": categorical(item, ITEMS),
        "component": categorical(ITEM_COMPONENT[item], COMPONENTS),
        "answer": pd.arrays.IntegerArray(answer, missing),
        "weight": per_row(weight),
        "stratum": categorical(unit_codes, UNITS),
    })


def floor(data: pd.DataFrame, columns: list[str]) -> int:
    """The bare pass: mixed-radix int64 key of the columns' codes, then bincount of 1, w and w²."""
    key = None
    for column in columns:
        values = data[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            codes, size = np.asarray(values.array.codes), len(values.cat.categories)  # no copy
        elif column == "answer":
            codes, size = values.to_numpy(dtype=np.int8, na_value=0), 6  # 0 = missing
        else:
            low = int(values.min())
            codes, size = values.to_numpy() - low, int(values.max()) - low + 1
        if key is None:
            key = codes.astype(np.int64)
        else:
            key *= size
            key += codes
    weight = data["weight"].to_numpy()
    n = np.bincount(key)
    w = np.bincount(key, weight)
    w2 = np.bincount(key, weight * weight)
    return int(np.count_nonzero(n)) + int(w.size + w2.size > 0)


def cube_and_rates(data: pd.DataFrame, split: dict) -> int:
    from analysis.analyses.indices import estimate
    from analysis.cube.memory import build_cube

    start = time.perf_counter()
    cube = build_cube(data)
    split["cube_seconds"] = time.perf_counter() - start
    return len(cube.answers) + sum(len(estimate(cube, by)) for by in GROUPINGS)


def rss_kib() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def measure(what: str, n: int) -> dict:
    """One measurement in this (fresh) process."""
    import resource

    import analysis.analyses.indices  # noqa: F401
    import analysis.cube.memory  # noqa: F401  (imports are not part of the measurement)

    warm = generate(20_000, seed=1)  # first calls load code lazily (pandas, pyarrow, scipy): not measured
    floor(warm, ["period", "item", "answer"])
    cube_and_rates(warm, {})
    del warm
    data = generate(n)
    input_mb = data.memory_usage(index=False, deep=True).sum() / 2**20
    split = {}
    job = {"floor": lambda: floor(data, ["period", "year", "unit_id", "channel", "group", "stratum", "item", "answer"]),
           "lean": lambda: floor(data, ["period", "unit_id", "channel", "group", "item", "answer"]),
           "cube": lambda: cube_and_rates(data, split)}[what]
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)  # hand freed heap back, so the RSS below is the live data
    with open("/proc/self/clear_refs", "w") as refs:  # reset the high-water mark (ru_maxrss) to the current RSS
        refs.write("5")
    before = rss_kib()
    start = time.perf_counter()
    job()
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before  # KiB on Linux
    return {"seconds": seconds, "peak_mb": peak / 1024, "input_mb": input_mb, **split}


def run(what: str, n: int, repeat: int) -> dict:
    best = None
    for _ in range(repeat):
        out = subprocess.run([sys.executable, __file__, "--measure", what, str(n)], capture_output=True, text=True,
                             check=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        if best is None or result["seconds"] < best["seconds"]:
            best = result
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e6, 1e7, 3e7])
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement (best time kept)")
    parser.add_argument("--measure", nargs=2, metavar=("WHAT", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure[0], int(args.measure[1]))))
        return
    print(f"{'answers':>11} {'input MB':>8} {'floor s':>7} {'lean s':>6} {'cube s':>6} {'cube+rates s':>12} "
          f"{'ratio':>5} {'ratio lean':>10} {'floor peak MB':>13} {'cube peak MB':>12} {'peak/input':>10}")
    for size in args.sizes:
        n = int(size)
        floor_, lean, cube = (run(what, n, args.repeat) for what in ("floor", "lean", "cube"))
        print(f"{n:>11,} {cube['input_mb']:>8.0f} {floor_['seconds']:>7.2f} {lean['seconds']:>6.2f} "
              f"{cube['cube_seconds']:>6.2f} {cube['seconds']:>12.2f} {cube['seconds'] / floor_['seconds']:>5.2f} "
              f"{cube['seconds'] / lean['seconds']:>10.2f} {floor_['peak_mb']:>13.0f} {cube['peak_mb']:>12.0f} "
              f"{cube['peak_mb'] / cube['input_mb']:>10.2f}", flush=True)


if __name__ == "__main__":
    main()
