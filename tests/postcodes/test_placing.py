"""Postcode -> council: the lower tier first, and where to go when no council here serves."""

from __future__ import annotations

from assistant.councils import default_registry
from assistant.councils.placing import NOT_SERVED, UNKNOWN, place_postcode
from assistant.postcodes.place import Place


class FixedLookup:
    def __init__(self, place: Place | None) -> None:
        self.place = place

    def find(self, postcode: str) -> Place | None:
        return self.place


def test_a_district_postcode_is_the_districts_and_a_county_only_one_the_countys() -> None:
    registry = default_registry()
    both = FixedLookup(Place("MQ1 1AA", district="E07000991", county="E10000991"))
    assert place_postcode("MQ1 1AA", registry, both).council is registry.get("millbrook")
    # Another district of the same county, not configured: the county is the council.
    county_only = FixedLookup(Place("MQ9 1AA", district="E07000992", county="E10000991"))
    assert place_postcode("MQ9 1AA", registry, county_only).council is registry.get("wealdshire")


def test_an_area_missing_from_the_names_table_points_to_govuk() -> None:
    lookup = FixedLookup(Place("AB1 1AA", district="S12000033"))
    placed = place_postcode("AB1 1AA", default_registry(), lookup)
    assert placed.council is None and placed.response == NOT_SERVED


def test_an_unknown_postcode_is_said_so() -> None:
    placed = place_postcode("AB1 1AA", default_registry(), FixedLookup(None))
    assert placed.response == UNKNOWN and placed.reply()["postcode"] == "AB1 1AA"
