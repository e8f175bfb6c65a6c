# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export WAREHOUSE_DIR := $(abspath $(or $(WAREHOUSE_DIR),warehouse))
export DAGSTER_HOME := $(abspath $(or $(DAGSTER_HOME),$(WAREHOUSE_DIR)/.dagster))
UV := $(or $(shell command -v uv 2>/dev/null),python3 -m uv)
VENV := .venv
PY := $(VENV)/bin/python
SYNCED := $(VENV)/.synced
MANIFEST := dbt/target/manifest.json
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
DEMO_ARGS ?=

.PHONY: help env demo-data pipeline dashboard demo dev test bench lint eval eval-cv browser-deps clean

help:
	@echo "make demo   - build the environment, generate demo data, run the pipeline, serve the dashboard"
	@echo "make test   - run every test (unit, dbt, pipeline, browser)"
	@echo "other: env demo-data pipeline dashboard dev bench lint clean   (WAREHOUSE_DIR=$(WAREHOUSE_DIR))"

# uv comes from pip where it is missing; the locked environment goes into .venv.
$(SYNCED): pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 \
	  || python3 -m pip install --quiet uv || python3 -m pip install --quiet --break-system-packages uv
	$(UV) sync --frozen
	@touch $@

# The scorer's hot modules compiled with Cython (same source; Python runs where this fails).
COMPILED := sentiment_udfs/_compiled/manifest.json
$(COMPILED): $(SYNCED) $(wildcard sentiment_udfs/*.py sentiment_udfs/*.pxd)
	$(PY) -m sentiment_udfs compile

env: $(SYNCED) $(COMPILED)

# dagster-dbt reads dbt's manifest when the code location loads; build it here, never at import.
$(MANIFEST): $(SYNCED) $(shell find dbt -name '*.sql' -o -name '*.yml' -o -name '*.csv' -o -name '*.py' 2>/dev/null | grep -v '^dbt/target')
	cd dbt && ../$(VENV)/bin/dbt parse --quiet --profiles-dir .
	@touch $@

demo-data: $(SYNCED)
	$(PY) -m dagster_project.lib.demo_data --out "$(WAREHOUSE_DIR)/inbox" $(DEMO_ARGS)

$(DAGSTER_HOME)/dagster.yaml: dagster_project/dagster.yaml
	@mkdir -p "$(DAGSTER_HOME)" && cp $< $@

pipeline: $(SYNCED) $(COMPILED) $(MANIFEST) $(DAGSTER_HOME)/dagster.yaml
	$(PY) -m dagster_project run

# gunicorn, several workers (DASHBOARD_WORKERS), access log on stdout. It refuses to start
# without users: `$(PY) -m dashboards users add NAME --role leader|analyst|agent`.
DASHBOARD_ARGS ?=
dashboard: $(SYNCED)
	$(PY) -m dashboards --host 127.0.0.1 --port 8050 $(DASHBOARD_ARGS)

demo: $(SYNCED) $(COMPILED) $(MANIFEST)
	@if [ -z "$$(ls -A "$(WAREHOUSE_DIR)/inbox" 2>/dev/null)" ]; then $(MAKE) --no-print-directory demo-data; fi
	$(MAKE) --no-print-directory pipeline
	$(MAKE) --no-print-directory dashboard DASHBOARD_ARGS=--demo  # creates the demo user once

# The Dagster UI with the whole asset graph, schedule and sensor.
dev: $(SYNCED) $(COMPILED) $(MANIFEST) $(DAGSTER_HOME)/dagster.yaml
	$(VENV)/bin/dagster dev  # the code location comes from [tool.dagster] in pyproject.toml

# Debian's Chromium and its driver, for the browser tests.
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium chromium-driver; \
	fi

test: $(SYNCED) $(COMPILED) $(MANIFEST) browser-deps
	$(PY) -m pytest

bench: $(SYNCED) $(COMPILED) $(MANIFEST)
	$(PY) -m tests.benchmarks

# Accuracy on the public labelled data in ../shared/eval, next to plain VADER.
eval: $(SYNCED) $(COMPILED)
	$(PY) ../shared/eval/evaluate.py
	$(PY) ../shared/eval/evaluate.py --scorer "$(abspath $(PY)) -m sentiment_udfs score"
	$(PY) -m sentiment_udfs.training.label_accuracy --data ../shared/eval/data
	$(PY) -m sentiment_udfs.training.polarity_tradeoff --data ../shared/eval/data

# 5-fold cross-validation on the training sets in ../shared/eval/data/train (about 10 min on 2 cores).
eval-cv: $(SYNCED) $(COMPILED)
	$(PY) -m sentiment_udfs.training.crossval --data ../shared/eval/data

lint: $(SYNCED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf dbt/target dbt/logs .pytest_cache sentiment_udfs/_compiled
