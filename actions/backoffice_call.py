"""One way for an action to call its council's back-office and answer its failures.

The call runs in a back-office worker thread (the integrations are blocking HTTP
clients) so the action server's event loop keeps serving other conversations, within
the council's `backoffice.timeout_seconds` in all (assistant/backoffice/deadline.py).
When it fails, the
resident is told by response name, with the council's contact details, and the
caller gets None: every action handles "it did not work" the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from rasa_sdk.executor import CollectingDispatcher

from assistant.backoffice.deadline import call_within, write_bound
from assistant.backoffice.errors import BackOfficeError, NotFound
from assistant.backoffice.registry import BackOffice
from assistant.councils import Council
from assistant.routing.runtime import backoffice_for

log = logging.getLogger(__name__)

T = TypeVar("T")

UNAVAILABLE_RESPONSE = "utter_service_unavailable"


class BackOfficeUnreachable(RuntimeError):
    """This action server does not hold the conversation's council's back-office."""


def council_backoffice(council: Council) -> BackOffice:
    """The back-office of `council`, which this action server must serve."""
    backoffice = backoffice_for(council)
    if backoffice is None:
        raise BackOfficeUnreachable(f"this action server does not serve {council.id}")
    return backoffice


def total_deadline(council: Council) -> float | None:
    """Seconds a whole back-office call of `council` may take (council.yml)."""
    return council.backoffice.timeout_seconds if council.backoffice is not None else None


def write_deadline(council: Council, service: object = None) -> float | None:
    """Seconds a whole back-office write of `council` to `service` may take: the
    bound the service states (e.g. Open311's token wait), else three timeouts."""
    deadline = total_deadline(council)
    return write_bound(service, deadline) if deadline is not None else None


def say_unavailable(dispatcher: CollectingDispatcher, council: Council) -> None:
    """Tell the resident the service is unavailable right now, with contact details."""
    _say(dispatcher, council, UNAVAILABLE_RESPONSE)


async def backoffice_call(
    dispatcher: CollectingDispatcher,
    council: Council,
    call: Callable[[BackOffice], T],
    *,
    failed: str = UNAVAILABLE_RESPONSE,
    not_found: str | None = None,
    **not_found_values: Any,
) -> T | None:
    """`call(backoffice)` for `council`, off the event loop; None when it failed.

    A missing record (NotFound) is answered with `not_found` (given
    `not_found_values`, e.g. the reference) when the caller names one; any other
    failure, or NotFound without `not_found`, with `failed` (by default
    utter_service_unavailable). Both replies carry the council's contact details.
    """
    backoffice = council_backoffice(council)
    try:
        return await call_within(total_deadline(council), call, backoffice)
    except NotFound:
        if not_found is None:
            _say(dispatcher, council, failed)
        else:
            _say(dispatcher, council, not_found, **not_found_values)
    except BackOfficeError as error:
        # The error's class only: messages may hold back-office URLs.
        log.warning("%s back-office call failed: %s", council.id, type(error).__name__)
        _say(dispatcher, council, failed)
    return None


def _say(dispatcher: CollectingDispatcher, council: Council, response: str, **values: Any) -> None:
    dispatcher.utter_message(response=response, **values, **council.template_vars())
