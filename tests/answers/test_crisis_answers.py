"""Crisis answers are answers like any other: staff can edit them, with the
council's crisis lines as placeholders, and their SMS versions fit."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answers.book import AnswerBook, sms_limit
from assistant.answers.seed import open_book
from assistant.councils import default_registry
from assistant.settings import PROJECT_ROOT

CRISES = [
    "utter_crisis_domestic_abuse",
    "utter_crisis_suicide",
    "utter_crisis_homeless",
    "utter_crisis_child_at_risk",
    "utter_crisis_adult_at_risk",
]


@pytest.fixture()
def book(tmp_path: Path) -> AnswerBook:
    return open_book(
        f"sqlite:///{tmp_path}/answers.db", PROJECT_ROOT / "domain.yml", default_registry()
    )


def test_staff_edit_of_a_crisis_answer_is_served(book: AnswerBook) -> None:
    text = "Nowhere to sleep tonight? Ring {crisis_homelessness_out_of_hours_phone} now."
    assert book.check_edit("millbrook", "utter_crisis_homeless", text, "") == []
    book.store.save("millbrook", "utter_crisis_homeless", text, None, 0, "alice")
    council = book.registry.get("millbrook")
    rendered = book.render("utter_crisis_homeless", council, council.template_vars(), False)
    assert rendered is not None and rendered.text.endswith("Ring 01632 960 549 now.")


@pytest.mark.parametrize("response", CRISES)
@pytest.mark.parametrize("council_id", ["brackenbury", "millbrook"])
def test_crisis_sms_keeps_every_number_within_the_limit(
    book: AnswerBook, response: str, council_id: str
) -> None:
    council = book.registry.get(council_id)
    web = book.render(response, council, council.template_vars(), False)
    sms = book.render(response, council, council.template_vars(), True)
    assert web is not None and sms is not None
    assert len(sms.text) <= sms_limit(council)
    assert "999" in sms.text
    lines = [v for k, v in council.template_vars().items() if k.startswith("crisis_")]
    assert [line for line in lines if line in web.text]  # the council's own lines...
    assert all(line in sms.text for line in lines if line in web.text)  # ...kept in SMS
