"""The insight page in a real headless browser (Debian's Chromium driven by Playwright),
against the real stack: a scripted set of resident conversations (a pothole filed with
the resident's yes, a handoff, a crisis route, a question the assistant cannot answer)
moves Brackenbury's figures by exactly what was said, in the tables and the CSV, and
axe-core finds no violations on the page (issue 15, item 2)."""

from __future__ import annotations

import csv
import io
import uuid
from pathlib import Path

import pytest
import requests

from assistant.database import make_engine
from assistant.migrations import migrate
from assistant.settings import Settings
from assistant.staff.accounts import Accounts
from tests.e2e.conftest import Chat
from tests.e2e.test_staff_review_browser import (  # noqa: F401 (the imported fixture)
    PASSWORD,
    browser,
    no_axe_violations,
    sign_in,
)
from tests.support.staff import TOTP_SECRET

pytestmark = pytest.mark.e2e

COUNCIL = "brackenbury"


@pytest.fixture(scope="module")
def staff_user(running_stack: object, stack_settings: Settings) -> str:
    engine = make_engine(stack_settings.answers_db_url)
    migrate(engine)
    name = f"brack-insight-{uuid.uuid4().hex[:8]}"
    Accounts(engine).create_user(name, PASSWORD, COUNCIL, totp_secret=TOTP_SECRET)
    engine.dispose()
    return name


def figures(page) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """The page's totals and table rows, by name: what staff read."""
    found = {
        key: int(page.inner_text(f"[data-testid={key}]").split()[0])
        for key in ("conversations", "messages", "fell-back", "handoffs")
    }
    for table in ("reports", "crisis"):
        for row in page.locator(f"[data-testid={table}] tbody tr").all():
            cells = row.locator("th, td").all_inner_texts()
            if len(cells) >= 2 and cells[1].strip().isdigit():
                found[f"{table}: {cells[0].strip()}"] = int(cells[1])
    return found


def script(chat: Chat) -> None:
    """Three residents: a pothole filed and a handoff, a crisis, a weather question."""
    first = f"insight-{uuid.uuid4().hex[:8]}"
    assert "Where is it?" in chat.texts(first, "there's a pothole on my road", COUNCIL)
    assert "Shall I report" in chat.texts(first, "outside 3 Mill Street", COUNCIL)
    assert "Your reference is" in chat.texts(first, "yes", COUNCIL)
    assert "01632 960 100" in chat.texts(first, "can I speak to a person please", COUNCIL)
    crisis = chat.texts(f"insight-{uuid.uuid4().hex[:8]}", "my partner hits me", COUNCIL)
    assert "0808 2000 247" in crisis  # the National Domestic Abuse Helpline
    chat.texts(f"insight-{uuid.uuid4().hex[:8]}", "will it be sunny on saturday?", COUNCIL)


def test_scripted_conversations_move_the_figures_by_what_was_said(
    browser,  # noqa: F811 (the imported fixture)
    chat: Chat,
    stack_settings: Settings,
    staff_user: str,
    tmp_path: Path,
) -> None:
    context, page = sign_in(browser, stack_settings, staff_user)
    page.goto(f"{stack_settings.staff_url}/insight/{COUNCIL}")
    before = figures(page)
    script(chat)
    page.reload()
    after = figures(page)
    moved = {key: after.get(key, 0) - before.get(key, 0) for key in after}
    assert moved["conversations"] == 3
    assert moved["messages"] == 6
    assert moved["fell-back"] >= 1  # the weather question (a form's answer may count too)
    assert moved["handoffs"] == 1
    assert moved["reports: Pothole"] == 1
    assert moved["crisis: Domestic abuse"] == 1
    assert not any("Mill Street" in text for text in page.locator("main").all_inner_texts())
    no_axe_violations(page, "insight")
    # The CSV says the same as the page.
    cookies = {c["name"]: c["value"] for c in context.cookies()}
    href = page.get_attribute("[data-testid=csv]", "href")
    body = requests.get(f"{stack_settings.staff_url}{href}", cookies=cookies, timeout=30).text
    rows = list(csv.DictReader(io.StringIO(body)))
    potholes = sum(int(row["count"]) for row in rows if row["item"] == "Pothole")
    assert potholes == after["reports: Pothole"], rows
    context.close()
