"""Request checks of the REST channel (the real server is exercised in tests/e2e)."""

from __future__ import annotations

import asyncio
import json
from types import SimpleNamespace

import pytest

from assistant.rasa_plugins.channels.limits import MAX_MESSAGE_LENGTH, MAX_METADATA_VALUE_LENGTH
from assistant.rasa_plugins.channels.rest import MAX_BODY_BYTES, never_silent, request_problem


def body(payload: object) -> bytes:
    return json.dumps(payload).encode()


@pytest.mark.parametrize(
    "payload",
    [
        {"sender": "a", "message": "hello"},
        {"sender": "a", "message": ""},
        {"sender": "a", "message": "hi", "metadata": {"council": "millbrook"}},
        {"sender": "a", "message": "x" * MAX_MESSAGE_LENGTH},
    ],
)
def test_good_requests_pass(payload: object) -> None:
    assert request_problem(body(payload)) is None


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b"", "must be JSON"),
        (b"{oops", "must be JSON"),
        (b"\xff\xfe", "must be JSON"),
        (body([1, 2]), "JSON object"),
        (body({"message": "hi"}), "'sender'"),
        (body({"sender": "  ", "message": "hi"}), "'sender'"),
        (body({"sender": "s" * 129, "message": "hi"}), "at most 128"),
        (body({"sender": "a"}), "'message' must be a string"),
        (body({"sender": "a", "message": 5}), "'message' must be a string"),
        (body({"sender": "a", "message": "x" * (MAX_MESSAGE_LENGTH + 1)}), "at most"),
        (body({"sender": "a", "message": "hi", "metadata": "brackenbury"}), "'metadata'"),
    ],
)
def test_bad_requests_are_explained(raw: bytes, problem: str) -> None:
    assert problem in (request_problem(raw) or "")


@pytest.mark.parametrize(
    ("metadata", "problem"),
    [
        ({"council": "millbrook", "tracking": "x"}, "may only contain council; not tracking"),
        ({"council": "m" * (MAX_METADATA_VALUE_LENGTH + 1)}, "at most"),
        ({"council": {"nested": ["deep"]}}, "must be a string"),
        ({"council": 5}, "must be a string"),
    ],
)
def test_metadata_is_only_known_keys_with_short_values(metadata: object, problem: str) -> None:
    assert problem in (
        request_problem(body({"sender": "a", "message": "hi", "metadata": metadata})) or ""
    )


def test_a_metadata_bomb_is_refused_before_it_is_parsed() -> None:
    bomb = (
        b'{"sender": "a", "message": "hi", "metadata": {"council": "' + b"x" * 40_000_000 + b'"}}'
    )
    assert f"at most {MAX_BODY_BYTES} bytes" in (request_problem(bomb) or "")


class FakeTrackerStore:
    def __init__(self, council: str | None, language: str | None = None) -> None:
        self.slots = {"council": council, "language": language}

    async def retrieve(self, sender: str) -> object:
        return SimpleNamespace(current_slot_values=lambda: dict(self.slots))


def rest_turn(
    message: str,
    council_slot: str | None,
    metadata: dict | None = None,
    language: str | None = None,
) -> object:
    agent = SimpleNamespace(tracker_store=FakeTrackerStore(council_slot, language))
    payload = {"sender": "s1", "message": message, "metadata": metadata}
    return SimpleNamespace(
        method="POST",
        body=body(payload),
        app=SimpleNamespace(ctx=SimpleNamespace(agent=agent)),
        ctx=SimpleNamespace(integration="crm"),
    )


def replied(request: object, status: int, content: bytes) -> object:
    return asyncio.run(never_silent(request, SimpleNamespace(status=status, body=content)))


def test_an_empty_reply_becomes_an_apology_with_the_councils_details() -> None:
    # The council comes from the conversation (here found from a postcode, no metadata).
    apology = replied(rest_turn("hello", "brackenbury"), 200, b"[]")
    [message] = json.loads(apology.body)
    assert message["recipient_id"] == "crm:s1" and "01632 960 100" in message["text"]
    from_metadata = replied(rest_turn("hello", None, {"council": "millbrook"}), 200, b"[]")
    assert "01632 960 500" in json.loads(from_metadata.body)[0]["text"]


def test_the_apology_is_in_the_conversations_language() -> None:
    def said(language: str | None) -> str:
        reply = replied(rest_turn("helo", "abercoed", language=language), 200, b"[]")
        return str(json.loads(reply.body)[0]["text"])

    assert said(None).startswith("Mae'n ddrwg gen i")  # the Welsh council's first language
    assert said("en").startswith("Sorry")  # the resident switched to English
    assert "01632 960 300" in said("cy")


def test_replies_errors_and_new_sessions_are_left_alone() -> None:
    assert replied(rest_turn("hello", "millbrook"), 200, b'[{"text": "Hi"}]') is None
    assert replied(rest_turn("hello", "millbrook"), 400, b"[]") is None
    assert replied(rest_turn("/session_start", "millbrook"), 200, b"[]") is None
