"""The stack's process settings for a small machine (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.isolation import isolated
from assistant.settings import Settings
from devtools.supervisor import services


def stack_services(tmp_path: Path) -> list[services.Service]:
    settings = isolated(Settings.from_env(), var_dir=tmp_path)
    return services.assistant_services(settings, tmp_path / "endpoints.yml")


def test_every_process_gets_few_malloc_arenas_and_rasa_one_tf_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("MALLOC_ARENA_MAX", "TF_INTER_OP_PARALLELISM_THREADS"):
        monkeypatch.delenv(name, raising=False)
    started = stack_services(tmp_path)
    assert all(service.env["MALLOC_ARENA_MAX"] == "2" for service in started)
    rasa = [service for service in started if service.name == "rasa"]
    assert rasa and rasa[0].env["TF_INTRA_OP_PARALLELISM_THREADS"] == "1"
    others = [service for service in started if service.name != "rasa"]
    assert all("TF_INTRA_OP_PARALLELISM_THREADS" not in service.env for service in others)


def test_the_environment_chooses_otherwise(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    started = stack_services(tmp_path)
    assert all("MALLOC_ARENA_MAX" not in service.env for service in started)


def test_the_starter_benchmark_rasa_is_left_stock(tmp_path: Path) -> None:
    settings = isolated(Settings.from_env(), var_dir=tmp_path)
    stock = services.rasa_service(settings, tmp_path / "endpoints.yml")
    assert "MALLOC_ARENA_MAX" not in stock.env
    assert "TF_INTRA_OP_PARALLELISM_THREADS" not in stock.env
