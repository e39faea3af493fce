"""Settings come from the environment once, with clear errors for bad values."""

from __future__ import annotations

from dataclasses import fields, replace
from pathlib import Path

import pytest

from assistant.settings import Settings, free_ports, isolated


def test_defaults_for_one_machine() -> None:
    settings = Settings.from_env({})
    assert settings.rasa_port == 5005
    assert settings.rasa_url == "http://localhost:5005"
    assert settings.models_dir.name == "models"


def test_ports_can_be_overridden() -> None:
    settings = Settings.from_env({"ASSISTANT_RASA_PORT": "6005", "ASSISTANT_HOST": "127.0.0.1"})
    assert settings.rasa_url == "http://127.0.0.1:6005"


@pytest.mark.parametrize(
    ("value", "message"),
    [("abc", "must be a port number"), ("70000", "must be between 1 and 65535")],
)
def test_bad_ports_are_explained(value: str, message: str) -> None:
    with pytest.raises(ValueError, match=f"ASSISTANT_RASA_PORT {message}"):
        Settings.from_env({"ASSISTANT_RASA_PORT": value})


def test_isolated_settings_move_every_port_and_state_off_the_defaults(tmp_path: Path) -> None:
    settings = replace(Settings.from_env({}), answers_db="postgresql://db.example/answers")
    moved = isolated(settings, tmp_path / "var", tmp_path / "models", ["alpha", "beta"])
    assert moved.host == "127.0.0.1"
    assert (moved.var_dir, moved.models_dir) == (tmp_path / "var", tmp_path / "models")
    assert moved.answers_db is None and moved.answers_db_url.startswith(f"sqlite:///{tmp_path}")
    port_names = [f.name for f in fields(settings) if f.name.endswith("_port")]
    ports = [getattr(moved, name) for name in port_names]
    ports += list(moved.council_actions_ports.values())
    assert sorted(moved.council_actions_ports) == ["alpha", "beta"]
    assert len(set(ports)) == len(ports) == len(port_names) + 2
    assert not set(ports) & {getattr(settings, name) for name in port_names}


def test_free_ports_are_distinct() -> None:
    ports = free_ports(20)
    assert len(set(ports)) == 20 and all(0 < port < 65536 for port in ports)
