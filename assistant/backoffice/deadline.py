"""Back-office calls off the event loop: their own worker threads and a total deadline.

The vendor clients are blocking HTTP clients, so a call runs in a worker thread.
Those threads are this module's own pool (`ASSISTANT_BACKOFFICE_THREADS`, 32 by
default), not asyncio's default one (min(32, cores + 4): 6 on two cores), which the
database calls also use. The requests' own timeout counts per read; `call_within`
bounds the whole call, however many requests and reads it makes: past the deadline
the action answers at once with BackOfficeNoAnswer (the call may still be made, as
for any unanswered call), and the thread finishes in the background.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol, TypeVar

from assistant.backoffice.errors import BackOfficeNoAnswer
from assistant.settings import Settings

T = TypeVar("T")

_pool: dict[str, ThreadPoolExecutor] = {}


def pool() -> ThreadPoolExecutor:
    """This process's back-office worker threads (made on first use)."""
    if "pool" not in _pool:
        threads = Settings.from_env().backoffice_threads
        _pool["pool"] = ThreadPoolExecutor(threads, thread_name_prefix="backoffice")
    return _pool["pool"]


async def call_within(deadline: float | None, call: Callable[..., T], *args: Any) -> T:
    """`call(*args)` in a back-office thread; BackOfficeNoAnswer after `deadline`
    seconds in all (None: no total deadline, only the client's own timeouts)."""
    loop = asyncio.get_running_loop()
    running = loop.run_in_executor(pool(), functools.partial(call, *args))
    if deadline is None:
        return await running
    try:
        return await asyncio.wait_for(running, deadline)
    except asyncio.TimeoutError:
        name = getattr(call, "__name__", "back-office call")
        raise BackOfficeNoAnswer(f"{name}: no answer within {deadline:g}s in all") from None


# The default bound of one write: several requests in turn (e.g. a definition, the
# POST, a follow-up), each allowed the council's timeout.
WRITE_REQUESTS = 3


class BoundedWrites(Protocol):
    """A back-office service that states how long one of its writes may take."""

    def write_seconds(self) -> float:
        """Seconds one write may take in all: its requests, waits and retries."""
        ...


def write_bound(service: object, timeout: float) -> float:
    """The service's own bound on one write (BoundedWrites), else WRITE_REQUESTS times
    `timeout`. Looked up on its class: stand-ins answering any attribute, or a
    service a council does not provide, get the default."""
    stated = getattr(type(service), "write_seconds", None)
    return float(stated(service)) if callable(stated) else timeout * WRITE_REQUESTS
