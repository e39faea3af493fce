"""Run the staff site: python -m assistant.staff --port 8065"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Sequence
from pathlib import Path

import uvicorn

from assistant.answers.seed import open_book, seed_overrides
from assistant.councils import councils_dir, default_registry
from assistant.settings import PROJECT_ROOT, Settings
from assistant.staff.accounts import Accounts
from assistant.staff.app import create_app


def main(argv: Sequence[str] | None = None) -> int:
    """Open the answers database (seeding council answers) and serve the site."""
    settings = Settings.from_env()
    parser = argparse.ArgumentParser(prog="python -m assistant.staff")
    parser.add_argument("--host", default=settings.host)
    parser.add_argument("--port", type=int, default=settings.staff_port)
    parser.add_argument("--db-url", default=settings.answers_db_url)
    parser.add_argument("--domain", type=Path, default=PROJECT_ROOT / "domain.yml")
    parser.add_argument(
        "--secure-cookies",
        action="store_true",
        default=settings.staff_secure_cookies,
        help="mark cookies Secure (when served over HTTPS)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    book = open_book(args.db_url, args.domain, default_registry())
    seed_overrides(book, councils_dir(settings))
    app = create_app(book, Accounts(book.store.engine), secure_cookies=args.secure_cookies)
    uvicorn.run(
        app, host=args.host, port=args.port, log_level="warning", access_log=False, ws="none"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
