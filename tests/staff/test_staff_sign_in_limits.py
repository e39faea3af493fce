"""The staff site's sign-in through its ASGI app: the throttle per client, Argon2 off
the event loop, and Secure cookies by default."""

from __future__ import annotations

import asyncio
import re
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from starlette.applications import Starlette

from assistant.answers.seed import open_book
from assistant.councils import default_registry
from assistant.settings import PROJECT_ROOT
from assistant.staff.accounts import Accounts, StaffUser
from assistant.staff.app import create_app
from assistant.staff.server import secure_cookies
from tests.support.staff import TOTP_SECRET, fresh_code

PASSWORD = "correct horse battery"
Reply = tuple[int, dict[str, str], str]


async def call(
    app: Starlette, method: str, path: str, client: str, body: bytes = b"", cookie: str = ""
) -> Reply:
    """One request straight to the ASGI app, from `client`'s address."""
    headers = [(b"host", b"staff.example"), (b"cookie", cookie.encode())]
    if body:
        headers.append((b"content-type", b"application/x-www-form-urlencoded"))
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": (client, 50000),
        "server": ("staff.example", 80),
    }
    sent = False
    status, found, chunks = 0, {}, []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
            for name, value in message["headers"]:
                key = name.decode().lower()
                found[key] = f"{found[key]}\n{value.decode()}" if key in found else value.decode()
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, found, b"".join(chunks).decode()


async def sign_in(
    app: Starlette, username: str, password: str, client: str, code: str = ""
) -> Reply:
    """The sign-in page, then the form with its CSRF token and cookie."""
    _, headers, page = await call(app, "GET", "/sign-in", client)
    found = re.search(r'name="csrf_token" value="([^"]*)"', page)
    assert found, page[:300]
    cookie = headers["set-cookie"].split(";")[0]
    form = urlencode(
        {"csrf_token": found.group(1), "username": username, "password": password, "code": code}
    )
    return await call(app, "POST", "/sign-in", client, form.encode(), cookie)


def accounts_in(tmp_path: Path) -> tuple[Any, Accounts]:
    book = open_book(
        f"sqlite:///{tmp_path}/answers.db", PROJECT_ROOT / "domain.yml", default_registry()
    )
    return book, Accounts(book.store.engine)


def test_wrong_passwords_from_one_client_do_not_lock_out_another(tmp_path: Path) -> None:
    book, accounts = accounts_in(tmp_path)
    accounts.create_user("mill-staff", PASSWORD, "millbrook", totp_secret=TOTP_SECRET)
    app = create_app(book, accounts, secure_cookies=False)

    async def attack_then_sign_in() -> tuple[list[int], int]:
        sprayed = [
            (await sign_in(app, "mill-staff", f"guess {n}", "203.0.113.9"))[0] for n in range(7)
        ]
        code = fresh_code(accounts.engine, "mill-staff")
        real, _, _ = await sign_in(app, "mill-staff", PASSWORD, "10.0.0.1", code)
        return sprayed, real

    sprayed, real = asyncio.run(attack_then_sign_in())
    assert sprayed == [400] * 5 + [429] * 2
    assert real == 303  # signed in from the real user's own client


class SlowAccounts(Accounts):
    """Accounts whose password check waits (as a slow Argon2 would) until released."""

    def __init__(self, engine: Any) -> None:
        super().__init__(engine)
        self.entered = threading.Event()
        self.release = threading.Event()
        self.released_by_health = False

    def authenticate(self, username: str, password: str, code: str = "") -> StaffUser | None:
        self.entered.set()
        self.released_by_health = self.release.wait(timeout=5)
        return super().authenticate(username, password, code)


def test_argon2_runs_off_the_event_loop(tmp_path: Path) -> None:
    book, plain = accounts_in(tmp_path)
    accounts = SlowAccounts(plain.engine)
    app = create_app(book, accounts, secure_cookies=False)

    async def health_while_signing_in() -> int:
        signing_in = asyncio.create_task(sign_in(app, "nobody", "wrong password", "10.0.0.1"))
        while not accounts.entered.is_set():
            await asyncio.sleep(0.01)
        status, _, _ = await call(app, "GET", "/health", "10.0.0.2")
        accounts.release.set()  # only reached if the loop was free during the check
        await signing_in
        return status

    assert asyncio.run(health_while_signing_in()) == 200
    # The health check answered while the password check was still in flight.
    assert accounts.released_by_health


def test_session_cookies_are_secure_by_default(tmp_path: Path) -> None:
    book, accounts = accounts_in(tmp_path)
    accounts.create_user("mill-staff", PASSWORD, "millbrook", totp_secret=TOTP_SECRET)
    status, headers, _ = asyncio.run(
        sign_in(
            create_app(book, accounts),
            "mill-staff",
            PASSWORD,
            "10.0.0.1",
            fresh_code(accounts.engine, "mill-staff"),
        )
    )
    assert status == 303
    assert "staff_session=" in headers["set-cookie"] and "secure" in headers["set-cookie"].lower()


@pytest.mark.parametrize(
    ("host", "setting", "secure"),
    [
        ("localhost", None, False),
        ("127.0.0.1", None, False),
        ("::1", None, False),
        ("0.0.0.0", None, True),
        ("staff.millbrook.gov.uk", None, True),
        ("localhost", True, True),
        ("staff.millbrook.gov.uk", False, False),
    ],
)
def test_secure_unless_served_on_localhost(host: str, setting: bool | None, secure: bool) -> None:
    assert secure_cookies(host, setting) is secure
