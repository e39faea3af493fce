"""Two-tier areas: a call goes to the council providing its service for the
conversation's council, and tenant isolation still holds."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.councils import CouncilRegistry
from assistant.councils.services import service_of, vocabulary
from assistant.routing.tenancy import belongs_to, council_of

REGISTRY = CouncilRegistry.load()


def call(action: str, slot: Any = None, metadata: Any = None, pending: Any = None) -> dict:
    events = [{"event": "user", "metadata": {"council": metadata}}] if metadata else []
    slots = {"council": slot, "pending_action": pending}
    return {"next_action": action, "tracker": {"slots": slots, "events": events}}


def handler(action_call: dict) -> str | None:
    council = council_of(action_call, REGISTRY)[0]
    return council.id if council else None


def test_a_pothole_on_the_districts_widget_goes_to_the_county() -> None:
    assert handler(call("action_report_pothole", metadata="millbrook")) == "wealdshire"
    assert handler(call("action_report_pothole", slot="millbrook")) == "wealdshire"
    assert handler(call("action_bin_collection_day", metadata="millbrook")) == "millbrook"


def test_the_form_and_the_resume_follow_the_pending_action() -> None:
    for step in ("validate_details_form", "action_ask_confirmation", "action_resume_pending"):
        assert handler(call(step, "millbrook", pending="action_report_pothole")) == "wealdshire"
        assert handler(call(step, "millbrook", pending="action_bin_missed")) == "millbrook"
    # Other actions stay with the conversation's council whatever is pending.
    assert (
        handler(call("action_greet", "millbrook", pending="action_report_pothole")) == "millbrook"
    )


def test_a_unitary_council_keeps_everything() -> None:
    assert handler(call("action_report_pothole", "brackenbury")) == "brackenbury"


def test_a_service_the_county_lacks_stays_with_the_district_which_says_who() -> None:
    # A county's own conversation asking for bins stays on the county's server.
    assert handler(call("action_bin_collection_day", "wealdshire")) == "wealdshire"


@pytest.mark.parametrize(
    ("action", "server", "allowed"),
    [
        ("action_report_pothole", "wealdshire", True),
        ("action_report_pothole", "millbrook", False),
        ("action_bin_collection_day", "wealdshire", False),
        ("action_bin_collection_day", "millbrook", True),
    ],
)
def test_each_server_takes_only_the_calls_it_serves(
    action: str, server: str, allowed: bool
) -> None:
    assert belongs_to(call(action, "millbrook"), server, REGISTRY) is allowed


def test_another_councils_conversation_never_reaches_the_county() -> None:
    # Brackenbury is unitary: its pothole is its own, never Wealdshire's.
    assert not belongs_to(call("action_report_pothole", "brackenbury"), "wealdshire", REGISTRY)
    assert not belongs_to(call("action_report_pothole", "atlantis"), "wealdshire", REGISTRY)


def test_every_action_is_in_at_most_one_service() -> None:
    seen: dict[str, str] = {}
    for topic in vocabulary().values():
        for action in topic.actions:
            assert seen.setdefault(action, topic.id) == topic.id, action
            assert service_of(action) == topic.id
