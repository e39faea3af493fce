"""Training the shared model, only when its inputs have changed.

Training says that it is training, how long it usually takes and how long it took;
Rasa's own output goes to `<var dir>/log/train.log` and is shown only on failure.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import subprocess
import sys
import time
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path

from assistant.settings import PROJECT_ROOT, Settings
from devtools.supervisor.stack import QUIET_ENV, log_tail, python_module, say, shown_path

# What the model is made from: a change to any of these means a new model.
MODEL_INPUTS = (
    "config.yml",
    "domain.yml",
    "data",
    "assistant/rasa_plugins/nlu",
    "assistant/safety",
    "assistant/identifiers.py",
    "requirements/runtime.lock",
)
KEEP_MODELS = 3
USUAL_TIME = "usually 30 s to 2 minutes"
PROGRESS_EVERY = 15.0  # seconds between "still training" lines


class TrainingFailed(RuntimeError):
    """Rasa's training exited with an error; the message ends with its last log lines."""


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
    log_path = settings.var_dir / "log" / "train.log"
    say(f"Training the shared model ({USUAL_TIME}); Rasa's output goes to {shown_path(log_path)}")
    seconds = run_logged(command, log_path, settings.child_environment(**QUIET_ENV))
    if not model.exists():
        raise FileNotFoundError(f"training finished but {model} was not written")
    say(f"Model trained in {seconds:.0f} s: {model.name}")
    prune(settings.models_dir, keep=KEEP_MODELS)
    return model


def run_logged(
    command: Sequence[str],
    log_path: Path,
    env: Mapping[str, str],
    every: float = PROGRESS_EVERY,
) -> float:
    """Run `command` with its output in `log_path`, saying every `every` seconds that it
    is still running; return how long it took. On failure raise TrainingFailed with the
    log's last lines."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with log_path.open("wb") as output:
        process = subprocess.Popen(
            list(command),
            cwd=PROJECT_ROOT,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            code = _wait_saying_progress(process, started, every)
        except BaseException:
            process.kill()  # Ctrl-C or an error here: no training left running
            process.wait()
            raise
    if code != 0:
        raise TrainingFailed(
            f"training failed (exit code {code}); last lines of {shown_path(log_path)}:\n"
            + log_tail(log_path)
        )
    return time.monotonic() - started


def _wait_saying_progress(process: subprocess.Popen[bytes], started: float, every: float) -> int:
    """Wait for `process`; on a terminal one line counts up, elsewhere a line each time."""
    on_terminal, counting = sys.stdout.isatty(), False
    try:
        while True:
            try:
                return process.wait(timeout=every)
            except subprocess.TimeoutExpired:
                line = f"  still training... {time.monotonic() - started:.0f} s"
                if on_terminal:
                    print(f"\r{line}", end="", flush=True)
                    counting = True
                else:
                    say(line)
    finally:
        if counting:
            print(flush=True)


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
