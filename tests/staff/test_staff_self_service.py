"""Issue 15, items 5 and 6, over HTTP against a real staff-site process: the council
details and notices pages, account administration, one-time links and sessions.
Every page and action refuses another council's staff (and non-administrators where
it is for administrators); bad input is explained and kept."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import update

from assistant.answers.details_store import DetailStore
from assistant.answers.notices import NoticeStore
from assistant.answers.store import SHARED_SCOPE
from assistant.staff import totp
from assistant.staff.links import AccountLinks, links_table
from tests.support.staff_site import Site, csrf, running_site, staff_settings, token

NEW_PASSWORD = "a brand new passphrase"
SECRETS: dict[str, str] = {}  # username -> the TOTP secret its set-up page showed
USERS = {
    "mill-admin": "millbrook",
    "mill-staff": "millbrook",
    "brack-admin": "brackenbury",
    "shared-admin": SHARED_SCOPE,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    workdir: Path = tmp_path_factory.mktemp("self_service")
    admins = frozenset({"mill-admin", "brack-admin", "shared-admin"})
    for running in running_site(staff_settings(workdir), workdir, USERS, admins):
        running.secrets = SECRETS  # what set_up enrols, for later sign-ins
        yield running


# --- council details and notices ------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/details/millbrook"),
        ("POST", "/details/millbrook"),
        ("GET", "/notices/millbrook"),
        ("POST", "/notices/millbrook"),
        ("POST", "/notices/millbrook/1/remove"),
        ("GET", "/accounts/millbrook"),
        ("POST", "/accounts/millbrook/invite"),
        ("POST", "/accounts/millbrook/1/deactivate"),
        ("POST", "/accounts/millbrook/1/reset"),
    ],
)
def test_another_councils_staff_are_refused(site: Site, method: str, path: str) -> None:
    for username in ("brack-admin", "shared-admin"):
        session = site.sign_in(username)
        own = "/details/brackenbury" if username == "brack-admin" else "/answers/shared"
        data = {"csrf_token": csrf(session, f"{site.url}{own}"), "council_phone": "01632 000 000"}
        reply = session.request(
            method, f"{site.url}{path}", data=data, timeout=10, allow_redirects=False
        )
        assert reply.status_code == 403, (username, reply.status_code)
    anonymous = requests.request(method, f"{site.url}{path}", timeout=10, allow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/sign-in"
    assert DetailStore(site.accounts.engine).overrides("millbrook") == {}


def detail_form(html: str) -> dict[str, str]:
    """The details form's boxes as the page shows them: name -> value."""
    return dict(re.findall(r'id="([a-z_]+)" name="[a-z_]+" type="\w+" value="([^"]*)"', html))


def test_bad_details_are_explained_and_what_was_typed_is_kept(site: Site) -> None:
    session = site.sign_in("mill-staff")
    url = f"{site.url}/details/millbrook"
    page = session.get(url, timeout=10)
    form = detail_form(page.text)
    assert form["council_phone"] == "01632 960 500"
    bad = {
        **form,
        "council_phone": "+33 1 23 45 67 89",
        "link_bins": "http://bins.example.com",
        "csrf_token": token(page.text),
    }
    bad["council_opening_hours"] = "Weekdays 10 till 2"
    reply = session.post(url, data=bad, timeout=10)
    assert reply.status_code == 400
    assert "There is a problem" in reply.text and "+44" in reply.text and "https://" in reply.text
    for typed in ("+33 1 23 45 67 89", "http://bins.example.com", "Weekdays 10 till 2"):
        assert f'value="{typed}"' in reply.text
    assert DetailStore(site.accounts.engine).overrides("millbrook") == {}  # nothing saved


def test_a_detail_is_saved_audited_and_reverted(site: Site) -> None:
    session = site.sign_in("mill-staff")
    url = f"{site.url}/details/millbrook"
    page = session.get(url, timeout=10)
    form = detail_form(page.text)
    reply = session.post(
        url,
        data={
            **form,
            "council_out_of_hours_phone": "0800 111 2222",
            "csrf_token": token(page.text),
        },
        timeout=10,
    )
    assert reply.status_code == 200 and "Saved" in reply.text
    store = DetailStore(site.accounts.engine)
    assert store.overrides("millbrook") == {"council_out_of_hours_phone": "0800 111 2222"}
    assert "Changed by us" in reply.text and "mill-staff" in reply.text  # audit table
    reply = session.post(
        url,
        data={"csrf_token": token(reply.text), "revert": "council_out_of_hours_phone"},
        timeout=10,
    )
    assert reply.status_code == 200
    assert store.overrides("millbrook") == {}
    assert [c.after for c in store.history("millbrook")][:2] == [None, "0800 111 2222"]


