# Gongshi: the two commands a user needs are `make run` and `make test`.
# Everything else here is what those two build on.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PROTO_SRC := $(wildcard protos/gongshi/v1/*.proto)
PYTEST_ARGS ?=

.PHONY: run test install proto proto-check versions-check lint fmt bench clean

run: $(STAMP)
	$(BIN)/gongshi run

test: $(STAMP) proto-check versions-check lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

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
