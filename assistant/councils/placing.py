"""A resident's postcode -> their council, or a clear answer why there is none.

The answer is one of: a configured council (and the place, with its coordinates),
a terminated postcode, a postcode not in the data, or a real place no configured
council covers (with that area's council's name when the GSS names table has it).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from assistant.councils.registry import Council, CouncilRegistry
from assistant.councils.services import vocabulary
from assistant.postcodes import PostcodeLookup, PostcodeServiceError, default_lookup
from assistant.postcodes.areas import council_name
from assistant.postcodes.place import Place

log = logging.getLogger(__name__)

FIND_COUNCIL_URL = "https://www.gov.uk/find-local-council"
NOT_SERVED = "utter_postcode_not_served"  # no name known: gov.uk's finder
OTHER_COUNCIL = "utter_postcode_other_council"  # "that's <name>'s area"
TERMINATED = "utter_postcode_terminated"
UNKNOWN = "utter_postcode_unknown"
LOOKUP_DOWN = "utter_postcode_lookup_unavailable"


@dataclass(frozen=True)
class Placement:
    """Where a postcode puts the resident: a council, or the reply saying why not."""

    postcode: str
    council: Council | None = None
    place: Place | None = None
    response: str | None = None
    values: tuple[tuple[str, str], ...] = ()

    def reply(self) -> dict[str, Any]:
        """The response name and values to send when there is no council."""
        return {"response": self.response, "postcode": self.postcode, **dict(self.values)}


def place_postcode(
    postcode: str, registry: CouncilRegistry, lookup: PostcodeLookup | None = None
) -> Placement:
    """Resolve a (normalised) postcode through the lookup and the registry."""
    try:
        place = (lookup or default_lookup()).find(postcode)
    except PostcodeServiceError as error:
        log.error("postcode lookup failed: %s", error)
        return Placement(postcode, response=LOOKUP_DOWN)
    if place is None:
        return Placement(postcode, response=UNKNOWN)
    if place.terminated:
        return Placement(postcode, place=place, response=TERMINATED)
    council = registry.for_place(place)
    if council is not None:
        return Placement(postcode, council=council, place=place)
    name = next(filter(None, (council_name(code) for code in place.codes)), None)
    if name is None:
        return Placement(postcode, place=place, response=NOT_SERVED)
    values = (("other_council", name), ("find_council_url", FIND_COUNCIL_URL))
    return Placement(postcode, place=place, response=OTHER_COUNCIL, values=values)


def elsewhere_reply(home: Council, service: str) -> dict[str, Any]:
    """For a council that does not provide `service`: who does (its county, named in
    the GSS names table) or where to find out. Never 'systems unavailable'."""
    topic = vocabulary()[service]
    provider = council_name(home.county_gss_code) if home.county_gss_code else None
    return {
        "response": "utter_service_elsewhere" if provider else "utter_service_elsewhere_unknown",
        "service_name": topic.name,
        "provider_name": provider or "",
        "find_council_url": FIND_COUNCIL_URL,
        **home.template_vars(),
    }


def handled_by_reply(home: Council, serving: Council, service: str) -> dict[str, Any]:
    """The line that says another council handles this request."""
    return {
        "response": "utter_service_handled_by",
        "service_name": vocabulary()[service].name,
        "home_name": home.short_name,
        **serving.template_vars(),
    }
