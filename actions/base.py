"""Shared bases for actions that answer for the conversation's council."""

from __future__ import annotations

import functools
import importlib
import pkgutil
from abc import ABCMeta, abstractmethod
from typing import Any, ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from rasa_sdk.utils import all_subclasses

from actions.outcomes_waiting import noting_outcomes
from assistant.councils import Council, default_registry
from assistant.councils.placing import elsewhere_reply, handled_by_reply, place_postcode
from assistant.councils.services import service_of

COUNCIL_SLOT = "council"
PENDING_ACTION_SLOT = "pending_action"
COUNCIL_FORM = "council_form"
# The one form that collects whatever details the pending action still needs
# (its `required_details`), validated by `validate_details_form` (actions/details_form.py).
DETAILS_FORM = "details_form"
# Set when collecting details had to stop (the back-office failed, an emergency was
# found): the resident has been told, and the pending action must not ask again.
DETAILS_STOPPED_SLOT = "details_stopped"
# The resident's yes to the one-line summary asked last by details_form before an
# action writes to a back-office (actions/confirmation.py).
CONFIRMATION_SLOT = "confirmation"


def home_council(tracker: Tracker) -> Council | None:
    """The conversation's own council, from its trusted `council` slot."""
    return default_registry().get(tracker.get_slot(COUNCIL_SLOT))


def current_council(tracker: Tracker) -> Council | None:
    """The council answering now: the one providing the pending action's service to
    the conversation's council (a district's county for roads), else its own."""
    home = home_council(tracker)
    if home is None:
        return None
    pending = service_of(tracker.get_slot(PENDING_ACTION_SLOT))
    return default_registry().handler_of(home, pending)


def latest_entity(tracker: Tracker, entity: str) -> str | None:
    """The value of the first `entity` found in the resident's latest message."""
    for found in tracker.latest_message.get("entities") or []:
        if found.get("entity") == entity and isinstance(found.get("value"), str):
            return found["value"]
    return None


def latest_metadata(tracker: Tracker) -> dict[str, Any]:
    """Channel metadata sent with the resident's latest message (empty when none)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            metadata = event.get("metadata")
            return metadata if isinstance(metadata, dict) else {}
    return {}


class CouncilAction(Action, metaclass=ABCMeta):
    """Answers with a council-specific response.

    When the conversation has no council yet, the council comes from a postcode
    in the resident's message or, failing that, from `council_form`, after which
    `action_resume_pending` runs this action again.
    """

    response: ClassVar[str]
    # For actions that write to a back-office: the details a resident's "no" to the
    # summary clears, to be asked again (none: "no" cancels), and the draft slots a
    # cancel clears.
    correctable: ClassVar[tuple[str, ...]] = ()
    draft: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    def name(self) -> str:
        """The action's name in domain.yml."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        home = home_council(tracker)
        if home is None:
            postcode = latest_entity(tracker, "postcode")
            if postcode is None:
                return [
                    SlotSet(PENDING_ACTION_SLOT, self.name()),
                    SlotSet("postcode", None),
                    FollowupAction(COUNCIL_FORM),
                ]
            placed = place_postcode(postcode, default_registry())
            if placed.council is None:
                dispatcher.utter_message(**placed.reply())
                return []
            # The council was just found from the message: run again, now routed to
            # the action server of the council that serves this request.
            return [
                SlotSet(COUNCIL_SLOT, placed.council.id),
                SlotSet("postcode", postcode),
                FollowupAction(self.name()),
            ]
        resuming = tracker.get_slot(PENDING_ACTION_SLOT) == self.name()
        if resuming and tracker.get_slot(DETAILS_STOPPED_SLOT):
            return [SlotSet(DETAILS_STOPPED_SLOT, None), SlotSet(PENDING_ACTION_SLOT, None)]
        service = service_of(self.name())
        if service is None:  # no particular service: the conversation's own council
            return await self.serve(dispatcher, tracker, domain, home)
        council = default_registry().serving(home, service)
        if council is None:
            # A service this council does not provide: say who does, never "unavailable".
            dispatcher.utter_message(**elsewhere_reply(home, service))
            return []
        if council is not home and not resuming:
            dispatcher.utter_message(**handled_by_reply(home, council, service))
        return await self.serve(dispatcher, tracker, domain, council)

    async def serve(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
        council: Council,
    ) -> list[EventType]:
        """Answer for the council that provides this action's service."""
        early = await self.before_details(dispatcher, tracker, council)
        if early is not None:
            return early
        if self.missing_details(tracker, council):
            return [
                ActiveLoop(None),
                SlotSet("requested_slot", None),
                SlotSet(DETAILS_STOPPED_SLOT, None),
                SlotSet(PENDING_ACTION_SLOT, self.name()),
                SlotSet(CONFIRMATION_SLOT, None),
                *self.prefill(tracker, council),
                FollowupAction(DETAILS_FORM),
            ]
        answered = await noting_outcomes(tracker, self.answer(dispatcher, tracker, domain, council))
        if tracker.get_slot(CONFIRMATION_SLOT) is not None:
            answered.append(SlotSet(CONFIRMATION_SLOT, None))  # a yes is for one write only
        return answered

    def required_details(self, tracker: Tracker) -> list[str]:
        """Slots `details_form` must fill before `answer` runs (none by default)."""
        return []

    def missing_details(self, tracker: Tracker, council: Council) -> list[str]:
        """The required details not filled yet."""
        return [slot for slot in self.required_details(tracker) if tracker.get_slot(slot) is None]

    def prefill(self, tracker: Tracker, council: Council) -> list[EventType]:
        """Details already given in the resident's message (validated by the form)."""
        return []

    async def before_details(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, council: Council
    ) -> list[EventType] | None:
        """A reply that must come before any details are asked for, or None."""
        return None

    async def summary(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, council: Council
    ) -> tuple[str, dict[str, Any]] | None:
        """For an action that writes to a back-office (it lists CONFIRMATION_SLOT last
        in `required_details`): the summary to confirm, as a response name and its
        values. None when there is nothing to confirm (the resident has been told)."""
        return None

    async def answer(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
        council: Council,
    ) -> list[EventType]:
        """Reply for `council`; by default, the class's response with the council's details."""
        dispatcher.utter_message(response=self.response, **council.template_vars())
        return []


def council_action_named(name: str | None) -> CouncilAction | None:
    """A fresh instance of the concrete CouncilAction called `name`, if there is one."""
    _import_all_actions()
    for action_class in all_subclasses(CouncilAction):
        if getattr(action_class, "__abstractmethods__", None):
            continue
        action = action_class()
        if action.name() == name:
            return action
    return None


@functools.cache
def _import_all_actions() -> None:
    """Import every module of the `actions` package, as the action server does."""
    package = importlib.import_module("actions")
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"actions.{module.name}")
