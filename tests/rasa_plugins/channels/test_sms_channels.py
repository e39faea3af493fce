"""The SMS channels' shared logic, with the real gateway clients sending to the fake
gateway over HTTP (in this process), and a stand-in for Rasa that records what it gets."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest
import requests

from assistant.councils import CouncilConfigError, CouncilRegistry
from assistant.councils.schema import Sms, TwilioAccount
from assistant.rasa_plugins.channels.sms_config import (
    SmsDirectory,
    SmsSettings,
    conversation_id,
    demo_environment,
    gateway_accounts,
    normalise_number,
)
from assistant.rasa_plugins.channels.sms_notify import NotifySmsInput
from assistant.rasa_plugins.channels.sms_store import SmsStore
from assistant.rasa_plugins.channels.sms_text import Reply, count_segments
from assistant.rasa_plugins.channels.sms_twilio import TwilioSmsInput
from tests.support.council_files import write_demo_councils
from tests.support.sms import account_of, sent, sms_settings

RESIDENT = "+447700900321"


@pytest.fixture()
def settings(tmp_path: Path, env: dict[str, str], gateway_url: str) -> SmsSettings:
    return sms_settings(tmp_path, env, gateway_url)


class FakeRasa:
    """Stands in for Rasa's `on_new_message`: records the message, replies `replies`."""

    def __init__(self, *replies: dict) -> None:
        self.replies = list(replies)
        self.received: list = []

    async def __call__(self, message) -> None:
        self.received.append(message)
        for reply in self.replies:
            await message.output_channel.send_response(message.sender_id, dict(reply))


def text_in(channel, registry, body: str, rasa: FakeRasa, council: str = "brackenbury") -> None:
    account = account_of(registry, channel.gateway, council)
    conversation = conversation_id(channel.settings.sender_key, council, RESIDENT)
    asyncio.run(channel.answer(account, RESIDENT, conversation, body, rasa))


@pytest.mark.parametrize("channel_class", [TwilioSmsInput, NotifySmsInput])
def test_reply_goes_out_through_the_official_client(channel_class, settings, registry, gateway_url):
    channel = channel_class(settings)
    rasa = FakeRasa({"text": "Your bins are collected on Tuesday."})
    text_in(channel, registry, "bin day?", rasa)
    assert rasa.received[0].text == "bin day?"
    assert rasa.received[0].metadata == {"council": "brackenbury"}
    assert rasa.received[0].input_channel == channel.name()
    assert rasa.received[0].sender_id.startswith("sms-")
    assert "447700900321" not in rasa.received[0].sender_id
    [message] = sent(gateway_url)
    assert message["gateway"] == channel.gateway
    assert normalise_number(message["to"]) == RESIDENT
    assert message["body"] == "Your bins are collected on Tuesday."


def test_welsh_reply_is_ucs2_and_capped(settings, registry, gateway_url):
    channel = TwilioSmsInput(settings)
    welsh = "Casglir eich biniau ddydd Mawrth (dŵr). Gweler https://www.example.gov.uk/biniau. " + (
        "Mae'r ŵyl ailgylchu yn y Tŷ Cymuned. " * 12
    )
    text_in(channel, registry, "pryd mae'r biniau?", FakeRasa({"text": welsh}), "millbrook")
    [message] = sent(gateway_url)
    assert message["encoding"] == "UCS-2"
    assert 1 < message["segments"] <= 2  # Millbrook's cap
    assert count_segments(message["body"]).segments == message["segments"]
    assert "https://www.example.gov.uk/biniau" in message["body"]


def test_buttons_become_numbers_and_a_number_picks_the_payload(settings, registry, gateway_url):
    channel = NotifySmsInput(settings)
    menu = {
        "text": "Which address?",
        "buttons": [
            {"title": "14 Rose Lane", "payload": '/inform{"uprn":"100"}'},
            {"title": "16 Rose Lane", "payload": '/inform{"uprn":"101"}'},
        ],
    }
    text_in(channel, registry, "BK1 2AB", FakeRasa(menu))
    assert sent(gateway_url)[0]["body"].splitlines()[-3:] == [
        "1. 14 Rose Lane",
        "2. 16 Rose Lane",
        "Reply with a number to choose.",
    ]
    rasa = FakeRasa({"text": "Next collections at 16 Rose Lane"})
    text_in(channel, registry, " 2 ", rasa)
    assert rasa.received[0].text == '/inform{"uprn":"101"}'
    # The choices are spent once a reply without buttons went out: "2" is just text now.
    rasa = FakeRasa({"text": "ok"})
    text_in(channel, registry, "2", rasa)
    assert rasa.received[0].text == "2"


