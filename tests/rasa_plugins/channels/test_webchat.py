"""The socket.io channel's sessions and message checks (the browser tests and
tests/e2e/test_security_ownership.py cover the real server)."""

from __future__ import annotations

import asyncio

import pytest

from assistant.rasa_plugins.channels.limits import MAX_MESSAGE_LENGTH
from assistant.rasa_plugins.channels.webchat import NOT_THIS_SESSION, CouncilSocketIOInput
from assistant.settings import Settings

SECRET = "webchat-secret-for-the-unit-tests"


def test_channel_reads_the_widgets_custom_data_as_metadata():
    channel = CouncilSocketIOInput.from_credentials(
        {"session_persistence": True, "metadata_key": "customData"}
    )
    assert channel.name() == "socketio"
    assert channel.session_persistence is True
    assert channel.metadata_key == "customData"


def test_without_a_secret_the_channel_refuses_to_start_naming_the_variable():
    channel = CouncilSocketIOInput.from_credentials({"session_persistence": True})
    channel.settings = Settings.from_env({})
    with pytest.raises(RuntimeError, match="ASSISTANT_WEBCHAT_SECRET"):
        channel.blueprint(lambda message: None)


class Widget:
    """The channel's handlers, with what they emit, join and pass on recorded."""

    def __init__(self, reply: str | None = "Hello") -> None:
        self.channel = CouncilSocketIOInput.from_credentials(
            {"session_persistence": True, "metadata_key": "customData"}
        )
        self.channel.settings = Settings.from_env({"ASSISTANT_WEBCHAT_SECRET": SECRET})
        self.reply, self.passed_on, self.emitted, self.rooms = reply, [], [], {}
        self.channel.blueprint(self.on_new_message)
        sio = self.channel.sio
        sio.emit = self.emit  # type: ignore[method-assign]
        sio.enter_room = lambda sid, room, namespace=None: self.rooms.setdefault(sid, set()).add(
            room
        )
        sio.leave_room = lambda sid, room, namespace=None: self.rooms[sid].discard(room)

    async def on_new_message(self, message) -> None:
        self.passed_on.append(message)
        if self.reply is not None:
            await message.output_channel.send_text_message(message.sender_id, self.reply)

    async def emit(self, event, data=None, room=None, **kwargs) -> None:
        self.emitted.append((event, data, room))

    def handler(self, event: str):
        return self.channel.sio.handlers["/"][event]

    def open(self, sid: str, stored: object = None) -> str:
        """`session_request` from socket `sid`; the credential confirmed."""
        asyncio.run(self.handler("session_request")(sid, {"session_id": stored}))
        event, credential, room = self.emitted.pop()
        assert event == "session_confirm" and room == sid
        return credential

    def send(self, sid: str, data: object) -> None:
        asyncio.run(self.handler("user_uttered")(sid, data))


def message(credential: str, **overrides: object) -> dict[str, object]:
    return {
        "message": "hi",
        "session_id": credential,
        "customData": {"council": "millbrook"},
        **overrides,
    }


def test_a_new_widget_gets_a_signed_credential_and_joins_only_its_conversation() -> None:
    widget = Widget()
    credential = widget.open("sid-1")
    session, signature = credential.split(".")
    assert len(session) == 32 and len(signature) == 64
    assert widget.rooms["sid-1"] == {f"web-{session}"}
    assert widget.open("sid-2") != credential  # each widget its own


def test_a_stored_credential_resumes_its_conversation() -> None:
    widget = Widget()
    credential = widget.open("sid-1")
    assert widget.open("sid-2", credential) == credential
    assert widget.rooms["sid-2"] == widget.rooms["sid-1"]


def test_a_forged_or_bare_session_id_never_joins_the_victims_room() -> None:
    widget = Widget()
    victim = widget.open("victim")
    session = victim.split(".")[0]
    forged = session + "." + "0" * 64
    for attempt in (session, f"web-{session}", forged, victim.upper(), victim + "0", 42):
        credential = widget.open("attacker", attempt)
        assert credential != victim
        assert widget.rooms["attacker"].isdisjoint(widget.rooms["victim"])


def test_a_good_message_reaches_the_assistant_as_the_sockets_conversation() -> None:
    widget = Widget(reply="Hello")
    credential = widget.open("sid-1")
    widget.send("sid-1", message(credential))
    [passed] = widget.passed_on
    conversation = "web-" + credential.split(".")[0]
    assert passed.sender_id == conversation and passed.metadata == {"council": "millbrook"}
    assert signature_not_in(credential, passed.sender_id)
    assert widget.emitted == [("bot_uttered", {"text": "Hello"}, conversation)]


def signature_not_in(credential: str, sender_id: str) -> bool:
    return credential.split(".")[1] not in sender_id


def test_a_socket_cannot_send_with_another_sockets_credential() -> None:
    widget = Widget()
    victim = widget.open("victim")
    widget.open("attacker")
    widget.send("attacker", message(victim))
    widget.send("stranger", message(victim))  # never asked for a session at all
    assert widget.passed_on == []
    assert widget.emitted == [
        ("bot_uttered", {"text": NOT_THIS_SESSION}, "attacker"),
        ("bot_uttered", {"text": NOT_THIS_SESSION}, "stranger"),
    ]


def test_after_a_disconnect_the_socket_holds_nothing() -> None:
    widget = Widget()
    credential = widget.open("sid-1")
    asyncio.run(widget.handler("disconnect")("sid-1"))
    widget.send("sid-1", message(credential))
    assert widget.passed_on == []


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"customData": {"council": "millbrook", "blob": "x" * 1000}}, "may only contain"),
        ({"customData": {"council": "m" * 5000}}, "at most"),
        ({"customData": {"council": {"nested": 1}}}, "must be a string"),
        ({"message": "x" * (MAX_MESSAGE_LENGTH + 1)}, "at most"),
    ],
)
def test_oversized_or_unknown_input_is_explained_and_never_reaches_the_assistant(
    overrides: dict, problem: str
) -> None:
    widget = Widget()
    credential = widget.open("sid-1")
    widget.send("sid-1", message(credential, **overrides))
    assert widget.passed_on == []
    [(event, sent, room)] = widget.emitted
    assert event == "bot_uttered" and problem in sent["text"] and room == "sid-1"


def test_a_message_that_is_not_an_object_is_refused() -> None:
    widget = Widget()
    widget.open("sid-1")
    widget.send("sid-1", "not an object")
    assert widget.passed_on == [] and widget.emitted[0][2] == "sid-1"


def test_a_turn_with_no_reply_gets_an_apology_with_the_councils_details() -> None:
    widget = Widget(reply=None)
    credential = widget.open("sid-1")
    widget.send("sid-1", message(credential))
    [(_, sent, room)] = widget.emitted
    assert room == "web-" + credential.split(".")[0] and "01632 960 500" in sent["text"]


def test_starting_a_new_session_is_not_apologised_for() -> None:
    widget = Widget(reply=None)
    credential = widget.open("sid-1")
    widget.send("sid-1", message(credential, message="/session_start"))
    assert len(widget.passed_on) == 1 and widget.emitted == []
