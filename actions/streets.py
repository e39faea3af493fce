"""Problems in the street: potholes, fly-tipping, street lights."""

from __future__ import annotations

from actions.base import CouncilAction


class ReportPothole(CouncilAction):
    """A pothole or damaged road or pavement."""

    response = "utter_report_pothole"

    def name(self) -> str:
        return "action_report_pothole"


class ReportFlyTipping(CouncilAction):
    """Rubbish dumped in a public place."""

    response = "utter_report_fly_tipping"

    def name(self) -> str:
        return "action_report_fly_tipping"


class ReportStreetLight(CouncilAction):
    """A street light that is out or faulty."""

    response = "utter_report_street_light"

    def name(self) -> str:
        return "action_report_street_light"
