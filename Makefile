# annotkit — the two commands a newcomer needs are `make lab` and `make test`.
# Everything is installed into .venv by these targets; nothing is assumed to be on the machine but Python 3.11+.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check --quiet
UV     := $(VENV)/uv-tool/bin/uv
# uv installs in seconds what pip takes a minute for (the same versions). It comes from PyPI into .venv/uv-tool;
# where it cannot be had (no wheel for this machine, a proxy that blocks it), pip does the work, only slower.
# ensurepip's pip is the one Python shipped with (23.2 for 3.11.7), too old to read extras such as justext's
# lxml[html_clean] (no lxml_html_clean, so trafilatura fails to import): pip is brought up to date first.
INSTALL = if [ -x $(UV) ]; then $(UV) pip install --quiet --python $(BIN)/python $(1); \
	else $(BIN)/python -m ensurepip --upgrade >/dev/null && $(PIP) install --upgrade pip && $(PIP) install $(1); fi
# Reinstall when the dependencies change. A comma inside $(call ...) would split its argument: extras say $(comma).
comma := ,
STAMP_LAB  := $(VENV)/.lab-installed
STAMP_TEST := $(VENV)/.test-installed
STAMP_BENCH := $(VENV)/.bench-installed
STAMP_MUTATION := $(VENV)/.mutation-installed
PORT ?= 8888
# Jupyter refuses to run as root unless told; containers and some lab machines run everything as root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

# The JupyterLite site: its build tools live in their own venv (.venv/lite-tools), so that JupyterLab in .venv never
# loads the in-browser kernel's extension. PYODIDE=/path/to/pyodide-<version>.tar.bz2 (or a folder) puts a school's
# own Pyodide inside the site; without it, the site loads numpy, pandas and matplotlib from Pyodide's CDN.
LITE_VENV  := $(VENV)/lite-tools
STAMP_LITE := $(LITE_VENV)/.installed
PYODIDE ?=
# make lite-test builds its site with npm's Pyodide core inside (nothing from the CDN), or with a full Pyodide
# named by ANNOTKIT_LITE_PYODIDE (then the tests that need pandas run too).
ANNOTKIT_LITE_PYODIDE ?=
LITE_TEST_SITE := build/lite-test

.PHONY: lab test lint format bench mutation check-python clean help lite lite-serve lite-test lite-clean

help:
	@echo "make lab    install into .venv and open the course in JupyterLab (http://127.0.0.1:$(PORT))"
	@echo "make test   install what the tests need and run everything: unit, notebook and browser tests, lint, types"
	@echo "make lint   ruff (lint and format check) and mypy --strict"
	@echo "make format ruff: fix what can be fixed and format"
	@echo "make bench  speed benchmarks (installs spaCy for the comparison)"
	@echo "make mutation  break each rule on purpose and count the tests that notice (slow: an hour or more)"
	@echo "make lite   build the JupyterLite site of the course into build/lite (PYODIDE=... for your own Pyodide)"
	@echo "make lite-serve   serve build/lite on 127.0.0.1 to try it"
	@echo "make lite-test    build a test site and run it in Chromium (tests/lite)"
	@echo "make clean  remove .venv and caches"

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || { \
	  echo "annotkit needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)."; \
	  echo "Install a newer Python, or run: make lab PYTHON=python3.12"; exit 1; }

# A venv without pip is made in a second; pip is added only if uv cannot be had.
$(BIN)/python: | check-python
	@echo "Setting up .venv: annotkit, JupyterLab and what they need (about a minute the first time; seconds after)..."
	$(PYTHON) -m venv --without-pip $(VENV)
	@$(PYTHON) -m pip install --quiet --disable-pip-version-check --target $(VENV)/uv-tool uv 2>/dev/null \
	  || echo "uv could not be installed; pip will install annotkit instead (slower)."

LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json

$(STAMP_LAB): pyproject.toml | $(BIN)/python
	@echo "Installing annotkit and JupyterLab into .venv..."
	@$(call INSTALL,-e ".[lab]")
	@touch $@

