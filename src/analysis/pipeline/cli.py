"""Command line: ``python -m analysis report|check|validate|generate-data``.

``report`` tells the user what is happening, on stdout a line at a time (so a log file shows it too):
one line per section as it finishes (its name, seconds or "from the cache"), the page, workbook and
PDF, then the report's path and how long the run took; on stderr only what needs the user (no PDF:
how to get one).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import psutil

from analysis.errors import InputError
from analysis.pipeline import browser, manifest
from analysis.pipeline.report import (
    ANNUAL_REVIEW,
    DEFAULT_OUT,
    DEFAULT_SURVEY,
    ENGINE_CHOICES,
    PERIOD_FORMS,
    Reduction,
    ReportError,
    ReportParameters,
    check_report,
    describe_periods,
    preflight,
    run_batch,
    run_report,
)

DEFAULT_YEAR = 2023


def year_or_period(text: str) -> str:
    """``--year``'s value: a year; a period such as ``2023-07`` is taken as ``--period 2023-07``."""
    text = text.strip()
    if not text[:4].isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a year; give --year 2023, or --period as {PERIOD_FORMS}")
    return text


def add_request(parser: argparse.ArgumentParser, defaults: bool) -> None:
    """``--year``/``--period`` (one or neither), ``--scope``, ``--published``, ``--papi``: what a report reviews."""
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--year", type=year_or_period, default=None,
                      help=f"year under review{f' (default {DEFAULT_YEAR})' if defaults else ''}")
    when.add_argument("--period", default=None,
                      help=f"period under review, as the survey codes it: {PERIOD_FORMS}; compared with the "
                           "previous period and the same period a year earlier")
    parser.add_argument("--scope", default="province" if defaults else None,
                        help="'province', a block name or a unit id" + ("; with --all: 'block' or 'unit'"
                                                                        if defaults else ""))
    parser.add_argument("--published", default="",
                        help="published figures (CSV); default: the survey's own (its mapping's 'published:')")
    parser.add_argument("--papi", default="",
                        help="PAPI folder for the real-data section; default: the survey's own (mapping's 'papi:')")


def request(args: argparse.Namespace) -> dict:
    """ReportParameters fields from ``--year``/``--period`` (a period given as ``--year`` counts as one)."""
    period = args.period or ""
    if args.year is not None and not args.year.isdigit():
        period = args.year
    year = int(args.year) if args.year is not None and args.year.isdigit() else DEFAULT_YEAR
    return {"year": year, "period": period, "published": args.published, "papi": args.papi}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis",
                                     description="Satisfaction with public services: annual review and tools.")
    commands = parser.add_subparsers(dest="command", required=True)

    report = commands.add_parser("report", help="run the review and write it under "
                                                "reports/<survey>/<scope>/<period>/<lang>/")
    report.add_argument("--data", default=str(DEFAULT_SURVEY), help="survey mapping file (YAML)")
    add_request(report, defaults=True)
    report.add_argument("--all", action="store_true",
                        help="one report per block (--scope block) or per block and unit (--scope unit), in parallel")
    report.add_argument("--lang", choices=["vi", "en"], default="vi", help="report language (default vi)")
    report.add_argument("--min-cell", type=int, default=10, help="suppress groups smaller than this")
    report.add_argument("--seed", type=int, default=20231231, help="seed for every random draw")
    report.add_argument("--out", default=str(DEFAULT_OUT), help="output root (default reports/)")
    report.add_argument("--no-cache", action="store_true", help="execute every notebook even if unchanged")
    report.add_argument("--notebooks", nargs="+", default=list(ANNUAL_REVIEW), metavar="NOTEBOOK",
                        help="the sections to run, notebooks of notebooks/ (default: the annual review's)")
    report.add_argument("--engine", choices=ENGINE_CHOICES, default="auto",
                        help="what reduces the answers to the cube: numpy (in memory), duckdb (out of core), "
                             "dask (threads, or a cluster with --scheduler); auto (default): numpy, the survey "
                             "being in memory once read and checked. The tables are the same")
    report.add_argument("--memory-limit", metavar="SIZE", help="DuckDB's memory limit, e.g. 2GB (default 3GB)")
    report.add_argument("--scheduler", metavar="ADDRESS",
                        help="a Dask scheduler, e.g. tcp://10.0.0.5:8786, for --engine dask (its workers must see "
                             "the output folder at the same path)")

    check = commands.add_parser("check", help="rerun the report a manifest.json describes and list any difference")
    check.add_argument("manifest", help="path of a report's manifest.json")

    validate = commands.add_parser("validate", help="load a survey through its mapping, say what was read and "
                                                    "run the checks 'report' runs first")
    validate.add_argument("--data", default=str(DEFAULT_SURVEY), help="survey mapping file (YAML)")
    add_request(validate, defaults=False)

    generate = commands.add_parser("generate-data", help="regenerate the embedded synthetic province survey")
    generate.add_argument("--out", required=True, help="folder to write (must not exist)")
    generate.add_argument("--seed", type=int, default=None, help="seed (default: the shipped one)")
    return parser


