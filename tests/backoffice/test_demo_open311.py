"""The demo Open311 server behaves like real UK servers (issue 12, item 6): Wealdshire
speaks XML only, answers POSTs with a token and requires easting/northing and our
reference as open311-adapter does; Brackenbury stays JSON with ids at once."""

from __future__ import annotations

import pytest
import requests

from assistant.backoffice.errors import BackOfficeBadKey, NotSent
from assistant.backoffice.street_reports import NewReport
from assistant.backoffice.vendors.open311 import Open311Client, Open311StreetReports
from assistant.backoffice.vendors.open311_wire import decode
from tests.backoffice.conftest import DemoBackOfficeServer

POINT = {"latitude": 51.2, "longitude": -0.9, "easting": 478000, "northing": 151000}


def wealdshire(demo: DemoBackOfficeServer, key: str | None = None) -> Open311StreetReports:
    client = Open311Client(
        demo.base("wealdshire", "open311/v2"),
        key or demo.key("wealdshire", "open311"),
        fmt="xml",
        jurisdiction_id="wealdshire.example.gov.uk",
    )
    return Open311StreetReports(client)


def pothole(**values: object) -> NewReport:
    given: dict[str, object] = {
        "service_code": "HW-POT",
        "description": "deep pothole",
        "address_string": "Station Road",
        "client_reference": "AST-00000000000000000001",
        **POINT,
    }
    return NewReport(**{**given, **values})  # type: ignore[arg-type]


def test_wealdshire_files_through_xml_tokens_and_required_attributes(
    demo: DemoBackOfficeServer,
) -> None:
    reports = wealdshire(demo)
    filed = reports.create(pothole())
    assert filed.reference.startswith("WCR")  # the token was followed to the id
    assert filed.service_notice and "made safe" in filed.service_notice
    assert reports.status(filed.reference).status == "open"
    assert reports.create(pothole()).reference == filed.reference  # our reference: once
    found = reports.find("AST-00000000000000000001")
    assert found is not None and found.reference == filed.reference


def test_wealdshire_declares_its_required_attributes(demo: DemoBackOfficeServer) -> None:
    base = demo.base("wealdshire", "open311/v2")
    services = decode(requests.get(f"{base}/services.xml", timeout=5).content, "xml")
    assert {s["service_code"]: s["metadata"] for s in services}["HW-POT"] == "true"
    definition = decode(requests.get(f"{base}/services/HW-POT.xml", timeout=5).content, "xml")
    required = [a["code"] for a in definition["attributes"] if a["required"] == "true"]
    assert required == ["easting", "northing", "fixmystreet_id"]


def test_wealdshire_speaks_xml_only(demo: DemoBackOfficeServer) -> None:
    answer = requests.get(demo.base("wealdshire", "open311/v2/services.json"), timeout=5)
    assert answer.status_code == 400
    assert "format json is not supported" in answer.text


def test_a_post_without_easting_is_answered_400_with_an_errors_array(
    demo: DemoBackOfficeServer,
) -> None:
    form = {
        "api_key": demo.key("wealdshire", "open311"),
        "service_code": "HW-POT",
        "description": "deep pothole",
        "address_string": "Station Road",
        "attribute[northing]": "151000",
        "attribute[fixmystreet_id]": "AST-2",
    }
    answer = requests.post(demo.base("wealdshire", "open311/v2/requests.xml"), data=form, timeout=5)
    assert answer.status_code == 400
    errors = decode(answer.content, "xml")
    assert errors[0]["code"] == "400" and "easting" in errors[0]["description"]


def test_the_client_refuses_before_posting_when_coordinates_are_missing(
    demo: DemoBackOfficeServer,
) -> None:
    with pytest.raises(NotSent):
        wealdshire(demo).create(pothole(easting=None, northing=None))


def test_a_wrong_key_is_403_and_gets_need_none(demo: DemoBackOfficeServer) -> None:
    with pytest.raises(BackOfficeBadKey):
        wealdshire(demo, key="not-the-key").create(pothole())
    assert wealdshire(demo, key="not-the-key").service_codes() == ["HW-POT", "HW-LIGHT", "HW-TREE"]


def test_brackenbury_stays_json_with_ids_at_once(demo: DemoBackOfficeServer) -> None:
    client = Open311Client(
        demo.base("brackenbury", "open311/v2"), demo.key("brackenbury", "open311")
    )
    filed = Open311StreetReports(client).create(
        NewReport("POTHOLE", "hole", address_string="High St")
    )
    assert filed.reference.startswith("BKR")
    assert (
        requests.get(demo.base("brackenbury", "open311/v2/services.xml"), timeout=5).status_code
        == 400
    )
