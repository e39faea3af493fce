"""Which council an action call belongs to (router and action servers agree)."""

from __future__ import annotations

from typing import Any

from assistant.councils import CouncilRegistry
from assistant.routing.tenancy import belongs_to, council_of, unavailable_reply

REGISTRY = CouncilRegistry.load()


def call(slot: Any = None, metadata: Any = None) -> dict[str, Any]:
    events = [{"event": "user", "metadata": {"council": metadata}}] if metadata else []
    return {"tracker": {"slots": {"council": slot}, "events": events}}


def test_the_slot_wins_over_metadata() -> None:
    council, claimed = council_of(call("brackenbury", "millbrook"), REGISTRY)
    assert council is not None and council.id == "brackenbury" and claimed == "brackenbury"


def test_metadata_is_used_only_when_it_names_a_configured_council() -> None:
    assert council_of(call(None, "millbrook"), REGISTRY)[0].id == "millbrook"  # type: ignore[union-attr]
    assert council_of(call(None, "atlantis"), REGISTRY) == (None, None)


def test_a_forged_slot_belongs_to_no_council() -> None:
    assert council_of(call("atlantis"), REGISTRY) == (None, "atlantis")
    assert not belongs_to(call("atlantis"), "brackenbury", REGISTRY)
    assert not belongs_to(call("atlantis"), None, REGISTRY)


def test_each_server_takes_only_its_own_conversations() -> None:
    assert belongs_to(call("brackenbury"), "brackenbury", REGISTRY)
    assert not belongs_to(call("millbrook"), "brackenbury", REGISTRY)
    assert not belongs_to(call(None, "millbrook"), "brackenbury", REGISTRY)
    assert belongs_to(call(None, "millbrook"), "millbrook", REGISTRY)
    # The council-free server takes only conversations with no council.
    assert belongs_to(call(), None, REGISTRY)
    assert not belongs_to(call("millbrook"), None, REGISTRY)


def test_garbage_calls_belong_to_no_council() -> None:
    for garbage in (None, [], "x", {"tracker": []}, {"tracker": {"slots": "x", "events": {}}}):
        assert council_of(garbage, REGISTRY) == (None, None)


def test_unavailable_reply_carries_contact_details() -> None:
    reply = unavailable_reply(REGISTRY.get("millbrook"))
    assert reply["events"] == []
    assert reply["responses"][0]["council_phone"] == "01632 960 500"
