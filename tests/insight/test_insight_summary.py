"""The incremental insight summary over a real SQLite tracker store: counts per council,
day and metric; a second run reads only the new events; councils kept apart."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import insert, select

from assistant.cli import main
from assistant.database import make_engine
from assistant.insight.rules import load_rules
from assistant.insight.summary import InsightSummary, counts_table
from assistant.migrations import migrate
from assistant.privacy.trackers import events
from tests.support.trackers import DAY1, DAY2, Tracker


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[tuple[Tracker, InsightSummary]]:
    url = f"sqlite:///{tmp_path}/answers.db"
    migrate(url)
    tracker = Tracker(make_engine(f"sqlite:///{tmp_path}/trackers.db"))
    yield tracker, InsightSummary(make_engine(url), tracker.engine, load_rules())


def totals(summary: InsightSummary) -> dict[tuple[str, str, str, str], int]:
    with summary.engine.connect() as connection:
        rows = connection.execute(select(counts_table))
        return {(r.council, r.day, r.metric, r.item): r.total for r in rows}


def test_counts_per_council_day_and_metric(stores: tuple[Tracker, InsightSummary]) -> None:
    tracker, summary = stores
    tracker.user("a", "bin_missed", DAY1, council="millbrook")
    tracker.bot("a", "utter_bin_missed_reported", DAY1 + 1)
    tracker.user("a", "nlu_fallback", DAY1 + 2, council="millbrook")
    tracker.bot("a", "utter_human_handoff", DAY1 + 3)
    tracker.user("b", "crisis_suicide", DAY1 + 5, council="brackenbury")
    tracker.bot("b", "utter_crisis_suicide", DAY1 + 6)
    tracker.user("a", "greet", DAY2, council="millbrook")  # the same conversation, next day
    progress = summary.update()
    assert progress.events == 7
    got = totals(summary)
    assert got[("millbrook", "2026-11-18", "conversations", "")] == 1
    assert got[("millbrook", "2026-11-19", "conversations", "")] == 1
    assert got[("millbrook", "2026-11-18", "messages", "")] == 2
    assert got[("millbrook", "2026-11-18", "intent", "bin_missed")] == 1
    assert got[("millbrook", "2026-11-18", "fallback", "nlu_fallback")] == 1
    assert got[("millbrook", "2026-11-18", "handoff", "")] == 1
    assert got[("millbrook", "2026-11-18", "report", "Missed bin collection")] == 1
    assert got[("brackenbury", "2026-11-18", "crisis", "Suicide or self-harm")] == 1
    assert not any(key[0] == "brackenbury" and key[2] == "report" for key in got)
    assert not any(key[0] == "millbrook" and key[2] == "crisis" for key in got)


def test_council_from_the_slot_carries_to_later_batches(
    stores: tuple[Tracker, InsightSummary],
) -> None:
    tracker, summary = stores
    tracker.add("c", "slot", DAY1, name="council", value="brackenbury")
    summary.update()
    tracker.bot("c", "utter_pothole_reported", DAY1 + 1)
    summary.update()
    assert totals(summary) == {("brackenbury", "2026-11-18", "report", "Pothole"): 1}


def test_a_second_run_reads_only_the_new_events(
    stores: tuple[Tracker, InsightSummary],
) -> None:
    tracker, summary = stores
    for index in range(30):
        tracker.user(f"s{index}", "bin_collection_day", DAY1 + index, council="millbrook")
    first = summary.update()
    assert first.events == 30
    assert summary.update().events == 0  # nothing new: nothing read again
    read: list[str] = []
    sa_event.listen(
        tracker.engine,
        "before_cursor_execute",
        lambda conn, cursor, statement, params, context, many: read.append(str(params)),
    )
    tracker.user("s0", "bin_missed", DAY1 + 100, council="millbrook")
    second = summary.update()
    assert second.events == 1
    assert any(str(first.last_event_id) in params for params in read)  # read after the cursor
    got = totals(summary)
    assert got[("millbrook", "2026-11-18", "intent", "bin_collection_day")] == 30
    assert got[("millbrook", "2026-11-18", "conversations", "")] == 30  # s0 not counted twice
    assert got[("millbrook", "2026-11-18", "messages", "")] == 31


def test_a_second_summariser_never_counts_twice(stores: tuple[Tracker, InsightSummary]) -> None:
    tracker, summary = stores
    other = InsightSummary(summary.engine, tracker.engine, load_rules())
    tracker.user("x", "greet", DAY1, council="millbrook")
    assert summary.update().events == 1
    assert other.update().events == 0
    assert totals(summary)[("millbrook", "2026-11-18", "messages", "")] == 1


def test_nothing_of_the_residents_words_is_stored(
    stores: tuple[Tracker, InsightSummary], tmp_path: Path
) -> None:
    tracker, summary = stores
    tracker.user("resident-07700900123", "inform", DAY1, council="millbrook")
    summary.update()
    raw = (tmp_path / "answers.db").read_bytes() + b"".join(
        path.read_bytes() for path in tmp_path.glob("answers.db-wal")
    )
    assert b"private words" not in raw and b"SW1A" not in raw and b"07700900123" not in raw


def test_no_tracker_table_yet_is_not_an_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/answers.db"
    migrate(url)
    summary = InsightSummary(make_engine(url), make_engine(f"sqlite:///{tmp_path}/t.db"))
    assert summary.update().events == 0


def test_summary_cost_on_many_events(stores: tuple[Tracker, InsightSummary]) -> None:
    tracker, summary = stores
    rows = []
    for index in range(20_000):
        sender = f"s{index // 10}"
        council = ("millbrook", "brackenbury")[index % 2]
        rows.append(
            {
                "sender_id": sender,
                "type_name": "user",
                "timestamp": DAY1 + index * 30,
                "intent_name": "bin_collection_day",
                "data": json.dumps({"event": "user", "metadata": {"council": council}}),
            }
        )
    with tracker.engine.begin() as connection:
        connection.execute(insert(events), rows)
    started = time.perf_counter()
    assert summary.update().events == 20_000
    took = time.perf_counter() - started
    print(f"summary of 20,000 events: {took:.2f} s")
    assert took < 60


def test_max_events_stops_and_reports_more_left(stores: tuple[Tracker, InsightSummary]) -> None:
    tracker, summary = stores
    for index in range(12):
        tracker.user(f"q{index}", "greet", DAY1, council="millbrook")
    with patch("assistant.insight.summary.BATCH_EVENTS", 5):
        first = summary.update(max_events=5)
        assert (first.events, first.more) == (5, True)
        rest = summary.update()
    assert (rest.events, rest.more) == (7, False)
    assert totals(summary)[("millbrook", "2026-11-18", "messages", "")] == 12


def test_insight_command_counts_every_new_event(tmp_path: Path, capsys: Any) -> None:
    url = f"sqlite:///{tmp_path}/answers.db"
    migrate(url)
    tracker = Tracker(make_engine(f"sqlite:///{tmp_path}/trackers.db"))
    tracker.user("z", "greet", DAY1, council="millbrook")
    code = main(
        ["insight", "--db-url", url, "--tracker-db-url", f"sqlite:///{tmp_path}/trackers.db"]
    )
    assert code == 0
    assert "counted 1 events" in capsys.readouterr().out
