"""Issue 10, finding 7, through the whole stack: a report the back-office saved but
answered too late, and an action server killed in the middle of a write. The resident
is never told "not made" for a report that exists, gets its reference now or at the
next message, and the report exists exactly once."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import requests
from sqlalchemy import create_engine, func, select

from assistant.settings import Settings
from devtools.demo_backoffice import models
from devtools.supervisor.stack import Stack
from tests.e2e.conftest import Chat

pytestmark = pytest.mark.e2e

# A unitary council files its own potholes (Millbrook's go to its county, Wealdshire).
COUNCIL = "brackenbury"
PHONE = "01632 960 100"


@contextmanager
def fault(settings: Settings, mode: str, delay_seconds: float = 0) -> Iterator[None]:
    url = f"{settings.backoffice_url}/_admin/faults"
    body = {"council": COUNCIL, "mode": mode, "delay_seconds": delay_seconds}
    assert requests.post(url, json=body, timeout=5).status_code == 200
    try:
        yield
    finally:
        requests.post(url, json={"council": COUNCIL, "mode": "ok"}, timeout=5)


def reports_saying(settings: Settings, marker: str) -> int:
    """How many reports in the demo back-office carry `marker` in their description."""
    engine = create_engine(f"sqlite:///{settings.backoffice_db_path}")
    try:
        with engine.connect() as connection:
            table = models.ServiceRequest.__table__
            query = select(func.count()).where(table.c.description.contains(marker))
            return int(connection.execute(query).scalar_one())
    finally:
        engine.dispose()


def up_to_the_question(chat: Chat, me: str, marker: str) -> None:
    # The location is in the first message, so the summary comes at once.
    assert "Shall I report" in chat.texts(me, f"pothole on church lane {marker}", COUNCIL)


def test_saved_then_answered_after_the_timeout_gives_the_reference_once(
    chat: Chat, stack_settings: Settings
) -> None:
    me, marker = f"late-{uuid.uuid4().hex[:10]}", uuid.uuid4().hex[:8]
    up_to_the_question(chat, me, marker)
    with fault(stack_settings, "save_late", delay_seconds=6):  # the client gives up at 3 s
        answer = chat.texts(me, "yes", COUNCIL)
    assert "has not been made" not in answer
    assert "Your reference is" in answer, answer
    assert reports_saying(stack_settings, marker) == 1


def test_action_server_killed_mid_write_reference_given_at_next_message(
    chat: Chat, stack_settings: Settings, running_stack: Stack
) -> None:
    me, marker = f"kill-{uuid.uuid4().hex[:10]}", uuid.uuid4().hex[:8]
    up_to_the_question(chat, me, marker)
    replies: list[str] = []
    with fault(stack_settings, "save_late", delay_seconds=30):
        saying_yes = threading.Thread(target=lambda: replies.append(chat.texts(me, "yes", COUNCIL)))
        saying_yes.start()
        time.sleep(2)  # the report is saved; the action server waits for the answer
        running_stack.stop_service(f"actions-{COUNCIL}", grace=0.1)
        saying_yes.join(timeout=30)
    try:
        assert replies and "has not been made" not in replies[0]
    finally:
        running_stack.start_service(f"actions-{COUNCIL}")
    answer = chat.texts(me, "hello", COUNCIL)
    assert "has confirmed it. Your reference is BKR" in answer, answer
    assert reports_saying(stack_settings, marker) == 1
    # Told once: the next message does not repeat it.
    assert "Your reference is" not in chat.texts(me, "thanks", COUNCIL)


@pytest.mark.parametrize("mode", ["slow", "malformed"])
def test_an_unanswered_report_is_checking_then_its_outcome_is_told(
    chat: Chat, stack_settings: Settings, mode: str
) -> None:
    me, marker = f"unsure-{uuid.uuid4().hex[:10]}", uuid.uuid4().hex[:8]
    up_to_the_question(chat, me, marker)
    with fault(stack_settings, mode, delay_seconds=5):
        answer = chat.texts(me, "yes", COUNCIL)
    assert "can't tell yet" in answer and PHONE in answer, answer
    assert "has not been made" not in answer and "Your reference is" not in answer
    later = chat.texts(me, "hello", COUNCIL)
    assert reports_saying(stack_settings, marker) == 0  # the demo abandoned it
    assert "have no record of it, so it was not made" in later, later
