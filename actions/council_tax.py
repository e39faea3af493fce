"""Council tax: balances and payments (after identity checks), discounts, moving home.

No account data is shown until the resident has given the account reference and
the property's postcode and both match the back-office record (CouncilTaxDetails).
References are only ever shown masked.
"""

from __future__ import annotations

import datetime as dt
from abc import abstractmethod
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.backoffice_call import backoffice_call
from actions.base import (
    CONFIRMATION_SLOT,
    DETAILS_STOPPED_SLOT,
    CouncilAction,
    current_council,
    latest_entity,
)
from actions.details import DetailsValidation, postcode_answer
from actions.payment_links import offer_payment
from actions.reference_check import LimitedCheck
from actions.verification import verified_reference, verified_slots
from assistant.backoffice.council_tax import CouncilTaxAccount
from assistant.backoffice.errors import NotFound
from assistant.backoffice.registry import BackOffice
from assistant.councils import Council
from assistant.identifiers import mask_reference

MAX_ATTEMPTS = 3
CHECK = "council-tax"  # the attempts counters of council tax identity checks


def pounds(pence: int) -> str:
    """1234 -> "£12.34"."""
    return f"£{pence / 100:,.2f}"


def long_date(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


def account_at(backoffice: BackOffice, reference: str, postcode: str) -> bool:
    """Whether account `reference` is for a property at `postcode`."""
    try:
        return backoffice.council_tax.account(reference).belongs_to(postcode)
    except NotFound:
        return False  # never reveal whether an account exists


class VerifiedAccountAction(CouncilAction):
    """An action that needs a council tax account the resident has proved is theirs."""

    def _verified(self, tracker: Tracker) -> str | None:
        """The reference proved in this session, for this council, and not expired."""
        council = current_council(tracker)
        reference = verified_reference(tracker, council) if council is not None else None
        given = tracker.get_slot("council_tax_ref")
        if reference is not None and (given is None or given == reference):
            return reference
        return None

    def _locked(self, tracker: Tracker) -> bool:
        return int(tracker.get_slot("verification_attempts") or 0) >= MAX_ATTEMPTS

    def required_details(self, tracker: Tracker) -> list[str]:
        if self._verified(tracker) or self._locked(tracker):
            return []
        return ["council_tax_ref", "property_postcode"]

    def prefill(self, tracker: Tracker, council: Council) -> list[EventType]:
        given = latest_entity(tracker, "council_tax_ref")
        return [SlotSet("council_tax_ref", given), SlotSet("property_postcode", None)]

    async def answer(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
        council: Council,
    ) -> list[EventType]:
        reference = self._verified(tracker)
        if reference is None:
            dispatcher.utter_message(
                response="utter_verification_locked", **council.template_vars()
            )
            return [SlotSet("council_tax_ref", None), SlotSet("property_postcode", None)]
        account = await backoffice_call(
            dispatcher, council, lambda b: b.council_tax.account(reference)
        )
        if account is None:
            return []
        return await self.for_account(dispatcher, tracker, council, account)

    @abstractmethod
    async def for_account(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        council: Council,
        account: CouncilTaxAccount,
    ) -> list[EventType]:
        """Answer with the verified account."""


class CouncilTaxPay(VerifiedAccountAction):
    """A GOV.UK Pay link for the balance: card details never pass through the chat."""

    response = "utter_council_tax_pay"

    def name(self) -> str:
        return "action_council_tax_pay"

    def required_details(self, tracker: Tracker) -> list[str]:
        if self._locked(tracker) and not self._verified(tracker):
            return []
        return [*super().required_details(tracker), CONFIRMATION_SLOT]

    async def before_details(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, council: Council
    ) -> list[EventType] | None:
        if super().required_details(tracker):
            dispatcher.utter_message(response=self.response, **council.template_vars())
        return None

    async def summary(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, council: Council
    ) -> tuple[str, dict[str, Any]] | None:
        reference = self._verified(tracker)
        if reference is None:
            return None
        account = await backoffice_call(
            dispatcher, council, lambda b: b.council_tax.account(reference)
        )
        if account is None:
            return None
        masked = mask_reference(account.reference)
        if account.balance_pence <= 0:
            dispatcher.utter_message(response="utter_council_tax_nothing_to_pay", reference=masked)
            return None
        amount = pounds(account.balance_pence)
        return "utter_confirm_payment", {"amount": amount, "reference": masked}

    async def for_account(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        council: Council,
        account: CouncilTaxAccount,
    ) -> list[EventType]:
        masked = mask_reference(account.reference)
        if account.balance_pence <= 0:
            dispatcher.utter_message(response="utter_council_tax_nothing_to_pay", reference=masked)
            return []
        # The assistant's own payment page (issue 12, item 2): it makes the payment
        # when the resident opens it, and the chat hears the outcome.
        link = await offer_payment(
            tracker,
            council,
            account.balance_pence,
            f"CTAX-{account.reference}",
            f"{council.short_name} council tax, account {masked}",
        )
        dispatcher.utter_message(
            response="utter_council_tax_payment_link",
            amount=pounds(account.balance_pence),
            reference=masked,
            payment_link=link,
        )
        return []


class CouncilTaxBalance(VerifiedAccountAction):
    """What is owed on a council tax account, the next instalment and discounts held."""

    response = "utter_council_tax_balance"

    def name(self) -> str:
        return "action_council_tax_balance"

    async def for_account(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        council: Council,
        account: CouncilTaxAccount,
    ) -> list[EventType]:
        masked = mask_reference(account.reference)
        dispatcher.utter_message(
            response="utter_council_tax_balance_details",
            reference=masked,
            balance=pounds(account.balance_pence),
        )
        if account.next_instalment is not None:
            dispatcher.utter_message(
                response="utter_council_tax_next_instalment",
                amount=pounds(account.next_instalment.amount_pence),
                due=long_date(account.next_instalment.due),
            )
        if account.discounts:
            dispatcher.utter_message(
                response="utter_council_tax_discounts_held", discounts="; ".join(account.discounts)
            )
        return []


class CouncilTaxDiscount(CouncilAction):
    """Discounts, exemptions and council tax support."""

    response = "utter_council_tax_discount"

    def name(self) -> str:
        return "action_council_tax_discount"


class CouncilTaxMove(CouncilAction):
    """Moving in, out or within the area."""

    response = "utter_council_tax_move"

    def name(self) -> str:
        return "action_council_tax_move"


class CouncilTaxDetails(DetailsValidation):
    """`details_form`: the account reference and the property's postcode, checked together."""

    async def validate_council_tax_ref(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        return self.council_reference(
            "council_tax_ref", "utter_council_tax_ref_invalid", slot_value, dispatcher, tracker
        )

    async def validate_property_postcode(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        found = self.checked_against(tracker, "property_postcode", slot_value, "council_tax_ref")
        if isinstance(found, dict):
            return found
        council, reference = found
        postcode = postcode_answer(dispatcher, "property_postcode", slot_value)
        if isinstance(postcode, dict):
            return postcode
        matched = await IDENTITY_CHECK.run(
            dispatcher, tracker, council, (reference,), lambda b: account_at(b, reference, postcode)
        )
        if isinstance(matched, dict):
            return matched
        if matched:
            return {
                "property_postcode": None,
                **verified_slots(council, reference),
                "verification_attempts": 0,
            }
        attempts = int(tracker.get_slot("verification_attempts") or 0) + 1
        if attempts < MAX_ATTEMPTS:
            dispatcher.utter_message(
                response="utter_verification_failed",
                attempts_left=MAX_ATTEMPTS - attempts,
                reference=mask_reference(reference),
            )
        return {
            "council_tax_ref": None,
            "property_postcode": None,
            "verification_attempts": attempts,
        }


def locked_out(dispatcher: CollectingDispatcher, council: Council) -> dict[str, Any]:
    """Too many failed checks: say so (never which detail was wrong) and stop asking."""
    dispatcher.utter_message(response="utter_verification_locked", **council.template_vars())
    return {
        "council_tax_ref": None,
        "property_postcode": None,
        "verification_attempts": MAX_ATTEMPTS,  # and not again in this conversation
        DETAILS_STOPPED_SLOT: True,
    }


IDENTITY_CHECK = LimitedCheck(CHECK, "property_postcode", locked_out)
