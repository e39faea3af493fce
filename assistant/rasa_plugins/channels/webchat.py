"""Rasa's socket.io channel for the web chat, with its conversations owned.

The widget is the project's own (assistant/web/static/chat/).

- Ownership (session_credentials.py): the server issues every conversation's
  credential. The widget emits `session_request` with `{"session_id": <stored value
  or null>}`; a credential the server signed is resumed, anything else gets a fresh
  one; `session_confirm` answers with it (a string, as Rasa's channel does). The
  socket joins that conversation's room only, and `user_uttered` is accepted only
  with the credential bound to that socket: anything else is answered with a
  refusal and never reaches the assistant.
- Origins (origins.py): pages from sites not allowed in council.yml cannot connect,
  over WebSocket or polling.
- Session persistence: Rasa 3.6 calls python-socketio's `enter_room` without
  awaiting it (a coroutine in current python-socketio); here it is awaited.
- Messages are checked like the REST channel's (limits.py); a turn that would
  answer nothing answers an apology with the council's contact details.
- A "/payload" typed by hand is plain text unless it is a button just offered
  (payloads.py).

Events and `customData` as the message metadata are Rasa's.
"""

from __future__ import annotations

import hmac
import inspect
import json
import logging
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from assistant.councils import CouncilRegistry, default_registry
from assistant.rasa_plugins.channels.limits import message_problem, metadata_problem
from assistant.rasa_plugins.channels.origins import allowed_origins, guard_origins
from assistant.rasa_plugins.channels.payloads import typed_text
from assistant.rasa_plugins.channels.session_credentials import SessionCredentials
from assistant.rasa_plugins.shared_responses import apology, is_silent_command, slots_of
from assistant.settings import Settings

log = logging.getLogger(__name__)

NOT_THIS_SESSION = (
    "This chat is not open on this page any more: reload the page to carry on "
    "(your message was not sent)."
)


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


class SocketSessions:
    """Which credential (and conversation) each connected socket holds."""

    def __init__(self) -> None:
        self._bound: dict[str, tuple[str, str]] = {}  # sid -> (credential, conversation)

    def bind(self, sid: str, credential: str, conversation: str) -> str | None:
        """Bind `sid`; the conversation it held before, if any."""
        previous = self._bound.get(sid)
        self._bound[sid] = (credential, conversation)
        return previous[1] if previous else None

    def conversation(self, sid: str, presented: object) -> str | None:
        """The conversation of `sid` if `presented` is the credential bound to it."""
        bound = self._bound.get(sid)
        if bound is None or not isinstance(presented, str):
            return None
        credential, conversation = bound
        return conversation if hmac.compare_digest(presented, credential) else None

    def forget(self, sid: str) -> None:
        self._bound.pop(sid, None)


class CouncilSocketIOInput(SocketIOInput):
    """`socketio` channel (socket.io at `/socket.io`), used by the web chat widget."""

    settings: Settings | None = None  # None: from the environment when the server starts

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: Any) -> Blueprint:
        """Rasa's blueprint with our handlers; no signing secret: the server does not
        start (the error names `ASSISTANT_WEBCHAT_SECRET`)."""
        settings = self.settings or Settings.from_env()
        self.credentials = SessionCredentials.from_settings(settings)
        registry = CouncilRegistry.load(settings.councils_dir)
        blueprint = super().blueprint(on_new_message)
        assert self.sio is not None
        guard_origins(self.sio.eio, allowed_origins(registry, settings))
        self.sessions = SocketSessions()
        self.on_new_message = on_new_message
        namespace = self.namespace
        self.sio.on("session_request", namespace=namespace)(self.session_request)
        self.sio.on(self.user_message_evt, namespace=namespace)(self.handle_message)
        self.sio.on("disconnect", namespace=namespace)(self.disconnect)
        self.server: dict[str, Any] = {}

        @blueprint.listener("after_server_start")
        async def keep_app(app: Any, _loop: Any) -> None:
            self.server["app"] = app  # its agent's tracker store: what was last offered

        return blueprint

    async def session_request(self, sid: str, data: Any) -> None:
        """Resume the presented credential if the server signed it, else issue one;
        join that conversation's room (only) and confirm the credential."""
        sio = self.sio
        assert sio is not None
        requested = data.get("session_id") if isinstance(data, dict) else None
        if not self.session_persistence:
            requested = None
        credential, conversation = self.credentials.resume_or_issue(requested)
        previous = self.sessions.bind(sid, credential, conversation)
        if previous is not None and previous != conversation:
            await maybe_await(sio.leave_room(sid, previous, namespace=self.namespace))
        await maybe_await(sio.enter_room(sid, conversation, namespace=self.namespace))
        await sio.emit("session_confirm", credential, room=sid, namespace=self.namespace)

    async def handle_message(self, sid: str, data: Any) -> None:
        """Pass a message on as its socket's conversation, if it is that socket's."""
        sio = self.sio
        assert sio is not None
        output = CountingSocketIOOutput(sio, self.bot_message_evt)
        presented = data.get("session_id") if isinstance(data, dict) else None
        conversation = self.sessions.conversation(sid, presented)
        if conversation is None:
            log.warning("refused a web chat message for a session its socket does not hold")
            await output.send_text_message(sid, NOT_THIS_SESSION)
            return
        text, metadata, problem = read_message(data, self.metadata_key)
        if problem is not None:
            await output.send_text_message(sid, problem)
            return
        agent = getattr(getattr(self.server.get("app"), "ctx", None), "agent", None)
        text = await typed_text(agent, conversation, text)
        channel = self.name()
        message = UserMessage(text, output, conversation, input_channel=channel, metadata=metadata)
        await self.on_new_message(message)
        if output.sent == 0 and not is_silent_command(text):
            slots = await slots_of(agent, conversation)
            council = default_registry().get(slots.get("council") or metadata.get("council"))
            await output.send_text_message(conversation, apology(council, slots))

    async def disconnect(self, sid: str) -> None:
        self.sessions.forget(sid)


async def maybe_await(result: Any) -> None:
    """Await `result` if it is awaitable (python-socketio's room calls changed to
    coroutines between versions)."""
    if inspect.isawaitable(result):
        await result
