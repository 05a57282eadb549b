# The project's commands. Each creates the virtual environment .venv when
# missing and installs what it needs into it first: the package for the
# report and JupyterLab, the package with its test and Dask extras for the tests.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed-stamp
INSTALLED_TEST := $(VENV)/.installed-test-stamp

.PHONY: report test lab clean

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e .
	touch $(INSTALLED)

$(INSTALLED_TEST): $(INSTALLED)
	$(BIN)/python -m pip install --quiet -e ".[test,distributed]"
	touch $(INSTALLED_TEST)

## report: the annual review of the embedded province survey, under reports/
report: $(INSTALLED)
	$(BIN)/python -m analysis report

## test: the test suite
test: $(INSTALLED_TEST)
	$(BIN)/python -m pytest

## lab: JupyterLab with the project's kernel, for exploring the notebooks
lab: $(INSTALLED)
	$(BIN)/python -c "from analysis.pipeline.report import ensure_kernel; ensure_kernel()"
	$(BIN)/jupyter lab notebooks/

clean:
	rm -rf $(VENV)
