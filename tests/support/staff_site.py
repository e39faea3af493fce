"""The staff site for HTTP tests: a signed-in `requests` session, form tokens, and a
real staff-site process with accounts for two councils and an administrator."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import requests

from assistant.answers.seed import open_book
from assistant.answers.store import SHARED_SCOPE, AnswerStore
from assistant.councils import default_registry
from assistant.isolation import free_port
from assistant.settings import PROJECT_ROOT, Settings
from assistant.staff.accounts import Accounts
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

    def sign_in(self, username: str, password: str = PASSWORD) -> requests.Session:
        session = requests.Session()
        page = session.get(f"{self.url}/sign-in", timeout=10)
        reply = session.post(
            f"{self.url}/sign-in",
            data={
                "csrf_token": token(page.text),
                "username": username,
                "password": password,
                "code": fresh_code(self.store.engine, username),
            },
            timeout=10,
        )
        assert reply.status_code == 200, reply.text[:300]
        return session


def token(html: str, name: str = "csrf_token") -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, html[:500]
    return found.group(1)


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


def running_site(settings: Settings, workdir: Path) -> Iterator[Site]:
    """Make the accounts, start the staff site, yield it and stop it."""
    book = open_book(settings.answers_db_url, PROJECT_ROOT / "domain.yml", default_registry())
    accounts = Accounts(book.store.engine)
    for username, scope in USERS.items():
        accounts.create_user(username, PASSWORD, scope, totp_secret=TOTP_SECRET)
    stack = Stack([staff_service(settings)], log_dir=workdir / "logs")
    stack.start(timeout=60)
    try:
        yield Site(settings.staff_url, book.store)
    finally:
        stack.stop()
