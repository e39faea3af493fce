"""Registering to vote, births and deaths."""

from __future__ import annotations

from actions.base import CouncilAction


class RegisterToVote(CouncilAction):
    """Registering to vote."""

    response = "utter_register_to_vote"

    def name(self) -> str:
        return "action_register_to_vote"


class RegisterBirth(CouncilAction):
    """Registering a birth."""

    response = "utter_register_birth"

    def name(self) -> str:
        return "action_register_birth"


class RegisterDeath(CouncilAction):
    """Registering a death."""

    response = "utter_register_death"

    def name(self) -> str:
        return "action_register_death"
