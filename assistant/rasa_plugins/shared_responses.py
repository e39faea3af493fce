"""The shared default responses of domain.yml, loaded once, for when nothing else answers.

At `rasa run` Rasa gives a custom NLG client no domain, so the fallback for an
unreachable NLG server reads the project's domain.yml here (`ASSISTANT_DOMAIN_PATH`
names another). `apology` is what a resident gets instead of an empty reply, in the
conversation's language as `fallback_answers` chooses it.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rasa.core.nlg.interpolator import interpolate_text
from rasa.shared.core.domain import Domain

from assistant.councils import Council
from assistant.rasa_plugins.fallback_answers import fallback_language, responses_in
from assistant.settings import Settings

APOLOGY_RESPONSE = "utter_service_unavailable"
APOLOGY_NO_COUNCIL_RESPONSE = "utter_service_unavailable_no_council"
# Rasa's commands that start a new session or restart: rightly answered with nothing.
SILENT_COMMANDS = frozenset({"/session_start", "/restart"})


def domain_path() -> Path:
    """Where the shared domain is: $ASSISTANT_DOMAIN_PATH, else the project's domain.yml."""
    return Settings.from_env().domain_path


@functools.cache
def shared_responses() -> dict[str, list[dict[str, Any]]]:
    """Every response of the shared domain (read once per process)."""
    return dict(Domain.load(str(domain_path())).responses)


def apology(council: Council | None, slots: Mapping[str, Any] | None = None) -> str:
    """Sorry, with the council's contact details when the council is known, in the
    conversation's language (the `language` slot in `slots`, else the council's first)."""
    name = APOLOGY_RESPONSE if council is not None else APOLOGY_NO_COUNCIL_RESPONSE
    language = fallback_language(council, slots or {})
    variations = (responses_in(language) or {}).get(name) or shared_responses()[name]
    plain = [variation for variation in variations if not variation.get("channel")]
    template = str((plain or variations)[0].get("text", ""))
    values = council.template_vars_in(language) if council is not None else {}
    return str(interpolate_text(template, values)).strip()


async def slots_of(agent: Any, sender: str) -> dict[str, Any]:
    """The conversation's slots as its tracker store holds them (empty when none)."""
    store = getattr(agent, "tracker_store", None)
    tracker = await store.retrieve(sender) if store is not None else None
    return dict(tracker.current_slot_values()) if tracker is not None else {}


def is_silent_command(message: str) -> bool:
    """True for a message that rightly gets no answer (so no apology either)."""
    return message.strip() in SILENT_COMMANDS
