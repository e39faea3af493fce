"""REST integration tokens: which integration a request proves, and its conversations."""

from __future__ import annotations

import pytest

from assistant.rasa_plugins.channels.integration_tokens import (
    ChannelConfigError,
    IntegrationTokens,
    conversation_for,
)
from assistant.settings import Settings

CRM = "crm-token-0123456789abcdef"
PORTAL = "portal-token-0123456789abcdef"


def tokens() -> IntegrationTokens:
    return IntegrationTokens.from_settings(
        Settings.from_env(
            {"ASSISTANT_REST_TOKEN_CRM": CRM, "ASSISTANT_REST_TOKEN_RESIDENT_PORTAL": PORTAL}
        )
    )


def test_each_token_proves_its_own_integration() -> None:
    assert tokens().integration(f"Bearer {CRM}") == "crm"
    assert tokens().integration(f"bearer  {PORTAL} ") == "resident-portal"


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Bearer ", CRM, f"Basic {CRM}", f"Bearer {CRM}x", f"Bearer {CRM[:-1]}"],
)
def test_anything_else_proves_nothing(header: str | None) -> None:
    assert tokens().integration(header) is None


def test_conversations_are_namespaced_per_integration() -> None:
    assert conversation_for("crm", "alice") != conversation_for("resident-portal", "alice")
    assert conversation_for("crm", "alice") == "crm:alice"


def test_no_token_configured_refuses_to_start_naming_the_variable() -> None:
    with pytest.raises(ChannelConfigError, match="ASSISTANT_REST_TOKEN_<NAME>"):
        IntegrationTokens.from_settings(Settings.from_env({}))


def test_a_short_token_is_refused_and_tokens_never_show_in_a_repr() -> None:
    with pytest.raises(ValueError, match="ASSISTANT_REST_TOKEN_CRM must be at least 16"):
        Settings.from_env({"ASSISTANT_REST_TOKEN_CRM": "short"})
    assert CRM not in repr(tokens()) and CRM not in repr(Settings.from_env({"X": "1"}))
    settings = Settings.from_env({"ASSISTANT_REST_TOKEN_CRM": CRM})
    assert CRM not in repr(settings)
