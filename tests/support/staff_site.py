"""The staff site for HTTP tests: a signed-in `requests` session, form tokens, and a
real staff-site process with accounts for two councils and an administrator (or the
accounts a module names, with their roles)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import requests

from assistant.answers.seed import open_book
from assistant.answers.store import SHARED_SCOPE, AnswerStore
from assistant.councils import default_registry
from assistant.isolation import free_port
from assistant.settings import PROJECT_ROOT, Settings
from assistant.staff.accounts import Accounts
from assistant.staff.interface import LANGUAGE_COOKIE
from devtools.supervisor.services import staff_service
from devtools.supervisor.stack import Stack
from tests.support.staff import TOTP_SECRET, fresh_code

PASSWORD = "correct horse battery"
RESPONSE = "utter_parking_fine"
USERS = {
    "mill-staff": "millbrook",
    "mill-other": "millbrook",
    "brack-staff": "brackenbury",
    "brack-other": "brackenbury",
    "admin": SHARED_SCOPE,
}


@dataclass
class Site:
    url: str
    store: AnswerStore
    # username -> the TOTP secret its set-up page showed (else the tests' own secret)
    secrets: dict[str, str] = field(default_factory=dict)

    @property
    def accounts(self) -> Accounts:
        return Accounts(self.store.engine)

    def sign_in(
        self,
        username: str,
        password: str = PASSWORD,
        code: str | None = None,
        language: str | None = None,
    ) -> requests.Session:
        """A session signed in (with the interface in `language`, when given)."""
        session = requests.Session()
        if language:
            session.cookies.set(LANGUAGE_COOKIE, language)
        reply = self.try_sign_in(session, username, password, code)
        assert reply.status_code == 200 and "/sign-in" not in reply.url, reply.text[:300]
        return session

    def try_sign_in(
        self, session: requests.Session, username: str, password: str, code: str | None
    ) -> requests.Response:
        """Sign in with a fresh code from the account's app unless `code` is given."""
        page = session.get(f"{self.url}/sign-in", timeout=10)
        if code is None:
            secret = self.secrets.get(username, TOTP_SECRET)
            code = fresh_code(self.store.engine, username, secret)
        return session.post(
            f"{self.url}/sign-in",
            data={
                "csrf_token": token(page.text),
                "username": username,
                "password": password,
                "code": code,
            },
            timeout=10,
        )


def token(html: str, name: str = "csrf_token") -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, html[:500]
    return found.group(1)


def csrf(session: requests.Session, url: str) -> str:
    """The CSRF token of the form on the page at `url`."""
    page = session.get(url, timeout=10)
    assert page.status_code == 200, page.text[:300]
    return token(page.text)


def edit_form(session: requests.Session, url: str) -> dict[str, str]:
    page = session.get(url, timeout=10)
    assert page.status_code == 200, page.text[:300]
    return {"csrf_token": token(page.text), "version": token(page.text, "version")}


def staff_settings(workdir: Path) -> Settings:
    """Settings for a staff site of its own in `workdir` (databases included)."""
    return replace(
        Settings.from_env(),
        host="127.0.0.1",
        staff_port=free_port(),
        answers_db=f"sqlite:///{workdir}/answers.db",
        attempts_db=f"sqlite:///{workdir}/attempts.db",
        tracker_db=f"sqlite:///{workdir}/trackers.db",
    )


def running_site(
    settings: Settings,
    workdir: Path,
    users: Mapping[str, str] = USERS,
    admins: frozenset[str] = frozenset(),
) -> Iterator[Site]:
    """Make the accounts (`users`: username -> scope; `admins` get the administrator
    role), start the staff site, yield it and stop it."""
    book = open_book(settings.answers_db_url, PROJECT_ROOT / "domain.yml", default_registry())
    accounts = Accounts(book.store.engine)
    for username, scope in users.items():
        role = "admin" if username in admins else "staff"
        accounts.create_user(username, PASSWORD, scope, role=role, totp_secret=TOTP_SECRET)
    stack = Stack([staff_service(settings)], log_dir=workdir / "logs")
    stack.start(timeout=60)
    try:
        yield Site(settings.staff_url, book.store)
    finally:
        stack.stop()
