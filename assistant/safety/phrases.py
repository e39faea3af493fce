"""Safety phrases as data: which crisis or emergency route a message must take.

Used by the NLU guard (assistant/rasa_plugins/nlu/safety_guard.py) and by the
actions (whether an emergency is about gas). Pure Python: no Rasa import.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

DEFAULT_PHRASES = Path(__file__).with_name("phrases.yml")
# A typed apostrophe may be straight, curly or missing ("don't", "don’t", "dont").
_APOSTROPHE = "['\u2019]?"


@dataclass(frozen=True)
class SafetyPhrases:
    """Routes in priority order, each an intent and one compiled pattern."""

    routes: tuple[tuple[str, re.Pattern[str]], ...]
    gas: re.Pattern[str]

    def intent_for(self, text: str | None) -> str | None:
        """The intent of the first route with a phrase in `text`, or None."""
        if not text:
            return None
        for intent, pattern in self.routes:
            if pattern.search(text):
                return intent
        return None

    def mentions_gas(self, text: str | None) -> bool:
        """True when `text` is about gas or fumes (the gas emergency line applies)."""
        return bool(text) and self.gas.search(text or "") is not None

    def intents(self) -> list[str]:
        """Every intent with phrases, in priority order, without repeats."""
        return list(dict.fromkeys(intent for intent, _ in self.routes))


def compile_phrases(phrases: Iterable[str] | None, where: str) -> re.Pattern[str]:
    """One case-insensitive pattern matching any phrase on word boundaries."""
    listed = [str(p).replace("'", _APOSTROPHE) for p in phrases or []]
    if not listed:
        raise ValueError(f"{where}: no phrases listed")
    try:
        return re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in listed) + r")\b", re.IGNORECASE)
    except re.error as error:
        raise ValueError(f"{where}: a phrase is not a valid regular expression: {error}") from error


def load_phrases(path: Path = DEFAULT_PHRASES) -> SafetyPhrases:
    """Read and compile a phrases file; a clear ValueError when it is malformed."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    routes = raw.get("routes")
    if not isinstance(routes, list) or not routes:
        raise ValueError(f"{path}: no routes listed")
    compiled = []
    for number, route in enumerate(routes, start=1):
        if not isinstance(route, dict) or not isinstance(route.get("intent"), str):
            raise ValueError(f"{path}: route {number} needs an intent and phrases")
        where = f"{path}: route {route['intent']}"
        compiled.append((route["intent"], compile_phrases(route.get("phrases"), where)))
    return SafetyPhrases(tuple(compiled), compile_phrases(raw.get("gas"), f"{path}: gas"))


@functools.cache
def default_phrases() -> SafetyPhrases:
    """The project's phrases, read once per process."""
    return load_phrases()
