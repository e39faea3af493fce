"""Addresses and bin collections: the typed interface of a waste integration."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Address:
    """A property, identified by its UPRN (Unique Property Reference Number)."""

    uprn: str
    line: str


@dataclass(frozen=True)
class Collection:
    """The next collection of one kind of bin."""

    bin_name: str
    date: dt.date


class WasteService(Protocol):
    """Addresses by postcode and collection schedules by address."""

    def addresses(self, postcode: str) -> list[Address]:
        """Every address at `postcode` (empty when the postcode has none)."""
        ...

    def collections(self, uprn: str) -> list[Collection]:
        """The next collection of each bin at the address, soonest first."""
        ...
