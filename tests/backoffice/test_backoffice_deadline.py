"""Back-office calls: their own worker threads (no cap of 6) and a total deadline."""

from __future__ import annotations

import asyncio
import threading

import pytest

from assistant.backoffice import client, deadline
from assistant.backoffice.errors import BackOfficeNoAnswer


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
