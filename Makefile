# The one entry point for people and CI.
#   make run   — set up (.venv, requirements, demo database) and start the dashboard
#   make test  — the same set-up, then every test (unit, page, browser)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements.stamp
DB ?= $(or $(DASHBOARD_DB),data/demo.duckdb)
PORT ?= 8501
# The documented demo accounts (docs/accounts.md) only for the demo database.
DEMO_USERS ?= $(if $(filter data/demo.duckdb,$(DB)),1,0)

.PHONY: setup run test lint format bench demo-db clean mutate

setup: $(STAMP) $(DB)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when requirements.txt changes.
$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

$(DB): | $(STAMP)
	$(BIN)/python -m analytics demo --out data/demo
	$(BIN)/python -m analytics import --db $(DB) --data data/demo

demo-db: $(STAMP)
	rm -f $(DB) $(DB).wal
	$(MAKE) $(DB)

run: setup
	DASHBOARD_DB=$(DB) DASHBOARD_DEMO_USERS=$(DEMO_USERS) $(BIN)/streamlit run app.py --server.port $(PORT)

test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup
	$(BIN)/python -m analytics bench
	$(BIN)/python benchmarks/import_bench.py
	$(BIN)/python benchmarks/page_bench.py
	$(BIN)/python benchmarks/paint_bench.py --db $(DB)

# Mutation testing of the metric rules (slow: minutes to hours on two cores); not part of `make test`.
mutate: setup
	$(BIN)/mutmut run --max-children 2 || true
	$(BIN)/mutmut results

clean:
	rm -rf $(VENV) mutants data/*.duckdb data/*.duckdb.wal data/demo data/bench artifacts
