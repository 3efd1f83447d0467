# The two commands of the README. Both create .venv and install accords with its model first.
#   make run    ingest the example article into accords.db and print what accords knows
#   make test   run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
EXAMPLE ?= ../shared/examples/kazakhstan-abraham-accords.txt

.PHONY: run test bench install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,postgres,dask,server]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/accords demo $(EXAMPLE)

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_extract.py

clean:
	rm -rf $(VENV) accords.db accords.db-wal accords.db-shm
