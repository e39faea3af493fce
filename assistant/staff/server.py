"""Run the staff site: `python -m assistant staff-site --port 8065`."""

from __future__ import annotations

from pathlib import Path

import uvicorn

from assistant.answers.seed import open_book, seed_overrides
from assistant.attempts import open_attempts
from assistant.councils import councils_dir, default_registry
from assistant.database import make_engine
from assistant.insight.summary import InsightSummary
from assistant.settings import Settings
from assistant.staff.accounts import Accounts
from assistant.staff.app import create_app
from assistant.staff.throttle import SignInThrottle

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def secure_cookies(host: str, setting: bool | None) -> bool:
    """Whether cookies are marked Secure: the setting when given, else yes unless the
    site is served on this machine only (plain http://localhost during development)."""
    if setting is not None:
        return setting
    return host.strip("[]").lower() not in LOCAL_HOSTS


def serve(
    host: str, port: int, db_url: str, domain: Path, secure_cookies: bool, settings: Settings
) -> int:
    """Open the answers database (seeding council answers) and serve the site."""
    book = open_book(db_url, domain, default_registry())
    seed_overrides(book, councils_dir(settings))
    throttle = SignInThrottle(open_attempts(settings))
    insight = InsightSummary(book.store.engine, make_engine(settings.tracker_db_url))
    app = create_app(
        book,
        Accounts(book.store.engine),
        secure_cookies=secure_cookies,
        throttle=throttle,
        insight=insight,
    )
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, ws="none")
    return 0
