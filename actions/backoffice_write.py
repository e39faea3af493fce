"""Back-office writes made once and never misreported (issue 10, finding 7).

`write_once` records a pending write (assistant/backoffice/pending.py) before the
call, with a client reference of ours that the back-office keeps. When no answer
comes (a timeout, a dropped connection, an unreadable answer) it looks the write up
by that reference before answering: made -> the real reference; not there -> "not
made"; no way to tell -> "we're checking" (utter_write_checking), never "not made".
The same write asked again (Rasa replaying the action, the resident saying yes
again) reuses the record: made already -> the same reference, no second call.

`tell_earlier_outcomes` runs at the resident's next message (from
action_validate_slot_mappings on the council's own action server, which Rasa calls
while the council is in `outcomes_waiting`, set by every write: actions/outcomes_waiting.py):
it checks writes still unknown and tells the outcome once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.backoffice_call import council_backoffice, total_deadline, write_deadline
from actions.outcomes_waiting import note_outcome_to_tell
from actions.write_kinds import KINDS, WriteKind, later_values
from assistant.backoffice.deadline import call_within
from assistant.backoffice.errors import (
    BackOfficeError,
    BackOfficeMalformed,
    BackOfficeNoAnswer,
    NotSent,
    ReferenceToFollow,
)
from assistant.backoffice.pending import (
    CONFIRMED,
    FAILED,
    PENDING,
    UNKNOWN,
    PendingWrite,
    PendingWrites,
)
from assistant.backoffice.registry import BackOffice
from assistant.councils import Council
from assistant.routing.runtime import backoffice_for, pending_writes

log = logging.getLogger(__name__)

T = TypeVar("T")
CHECKING_RESPONSE = "utter_write_checking"
NOT_MADE_LATER_RESPONSE = "utter_write_not_made_later"
UNSURE = object()  # the lookup itself failed


async def write_once(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    council: Council,
    kind: WriteKind,
    content: str,
    make: Callable[[BackOffice, str], T],
    *,
    failed: str,
    lookup: str | None = None,
    refused: Mapping[str, str] | None = None,
    to_follow: str | None = None,
) -> T | None:
    """`make(backoffice, client_reference)` once for this write (`content` says what it
    writes); its result, or None when the resident has been told it was not made or
    that we are checking. `refused` answers a NotSent by its reason (nothing was sent);
    `to_follow` answers a ReferenceToFollow (received, reference told later)."""
    backoffice = council_backoffice(council)
    store = pending_writes()
    note_outcome_to_tell(council)  # told at the next message if left pending
    record, new = await asyncio.to_thread(
        store.open, tracker.sender_id, council.id, kind.name, content, lookup
    )
    reference = record.client_reference
    if record.state == CONFIRMED and record.backoffice_reference:
        await asyncio.to_thread(store.mark, reference, CONFIRMED, told=True)
        return kind.rebuilt(record.backoffice_reference, record.detail)
    if not new:  # asked before: it may have been made although we never heard
        found = await _find(kind, backoffice, record, total_deadline(council))
        if found is UNSURE:
            await asyncio.to_thread(store.mark, reference, UNKNOWN, told=False)
            _say(dispatcher, council, CHECKING_RESPONSE)
            return None
        if found is not None:
            await _confirm(store, kind, reference, found)
            return found
    await asyncio.to_thread(store.mark, reference, PENDING, told=False)
    try:
        deadline = write_deadline(council, kind.service(backoffice))
        result = await call_within(deadline, make, backoffice, reference)
    except (BackOfficeNoAnswer, BackOfficeMalformed) as error:
        log.warning("%s %s write unanswered: %s", council.id, kind.name, type(error).__name__)
        return await _check(dispatcher, council, store, kind, record, backoffice, failed)
    except ReferenceToFollow as error:
        # Received (a token), no reference yet: kept pending, told at a later message.
        log.info("%s %s write received, reference to follow", council.id, kind.name)
        await asyncio.to_thread(store.remember, reference, error.token)
        await asyncio.to_thread(store.mark, reference, UNKNOWN, told=True)
        _say(dispatcher, council, to_follow or CHECKING_RESPONSE)
        return None
    except BackOfficeError as error:
        why = error.reason if isinstance(error, NotSent) else type(error).__name__
        log.warning("%s %s write not made: %s", council.id, kind.name, why)
        await asyncio.to_thread(store.mark, reference, FAILED, told=True)
        not_sent = (refused or {}).get(why) if isinstance(error, NotSent) else None
        _say(dispatcher, council, not_sent or failed)
        return None
    await _confirm(store, kind, reference, result)
    return result


async def _check(
    dispatcher: CollectingDispatcher,
    council: Council,
    store: PendingWrites,
    kind: WriteKind,
    record: PendingWrite,
    backoffice: BackOffice,
    failed: str,
) -> Any:
    """After no answer: the write as found, else the resident is told what we know."""
    found = await _find(kind, backoffice, record, total_deadline(council))
    if found is UNSURE:
        await asyncio.to_thread(store.mark, record.client_reference, UNKNOWN, told=False)
        _say(dispatcher, council, CHECKING_RESPONSE)
        return None
    if found is None:
        await asyncio.to_thread(store.mark, record.client_reference, FAILED, told=True)
        _say(dispatcher, council, failed)
        return None
    await _confirm(store, kind, record.client_reference, found)
    return found


async def _find(
    kind: WriteKind, backoffice: BackOffice, record: PendingWrite, deadline: float | None
) -> Any:
    """The write as the back-office has it, None when it has none, UNSURE when the
    lookup failed or took longer than `deadline` seconds."""
    try:
        return await call_within(
            deadline, kind.find, backoffice, record.client_reference, record.lookup
        )
    except BackOfficeError as error:
        log.warning("%s %s lookup failed: %s", record.council, kind.name, type(error).__name__)
        return UNSURE


async def _confirm(store: PendingWrites, kind: WriteKind, reference: str, result: Any) -> None:
    made, detail = kind.kept(result)
    await asyncio.to_thread(store.confirm, reference, made, detail, told=True)


async def tell_earlier_outcomes(
    dispatcher: CollectingDispatcher, tracker: Tracker, council: Council | None
) -> None:
    """Tell the outcome of this conversation's earlier writes that the resident has not
    heard (made while Rasa or this action server was down, or unknown until now)."""
    backoffice = backoffice_for(council) if council is not None else None
    if council is None or backoffice is None:
        return  # the council-free action server: no back-office, no writes
    store = pending_writes()
    for record in await asyncio.to_thread(store.untold, tracker.sender_id):
        kind = KINDS.get(record.kind)
        if kind is None or record.council != council.id:
            continue
        await _tell_one(dispatcher, council, store, kind, record, backoffice)


async def _tell_one(
    dispatcher: CollectingDispatcher,
    council: Council,
    store: PendingWrites,
    kind: WriteKind,
    record: PendingWrite,
    backoffice: BackOffice,
) -> None:
    reference = record.client_reference
    if record.state == CONFIRMED and record.backoffice_reference:
        values = later_values(kind, record.backoffice_reference, record.detail)
    elif record.state == FAILED:
        await asyncio.to_thread(store.mark, reference, FAILED, told=True)
        _say(dispatcher, council, NOT_MADE_LATER_RESPONSE)
        return
    else:
        found = await _find(kind, backoffice, record, total_deadline(council))
        if found is UNSURE:
            if record.state == PENDING:  # first time: say so once, then keep checking
                await asyncio.to_thread(store.mark, reference, UNKNOWN, told=False)
                _say(dispatcher, council, CHECKING_RESPONSE)
            return
        if found is None:
            await asyncio.to_thread(store.mark, reference, FAILED, told=True)
            _say(dispatcher, council, NOT_MADE_LATER_RESPONSE)
            return
        made, detail = kind.kept(found)
        values = later_values(kind, made, detail)
        await asyncio.to_thread(store.confirm, reference, made, detail, told=False)
    await asyncio.to_thread(store.mark, reference, CONFIRMED, told=True)
    _say(dispatcher, council, kind.later, **values)


def _say(dispatcher: CollectingDispatcher, council: Council, response: str, **values: Any) -> None:
    dispatcher.utter_message(response=response, **values, **council.template_vars())
