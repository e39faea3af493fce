"""Parking permits and fines."""

from __future__ import annotations

from actions.base import CouncilAction


class ParkingPermit(CouncilAction):
    """Resident and visitor parking permits."""

    response = "utter_parking_permit"

    def name(self) -> str:
        return "action_parking_permit"


class ParkingFine(CouncilAction):
    """Penalty Charge Notices: paying or challenging."""

    response = "utter_parking_fine"

    def name(self) -> str:
        return "action_parking_fine"
