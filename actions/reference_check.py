"""A detail the resident typed, checked against the back-office with failed tries limited.

Council tax (the property's postcode against the account reference) and tenancy (the
tenancy reference against the chosen home) check the same way: no call while the
subjects are locked (and the try still counts), a failed back-office call stops the
form (the resident has been told), and each mismatch is counted in the shared
attempts store (actions/verification.py) until it locks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.backoffice_call import backoffice_call
from actions.base import DETAILS_STOPPED_SLOT
from actions.verification import check_failed, check_locked
from assistant.backoffice.registry import BackOffice
from assistant.councils import Council

Slots = dict[str, Any]


@dataclass(frozen=True)
class LimitedCheck:
    """One kind of check: its attempts counters' name, the slot it validates, and
    the answer (said, and slots returned) once too many tries failed."""

    name: str
    slot: str
    locked: Callable[[CollectingDispatcher, Council], Slots]

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        council: Council,
        subjects: tuple[str, ...],
        call: Callable[[BackOffice], bool],
    ) -> bool | Slots:
        """True when the back-office matched, False when not (counted); otherwise the
        slots to return: locked out, or stopped because the back-office failed."""
        if check_locked(tracker, council, self.name, *subjects):
            check_failed(tracker, council, self.name, *subjects)  # tries while locked count
            return self.locked(dispatcher, council)
        matched = await backoffice_call(dispatcher, council, call)
        if matched is None:
            return {self.slot: None, DETAILS_STOPPED_SLOT: True}
        if matched:
            return True
        if check_failed(tracker, council, self.name, *subjects):
            return self.locked(dispatcher, council)
        return False
