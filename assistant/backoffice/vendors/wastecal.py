"""WasteCal (collection calendar system): addresses by postcode and next collections.

`GET addresses?postcode=...` -> `{"addresses": [{"uprn", "address"}]}`;
`GET properties/{uprn}/collections` -> `{"collections": [{"bin", "next_date"}]}`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from assistant.backoffice.client import BaseClient, field, text_field
from assistant.backoffice.errors import BackOfficeMalformed
from assistant.backoffice.waste import Address, Collection


class WasteCalClient(BaseClient):
    """Raw WasteCal client (bearer key)."""

    def addresses(self, postcode: str) -> Any:
        return self.get("addresses", params={"postcode": postcode})

    def collections(self, uprn: str) -> Any:
        return self.get(f"properties/{uprn}/collections")


class WasteCalWaste:
    """WasteService over WasteCal."""

    def __init__(self, client: WasteCalClient) -> None:
        self.client = client

    def addresses(self, postcode: str) -> list[Address]:
        rows = field(self.client.addresses(postcode), "addresses")
        if not isinstance(rows, list):
            raise BackOfficeMalformed("addresses is not a list")
        return [Address(text_field(row, "uprn"), text_field(row, "address")) for row in rows]

    def collections(self, uprn: str) -> list[Collection]:
        rows = field(self.client.collections(uprn), "collections")
        if not isinstance(rows, list):
            raise BackOfficeMalformed("collections is not a list")
        try:
            found = [
                Collection(
                    text_field(row, "bin"), dt.date.fromisoformat(text_field(row, "next_date"))
                )
                for row in rows
            ]
        except ValueError as error:
            raise BackOfficeMalformed("next_date is not a date") from error
        return sorted(found, key=lambda collection: collection.date)
