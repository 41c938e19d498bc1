# annotkit — the two commands a newcomer needs are `make lab` and `make test`.
# Everything is installed into .venv by these targets; nothing is assumed to be on the machine but Python 3.11+.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check --quiet
# Reinstall when the dependencies change.
STAMP_LAB  := $(VENV)/.lab-installed
STAMP_TEST := $(VENV)/.test-installed
STAMP_BENCH := $(VENV)/.bench-installed
PORT ?= 8888
# Jupyter refuses to run as root unless told; containers and some lab machines run everything as root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: lab test lint format bench check-python clean help

help:
	@echo "make lab    install into .venv and open the course in JupyterLab (http://127.0.0.1:$(PORT))"
	@echo "make test   install what the tests need and run everything: unit tests, doctests, notebooks, lint"
	@echo "make lint   ruff: lint and format check"
	@echo "make format ruff: fix what can be fixed and format"
	@echo "make bench  speed benchmarks (installs spaCy for the comparison)"
	@echo "make clean  remove .venv and caches"

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || { \
	  echo "annotkit needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)."; \
	  echo "Install a newer Python, or run: make lab PYTHON=python3.12"; exit 1; }

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json

$(STAMP_LAB): pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	@touch $@

# Classroom defaults for JupyterLab (no "Jupyter news?" pop-up in front of students).
$(LAB_SETTINGS): .jupyter/lab-overrides.json | $(BIN)/python
	@mkdir -p $(dir $@)
	cp $< $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(PIP) install -e ".[test]"
	@touch $@ $(STAMP_LAB)

$(STAMP_BENCH): pyproject.toml $(STAMP_TEST)
	$(PIP) install -e ".[test,bench]"
	@touch $@

lab: $(STAMP_LAB) $(LAB_SETTINGS)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) --ServerApp.root_dir=. $(ALLOW_ROOT) \
	  --LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb

lint: $(STAMP_TEST)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP_TEST)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: $(STAMP_TEST)
	$(MAKE) --no-print-directory lint
	$(BIN)/python -m pytest

# The tagger's speed is measured in Chromium by a browser test, which writes benchmarks/results/browser.json.
bench: $(STAMP_BENCH)
	$(BIN)/python -m pytest tests/browser/test_tagger.py -k timings -q
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build dist
