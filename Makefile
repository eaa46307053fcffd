# Entry points. `make report` and `make test` work on a fresh machine with Python 3.11.5+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPLE := data/synthetic/sample
# The data `make report` reports on: `--scale report` (14 providers, 1 to 3 in each NHS region, about
# a hundred urgent response clocks a region a month), generated once, deterministically (fixed
# seed), at the first `make report`; too big to commit, so gitignored. The committed sample
# stays the data of `make test` and nbval.
REPORT_DATA := data/synthetic/report
STORE := data/store
AGGREGATES := data/aggregates

.PHONY: help setup lock sample sample-build report-data report report-icbs report-check kernel nbval nbval-run test test-fast lint format lab benchmark clean

help:
	@echo "make report     venv + install, report-scale synthetic data if missing, ingest, compute, render"
	@echo "                England and the 7 regions (reports/schedule.yml), with the project's kernel"
	@echo "make report-icbs  the same for the 42 ICBs (reports/schedule_all_icbs.yml, into reports/all_icbs)"
	@echo "make report-check  the add-up and precision checks (tests/e2e/test_reports_add_up.py) on the"
	@echo "                report-scale aggregates and the reports of \`make report\`"
	@echo "make test       pre-commit checks (ruff, notebook outputs, secrets), mypy, the test suite, nbval"
	@echo "make test-fast  the inner loop: tests/unit and tests/engines on DuckDB (no e2e, Spark, browser, wheel)"
	@echo "make lock       re-resolve requirements.lock (exact versions) from pyproject.toml"
	@echo "make lab        JupyterLab on the project's kernel"
	@echo "make benchmark  time generate + ingest (SCALE=national for a national year)"
	@echo "make format     format and fix with ruff"

setup: $(VENV)/.installed

# With requirements.lock (exact versions, made by `make lock`) the environment is the one the
# tests passed on; without it pip resolves pyproject.toml's ranges.
LOCK := requirements.lock
$(VENV)/.installed: pyproject.toml $(wildcard $(LOCK))
	@$(PYTHON) -c 'import sys; v = sys.version_info; sys.exit(0 if v >= (3, 11, 5) else f"Python 3.11.5 or newer is needed, found {v.major}.{v.minor}.{v.micro}: run make PYTHON=python3.12 ...")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@if [ -f $(LOCK) ]; then \
	  echo "$(BIN)/python -m pip install -r $(LOCK)"; \
	  $(BIN)/python -m pip install --quiet -r $(LOCK) \
	  && $(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e '.[dev,spark]'; \
	else \
	  $(BIN)/python -m pip install --quiet -e '.[dev,spark]'; \
	fi
	touch $@

# Exact versions of everything `make setup` installs, resolved afresh from pyproject.toml in a
# clean environment (Linux, the Python given by PYTHON). Commit the result.
LOCK_VENV := build/lock-venv
lock:
	rm -rf $(LOCK_VENV) && $(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LOCK_VENV)/bin/python -m pip install --quiet '.[dev,spark,lab]'
	(echo "# Exact versions for 'make setup' (pip install -r $(LOCK)); made by 'make lock' from"; \
	 echo "# pyproject.toml with $$($(LOCK_VENV)/bin/python -V) on Linux. tests/unit/test_lock.py checks it."; \
	 $(LOCK_VENV)/bin/python -m pip freeze --all --exclude chs-workbench --exclude pip) > $(LOCK)
	rm -rf $(LOCK_VENV)

sample: setup
	@test -f $(SAMPLE)/generation.json || $(BIN)/workbench generate $(SAMPLE) --scale sample

# Generated into a temporary folder and moved into place when complete, so an interrupted run
# never leaves half an extract behind.
report-data: setup
	@test -f $(REPORT_DATA)/generation.json || ( rm -rf $(REPORT_DATA).partial \
	  && $(BIN)/workbench generate $(REPORT_DATA).partial --scale report \
	  && mv $(REPORT_DATA).partial $(REPORT_DATA) )

# The project's Jupyter kernel, chs-workbench (the name every notebook declares), on this venv's
# Python, so the notebooks run with plain `jupyter nbconvert --execute` and papermill.
KERNEL := $(VENV)/share/jupyter/kernels/chs-workbench/kernel.json
kernel: $(KERNEL)
$(KERNEL): $(VENV)/.installed
	$(BIN)/python -m ipykernel install --sys-prefix --name chs-workbench --display-name "CHS workbench"

# Ingest again unless the store was loaded from this extract after it was generated.
report: report-data kernel
	@if [ $(STORE)/load_report.json -nt $(REPORT_DATA)/generation.json ] \
	  && grep -q '"source": "$(REPORT_DATA)"' $(STORE)/load_report.json; then \
	  echo "$(STORE) is up to date with $(REPORT_DATA)"; \
	else echo "$(BIN)/workbench ingest $(REPORT_DATA) --out $(STORE)"; \
	  $(BIN)/workbench ingest $(REPORT_DATA) --out $(STORE) || exit $$?; fi
	$(BIN)/workbench report run reports/schedule.yml

# Every report notebook for the 42 ICBs, on the store and aggregates of `make report` (run it
# first); written to reports/all_icbs, whose reports the index of `make report` then links.
report-icbs: report
	$(BIN)/workbench report run reports/schedule_all_icbs.yml

