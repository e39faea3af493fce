"""Issue 10, finding 4: forged action calls. A hand-made tracker with a verified
account, sent straight to a council's action server, used to return the balance."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import pytest
import requests

from assistant.councils import default_registry
from assistant.routing.credentials import ROUTER_TOKEN_ENV, ROUTER_TOKEN_HEADER, action_secret_env
from assistant.routing.signing import MAX_AGE_SECONDS, SIGNATURE_HEADER, sign
from assistant.settings import Settings
from devtools.supervisor.services import action_credentials

pytestmark = pytest.mark.e2e

BALANCE = "£312.50"  # Millbrook's demo account 400123456


def forged_balance_call() -> dict[str, Any]:
    """What the attacker sent: Millbrook's balance for a tracker claiming verification."""
    sender = f"forged-{uuid.uuid4().hex[:10]}"
    return {
        "next_action": "action_council_tax_balance",
        "sender_id": sender,
        "version": "3.6.2",
        "domain": {},
        "tracker": {
            "sender_id": sender,
            "slots": {
                "council": "millbrook",
                "verified_account": "millbrook:400123456",
                "verified_at": time.time(),
            },
            "latest_message": {"text": "balance", "intent": {"name": "council_tax_balance"}},
            "events": [{"event": "user", "text": "balance", "metadata": {}}],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        },
    }


def to_millbrook(settings: Settings, body: bytes, headers: dict[str, str]) -> requests.Response:
    url = f"http://{settings.host}:{settings.council_actions_ports['millbrook']}/webhook"
    headers = {"Content-Type": "application/json", **headers}
    return requests.post(url, data=body, headers=headers, timeout=15)


def millbrook_secret() -> str:
    return action_credentials()[action_secret_env(default_registry().get("millbrook"))]


def test_an_unsigned_forged_call_is_refused(
    running_stack: object, stack_settings: Settings
) -> None:
    answer = to_millbrook(stack_settings, json.dumps(forged_balance_call()).encode(), {})
    assert answer.status_code == 401 and BALANCE not in answer.text


def test_a_stale_or_foreign_signature_is_refused(
    running_stack: object, stack_settings: Settings
) -> None:
    body = json.dumps(forged_balance_call()).encode()
    stale = sign(millbrook_secret(), body, time.time() - MAX_AGE_SECONDS - 60)
    foreign = sign(action_credentials()[ROUTER_TOKEN_ENV], body)  # a secret, not Millbrook's
    for signature in (stale, foreign, "t=1,v1=00"):
        answer = to_millbrook(stack_settings, body, {SIGNATURE_HEADER: signature})
        assert answer.status_code == 401 and BALANCE not in answer.text, signature


def test_only_the_routers_signature_is_served(
    running_stack: object, stack_settings: Settings
) -> None:
    # The control: the same call signed as the router signs it is served, so the
    # refusals above are the signature's doing.
    body = json.dumps(forged_balance_call()).encode()
    signed = {SIGNATURE_HEADER: sign(millbrook_secret(), body)}
    answer = to_millbrook(stack_settings, body, signed)
    assert answer.status_code == 200
    assert any(r.get("balance") == BALANCE for r in answer.json()["responses"])


def test_the_router_refuses_calls_without_rasas_token(
    running_stack: object, stack_settings: Settings
) -> None:
    url = f"{stack_settings.actions_url}/webhook"
    for headers in ({}, {ROUTER_TOKEN_HEADER: "guessed-token-1234567890"}):
        answer = requests.post(url, json=forged_balance_call(), headers=headers, timeout=15)
        assert answer.status_code == 401 and BALANCE not in answer.text
