"""Which language an answer is given in (issue 13).

The conversation's language is the tracker slot `language` ("cy" or "en", set by the
NLU pipeline only when it is confident, and by "Cymraeg" / "English"). An answer is in
that language when the council answers in it, else in the council's first language
(`languages` in council.yml), else in the default language. At a council with more
than one language, the answers named in languages/settings.yml (the greetings) are
given in every language, the conversation's first: the active offer (by SMS, where
length costs, only until the resident's language is known).

Overrides in a language other than the default are stored under their own scope,
`<scope>@<language>` (`brackenbury@cy`, `_shared@cy`), beside the English ones.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assistant.councils import Council

LANGUAGES_DIR = Path(__file__).with_name("languages")
LANGUAGE_SLOT = "language"
SCOPE_LANGUAGE_MARK = "@"


@dataclass(frozen=True)
class LanguageSettings:
    """languages/settings.yml."""

    default: str
    languages: tuple[str, ...]
    every_language: frozenset[str]
    separator: str

    def answers_file(self, language: str) -> Path | None:
        """The file of a language's default answers (None for the default language)."""
        return None if language == self.default else LANGUAGES_DIR / f"{language}.yml"


@functools.lru_cache(maxsize=1)
def settings() -> LanguageSettings:
    """The shipped language settings."""
    raw = yaml.safe_load((LANGUAGES_DIR / "settings.yml").read_text(encoding="utf-8"))
    return LanguageSettings(
        default=str(raw["default"]),
        languages=tuple(str(code) for code in raw["languages"]),
        every_language=frozenset(str(name) for name in raw.get("every_language") or ()),
        separator=str(raw.get("separator", "\n\n")),
    )


def council_languages(council: Council | None) -> tuple[str, ...]:
    """The languages a council answers in (with no council: every language)."""
    return council.languages if council is not None else settings().languages


def conversation_language(council: Council | None, slots: Mapping[str, Any]) -> str | None:
    """The slot's language when the council answers in it, else None."""
    chosen = slots.get(LANGUAGE_SLOT)
    if isinstance(chosen, str) and chosen.lower() in council_languages(council):
        return chosen.lower()
    return None


def answer_languages(
    council: Council | None, slots: Mapping[str, Any], response: str, sms: bool = False
) -> list[str]:
    """The languages to give `response` in, first the one it leads with."""
    chosen = conversation_language(council, slots)
    if council is None:
        return [chosen or settings().default]
    first = chosen or council.languages[0]
    if response in settings().every_language and not (sms and chosen):
        return [first, *(code for code in council.languages if code != first)]
    return [first]


def language_scope(scope: str, language: str) -> str:
    """Where overrides of `scope` in `language` are stored."""
    if language == settings().default:
        return scope
    return f"{scope}{SCOPE_LANGUAGE_MARK}{language}"


def split_scope(stored: str) -> tuple[str, str]:
    """(scope, language) of a stored scope."""
    scope, mark, language = stored.partition(SCOPE_LANGUAGE_MARK)
    return (scope, language) if mark else (stored, settings().default)
