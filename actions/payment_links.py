"""Payment links in the conversation (issue 12, item 2): offered, and their outcome told.

The chat carries the assistant's own payment page, never Pay's `next_url`; the page
(assistant/web/pay_flow.py) creates the payment and records its outcome, which the
resident hears at their next message: "your payment of £... was received".
"""

from __future__ import annotations

import asyncio
import logging

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.outcomes_waiting import note_outcome_to_tell
from assistant.backoffice.errors import BackOfficeError
from assistant.backoffice.payment_links import FAILED_STATES, PAID, PaymentLink, PaymentLinks
from assistant.backoffice.payments import PaymentService
from assistant.councils import Council
from assistant.routing.runtime import backoffice_for, pending_writes
from assistant.settings import Settings

log = logging.getLogger(__name__)

RECEIVED_RESPONSE = "utter_payment_received"
NOT_MADE_RESPONSE = "utter_payment_not_made"


def pounds(pence: int) -> str:
    return f"£{pence / 100:,.2f}"


def payment_links() -> PaymentLinks:
    """The link records, in this action server's pending-writes database."""
    return PaymentLinks(pending_writes().engine)


async def offer_payment(
    tracker: Tracker, council: Council, amount_pence: int, reference: str, description: str
) -> str:
    """A payment page link for this conversation (the same payment's record reused)."""
    note_outcome_to_tell(council)  # its outcome is told at a later message
    token = await asyncio.to_thread(
        payment_links().offer, tracker.sender_id, council.id, amount_pence, reference, description
    )
    return f"{Settings.from_env().payment_pages_url}/pay/{token}"


async def tell_payment_outcomes(
    dispatcher: CollectingDispatcher, tracker: Tracker, council: Council | None
) -> None:
    """Tell the outcome of this conversation's payments the resident has not heard;
    asks Pay when the return page has not recorded a finished state."""
    backoffice = backoffice_for(council) if council is not None else None
    if council is None or backoffice is None:
        return
    links = payment_links()
    for link in await asyncio.to_thread(links.untold, tracker.sender_id):
        if link.council != council.id:
            continue
        status = link.status
        if status != PAID and status not in FAILED_STATES and link.payment_id:
            status = await _current_status(links, link, backoffice.payments)
        if status == PAID:
            dispatcher.utter_message(
                response=RECEIVED_RESPONSE,
                amount=pounds(link.amount_pence),
                payment_reference=link.payment_id,
                **council.template_vars(),
            )
        elif status in FAILED_STATES:
            dispatcher.utter_message(response=NOT_MADE_RESPONSE, **council.template_vars())
        else:
            continue
        await asyncio.to_thread(links.told, link.id)


async def _current_status(
    links: PaymentLinks, link: PaymentLink, payments: PaymentService
) -> str | None:
    try:
        payment = await asyncio.to_thread(payments.get, str(link.payment_id))
    except BackOfficeError as error:
        log.warning("%s payment state check failed: %s", link.council, type(error).__name__)
        return link.status
    await asyncio.to_thread(links.state, link.id, payment.status, payment.failure_code)
    return payment.status
