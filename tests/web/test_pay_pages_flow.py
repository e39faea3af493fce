"""The payment pages (issue 12, item 2) on the real web server, against the demo GOV.UK
Pay over HTTP and a real, migrated link database: a look starts nothing, opening twice
makes one payment, the card page is single-use, the return page shows Pay's state and
the conversation is told once."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from actions.payment_links import tell_payment_outcomes
from assistant.backoffice.payment_links import PaymentLinks
from assistant.backoffice.pending import PendingWrites
from assistant.councils import Council, CouncilRegistry
from assistant.database import make_engine
from assistant.migrations import migrate
from assistant.routing import runtime as action_runtime
from assistant.web.pay_flow import PayFlow
from assistant.web.server import make_handler
from devtools.demo_backoffice import models
from tests.actions.conftest import demo_backoffice
from tests.backoffice.conftest import DemoBackOfficeServer, demo  # noqa: F401 - fixture
from tests.conftest import make_tracker, run

RASA = "http://127.0.0.1:5999"
SENDER = "test"  # make_tracker's sender
FORM_ACTION = re.compile(r"form-action ([^;]+)")


@dataclass
class Site:
    url: str
    links: PaymentLinks
    demo: DemoBackOfficeServer
    council: Council

    def offer(self, amount: int = 31250, links: PaymentLinks | None = None) -> str:
        token = (links or self.links).offer(
            SENDER, "millbrook", amount, "CTAX-400123456", "Millbrook council tax, ******456"
        )
        return f"{self.url}/pay/{token}"

    def payments(self) -> int:
        with Session(self.demo.app.engine) as session:
            return int(
                session.execute(select(func.count()).select_from(models.Payment)).scalar_one()
            )


@pytest.fixture()
def site(demo: DemoBackOfficeServer, tmp_path: Path) -> Iterator[Site]:  # noqa: F811
    registry = CouncilRegistry.load()
    council = registry.get("millbrook")
    assert council is not None
    engine = make_engine(f"sqlite:///{tmp_path / 'writes.db'}")
    migrate(engine)
    backoffice = demo_backoffice(demo, "millbrook")
    backoffice.payments.allow_http_return = True  # type: ignore[attr-defined]
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(registry, RASA))
    url = f"http://127.0.0.1:{server.server_address[1]}"
    flow = PayFlow(
        PaymentLinks(engine), registry.get, lambda c: backoffice.payments, url, (demo.url,)
    )
    server.RequestHandlerClass.pay = flow  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    action_runtime.configure(backoffice)
    action_runtime.configure_writes(PendingWrites(engine))
    yield Site(url, flow.links, demo, council)
    action_runtime.configure(None)
    action_runtime.configure_writes(None)
    server.shutdown()
    server.server_close()
    engine.dispose()


def open_link(browser: requests.Session, link: str) -> requests.Response:
    """Press "Continue to payment": the 303 to Pay's next_url, not followed."""
    return browser.post(link, allow_redirects=False, timeout=10)


def test_looking_at_the_link_starts_no_payment(site: Site) -> None:
    link = site.offer()
    assert requests.head(link, timeout=10).status_code == 200
    page = requests.get(link, timeout=10)
    assert page.status_code == 200
    assert "£312.50" in page.text and 'method="post"' in page.text
    assert "Continue to payment" in page.text
    assert site.payments() == 0
    # The form may lead to Pay's card pages (the 303 after it), nowhere else.
    targets = FORM_ACTION.search(page.headers["Content-Security-Policy"])
    assert targets is not None and targets.group(1).split() == ["'self'", site.demo.url]


def test_opening_twice_makes_one_payment(site: Site) -> None:
    link = site.offer()
    first, second = open_link(requests.Session(), link), open_link(requests.Session(), link)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert "/millbrook/pay/secure/" in first.headers["Location"]
    assert site.payments() == 1


def test_the_same_payment_offered_again_keeps_one_payment(site: Site) -> None:
    first, again = site.offer(), site.offer()
    assert first != again  # a new link each time, for the same payment
    assert (
        open_link(requests.Session(), first).headers["Location"]
        == open_link(requests.Session(), again).headers["Location"]
    )
    assert site.payments() == 1


def test_the_card_page_is_single_use(site: Site) -> None:
    resident, preview = requests.Session(), requests.Session()
    next_url = open_link(resident, site.offer()).headers["Location"]
    assert resident.get(next_url, timeout=10).status_code == 200
    assert preview.get(next_url, timeout=10).status_code == 400  # bound to the first browser
    assert resident.get(next_url, timeout=10).status_code == 200  # a reload still works
    # Opened elsewhere: the assistant's page says so and makes no second payment.
    busy = open_link(requests.Session(), site.offer())
    assert busy.status_code == 409 and "already in progress" in busy.text
    assert site.payments() == 1


