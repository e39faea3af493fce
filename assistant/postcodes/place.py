"""What a postcode lookup answers: the postcode's councils (GSS codes) and position."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

# ONS's pseudo code for "no county" (unitary, metropolitan and London areas).
NO_COUNTY = ("E99999999", "W99999999", "S99999999", "N99999999", "L99999999", "M99999999")


@dataclass(frozen=True)
class Place:
    """One postcode: its lower-tier (district or unitary) and county GSS codes and
    where it is. `terminated` is the ONS termination date (yyyymm) when no longer used."""

    postcode: str
    district: str | None
    county: str | None = None
    ward: str | None = None
    terminated: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    easting: int | None = None
    northing: int | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        """The GSS codes of the councils at this postcode, lower tier first."""
        return tuple(code for code in (self.district, self.county) if code)

    def coordinates(self) -> dict[str, float | int]:
        """Latitude/longitude and easting/northing, those known."""
        values = {
            "latitude": self.latitude,
            "longitude": self.longitude,
            "easting": self.easting,
            "northing": self.northing,
        }
        return {key: value for key, value in values.items() if value is not None}


def gss_code(value: object) -> str | None:
    """A real GSS code, or None for blanks and ONS's 'no county' pseudo codes."""
    text = str(value or "").strip().upper()
    return text if text and text not in NO_COUNTY else None


class PostcodeLookup(Protocol):
    """Finds a postcode's place; None when the postcode is not in the data."""

    def find(self, postcode: str) -> Place | None: ...
