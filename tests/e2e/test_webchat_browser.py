"""The web chat in a real browser: Debian's Chromium driven by Playwright, the
first-party widget (assistant/web/static/chat/) on each demo council's page, talking
socket.io to the real Rasa. Finding 8 of issue 10: a hostile answer renders no image,
no script and no javascript: link, and the page's CSP stops inline script."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import playwright.sync_api as playwright_api
import pytest
import sqlalchemy

from assistant.answers.store import AnswerStore
from assistant.database import make_engine
from assistant.settings import PROJECT_ROOT, Settings
from devtools.supervisor.stack import Stack
from tests.support.council_checks import contrast

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
COUNCILS = {
    "brackenbury": {
        "name": "Brackenbury Borough Council",
        "postcode": "BK1 2AB",
        "address": "14 Rose Lane",  # one of several: chosen with a quick-reply button
        "pay_link": "https://www.brackenbury.example.gov.uk/council-tax/pay",
    },
    "millbrook": {
        "name": "Millbrook District Council",
        "postcode": "MQ3 7ZD",
        "address": None,  # the only address at the postcode: no question
        "pay_link": "https://www.millbrook.example.gov.uk/pay/council-tax",
    },
}
BOT = ".chat-msg--bot .chat-msg__text"
INPUT = "#chat-input"
REPLY = ".chat-reply"
TIMEOUT = 30_000  # ms: the first reply waits for Rasa and the action server


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    assert CHROMIUM.exists(), "Debian's Chromium is missing: run `make system-deps`"
    assert AXE.exists(), "axe-core is missing: run `npm ci`"
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture()
def context(browser, running_stack: Stack):
    context = browser.new_context(viewport={"width": 1024, "height": 900})
    yield context
    context.close()


def open_page(context, settings: Settings, council: str):
    page = context.new_page()
    external: list[str] = []
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith(("http://127.0.0.1", "http://localhost", "data:"))
            else external.append(request.url)
        ),
    )
    page.external_requests = external
    page.goto(f"{settings.web_url}/{council}/")
    return page


def wait_for_bot_text(page, needle: str) -> None:
    try:
        page.wait_for_function(
            """([selector, needle]) => [...document.querySelectorAll(selector)]
                .some((el) => el.textContent.includes(needle))""",
            arg=[BOT, needle],
            timeout=TIMEOUT,
        )
    except playwright_api.TimeoutError:
        pytest.fail(f"no reply containing {needle!r}; the bot said: {bot_texts(page)}")


def bot_texts(page) -> list[str]:
    return [el.text_content() or "" for el in page.query_selector_all(BOT)]


def say(page, text: str) -> None:
    page.fill(INPUT, text)
    page.press(INPUT, "Enter")


def axe_violations(page) -> list[dict]:
    """axe-core's findings; its script is injected inline, so the page's context
    must be made with bypass_csp=True (the CSP itself is tested separately)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    return result["violations"]


def described(violations: list[dict]) -> list[str]:
    """Every axe violation, whatever its impact (issue 13: "no violations")."""
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:3])
        for v in violations
    ]


# Each visible control of the widget: its text colour, its own background, the
# background around it, its border and its focus indicator (computed styles).
CONTROL_STYLES = """(root) => {
  const solid = (c) => c && c !== "transparent" && !/rgba\\(.*,\\s*0\\)$/.test(c);
  const backgroundOf = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const bg = getComputedStyle(node).backgroundColor;
      if (solid(bg)) return bg;
    }
    return "rgb(255, 255, 255)";
  };
  const controls = [...document.querySelectorAll(root)].filter((el) => el.offsetParent);
  return controls.map((el) => {
    const style = getComputedStyle(el);
    const border = parseFloat(style.borderTopWidth) > 0 && style.borderTopStyle !== "none";
    el.focus();
    const focused = getComputedStyle(el);
    const ring = {outline: focused.outlineColor, width: focused.outlineWidth,
                  shadow: focused.boxShadow};
    el.blur();
    return {
      name: `${el.tagName.toLowerCase()}.${el.className} ${(el.textContent || el.placeholder
        || el.getAttribute("aria-label") || "").trim().slice(0, 30)}`,
      kind: el.tagName === "A" ? "link" : "control",
      text: style.color, fill: backgroundOf(el), around: backgroundOf(el.parentElement),
      border: border ? style.borderTopColor : null, ring,
    };
  });
}"""
WIDGET_CONTROLS = "#webchat button, #webchat input, #webchat textarea, #webchat a[href]"


def first_colour(css: str) -> str | None:
    """#rrggbb of the first rgb()/rgba() colour in a computed style value."""
    found = re.search(r"rgba?\([^)]*\)", css or "")
    return rgb_hex(found.group(0)) if found else None