def test_stop_start_with_notify_confirmations(settings, registry, gateway_url):
    channel = NotifySmsInput(settings)
    text_in(channel, registry, "STOP", FakeRasa({"text": "never sent"}))
    assert "START" in sent(gateway_url)[-1]["body"]
    rasa = FakeRasa({"text": "never sent"})
    text_in(channel, registry, "hello", rasa)
    assert len(sent(gateway_url)) == 1 and rasa.received == []  # nothing while opted out
    text_in(channel, registry, "yes", rasa)  # while opted out, YES opts back in (as Twilio)
    assert len(sent(gateway_url)) == 2 and rasa.received == []
    text_in(channel, registry, "Start", FakeRasa({"text": "Hello"}))
    assert len(sent(gateway_url)) == 3  # already opted in: START is just a message
    assert sent(gateway_url)[-1]["body"] == "Hello"
    requests.delete(f"{gateway_url}/_fake/messages", timeout=5)
    text_in(channel, registry, "unsubscribe", FakeRasa())
    text_in(channel, registry, "start", FakeRasa())
    assert [m["body"].split()[0] for m in sent(gateway_url)] == ["You", "You"]
    assert "again" in sent(gateway_url)[-1]["body"]


def test_opt_outs_are_per_council_number(settings, registry, gateway_url):
    channel = TwilioSmsInput(settings)
    text_in(channel, registry, "STOP", FakeRasa())
    text_in(channel, registry, "hello", FakeRasa({"text": "from Millbrook"}), "millbrook")
    assert [m["body"] for m in sent(gateway_url)] == ["from Millbrook"]


def test_a_turn_with_no_reply_texts_an_apology_with_the_councils_details(
    settings, registry, gateway_url
):
    channel = TwilioSmsInput(settings)
    text_in(channel, registry, "pothole on Mill Street", FakeRasa(), "millbrook")
    [message] = sent(gateway_url)
    assert message["body"].startswith("Sorry") and "01632 960 500" in message["body"]
    text_in(channel, registry, "/session_start", FakeRasa(), "millbrook")
    assert len(sent(gateway_url)) == 1  # a new session rightly says nothing


def test_store_claims_each_message_once(tmp_path: Path):
    store = SmsStore(f"sqlite:///{tmp_path}/store.db")
    assert store.claim("twilio", "SM1")
    assert not store.claim("twilio", "SM1")
    assert store.claim("notify", "SM1")  # ids are per gateway
    store.release("twilio", "SM1")  # handling failed: the retry is handled
    assert store.claim("twilio", "SM1")
    store.finish("twilio", "SM1")
    assert not store.claim("twilio", "SM1")
    # Persisted: a new store on the same database remembers.
    again = SmsStore(f"sqlite:///{tmp_path}/store.db")
    assert not again.claim("twilio", "SM1")
    again.opt_out("sms-abc")
    assert store.is_opted_out("sms-abc")
    # An answered message whose reply was not sent keeps the reply for the retry.
    assert store.claim("notify", "N2")
    assert store.pending_reply("notify", "N2") is None
    store.save_reply("notify", "N2", "You won't get any more texts", notice=True)
    assert not store.claim("notify", "N2")
    assert store.pending_reply("notify", "N2") == Reply("You won't get any more texts", True)
    store.finish("notify", "N2")
    assert store.pending_reply("notify", "N2") is None


def test_conversation_id_hides_the_number():
    first = conversation_id(b"key-1", "brackenbury", RESIDENT)
    assert RESIDENT.removeprefix("+") not in first and "900321" not in first
    assert first == conversation_id(b"key-1", "brackenbury", RESIDENT)
    assert first != conversation_id(b"key-2", "brackenbury", RESIDENT)
    assert first != conversation_id(b"key-1", "millbrook", RESIDENT)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+44 7700 900123", "+447700900123"),
        ("07700 900123", "+447700900123"),
        ("447700900123", "+447700900123"),
        ("0044 7700 900123", "+447700900123"),
        ("(07700) 900-123", "+447700900123"),
        ("hello", None),
        ("", None),
        ("+44", None),
        (None, None),
    ],
)
def test_normalise_number(raw, expected):
    assert normalise_number(raw) == expected


def test_every_demo_number_finds_its_council(registry):
    directory = SmsDirectory.from_registry(registry)
    assert directory.account_for("twilio", "+447700900100").council.id == "brackenbury"
    assert directory.account_for("notify", "447700900501").council.id == "millbrook"
    assert directory.account_for("twilio", "07700900501") is None  # a Notify number
    assert directory.account_for("notify", "not a number") is None


def test_demo_secrets_have_the_gateways_shapes(env):
    assert env["BRACKENBURY_TWILIO_ACCOUNT_SID"].startswith("AC")
    assert len(env["BRACKENBURY_TWILIO_ACCOUNT_SID"]) == 34
    key = env["MILLBROOK_NOTIFY_API_KEY"]
    assert len(key[-36:]) == 36 and len(key[-73:-37]) == 36
    assert env["ASSISTANT_SMS_SENDER_KEY"]
    # Values already in the environment are kept, never replaced.
    kept = demo_environment(CouncilRegistry.load(), {"MILLBROOK_NOTIFY_API_KEY": "mine"})
    assert "MILLBROOK_NOTIFY_API_KEY" not in kept


TWILIO = {"account_sid_env": "X_SID", "auth_token_env": "X_TOKEN"}


