"""SMS through the real Rasa server: signed Twilio webhooks and GOV.UK Notify callbacks
in, replies out through Twilio's and Notify's official clients to the fake gateway."""

from __future__ import annotations

import random
import re
import sqlite3
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
import requests
from twilio.request_validator import RequestValidator

from assistant.rasa_plugins.channels.sms_config import conversation_id, normalise_number
from assistant.rasa_plugins.channels.sms_text import count_segments
from assistant.settings import Settings
from devtools.benchmarks import sms_segments
from devtools.supervisor.stack import Stack

pytestmark = pytest.mark.e2e

COUNCILS = {
    "brackenbury": {
        "name": "Brackenbury Borough Council",
        "twilio": "+447700900100",
        "notify": "07700900101",
        "env": "BRACKENBURY",
        "max_segments": 3,
        "postcode": "BK1 2AB",
        "address": "14 Rose Lane",  # one of several: picked by its number
        "pay_link": "https://www.brackenbury.example.gov.uk/council-tax/pay",
    },
    "millbrook": {
        "name": "Millbrook District Council",
        "twilio": "+447700900500",
        "notify": "07700900501",
        "env": "MILLBROOK",
        "max_segments": 2,
        "postcode": "MQ3 7ZD",
        "address": None,  # the only address at the postcode
        "pay_link": "https://www.millbrook.example.gov.uk/pay/council-tax",
    },
}
GATEWAYS = ("twilio", "notify")


def new_mobile() -> str:
    return f"+4477009{random.randint(10000, 99999)}"


@dataclass
class Phone:
    """A resident's phone texting one council through one gateway."""

    gateway: str
    council: str
    rasa_url: str
    gateway_url: str
    env: dict[str, str]
    number: str = field(default_factory=new_mobile)
    received: int = 0

    @property
    def council_number(self) -> str:
        return COUNCILS[self.council][self.gateway]

    @property
    def webhook(self) -> str:
        return f"{self.rasa_url}/webhooks/sms_{self.gateway}/webhook"

    def secret(self, name: str, council: str | None = None) -> str:
        prefix = COUNCILS[council or self.council]["env"]
        return self.env[f"{prefix}_{self.gateway.upper()}_{name}"]

    def post(
        self,
        body: str,
        message_id: str | None = None,
        to: str | None = None,
        auth: str | None = "valid",
        signed_body: str | None = None,
    ) -> requests.Response:
        """Deliver `body` as the gateway would; `auth` "valid", "forged", "other" or None."""
        message_id = message_id or uuid.uuid4().hex
        to = to or self.council_number
        other = "millbrook" if self.council == "brackenbury" else "brackenbury"
        if self.gateway == "twilio":
            form = {
                "MessageSid": "SM" + message_id[:32],
                "AccountSid": self.secret("ACCOUNT_SID"),
                "From": self.number,
                "To": to,
                "Body": body,
                "NumSegments": "1",
            }
            headers = {}
            if auth is not None:
                token = {"valid": self.secret("AUTH_TOKEN"), "forged": "not-the-token"}.get(
                    auth, self.secret("AUTH_TOKEN", other) if auth == "other" else ""
                )
                signed = dict(form, Body=signed_body) if signed_body is not None else form
                public = self.env["ASSISTANT_PUBLIC_URL"] + f"/webhooks/sms_{self.gateway}/webhook"
                headers["X-Twilio-Signature"] = RequestValidator(token).compute_signature(
                    public, signed
                )
            return requests.post(self.webhook, data=form, headers=headers, timeout=60)
        payload = {
            "id": str(uuid.UUID(message_id[:32].ljust(32, "0"))),
            "source_number": self.number.removeprefix("+"),
            "destination_number": to,
            "message": body,
            "date_received": "2026-11-26 12:00:00.000000",
        }
        headers = {}
        if auth is not None:
            token = {"valid": self.secret("INBOUND_TOKEN"), "forged": "not-the-token"}.get(
                auth, self.secret("INBOUND_TOKEN", other) if auth == "other" else ""
            )
            headers["Authorization"] = f"Bearer {token}"
        return requests.post(self.webhook, json=payload, headers=headers, timeout=60)

    def inbox(self) -> list[dict]:
        response = requests.get(
            f"{self.gateway_url}/_fake/messages", params={"to": self.number}, timeout=10
        )
        response.raise_for_status()
        return response.json()["messages"]

    def new_messages(self, wait_for: int = 0, timeout: float = 60) -> list[dict]:
        """Messages that arrived since the last look, waiting until at least `wait_for`
        have (replies come through the gateway's API after the webhook's answer).
        One conversation's replies go out in order, so once a later reply is in, every
        earlier one is too."""
        deadline = time.monotonic() + timeout
        while True:
            messages = self.inbox()
            if len(messages) - self.received >= wait_for or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        fresh = messages[self.received :]
        self.received = len(messages)
        return fresh

    def text(self, body: str) -> str:
        """Send `body`; return the one reply, checked against the council's cap."""
        response = self.post(body)
        assert response.status_code in (200, 204), response.text
        replies = self.new_messages(wait_for=1)
        assert len(replies) == 1, replies
        reply = replies[0]
        assert reply["gateway"] == self.gateway
        if self.gateway == "twilio":  # the reply comes from the number the resident texted
            assert normalise_number(reply["sender"]) == normalise_number(self.council_number)
        assert reply["segments"] <= COUNCILS[self.council]["max_segments"], reply
        assert count_segments(reply["body"]).segments == reply["segments"]
        return reply["body"]


