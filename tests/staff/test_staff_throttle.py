"""assistant.staff.throttle: wrong passwords are counted per (username, client) and per
client, in the shared store, so a sprayer cannot lock the real user out."""

from __future__ import annotations

from pathlib import Path

from assistant.attempts import Attempts, MemoryCounters, SqlCounters
from assistant.database import make_engine
from assistant.migrations import migrate
from assistant.staff.throttle import CLIENT_POLICY, PAIR_POLICY, SignInThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def throttle(clock: Clock) -> SignInThrottle:
    return SignInThrottle(Attempts(MemoryCounters(), clock=clock))


def test_a_pair_is_locked_after_five_failures_with_back_off() -> None:
    clock = Clock()
    limits = throttle(clock)
    for _ in range(PAIR_POLICY.free_failures - 1):
        limits.failed("Alice", "10.0.0.1")
    assert limits.blocked_for("alice", "10.0.0.1") == 0
    limits.failed("alice", "10.0.0.1")
    assert limits.blocked_for("ALICE", "10.0.0.1") == 60
    clock.now += 60
    assert limits.blocked_for("alice", "10.0.0.1") == 0
    limits.failed("alice", "10.0.0.1")
    assert limits.blocked_for("alice", "10.0.0.1") == 120  # doubled


def test_a_sprayer_cannot_lock_the_user_out_from_another_client() -> None:
    limits = throttle(Clock())
    for _ in range(50):
        limits.failed("alice", "203.0.113.9")
    assert limits.blocked_for("alice", "203.0.113.9") > 0
    assert limits.blocked_for("alice", "10.0.0.1") == 0


def test_one_client_is_capped_across_usernames() -> None:
    limits = throttle(Clock())
    for number in range(CLIENT_POLICY.free_failures):
        assert limits.blocked_for(f"user{number}", "203.0.113.9") == 0
        limits.failed(f"user{number}", "203.0.113.9")
    assert limits.blocked_for("someone-new", "203.0.113.9") > 0
    assert limits.blocked_for("someone-new", "10.0.0.1") == 0


def test_success_clears_only_its_own_pair() -> None:
    limits = throttle(Clock())
    for _ in range(PAIR_POLICY.free_failures - 1):
        limits.failed("alice", "203.0.113.9")
        limits.failed("alice", "10.0.0.1")
    limits.succeeded("alice", "10.0.0.1")
    limits.failed("alice", "10.0.0.1")
    limits.failed("alice", "203.0.113.9")
    assert limits.blocked_for("alice", "10.0.0.1") == 0
    assert limits.blocked_for("alice", "203.0.113.9") > 0


def test_counts_are_shared_between_processes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'attempts.db'}"
    migrate(url)
    one = SignInThrottle(Attempts(SqlCounters(make_engine(url))))
    other = SignInThrottle(Attempts(SqlCounters(make_engine(url))))
    for _ in range(PAIR_POLICY.free_failures):
        one.failed("alice", "203.0.113.9")
    assert other.blocked_for("alice", "203.0.113.9") > 0
