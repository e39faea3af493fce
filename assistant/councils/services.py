"""The service vocabulary (`services.yml`): which service each action needs.

Actions that run while a form collects details for another action (its questions,
its validation, the resume after it) belong to the service of that pending action.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

SERVICES_FILE = Path(__file__).with_name("services.yml")
# Run on behalf of the action in the `pending_action` slot.
CONTINUATIONS = frozenset(
    {
        "details_form",
        "validate_details_form",
        "action_resume_pending",
        "action_ask_address",
        "action_ask_confirmation",
    }
)
PENDING_SLOT = "pending_action"


@dataclass(frozen=True)
class ServiceTopic:
    """One service: the words replies use and the actions that need it."""

    id: str
    name: str
    actions: tuple[str, ...]
    links: tuple[str, ...] = ()


@functools.cache
def vocabulary() -> dict[str, ServiceTopic]:
    """Service id -> its topic, from services.yml."""
    raw: dict[str, Any] = yaml.safe_load(SERVICES_FILE.read_text(encoding="utf-8"))
    return {
        key: ServiceTopic(
            key, str(value["name"]), tuple(value["actions"]), tuple(value.get("links") or ())
        )
        for key, value in raw.items()
    }


def links_not_needed(provided: tuple[str, ...]) -> frozenset[str]:
    """The `links` only the services a council does not provide use."""
    topics = vocabulary().values()
    needed = {link for topic in topics if topic.id in provided for link in topic.links}
    return frozenset(link for topic in topics for link in topic.links if link not in needed)


def service_names() -> tuple[str, ...]:
    """Every service id, in the file's order."""
    return tuple(vocabulary())


@functools.cache
def _by_action() -> dict[str, str]:
    return {action: topic.id for topic in vocabulary().values() for action in topic.actions}


def service_of(action: object, pending: object = None) -> str | None:
    """The service `action` needs (a continuation: the pending action's), or None."""
    if action in CONTINUATIONS:
        action = pending
    return _by_action().get(action) if isinstance(action, str) else None


def service_of_call(call: Any) -> str | None:
    """The service a Rasa action call needs, from its next action and pending action."""
    if not isinstance(call, dict):
        return None
    tracker = call.get("tracker")
    slots = tracker.get("slots") if isinstance(tracker, dict) else None
    slots = slots if isinstance(slots, dict) else {}
    return service_of(call.get("next_action"), slots.get(PENDING_SLOT))
