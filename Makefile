# copbot: `make run` and `make test` set everything up on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run sandbox test test-pg lint format clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("copbot needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when pyproject.toml changes.
$(VENV)/.run-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed  ## run copbot against Slack (settings in .env), or the sandbox without them
	$(BIN)/copbot run --sandbox-if-unconfigured

sandbox: $(VENV)/.run-installed  ## the local sandbox: a Slack stand-in with a web page (FRESH=1 starts over)
	$(BIN)/copbot sandbox $(if $(FRESH),--fresh)

test: $(VENV)/.dev-installed  ## the whole test suite (PostgreSQL too when COP_TEST_DATABASE_URL is set)
	$(BIN)/python -m pytest

test-pg: $(VENV)/.dev-installed  ## the test suite on SQLite and on the local PostgreSQL
	COP_TEST_DATABASE_URL=$${COP_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} \
		$(BIN)/python -m pytest

lint: $(VENV)/.dev-installed  ## ruff (lint + format check), mypy and the import contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy bot handlers storage scheduler sandbox
	$(BIN)/lint-imports

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
