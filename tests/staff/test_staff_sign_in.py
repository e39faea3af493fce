"""Signing in and out of the staff site, a real process over HTTP: wrong passwords,
the sign-in form's CSRF token, the session cookie and security headers."""

from __future__ import annotations

import requests

from tests.support.staff import fresh_code
from tests.support.staff_site import PASSWORD, Site, token


def test_pages_need_sign_in(site: Site) -> None:
    reply = requests.get(f"{site.url}/answers/millbrook", timeout=10, allow_redirects=False)
    assert reply.status_code == 303 and reply.headers["location"] == "/sign-in"


def test_wrong_password_is_refused(site: Site) -> None:
    session = requests.Session()
    page = session.get(f"{site.url}/sign-in", timeout=10)
    reply = session.post(
        f"{site.url}/sign-in",
        data={"csrf_token": token(page.text), "username": "mill-staff", "password": "wrong"},
        timeout=10,
    )
    assert reply.status_code == 400
    assert "Enter a correct username, password and security code" in reply.text
    assert 'value="mill-staff"' in reply.text  # the typed username is kept
    assert session.get(f"{site.url}/answers/millbrook", timeout=10).url.endswith("/sign-in")


def test_sign_in_form_needs_its_csrf_token(site: Site) -> None:
    reply = requests.post(
        f"{site.url}/sign-in",
        data={"username": "mill-staff", "password": PASSWORD},
        timeout=10,
        allow_redirects=False,
    )
    assert reply.status_code == 403
    assert "staff_session" not in reply.cookies


def test_sign_out_ends_the_session(site: Site) -> None:
    session = site.sign_in("mill-staff")
    page = session.get(f"{site.url}/answers/millbrook", timeout=10)
    session.post(f"{site.url}/sign-out", data={"csrf_token": token(page.text)}, timeout=10)
    reply = session.get(f"{site.url}/answers/millbrook", timeout=10, allow_redirects=False)
    assert reply.status_code == 303


def test_repeated_wrong_passwords_block_the_username(site: Site) -> None:
    session = requests.Session()
    statuses = []
    for password in ["wrong"] * 5 + [PASSWORD]:
        page = session.get(f"{site.url}/sign-in", timeout=10)
        reply = session.post(
            f"{site.url}/sign-in",
            data={"csrf_token": token(page.text), "username": "brack-other", "password": password},
            timeout=10,
        )
        statuses.append(reply.status_code)
    assert statuses == [400] * 5 + [429]  # even the right password is refused for now
    assert "Too many wrong passwords" in reply.text


def test_session_cookie_and_security_headers(site: Site) -> None:
    session = requests.Session()
    page = session.get(f"{site.url}/sign-in", timeout=10)
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"
    reply = session.post(
        f"{site.url}/sign-in",
        data={
            "csrf_token": token(page.text),
            "username": "mill-staff",
            "password": PASSWORD,
            "code": fresh_code(site.store.engine, "mill-staff"),
        },
        timeout=10,
        allow_redirects=False,
    )
    cookie = reply.headers["set-cookie"].lower()
    assert "staff_session=" in cookie and "httponly" in cookie and "samesite=strict" in cookie
