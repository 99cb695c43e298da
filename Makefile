# Two commands do everything: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= out/hangzhou

.PHONY: run test test-fast install lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the project's dependency declaration changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/netdesign run configs/hangzhou.yaml --out $(OUT)

test: install
	$(BIN)/python -m pytest tests $(PYTEST_ARGS)

# The edit loop: everything but the tests marked slow, browser or distributed (tests/conftest.py
# lists the slow ones); `make test` stays the full suite.
test-fast: install
	$(BIN)/python -m pytest tests -q -m "not slow and not browser and not distributed" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check netdesign tests scripts

bench: install
	$(BIN)/pip install --quiet -e ".[dev,bench]"
	$(BIN)/python scripts/bench_forecast.py
	$(BIN)/python scripts/bench_model.py

clean:
	rm -rf $(VENV) out