def pay(
    browser: requests.Session, link: str, action: str = "pay", card: str = ""
) -> requests.Response:
    next_url = open_link(browser, link).headers["Location"]
    browser.get(next_url, timeout=10)
    form = {"action": action, "card_number": card or "4444333322221111"}
    return browser.post(next_url, data=form, timeout=10)  # follows 303 to the return page


def test_paid_return_page_and_the_chat_told_once(site: Site) -> None:
    link = site.offer()
    page = pay(requests.Session(), link)
    assert page.url.startswith(f"{site.url}/pay/return/")
    assert page.status_code == 200
    assert "Payment received" in page.text and "£312.50" in page.text
    dispatcher = CollectingDispatcher()
    run(tell_payment_outcomes(dispatcher, make_tracker(), site.council))
    [said] = dispatcher.messages
    assert said["response"] == "utter_payment_received" and said["amount"] == "£312.50"
    again = CollectingDispatcher()
    run(tell_payment_outcomes(again, make_tracker(), site.council))
    assert again.messages == []
    # A paid link starts nothing more: it leads to the outcome.
    again_opened = open_link(requests.Session(), link)
    assert again_opened.status_code == 303 and again_opened.headers["Location"] == page.url
    assert site.payments() == 1


def test_the_chat_learns_the_outcome_without_the_return_page(site: Site) -> None:
    browser, link = requests.Session(), site.offer()
    next_url = open_link(browser, link).headers["Location"]
    browser.get(next_url, timeout=10)
    browser.post(next_url, data={"action": "pay"}, allow_redirects=False, timeout=10)
    dispatcher = CollectingDispatcher()  # the resident closed the tab before returning
    run(tell_payment_outcomes(dispatcher, make_tracker(), site.council))
    assert [m["response"] for m in dispatcher.messages] == ["utter_payment_received"]


@pytest.mark.parametrize(
    ("action", "card", "reason"),
    [("cancel", "", "You cancelled the payment"), ("pay", "4000000000000002", "declined")],
)
def test_a_failed_payment_says_what_next_and_can_be_tried_again(
    site: Site, action: str, card: str, reason: str
) -> None:
    link = site.offer()
    page = pay(requests.Session(), link, action, card)
    assert "Your payment was not made" in page.text and reason in page.text
    assert "No money was taken" in page.text
    dispatcher = CollectingDispatcher()
    run(tell_payment_outcomes(dispatcher, make_tracker(), site.council))
    assert [m["response"] for m in dispatcher.messages] == ["utter_payment_not_made"]
    # Opening the link again starts a new payment (a new Idempotency-Key).
    retried = pay(requests.Session(), link)
    assert "Payment received" in retried.text
    assert site.payments() == 2


def test_expired_and_unknown_links_start_nothing(site: Site) -> None:
    expired = site.offer(links=PaymentLinks(site.links.engine, lifetime=dt.timedelta(0)))
    for link in (expired, f"{site.url}/pay/{'x' * 43}"):
        assert requests.get(link, timeout=10).status_code == 410
        assert open_link(requests.Session(), link).status_code == 410
    assert requests.get(f"{site.url}/pay/<script>", timeout=10).status_code == 404
    assert requests.get(f"{site.url}/pay/return/{'y' * 32}", timeout=10).status_code == 404
    assert site.payments() == 0


def test_each_payment_has_its_own_return_url(site: Site) -> None:
    first = open_link(requests.Session(), site.offer(1000))
    second = open_link(requests.Session(), site.offer(2000))
    with Session(site.demo.app.engine) as session:
        urls = {p.return_url for p in session.execute(select(models.Payment)).scalars()}
    assert first.status_code == second.status_code == 303
    assert len(urls) == 2 and all(u.startswith(f"{site.url}/pay/return/") for u in urls)


def test_the_pages_get_gov_uk_frontend_styles_and_fonts(site: Site) -> None:
    css = requests.get(f"{site.url}/vendor/govuk-frontend.min.css", timeout=10)
    assert css.status_code == 200 and css.headers["Content-Type"].startswith("text/css")
    fonts = re.findall(r"/assets/fonts/[\w.-]+\.woff2", css.text)
    assert fonts and requests.get(site.url + fonts[0], timeout=10).status_code == 200
    assert requests.get(f"{site.url}/assets/../../package.json", timeout=10).status_code == 404