@pytest.mark.parametrize(
    ("sms", "problem"),
    [
        ("not a mapping", "sms: must be a mapping"),
        ({"max_segments": 0}, "sms.max_segments: ensure this value is greater"),
        ({"twilio": {**TWILIO, "numbers": []}}, "sms.twilio.numbers: ensure this value has at"),
        ({"twilio": {**TWILIO, "numbers": ["call us"]}}, r"numbers\[0\]: is not a phone number"),
        ({"twilio": {**TWILIO, "numbers": ["+447700900100"], "auth_token_env": "s3cr3t"}}, "never"),
        ({"twilio": {"numbers": ["+447700900100"]}}, "sms.twilio.auth_token_env: is required"),
        ({"telegram": {"numbers": ["+447700900100"]}}, "sms.telegram: unknown key"),
    ],
)
def test_invalid_sms_sections_are_clear_errors(tmp_path, sms, problem):
    write_demo_councils(tmp_path, lambda configs: configs["brackenbury"].update(sms=sms))
    with pytest.raises(CouncilConfigError, match=problem):
        CouncilRegistry.load(tmp_path)


def test_accounts_come_from_the_typed_section(registry):
    [twilio, notify] = gateway_accounts(registry.get("millbrook"))
    assert (twilio.gateway, twilio.numbers) == ("twilio", ("+447700900500",))
    assert twilio.max_segments == 2
    assert twilio.secret_env == {
        "account_sid": "MILLBROOK_TWILIO_ACCOUNT_SID",
        "auth_token": "MILLBROOK_TWILIO_AUTH_TOKEN",
    }
    assert notify.options == {"template_id": "9a0e4d7c-2f3b-4e8a-8c1d-5b6a7e8f9c02"}


def test_a_number_used_by_two_councils_is_an_error(registry):
    millbrook = registry.get("millbrook")
    clash = replace(
        millbrook,
        sms=Sms(twilio=TwilioAccount(numbers=["+44 7700 900100"], **TWILIO)),
    )
    with pytest.raises(CouncilConfigError, match="already used by"):
        SmsDirectory.from_registry(
            CouncilRegistry({"brackenbury": registry.get("brackenbury"), "millbrook": clash})
        )


def test_gateway_refuses_wrong_credentials(gateway_url, env):
    from notifications_python_client.errors import HTTPError
    from notifications_python_client.notifications import NotificationsAPIClient
    from twilio.base.exceptions import TwilioRestException
    from twilio.rest import Client

    from assistant.rasa_plugins.channels.sms_twilio import BaseUrlHttpClient

    client = Client(
        env["BRACKENBURY_TWILIO_ACCOUNT_SID"], "wrong", http_client=BaseUrlHttpClient(gateway_url)
    )
    with pytest.raises(TwilioRestException):
        client.messages.create(to=RESIDENT, from_="+447700900100", body="hi")
    forged = env["BRACKENBURY_NOTIFY_API_KEY"][:-36] + "0" * 36
    with pytest.raises(HTTPError):
        NotificationsAPIClient(forged, base_url=gateway_url).send_sms_notification(
            RESIDENT, "3f6c2a1e-7b1d-4c55-9a51-0b9e2d6f1a01", {"body": "hi"}
        )
    assert sent(gateway_url) == [] or all(m["body"] != "hi" for m in sent(gateway_url))


def test_councils_command_checks_sms_sections(tmp_path: Path, monkeypatch, capsys):
    from assistant.cli import main

    source = Path(__file__).resolve().parents[3] / "councils" / "brackenbury" / "council.yml"
    (tmp_path / "brackenbury").mkdir()
    broken = source.read_text(encoding="utf-8").replace(
        "auth_token_env: BRACKENBURY_TWILIO_AUTH_TOKEN", "auth_token_env: 0123secret"
    )
    assert broken != source.read_text(encoding="utf-8")
    (tmp_path / "brackenbury" / "council.yml").write_text(broken, encoding="utf-8")
    monkeypatch.setenv("ASSISTANT_COUNCILS_DIR", str(tmp_path))
    assert main(["councils"]) == 2
    err = capsys.readouterr().err
    assert "sms.twilio.auth_token_env: must name an environment variable" in err


def test_a_missing_secret_is_a_clear_503(tmp_path: Path, registry, gateway_url):
    from assistant.rasa_plugins.channels.sms import SmsRejected

    settings = SmsSettings.from_env(
        {
            "ASSISTANT_SMS_SENDER_KEY": "k",
            "ASSISTANT_SMS_DB_URL": f"sqlite:///{tmp_path}/sms.db",
            "ASSISTANT_TWILIO_API_URL": gateway_url,
        }
    )
    channel = TwilioSmsInput(settings)
    with pytest.raises(SmsRejected) as rejected:
        text_in(channel, registry, "hello", FakeRasa({"text": "hi"}))
    assert rejected.value.status == 503
    assert "BRACKENBURY_TWILIO_ACCOUNT_SID" in rejected.value.message
    assert channel.api_url("https://api.twilio.com") == gateway_url
    assert NotifySmsInput(settings).api_url("https://real") == "https://real"
