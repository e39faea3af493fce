"""What every simulated vendor API shares: the database, the keys, the councils.

Each vendor is a `Vendor` subclass in its own module (open311.py, govuk_pay.py, ...),
registered in app.py's VENDORS.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from sqlalchemy.engine import Engine

from devtools.demo_backoffice import models

log = logging.getLogger("devtools.demo_backoffice")


@dataclass
class Fault:
    """How one council's systems misbehave right now."""

    mode: str = "ok"
    delay_seconds: float = 0.0


class BackOffice:
    """One database, per-(council, vendor) API keys, and the faults set by the admin API."""

    def __init__(
        self,
        engine: Engine,
        keys: Mapping[tuple[str, str], str],
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.engine = engine
        self.keys = dict(keys)
        self.today = today
        self.settings: dict[str, Any] = models.fixtures()
        self.faults: dict[str, Fault] = {}

    def council(self, request: web.Request) -> str:
        """The request's council (its path prefix); 404 for an unknown one."""
        council = request.match_info["council"]
        if council not in self.settings:
            raise web.HTTPNotFound(text="no such council")
        return council

    def check_key(self, request: web.Request, adapter: str, given: str | None) -> str:
        """The council, when `given` is its key for `adapter`; else 401."""
        council = self.council(request)
        expected = self.keys.get((council, adapter))
        if not expected or not given or not secrets.compare_digest(expected, given):
            log.warning("rejected %s key for %s", adapter, council)
            raise web.HTTPUnauthorized(
                text='{"error": "invalid API key"}', content_type="application/json"
            )
        return council


class Vendor:
    """A simulated vendor's API, mounted under each council's prefix."""

    adapter = ""  # the adapter name in council.yml (and in the keys)

    def __init__(self, office: BackOffice) -> None:
        self.office = office

    def routes(self, prefix: str) -> list[web.RouteDef]:
        """The vendor's routes below `prefix` ("/{council}")."""
        raise NotImplementedError

    def check_key(self, request: web.Request, given: str | None) -> str:
        """The council, when `given` is its key for this vendor; else 401."""
        return self.office.check_key(request, self.adapter, given)

    def bearer(self, request: web.Request) -> str:
        """The council, when the bearer token is its key for this vendor; else 401."""
        header = request.headers.get("Authorization", "")
        token = header[7:] if header.startswith("Bearer ") else None
        return self.check_key(request, token)


def utc_now(whole_seconds: bool = True) -> dt.datetime:
    """Now in UTC, naive (as the tables store it), to the second unless told otherwise."""
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    return now.replace(microsecond=0) if whole_seconds else now