def contrast_failures(page) -> tuple[list[str], list[str]]:
    """(names of the controls checked, WCAG 1.4.3 / 1.4.11 / 2.4.13 failures): text 4.5:1
    on its background; a control's boundary (border or fill) 3:1 against what is around
    it; a focus indicator (outline or its dark ring) 3:1 against what is around it."""
    failures, names = [], []
    for control in page.evaluate(CONTROL_STYLES, WIDGET_CONTROLS):
        name, fill, around = control["name"], rgb_hex(control["fill"]), rgb_hex(control["around"])
        names.append(name)
        text = contrast(rgb_hex(control["text"]), fill)
        if text < 4.5:
            failures.append(f"{name}: text {text:.2f}:1")
        if control["kind"] == "control":
            edges = [contrast(fill, around)]
            if control["border"]:
                edges.append(contrast(rgb_hex(control["border"]), around))
            if max(edges) < 3:
                failures.append(f"{name}: boundary {max(edges):.2f}:1")
        ring = control["ring"]
        rings = [first_colour(ring["outline"]) if ring["width"] != "0px" else None]
        rings.append(first_colour(ring["shadow"]) if ring["shadow"] != "none" else None)
        best = max((contrast(c, around) for c in rings if c), default=0.0)
        if best < 3:
            failures.append(f"{name}: focus indicator {best:.2f}:1")
    return names, failures


def user_metadata(workdir: Path, session_id: str) -> list[dict]:
    """The metadata of every user message stored for the conversation `session_id`."""
    engine = sqlalchemy.create_engine(f"sqlite:///{workdir / 'trackers.db'}")
    with engine.connect() as connection:
        rows = connection.execute(
            sqlalchemy.text(
                "SELECT data FROM events WHERE sender_id = :sender AND type_name = 'user'"
            ),
            {"sender": session_id},
        ).fetchall()
    engine.dispose()
    return [json.loads(row[0]).get("metadata") or {} for row in rows]


@pytest.mark.parametrize("council_id", sorted(COUNCILS))
def test_resident_chats_with_their_council(
    context, stack_settings: Settings, stack_workdir: Path, council_id: str
):
    council = COUNCILS[council_id]
    page = open_page(context, stack_settings, council_id)
    # The page's custom data binds the conversation from the first message.
    wait_for_bot_text(page, council["name"])
    say(page, "when is my bin collected")
    wait_for_bot_text(page, "postcode")
    say(page, council["postcode"])
    if council["address"] is not None:
        page.get_by_role("button", name=council["address"]).click()
    wait_for_bot_text(page, "Next collections at")
    say(page, "help")
    page.wait_for_selector(REPLY, timeout=TIMEOUT)
    page.get_by_role("button", name="Pay council tax").click()
    wait_for_bot_text(page, council["pay_link"])
    # No third-party requests.
    assert page.external_requests == []
    # The widget's customData reached the tracker as each user message's metadata.
    stored = page.evaluate(f"sessionStorage.getItem('chat_session:{council_id}')")
    credential = json.loads(stored)["session_id"]
    metadata = user_metadata(stack_workdir, "web-" + credential.split(".")[0])
    assert metadata and all(m.get("council") == council_id for m in metadata), metadata

    # A reload within the session keeps the conversation...
    before = bot_texts(page)
    page.reload()
    wait_for_bot_text(page, council["pay_link"])
    assert bot_texts(page)[: len(before)] == before
    say(page, "thanks")
    page.wait_for_function(
        "(n) => document.querySelectorAll('.chat-msg--bot').length > n",
        arg=len(page.query_selector_all(".chat-msg--bot")),
        timeout=TIMEOUT,
    )
    # ...and a new session (a new browser context) starts fresh.
    fresh = open_page(context.browser.new_context(), stack_settings, council_id)
    wait_for_bot_text(fresh, council["name"])
    assert not any(council["pay_link"] in text for text in bot_texts(fresh))
    fresh.context.close()


