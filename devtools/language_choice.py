"""`python -m assistant evaluate-languages`: one bilingual model or one per language?

Trains the three models (devtools/language_models.py), scores both arrangements on
the same held-out sets (devtools/language_comparison.py), measures training time,
model size and the memory of a process serving each arrangement, and writes
languages.md and languages.json. Not part of `make test`: it trains.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path

from devtools import language_comparison, language_models
from devtools.language_comparison import Score
from devtools.language_models import TrainedModel


def resource_rows(trained: Mapping[str, TrainedModel], rss: Mapping[str, float]) -> list[str]:
    """Training time, size and memory: the bilingual model against the pair."""
    bilingual, en, cy = (trained[name] for name in language_models.MODEL_NAMES)
    return [
        "| cost | bilingual | per language (en + cy) |",
        "|---|---:|---:|",
        f"| training examples | {bilingual.examples} | {en.examples} + {cy.examples} |",
        f"| training CPU time (s) | {bilingual.cpu_seconds:.0f} | "
        f"{en.cpu_seconds:.0f} + {cy.cpu_seconds:.0f} = {en.cpu_seconds + cy.cpu_seconds:.0f} |",
        f"| training wall time (s, shared machine) | {bilingual.seconds:.0f} | "
        f"{en.seconds:.0f} + {cy.seconds:.0f} = {en.seconds + cy.seconds:.0f} |",
        f"| model size (MB) | {bilingual.megabytes:.1f} | "
        f"{en.megabytes:.1f} + {cy.megabytes:.1f} = {en.megabytes + cy.megabytes:.1f} |",
        f"| peak RSS of a process serving it (MB) | {rss['bilingual']:.0f} | "
        f"{rss['per_language']:.0f} |",
    ]


def report_lines(
    scores: Mapping[str, Score],
    trained: Mapping[str, TrainedModel],
    rss: Mapping[str, float],
) -> list[str]:
    """languages.md."""
    wins = language_comparison.per_language_wins(scores["bilingual"], scores["per_language"])
    choice = "one model per language" if wins else "the bilingual model (kept)"
    return [
        "# One bilingual NLU model or one per language (issue 13, item 3)",
        "",
        "Same config.yml; `bilingual` = all of data/nlu; `en` = data/nlu without cy/; "
        "`cy` = data/nlu/cy plus the English examples the language detector leaves "
        "undecided (postcodes, references, 'hi', 'ok': what a Welsh conversation also "
        "gets). Per language, each held-out message is answered by the model of the "
        "language the LanguageDetector gives it; undecided goes to English, the "
        "conversation default. Made by `python -m assistant evaluate-languages`.",
        "",
        *language_comparison.score_rows(scores),
        "",
        *resource_rows(trained, rss),
        "",
        f"**Choice: {choice}.** Per language must be at least "
        f"{language_comparison.CLEAR_WIN:.2f} better on English macro-F1 or Welsh accuracy, "
        "no worse on either, and no worse on any crisis or out-of-scope measure.",
    ]


def run(out: Path, work: Path) -> int:
    """Train, compare, measure and write the report; print where it is."""
    work.mkdir(parents=True, exist_ok=True)
    models_dir = work / "models"
    sets = language_models.build_training_sets(work)
    trained = {}
    for name in language_models.MODEL_NAMES:
        print(f"Training the {name} NLU model...", flush=True)
        trained[name] = language_models.train(name, sets[name], models_dir, work)
    paths = {name: model.path for name, model in trained.items()}
    scores = language_comparison.compare(paths)
    rss = {
        "bilingual": language_models.serving_rss([paths["bilingual"]]),
        "per_language": language_models.serving_rss([paths["en"], paths["cy"]]),
    }
    out.mkdir(parents=True, exist_ok=True)
    lines = report_lines(scores, trained, rss)
    (out / "languages.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    payload = {
        "scores": {name: asdict(score) for name, score in scores.items()},
        "trained": {
            name: {**asdict(model), "path": str(model.path), "megabytes": model.megabytes}
            for name, model in trained.items()
        },
        "rss_mb": rss,
    }
    (out / "languages.json").write_text(json.dumps(payload, indent=2), encoding="utf-8")
    print("\n".join(lines[-9:]))
    print(f"Report: {out / 'languages.md'}")
    return 0
