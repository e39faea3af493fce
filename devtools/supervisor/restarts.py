"""Restarting a service that dies, with exponential back-off (issue 10, finding 5).

A service that ran for less than `quick_seconds` before dying failed quickly; after
`max_quick_failures` quick failures in a row the supervisor gives up (and `make run`
stops, naming the service and its log) rather than restart it for ever.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RestartPolicy:
    """When to restart a service that died, and when to give up."""

    first_delay: float = 1.0  # seconds before the first restart
    factor: float = 2.0  # each quick failure in a row doubles the wait
    max_delay: float = 60.0
    quick_seconds: float = 60.0  # a service that ran less than this failed quickly
    max_quick_failures: int = 5

    def delay(self, failures: int) -> float:
        """Seconds to wait before restarting after `failures` quick failures in a row."""
        return min(self.max_delay, self.first_delay * self.factor ** max(0, failures - 1))


@dataclass
class RestartState:
    """One service's restarts: quick failures in a row and when it is due again."""

    started_at: float = 0.0
    quick_failures: int = 0
    due_at: float | None = None  # a restart is scheduled for then
    awaiting_health: bool = False  # restarted, not yet answering its health URL
    stopped: bool = False  # stopped on purpose: never restarted

    def died(self, policy: RestartPolicy, now: float) -> float | None:
        """Record a death at `now`: the delay before the restart, or None to give up."""
        ran = now - self.started_at
        self.quick_failures = self.quick_failures + 1 if ran < policy.quick_seconds else 1
        if self.quick_failures > policy.max_quick_failures:
            return None
        delay = policy.delay(self.quick_failures)
        self.due_at = now + delay
        return delay

    def started(self, now: float) -> None:
        self.started_at, self.due_at, self.stopped = now, None, False
