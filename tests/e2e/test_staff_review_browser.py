"""Staff review in a real headless browser (Debian's Chromium driven by Playwright),
against the real stack: a resident's question the assistant did not understand is
marked "should have been <request>" by Millbrook's staff, seen in the administrator's
queue and in the Rasa NLU YAML export; the conversation is read as a redacted
transcript; axe-core finds no violations on the new pages."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from assistant.database import make_engine
from assistant.insight.rules import load_rules
from assistant.insight.summary import conversation_key
from assistant.migrations import migrate
from assistant.settings import Settings
from assistant.staff.accounts import Accounts
from tests.e2e.conftest import Chat
from tests.e2e.test_webchat_browser import AXE, axe_violations
from tests.support.staff import TOTP_SECRET, fresh_code

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "review browser password"
# Not a council matter (the weather), with a postcode and a phone number in it.
QUESTION = "will it be sunny near SW1A 1AA tomorrow? text me on 07700 900123"
SECRETS = ("SW1A", "07700", "900123")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's Chromium is missing: run `make system-deps`")
    assert AXE.exists(), "axe-core is missing: run `npm ci`"
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
def accounts(running_stack: object, stack_settings: Settings) -> dict[str, str]:
    engine = make_engine(stack_settings.answers_db_url)
    migrate(engine)
    suffix = uuid.uuid4().hex[:8]
    names = {"staff": f"mill-review-{suffix}", "admin": f"admin-review-{suffix}"}
    Accounts(engine).create_user(names["staff"], PASSWORD, "millbrook", totp_secret=TOTP_SECRET)
    Accounts(engine).create_user(names["admin"], PASSWORD, "_shared", totp_secret=TOTP_SECRET)
    return names


def stored_intent(workdir: Path, sender: str) -> str:
    engine = sqlalchemy.create_engine(f"sqlite:///{workdir / 'trackers.db'}")
    with engine.connect() as connection:
        data = connection.execute(
            sqlalchemy.text(
                "SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' "
                "ORDER BY id DESC LIMIT 1"
            ),
            {"s": sender},
        ).scalar()
    engine.dispose()
    return str(json.loads(data)["parse_data"]["intent"]["name"])


def sign_in(browser, settings: Settings, username: str):  # type: ignore[no-untyped-def]
    # bypass_csp: axe-core is injected inline (the CSP is tested elsewhere).
    context = browser.new_context(viewport={"width": 1024, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{settings.staff_url}/sign-in")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    engine = make_engine(settings.answers_db_url)
    page.fill("#code", fresh_code(engine, username))  # as the authenticator app shows it
    engine.dispose()
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/answers/**")
    return context, page


def no_axe_violations(page, name: str) -> None:  # type: ignore[no-untyped-def]
    found = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in axe_violations(page)
    ]
    assert found == [], f"{name}: {found}"


def test_mark_review_export_and_read_the_redacted_transcript(
    browser, chat: Chat, stack_settings: Settings, stack_workdir: Path, accounts: dict[str, str]
) -> None:
    resident = f"review-{uuid.uuid4().hex[:8]}"
    chat.say(resident, QUESTION, "millbrook")
    sender = chat.conversation(resident)
    intent = stored_intent(stack_workdir, sender)
    assert intent in load_rules().fallback_intents, f"understood as {intent}: pick another"

    context, page = sign_in(browser, stack_settings, accounts["staff"])
    page.goto(f"{stack_settings.staff_url}/insight/millbrook/failed")
    row = page.locator("[data-testid=failed] tbody tr", has_text="will it be sunny near")
    shown = row.locator("td").first.inner_text()
    assert "[postcode]" in shown and "[phone number]" in shown
    assert not any(secret in page.content() for secret in SECRETS)
    no_axe_violations(page, "failed questions")
    row.locator("select").select_option("out_of_scope")
    row.locator("button:has-text('Send for review')").click()
    page.wait_for_selector("[data-testid=added]")
    assert "Not something the council does" in page.inner_text("[data-testid=suggestions]")
    no_axe_violations(page, "suggestions (staff)")

    # The conversation, by day and then as a redacted transcript.
    page.click("nav >> text=Conversations")
    page.wait_for_url("**/conversations/millbrook")
    no_axe_violations(page, "conversation days")
    page.locator("[data-testid=days] a").first.click()
    page.wait_for_url("**/conversations/millbrook/20*")
    no_axe_violations(page, "conversations of a day")
    page.click(f"a[href$='/c/{conversation_key(sender)}']")
    page.wait_for_selector("[data-testid=transcript]")
    transcript = page.inner_text("[data-testid=transcript]")
    assert "will it be sunny near [postcode] tomorrow" in transcript
    assert "Resident" in transcript and "Assistant" in transcript
    assert not any(secret in page.content() for secret in SECRETS)
    no_axe_violations(page, "transcript")
    context.close()

    context, page = sign_in(browser, stack_settings, accounts["admin"])
    page.goto(f"{stack_settings.staff_url}/review/suggestions?status=pending")
    item = page.locator("[data-testid=suggestions] tbody tr", has_text="will it be sunny near")
    assert "Millbrook District Council" in item.inner_text()
    no_axe_violations(page, "suggestions (administrator)")
    item.locator("button:has-text('Accept')").click()
    page.wait_for_url("**/review/suggestions?status=pending")
    with page.expect_download() as download:
        page.click("[data-testid=export]")
    document = Path(download.value.path()).read_text(encoding="utf-8")
    examples = RasaYAMLReader().reads(document).intent_examples
    assert (
        "will it be sunny near [postcode] tomorrow? text me on [phone number]",
        "out_of_scope",
    ) in [(m.get("text"), m.get("intent")) for m in examples]
    assert not any(secret in document for secret in SECRETS)
    context.close()
