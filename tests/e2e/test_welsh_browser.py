"""Issue 13: the Welsh demo council's page and web chat in Debian's Chromium: a page in
Welsh with the active offer, a Welsh conversation to a bin day, the language switch
(and it surviving a reload), a keyboard-only conversation through the switch, and axe-core
with no violations and a contrast check of every control at 1024 and 320 px.
Needs the Welsh NLU of branch `cynlu` (the resident types Welsh)."""

from __future__ import annotations

import json
import re

import pytest

from assistant.settings import PROJECT_ROOT, Settings
from tests.e2e.test_webchat_browser import (  # noqa: F401 (browser, context: fixtures)
    INPUT,
    REPLY,
    TIMEOUT,
    axe_violations,
    browser,
    context,
    contrast_failures,
    open_page,
    say,
    wait_for_bot_text,
)
from tests.e2e.test_welsh_conversations import WELSH_DATE, needs_welsh_nlu

pytestmark = [pytest.mark.e2e, needs_welsh_nlu]

COUNCIL = "abercoed"
WELSH_NAME = "Cyngor Bwrdeistref Sirol Abercoed"
SWITCH = ".chat-language"


def tab_to(page, script: str, reverse: bool = False, presses: int = 25) -> None:
    """Press Tab (or Shift+Tab) until `script` is true of the focused element."""
    for _ in range(presses):
        if page.evaluate(f"(el => {script})(document.activeElement)"):
            return
        page.keyboard.press("Shift+Tab" if reverse else "Tab")
    pytest.fail(f"the keyboard never reached {script}")


def test_a_keyboard_only_conversation_with_the_language_switch(
    context,  # noqa: F811 (the imported fixture)
    stack_settings: Settings,
) -> None:
    page = open_page(context, stack_settings, COUNCIL)
    wait_for_bot_text(page, f"Helo, fi yw cynorthwyydd ar-lein {WELSH_NAME}")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    # The switch is reached with Tab and works with Enter; focus goes to the message box.
    tab_to(page, "el.classList.contains('chat-language')")
    page.keyboard.press("Enter")
    page.wait_for_selector(".chat-widget[lang='en']", timeout=TIMEOUT)
    wait_for_bot_text(page, "carry on in English")
    assert page.evaluate("document.activeElement.id") == "chat-input"
    page.keyboard.type("help")
    page.keyboard.press("Enter")
    page.wait_for_selector(REPLY, timeout=TIMEOUT)
    tab_to(page, "el.textContent === 'Pay council tax'", reverse=True)
    page.keyboard.press("Enter")
    wait_for_bot_text(page, "https://www.abercoed.example.gov.uk/council-tax/pay")
    assert page.evaluate("document.activeElement.id") == "chat-input"
    # And back to Welsh with Space, still without a mouse.
    tab_to(page, "el.classList.contains('chat-language')", reverse=True)
    page.keyboard.press("Space")
    page.wait_for_selector(".chat-widget[lang='cy']", timeout=TIMEOUT)
    wait_for_bot_text(page, "Iawn, fe wna i barhau yn Gymraeg.")
    assert page.evaluate("document.activeElement.id") == "chat-input"
    assert page.get_by_role("textbox", name="Eich cwestiwn").is_visible()


def test_a_welsh_conversation_to_a_bin_day_and_the_language_switch(
    context,  # noqa: F811 (the imported fixture)
    stack_settings: Settings,
) -> None:
    page = open_page(context, stack_settings, COUNCIL)
    wait_for_bot_text(page, f"Helo, fi yw cynorthwyydd ar-lein {WELSH_NAME}")
    wait_for_bot_text(page, "Hello, I'm the Abercoed County Borough Council")
    assert page.get_attribute("html", "lang") == "cy"
    assert page.get_attribute(".chat-widget", "lang") == "cy"
    assert page.get_by_role("textbox", name="Eich cwestiwn").is_visible()
    assert page.get_by_role("button", name="Anfon").count() == 1
    switch = page.locator(SWITCH)
    assert switch.inner_text() == "English" and switch.get_attribute("lang") == "en"
    assert switch.evaluate("el => el.tagName") == "BUTTON"

    # A Welsh conversation to a bin day.
    say(page, "Pryd mae fy miniau'n cael eu casglu?")
    wait_for_bot_text(page, "Beth yw cod post y cyfeiriad?")
    say(page, "CQ1 2AB")
    page.get_by_role("button", name=re.compile("^7 Heol y Felin")).click(timeout=TIMEOUT)
    wait_for_bot_text(page, "Y casgliadau nesaf yn 7 Heol y Felin")
    last = page.locator(".chat-msg--bot .chat-msg__text").last.inner_text()
    assert WELSH_DATE.search(last) and "Sbwriel (bin olwynion du)" in last, last

    # The switch: it says "English" to the assistant and the interface follows.
    switch.click()
    assert page.locator(".chat-msg--user").last.inner_text().endswith("English")
    assert page.get_attribute(".chat-widget", "lang") == "en"
    assert page.get_by_role("textbox", name="Your question").is_visible()
    assert switch.inner_text() == "Cymraeg" and switch.get_attribute("lang") == "cy"
    wait_for_bot_text(page, "carry on in English")
    say(page, "when is my bin collected?")
    # The address chosen a moment ago is remembered: the answer comes at once, in English.
    wait_for_bot_text(page, "Next collections at 7 Heol y Felin")
    last = page.locator(".chat-msg--bot .chat-msg__text").last.inner_text()
    assert "Rubbish (black wheelie bin): Tuesday" in last, last
    # A reload keeps the chosen language.
    page.reload()
    page.wait_for_selector(".chat-widget[lang='en']", timeout=TIMEOUT)
    assert page.locator(SWITCH).inner_text() == "Cymraeg"
    assert page.external_requests == []


@pytest.mark.parametrize("width", [1024, 320])
def test_axe_finds_no_violations_on_the_welsh_page(
    browser,  # noqa: F811 (the imported fixture)
    running_stack,
    stack_settings: Settings,
    width: int,
) -> None:
    wide = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
    try:
        page = open_page(wide, stack_settings, COUNCIL)
        wait_for_bot_text(page, WELSH_NAME)
        say(page, "dw i angen help")
        page.wait_for_selector(REPLY, timeout=TIMEOUT)
        assert page.locator(REPLY).first.inner_text() == "Talu'r dreth gyngor"
        violations = axe_violations(page)
        report = PROJECT_ROOT / "reports" / "axe"
        report.mkdir(parents=True, exist_ok=True)
        (report / f"{COUNCIL}-{width}.json").write_text(json.dumps(violations, indent=2))
        assert [f"{v['id']}: {v['help']}" for v in violations] == []
        # Every control, the language switch and the Welsh quick replies included.
        checked, failures = contrast_failures(page)
        assert failures == [], failures
        kinds = {name.split(" ")[0] for name in checked}
        assert {"button.chat-language", "button.chat-reply", "button.chat-send"} <= kinds, kinds
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        box = page.locator(INPUT).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        switch = page.locator(SWITCH).bounding_box()
        assert switch is not None and switch["x"] + switch["width"] <= width
        assert switch["height"] >= 44  # a target big enough to tap (WCAG 2.5.8)
    finally:
        wide.close()
