"""Planning applications."""

from __future__ import annotations

from actions.base import CouncilAction


class PlanningStatus(CouncilAction):
    """Where a planning application has got to."""

    response = "utter_planning_status"

    def name(self) -> str:
        return "action_planning_status"


class PlanningComment(CouncilAction):
    """Supporting or objecting to an application."""

    response = "utter_planning_comment"

    def name(self) -> str:
        return "action_planning_comment"
