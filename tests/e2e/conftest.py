"""Real servers for end-to-end tests: the action server and Rasa, on free ports."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
import requests

from assistant.isolation import isolated
from assistant.rasa_plugins.channels.integration_tokens import conversation_for
from assistant.settings import Settings
from devtools.supervisor.services import (
    DEMO_INTEGRATION,
    DEMO_REST_TOKEN_ENV,
    assistant_services,
    channel_credentials,
    write_endpoints,
)
from devtools.supervisor.stack import Stack
from devtools.training import train

# A second REST integration in the test stack, to show integrations cannot reach each
# other's conversations (tests/e2e/test_security_ownership.py reads its token from
# the stack's environment).
OTHER_INTEGRATION_ENV = "ASSISTANT_REST_TOKEN_OTHER_CRM"


def demo_rest_token() -> str:
    """The demo integration's REST token, as the stacks started here are given it."""
    return channel_credentials()[DEMO_REST_TOKEN_ENV]


@dataclass
class Chat:
    """A resident talking to the REST channel (through the demo integration)."""

    base_url: str
    token: str = field(default_factory=demo_rest_token)
    integration: str = DEMO_INTEGRATION

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def conversation(self, sender: str) -> str:
        """The tracker's sender id of this integration's `sender`."""
        return conversation_for(self.integration, sender)

    def post(self, body: object) -> requests.Response:
        return requests.post(
            f"{self.base_url}/webhooks/rest/webhook", json=body, headers=self.headers, timeout=30
        )

    def say(self, sender: str, message: str, council: str | None = None) -> list[dict]:
        body: dict[str, object] = {"sender": sender, "message": message}
        if council is not None:
            body["metadata"] = {"council": council}
        response = self.post(body)
        assert response.status_code == 200, response.text
        return response.json()

    def texts(self, sender: str, message: str, council: str | None = None) -> str:
        """Everything the bot replied, joined, for substring assertions."""
        return "\n".join(m.get("text", "") for m in self.say(sender, message, council))


@pytest.fixture(scope="session")
def stack_settings(tmp_path_factory: pytest.TempPathFactory, stack_workdir: Path) -> Settings:
    # The staff site (insight, failed questions, conversation review) reads the
    # tracker store Rasa writes: the endpoints' SQLite file in `stack_workdir`.
    settings = isolated_settings(tmp_path_factory)
    return replace(settings, tracker_db=f"sqlite:///{stack_workdir / 'trackers.db'}")


def isolated_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings for a stack of its own: the trained model, free ports and scratch
    databases, so that several stacks can run in one session."""
    settings = Settings.from_env()
    train(settings)
    return isolated(settings, var_dir=tmp_path_factory.mktemp("var"))


@pytest.fixture(scope="session")
def stack_workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the e2e stack keeps its endpoints file, logs and tracker database."""
    return tmp_path_factory.mktemp("stack")


@pytest.fixture(scope="session")
def running_stack(stack_settings: Settings, stack_workdir: Path) -> Iterator[Stack]:
    workdir = stack_workdir
    endpoints = write_endpoints(stack_settings, workdir / "endpoints.yml", workdir / "trackers.db")
    services = assistant_services(stack_settings, endpoints)
    second_integration = {OTHER_INTEGRATION_ENV: secrets.token_urlsafe(24)}
    stack = Stack(services, log_dir=workdir / "logs", env=second_integration)
    # Rasa loads its model in about 30 s on an idle machine; several minutes on a
    # loaded one. A slow start is waited for, a failed one still fails at once.
    stack.start(timeout=600)
    yield stack
    stack.stop()


@pytest.fixture()
def chat(running_stack: Stack, stack_settings: Settings) -> Chat:
    return Chat(stack_settings.rasa_url)