def test_notices_are_checked_kept_added_and_removed_by_their_council_only(site: Site) -> None:
    session = site.sign_in("mill-staff")
    url = f"{site.url}/notices/millbrook"
    typed = {
        "csrf_token": csrf(session, url),
        "text": "Christmas bins run a day late.",
        "starts-day": "27",
        "starts-month": "12",
        "starts-year": "2026",
        "ends-day": "24",
        "ends-month": "12",
        "ends-year": "2026",
        "responses": ["utter_bin_missed"],
    }
    reply = session.post(url, data=typed, timeout=10)
    assert reply.status_code == 400 and "same as or after the start date" in reply.text
    assert (
        "Christmas bins run a day late." in reply.text
        and 'value="utter_bin_missed" checked' in reply.text
    )
    reply = session.post(
        url, data={**typed, "starts-day": "31", "starts-month": "2", "responses": []}, timeout=10
    )
    assert (
        reply.status_code == 400
        and "Enter a real start date" in reply.text
        and "Choose at least one" in reply.text
    )
    reply = session.post(url, data={**typed, "starts-day": "24", "ends-day": "27"}, timeout=10)
    assert reply.status_code == 200 and "Notice added" in reply.text
    notices = NoticeStore(site.accounts.engine).listed("millbrook")
    assert [(n.starts_on, n.ends_on, n.responses) for n in notices] == [
        (dt.date(2026, 12, 24), dt.date(2026, 12, 27), ("utter_bin_missed",))
    ]
    # Brackenbury cannot take Millbrook's notice down, even through its own address.
    brack = site.sign_in("brack-admin")
    other = brack.post(
        f"{site.url}/notices/brackenbury/{notices[0].id}/remove",
        data={"csrf_token": csrf(brack, f"{site.url}/notices/brackenbury")},
        timeout=10,
    )
    assert other.status_code == 404
    reply = session.post(
        f"{url}/{notices[0].id}/remove", data={"csrf_token": csrf(session, url)}, timeout=10
    )
    assert reply.status_code == 200 and NoticeStore(site.accounts.engine).listed("millbrook") == []


# --- accounts ----------------------------------------------------------------------


def invite(site: Site, admin: requests.Session, username: str, role: str = "staff") -> str:
    url = f"{site.url}/accounts/millbrook"
    reply = admin.post(
        f"{url}/invite",
        data={"csrf_token": csrf(admin, url), "username": username, "role": role},
        timeout=10,
    )
    assert reply.status_code == 200, reply.text[:300]
    found = re.search(r'data-testid="link">([^<]+)<', reply.text)
    assert found
    return found.group(1)


def set_up(link: str, password: str = NEW_PASSWORD, code: str | None = None) -> requests.Response:
    page = requests.get(link, timeout=10)
    assert page.status_code == 200, page.text[:300]
    secret = re.search(r'data-testid="totp-secret">([^<]+)<', page.text).group(1).replace(" ", "")  # type: ignore[union-attr]
    username = re.search(r'data-testid="setup-username">([^<]+)<', page.text).group(1)  # type: ignore[union-attr]
    SECRETS[username] = secret
    return requests.post(
        link,
        data={
            "password": password,
            "confirm": password,
            "code": code or totp.code_at(secret),
        },
        timeout=10,
        allow_redirects=False,
    )


def test_accounts_pages_are_for_administrators_only(site: Site) -> None:
    staff = site.sign_in("mill-staff")
    assert staff.get(f"{site.url}/accounts/millbrook", timeout=10).status_code == 403
    reply = staff.post(
        f"{site.url}/accounts/millbrook/invite",
        data={"csrf_token": csrf(staff, f"{site.url}/sessions"), "username": "sneaky"},
        timeout=10,
    )
    assert reply.status_code == 403 and not site.accounts.exists("sneaky")


def test_an_invited_user_sets_up_totp_and_signs_in_once_per_code(site: Site) -> None:
    admin = site.sign_in("mill-admin")
    link = invite(site, admin, "new-starter")
    wrong = set_up(link, code="000000")
    assert wrong.status_code == 400 and "6-digit code" in wrong.text
    short = set_up(link, password="short")
    assert short.status_code == 400 and "at least 12" in short.text
    done = set_up(link)
    assert done.status_code == 303 and done.headers["location"] == "/sign-in?ready=1"
    assert requests.get(link, timeout=10).status_code == 404  # single use
    assert set_up_again_refused(link)
    session = requests.Session()
    assert "/sign-in" in site.try_sign_in(session, "new-starter", NEW_PASSWORD, "123456").url
    signed_in = site.sign_in("new-starter", NEW_PASSWORD)
    assert "Signed in as" in signed_in.get(f"{site.url}/answers/millbrook", timeout=10).text


