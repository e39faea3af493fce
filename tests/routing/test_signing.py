"""Signed action calls: what is accepted and what is refused."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.backoffice.errors import BackOfficeConfigError
from assistant.councils import default_registry
from assistant.routing.credentials import action_secret, action_secret_env
from assistant.routing.signing import MAX_AGE_SECONDS, sign, signature_problem

SECRET = "a-secret-of-enough-length"
BODY = b'{"next_action": "action_council_tax_balance"}'
NOW = 1_800_000_000.0


def test_a_fresh_signature_of_the_same_body_is_accepted() -> None:
    assert signature_problem(SECRET, sign(SECRET, BODY, NOW), BODY, NOW + 1) is None


@pytest.mark.parametrize(
    ("header", "body", "problem"),
    [
        (None, BODY, "unsigned"),
        ("", BODY, "unsigned"),
        ("v1=abc", BODY, "malformed signature"),
        ("t=soon,v1=abc", BODY, "malformed signature"),
        (sign(SECRET, BODY, NOW), BODY + b" ", "wrong signature"),  # body changed
        (sign("another-secret-entirely", BODY, NOW), BODY, "wrong signature"),
        (sign(SECRET, BODY, NOW - MAX_AGE_SECONDS - 1), BODY, "stale signature"),
        (sign(SECRET, BODY, NOW + MAX_AGE_SECONDS + 1), BODY, "stale signature"),
    ],
)
def test_unsigned_altered_foreign_or_stale_calls_are_refused(
    header: str | None, body: bytes, problem: str
) -> None:
    assert signature_problem(SECRET, header, body, NOW) == problem


def test_a_replayed_timestamp_cannot_be_moved_forward() -> None:
    stamp, mac = sign(SECRET, BODY, NOW - 3600).split(",")
    assert signature_problem(SECRET, f"t={int(NOW)},{mac}", BODY, NOW) == "wrong signature"


def test_each_council_names_its_own_secret_variable() -> None:
    millbrook = default_registry().get("millbrook")
    assert millbrook is not None
    assert action_secret_env(millbrook) == "ASSISTANT_ACTIONS_SECRET_MILLBROOK"
    assert action_secret_env(None) == "ASSISTANT_SHARED_ACTIONS_SECRET"
    assert millbrook.action_server is not None
    section = millbrook.action_server.copy(update={"secret_env": "MQ_ACTIONS_HMAC"})
    named = replace(millbrook, action_server=section)
    assert action_secret_env(named) == "MQ_ACTIONS_HMAC"
    assert action_secret(named, {"MQ_ACTIONS_HMAC": SECRET}) == SECRET
    with pytest.raises(BackOfficeConfigError, match="MQ_ACTIONS_HMAC"):
        action_secret(named, {"MQ_ACTIONS_HMAC": "short"})
