"""`python -m assistant db upgrade|current`: migrate the databases, or show their revision."""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from assistant.migrations import current_revision, head_revision, migrate
from assistant.settings import Settings


def add_arguments(db: argparse.ArgumentParser) -> None:
    """`db upgrade` and `db current` on the main command line."""
    actions = db.add_subparsers(dest="db_command", required=True)
    for name, help_text in (
        ("upgrade", "upgrade to the newest schema (what every service does on start)"),
        ("current", "show each database's schema revision"),
    ):
        action = actions.add_parser(name, help=help_text)
        action.add_argument(
            "--url",
            help="one database URL (default: the answers, SMS and pending-write databases)",
        )


def database_urls(args: argparse.Namespace, settings: Settings) -> list[str]:
    """The databases to act on: `--url`, else the answers, SMS and pending-write ones
    (once each)."""
    if args.url:
        return [args.url]
    urls = [settings.answers_db_url, settings.sms_db_url, settings.writes_db_url]
    return list(dict.fromkeys(urls))


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Carry out a `db` subcommand on each database; 1 if one of them failed."""
    failed = False
    for url in database_urls(args, settings):
        shown = make_url(url).render_as_string(hide_password=True)
        try:
            if args.db_command == "upgrade":
                migrate(url)
            revision = current_revision(url)
        except SQLAlchemyError as error:
            reason = str(getattr(error, "orig", None) or error).splitlines()[0]
            print(f"error: {shown}: {reason}", file=sys.stderr)
            failed = True
            continue
        state = "up to date" if revision == head_revision() else f"newest is {head_revision()}"
        print(f"{shown}: revision {revision or 'none'} ({state})")
    return 1 if failed else 0
