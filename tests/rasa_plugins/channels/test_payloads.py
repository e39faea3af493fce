"""Issue 9, item 5: a payload typed by hand is plain text; only a button the assistant
just offered is sent as a payload."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.rasa_plugins.channels.payloads import as_typed, offered_payloads, typed_text

YES_NO = {"buttons": [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]}


def events(*bot_data: dict[str, Any], spoke_after: bool = False) -> list[dict[str, Any]]:
    said = [{"event": "user", "text": "hi"}]
    said += [{"event": "bot", "text": "?", "data": data} for data in bot_data]
    return said + ([{"event": "user", "text": "yes"}] if spoke_after else [])


def test_only_the_last_turns_buttons_are_offered() -> None:
    assert offered_payloads(events(YES_NO)) == {"/affirm", "/deny"}
    assert offered_payloads(events(YES_NO, spoke_after=True)) == frozenset()
    assert offered_payloads(events({})) == frozenset()


def test_restart_and_hand_typed_payloads_become_words() -> None:
    offered = offered_payloads(events(YES_NO))
    assert as_typed("/restart", offered) == "restart"
    assert as_typed('/inform{"uprn": "100010001014"}', offered) == 'inform{"uprn": "100010001014"}'
    assert as_typed("//affirm", offered) == "affirm"
    assert as_typed('/affirm{"confirmation": "yes"}', offered) == 'affirm{"confirmation": "yes"}'


def test_an_offered_button_is_still_a_payload_and_words_are_untouched() -> None:
    offered = offered_payloads(events(YES_NO))
    assert as_typed("/affirm", offered) == "/affirm"
    assert as_typed("yes please", offered) == "yes please"
    assert as_typed("1/2 of the road", offered) == "1/2 of the road"
    assert as_typed("/session_start", frozenset()) == "/session_start"
    assert as_typed("/greet", frozenset()) == "/greet"  # the web chat widget's first message


class Store:
    def __init__(self, tracker: DialogueStateTracker | None) -> None:
        self.tracker = tracker

    async def retrieve(self, sender: str) -> DialogueStateTracker | None:
        return self.tracker


class Agent:
    def __init__(self, tracker: DialogueStateTracker | None) -> None:
        self.tracker_store = Store(tracker)


def test_the_conversation_decides_what_was_offered() -> None:
    tracker = DialogueStateTracker.from_events(
        "me",
        [
            ActionExecuted("action_listen"),
            UserUttered("there's a pothole"),
            BotUttered("Shall I report it?", data=YES_NO),
        ],
    )
    said = asyncio.run(typed_text(Agent(tracker), "me", "/affirm"))
    assert said == "/affirm"
    assert asyncio.run(typed_text(Agent(tracker), "me", "/restart")) == "restart"
    assert asyncio.run(typed_text(Agent(None), "new", "/affirm")) == "affirm"
