"""`python -m assistant actions [--council <id>]`: rasa-sdk's action server for one council.

With `--council`, the server holds that council's back-office clients (its config
and secrets are checked before it starts) and refuses any call that belongs to
another council. Without it, it is the council-free server that greets and finds
a conversation's council; it has no back-office at all. Either way it refuses
calls not signed by the action router with its secret (assistant/routing/signing.py).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlparse

from rasa_sdk.endpoint import create_app
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.backoffice.errors import BackOfficeConfigError
from assistant.backoffice.registry import action_server_url, build_backoffice
from assistant.councils import CouncilConfigError, CouncilRegistry
from assistant.routing import runtime as action_runtime
from assistant.routing.credentials import action_secret
from assistant.routing.signing import SIGNATURE_HEADER, signature_problem
from assistant.routing.tenancy import belongs_to, council_of, unavailable_reply
from assistant.settings import Settings

log = logging.getLogger(__name__)


def prepare(council_id: str | None, environ: Mapping[str, str]) -> tuple[Any, int | None]:
    """Check the council's configuration and secrets and configure this process.

    Returns the Sanic app and the port from council.yml (None for the council-free
    server). Raises CouncilConfigError / BackOfficeConfigError with a clear message.
    """
    registry = CouncilRegistry.load()
    port: int | None = None
    council = None
    if council_id is not None:
        council = registry.get(council_id)
        if council is None:
            configured = ", ".join(registry.ids())
            raise CouncilConfigError(
                f"no council {council_id!r} under councils/ (configured: {configured})"
            )
    secret = action_secret(council, environ)
    if council is not None:
        backoffice = build_backoffice(council, environ)
        port = urlparse(action_server_url(council, environ)).port
        action_runtime.configure(backoffice)
        # Its pending writes (issue 10, finding 7), the database migrated before any call.
        writes_url = Settings.from_env(environ).writes_db_url
        action_runtime.configure_writes(action_runtime.open_writes(writes_url))
        council_id = council.id
    else:
        action_runtime.configure(None)
    app = create_app("actions", cors_origins=None)

    @app.middleware("request")
    async def check_call(request: Request) -> HTTPResponse | None:
        if request.method != "POST" or request.path != "/webhook":
            return None
        refused = unsigned_refusal(request, secret, council_id)
        if refused is not None:
            return refused
        try:
            call = request.json
        except Exception:
            return None
        if belongs_to(call, council_id, registry):
            return None
        council, claimed = council_of(call, registry)
        log.warning(
            "refused %s for council %r on the %s action server",
            (call or {}).get("next_action") if isinstance(call, dict) else None,
            claimed or (council.id if council else None),
            council_id or "council-free",
        )
        own = registry.get(council_id) if council_id else None
        return response.json(unavailable_reply(own))

    return app, port


def unsigned_refusal(request: Request, secret: str, council_id: str | None) -> HTTPResponse | None:
    """A 401 (logged) for a call the router did not sign with `secret`, else None."""
    problem = signature_problem(secret, request.headers.get(SIGNATURE_HEADER), request.body)
    if problem is None:
        return None
    log.warning(
        "refused an action call to the %s action server from %s: %s",
        council_id or "council-free",
        request.remote_addr or request.ip,
        problem,
    )
    return response.json({"error": f"refused: {problem}"}, status=401)


def serve(council_id: str | None, port: int | None, host: str, environ: Mapping[str, str]) -> int:
    """Start the action server in the foreground. Raises CouncilConfigError or
    BackOfficeConfigError (both ValueError) when it must not start."""
    app, configured_port = prepare(council_id, environ)
    chosen = port or configured_port
    if chosen is None:
        raise BackOfficeConfigError("--port is required for the council-free action server")
    print(f"Action server for {council_id or 'no council (shared)'} on {host}:{chosen}", flush=True)
    app.run(host=host, port=chosen, workers=1, access_log=False, motd=False)
    return 0
