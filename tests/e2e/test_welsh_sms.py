"""Issue 13: Welsh conversations by SMS with the Welsh demo council (Abercoed), through
the real Rasa server and both gateways' webhooks to the fake gateway; every reply's
segments counted as the gateway counts them (UCS-2 for ŵ, ŷ, â...). A text cannot
carry an intent payload, so these need the Welsh NLU of branch `cynlu`."""

from __future__ import annotations

import re

import pytest

from assistant.rasa_plugins.channels.sms_text import count_segments
from tests.e2e.test_sms_conversations import COUNCILS, GATEWAYS, Phone
from tests.e2e.test_welsh_conversations import WELSH_DATE, needs_welsh_nlu

pytestmark = [pytest.mark.e2e, needs_welsh_nlu]

WELSH = {
    "name": "Cyngor Bwrdeistref Sirol Abercoed",
    "twilio": "+447700900300",
    "notify": "07700900301",
    "env": "ABERCOED",
    "max_segments": 3,
}


class WelshPhone(Phone):
    """A resident texting Abercoed."""

    @property
    def council_number(self) -> str:
        return str(WELSH[self.gateway])

    def secret(self, name: str, council: str | None = None) -> str:
        prefix = WELSH["env"] if council in (None, "abercoed") else COUNCILS[council]["env"]
        return self.env[f"{prefix}_{self.gateway.upper()}_{name}"]

    def text(self, body: str) -> str:
        response = self.post(body)
        assert response.status_code in (200, 204), response.text
        replies = self.new_messages(wait_for=1)
        assert len(replies) == 1, replies
        reply = replies[0]
        assert reply["segments"] <= WELSH["max_segments"], reply
        assert count_segments(reply["body"]).segments == reply["segments"]
        return str(reply["body"])


@pytest.fixture()
def welsh_phone(running_stack, stack_settings):  # type: ignore[no-untyped-def]
    env = next(service.env for service in running_stack.services if service.name == "rasa")
    return lambda gateway: WelshPhone(
        gateway, "abercoed", stack_settings.rasa_url, stack_settings.sms_gateway_url, dict(env)
    )


@pytest.mark.parametrize("gateway", GATEWAYS)
def test_bin_day_by_sms_in_welsh(welsh_phone, gateway: str) -> None:  # type: ignore[no-untyped-def]
    me = welsh_phone(gateway)
    assert "cod post" in me.text("Pryd mae fy miniau'n cael eu casglu?")
    asked = me.text("CQ1 2AB")
    assert "Pa gyfeiriad yn CQ1 2AB?" in asked
    number = next(
        line.partition(". ")[0] for line in asked.splitlines() if "7 Heol y Felin" in line
    )
    answer = me.text(number)
    assert "Y casgliadau nesaf yn 7 Heol y Felin" in answer and WELSH_DATE.search(answer)


@pytest.mark.parametrize("gateway", GATEWAYS)
def test_council_tax_balance_by_sms_in_welsh(welsh_phone, gateway: str) -> None:  # type: ignore[no-untyped-def]
    me = welsh_phone(gateway)
    assert "cyfeirnod" in me.text("Beth yw balans fy nhreth gyngor?")
    assert "cod post" in me.text("70012345")
    assert "£382.50" in me.text("CQ1 2AB")


def test_a_report_by_sms_in_welsh_is_confirmed_first(welsh_phone) -> None:  # type: ignore[no-untyped-def]
    me = welsh_phone("twilio")
    assert "Ble mae e?" in me.text("Mae twll yn y ffordd ar Heol y Felin")
    assert "Atebwch IE" in me.text("y tu allan i rif 7")
    assert re.search(r"ACR\d+", me.text("ie"))


def test_crisis_and_handoff_by_sms_in_welsh(welsh_phone) -> None:  # type: ignore[no-untyped-def]
    me = welsh_phone("notify")
    crisis = me.text("Mae arna i ofn, mae fy mhartner yn fy mrifo")
    assert "999" in crisis and "0808 80 10 800" in crisis
    assert "01632 960 300" in me.text("Dw i eisiau siarad â pherson")
