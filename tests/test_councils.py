"""The council registry: loading, validation with clear messages, postcode resolution."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from assistant.backoffice.catalog import ADAPTER_NAMES
from assistant.councils import CouncilConfigError, CouncilRegistry, councils_dir, default_registry
from assistant.councils.placing import place_postcode
from assistant.councils.schema import schema_text
from assistant.settings import PROJECT_ROOT
from tests.support.council_files import demo_config, write_demo_councils
from tests.support.councils import council_ids

GOOD = """
id: {id}
name: Testshire Council
website: https://testshire.example
contact:
  phone: "01632 000 000"
  email: hello@testshire.example
  out_of_hours_phone: "01632 000 999"
  opening_hours: 9 to 5
gss_code: "{gss}"
tier: unitary
services: [waste, council_tax]
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


def test_every_council_folder_loads() -> None:
    registry = default_registry()
    assert registry.ids() == council_ids(councils_dir())
    assert {"brackenbury", "millbrook"} <= set(registry.ids())
    assert registry.get("BRACKENBURY ").name == "Brackenbury Borough Council"


@pytest.mark.parametrize(
    ("postcode", "council"),
    [("BK1 2AB", "brackenbury"), ("bk92zz", "brackenbury"), ("MQ3 7ZD", "millbrook")],
)
def test_postcodes_resolve_to_their_council(postcode: str, council: str) -> None:
    assert place_postcode(postcode, default_registry()).council.id == council


@pytest.mark.parametrize("postcode", ["MQ6 1AA", "SW1A 1AA", "BK10 1AA", "nonsense", ""])
def test_postcodes_outside_every_council_resolve_to_none(postcode: str) -> None:
    assert place_postcode(postcode, default_registry()).council is None


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
    text = GOOD.format(id="testshire", gss="E06000993") + (
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
        ("crisis: [01632]\n", "crisis: must be a mapping"),
        ("crisis:\n  pets:\n    phone: '1'\n", "crisis.pets: unknown key"),
        ("crisis:\n  adults: 01632\n", "crisis.adults: must be a mapping"),
        ("crisis:\n  adults:\n    phone: ''\n", "crisis.adults.phone: "),
    ],
)
def test_a_malformed_crisis_section_fails_with_a_clear_message(
    tmp_path: Path, crisis: str, message: str
) -> None:
    write_council(tmp_path, "testshire", GOOD.format(id="testshire", gss="E06000993") + crisis)
    with pytest.raises(CouncilConfigError, match=message):
        CouncilRegistry.load(tmp_path)


def test_a_valid_council_loads(tmp_path: Path) -> None:
    write_council(tmp_path, "testshire", GOOD.format(id="testshire", gss="e06000993"))
    registry = CouncilRegistry.load(tmp_path)
    testshire = registry.get("testshire")
    assert (testshire.gss_code, testshire.tier) == ("E06000993", "unitary")
    assert testshire.provides("waste") and not testshire.provides("highways")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("just text", "expected a mapping"),
        ("id: [unclosed", "cannot read"),
        (GOOD.format(id="other", gss="E06000993"), "must match its folder name"),
        (GOOD.format(id="testshire", gss="12345"), "is not an ONS GSS code"),
        (
            GOOD.format(id="testshire", gss="E06000993").replace("  phone:", "  fax:"),
            "contact.phone",
        ),
        (GOOD.format(id="testshire", gss="E06000993").replace("'5\\d{7}'", "'5(('"), "council_tax"),
        (GOOD.format(id="testshire", gss=""), "gss_code"),
        (
            GOOD.format(id="testshire", gss="E07000993"),
            "gss_code E07000993 is not a unitary's code",
        ),
        (GOOD.format(id="testshire", gss="E06000993").replace("waste,", "bins,"), "services"),
    ],
)
def test_invalid_councils_fail_with_a_clear_message(
    tmp_path: Path, text: str, message: str
) -> None:
    write_council(tmp_path, "testshire", text)
    with pytest.raises(CouncilConfigError, match=message):
        CouncilRegistry.load(tmp_path)


def test_two_councils_cannot_have_one_gss_code(tmp_path: Path) -> None:
    write_council(tmp_path, "alpha", GOOD.format(id="alpha", gss="E06000993"))
    write_council(tmp_path, "beta", GOOD.format(id="beta", gss="E06000993"))
    with pytest.raises(CouncilConfigError, match="GSS code E06000993 is already used by alpha"):
        CouncilRegistry.load(tmp_path)


def test_empty_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CouncilConfigError, match="no councils configured"):
        CouncilRegistry.load(tmp_path)


# --- the schema: every section, unknown keys and adapters refused, file and key named ---


def load_changed(tmp_path: Path, change: Callable[[dict[str, dict[str, Any]]], None]) -> str:
    """The error loading both demo councils after `change`."""
    write_demo_councils(tmp_path, change)
    with pytest.raises(CouncilConfigError) as error:
        CouncilRegistry.load(tmp_path)
    return str(error.value)


def test_the_demo_councils_validate_unchanged(tmp_path: Path) -> None:
    write_demo_councils(tmp_path)
    registry = CouncilRegistry.load(tmp_path)
    brackenbury = registry.get("brackenbury")
    assert brackenbury.backoffice.service("council_tax").adapter == "revbase"
    assert brackenbury.action_server.port == 5061
    assert brackenbury.sms.twilio.numbers == ["+447700900100"]
    assert brackenbury.reference_examples["planning"] == "BK/24/0123/FUL"
    assert not hasattr(brackenbury, "extra")


