# The two Quickstart commands: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint typecheck pytest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/interview-diag analyze examples/transcript_blown.txt \
		--company "Northwind Logistics" --role "Operations Analyst" \
		--job-description examples/job_description.txt
	$(BIN)/interview-diag analyze examples/recap.txt
	$(BIN)/interview-diag analyze examples/letter_whiny.txt

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check interview_diag tests benchmarks
	$(BIN)/ruff format --check interview_diag tests benchmarks

typecheck: $(VENV)/.dev-installed
	$(BIN)/mypy --strict interview_diag

pytest: $(VENV)/.dev-installed
	$(BIN)/python -m pytest -q

test: lint typecheck pytest

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
