"""The council registry: loading, validation with clear messages, postcode resolution."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.councils import CouncilConfigError, CouncilRegistry, default_registry

GOOD = """
id: {id}
name: Testshire Council
website: https://testshire.example
contact:
  phone: "01632 000 000"
  email: hello@testshire.example
  out_of_hours_phone: "01632 000 999"
  opening_hours: 9 to 5
postcode_areas: [{areas}]
reference_formats:
  council_tax: '5\\d{{7}}'
  planning: 'TS/\\d{{4}}'
  pcn: 'TS\\d{{8}}'
links:
  bins: https://testshire.example/bins
"""


def write_council(root: Path, council_id: str, text: str) -> Path:
    folder = root / council_id
    folder.mkdir(parents=True)
    (folder / "council.yml").write_text(text, encoding="utf-8")
    return folder


def test_demo_councils_load() -> None:
    registry = default_registry()
    assert registry.ids() == ["brackenbury", "millbrook"]
    assert registry.get("BRACKENBURY ").name == "Brackenbury Borough Council"


@pytest.mark.parametrize(
    ("postcode", "council"),
    [("BK1 2AB", "brackenbury"), ("bk92zz", "brackenbury"), ("MQ3 7ZD", "millbrook")],
)
def test_postcodes_resolve_to_their_council(postcode: str, council: str) -> None:
    assert default_registry().for_postcode(postcode).id == council


@pytest.mark.parametrize("postcode", ["MQ6 1AA", "SW1A 1AA", "BK10 1AA", "nonsense", ""])
def test_postcodes_outside_every_council_resolve_to_none(postcode: str) -> None:
    assert default_registry().for_postcode(postcode) is None


@pytest.mark.parametrize("council_id", [None, 42, "", "atlantis", ["brackenbury"]])
def test_unknown_ids_are_none(council_id: object) -> None:
    assert default_registry().get(council_id) is None


def test_reference_formats_differ_per_council() -> None:
    brackenbury, millbrook = (
        default_registry().get("brackenbury"),
        default_registry().get("millbrook"),
    )
    assert brackenbury.reference_matches("council_tax", "3001 2345")
    assert not brackenbury.reference_matches("council_tax", "400123456")
    assert millbrook.reference_matches("council_tax", "400123456")
    assert brackenbury.reference_matches("planning", "BK/24/0123/FUL")
    assert millbrook.reference_matches("planning", "24/00456/HH")
    assert not millbrook.reference_matches("planning", "BK/24/0123/FUL")


def test_template_vars_carry_contact_details_and_links() -> None:
    values = default_registry().get("millbrook").template_vars()
    assert values["council_name"] == "Millbrook District Council"
    assert values["council_out_of_hours_phone"] == "01632 960 555"
    assert values["link_bins"].startswith("https://www.millbrook.example.gov.uk/")


def test_template_vars_carry_each_councils_crisis_lines() -> None:
    millbrook = default_registry().get("millbrook").template_vars()
    brackenbury = default_registry().get("brackenbury").template_vars()
    for service in ("homelessness", "children", "adults"):
        for key in ("phone", "out_of_hours_phone"):
            name = f"crisis_{service}_{key}"
            assert millbrook[name] != brackenbury[name], name
    assert millbrook["crisis_children_out_of_hours_phone"] == "01632 960 569"


def test_crisis_lines_default_to_the_main_contact_numbers(tmp_path: Path) -> None:
    text = GOOD.format(id="testshire", areas="TS1") + (
        "crisis:\n  children:\n    phone: 01632 000 111\n    out_of_hours_phone: 01632 000 112\n"
    )
    write_council(tmp_path, "testshire", text)
    values = CouncilRegistry.load(tmp_path).get("testshire").template_vars()
    assert values["crisis_children_out_of_hours_phone"] == "01632 000 112"
    assert values["crisis_homelessness_phone"] == "01632 000 000"
    assert values["crisis_adults_out_of_hours_phone"] == "01632 000 999"


@pytest.mark.parametrize(
    ("crisis", "message"),
    [
        ("crisis: [01632]\n", "crisis must be a mapping"),
        ("crisis:\n  pets:\n    phone: '1'\n", "crisis.pets is not a known service"),
        ("crisis:\n  adults: 01632\n", "crisis.adults must be a mapping"),
        ("crisis:\n  adults:\n    phone: ''\n", "crisis.adults.phone must be a phone number"),
    ],
)
def test_a_malformed_crisis_section_fails_with_a_clear_message(
    tmp_path: Path, crisis: str, message: str
) -> None:
    write_council(tmp_path, "testshire", GOOD.format(id="testshire", areas="TS1") + crisis)
    with pytest.raises(CouncilConfigError, match=message):
        CouncilRegistry.load(tmp_path)


def test_a_valid_council_loads(tmp_path: Path) -> None:
    write_council(tmp_path, "testshire", GOOD.format(id="testshire", areas="TS1, ts2"))
    registry = CouncilRegistry.load(tmp_path)
    assert registry.get("testshire").postcode_areas == ("TS1", "TS2")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("just text", "expected a mapping"),
        ("id: [unclosed", "cannot read"),
        (GOOD.format(id="other", areas="TS1"), "must match its folder name"),
        (GOOD.format(id="testshire", areas="12345"), "is not a postcode outward code"),
        (GOOD.format(id="testshire", areas="TS1").replace("  phone:", "  fax:"), "contact.phone"),
        (GOOD.format(id="testshire", areas="TS1").replace("'5\\d{7}'", "'5(('"), "council_tax"),
        (GOOD.format(id="testshire", areas=""), "postcode_areas"),
    ],
)
def test_invalid_councils_fail_with_a_clear_message(
    tmp_path: Path, text: str, message: str
) -> None:
    write_council(tmp_path, "testshire", text)
    with pytest.raises(CouncilConfigError, match=message):
        CouncilRegistry.load(tmp_path)


def test_two_councils_cannot_serve_one_postcode_area(tmp_path: Path) -> None:
    write_council(tmp_path, "alpha", GOOD.format(id="alpha", areas="TS1"))
    write_council(tmp_path, "beta", GOOD.format(id="beta", areas="TS1"))
    with pytest.raises(CouncilConfigError, match="already served by alpha"):
        CouncilRegistry.load(tmp_path)


def test_empty_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CouncilConfigError, match="no councils configured"):
        CouncilRegistry.load(tmp_path)
