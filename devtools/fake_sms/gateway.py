"""A stand-in for the SMS gateways' APIs, for `make run` and the tests: never a live call.

A real HTTP server speaking the two calls the assistant makes, checking their
authentication the way the real services do, and recording every message:

- Twilio: `POST /2010-04-01/Accounts/<AccountSid>/Messages.json` (form `To`, `From`,
  `Body`; HTTP basic auth with the account SID and auth token).
- GOV.UK Notify: `POST /v2/notifications/sms` (JSON `phone_number`, `template_id`,
  `personalisation`; a JWT signed with the API key's secret, `iss` = service id).

`GET /_fake/messages` lists what was sent (`?to=` filters by recipient), `DELETE
/_fake/messages` forgets it, `POST /_fake/faults` with `{"fail_next": N}` makes the
next N sends fail with a 500, `GET /_fake/health` answers when ready.

Like a real gateway it also delivers inbound texts to the assistant's webhooks, signed
or with the bearer token as the real one would: `POST /_fake/inbound` with JSON
`{"gateway": "twilio", "from": "+447700900123", "to": "+447700900100", "body": "hi"}`
answers with the webhook's status and the replies sent meanwhile; `GET /_fake/` is a
page for doing that by hand (a pretend phone for `make run`).

Accounts come from the environment: for every council in the registry, the
variables its `sms:` section names (`python -m devtools.fake_sms.gateway --port N`).
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import re
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template
from typing import Any
from urllib.parse import parse_qs, urlparse

import jwt
import requests
from twilio.request_validator import RequestValidator

from assistant.councils import CouncilRegistry
from assistant.rasa_plugins.channels.sms_config import SmsDirectory, gateway_accounts
from assistant.rasa_plugins.channels.sms_text import count_segments
from assistant.settings import Settings

TWILIO_MESSAGES = re.compile(r"^/2010-04-01/Accounts/(?P<sid>AC[0-9a-fA-F]{32})/Messages\.json$")
NOTIFY_SMS = "/v2/notifications/sms"
PHONE_PAGE = Path(__file__).with_name("phone.html")
NOTIFY_CLOCK_SKEW = 30  # seconds either way, as Notify allows


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
    ) -> None:
        self.accounts = accounts
        self.directory = directory
        self.environ = dict(environ or {})
        self.webhook_base = webhook_base
        self.messages: list[SentMessage] = []
        self.failures_left = 0  # sends to refuse with a 500 (`POST /_fake/faults`)
        self.lock = threading.Lock()

    def should_fail(self) -> bool:
        """True (once per planned failure) while failures are planned."""
        with self.lock:
            if self.failures_left > 0:
                self.failures_left -= 1
                return True
        return False

    def sent_to(self, number: str) -> list[dict[str, Any]]:
        """Messages sent to `number`, oldest first."""
        with self.lock:
            return [asdict(m) for m in self.messages if m.to == number]

    def deliver(self, gateway: str, sender: str, to: str, body: str) -> tuple[int, str]:
        """Deliver an inbound text to the assistant's webhook as the gateway would."""
        account = self.directory.account_for(gateway, to) if self.directory else None
        if account is None or self.webhook_base is None:
            return 404, f"{to!r} is not a {gateway} number of any council"
        url = f"{self.webhook_base}/webhooks/sms_{gateway}/webhook"
        message_id = uuid.uuid4().hex
        if gateway == "twilio":
            form = {
                "MessageSid": "SM" + message_id,
                "AccountSid": account.secret("account_sid", self.environ) or "",
                "From": sender,
                "To": to,
                "Body": body,
            }
            token = account.secret("auth_token", self.environ) or ""
            signature = RequestValidator(token).compute_signature(url, form)
            reply = requests.post(
                url, data=form, headers={"X-Twilio-Signature": signature}, timeout=60
            )
        else:
            payload = {
                "id": str(uuid.UUID(message_id)),
                "source_number": sender.removeprefix("+"),
                "destination_number": to,
                "message": body,
                "date_received": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f"),
            }
            token = account.secret("inbound_token", self.environ) or ""
            reply = requests.post(
                url, json=payload, headers={"Authorization": f"Bearer {token}"}, timeout=60
            )
        return reply.status_code, reply.text

    def record(self, gateway: str, to: str, sender: str, body: str) -> SentMessage:
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


