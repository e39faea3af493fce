"""Suggestions as Rasa NLU training data (YAML, format 3.1) for the maintainers of the
shared model to review before anything is added to `data/nlu/`."""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.review.suggestions import Suggestion

_ANNOTATION = re.compile(r"\](?=[({\[])")
HEADER = (
    "# Suggested by council staff from questions the assistant did not understand.\n"
    "# Redacted: [postcode], [reference], [phone number], [email], [card number] and\n"
    "# [number] stand for what the resident wrote. Review before adding to data/nlu/.\n"
)


def nlu_yaml(suggestions: Iterable[Suggestion]) -> str:
    """The suggestions' wordings grouped by intent, as a Rasa NLU YAML document."""
    by_intent: dict[str, list[str]] = {}
    for suggestion in suggestions:
        examples = by_intent.setdefault(suggestion.intent, [])
        text = _example(suggestion.text)
        if text and text not in examples:
            examples.append(text)
    lines = [HEADER + 'version: "3.1"', "nlu:" if by_intent else "nlu: []"]
    for intent in sorted(by_intent):
        lines.append(f"- intent: {intent}")
        lines.append("  examples: |")
        lines.extend(f"    - {text}" for text in by_intent[intent])
    return "\n".join(lines) + "\n"


def _example(text: str) -> str:
    """One line, so that it stays one example of the block, and with no `[..](..)`,
    `[..]{..}` or `[..][..]` that Rasa would read as an entity annotation."""
    text = " ".join(text.split())
    return _ANNOTATION.sub("] ", text)
