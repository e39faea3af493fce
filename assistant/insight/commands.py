"""`python -m assistant insight`: bring the insight summary up to date, for a scheduled
job on a busy site (the staff site also counts new events when a page is viewed)."""

from __future__ import annotations

import argparse
import time

from assistant.database import make_engine
from assistant.insight.summary import InsightSummary
from assistant.settings import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db-url", help="the answers database (default: from the settings)")
    parser.add_argument("--tracker-db-url", help="Rasa's tracker store (default: settings)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Count every event not yet counted; print how many and how long it took."""
    summary = InsightSummary(
        make_engine(args.db_url or settings.answers_db_url),
        make_engine(args.tracker_db_url or settings.tracker_db_url),
    )
    started = time.perf_counter()
    progress = summary.update(max_events=10**12)
    took = time.perf_counter() - started
    print(
        f"insight: counted {progress.events} events in {took:.2f} s "
        f"(up to event {progress.last_event_id})"
    )
    return 0