def test_a_typo_in_an_adapter_name_is_refused(tmp_path: Path) -> None:
    def typo(configs: dict[str, dict[str, Any]]) -> None:
        configs["millbrook"]["backoffice"]["services"]["waste"]["adapter"] = "binday"

    message = load_changed(tmp_path, typo)
    assert str(tmp_path / "millbrook" / "council.yml") in message
    assert "backoffice.services.waste.adapter" in message
    assert "'wastecal', 'bindays'" in message


@pytest.mark.parametrize(
    ("where", "key"),
    [((), "colour"), (("contact",), "fax"), (("backoffice", "services", "planning"), "url")],
)
def test_unknown_keys_are_refused(tmp_path: Path, where: tuple[str, ...], key: str) -> None:
    def add_key(configs: dict[str, dict[str, Any]]) -> None:
        section = configs["brackenbury"]
        for part in where:
            section = section[part]
        section[key] = "x"

    message = load_changed(tmp_path, add_key)
    path = ".".join((*where, key))
    assert f"{tmp_path / 'brackenbury' / 'council.yml'}: {path}: unknown key" in message


def test_two_councils_cannot_share_an_action_server_port(tmp_path: Path) -> None:
    def copy_port(configs: dict[str, dict[str, Any]]) -> None:
        configs["millbrook"]["action_server"]["url"] = "http://10.0.0.7:5061"

    message = load_changed(tmp_path, copy_port)
    assert message == (
        f"{tmp_path / 'millbrook' / 'council.yml'}: action_server.url: "
        "action-server port 5061 is already used by brackenbury"
    )


@pytest.mark.parametrize(
    ("section", "key", "variable"),
    [
        (("backoffice", "services", "payments"), "key_env", "BRACKENBURY_PAY_KEY"),
        (("sms", "notify"), "api_key_env", "BRACKENBURY_TWILIO_AUTH_TOKEN"),
    ],
)
def test_two_councils_cannot_share_a_secret_variable(
    tmp_path: Path, section: tuple[str, ...], key: str, variable: str
) -> None:
    def share(configs: dict[str, dict[str, Any]]) -> None:
        target = configs["millbrook"]
        for part in section:
            target = target[part]
        target[key] = variable

    message = load_changed(tmp_path, share)
    assert f"{tmp_path / 'millbrook' / 'council.yml'}: {'.'.join((*section, key))}:" in message
    assert f"secret variable {variable} is already used by brackenbury" in message


def test_two_councils_cannot_share_an_sms_number_on_any_gateway(tmp_path: Path) -> None:
    def share(configs: dict[str, dict[str, Any]]) -> None:
        configs["millbrook"]["sms"]["notify"]["numbers"] = ["+44 7700 900100"]  # brackenbury's

    message = load_changed(tmp_path, share)
    assert "millbrook/council.yml: sms.notify.numbers: SMS number +447700900100" in message


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c.update(action_server={"url": "localhost:5061"}), "action_server.url: must"),
        (lambda c: c.update(action_server={"url": "http://h"}), "must give a port"),
        (lambda c: c["backoffice"].update(timeout_seconds=0), "backoffice.timeout_seconds"),
        (lambda c: c["backoffice"]["services"]["payments"].pop("key_env"), "payments.key_env"),
        (lambda c: c["backoffice"]["services"]["waste"].pop("path"), "needs path"),
        (lambda c: c["web"].update(brand_colour="blue"), "web.brand_colour: must look like"),
        (lambda c: c["sms"]["twilio"].update(auth_token_env="s3cr3t"), "auth_token_env: must"),
        (lambda c: c["sms"].update(max_segments=11), "sms.max_segments"),
        (lambda c: c["reference_examples"].update(pnc="x"), "reference_examples.pnc: unknown"),
    ],
)
def test_every_section_is_checked(
    tmp_path: Path, change: Callable[[dict[str, Any]], None], message: str
) -> None:
    assert message in load_changed(tmp_path, lambda configs: change(configs["brackenbury"]))


def test_the_committed_json_schema_is_up_to_date() -> None:
    committed = PROJECT_ROOT / "councils" / "council.schema.json"
    assert committed.read_text(encoding="utf-8") == schema_text(), (
        "run: python -m assistant councils --schema councils/council.schema.json"
    )
    schema = json.loads(schema_text())
    assert schema["additionalProperties"] is False
    waste = schema["definitions"]["WasteService"]["properties"]["adapter"]
    assert waste["enum"] == list(ADAPTER_NAMES["waste"])


def test_no_code_looks_up_council_extra() -> None:
    offenders = [
        str(path.relative_to(PROJECT_ROOT))
        for folder in ("assistant", "actions", "devtools")
        for path in (PROJECT_ROOT / folder).rglob("*.py")
        if re.search(r"\bcouncil\.extra\b|\.extra\.get\(", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_editors_json_schema_accepts_the_demo_councils_and_refuses_a_typo() -> None:
    validator = jsonschema.Draft7Validator(json.loads(schema_text()))
    for council_id in ("brackenbury", "millbrook"):
        assert list(validator.iter_errors(demo_config(council_id))) == []
    broken = demo_config("millbrook")
    broken["backoffice"]["services"]["waste"]["adapter"] = "binday"
    [error] = validator.iter_errors(broken)
    assert list(error.path) == ["backoffice", "services", "waste", "adapter"]
