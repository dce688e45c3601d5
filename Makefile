# Two commands on a fresh clone: `make run` (set up, run the manager's demo: three policies
# × four seeds in parallel, ending in report.html) and
# `make test` (set up with test extras, lint, run the tests; ≈ 7 min on 2 cores). Both
# create .venv. `make validation` runs the long validations (≈ 47 min); CI
# runs both. `make long` runs the ten-year default scenario (≈ 2.5 min, on demand).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test

.PHONY: run test lint validation long bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/python -m sim -m experiment=demo $(ARGS)

lint: $(STAMP_TEST)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/python -m pytest -n 2 -m "not validation and not long" $(PYTEST_ARGS)

validation: $(STAMP_TEST)
	$(BIN)/python -m pytest -n 2 -m validation $(PYTEST_ARGS)

long: $(STAMP_TEST)
	$(BIN)/python -m pytest -m long -s $(PYTEST_ARGS)

bench: $(STAMP_RUN)
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python benchmarks/harness.py $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
