"""Issue 9, item 3 over REST: nothing is filed, booked or paid without the resident's
yes. Counted in the demo back-office's own database: the real Rasa server, action
router, action servers and demo back-office, all over HTTP."""

from __future__ import annotations

import sqlite3
import uuid

import pytest

from assistant.settings import Settings
from tests.e2e.conftest import Chat

pytestmark = pytest.mark.e2e

ASKS_WHERE = "Where is it?"
SUMMARY = "Shall I report a pothole at"


def sender() -> str:
    return f"confirm-{uuid.uuid4().hex[:12]}"


def rows(settings: Settings, table: str, council: str) -> list[tuple]:
    """The demo back-office's `table` rows for `council`, oldest first."""
    columns = {
        "service_requests": "description, address_string",
        "payments": "amount",
        "repairs": "description",
    }[table]
    with sqlite3.connect(settings.backoffice_db_path) as db:
        query = f"SELECT {columns} FROM {table} WHERE council = ? ORDER BY rowid"
        return db.execute(query, (council,)).fetchall()


def test_yes_files_exactly_one_report_with_the_residents_words(
    chat: Chat, stack_settings: Settings
) -> None:
    me = sender()
    before = len(rows(stack_settings, "service_requests", "brackenbury"))
    assert ASKS_WHERE in chat.texts(me, "there's a deep pothole by the school gates", "brackenbury")
    summary = chat.texts(me, "outside 22 Mill Street", "brackenbury")
    assert f"{SUMMARY} outside 22 Mill Street" in summary
    assert "there's a deep pothole by the school gates" in summary
    assert len(rows(stack_settings, "service_requests", "brackenbury")) == before
    answer = chat.texts(me, "yes", "brackenbury")
    assert "reference is BKR" in answer
    filed = rows(stack_settings, "service_requests", "brackenbury")
    assert len(filed) == before + 1
    description, location = filed[-1]
    assert description.startswith("there's a deep pothole by the school gates")
    assert location == "outside 22 Mill Street"
    # The yes was used: a second yes files nothing more.
    chat.texts(me, "yes", "brackenbury")
    assert len(rows(stack_settings, "service_requests", "brackenbury")) == before + 1


def test_no_then_cancel_files_nothing_and_says_so(chat: Chat, stack_settings: Settings) -> None:
    me = sender()
    # Millbrook is a district: its potholes are filed with Wealdshire, its county.
    before = len(rows(stack_settings, "service_requests", "wealdshire"))
    chat.texts(me, "report a pothole", "millbrook")
    # Wealdshire's server needs a map point: the postcode is asked before the summary.
    assert "postcode there" in chat.texts(me, "Station Road, by the post office", "millbrook")
    assert SUMMARY in chat.texts(me, "MQ1 1AA", "millbrook")
    corrected = chat.texts(me, "no", "millbrook")
    assert "nothing has been sent" in corrected and ASKS_WHERE in corrected
    cancelled = chat.texts(me, "cancel", "millbrook")
    # The way out of the location question (actions/escapes.py): where else to report it.
    assert "mark the place on a map" in cancelled
    assert len(rows(stack_settings, "service_requests", "wealdshire")) == before


def test_cancel_at_the_summary_files_nothing(chat: Chat, stack_settings: Settings) -> None:
    me = sender()
    before = len(rows(stack_settings, "service_requests", "brackenbury"))
    chat.texts(me, "report a pothole", "brackenbury")
    chat.texts(me, "Rose Lane, outside number 3", "brackenbury")
    assert "Nothing has been reported" in chat.texts(me, "cancel", "brackenbury")
    assert "reference is" not in chat.texts(me, "yes", "brackenbury")
    assert len(rows(stack_settings, "service_requests", "brackenbury")) == before


def test_a_correction_changes_the_filed_location(chat: Chat, stack_settings: Settings) -> None:
    me = sender()
    before = len(rows(stack_settings, "service_requests", "wealdshire"))
    chat.texts(me, "there's a pothole on my road", "millbrook")
    chat.texts(me, "outside 5 Church Lane, MQ1 1AA", "millbrook")
    assert ASKS_WHERE in chat.texts(me, "no", "millbrook")
    # With a postcode: Wealdshire's Open311 server requires easting/northing (issue 12).
    summary = chat.texts(me, "outside 7 Orchard Way, MQ1 1AA", "millbrook")
    assert f"{SUMMARY} outside 7 Orchard Way" in summary
    assert "reference WCR" in chat.texts(me, "yes", "millbrook")
    filed = rows(stack_settings, "service_requests", "wealdshire")
    assert len(filed) == before + 1 and filed[-1][1] == "outside 7 Orchard Way, MQ1 1AA"


def test_another_request_at_the_location_question_is_not_the_location(
    chat: Chat, stack_settings: Settings
) -> None:
    me = sender()
    before = len(rows(stack_settings, "service_requests", "brackenbury"))
    chat.texts(me, "report a pothole", "brackenbury")
    answer = chat.texts(me, "actually what is my bin day", "brackenbury")
    assert "What's the postcode of the address?" in answer and SUMMARY not in answer
    assert len(rows(stack_settings, "service_requests", "brackenbury")) == before


def test_a_payment_link_only_after_yes(chat: Chat, stack_settings: Settings) -> None:
    me = sender()
    before = len(rows(stack_settings, "payments", "millbrook"))
    chat.texts(me, "i want to pay my council tax", "millbrook")
    chat.texts(me, "400123456", "millbrook")
    summary = chat.texts(me, "MQ3 7ZD", "millbrook")
    assert "Shall I make a GOV.UK Pay link" in summary and "£312.50" in summary
    assert "GOV.UK Pay here" not in summary
    assert "Nothing has been reported, booked or paid" in chat.texts(me, "no", "millbrook")
    assert len(rows(stack_settings, "payments", "millbrook")) == before
    # Asked again in the same session: no new identity check, the summary again, then yes.
    assert "Shall I make a GOV.UK Pay link" in chat.texts(me, "pay my council tax", "millbrook")
    assert "GOV.UK Pay here" in chat.texts(me, "yes", "millbrook")
    # Issue 12, item 2: the yes gives the assistant's own payment page; Pay's payment
    # is made when the resident opens it (tests/e2e/test_backoffice_conversations.py).
    assert len(rows(stack_settings, "payments", "millbrook")) == before


def test_a_repair_is_booked_only_after_yes(chat: Chat, stack_settings: Settings) -> None:
    me = sender()
    before = len(rows(stack_settings, "repairs", "millbrook"))
    chat.texts(me, "I need to report a repair", "millbrook")
    chat.texts(me, "the bathroom door handle has come off", "millbrook")
    assert "tenancy reference" in chat.texts(me, "MQ3 7ZD", "millbrook")
    summary = chat.texts(me, "MT2003007", "millbrook")
    assert "Shall I book a repair at The Old Forge" in summary
    assert len(rows(stack_settings, "repairs", "millbrook")) == before
    assert "logged the repair" in chat.texts(me, "yes", "millbrook")
    booked = rows(stack_settings, "repairs", "millbrook")
    assert len(booked) == before + 1 and "door handle" in booked[-1][0]
