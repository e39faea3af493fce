"""The demo GOV.UK Pay card page (the payment's `next_url`): pay or cancel.

As on GOV.UK Pay, the page is bound to the first browser that opens it (a cookie):
opening it then moves the payment from `created` to `started`, and any other browser
(a link preview, a second device) gets an error page. Paying or cancelling finishes
the payment (`success`, or `failed` with code P0010 for the declined test card
4000000000000002 and P0030 when the tester cancels) and sends the browser (303) to
the payment's `return_url`.
"""

from __future__ import annotations

import html
import secrets
from typing import ClassVar

from aiohttp import web
from sqlalchemy.orm import Session

from devtools.demo_backoffice import models
from devtools.demo_backoffice.office import BackOffice

COOKIE = "demo_pay_session"
DECLINED_CARD = "4000000000000002"
DECLINED = ("P0010", "Payment method rejected")
CANCELLED = ("P0030", "Payment was cancelled by the user")

CARD_PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Enter card details - GOV.UK Pay (demo)</title>
</head><body><main>
<h1>Enter card details</h1>
<p>Demo GOV.UK Pay. Payment for: {description}</p>
<p>Total amount: <strong id="amount">£{amount}</strong></p>
<form method="post">
<label for="card-no">Card number</label>
<input id="card-no" name="card_number" autocomplete="off" value="4444333322221111">
<button type="submit" name="action" value="pay">Confirm payment</button>
<button type="submit" name="action" value="cancel">Cancel payment</button>
</form></main></body></html>"""

USED_PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Error - GOV.UK Pay (demo)</title></head>
<body><main><h1>Your payment session has expired</h1>
<p>This payment page has already been opened. Go back to the service to try again.</p>
</main></body></html>"""


class CardPages:
    """The card pages of every council's demo payments."""

    # payment id -> the browser it is bound to; -> (code, message) of a failed one.
    opened_by: ClassVar[dict[str, str]] = {}
    failure_codes: ClassVar[dict[str, tuple[str, str]]] = {}

    def __init__(self, office: BackOffice) -> None:
        self.office = office

    async def page(self, request: web.Request) -> web.Response:
        payment_id = request.match_info["payment_id"]
        with Session(self.office.engine) as session, session.begin():
            payment = session.get(models.Payment, payment_id)
            if payment is None:
                return web.Response(text=USED_PAGE, content_type="text/html", status=404)
            bound = self.opened_by.get(payment_id)
            mine = bound is not None and secrets.compare_digest(
                bound, request.cookies.get(COOKIE, "")
            )
            first = payment.status == "created" and bound is None
            if not first and not (mine and payment.status == "started"):
                return web.Response(text=USED_PAGE, content_type="text/html", status=400)
            payment.status = "started"
            text = CARD_PAGE.format(
                description=html.escape(payment.description), amount=f"{payment.amount / 100:,.2f}"
            )
        response = web.Response(text=text, content_type="text/html")
        if first:
            secret = secrets.token_urlsafe(16)
            self.opened_by[payment_id] = secret
            response.set_cookie(COOKIE, secret, httponly=True, samesite="Lax")
        return response

    async def submit(self, request: web.Request) -> web.Response:
        payment_id = request.match_info["payment_id"]
        form = await request.post()
        bound = self.opened_by.get(payment_id, "")
        if not bound or not secrets.compare_digest(bound, request.cookies.get(COOKIE, "")):
            return web.Response(text=USED_PAGE, content_type="text/html", status=400)
        with Session(self.office.engine) as session, session.begin():
            payment = session.get(models.Payment, payment_id)
            if payment is None or payment.status != "started":
                return web.Response(text=USED_PAGE, content_type="text/html", status=400)
            if form.get("action") == "cancel":
                payment.status, code = "failed", CANCELLED
            elif str(form.get("card_number", "")).replace(" ", "") == DECLINED_CARD:
                payment.status, code = "failed", DECLINED
            else:
                payment.status, code = "success", None
            if code is not None:
                self.failure_codes[payment_id] = code
            return_url = payment.return_url
        raise web.HTTPSeeOther(return_url)
