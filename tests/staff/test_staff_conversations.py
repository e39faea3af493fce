"""Conversation review (issue 15, item 4) as a real staff-site process over HTTP,
reading a real SQLite tracker store: days, then transcripts, redacted; the council's
retention period is a hard cut-off; another council's staff get "not found"; and each
view of a transcript is in the audit log."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator

import pytest
import requests
from sqlalchemy import func, select

from assistant.database import make_engine
from assistant.insight.summary import conversation_key
from assistant.review.audit import VIEW_TRANSCRIPT, AuditLog, audit_table
from tests.support.staff_site import Site, running_site, staff_settings
from tests.support.trackers import Tracker

NOW = time.time()
HOUR = 3600.0
DAY = 86_400.0
SECRETS = ("SW1A", "07700", "jo@example.com", "4111", "MB12345678")


@pytest.fixture(scope="module")
def review_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Site, Tracker]]:
    workdir = tmp_path_factory.mktemp("conversations")
    settings = staff_settings(workdir)
    tracker = Tracker(make_engine(settings.tracker_db_url))
    script(tracker)
    for site in running_site(settings, workdir):
        yield site, tracker


def say(tracker: Tracker, sender: str, text: str, at: float, council: str | None) -> None:
    tracker.user(sender, "bin_missed", at, council=council, text=text)


def reply(tracker: Tracker, sender: str, text: str, at: float) -> None:
    tracker.add(sender, "bot", at, text=text, metadata={"utter_action": "utter_x"})


def script(tracker: Tracker) -> None:
    """Millbrook (14 days' retention): a recent conversation full of personal details,
    one that named its council by slot only, one too old, and one that is both; and a
    Brackenbury conversation and one with no council."""
    say(
        tracker,
        "mill-recent",
        "my bin at SW1A 1AA was missed, ring 07700 900123 or jo@example.com, "
        "card 4111 1111 1111 1111, account MB12345678",
        NOW - 2 * HOUR,
        "millbrook",
    )
    reply(tracker, "mill-recent", "Sorry. Is SW1A 1AA the address?", NOW - 2 * HOUR + 1)
    tracker.add("mill-slot", "slot", NOW - 3 * HOUR, name="council", value="millbrook")
    say(tracker, "mill-slot", "slot council words", NOW - 3 * HOUR + 1, None)
    say(tracker, "mill-old", "too old to be read", NOW - 20 * DAY, "millbrook")
    say(tracker, "mill-mixed", "old half of mixed", NOW - 20 * DAY, "millbrook")
    say(tracker, "mill-mixed", "new half of mixed", NOW - HOUR, "millbrook")
    say(tracker, "brack-1", "brackenbury private words", NOW - HOUR, "brackenbury")
    say(tracker, "nobody", "no council words", NOW - HOUR, None)


def keys_listed(session: requests.Session, site: Site, council: str) -> set[str]:
    days = session.get(f"{site.url}/conversations/{council}", timeout=10)
    assert days.status_code == 200, days.text[:300]
    keys: set[str] = set()
    for day in re.findall(rf'href="/conversations/{council}/(\d{{4}}-\d\d-\d\d)"', days.text):
        page = session.get(f"{site.url}/conversations/{council}/{day}", timeout=10)
        keys.update(re.findall(rf'href="/conversations/{council}/c/(\w+)"', page.text))
    return keys


def transcript_url(site: Site, council: str, sender: str) -> str:
    return f"{site.url}/conversations/{council}/c/{conversation_key(sender)}"


def test_days_then_conversations_of_the_council_only(review_site: tuple[Site, Tracker]) -> None:
    site, _ = review_site
    keys = keys_listed(site.sign_in("mill-staff"), site, "millbrook")
    assert keys == {conversation_key(s) for s in ("mill-recent", "mill-slot", "mill-mixed")}
    assert keys_listed(site.sign_in("brack-staff"), site, "brackenbury") == {
        conversation_key("brack-1")
    }


def test_transcript_is_redacted_with_both_sides(review_site: tuple[Site, Tracker]) -> None:
    site, _ = review_site
    page = site.sign_in("mill-staff").get(transcript_url(site, "millbrook", "mill-recent"))
    assert page.status_code == 200, page.text[:300]
    table = page.text.split('data-testid="transcript"')[1].split("</table>")[0]
    speakers = re.findall(r'data-speaker="(\w+)"', table)
    assert speakers == ["resident", "assistant"]
    for mask in ("[postcode]", "[phone number]", "[email]", "[card number]", "[reference]"):
        assert mask in table, mask
    assert "Is [postcode] the address?" in table  # the assistant's words are redacted too
    for secret in SECRETS:
        assert secret not in page.text
    assert "mill-recent" not in page.text  # the conversation id is never shown


def test_retention_period_is_a_hard_cut_off(review_site: tuple[Site, Tracker]) -> None:
    site, _ = review_site
    session = site.sign_in("mill-staff")
    assert session.get(transcript_url(site, "millbrook", "mill-old")).status_code == 404
    mixed = session.get(transcript_url(site, "millbrook", "mill-mixed"))
    assert mixed.status_code == 200
    assert "new half of mixed" in mixed.text and "old half of mixed" not in mixed.text
    # Brackenbury keeps 30 days: the same age is still readable there.
    old = NOW - 20 * DAY
    say(review_site[1], "brack-old", "brackenbury older words", old, "brackenbury")
    brack = site.sign_in("brack-staff").get(transcript_url(site, "brackenbury", "brack-old"))
    assert brack.status_code == 200 and "brackenbury older words" in brack.text


def test_another_councils_staff_and_anonymous_are_refused(
    review_site: tuple[Site, Tracker],
) -> None:
    site, _ = review_site
    brack = site.sign_in("brack-staff")
    # Brackenbury's own address for Millbrook's conversation: not found.
    stolen = brack.get(transcript_url(site, "brackenbury", "mill-recent"), timeout=10)
    assert stolen.status_code == 404 and "bin at" not in stolen.text
    assert brack.get(transcript_url(site, "brackenbury", "nobody")).status_code == 404
    today = dt.date.today().isoformat()
    for path in (
        "/conversations/millbrook",
        f"/conversations/millbrook/{today}",
        f"/conversations/millbrook/c/{conversation_key('mill-recent')}",
    ):
        reply = brack.get(f"{site.url}{path}", timeout=10)
        assert reply.status_code == 403 and "bin at" not in reply.text, path
        anonymous = requests.get(f"{site.url}{path}", timeout=10, allow_redirects=False)
        assert anonymous.status_code == 303, path
    admin = site.sign_in("admin")
    assert admin.get(f"{site.url}/conversations/shared").status_code == 404
    assert admin.get(transcript_url(site, "millbrook", "mill-recent")).status_code == 403


def test_every_transcript_view_is_audited(review_site: tuple[Site, Tracker]) -> None:
    site, _ = review_site
    audit = AuditLog(site.store.engine)

    def rows() -> int:
        with site.store.engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(audit_table)).scalar())

    before = rows()
    session = site.sign_in("mill-other")
    for _ in range(2):
        assert session.get(transcript_url(site, "millbrook", "mill-slot")).status_code == 200
    site.sign_in("brack-staff").get(transcript_url(site, "brackenbury", "mill-slot"))  # 404
    assert rows() == before + 2
    newest = audit.entries("millbrook")[0]
    assert (newest.username, newest.user_scope, newest.action, newest.subject) == (
        "mill-other",
        "millbrook",
        VIEW_TRANSCRIPT,
        conversation_key("mill-slot"),
    )
    assert "slot council words" not in repr(audit.entries())