def validate(args: argparse.Namespace) -> None:
    """What load read, the periods, and the report's preflight for the request given (or what needs none)."""
    from analysis.data.load import load_survey

    survey = load_survey(args.data)
    print(survey.load_note())
    if survey.skipped_rows:
        print(f"{len(survey.skipped_rows)} total row(s) skipped, not respondents: file rows "
              f"{', '.join(map(str, survey.skipped_rows))}")
    periods = survey.periods()
    print(f"periods: {describe_periods(periods)}")
    reviewed = args.year is not None or args.period is not None
    params = ReportParameters(survey=args.data, scope=args.scope or "province", **request(args))
    for note in preflight(survey, params, reviewed=reviewed, scoped=args.scope is not None or reviewed):
        print(note)
    if not reviewed and str(DEFAULT_YEAR) not in {str(y) for y in survey.respondents()["year"].unique()}:
        print(f"note: 'report' without --year or --period reviews {DEFAULT_YEAR}, which this survey does not hold; "
              f"give --period {max(map(str, periods))} (or another of its periods)")
    when = f" --period {params.period}" if params.period else (f" --year {params.year}" if reviewed else "")
    print(f"Ready for 'report'{when}" + (f" --scope {params.scope!r}" if args.scope else "") + ".")


def say(line: str) -> None:
    """One line of the run's progress, at once (a log file or pipe is not left waiting)."""
    print(line, flush=True)


def report(args: argparse.Namespace) -> int:
    """Run the report (or the batch) with its progress, then its path, the time taken and what needs the user."""
    params = ReportParameters(survey=args.data, scope=args.scope, lang=args.lang, min_cell=args.min_cell,
                              seed=args.seed, notebooks=args.notebooks, **request(args))
    if args.all:
        if args.scope not in ("block", "unit"):
            print("error: --all needs --scope block or --scope unit", file=sys.stderr)
            return 2
        index = run_batch(params, args.scope, args.out, progress=say, reduction=reduction(args))
        print(f"Reports written: {index} ({elapsed()})")
        made = browser.chromium() is not None
    else:
        index = run_report(params, args.out, use_cache=not args.no_cache, progress=say, reduction=reduction(args))
        record = manifest.read(index.parent / "manifest.json")
        print(f"Report {'unchanged' if 'reused_from' in record else 'written'}: {index} ({elapsed()})")
        made = record.get("pdf") == "report.pdf"
    if not made:
        print(f"warning: {browser.pdf_hint(params.lang)}", file=sys.stderr)
    return 0


def reduction(args: argparse.Namespace) -> Reduction:
    """The engine options of ``report`` (``--scheduler`` implies Dask)."""
    engine = "dask" if args.scheduler and args.engine == "auto" else args.engine
    if args.scheduler and engine != "dask":
        raise SystemExit(f"error: --scheduler is Dask's; it does not go with --engine {engine}")
    if args.memory_limit and engine != "duckdb":
        raise SystemExit("error: --memory-limit is DuckDB's; give --engine duckdb with it")
    return Reduction(engine, args.memory_limit, args.scheduler)


def elapsed() -> str:
    """Wall time since this process started, the interpreter and its imports included: ``"1.4 s"``.

    On Linux both ends are counted from boot (``/proc/self/stat``'s start, ``CLOCK_BOOTTIME``), to the
    clock tick; elsewhere from psutil's start time, good to the second.
    """
    try:
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        seconds = time.clock_gettime(time.CLOCK_BOOTTIME) - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, AttributeError, ValueError, IndexError):
        seconds = time.time() - psutil.Process().create_time()
    return f"{seconds:.1f} s"


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "report":
            return report(args)
        elif args.command == "check":
            differences = check_report(args.manifest, progress=say)
            for line in differences:
                print(line)
            print("No difference: the rerun gives the same inputs and outputs." if not differences
                  else f"{len(differences)} difference(s).")
            return 1 if differences else 0
        elif args.command == "validate":
            validate(args)
        elif args.command == "generate-data":
            from analysis.synthetic import province as synthetic

            out = Path(args.out)
            if out.exists():
                print(f"error: {out} exists; give a new folder", file=sys.stderr)
                return 2
            synthetic.generate(out, **({} if args.seed is None else {"seed": args.seed}))
            print(f"Synthetic survey written to {out}")
    except (InputError, ReportError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
