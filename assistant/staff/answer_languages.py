"""The staff site's answers in each language: Welsh edited beside English (issue 13)."""

from __future__ import annotations

from assistant.answers.defaults import Answer
from assistant.answers.language import split_scope
from assistant.answers.store import SHARED_SCOPE
from assistant.staff.site import StaffSite


def default_in_scope(site: StaffSite, scope: str, response: str) -> Answer | None:
    """What a scope's answer is without its own override: the shared default (with
    shared edits, for a council) in the scope's language."""
    base, language = split_scope(scope)
    if base == SHARED_SCOPE:
        return site.book.default(response, language) or site.book.default(response)
    return site.book.resolve(response, None, language)


def beside(site: StaffSite, scope: str, response: str) -> list[tuple[str, str, str, str]]:
    """The answer as residents get it in the scope's other languages: (language,
    its name, the slug of that scope, text), to show beside the one being edited."""
    base, language = split_scope(scope)
    council_id = None if base == SHARED_SCOPE else base
    found = []
    for code, name, slug, current in site.scope_languages(scope):
        answer = None if current else site.book.resolve(response, council_id, code)
        if answer is not None:
            found.append((code, name, slug, answer.text))
    return found