# The checks of tests/e2e/test_reports_add_up.py (England's tables by organisation add up to
# England; precision, charted points and claims on every page) on the report-scale store and
# aggregates and the reports `make report` wrote, rather than on the committed sample.
report-check: setup
	@test -f $(AGGREGATES)/manifest.json -a -f reports/manifest.json || (echo "run make report first"; exit 2)
	WORKBENCH_TEST_SAMPLE=$(CURDIR)/data WORKBENCH_TEST_REPORTS=$(CURDIR)/reports \
	  $(BIN)/python -m pytest tests/e2e/test_reports_add_up.py -q -p no:cacheprovider

# The committed sample ingested and computed once, afresh, for the tests and nbval of one
# `make test` (tests/conftest.py reads it through WORKBENCH_TEST_SAMPLE).
SAMPLE_BUILD := build/sample
sample-build: setup sample
	rm -rf $(SAMPLE_BUILD) && mkdir -p $(SAMPLE_BUILD)
	$(BIN)/workbench ingest $(SAMPLE) --out $(SAMPLE_BUILD)/store --quiet
	$(BIN)/workbench compute $(SAMPLE_BUILD)/store --out $(SAMPLE_BUILD)/aggregates --quiet

# The notebooks name the chs-workbench kernel (make lab installs it); nbval runs them on this
# venv's Python (--nbval-current-env), so it works where make lab never ran. `make nbval`
# builds the sample first; nbval-run reads the one sample-build made.
NBVAL := build/nbval
NBVAL_PARAMS := -p store $(CURDIR)/$(SAMPLE_BUILD)/store -p aggregates $(CURDIR)/$(SAMPLE_BUILD)/aggregates -p org_level region -p org_code Y56
nbval: sample-build
	$(MAKE) --no-print-directory nbval-run

nbval-run: setup
	@test -f $(SAMPLE_BUILD)/aggregates/manifest.json || { echo "no sample in $(SAMPLE_BUILD): run make sample-build"; exit 1; }
	rm -rf $(NBVAL) && mkdir -p $(NBVAL)
	for nb in data_quality waits urgent_response outcomes planning pathways; do \
	  $(BIN)/papermill --prepare-only notebooks/$$nb.ipynb $(NBVAL)/$$nb.ipynb $(NBVAL_PARAMS) || exit 1; done
	$(BIN)/papermill --prepare-only notebooks/explore.ipynb $(NBVAL)/explore.ipynb -p store_path $(CURDIR)/$(SAMPLE_BUILD)/store
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env -p no:cacheprovider $(NBVAL)/*.ipynb

# pre-commit runs ruff (lint and format), the notebook output check and the secrets check over
# every tracked file, offline (.pre-commit-config.yaml); mypy checks the type hints. pytest runs
# on both cores, a test file's tests on one worker (--dist loadfile): the fault tests, which
# mostly wait on the commands they stop, run beside the rest.
test: setup
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/pre-commit run --all-files --show-diff-on-failure
	$(BIN)/mypy
	$(MAKE) --no-print-directory sample-build
	WORKBENCH_TEST_SAMPLE=$(CURDIR)/$(SAMPLE_BUILD) $(BIN)/python -m pytest -n 2 --dist loadfile --durations=15
	$(MAKE) --no-print-directory nbval-run

# The inner loop, on both cores (pytest-xdist): tests/unit and tests/engines on DuckDB, without
# what is marked e2e (commands run as their own processes, wherever they are), spark, browser
# or wheel (tests/conftest.py marks them); `make test` runs everything. The sample is ingested and
# computed once for both workers, as in `make test`; a test file stays on one worker
# (--dist loadfile), so its module fixtures are built once.
FAST := not e2e and not spark and not browser and not wheel
test-fast: setup
	$(MAKE) --no-print-directory sample-build
	WORKBENCH_TEST_SAMPLE=$(CURDIR)/$(SAMPLE_BUILD) $(BIN)/python -m pytest -n 2 --dist loadfile -m "$(FAST)" --durations=10

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The notebooks name the kernel chs-workbench (this venv's Python). JupyterLab is the lab extra
# (the lock installs it; without the lock it is installed here). As root (a container),
# JupyterLab refuses to start without --allow-root; as a user it is not given.
LAB_ARGS ?=
lab: setup sample kernel
	@test -x $(BIN)/jupyter-lab || $(BIN)/python -m pip install --quiet -e '.[lab]'
	@test -f $(AGGREGATES)/manifest.json || ($(BIN)/workbench ingest $(SAMPLE) --out $(STORE) --quiet \
	  && $(BIN)/workbench compute $(STORE) --out $(AGGREGATES) --quiet)
	$(BIN)/jupyter lab notebooks/ $(LAB_ARGS) $$(test "$$(id -u)" = 0 && echo --allow-root)

SCALE ?= small
benchmark: setup
	$(BIN)/python benchmarks/generate_ingest.py --scale $(SCALE)

clean:
	rm -rf $(STORE) $(STORE)-feedback $(AGGREGATES) build reports/*/ reports/*.html reports/manifest.json .pytest_cache .ruff_cache
