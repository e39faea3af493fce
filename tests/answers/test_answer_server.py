"""The NLG server as a real process, asked over HTTP in Rasa's NLG format."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import requests

from assistant.answers.details_store import DetailStore
from assistant.answers.notices import NoticeStore, london_today
from assistant.answers.seed import open_book
from assistant.answers.store import AnswerStore
from assistant.councils import default_registry
from assistant.isolation import free_port
from assistant.settings import PROJECT_ROOT, Settings
from devtools.supervisor.services import nlg_service
from devtools.supervisor.stack import Stack


@pytest.fixture(scope="module")
def nlg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, AnswerStore]]:
    workdir: Path = tmp_path_factory.mktemp("nlg")
    settings = replace(
        Settings.from_env(),
        host="127.0.0.1",
        nlg_port=free_port(),
        answers_db=f"sqlite:///{workdir}/answers.db",
    )
    stack = Stack([nlg_service(settings)], log_dir=workdir / "logs")
    stack.start(timeout=60)
    book = open_book(settings.answers_db_url, PROJECT_ROOT / "domain.yml", default_registry())
    yield f"{settings.nlg_url}/nlg", book.store
    stack.stop()


def ask(
    url: str,
    response: str,
    council: str | None = None,
    channel: str = "collector",
    **arguments: object,
) -> dict:
    body = {
        "response": response,
        "arguments": arguments,
        "tracker": {
            "sender_id": "x",
            "slots": {"council": council, "postcode": "MQ1 1AA"},
            "latest_input_channel": "rest",
            "events": [],
        },
        "channel": {"name": channel},
    }
    reply = requests.post(url, json=body, timeout=10)
    assert reply.status_code == 200, reply.text
    return reply.json()


def test_council_details_come_from_the_council_slot(nlg: tuple[str, AnswerStore]) -> None:
    url, _ = nlg
    reply = ask(url, "utter_council_tax_pay", "brackenbury")
    assert "https://www.brackenbury.example.gov.uk/council-tax/pay" in reply["text"]
    assert "{" not in reply["text"]


def test_seeded_council_override_is_served(nlg: tuple[str, AnswerStore]) -> None:
    url, _ = nlg
    assert "grey bin" in ask(url, "utter_bin_collection_day", "millbrook")["text"]
    assert "grey bin" not in ask(url, "utter_bin_collection_day", "brackenbury")["text"]


def test_no_council_still_renders(nlg: tuple[str, AnswerStore]) -> None:
    url, _ = nlg
    assert ask(url, "utter_greet")["text"].startswith("Hello")


def test_arguments_and_slots_fill_placeholders(nlg: tuple[str, AnswerStore]) -> None:
    url, _ = nlg
    reply = ask(url, "utter_postcode_not_served", postcode="SW1A 1AA", text=None, buttons=[])
    assert "SW1A 1AA is not in an area" in reply["text"]


def test_buttons_on_the_web_and_by_sms(nlg: tuple[str, AnswerStore]) -> None:
    url, _ = nlg
    web = ask(url, "utter_help", "millbrook")
    assert [b["payload"] for b in web["buttons"]][:1] == ["/council_tax_pay"]
    # SMS keeps the buttons: the SMS channels send them as numbered choices (issue 5).
    sms = ask(url, "utter_help", "millbrook", channel="sms_twilio")
    assert [b["payload"] for b in sms["buttons"]] == [b["payload"] for b in web["buttons"]]
    assert "Reply with" not in sms["text"]


def test_sms_variant_by_sms(nlg: tuple[str, AnswerStore]) -> None:
    url, _ = nlg
    sms = ask(url, "utter_bin_collection_day", "millbrook", channel="sms_notify")["text"]
    assert sms.startswith("Millbrook: grey bin")


def test_a_saved_change_is_what_the_next_request_gets(nlg: tuple[str, AnswerStore]) -> None:
    url, store = nlg
    current = store.get("brackenbury", "utter_parking_permit")
    version = current.version if current else 0
    store.save(
        "brackenbury", "utter_parking_permit", "Permits now: {link_parking}", None, version, "test"
    )
    assert ask(url, "utter_parking_permit", "brackenbury")["text"].startswith("Permits now: https")


def test_unknown_response_gets_a_well_formed_fallback(nlg: tuple[str, AnswerStore]) -> None:
    url, _ = nlg
    reply = ask(url, "utter_does_not_exist", "millbrook")
    assert "something went wrong" in reply["text"]
    assert "01632 960 500" in reply["text"]
    assert "something went wrong" in ask(url, "utter_does_not_exist")["text"]


def test_unknown_council_renders_without_council(nlg: tuple[str, AnswerStore]) -> None:
    url, _ = nlg
    assert ask(url, "utter_greet", "atlantis")["text"].startswith("Hello")


@pytest.mark.parametrize("raw", [b"{not json", b"[]", b'{"response": 5}', b"\xff\xfe"])
def test_malformed_requests_get_a_400(nlg: tuple[str, AnswerStore], raw: bytes) -> None:
    url, _ = nlg
    reply = requests.post(url, data=raw, timeout=10)
    assert reply.status_code == 400
    assert "error" in reply.json()


def test_the_actions_council_wins_before_the_slot_is_set(nlg: tuple[str, AnswerStore]) -> None:
    # An action that has just resolved a postcode replies before its SlotSet lands.
    url, _ = nlg
    reply = ask(url, "utter_bin_collection_day", None, council_id="millbrook")
    assert "grey bin" in reply["text"]


def test_details_and_notices_changed_by_another_process_are_in_the_next_reply(
    nlg: tuple[str, AnswerStore],
) -> None:
    """The server caches each council's details and notices: a change written by this
    test process (as the staff site writes it) still shows at once, and so does a revert."""
    url, store = nlg
    details, notices = DetailStore(store.engine), NoticeStore(store.engine)
    old = ask(url, "utter_human_handoff", "brackenbury")["text"]  # cached now
    new_phone = "01632 962 468"
    assert new_phone not in old
    details.save("brackenbury", {"council_phone": new_phone}, "brack-staff")
    assert new_phone in ask(url, "utter_human_handoff", "brackenbury")["text"]
    today = london_today()
    notice = notices.add(
        "brackenbury", "Offices shut today.", today, today, ["utter_human_handoff"], "b"
    )
    assert ask(url, "utter_human_handoff", "brackenbury")["text"].startswith("Offices shut")
    notices.remove("brackenbury", notice, "brack-staff")
    details.save("brackenbury", {"council_phone": None}, "brack-staff")
    assert ask(url, "utter_human_handoff", "brackenbury")["text"] == old
