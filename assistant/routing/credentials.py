"""Where the action hops' secrets come from: environment variables, never files.

- Router -> a council's action server: the variable named by council.yml
  `action_server.secret_env` (default `ASSISTANT_ACTIONS_SECRET_<ID>`).
- Router -> the council-free action server: `ASSISTANT_SHARED_ACTIONS_SECRET`.
- Rasa -> router: `ASSISTANT_ROUTER_TOKEN`, sent by Rasa as the
  `X-Assistant-Router-Token` header (endpoints.yml `action_endpoint.headers`).
"""

from __future__ import annotations

from collections.abc import Mapping

from assistant.backoffice.errors import BackOfficeConfigError
from assistant.backoffice.registry import env_name
from assistant.councils import Council
from assistant.routing.signing import MIN_SECRET_LENGTH

SHARED_SECRET_ENV = "ASSISTANT_SHARED_ACTIONS_SECRET"
ROUTER_TOKEN_ENV = "ASSISTANT_ROUTER_TOKEN"
ROUTER_TOKEN_HEADER = "X-Assistant-Router-Token"


def action_secret_env(council: Council | None) -> str:
    """The NAME of the variable holding the signing secret for `council`'s action
    server (None: the council-free one)."""
    if council is None:
        return SHARED_SECRET_ENV
    if council.action_server is not None and council.action_server.secret_env:
        return council.action_server.secret_env
    return env_name("ASSISTANT_ACTIONS_SECRET", council.id)


def required_secret(name: str, environ: Mapping[str, str]) -> str:
    """The secret in variable `name`; BackOfficeConfigError when unset or too short."""
    value = environ.get(name, "")
    if len(value) < MIN_SECRET_LENGTH:
        raise BackOfficeConfigError(
            f"{name} must hold a secret of at least {MIN_SECRET_LENGTH} characters"
        )
    return value


def action_secret(council: Council | None, environ: Mapping[str, str]) -> str:
    """The signing secret for `council`'s action server (None: the council-free one)."""
    return required_secret(action_secret_env(council), environ)
