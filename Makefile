# The only entry point: make demo, make test, make check, make bench.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.placewise-setup
export PLACEWISE_HOME ?= $(CURDIR)/var

.PHONY: setup demo serve test test-fast test-sqlite test-postgres check bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml package.json scripts/setup.sh src/placewise/web/scss/placewise.scss
	bash scripts/setup.sh
	touch $(STAMP)

demo: setup
	$(VENV)/bin/placewise demo --serve

serve: setup
	$(VENV)/bin/placewise serve

# The whole suite on SQLite, then the database-touching tests again on PostgreSQL.
test: setup
	bash scripts/test.sh

# The inner loop: everything but the slow and browser tests, on SQLite (under 2 minutes).
# Narrow it further with ARGS, e.g. make test-fast ARGS="tests/integration/sharing/test_policy.py -x".
test-fast: setup
	env -u DATABASE_URL $(PY) -m pytest -p no:cacheprovider -q --durations=10 -n $$(nproc) --dist worksteal -m "not slow and not browser" $(ARGS)

check: setup
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/mypy
	$(VENV)/bin/bandit -q -c pyproject.toml -r src
	$(VENV)/bin/pip-audit --skip-editable --progress-spinner off

bench: setup
	$(PY) bench/ingest.py

clean:
	rm -rf $(VENV) .venv-dfe node_modules build
