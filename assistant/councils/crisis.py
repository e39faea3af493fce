"""A council's crisis lines: homelessness, children's and adults' safeguarding.

The one place that reads the `crisis` section of council.yml. Each service has a
daytime `phone` and an `out_of_hours_phone`; a council that lists none falls back
to its main `contact` numbers, so a crisis answer always has a number to give.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.councils.registry import Council

CRISIS_SERVICES = ("homelessness", "children", "adults")
CRISIS_KEYS = ("phone", "out_of_hours_phone")


def crisis_lines(council: Council) -> dict[str, str]:
    """Template values `{crisis_<service>_phone}` and `{crisis_<service>_out_of_hours_phone}`.

    Raises ValueError when the `crisis` section is present but malformed."""
    return read_crisis_lines(council.extra.get("crisis"), council.contact)


def read_crisis_lines(section: Any, contact: Mapping[str, str]) -> dict[str, str]:
    """The lines from a raw `crisis` section, with the main contact numbers as defaults."""
    if section is None:
        section = {}
    if not isinstance(section, dict):
        raise ValueError("crisis must be a mapping of services")
    unknown = sorted(set(section) - set(CRISIS_SERVICES))
    if unknown:
        raise ValueError(f"crisis.{unknown[0]} is not a known service {CRISIS_SERVICES}")
    lines: dict[str, str] = {}
    for service in CRISIS_SERVICES:
        numbers = section.get(service) or {}
        if not isinstance(numbers, dict):
            raise ValueError(f"crisis.{service} must be a mapping with {CRISIS_KEYS}")
        for key in CRISIS_KEYS:
            value = numbers.get(key, contact.get(key))
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"crisis.{service}.{key} must be a phone number")
            lines[f"crisis_{service}_{key}"] = value.strip()
    return lines