def test_keyboard_only_use(context, stack_settings: Settings):
    page = open_page(context, stack_settings, "millbrook")
    wait_for_bot_text(page, COUNCILS["millbrook"]["name"])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")  # skip to the chat
    for _ in range(10):
        if page.evaluate("document.activeElement.id === 'chat-input'"):
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("Tab never reached the message box")
    page.keyboard.type("help")
    page.keyboard.press("Enter")
    page.wait_for_selector(REPLY, timeout=TIMEOUT)
    # Quick replies are reachable with the keyboard and work with Enter.
    for _ in range(20):
        if page.evaluate("document.activeElement.textContent") == "Pay council tax":
            break
        page.keyboard.press("Shift+Tab")
    else:
        pytest.fail("Shift+Tab never reached the 'Pay council tax' choice")
    page.keyboard.press("Enter")
    wait_for_bot_text(page, COUNCILS["millbrook"]["pay_link"])
    # Focus goes back to the message box after choosing, the choice shows as said,
    # and the used choices are gone.
    assert page.evaluate("document.activeElement.id === 'chat-input'")
    assert page.locator(".chat-msg--user").last.inner_text().endswith("Pay council tax")
    assert page.locator(REPLY).count() == 0
    # The quick replies are real buttons.
    page.keyboard.type("help")
    page.keyboard.press("Enter")
    page.wait_for_selector(REPLY, timeout=TIMEOUT)
    assert page.eval_on_selector_all(REPLY, "els => els.map(e => e.tagName)") == ["BUTTON"] * (
        page.locator(REPLY).count()
    )


def test_messages_are_announced_and_controls_are_labelled(context, stack_settings: Settings):
    page = open_page(context, stack_settings, "brackenbury")
    wait_for_bot_text(page, COUNCILS["brackenbury"]["name"])
    log = page.locator("[role=log]")
    assert log.get_attribute("aria-live") == "polite"
    assert "Hello" in log.inner_text()
    assert page.get_by_role("textbox", name="Your question").is_visible()
    assert page.get_by_role("button", name="Send").count() == 1
    assert page.locator("form.chat-form").count() == 1
    assert page.get_attribute(".chat-widget", "lang") == "en"  # ready for a language switch


# Every demo council with an English page (Abercoed's Welsh page: test_welsh_browser.py).
AXE_COUNCILS = {**{c: v["name"] for c, v in COUNCILS.items()}, "wealdshire": "Wealdshire"}


@pytest.mark.parametrize("width", [1024, 320])
@pytest.mark.parametrize("council_id", sorted(AXE_COUNCILS))
def test_axe_finds_no_violations_and_every_control_has_contrast(
    browser, running_stack, stack_settings, council_id, width
):
    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
    try:
        page = open_page(context, stack_settings, council_id)
        wait_for_bot_text(page, AXE_COUNCILS[council_id])
        say(page, "how do i get a blue badge")  # an answer with links in it
        page.wait_for_selector(".chat-msg--bot a[href]", timeout=TIMEOUT)
        say(page, "help")
        page.wait_for_selector(REPLY, timeout=TIMEOUT)
        violations = axe_violations(page)
        print(f"axe {council_id} at {width}px: {len(violations)} violation(s)")
        report = PROJECT_ROOT / "reports" / "axe"
        report.mkdir(parents=True, exist_ok=True)
        (report / f"{council_id}-{width}.json").write_text(json.dumps(violations, indent=2))
        assert described(violations) == []
        # A contrast check of every control: the message box, Send, links in answers.
        checked, failures = contrast_failures(page)
        assert failures == [], failures
        kinds = {name.split(" ")[0] for name in checked}
        assert {"input.chat-input", "button.chat-send", "button.chat-reply"} <= kinds, kinds
        assert any(name.startswith("a.") for name in checked), checked
        # At 320px nothing scrolls sideways and the message box is usable (WCAG 1.4.10).
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        box = page.locator(INPUT).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        if council_id in COUNCILS:
            say(page, "how do i pay council tax")
            wait_for_bot_text(page, COUNCILS[council_id]["pay_link"])
    finally:
        context.close()


