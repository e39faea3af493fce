"""A stand-in for the SMS gateways' APIs, for `make run` and the tests: never a live call.

A real HTTP server speaking the calls the assistant makes to each gateway in
GATEWAYS (devtools/fake_sms/twilio.py, notify.py), checking their authentication
the way the real services do, and recording every message.

`GET /_fake/messages` lists what was sent (`?to=` filters by recipient), `DELETE
/_fake/messages` forgets it (and the count of refused sends), `POST /_fake/faults` with
`{"fail_next": N}` makes the next N sends fail with a 500 (`"status": S, "body": {...}`
for another refusal, such as a gateway's recorded 400 or 429), `GET /_fake/health`
answers when ready.

Like a real gateway it also delivers inbound texts to the assistant's webhooks, signed
or with the bearer token as the real one would: `POST /_fake/inbound` with JSON
`{"gateway": "twilio", "from": "+447700900123", "to": "+447700900100", "body": "hi"}`
answers with the webhook's status and the replies sent meanwhile (waiting up to
`"wait"` seconds, default 30, for the first, which comes after the acknowledgement);
`GET /_fake/` is a page for doing that by hand (a pretend phone for `make run`).

Accounts come from the environment: for every council in the registry, the
variables its `sms:` section names (`python -m assistant fake-sms-gateway --port N`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from assistant.councils import CouncilRegistry
from assistant.rasa_plugins.channels.sms_config import SmsDirectory
from assistant.serving import serve_until_interrupted
from assistant.settings import Settings
from devtools.fake_sms import notify, twilio
from devtools.fake_sms.gateway import Accounts, FakeGateway, Reply
from devtools.fake_sms.phone import phone_page

GATEWAYS = {api.NAME: api for api in (twilio, notify)}  # one line per simulated gateway
REPLY_WAIT = 30.0  # seconds `/_fake/inbound` waits for the first reply
NOT_FOUND: Reply = (HTTPStatus.NOT_FOUND, {"message": "not found"})
PLANNED_FAILURE: Reply = (
    HTTPStatus.INTERNAL_SERVER_ERROR,
    {
        "status": 500,
        "status_code": 500,
        "message": "planned failure",
        "errors": [{"error": "Exception", "message": "planned failure"}],
    },
)


def deliver(fake: FakeGateway, gateway: str, sender: str, to: str, text: str) -> tuple[int, str]:
    """Deliver an inbound text to the assistant's webhook as `gateway` would."""
    api = GATEWAYS.get(gateway)
    account = fake.directory.account_for(gateway, to) if fake.directory and api else None
    if api is None or account is None or fake.webhook_base is None:
        return 404, f"{to!r} is not a {gateway} number of any council"
    path = f"/webhooks/sms_{gateway}/webhook"
    public = fake.public_url or fake.webhook_base  # the address the assistant checks
    reply = api.deliver(
        account, fake.environ, fake.webhook_base + path, sender, to, text, public + path
    )
    return reply.status_code, reply.text


def inbound(fake: FakeGateway, body: bytes) -> Reply:
    """`POST /_fake/inbound`: a resident's text, and the replies it got."""
    try:
        text = json.loads(body)
        gateway, sender, to = str(text["gateway"]), str(text["from"]), str(text["to"])
        message = str(text.get("body", ""))
    except (ValueError, KeyError, TypeError):
        return HTTPStatus.BAD_REQUEST, {"message": 'expected {"gateway", "from", "to", "body"}'}
    before = len(fake.sent_to(sender))
    status, answer = deliver(fake, gateway, sender, to, message)
    # The assistant acknowledges at once and replies through the API a little later.
    deadline = time.monotonic() + float(text.get("wait", REPLY_WAIT))
    while 200 <= status < 300 and len(fake.sent_to(sender)) == before:
        if time.monotonic() > deadline:
            break
        time.sleep(0.05)
    replies = fake.sent_to(sender)[before:]
    return HTTPStatus.OK, {"webhook_status": status, "webhook_body": answer, "replies": replies}


def faults(fake: FakeGateway, body: bytes) -> Reply:
    """`POST /_fake/faults`: make the next N sends fail (with a given status and body)."""
    try:
        plan = json.loads(body)
        count = int(plan.get("fail_next", 0))
        failure = PLANNED_FAILURE
        if "status" in plan:
            failure = (HTTPStatus(int(plan["status"])), plan.get("body") or {})
    except (ValueError, AttributeError, TypeError):
        return HTTPStatus.BAD_REQUEST, {"message": 'expected {"fail_next": N, "status": S}'}
    return HTTPStatus.OK, {"fail_next": fake.plan_failures(count, failure)}


def send(fake: FakeGateway, path: str, handler: BaseHTTPRequestHandler, body: bytes) -> Reply:
    """A message sent through one of the gateways' APIs (or a planned failure)."""
    api = next((api for api in GATEWAYS.values() if api.matches(path)), None)
    if api is None:
        return NOT_FOUND
    failure = fake.planned_failure()
    if failure is not None:
        return failure
    return api.send(fake, path, handler.headers, body)


class FakeGatewayHandler(BaseHTTPRequestHandler):
    """The fake's HTTP requests, on the FakeGateway `fake` (see make_handler)."""

    fake: FakeGateway
    server_version = "FakeSmsGateway/1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: no phone numbers in logs

    def do_GET(self) -> None:
        url = urlparse(self.path)
        if url.path == "/_fake/":
            self._send(HTTPStatus.OK, phone_page(self.fake.directory).encode(), "text/html")
        elif url.path == "/_fake/health":
            self._json((HTTPStatus.OK, {"status": "ok"}))
        elif url.path == "/_fake/messages":
            to = parse_qs(url.query).get("to", [None])[0]
            messages = self.fake.sent_to(to)
            self._json((HTTPStatus.OK, {"messages": messages, "refused": self.fake.refused}))
        else:
            self._json(NOT_FOUND)

    def do_DELETE(self) -> None:
        if urlparse(self.path).path != "/_fake/messages":
            self._json(NOT_FOUND)
            return
        self.fake.forget()
        self._json((HTTPStatus.OK, {"messages": []}))

    def do_POST(self) -> None:
        path = urlparse(self.path).path
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if path == "/_fake/inbound":
            self._json(inbound(self.fake, body))
        elif path == "/_fake/faults":
            self._json(faults(self.fake, body))
        else:
            self._json(send(self.fake, path, self, body))

    def _json(self, reply: Reply) -> None:
        status, payload = reply
        self._send(status, json.dumps(payload).encode(), "application/json")

    def _send(self, status: HTTPStatus, data: bytes, content_type: str) -> None:
        self.send_response(status)
        if content_type == "text/html":
            content_type += "; charset=utf-8"
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def make_handler(gateway: FakeGateway) -> type[BaseHTTPRequestHandler]:
    """A request handler class bound to `gateway`."""
    return type("Handler", (FakeGatewayHandler,), {"fake": gateway})


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
        settings.public_url,
    )
    server = ThreadingHTTPServer((host, port), make_handler(gateway))
    serve_until_interrupted(server)
