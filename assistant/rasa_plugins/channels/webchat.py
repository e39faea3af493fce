"""Rasa's socket.io channel for the rasa-webchat widget, with two fixes.

- Session persistence: Rasa 3.6 calls python-socketio's `enter_room` without
  awaiting it (it is a coroutine in current python-socketio), so with
  `session_persistence: true` the widget never joins its session's room and never
  sees a reply. This channel answers `session_request` itself and awaits it.
- The session id a widget asks to resume must look like one the server issued
  (32 hex characters); anything else starts a new session.

Everything else (events, `customData` as the message metadata) is Rasa's.
"""

from __future__ import annotations

import inspect
import re
import uuid
from typing import Any

from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

SESSION_ID = re.compile(r"^[0-9a-f]{32}$")


def session_id_for(requested: object) -> str:
    """The session to join: the requested one if well formed, else a new one."""
    if isinstance(requested, str) and SESSION_ID.match(requested):
        return requested
    return uuid.uuid4().hex


class CouncilSocketIOInput(SocketIOInput):
    """`socketio` channel (socket.io at `/socket.io`), used by the web chat widget."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: Any) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = session_id_for(requested)
            if self.session_persistence:
                joined = sio.enter_room(sid, session_id, namespace=self.namespace)
                if inspect.isawaitable(joined):
                    await joined
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        return blueprint
