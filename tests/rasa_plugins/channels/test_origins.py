"""Which origins may open the web chat, and the guard in front of engine.io."""

from __future__ import annotations

import asyncio
import json
from types import SimpleNamespace

import pytest

from assistant.councils import CouncilRegistry
from assistant.rasa_plugins.channels.origins import allowed_origins, guard_origins
from assistant.settings import Settings


def test_councils_origins_and_the_settings_extra_ones_are_allowed() -> None:
    settings = Settings.from_env({"ASSISTANT_WEB_ALLOWED_ORIGINS": "http://localhost:9999/, "})
    allowed = allowed_origins(CouncilRegistry.load(), settings)
    assert "https://www.millbrook.example.gov.uk" in allowed
    assert "http://localhost:9999" in allowed
    assert "https://attacker.example" not in allowed


class EngineIO:
    def __init__(self) -> None:
        self.handled: list[object] = []

    async def handle_request(self, request: object) -> str:
        self.handled.append(request)
        return "handled"


def request(origin: str | None) -> SimpleNamespace:
    return SimpleNamespace(headers={} if origin is None else {"origin": origin})


@pytest.mark.parametrize("origin", ["https://attacker.example", "null", "http://localhost:1"])
def test_a_foreign_origin_is_refused_before_engineio_sees_it(origin: str) -> None:
    server = EngineIO()
    guard_origins(server, {"http://localhost:8075"})
    answer = asyncio.run(server.handle_request(request(origin)))
    assert answer.status == 403 and "origin" in json.loads(answer.body)["error"]
    assert server.handled == []


@pytest.mark.parametrize("origin", ["http://localhost:8075", "HTTP://LOCALHOST:8075/", None])
def test_an_allowed_origin_or_none_is_handled(origin: str | None) -> None:
    server = EngineIO()
    guard_origins(server, {"http://localhost:8075"})
    assert asyncio.run(server.handle_request(request(origin))) == "handled"
