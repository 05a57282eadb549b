"""Shared test set-up: headless plotting, data/raw untouched by the suite, Chromium for the report tests."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"

# --doctest-modules (pyproject.toml) imports every module it collects; the scripts that made the reference
# files in tests/reference/ write files when imported, so they are not collected
collect_ignore = ["reference"]


def tree_digest(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder``, by relative path."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session", autouse=True)
def raw_data_is_never_written():
    """Fail the run if any test changed, added or removed a file under data/raw/."""
    before = tree_digest(RAW)
    yield
    after = tree_digest(RAW)
    assert after == before, "data/raw/ changed during the test suite"


@pytest.fixture(scope="session")
def survey_mapping() -> Path:
    """The embedded province survey's mapping file."""
    return RAW / "province_survey" / "mapping.yaml"


@pytest.fixture(scope="session")
def chromium_installed() -> bool:
    """Chromium from Debian's packages, installed when missing (as root, before any report runs, so the
    reports of the suite have their PDF); False where it cannot be installed."""
    from analysis.pipeline import browser

    if browser.chromium() is None and shutil.which("apt-get") and os.geteuid() == 0:
        subprocess.run(["apt-get", "update", "-qq"], capture_output=True, timeout=300)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"],
                       capture_output=True, timeout=600)
    return browser.chromium() is not None
