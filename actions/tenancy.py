"""Proof of tenancy before a housing repair is booked (issue 10, finding 11).

When the council's `verification.repairs_need_tenancy` is on (the default), a repair
is booked only for a home whose tenancy the resident has proved in this session: the
tenancy reference, checked by the housing back-office against the chosen address.
Like a council tax check, the proof is bound to the session and expires
(actions/verification.py), and failed checks are limited per reference, per home and
per client in the shared attempts store. Replies never say which detail was wrong.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import DETAILS_STOPPED_SLOT
from actions.details import DetailsValidation, reference_example
from actions.reference_check import LimitedCheck
from actions.verification import (
    TENANCY_PROOF,
    verified_reference,
    verified_slots,
)
from assistant.councils import Council

TENANCY_SLOT = "tenancy_ref"
CHECK = "tenancy"  # the attempts counters of tenancy checks


def tenancy_needed(tracker: Tracker, council: Council) -> bool:
    """Whether the home in the `uprn` slot still needs a proved tenancy."""
    if not council.verification.repairs_need_tenancy:
        return False
    uprn = tracker.get_slot("uprn")
    proved = verified_reference(tracker, council, proof=TENANCY_PROOF)
    return not uprn or proved != uprn


def tenancy_reference(council: Council, value: Any) -> str | None:
    """The reference typed, compacted, if it has the council's tenancy format (any
    short reference when council.yml gives none)."""
    compact = re.sub(r"\s+", "", str(value or "")).upper()
    words = re.findall(r"[A-Z0-9/-]+", str(value or "").upper())
    pairs = [first + second for first, second in zip(words, words[1:], strict=False)]
    for candidate in [compact, *words, *pairs]:
        if "tenancy" not in council.reference_formats:
            if 0 < len(candidate) <= 20:
                return candidate
        elif council.reference_matches("tenancy", candidate):
            return candidate
    return None


def tenancy_locked(dispatcher: CollectingDispatcher, council: Council) -> dict[str, Any]:
    """Too many failed checks: say so, and stop asking."""
    dispatcher.utter_message(response="utter_tenancy_locked", **council.template_vars())
    return {TENANCY_SLOT: None, DETAILS_STOPPED_SLOT: True}


TENANCY_CHECK = LimitedCheck(CHECK, TENANCY_SLOT, tenancy_locked)


class TenancyDetails(DetailsValidation):
    """`details_form`: the tenancy reference, checked against the chosen home."""

    async def validate_tenancy_ref(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        found = self.checked_against(tracker, TENANCY_SLOT, slot_value, "uprn")
        if isinstance(found, dict):
            return found  # checked only against a chosen home
        council, uprn = found
        reference = tenancy_reference(council, slot_value)
        if reference is None:
            dispatcher.utter_message(
                response="utter_tenancy_ref_invalid",
                example=reference_example(council, "tenancy"),
                **council.template_vars(),
            )
            return {TENANCY_SLOT: None}
        matched = await TENANCY_CHECK.run(
            dispatcher,
            tracker,
            council,
            (reference, uprn),
            lambda b: b.housing_repairs.tenancy_at(reference, uprn),
        )
        if isinstance(matched, dict):
            return matched
        if matched:
            return {TENANCY_SLOT: None, **verified_slots(council, uprn, proof=TENANCY_PROOF)}
        dispatcher.utter_message(response="utter_tenancy_not_matched", **council.template_vars())
        return {TENANCY_SLOT: None}
