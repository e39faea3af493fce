"""`python -m devtools.benchmarks.insight --events 100000`: what the insight summary
costs. Fills a temporary SQLite tracker store with Rasa-shaped events (residents'
messages, replies, actions and slots over 30 days and three councils), then times the
first summary, an incremental one after 1,000 new events, and one insight page's report.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from assistant.database import make_engine
from assistant.insight.report import Period, build_report
from assistant.insight.summary import InsightSummary
from assistant.migrations import migrate
from assistant.privacy.trackers import _rasa_metadata, events

START = 1_795_000_000.0
COUNCILS = ("millbrook", "brackenbury", "ashdown")
INTENTS = ("bin_collection_day", "council_tax_pay", "report_pothole", "nlu_fallback", "greet")
REPLIES = ("utter_bin_collections", "utter_pothole_reported", "utter_human_handoff", "utter_help")


def fake_events(count: int, first_id: int, rng: random.Random) -> list[dict[str, Any]]:
    """`count` events, ten to a conversation, in Rasa's shapes."""
    rows = []
    for n in range(first_id, first_id + count):
        sender, step = f"web-{n // 10}", n % 10
        at = START + (n // 10) * 26.0 + step
        council = COUNCILS[(n // 10) % len(COUNCILS)]
        kind = ("user", "bot", "action", "slot")[step % 4]
        data: dict[str, Any] = {"event": kind, "timestamp": at}
        intent = None
        if kind == "user":
            intent = rng.choice(INTENTS)
            data.update(text="when is my bin day at 12 High St", metadata={"council": council})
        elif kind == "bot":
            data.update(text="reply", metadata={"utter_action": rng.choice(REPLIES)})
        elif kind == "slot":
            data.update(name="council", value=council)
        rows.append(
            {
                "sender_id": sender,
                "type_name": kind,
                "timestamp": at,
                "intent_name": intent,
                "action_name": "action_listen" if kind == "action" else None,
                "data": json.dumps(data),
            }
        )
    return rows


def run(total: int, workdir: Path) -> dict[str, float]:
    """Seconds for each step."""
    rng = random.Random(15)
    trackers = make_engine(f"sqlite:///{workdir}/trackers.db")
    _rasa_metadata.create_all(trackers)
    for start in range(0, total, 20_000):
        with trackers.begin() as connection:
            connection.execute(insert(events), fake_events(min(20_000, total - start), start, rng))
    url = f"sqlite:///{workdir}/answers.db"
    migrate(url)
    summary = InsightSummary(make_engine(url), trackers)
    figures: dict[str, float] = {}
    started = time.perf_counter()
    counted = summary.update(max_events=total + 1).events
    what = f"first summary of {total} stored events ({counted} user, bot and slot events read)"
    figures[what] = time.perf_counter() - started
    with trackers.begin() as connection:
        connection.execute(insert(events), fake_events(1_000, total, rng))
    started = time.perf_counter()
    summary.update()
    figures["incremental summary of 1,000 new events"] = time.perf_counter() - started
    started = time.perf_counter()
    summary.update()
    figures["a view with no new events (update only)"] = time.perf_counter() - started
    day = dt.datetime.fromtimestamp(START, dt.timezone.utc).date()
    period = Period(day, day + dt.timedelta(days=30))
    started = time.perf_counter()
    build_report(summary.engine, "millbrook", period)
    figures["one council's 31-day report"] = time.perf_counter() - started
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        for what, seconds in run(args.events, Path(workdir)).items():
            print(f"{what}: {seconds:.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
