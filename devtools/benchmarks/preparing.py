"""The benchmark's preparation: Rasa's starter project and both assistants trained.

Both are trained by the same `rasa train --force` command (timed), each with an
empty Rasa cache. With `--keep DIR`, trained assistants are kept in DIR and reused
by the next run (training time then reads 0: not measured), so that repeated load
measurements need not retrain.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.isolation import isolated
from assistant.settings import PROJECT_ROOT, Settings
from devtools.supervisor.stack import QUIET_ENV, log_tail, python_module

TRAIN_TIMEOUT = 1800.0  # seconds, per assistant


class BenchmarkError(RuntimeError):
    """A step of the benchmark failed, so its figures would be meaningless."""


@dataclass(frozen=True)
class Trained:
    """Both assistants trained: where, and how long each took."""

    starter_dir: Path
    council: Settings  # the council stack's settings (its own models and var dirs)
    seconds: Mapping[str, float]


def child_env(**extra: str) -> dict[str, str]:
    """The environment of every process the benchmark runs itself (not via Stack)."""
    # QUIET_ENV turns telemetry off
    return Settings.from_env().child_environment(**QUIET_ENV, **extra)


def run_logged(
    what: str, command: Sequence[str], cwd: Path, env: Mapping[str, str], log: Path
) -> float:
    """Run `command` (described as `what`) with its output in `log`; the wall-clock
    seconds it took."""
    started = time.monotonic()
    with log.open("wb") as output:
        try:
            completed = subprocess.run(
                list(command),
                cwd=cwd,
                env=dict(env),
                stdout=output,
                stderr=subprocess.STDOUT,
                timeout=TRAIN_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise BenchmarkError(f"{what} took over {TRAIN_TIMEOUT:.0f}s") from None
    elapsed = time.monotonic() - started
    if completed.returncode != 0:
        raise BenchmarkError(f"{what} failed with code {completed.returncode}:\n{log_tail(log)}")
    return elapsed


def create_starter(path: Path, log: Path) -> Path:
    """Rasa's starter project in `path`: the files `rasa init --no-prompt` writes.

    Called through rasa's own scaffold function rather than `rasa init`, which
    would also train a model we would throw away before the timed training.
    """
    path.mkdir(parents=True, exist_ok=True)
    code = "import sys; from rasa.cli.scaffold import create_initial_project as c; c(sys.argv[1])"
    command = [sys.executable, "-c", code, str(path)]
    run_logged("creating the starter project", command, path, child_env(), log)
    return path


def train_assistant(project: Path, models_dir: Path, cache_dir: Path, log: Path) -> float:
    """Train `project` with `rasa train --force` into `models_dir`; the seconds it took."""
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
        str(models_dir),
        "--force",
    )
    env = child_env(RASA_CACHE_DIRECTORY=str(cache_dir))
    return run_logged(f"training {project}", command, project, env, log)


def write_tracker_endpoints(path: Path, tracker_db: Path) -> Path:
    """An endpoints file with only a SQLite tracker store (the starter needs no actions)."""
    path.write_text(
        f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {tracker_db}\n", encoding="utf-8"
    )
    return path


def has_model(models_dir: Path) -> bool:
    """True when `models_dir` holds a trained model."""
    return models_dir.is_dir() and any(models_dir.glob("*.tar.gz"))


def train_both(settings: Settings, workdir: Path, logs: Path, keep: Path | None = None) -> Trained:
    """Create Rasa's starter project, then train it and the council model (timed);
    with `keep`, in `keep` and only when not trained there already."""
    home = keep if keep is not None else workdir
    home.mkdir(parents=True, exist_ok=True)
    starter_dir = home / "starter"
    if not (starter_dir / "config.yml").exists():
        print("Creating Rasa's starter project...", flush=True)
        create_starter(starter_dir, logs / "starter-init.log")
    var_dir, models_dir = workdir / "council-var", home / "council-models"
    council = isolated(settings, var_dir=var_dir, models_dir=models_dir)
    council.var_dir.mkdir(parents=True)
    seconds = {"council": 0.0, "starter": 0.0}
    if keep is None or not has_model(starter_dir / "models"):
        print("Training the starter assistant...", flush=True)
        seconds["starter"] = train_assistant(
            starter_dir, starter_dir / "models", home / "starter-cache", logs / "starter-train.log"
        )
        print(f"  {seconds['starter']:.1f}s", flush=True)
    if keep is None or not has_model(council.models_dir):
        print("Training the council model...", flush=True)
        seconds["council"] = train_assistant(
            PROJECT_ROOT, council.models_dir, home / "council-cache", logs / "council-train.log"
        )
        print(f"  {seconds['council']:.1f}s", flush=True)
    return Trained(starter_dir, council, seconds)
