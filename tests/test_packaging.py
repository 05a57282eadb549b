"""The install files agree, and the CI script runs the README's test command."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def requirement_pairs(requirements: list[str]) -> dict[str, str]:
    """{'pandas': '>=2.2', ...} from requirement strings (names normalised, pip extras such as
    ``dask[dataframe]`` dropped: conda packages have none, conda-forge's ``dask`` brings the dataframe part)."""
    pairs = {}
    for requirement in requirements:
        match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*(?:\[[A-Za-z0-9_,\s\-]*\])?\s*([<>=!~].*)?", requirement)
        assert match, f"cannot read requirement {requirement!r}"
        pairs[match.group(1).lower().replace("_", "-")] = (match.group(2) or "").replace(" ", "")
    return pairs


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    """environment.yml = pyproject's dependencies + the ``test`` extra + the ``distributed`` extra (Dask)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    assert set(extras) == {"test", "distributed"}, "mirror a new extra in environment.yml and here"
    wanted = requirement_pairs(project["dependencies"] + extras["test"] + extras["distributed"])
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in environment["dependencies"] if isinstance(d, str) and not d.startswith(("python", "pip"))]
    pip = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))  # those not on conda-forge
    assert requirement_pairs(conda + [d for d in pip if not d.startswith("-e")]) == wanted


def test_every_dependency_has_a_minimum_version():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for name, spec in requirement_pairs(project["dependencies"]).items():
        assert spec.startswith(">="), f"{name} has no minimum version"


def test_ci_runs_the_readme_test_command_word_for_word():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```(?:bash|sh)?\n(.*?)```", readme, flags=re.S)
    test_command = next(line.strip() for block in commands for line in block.splitlines() if "test" in line)
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert test_command in ci_lines


def test_notebooks_are_committed_without_outputs():
    import nbformat

    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                assert not cell.outputs and cell.execution_count is None, f"{path.name} has outputs"


def test_the_package_version_is_the_one_in_pyproject():
    """One version: pyproject.toml holds it, ``analysis.__version__`` reads it from the installed metadata."""
    import analysis

    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert analysis.__version__ == version, "reinstall the package (make test does) after changing the version"
    assert not re.search(r"^__version__\s*=\s*['\"]", (ROOT / "src" / "analysis" / "__init__.py").read_text(), re.M)


def test_the_changelog_has_an_unreleased_section_and_the_version_as_its_latest_release():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## \[([^\]]+)\]", changelog, flags=re.M)
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert headings[0] == "Unreleased" and headings[1] == version, headings[:2]


def test_the_notebook_api_is_exported_and_loaded_on_first_use():
    import subprocess
    import sys

    code = ("import sys, analysis; light = 'pandas' not in sys.modules; "
            "from analysis import *; import analysis.reporting.outputs as o; "
            "assert analysis.Outputs is o.Outputs and callable(analysis.survey_in_scope); print(light)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True"  # import analysis alone loads no pandas


def test_parameter_lines_papermill_can_read():
    """papermill warns "Unable to parse line" on a parameter line with a second '=' (in its comment)."""
    import nbformat

    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = [c for c in nbformat.read(path, as_version=4).cells if "parameters" in c.metadata.get("tags", [])]
        assert len(cells) == 1, path.name
        assert [line for line in cells[0].source.splitlines() if line.count("=") > 1] == [], path.name


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.name)
def test_every_notebook_is_thin_and_never_scales_by_hand(path):
    """At most 40 lines of code (logic lives in the package) and no percent made by hand (reporting does it)."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    code = [line for cell in notebook.cells if cell.cell_type == "code" for line in cell.source.splitlines()
            if line.strip() and not line.strip().startswith("#")]
    assert len(code) <= 40, len(code)
    assert not any("100 *" in line or "* 100" in line or "/ 100" in line for line in code)
