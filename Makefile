# The project's commands. Each creates the virtual environment .venv when
# missing and installs what it needs into it first: the package for the
# report and JupyterLab, the package with its test and Dask extras for the
# tests, the linters and the type check.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed-stamp
INSTALLED_TEST := $(VENV)/.installed-test-stamp

.PHONY: report test test-fast lint typecheck lab clean

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e .
	touch $(INSTALLED)

$(INSTALLED_TEST): $(INSTALLED)
	$(BIN)/python -m pip install --quiet -e ".[test,distributed]"
	touch $(INSTALLED_TEST)

## report: the annual review of the embedded province survey, under reports/song_lam/province/2023/vi/ (path printed)
report: $(INSTALLED)
	$(BIN)/python -m analysis report

## test: the whole test suite and the package's doctests (pyproject.toml: testpaths, --doctest-modules)
test: $(INSTALLED_TEST)
	$(BIN)/python -m pytest

## test-fast: the suite without the tests marked slow (the notebook runs, the engines on the whole survey, ...)
test-fast: $(INSTALLED_TEST)
	$(BIN)/python -m pytest -m "not slow"

## lint: ruff (pycodestyle, pyflakes, import order, bugbear, pyupgrade, simplify; pyproject.toml [tool.ruff])
lint: $(INSTALLED_TEST)
	$(BIN)/ruff check src tests benchmarks notebooks

## typecheck: mypy on the package (pyproject.toml [tool.mypy])
typecheck: $(INSTALLED_TEST)
	$(BIN)/mypy src

## lab: JupyterLab with the project's kernel, for exploring the notebooks (also as root, as in containers)
lab: $(INSTALLED)
	$(BIN)/python -c "from analysis.pipeline.report import ensure_kernel; ensure_kernel()"
	$(BIN)/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root)  # root in a container

clean:
	rm -rf $(VENV)
