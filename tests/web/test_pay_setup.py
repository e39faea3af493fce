"""The payment pages' wiring from settings (issue 12, item 2): each council's Pay
client from council.yml and the environment, only its payments key needed."""

from __future__ import annotations

from pathlib import Path

from assistant.backoffice.vendors.govuk_pay import GovUkPayPayments
from assistant.councils import CouncilRegistry
from assistant.settings import Settings
from assistant.web.pay_setup import NoPayments, pay_flow


def test_each_council_gets_its_pay_client_with_the_http_rule(tmp_path: Path) -> None:
    registry = CouncilRegistry.load()
    settings = Settings.from_env(
        {
            "ASSISTANT_WRITES_DB_URL": f"sqlite:///{tmp_path / 'writes.db'}",
            "ASSISTANT_BACKOFFICE_URL_MILLBROOK": "http://127.0.0.1:5070/millbrook",
            "MILLBROOK_PAY_KEY": "api_test_key",
            "ASSISTANT_PAY_ALLOW_HTTP": "1",
        }
    )
    flow = pay_flow(registry, settings)
    millbrook, brackenbury = registry.get("millbrook"), registry.get("brackenbury")
    assert millbrook is not None and brackenbury is not None
    payments = flow.payments_for(millbrook)
    assert isinstance(payments, GovUkPayPayments) and payments.allow_http_return
    assert payments.client.base_url == "http://127.0.0.1:5070/millbrook/pay"
    assert flow.payments_for(millbrook) is payments  # built once
    assert isinstance(flow.payments_for(brackenbury), NoPayments)  # no key here
