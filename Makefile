# shopsync: `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
SCAN_VENV  := .venv-scan
SCAN_STAMP := $(SCAN_VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
PYTEST_WORKERS ?= 2

.PHONY: help setup java demo test check lint format typecheck bench chaos clean schema bi package scan

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-10s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; shopsync needs Python 3.11" >&2; exit 2; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

setup: $(STAMP) ## create .venv and install shopsync with its dev and test extras

java: ## check that Java 17 (needed by Spark) is installed
	@scripts/check-java

DEMO_HOME ?= .shopsync/demo
# The local Spark JVM's class-data-sharing archive (glue/shopsync_glue/cds.py): written by the
# first run, then every later local load starts faster. Outside .shopsync/demo, so it survives.
# Not for `make test`: the suite stays independent of what earlier runs left behind.
demo bench chaos: export SHOPSYNC_SPARK_CDS_DIR ?= $(CURDIR)/.shopsync/cache

demo: setup java ## run the whole pipeline locally on the example tenants (fresh .shopsync/demo), then serve the dashboard
	rm -rf $(DEMO_HOME)
	SHOPSYNC_HOME=$(DEMO_HOME) $(BIN)/shopsync demo

test: setup java scan ## run the full test suite (and the security scans)
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile

chaos: setup java ## the chaos suite: faults, SIGKILLs, lost events, concurrency, soak, bad data (~80 min); prints the table
	$(BIN)/python -m shopsync_chaos --markdown docs/chaos-latest.md $(CHAOS_ARGS)

$(SCAN_STAMP): pyproject.toml
	@test -x $(SCAN_VENV)/bin/python || $(PYTHON) -m venv $(SCAN_VENV)
	$(SCAN_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(SCAN_VENV)/bin/python -m pip install --quiet --group scan
	@rm -f $(SCAN_VENV)/.installed-* && touch $@

scan: $(SCAN_STAMP) ## checkov over terraform/ and .github/ (0 failed), actionlint over the workflows
	$(SCAN_VENV)/bin/checkov --quiet --compact --skip-download -d terraform --framework terraform
	$(SCAN_VENV)/bin/checkov --quiet --compact --skip-download -d . --framework github_actions
	$(SCAN_VENV)/bin/actionlint

lint: setup ## ruff lint and format check (and terraform fmt where terraform is installed)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@if command -v terraform >/dev/null; then terraform fmt -check -recursive terraform; \
	else echo "terraform not installed: skipping terraform fmt (tests still parse the HCL)"; fi

format: setup ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: setup ## mypy (strict) over the shopsync package
	$(BIN)/mypy

check: lint typecheck test ## ruff (lint + format), mypy, tests

schema: setup ## regenerate tenants/tenant.schema.json and the pacer's cost schemas
	$(BIN)/shopsync tenants schema > tenants/tenant.schema.json
	$(BIN)/python -m shopsync.shopify.cost_schemas

bi: setup ## regenerate terraform/quicksight_columns.json from the warehouse table specs
	$(BIN)/python -m shopsync.reporting.quicksight > terraform/quicksight_columns.json

bench: setup java ## run the benchmarks; they print figures and ratios
	@status=0; for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || status=1; done; \
	if [ $$status -ne 0 ]; then echo "a benchmark missed its target (see above)"; fi; exit $$status

package: setup ## build dist/lambda.zip for the Lambda functions
	scripts/package-lambda

clean: ## remove the virtualenv and local state
	rm -rf $(VENV) $(SCAN_VENV) .shopsync .pytest_cache .mypy_cache .ruff_cache build dist
