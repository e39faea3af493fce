"""A member of staff changes an answer in a real headless browser (Debian's Chromium
driven by Playwright) and the next chat reply from the real Rasa server changes."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.database import make_engine
from assistant.migrations import migrate
from assistant.settings import Settings
from assistant.staff import totp
from assistant.staff.accounts import Accounts
from devtools.supervisor.stack import Stack
from tests.e2e.conftest import Chat
from tests.support.staff import TOTP_SECRET

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "browser test password"
QUESTION = "what are the library opening times"
LINK = "https://www.millbrook.example.gov.uk/libraries"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's Chromium is missing: run `make system-deps`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def millbrook_staff(running_stack: Stack, stack_settings: Settings) -> str:
    engine = make_engine(stack_settings.answers_db_url)
    migrate(engine)
    username = f"mill-{uuid.uuid4().hex[:8]}"
    Accounts(engine).create_user(username, PASSWORD, "millbrook", totp_secret=TOTP_SECRET)
    return username


def test_staff_edit_previews_saves_and_changes_the_next_reply(
    browser, chat: Chat, stack_settings: Settings, millbrook_staff: str
) -> None:
    resident = f"resident-{uuid.uuid4().hex[:8]}"
    before = chat.texts(resident, QUESTION, "millbrook")
    assert LINK in before  # the shared default, answered at once
    assert "Tuesday" not in before

    page = browser.new_page()
    page.goto(f"{stack_settings.staff_url}/sign-in")
    page.fill("#username", millbrook_staff)
    page.fill("#password", PASSWORD)
    page.fill("#code", totp.code_at(TOTP_SECRET))  # as the authenticator app shows it
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/answers/millbrook")
    assert "Millbrook District Council" in page.inner_text("[data-testid=signed-in-as]")
    # The GOV.UK Frontend stylesheet is served and applied.
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.govuk-header')).backgroundColor"
    ) in ("rgb(11, 12, 12)", "rgb(29, 112, 184)")

    # GOV.UK Frontend's JavaScript loaded under the site's Content-Security-Policy.
    page.wait_for_function("document.body.classList.contains('govuk-frontend-supported')")
    # Answers start in collapsed service groups; the search (a plain GET form) finds
    # the answer by its plain-English title and opens its group.
    assert not page.is_visible("#row-utter_library_info a")
    page.fill("#q", "libraries")
    page.click("button:has-text('Search')")
    page.wait_for_url("**/answers/millbrook?q=libraries*")
    assert "match" in page.inner_text("[data-testid=answer-count]")
    page.click("#row-utter_library_info a")
    assert "library_info" in page.inner_text("[data-testid=usage]")
    assert "{council_name}" in page.inner_text("[data-testid=council-placeholders]")
    new_text = (
        "Browser test: Millbrook libraries open late on Tuesday evenings. See {link_libraries}"
    )
    page.fill("#text", new_text)
    page.fill("#sms_text", "")
    page.click("button:has-text('Preview')")
    preview = page.inner_text("[data-testid=preview-web]")
    assert "Tuesday evenings" in preview
    assert page.get_attribute("[data-testid=preview-web] a", "href") == LINK
    assert "Tuesday evenings" in page.inner_text("[data-testid=preview-sms]")
    # Previewing saved nothing.
    assert "Tuesday" not in chat.texts(resident, QUESTION, "millbrook")

    page.click("button:has-text('Save answer')")
    page.wait_for_selector("[data-testid=saved]")
    page.close()

    after = chat.texts(resident, QUESTION, "millbrook")
    assert "Millbrook libraries open late on Tuesday evenings" in after
    assert LINK in after
    # Another council's residents are unaffected.
    assert "Tuesday" not in chat.texts(f"{resident}-b", QUESTION, "brackenbury")
