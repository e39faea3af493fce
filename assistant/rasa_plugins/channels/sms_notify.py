"""GOV.UK Notify: received-text callbacks in, replies through Notify's official client.

Notify posts JSON (`id`, `source_number`, `destination_number`, `message`,
`date_received`) with the bearer token set for the service's inbound callback.
Notify does not answer STOP/START for a service, so this channel confirms them.
Replies use a Notify SMS template whose body is just `((body))`.
"""

from __future__ import annotations

import hmac

from notifications_python_client.notifications import NotificationsAPIClient
from sanic.request import Request

from assistant.rasa_plugins.channels.sms import GatewayAccount, Inbound, SmsInput, SmsRejected

NOTIFY_API = "https://api.notifications.service.gov.uk"


class NotifySmsInput(SmsInput):
    """`POST /webhooks/sms_notify/webhook`, Notify's received text message callback."""

    gateway = "notify"
    confirms_opt_out = True

    @classmethod
    def name(cls) -> str:
        return "sms_notify"

    def parse(self, request: Request) -> Inbound:
        try:
            payload = request.json
        except Exception:  # Sanic raises its own error type for a broken body
            payload = None
        if not isinstance(payload, dict):
            raise SmsRejected(400, "Expected a JSON object from GOV.UK Notify.")
        fields = ("id", "source_number", "destination_number")
        missing = [key for key in fields if not isinstance(payload.get(key), str)]
        message = payload.get("message", "")
        if missing or not isinstance(message, str):
            raise SmsRejected(
                400,
                "Expected JSON with id, source_number, destination_number and message"
                + (f"; missing: {', '.join(missing)}." if missing else "."),
            )
        return Inbound(
            message_id=payload["id"],
            sender=payload["source_number"],
            destination=payload["destination_number"],
            body=message,
        )

    def authenticate(self, request: Request, account: GatewayAccount) -> None:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise SmsRejected(403, "Missing bearer token.")
        expected = self.required_secret(account, "inbound_token")
        if not hmac.compare_digest(token.encode(), expected.encode()):
            raise SmsRejected(403, "The bearer token is not this service's callback token.")

    def send(self, account: GatewayAccount, origin: str, to: str, text: str) -> None:
        # Notify sends from the service's SMS sender (`sms_sender_id`), not `origin`.
        template_id = account.options.get("template_id")
        if not template_id:
            raise SmsRejected(503, f"sms.notify.template_id is missing for {account.council.id}")
        client = NotificationsAPIClient(
            self.required_secret(account, "api_key"), base_url=self.api_url(NOTIFY_API)
        )
        sender_id = account.options.get("sms_sender_id")
        client.send_sms_notification(
            phone_number=to,
            template_id=template_id,
            personalisation={"body": text},
            sms_sender_id=sender_id or None,
        )
