"""Postcode lookup over HTTP from a service speaking postcodes.io's API (self-hostable).

`GET {base}/postcodes/{postcode}` answers `{"status": 200, "result": {...}}` with
`codes.admin_district`, `codes.admin_county`, `latitude`, `longitude`, `eastings`,
`northings`; 404 when the postcode is not current. `GET {base}/terminated_postcodes/
{postcode}` then tells a terminated postcode (year and month of termination).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import requests

from assistant.identifiers import normalise_postcode
from assistant.postcodes.place import Place, gss_code


class PostcodeServiceError(RuntimeError):
    """The postcode service could not be reached or answered badly."""


class PostcodesIoLookup:
    """Lookup through a postcodes.io-compatible service."""

    def __init__(self, base_url: str, timeout: float = 3.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._session = requests.Session()

    def __repr__(self) -> str:
        return f"PostcodesIoLookup({self.base_url!r})"

    def _get(self, path: str) -> dict[str, Any] | None:
        try:
            answer = self._session.get(f"{self.base_url}{path}", timeout=self.timeout)
        except requests.RequestException as error:
            raise PostcodeServiceError(type(error).__name__) from None
        if answer.status_code == 404:
            return None
        if answer.status_code != 200:
            raise PostcodeServiceError(f"HTTP {answer.status_code}")
        result = answer.json().get("result")
        return result if isinstance(result, dict) else None

    def find(self, postcode: str) -> Place | None:
        canonical = normalise_postcode(postcode)
        if canonical is None:
            return None
        found = self._get(f"/postcodes/{quote(canonical)}")
        if found is None:
            return self._terminated(canonical)
        codes = found.get("codes") or {}
        return Place(
            postcode=canonical,
            district=gss_code(codes.get("admin_district")),
            county=gss_code(codes.get("admin_county")),
            ward=gss_code(codes.get("admin_ward")),
            latitude=found.get("latitude"),
            longitude=found.get("longitude"),
            easting=found.get("eastings"),
            northing=found.get("northings"),
        )

    def _terminated(self, canonical: str) -> Place | None:
        found = self._get(f"/terminated_postcodes/{quote(canonical)}")
        if found is None:
            return None
        year, month = found.get("year_terminated"), found.get("month_terminated")
        return Place(
            postcode=canonical,
            district=None,
            terminated=f"{year}{int(month or 0):02d}" if year else "unknown",
            latitude=found.get("latitude"),
            longitude=found.get("longitude"),
        )
