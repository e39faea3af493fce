"""The socket.io channel's session handling (the browser tests cover the rest)."""

from __future__ import annotations

import asyncio
import re

import pytest

from assistant.rasa_plugins.channels.limits import MAX_MESSAGE_LENGTH
from assistant.rasa_plugins.channels.webchat import CouncilSocketIOInput, session_id_for

ISSUED = "0123456789abcdef0123456789abcdef"


def test_a_well_formed_session_is_resumed():
    assert session_id_for(ISSUED) == ISSUED


@pytest.mark.parametrize(
    "requested", [None, "", "someone-elses-room", ISSUED.upper(), ISSUED + "0", 42, {"a": 1}]
)
def test_anything_else_gets_a_new_session(requested):
    new = session_id_for(requested)
    assert re.fullmatch(r"[0-9a-f]{32}", new) and new != requested
    assert session_id_for(requested) != new  # fresh every time


def test_channel_reads_the_widgets_custom_data_as_metadata():
    channel = CouncilSocketIOInput.from_credentials(
        {"session_persistence": True, "metadata_key": "customData"}
    )
    assert channel.name() == "socketio"
    assert channel.session_persistence is True
    assert channel.metadata_key == "customData"


class Widget:
    """The channel's message handler, with what it emits and passes on recorded."""

    def __init__(self, reply: str | None) -> None:
        self.channel = CouncilSocketIOInput.from_credentials(
            {"session_persistence": True, "metadata_key": "customData"}
        )
        self.reply, self.passed_on, self.emitted = reply, [], []
        self.channel.blueprint(self.on_new_message)
        self.channel.sio.emit = self.emit  # type: ignore[method-assign]

    async def on_new_message(self, message) -> None:
        self.passed_on.append(message)
        if self.reply is not None:
            await message.output_channel.send_text_message(message.sender_id, self.reply)

    async def emit(self, event, data=None, room=None, **kwargs) -> None:
        self.emitted.append((event, data, room))

    def send(self, data: object) -> None:
        handler = self.channel.sio.handlers["/"]["user_uttered"]
        asyncio.run(handler("sid-1", data))


def message(**overrides: object) -> dict[str, object]:
    return {
        "message": "hi",
        "session_id": ISSUED,
        "customData": {"council": "millbrook"},
        **overrides,
    }


def test_a_good_message_reaches_the_assistant_with_its_metadata() -> None:
    widget = Widget(reply="Hello")
    widget.send(message())
    [passed] = widget.passed_on
    assert passed.sender_id == ISSUED and passed.metadata == {"council": "millbrook"}
    assert widget.emitted == [("bot_uttered", {"text": "Hello"}, ISSUED)]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (message(customData={"council": "millbrook", "blob": "x" * 1000}), "may only contain"),
        (message(customData={"council": "m" * 5000}), "at most"),
        (message(customData={"council": {"nested": 1}}), "must be a string"),
        (message(message="x" * (MAX_MESSAGE_LENGTH + 1)), "at most"),
        (message(session_id="s" * 1000), "'sender'"),
        ("not an object", "'sender'"),
    ],
)
def test_oversized_or_unknown_input_is_explained_and_never_reaches_the_assistant(
    data: object, problem: str
) -> None:
    widget = Widget(reply="Hello")
    widget.send(data)
    assert widget.passed_on == []
    [(event, sent, room)] = widget.emitted
    assert event == "bot_uttered" and problem in sent["text"] and room == "sid-1"


def test_a_turn_with_no_reply_gets_an_apology_with_the_councils_details() -> None:
    widget = Widget(reply=None)
    widget.send(message())
    [(_, sent, room)] = widget.emitted
    assert room == ISSUED and "01632 960 500" in sent["text"]  # Millbrook's phone


def test_starting_a_new_session_is_not_apologised_for() -> None:
    widget = Widget(reply=None)
    widget.send(message(message="/session_start"))
    assert len(widget.passed_on) == 1 and widget.emitted == []
