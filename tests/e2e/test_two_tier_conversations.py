"""Issue 11 over REST: on a district's widget, a pothole goes to the county and the
bin day comes from the district, for the same postcode; services a council does not
provide are answered with who does. Real Rasa, router, action servers, NLG server and
demo back-office, all over HTTP."""

from __future__ import annotations

import re
import sqlite3
import uuid

import pytest

from assistant.settings import Settings
from tests.e2e.conftest import Chat

pytestmark = pytest.mark.e2e

POSTCODE = "MQ3 7ZD"  # in Millbrook (district), inside Wealdshire (county)


def sender() -> str:
    return f"tier-{uuid.uuid4().hex[:12]}"


def filed(settings: Settings, council: str) -> list[tuple]:
    with sqlite3.connect(settings.backoffice_db_path) as db:
        query = "SELECT address_string, lat, long FROM service_requests WHERE council = ?"
        return db.execute(query + " ORDER BY rowid", (council,)).fetchall()


def test_pothole_to_the_county_and_bin_day_from_the_district(
    chat: Chat, stack_settings: Settings
) -> None:
    me = sender()
    county_before = len(filed(stack_settings, "wealdshire"))
    district_before = len(filed(stack_settings, "millbrook"))
    asked = chat.texts(me, "there's a deep pothole on my road", "millbrook")
    assert "Potholes in Millbrook are looked after by Wealdshire" in asked
    assert "Where is it?" in asked
    assert "Shall I report" in chat.texts(
        me, f"outside the Old Forge, Church Lane {POSTCODE}", "millbrook"
    )
    answer = chat.texts(me, "yes", "millbrook")
    # Wealdshire's own wording (its answers.yml), through the NLG server.
    assert re.search(r"Wealdshire's highways team .* reference WCR\d+", answer, re.S), answer
    county = filed(stack_settings, "wealdshire")
    assert len(county) == county_before + 1
    assert len(filed(stack_settings, "millbrook")) == district_before  # never the district's
    # The point from the postcode data went with the report (Open311 lat/long).
    assert county[-1][1] is not None and county[-1][2] is not None
    # Same conversation, same postcode: the bin day is the district's.
    assert "postcode of the address" in chat.texts(me, "when is my bin collected", "millbrook")
    bins = chat.texts(me, POSTCODE, "millbrook")
    assert "Next collections at The Old Forge" in bins and "Food waste (caddy)" in bins


def test_a_district_asked_about_registering_a_birth_passes_to_the_county(chat: Chat) -> None:
    answer = chat.texts(sender(), "how do I register a birth", "millbrook")
    assert "Registering births and deaths in Millbrook are looked after by Wealdshire" in answer
    assert "wealdshire.example.gov.uk/register-offices" in answer
    assert "unavailable" not in answer


def test_the_county_asked_about_bins_says_who_does_never_unavailable(chat: Chat) -> None:
    answer = chat.texts(sender(), "when is my bin collected", "wealdshire")
    assert "are not looked after by Wealdshire County Council" in answer
    assert "gov.uk/find-local-council" in answer
    assert "unavailable" not in answer


@pytest.mark.parametrize(
    ("postcode", "expected"),
    [
        ("SW1A 1AA", "Westminster City Council"),  # real, outside every configured council
        ("MQ5 9XX", "no longer in use"),  # terminated
        ("MQ6 1AA", "can't find MQ6 1AA"),  # not in the data
    ],
)
def test_postcodes_no_council_here_serves_are_answered_clearly(
    chat: Chat, postcode: str, expected: str
) -> None:
    assert expected in chat.texts(sender(), f"when is my bin collected? I'm at {postcode}")
