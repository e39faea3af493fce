"""Issue 15, items 5 and 6, in a real headless browser (Debian's Chromium through
Playwright) against the whole stack: a council administrator signs in with TOTP,
changes the council's phone number and the next REST reply gives the new one; adds
a notice that goes before the answer; invites someone who sets up a password and an
authenticator app and signs in with it. axe-core finds no violations on the new pages.
Issue 13: the staff site in Welsh, through the header's switch, with no violations."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator

import pytest

from assistant.answers.details_store import DetailStore
from assistant.answers.notices import NoticeStore, london_today
from assistant.database import make_engine
from assistant.migrations import migrate
from assistant.settings import Settings
from assistant.staff import totp
from assistant.staff.accounts import Accounts
from devtools.supervisor.stack import Stack
from tests.e2e.conftest import Chat
from tests.e2e.test_staff_browser import CHROMIUM
from tests.e2e.test_webchat_browser import AXE, axe_violations
from tests.support.staff import TOTP_SECRET, fresh_code

pytestmark = pytest.mark.e2e

PASSWORD = "browser admin password"
QUESTION = "how do I register a birth"
OLD_PHONE = "01632 960 100"  # councils/brackenbury/council.yml
NEW_PHONE = "01632 961 777"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's Chromium is missing: run `make system-deps`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def brackenbury_admin(running_stack: Stack, stack_settings: Settings) -> Iterator[str]:
    engine = make_engine(stack_settings.answers_db_url)
    migrate(engine)
    username = f"brack-admin-{uuid.uuid4().hex[:6]}"
    Accounts(engine).create_user(
        username, PASSWORD, "brackenbury", role="admin", totp_secret=TOTP_SECRET
    )
    yield username
    # Other tests of the shared stack expect council.yml's details.
    DetailStore(engine).save("brackenbury", {"council_phone": None}, "test cleanup")
    for notice in NoticeStore(engine).listed("brackenbury"):
        NoticeStore(engine).remove("brackenbury", notice.id, "test cleanup")


@pytest.fixture(scope="module")
def abercoed_staff(running_stack: Stack, stack_settings: Settings) -> Iterator[str]:
    """A member of staff of the bilingual demo council (issue 13)."""
    engine = make_engine(stack_settings.answers_db_url)
    migrate(engine)
    username = f"aber-staff-{uuid.uuid4().hex[:6]}"
    Accounts(engine).create_user(username, PASSWORD, "abercoed", totp_secret=TOTP_SECRET)
    yield username


def sign_in(page, settings: Settings, username: str, password: str) -> None:
    """Sign in as the authenticator app would. Each code works once and the admin signs
    in more than once within 30 seconds, so the last code used is forgotten first."""
    engine = make_engine(settings.answers_db_url)
    code = fresh_code(engine, username)
    engine.dispose()
    page.goto(f"{settings.staff_url}/sign-in")
    page.fill("#username", username)
    page.fill("#password", password)
    page.fill("#code", code)
    page.click("button:has-text('Sign in')")
    page.wait_for_selector("[data-testid=signed-in-as]")


def no_violations(page) -> None:
    found = axe_violations(page)
    assert found == [], [f"{v['id']}: {v['help']}" for v in found]


def test_admin_changes_the_phone_number_and_the_next_reply_has_it(
    browser,
    chat: Chat,
    stack_settings: Settings,
    brackenbury_admin: str,
) -> None:
    assert AXE.exists(), "axe-core is missing: run `npm ci`"
    resident = f"resident-{uuid.uuid4().hex[:8]}"
    before = chat.texts(resident, QUESTION, "brackenbury")
    assert OLD_PHONE in before and NEW_PHONE not in before

    context = browser.new_context(bypass_csp=True)  # axe's script is injected inline
    page = context.new_page()
    sign_in(page, stack_settings, brackenbury_admin, PASSWORD)
    page.click("a:has-text('Council details')")
    page.wait_for_url("**/details/brackenbury")
    no_violations(page)
    page.fill("#council_phone", "+33 1 23 45 67 89")
    page.click("button:has-text('Save details')")
    assert "international numbers start +44" in page.inner_text(".govuk-error-summary")
    assert page.input_value("#council_phone") == "+33 1 23 45 67 89"  # kept
    no_violations(page)  # the page with its errors too
    page.fill("#council_phone", NEW_PHONE)
    page.click("button:has-text('Save details')")
    page.wait_for_url("**/details/brackenbury?saved=1")
    assert "Changed by us" in page.inner_text("[data-testid=detail-council_phone]")
    # Enter in another box saves the form; it does not press "Use the original".
    page.press("#council_opening_hours", "Enter")
    page.wait_for_url("**/details/brackenbury?saved=1")
    assert page.input_value("#council_phone") == NEW_PHONE

    after = chat.texts(resident, QUESTION, "brackenbury")
    assert NEW_PHONE in after and OLD_PHONE not in after  # no restart
    assert NEW_PHONE not in chat.texts(f"{resident}-m", QUESTION, "wealdshire")

    # A notice for this answer, today only (UK time), goes before it.
    page.click("a:has-text('Notices')")
    page.wait_for_url("**/notices/brackenbury")
    no_violations(page)
    page.fill("#text", "Register office closed on Friday for training.")
    day = london_today()
    for prefix in ("starts", "ends"):
        page.fill(f"#{prefix}-day", str(day.day))
        page.fill(f"#{prefix}-month", str(day.month))
        page.fill(f"#{prefix}-year", str(day.year))
    page.check("#response-utter_register_birth")
    page.click("button:has-text('Add notice')")
    page.wait_for_url("**/notices/brackenbury?saved=1")
    noticed = chat.texts(f"{resident}-n", QUESTION, "brackenbury")
    assert noticed.startswith("Register office closed on Friday for training.")

    page.click("a:has-text('Your sessions')")
    page.wait_for_url("**/sessions")
    no_violations(page)
    context.close()


def test_an_invited_user_sets_up_totp_and_signs_in(
    browser,
    stack_settings: Settings,
    brackenbury_admin: str,
) -> None:
    url = stack_settings.staff_url
    admin = browser.new_context(bypass_csp=True)
    page = admin.new_page()
    sign_in(page, stack_settings, brackenbury_admin, PASSWORD)
    page.click("a:has-text('Accounts')")
    page.wait_for_url("**/accounts/brackenbury")
    no_violations(page)
    invitee = f"new-{uuid.uuid4().hex[:6]}"
    page.fill("#username", invitee)
    page.click("button:has-text('Create invite link')")
    link = page.inner_text("[data-testid=link]").strip()
    assert link.startswith(f"{url}/setup/")
    no_violations(page)
    admin.close()

    newcomer = browser.new_context(bypass_csp=True)
    page = newcomer.new_page()
    page.goto(link)
    no_violations(page)
    secret = re.sub(r"\s", "", page.inner_text("[data-testid=totp-secret]"))
    page.fill("#password", "my own long passphrase")
    page.fill("#confirm", "my own long passphrase")
    set_up_at = time.time()
    setup_code = totp.code_at(secret, set_up_at)
    page.fill("#code", setup_code)
    page.click("button:has-text('Save and continue to sign in')")
    page.wait_for_url("**/sign-in?ready=1")
    # The code just used to set up is refused; the next step's code is accepted.
    page.fill("#username", invitee)
    page.fill("#password", "my own long passphrase")
    page.fill("#code", setup_code)
    page.click("button:has-text('Sign in')")
    assert "security code" in page.inner_text(".govuk-error-summary")
    page.fill("#password", "my own long passphrase")
    page.fill("#code", totp.code_at(secret, set_up_at + totp.STEP_SECONDS))
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/answers/brackenbury")
    assert invitee in page.inner_text("[data-testid=signed-in-as]")
    assert "Accounts" not in page.inner_text("nav[aria-label='Staff pages']")  # staff, not admin
    newcomer.close()


def test_the_staff_site_in_welsh_through_the_switch(
    browser,
    stack_settings: Settings,
    abercoed_staff: str,
) -> None:
    context = browser.new_context(bypass_csp=True)  # axe's script is injected inline
    page = context.new_page()
    sign_in(page, stack_settings, abercoed_staff, PASSWORD)
    assert page.get_attribute("html", "lang") == "en"
    page.click("[data-testid=language-switch] a[lang=cy]")
    page.wait_for_function("document.documentElement.lang === 'cy'")
    assert page.url.endswith("/answers/abercoed")  # back on the same page
    assert "Wedi mewngofnodi fel" in page.inner_text("[data-testid=signed-in-as]")
    page.click("a:has-text('Manylion y cyngor')")  # the choice is kept
    page.wait_for_url("**/details/abercoed")
    assert page.get_attribute("html", "lang") == "cy"
    assert page.inner_text("h1") == "Manylion y cyngor"
    welsh_hours = page.locator("[id='council_opening_hours@cy']")
    assert welsh_hours.get_attribute("lang") == "cy" and welsh_hours.input_value()
    no_violations(page)
    page.click("[data-testid=language-switch] a[lang=en]")
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.url.endswith("/details/abercoed") and page.inner_text("h1") == "Council details"
    context.close()
