"""Web chat session credentials: issued by the server, signed, unguessable.

A credential is `<id>.<signature>`: 32 random hex characters and the hex
HMAC-SHA256 of the id under `ASSISTANT_WEBCHAT_SECRET`. The widget keeps it (session
storage) and presents it to resume its conversation. The conversation itself (the
tracker's sender id and the socket.io room) is `web-<id>`, which never contains the
signature: whoever reads a tracker, a log or a transcript cannot rebuild the
credential, and an id the server did not sign is never accepted.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from assistant.settings import MIN_SECRET_LENGTH, Secret, Settings

SECRET_ENV = "ASSISTANT_WEBCHAT_SECRET"
CREDENTIAL = re.compile(r"^([0-9a-f]{32})\.([0-9a-f]{64})$")
CONVERSATION_PREFIX = "web-"
PURPOSE = b"webchat-session:"  # keeps these signatures apart from any other use of a key


class MissingWebchatSecret(RuntimeError):
    """The web chat cannot start without its signing secret."""


@dataclass(frozen=True)
class SessionCredentials:
    """Issues and verifies web chat session credentials."""

    secret: Secret

    @classmethod
    def from_settings(cls, settings: Settings) -> SessionCredentials:
        """From `ASSISTANT_WEBCHAT_SECRET`; missing or short: an error naming it."""
        secret = settings.webchat_secret
        if secret is None or len(secret.reveal()) < MIN_SECRET_LENGTH:
            raise MissingWebchatSecret(
                f"The web chat needs {SECRET_ENV}: a random value of at least "
                f"{MIN_SECRET_LENGTH} characters that signs residents' session credentials "
                '(python -c "import secrets; print(secrets.token_urlsafe(32))").'
            )
        return cls(secret)

    def _sign(self, session: str) -> str:
        key = self.secret.reveal().encode()
        return hmac.new(key, PURPOSE + session.encode(), hashlib.sha256).hexdigest()

    def issue(self) -> str:
        """A fresh credential."""
        session = secrets.token_hex(16)
        return f"{session}.{self._sign(session)}"

    def verify(self, credential: object) -> str | None:
        """The conversation `credential` opens, or None when the server did not sign it."""
        match = CREDENTIAL.match(credential) if isinstance(credential, str) else None
        if match is None:
            return None
        session, signature = match.groups()
        if not hmac.compare_digest(signature, self._sign(session)):
            return None
        return conversation_of(session)

    def resume_or_issue(self, requested: object) -> tuple[str, str]:
        """(credential, conversation): the requested one if genuine, else a fresh one."""
        conversation = self.verify(requested)
        if conversation is not None and isinstance(requested, str):
            return requested, conversation
        credential = self.issue()
        fresh = self.verify(credential)
        assert fresh is not None
        return credential, fresh


def conversation_of(session: str) -> str:
    """The tracker sender id (and socket.io room) of a session id (not a credential)."""
    return CONVERSATION_PREFIX + session
