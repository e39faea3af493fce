"""Tenant isolation: a council's action server only ever serves its own conversations.

Action calls are sent straight to the running action servers and the router, with
the council slot forged or switched, to show that one council's conversation can
never reach another council's back-office.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
import requests

from assistant.councils import default_registry
from assistant.routing.credentials import ROUTER_TOKEN_ENV, ROUTER_TOKEN_HEADER, action_secret_env
from assistant.routing.signing import SIGNATURE_HEADER, sign
from assistant.settings import Settings
from devtools.supervisor.services import action_credentials

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
                # With a postcode: Wealdshire's server requires easting/northing.
                "report_location": "outside 1 High Street, MQ1 1AA",
                "report_description": "a deep pothole",
                "confirmation": "yes",
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


def signed_post(settings: Settings, council: str, call: dict[str, Any]) -> dict[str, Any]:
    """A call to `council`'s action server, signed as the router signs it."""
    body = json.dumps(call).encode()
    secret = action_credentials()[action_secret_env(default_registry().get(council))]
    headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(secret, body)}
    answer = requests.post(council_url(settings, council), data=body, headers=headers, timeout=15)
    return answer.json()


def router_post(settings: Settings, call: dict[str, Any]) -> requests.Response:
    """A call to the router, with the token Rasa sends."""
    token = action_credentials()[ROUTER_TOKEN_ENV]
    url = f"{settings.actions_url}/webhook"
    return requests.post(url, json=call, headers={ROUTER_TOKEN_HEADER: token}, timeout=15)


def test_forged_council_is_refused_by_the_other_councils_action_server(
    running_stack: object, stack_settings: Settings
) -> None:
    answer = signed_post(stack_settings, "brackenbury", pothole_call("millbrook"))
    assert answer["events"] == [] and report_made(answer) is None
    assert answer["responses"][0]["response"] == "utter_service_unavailable"


def test_metadata_for_another_council_is_refused_too(
    running_stack: object, stack_settings: Settings
) -> None:
    answer = signed_post(stack_settings, "millbrook", pothole_call(None, "brackenbury"))
    assert report_made(answer) is None


def test_each_council_server_reaches_only_its_own_back_office(
    running_stack: object, stack_settings: Settings
) -> None:
    own = signed_post(stack_settings, "brackenbury", pothole_call("brackenbury"))
    assert (report_made(own) or "").startswith("BKR")


def test_the_county_serves_only_its_districts_county_services(
    running_stack: object, stack_settings: Settings
) -> None:
    # The district's own server refuses the county's work, and the county's server
    # refuses a unitary council's conversation: a slot cannot buy another back-office.
    assert report_made(signed_post(stack_settings, "millbrook", pothole_call("millbrook"))) is None
    refused = signed_post(stack_settings, "wealdshire", pothole_call("brackenbury"))
    assert report_made(refused) is None
    served = signed_post(stack_settings, "wealdshire", pothole_call("millbrook"))
    assert (report_made(served) or "").startswith("WCR")


def test_the_router_sends_each_conversation_to_its_councils_server(
    running_stack: object, stack_settings: Settings
) -> None:
    # Millbrook is a district: its potholes go to its county's server (Wealdshire, WCR).
    for council, prefix in (("millbrook", "WCR"), ("brackenbury", "BKR")):
        answer = router_post(stack_settings, pothole_call(council)).json()
        assert (report_made(answer) or "").startswith(prefix), answer
    unknown = router_post(stack_settings, pothole_call("atlantis"))
    assert unknown.status_code == 200 and report_made(unknown.json()) is None
