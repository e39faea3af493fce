"""Values from the conversation are text in the web chat: their Markdown is escaped
for the socket.io channel only (REST and SMS get them as they are)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answers.book import AnswerBook
from assistant.answers.seed import open_book
from assistant.answers.server import answer_request
from assistant.answers.web_text import as_text
from assistant.councils import default_registry
from assistant.settings import PROJECT_ROOT

HOSTILE = "[prize](https://evil.example) ![x](http://outside.example/x.png) **big**"


@pytest.fixture()
def book(tmp_path: Path) -> AnswerBook:
    return open_book(
        f"sqlite:///{tmp_path}/answers.db", PROJECT_ROOT / "domain.yml", default_registry()
    )


def test_markdown_characters_are_escaped_but_one_address_is_kept() -> None:
    assert as_text("*345") == r"\*345"
    assert as_text(r"a\b [c](d) _e_ !`") == r"a\\b \[c\]\(d\) \_e\_ \!\`"
    assert as_text("https://pay.example/a_b*c") == "https://pay.example/a_b*c"
    assert as_text(12.5) == 12.5


def reply(book: AnswerBook, channel: str) -> str:
    body = {
        "response": "utter_confirm_payment",
        "tracker": {"slots": {"council": "millbrook"}},
        "arguments": {"amount": HOSTILE, "reference": "*345"},
        "channel": {"name": channel},
    }
    return answer_request(book, body)["text"]


def test_web_chat_gets_conversation_values_escaped(book: AnswerBook) -> None:
    web = reply(book, "socketio")
    assert r"\[prize\]\(https\://evil.example\)" in web
    assert r"\!\[x\]" in web and r"\*\*big\*\*" in web
    assert r"account \*345" in web


@pytest.mark.parametrize("channel", ["rest", "sms_twilio"])
def test_other_channels_get_values_as_they_are(book: AnswerBook, channel: str) -> None:
    text = reply(book, channel)
    assert "*345" in text and r"\*" not in text
