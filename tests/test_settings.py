"""Settings come from the environment once, with clear errors for bad values."""

from __future__ import annotations

import pytest

from assistant.settings import Settings


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
