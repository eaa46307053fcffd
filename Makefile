# Entry points. `make report` and `make test` work on a fresh machine with Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPLE := data/synthetic/sample
STORE := data/store
AGGREGATES := data/aggregates

.PHONY: help setup sample report nbval test lint format lab benchmark clean

help:
	@echo "make report     venv + install, synthetic sample if missing, ingest it, compute the aggregates"
	@echo "make test       ruff (lint + format check) and the test suite"
	@echo "make lab        JupyterLab on the project's kernel"
	@echo "make benchmark  time generate + ingest (SCALE=national for a national year)"
	@echo "make format     format and fix with ruff"

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info; sys.exit(0 if v >= (3, 11) else f"Python 3.11 or newer is needed, found {v.major}.{v.minor}: run make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,spark]'
	touch $@

sample: setup
	@test -f $(SAMPLE)/generation.json || $(BIN)/workbench generate $(SAMPLE) --scale sample

report: sample
	$(BIN)/workbench ingest $(SAMPLE) --out $(STORE)
	$(BIN)/workbench report run reports/schedule.yml

NBVAL := build/nbval
NBVAL_PARAMS := -p store $(CURDIR)/$(NBVAL)/store -p aggregates $(CURDIR)/$(NBVAL)/aggregates -p org_level region -p org_code Y56
nbval: setup sample
	rm -rf $(NBVAL) && mkdir -p $(NBVAL)
	$(BIN)/workbench ingest $(SAMPLE) --out $(NBVAL)/store --quiet
	$(BIN)/workbench compute $(NBVAL)/store --out $(NBVAL)/aggregates --quiet
	for nb in data_quality waits urgent_response outcomes; do \
	  $(BIN)/papermill --prepare-only notebooks/$$nb.ipynb $(NBVAL)/$$nb.ipynb $(NBVAL_PARAMS) || exit 1; done
	$(BIN)/papermill --prepare-only notebooks/explore.ipynb $(NBVAL)/explore.ipynb -p store_path $(CURDIR)/$(NBVAL)/store
	$(BIN)/python -m pytest --nbval-lax -p no:cacheprovider $(NBVAL)/*.ipynb

test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest
	$(MAKE) nbval

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lab: setup sample
	@test -f $(AGGREGATES)/manifest.json || ($(BIN)/workbench ingest $(SAMPLE) --out $(STORE) --quiet \
	  && $(BIN)/workbench compute $(STORE) --out $(AGGREGATES) --quiet)
	$(BIN)/python -m ipykernel install --sys-prefix --name chs-workbench --display-name "CHS workbench"
	$(BIN)/jupyter lab notebooks/

SCALE ?= small
benchmark: setup
	$(BIN)/python benchmarks/generate_ingest.py --scale $(SCALE)

clean:
	rm -rf $(STORE) $(AGGREGATES) build reports/*/ reports/*.html reports/manifest.json .pytest_cache .ruff_cache
