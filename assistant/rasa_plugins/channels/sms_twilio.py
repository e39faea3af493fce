"""Twilio: inbound texts by webhook, replies through Twilio's official client.

Twilio posts form fields (`MessageSid`, `From`, `To`, `Body`) and signs each
request with the account's auth token in `X-Twilio-Signature`; anything unsigned
or forged gets a 403 (Rasa's own Twilio channel does not check). The signature is
checked against `ASSISTANT_PUBLIC_URL` only: without it every webhook gets a 503. Twilio answers
STOP/START itself (Advanced Opt-Out), so this channel records them but sends no
confirmation of its own.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qs

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from assistant.rasa_plugins.channels.sms import GatewayAccount, Inbound, SmsInput, SmsRejected

log = logging.getLogger(__name__)
TWILIO_API = "https://api.twilio.com"
# Twilio's client logs requests and responses (with phone numbers) at INFO: never here.
QUIET_LOG = logging.getLogger(__name__ + ".http")
QUIET_LOG.setLevel(logging.WARNING)
NO_PUBLIC_URL = (
    "ASSISTANT_PUBLIC_URL is not set: Twilio signs the public address it calls, so no "
    "Twilio webhook is accepted until it names this server's address (https://...)."
)


class BaseUrlHttpClient(TwilioHttpClient):
    """Twilio's HTTP client, sending to `base_url` instead of api.twilio.com
    (a test double of the API, or a regional edge)."""

    def __init__(self, base_url: str, timeout: float = 15.0) -> None:
        super().__init__(timeout=timeout, logger=QUIET_LOG)
        self.base_url = base_url.rstrip("/")

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        if url.startswith(TWILIO_API):
            url = self.base_url + url[len(TWILIO_API) :]
        return super().request(method, url, *args, **kwargs)


def twilio_form(request: Request) -> dict[str, list[str]]:
    """The webhook's form fields, keeping empty ones (an empty `Body` is still signed,
    and Sanic's own form parser drops it)."""
    if not (request.content_type or "").startswith("application/x-www-form-urlencoded"):
        raise SmsRejected(400, "Expected a form-encoded Twilio webhook.")
    try:
        return parse_qs(request.body.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        raise SmsRejected(400, "The webhook body is not UTF-8.") from None


class SignedParams(dict):
    """Form fields as Twilio's RequestValidator reads repeated fields (`getall`)."""

    def getall(self, name: str) -> list[str]:
        return list(self[name])


class TwilioSmsInput(SmsInput):
    """`POST /webhooks/sms_twilio/webhook`, Twilio's "A message comes in" webhook."""

    gateway = "twilio"
    confirms_opt_out = False

    @classmethod
    def name(cls) -> str:
        return "sms_twilio"

    def blueprint(self, on_new_message: Any) -> Any:
        if not self.settings.public_url:
            log.error(NO_PUBLIC_URL)
        return super().blueprint(on_new_message)

    def parse(self, request: Request) -> Inbound:
        form = twilio_form(request)
        fields = {key: (form.get(key) or [""])[0] for key in ("MessageSid", "From", "To", "Body")}
        missing = [key for key in ("MessageSid", "From", "To") if not fields[key]]
        if missing:
            raise SmsRejected(
                400,
                f"Expected Twilio form fields MessageSid, From, To and Body; missing: "
                f"{', '.join(missing)}.",
            )
        return Inbound(
            message_id=fields["MessageSid"],
            sender=fields["From"],
            destination=fields["To"],
            body=fields["Body"],
        )

    def authenticate(self, request: Request, account: GatewayAccount) -> None:
        signature = request.headers.get("X-Twilio-Signature")
        if not signature:
            raise SmsRejected(403, "Missing X-Twilio-Signature.")
        token = self.required_secret(account, "auth_token")
        valid = RequestValidator(token).validate(
            self.signed_url(request), SignedParams(twilio_form(request)), signature
        )
        if not valid:
            raise SmsRejected(403, "X-Twilio-Signature does not match this request.")

    def signed_url(self, request: Request) -> str:
        """The URL Twilio called and signed: always the configured public address, never
        one built from the request's Host header (which the caller chooses)."""
        if not self.settings.public_url:
            raise SmsRejected(503, NO_PUBLIC_URL)
        query = f"?{request.query_string}" if request.query_string else ""
        return f"{self.settings.public_url}{request.path}{query}"

    def send(self, account: GatewayAccount, origin: str, to: str, text: str) -> None:
        client = Client(
            self.required_secret(account, "account_sid"),
            self.required_secret(account, "auth_token"),
            http_client=BaseUrlHttpClient(self.api_url(TWILIO_API)),
        )
        client.messages.create(to=to, from_=origin, body=text)

    def acknowledge(self) -> HTTPResponse:
        # Empty TwiML: the reply goes through the API, not in this response.
        return response.text("<Response></Response>", content_type="text/xml")
