"""Each council's Open311 format, jurisdiction and options come from its council.yml
(issue 12): Wealdshire speaks XML, Brackenbury JSON; a format not in the spec is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.backoffice.registry import build_backoffice, service_configs
from assistant.backoffice.vendors.open311 import Open311StreetReports
from assistant.backoffice.vendors.open311_services import ATTRIBUTE_SOURCES, Attribute, needs_point
from assistant.councils import CouncilConfigError, CouncilRegistry
from tests.support.council_files import write_demo_councils

REGISTRY = CouncilRegistry.load()


def reports_of(council_id: str) -> Open311StreetReports:
    council = REGISTRY.get(council_id)
    assert council is not None
    keys = {c.key_env: "k" for c in service_configs(council, {}).values()}
    reports = build_backoffice(council, keys).street_reports
    assert isinstance(reports, Open311StreetReports)
    return reports


def test_wealdshire_speaks_xml_with_its_jurisdiction_and_brackenbury_json() -> None:
    wealdshire = reports_of("wealdshire")
    assert wealdshire.client.fmt == "xml"
    assert wealdshire.client.jurisdiction_id == "wealdshire.example.gov.uk"
    assert reports_of("brackenbury").client.fmt == "json"
    assert wealdshire.catalogue.ttl == 3600 and wealdshire.token_wait == 2


def test_a_format_outside_the_spec_is_refused(tmp_path: Path) -> None:
    def soap(configs: dict) -> None:
        configs["brackenbury"]["backoffice"]["services"]["street_reports"]["format"] = "soap"

    write_demo_councils(tmp_path, soap)
    with pytest.raises(CouncilConfigError, match="format"):
        CouncilRegistry.load(tmp_path)


@pytest.mark.parametrize(
    ("attributes", "needed"),
    [
        ([("easting", True), ("northing", True), ("fixmystreet_id", True)], True),
        ([("lat", True), ("long", True)], True),
        ([("fixmystreet_id", True), ("closest_address", True)], False),  # no point required
        ([("easting", False), ("northing", False)], False),  # asked for, not required
        ([("site_point", True)], False),  # not one we fill from coordinates
    ],
)
def test_a_service_needs_a_point_when_a_required_attribute_is_a_coordinate(
    attributes: list[tuple[str, bool]], needed: bool
) -> None:
    listed = [Attribute(code, required, "string") for code, required in attributes]
    assert needs_point(listed, ATTRIBUTE_SOURCES) is needed
