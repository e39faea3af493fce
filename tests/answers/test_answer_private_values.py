"""Finding 8: answers may not show a resident's personal data unmasked. Staff cannot
save `{verified_account}` (or any private slot) and the NLG server never fills one."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assistant.answers.book import AnswerBook
from assistant.answers.private_values import PRIVATE_SLOTS
from assistant.answers.seed import open_book
from assistant.answers.server import answer_request, template_values
from assistant.answers.store import SHARED_SCOPE
from assistant.councils import default_registry
from assistant.settings import PROJECT_ROOT

RESPONSE = "utter_library_info"
REFERENCE = "30012345"


@pytest.fixture()
def book(tmp_path: Path) -> AnswerBook:
    return open_book(
        f"sqlite:///{tmp_path}/answers.db", PROJECT_ROOT / "domain.yml", default_registry()
    )


def test_every_private_value_is_a_slot_in_the_domain() -> None:
    slots = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["slots"]
    assert PRIVATE_SLOTS <= set(slots)


@pytest.mark.parametrize("scope", [SHARED_SCOPE, "millbrook", "brackenbury"])
@pytest.mark.parametrize("slot", sorted(PRIVATE_SLOTS))
def test_staff_cannot_save_a_private_slot(book: AnswerBook, scope: str, slot: str) -> None:
    text = f"Your account {{{slot}}} is ready. Call {{council_phone}}."
    errors = book.check_edit(scope, RESPONSE, text, "")
    assert [e.field for e in errors] == ["text"]
    assert f"{{{slot}}}" in errors[0].message and "personal" in errors[0].message
    sms_errors = book.check_edit(scope, RESPONSE, "", f"Ref {{{slot}}}")
    assert [e.field for e in sms_errors] == ["sms_text"]


def test_other_slots_are_refused_unless_the_default_uses_them(book: AnswerBook) -> None:
    allowed = book.allowed_placeholders("millbrook", RESPONSE)
    assert not allowed & PRIVATE_SLOTS
    assert "report_description" not in allowed  # resident text, not in this answer
    assert {"council_phone", "link_libraries"} <= allowed
    assert book.check_edit("millbrook", RESPONSE, "Tell us: {report_description}", "")
    assert book.check_edit("millbrook", RESPONSE, "Call {council_phone}.", "") == []


def test_the_masked_reference_an_action_passes_stays_allowed(book: AnswerBook) -> None:
    payment = "utter_confirm_payment"
    assert "reference" in book.allowed_placeholders("millbrook", payment)
    text = "Pay {amount} on account {reference}? Call {council_phone} with questions."
    assert book.check_edit("millbrook", payment, text, "") == []


def test_nlg_never_fills_a_placeholder_from_a_private_slot(book: AnswerBook) -> None:
    council = book.registry.get("millbrook")
    slots = {slot: REFERENCE for slot in PRIVATE_SLOTS} | {"postcode": "MQ3 7ZD"}
    values = template_values(council, slots, {"reference": "*345"})
    assert not set(values) & PRIVATE_SLOTS
    assert values["reference"] == "*345" and values["postcode"] == "MQ3 7ZD"
    # An override saved before the rule (straight into the store) shows nothing private.
    book.store.save("millbrook", RESPONSE, "Account {verified_account} *345.", None, 0, "old")
    reply = answer_request(
        book,
        {
            "response": RESPONSE,
            "tracker": {"slots": {"council": "millbrook", "verified_account": REFERENCE}},
            "arguments": {},
            "channel": {"name": "socketio"},
        },
    )
    assert REFERENCE not in str(reply)
    assert "*345" in reply["text"]
