"""Settings come from the environment once, with clear errors for bad values."""

from __future__ import annotations

import logging
import pickle
import re
from dataclasses import fields, replace
from pathlib import Path

import pytest

from assistant.isolation import free_ports, isolated
from assistant.rasa_plugins.channels.sms_config import SmsSettings
from assistant.settings import PROJECT_ROOT, Secret, Settings


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


# --- the one reader of the environment; secrets never shown ---

SENDER_KEY = "sender-key-value-123"
API_KEY = "revbase-key-value-456"
SECRET_ENV = {
    "ASSISTANT_SMS_SENDER_KEY": SENDER_KEY,
    "BRACKENBURY_REVBASE_KEY": API_KEY,
    "ASSISTANT_TWILIO_API_URL": "http://127.0.0.1:5098/",
}


def test_a_secret_is_masked_everywhere_but_reveal() -> None:
    secret = Secret("hunter2")
    shown = [repr(secret), str(secret), f"{secret}", f"{secret!r}", format(secret, "s")]
    record = logging.LogRecord("x", logging.INFO, "", 0, "key=%s %r", (secret, secret), None)
    shown.append(record.getMessage())
    shown += [repr([secret]), repr({"key": secret}), f"{secret:>20}"]
    assert all("hunter2" not in text for text in shown)
    assert secret.reveal() == "hunter2"
    assert secret == Secret("hunter2") and secret != Secret("other")
    with pytest.raises(TypeError):
        pickle.dumps(secret)


def test_settings_never_show_a_secret() -> None:
    settings = Settings.from_env(SECRET_ENV)
    assert settings.sms_sender_key is not None
    assert settings.sms_sender_key.reveal() == SENDER_KEY
    assert settings.environ["BRACKENBURY_REVBASE_KEY"] == API_KEY  # for whoever needs it
    for text in (repr(settings), str(settings), f"{settings}", repr(settings.environ)):
        assert SENDER_KEY not in text and API_KEY not in text


def test_sms_settings_never_show_a_secret() -> None:
    settings = SmsSettings.from_env(SECRET_ENV)
    assert settings.api_urls == {"twilio": "http://127.0.0.1:5098"}
    assert settings.environ.get("BRACKENBURY_REVBASE_KEY") == API_KEY
    for text in (repr(settings), str(settings), f"{settings}"):
        assert SENDER_KEY not in text and API_KEY not in text


def test_other_settings_come_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "LOG_LEVEL": "debug",
            "ASSISTANT_COUNCILS_DIR": "/srv/councils",
            "ASSISTANT_COUNCIL": "millbrook",
            "ASSISTANT_SHARED_ACTIONS_URL": "http://shared:5060/",
            "ASSISTANT_ROUTER_TIMEOUT": "2.5",
            "ASSISTANT_STAFF_DEMO_ACCOUNTS": "0",
            "ASSISTANT_STAFF_SECURE_COOKIES": "1",
        }
    )
    assert (settings.log_level, settings.councils_dir) == ("DEBUG", Path("/srv/councils"))
    assert (settings.council, settings.shared_actions_url) == ("millbrook", "http://shared:5060")
    assert settings.router_timeout == 2.5
    assert not settings.staff_demo_accounts and settings.staff_secure_cookies
    defaults = Settings.from_env({})
    assert defaults.staff_demo_accounts and defaults.staff_secure_cookies is None
    assert defaults.council is None and defaults.sms_sender_key is None


@pytest.mark.parametrize("value", ["soon", "0", "-1"])
def test_a_bad_router_timeout_is_explained(value: str) -> None:
    with pytest.raises(ValueError, match="ASSISTANT_ROUTER_TIMEOUT must be"):
        Settings.from_env({"ASSISTANT_ROUTER_TIMEOUT": value})


# The fork server's client hands its whole environment to the fork server, which sets
# it in the service's child (assistant/forked.py, assistant/forkserver.py): passed on,
# never read for a setting.
ENVIRONMENT_PASSERS = {"forked.py", "forkserver.py"}


def test_only_settings_reads_the_environment() -> None:
    package = PROJECT_ROOT / "assistant"
    readers = sorted(
        str(path.relative_to(PROJECT_ROOT))
        for path in package.rglob("*.py")
        if path.name != "settings.py" or path.parent != package
        if path.name not in ENVIRONMENT_PASSERS or path.parent != package
        if re.search(r"os\.environ|getenv|from os import", path.read_text(encoding="utf-8"))
    )
    assert readers == []
