"""Issue 13, item 4: every answer in Welsh, chosen by the conversation's language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.answers.book import AnswerBook
from assistant.answers.language import language_scope
from assistant.answers.seed import open_book, seed_overrides
from assistant.answers.server import answer_request
from assistant.answers.store import SHARED_SCOPE
from assistant.answers.templates import placeholders
from assistant.councils import councils_dir, default_registry
from assistant.settings import PROJECT_ROOT

WELSH_FILE = PROJECT_ROOT / "assistant" / "answers" / "languages" / "cy.yml"
WELSH_COUNCIL = "abercoed"
ENGLISH_COUNCIL = "brackenbury"


def responses(path: Path) -> dict[str, list[dict[str, Any]]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["responses"]


@pytest.fixture()
def book(tmp_path: Path) -> AnswerBook:
    return open_book(
        f"sqlite:///{tmp_path}/answers.db", PROJECT_ROOT / "domain.yml", default_registry()
    )


def ask(
    book: AnswerBook,
    response: str,
    council: str | None,
    language: str | None = None,
    channel: str = "rest",
    **arguments: object,
) -> dict[str, Any]:
    body = {
        "response": response,
        "arguments": arguments,
        "tracker": {"slots": {"council": council, "language": language}},
        "channel": {"name": channel},
    }
    return answer_request(book, body)


def test_every_response_has_a_welsh_text_with_the_same_placeholders_and_buttons() -> None:
    english, welsh = responses(PROJECT_ROOT / "domain.yml"), responses(WELSH_FILE)
    council_values = set(default_registry().get(WELSH_COUNCIL).template_vars())  # type: ignore[union-attr]
    assert sorted(english) == sorted(welsh), "a response lacks its Welsh text (or is extra)"
    for name, variants in english.items():
        cy = welsh[name]
        assert cy[0].get("text", "").strip(), f"{name} has no Welsh text"
        used = {p for v in variants for p in placeholders(v.get("text", ""))}
        used_cy = {p for v in cy for p in placeholders(v.get("text", ""))}
        assert used_cy <= used | council_values, f"{name}: Welsh uses {used_cy - used}"
        payloads = [b["payload"] for b in variants[0].get("buttons", [])]
        assert [b["payload"] for b in cy[0].get("buttons", [])] == payloads, name
        sms = [v for v in variants if v.get("channel") == "sms"]
        assert len([v for v in cy if v.get("channel") == "sms"]) == len(sms), name


def test_the_language_slot_chooses_welsh_with_the_councils_welsh_details(book: AnswerBook) -> None:
    cy = ask(book, "utter_human_handoff", WELSH_COUNCIL, "cy")["text"]
    en = ask(book, "utter_human_handoff", WELSH_COUNCIL, "en")["text"]
    assert cy.startswith("Gallwch siarad") and "Cyngor Bwrdeistref Sirol Abercoed" in cy
    assert "dydd Llun i ddydd Gwener" in cy and "01632 960 300" in cy
    assert en.startswith("You can speak") and "Abercoed County Borough Council" in en


def test_without_a_language_the_councils_first_language_answers(book: AnswerBook) -> None:
    assert ask(book, "utter_goodbye", WELSH_COUNCIL)["text"].startswith("Hwyl fawr")
    assert ask(book, "utter_goodbye", ENGLISH_COUNCIL)["text"].startswith("Goodbye")
    assert ask(book, "utter_goodbye", None)["text"].startswith("Goodbye")


def test_an_english_only_council_answers_in_english_even_to_welsh(book: AnswerBook) -> None:
    assert ask(book, "utter_goodbye", ENGLISH_COUNCIL, "cy")["text"].startswith("Goodbye")
    # With no council known yet, the resident's Welsh is answered in Welsh.
    assert ask(book, "utter_ask_postcode", None, "cy")["text"].startswith("Er mwyn")


def test_a_bilingual_council_greets_in_both_languages_the_residents_first(
    book: AnswerBook,
) -> None:
    unset = ask(book, "utter_greet_council", WELSH_COUNCIL)["text"]
    english_first = ask(book, "utter_greet_council", WELSH_COUNCIL, "en")["text"]
    assert unset.index("Helo") < unset.index("Hello") and "Cyngor Bwrdeistref Sirol" in unset
    assert english_first.index("Hello") < english_first.index("Helo")
    english_only = ask(book, "utter_greet_council", ENGLISH_COUNCIL)["text"]
    assert "Helo" not in english_only


def test_welsh_buttons_keep_the_payloads(book: AnswerBook) -> None:
    reply = ask(
        book, "utter_confirm_pothole", WELSH_COUNCIL, "cy", location="Stryd y Bont", said="twll"
    )
    assert [b["title"] for b in reply["buttons"]] == ["Ydw", "Nac ydw"]
    assert [b["payload"] for b in reply["buttons"]] == ["/affirm", "/deny"]


def test_dates_and_bin_names_from_the_back_office_are_said_in_welsh(book: AnswerBook) -> None:
    schedule = (
        "- Rubbish (black wheelie bin): Tuesday 1 December\n- Food waste (caddy): Friday 4 December"
    )
    reply = ask(
        book,
        "utter_bin_collections",
        WELSH_COUNCIL,
        "cy",
        address="7 Heol y Felin",
        schedule=schedule,
    )
    text = reply["text"]
    assert "Sbwriel (bin olwynion du): dydd Mawrth 1 Rhagfyr" in text
    assert "Gwastraff bwyd (cadi): dydd Gwener 4 Rhagfyr" in text
    assert "Tuesday" not in text and "Rubbish" not in text
    english = ask(
        book, "utter_bin_collections", WELSH_COUNCIL, "en", address="7", schedule=schedule
    )
    assert "Rubbish (black wheelie bin): Tuesday 1 December" in english["text"]


def test_statuses_money_and_the_councils_own_details_in_welsh(book: AnswerBook) -> None:
    planning = ask(
        book,
        "utter_planning_pending",
        WELSH_COUNCIL,
        "cy",
        reference="AC/24/0123/FUL",
        proposal="Estyniad",
        address="21 Stryd yr Eglwys",
        status="under consideration",
        target_date="15 January 2027",
    )["text"]
    assert "yn cael ei ystyried" in planning and "15 Ionawr 2027" in planning
    balance = ask(
        book,
        "utter_council_tax_next_instalment",
        WELSH_COUNCIL,
        "cy",
        amount="£1,127.50",
        due="Tuesday 1 December",
    )
    assert (
        balance["text"]
        == "Mae eich rhandaliad nesaf o £1,127.50 yn ddyledus: dydd Mawrth 1 Rhagfyr."
    )
    # An action passing the council's English details gets them in Welsh.
    council = default_registry().get(WELSH_COUNCIL)
    assert council is not None
    reply = ask(book, "utter_bin_collection_day", WELSH_COUNCIL, "cy", **council.template_vars())
    assert "Abercoed County" not in reply["text"]


def test_council_welsh_overrides_are_seeded_and_kept_apart_from_english(book: AnswerBook) -> None:
    seed_overrides(book, councils_dir())
    cy = ask(book, "utter_library_info", WELSH_COUNCIL, "cy")["text"]
    en = ask(book, "utter_library_info", WELSH_COUNCIL, "en")["text"]
    assert cy.startswith("Mae tair llyfrgell Abercoed") and en.startswith(
        "Abercoed's three libraries"
    )
    # A staff edit of the Welsh leaves the English as it was, and the other way round.
    scope = language_scope(WELSH_COUNCIL, "cy")
    stored = book.store.get(scope, "utter_library_info")
    assert stored is not None
    book.store.save(
        scope, "utter_library_info", "Croeso i'r llyfrgell.", None, stored.version, "staff"
    )
    assert ask(book, "utter_library_info", WELSH_COUNCIL, "cy")["text"] == "Croeso i'r llyfrgell."
    assert ask(book, "utter_library_info", WELSH_COUNCIL, "en")["text"] == en


def test_a_shared_welsh_edit_applies_to_every_council_answering_in_welsh(book: AnswerBook) -> None:
    book.store.save(
        language_scope(SHARED_SCOPE, "cy"), "utter_goodbye", "Da bo chi.", None, 0, "admin"
    )
    assert ask(book, "utter_goodbye", WELSH_COUNCIL, "cy")["text"] == "Da bo chi."
    assert ask(book, "utter_goodbye", WELSH_COUNCIL, "en")["text"].startswith("Goodbye")


def test_welsh_edits_are_checked_against_welsh_sms_lengths(book: AnswerBook) -> None:
    scope = language_scope(WELSH_COUNCIL, "cy")
    # 3 segments: 459 GSM-7 characters, but only 201 once a ŵ forces UCS-2.
    plain = "Gallwch ffonio'r cyngor. " * 9  # 225 characters, GSM-7
    assert book.check_edit(scope, "utter_goodbye", "Hwyl fawr.", plain.strip()) == []
    welsh = ("Mae'r dŵr yn codi. " * 12).strip()  # 227 characters with ŵ
    errors = book.check_edit(scope, "utter_goodbye", "Hwyl fawr.", welsh)
    assert [e.field for e in errors] == ["sms_text"] and "201 characters" in errors[0].message


def test_welsh_placeholders_that_the_answer_does_not_have_are_refused(book: AnswerBook) -> None:
    scope = language_scope(WELSH_COUNCIL, "cy")
    errors = book.check_edit(scope, "utter_goodbye", "Hwyl {council_tax_ref}", "")
    assert errors and errors[0].field == "text"
    assert book.check_edit(scope, "utter_goodbye", "Hwyl fawr gan {council_name}.", "") == []


def test_sms_in_welsh_is_its_welsh_sms_version_and_greets_in_one_language_once_known(
    book: AnswerBook,
) -> None:
    unset = ask(book, "utter_greet_council", WELSH_COUNCIL, None, channel="sms_twilio")
    assert unset["text"].index("Helo") < unset["text"].index("Hi, I'm")
    reply = ask(book, "utter_greet_council", WELSH_COUNCIL, "cy", channel="sms_twilio")
    assert reply["text"].startswith("Helo, fi yw cynorthwyydd Cyngor Bwrdeistref Sirol Abercoed.")
    assert "\n" not in reply["text"]


def test_an_unknown_response_gets_the_apology_in_the_conversations_language(
    book: AnswerBook,
) -> None:
    welsh = ask(book, "utter_no_such_answer", WELSH_COUNCIL, "cy")["text"]
    assert welsh.startswith("Mae'n ddrwg gen i") and "01632 960 300" in welsh
    assert ask(book, "utter_no_such_answer", WELSH_COUNCIL, "en")["text"].startswith("Sorry")


def test_the_language_switch_is_acknowledged_in_the_language_answered_in(
    book: AnswerBook,
) -> None:
    assert ask(book, "utter_language_switched", WELSH_COUNCIL, "cy")["text"].startswith("Iawn")
    assert ask(book, "utter_language_switched", WELSH_COUNCIL, "en")["text"].startswith("OK")
    # A council without Welsh does not promise Welsh it cannot give.
    assert ask(book, "utter_language_switched", ENGLISH_COUNCIL, "cy")["text"].startswith("OK")
