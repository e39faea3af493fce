"""The answers Rasa gives itself while the NLG server is down, in the conversation's language.

English comes from domain.yml (assistant/rasa_plugins/shared_responses.py); another
language from its shipped defaults (assistant/answers/languages/<code>.yml, the
same format as domain.yml's responses), chosen as the NLG server chooses: the
`language` slot when the council answers in it, else the council's first language.
Placeholders are filled with the council's details in that language and, for Welsh,
the action's values in Welsh forms (dates, glossary), as the NLG server does.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

import yaml
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator

from assistant.answers.language import conversation_language, settings
from assistant.answers.welsh import in_welsh
from assistant.councils import Council

# How values an action passed read in each other language (as on the NLG server).
LOCALISE: dict[str, Callable[[object], object]] = {"cy": in_welsh}


def fallback_language(council: Council | None, slots: Mapping[str, Any]) -> str:
    """The language of a fallback answer: the conversation's, else the council's first."""
    chosen = conversation_language(council, slots)
    if chosen is not None:
        return chosen
    return council.languages[0] if council is not None else settings().default


@functools.cache
def generator_in(language: str) -> TemplatedNaturalLanguageGenerator | None:
    """Rasa's template generator over `language`'s shipped answers (None for the default)."""
    path = settings().answers_file(language)
    if path is None or not path.exists():
        return None
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return TemplatedNaturalLanguageGenerator(dict(raw.get("responses") or {}))


def values_in(
    language: str, council: Council | None, arguments: Mapping[str, Any]
) -> dict[str, Any]:
    """Placeholder values: the council's details in `language`, then the action's values."""
    details = council.template_vars_in(language) if council is not None else {}
    english = council.template_vars() if council is not None else {}
    localise = LOCALISE.get(language)
    values: dict[str, Any] = dict(details)
    for key, value in arguments.items():
        if key in details and value == english.get(key):
            continue  # a council detail the action passed along: keep it in `language`
        values[key] = localise(value) if localise is not None and key not in details else value
    return values
