"""The payment link's pages (issue 12, item 2): start a GOV.UK Pay payment, show its outcome.

`GET /pay/<token>` shows what is to be paid and a button; `POST /pay/<token>` creates
the payment (Idempotency-Key: the link's client reference and attempt, so two tabs
or two clicks make one payment) or reuses the one still open, and answers 303 to
Pay's `next_url`. `GET /pay/return/<key>` is the payment's own return URL: it asks
Pay for the state, records it for the conversation, and shows the outcome.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from http import HTTPStatus
from urllib.parse import urlparse

from assistant.backoffice.errors import BackOfficeError
from assistant.backoffice.payment_links import (
    FAILED_STATES,
    PAID,
    PaymentLink,
    PaymentLinks,
    now_utc,
)
from assistant.backoffice.payments import (
    NewPayment,
    Payment,
    PaymentInvalid,
    PaymentRefused,
    PaymentsBusy,
    PaymentService,
)
from assistant.councils import Council
from assistant.web.pay_pages import PayAnswer, confirm_page, message_page, success_page

log = logging.getLogger(__name__)

# What a failed or cancelled payment's state.code means for the resident (Pay's docs,
# "Payment status lifecycle": P0010 declined, P0020 expired, P0030 cancelled by the
# user, P0040 cancelled by the service, P0050 provider error).
FAILURE_LINES = {
    "P0010": "Your card was declined. You can try again with another card.",
    "P0020": "The payment session timed out before it was finished.",
    "P0030": "You cancelled the payment.",
    "P0040": "The payment was cancelled.",
    "P0050": "There was a problem with the card payment service.",
}
AGAIN = "No money was taken. To try again, open the payment link from the chat again."


class PayFlow:
    """The payment pages of every council: links, each council's Pay, where we are."""

    def __init__(
        self,
        links: PaymentLinks,
        councils: Callable[[str], Council | None],
        payments_for: Callable[[Council], PaymentService],
        pages_url: str,
        form_targets: tuple[str, ...] = (),
    ) -> None:
        self.links = links
        self.councils = councils
        self.payments_for = payments_for
        self.pages_url = pages_url.rstrip("/")
        self.form_targets = form_targets

    def _open(self, token: str) -> tuple[PaymentLink, Council] | PayAnswer:
        link = self.links.by_token(token)
        council = self.councils(link.council) if link is not None else None
        if link is None or council is None:
            return message_page(
                HTTPStatus.GONE,
                "Council payments",
                "This payment link has expired",
                "Payment links work for a short time. Ask the assistant for a new link.",
            )
        return link, council

    def confirm(self, token: str) -> PayAnswer:
        """GET or HEAD: what is to be paid, and a button; nothing is started."""
        opened = self._open(token)
        if isinstance(opened, PayAnswer):
            return opened
        link, council = opened
        targets = self.form_targets or _origin_of(self.pages_url)
        return confirm_page(
            council.name, link.description, link.amount_pence, f"/pay/{token}", targets
        )

    def start(self, token: str) -> PayAnswer:
        """POST: the open payment of this link, or a new one; 303 to Pay's page."""
        opened = self._open(token)
        if isinstance(opened, PayAnswer):
            return opened
        link, council = opened
        payments = self.payments_for(council)
        try:
            if link.payment_id is not None:
                current = payments.get(link.payment_id)
                self.links.state(link.id, current.status, current.failure_code)
                answer = self._for_open_payment(council, link, current)
                if answer is not None:
                    return answer
                self.links.next_attempt(link.id)
                link = self.links.by_token(token) or link
            payment = payments.create(
                NewPayment(
                    amount_pence=link.amount_pence,
                    reference=link.reference,
                    description=link.description,
                    return_url=f"{self.pages_url}/pay/return/{link.return_key}",
                    client_reference=link.idempotency_key,
                )
            )
        except BackOfficeError as error:
            return pay_failed(council, error)
        self.links.started(link.id, payment.payment_id, payment.next_url, payment.status)
        if payment.status != "created" or not payment.next_url:
            return self._for_open_payment(council, link, payment) or pay_failed(council, None)
        return PayAnswer(HTTPStatus.SEE_OTHER, location=payment.next_url)

    def _for_open_payment(
        self, council: Council, link: PaymentLink, payment: Payment
    ) -> PayAnswer | None:
        """Where an existing payment leaves the resident; None: it failed, start anew."""
        if payment.status == "created" and (payment.next_url or link.next_url):
            return PayAnswer(HTTPStatus.SEE_OTHER, location=payment.next_url or link.next_url)
        if payment.status in FAILED_STATES:
            return None
        if payment.status in ("capturable", PAID):
            return PayAnswer(
                HTTPStatus.SEE_OTHER, location=f"{self.pages_url}/pay/return/{link.return_key}"
            )
        return message_page(
            HTTPStatus.CONFLICT,
            council.name,
            "This payment is already in progress",
            "The payment was opened in another window or on another device. Finish it there.",
            "If you closed it, wait 90 minutes for it to time out, then ask the assistant "
            "for a new link. Don't pay twice.",
        )

    def outcome(self, return_key: str) -> PayAnswer:
        """The return page: Pay's state of the payment, recorded and shown."""
        link = self.links.by_return_key(return_key)
        council = self.councils(link.council) if link is not None else None
        if link is None or council is None or not link.returnable(now_utc()):
            return message_page(
                HTTPStatus.NOT_FOUND, "Council payments", "Payment not found", AGAIN
            )
        if link.payment_id is None:
            return message_page(HTTPStatus.OK, council.name, "No payment was made", AGAIN)
        try:
            payment = self.payments_for(council).get(link.payment_id)
        except BackOfficeError as error:
            log.warning("%s payment state check failed: %s", council.id, type(error).__name__)
            return message_page(
                HTTPStatus.SERVICE_UNAVAILABLE,
                council.name,
                "We couldn't check your payment just now",
                "Please reload this page in a minute. Don't pay again.",
            )
        self.links.state(link.id, payment.status, payment.failure_code)
        if payment.status == PAID:
            return success_page(council.name, link.amount_pence, payment.payment_id)
        if payment.status in FAILED_STATES:
            reason = FAILURE_LINES.get(payment.failure_code or "", FAILURE_LINES["P0050"])
            return message_page(
                HTTPStatus.OK, council.name, "Your payment was not made", reason, AGAIN
            )
        return message_page(
            HTTPStatus.OK,
            council.name,
            "Your payment is not finished yet",
            "If you have paid, reload this page in a minute. Don't pay twice.",
        )


def pay_failed(council: Council, error: BackOfficeError | None) -> PayAnswer:
    """Pay could not start the payment: busy (try later) or refused (call us)."""
    phone = council.contact["phone"]
    if isinstance(error, PaymentsBusy):
        return message_page(
            HTTPStatus.SERVICE_UNAVAILABLE,
            council.name,
            "The payment service is busy",
            "No money was taken. Please try again in a few minutes.",
        )
    kind = "refused" if isinstance(error, PaymentRefused | PaymentInvalid) else "failed"
    log.warning("%s payment not started: %s", council.id, kind)
    return message_page(
        HTTPStatus.BAD_GATEWAY,
        council.name,
        "We couldn't start your payment",
        f"No money was taken. Please call us on {phone} to pay.",
    )


def _origin_of(url: str) -> tuple[str, ...]:
    parsed = urlparse(url)
    return (f"{parsed.scheme}://{parsed.netloc}",)
