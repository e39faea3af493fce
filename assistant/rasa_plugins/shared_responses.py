"""The shared default responses of domain.yml, loaded once, for when nothing else answers.

At `rasa run` Rasa gives a custom NLG client no domain, so the fallback for an
unreachable NLG server reads the project's domain.yml here (`ASSISTANT_DOMAIN_PATH`
names another). `apology` is what a resident gets instead of an empty reply.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from rasa.core.nlg.interpolator import interpolate_text
from rasa.shared.core.domain import Domain

from assistant.councils import Council
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


def apology(council: Council | None) -> str:
    """Sorry, with the council's contact details when the council is known."""
    name = APOLOGY_RESPONSE if council is not None else APOLOGY_NO_COUNCIL_RESPONSE
    template = str(shared_responses()[name][0].get("text", ""))
    values = council.template_vars() if council is not None else {}
    return str(interpolate_text(template, values)).strip()


def is_silent_command(message: str) -> bool:
    """True for a message that rightly gets no answer (so no apology either)."""
    return message.strip() in SILENT_COMMANDS
