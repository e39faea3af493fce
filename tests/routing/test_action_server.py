"""The action server's side of signed calls (tests/e2e/test_security_action_calls.py
sends them to the running servers)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest

from assistant.backoffice.errors import BackOfficeConfigError
from assistant.routing import runtime as action_runtime
from assistant.routing.action_server import prepare, unsigned_refusal
from assistant.routing.signing import SIGNATURE_HEADER, sign

SECRET = "millbrook-secret-0123456789"
BODY = json.dumps({"next_action": "action_council_tax_balance"}).encode()


@dataclass
class FakeRequest:
    """What `unsigned_refusal` reads of a Sanic request."""

    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    remote_addr: str = ""
    ip: str = "127.0.0.1"


def test_a_call_signed_with_the_servers_secret_passes() -> None:
    request = FakeRequest(BODY, {SIGNATURE_HEADER: sign(SECRET, BODY)})
    assert unsigned_refusal(request, SECRET, "millbrook") is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "headers", [{}, {SIGNATURE_HEADER: sign("brackenbury-secret-0123456789", BODY)}]
)
def test_unsigned_or_foreign_calls_get_a_401_and_are_logged(
    headers: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    refused = unsigned_refusal(FakeRequest(BODY, headers), SECRET, "millbrook")  # type: ignore[arg-type]
    assert refused is not None and refused.status == 401
    assert "refused an action call to the millbrook action server" in caplog.text
    assert SECRET not in caplog.text


def test_an_action_server_will_not_start_without_its_secret() -> None:
    try:
        with pytest.raises(BackOfficeConfigError, match="ASSISTANT_SHARED_ACTIONS_SECRET"):
            prepare(None, {})
    finally:
        action_runtime.configure(None)
