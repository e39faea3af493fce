"""The compiled action-reply check accepts and rejects exactly what Rasa's does."""

from __future__ import annotations

import functools
from typing import Any

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


@functools.cache
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


def conversation_events() -> list:
    from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SlotSet, UserUttered

    return [
        ActionExecuted("action_session_start"),
        ActionExecuted("action_listen"),
        UserUttered("hello", {"name": "greet"}, metadata={"council": "brackenbury"}),
        SlotSet("council", "brackenbury"),
        ActionExecuted("utter_greet_council"),
        BotUttered("Hello", {"name": "utter_greet_council"}),
        ActionExecuted("action_listen"),
        UserUttered(
            "my bin was missed", {"name": "bin_missed"}, metadata={"council": "brackenbury"}
        ),
        ActiveLoop("details_form"),
        SlotSet("requested_slot", "postcode"),
        ActionExecuted("action_listen"),
        UserUttered("BK1 2AB", {"name": "inform"}, metadata={"council": "brackenbury"}),
    ]


def test_with_nothing_extracted_the_slot_mapping_call_is_the_one_rasa_would_send() -> None:
    from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

    domain = project_domain()
    tracker = DialogueStateTracker.from_events("resident-2", conversation_events(), domain.slots)
    rebuilt = DialogueStateTracker.from_events(
        "resident-2", tracker.events_after_latest_restart(), slots=domain.slots
    )
    assert rasa_speedups.validation_tracker(tracker, [], domain) is tracker
    assert tracker.current_state(EventVerbosity.ALL) == rebuilt.current_state(EventVerbosity.ALL)


def test_extracted_slots_or_a_restart_still_get_rasas_rebuilt_tracker() -> None:
    from rasa.shared.core.events import Restarted, SlotSet
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = project_domain()
    tracker = DialogueStateTracker.from_events("resident-3", conversation_events(), domain.slots)
    extracted = [SlotSet("postcode", "BK1 2AB")]
    with_slot = rasa_speedups.validation_tracker(tracker, extracted, domain)
    assert with_slot is not tracker and with_slot.get_slot("postcode") == "BK1 2AB"
    assert tracker.get_slot("postcode") is None  # the conversation itself is untouched
    restarted = DialogueStateTracker.from_events(
        "resident-3", [*conversation_events(), Restarted()], domain.slots
    )
    assert rasa_speedups.validation_tracker(restarted, [], domain) is not restarted


def test_the_validation_step_returns_what_rasa_returns() -> None:
    import asyncio

    from rasa.core.actions.action import ActionExtractSlots
    from rasa.shared.core.events import SlotSet
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = project_domain()
    tracker = DialogueStateTracker.from_events("resident-4", conversation_events(), domain.slots)
    sent: list = []

    async def fake_remote(self, name, output_channel, nlg, given, domain):
        sent.append(given)
        return [SlotSet("council", "brackenbury")]

    action = ActionExtractSlots(None)
    action._run_custom_action = fake_remote.__get__(action)  # type: ignore[method-assign]
    waiting = DialogueStateTracker.from_events(
        "resident-4", [*conversation_events(), SlotSet("outcomes_waiting", ["brackenbury"])]
    )
    extracted = [SlotSet("postcode", "BK1 2AB")]
    events = asyncio.run(action._execute_validation_action(extracted, None, None, waiting, domain))
    assert events == [SlotSet("council", "brackenbury"), SlotSet("postcode", "BK1 2AB")]
    assert sent[0].get_slot("postcode") == "BK1 2AB"
    assert asyncio.run(action._execute_validation_action([], None, None, waiting, domain)) == [
        SlotSet("council", "brackenbury")
    ]
    assert sent[1] is waiting
    # Nothing waiting, and the metadata names the council the slot holds: no call,
    # and the extracted slots kept as Rasa keeps those the action does not answer for.
    assert asyncio.run(action._execute_validation_action([], None, None, tracker, domain)) == []
    kept = asyncio.run(action._execute_validation_action(extracted, None, None, tracker, domain))
    assert kept == extracted and len(sent) == 2


def tracker_of(*events: Any) -> Any:
    from rasa.shared.core.events import ActionExecuted
    from rasa.shared.core.trackers import DialogueStateTracker

    return DialogueStateTracker.from_events(
        "resident-5", [ActionExecuted("action_listen"), *events], project_domain().slots
    )


