"""Issue 10, finding 11: there was no way to erase or export one resident's data.
`python -m assistant privacy erase | export`, by conversation or by phone number."""

from __future__ import annotations

import json

import pytest

from assistant.cli import main
from assistant.rasa_plugins.channels.sms_config import conversation_id
from assistant.settings import Secret
from tests.privacy.conftest import Data, days_ago, session

KEY = "test-sender-key-0123456789abcdef"
PHONE = "07700 900123"


@pytest.fixture()
def cli_env(data: Data, monkeypatch: pytest.MonkeyPatch) -> Data:
    monkeypatch.setenv("ASSISTANT_VAR_DIR", str(data.root))
    monkeypatch.setenv("ASSISTANT_COUNCILS_DIR", str(data.root / "councils"))
    monkeypatch.setenv("ASSISTANT_SMS_SENDER_KEY", KEY)
    for name in ("ASSISTANT_TRACKER_DB_URL", "ASSISTANT_SMS_DB_URL"):
        monkeypatch.delenv(name, raising=False)
    return data


def sms_id(council: str, number: str = "+447700900123") -> str:
    return conversation_id(Secret(KEY), council, number)


def test_erase_by_conversation_deletes_only_that_resident(cli_env: Data) -> None:
    data = cli_env
    data.conversation("web-alice", session("brackenbury", "my postcode is BK1 2AB", days_ago(1)))
    data.conversation("web-bob", session("brackenbury", "bob's message", days_ago(1)))
    data.offer("web-alice", "1 Alice Road", days=1)

    assert main(["privacy", "erase", "--conversation", "web-alice"]) == 0
    assert data.texts("web-alice") == []
    assert data.sms.offered_choices("web-alice") == []
    assert data.texts("web-bob") == ["bob's message"]
    assert main(["privacy", "erase", "--conversation", "web-alice"]) == 0  # idempotent


def test_erase_by_phone_finds_every_council_conversation_of_the_number(cli_env: Data) -> None:
    data = cli_env
    data.conversation(sms_id("millbrook"), session("millbrook", "bin day?", days_ago(1)))
    data.conversation(sms_id("brackenbury"), session("brackenbury", "pothole", days_ago(1)))
    other = sms_id("millbrook", "+447700900999")
    data.conversation(other, session("millbrook", "someone else", days_ago(1)))
    data.offer(sms_id("millbrook"), "12 Mill Street", days=1)
    data.sms.opt_out(sms_id("millbrook"))

    assert main(["privacy", "erase", "--phone", PHONE]) == 0
    assert data.texts(sms_id("millbrook")) == [] and data.texts(sms_id("brackenbury")) == []
    assert data.sms.offered_choices(sms_id("millbrook")) == []
    assert data.sms.is_opted_out(sms_id("millbrook"))  # STOP is still honoured
    assert data.texts(other) == ["someone else"]


def test_export_by_conversation_gives_the_residents_events(
    cli_env: Data, capsys: pytest.CaptureFixture[str]
) -> None:
    data = cli_env
    data.conversation(
        "web-carol",
        session("millbrook", "first visit", days_ago(3)),
        session("millbrook", "my reference is 30012345", days_ago(1)),
    )
    data.conversation("web-dave", session("millbrook", "dave's words", days_ago(1)))
    capsys.readouterr()

    assert main(["privacy", "export", "--conversation", "web-carol"]) == 0
    exported = json.loads(capsys.readouterr().out)
    (conversation,) = exported["conversations"]
    assert conversation["conversation_id"] == "web-carol"
    assert conversation["council"] == "millbrook"
    said = [e["text"] for e in conversation["events"] if e["event"] == "user"]
    assert said == ["first visit", "my reference is 30012345"]  # every session
    assert "reply to first visit" in [e.get("text") for e in conversation["events"]]
    assert "dave" not in json.dumps(exported)


def test_export_by_phone_includes_sms_records(
    cli_env: Data, capsys: pytest.CaptureFixture[str]
) -> None:
    data = cli_env
    data.conversation(sms_id("millbrook"), session("millbrook", "bin day?", days_ago(1)))
    data.offer(sms_id("millbrook"), "12 Mill Street", days=1)
    capsys.readouterr()

    assert main(["privacy", "export", "--phone", "+447700900123"]) == 0
    exported = json.loads(capsys.readouterr().out)
    (conversation,) = exported["conversations"]
    assert conversation["conversation_id"] == sms_id("millbrook")
    assert "12 Mill Street" in conversation["sms"]["choices_offered"]["choices"]


def test_a_phone_needs_the_sender_key(cli_env: Data, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASSISTANT_SMS_SENDER_KEY")
    assert main(["privacy", "erase", "--phone", PHONE]) == 2
    assert main(["privacy", "erase", "--phone", "not a number"]) == 2
