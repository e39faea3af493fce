"""assistant.staff.throttle: repeated wrong passwords block a username for a while."""

from __future__ import annotations

from assistant.staff.throttle import SignInThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_blocks_after_too_many_failures_then_forgets() -> None:
    clock = Clock()
    throttle = SignInThrottle(max_failures=3, window=60, clock=clock)
    for _ in range(2):
        throttle.failed("Alice")
    assert not throttle.blocked("alice")
    throttle.failed("alice")
    assert throttle.blocked("ALICE")
    assert not throttle.blocked("bob")
    clock.now = 61
    assert not throttle.blocked("alice")


def test_success_clears_failures() -> None:
    throttle = SignInThrottle(max_failures=2, window=60, clock=Clock())
    throttle.failed("alice")
    throttle.succeeded("alice")
    throttle.failed("alice")
    assert not throttle.blocked("alice")