@pytest.fixture(scope="module", autouse=True)
def segment_report(running_stack: Stack, stack_settings: Settings) -> Iterator[None]:
    """When the module ends: segments per reply over every text these conversations
    got (reports/sms_segments.json, and a line on the terminal)."""
    yield
    url = f"{stack_settings.sms_gateway_url}/_fake/messages"
    report = sms_segments.summary(requests.get(url, timeout=10).json()["messages"])
    sms_segments.write(report)
    sys.__stdout__.write(f"\n{sms_segments.line(report)}\n")


@pytest.fixture()
def phone(running_stack: Stack, stack_settings: Settings):
    env = next(service.env for service in running_stack.services if service.name == "rasa")

    def make(gateway: str, council: str) -> Phone:
        return Phone(
            gateway, council, stack_settings.rasa_url, stack_settings.sms_gateway_url, dict(env)
        )

    return make


def numbered(reply: str, title: str) -> str:
    for line in reply.splitlines():
        number, _, rest = line.partition(". ")
        if number.isdigit() and rest.strip().startswith(title):
            return number
    raise AssertionError(f"{title!r} is not a numbered choice in {reply!r}")


@pytest.mark.parametrize("gateway", GATEWAYS)
@pytest.mark.parametrize("council_id", sorted(COUNCILS))
def test_bin_day_conversation_by_sms(phone, council_id: str, gateway: str) -> None:
    council = COUNCILS[council_id]
    me = phone(gateway, council_id)
    assert council["name"] in me.text("Hi")
    assert "postcode" in me.text("when is my bin collected")
    reply = me.text(council["postcode"])
    if council["address"] is not None:
        assert "Which address" in reply
        assert "Reply with a number" in reply
        reply = me.text(numbered(reply, council["address"]))
    assert f"Next collections at {council['address'] or ''}" in reply
    # Buttons become numbered choices; the number picks that button's payload.
    menu = me.text("help")
    assert council["pay_link"] in me.text(numbered(menu, "Pay council tax"))


@pytest.mark.parametrize("gateway", GATEWAYS)
def test_forged_and_unsigned_webhooks_are_rejected(phone, gateway: str) -> None:
    me = phone(gateway, "brackenbury")
    for auth in (None, "forged", "other"):
        response = me.post("hello", auth=auth)
        assert response.status_code == 403, (auth, response.text)
        assert "error" in response.json()
    assert me.inbox() == []
    assert "Brackenbury" in me.text("hello")  # the genuine one still works


