"""SMS wording costs councils per segment: the greeting fits one GSM-7 segment."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answers.book import AnswerBook
from assistant.answers.seed import open_book
from assistant.councils import default_registry
from assistant.rasa_plugins.channels.sms_text import count_segments
from assistant.settings import PROJECT_ROOT


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> AnswerBook:
    workdir: Path = tmp_path_factory.mktemp("wording")
    return open_book(
        f"sqlite:///{workdir}/answers.db", PROJECT_ROOT / "domain.yml", default_registry()
    )


@pytest.mark.parametrize("council_id", ["brackenbury", "millbrook"])
@pytest.mark.parametrize("channel", ["sms_twilio", "sms_notify"])
def test_the_sms_greeting_is_one_segment(book: AnswerBook, council_id: str, channel: str):
    council = book.registry.get(council_id)
    sms = book.render(
        "utter_greet_council", council, council.template_vars(), channel=channel, slots={}
    )
    web = book.render("utter_greet_council", council, council.template_vars(), channel="rest")
    assert sms is not None and web is not None
    assert council.name in sms.text
    assert count_segments(sms.text).segments == 1, len(sms.text)
    assert count_segments(sms.text).encoding == "GSM-7"
    assert len(sms.text) < len(web.text)


def test_the_sms_greeting_without_a_council_is_one_segment(book: AnswerBook):
    sms = book.render("utter_greet", None, {}, channel="sms_notify", slots={})
    assert sms is not None and count_segments(sms.text).segments == 1
