"""GOV.UK Notify's side of the fake gateway: its SMS API and its inbound callback.

Sending: `POST /v2/notifications/sms` (JSON `phone_number`, `template_id`,
`personalisation`; a JWT signed with the API key's secret, `iss` = service id).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Mapping
from datetime import datetime, timezone
from email.message import Message
from http import HTTPStatus
from typing import Any

import jwt
import requests

from assistant.rasa_plugins.channels.sms_config import GatewayAccount
from devtools.fake_sms.gateway import FakeGateway, Reply

NAME = "notify"
SMS_PATH = "/v2/notifications/sms"
CLOCK_SKEW = 30  # seconds either way, as Notify allows


def matches(path: str) -> bool:
    """Whether `path` is Notify's send-an-SMS URL."""
    return path == SMS_PATH


def error(status: HTTPStatus, kind: str, message: str) -> Reply:
    """An error in Notify's shape."""
    return status, {"status_code": status.value, "errors": [{"error": kind, "message": message}]}


def send(fake: FakeGateway, path: str, headers: Message, body: bytes) -> Reply:
    """Record an SMS sent through Notify's API, answering as Notify does."""
    problem = auth_problem(fake, headers)
    if problem:
        return error(HTTPStatus.FORBIDDEN, "AuthError", problem)
    payload = _json(body)
    if (
        not isinstance(payload, dict)
        or not payload.get("phone_number")
        or payload.get("template_id") not in fake.accounts.notify_templates
    ):
        message = "phone_number and a known template_id are required"
        return error(HTTPStatus.BAD_REQUEST, "BadRequestError", message)
    text = str((payload.get("personalisation") or {}).get("body", ""))
    sent = fake.record(NAME, payload["phone_number"], NAME, text)
    return HTTPStatus.CREATED, {
        "id": sent.id,
        "reference": payload.get("reference"),
        "content": {"body": text, "from_number": "GOVUK"},
        "uri": f"/v2/notifications/{sent.id}",
        "template": {"id": payload["template_id"], "version": 1, "uri": ""},
    }


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return None


def auth_problem(fake: FakeGateway, headers: Message) -> str | None:
    """Why Notify would refuse the request's JWT, or None if it would accept it."""
    scheme, _, token = (headers.get("Authorization") or "").partition(" ")
    if scheme != "Bearer" or not token:
        return "Unauthorized: authentication token must be provided"
    try:
        issuer = jwt.decode(token, options={"verify_signature": False}).get("iss")
    except jwt.PyJWTError:
        return "Invalid token: signature, api token is not valid"
    secret = fake.accounts.notify.get(str(issuer))
    if secret is None:
        return "Invalid token: service not found"
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"])
    except jwt.PyJWTError:
        return "Invalid token: signature, api token not found"
    if abs(time.time() - float(claims.get("iat", 0))) > CLOCK_SKEW:
        return "Error: Your system clock must be accurate to within 30 seconds"
    return None


def deliver(
    account: GatewayAccount,
    environ: Mapping[str, str],
    url: str,
    sender: str,
    to: str,
    text: str,
    signed_url: str | None = None,
) -> requests.Response:
    """Post an inbound text to the assistant's webhook with Notify's bearer token
    (Notify signs nothing, so `signed_url` is unused)."""
    payload = {
        "id": str(uuid.uuid4()),
        "source_number": sender.removeprefix("+"),
        "destination_number": to,
        "message": text,
        "date_received": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f"),
    }
    token = account.secret("inbound_token", environ) or ""
    headers = {"Authorization": f"Bearer {token}"}
    return requests.post(url, json=payload, headers=headers, timeout=60)
