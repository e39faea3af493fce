"""Back-office calls: their own worker threads (no cap of 6) and a total deadline."""

from __future__ import annotations

import asyncio
import threading

import pytest

from assistant.backoffice import client, deadline
from assistant.backoffice.errors import BackOfficeNoAnswer
from assistant.backoffice.registry import NotProvided
from assistant.backoffice.vendors.govuk_pay import GovUkPayClient, GovUkPayPayments
from assistant.backoffice.vendors.open311 import Open311Client, Open311StreetReports


def test_more_calls_run_at_once_than_the_default_pool_allows() -> None:
    # Each call waits until twelve are running together: with asyncio's default pool
    # on a two-core machine (6 threads) the barrier would break.
    together = threading.Barrier(12, timeout=10)

    def call(number: int) -> int:
        together.wait()
        return number

    async def main() -> list[int]:
        return await asyncio.gather(*(deadline.call_within(30, call, n) for n in range(12)))

    assert asyncio.run(main()) == list(range(12))


def test_a_call_past_its_total_deadline_is_unanswered() -> None:
    release = threading.Event()

    def stuck() -> str:
        release.wait(30)
        return "too late"

    async def main() -> str:
        return await deadline.call_within(0.05, stuck)

    try:
        with pytest.raises(BackOfficeNoAnswer, match="in all"):
            asyncio.run(main())
    finally:
        release.set()


def test_errors_and_answers_pass_through() -> None:
    def broken() -> None:
        raise BackOfficeNoAnswer("read timed out")

    assert asyncio.run(deadline.call_within(None, lambda: 42)) == 42
    with pytest.raises(BackOfficeNoAnswer, match="read timed out"):
        asyncio.run(deadline.call_within(5, broken))


def test_clients_keep_as_many_connections_as_threads() -> None:
    session = client.pooled_session()
    adapter = session.get_adapter("http://backoffice.example")
    assert adapter._pool_maxsize == client.MAX_CONNECTIONS >= 32  # type: ignore[attr-defined]


class StatesItsBound:
    def write_seconds(self) -> float:
        return 1.25


def test_a_write_gets_three_timeouts_unless_its_service_states_its_own_bound() -> None:
    assert deadline.write_bound(object(), 2.0) == 6.0  # the flat rule, the default
    assert deadline.write_bound(StatesItsBound(), 2.0) == 1.25
    # A service the council does not provide answers every attribute with an error.
    assert deadline.write_bound(NotProvided("millbrook", "payments"), 2.0) == 6.0


def test_open311_bounds_a_write_by_its_requests_and_its_token_wait() -> None:
    reports = Open311StreetReports(Open311Client("http://o311.example", "k", timeout=3.0))
    # list, definition, POST, then the token followed for token_wait and its last poll
    assert reports.write_seconds() == 3 * 3.0 + reports.token_wait + 3.0
    reports.token_wait = 10.0  # a longer wait than three timeouts allow in all
    assert reports.write_seconds() == 22.0 > deadline.write_bound(object(), 3.0)


def test_govuk_pay_bounds_a_create_by_its_attempts_and_pauses() -> None:
    payments = GovUkPayPayments(GovUkPayClient("https://pay.example", "k", 2.0))
    payments.client.attempts, payments.client.first_pause = 3, 0.5
    assert payments.write_seconds() == 3 * 2.0 + 0.5 + 1.0
