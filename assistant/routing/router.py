"""The action router: Rasa's one action endpoint, in front of every council's action server.

`POST /webhook` reads the conversation's council from the tracker in the action
call (the `council` slot; when that is empty, a configured council named in the
latest message's channel metadata) and forwards the call unchanged to that
council's action server, returning its answer unchanged. Conversations with no
council yet go to the council-free action server, which finds their council.
Whatever goes wrong (unknown council, server down, slow or broken) the answer is
a well-formed action response that makes the bot say the service is unavailable,
with the council's contact details where known: never a hang or a 500. When the
council's own server failed mid-call, the answer also lists the council in
`outcomes_waiting` (assistant/routing/waiting.py): a write may have been started.

Calls must carry the router token (`X-Assistant-Router-Token`, which Rasa sends
from endpoints.yml); every forwarded call is signed with the secret of the
server it goes to (assistant/routing/signing.py). See docs/security.md.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import time
from collections.abc import Mapping
from typing import Any

import aiohttp
from aiohttp import web

from assistant.backoffice.errors import BackOfficeConfigError
from assistant.backoffice.registry import action_server_url
from assistant.councils import Council, CouncilRegistry
from assistant.routing.credentials import (
    ROUTER_TOKEN_ENV,
    ROUTER_TOKEN_HEADER,
    action_secret,
    required_secret,
)
from assistant.routing.signing import SIGNATURE_HEADER, sign
from assistant.routing.tenancy import council_of, unavailable_reply
from assistant.routing.waiting import waiting_event, waiting_in_call
from assistant.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 10.0
# Secrets are keyed by council id; the council-free server's under this key.
SHARED = ""
SESSION_KEY = web.AppKey("session", aiohttp.ClientSession)


class ActionRouter:
    """Chooses the upstream action server for each call and forwards it."""

    def __init__(
        self,
        registry: CouncilRegistry,
        upstreams: Mapping[str, str],
        shared_url: str | None,
        timeout: float = DEFAULT_TIMEOUT,
        *,
        token: str,
        secrets: Mapping[str, str],
    ) -> None:
        self.registry = registry
        self.upstreams = {council: url.rstrip("/") for council, url in upstreams.items()}
        self.shared_url = shared_url.rstrip("/") if shared_url else None
        self.timeout = timeout
        self._token = token
        self._secrets = dict(secrets)

    def __repr__(self) -> str:
        return f"ActionRouter(upstreams={self.upstreams!r}, shared_url={self.shared_url!r})"

    @classmethod
    def from_config(cls, registry: CouncilRegistry, settings: Settings) -> ActionRouter:
        """Upstreams from each council.yml (env overrides), the council-free server from
        `ASSISTANT_SHARED_ACTIONS_URL`, the timeout from `ASSISTANT_ROUTER_TIMEOUT`, the
        token and signing secrets (assistant/routing/credentials.py). Raises
        BackOfficeConfigError without the router token."""
        env = settings.environ
        token = required_secret(ROUTER_TOKEN_ENV, env)
        upstreams: dict[str, str] = {}
        secrets: dict[str, str] = {}
        for council in registry:
            try:
                secrets[council.id] = action_secret(council, env)
                upstreams[council.id] = action_server_url(council, env)
            except BackOfficeConfigError as error:
                log.error("council %s has no action server: %s", council.id, error)
        shared_url = settings.shared_actions_url
        if shared_url:
            try:
                secrets[SHARED] = action_secret(None, env)
            except BackOfficeConfigError as error:
                log.error("no council-free action server: %s", error)
                shared_url = None
        return cls(
            registry, upstreams, shared_url, settings.router_timeout, token=token, secrets=secrets
        )

    def app(self) -> web.Application:
        app = web.Application(client_max_size=8 * 1024 * 1024)
        app.add_routes([web.get("/health", self.health), web.post("/webhook", self.webhook)])
        app.cleanup_ctx.append(self._session)
        return app

    async def _session(self, app: web.Application) -> Any:
        timeout = aiohttp.ClientTimeout(total=self.timeout, connect=2)
        connector = aiohttp.TCPConnector(limit=200, keepalive_timeout=30)
        async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
            app[SESSION_KEY] = session
            yield

    async def health(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "ok", "councils": sorted(self.upstreams)})

    async def webhook(self, request: web.Request) -> web.Response:
        given = request.headers.get(ROUTER_TOKEN_HEADER, "")
        if not hmac.compare_digest(given.encode(), self._token.encode()):
            log.warning("refused an action call without the router token from %s", request.remote)
            return web.json_response({"error": "unauthorised"}, status=401)
        body = await request.read()
        try:
            call = json.loads(body)
        except ValueError:
            return web.json_response({"error": "the action call must be JSON"}, status=400)
        council, claimed = council_of(call, self.registry)
        if claimed is not None and council is None:
            log.error("action call for unknown council %r", claimed)
            return web.json_response(unavailable_reply(None))
        upstream = self.upstreams.get(council.id) if council else self.shared_url
        secret = self._secrets.get(council.id if council else SHARED)
        if upstream is None or secret is None:
            log.error("no action server for %s", council.id if council else "council-free calls")
            return web.json_response(unavailable_reply(council))
        started = time.perf_counter()
        try:
            async with request.app[SESSION_KEY].post(
                f"{upstream}/webhook",
                data=body,
                headers={"Content-Type": "application/json", SIGNATURE_HEADER: sign(secret, body)},
            ) as answer:
                payload = await answer.read()
                status = answer.status
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            log.error(
                "action server %s for %s failed: %s",
                upstream,
                council.id if council else "council-free calls",
                type(error).__name__,
            )
            return web.json_response(failed_reply(call, council))
        finally:
            log.debug(
                "forwarded to %s in %.1f ms", upstream, (time.perf_counter() - started) * 1000
            )
        if status >= 500:
            log.error("action server %s answered HTTP %s", upstream, status)
            return web.json_response(failed_reply(call, council))
        # 200 answers and rasa-sdk's 400 (form rejection) / 404 are passed on unchanged.
        return web.Response(body=payload, status=status, content_type="application/json")


def failed_reply(call: Mapping[str, Any], council: Council | None) -> dict[str, Any]:
    """The reply when the council's server failed during the call: unavailable, and the
    council added to `outcomes_waiting`, as a write may have been started (issue 14)."""
    reply = unavailable_reply(council)
    if council is not None:
        reply["events"] = [waiting_event(waiting_in_call(call), council.id)]
    return reply


def serve(host: str, port: int, settings: Settings) -> None:
    """Run the router in the foreground."""
    router = ActionRouter.from_config(CouncilRegistry.load(settings.councils_dir), settings)
    print(f"Action router on http://{host}:{port} -> {router.upstreams}", flush=True)
    web.run_app(router.app(), host=host, port=port, print=None, access_log=None)
