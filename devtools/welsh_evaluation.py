"""Welsh quality gates (issue 13): Welsh understanding and the language of each message.

Parses the Welsh held-out set (tests/data/cy_nlu_heldout.yml, crisis routes
included) and the language-detection set (tests/data/language_heldout.yml) with
the trained model, and checks them against the Welsh gates in
tests/data/quality_gates.yml.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from devtools.evaluation import GATES, TEST_DATA, load_examples

WELSH_HELDOUT = TEST_DATA / "cy_nlu_heldout.yml"
LANGUAGE_HELDOUT = TEST_DATA / "language_heldout.yml"
# The label of a message whose language is not clear: no entity may be emitted.
NO_LANGUAGE = "none"
CRISIS_PREFIXES = ("crisis_", "emergency")
WELSH_GATE_NAMES = ("min_cy_accuracy", "min_cy_crisis_recall", "min_language_accuracy")


@dataclass(frozen=True)
class Parsed:
    text: str
    expected: str
    intent: str
    language: str


@dataclass(frozen=True)
class WelshReport:
    accuracy: float
    crisis_recall: float
    language_accuracy: float
    # Messages given the other language (cy for en or en for cy): the worst mistake.
    wrong_language: int
    language_total: int
    errors: list[Parsed]
    language_errors: list[Parsed]


def load_language_set(path: Path = LANGUAGE_HELDOUT) -> list[tuple[str, str]]:
    """(text, expected language) pairs: 'cy', 'en' or 'none'."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [
        (str(text), label) for label in ("cy", "en", NO_LANGUAGE) for text in raw.get(label) or []
    ]


def parse(model: Path, examples: Sequence[tuple[str, str]]) -> list[Parsed]:
    """Intent and emitted language of every example (NO_LANGUAGE when none)."""
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    agent = Agent.load(str(model))

    async def parse_all() -> list[Parsed]:
        results = []
        for text, expected in examples:
            parsed = await agent.parse_message(text)
            languages = [
                e["value"] for e in parsed.get("entities") or [] if e.get("entity") == "language"
            ]
            intent = (parsed.get("intent") or {}).get("name")
            results.append(
                Parsed(text, expected, str(intent), languages[0] if languages else NO_LANGUAGE)
            )
        return results

    return asyncio.run(parse_all())


def score(welsh: Sequence[Parsed], languages: Sequence[Parsed]) -> WelshReport:
    """Accuracy on Welsh, Welsh crisis recall and language-detection accuracy."""
    crisis = [p for p in welsh if p.expected.startswith(CRISIS_PREFIXES)]
    wrong = [
        p
        for p in languages
        if NO_LANGUAGE not in (p.expected, p.language) and p.expected != p.language
    ]
    return WelshReport(
        accuracy=sum(p.intent == p.expected for p in welsh) / max(1, len(welsh)),
        crisis_recall=sum(p.intent == p.expected for p in crisis) / max(1, len(crisis)),
        language_accuracy=sum(p.language == p.expected for p in languages) / max(1, len(languages)),
        wrong_language=len(wrong),
        language_total=len(languages),
        errors=[p for p in welsh if p.intent != p.expected],
        language_errors=[p for p in languages if p.language != p.expected],
    )


def evaluate(model: Path) -> WelshReport:
    """Parse both Welsh held-out sets with `model` and score them."""
    welsh_examples = load_examples(WELSH_HELDOUT)
    language_examples = load_language_set()
    parsed = parse(model, [*welsh_examples, *language_examples])
    return score(parsed[: len(welsh_examples)], parsed[len(welsh_examples) :])


def load_gates(path: Path = GATES) -> dict[str, float]:
    gates = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {name: float(gates[name]) for name in WELSH_GATE_NAMES}


def failures(report: WelshReport, gates: dict[str, float]) -> list[str]:
    """Reasons the Welsh report misses its gates (empty when it passes)."""
    measured = {
        "min_cy_accuracy": report.accuracy,
        "min_cy_crisis_recall": report.crisis_recall,
        "min_language_accuracy": report.language_accuracy,
    }
    return [
        f"{name[4:].replace('_', ' ')} {value:.3f} is below the gate {gates[name]:.3f}"
        for name, value in measured.items()
        if value < gates[name]
    ]


def report_lines(report: WelshReport) -> list[str]:
    """The Welsh section of report.md."""
    lines = [
        "",
        "## Welsh (issue 13)",
        "",
        f"- Welsh in-scope accuracy: **{report.accuracy:.3f}**; Welsh crisis recall "
        f"**{report.crisis_recall:.3f}**",
        f"- Language detection accuracy: **{report.language_accuracy:.3f}** "
        f"({report.language_total} messages; {report.wrong_language} given the other language)",
        "",
        "### Welsh mistakes (expected -> predicted)",
        "",
    ]
    lines += [f"- {p.text!r}: {p.expected} -> {p.intent}" for p in report.errors] or ["none"]
    lines += ["", "### Language mistakes (expected -> emitted)", ""]
    lines += [f"- {p.text!r}: {p.expected} -> {p.language}" for p in report.language_errors] or [
        "none"
    ]
    return lines
