"""The insight pages as a real staff-site process over HTTP, reading a real SQLite
tracker store: figures per council over a period, charts with text alternatives and
tables, CSV export, and another council's staff refused."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import requests

from assistant.answers.seed import open_book
from assistant.answers.store import SHARED_SCOPE
from assistant.councils import default_registry
from assistant.database import make_engine
from assistant.isolation import free_port
from assistant.settings import PROJECT_ROOT, Settings
from assistant.staff.accounts import Accounts
from devtools.supervisor.services import staff_service
from devtools.supervisor.stack import Stack
from tests.support.staff import TOTP_SECRET
from tests.support.staff_site import PASSWORD, Site
from tests.support.trackers import DAY1, DAY2, Tracker

PERIOD = {"from": "2026-11-18", "to": "2026-11-19"}


@pytest.fixture(scope="module")
def insight_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Site, Tracker]]:
    workdir: Path = tmp_path_factory.mktemp("insight")
    settings = replace(
        Settings.from_env(),
        host="127.0.0.1",
        staff_port=free_port(),
        answers_db=f"sqlite:///{workdir}/answers.db",
        attempts_db=f"sqlite:///{workdir}/attempts.db",
        tracker_db=f"sqlite:///{workdir}/trackers.db",
    )
    book = open_book(settings.answers_db_url, PROJECT_ROOT / "domain.yml", default_registry())
    accounts = Accounts(book.store.engine)
    accounts.create_user("mill-staff", PASSWORD, "millbrook", totp_secret=TOTP_SECRET)
    accounts.create_user("brack-staff", PASSWORD, "brackenbury", totp_secret=TOTP_SECRET)
    accounts.create_user("admin", PASSWORD, SHARED_SCOPE, totp_secret=TOTP_SECRET)
    tracker = Tracker(make_engine(settings.tracker_db_url))
    script(tracker)
    stack = Stack([staff_service(settings)], log_dir=workdir / "logs")
    stack.start(timeout=60)
    yield Site(settings.staff_url, book.store), tracker
    stack.stop()


def script(tracker: Tracker) -> None:
    """Millbrook: 3 conversations on day 1, 1 on day 2; Brackenbury: 1 crisis."""
    for sender in ("m1", "m2", "m3"):
        tracker.user(sender, "bin_collection_day", DAY1, council="millbrook")
    tracker.user("m1", "nlu_fallback", DAY1 + 10, council="millbrook")
    tracker.bot("m1", "utter_human_handoff", DAY1 + 11)
    tracker.user("m2", "bin_missed", DAY1 + 20, council="millbrook")
    tracker.bot("m2", "utter_bin_missed_reported", DAY1 + 21)
    tracker.user("m1", "report_pothole", DAY2, council="millbrook")
    tracker.bot("m1", "utter_pothole_reported", DAY2 + 1)
    tracker.user("b1", "crisis_suicide", DAY1, council="brackenbury")
    tracker.bot("b1", "utter_crisis_suicide", DAY1 + 1)


def text_of(html: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</', html, re.S)
    assert found, testid
    return found.group(1).strip()


def test_figures_of_the_scripted_conversations(insight_site: tuple[Site, Tracker]) -> None:
    site, _ = insight_site
    page = site.sign_in("mill-staff").get(f"{site.url}/insight/millbrook", params=PERIOD)
    assert page.status_code == 200, page.text[:300]
    assert text_of(page.text, "conversations") == "4"  # m1 on both days
    assert text_of(page.text, "messages") == "6"
    assert text_of(page.text, "fell-back") == "1 (16.7% of messages)"
    assert text_of(page.text, "handoffs") == "1"
    requests_table = page.text.split('data-testid="top-requests"')[1].split("</table>")[0]
    assert re.search(r"bin collection day</th>\s*<td[^>]*>3<", requests_table)
    reports = page.text.split('data-testid="reports"')[1].split("</table>")[0]
    assert "Pothole" in reports and "Missed bin collection" in reports
    crisis = page.text.split('data-testid="crisis"')[1].split("</table>")[0]
    assert "None in this period" in crisis  # Brackenbury's crisis is not Millbrook's


def test_charts_have_text_alternatives_and_tables(insight_site: tuple[Site, Tracker]) -> None:
    site, _ = insight_site
    page = site.sign_in("mill-staff").get(f"{site.url}/insight/millbrook", params=PERIOD).text
    chart = page.split('data-testid="per-day-chart"')[0].rsplit("<svg", 1)[1]
    assert 'role="img"' in chart and "aria-labelledby" in chart
    assert "the most, 3, on 2026-11-18" in page
    assert "<caption" in page.split('data-testid="per-day"')[1]
    assert "https://" not in page.split("<body")[1].split("<footer")[0].replace(
        'href="https://', ""
    )  # no third-party resources
    assert "private words" not in page and "SW1A" not in page


def test_csv_export(insight_site: tuple[Site, Tracker]) -> None:
    site, _ = insight_site
    reply = site.sign_in("mill-staff").get(
        f"{site.url}/insight/millbrook/export.csv", params=PERIOD, timeout=10
    )
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/csv")
    assert "attachment" in reply.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(reply.text)))
    as_dict = {(r["day"], r["measure"], r["item"]): int(r["count"]) for r in rows}
    assert as_dict[("2026-11-18", "conversations", "")] == 3
    assert as_dict[("2026-11-19", "report", "Pothole")] == 1
    assert not any(r["measure"] == "crisis" for r in rows)


@pytest.mark.parametrize("path", ["/insight/millbrook", "/insight/millbrook/export.csv"])
def test_another_councils_staff_are_refused(insight_site: tuple[Site, Tracker], path: str) -> None:
    site, _ = insight_site
    reply = site.sign_in("brack-staff").get(f"{site.url}{path}", params=PERIOD, timeout=10)
    assert reply.status_code == 403
    assert "Pothole" not in reply.text
    anonymous = requests.get(f"{site.url}{path}", timeout=10, allow_redirects=False)
    assert anonymous.status_code == 303


def test_new_conversations_appear_on_the_next_view(insight_site: tuple[Site, Tracker]) -> None:
    site, tracker = insight_site
    session = site.sign_in("brack-staff")
    before = session.get(f"{site.url}/insight/brackenbury", params=PERIOD).text
    assert text_of(before, "conversations") == "1"
    tracker.user("b2", "crisis_homeless", DAY2, council="brackenbury")
    tracker.bot("b2", "utter_crisis_homeless", DAY2 + 1)
    after = session.get(f"{site.url}/insight/brackenbury", params=PERIOD).text
    assert text_of(after, "conversations") == "2"
    assert "Homelessness" in after.split('data-testid="crisis"')[1]


def test_administrators_see_every_council_together(insight_site: tuple[Site, Tracker]) -> None:
    site, _ = insight_site
    page = site.sign_in("admin").get(f"{site.url}/insight/shared", params=PERIOD).text
    assert int(text_of(page, "conversations")) >= 5


def test_bad_period_is_explained(insight_site: tuple[Site, Tracker]) -> None:
    site, _ = insight_site
    session = site.sign_in("mill-staff")
    reply = session.get(f"{site.url}/insight/millbrook", params={"from": "2026-13-01"})
    assert reply.status_code == 400 and "year-month-day" in reply.text
    backwards = {"from": "2026-11-19", "to": "2026-11-18"}
    reply = session.get(f"{site.url}/insight/millbrook", params=backwards)
    assert reply.status_code == 400 and "on or before" in reply.text
    today = dt.datetime.now(dt.timezone.utc).date()
    default = session.get(f"{site.url}/insight/millbrook").text
    assert f'value="{today}"' in default


def test_failed_questions_page_is_redacted_and_per_council(
    insight_site: tuple[Site, Tracker],
) -> None:
    site, tracker = insight_site
    tracker.user("m9", "nlu_fallback", DAY1 + 50, "millbrook", "dog licence for 07700 900123")
    tracker.user("b9", "nlu_fallback", DAY1 + 50, "brackenbury", "brackenbury only question")
    mill = site.sign_in("mill-staff").get(f"{site.url}/insight/millbrook/failed", params=PERIOD)
    assert mill.status_code == 200
    table = mill.text.split('data-testid="failed"')[1].split("</table>")[0]
    assert "dog licence for [phone number]" in table
    assert "07700" not in mill.text and "SW1A" not in mill.text  # the scripted fallback too
    assert "brackenbury only" not in mill.text
    refused = site.sign_in("brack-staff").get(
        f"{site.url}/insight/millbrook/failed", params=PERIOD, timeout=10
    )
    assert refused.status_code == 403 and "dog licence" not in refused.text
