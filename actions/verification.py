"""A verified identity: bound to the session it was proved in, short-lived, and
guarded by attempt limits that hold across conversations.

The `verified_account` slot holds `<council>:<reference>` and `verified_at` when it
was proved. It counts only in the same session and for the council's
`verification.expires_minutes` (default 15); it is never carried into a new session.

Failed checks are counted in the shared attempts store (assistant.attempts) per
account reference and per client (the conversation: for SMS, the hash of the phone
number), so a new conversation or a restart does not reset them: after 3 failures
the reference (or client) is locked for a minute, doubling, up to an hour.
"""

from __future__ import annotations

import functools
import time
from typing import Any

from rasa_sdk import Tracker

from assistant.attempts import Attempts, Policy, open_attempts
from assistant.councils import Council
from assistant.settings import Settings

IDENTITY_POLICY = Policy(free_failures=3, base_lock=60.0, max_lock=3600.0, window=24 * 3600.0)

VERIFIED_ACCOUNT_SLOT = "verified_account"
VERIFIED_AT_SLOT = "verified_at"
# A council tax account proved (`<council>:<reference>`), or a tenancy (`<council>:<uprn>`
# of the home), each with the time it was proved.
ACCOUNT_PROOF = (VERIFIED_ACCOUNT_SLOT, VERIFIED_AT_SLOT)
TENANCY_PROOF = ("verified_tenancy", "verified_tenancy_at")
# Slots that belong to one session only: dropped when a new session starts.
SESSION_BOUND_SLOTS = (*ACCOUNT_PROOF, *TENANCY_PROOF)


def expiry_minutes(council: Council) -> float:
    """How long a verification holds for `council`: council.yml
    `verification.expires_minutes`, else 15."""
    return float(council.verification.expires_minutes)


def verified_slots(
    council: Council,
    reference: str,
    now: float | None = None,
    proof: tuple[str, str] = ACCOUNT_PROOF,
) -> dict[str, Any]:
    """The slots that record a successful check of `reference` now."""
    value_slot, at_slot = proof
    return {value_slot: f"{council.id}:{reference}", at_slot: time.time() if now is None else now}


def session_started_at(tracker: Tracker) -> float | None:
    """When the conversation's current session started (None if it never did)."""
    for event in reversed(tracker.events):
        if event.get("event") == "session_started":
            stamp = event.get("timestamp")
            return float(stamp) if isinstance(stamp, int | float) else None
    return None


def verified_reference(
    tracker: Tracker,
    council: Council,
    now: float | None = None,
    proof: tuple[str, str] = ACCOUNT_PROOF,
) -> str | None:
    """The reference proved for `council` in this session and not yet expired, if any."""
    value_slot, at_slot = proof
    verified = tracker.get_slot(value_slot)
    verified_at = tracker.get_slot(at_slot)
    if not isinstance(verified, str) or not isinstance(verified_at, int | float):
        return None
    owner, _, reference = verified.partition(":")
    if owner != council.id or not reference:
        return None
    current = time.time() if now is None else now
    if current - verified_at > expiry_minutes(council) * 60 or verified_at > current + 60:
        return None
    started = session_started_at(tracker)
    if started is not None and verified_at < started:
        return None  # proved in an earlier session
    return reference


@functools.cache
def identity_attempts() -> Attempts:
    """This process's view of the shared attempts store (opened on first use)."""
    return open_attempts(Settings.from_env(), IDENTITY_POLICY)


def _counted(
    tracker: Tracker, council: Council, check: str, subjects: tuple[str, ...]
) -> list[tuple[str, str]]:
    """The counters a check is limited by: one per subject (the account reference; for
    a tenancy also the home) and one for the client (the conversation)."""
    counters = [(f"{check}-reference", f"{council.id}:{subject}") for subject in subjects]
    return [*counters, (f"{check}-client", f"{council.id}:{tracker.sender_id}")]


def check_locked(tracker: Tracker, council: Council, check: str, *subjects: str) -> bool:
    """Whether a check of `subjects` may not be made now, from this client or any other."""
    attempts = identity_attempts()
    counters = _counted(tracker, council, check, subjects)
    return any(attempts.locked_for(kind, value) > 0 for kind, value in counters)


def check_failed(tracker: Tracker, council: Council, check: str, *subjects: str) -> bool:
    """Count a failed check of `subjects`; whether it is now locked."""
    attempts = identity_attempts()
    counters = _counted(tracker, council, check, subjects)
    return any([attempts.failed(kind, value) > 0 for kind, value in counters])
