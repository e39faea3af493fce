"""A Redis lock store that is safe with several Rasa replicas.

Rasa 3.6's `RedisLockStore` reads a conversation's ticket lock, changes it in Python
and writes it back with no transaction. Two replicas receiving messages for the same
conversation at the same moment can therefore both be issued the same ticket, process
the messages side by side and lose one of them when the SQL tracker store saves
(RasaHQ/rasa#9213; Rasa's fix, `ConcurrentRedisLockStore`, is in Rasa Pro only).
Our scale-out test shows exactly that. This subclass keeps Rasa's data format and
keys and makes every read-modify-write of a lock one optimistic Redis transaction
(WATCH/MULTI/EXEC, retried if another replica changed the lock in between).

Configured in endpoints.yml by class path, with the same keys as `type: redis`:

    lock_store:
      type: assistant.rasa_plugins.lock_store.AtomicRedisLockStore
      url: localhost
      port: 6379
      db: 1
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

log = logging.getLogger(__name__)

T = TypeVar("T")


class AtomicRedisLockStore(RedisLockStore):
    """Rasa's Redis ticket lock with atomic ticket issue, update and release."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs}
        super().__init__(**kwargs)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """Issue a ticket for `conversation_id`, creating its lock if there is none."""

        def issue(lock: TicketLock) -> tuple[TicketLock | None, int]:
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, issue, create=True)
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        """Remove expired tickets from `conversation_id`'s lock, if it has one."""

        def expire(lock: TicketLock) -> tuple[TicketLock | None, None]:
            lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, expire)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        """Remove ticket `ticket_number`, keeping the lock for whoever else waits."""

        def finish(lock: TicketLock) -> tuple[TicketLock | None, None]:
            lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change(conversation_id, finish)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Remove ticket `ticket_number` and, in the same transaction, the lock itself
        if no other ticket waits (a ticket issued meanwhile is never deleted)."""

        def release(lock: TicketLock) -> tuple[TicketLock | None, None]:
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._change(conversation_id, release)

    def _change(
        self,
        conversation_id: str,
        change: Callable[[TicketLock], tuple[TicketLock | None, T]],
        create: bool = False,
    ) -> T:
        """Apply `change` to the stored lock atomically: it returns the lock to store
        (None deletes it) and a result. A missing lock is created when `create`,
        otherwise left missing."""
        key = self.key_prefix + conversation_id
        result: list[T] = []

        def transaction(pipe: Any) -> None:
            result.clear()
            serialised = pipe.get(key)
            if serialised:
                lock = TicketLock.from_dict(json.loads(serialised))
            elif create:
                lock = TicketLock(conversation_id)
            else:
                return
            changed, value = change(lock)
            result.append(value)
            pipe.multi()
            if changed is None:
                pipe.delete(key)
            else:
                pipe.set(key, changed.dumps())

        self.red.transaction(transaction, key)
        return result[0] if result else None  # type: ignore[return-value]
