"""The report on a survey with injected integrity patterns (analysis.synthetic.integrity, issue 15): its saved
tables find each pattern, its brief says whether the headline survives, and no flagged id is published."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.pipeline.privacy_check import restricted_folder, scan_outputs
from analysis.synthetic import integrity as synthetic

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


def run(mapping: Path, out: Path) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "analysis", "report", "--data", str(mapping), "--year",
                           str(synthetic.YEAR), "--out", str(out)], capture_output=True, text=True, cwd=ROOT,
                          timeout=1500)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The injected survey written, reported for its year; its report folder, mapping and truth."""
    root = tmp_path_factory.mktemp("integrity")
    truth = synthetic.write(root / "data")
    run(root / "data" / "mapping.yaml", root / "reports")
    folder = next((root / "reports").glob(f"*/province/{synthetic.YEAR}/vi"))
    return folder, root / "data" / "mapping.yaml", truth


def table(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / "tables" / f"integrity_{name}.csv", encoding="utf-8-sig")


def office(code: str) -> str:
    return f"Cơ quan {code[2:]}"


def test_each_injected_pattern_is_found_in_the_saved_tables(report):
    folder, _, truth = report
    groups = table(folder, "straight_lining")
    high = set(groups.loc[(groups["by"] == "unit_id") & (groups["flag"] == "high"), "group_name"])
    straight = {office(code) for code in truth["straight_offices"]}
    assert straight <= high <= straight | {office(truth["flat_office"])}  # the flat office's forms are all 5 too
    checks = table(folder, "checks").set_index("check")
    for check, pattern in (("integrity.duplicates", "duplicates"), ("integrity.speeders", "speeders")):
        assert len(truth[pattern]) * 0.9 <= checks.loc[check, "flagged"] <= len(truth[pattern]) * 1.1 + 5, check
    bursts = table(folder, "bursts")
    assert bursts[["unit_name", "day"]].values.tolist() == [[office(truth["burst"]["unit_id"]), truth["burst"]["day"]]]
    modes = table(folder, "modes")
    staff = modes[(modes["first_level"] == "staff") & (modes["second_level"] == "independent")]
    top = staff.loc[staff["difference"].idxmax()]
    assert top["unit_name"] == office(truth["staff_effect"]["unit_id"])
    assert top["ci_low"] <= truth["staff_effect"]["effect"] <= top["ci_high"]
    funnel = table(folder, "funnel").set_index("unit_name")
    assert funnel["spread"].idxmin() == office(truth["flat_office"]) and (funnel["spread"] < 0.25).sum() == 1


def test_the_brief_says_whether_the_headline_survives(report):
    folder, _, _ = report
    text = html.unescape(re.sub(r"<[^>]+>", " ", (folder / "brief.html").read_text(encoding="utf-8")))
    assert "Độ tin cậy của phiếu: chỉ số không đứng vững khi tính lại" in text
    assert table(folder, "headline").set_index("measure").loc["integrity.without_flagged", "holds"].item() is False


def test_no_flagged_id_is_published_and_the_restricted_file_is_kept_outside(report):
    folder, mapping, truth = report
    flags = pd.read_csv(restricted_folder(folder) / "integrity_flags.csv", encoding="utf-8-sig")
    assert set(truth["duplicates"]) & set(flags["respondent_id"])
    assert not (folder / "restricted").exists()
    assert scan_outputs(folder, mapping) == []


def test_a_rerun_stands_and_keeps_the_restricted_file(report):
    folder, mapping, _ = report
    flags = restricted_folder(folder) / "integrity_flags.csv"
    before = flags.read_bytes()
    done = run(mapping, folder.parents[3])
    assert "Nothing changed" in done.stdout + done.stderr
    assert flags.read_bytes() == before and not (folder / "restricted").exists()
    index = (folder.parents[3] / "index.html").read_text(encoding="utf-8")
    assert ".restricted" not in index and "integrity_flags" not in index
