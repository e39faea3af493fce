"""Libraries."""

from __future__ import annotations

from actions.base import CouncilAction


class LibraryInfo(CouncilAction):
    """Library opening times, loans and membership."""

    response = "utter_library_info"

    def name(self) -> str:
        return "action_library_info"
