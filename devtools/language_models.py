"""One bilingual NLU model or one per language (issue 13, item 3): the models to compare.

Builds three training sets from `data/nlu` with the same config.yml:
- bilingual: all of data/nlu (what the assistant ships);
- en: data/nlu without data/nlu/cy;
- cy: data/nlu/cy plus the language-free English examples (postcodes, references,
  house numbers: those the bilingual language detector gives no language), which
  a Welsh conversation needs as much as an English one.
Trains each (`rasa train nlu`, its own cache, timed) and measures the resident
memory of a process that serves the models of an arrangement.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.settings import PROJECT_ROOT

NLU_DATA = PROJECT_ROOT / "data" / "nlu"
WELSH_DATA = NLU_DATA / "cy"
CONFIG = PROJECT_ROOT / "config.yml"
DOMAIN = PROJECT_ROOT / "domain.yml"
MODEL_NAMES = ("bilingual", "en", "cy")
SHARED_FILE = "shared_language_free.yml"


@dataclass(frozen=True)
class TrainedModel:
    name: str
    path: Path
    seconds: float
    # CPU time (user + system) of the training process: fairer than wall time on a
    # machine shared with other work.
    cpu_seconds: float
    examples: int

    @property
    def megabytes(self) -> float:
        return self.path.stat().st_size / 1_000_000


def language_free(labelled: Sequence[tuple[str, str]]) -> list[int]:
    """Indices of the English (text, language) examples that a language profile learnt
    from all of them leaves undecided: no language, so a Welsh conversation gets them too."""
    from assistant.rasa_plugins.nlu.language_profile import LanguageProfile

    profile = LanguageProfile.learn(labelled)
    return [
        index
        for index, (text, language) in enumerate(labelled)
        if language == "en" and profile.detect(text) is None
    ]


def language_free_examples() -> str:
    """The English training examples the bilingual detector leaves undecided, as YAML."""
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.training_data import TrainingData

    examples = load_data(str(NLU_DATA)).intent_examples
    welsh = {m.get("text") for m in load_data(str(WELSH_DATA)).intent_examples}
    labelled = [(m.get("text"), "cy" if m.get("text") in welsh else "en") for m in examples]
    shared = [examples[index] for index in language_free(labelled)]
    return RasaYAMLWriter().dumps(TrainingData(training_examples=shared))


def build_training_sets(work: Path) -> dict[str, Path]:
    """Write the three NLU data directories under `work`; name -> directory."""
    sets = {name: work / f"data_{name}" for name in MODEL_NAMES}
    for directory in sets.values():
        shutil.rmtree(directory, ignore_errors=True)
    shutil.copytree(NLU_DATA, sets["bilingual"])
    shutil.copytree(NLU_DATA, sets["en"], ignore=shutil.ignore_patterns("cy"))
    shutil.copytree(WELSH_DATA, sets["cy"])
    (sets["cy"] / SHARED_FILE).write_text(language_free_examples(), encoding="utf-8")
    return sets


def count_examples(directory: Path) -> int:
    from rasa.shared.nlu.training_data.loading import load_data

    return len(load_data(str(directory)).intent_examples)


def train(name: str, data: Path, models_dir: Path, work: Path) -> TrainedModel:
    """`rasa train nlu` on `data` in its own process and cache; timed from start to model."""
    cache = work / f"cache_{name}"
    shutil.rmtree(cache, ignore_errors=True)
    env = {**os.environ, "RASA_CACHE_DIRECTORY": str(cache), "TF_CPP_MIN_LOG_LEVEL": "3"}
    log = work / f"train_{name}.log"
    command = [sys.executable, "-m", "devtools.language_models", "train"]
    command += ["--nlu", str(data), "--out", str(models_dir), "--name", name]
    started, cpu_before = time.monotonic(), _children_cpu()
    with log.open("wb") as output:
        code = subprocess.call(command, cwd=PROJECT_ROOT, env=env, stdout=output, stderr=output)
    seconds, cpu_seconds = time.monotonic() - started, _children_cpu() - cpu_before
    model = models_dir / f"{name}.tar.gz"
    if code != 0 or not model.exists():
        raise RuntimeError(f"training {name} failed (exit {code}); see {log}")
    return TrainedModel(name, model, seconds, cpu_seconds, count_examples(data))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def serving_rss(models: Sequence[Path]) -> float:
    """Peak resident memory (MB) of a process that loads `models` and parses one message."""
    command = [sys.executable, "-m", "devtools.language_models", "rss", *map(str, models)]
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run(
        command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=True
    )
    return float(json.loads(result.stdout.strip().splitlines()[-1])["rss_mb"])


def _train_main(args: argparse.Namespace) -> int:
    import logging
    import warnings

    from rasa.model_training import train_nlu
    from rasa.utils.log_utils import configure_structlog

    logging.basicConfig(level=logging.WARNING)
    configure_structlog(logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = train_nlu(
            config=str(CONFIG),
            nlu_data=args.nlu,
            output=args.out,
            fixed_model_name=args.name,
            domain=str(DOMAIN),
        )
    return 0 if result else 1


def _rss_main(args: argparse.Namespace) -> int:
    import asyncio
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    agents = [Agent.load(model) for model in args.models]
    for agent in agents:
        asyncio.run(agent.parse_message("when is my bin collected"))
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"rss_mb": peak_kb / 1024}))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m devtools.language_models train|rss`: the child processes above."""
    parser = argparse.ArgumentParser(prog="python -m devtools.language_models")
    commands = parser.add_subparsers(dest="command", required=True)
    train_parser = commands.add_parser("train")
    train_parser.add_argument("--nlu", required=True)
    train_parser.add_argument("--out", required=True)
    train_parser.add_argument("--name", required=True)
    rss_parser = commands.add_parser("rss")
    rss_parser.add_argument("models", nargs="+")
    args = parser.parse_args(argv)
    return _train_main(args) if args.command == "train" else _rss_main(args)


if __name__ == "__main__":
    sys.exit(main())
