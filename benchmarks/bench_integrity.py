"""Seconds of every integrity check on 10 million answers (issue 15: one pass over the long answers or a
group-by on the cube each).

Run from the repository root::

    .venv/bin/python benchmarks/bench_integrity.py [--answers 1e7]

The survey is :func:`analysis.synthetic.integrity.honest` with as many offices as make the asked number of
answers (13 items per form, about 350 forms per office, every design column: collector, submission time,
duration, session), its patterns injected (:func:`analysis.synthetic.integrity.inject`).  Timed: the whole
of :func:`analysis.sections.integrity.checks` (forms matrix, straight-lining, duplicates, speeders, bursts,
collector gaps, the funnel, the index recomputed without flagged forms and from the independent team), and
its parts; generation is not timed.
"""

from __future__ import annotations

import argparse
import time

from analysis.analyses import integrity as checks
from analysis.sections import integrity
from analysis.synthetic import integrity as synthetic


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=float, default=1e7)
    args = parser.parse_args()
    offices = max(3, round(args.answers / (len(synthetic.ITEMS) * sum(synthetic.FORMS) / 2)))
    survey, _ = synthetic.inject(synthetic.honest(offices=offices))
    print(f"{len(survey.responses):,} answers, {len(survey.forms):,} forms, {offices} offices")
    started = time.perf_counter()
    forms = checks.form_answers(survey.grid(), survey.forms, survey.comments)
    parts = {"forms matrix": time.perf_counter() - started}
    for name, check in (("straight-lining", checks.straight_lining), ("duplicates", checks.duplicates),
                        ("speeders", checks.speeders), ("bursts", checks.bursts)):
        clock = time.perf_counter()
        check(forms)
        parts[name] = time.perf_counter() - clock
    for name, seconds in parts.items():
        print(f"  {name:<16} {seconds:6.2f} s")
    clock = time.perf_counter()
    integrity.checks(survey, synthetic.YEAR)
    print(f"every check (integrity.checks, cubes included): {time.perf_counter() - clock:.2f} s")


if __name__ == "__main__":
    main()
