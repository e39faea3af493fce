"""Background replies: the webhook is acknowledged at once, the turn runs later.

Gateways wait only seconds for a webhook's answer (GOV.UK Notify 5 s) and retry
when it is late, while a turn with two back-office calls can take longer. So each
received text becomes a job here: at most `concurrency` jobs run at once, at most
`backlog` wait (beyond that the webhook says "busy" and the gateway retries), and
one conversation's jobs run one after another, so its replies go out in order.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

Job = Callable[[], Awaitable[None]]


class ReplyWorker:
    """Runs reply jobs in the background on the running event loop."""

    def __init__(self, concurrency: int = 8, backlog: int = 500) -> None:
        self.concurrency = concurrency
        self.backlog = backlog
        self._tasks: set[asyncio.Task[None]] = set()
        self._last: dict[str, asyncio.Task[None]] = {}  # conversation -> its latest job
        self._running: set[str] = set()  # message keys with a job not yet finished
        self._semaphore: asyncio.Semaphore | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def accepts(self) -> bool:
        """True while the backlog has room for another job."""
        return len(self._tasks) < self.backlog

    def busy_with(self, message_key: str) -> bool:
        """True while a job for this message is waiting or running."""
        return message_key in self._running

    def start(self, conversation: str, message_key: str, job: Job) -> None:
        """Run `job` after the conversation's earlier jobs, within the concurrency cap."""
        semaphore = self._slots()
        previous = self._last.get(conversation)
        task = asyncio.get_running_loop().create_task(self._run(previous, semaphore, job))
        self._tasks.add(task)
        self._last[conversation] = task
        self._running.add(message_key)

        def finished(done: asyncio.Task[None]) -> None:
            self._tasks.discard(done)
            self._running.discard(message_key)
            if self._last.get(conversation) is done:
                del self._last[conversation]

        task.add_done_callback(finished)

    async def drain(self) -> None:
        """Wait until every job started so far (and any they start) has finished."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    def _slots(self) -> asyncio.Semaphore:
        """The concurrency cap, made for the running loop (tests run several loops)."""
        loop = asyncio.get_running_loop()
        if self._semaphore is None or self._loop is not loop:
            self._semaphore = asyncio.Semaphore(self.concurrency)
            self._loop = loop
            self._last.clear()
        return self._semaphore

    @staticmethod
    async def _run(
        previous: asyncio.Task[None] | None, semaphore: asyncio.Semaphore, job: Job
    ) -> None:
        if previous is not None:
            await asyncio.wait({previous})
        async with semaphore:
            try:
                await job()
            except Exception as error:  # jobs log their own failures; never resident text
                log.error("an SMS reply job failed (%s)", type(error).__name__)
