"""The postcodes.io-style HTTP lookup against a local server answering as documented."""

from __future__ import annotations

from assistant.councils import default_registry
from assistant.councils.placing import LOOKUP_DOWN, OTHER_COUNCIL, TERMINATED, place_postcode
from assistant.isolation import free_port
from assistant.postcodes import PostcodesIoLookup, lookup_for
from assistant.settings import Settings
from tests.http_server import ServedApp
from tests.postcodes.fake_postcodes_io import app

MILLBROOK_PLACE = {
    "postcode": "MQ3 7ZD",
    "eastings": 486400,
    "northings": 168560,
    "latitude": 51.4142,
    "longitude": -0.7993,
    "codes": {"admin_district": "E07000991", "admin_county": "E10000991"},
}


def test_a_postcode_gives_gss_codes_and_coordinates() -> None:
    with ServedApp(app()) as url:
        place = PostcodesIoLookup(url).find("br87re")
    assert place is not None
    assert (place.district, place.county) == ("E07000111", "E10000016")
    assert (place.latitude, place.longitude) == (51.411831, 0.178871)
    assert (place.easting, place.northing) == (551626, 170342)


def test_the_pseudo_county_code_means_no_county() -> None:
    with ServedApp(app()) as url:
        place = PostcodesIoLookup(url).find("SW1A 1AA")
    assert place is not None and place.county is None and place.district == "E09000033"


def test_unknown_and_terminated_postcodes() -> None:
    with ServedApp(app()) as url:
        lookup = PostcodesIoLookup(url)
        assert lookup.find("MQ6 1AA") is None
        terminated = lookup.find("MQ5 9XX")
    assert terminated is not None and terminated.terminated == "201906"


def test_settings_choose_the_service_and_councils_resolve_through_it() -> None:
    places = {"MQ3 7ZD": MILLBROOK_PLACE}
    with ServedApp(app(places)) as url:
        lookup = lookup_for(Settings.from_env({"ASSISTANT_POSTCODES_SERVICE_URL": url + "/"}))
        assert isinstance(lookup, PostcodesIoLookup)
        registry = default_registry()
        assert place_postcode("MQ3 7ZD", registry, lookup).council is registry.get("millbrook")
        other = place_postcode("BR8 7RE", registry, lookup)
        assert other.response == OTHER_COUNCIL
        assert other.reply()["other_council"] == "Sevenoaks District Council"
        assert place_postcode("MQ5 9XX", registry, lookup).response == TERMINATED


def test_a_service_that_is_down_is_said_plainly() -> None:
    lookup = PostcodesIoLookup(f"http://127.0.0.1:{free_port()}", timeout=1)
    assert place_postcode("BR8 7RE", default_registry(), lookup).response == LOOKUP_DOWN
