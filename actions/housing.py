"""Council housing repairs, with emergency triage before any booking."""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.backoffice_write import write_once
from actions.base import (
    CONFIRMATION_SLOT,
    DETAILS_STOPPED_SLOT,
    CouncilAction,
    current_council,
)
from actions.confirmation import briefly, cancelled, is_cancel
from actions.details import DetailsValidation, described, pending_action
from actions.tenancy import TENANCY_SLOT, tenancy_needed
from actions.write_kinds import REPAIR
from assistant.backoffice.housing import RepairBooking, RepairRequest
from assistant.backoffice.registry import BackOffice
from assistant.councils import Council

TRIAGE_FILE = Path(__file__).with_name("repair_triage.yml")
# Words that ask for a repair without saying what needs repairing ("I need to report a
# repair in my council flat"): a first message with any other word describes the problem
# and is not asked for again (issue 9, item 4).
_ASKING_WORDS = frozenset(
    """i i'd i'm id im need want like would to a an the my our in at of for with please can
    could you help me report reporting book booking get make request log something some
    repair repairs fix fixed fixing fixes done sort sorted out council house home flat
    property tenant tenancy rented housing maintenance job how do does is there it this
    that urgent non routine have has got""".split()
)


@functools.lru_cache(maxsize=1)
def triage_rules() -> list[dict[str, Any]]:
    """The emergency rules from repair_triage.yml (read once, on first use)."""
    data = yaml.safe_load(TRIAGE_FILE.read_text(encoding="utf-8"))
    return list(data["emergencies"])


def emergency_in(text: str | None, today: dt.date | None = None) -> str | None:
    """The name of the emergency the description shows, or None for a routine repair."""
    if not text:
        return None
    lowered = " ".join(text.lower().split()).replace("’", "'")
    month = (today or dt.date.today()).month
    for rule in triage_rules():
        if rule.get("months") and month not in rule["months"]:
            continue
        if any(phrase in lowered for phrase in rule["phrases"]):
            return str(rule["name"])
    return None


class HousingRepair(CouncilAction):
    """A repair to a council home: emergencies get the emergency line, others a booking."""

    response = "utter_housing_repair"
    correctable = ("repair_description", "postcode", "address", "uprn")
    draft = ("repair_description",)

    def name(self) -> str:
        return "action_housing_repair"

    def required_details(self, tracker: Tracker) -> list[str]:
        council = current_council(tracker)
        tenancy = [TENANCY_SLOT] if council is None or tenancy_needed(tracker, council) else []
        return ["repair_description", "postcode", "address", *tenancy, CONFIRMATION_SLOT]

    async def summary(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, council: Council
    ) -> tuple[str, dict[str, Any]] | None:
        return "utter_confirm_repair", {
            "address": tracker.get_slot("address"),
            "said": briefly(tracker.get_slot("repair_description")),
            **council.template_vars(),
        }

    def prefill(self, tracker: Tracker, council: Council) -> list[EventType]:
        if tracker.latest_message.get("intent", {}).get("name") != "housing_repair":
            return []
        text = " ".join(str(tracker.latest_message.get("text") or "").split())
        words = re.findall(r"[a-z']+", text.lower())
        if not any(word not in _ASKING_WORDS for word in words):
            return []
        return [SlotSet("repair_description", described(text, max_length=1000))]

    async def before_details(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, council: Council
    ) -> list[EventType] | None:
        if tracker.latest_message.get("intent", {}).get("name") != "housing_repair":
            return None
        if emergency_in(tracker.latest_message.get("text")) is None:
            return None
        dispatcher.utter_message(response="utter_repair_emergency", **council.template_vars())
        return [SlotSet("repair_description", None)]

    async def answer(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
        council: Council,
    ) -> list[EventType]:
        reset: list[EventType] = [SlotSet("repair_description", None)]
        if tenancy_needed(tracker, council):  # never booked without a proved tenancy
            dispatcher.utter_message(response="utter_tenancy_locked", **council.template_vars())
            return reset
        uprn, description = tracker.get_slot("uprn"), tracker.get_slot("repair_description")

        def book(backoffice: BackOffice, client_reference: str) -> RepairBooking:
            request = RepairRequest(uprn, description, client_reference=client_reference)
            return backoffice.housing_repairs.book(request)

        booking = await write_once(
            dispatcher,
            tracker,
            council,
            REPAIR,
            f"{uprn}\x1f{description}",
            book,
            failed="utter_repair_not_made",
        )
        if booking is None:
            return reset
        target = dt.date.fromisoformat(booking.target) if _is_date(booking.target) else None
        dispatcher.utter_message(
            response="utter_repair_booked",
            reference=booking.reference,
            address=tracker.get_slot("address"),
            target=f"{target.day} {target:%B %Y}" if target else booking.target,
            **council.template_vars(),
        )
        return reset


class RepairDetails(DetailsValidation):
    """`details_form`: what needs repairing, triaged for emergencies first."""

    async def validate_repair_description(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        council = self.council_for(tracker, "repair_description", slot_value)
        if isinstance(council, dict):
            return council
        text = " ".join(str(slot_value or "").split())
        action = pending_action(tracker)
        if action is not None and is_cancel(text):
            return cancelled(dispatcher, action)
        if emergency_in(text) is not None:
            dispatcher.utter_message(response="utter_repair_emergency", **council.template_vars())
            return {"repair_description": None, DETAILS_STOPPED_SLOT: True}
        if described(text, max_length=1000) is None:
            dispatcher.utter_message(response="utter_repair_description_invalid")
            return {"repair_description": None}
        return {"repair_description": text}


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True