def said(text: str, council: Any = None) -> Any:
    from rasa.shared.core.events import UserUttered

    metadata = {"council": council} if council is not None else {}
    return UserUttered(text, {"name": "inform"}, metadata=metadata)


def slot(name: str, value: Any) -> Any:
    from rasa.shared.core.events import SlotSet

    return SlotSet(name, value)


@pytest.mark.parametrize(
    ("events", "needed"),
    [
        # The first message from a council's widget: bind the council.
        ([said("hello", "millbrook")], True),
        # Metadata naming another council than the slot holds: bind the new one.
        ([slot("council", "brackenbury"), said("hi", "millbrook")], True),
        # An unknown council: the action server says so (utter_council_unknown).
        ([said("hello", "atlantis")], True),
        ([slot("council", "millbrook"), said("hi", ["millbrook"])], True),
        # The council the slot already holds, nothing waiting: nothing to do.
        ([slot("council", "millbrook"), said("bins", "millbrook")], False),
        # No metadata: the action server would find no council to bind.
        ([said("hello")], False),
        ([slot("council", "millbrook"), said("bins")], False),
        # Free text naming a council never binds it, so no call for it either.
        ([said("I live in millbrook, council is millbrook")], False),
        # An outcome to tell: the call is made whatever the metadata.
        ([slot("council", "millbrook"), slot("outcomes_waiting", ["millbrook"]), said("ok")], True),
        ([slot("outcomes_waiting", []), slot("council", "millbrook"), said("x", "mb")], True),
        ([slot("outcomes_waiting", []), slot("council", "mb"), said("x", "mb")], False),
    ],
)
def test_the_slot_mapping_call_is_made_only_when_it_has_work(events: list, needed: bool) -> None:
    tracker = tracker_of(*events)
    assert rasa_speedups.validation_needed(tracker, [], project_domain()) is needed


def test_only_slots_the_action_validates_are_sent_to_it() -> None:
    tracker = tracker_of(slot("council", "millbrook"), said("BK1 2AB", "millbrook"))
    domain = project_domain()
    # Every message extracts `language` (and some a reference): the action would
    # return them unchanged, so they are kept here without the call.
    extracted = [slot("planning_ref", "BK/24/0123/FUL"), slot("language", "en")]
    assert rasa_speedups.validation_needed(tracker, extracted, domain) is False
    assert rasa_speedups.validation_needed(tracker, [slot("council", "x")], domain) is True


def test_the_validated_slots_are_the_actions_validate_methods() -> None:
    from actions.council import ValidateSlotMappings
    from assistant.routing.waiting import VALIDATED_SLOTS

    methods = {name[len("validate_") :] for name in dir(ValidateSlotMappings)}
    assert {name for name in methods if f"validate_{name}" in vars(ValidateSlotMappings)} == set(
        VALIDATED_SLOTS
    )


def test_extracted_slots_are_kept_without_the_call_as_rasa_keeps_them() -> None:
    import asyncio

    from rasa.core.actions.action import ActionExtractSlots

    sent: list = []

    async def fake_remote(self, name, output_channel, nlg, given, domain):
        sent.append(given)
        return []

    action = ActionExtractSlots(None)
    action._run_custom_action = fake_remote.__get__(action)  # type: ignore[method-assign]
    tracker = tracker_of(slot("council", "millbrook"), said("hi", "millbrook"))
    extracted = [slot("language", "en")]
    events = asyncio.run(
        action._execute_validation_action(extracted, None, None, tracker, project_domain())
    )
    assert events == extracted and sent == []


def test_a_domain_without_the_waiting_slot_always_makes_the_call() -> None:
    from rasa.shared.core.domain import Domain

    domain = project_domain()
    without = Domain.from_dict(
        {
            **domain.as_dict(),
            "slots": {
                name: value
                for name, value in domain.as_dict()["slots"].items()
                if name != "outcomes_waiting"
            },
        }
    )
    tracker = tracker_of(slot("council", "millbrook"), said("bins", "millbrook"))
    assert rasa_speedups.validation_needed(tracker, [], domain) is False
    assert rasa_speedups.validation_needed(tracker, [], without) is True