def phone_page(directory: SmsDirectory | None) -> str:
    """The pretend phone, offering every council number from council.yml."""
    accounts = sorted((directory.accounts if directory else {}).items())
    options = "\n".join(
        f'      <option value="{gateway} {number}">'
        f"{html.escape(account.council.short_name)} ({gateway}) {number}</option>"
        for (gateway, number), account in accounts
    )
    return Template(PHONE_PAGE.read_text(encoding="utf-8")).substitute(options=options)


def make_handler(gateway: FakeGateway) -> type[BaseHTTPRequestHandler]:
    """A request handler class bound to `gateway`."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "FakeSmsGateway/1"

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: no phone numbers in logs

        def do_GET(self) -> None:
            url = urlparse(self.path)
            if url.path == "/_fake/":
                page = phone_page(gateway.directory).encode()
                self.send_response(HTTPStatus.OK)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)
            elif url.path == "/_fake/health":
                self._json(HTTPStatus.OK, {"status": "ok"})
            elif url.path == "/_fake/messages":
                to = parse_qs(url.query).get("to", [None])[0]
                with gateway.lock:
                    found = [asdict(m) for m in gateway.messages if to in (None, m.to)]
                self._json(HTTPStatus.OK, {"messages": found})
            else:
                self._json(HTTPStatus.NOT_FOUND, {"message": "not found"})

        def do_DELETE(self) -> None:
            if urlparse(self.path).path == "/_fake/messages":
                with gateway.lock:
                    gateway.messages.clear()
                self._json(HTTPStatus.OK, {"messages": []})
            else:
                self._json(HTTPStatus.NOT_FOUND, {"message": "not found"})

        def do_POST(self) -> None:
            path = urlparse(self.path).path
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            twilio = TWILIO_MESSAGES.match(path)
            if path == "/_fake/inbound":
                self._inbound(body)
            elif path == "/_fake/faults":
                try:
                    count = int(json.loads(body).get("fail_next", 0))
                except (ValueError, AttributeError, TypeError):
                    self._json(HTTPStatus.BAD_REQUEST, {"message": 'expected {"fail_next": N}'})
                    return
                with gateway.lock:
                    gateway.failures_left = max(0, count)
                self._json(HTTPStatus.OK, {"fail_next": gateway.failures_left})
            elif (twilio or path == NOTIFY_SMS) and gateway.should_fail():
                self._json(
                    HTTPStatus.INTERNAL_SERVER_ERROR,
                    {
                        "status": 500,
                        "status_code": 500,
                        "message": "planned failure",
                        "errors": [{"error": "Exception", "message": "planned failure"}],
                    },
                )
            elif twilio:
                self._twilio(twilio.group("sid"), body)
            elif path == NOTIFY_SMS:
                self._notify(body)
            else:
                self._json(HTTPStatus.NOT_FOUND, {"message": "not found"})

        def _inbound(self, body: bytes) -> None:
            try:
                text = json.loads(body)
                kind, sender, to = str(text["gateway"]), str(text["from"]), str(text["to"])
                message = str(text.get("body", ""))
            except (ValueError, KeyError, TypeError):
                self._json(
                    HTTPStatus.BAD_REQUEST,
                    {"message": 'expected {"gateway", "from", "to", "body"} as JSON'},
                )
                return
            before = len(gateway.sent_to(sender))
            status, answer = gateway.deliver(kind, sender, to, message)
            self._json(
                HTTPStatus.OK,
                {
                    "webhook_status": status,
                    "webhook_body": answer,
                    "replies": gateway.sent_to(sender)[before:],
                },
            )

        def _twilio(self, sid: str, body: bytes) -> None:
            expected = gateway.accounts.twilio.get(sid)
            if expected is None or self._basic_auth() != (sid, expected):
                self._json(
                    HTTPStatus.UNAUTHORIZED,
                    {"code": 20003, "message": "Authenticate", "status": 401},
                )
                return
            form = {key: values[0] for key, values in parse_qs(body.decode()).items()}
            if not form.get("To") or not form.get("From") or "Body" not in form:
                self._json(
                    HTTPStatus.BAD_REQUEST,
                    {
                        "code": 21604,
                        "message": "A 'To', 'From' and 'Body' are required.",
                        "status": 400,
                    },
                )
                return
            sent = gateway.record("twilio", form["To"], form["From"], form["Body"])
            now = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime())
            self._json(
                HTTPStatus.CREATED,
                {
                    "sid": "SM" + uuid.UUID(sent.id).hex,
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
                    "uri": f"/2010-04-01/Accounts/{sid}/Messages/SM{uuid.UUID(sent.id).hex}.json",
                },
            )

        def _notify(self, body: bytes) -> None:
            problem = self._notify_auth_problem()
            if problem:
                self._json(
                    HTTPStatus.FORBIDDEN,
                    {"status_code": 403, "errors": [{"error": "AuthError", "message": problem}]},
                )
                return
            try:
                payload = json.loads(body)
            except ValueError:
                payload = None
            if (
                not isinstance(payload, dict)
                or not payload.get("phone_number")
                or payload.get("template_id") not in gateway.accounts.notify_templates
            ):
                self._json(
                    HTTPStatus.BAD_REQUEST,
                    {
                        "status_code": 400,
                        "errors": [
                            {
                                "error": "BadRequestError",
                                "message": "phone_number and a known template_id are required",
                            }
                        ],
                    },
                )
                return
            text = str((payload.get("personalisation") or {}).get("body", ""))
            sent = gateway.record("notify", payload["phone_number"], "notify", text)
            self._json(
                HTTPStatus.CREATED,
                {
                    "id": sent.id,
                    "reference": payload.get("reference"),
                    "content": {"body": text, "from_number": "GOVUK"},
                    "uri": f"/v2/notifications/{sent.id}",
                    "template": {"id": payload["template_id"], "version": 1, "uri": ""},
                },
            )

        def _notify_auth_problem(self) -> str | None:
            scheme, _, token = (self.headers.get("Authorization") or "").partition(" ")
            if scheme != "Bearer" or not token:
                return "Unauthorized: authentication token must be provided"
            try:
                issuer = jwt.decode(token, options={"verify_signature": False}).get("iss")
            except jwt.PyJWTError:
                return "Invalid token: signature, api token is not valid"
            secret = gateway.accounts.notify.get(str(issuer))
            if secret is None:
                return "Invalid token: service not found"
            try:
                claims = jwt.decode(token, secret, algorithms=["HS256"])
            except jwt.PyJWTError:
                return "Invalid token: signature, api token not found"
            if abs(time.time() - float(claims.get("iat", 0))) > NOTIFY_CLOCK_SKEW:
                return "Error: Your system clock must be accurate to within 30 seconds"
            return None

        def _basic_auth(self) -> tuple[str, str] | None:
            scheme, _, encoded = (self.headers.get("Authorization") or "").partition(" ")
            if scheme != "Basic":
                return None
            try:
                user, _, password = base64.b64decode(encoded).decode().partition(":")
            except (ValueError, UnicodeDecodeError):
                return None
            return user, password

        def _json(self, status: HTTPStatus, payload: object) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


def serve(
    host: str, port: int, webhook_base: str | None, environ: Mapping[str, str] | None = None
) -> None:
    """Serve the fake gateway until interrupted."""
    settings = Settings.from_env()
    env = environ if environ is not None else settings.environ
    registry = CouncilRegistry.load(settings.councils_dir)
    gateway = FakeGateway(
        Accounts.from_registry(registry, env),
        SmsDirectory.from_registry(registry),
        env,
        webhook_base,
    )
    server = ThreadingHTTPServer((host, port), make_handler(gateway))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--rasa-url", help="where to deliver inbound texts (the assistant)")
    args = parser.parse_args()
    serve(args.host, args.port, args.rasa_url)


if __name__ == "__main__":
    main()
