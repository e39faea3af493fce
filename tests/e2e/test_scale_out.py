"""The scale-out shape: two Rasa replicas sharing a PostgreSQL tracker store and a Redis
lock store, as behind a load balancer. Every message goes to the other replica, so
nothing a conversation needs may live in one replica's memory; and messages for one
resident sent to both replicas at once are all kept and all answered."""

from __future__ import annotations

import json
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import pytest
import redis
import sqlalchemy

from assistant.isolation import free_port
from devtools.supervisor.services import (
    PostgresTrackerStore,
    RedisLockStore,
    assistant_services,
    rasa_service,
    write_endpoints,
)
from devtools.supervisor.stack import Stack
from tests.e2e.conftest import Chat, isolated_settings
from tests.support.databases import Redis, postgres_server, redis_server

pytestmark = pytest.mark.e2e

ASKS_POSTCODE = "what's your postcode"
BRACKENBURY_PAY = "https://www.brackenbury.example.gov.uk/council-tax/pay"


@dataclass
class ScaleOut:
    """Two replicas of the same Rasa server and the stores they share."""

    replica_a: Chat
    replica_b: Chat
    tracker_db: sqlalchemy.engine.Engine
    redis: Redis

    def events(self, sender: str) -> list[tuple[str, dict]]:
        """(type, event) for `sender`'s stored events, oldest first."""
        with self.tracker_db.connect() as connection:
            rows = connection.execute(
                sqlalchemy.text(
                    "SELECT type_name, data FROM events WHERE sender_id = :sender ORDER BY id"
                ),
                {"sender": self.replica_a.conversation(sender)},
            ).fetchall()
        return [(type_name, json.loads(data)) for type_name, data in rows]

    def user_texts(self, sender: str) -> list[str]:
        return [event["text"] for kind, event in self.events(sender) if kind == "user"]


@pytest.fixture(scope="module")
def scale_out(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ScaleOut]:
    settings = isolated_settings(tmp_path_factory)
    workdir = tmp_path_factory.mktemp("scale-out")
    with postgres_server(user="rasa") as postgres, redis_server() as lock_redis:
        tracker_url = postgres.create_database("rasa")
        endpoints = write_endpoints(
            settings,
            workdir / "endpoints.yml",
            PostgresTrackerStore(host=postgres.host, port=postgres.port, db="rasa"),
            RedisLockStore(host=lock_redis.host, port=lock_redis.port),
        )
        services = assistant_services(settings, endpoints)
        replica_a = next(service for service in services if service.name == "rasa")
        settings_b = replace(settings, rasa_port=free_port())
        replica_b = replace(
            rasa_service(settings_b, endpoints, env=replica_a.env), name="rasa-replica-b"
        )
        stack = Stack([*services, replica_b], log_dir=workdir / "logs")
        stack.start(timeout=300)
        engine = sqlalchemy.create_engine(tracker_url)
        try:
            yield ScaleOut(Chat(settings.rasa_url), Chat(settings_b.rasa_url), engine, lock_redis)
        finally:
            engine.dispose()
            stack.stop()


def test_a_conversation_moves_between_replicas_on_every_message(scale_out: ScaleOut) -> None:
    a, b = scale_out.replica_a, scale_out.replica_b
    me = f"scale-{uuid.uuid4().hex[:12]}"
    b.texts(me, "hi")
    # Replica A asks for the postcode (no council known yet) ...
    assert ASKS_POSTCODE in a.texts(me, "when do my bins get collected")
    # ... replica B, answering it, finds the council and carries on the pending request:
    # it knows from the shared tracker what was asked and why.
    assert "Which address at BK1 2AB?" in b.texts(me, "BK1 2AB")
    answer = a.texts(me, "14")
    assert "Next collections at 14 Rose Lane" in answer
    assert "Rubbish (black wheelie bin)" in answer
    # The council found on B (through A's question) is remembered on B later on.
    assert BRACKENBURY_PAY in b.texts(me, "i want to pay my council tax")

    events = scale_out.events(me)
    assert scale_out.user_texts(me) == [
        "hi",
        "when do my bins get collected",
        "BK1 2AB",
        "14",
        "i want to pay my council tax",
    ]
    councils = [e["value"] for kind, e in events if kind == "slot" and e["name"] == "council"]
    assert councils and councils[-1] == "brackenbury"
    assert sum(kind == "bot" for kind, _ in events) >= 5
    # Both replicas took their turns through the shared Redis lock store, and every
    # lock was released again.
    client = redis.Redis(host=scale_out.redis.host, port=scale_out.redis.port, db=1)
    stats = client.info("stats")
    assert stats["keyspace_hits"] + stats["keyspace_misses"] > 0
    assert client.keys("*") == []


def test_messages_sent_to_both_replicas_at_once_are_all_kept(scale_out: ScaleOut) -> None:
    a, b = scale_out.replica_a, scale_out.replica_b
    me = f"scale-{uuid.uuid4().hex[:12]}"
    a.texts(me, "hello", "millbrook")
    rounds = [
        ("how do i pay my council tax", "hello there"),
        ("good morning", "i want to pay my council tax"),
        ("pay council tax", "hi"),
    ]
    replies: list[tuple[str, list[dict]]] = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        for to_a, to_b in rounds:
            together = threading.Barrier(2)

            def send(chat: Chat, text: str, together: threading.Barrier = together) -> list[dict]:
                together.wait()
                return chat.say(me, text, "millbrook")

            futures = [
                (text, pool.submit(send, chat, text)) for chat, text in ((a, to_a), (b, to_b))
            ]
            replies.extend((text, future.result()) for text, future in futures)

    for text, reply in replies:
        assert any(message.get("text") for message in reply), f"no reply to {text!r}"
    sent = ["hello", *(text for pair in rounds for text in pair)]
    assert Counter(scale_out.user_texts(me)) == Counter(sent)
    # Every user message was followed by the bot's own turn, none dropped on save.
    events = scale_out.events(me)
    assert sum(kind == "bot" for kind, _ in events) >= len(sent)
