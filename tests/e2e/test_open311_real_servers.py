"""Issue 12, done-when: the full stack files a pothole for a Wealdshire street through
an Open311 server that speaks XML only, answers with a token and requires easting
and northing (as mySociety's open311-adapter does), with the resident's yes; the
resident gets the reference and can ask its status; without a postcode in what was said,
the postcode is asked before the summary. Real Rasa, router, action
servers, NLG server and demo back-office, all over HTTP."""

from __future__ import annotations

import re
import sqlite3
import uuid

import pytest

from assistant.settings import Settings
from tests.e2e.conftest import Chat

pytestmark = pytest.mark.e2e

POSTCODE = "MQ1 1AA"  # in Wealdshire; the postcode data has its easting/northing


def sender() -> str:
    return f"o311-{uuid.uuid4().hex[:12]}"


def rows(settings: Settings) -> list[tuple]:
    query = (
        "SELECT reference, easting, northing, token, client_reference FROM service_requests "
        "WHERE council = 'wealdshire' ORDER BY rowid"
    )
    with sqlite3.connect(settings.backoffice_db_path) as db:
        return db.execute(query).fetchall()


def test_a_pothole_through_the_xml_token_server_that_requires_easting_northing(
    chat: Chat, stack_settings: Settings
) -> None:
    before = len(rows(stack_settings))
    me = sender()
    assert "Where is it?" in chat.texts(me, "there's a deep pothole on my road", "wealdshire")
    summary = chat.texts(me, f"outside 3 Mill Street, {POSTCODE}", "wealdshire")
    assert "Shall I report a pothole at outside 3 Mill Street" in summary
    answer = chat.texts(me, "yes", "wealdshire")
    match = re.search(r"reference (WCR\d+)", answer)
    assert match, answer
    assert "made safe within 24 hours" in answer  # the server's service_notice, shown
    after = rows(stack_settings)
    assert len(after) == before + 1
    reference, easting, northing, token, client_reference = after[-1]
    assert reference == match.group(1)
    assert (easting, northing) == (486200, 168400)  # from the postcode data
    assert token and client_reference.startswith("AST-")  # a token answer, followed
    status = chat.texts(sender(), f"status of my report {reference}", "wealdshire")
    assert reference in status and "still open" in status


def test_without_a_postcode_it_is_asked_before_the_summary_and_the_yes_files(
    chat: Chat, stack_settings: Settings
) -> None:
    # The server's service definition requires easting/northing: the postcode is asked
    # before the summary (read from the definition when the location is given), not
    # after the yes, and the report is then filed with the postcode's point.
    before = len(rows(stack_settings))
    me = sender()
    assert "Where is it?" in chat.texts(me, "report a pothole", "wealdshire")
    asked = chat.texts(me, "Station Road, opposite the library", "wealdshire")
    assert "What's the postcode there?" in asked and "Shall I report" not in asked
    assert len(rows(stack_settings)) == before
    summary = chat.texts(me, POSTCODE, "wealdshire")
    assert f"Shall I report a pothole at Station Road, opposite the library, {POSTCODE}" in summary
    answer = chat.texts(me, "yes", "wealdshire")
    match = re.search(r"reference (WCR\d+)", answer)
    assert match, answer
    after = rows(stack_settings)
    assert len(after) == before + 1
    reference, easting, northing, _, _ = after[-1]
    assert reference == match.group(1) and (easting, northing) == (486200, 168400)
