"""deploy/endpoints.scale.yml, the documented production shape, really works: Rasa
reads it with the environment filled in and builds a PostgreSQL tracker store and our
Redis lock store from it, and `write_endpoints` (what the scale-out test runs) writes
the same keys."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy
import yaml
from rasa.core.lock_store import LockStore
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.core.utils import AvailableEndpoints

from assistant.rasa_plugins.lock_store import AtomicRedisLockStore
from assistant.settings import PROJECT_ROOT, Settings
from devtools.supervisor.services import PostgresTrackerStore, RedisLockStore, write_endpoints
from tests.support.databases import Postgres, Redis, postgres_server, redis_server

SCALE_ENDPOINTS = PROJECT_ROOT / "deploy" / "endpoints.scale.yml"


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[Postgres, Redis]]:
    with postgres_server(user="rasa") as postgres, redis_server() as lock_redis:
        postgres.create_database("trackers")
        yield postgres, lock_redis


def test_rasa_builds_the_shared_stores_from_the_example(
    servers: tuple[Postgres, Redis], monkeypatch: pytest.MonkeyPatch
) -> None:
    postgres, lock_redis = servers
    environment = {
        "ASSISTANT_ACTION_ROUTER_URL": "http://actions.internal:5055",
        "ASSISTANT_ROUTER_TOKEN": "router-token-for-the-test",
        "ASSISTANT_NLG_SERVER_URL": "http://nlg.internal:5065",
        "ASSISTANT_TRACKER_DB_HOST": postgres.host,
        "ASSISTANT_TRACKER_DB_PORT": str(postgres.port),
        "ASSISTANT_TRACKER_DB_NAME": "trackers",
        "ASSISTANT_TRACKER_DB_USER": postgres.user,
        "ASSISTANT_TRACKER_DB_PASSWORD": "not-checked-by-trust-auth",
        "ASSISTANT_LOCK_REDIS_HOST": lock_redis.host,
        "ASSISTANT_LOCK_REDIS_PORT": str(lock_redis.port),
        "ASSISTANT_LOCK_REDIS_DB": "1",
        "ASSISTANT_LOCK_REDIS_PASSWORD": "",
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    endpoints = AvailableEndpoints.read_endpoints(str(SCALE_ENDPOINTS))
    assert endpoints.action.url == "http://actions.internal:5055/webhook"
    assert endpoints.action.headers == {"X-Assistant-Router-Token": "router-token-for-the-test"}
    assert endpoints.nlg.url == "http://nlg.internal:5065/nlg"

    tracker_store = TrackerStore.create(endpoints.tracker_store)
    sql_store = getattr(tracker_store, "_tracker_store", tracker_store)  # FailSafe wrapper
    assert isinstance(sql_store, SQLTrackerStore)
    assert sql_store.engine.url.get_backend_name() == "postgresql"
    assert "events" in sqlalchemy.inspect(sql_store.engine).get_table_names()
    sql_store.engine.dispose()

    lock_store = LockStore.create(endpoints.lock_store)
    assert isinstance(lock_store, AtomicRedisLockStore)
    assert lock_store.issue_ticket("example") == 0
    lock_store.cleanup("example", 0)
    assert lock_store.get_lock("example") is None


def test_write_endpoints_writes_the_keys_of_the_example(tmp_path: Path) -> None:
    written = write_endpoints(
        Settings.from_env({}),
        tmp_path / "endpoints.yml",
        PostgresTrackerStore(host="db", port=5432, db="rasa", password="x"),
        RedisLockStore(host="redis", password="y"),
    )
    ours = yaml.safe_load(written.read_text())
    example = yaml.safe_load(SCALE_ENDPOINTS.read_text())
    assert ours.keys() == example.keys()
    for section in example:
        assert ours[section].keys() == example[section].keys(), section
    assert ours["tracker_store"]["dialect"] == "postgresql"
    assert ours["lock_store"]["type"] == example["lock_store"]["type"]
