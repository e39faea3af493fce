# Two commands from a fresh clone: `make run` and `make test`. Everything else is
# a thin wrapper over `python -m assistant` or `rasa`.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Rasa 3.6 needs Python 3.10. Override with `make PYTHON=/path/to/python3.10 ...`.
PYTHON ?= $(shell for p in python3.10 $$HOME/.pyenv/versions/3.10*/bin/python3.10 /usr/bin/python3.10; do \
	"$$p" -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1 && { echo "$$p"; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
LOCKS := requirements/runtime.lock requirements/dev.lock
# `make lock LOCK_FLAGS=--upgrade` moves every pin to the newest allowed version.
LOCK_FLAGS ?=
SETUP_LOG := var/log/setup.log
# Run a long setup step with its output in $(SETUP_LOG), shown only when it fails.
logged = { $(1); } >>$(SETUP_LOG) 2>&1 || { echo "Failed: $(1)" >&2; \
	echo "--- last lines of $(SETUP_LOG) ---" >&2; tail -n 60 $(SETUP_LOG) >&2; exit 1; }
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
# pytest workers for `make test`: the end-to-end tests share one stack in one worker
# while the other takes the unit tests (measured on 2 cores; `make test TEST_WORKERS=4`).
TEST_WORKERS ?= 2
export LOG_LEVEL ?= WARNING
export TF_CPP_MIN_LOG_LEVEL ?= 2
export RASA_TELEMETRY_ENABLED ?= false

.PHONY: help setup system-deps run train test lint validate test-unit test-stories test-nlu bench bench-actions clean lock

help:  ## List the make targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

setup: $(STAMP) $(NODE_STAMP)  ## Create .venv from the hashed locks (Python 3.10) and node_modules

# Runtime and development packages from requirements/dev.lock (a superset of runtime.lock,
# same versions), every file checked against its hash; then this project, editable.
$(STAMP): $(LOCKS) pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.10 not found: install it or run make PYTHON=/path/to/python3.10" >&2; exit 1; }
	@mkdir -p $(dir $(SETUP_LOG)) && : > $(SETUP_LOG)
	@echo "[1/3] Python packages into $(VENV) with $(PYTHON) (first run: about 2-3 minutes; log: $(SETUP_LOG))..."
	@test -x $(PY) || $(call logged,$(PYTHON) -m venv $(VENV))
	@$(call logged,$(PY) -m pip install --upgrade "pip==24.3.1")
	@$(call logged,$(PY) -m pip install --require-hashes -r requirements/dev.lock)
	@echo "[2/3] this project (editable)..."
	@$(call logged,$(PY) -m pip install --no-deps --no-build-isolation -e .)
	@$(call logged,$(PY) -m pip check)
	@$(PY) -c "import rasa; import rasa_sdk; import sqlalchemy; import assistant"
	@touch $@

# Browser assets (govuk-frontend for the staff site, socket.io-client for the web chat) from package-lock.json.
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: install Node.js (apt-get install npm)" >&2; exit 1; }
	@mkdir -p $(dir $(SETUP_LOG))
	@echo "[3/3] browser assets (npm; log: $(SETUP_LOG))..."
	@$(call logged,npm ci --no-audit --no-fund --loglevel=error)
	@touch $@

lock: $(STAMP)  ## Recompile requirements/*.lock (hashed) from requirements/*.in, keeping pins that still fit
	$(VENV)/bin/uv pip compile requirements/runtime.in $(LOCK_FLAGS) --quiet --generate-hashes \
		--python-version 3.10 --custom-compile-command "make lock" -o requirements/runtime.lock
	$(VENV)/bin/uv pip compile requirements/dev.in $(LOCK_FLAGS) --quiet --generate-hashes \
		--python-version 3.10 --custom-compile-command "make lock" -o requirements/dev.lock

run: setup  ## Set up, train if needed, start everything (Ctrl-C stops)
	$(PY) -m assistant run

train: setup  ## Train the shared model if its data changed
	$(PY) -m assistant train

lint: setup  ## Ruff, mypy (assistant/, actions/), module and function sizes
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(PY) -m devtools.checks.sizes

validate: setup
	$(PY) -m assistant validate

test-stories: train
	$(PY) -m rasa test core --stories tests/stories --fail-on-prediction-errors --out reports/stories

test-nlu: train
	$(PY) -m assistant evaluate-nlu

system-deps:  ## Install the Debian packages the tests need (Chromium, PostgreSQL, Redis), if missing
	./scripts/system-deps.sh

test: setup system-deps  ## Set up and run every test (lint, data validation, training, stories, NLU, pytest)
	$(MAKE) --no-print-directory lint validate train test-stories test-nlu
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup

bench: setup  ## Measure training, start-up, memory and latency beside Rasa's starter bot
	$(PY) -m assistant benchmark

bench-actions: train  ## Latency of an action turn (router, action server, back-office) vs a text turn
	$(PY) -m assistant benchmark-actions

bench-nlg: setup  ## Measure the NLG hop's added latency per bot message (reports/nlg_latency.md)
	$(PY) -m assistant benchmark-nlg

clean:  ## Remove the venv, models, reports and local databases
	rm -rf $(VENV) models reports var .pytest_cache .ruff_cache .mypy_cache build
