"""The demo back-office on a real port with a fresh SQLite database, for adapter tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from assistant.councils import default_registry
from devtools.demo_backoffice.app import DemoBackOffice
from devtools.demo_backoffice.models import open_database
from tests.http_server import ServedApp

ADAPTERS = (
    "revbase",
    "ctaxpro",
    "wastecal",
    "bindays",
    "open311",
    "planview",
    "repairdesk",
    "govuk_pay",
)
TODAY = dt.date(2026, 11, 26)  # a Thursday


@dataclass
class DemoBackOfficeServer:
    url: str
    db: Path
    app: DemoBackOffice

    def key(self, council: str, adapter: str) -> str:
        return f"test-key-{council}-{adapter}"

    def base(self, council: str, path: str) -> str:
        return f"{self.url}/{council}/{path}"

    def fault(self, council: str, mode: str, delay_seconds: float = 0) -> None:
        body = {"council": council, "mode": mode, "delay_seconds": delay_seconds}
        assert requests.post(f"{self.url}/_admin/faults", json=body, timeout=5).ok


def demo_app(db: Path) -> DemoBackOffice:
    keys = {
        (council, adapter): f"test-key-{council}-{adapter}"
        for council in default_registry().ids()
        for adapter in ADAPTERS
    }
    return DemoBackOffice(open_database(db), keys, today=lambda: TODAY)


@pytest.fixture()
def demo(tmp_path: Path) -> Iterator[DemoBackOfficeServer]:
    db = tmp_path / "demo.db"
    app = demo_app(db)
    with ServedApp(app.app()) as url:
        yield DemoBackOfficeServer(url, db, app)
