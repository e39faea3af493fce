# Two commands from a fresh clone: `make run` and `make test`. Everything else is
# a thin wrapper over `python -m assistant` or `rasa`.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Rasa 3.6 needs Python 3.10. Override with `make PYTHON=/path/to/python3.10 ...`.
PYTHON ?= $(shell for p in python3.10 $$HOME/.pyenv/versions/3.10*/bin/python3.10 /usr/bin/python3.10; do \
	"$$p" -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1 && { echo "$$p"; break; }; done)
VENV := .venv
# pip's notes about this machine's missing local package folders; a failure still fails.
PIP_NOISE := ^WARNING: Location
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
export LOG_LEVEL ?= WARNING
export TF_CPP_MIN_LOG_LEVEL ?= 2
export RASA_TELEMETRY_ENABLED ?= false

.PHONY: help setup system-deps run train test lint validate test-unit test-stories test-nlu bench bench-actions clean lock

help:  ## List the make targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

setup: $(STAMP) $(NODE_STAMP)  ## Create .venv from requirements.lock (Python 3.10) and node_modules

# Browser assets (govuk-frontend for the staff site, rasa-webchat) from package-lock.json.
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: install Node.js (apt-get install npm)" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(STAMP): requirements.lock pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.10 not found: install it or run make PYTHON=/path/to/python3.10" >&2; exit 1; }
	@echo "Setting up $(VENV) with $(PYTHON)"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade "pip==24.3.1" 2>&1 | { grep -v "$(PIP_NOISE)" || true; }
	@$(PY) -m pip install --quiet -r requirements.lock 2>&1 | { grep -v "$(PIP_NOISE)" || true; }
	@$(PY) -m pip install --quiet --no-deps -e . 2>&1 | { grep -v "$(PIP_NOISE)" || true; }
	@$(PY) -m pip check
	@$(PY) -c "import rasa, rasa_sdk, sqlalchemy, assistant"
	@touch $@

lock:  ## Recompile requirements.lock from requirements.in in a scratch venv
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -r requirements.in
	.lock-venv/bin/pip freeze --exclude-editable > requirements.lock
	rm -rf .lock-venv

run: setup  ## Set up, train if needed, start everything (Ctrl-C stops)
	$(PY) -m assistant run

train: setup  ## Train the shared model if its data changed
	$(PY) -m assistant train

lint: setup
	$(PY) -m ruff check .

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
	$(PY) -m pytest

bench: setup  ## Measure training, start-up, memory and latency beside Rasa's starter bot
	$(PY) -m assistant benchmark

bench-actions: train  ## Latency of an action turn (router, action server, back-office) vs a text turn
	$(PY) -m assistant benchmark-actions

bench-nlg: setup  ## Measure the NLG hop's added latency per bot message (reports/nlg_latency.md)
	$(PY) -m devtools.benchmarks.nlg

clean:  ## Remove the venv, models, reports and local databases
	rm -rf $(VENV) models reports var .pytest_cache .ruff_cache
