"""What the SMS channel tests share: the demo councils' gateway accounts, the fake
gateway (devtools/fake_sms) served over HTTP in this process, channel settings
pointed at it, and reading what it was sent."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests

from assistant.councils import CouncilRegistry
from assistant.rasa_plugins.channels.sms_config import (
    GatewayAccount,
    SmsDirectory,
    SmsSettings,
    demo_environment,
)
from devtools.fake_sms.gateway import Accounts, FakeGateway
from devtools.fake_sms.server import make_handler


@pytest.fixture(scope="module")
def registry() -> CouncilRegistry:
    return CouncilRegistry.load()


@pytest.fixture(scope="module")
def env(registry: CouncilRegistry) -> dict[str, str]:
    return demo_environment(registry, {})


@pytest.fixture(scope="module")
def gateway_url(registry: CouncilRegistry, env: dict[str, str]) -> Iterator[str]:
    """The fake gateway, serving every demo council's accounts."""
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), make_handler(FakeGateway(Accounts.from_registry(registry, env)))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def sms_settings(
    tmp_path: Path, env: dict[str, str], gateway_url: str, **extra: str
) -> SmsSettings:
    """Channel settings with a fresh SMS database, both gateway APIs at the fake one
    (its messages cleared), and any `extra` environment."""
    requests.delete(f"{gateway_url}/_fake/messages", timeout=5)
    return SmsSettings.from_env(
        {
            **env,
            "ASSISTANT_SMS_DB_URL": f"sqlite:///{tmp_path}/sms.db",
            "ASSISTANT_TWILIO_API_URL": gateway_url,
            "ASSISTANT_NOTIFY_API_URL": gateway_url,
            **extra,
        }
    )


def fake_state(gateway_url: str) -> dict[str, Any]:
    """The fake gateway's state: the messages it was sent, and more."""
    return requests.get(f"{gateway_url}/_fake/messages", timeout=5).json()


def sent(gateway_url: str) -> list[dict[str, Any]]:
    """The messages the fake gateway was sent."""
    return list(fake_state(gateway_url)["messages"])


def account_of(registry: CouncilRegistry, gateway: str, council: str) -> GatewayAccount:
    """The demo `council`'s account with `gateway`."""
    accounts = SmsDirectory.from_registry(registry).accounts.values()
    return next(a for a in accounts if a.gateway == gateway and a.council.id == council)
