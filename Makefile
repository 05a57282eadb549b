# The project's commands. Each creates the virtual environment .venv when
# missing and installs the package into it first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: report test lab clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,distributed]"
	touch $(STAMP)

## report: the annual review of the embedded province survey, under reports/
report: $(STAMP)
	$(BIN)/python -m analysis report

## test: the test suite
test: $(STAMP)
	$(BIN)/python -m pytest

## lab: JupyterLab with the project's kernel, for exploring the notebooks
lab: $(STAMP)
	$(BIN)/python -c "from analysis.report import ensure_kernel; ensure_kernel()"
	$(BIN)/jupyter lab notebooks/

clean:
	rm -rf $(VENV)
