"""assistant.attempts: failed attempts counted in a shared store, with back-off."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from assistant.attempts import (
    Attempts,
    CounterStore,
    Policy,
    RedisCounters,
    SqlCounters,
    attempts_table,
    open_attempts,
)
from assistant.database import make_engine
from assistant.migrations import migrate
from assistant.settings import Secret, Settings
from tests.support.databases import REDIS_SERVER, redis_server

POLICY = Policy(free_failures=3, base_lock=60, max_lock=240, window=3600)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def sql_store(tmp_path: Path) -> SqlCounters:
    url = f"sqlite:///{tmp_path / 'attempts.db'}"
    migrate(url)
    return SqlCounters(make_engine(url))


@pytest.fixture(params=["sqlite", "redis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CounterStore]:
    if request.param == "sqlite":
        yield sql_store(tmp_path)
        return
    if not REDIS_SERVER.exists():
        pytest.skip(f"redis-server is not installed at {REDIS_SERVER}")
    import redis

    with redis_server() as server:
        yield RedisCounters(redis.Redis.from_url(server.url()), ttl=4000)


def test_three_failures_lock_for_a_minute_then_doubling_capped(store: CounterStore) -> None:
    clock = Clock()
    attempts = Attempts(store, POLICY, clock=clock)
    locks = [attempts.failed("ref", "30012345") for _ in range(6)]
    assert locks == [0, 0, 60, 120, 240, 240]
    assert attempts.locked_for("ref", "30012345") == 240
    clock.now += 200
    assert attempts.locked_for("ref", "30012345") == 40
    clock.now += 40
    assert attempts.locked_for("ref", "30012345") == 0
    assert attempts.locked_for("ref", "30099999") == 0  # another reference


def test_the_window_forgets_old_failures(store: CounterStore) -> None:
    clock = Clock()
    attempts = Attempts(store, POLICY, clock=clock)
    for _ in range(3):
        attempts.failed("ref", "a")
    clock.now += 3601
    assert attempts.locked_for("ref", "a") == 0
    assert attempts.failed("ref", "a") == 0  # counting starts again


def test_a_new_process_sees_the_same_counts(tmp_path: Path) -> None:
    first = Attempts(sql_store(tmp_path), POLICY)
    for _ in range(3):
        first.failed("ref", "30012345")
    restarted = Attempts(sql_store(tmp_path), POLICY)
    assert restarted.locked_for("ref", "30012345") > 0


def test_values_are_stored_hashed_never_in_clear(tmp_path: Path) -> None:
    store = sql_store(tmp_path)
    Attempts(store, POLICY, key=Secret("k" * 32)).failed("ref", "30012345")
    with store.engine.connect() as connection:
        keys = [row.key for row in connection.execute(select(attempts_table))]
    assert len(keys) == 1 and "30012345" not in keys[0] and len(keys[0]) == 64
    # A different key hashes differently: the rows cannot be matched without it.
    assert Attempts(store, POLICY, key=Secret("x" * 32)).locked_for("ref", "30012345") == 0


def test_concurrent_failures_are_all_counted(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'attempts.db'}"
    migrate(url)
    stores = [Attempts(SqlCounters(make_engine(url)), POLICY) for _ in range(4)]
    threads = [
        threading.Thread(target=lambda a=a: [a.failed("ref", "r") for _ in range(5)])
        for a in stores
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert stores[0].store.get(stores[0].hashed("ref", "r")).failures == 20


def test_the_settings_choose_the_database_under_var(tmp_path: Path) -> None:
    settings = Settings.from_env({"ASSISTANT_VAR_DIR": str(tmp_path)})
    attempts = open_attempts(settings, POLICY)
    attempts.failed("ref", "x")
    assert (tmp_path / "attempts.db").exists()
    assert isinstance(attempts.store, SqlCounters)


def test_the_lock_store_redis_settings_are_reused() -> None:
    settings = Settings.from_env(
        {"ASSISTANT_LOCK_REDIS_HOST": "cache", "ASSISTANT_LOCK_REDIS_PASSWORD": "p@ss"}
    )
    assert settings.attempts_redis_url is not None
    assert settings.attempts_redis_url.reveal() == "redis://:p%40ss@cache:6379/0"
    assert "p@ss" not in repr(settings)
