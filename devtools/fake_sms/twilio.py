"""Twilio's side of the fake gateway: its Messages API and its signed inbound webhook.

Sending: `POST /2010-04-01/Accounts/<AccountSid>/Messages.json` (form `To`, `From`,
`Body`; HTTP basic auth with the account SID and auth token).
"""

from __future__ import annotations

import base64
import re
import time
import uuid
from collections.abc import Mapping
from email.message import Message
from http import HTTPStatus
from urllib.parse import parse_qs

import requests
from twilio.request_validator import RequestValidator

from assistant.rasa_plugins.channels.sms_config import GatewayAccount
from devtools.fake_sms.gateway import FakeGateway, Reply

NAME = "twilio"
MESSAGES = re.compile(r"^/2010-04-01/Accounts/(?P<sid>AC[0-9a-fA-F]{32})/Messages\.json$")
UNAUTHORIZED = {"code": 20003, "message": "Authenticate", "status": 401}
MISSING = {"code": 21604, "message": "A 'To', 'From' and 'Body' are required.", "status": 400}


def matches(path: str) -> bool:
    """Whether `path` is Twilio's send-a-message URL."""
    return MESSAGES.match(path) is not None


def send(fake: FakeGateway, path: str, headers: Message, body: bytes) -> Reply:
    """Record a message sent through Twilio's API, answering as Twilio does."""
    found = MESSAGES.match(path)
    assert found is not None, path
    sid = found.group("sid")
    expected = fake.accounts.twilio.get(sid)
    if expected is None or basic_auth(headers) != (sid, expected):
        return HTTPStatus.UNAUTHORIZED, UNAUTHORIZED
    form = {key: values[0] for key, values in parse_qs(body.decode()).items()}
    if not form.get("To") or not form.get("From") or "Body" not in form:
        return HTTPStatus.BAD_REQUEST, MISSING
    sent = fake.record(NAME, form["To"], form["From"], form["Body"])
    now = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime())
    message_sid = "SM" + uuid.UUID(sent.id).hex
    return HTTPStatus.CREATED, {
        "sid": message_sid,
        "account_sid": sid,
        "to": sent.to,
        "from": sent.sender,
        "body": sent.body,
        "status": "queued",
        "num_segments": str(sent.segments),
        "direction": "outbound-api",
        "date_created": now,
        "date_updated": now,
        "api_version": "2010-04-01",
        "uri": f"/2010-04-01/Accounts/{sid}/Messages/{message_sid}.json",
    }


def basic_auth(headers: Message) -> tuple[str, str] | None:
    """(user, password) from an HTTP basic Authorization header."""
    scheme, _, encoded = (headers.get("Authorization") or "").partition(" ")
    if scheme != "Basic":
        return None
    try:
        user, _, password = base64.b64decode(encoded).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return user, password


def deliver(
    account: GatewayAccount,
    environ: Mapping[str, str],
    url: str,
    sender: str,
    to: str,
    text: str,
    signed_url: str | None = None,
) -> requests.Response:
    """Post an inbound text to the assistant's webhook at `url`, signed as Twilio signs
    it: for the public address of that webhook (`signed_url`, default `url`)."""
    form = {
        "MessageSid": "SM" + uuid.uuid4().hex,
        "AccountSid": account.secret("account_sid", environ) or "",
        "From": sender,
        "To": to,
        "Body": text,
    }
    token = account.secret("auth_token", environ) or ""
    signature = RequestValidator(token).compute_signature(signed_url or url, form)
    return requests.post(url, data=form, headers={"X-Twilio-Signature": signature}, timeout=60)
