"""No dead ends (issue 9, item 5), over the REST channel with the real servers: a way
out of every question, no question three times running, the conversation with no
council, and bare references."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.e2e.conftest import Chat

pytestmark = pytest.mark.e2e

ASKS_POSTCODE = "what's your postcode"
ASKS_PLANNING_REF = "What's the planning application reference?"
ASKS_REPORT_REF = "What's the reference of your report?"
ASKS_COUNCIL_TAX_REF = "What's your council tax account reference?"
ASKS_WHERE = "Where is it?"
PLANNING_PAGE = "https://planning.brackenbury.example.gov.uk"
PHONE = "01632 960 100"
FIND_COUNCIL = "https://www.gov.uk/find-local-council"


def sender() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


def asked_planning_ref(chat: Chat) -> str:
    me = sender()
    assert ASKS_PLANNING_REF in chat.texts(me, "check a planning application", "brackenbury")
    return me


@pytest.mark.parametrize(
    "escape", ["I don't have the reference", "stop", "cancel", "I don't know", "no"]
)
def test_planning_question_leads_out_to_the_planning_page(chat: Chat, escape: str) -> None:
    me = asked_planning_ref(chat)
    answer = chat.texts(me, escape, "brackenbury")
    assert "search for the application by its address" in answer and PLANNING_PAGE in answer
    assert ASKS_PLANNING_REF not in answer
    # The question is over: what comes next is a new request.
    assert "libraries" in chat.texts(me, "when do the libraries open", "brackenbury")


def test_planning_question_is_asked_at_most_twice_running(chat: Chat) -> None:
    me = asked_planning_ref(chat)
    again = chat.texts(me, "12345", "brackenbury")
    assert "doesn't look like a Brackenbury planning reference" in again
    third = chat.texts(me, "67890", "brackenbury")
    assert ASKS_PLANNING_REF not in third and "doesn't look like" not in third
    assert PLANNING_PAGE in third


@pytest.mark.parametrize("escape", ["stop", "I don't have the reference"])
def test_report_reference_question_leads_out(chat: Chat, escape: str) -> None:
    me = sender()
    assert ASKS_REPORT_REF in chat.texts(me, "what's happening with my report", "brackenbury")
    answer = chat.texts(me, escape, "brackenbury")
    assert ASKS_REPORT_REF not in answer and "doesn't look like" not in answer
    assert "find your report for you" in answer and PHONE in answer


def test_council_tax_reference_question_leads_out(chat: Chat) -> None:
    me = sender()
    assert ASKS_COUNCIL_TAX_REF in chat.texts(me, "what's my council tax balance", "brackenbury")
    answer = chat.texts(me, "I can't find it", "brackenbury")
    assert "top of your bill" in answer and PHONE in answer
    assert ASKS_COUNCIL_TAX_REF not in answer


def test_pothole_location_question_leads_out_but_a_bus_stop_is_a_place(chat: Chat) -> None:
    me = sender()
    assert ASKS_WHERE in chat.texts(me, "there's a pothole", "brackenbury")
    assert "mark the place on a map" in chat.texts(me, "cancel", "brackenbury")
    other = sender()
    chat.texts(other, "there's a pothole", "brackenbury")
    summary = chat.texts(other, "by the bus stop on Mill Street", "brackenbury")
    assert "at by the bus stop on Mill Street" in summary  # taken as the place
    assert "reference is" in chat.texts(other, "yes", "brackenbury")


def test_a_person_at_a_question(chat: Chat) -> None:
    me = asked_planning_ref(chat)
    answer = chat.texts(me, "can I talk to a person", "brackenbury")
    assert PHONE in answer and ASKS_PLANNING_REF not in answer


def test_no_council_asks_for_a_postcode_without_a_false_error(chat: Chat) -> None:
    me = sender()
    answer = chat.texts(me, "when is my bin day")
    assert ASKS_POSTCODE in answer
    assert "doesn't look like" not in answer


def test_no_postcode_leads_to_finding_the_council(chat: Chat) -> None:
    me = sender()
    assert ASKS_POSTCODE in chat.texts(me, "when is my bin day")
    answer = chat.texts(me, "I don't know my postcode")
    assert FIND_COUNCIL in answer and ASKS_POSTCODE not in answer


def test_a_person_while_asked_for_the_postcode(chat: Chat) -> None:
    me = sender()
    assert ASKS_POSTCODE in chat.texts(me, "when is my bin day")
    answer = chat.texts(me, "I want to talk to a person")
    assert FIND_COUNCIL in answer and "contact details" in answer
    assert PHONE in chat.texts(me, "BK1 2AB")  # the person's number, once the council is known


def test_a_postcode_no_council_here_serves_ends_with_where_to_go(chat: Chat) -> None:
    me = sender()
    assert ASKS_POSTCODE in chat.texts(me, "when is my bin day")
    answer = chat.texts(me, "SW1A 1AA")
    assert FIND_COUNCIL in answer and ASKS_POSTCODE not in answer


# Millbrook's potholes are now its county's (WCR references, which the shared model was
# not trained on as bare messages): the unitary council's is checked here.
@pytest.mark.parametrize(("council_id", "prefix"), [("brackenbury", "BKR")])
def test_a_bare_report_reference_gets_its_status(chat: Chat, council_id: str, prefix: str) -> None:
    me = sender()
    chat.texts(me, "there's a pothole", council_id)
    chat.texts(me, "outside 3 Mill Street", council_id)
    answer = chat.texts(me, "yes", council_id)
    match = re.search(rf"reference (?:is )?({prefix}\d+)", answer)
    assert match, answer
    status = chat.texts(sender(), match.group(1), council_id)
    assert match.group(1) in status and "still open" in status


def test_a_bare_planning_reference_gets_its_status(chat: Chat) -> None:
    answer = chat.texts(sender(), "BK/24/0123/FUL", "brackenbury")
    assert "BK/24/0123/FUL" in answer and "under consideration" in answer


def test_a_bare_reference_with_no_council_asks_the_postcode_then_answers(chat: Chat) -> None:
    me = sender()
    assert ASKS_POSTCODE in chat.texts(me, "BK/24/0123/FUL")
    answer = chat.texts(me, "BK1 2AB")
    assert "BK/24/0123/FUL" in answer and "under consideration" in answer