# Classroom defaults for JupyterLab (no "Jupyter news?" pop-up in front of students).
$(LAB_SETTINGS): .jupyter/lab-overrides.json | $(BIN)/python
	@mkdir -p $(dir $@)
	cp $< $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	@$(call INSTALL,-e ".[test]")
	@touch $@ $(STAMP_LAB)

$(STAMP_BENCH): pyproject.toml $(STAMP_TEST)
	@$(call INSTALL,-e ".[test$(comma)bench]")
	@touch $@

$(STAMP_MUTATION): pyproject.toml $(STAMP_TEST)
	@$(call INSTALL,-e ".[test$(comma)mutation]")
	@touch $@

lab: $(STAMP_LAB) $(LAB_SETTINGS)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) --ServerApp.root_dir=. $(ALLOW_ROOT) \
	  --LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb

lint: $(STAMP_TEST)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP_TEST)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# One worker per core (at most 6). Measured on 2 cores: 2 workers took 7.8 minutes and 886 CPU-seconds, 3 workers
# 7.8 minutes and 926, 4 workers 8.5 minutes and 1,005 (each worker runs its own JupyterLab and Chromium, and more of
# them only contend for the cores). A file's tests stay together, except in the long files of independent tests
# (conftest.py). One process: make test TEST_WORKERS=0.
TEST_WORKERS ?= $(shell $(PYTHON) -c 'import os; print(min(os.cpu_count() or 1, 6))')

# Bytecode caches on for the run, whatever the shell says (PYTHONDONTWRITEBYTECODE=1 on some machines): otherwise every
# run rewrites and compiles each test file again in each worker, about 5 CPU-seconds a worker. They go to __pycache__
# (git-ignored); the first run of a fresh clone writes them.
test: $(STAMP_TEST)
	$(MAKE) --no-print-directory lint
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

# The tagger's speed is measured in Chromium by a browser test, which writes benchmarks/results/browser.json.
bench: $(STAMP_BENCH)
	$(BIN)/python -m pytest tests/browser/test_tagger.py -k timings -q
	$(BIN)/python benchmarks/run.py

# Mutation testing (configured in pyproject.toml's [tool.mutmut]); not part of `make test` or CI. One mutmut run for
# all the modules (each run first makes the mutants of every file: minutes). One module: make mutation MODULES=keys.
# The report: per module, mutants, killed, survivors and kill rate.
MODULES ?= anchoring overlap versions _storefile store agreement agreement_units submissions handin keys scoring \
  quotes quotemarks names attribution text words
mutation: $(STAMP_MUTATION)
	nice -n 19 $(BIN)/mutmut run $(foreach module,$(MODULES),"annotkit.$(module).*")
	$(BIN)/python tools/mutation_report.py $(MODULES)

$(STAMP_LITE): tools/lite/requirements.txt | $(BIN)/python
	@test -x $(LITE_VENV)/bin/python || $(PYTHON) -m venv --without-pip $(LITE_VENV)
	@if [ -x $(UV) ]; then $(UV) pip install --quiet --python $(LITE_VENV)/bin/python -r tools/lite/requirements.txt; \
	else $(LITE_VENV)/bin/python -m ensurepip --upgrade >/dev/null && \
	  $(LITE_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r tools/lite/requirements.txt; fi
	@touch $@

lite: $(STAMP_LITE)
	$(LITE_VENV)/bin/python tools/lite/build.py $(if $(PYODIDE),--pyodide "$(PYODIDE)")

lite-serve: $(STAMP_LITE)
	$(LITE_VENV)/bin/python tools/lite/serve.py

# Not part of `make test`: a first build downloads some 40 wheels and Pyodide's core, and Pyodide's kernel takes
# 20 s to a minute to start in Chromium on 2 cores (see tests/lite/conftest.py).
lite-test: $(STAMP_LITE) $(STAMP_TEST)
	$(LITE_VENV)/bin/python tools/lite/build.py --output $(LITE_TEST_SITE) --expose-app \
	  --pyodide "$(or $(ANNOTKIT_LITE_PYODIDE),npm)"
	ANNOTKIT_LITE_SITE=$(LITE_TEST_SITE) $(BIN)/python -m pytest tests/lite -rs

lite-clean:
	rm -rf build/lite build/lite-test build/lite-cache

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build dist mutants
