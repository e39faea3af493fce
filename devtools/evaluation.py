"""NLU quality gates: held-out intent accuracy, out-of-scope rejection and crisis routes.

Parses held-out examples (kept apart from `data/`, so never trained on) with the
trained model, writes a report, and fails when quality drops below the gates
in `tests/data/quality_gates.yml`.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

from assistant.settings import PROJECT_ROOT
from devtools.safety_evaluation import CrisisScore, crisis_lines, score_crisis

TEST_DATA = PROJECT_ROOT / "tests" / "data"
HELDOUT = TEST_DATA / "nlu_heldout.yml"
OUT_OF_SCOPE = TEST_DATA / "out_of_scope_heldout.yml"
# Everyday messages from many domains (banking, travel, cooking...), issue 9.
OUT_OF_SCOPE_BROAD = TEST_DATA / "out_of_scope_broad.yml"
OUT_OF_SCOPE_SETS = (OUT_OF_SCOPE, OUT_OF_SCOPE_BROAD)
# Crisis messages, and ordinary ones that must not be taken for a crisis.
CRISIS = TEST_DATA / "crisis_heldout.yml"
GATES = TEST_DATA / "quality_gates.yml"
# Long, multi-sentence messages, each labelled with its request (issue 9, item 4).
LONG_MESSAGES = TEST_DATA / "long_messages_heldout.yml"

# Intents that are not a council service: talking about the conversation itself.
NON_SERVICE_INTENTS = frozenset(
    {
        "greet",
        "goodbye",
        "thank",
        "affirm",
        "deny",
        "bot_challenge",
        "help",
        "human_handoff",
        "inform",
        "out_of_scope",
        "nlu_fallback",
        "switch_language",  # "Cymraeg", "English please" (issue 13)
    }
)
REJECTIONS = frozenset({"out_of_scope", "nlu_fallback"})


@dataclass(frozen=True)
class Prediction:
    text: str
    expected: str
    predicted: str
    confidence: float


@dataclass(frozen=True)
class IntentScore:
    intent: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Report:
    macro_f1: float
    accuracy: float
    per_intent: list[IntentScore]
    confusions: list[tuple[str, str, int]]
    oos_total: int
    oos_false_accepts: int
    oos_false_accept_examples: list[tuple[str, str]]
    crisis: CrisisScore
    # (understood, total) for the long-message set: reported, not gated yet.
    long_messages: tuple[int, int] = (0, 0)

    @property
    def oos_false_accept_rate(self) -> float:
        return self.oos_false_accepts / self.oos_total if self.oos_total else 0.0


def load_examples(path: Path) -> list[tuple[str, str]]:
    """(text, intent) pairs from a Rasa NLU YAML file, entity markup removed."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    return [(message.get("text"), message.get("intent")) for message in data.intent_examples]


def predict(model: Path, examples: Sequence[tuple[str, str]]) -> list[Prediction]:
    """Parse every example with the trained model."""
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # no per-message debug lines in CI output
    agent = Agent.load(str(model))

    async def parse_all() -> list[Prediction]:
        results = []
        for text, expected in examples:
            parsed = await agent.parse_message(text)
            intent = parsed.get("intent") or {}
            results.append(
                Prediction(
                    text=text,
                    expected=expected,
                    predicted=str(intent.get("name")),
                    confidence=float(intent.get("confidence") or 0.0),
                )
            )
        return results

    return asyncio.run(parse_all())


def score(predictions: Sequence[Prediction]) -> tuple[list[IntentScore], float, float]:
    """Per-intent precision/recall/F1, macro-F1 over the expected intents, accuracy."""
    intents = sorted({p.expected for p in predictions})
    scores = []
    for intent in intents:
        true_pos = sum(p.expected == intent and p.predicted == intent for p in predictions)
        predicted = sum(p.predicted == intent for p in predictions)
        actual = sum(p.expected == intent for p in predictions)
        precision = true_pos / predicted if predicted else 0.0
        recall = true_pos / actual if actual else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores.append(IntentScore(intent, precision, recall, f1, actual))
    macro_f1 = sum(s.f1 for s in scores) / len(scores) if scores else 0.0
    accuracy = sum(p.expected == p.predicted for p in predictions) / max(1, len(predictions))
    return scores, macro_f1, accuracy


def confusions(predictions: Iterable[Prediction]) -> list[tuple[str, str, int]]:
    """(expected, predicted, count) for every mistake, most frequent first."""
    counts = Counter((p.expected, p.predicted) for p in predictions if p.expected != p.predicted)
    return [(expected, got, n) for (expected, got), n in counts.most_common()]


