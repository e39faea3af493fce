"""The answers Rasa gives itself while the NLG server is down, in the conversation's language.

English comes from domain.yml (assistant/rasa_plugins/shared_responses.py); another
language from its shipped defaults (assistant/answers/languages/<code>.yml, the
same format as domain.yml's responses), chosen as the NLG server chooses: the
`language` slot when the council answers in it, else the council's first language.
Placeholders are filled with the council's details in that language and, for Welsh,
the action's values in Welsh forms (dates, glossary), as the NLG server does; the
answers settings' `every_language` answers (the greeting) come in each of a bilingual
council's languages, the conversation's first, joined as the NLG server joins them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

import yaml
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.answers.language import answer_languages, conversation_language, settings
from assistant.answers.sms import is_sms_channel
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
def responses_in(language: str) -> dict[str, list[dict[str, Any]]] | None:
    """`language`'s shipped answers, in domain.yml's format (None for the default)."""
    path = settings().answers_file(language)
    if path is None or not path.exists():
        return None
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return dict(raw.get("responses") or {})


@functools.cache
def generator_in(language: str) -> TemplatedNaturalLanguageGenerator | None:
    """Rasa's template generator over `language`'s shipped answers (None for the default)."""
    responses = responses_in(language)
    return TemplatedNaturalLanguageGenerator(responses) if responses is not None else None


async def answer(
    response: str,
    tracker: DialogueStateTracker,
    output_channel: str,
    arguments: Mapping[str, Any],
    english: TemplatedNaturalLanguageGenerator,
    council: Council | None,
) -> dict[str, Any] | None:
    """`response` from the shipped answers in each language it is given in (English
    from `english` and for an answer a language lacks): texts joined, the first's
    buttons and the rest."""
    slots = tracker.current_slot_values()
    languages = answer_languages(council, slots, response, is_sms_channel(output_channel))
    parts = []
    for code in languages:
        values = values_in(code, council, arguments)
        generator = generator_in(code) or english
        found = await generator.generate(response, tracker, output_channel, **values)
        if found is None and generator is not english:  # not in that language: English
            found = await english.generate(response, tracker, output_channel, **values)
        if found is not None:
            parts.append(found)
    if not parts:
        return None
    texts = [str(part["text"]) for part in parts if part.get("text")]
    return {**parts[0], "text": settings().separator.join(texts)} if texts else parts[0]


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
