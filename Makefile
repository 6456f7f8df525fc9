# nda_models — the README's commands. Needs only Python 3.11 and pip.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test test-all bench lint lab venv clean

# Create or update .venv whenever pyproject.toml changes.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/nda demo

# The lecture's notebooks in JupyterLab (notebooks/; Ctrl-C stops the server).
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks

# Lint first (ruff check + format --check), then the tests, doctests included.
test: lint
	$(BIN)/python -m pytest

test-all: $(STAMP)
	$(BIN)/python -m pytest -m "slow or not slow"

bench: $(STAMP)
	@for script in benchmarks/bench_*.py; do \
		echo "== $$script"; $(BIN)/python $$script || exit 1; \
	done

lint: $(STAMP)
	$(BIN)/ruff check nda_models tests scripts benchmarks notebooks
	$(BIN)/ruff format --check nda_models tests scripts benchmarks notebooks

clean:
	rm -rf $(VENV) runs tuning figures .pytest_cache
