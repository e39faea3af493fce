"""Open311 service lists and definitions, cached per council, and the attributes we fill.

A service whose `metadata` is true has a definition (`services/{code}.{fmt}`) listing
attributes; those marked `required` must be sent as `attribute[code]` or real servers
(mySociety's open311-adapter, FixMyStreet's) answer 400. We fill each from what we
know (ATTRIBUTE_SOURCES, extendable per council) or refuse before any POST.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from assistant.backoffice.errors import BackOfficeMalformed, NotSent
from assistant.backoffice.street_reports import NewReport
from assistant.backoffice.vendors.open311_wire import flag

log = logging.getLogger(__name__)

DEFAULT_TTL_SECONDS = 3600.0
# The facts we can send (council.yml `attributes` maps a server's codes to these).
FACTS = (
    "easting",
    "northing",
    "latitude",
    "longitude",
    "client_reference",
    "title",
    "description",
    "address_string",
)
# Attribute code -> the fact of ours that fills it. Codes UK servers use: easting and
# northing (British National Grid), fixmystreet_id (the sender's own id: ours is the
# client reference), title, description, closest_address.
ATTRIBUTE_SOURCES: dict[str, str] = {
    "easting": "easting",
    "northing": "northing",
    "lat": "latitude",
    "latitude": "latitude",
    "long": "longitude",
    "longitude": "longitude",
    "client_reference": "client_reference",
    "fixmystreet_id": "client_reference",
    "external_id": "client_reference",
    "title": "title",
    "description": "description",
    "closest_address": "address_string",
    "address": "address_string",
}
POINT_FACTS = {"easting", "northing", "latitude", "longitude"}
LOCATION_FACTS = POINT_FACTS | {"address_string"}


@dataclass(frozen=True)
class Attribute:
    """One attribute of a service definition."""

    code: str
    required: bool
    datatype: str


@dataclass(frozen=True)
class Service:
    """One entry of the service list."""

    code: str
    name: str
    metadata: bool
    kind: str  # realtime, batch or blackbox


def read_services(data: Any) -> dict[str, Service]:
    """The service list by code; BackOfficeMalformed when it is not a list of services."""
    if not isinstance(data, list):
        raise BackOfficeMalformed("the service list is not a list")
    services: dict[str, Service] = {}
    for entry in data:
        if not isinstance(entry, dict) or entry.get("service_code") in (None, ""):
            raise BackOfficeMalformed("a service has no service_code")
        code = str(entry["service_code"])
        services[code] = Service(
            code,
            str(entry.get("service_name") or code),
            flag(entry.get("metadata")),
            str(entry.get("type") or "realtime"),
        )
    return services


def read_definition(data: Any) -> list[Attribute]:
    """The attributes of a service definition (JSON object or XML <service_definition>)."""
    attributes = data.get("attributes") if isinstance(data, dict) else None
    if attributes in ("", None):
        return []
    if not isinstance(attributes, list):
        raise BackOfficeMalformed("the service definition's attributes are not a list")
    found = []
    for entry in attributes:
        if not isinstance(entry, dict) or not entry.get("code"):
            raise BackOfficeMalformed("a service attribute has no code")
        found.append(
            Attribute(str(entry["code"]), flag(entry.get("required")), str(entry.get("datatype")))
        )
    return found


def facts(report: NewReport) -> dict[str, str]:
    """What we know about the report, as attribute text, by fact name."""
    values: dict[str, Any] = {
        "easting": report.easting,
        "northing": report.northing,
        "latitude": None if report.latitude is None else f"{report.latitude:.6f}",
        "longitude": None if report.longitude is None else f"{report.longitude:.6f}",
        "client_reference": report.client_reference,
        "title": report.description.splitlines()[0][:80] if report.description else None,
        "description": report.description,
        "address_string": report.address_string,
    }
    return {name: str(value) for name, value in values.items() if value not in (None, "")}


def fill(
    attributes: list[Attribute], report: NewReport, sources: Mapping[str, str]
) -> dict[str, str]:
    """`attribute[code]` form fields for every attribute we can fill; NotSent naming
    the first required one we cannot ("location" when it is where the problem is)."""
    known = facts(report)
    form: dict[str, str] = {}
    for attribute in attributes:
        source = sources.get(attribute.code)
        value = known.get(source) if source else None
        if value is not None:
            form[f"attribute[{attribute.code}]"] = value
        elif attribute.required:
            reason = "location" if source in LOCATION_FACTS else "details"
            raise NotSent(reason, f"required attribute {attribute.code!r} cannot be filled")
    return form


def needs_point(attributes: list[Attribute], sources: Mapping[str, str]) -> bool:
    """Whether a required attribute is one we fill from the map point only."""
    return any(a.required and sources.get(a.code) in POINT_FACTS for a in attributes)


class ServiceCatalogue:
    """One council's service list and definitions, fetched when first needed and again
    after `ttl` seconds, or at once when a code is not in the cached list."""

    def __init__(
        self,
        fetch_list: Callable[[], Any],
        fetch_definition: Callable[[str], Any],
        ttl: float = DEFAULT_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch_list = fetch_list
        self._fetch_definition = fetch_definition
        self.ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._services: tuple[float, dict[str, Service]] | None = None
        self._definitions: dict[str, tuple[float, list[Attribute]]] = {}

    def _fresh(self, fetched: float) -> bool:
        return self._clock() - fetched < self.ttl

    def services(self, refresh: bool = False) -> dict[str, Service]:
        """The service list, from the cache while fresh."""
        with self._lock:
            cached = self._services
        if cached is not None and self._fresh(cached[0]) and not refresh:
            return cached[1]
        services = read_services(self._fetch_list())
        with self._lock:
            self._services = (self._clock(), services)
        return services

    def service(self, code: str) -> Service | None:
        """The service `code`; the list is fetched again once when it is not there."""
        found = self.services().get(code)
        if found is None:
            found = self.services(refresh=True).get(code)
        if found is None:
            log.warning("Open311 service code %r is not in the council's service list", code)
        return found

    def attributes(self, code: str) -> list[Attribute]:
        """The attributes of `code` ([] when the service has no metadata)."""
        service = self.service(code)
        if service is not None and not service.metadata:
            return []
        with self._lock:
            cached = self._definitions.get(code)
        if cached is not None and self._fresh(cached[0]):
            return cached[1]
        attributes = read_definition(self._fetch_definition(code))
        with self._lock:
            self._definitions[code] = (self._clock(), attributes)
        return attributes
