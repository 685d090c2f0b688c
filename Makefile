# Two commands for a newcomer: `make build` (set up + build the dataset from raw/)
# and `make test`. Everything lives in the repo: .venv/, .dagster/, warehouse/.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export DAGSTER_HOME := $(CURDIR)/.dagster

.PHONY: setup build test test-fast check-schemas lint format dev clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

build: setup
	$(PY) -m pipeline build $(if $(VERSION),--version $(VERSION))

test: setup
	$(PY) -m pytest -q

test-fast: setup
	$(PY) -m pytest -q -m "not slow"

# The declarations, the checks on broken frames, and a seed release through
# `frictionless validate` and a deliberately failing build (also part of `make test`).
check-schemas: setup
	$(PY) -m pytest -q tests/test_schemas.py tests/test_checks.py tests/test_datapackage.py

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

format: setup
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# The Dagster UI on http://127.0.0.1:3000 with the whole asset graph.
dev: setup
	$(VENV)/bin/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

clean:
	rm -rf warehouse/assets warehouse/cache warehouse/releases .dagster/storage .dagster/history .dagster/logs
