# copbot: `make run` and `make test` set everything up on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run sandbox test test-pg mutate lint format clean profile screenshots

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

# The README's pictures, taken by the sandbox's browser test (needs Chromium and an emoji font:
# apt-get install chromium fonts-noto-color-emoji).
screenshots: $(VENV)/.dev-installed  ## retake the README's screenshots (docs/screenshots/)
	env -u COP_TEST_DATABASE_URL COP_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q \
		tests/sandbox/test_browser.py -k facilitators_first_week

# Where the time goes, by hand: pyinstrument over a benchmark (App Home by default, SQLite),
# the same command on any machine. PROFILE=bench.search, say, for another; ARGS for its flags.
PROFILE ?= bench.home
ARGS ?= --sqlite-only --builds 20
profile: $(VENV)/.dev-installed  ## profile a benchmark with pyinstrument (PROFILE=bench.home)
	env -u COP_TEST_DATABASE_URL $(BIN)/pyinstrument -r text -m $(PROFILE) $(ARGS)

# Mutation testing (mutmut, configured in [tool.mutmut] in pyproject.toml), by hand: it takes
# tens of minutes, so it is not part of `make test`. Always from a fresh mutants/ copy, because
# mutmut keeps a cached "survived" even after a new test would kill it. SQLite only, two workers
# (the machine is shared); prints the mutants left alive and a score per module.
mutate: $(VENV)/.dev-installed  ## mutation testing of the core modules (slow; SQLite only)
	rm -rf mutants
	start=$$(date +%s) && env -u COP_TEST_DATABASE_URL $(BIN)/mutmut run --max-children 2 \
		&& echo "mutmut took $$(( $$(date +%s) - start ))s"
	@echo "Not killed:" && $(BIN)/mutmut results
	@$(BIN)/mutmut results --all true | awk -F': ' ' \
		{ m = $$1; sub(/^ +/, "", m); sub(/\.[^.]*$$/, "", m); n[m]++; c[m, $$2]++; seen[$$2] = 1 } \
		END { for (m in n) { k = c[m, "killed"] + 0; \
			line = sprintf("%-20s %4d/%-4d killed %5.1f%%", m, k, n[m], 100 * k / n[m]); \
			for (t in seen) if (t != "killed" && c[m, t]) line = line "   " c[m, t] " " t; \
			print line } }' | sort

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
