"""Shared test helpers: rasa-sdk trackers and dispatchers without a server."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, TypeVar

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import verification
from assistant.attempts import Attempts, MemoryCounters

T = TypeVar("T")


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """End-to-end tests first, and all in one xdist group: `make test` runs them in one
    worker (they share one running stack) while the other workers take the unit tests
    (`pytest -n 2 --dist loadgroup`), a module at a time, in its order (some modules'
    tests build on a module-scoped server's state). Without xdist, only the order
    changes."""
    e2e, others = [], []
    for item in items:
        (e2e if item.get_closest_marker("e2e") is not None else others).append(item)
    for item in e2e:
        item.add_marker(pytest.mark.xdist_group("e2e"))
    for item in others:
        item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::", 1)[0]))
    items[:] = e2e + others


@pytest.fixture(autouse=True)
def identity_attempts(monkeypatch: pytest.MonkeyPatch) -> Attempts:
    """Failed identity checks counted in memory for each test (never in var/)."""
    attempts = Attempts(MemoryCounters(), verification.IDENTITY_POLICY)
    monkeypatch.setattr(verification, "identity_attempts", lambda: attempts)
    return attempts


def run(coroutine: Awaitable[T]) -> T:
    """Run an action's coroutine to completion."""
    return asyncio.run(coroutine)  # type: ignore[arg-type]


def make_tracker(
    slots: dict[str, Any] | None = None,
    text: str = "",
    intent: str = "greet",
    entities: list[dict[str, Any]] | None = None,
    metadata: dict[str, Any] | None = None,
    previous_intents: list[str] | None = None,
    active_loop: str | None = None,
) -> Tracker:
    """A tracker whose latest user message is `text` with the given NLU result."""
    events: list[dict[str, Any]] = [
        {"event": "user", "text": "earlier", "parse_data": {"intent": {"name": name}}}
        for name in previous_intents or []
    ]
    parse_data = {"intent": {"name": intent}, "entities": entities or [], "text": text}
    events.append({"event": "user", "text": text, "parse_data": parse_data, "metadata": metadata})
    return Tracker(
        sender_id="test",
        slots=dict(slots or {}),
        latest_message=parse_data,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


@pytest.fixture()
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()