def evaluate(model: Path) -> tuple[Report, list[Prediction], list[Prediction]]:
    """Run every held-out set through `model` and build the report."""
    heldout = predict(model, load_examples(HELDOUT))
    out_of_scope = predict(model, [e for path in OUT_OF_SCOPE_SETS for e in load_examples(path)])
    crisis = predict(model, load_examples(CRISIS))
    long = predict(model, load_examples(LONG_MESSAGES))
    per_intent, macro_f1, accuracy = score(heldout)
    false_accepts = [p for p in out_of_scope if p.predicted not in NON_SERVICE_INTENTS]
    report = Report(
        macro_f1=macro_f1,
        accuracy=accuracy,
        per_intent=per_intent,
        confusions=confusions(heldout),
        oos_total=len(out_of_scope),
        oos_false_accepts=len(false_accepts),
        oos_false_accept_examples=[(p.text, p.predicted) for p in false_accepts],
        crisis=score_crisis([*heldout, *out_of_scope, *crisis]),
        long_messages=(sum(p.predicted == p.expected for p in long), len(long)),
    )
    return report, heldout, out_of_scope


def long_message_accuracy(report: Report) -> float:
    """The share of long messages understood by their request."""
    understood, total = report.long_messages
    return understood / total if total else 0.0


GATE_NAMES = (
    "min_macro_f1",
    "max_oos_false_accept_rate",
    "min_crisis_recall",
    "min_crisis_precision",
)


def load_gates(path: Path = GATES) -> dict[str, float]:
    """The thresholds the report must meet."""
    gates = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {name: float(gates[name]) for name in GATE_NAMES}


def failures(report: Report, gates: dict[str, float]) -> list[str]:
    """Human-readable reasons the report misses its gates (empty when it passes)."""
    problems = []
    if report.macro_f1 < gates["min_macro_f1"]:
        problems.append(
            f"intent macro-F1 {report.macro_f1:.3f} is below the gate {gates['min_macro_f1']:.3f}"
        )
    if report.oos_false_accept_rate > gates["max_oos_false_accept_rate"]:
        problems.append(
            f"out-of-scope false-accept rate {report.oos_false_accept_rate:.3f} is above the gate "
            f"{gates['max_oos_false_accept_rate']:.3f}"
        )
    if report.crisis.recall < gates["min_crisis_recall"]:
        problems.append(
            f"crisis recall {report.crisis.recall:.3f} is below the gate "
            f"{gates['min_crisis_recall']:.3f}"
        )
    if report.crisis.precision < gates["min_crisis_precision"]:
        problems.append(
            f"crisis precision {report.crisis.precision:.3f} is below the gate "
            f"{gates['min_crisis_precision']:.3f}"
        )
    return problems


def write_report(
    report: Report,
    predictions: Sequence[Prediction],
    oos_predictions: Sequence[Prediction],
    out_dir: Path,
) -> Path:
    """Write report.md (for people) and report.json (for tools); return the .md path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    lines = [
        "# NLU evaluation on held-out data",
        "",
        f"- Intent macro-F1: **{report.macro_f1:.3f}** (accuracy {report.accuracy:.3f}, "
        f"{len(predictions)} examples)",
        f"- Out-of-scope false-accept rate: **{report.oos_false_accept_rate:.3f}** "
        f"({report.oos_false_accepts} of {report.oos_total} everyday messages taken as a "
        "council service)",
        f"- Long-message accuracy: **{long_message_accuracy(report):.3f}** "
        f"({report.long_messages[0]} of {report.long_messages[1]} multi-sentence messages "
        "understood by their request)",
        "",
        "| intent | precision | recall | F1 | support |",
        "|---|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {s.intent} | {s.precision:.2f} | {s.recall:.2f} | {s.f1:.2f} | {s.support} |"
        for s in report.per_intent
    ]
    lines += ["", "## Confusions (expected -> predicted)", ""]
    lines += [f"- {expected} -> {got}: {n}" for expected, got, n in report.confusions] or ["none"]
    lines += ["", "## Out-of-scope messages taken as a council service", ""]
    lines += [f"- {text!r} -> {got}" for text, got in report.oos_false_accept_examples] or ["none"]
    lines += crisis_lines(report.crisis)
    markdown = out_dir / "report.md"
    markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")
    payload: dict[str, Any] = asdict(report)
    payload["oos_false_accept_rate"] = report.oos_false_accept_rate
    payload["errors"] = [asdict(p) for p in predictions if p.expected != p.predicted]
    payload["out_of_scope_predictions"] = [asdict(p) for p in oos_predictions]
    (out_dir / "report.json").write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return markdown
