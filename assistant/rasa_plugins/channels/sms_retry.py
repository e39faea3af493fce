"""Sending a reply through a gateway's API, retried only when a retry can help.

Both gateways answer a refused send with an HTTP status: 429 (rate limited) and
5xx (or no answer at all) are worth another try after a pause that doubles each
time; any other 4xx is permanent (a bad number, a bad key, a message Notify will
never take): retrying only repeats the refusal. Failures are described by status
and error code only, never by the gateway's message, which can quote the number.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from notifications_python_client.errors import APIError
from twilio.base.exceptions import TwilioRestException

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a refused send is tried again."""

    attempts: int = 4  # tries in all
    first_delay: float = 1.0  # seconds before the second try; doubled for each next one
    max_delay: float = 30.0


def status_of(error: BaseException) -> int | None:
    """The HTTP status of a gateway client's error; None when there was no answer."""
    if isinstance(error, TwilioRestException):
        return int(error.status)
    if isinstance(error, APIError):
        # Notify's client reports "no answer" (a connection error) as a 503.
        return int(error.status_code)
    status = getattr(error, "status", None)  # SmsRejected: a configuration problem
    return status if isinstance(status, int) else None


def is_permanent(error: BaseException) -> bool:
    """True for errors a retry cannot cure: any 4xx but 429, and missing configuration."""
    if getattr(error, "permanent", False):
        return True
    status = status_of(error)
    return status is not None and 400 <= status < 500 and status != 429


def describe(error: BaseException) -> str:
    """The error's type, HTTP status and gateway error code: no message text."""
    parts = [type(error).__name__]
    status = status_of(error)
    if status is not None:
        parts.append(f"status {status}")
    code = getattr(error, "code", None)
    if isinstance(code, (int, str)) and code:
        parts.append(f"code {code}")
    if isinstance(error, APIError):
        kinds = _notify_error_kinds(error)
        if kinds:
            parts.append(f"errors {kinds}")
    return " ".join(parts)


def _notify_error_kinds(error: APIError) -> str:
    """The `error` names of a Notify error body (BadRequestError...), not its messages."""
    try:
        body = error.response.json() if error.response is not None else {}
    except ValueError:
        return ""
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, list):
        return ""
    return ",".join(str(item.get("error")) for item in errors if isinstance(item, dict))


async def send_with_retries(
    send: Callable[[], Awaitable[None]],
    policy: RetryPolicy,
    sleep: Sleep = asyncio.sleep,
) -> int:
    """Await `send()` until it succeeds; the number of tries it took. A permanent
    refusal is raised at once, a temporary one once `policy.attempts` tries failed."""
    delay = policy.first_delay
    for attempt in range(1, policy.attempts + 1):
        try:
            await send()
            return attempt
        except Exception as error:
            if is_permanent(error) or attempt == policy.attempts:
                raise
            log.warning(
                "send failed (%s); try %d of %d in %.1fs",
                describe(error),
                attempt + 1,
                policy.attempts,
                delay,
            )
            await sleep(delay)
            delay = min(delay * 2, policy.max_delay)
    raise AssertionError("unreachable: attempts must be at least 1")
