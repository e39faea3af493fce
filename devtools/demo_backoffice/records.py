"""Lookups several simulated vendors make: addresses, council tax accounts, bin days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from devtools.demo_backoffice import models

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def addresses(engine: Engine, council: str, postcode: str) -> list[tuple[str, str]]:
    """(uprn, address) of the council's addresses at `postcode`, by address."""
    with Session(engine) as session:
        rows = session.execute(
            select(models.Address)
            .where(models.Address.council == council, models.Address.postcode == postcode)
            .order_by(models.Address.address)
        ).scalars()
        return [(row.uprn, row.address) for row in rows]


def collection_weekday(engine: Engine, council: str, uprn: str) -> int | None:
    """The weekday (0 = Monday) of the property's collections; None if not the council's."""
    with Session(engine) as session:
        address = session.get(models.Address, uprn)
        if address is None or address.council != council:
            return None
        return WEEKDAYS.index(address.collection_day)


def next_collection(today: dt.date, weekday: int, bin_: Mapping[str, Any]) -> dt.date:
    """The next date on `weekday` in a week when `bin_` is collected."""
    date = today + dt.timedelta(days=(weekday - today.weekday()) % 7)
    every, offset = int(bin_["every_weeks"]), int(bin_.get("offset_weeks", 0))
    while (date.isocalendar()[1] + offset) % every:
        date += dt.timedelta(days=7)
    return date


def council_tax_account(
    engine: Engine, council: str, reference: str
) -> tuple[models.CouncilTaxAccount, models.Address] | None:
    """The council's account `reference` and its property, detached; None if not found."""
    with Session(engine) as session:
        account = session.execute(
            select(models.CouncilTaxAccount).where(
                models.CouncilTaxAccount.council == council,
                models.CouncilTaxAccount.reference == reference,
            )
        ).scalar_one_or_none()
        if account is None:
            return None
        address = session.get(models.Address, account.uprn)
        assert address is not None, "an account's property is always seeded"
        session.expunge_all()
        return account, address
