"""Command-line operations on staff accounts (`python -m assistant staff ...`)."""

from __future__ import annotations

import argparse
import secrets
import sys

from sqlalchemy import update

from assistant.answers.store import SHARED_SCOPE
from assistant.councils import CouncilRegistry
from assistant.database import make_engine
from assistant.migrations import migrate
from assistant.settings import Settings
from assistant.staff import totp
from assistant.staff.accounts import AccountError, Accounts, users_table

DEMO_ADMIN = "admin-demo"


def add_arguments(staff: argparse.ArgumentParser) -> None:
    """The arguments of `python -m assistant staff`: its subcommands."""
    actions = staff.add_subparsers(dest="staff_command", required=True)
    create = actions.add_parser("create-user", help="create a staff or administrator account")
    create.add_argument("username")
    who = create.add_mutually_exclusive_group(required=True)
    who.add_argument("--council", help="the council id whose answers this account changes")
    who.add_argument(
        "--admin", action="store_true", help="an administrator of the shared default answers"
    )
    create.add_argument(
        "--role",
        choices=["staff", "admin"],
        default="staff",
        help="admin: may also invite, reset and deactivate its council's accounts",
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
    """The accounts in the answers database named by `settings` (migrated)."""
    engine = make_engine(settings.answers_db_url)
    migrate(engine)
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
    secret = totp.new_secret()
    role = "admin" if args.admin else args.role
    try:
        user = open_accounts(settings).create_user(
            args.username, password, scope, role=role, totp_secret=secret
        )
    except AccountError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"Created {user.username} ({role} of {scope}).")
    if generated:
        print(f"Password (shown once): {password}")
    print(f"Authenticator app key (TOTP, shown once): {totp.grouped(secret)}")
    return 0


def demo_accounts(settings: Settings, registry: CouncilRegistry) -> dict[str, tuple[str, str]]:
    """For `make run`: an administrator account per council (`<id>-demo`) and one of
    the shared defaults (`admin-demo`), each with a new random password and TOTP
    secret, returned (username -> (password, secret)) to be printed once.
    A deployment switches this off with ASSISTANT_STAFF_DEMO_ACCOUNTS=0."""
    if not settings.staff_demo_accounts:
        return {}
    accounts = open_accounts(settings)
    wanted = {f"{council.id}-demo": council.id for council in registry}
    wanted[DEMO_ADMIN] = SHARED_SCOPE
    found: dict[str, tuple[str, str]] = {}
    for username, scope in wanted.items():
        password, secret = secrets.token_urlsafe(12), totp.new_secret()
        if accounts.exists(username):
            accounts.set_password(username, password)
            accounts.set_totp(username, secret)
            with accounts.engine.begin() as connection:
                connection.execute(
                    update(users_table)
                    .where(users_table.c.username == username)
                    .values(role="admin", active=True)
                )
        else:
            accounts.create_user(username, password, scope, role="admin", totp_secret=secret)
        found[username] = (password, secret)
    return found
