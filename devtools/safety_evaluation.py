"""Crisis routes on held-out data: recall (each crisis reaches its own route) and
precision (ordinary messages do not reach a crisis route)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

CRISIS_PREFIX = "crisis_"
EMERGENCY = "emergency"


class Predicted(Protocol):
    text: str
    expected: str
    predicted: str


@dataclass(frozen=True)
class CrisisRecall:
    intent: str
    recall: float
    support: int


@dataclass(frozen=True)
class CrisisScore:
    recall: float
    # Reached some safety route (any crisis or the emergency answer), if not its own.
    safe_recall: float
    precision: float
    total: int
    per_intent: list[CrisisRecall]
    misses: list[tuple[str, str, str]]
    false_alarms: list[tuple[str, str, str]]


def is_crisis(intent: str) -> bool:
    """True for the crisis intents (crisis_domestic_abuse, crisis_suicide...)."""
    return intent.startswith(CRISIS_PREFIX)


def score_crisis(predictions: Sequence[Predicted]) -> CrisisScore:
    """Recall over the crisis examples; precision over every crisis prediction."""
    crises = [p for p in predictions if is_crisis(p.expected)]
    hits = [p for p in crises if p.predicted == p.expected]
    safe = [p for p in crises if is_crisis(p.predicted) or p.predicted == EMERGENCY]
    alarms = [p for p in predictions if is_crisis(p.predicted)]
    correct_alarms = [p for p in alarms if p.predicted == p.expected]
    per_intent = []
    for intent in sorted({p.expected for p in crises}):
        mine = [p for p in crises if p.expected == intent]
        found = sum(p.predicted == intent for p in mine)
        per_intent.append(CrisisRecall(intent, found / len(mine), len(mine)))
    return CrisisScore(
        recall=len(hits) / len(crises) if crises else 0.0,
        safe_recall=len(safe) / len(crises) if crises else 0.0,
        precision=len(correct_alarms) / len(alarms) if alarms else 1.0,
        total=len(crises),
        per_intent=per_intent,
        misses=[_row(p) for p in crises if p.predicted != p.expected],
        false_alarms=[_row(p) for p in alarms if p.predicted != p.expected],
    )


def _row(prediction: Predicted) -> tuple[str, str, str]:
    return (prediction.text, prediction.expected, prediction.predicted)


def crisis_lines(score: CrisisScore) -> list[str]:
    """The crisis part of the Markdown report."""
    lines = [
        "",
        "## Crisis routes",
        "",
        f"- Recall: **{score.recall:.3f}** ({score.total} crisis messages; "
        f"{score.safe_recall:.3f} reached some safety answer)",
        f"- Precision: **{score.precision:.3f}** (of every message sent to a crisis route)",
        "",
        "| crisis | recall | support |",
        "|---|---:|---:|",
    ]
    lines += [f"| {s.intent} | {s.recall:.2f} | {s.support} |" for s in score.per_intent]
    lines += ["", "### Missed crises (expected -> predicted)", ""]
    lines += [f"- {text!r}: {exp} -> {got}" for text, exp, got in score.misses] or ["none"]
    lines += ["", "### Sent to a crisis route by mistake", ""]
    lines += [f"- {text!r}: {exp} -> {got}" for text, exp, got in score.false_alarms] or ["none"]
    return lines
