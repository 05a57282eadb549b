"""Command line: ``python -m analysis report|validate|generate-data``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.errors import InputError
from analysis.pipeline.report import (
    DEFAULT_OUT,
    DEFAULT_PAPI,
    DEFAULT_PUBLISHED,
    DEFAULT_SURVEY,
    ReportError,
    ReportParameters,
    check_report,
    run_batch,
    run_report,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis",
                                     description="Satisfaction with public services: annual review and tools.")
    commands = parser.add_subparsers(dest="command", required=True)

    report = commands.add_parser("report", help="run the annual review and write it under reports/")
    report.add_argument("--data", default=str(DEFAULT_SURVEY), help="survey mapping file (YAML)")
    report.add_argument("--published", default=str(DEFAULT_PUBLISHED), help="published figures (CSV)")
    report.add_argument("--year", type=int, default=2023, help="year under review (default 2023)")
    report.add_argument("--scope", default="province",
                        help="'province', a block name or a unit id; with --all: 'block' or 'unit'")
    report.add_argument("--all", action="store_true",
                        help="one report per block (--scope block) or per block and unit (--scope unit), in parallel")
    report.add_argument("--lang", choices=["vi", "en"], default="vi", help="report language (default vi)")
    report.add_argument("--min-cell", type=int, default=10, help="suppress groups smaller than this")
    report.add_argument("--seed", type=int, default=20231231, help="seed for every random draw")
    report.add_argument("--papi", default=str(DEFAULT_PAPI), help="PAPI folder for the real-data section ('' to omit)")
    report.add_argument("--out", default=str(DEFAULT_OUT), help="output root (default reports/)")
    report.add_argument("--no-cache", action="store_true", help="execute every notebook even if unchanged")

    check = commands.add_parser("check", help="rerun the report a manifest.json describes and list any difference")
    check.add_argument("manifest", help="path of a report's manifest.json")

    validate = commands.add_parser("validate", help="load a survey through its mapping and say what was read")
    validate.add_argument("--data", default=str(DEFAULT_SURVEY), help="survey mapping file (YAML)")

    generate = commands.add_parser("generate-data", help="regenerate the embedded synthetic province survey")
    generate.add_argument("--out", required=True, help="folder to write (must not exist)")
    generate.add_argument("--seed", type=int, default=None, help="seed (default: the shipped one)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "report":
            params = ReportParameters(survey=args.data, published=args.published, papi=args.papi, year=args.year,
                                      scope=args.scope, lang=args.lang, min_cell=args.min_cell, seed=args.seed)
            if args.all:
                if args.scope not in ("block", "unit"):
                    print("error: --all needs --scope block or --scope unit", file=sys.stderr)
                    return 2
                index = run_batch(params, args.scope, args.out)
            else:
                index = run_report(params, args.out, use_cache=not args.no_cache)
            print(f"Report written: {index}")
        elif args.command == "check":
            differences = check_report(args.manifest)
            for line in differences:
                print(line)
            print("No difference: the rerun gives the same inputs and outputs." if not differences
                  else f"{len(differences)} difference(s).")
            return 1 if differences else 0
        elif args.command == "validate":
            from analysis.data.load import load_survey

            print(load_survey(args.data).load_note())
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
