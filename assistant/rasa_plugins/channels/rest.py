"""Rasa's REST channel, for integrations, with the request checked before it reaches
the assistant.

Every request needs an integration token (`Authorization: Bearer <token>`,
integration_tokens.py): without a good one it gets a 401. The conversation is
`<integration>:<sender>`, so one integration cannot reach another's conversations,
nor a web chat or SMS one; the client cannot choose another channel's wording
(`input_channel` is ignored).

Rasa's own RestInput answers a malformed body with a 500 and stores whatever
metadata it is sent; this one lets a "/payload" through only when it is a button the
assistant just offered (payloads.py), answers with a 400 that says what is wrong (limits:
assistant/rasa_plugins/channels/limits.py), and the assistant never sees the bad request.
A turn that would answer nothing (`[]`) answers an apology with the council's
contact details instead: a resident is never left with silence.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.councils import default_registry
from assistant.rasa_plugins import installed
from assistant.rasa_plugins.channels.integration_tokens import (
    IntegrationTokens,
    conversation_for,
)
from assistant.rasa_plugins.channels.limits import (
    message_problem,
    metadata_problem,
    sender_problem,
)
from assistant.rasa_plugins.channels.payloads import typed_text
from assistant.rasa_plugins.shared_responses import apology, is_silent_command, slots_of
from assistant.settings import Settings

installed.install()  # speed-ups, log privacy, pooled trackers, lean models

log = logging.getLogger(__name__)

# A body larger than this is refused before it is parsed: the limits fit in it even
# with every character of a message escaped (`\ud83d\ude42`).
MAX_BODY_BYTES = 256 * 1024


def request_problem(body: bytes) -> str | None:
    """What is wrong with a webhook body, or None when it can be processed."""
    if len(body or b"") > MAX_BODY_BYTES:
        return f"The request body must be at most {MAX_BODY_BYTES} bytes."
    try:
        payload: Any = json.loads(body or b"")
    except (ValueError, UnicodeDecodeError):
        return 'The request body must be JSON: {"sender": "...", "message": "..."}.'
    if not isinstance(payload, dict):
        return "The request body must be a JSON object with 'sender' and 'message'."
    return (
        sender_problem(payload.get("sender"))
        or message_problem(payload.get("message"))
        or metadata_problem(payload.get("metadata"))
    )


UNAUTHORISED = (
    "The REST channel is for integrations: send 'Authorization: Bearer <token>' with "
    "a token the council gave you."
)


class CouncilRestInput(RestInput):
    """`POST /webhooks/rest/webhook` for integrations, with input validation."""

    settings: Settings | None = None  # None: from the environment when the server starts

    @classmethod
    def name(cls) -> str:
        return "rest"

    async def _extract_sender(self, req: Request) -> str:
        return conversation_for(req.ctx.integration, req.json["sender"])

    def _extract_input_channel(self, req: Request) -> str:
        return self.name()

    def blueprint(self, on_new_message: Any) -> Blueprint:
        """Rasa's REST blueprint, behind the token and request checks (no token
        configured: the server does not start, naming the variable to set)."""
        tokens = IntegrationTokens.from_settings(self.settings or Settings.from_env())
        blueprint = super().blueprint(on_new_message)

        @blueprint.middleware("request")
        async def check_request(request: Request) -> HTTPResponse | None:
            if request.method != "POST":
                return None
            integration = tokens.integration(request.headers.get("authorization"))
            if integration is None:
                headers = {"WWW-Authenticate": 'Bearer realm="integrations"'}
                return response.json({"error": UNAUTHORISED}, status=401, headers=headers)
            request.ctx.integration = integration
            problem = request_problem(request.body)
            if problem is not None:
                return response.json({"error": problem}, status=400)
            payload = json.loads(request.body)
            agent = getattr(request.app.ctx, "agent", None)
            conversation = conversation_for(integration, payload["sender"])
            payload["message"] = await typed_text(agent, conversation, payload["message"])
            request.parsed_json = payload  # what RestInput reads
            return None

        blueprint.middleware("response")(never_silent)
        return blueprint


async def never_silent(request: Request, reply: HTTPResponse) -> HTTPResponse | None:
    """An apology with the council's contact details in place of an empty reply (`[]`)."""
    if request.method != "POST" or reply.status != 200 or getattr(reply, "body", None) != b"[]":
        return None
    payload = json.loads(request.body)
    if is_silent_command(payload["message"]):
        return None
    sender = conversation_for(request.ctx.integration, payload["sender"])
    slots = await slots_of(getattr(request.app.ctx, "agent", None), sender)
    council = conversation_council(slots, payload.get("metadata"))
    log.error("no reply for a turn of %s: answering with an apology", council or "-")
    text = apology(default_registry().get(council), slots)
    return response.json([{"recipient_id": sender, "text": text}])


def conversation_council(slots: dict[str, Any], metadata: Any) -> str | None:
    """The conversation's council: the tracker's `council` slot, else the metadata's."""
    slot = slots.get("council")
    if isinstance(slot, str) and slot:
        return slot
    named = metadata.get("council") if isinstance(metadata, dict) else None
    return named if isinstance(named, str) else None
