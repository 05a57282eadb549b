"""Where the project's files are: the repository root, the shipped data, the notebooks, the reports."""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
RAW_DATA = ROOT / "data" / "raw"
DEFAULT_SURVEY = RAW_DATA / "province_survey" / "mapping.yaml"
DEFAULT_OUT = ROOT / "reports"
CONFIG_DIR = PACKAGE / "config"
