"""A council's crisis lines: homelessness, children's and adults' safeguarding.

The one place that turns council.yml's `crisis` section (schema.Crisis) into answer
values. Each service has a daytime `phone` and an `out_of_hours_phone`; one that is
not given is the main `contact` number, so a crisis answer always has a number.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.councils.registry import Council

CRISIS_SERVICES = ("homelessness", "children", "adults")
CRISIS_KEYS = ("phone", "out_of_hours_phone")


def crisis_lines(council: Council) -> dict[str, str]:
    """Template values `{crisis_<service>_phone}` and `{crisis_<service>_out_of_hours_phone}`."""
    lines: dict[str, str] = {}
    for service in CRISIS_SERVICES:
        numbers = getattr(council.crisis, service)
        for key in CRISIS_KEYS:
            lines[f"crisis_{service}_{key}"] = getattr(numbers, key) or council.contact[key]
    return lines
