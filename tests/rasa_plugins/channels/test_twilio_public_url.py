"""Twilio's signature is checked against the configured public URL, never the Host header."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from twilio.request_validator import RequestValidator

from assistant.councils import CouncilRegistry
from assistant.rasa_plugins.channels.sms import SmsRejected
from assistant.rasa_plugins.channels.sms_config import SmsDirectory, SmsSettings
from assistant.rasa_plugins.channels.sms_twilio import TwilioSmsInput

TOKEN = "a-twilio-auth-token-for-tests"
PATH = "/webhooks/sms_twilio/webhook"
PUBLIC = "https://assistant.example.gov.uk"
FORM = {"MessageSid": "SM1", "From": "+447700900321", "To": "+447700900100", "Body": "hi"}


def channel(public_url: str | None) -> TwilioSmsInput:
    env = {"BRACKENBURY_TWILIO_AUTH_TOKEN": TOKEN}
    if public_url:
        env["ASSISTANT_PUBLIC_URL"] = public_url
    return TwilioSmsInput(SmsSettings.from_env(env))


def webhook(signed_for: str, host: str) -> SimpleNamespace:
    """A Twilio webhook arriving with `Host: host`, signed for the URL `signed_for`."""
    signature = RequestValidator(TOKEN).compute_signature(signed_for, FORM)
    return SimpleNamespace(
        headers={"X-Twilio-Signature": signature, "Host": host},
        content_type="application/x-www-form-urlencoded",
        body=urlencode(FORM).encode(),
        path=PATH,
        query_string="",
        url=f"http://{host}{PATH}",
    )


def account():  # type: ignore[no-untyped-def]
    directory = SmsDirectory.from_registry(CouncilRegistry.load())
    found = directory.account_for("twilio", FORM["To"])
    assert found is not None and found.secret_env["auth_token"] == "BRACKENBURY_TWILIO_AUTH_TOKEN"
    return found


def test_a_request_signed_for_the_public_url_is_accepted() -> None:
    channel(PUBLIC).authenticate(webhook(PUBLIC + PATH, "10.0.0.5:5005"), account())


def test_a_spoofed_host_header_does_not_move_the_signed_url() -> None:
    # A request Twilio signed for another address (the attacker's host), replayed here
    # with that Host header: it matches request.url, but not the public URL.
    spoofed = webhook("http://attacker.example" + PATH, "attacker.example")
    with pytest.raises(SmsRejected) as refused:
        channel(PUBLIC).authenticate(spoofed, account())
    assert refused.value.status == 403


@pytest.mark.parametrize("host", ["localhost:5005", "attacker.example"])
def test_without_a_public_url_every_webhook_is_refused_naming_the_setting(host: str) -> None:
    # Before: the URL came from the Host header, so a request signed for any host
    # the caller names was accepted.
    signed_for_host = webhook(f"http://{host}{PATH}", host)
    with pytest.raises(SmsRejected) as refused:
        channel(None).authenticate(signed_for_host, account())
    assert refused.value.status == 503 and "ASSISTANT_PUBLIC_URL" in str(refused.value)
