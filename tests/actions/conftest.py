"""Action test fixtures: a council's back-office (the demo one over HTTP), and no
address lookups remembered from another test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from actions.addresses import LOOKUPS
from assistant.backoffice.pending import PendingWrites
from assistant.backoffice.registry import (
    BackOffice,
    build_backoffice,
    env_name,
    service_configs,
)
from assistant.councils import default_registry
from assistant.database import make_engine
from assistant.migrations import migrate
from assistant.routing import runtime as action_runtime
from tests.backoffice.conftest import DemoBackOfficeServer, demo  # noqa: F401 - fixture


@pytest.fixture(autouse=True)
def pending_store(tmp_path: Path) -> Iterator[PendingWrites]:
    """A fresh, migrated pending-write database for each test (issue 10, finding 7)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'writes.db'}")
    migrate(engine)
    store = PendingWrites(engine)
    action_runtime.configure_writes(store)
    yield store
    action_runtime.configure_writes(None)
    engine.dispose()


@pytest.fixture(autouse=True)
def _forget_address_lookups() -> Iterator[None]:
    LOOKUPS.clear()
    yield
    LOOKUPS.clear()


def demo_backoffice(demo: DemoBackOfficeServer, council_id: str) -> BackOffice:  # noqa: F811
    """`council_id`'s back-office, every service pointed at the demo back-office."""
    council = default_registry().get(council_id)
    assert council is not None
    env = {env_name("ASSISTANT_BACKOFFICE_URL", council_id): f"{demo.url}/{council_id}"}
    for config in service_configs(council, env).values():
        env[config.key_env] = demo.key(council_id, config.adapter)
    return build_backoffice(council, env)


@pytest.fixture()
def brackenbury(demo: DemoBackOfficeServer) -> Iterator[DemoBackOfficeServer]:  # noqa: F811
    """This action server serves Brackenbury, against the demo back-office."""
    action_runtime.configure(demo_backoffice(demo, "brackenbury"))
    yield demo
    action_runtime.configure(None)


@pytest.fixture()
def wealdshire(demo: DemoBackOfficeServer) -> Iterator[BackOffice]:  # noqa: F811
    """This action server serves Wealdshire (XML, token answers, easting/northing
    required), against the demo back-office; tokens followed for 0.3 s."""
    backoffice = demo_backoffice(demo, "wealdshire")
    backoffice.street_reports.token_wait = 0.3  # type: ignore[attr-defined]
    action_runtime.configure(backoffice)
    yield backoffice
    action_runtime.configure(None)
