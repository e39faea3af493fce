"""Which tracker events count as what on the insight page, from `rules.yml`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

RULES_FILE = Path(__file__).with_name("rules.yml")

# Metric names stored in the summary table.
CONVERSATIONS = "conversations"
MESSAGES = "messages"
INTENT = "intent"
FALLBACK = "fallback"
HANDOFF = "handoff"
REPORT = "report"
CRISIS = "crisis"


@dataclass(frozen=True)
class Rules:
    """What counts as a fallback, a handoff, a report filed and a crisis route."""

    fallback_intents: frozenset[str]
    handoff_responses: frozenset[str]
    report_responses: Mapping[str, str]
    crisis_responses: Mapping[str, str]

    def user_counts(self, intent: str | None) -> Iterator[tuple[str, str]]:
        """(metric, key) pairs one resident message adds."""
        yield MESSAGES, ""
        if intent:
            yield INTENT, intent
            if intent in self.fallback_intents:
                yield FALLBACK, intent

    def bot_counts(self, response: str | None) -> Iterator[tuple[str, str]]:
        """(metric, key) pairs one assistant reply adds."""
        if not response:
            return
        if response in self.handoff_responses:
            yield HANDOFF, ""
        if response in self.report_responses:
            yield REPORT, self.report_responses[response]
        if response in self.crisis_responses:
            yield CRISIS, self.crisis_responses[response]


def load_rules(path: Path = RULES_FILE) -> Rules:
    """Read the rules file."""
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return Rules(
        frozenset(raw.get("fallback_intents") or ()),
        frozenset(raw.get("handoff_responses") or ()),
        {str(k): str(v) for k, v in (raw.get("report_responses") or {}).items()},
        {str(k): str(v) for k, v in (raw.get("crisis_responses") or {}).items()},
    )
