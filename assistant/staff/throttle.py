"""Slows down password guessing on the staff site, in the shared attempts store
(assistant.attempts), so every process and replica counts the same failures.

Failures are counted per (username, client) pair and per client. A pair is locked
after 5 wrong passwords (1 minute, doubling, at most 15); a client after 20 wrong
passwords for any usernames. There is no lock per username alone, so someone
guessing from one client cannot lock the real user out when they sign in from
another. A right password clears only its own pair's count.
"""

from __future__ import annotations

from assistant.attempts import Attempts, MemoryCounters, Policy

PAIR_POLICY = Policy(free_failures=5, base_lock=60.0, max_lock=15 * 60.0, window=3600.0)
CLIENT_POLICY = Policy(free_failures=20, base_lock=60.0, max_lock=15 * 60.0, window=3600.0)


class SignInThrottle:
    """Failed sign-ins per (username, client) and per client."""

    def __init__(self, attempts: Attempts | None = None) -> None:
        attempts = attempts or Attempts(MemoryCounters())
        self.pairs = attempts.with_policy(PAIR_POLICY)
        self.clients = attempts.with_policy(CLIENT_POLICY)

    @staticmethod
    def _pair(username: str, client: str) -> str:
        return f"{username.strip().lower()}\0{client}"

    def blocked_for(self, username: str, client: str) -> float:
        """Seconds before `username` may try again from `client` (0: now)."""
        return max(
            self.pairs.locked_for("staff-pair", self._pair(username, client)),
            self.clients.locked_for("staff-client", client),
        )

    def failed(self, username: str, client: str) -> None:
        self.pairs.failed("staff-pair", self._pair(username, client))
        self.clients.failed("staff-client", client)

    def succeeded(self, username: str, client: str) -> None:
        self.pairs.clear("staff-pair", self._pair(username, client))
