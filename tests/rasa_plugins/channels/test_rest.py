"""Request checks of the REST channel (the real server is exercised in tests/e2e)."""

from __future__ import annotations

import json

import pytest

from assistant.rasa_plugins.channels.rest import MAX_MESSAGE_LENGTH, request_problem


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
