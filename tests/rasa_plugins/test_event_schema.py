"""Action server replies pass and fail Rasa's schema check as under jsonschema's own
`oneOf`, with the same errors, and a valid event is checked against its kind alone."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActiveLoop,
    AllSlotsReset,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    Event,
    FollowupAction,
    ReminderCancelled,
    ReminderScheduled,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)

from assistant.rasa_plugins import event_schema, speedups

SPEC = RemoteAction.action_response_format_spec()

VALID_EVENTS: list[Event] = [
    UserUttered(
        "bin day for SW1A 1AA",
        {"name": "bin_collection_day", "confidence": 0.93},
        [{"entity": "postcode", "value": "SW1A 1AA", "start": 12, "end": 20}],
    ),
    ActionExecuted("action_bin_collection_day", policy="RulePolicy", confidence=1.0),
    SlotSet("council", "millbrook"),
    SlotSet("postcode", None),
    BotUttered("Your bins are collected on Tuesdays.", {"elements": None}),
    ActiveLoop("details_form"),
    ActiveLoop(None),
    FollowupAction("action_listen"),
    ActionExecutionRejected("details_form"),
    AllSlotsReset(),
    Restarted(),
    SessionStarted(),
    ConversationPaused(),
    ConversationResumed(),
    ReminderScheduled("remind", trigger_date_time=__import__("datetime").datetime(2026, 12, 1)),
    ReminderCancelled(name="remind"),
]

INVALID_REPLIES: list[Any] = [
    {"events": [{"event": "nonsense"}]},  # no such kind
    {"events": [{"event": 3}]},  # a kind that is not a string
    {"events": [{"name": "council", "value": "x"}]},  # no kind at all
    {"events": [{"event": "slot", "value": "x"}]},  # its kind's required name missing
    {"events": [{"event": "user", "text": 5}]},  # a text that is not a string
    {"events": [{"event": "action", "confidence": "high"}]},
    {"events": [{"event": "user", "parse_data": {"intent": {"confidence": "x"}}}]},
    {"events": [SlotSet("council", "x").as_dict(), "not an event"]},
    {"events": [{"event": "slot", "name": "a", "value": 1, "timestamp": "now"}]},
    {"events": {"event": "slot"}},  # not a list
    {"responses": ["not an object"]},
    ["not a reply"],
]


def outcome(check: Any, reply: Any) -> tuple[Any, ...] | None:
    """What a check says of a reply: nothing, or its error in full."""
    try:
        check(reply)
    except ValidationError as error:
        return (
            error.message,
            list(error.absolute_path),
            list(error.absolute_schema_path),
            sorted(str(cause.message) for cause in error.context),
        )
    return None


def rasas_check(reply: Any) -> None:
    jsonschema.validate(reply, SPEC)  # what Rasa 3.6's _validate_action_result runs


def our_check(reply: Any) -> None:
    error = jsonschema.exceptions.best_match(
        event_schema.EventSchemaValidator(SPEC).iter_errors(reply)
    )
    if error is not None:
        raise error


def test_every_kind_of_event_passes_as_under_rasas_check() -> None:
    reply = {"events": [event.as_dict() for event in VALID_EVENTS], "responses": []}
    assert outcome(rasas_check, reply) is None
    assert outcome(our_check, reply) is None


@pytest.mark.parametrize("reply", INVALID_REPLIES)
def test_a_bad_reply_fails_with_rasas_error(reply: Any) -> None:
    theirs = outcome(rasas_check, reply)
    assert theirs is not None
    assert outcome(our_check, reply) == theirs


def test_a_valid_event_is_checked_against_its_own_kind_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    generic: list[Any] = []
    jsonschemas_one_of = event_schema._jsonschema_one_of

    def counted(*args: Any) -> Any:
        generic.append(args[2])
        return jsonschemas_one_of(*args)

    monkeypatch.setattr(event_schema, "_jsonschema_one_of", counted)
    valid = {"events": [SlotSet("council", "x").as_dict(), ActionExecuted("a").as_dict()]}
    assert outcome(our_check, valid) is None
    assert generic == []
    assert outcome(our_check, {"events": [{"event": "slot"}]}) is not None
    assert generic == [{"event": "slot"}]  # a failing event goes jsonschema's way


def test_an_alternative_that_names_no_kind_is_not_decided_directly() -> None:
    assert event_schema.named_kind({"properties": {"event": {"const": "slot"}}}) == "slot"
    assert event_schema.named_kind({"$ref": "#/x", "properties": {"event": {"const": "a"}}}) is None
    assert event_schema.named_kind({"properties": {"event": {"$ref": "#/x", "const": "a"}}}) is None
    assert event_schema.named_kind({"properties": {"event": {"const": 1}}}) is None
    assert event_schema.named_kind({"properties": {"text": {"type": "string"}}}) is None


def test_the_installed_check_raises_rasas_error_with_its_advice() -> None:
    reply = {"events": [{"event": "slot", "value": "x"}, {"event": 3}]}
    theirs = outcome(rasas_check, reply)
    with pytest.raises(ValidationError) as raised:
        speedups.validate_action_result(None, reply)  # type: ignore[arg-type]
    assert theirs is not None
    assert raised.value.message.startswith(theirs[0])
    assert "Failed to validate Action server response" in raised.value.message
    assert list(raised.value.absolute_path) == theirs[1]
