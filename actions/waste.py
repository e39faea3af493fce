"""Bins, recycling and bulky waste."""

from __future__ import annotations

from actions.base import CouncilAction


class BinCollectionDay(CouncilAction):
    """When the bins are collected."""

    response = "utter_bin_collection_day"

    def name(self) -> str:
        return "action_bin_collection_day"


class BinMissed(CouncilAction):
    """A bin that was not collected."""

    response = "utter_bin_missed"

    def name(self) -> str:
        return "action_bin_missed"


class BulkyWaste(CouncilAction):
    """Large items and recycling centres."""

    response = "utter_bulky_waste"

    def name(self) -> str:
        return "action_bulky_waste"
