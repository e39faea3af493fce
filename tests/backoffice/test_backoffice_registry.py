"""Which integration serves each service, from council.yml; secrets only from the environment."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest

from assistant.backoffice.catalog import ADAPTER_NAMES, SERVICES
from assistant.backoffice.errors import BackOfficeConfigError
from assistant.backoffice.registry import (
    ADAPTERS,
    action_server_url,
    build_backoffice,
    report_codes,
    service_configs,
)
from assistant.backoffice.vendors.ctaxpro import CTaxProCouncilTax
from assistant.backoffice.vendors.revbase import RevBaseCouncilTax
from assistant.councils import CouncilConfigError, CouncilRegistry
from assistant.settings import PROJECT_ROOT
from tests.support.council_files import write_demo_councils

REGISTRY = CouncilRegistry.load()


def keys_for(council_id: str) -> dict[str, str]:
    council = REGISTRY.get(council_id)
    assert council is not None
    return {c.key_env: "k" for c in service_configs(council, {}).values()}


def test_the_two_demo_councils_use_different_council_tax_systems() -> None:
    brackenbury = build_backoffice(REGISTRY.get("brackenbury"), keys_for("brackenbury"))
    millbrook = build_backoffice(REGISTRY.get("millbrook"), keys_for("millbrook"))
    assert isinstance(brackenbury.council_tax, RevBaseCouncilTax)
    assert isinstance(millbrook.council_tax, CTaxProCouncilTax)
    assert brackenbury.report_codes["missed_bin"] != millbrook.report_codes["missed_bin"]
    assert type(brackenbury.waste) is not type(millbrook.waste)


def test_a_missing_secret_is_named_and_refused() -> None:
    env = keys_for("millbrook")
    del env["MILLBROOK_PAY_KEY"]
    with pytest.raises(BackOfficeConfigError, match="MILLBROOK_PAY_KEY"):
        build_backoffice(REGISTRY.get("millbrook"), env)


def test_base_url_override_from_the_environment() -> None:
    env = {"ASSISTANT_BACKOFFICE_URL_BRACKENBURY": "https://api.brackenbury.example/"}
    configs = service_configs(REGISTRY.get("brackenbury"), env)
    assert configs["street_reports"].url == "https://api.brackenbury.example/open311/v2"
    assert configs["council_tax"].timeout == 3.0


def test_every_adapter_council_yml_may_name_has_a_factory() -> None:
    named = {(service, name) for service, names in ADAPTER_NAMES.items() for name in names}
    assert named == set(ADAPTERS)
    assert set(ADAPTER_NAMES) == set(SERVICES)


def test_an_unknown_adapter_is_refused_by_the_schema(tmp_path) -> None:
    def typo(configs: dict) -> None:
        configs["brackenbury"]["backoffice"]["services"]["waste"]["adapter"] = "binmaster"

    write_demo_councils(tmp_path, typo)
    with pytest.raises(CouncilConfigError, match="backoffice.services.waste.adapter: unexpected"):
        CouncilRegistry.load(tmp_path)


def test_a_service_path_needs_a_base_url() -> None:
    council = REGISTRY.get("brackenbury")
    no_base = dataclasses.replace(
        council, backoffice=council.backoffice.copy(update={"base_url": None})
    )
    with pytest.raises(BackOfficeConfigError, match="council_tax needs base_url"):
        service_configs(no_base, {})
    override = {"ASSISTANT_BACKOFFICE_URL_BRACKENBURY": "https://api.example"}
    assert service_configs(no_base, override)["waste"].url == "https://api.example/wastecal"


def test_missing_sections_are_clear_errors() -> None:
    council = REGISTRY.get("brackenbury")
    bare = dataclasses.replace(council, backoffice=None, action_server=None)
    with pytest.raises(BackOfficeConfigError, match="backoffice section is required"):
        service_configs(bare, {})
    with pytest.raises(BackOfficeConfigError, match="action_server.url"):
        action_server_url(bare, {})
    with pytest.raises(BackOfficeConfigError, match="service_codes"):
        report_codes(bare)


def test_action_server_url_env_override() -> None:
    council = REGISTRY.get("millbrook")
    assert action_server_url(council, {}) == "http://localhost:5062"
    override = {"ASSISTANT_ACTIONS_URL_MILLBROOK": "http://10.0.0.5:7000/"}
    assert action_server_url(council, override) == "http://10.0.0.5:7000"


@pytest.mark.parametrize(
    ("given", "missing"),
    [
        ({}, "ASSISTANT_ACTIONS_SECRET_BRACKENBURY"),
        ({"ASSISTANT_ACTIONS_SECRET_BRACKENBURY": "s" * 32}, "BRACKENBURY_REVBASE_KEY"),
    ],
)
def test_the_action_server_refuses_to_start_without_its_secrets(given, missing) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(PROJECT_ROOT), **given}
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "actions", "--council", "brackenbury"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert missing in result.stderr and "Traceback" not in result.stderr


def test_the_action_server_refuses_an_unknown_council() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "actions", "--council", "atlantis"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2 and "no council 'atlantis'" in result.stderr
