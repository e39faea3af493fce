"""`python -m assistant council new`: a scaffolded council validates, passes every
per-council check, takes a free port and its own secret names, and says what is left."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.councils import CouncilRegistry, default_registry
from assistant.councils.registry import DEFAULT_COUNCILS_DIR
from assistant.councils.scaffold import RESERVED_PORTS
from tests.support.council_checks import check_every_council


@pytest.fixture()
def councils_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    root = tmp_path / "councils"
    shutil.copytree(DEFAULT_COUNCILS_DIR, root)
    monkeypatch.setenv("ASSISTANT_COUNCILS_DIR", str(root))
    default_registry.cache_clear()
    yield root
    default_registry.cache_clear()


def new_council(council_id: str, *extra: str) -> int:
    return main(
        ["council", "new", council_id, "--gss-code", "E07000992", "--tier", "district",
         "--county-gss-code", "E10000991", "--services", "waste,council_tax,planning", *extra]
    )  # fmt: skip


def test_a_scaffolded_council_passes_every_check(
    councils_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = CouncilRegistry.load(councils_copy)
    assert new_council("ashcombe") == 0
    printed = capsys.readouterr().out
    assert "ASSISTANT_ACTIONS_SECRET_ASHCOMBE" in printed and "demo.yml" in printed
    registry = default_registry()
    ashcombe = registry.get("ashcombe")
    assert ashcombe is not None and ashcombe.county_gss_code == "E10000991"
    taken = {council.action_server.port for council in before} | RESERVED_PORTS
    assert ashcombe.action_server is not None and ashcombe.action_server.port not in taken
    assert (councils_copy / "ashcombe" / "demo.yml").is_file()
    check_every_council(registry, councils_copy)
    # Potholes in Ashcombe go to the configured county.
    assert registry.serving(ashcombe, "highways") is registry.get("wealdshire")


def test_an_existing_council_or_a_wrong_tier_code_is_refused(
    councils_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert new_council("millbrook") == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["council", "new", "ashcombe", "--gss-code", "E06000992", "--tier", "district",
                 "--services", "waste"]) == 2  # fmt: skip
    assert "not a district's code" in capsys.readouterr().err
    assert not (councils_copy / "ashcombe").exists()  # nothing half-written is left


def test_a_bilingual_welsh_council_is_scaffolded_with_its_languages(
    councils_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["council", "new", "glanrhyd", "--gss-code", "W06000992", "--tier",
                 "Welsh principal area", "--services", "waste,council_tax", "--languages",
                 "cy,en", "--welsh-name", "Cyngor Sir Glanrhyd"]) == 0  # fmt: skip
    assert "welsh:" in capsys.readouterr().out
    glanrhyd = default_registry().get("glanrhyd")
    assert glanrhyd is not None and glanrhyd.languages == ("cy", "en")
    assert glanrhyd.template_vars_in("cy")["council_name"] == "Cyngor Sir Glanrhyd"
    assert new_council("ashcombe") == 0
    default_registry.cache_clear()
    ashcombe = default_registry().get("ashcombe")
    assert ashcombe is not None and ashcombe.languages == ("en",)
