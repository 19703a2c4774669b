# eventscope: `make run` installs into .venv and codes the bundled examples; `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= eventscope.duckdb
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: run test install dev lint clean

$(BIN)/eventscope: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -e .
	touch $@

install: $(BIN)/eventscope

$(VENV)/.dev-installed: pyproject.toml $(BIN)/eventscope
	$(PIP) install -e '.[dev]'
	touch $@

dev: $(VENV)/.dev-installed

run: install
	$(BIN)/eventscope run examples --db $(DB)
	$(BIN)/eventscope events --db $(DB)

test: dev
	$(BIN)/python -m pytest -q

lint: dev
	$(BIN)/ruff check eventscope tests scripts benchmarks

clean:
	rm -rf $(VENV) $(DB) $(DB).wal .pytest_cache .ruff_cache
