# Gongshi: the two commands a user needs are `make run` and `make test`.
# Everything else here is what those two build on.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PROTO_SRC := $(wildcard protos/gongshi/v1/*.proto)
PYTEST_ARGS ?=
# Worker processes (pytest-xdist) for `make test-fast`: its in-process tests spread over the
# cores. `make test` runs serially unless TEST_WORKERS is given: with the platform's process
# tests in parallel, two cores are oversubscribed (each worker starts its own shared platforms)
# and timing-bound tests fail (measured 2026-12-01). TEST_WORKERS=N is there for machines with
# more cores (--dist loadgroup keeps a module that shares a platform on one worker:
# tests/support/parallel.py; ports per worker: services/launcher.py), not yet proven green.
FAST_WORKERS ?= 2
TEST_WORKERS ?= 0
PARALLEL = $(if $(filter-out 0,$(TEST_WORKERS)),-n $(TEST_WORKERS) --dist loadgroup)

.PHONY: run test test-fast install browser-tools proto proto-check versions-check lint fmt bench clean

run: $(STAMP)
	$(BIN)/gongshi run

test: $(STAMP) proto-check versions-check lint browser-tools
	$(BIN)/python -m pytest $(PARALLEL) $(PYTEST_ARGS)

# The quick layer to run while working: unit and in-process tests, no platform processes,
# no browser, nothing marked slow (markers come from fixtures: tests/conftest.py), on SQLite
# unless GONGSHI_TEST_DATABASES says otherwise (`make test` runs the PostgreSQL pass).
test-fast: $(STAMP)
	GONGSHI_TEST_DATABASES=$${GONGSHI_TEST_DATABASES:-sqlite} \
	$(BIN)/python -m pytest -n $(FAST_WORKERS) --dist loadgroup -m "not platform and not browser and not slow" $(PYTEST_ARGS)

# axe-core for the browser tests' accessibility checks, pinned in tests/e2e/package-lock.json.
# Skipped without npm (the browser tests then skip too, except under CI=true).
AXE := tests/e2e/node_modules/axe-core/axe.min.js
browser-tools: $(AXE)
$(AXE): tests/e2e/package.json tests/e2e/package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --prefix tests/e2e && touch $@; \
	else echo "npm not found: the accessibility tests will skip (apt-get install -y nodejs npm)"; fi

# The venv is (re)built when the declared or pinned dependencies change.
# constraints.txt pins the exact versions that were tested.
$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Gongshi needs Python 3.11 or newer, found " + sys.version.split()[0]' 
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@

install: $(STAMP)

# Regenerates the one importable `gongshi.v1` package from protos/.
proto: $(STAMP)
	$(BIN)/python protos/generate.py

# Fails when the committed generated code is not what `make proto` would write.
proto-check: $(STAMP)
	$(BIN)/python protos/generate.py --check

# grpcio, grpcio-tools and protobuf must agree, or generated code fails at import.
versions-check: $(STAMP)
	$(BIN)/python protos/check_versions.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var .pytest_cache
