"""Issue 10, finding 6: a metadata bomb. One 40 MB post grew the tracker database by
170 MB and broke that conversation for good."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.e2e.conftest import Chat

pytestmark = pytest.mark.e2e


def test_a_40_mb_metadata_post_is_refused_and_the_conversation_goes_on(
    chat: Chat, stack_workdir: Path
) -> None:
    me = f"bomb-{uuid.uuid4().hex[:10]}"
    assert chat.texts(me, "hello", "millbrook")
    database = stack_workdir / "trackers.db"
    before = database.stat().st_size
    bomb = {"council": "millbrook", "padding": "x" * 40_000_000}
    refused = chat.post({"sender": me, "message": "hello", "metadata": bomb})
    assert refused.status_code == 400 and "at most" in refused.json()["error"]
    assert database.stat().st_size - before < 1_000_000  # nothing of it was stored
    assert "Millbrook" in chat.texts(me, "hello", "millbrook")  # the conversation still works


@pytest.mark.parametrize(
    "metadata",
    [{"council": "millbrook", "extra": "x"}, {"council": "m" * 1000}, {"council": ["millbrook"]}],
)
def test_unknown_or_oversized_metadata_gets_a_clear_400(chat: Chat, metadata: object) -> None:
    answer = chat.post({"sender": "limits", "message": "hello", "metadata": metadata})
    assert answer.status_code == 400 and "metadata" in answer.json()["error"]


def test_an_overlong_sender_or_message_gets_a_clear_400(chat: Chat) -> None:
    assert chat.post({"sender": "s" * 1000, "message": "hi"}).status_code == 400
    assert chat.post({"sender": "long", "message": "x" * 100_000}).status_code == 400
