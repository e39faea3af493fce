"""Tenant isolation: a council's action server only ever serves its own conversations.

Action calls are sent straight to the running action servers and the router, with
the council slot forged or switched, to show that one council's conversation can
never reach another council's back-office.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import requests

from assistant.settings import Settings

pytestmark = pytest.mark.e2e


def pothole_call(council_slot: str | None, metadata_council: str | None = None) -> dict[str, Any]:
    """A rasa action call asking to make a pothole report, details already collected."""
    sender = f"iso-{uuid.uuid4().hex[:10]}"
    user_event = {"event": "user", "text": "pothole", "metadata": {}}
    if metadata_council:
        user_event["metadata"] = {"council": metadata_council}
    return {
        "next_action": "action_report_pothole",
        "sender_id": sender,
        "version": "3.6.2",
        "domain": {},
        "tracker": {
            "sender_id": sender,
            "slots": {
                "council": council_slot,
                "report_location": "outside 1 High Street",
                "report_description": "a deep pothole",
            },
            "latest_message": {"text": "pothole", "intent": {"name": "report_pothole"}},
            "events": [user_event],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        },
    }


def report_made(answer: dict[str, Any]) -> str | None:
    for event in answer.get("events", []):
        if event.get("event") == "slot" and event.get("name") == "last_report_ref":
            return event.get("value")
    return None


def council_url(settings: Settings, council: str) -> str:
    return f"http://{settings.host}:{settings.council_actions_ports[council]}/webhook"


def test_forged_council_is_refused_by_the_other_councils_action_server(
    running_stack: object, stack_settings: Settings
) -> None:
    answer = requests.post(
        council_url(stack_settings, "brackenbury"), json=pothole_call("millbrook"), timeout=15
    ).json()
    assert answer["events"] == [] and report_made(answer) is None
    assert answer["responses"][0]["response"] == "utter_service_unavailable"


def test_metadata_for_another_council_is_refused_too(
    running_stack: object, stack_settings: Settings
) -> None:
    answer = requests.post(
        council_url(stack_settings, "millbrook"), json=pothole_call(None, "brackenbury"), timeout=15
    ).json()
    assert report_made(answer) is None


def test_each_council_server_reaches_only_its_own_back_office(
    running_stack: object, stack_settings: Settings
) -> None:
    own = requests.post(
        council_url(stack_settings, "brackenbury"), json=pothole_call("brackenbury"), timeout=15
    ).json()
    assert (report_made(own) or "").startswith("BKR")


def test_the_router_sends_each_conversation_to_its_councils_server(
    running_stack: object, stack_settings: Settings
) -> None:
    router = f"{stack_settings.actions_url}/webhook"
    for council, prefix in (("millbrook", "MQR"), ("brackenbury", "BKR")):
        answer = requests.post(router, json=pothole_call(council), timeout=15).json()
        assert (report_made(answer) or "").startswith(prefix), answer
    unknown = requests.post(router, json=pothole_call("atlantis"), timeout=15)
    assert unknown.status_code == 200 and report_made(unknown.json()) is None
