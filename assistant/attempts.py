"""Failed attempts, counted across conversations, processes and restarts.

A counter is kept per key (an account reference, a client, a staff username and
client pair...). Keys are hashed before they are stored (HMAC-SHA256 with the
configured key), so no reference, number or username is kept in clear. After
`Policy.free_failures` failures the key is locked for `base_lock` seconds, doubling
with each further failure up to `max_lock`; a key with no failure for `window`
seconds starts again from nothing.

Two stores: a table in an SQLAlchemy database (`attempt_counters`, made by migration
0002_limits) or, when the lock store's Redis is configured, Redis.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Column, Float, Integer, String, Table, case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from assistant.database import make_engine, metadata
from assistant.settings import Secret, Settings

# Used when no key is configured: hashes still keep values out of the store's rows,
# but set ASSISTANT_ATTEMPTS_KEY so they cannot be reversed by trying every value.
UNKEYED = b"assistant-attempts"

attempts_table = Table(
    "attempt_counters",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_failed_at", Float, nullable=False),
)


@dataclass(frozen=True)
class Policy:
    """When a key is locked, and for how long."""

    free_failures: int = 3
    base_lock: float = 60.0
    max_lock: float = 3600.0
    window: float = 24 * 3600.0

    def lock_seconds(self, failures: int) -> float:
        """How long a key with `failures` recent failures is locked after the last one."""
        if failures < self.free_failures:
            return 0.0
        return min(self.max_lock, self.base_lock * 2 ** (failures - self.free_failures))


@dataclass(frozen=True)
class Count:
    """A key's recent failures and the time of the last one."""

    failures: int = 0
    last_failed_at: float = 0.0


class CounterStore(Protocol):
    """Where counts live: `add` is atomic across processes."""

    def get(self, key: str) -> Count: ...

    def add(self, key: str, now: float, window: float) -> Count: ...

    def clear(self, key: str) -> None: ...


class SqlCounters:
    """Counts in the `attempt_counters` table (SQLite or PostgreSQL upsert)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, key: str) -> Count:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(attempts_table).where(attempts_table.c.key == key)
            ).first()
        return Count(int(row.failures), float(row.last_failed_at)) if row else Count()

    def add(self, key: str, now: float, window: float) -> Count:
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        table = attempts_table
        stale = table.c.last_failed_at < now - window
        insert = dialect.insert(table).values(key=key, failures=1, last_failed_at=now)
        failures: Any = table.c.failures + 1
        upsert = insert.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={"failures": case((stale, 1), else_=failures), "last_failed_at": now},
        )
        with self.engine.begin() as connection:
            connection.execute(upsert)
            row = connection.execute(select(table).where(table.c.key == key)).one()
        return Count(int(row.failures), float(row.last_failed_at))

    def clear(self, key: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(attempts_table).where(attempts_table.c.key == key))


class MemoryCounters:
    """Counts in this process only: for tests and a site run without a store."""

    def __init__(self) -> None:
        self._counts: dict[str, Count] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> Count:
        return self._counts.get(key, Count())

    def add(self, key: str, now: float, window: float) -> Count:
        with self._lock:
            old = self._counts.get(key, Count())
            failures = 1 if now - old.last_failed_at > window else old.failures + 1
            self._counts[key] = Count(failures, now)
            return self._counts[key]

    def clear(self, key: str) -> None:
        self._counts.pop(key, None)


# Adds one failure, starting again when the last one is older than the window (ARGV:
# now, window, time to live). Returns the count and the time of the last failure.
_ADD_SCRIPT = """
local last = tonumber(redis.call('HGET', KEYS[1], 'last') or '0')
local now = tonumber(ARGV[1])
local n
if now - last > tonumber(ARGV[2]) then
  n = 1
  redis.call('HSET', KEYS[1], 'n', 1)
else
  n = redis.call('HINCRBY', KEYS[1], 'n', 1)
end
redis.call('HSET', KEYS[1], 'last', ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return n
"""


class RedisCounters:
    """Counts in Redis hashes `attempts:<key>`, expiring on their own."""

    def __init__(self, client: Any, ttl: float) -> None:
        self.client = client
        self.ttl = int(ttl) + 1
        self._add = client.register_script(_ADD_SCRIPT)

    def get(self, key: str) -> Count:
        values = self.client.hgetall(f"attempts:{key}")
        if not values:
            return Count()
        return Count(int(values[b"n"]), float(values[b"last"]))

    def add(self, key: str, now: float, window: float) -> Count:
        failures = self._add(keys=[f"attempts:{key}"], args=[repr(now), window, self.ttl])
        return Count(int(failures), now)

    def clear(self, key: str) -> None:
        self.client.delete(f"attempts:{key}")


class Attempts:
    """Failed attempts per key, with back-off. Keys are hashed before they are stored."""

    def __init__(
        self,
        store: CounterStore,
        policy: Policy | None = None,
        key: Secret | None = None,
        clock: Any = time.time,
    ) -> None:
        self.store = store
        self.policy = policy or Policy()
        self._key = key.reveal().encode("utf-8") if key else UNKEYED
        self.clock = clock

    def with_policy(self, policy: Policy) -> Attempts:
        """The same store and key with another policy."""
        other = Attempts(self.store, policy, clock=self.clock)
        other._key = self._key
        return other

    def hashed(self, kind: str, value: str) -> str:
        """The stored form of `value` (a reference, a client...) for counter `kind`."""
        message = f"{kind}\0{value.strip().lower()}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def locked_for(self, kind: str, value: str) -> float:
        """Seconds until `value` may be tried again (0: not locked)."""
        count = self.store.get(self.hashed(kind, value))
        now = self.clock()
        if now - count.last_failed_at > self.policy.window:
            return 0.0
        until = count.last_failed_at + self.policy.lock_seconds(count.failures)
        return max(0.0, until - now)

    def failed(self, kind: str, value: str) -> float:
        """Count a failure; returns the seconds `value` is now locked for."""
        count = self.store.add(self.hashed(kind, value), self.clock(), self.policy.window)
        return self.policy.lock_seconds(count.failures)

    def clear(self, kind: str, value: str) -> None:
        self.store.clear(self.hashed(kind, value))


def open_attempts(settings: Settings, policy: Policy | None = None) -> Attempts:
    """The attempts store the settings name: Redis when configured, else the database
    (migrated first, as every service does on start)."""
    policy = policy or Policy()
    if settings.attempts_redis_url:
        import redis  # type: ignore[import-untyped]

        client = redis.Redis.from_url(settings.attempts_redis_url.reveal(), socket_timeout=5)
        counters: CounterStore = RedisCounters(client, policy.window + policy.max_lock)
    else:
        from assistant.migrations import migrate

        url = settings.attempts_db_url
        migrate(url)
        counters = SqlCounters(make_engine(url))
    return Attempts(counters, policy, settings.attempts_key)
