"""Issue 12, item 2, done-when: a resident pays council tax from the web chat in a real
browser (Debian's Chromium driven by Playwright). The chat's link is the assistant's
own payment page; it starts the payment on the demo GOV.UK Pay, whose card page takes
the payment and returns to the payment's own return page, which shows Pay's outcome;
the chat then confirms the payment."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from assistant.settings import Settings
from devtools.supervisor.stack import Stack
from tests.e2e.test_webchat_browser import bot_texts, browser, open_page, say, wait_for_bot_text

pytestmark = pytest.mark.e2e

__all__ = ["browser"]  # the module-scoped Chromium fixture, shared
LINK = re.compile(r"GOV\.UK Pay here: (\S+)")
TIMEOUT = 30_000


@pytest.fixture()
def pay_context(browser, running_stack: Stack) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1024, "height": 900})
    yield context
    context.close()


def payment_link(page) -> str:
    for text in bot_texts(page):
        found = LINK.search(text)
        if found:
            return found.group(1).rstrip(".")
    pytest.fail(f"no payment link; the bot said: {bot_texts(page)}")


def test_resident_pays_council_tax_from_the_web_chat(pay_context, stack_settings: Settings):
    chat = open_page(pay_context, stack_settings, "millbrook")
    wait_for_bot_text(chat, "Millbrook District Council")
    say(chat, "i want to pay my council tax")
    wait_for_bot_text(chat, "council tax account reference")
    say(chat, "400123456")
    wait_for_bot_text(chat, "postcode")
    say(chat, "MQ3 7ZD")
    wait_for_bot_text(chat, "Shall I make a GOV.UK Pay link")
    chat.get_by_role("button", name="Yes").last.click()
    wait_for_bot_text(chat, "GOV.UK Pay here")
    link = payment_link(chat)
    assert link.startswith(f"{stack_settings.web_url}/pay/"), link

    # The assistant's page: what is to be paid, and a button (a preview starts nothing).
    pay = pay_context.new_page()
    pay.goto(link)
    assert pay.get_by_role("heading", name="Pay your council tax").is_visible()
    assert "£312.50" in pay.inner_text("main")
    pay.get_by_role("button", name="Continue to payment").click()
    # The demo GOV.UK Pay card page, reached by the 303 to Pay's next_url.
    pay.wait_for_url(re.compile(r"/millbrook/pay/secure/"), timeout=TIMEOUT)
    assert pay.inner_text("#amount") == "£312.50"
    pay.get_by_role("button", name="Confirm payment").click()
    # The payment's own return page shows Pay's state.
    pay.wait_for_url(re.compile(r"/pay/return/"), timeout=TIMEOUT)
    panel = pay.locator(".govuk-panel").inner_text()
    assert "Payment received" in panel and "£312.50" in panel
    assert "GOV.UK Pay payment reference" in pay.inner_text("main")

    # The chat knows at the resident's next message.
    say(chat, "thanks")
    wait_for_bot_text(chat, "your payment of £312.50 was received")
