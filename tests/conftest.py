"""Shared test set-up: headless plotting, and data/raw must be untouched by the suite."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"


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
