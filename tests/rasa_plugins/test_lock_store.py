"""The atomic Redis lock store on a real (throwaway) Redis: replicas hammering one
conversation's lock never share a ticket, and releasing never drops a waiting one."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from rasa.utils.endpoints import EndpointConfig

from assistant.rasa_plugins.lock_store import AtomicRedisLockStore
from tests.support.databases import Redis, redis_server


@pytest.fixture(scope="module")
def lock_redis() -> Iterator[Redis]:
    with redis_server() as server:
        yield server


def replica(server: Redis) -> AtomicRedisLockStore:
    """A lock store as Rasa builds it from endpoints.yml (one per replica)."""
    config = EndpointConfig(
        url=server.host,
        type="assistant.rasa_plugins.lock_store.AtomicRedisLockStore",
        port=server.port,
        db=1,
    )
    return AtomicRedisLockStore(endpoint_config=config)


def test_tickets_issued_by_concurrent_replicas_are_unique(lock_redis: Redis) -> None:
    stores = [replica(lock_redis) for _ in range(4)]
    issued: list[int] = []
    start = threading.Barrier(len(stores))

    def issue(store: AtomicRedisLockStore) -> None:
        start.wait()
        for _ in range(50):
            issued.append(store.issue_ticket("busy-conversation"))

    threads = [threading.Thread(target=issue, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(issued) == list(range(200))
    lock = stores[0].get_lock("busy-conversation")
    assert lock is not None and len(lock.tickets) == 200


def test_release_keeps_the_lock_while_someone_waits(lock_redis: Redis) -> None:
    a, b = replica(lock_redis), replica(lock_redis)
    first = a.issue_ticket("two-messages")
    second = b.issue_ticket("two-messages")
    a.cleanup("two-messages", first)
    lock = b.get_lock("two-messages")
    assert lock is not None and not lock.is_locked(second)
    b.cleanup("two-messages", second)
    assert b.get_lock("two-messages") is None


def test_changing_a_missing_lock_leaves_it_missing(lock_redis: Redis) -> None:
    store = replica(lock_redis)
    store.update_lock("nobody")
    store.finish_serving("nobody", 3)
    store.cleanup("nobody", 3)
    assert store.get_lock("nobody") is None
