# Everything a fresh machine needs: `make deck` and `make test` create .venv and install.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
BENCH_STAMP := $(VENV)/.installed-bench
SYNC_STAMP := $(VENV)/.installed-sync

.PHONY: deck test check preview sync bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(STAMP)

$(SYNC_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[sync]'
	touch $@ $(STAMP)

$(BENCH_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	touch $@ $(STAMP)

deck: $(STAMP)
	$(BIN)/ankipress build content -o build

check: $(STAMP)
	$(BIN)/ankipress check content

preview: $(STAMP)
	$(BIN)/ankipress preview content -o build/preview.html

# Close Anki desktop first. Options through SYNC_ARGS, e.g. make sync SYNC_ARGS=--dry-run
sync: $(SYNC_STAMP)
	$(BIN)/ankipress sync content $(SYNC_ARGS)

test: $(TEST_STAMP)
	$(BIN)/python -m pytest -q

bench: $(BENCH_STAMP)
	# Compiled once, as a first run would leave them, so start-up is timed as it usually is.
	$(BIN)/python -m compileall -q src
	cd bench && ../$(BIN)/python run.py

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

clean:
	rm -rf build .pytest_cache .ruff_cache bench/work bench/corpus
