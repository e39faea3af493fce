"""A verified identity holds for one session and a few minutes, never longer."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.session import ActionSessionStart
from actions.verification import expiry_minutes, verified_reference, verified_slots
from assistant.councils import default_registry
from tests.conftest import make_tracker, run

NOW = 1_800_000_000.0


def millbrook() -> Any:
    council = default_registry().get("millbrook")
    assert council is not None
    return council


def verified_tracker(verified_at: float, session_started: float | None = None) -> Tracker:
    tracker = make_tracker(
        slots={"council": "millbrook", **verified_slots(millbrook(), "412345678", verified_at)}
    )
    if session_started is not None:
        tracker.events.insert(0, {"event": "session_started", "timestamp": session_started})
    return tracker


def test_a_fresh_verification_in_this_session_holds() -> None:
    tracker = verified_tracker(NOW - 60, session_started=NOW - 120)
    assert verified_reference(tracker, millbrook(), now=NOW) == "412345678"


def test_a_verification_expires_after_the_default_fifteen_minutes() -> None:
    assert expiry_minutes(millbrook()) == 15
    assert verified_reference(verified_tracker(NOW - 14 * 60), millbrook(), now=NOW)
    assert verified_reference(verified_tracker(NOW - 16 * 60), millbrook(), now=NOW) is None


def test_a_verification_from_an_earlier_session_does_not_hold() -> None:
    tracker = verified_tracker(NOW - 60, session_started=NOW - 30)
    assert verified_reference(tracker, millbrook(), now=NOW) is None


def test_a_verification_without_its_time_does_not_hold() -> None:
    # What a tracker from before this change (or a hand-made one) looks like.
    tracker = make_tracker(
        slots={"council": "millbrook", "verified_account": "millbrook:412345678"}
    )
    assert verified_reference(tracker, millbrook(), now=NOW) is None


def test_the_expiry_is_a_council_setting() -> None:
    from dataclasses import replace

    from assistant.councils.schema import Verification

    strict = replace(millbrook(), verification=Verification(expires_minutes=2))
    assert expiry_minutes(strict) == 2
    assert verified_reference(verified_tracker(NOW - 3 * 60), strict, now=NOW) is None
    assert verified_reference(verified_tracker(NOW - 60), strict, now=NOW) == "412345678"


def test_a_new_session_keeps_the_council_but_not_the_verification() -> None:
    slots = {
        "council": "millbrook",
        "postcode": "MQ3 7ZD",
        "verification_attempts": 2.0,
        **verified_slots(millbrook(), "412345678", NOW),
    }
    tracker = make_tracker(slots=slots)
    domain = {"session_config": {"carry_over_slots_to_new_session": True}}
    events = run(ActionSessionStart().run(CollectingDispatcher(), tracker, domain))
    assert events[0] == SessionStarted() and events[-1] == ActionExecuted("action_listen")
    assert SlotSet("council", "millbrook") in events
    assert SlotSet("verification_attempts", 2.0) in events  # the lock-out outlives a session
    carried = {event["name"] for event in events if event["event"] == "slot"}
    assert carried == {"council", "postcode", "verification_attempts"}


def test_a_new_session_carries_nothing_when_the_domain_says_so() -> None:
    tracker = make_tracker(slots={"council": "millbrook"})
    domain = {"session_config": {"carry_over_slots_to_new_session": False}}
    events = run(ActionSessionStart().run(CollectingDispatcher(), tracker, domain))
    assert [event["event"] for event in events] == ["session_started", "action"]
