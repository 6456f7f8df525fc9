# nda_models — the README's commands. Needs only Python 3.11 and pip.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test test-all docs docs-html bench lint lab venv clean

# Create or update .venv whenever pyproject.toml changes.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,docs]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/nda demo

# The lecture's notebooks in JupyterLab (notebooks/; Ctrl-C stops the server).
# The venv's bin/ goes first on PATH, so that the kernels find its programs
# (%tensorboard runs the `tensorboard` found there, as a terminal would).
lab: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/jupyter lab notebooks

# Lint first (ruff check + format --check), then the tests, doctests included,
# on two workers (pytest-xdist): a module's tests, or a class's, run on one
# worker, the longest modules first (tests/conftest.py); WORKERS=0: one process.
# Then the documentation site from the notebooks the tests executed.
WORKERS ?= 2
PYTEST  := $(BIN)/python -m pytest -n $(WORKERS) --dist loadscope --no-loadscope-reorder

test: lint
	$(PYTEST)
	$(MAKE) --no-print-directory docs-html

test-all: $(STAMP)
	$(PYTEST) -m "slow or not slow"

# The documentation site, docs/_build/html/index.html: the notebooks run
# first (their executed copies go to build/notebooks/, rendered as they are).
docs: $(STAMP)
	$(BIN)/python -m pytest -q tests/test_notebooks.py
	$(MAKE) --no-print-directory docs-html

# Warnings are errors: a broken reference or docstring fails the build.
docs-html: $(STAMP)
	$(BIN)/sphinx-build -b html -W --keep-going -q docs docs/_build/html
	@echo "docs: file://$(CURDIR)/docs/_build/html/index.html"

bench: $(STAMP)
	@for script in benchmarks/bench_*.py; do \
		echo "== $$script"; $(BIN)/python $$script || exit 1; \
	done

lint: $(STAMP)
	$(BIN)/ruff check nda_models tests scripts benchmarks notebooks docs/conf.py docs/_ext docs/images
	$(BIN)/ruff format --check nda_models tests scripts benchmarks notebooks docs/conf.py docs/_ext docs/images

clean:
	rm -rf $(VENV) runs tuning figures .pytest_cache build docs/_build
