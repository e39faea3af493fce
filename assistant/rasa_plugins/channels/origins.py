"""Which sites' pages may open the web chat, and the check on every socket.io request.

The allowed origins are every council's `web.allowed_origins` (council.yml) plus
`ASSISTANT_WEB_ALLOWED_ORIGINS` (the demo pages' server). Rasa switches
python-socketio's own origin check off (`cors_allowed_origins=[]`, so that Sanic-CORS
alone answers CORS), which also lets WebSocket upgrades from any Origin through;
`guard_origins` refuses a foreign Origin on every engine.io request, polling and
WebSocket alike, before python-socketio sees it. A request without an Origin (not
from a browser page) is let through: an Origin check protects residents' browsers
from other sites, it is not an authentication.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from sanic import response

from assistant.councils import CouncilRegistry
from assistant.settings import Settings

log = logging.getLogger(__name__)

REFUSED = "This site may not open the council's web chat (origin not allowed)."


def council_origins(registry: CouncilRegistry) -> list[str]:
    """Every council's `web.allowed_origins`."""
    return [origin for council in registry for origin in council.web.allowed_origins]


def allowed_origins(registry: CouncilRegistry, settings: Settings) -> frozenset[str]:
    """The councils' allowed origins and the settings' extra ones, lower case."""
    extra = (origin.lower() for origin in settings.web_allowed_origins)
    return frozenset([*council_origins(registry), *extra])


def guard_origins(engineio_server: Any, allowed: Iterable[str]) -> None:
    """Make `engineio_server` refuse (403) every request whose Origin is not `allowed`.
    Call before the server is attached to the app (it routes to `handle_request`)."""
    origins = frozenset(allowed)
    handle: Callable[..., Awaitable[Any]] = engineio_server.handle_request

    async def handle_request(request: Any, *args: Any, **kwargs: Any) -> Any:
        origin = request.headers.get("origin")
        if origin is not None and origin.rstrip("/").lower() not in origins:
            log.warning("refused a web chat connection from a foreign origin")
            return response.json({"error": REFUSED}, status=403)
        return await handle(request, *args, **kwargs)

    engineio_server.handle_request = handle_request
