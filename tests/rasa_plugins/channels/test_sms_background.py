"""Background replies, gateway limits and retries: the real channel code and the real
gateway clients, sending over HTTP to the fake gateway (in this process), which
answers with error bodies recorded from the gateways' documentation."""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import requests
from twilio.base.exceptions import TwilioRestException

from assistant.rasa_plugins.channels.sms import SmsInput
from assistant.rasa_plugins.channels.sms_config import (
    GatewayAccount,
    SmsSettings,
    conversation_id,
)
from assistant.rasa_plugins.channels.sms_notify import NotifySmsInput
from assistant.rasa_plugins.channels.sms_retry import (
    RetryPolicy,
    describe,
    is_permanent,
    send_with_retries,
)
from assistant.rasa_plugins.channels.sms_text import count_segments
from assistant.rasa_plugins.channels.sms_twilio import TwilioSmsInput
from assistant.rasa_plugins.channels.sms_worker import ReplyWorker
from tests.support.sms import account_of, fake_state, sms_settings

RESIDENT = "+447700900654"
FIXTURES = json.loads((Path(__file__).parent / "fixtures" / "gateway_errors.json").read_text())
RECORDED = {name: case for name, case in FIXTURES.items() if not name.startswith("_")}
CHANNELS: dict[str, type[SmsInput]] = {"twilio": TwilioSmsInput, "notify": NotifySmsInput}


@pytest.fixture()
def settings(tmp_path: Path, env: dict[str, str], gateway_url: str) -> SmsSettings:
    return sms_settings(
        tmp_path,
        env,
        gateway_url,
        ASSISTANT_SMS_SEND_ATTEMPTS="3",
        ASSISTANT_SMS_RETRY_DELAY="0.01",
    )


class SlowRasa:
    """Stands in for Rasa's `on_new_message`: waits `delay` seconds, then replies."""

    def __init__(self, text: str, delay: float = 0.0, fail: bool = False) -> None:
        self.text, self.delay, self.fail = text, delay, fail
        self.finished_at: float | None = None
        self.calls = 0

    async def __call__(self, message: Any) -> None:
        self.calls += 1
        await asyncio.sleep(self.delay)
        self.finished_at = time.monotonic()
        if self.fail:
            raise RuntimeError(f"the turn broke on {message.text!r}")
        await message.output_channel.send_response(message.sender_id, {"text": self.text})


def plan(gateway_url: str, count: int, case: dict[str, Any] | None = None) -> None:
    body: dict[str, Any] = {"fail_next": count}
    if case is not None:
        body.update(status=case["status"], body=case["body"])
    assert requests.post(f"{gateway_url}/_fake/faults", json=body, timeout=5).ok


def notify_webhook(
    channel: NotifySmsInput, account: GatewayAccount, body: str, message_id: str
) -> SimpleNamespace:
    """A Notify received-text callback as the channel's handler reads it."""
    token = account.secret("inbound_token", channel.settings.environ)
    return SimpleNamespace(
        json={
            "id": message_id,
            "source_number": RESIDENT.removeprefix("+"),
            "destination_number": account.numbers[0],
            "message": body,
        },
        headers={"Authorization": f"Bearer {token}"},
    )


# --- the webhook is acknowledged at once; the reply follows through the API ---------


def test_webhook_is_acknowledged_before_a_slow_turn_ends(settings, registry, gateway_url):
    channel = NotifySmsInput(settings)
    account = account_of(registry, "notify", "millbrook")
    rasa = SlowRasa("Your bins are collected on Tuesday.", delay=0.6)
    message_id = str(uuid.uuid4())

    async def scenario() -> tuple[float, int]:
        request = notify_webhook(channel, account, "bin day?", message_id)
        response = await channel.handle(request, rasa)  # type: ignore[arg-type]
        acked_at = time.monotonic()
        # A redelivery while the turn is still running: acknowledged, not answered again.
        await channel.handle(request, rasa)  # type: ignore[arg-type]
        assert fake_state(gateway_url)["messages"] == []
        await channel.worker.drain()
        return acked_at, response.status

    acked_at, status = asyncio.run(scenario())
    assert status in (200, 204)
    assert rasa.finished_at is not None and acked_at < rasa.finished_at
    [message] = fake_state(gateway_url)["messages"]
    assert message["body"] == "Your bins are collected on Tuesday."
    assert rasa.calls == 1


def test_a_failed_turn_is_apologised_for_and_logged_without_resident_text(
    settings, registry, gateway_url, caplog
):
    channel = NotifySmsInput(settings)
    account = account_of(registry, "notify", "millbrook")
    secret = "my neighbour at 4 Orchard Road"

    async def scenario() -> None:
        request = notify_webhook(channel, account, secret, str(uuid.uuid4()))
        await channel.handle(request, SlowRasa("", fail=True))  # type: ignore[arg-type]
        await channel.worker.drain()

    with caplog.at_level(logging.INFO):
        asyncio.run(scenario())
    [message] = fake_state(gateway_url)["messages"]
    assert message["body"].startswith("Sorry") and "01632 960 500" in message["body"]
    assert "RuntimeError" in caplog.text
    assert secret not in caplog.text and "900654" not in caplog.text


