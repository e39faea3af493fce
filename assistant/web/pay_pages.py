"""The payment pages' HTML (GOV.UK Frontend classes), every value escaped.

Pages: the confirm page (a button, so a link preview or a bot's GET never starts a
payment), the outcome pages of the return URL, and the pages for expired links, a
payment in progress elsewhere and a Pay failure.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from string import Template

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class PayAnswer:
    """What the server sends: a page, or a 303 redirect when `location` is set."""

    status: HTTPStatus
    body: str = ""
    location: str | None = None
    form_targets: tuple[str, ...] = field(default=())  # origins a form may go to


def pounds(pence: int) -> str:
    return f"£{pence / 100:,.2f}"


def page(status: HTTPStatus, council_name: str, title: str, content: str) -> PayAnswer:
    """A full page around `content` (already escaped HTML)."""
    template = Template((HERE / "pay.html").read_text(encoding="utf-8"))
    body = template.substitute(
        title=html.escape(title), council_name=html.escape(council_name), content=content
    )
    return PayAnswer(status, body)


def _p(text: str, css: str = "govuk-body") -> str:
    return f'          <p class="{css}">{html.escape(text)}</p>'


def _h1(text: str) -> str:
    return f'          <h1 class="govuk-heading-l">{html.escape(text)}</h1>'


def confirm_page(
    council_name: str, description: str, amount_pence: int, action: str, targets: tuple[str, ...]
) -> PayAnswer:
    """Ask before starting: the payment's amount and what it is for, and a button."""
    content = "\n".join(
        [
            _h1("Pay your council tax"),
            '          <dl class="govuk-summary-list">',
            '            <div class="govuk-summary-list__row">',
            '              <dt class="govuk-summary-list__key">Amount</dt>',
            f'              <dd class="govuk-summary-list__value">{pounds(amount_pence)}</dd>',
            "            </div>",
            '            <div class="govuk-summary-list__row">',
            '              <dt class="govuk-summary-list__key">For</dt>',
            f'              <dd class="govuk-summary-list__value">{html.escape(description)}</dd>',
            "            </div>",
            "          </dl>",
            _p("You'll pay securely on GOV.UK Pay. Never type card details into the chat."),
            f'          <form method="post" action="{html.escape(action)}" novalidate>',
            '            <button type="submit" class="govuk-button" data-module="govuk-button">'
            "Continue to payment</button>",
            "          </form>",
        ]
    )
    answer = page(HTTPStatus.OK, council_name, "Pay your council tax", content)
    return PayAnswer(answer.status, answer.body, form_targets=targets)


def message_page(status: HTTPStatus, council_name: str, title: str, *lines: str) -> PayAnswer:
    """A heading and plain paragraphs."""
    return page(status, council_name, title, "\n".join([_h1(title), *map(_p, lines)]))


def success_page(council_name: str, amount_pence: int, payment_id: str) -> PayAnswer:
    """Pay says the payment succeeded."""
    content = "\n".join(
        [
            '          <div class="govuk-panel govuk-panel--confirmation">',
            '            <h1 class="govuk-panel__title">Payment received</h1>',
            '            <div class="govuk-panel__body">Your payment of '
            f"<strong>{pounds(amount_pence)}</strong> was received</div>",
            "          </div>",
            _p(f"GOV.UK Pay payment reference: {payment_id}"),
            _p("You can close this page and go back to the chat."),
        ]
    )
    return page(HTTPStatus.OK, council_name, "Payment received", content)
