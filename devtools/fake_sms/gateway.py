"""The fake SMS gateway's state: the accounts it accepts and the messages it recorded.

The gateways' own APIs are devtools/fake_sms/twilio.py and notify.py; the HTTP
server, its `/_fake/` endpoints and the pretend phone are server.py and phone.py.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from http import HTTPStatus
from typing import Any

from assistant.councils import CouncilRegistry
from assistant.rasa_plugins.channels.sms_config import SmsDirectory, gateway_accounts
from assistant.rasa_plugins.channels.sms_text import count_segments

Reply = tuple[HTTPStatus, object]  # an HTTP status and the JSON to answer with


@dataclass
class SentMessage:
    gateway: str
    id: str
    to: str
    sender: str
    body: str
    encoding: str
    segments: int
    sent_at: str


@dataclass(frozen=True)
class Accounts:
    """Credentials the fake accepts: Twilio SID -> token, Notify service id -> secret."""

    twilio: Mapping[str, str]
    notify: Mapping[str, str]
    notify_templates: frozenset[str]

    @classmethod
    def from_registry(cls, registry: CouncilRegistry, environ: Mapping[str, str]) -> Accounts:
        twilio: dict[str, str] = {}
        notify: dict[str, str] = {}
        templates: set[str] = set()
        for council in registry:
            for account in gateway_accounts(council):
                if account.gateway == "twilio":
                    sid = account.secret("account_sid", environ)
                    token = account.secret("auth_token", environ)
                    if sid and token:
                        twilio[sid] = token
                elif account.gateway == "notify":
                    key = account.secret("api_key", environ)
                    if key and len(key) >= 74:
                        notify[key[-73:-37]] = key[-36:]
                    if "template_id" in account.options:
                        templates.add(account.options["template_id"])
        return cls(twilio, notify, frozenset(templates))


class FakeGateway:
    """The recorded messages and the accounts, shared by the request handlers."""

    def __init__(
        self,
        accounts: Accounts,
        directory: SmsDirectory | None = None,
        environ: Mapping[str, str] | None = None,
        webhook_base: str | None = None,
        public_url: str | None = None,
    ) -> None:
        self.accounts = accounts
        self.directory = directory
        self.environ = dict(environ or {})
        self.webhook_base = webhook_base
        self.public_url = public_url  # what Twilio signs: ASSISTANT_PUBLIC_URL, as configured
        self.messages: list[SentMessage] = []
        self.failures_left = 0  # sends to refuse (`POST /_fake/faults`)
        self.failure: Reply | None = None  # how to refuse them (status and body)
        self.refused = 0  # sends refused so far (planned failures)
        self.lock = threading.Lock()

    def planned_failure(self) -> Reply | None:
        """While failures are planned, the next one (status and body), counted as a
        refused send; None otherwise."""
        with self.lock:
            if self.failures_left > 0:
                self.failures_left -= 1
                self.refused += 1
                return self.failure
        return None

    def plan_failures(self, count: int, failure: Reply) -> int:
        """Make the next `count` sends fail with `failure`; the number now planned."""
        with self.lock:
            self.failures_left = max(0, count)
            self.failure = failure
            return self.failures_left

    def sent_to(self, number: str | None) -> list[dict[str, Any]]:
        """Messages sent to `number` (every message for None), oldest first."""
        with self.lock:
            return [asdict(m) for m in self.messages if number in (None, m.to)]

    def forget(self) -> None:
        """Forget every recorded message."""
        with self.lock:
            self.messages.clear()
            self.refused = 0

    def record(self, gateway: str, to: str, sender: str, body: str) -> SentMessage:
        """Record a message sent through `gateway`'s API."""
        count = count_segments(body)
        message = SentMessage(
            gateway=gateway,
            id=str(uuid.uuid4()),
            to=to,
            sender=sender,
            body=body,
            encoding=count.encoding,
            segments=count.segments,
            sent_at=datetime.now(timezone.utc).isoformat(),
        )
        with self.lock:
            self.messages.append(message)
        return message