def test_worker_caps_concurrency_and_keeps_each_conversations_order():
    worker = ReplyWorker(concurrency=2, backlog=6)
    running, peak, order = 0, 0, []

    def job(conversation: str, number: int):
        async def run() -> None:
            nonlocal running, peak
            running += 1
            peak = max(peak, running)
            await asyncio.sleep(0.02 * (3 - number % 3))  # later jobs finish sooner
            order.append((conversation, number))
            running -= 1

        return run

    async def scenario() -> bool:
        for number in range(6):
            conversation = "a" if number % 2 == 0 else "b"
            worker.start(conversation, f"m{number}", job(conversation, number))
        full = not worker.accepts()
        assert worker.busy_with("m5")
        await worker.drain()
        return full

    assert asyncio.run(scenario()) is True  # six waiting fill a backlog of six
    assert peak == 2
    assert [n for c, n in order if c == "a"] == [0, 2, 4]
    assert [n for c, n in order if c == "b"] == [1, 3, 5]
    assert worker.accepts() and not worker.busy_with("m5")


# --- limits: Notify's 918 characters and the council's segment cap ----------------


@pytest.mark.parametrize("gateway", ["notify", "twilio"])
def test_replies_never_exceed_the_gateways_limit(settings, registry, gateway_url, gateway):
    channel = CHANNELS[gateway](settings)
    account = replace(account_of(registry, gateway, "brackenbury"), max_segments=10)
    long_answer = "Your garden waste bin is collected every other Tuesday. " * 40
    conversation = conversation_id(settings.sender_key, "brackenbury", RESIDENT)
    asyncio.run(channel.answer(account, RESIDENT, conversation, "garden", SlowRasa(long_answer)))
    [message] = fake_state(gateway_url)["messages"]
    count = count_segments(message["body"])
    assert count.segments <= 10
    if gateway == "notify":
        assert len(message["body"]) <= 918 < len(long_answer)
    else:
        assert len(message["body"]) > 918  # Twilio takes ten segments (up to 1,600)
    assert "More: https://" in message["body"]


# --- retries: permanent refusals never, temporary ones with back-off ---------------


@pytest.mark.parametrize("name", sorted(RECORDED))
def test_recorded_refusals_are_retried_only_when_temporary(settings, registry, gateway_url, name):
    case = RECORDED[name]
    channel = CHANNELS[case["gateway"]](settings)
    account = account_of(registry, case["gateway"], "brackenbury")
    conversation = conversation_id(settings.sender_key, "brackenbury", RESIDENT)
    plan(gateway_url, 2, case)
    rasa = SlowRasa("Your bins are collected on Tuesday.")
    if case["permanent"]:
        with pytest.raises(Exception) as refused:
            asyncio.run(channel.answer(account, RESIDENT, conversation, "bins", rasa))
        assert is_permanent(refused.value)
        assert fake_state(gateway_url)["refused"] == 1  # not tried again
        assert fake_state(gateway_url)["messages"] == []
        plan(gateway_url, 0)
    else:
        asyncio.run(channel.answer(account, RESIDENT, conversation, "bins", rasa))
        assert fake_state(gateway_url)["refused"] == 2
        assert len(fake_state(gateway_url)["messages"]) == 1


def test_temporary_refusals_give_up_after_the_attempts(settings, registry, gateway_url):
    channel = TwilioSmsInput(settings)
    account = account_of(registry, "twilio", "brackenbury")
    conversation = conversation_id(settings.sender_key, "brackenbury", RESIDENT)
    plan(gateway_url, 10, RECORDED["twilio_service_unavailable"])
    with pytest.raises(TwilioRestException):
        asyncio.run(channel.answer(account, RESIDENT, conversation, "hi", SlowRasa("Hello")))
    assert fake_state(gateway_url)["refused"] == settings.send_attempts == 3
    plan(gateway_url, 0)


def test_background_reply_refused_for_good_is_not_kept_for_a_redelivery(
    settings, registry, gateway_url
):
    channel = NotifySmsInput(settings)
    account = account_of(registry, "notify", "millbrook")
    message_id = str(uuid.uuid4())
    plan(gateway_url, 5, RECORDED["notify_bad_request"])

    async def scenario() -> None:
        request = notify_webhook(channel, account, "hello", message_id)
        await channel.handle(request, SlowRasa("Hello"))  # type: ignore[arg-type]
        await channel.worker.drain()

    asyncio.run(scenario())
    plan(gateway_url, 0)
    assert fake_state(gateway_url)["refused"] == 1
    assert channel.store.pending_reply("notify", message_id) is None


def test_back_off_doubles_between_tries():
    waits: list[float] = []
    failures = iter([TwilioRestException(429, "u"), TwilioRestException(500, "u")])

    async def send() -> None:
        error = next(failures, None)
        if error is not None:
            raise error

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    tries = asyncio.run(send_with_retries(send, RetryPolicy(4, 0.5), sleep))
    assert (tries, waits) == (3, [0.5, 1.0])


def test_failures_are_described_without_the_gateways_message():
    case = RECORDED["twilio_invalid_to"]
    error = TwilioRestException(400, "u", case["body"]["message"], code=21211)
    described = describe(error)
    assert described == "TwilioRestException status 400 code 21211"
    assert "+447700900999" not in described