def test_twilio_signature_covers_the_body(phone) -> None:
    me = phone("twilio", "millbrook")
    response = me.post("STOP", signed_body="hello")
    assert response.status_code == 403
    assert me.inbox() == []


@pytest.mark.parametrize("gateway", GATEWAYS)
def test_unknown_destination_number_is_rejected(phone, gateway: str) -> None:
    me = phone(gateway, "brackenbury")
    response = me.post("hello", to="+447700900999")
    assert response.status_code == 404
    assert "No council receives" in response.json()["error"]
    # A Notify number is not a Twilio number (and the other way round).
    other = "notify" if gateway == "twilio" else "twilio"
    assert me.post("hello", to=COUNCILS["brackenbury"][other]).status_code == 404
    assert me.inbox() == []


@pytest.mark.parametrize("gateway", GATEWAYS)
def test_retried_delivery_gets_one_reply(phone, gateway: str) -> None:
    me = phone(gateway, "millbrook")
    message_id = uuid.uuid4().hex
    for _ in range(3):
        assert me.post("hello", message_id=message_id).status_code in (200, 204)
    assert len(me.new_messages(wait_for=1)) == 1
    # A different message with the same text is answered.
    assert "Millbrook" in me.text("hello")


@pytest.mark.parametrize("gateway", GATEWAYS)
def test_stop_then_start(phone, gateway: str) -> None:
    me = phone(gateway, "brackenbury")
    me.text("hello")
    assert me.post("Stop").status_code in (200, 204)
    confirmation = me.new_messages(wait_for=0 if gateway == "twilio" else 1)
    if gateway == "twilio":
        assert confirmation == []  # Twilio confirms opt-outs itself
    else:
        assert len(confirmation) == 1 and "START" in confirmation[0]["body"]
    for body in ("hello", "when is bin day", "yes please"):
        assert me.post(body).status_code in (200, 204)
    assert me.new_messages() == []  # nothing at all until START
    assert me.post("START").status_code in (200, 204)
    confirmation = me.new_messages(wait_for=0 if gateway == "twilio" else 1)
    assert len(confirmation) == (0 if gateway == "twilio" else 1)
    # Replies go out in order: this one arriving alone means nothing was sent before it.
    assert "Brackenbury" in me.text("hello")


@pytest.mark.parametrize("gateway", GATEWAYS)
def test_empty_long_and_welsh_bodies(phone, gateway: str) -> None:
    me = phone(gateway, "millbrook")
    assert me.text("")  # a clear reply, not an error
    long_reply = me.text("my bin " * 800)  # 5,600 characters in
    assert long_reply
    welsh = me.text("Pryd mae'r biniau'n cael eu casglu? Diolch yn fawr, ŵyr a ŷ")
    assert welsh


@pytest.mark.parametrize("gateway", GATEWAYS)
def test_malformed_webhooks_get_a_clear_400(running_stack, stack_settings, gateway: str) -> None:
    url = f"{stack_settings.rasa_url}/webhooks/sms_{gateway}/webhook"
    if gateway == "twilio":
        response = requests.post(url, data={"Body": "hi"}, timeout=30)
        assert response.status_code == 400
        assert "MessageSid" in response.json()["error"]
    else:
        response = requests.post(url, data=b"{not json", timeout=30)
        assert response.status_code == 400
        assert "JSON" in response.json()["error"]


def test_pretend_phone_texts_through_the_fake_gateway(running_stack, stack_settings) -> None:
    """`make run`'s pretend phone: the fake gateway signs and delivers like the real one."""
    base = stack_settings.sms_gateway_url
    page = requests.get(f"{base}/_fake/", timeout=10)
    assert page.status_code == 200 and "+447700900500" in page.text
    me = new_mobile()
    result = requests.post(
        f"{base}/_fake/inbound",
        json={"gateway": "twilio", "from": me, "to": "+447700900500", "body": "hello"},
        timeout=60,
    ).json()
    assert result["webhook_status"] == 200
    [reply] = result["replies"]
    assert "Millbrook District Council" in reply["body"]
    unknown = requests.post(
        f"{base}/_fake/inbound",
        json={"gateway": "notify", "from": me, "to": "+447700900999", "body": "hello"},
        timeout=60,
    ).json()
    assert unknown["webhook_status"] == 404 and unknown["replies"] == []


