"""Issue 10, finding 5: with the NLG server down every reply was silently empty
(`200 []`), so a resident who reported a pothole never saw its reference."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest

from devtools.supervisor.stack import Stack
from tests.e2e.conftest import Chat

pytestmark = pytest.mark.e2e


@pytest.fixture()
def nlg_down(running_stack: Stack) -> Iterator[None]:
    running_stack.stop_service("nlg")
    try:
        yield
    finally:
        running_stack.start_service("nlg")


def test_replies_come_from_domain_yml_while_the_nlg_server_is_down(
    chat: Chat, nlg_down: None
) -> None:
    me = f"nlg-down-{uuid.uuid4().hex[:10]}"
    # A unitary council, which files its own potholes (Millbrook's go to its county).
    greeting = chat.texts(me, "hello", "brackenbury")
    assert "Brackenbury" in greeting
    assert "Where is it?" in chat.texts(me, "there's a pothole on my road", "brackenbury")
    said = "outside 3 Mill Street, by the bus stop"
    assert "Shall I report" in chat.texts(me, said, "brackenbury")
    answer = chat.texts(me, "yes", "brackenbury")
    assert re.search(r"reference is BKR\d+", answer), answer
    assert "{" not in answer  # every placeholder filled, from council.yml


def test_a_welsh_conversation_is_answered_in_welsh_while_the_nlg_server_is_down(
    chat: Chat, nlg_down: None
) -> None:
    # Issue 13: the fallback renders answers/languages/cy.yml, the council's Welsh details.
    me = f"nlg-down-cy-{uuid.uuid4().hex[:10]}"
    greeting = chat.texts(me, "Bore da", "abercoed")
    assert "Helo, fi yw cynorthwyydd ar-lein Cyngor Bwrdeistref Sirol Abercoed" in greeting
    # The active offer as the NLG server makes it: the English follows the Welsh.
    assert "Abercoed County Borough Council" in greeting
    assert greeting.index("Helo") < greeting.index("Hello")
    assert "Ble mae e?" in chat.texts(me, "Mae twll mawr yn y ffordd", "abercoed")
    summary = chat.texts(me, "y tu allan i 7 Heol y Felin", "abercoed")
    assert "Ydych chi am i mi roi gwybod am dwll yn y ffordd" in summary, summary
    answer = chat.texts(me, "ydw", "abercoed")
    assert re.search(r"Eich cyfeirnod yw ACR\d+", answer), answer
    assert "{" not in answer and "reference" not in answer


def test_starting_a_new_session_is_not_apologised_for(chat: Chat) -> None:
    me = f"restart-{uuid.uuid4().hex[:10]}"
    assert chat.texts(me, "hello", "millbrook")
    assert chat.say(me, "/session_start", "millbrook") == []
