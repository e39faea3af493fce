"""Training the shared model, only when its inputs have changed."""

from __future__ import annotations

import argparse
import hashlib
import logging
import os
import subprocess
import sys
import time
import warnings
from collections.abc import Sequence
from pathlib import Path

from assistant.settings import PROJECT_ROOT, Settings
from devtools.supervisor.stack import QUIET_ENV, python_module

# What the model is made from: a change to any of these means a new model.
MODEL_INPUTS = (
    "config.yml",
    "domain.yml",
    "data",
    "assistant/rasa_plugins/nlu",
    "assistant/safety",
    "assistant/identifiers.py",
    "requirements.lock",
)
KEEP_MODELS = 3


def fingerprint(root: Path = PROJECT_ROOT) -> str:
    """A short hash of everything the model is trained from."""
    digest = hashlib.sha256()
    for name in MODEL_INPUTS:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.suffix == ".pyc":
                continue
            digest.update(file.relative_to(root).as_posix().encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def train(settings: Settings, force: bool = False) -> Path:
    """Train into `settings.models_dir` unless a model for the current inputs is there.

    Models are named after the fingerprint of their inputs, so an unchanged project
    reuses its model and a changed one trains a new one. Training runs in its own
    process (TensorFlow's memory goes with it). Returns the model's path.
    """
    name = f"council-assistant-{fingerprint()}"
    model = settings.models_dir / f"{name}.tar.gz"
    if model.exists() and not force:
        model.touch()  # the newest model is the one Rasa serves
        print(f"Model up to date: {model.name}", flush=True)
        return model
    command = python_module("devtools.training", "--out", str(settings.models_dir), "--name", name)
    started = time.monotonic()
    subprocess.run(command, cwd=PROJECT_ROOT, env={**os.environ, **QUIET_ENV}, check=True)
    if not model.exists():
        raise FileNotFoundError(f"training finished but {model} was not written")
    print(f"Model trained: {model.name} ({time.monotonic() - started:.1f}s)", flush=True)
    prune(settings.models_dir, keep=KEEP_MODELS)
    return model


def prune(models_dir: Path, keep: int) -> None:
    """Delete all but the `keep` newest models."""
    models = sorted(models_dir.glob("*.tar.gz"), key=lambda path: path.stat().st_mtime)
    for old in models[:-keep]:
        old.unlink()


def newest_model(models_dir: Path) -> Path:
    """The most recently written model archive; a clear error when there is none."""
    models = sorted(models_dir.glob("*.tar.gz"), key=lambda path: path.stat().st_mtime)
    if not models:
        raise FileNotFoundError(f"no trained model in {models_dir}: run `make train`")
    return models[-1]


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m devtools.training`: Rasa's training, without repeating data warnings.

    Rasa warns again about every response no story names; `python -m assistant
    validate` has already checked and explained those, so here they are silenced and
    only errors and the result are printed.
    """
    parser = argparse.ArgumentParser(prog="python -m devtools.training")
    parser.add_argument("--out", required=True, help="models directory")
    parser.add_argument("--name", required=True, help="model file name, without .tar.gz")
    args = parser.parse_args(argv)
    from rasa.model_training import train as rasa_train
    from rasa.utils.log_utils import configure_structlog

    logging.basicConfig(level=logging.WARNING)
    configure_structlog(logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = rasa_train(
            domain=str(PROJECT_ROOT / "domain.yml"),
            config=str(PROJECT_ROOT / "config.yml"),
            training_files=[str(PROJECT_ROOT / "data")],
            output=args.out,
            fixed_model_name=args.name,
        )
    return result.code


if __name__ == "__main__":
    sys.exit(main())
