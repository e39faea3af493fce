"""Measured fixes for Rasa 3.6's remote-action hot path.

Rasa checks every action server reply with `jsonschema.validate()`, which first
re-validates the (constant) response schema against its meta-schema on every
call. Profiled with py-spy on this stack, that re-check was 44 % of the Rasa
server's CPU time for a greeting turn. `install()` replaces the check with one
done by a validator compiled once from the same schema, whose `oneOf` decides an
event's kind directly (event_schema.py): the same replies pass, the same replies
fail with the same `ValidationError`.

Rasa also rebuilds `domain.as_dict()` for every action call (at least one per
message: action_validate_slot_mappings) and sends all of it, three quarters of it
the responses, which no action reads (actions reply by response name and the NLG
server renders). Each call now carries the same domain without `responses`, built
once per loaded domain: 41 kB less to build, send, parse and forward per call.

And Rasa makes that slot-mapping call after every message, two HTTP hops (router,
action server), although on most messages it has nothing to do. It is now made only
when it has work: an extracted slot it validates (VALIDATED_SLOTS), channel metadata
naming a council other than the conversation's (binding it, or the unknown-council
reply), or a council listed in `outcomes_waiting` (an outcome to tell;
assistant/routing/waiting.py). Otherwise its answer would have been the council the
slot already holds and the extracted slots unchanged (as Rasa takes a slot the
action does not answer for), so skipping it changes no state and no reply.

Installed when Rasa loads this project's channels and NLG client, so it applies
wherever this project's Rasa server runs; it changes nothing else.
"""

from __future__ import annotations

import functools
from typing import Any

import rasa
from jsonschema import Draft7Validator
from jsonschema.exceptions import best_match
from rasa.core.actions.action import ActionExtractSlots, RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.constants import ACTION_VALIDATE_SLOT_MAPPINGS
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, Restarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from assistant.rasa_plugins.event_schema import EventSchemaValidator
from assistant.routing.waiting import OUTCOMES_WAITING_SLOT, VALIDATED_SLOTS, waiting_councils

_INSTALLED_MARK = "_council_assistant_cached_validator"
_LEAN_DOMAIN = "_council_assistant_lean_domain"
COUNCIL_SLOT = "council"
# Domain sections no action server reads (replies go by response name).
UNREAD_DOMAIN_KEYS = frozenset({"responses"})


@functools.cache
def action_result_validator() -> Any:
    """The validator for action server replies, compiled once."""
    schema = RemoteAction.action_response_format_spec()
    Draft7Validator.check_schema(schema)
    return EventSchemaValidator(schema)


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """Rasa's `_validate_action_result`, with the schema compiled once. Raises the
    error `jsonschema.validate` raises (the best match of all)."""
    error = best_match(action_result_validator().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your "
            f"response from the Action endpoint is valid. See {DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def lean_domain(domain: Domain) -> dict[str, Any]:
    """`domain.as_dict()` without what no action reads, built once per domain."""
    lean = getattr(domain, _LEAN_DOMAIN, None)
    if lean is None:
        lean = {k: v for k, v in domain.as_dict().items() if k not in UNREAD_DOMAIN_KEYS}
        setattr(domain, _LEAN_DOMAIN, lean)
    return lean


def action_call_format(
    self: RemoteAction, tracker: DialogueStateTracker, domain: Domain
) -> dict[str, Any]:
    """Rasa's `_action_call_format` with the lean, cached domain."""
    result: dict[str, Any] = {
        "next_action": self._name,
        "sender_id": tracker.sender_id,
        "tracker": tracker.current_state(EventVerbosity.ALL),
        "version": rasa.__version__,
    }
    if not self._is_selective_domain_enabled() or domain.does_custom_action_explicitly_need_domain(
        self.name()
    ):
        result["domain"] = lean_domain(domain)
    return result


def validation_tracker(
    tracker: DialogueStateTracker, slot_events: list[SlotSet], domain: Domain
) -> DialogueStateTracker:
    """The conversation with the extracted slots, as Rasa builds it for the slot-mapping
    call; the tracker itself when there is nothing to add and no restart to cut."""
    if not slot_events and not any(isinstance(event, Restarted) for event in tracker.events):
        return tracker
    events = tracker.events_after_latest_restart() + list(slot_events)
    return DialogueStateTracker.from_events(tracker.sender_id, events, slots=domain.slots)


def latest_metadata(tracker: DialogueStateTracker) -> dict[str, Any]:
    """Channel metadata of the resident's latest message (empty when none)."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return event.metadata if isinstance(event.metadata, dict) else {}
    return {}


def validation_needed(
    tracker: DialogueStateTracker, slot_events: list[SlotSet], domain: Domain
) -> bool:
    """Whether the slot-mapping call has work at this message (see the module's
    docstring); always, for a domain without the `outcomes_waiting` slot."""
    if any(event.key in VALIDATED_SLOTS for event in slot_events):
        return True
    if not any(slot.name == OUTCOMES_WAITING_SLOT for slot in domain.slots):
        return True
    if waiting_councils(tracker.get_slot(OUTCOMES_WAITING_SLOT)):
        return True
    requested = latest_metadata(tracker).get(COUNCIL_SLOT)
    return requested is not None and requested != tracker.get_slot(COUNCIL_SLOT)


async def execute_validation_action(
    self: ActionExtractSlots,
    extraction_events: list[Event],
    output_channel: Any,
    nlg: Any,
    tracker: DialogueStateTracker,
    domain: Domain,
) -> list[Event]:
    """Rasa 3.6's `_execute_validation_action` with `validation_tracker`, made only
    when `validation_needed`."""
    slot_events = [event for event in extraction_events if isinstance(event, SlotSet)]
    if ACTION_VALIDATE_SLOT_MAPPINGS not in domain.user_actions:
        return list(slot_events)
    if not validation_needed(tracker, slot_events, domain):
        return list(slot_events)  # what the action would have answered
    validated = await self._run_custom_action(
        ACTION_VALIDATE_SLOT_MAPPINGS,
        output_channel,
        nlg,
        validation_tracker(tracker, slot_events, domain),
        domain,
    )
    names = {event.key for event in validated if isinstance(event, SlotSet)}
    # As Rasa: an extracted slot the action did not answer for is taken as valid.
    return validated + [event for event in slot_events if event.key not in names]


def install() -> None:
    """Use the compiled validator and the lean domain for remote actions (idempotent)."""
    if getattr(RemoteAction, _INSTALLED_MARK, False):
        return
    RemoteAction._validate_action_result = validate_action_result
    RemoteAction._action_call_format = action_call_format
    ActionExtractSlots._execute_validation_action = execute_validation_action
    setattr(RemoteAction, _INSTALLED_MARK, True)
