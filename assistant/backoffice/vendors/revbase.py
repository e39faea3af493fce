"""RevBase (Brackenbury's revenues system): `GET accounts/{reference}`, key in X-Api-Key.

Amounts are whole pence, dates ISO 8601:
`{"account_ref", "property": {"postcode"}, "balance_pence",
  "next_instalment": {"due_date", "amount_pence"} | null, "discounts": [str]}`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from assistant.backoffice.client import BaseClient, field, int_field, text_field
from assistant.backoffice.council_tax import CouncilTaxAccount, Instalment
from assistant.backoffice.errors import BackOfficeMalformed


class RevBaseClient(BaseClient):
    """Raw RevBase client."""

    def auth_headers(self, api_key: str) -> dict[str, str]:
        return {"X-Api-Key": api_key}

    def account(self, reference: str) -> Any:
        return self.get(f"accounts/{reference}")


class RevBaseCouncilTax:
    """CouncilTaxService over RevBase."""

    def __init__(self, client: RevBaseClient) -> None:
        self.client = client

    def account(self, reference: str) -> CouncilTaxAccount:
        data = self.client.account(reference)
        instalment = field(data, "next_instalment")
        discounts = field(data, "discounts")
        if not isinstance(discounts, list):
            raise BackOfficeMalformed("discounts is not a list")
        try:
            next_instalment = (
                Instalment(
                    due=dt.date.fromisoformat(text_field(instalment, "due_date")),
                    amount_pence=int_field(instalment, "amount_pence"),
                )
                if instalment is not None
                else None
            )
        except ValueError as error:
            raise BackOfficeMalformed("next_instalment.due_date is not a date") from error
        return CouncilTaxAccount(
            reference=text_field(data, "account_ref"),
            property_postcode=text_field(data, "property", "postcode"),
            balance_pence=int_field(data, "balance_pence"),
            next_instalment=next_instalment,
            discounts=tuple(str(d) for d in discounts),
        )
