"""Training the shared model, only when its inputs have changed."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from assistant.settings import PROJECT_ROOT, Settings
from assistant.stack import QUIET_ENV, python_module


def train(settings: Settings, force: bool = False) -> Path:
    """Train into `settings.models_dir` unless a model for the current data is there.

    Rasa fingerprints config, domain and data, and skips training when the newest
    model already matches them. Returns the path of the newest model.
    """
    command = python_module(
        "rasa",
        "train",
        "--config",
        "config.yml",
        "--domain",
        "domain.yml",
        "--data",
        "data",
        "--out",
        str(settings.models_dir),
    )
    if force:
        command.append("--force")
    started = time.monotonic()
    subprocess.run(command, cwd=PROJECT_ROOT, env={**os.environ, **QUIET_ENV}, check=True)
    model = newest_model(settings.models_dir)
    print(f"Model ready: {model.name} ({time.monotonic() - started:.1f}s)", flush=True)
    return model


def newest_model(models_dir: Path) -> Path:
    """The most recently written model archive; a clear error when there is none."""
    models = sorted(models_dir.glob("*.tar.gz"), key=lambda path: path.stat().st_mtime)
    if not models:
        raise FileNotFoundError(f"no trained model in {models_dir}: run `make train`")
    return models[-1]
