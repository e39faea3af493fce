"""Issue 10, finding 3: the identity check could be brute-forced, since the limit of
three attempts was per conversation: a fresh sender id reset it (a reference's
postcode was found in 36 guesses). Failures are now counted per reference in the
shared attempts store, which outlives conversations and action server restarts."""

from __future__ import annotations

import uuid

import pytest

from devtools.supervisor.stack import Stack
from tests.e2e.conftest import Chat

pytestmark = pytest.mark.e2e

# A Brackenbury account no other e2e test uses (it stays locked for minutes).
COUNCIL, REFERENCE, POSTCODE = "brackenbury", "30098765", "BK2 4EF"
LOCKED = "for your security"


def guess(chat: Chat, postcode: str) -> str:
    """A new conversation (a fresh sender id) that tries `postcode` for the account."""
    me = f"brute-{uuid.uuid4().hex[:10]}"
    asked = chat.texts(me, "what's my council tax balance", COUNCIL)
    assert "council tax account reference" in asked, asked
    chat.texts(me, REFERENCE, COUNCIL)
    return chat.texts(me, postcode, COUNCIL)


def test_guesses_with_fresh_sender_ids_hit_the_limit_and_it_survives_a_restart(
    chat: Chat, running_stack: Stack
) -> None:
    answers = [guess(chat, postcode) for postcode in ("BK9 1AA", "BK9 1AB", "BK9 1AD")]
    assert all("don't match our records" in answer for answer in answers[:2]), answers
    assert LOCKED in answers[2] and "don't match" not in answers[2]
    # The right postcode, from yet another conversation, is not accepted during the lock.
    during = guess(chat, POSTCODE)
    assert LOCKED in during and "£" not in during and "confirmed" not in during
    # Nor after the council's action server has restarted.
    running_stack.stop_service(f"actions-{COUNCIL}")
    running_stack.start_service(f"actions-{COUNCIL}")
    after = guess(chat, POSTCODE)
    assert LOCKED in after and "£" not in after and "confirmed" not in after
