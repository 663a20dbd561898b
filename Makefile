# steppewatch: every target installs what it needs into .venv, so each works on a fresh clone.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PIP    := $(BIN)/python -m pip

.PHONY: setup test test-fast bench lint clean help browser demo run realweb

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -U pip

# One stamp per set of extras, refreshed whenever pyproject.toml changes.
$(STAMP)-base: pyproject.toml | $(BIN)/python
	$(PIP) install -q -e .
	@touch $@

$(STAMP)-%: pyproject.toml | $(BIN)/python
	$(PIP) install -q -e ".[$(subst +,$(comma),$*)]"
	@touch $@

comma := ,

setup: $(STAMP)-test+dev  ## create .venv and install steppewatch with test and dev extras

demo: $(STAMP)-base  ## end to end on the bundled offline replay web: SQLite, digests in var/outbox/, dashboard
	$(BIN)/steppewatch demo

run: $(STAMP)-base  ## the same against the live outlets (last 2 weeks; WEEKS=n to change)
	$(BIN)/steppewatch demo --source live $(if $(WEEKS),--weeks $(WEEKS))

# Browser tests drive Debian's Chromium (no browser download is possible here).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "Chromium is missing: run 'sudo apt-get install chromium' (browser tests need it)"; exit 1; fi

browser: $(CHROMIUM)  ## install Debian's Chromium for the browser tests (needs root)

# The Celery scale-out test runs Debian's Redis as the broker, as docker-compose.yml does.
REDIS := /usr/bin/redis-server
$(REDIS):
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; \
	else echo "redis-server is missing: run 'sudo apt-get install redis-server' (the Celery test needs it)"; exit 1; fi

test: $(STAMP)-test+dev $(CHROMIUM) $(REDIS)  ## run the test suite (starts its own PostgreSQL and Redis servers)
	$(BIN)/python -m pytest

# The inner loop: no browser, no Airflow, no PostgreSQL, nothing marked slow (about a minute).
test-fast: $(STAMP)-test+dev  ## quick tests for the inner loop (make test runs everything)
	$(BIN)/python -m pytest -q -m "not slow and not postgres" --ignore=tests/airflow \
		--ignore=tests/reports/test_browser.py --ignore=tests/dashboard/test_browser.py

bench: $(STAMP)-test+dev  ## run the benchmarks in bench/ and print a table
	$(BIN)/python bench/run.py

realweb: $(STAMP)-test+dev  ## the crawler on ../shared/realweb: per-kind accuracy and every wrong check
	$(BIN)/python -m tests.crawlers.realweb

lint: $(STAMP)-test+dev  ## ruff, mypy and the layers contract ([tool.mypy], [tool.importlinter] in pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

clean:  ## remove the virtualenv and local state (var/ is kept)
	rm -rf $(VENV) .pytest_cache
