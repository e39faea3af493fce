"""Rasa's REST channel, with the request checked before it reaches the assistant.

Rasa's own RestInput answers a malformed body with a 500; this one answers with
a 400 that says what is wrong, and the assistant never sees the bad request.
"""

from __future__ import annotations

import json
from typing import Any

from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.rasa_plugins import speedups as rasa_speedups

rasa_speedups.install()

MAX_SENDER_LENGTH = 128
MAX_MESSAGE_LENGTH = 20_000


def request_problem(body: bytes) -> str | None:
    """What is wrong with a webhook body, or None when it can be processed."""
    try:
        payload: Any = json.loads(body or b"")
    except (ValueError, UnicodeDecodeError):
        return 'The request body must be JSON: {"sender": "...", "message": "..."}.'
    if not isinstance(payload, dict):
        return "The request body must be a JSON object with 'sender' and 'message'."
    sender = payload.get("sender")
    if not isinstance(sender, str) or not sender.strip():
        return "'sender' must be a non-empty string identifying the conversation."
    if len(sender) > MAX_SENDER_LENGTH:
        return f"'sender' must be at most {MAX_SENDER_LENGTH} characters."
    message = payload.get("message")
    if not isinstance(message, str):
        return "'message' must be a string (it may be empty)."
    if len(message) > MAX_MESSAGE_LENGTH:
        return f"'message' must be at most {MAX_MESSAGE_LENGTH} characters."
    metadata = payload.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        return '\'metadata\' must be a JSON object, for example {"council": "brackenbury"}.'
    return None


class CouncilRestInput(RestInput):
    """`POST /webhooks/rest/webhook` with input validation."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Any) -> Blueprint:
        """Rasa's REST blueprint, behind a request check."""
        blueprint = super().blueprint(on_new_message)

        @blueprint.middleware("request")
        async def check_body(request: Request) -> HTTPResponse | None:
            if request.method != "POST":
                return None
            problem = request_problem(request.body)
            if problem is None:
                return None
            return response.json({"error": problem}, status=400)

        return blueprint
