"""CTaxPro (Millbrook's revenues system): `GET api/Account?accountNumber=...`, bearer key.

Amounts are decimal pounds as text, dates DD/MM/YYYY:
`{"AccountNumber", "PropertyPostcode", "BalanceOutstanding": "123.45",
  "Instalments": [{"DueDate", "Amount"}], "Reliefs": [{"Description"}]}`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from assistant.backoffice.client import BaseClient, field, text_field
from assistant.backoffice.council_tax import CouncilTaxAccount, Instalment
from assistant.backoffice.errors import BackOfficeMalformed


class CTaxProClient(BaseClient):
    """Raw CTaxPro client."""

    def account(self, reference: str) -> Any:
        return self.get("api/Account", params={"accountNumber": reference})


class CTaxProCouncilTax:
    """CouncilTaxService over CTaxPro."""

    def __init__(self, client: CTaxProClient) -> None:
        self.client = client

    def account(self, reference: str) -> CouncilTaxAccount:
        data = self.client.account(reference)
        instalments = field(data, "Instalments")
        reliefs = field(data, "Reliefs")
        if not isinstance(instalments, list) or not isinstance(reliefs, list):
            raise BackOfficeMalformed("Instalments and Reliefs must be lists")
        upcoming = sorted(
            (
                Instalment(_date(text_field(i, "DueDate")), _pence(text_field(i, "Amount")))
                for i in instalments
            ),
            key=lambda instalment: instalment.due,
        )
        return CouncilTaxAccount(
            reference=text_field(data, "AccountNumber"),
            property_postcode=text_field(data, "PropertyPostcode"),
            balance_pence=_pence(text_field(data, "BalanceOutstanding")),
            next_instalment=upcoming[0] if upcoming else None,
            discounts=tuple(text_field(relief, "Description") for relief in reliefs),
        )


def _pence(pounds: str) -> int:
    try:
        return int((Decimal(pounds) * 100).to_integral_value())
    except InvalidOperation as error:
        raise BackOfficeMalformed(f"{pounds!r} is not an amount") from error


def _date(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError as error:
        raise BackOfficeMalformed(f"{text!r} is not a DD/MM/YYYY date") from error
