"""The compiled action-reply check accepts and rejects exactly what Rasa's does."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError, validate
from rasa.core.actions.action import RemoteAction

from assistant.rasa_plugins import speedups as rasa_speedups

GOOD = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "council", "value": "millbrook"}], "responses": []},
    {"events": [], "responses": [{"response": "utter_greet", "council_name": "X"}]},
]
BAD = [
    {"events": "not a list"},
    {"events": [{"no_event_key": 1}]},
    {"responses": [{"text": 5}], "events": [5]},
]


@pytest.fixture(autouse=True)
def installed() -> None:
    rasa_speedups.install()


def remote_action() -> RemoteAction:
    return RemoteAction("action_test", None)


@pytest.mark.parametrize("result", GOOD)
def test_valid_replies_pass_as_with_rasa(result: dict) -> None:
    validate(result, RemoteAction.action_response_format_spec())  # Rasa's own check
    assert remote_action()._validate_action_result(result) is True


@pytest.mark.parametrize("result", BAD)
def test_invalid_replies_fail_as_with_rasa(result: dict) -> None:
    with pytest.raises(ValidationError):
        validate(result, RemoteAction.action_response_format_spec())
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        remote_action()._validate_action_result(result)


def test_install_is_idempotent_and_uses_the_compiled_validator() -> None:
    rasa_speedups.install()
    assert RemoteAction._validate_action_result is rasa_speedups.validate_action_result
    assert rasa_speedups.action_result_validator() is rasa_speedups.action_result_validator()


def project_domain():
    from rasa.shared.core.domain import Domain

    from assistant.settings import PROJECT_ROOT

    return Domain.load(PROJECT_ROOT / "domain.yml")


def tracker_with_council_metadata():
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    return DialogueStateTracker.from_events(
        "resident-1",
        [
            ActionExecuted("action_listen"),
            UserUttered("hello", {"name": "greet"}, metadata={"council": "millbrook"}),
        ],
    )


def test_action_calls_carry_the_domain_without_its_responses() -> None:
    domain = project_domain()
    call = RemoteAction("action_validate_slot_mappings", None)._action_call_format(
        tracker_with_council_metadata(), domain
    )
    full = domain.as_dict()
    assert "responses" in full and "responses" not in call["domain"]
    assert call["domain"] == {k: v for k, v in full.items() if k != "responses"}
    assert call["tracker"]["events"][-1]["metadata"] == {"council": "millbrook"}
    assert call["next_action"] == "action_validate_slot_mappings"
    assert call["sender_id"] == "resident-1"
    # Built once per loaded domain.
    again = RemoteAction("action_greet", None)._action_call_format(
        tracker_with_council_metadata(), domain
    )
    assert again["domain"] is call["domain"]


def test_selective_domain_is_still_respected() -> None:
    from rasa.utils.endpoints import EndpointConfig

    endpoint = EndpointConfig("http://actions.example/webhook", enable_selective_domain=True)
    call = RemoteAction("action_greet", endpoint)._action_call_format(
        tracker_with_council_metadata(), project_domain()
    )
    assert "domain" not in call


def test_the_slot_mapping_action_still_binds_the_council_with_the_lean_domain() -> None:
    import asyncio

    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.council import ValidateSlotMappings

    domain = project_domain()
    call = RemoteAction("action_validate_slot_mappings", None)._action_call_format(
        tracker_with_council_metadata(), domain
    )
    events = asyncio.run(
        ValidateSlotMappings().run(
            CollectingDispatcher(), Tracker.from_dict(call["tracker"]), call["domain"]
        )
    )
    assert {"event": "slot", "name": "council", "value": "millbrook"} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]
