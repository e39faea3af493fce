"""Multi-turn conversations over the REST channel with the real Rasa and action servers."""

from __future__ import annotations

import uuid

import pytest
import requests

from tests.e2e.conftest import Chat

pytestmark = pytest.mark.e2e

COUNCILS = {
    "brackenbury": {
        "name": "Brackenbury Borough Council",
        "postcode": "BK1 2AB",
        "pay_link": "https://www.brackenbury.example.gov.uk/council-tax/pay",
        "bins_link": "https://www.brackenbury.example.gov.uk/bins",
        # Bin days come from the back-office by address: BK1 2AB has several.
        "after_postcode": "Which address at BK1 2AB?",
        "out_of_hours": "01632 960 999",
    },
    "millbrook": {
        "name": "Millbrook District Council",
        "postcode": "mq37zd",
        "pay_link": "https://www.millbrook.example.gov.uk/pay/council-tax",
        "bins_link": "https://www.millbrook.example.gov.uk/waste-and-recycling",
        # MQ3 7ZD has one address, so its collections come straight back.
        "after_postcode": "Next collections at The Old Forge",
        "out_of_hours": "01632 960 555",
    },
}
ASKS_POSTCODE = "what's your postcode"
ASKS_ADDRESS_POSTCODE = "What's the postcode of the address?"
OUT_OF_SCOPE = "I can only help with council services"


def sender() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


@pytest.mark.parametrize("council_id", sorted(COUNCILS))
def test_conversation_bound_by_widget_metadata(chat: Chat, council_id: str) -> None:
    council = COUNCILS[council_id]
    me = sender()
    assert council["name"] in chat.texts(me, "hello", council_id)
    assert council["pay_link"] in chat.texts(me, "how do i pay my council tax", council_id)
    # The council is known, so a bin question never asks which council: only the
    # address whose collections to look up.
    bins = chat.texts(me, "when is my bin collected", council_id)
    assert ASKS_ADDRESS_POSTCODE in bins
    assert ASKS_POSTCODE not in bins
    assert OUT_OF_SCOPE in chat.texts(me, "what's the weather going to be like tomorrow")
    emergency = chat.texts(me, "I can smell gas in my kitchen", council_id)
    assert "999" in emergency and council["out_of_hours"] in emergency


@pytest.mark.parametrize("council_id", sorted(COUNCILS))
def test_council_found_from_postcode_when_no_metadata(chat: Chat, council_id: str) -> None:
    council = COUNCILS[council_id]
    me = sender()
    chat.texts(me, "hi")
    assert ASKS_POSTCODE in chat.texts(me, "when do my bins get collected")
    answer = chat.texts(me, council["postcode"])
    assert council["after_postcode"] in answer  # that council's back-office answered
    # The council is now remembered for the rest of the conversation.
    assert council["pay_link"] in chat.texts(me, "i want to pay my council tax")


def test_postcode_outside_every_council_is_told_so(chat: Chat) -> None:
    me = sender()
    assert ASKS_POSTCODE in chat.texts(me, "how do i report a pothole")
    answer = chat.texts(me, "SW1A 1AA")
    # A real postcode outside every council here: its own council is named (issue 11).
    assert "SW1A 1AA is in Westminster City Council's area" in answer
    assert "https://www.gov.uk/find-local-council" in answer
    assert ASKS_POSTCODE not in answer  # where to go instead, not a loop


def test_malformed_postcode_gets_a_clear_retry(chat: Chat) -> None:
    me = sender()
    chat.texts(me, "when is bin day")
    assert "doesn't look like a UK postcode" in chat.texts(me, "BK1")
    assert COUNCILS["brackenbury"]["after_postcode"] in chat.texts(me, "bk1 2ab")


def test_emergency_interrupts_the_postcode_question(chat: Chat) -> None:
    me = sender()
    assert ASKS_POSTCODE in chat.texts(me, "my boiler is broken")
    answer = chat.texts(me, "there's a gas leak, i can smell gas everywhere")
    assert "999" in answer
    assert "0800 111 999" in answer


def test_free_text_never_changes_the_council(chat: Chat) -> None:
    me = sender()
    chat.texts(me, "hello", "brackenbury")
    answer = chat.texts(me, "how do i pay council tax for MQ3 7ZD")
    assert COUNCILS["brackenbury"]["pay_link"] in answer
    assert "millbrook" not in answer.lower()


def test_unknown_council_in_metadata_is_explained_then_ignored(chat: Chat) -> None:
    me = sender()
    answer = chat.texts(me, "hello", "atlantis")
    assert "isn't linked to a council I know" in answer
    assert ASKS_POSTCODE in chat.texts(me, "pay council tax", "atlantis")


@pytest.mark.parametrize(
    "message",
    ["", "   ", "a" * 10_000, "🙂🙂🙂", "<script>alert('x')</script>", "' OR 1=1; --"],
    ids=["empty", "blank", "10k-chars", "emoji", "script", "sql"],
)
def test_bad_messages_get_a_reply_and_the_server_keeps_serving(chat: Chat, message: str) -> None:
    me = sender()
    response = chat.post({"sender": me, "message": message})
    assert response.status_code == 200
    replies = response.json()
    assert isinstance(replies, list)
    for reply in replies:
        assert "Traceback" not in reply.get("text", "")
        assert "<script>" not in reply.get("text", "")
    assert COUNCILS["millbrook"]["name"] in chat.texts(me, "hello", "millbrook")


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b"", b"[]", b'{"sender": "x"}', b'{"message": 5, "sender": "y"}'],
    ids=["broken", "empty", "list", "no-message", "number"],
)
def test_malformed_requests_get_a_clear_http_error(chat: Chat, raw: bytes) -> None:
    response = requests.post(
        f"{chat.base_url}/webhooks/rest/webhook",
        data=raw,
        headers={"Content-Type": "application/json", **chat.headers},
        timeout=30,
    )
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:200])
    assert "Traceback" not in response.text
    assert chat.texts(sender(), "hello", "brackenbury")
