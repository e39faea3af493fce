"""Rasa's socket.io channel for the rasa-webchat widget, with two fixes.

- Session persistence: Rasa 3.6 calls python-socketio's `enter_room` without
  awaiting it (it is a coroutine in current python-socketio), so with
  `session_persistence: true` the widget never joins its session's room and never
  sees a reply. This channel answers `session_request` itself and awaits it.
- The session id a widget asks to resume must look like one the server issued
  (32 hex characters); anything else starts a new session.
- A "/payload" typed by hand is plain text unless it is a button just offered
  (payloads.py).
- Messages are checked like the REST channel's (limits.py): a bad one is answered
  with what is wrong and never reaches the assistant; a turn that would answer
  nothing answers an apology with the council's contact details.

Everything else (events, `customData` as the message metadata) is Rasa's.
"""

from __future__ import annotations

import inspect
import json
import re
import uuid
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from assistant.councils import default_registry
from assistant.rasa_plugins.channels.limits import (
    message_problem,
    metadata_problem,
    sender_problem,
)
from assistant.rasa_plugins.channels.payloads import typed_text
from assistant.rasa_plugins.shared_responses import apology, is_silent_command

SESSION_ID = re.compile(r"^[0-9a-f]{32}$")


def session_id_for(requested: object) -> str:
    """The session to join: the requested one if well formed, else a new one."""
    if isinstance(requested, str) and SESSION_ID.match(requested):
        return requested
    return uuid.uuid4().hex


class CountingSocketIOOutput(SocketIOOutput):
    """Rasa's socket.io output, counting what it sends."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.sent = 0

    async def _send_message(self, socket_id: str, response: Any) -> None:
        self.sent += 1
        await super()._send_message(socket_id, response)


def read_message(data: Any, metadata_key: str) -> tuple[str, dict[str, Any], str | None]:
    """The text and metadata of a widget message, and what is wrong with it (or None)."""
    if not isinstance(data, dict):
        return "", {}, "A message must be an object with 'message'."
    metadata = data.get(metadata_key) or {}
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata)
        except ValueError:
            return "", {}, "'metadata' must be a JSON object."
    text = data.get("message", "")
    problem = message_problem(text) or metadata_problem(metadata)
    return (text, metadata, None) if problem is None else ("", {}, problem)


class CouncilSocketIOInput(SocketIOInput):
    """`socketio` channel (socket.io at `/socket.io`), used by the web chat widget."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: Any) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio
        server: dict[str, Any] = {}

        @blueprint.listener("after_server_start")
        async def keep_app(app: Any, _loop: Any) -> None:
            server["app"] = app  # its agent's tracker store: what was last offered

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = session_id_for(requested)
            if self.session_persistence:
                joined = sio.enter_room(sid, session_id, namespace=self.namespace)
                if inspect.isawaitable(joined):
                    await joined
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any) -> None:
            output = CountingSocketIOOutput(sio, self.bot_message_evt)
            sender: str | None = sid
            if self.session_persistence:
                sender = data.get("session_id") if isinstance(data, dict) else None
            text, metadata, problem = read_message(data, self.metadata_key)
            problem = sender_problem(sender) or problem
            if problem is not None:
                await output.send_text_message(sid, problem)
                return
            agent = getattr(getattr(server.get("app"), "ctx", None), "agent", None)
            text = await typed_text(agent, str(sender), text)
            channel = self.name()
            message = UserMessage(text, output, sender, input_channel=channel, metadata=metadata)
            await on_new_message(message)
            if output.sent == 0 and not is_silent_command(text):
                council = default_registry().get(metadata.get("council"))
                await output.send_text_message(sender, apology(council))

        return blueprint
