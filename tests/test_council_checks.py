"""Every council in councils/ passes the per-council checks, and so does a council
added beside the demo ones: adding a council never breaks the tests."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from assistant.councils import Council, CouncilConfigError, CouncilRegistry, default_registry
from assistant.councils.registry import DEFAULT_COUNCILS_DIR
from tests.support.council_checks import ACROSS_COUNCILS, PER_COUNCIL, check_every_council
from tests.support.councils import council_ids, scaffold_council


@pytest.fixture(scope="module")
def registry() -> CouncilRegistry:
    return CouncilRegistry.load(DEFAULT_COUNCILS_DIR)


@pytest.fixture()
def councils_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of councils/ that the process reads instead (ASSISTANT_COUNCILS_DIR)."""
    root = tmp_path / "councils"
    shutil.copytree(DEFAULT_COUNCILS_DIR, root)
    monkeypatch.setenv("ASSISTANT_COUNCILS_DIR", str(root))
    default_registry.cache_clear()
    yield root
    default_registry.cache_clear()


TESTSHIRE_GSS = "E06000993"


def add_testshire(root: Path, action_port: int = 5169, first_number: int = 900700) -> Path:
    source = root / council_ids(root)[0]
    return scaffold_council(source, "testshire", TESTSHIRE_GSS, action_port, first_number)


@pytest.mark.parametrize("check", PER_COUNCIL, ids=lambda check: check.__name__)
@pytest.mark.parametrize("council_id", council_ids(DEFAULT_COUNCILS_DIR))
def test_each_council(
    registry: CouncilRegistry, council_id: str, check: Callable[[Council], None]
) -> None:
    council = registry.get(council_id)
    assert council is not None
    check(council)


@pytest.mark.parametrize("check", ACROSS_COUNCILS, ids=lambda check: check.__name__)
def test_councils_together(
    registry: CouncilRegistry, check: Callable[[CouncilRegistry, Path], None]
) -> None:
    check(registry, DEFAULT_COUNCILS_DIR)


def test_a_new_council_passes_every_check(councils_copy: Path) -> None:
    add_testshire(councils_copy)
    registry = default_registry()
    assert registry.ids() == council_ids(councils_copy)
    new, source = registry.get("testshire"), registry.get(council_ids(DEFAULT_COUNCILS_DIR)[0])
    assert new is not None and source is not None
    assert registry.by_gss(TESTSHIRE_GSS) is new
    assert new.name != source.name and "Testshire" in new.name
    check_every_council(registry, councils_copy)


def test_a_new_council_on_another_councils_port_is_caught(councils_copy: Path) -> None:
    taken = CouncilRegistry.load(DEFAULT_COUNCILS_DIR)
    port = int(next(iter(taken)).action_server.url.rsplit(":", 1)[-1])
    add_testshire(councils_copy, action_port=port)
    with pytest.raises(CouncilConfigError, match=f"port {port} is already used"):
        default_registry()


def test_a_new_council_missing_a_link_the_answers_use_is_caught(councils_copy: Path) -> None:
    folder = add_testshire(councils_copy)
    data = yaml.safe_load((folder / "council.yml").read_text(encoding="utf-8"))
    del data["links"]["bins"]
    (folder / "council.yml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(AssertionError, match="link_bins"):
        check_every_council(default_registry(), councils_copy)


def test_a_new_council_reusing_another_councils_secret_is_caught(councils_copy: Path) -> None:
    folder = add_testshire(councils_copy)
    text = (folder / "council.yml").read_text(encoding="utf-8")
    reused = text.replace("TESTSHIRE_PAY_KEY", "MILLBROOK_PAY_KEY")
    assert reused != text
    (folder / "council.yml").write_text(reused, encoding="utf-8")
    with pytest.raises(CouncilConfigError, match="MILLBROOK_PAY_KEY is already used"):
        default_registry()
