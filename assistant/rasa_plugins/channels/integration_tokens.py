"""Who may use the REST channel: integrations holding a bearer token.

Each token has a name (`ASSISTANT_REST_TOKEN_<NAME>` -> `<name>`). A request names
its integration by `Authorization: Bearer <token>`; its conversation is
`<name>:<sender>`, so an integration only ever reaches its own conversations, and
never a web chat (`web-...`) or SMS (`sms-...`) one.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass

from assistant.settings import REST_TOKEN_PREFIX, Secret, Settings

SEPARATOR = ":"


class ChannelConfigError(RuntimeError):
    """A channel cannot start: a required secret is not configured."""


@dataclass(frozen=True)
class IntegrationTokens:
    """The configured tokens by integration name. The repr shows names only."""

    tokens: Mapping[str, Secret]

    @classmethod
    def from_settings(cls, settings: Settings) -> IntegrationTokens:
        """The tokens from the settings; none at all is an error naming the variable."""
        if not settings.rest_tokens:
            raise ChannelConfigError(
                f"The REST channel needs at least one integration token: set "
                f"{REST_TOKEN_PREFIX}<NAME> (for example {REST_TOKEN_PREFIX}CRM) to a "
                "random value of 16 characters or more."
            )
        return cls(dict(settings.rest_tokens))

    def integration(self, authorization: str | None) -> str | None:
        """The integration an `Authorization` header proves, or None."""
        scheme, _, token = (authorization or "").strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        given = token.strip().encode()
        found = None
        for name, secret in self.tokens.items():  # every token compared, in constant time
            if hmac.compare_digest(given, secret.reveal().encode()):
                found = name
        return found


def conversation_for(integration: str, sender: str) -> str:
    """The conversation (tracker sender id) of `sender` within `integration`."""
    return f"{integration}{SEPARATOR}{sender}"
