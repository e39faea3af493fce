"""Council housing."""

from __future__ import annotations

from actions.base import CouncilAction


class HousingRepair(CouncilAction):
    """A repair to a council home."""

    response = "utter_housing_repair"

    def name(self) -> str:
        return "action_housing_repair"
