"""Slows down password guessing: too many failed sign-ins for one username within a
window and that username is refused until the window has passed (per process)."""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Callable

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60


class SignInThrottle:
    """Counts recent failed sign-ins per username."""

    def __init__(
        self,
        max_failures: int = MAX_FAILURES,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window = window
        self.clock = clock
        self._failures: dict[str, deque[float]] = defaultdict(deque)

    def _recent(self, username: str) -> deque[float]:
        failures = self._failures[username.strip().lower()]
        while failures and self.clock() - failures[0] > self.window:
            failures.popleft()
        return failures

    def blocked(self, username: str) -> bool:
        """True while `username` has had too many recent failures."""
        return len(self._recent(username)) >= self.max_failures

    def failed(self, username: str) -> None:
        self._recent(username).append(self.clock())

    def succeeded(self, username: str) -> None:
        self._failures.pop(username.strip().lower(), None)
