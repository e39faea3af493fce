"""The payment pages' settings (issue 12, item 2)."""

from __future__ import annotations

from assistant.settings import Settings


def test_defaults_are_the_web_server_and_real_pay_over_https() -> None:
    settings = Settings.from_env({"ASSISTANT_WEB_PORT": "8123"})
    assert settings.payment_pages_url == "http://localhost:8123"
    assert settings.pay_card_origins == ("https://card.payments.service.gov.uk",)
    assert settings.pay_allow_http is False


def test_a_public_address_card_origins_and_the_demo_http_switch() -> None:
    settings = Settings.from_env(
        {
            "ASSISTANT_PAY_PAGES_URL": "https://assistant.example.gov.uk/",
            "ASSISTANT_PAY_CARD_ORIGINS": "http://127.0.0.1:5070, https://card.example",
            "ASSISTANT_PAY_ALLOW_HTTP": "1",
        }
    )
    assert settings.payment_pages_url == "https://assistant.example.gov.uk"
    assert settings.pay_card_origins == ("http://127.0.0.1:5070", "https://card.example")
    assert settings.pay_allow_http is True