def test_retried_delivery_makes_one_report(phone, stack_settings) -> None:
    """A gateway retrying the message that completes a missed-bin report must not make
    a second report in the council's back-office."""

    def reports() -> int:
        with sqlite3.connect(stack_settings.backoffice_db_path) as db:
            query = "SELECT count(*) FROM service_requests WHERE council = 'millbrook'"
            return db.execute(query).fetchone()[0]

    me = phone("notify", "millbrook")
    assert "postcode" in me.text("the bin men missed us again")
    assert "Report a missed bin" in me.text(COUNCILS["millbrook"]["postcode"])
    before = reports()
    message_id = uuid.uuid4().hex
    for _ in range(3):  # the same delivery, three times
        assert me.post("yes", message_id=message_id).ok
    [reply] = me.new_messages(wait_for=1)
    assert re.search(r"reference is MQR\d+", reply["body"]), reply["body"]
    assert reports() == before + 1


@pytest.mark.parametrize("gateway", GATEWAYS)
def test_a_reply_the_gateway_refused_is_retried_in_the_background(
    phone, gateway: str, stack_workdir
) -> None:
    """The gateway API fails once with a 500: the webhook was already acknowledged, the
    send is retried after a pause, and the same reply goes out once, without asking
    the assistant a second time."""
    me = phone(gateway, "brackenbury")
    refused_before = requests.get(f"{me.gateway_url}/_fake/messages", timeout=10).json()["refused"]
    requests.post(f"{me.gateway_url}/_fake/faults", json={"fail_next": 1}, timeout=10)
    message_id = uuid.uuid4().hex
    assert me.post("hello", message_id=message_id).status_code in (200, 204)
    [reply] = me.new_messages(wait_for=1)
    assert "Brackenbury Borough Council" in reply["body"]
    refused = requests.get(f"{me.gateway_url}/_fake/messages", timeout=10).json()["refused"]
    assert refused == refused_before + 1
    key = me.env["ASSISTANT_SMS_SENDER_KEY"].encode()
    conversation = conversation_id(key, "brackenbury", me.number)
    with sqlite3.connect(stack_workdir / "trackers.db") as db:
        turns = db.execute(
            "SELECT count(*) FROM events WHERE sender_id = ? AND type_name = 'user'",
            (conversation,),
        ).fetchone()[0]
    assert turns == 1


@contextmanager
def slow_back_office(stack_settings: Settings, council: str, delay: float) -> Iterator[None]:
    """The demo back-office answers `council`'s calls `delay` seconds late (its faults)."""
    url = f"{stack_settings.backoffice_url}/_admin/faults"
    body = {"council": council, "mode": "slow", "delay_seconds": delay}
    assert requests.post(url, json=body, timeout=5).status_code == 200
    try:
        yield
    finally:
        requests.post(url, json={"council": council, "mode": "ok"}, timeout=5)


@pytest.mark.parametrize("gateway", GATEWAYS)
def test_a_slow_turn_is_acknowledged_at_once_and_answered_later(
    phone, stack_settings, gateway: str
) -> None:
    """Gateways wait only seconds for the webhook (Notify 5 s): it is answered before
    the turn's slow back-office calls end, and the reply still arrives."""
    me = phone(gateway, "millbrook")
    assert "postcode" in me.text("when is my bin collected")
    with slow_back_office(stack_settings, "millbrook", 2.0):
        started = time.monotonic()
        response = me.post(COUNCILS["millbrook"]["postcode"])
        acknowledged = time.monotonic() - started
        assert response.status_code in (200, 204)
        [reply] = me.new_messages(wait_for=1)
        replied = time.monotonic() - started
    sys.__stdout__.write(f"\n{gateway}: acknowledged {acknowledged:.2f}s, replied {replied:.2f}s\n")
    assert "Next collections at" in reply["body"]
    assert acknowledged * 3 < replied, (acknowledged, replied)
