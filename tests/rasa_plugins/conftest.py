"""TED loaded three ways in one subprocess, shared by the model-loading and
prediction-graph tests (tests/support/ted_loading.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.settings import PROJECT_ROOT, Settings

HELPER = "tests.support.ted_loading"


def trained_model() -> Path:
    models = sorted(Settings.from_env().models_dir.glob("*.tar.gz"))
    assert models, "no trained model: run `make train` (make test trains first)"
    return models[-1]


@pytest.fixture(scope="session")
def ted_loaded_three_ways() -> dict:
    done = subprocess.run(
        [sys.executable, "-m", HELPER, str(trained_model())],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])