def test_axe_on_the_index_of_demo_pages(browser, running_stack, stack_settings):
    context = browser.new_context(viewport={"width": 320, "height": 800}, bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(f"{stack_settings.web_url}/")
        assert page.get_by_role("link", name="Millbrook District Council").is_visible()
        assert described(axe_violations(page)) == []
    finally:
        context.close()


HOSTILE_ANSWER = (
    "Hostile: ![x](http://outside.example/x.png) [click](javascript:window.__pwned=1) "
    '<img src="http://outside.example/y.png" onerror="window.__pwned=2">'
    "<script>window.__pwned=3</script>\n"
    "Call {council_phone}. Account *345 and •••345.\n"
    "- **Book** at [the register office]({link_registrars})"
)


@pytest.fixture()
def hostile_answer(running_stack: Stack, stack_settings: Settings) -> Iterator[str]:
    """Brackenbury's register-a-death answer replaced with hostile Markdown and HTML
    (as a careless or compromised staff account could), restored afterwards. (A unitary
    council: Millbrook's registrars are its county's.)"""
    store = AnswerStore(make_engine(stack_settings.answers_db_url))
    before = store.get("brackenbury", "utter_register_death")
    saved = store.save(
        "brackenbury",
        "utter_register_death",
        HOSTILE_ANSWER,
        None,
        before.version if before else 0,
        "browser-test",
    )
    yield "how do i register a death"
    store.save(
        "brackenbury",
        "utter_register_death",
        before.text if before else None,
        before.sms_text if before else None,
        saved.version,
        "browser-test",
    )


def test_a_hostile_answer_renders_no_image_script_or_unsafe_link(
    context, stack_settings: Settings, hostile_answer: str
):
    page = open_page(context, stack_settings, "brackenbury")
    wait_for_bot_text(page, COUNCILS["brackenbury"]["name"])
    say(page, hostile_answer)
    wait_for_bot_text(page, "Hostile:")
    page.wait_for_timeout(1000)  # time for any image or script to load and run
    answer = page.locator(".chat-msg--bot").last
    text = answer.locator(".chat-msg__text").inner_text()
    # Images, the javascript: link and raw HTML stay visible as text.
    assert "![x](http://outside.example/x.png)" in text
    assert "[click](javascript:window.__pwned=1)" in text
    assert '<img src="http://outside.example/y.png"' in text
    assert page.locator(".chat-log img, .chat-log script").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert page.locator("a[href^='javascript:' i]").count() == 0
    assert page.external_requests == []  # nothing fetched from outside.example
    # Masked references exactly as sent; the phone number is tap-to-call.
    assert "Account *345 and •••345." in text
    phone = page.get_by_role("link", name="01632 960 100")
    assert phone.get_attribute("href") == "tel:01632960100"
    # The Markdown subset still works: a list item with bold text and a safe link.
    assert answer.locator("li strong").inner_text() == "Book"
    registrars = answer.get_by_role("link", name="the register office")
    assert registrars.get_attribute("href").startswith("https://www.brackenbury.example.gov.uk/")


def test_the_csp_stops_inline_script_that_reaches_the_page(context, stack_settings: Settings):
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text))
    response = page.goto(f"{stack_settings.web_url}/brackenbury/")
    assert response is not None
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    wait_for_bot_text(page, COUNCILS["brackenbury"]["name"])  # the widget runs under it
    # Were an answer ever to reach the page as HTML, its script would not run.
    page.evaluate(
        """() => {
            const holder = document.createElement("div");
            holder.innerHTML = '<img src="data:," onerror="window.__injected = 1">';
            document.querySelector(".chat-log").append(holder);
            const script = document.createElement("script");
            script.textContent = "window.__injected = 2";
            document.body.append(script);
        }"""
    )
    page.wait_for_timeout(500)
    assert page.evaluate("window.__injected") is None
    assert any("Content Security Policy" in text for text in violations), violations


def rgb_hex(css_colour: str) -> str:
    """#rrggbb for a computed `rgb(r, g, b)` colour."""
    red, green, blue = (int(part) for part in css_colour[4:-1].split(",")[:3])
    return f"#{red:02x}{green:02x}{blue:02x}"


def test_400_percent_zoom_reduced_motion_and_control_contrast(
    browser, running_stack, stack_settings
):
    # 1280x900 at 400% zoom is a 320x225 CSS-pixel viewport.
    context = browser.new_context(viewport={"width": 320, "height": 225}, reduced_motion="reduce")
    try:
        page = open_page(context, stack_settings, "millbrook")
        wait_for_bot_text(page, COUNCILS["millbrook"]["name"])
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        page.focus(INPUT)
        page.keyboard.type("how do i pay council tax")
        page.keyboard.press("Enter")
        wait_for_bot_text(page, COUNCILS["millbrook"]["pay_link"])
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        style = "([selector, name]) => getComputedStyle(document.querySelector(selector))[name]"
        assert page.evaluate(style, [".chat-log", "scrollBehavior"]) == "auto"
        # Text 4.5:1, control boundaries 3:1 (WCAG 1.4.3, 1.4.11), against white.
        send_text = rgb_hex(page.evaluate(style, [".chat-send", "color"]))
        send_fill = rgb_hex(page.evaluate(style, [".chat-send", "backgroundColor"]))
        box_border = rgb_hex(page.evaluate(style, [INPUT, "borderTopColor"]))
        assert contrast(send_text, send_fill) >= 4.5
        assert contrast(send_fill, "#ffffff") >= 3
        assert contrast(box_border, "#ffffff") >= 3
        # The focus indicator: a 3px outline.
        page.focus(".chat-send")
        assert page.evaluate(style, [".chat-send", "outlineWidth"]) == "3px"
    finally:
        context.close()
