"""Issue 13: a council's text details have a Welsh value beside the English. Welsh
answers use staff's Welsh edit, else council.yml's `welsh:` value, else the English;
numbers stay one value. Staff previews show the edited details, not council.yml's."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from assistant.answers import server
from assistant.answers.book import AnswerBook
from assistant.answers.detail_fields import council_values, detail_fields, language_key
from assistant.answers.details_store import DetailStore
from assistant.answers.seed import open_book
from assistant.councils import Council, default_registry
from assistant.councils.schema import Welsh
from assistant.settings import PROJECT_ROOT

HOURS = "council_opening_hours"
WELSH_HOURS = language_key(HOURS, "cy")
NEW_PHONE = "01632 961 777"
ENGLISH_EDIT = "Monday to Thursday, 10am to 3pm"
WELSH_EDIT = "dydd Llun i ddydd Iau, 10am tan 3pm"


@pytest.fixture()
def book(tmp_path: Path) -> AnswerBook:
    return open_book(
        f"sqlite:///{tmp_path}/answers.db", PROJECT_ROOT / "domain.yml", default_registry()
    )


def abercoed() -> Council:
    council = default_registry().get("abercoed")
    assert council is not None and "cy" in council.languages
    return council


def reply(book: AnswerBook, language: str, response: str = "utter_human_handoff") -> str:
    body = {
        "response": response,
        "arguments": {},
        "tracker": {
            "slots": {"council": "abercoed", "language": language},
            "latest_input_channel": "rest",
        },
        "channel": {"name": "rest"},
    }
    return str(server.answer_request(book, body)["text"])


def test_only_text_details_of_welsh_councils_get_a_welsh_field() -> None:
    welsh = [field.name for field in detail_fields(abercoed()) if field.language == "cy"]
    assert welsh == [WELSH_HOURS]
    millbrook = default_registry().get("millbrook")
    assert millbrook is not None
    assert not [field for field in detail_fields(millbrook) if field.language]


def test_an_english_edit_leaves_the_welsh_answer_its_welsh_hours(book: AnswerBook) -> None:
    council = abercoed()
    DetailStore(book.store.engine).save("abercoed", {HOURS: ENGLISH_EDIT}, "aber-staff")
    assert ENGLISH_EDIT in reply(book, "en")
    welsh = reply(book, "cy")
    assert ENGLISH_EDIT not in welsh and str(council.welsh.opening_hours) in welsh


def test_the_welsh_edit_is_what_welsh_answers_get(book: AnswerBook) -> None:
    details = DetailStore(book.store.engine)
    details.save("abercoed", {HOURS: ENGLISH_EDIT, WELSH_HOURS: WELSH_EDIT}, "aber-staff")
    assert WELSH_EDIT in reply(book, "cy") and ENGLISH_EDIT not in reply(book, "cy")
    assert ENGLISH_EDIT in reply(book, "en") and WELSH_EDIT not in reply(book, "en")
    details.save("abercoed", {WELSH_HOURS: None}, "aber-staff")  # reverted
    assert str(abercoed().welsh.opening_hours) in reply(book, "cy")


def test_without_welsh_hours_in_council_yml_the_english_edit_is_used() -> None:
    council = dataclasses.replace(abercoed(), welsh=Welsh(name="Cyngor Abercoed"))
    values = council_values(council, {HOURS: ENGLISH_EDIT}, "cy")
    assert values[HOURS] == ENGLISH_EDIT and values["council_name"] == "Cyngor Abercoed"
    assert council_values(council, {}, "cy")[HOURS] == council.contact["opening_hours"]


def test_numbers_are_one_value_for_both_languages(book: AnswerBook) -> None:
    DetailStore(book.store.engine).save("abercoed", {"council_phone": NEW_PHONE}, "aber-staff")
    assert NEW_PHONE in reply(book, "cy") and NEW_PHONE in reply(book, "en")


def test_previews_show_the_edited_details_in_the_scopes_language(book: AnswerBook) -> None:
    DetailStore(book.store.engine).save(
        "abercoed",
        {"council_phone": NEW_PHONE, HOURS: ENGLISH_EDIT, WELSH_HOURS: WELSH_EDIT},
        "aber-staff",
    )
    web, sms, _ = book.preview("abercoed@cy", "utter_human_handoff", "", "")
    assert NEW_PHONE in web.text and WELSH_EDIT in web.text and NEW_PHONE in sms
    web, _, _ = book.preview("abercoed", "utter_human_handoff", "", "")
    assert NEW_PHONE in web.text and ENGLISH_EDIT in web.text
    web, _, _ = book.preview("brackenbury", "utter_human_handoff", "", "")
    assert NEW_PHONE not in web.text  # another council's details are its own
