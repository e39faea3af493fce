"""Command-line operations on staff accounts (`python -m assistant staff ...`)."""

from __future__ import annotations

import argparse
import os
import secrets
import sys

from assistant.answers.store import SHARED_SCOPE
from assistant.councils import CouncilRegistry
from assistant.database import create_tables, make_engine
from assistant.settings import Settings
from assistant.staff.accounts import AccountError, Accounts

DEMO_ADMIN = "admin-demo"


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `staff create-user` on the main command line."""
    staff = commands.add_parser("staff", help="manage staff site accounts")
    actions = staff.add_subparsers(dest="staff_command", required=True)
    create = actions.add_parser("create-user", help="create a staff or administrator account")
    create.add_argument("username")
    who = create.add_mutually_exclusive_group(required=True)
    who.add_argument("--council", help="the council id whose answers this account changes")
    who.add_argument(
        "--admin", action="store_true", help="an administrator of the shared default answers"
    )
    create.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input (otherwise one is generated and printed)",
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Carry out a `staff` subcommand."""
    if args.staff_command == "create-user":
        return create_user(args, settings)
    return 2


def open_accounts(settings: Settings) -> Accounts:
    """The accounts in the answers database named by `settings` (tables created)."""
    engine = make_engine(settings.answers_db_url)
    create_tables(engine)
    return Accounts(engine)


def create_user(args: argparse.Namespace, settings: Settings) -> int:
    registry = CouncilRegistry.load()
    if args.admin:
        scope = SHARED_SCOPE
    else:
        council = registry.get(args.council)
        if council is None:
            print(
                f"error: there is no council {args.council!r}; known councils: "
                + ", ".join(registry.ids()),
                file=sys.stderr,
            )
            return 2
        scope = council.id
    generated = not args.password_stdin
    password = secrets.token_urlsafe(12) if generated else sys.stdin.readline().rstrip("\n")
    try:
        user = open_accounts(settings).create_user(args.username, password, scope)
    except AccountError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    role = "administrator of the shared defaults" if args.admin else f"staff of {scope}"
    print(f"Created {user.username} ({role}).")
    if generated:
        print(f"Password (shown once): {password}")
    return 0


def demo_accounts(settings: Settings, registry: CouncilRegistry) -> dict[str, str]:
    """For `make run`: an account per council (`<id>-demo`) and an administrator
    (`admin-demo`), each with a new random password, returned to be printed once.
    A deployment switches this off with ASSISTANT_STAFF_DEMO_ACCOUNTS=0."""
    if os.environ.get("ASSISTANT_STAFF_DEMO_ACCOUNTS", "1") == "0":
        return {}
    accounts = open_accounts(settings)
    wanted = {f"{council.id}-demo": council.id for council in registry}
    wanted[DEMO_ADMIN] = SHARED_SCOPE
    passwords: dict[str, str] = {}
    for username, scope in wanted.items():
        password = secrets.token_urlsafe(12)
        if accounts.exists(username):
            accounts.set_password(username, password)
        else:
            accounts.create_user(username, password, scope)
        passwords[username] = password
    return passwords