def set_up_again_refused(link: str) -> bool:
    reply = requests.post(
        link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "code": "000000"}, timeout=10
    )
    return reply.status_code == 404


def test_invite_links_expire(site: Site) -> None:
    admin = site.sign_in("mill-admin")
    link = invite(site, admin, "late-starter")
    with site.accounts.engine.begin() as connection:
        connection.execute(
            update(links_table)
            .values(expires_at=dt.datetime(2020, 1, 1))
            .where(links_table.c.used_at.is_(None))
        )
    assert requests.get(link, timeout=10).status_code == 404


def test_bad_invites_are_explained_and_kept(site: Site) -> None:
    admin = site.sign_in("mill-admin")
    url = f"{site.url}/accounts/millbrook"
    reply = admin.post(
        f"{url}/invite",
        data={"csrf_token": csrf(admin, url), "username": "Mill Staff!", "role": "admin"},
        timeout=10,
    )
    assert reply.status_code == 400 and "A username is 3 to 80 characters" in reply.text
    assert 'value="Mill Staff!"' in reply.text and 'value="admin" checked' in reply.text
    reply = admin.post(
        f"{url}/invite", data={"csrf_token": csrf(admin, url), "username": "mill-staff"}, timeout=10
    )
    assert reply.status_code == 400 and "already an account" in reply.text


def test_deactivation_ends_sessions_at_once(site: Site) -> None:
    admin = site.sign_in("mill-admin")
    link = invite(site, admin, "leaver")
    assert set_up(link).status_code == 303
    leaver = site.sign_in("leaver", NEW_PASSWORD)
    member = next(m for m in site.accounts.members("millbrook") if m.username == "leaver")
    assert member.sessions == 1
    brack = site.sign_in("brack-admin")
    refused = brack.post(
        f"{site.url}/accounts/brackenbury/{member.id}/deactivate",
        data={"csrf_token": csrf(brack, f"{site.url}/accounts/brackenbury")},
        timeout=10,
    )
    assert refused.status_code == 404  # not Brackenbury's account
    url = f"{site.url}/accounts/millbrook"
    reply = admin.post(
        f"{url}/{member.id}/deactivate", data={"csrf_token": csrf(admin, url)}, timeout=10
    )
    assert reply.status_code == 200 and "Account deactivated" in reply.text
    assert leaver.get(f"{site.url}/answers/millbrook", timeout=10).url.endswith("/sign-in")
    assert "/sign-in" in site.try_sign_in(requests.Session(), "leaver", NEW_PASSWORD, None).url


def test_a_reset_link_replaces_the_password_and_app(site: Site) -> None:
    admin = site.sign_in("mill-admin")
    link = invite(site, admin, "forgetful")
    assert set_up(link).status_code == 303
    old_session = site.sign_in("forgetful", NEW_PASSWORD)
    member = next(m for m in site.accounts.members("millbrook") if m.username == "forgetful")
    url = f"{site.url}/accounts/millbrook"
    reply = admin.post(
        f"{url}/{member.id}/reset", data={"csrf_token": csrf(admin, url)}, timeout=10
    )
    reset = re.search(r'data-testid="link">([^<]+)<', reply.text).group(1)  # type: ignore[union-attr]
    assert set_up(reset, password="another long passphrase").status_code == 303
    assert old_session.get(f"{site.url}/sessions", timeout=10).url.endswith("/sign-in")
    assert "/sign-in" in site.try_sign_in(requests.Session(), "forgetful", NEW_PASSWORD, None).url
    assert AccountLinks(site.accounts.engine).pending(reset) is None


def test_sessions_are_listed_and_one_can_be_ended(site: Site) -> None:
    laptop = site.sign_in("mill-staff")
    phone = site.sign_in("mill-staff")
    page = laptop.get(f"{site.url}/sessions", timeout=10)
    ids = [int(n) for n in re.findall(r'action="/sessions/(\d+)/end"', page.text)]
    assert len(ids) >= 2 and "This session" in page.text
    mine = site.accounts.sessions_of(
        next(m.id for m in site.accounts.members("millbrook") if m.username == "mill-staff")
    )
    newest = max(s.id for s in mine)  # the phone's
    brack = site.sign_in("brack-admin")
    theirs = brack.post(
        f"{site.url}/sessions/{newest}/end",
        data={"csrf_token": csrf(brack, f"{site.url}/sessions")},
        timeout=10,
    )
    assert theirs.status_code == 404  # another account's session
    reply = laptop.post(
        f"{site.url}/sessions/{newest}/end", data={"csrf_token": token(page.text)}, timeout=10
    )
    assert reply.status_code == 200 and "Session ended" in reply.text
    assert phone.get(f"{site.url}/sessions", timeout=10).url.endswith("/sign-in")
    assert laptop.get(f"{site.url}/sessions", timeout=10).status_code == 200
