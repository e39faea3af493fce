"""BinDays (Millbrook's waste system), behind an API gateway key header.

`GET api/v1/property?postcode=...` -> `[{"UPRN", "FullAddress"}]` (a bare list);
`GET api/v1/property/{uprn}/schedule` -> `{"Schedule": [{"BinType", "NextCollection"}]}`
with dates as DD/MM/YYYY.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from assistant.backoffice.client import BaseClient, field, text_field
from assistant.backoffice.errors import BackOfficeMalformed
from assistant.backoffice.waste import Address, Collection


class BinDaysClient(BaseClient):
    """Raw BinDays client; the key goes in the gateway's subscription header."""

    def auth_headers(self, api_key: str) -> dict[str, str]:
        return {"Ocp-Apim-Subscription-Key": api_key}

    def properties(self, postcode: str) -> Any:
        return self.get("api/v1/property", params={"postcode": postcode})

    def schedule(self, uprn: str) -> Any:
        return self.get(f"api/v1/property/{uprn}/schedule")


class BinDaysWaste:
    """WasteService over BinDays."""

    def __init__(self, client: BinDaysClient) -> None:
        self.client = client

    def addresses(self, postcode: str) -> list[Address]:
        rows = self.client.properties(postcode)
        if not isinstance(rows, list):
            raise BackOfficeMalformed("property search is not a list")
        return [Address(text_field(row, "UPRN"), text_field(row, "FullAddress")) for row in rows]

    def collections(self, uprn: str) -> list[Collection]:
        rows = field(self.client.schedule(uprn), "Schedule")
        if not isinstance(rows, list):
            raise BackOfficeMalformed("Schedule is not a list")
        found = [
            Collection(text_field(row, "BinType"), _date(text_field(row, "NextCollection")))
            for row in rows
        ]
        return sorted(found, key=lambda collection: collection.date)


def _date(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError as error:
        raise BackOfficeMalformed(f"{text!r} is not a DD/MM/YYYY date") from error
