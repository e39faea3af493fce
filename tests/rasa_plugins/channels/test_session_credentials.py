"""Web chat session credentials: only the server's own signature opens a conversation."""

from __future__ import annotations

import pytest

from assistant.rasa_plugins.channels.session_credentials import (
    MissingWebchatSecret,
    SessionCredentials,
)
from assistant.settings import Secret, Settings

SECRET = "the-servers-webchat-secret"


def credentials(secret: str = SECRET) -> SessionCredentials:
    return SessionCredentials(Secret(secret))


def test_an_issued_credential_opens_its_conversation_which_holds_no_signature() -> None:
    credential = credentials().issue()
    session, signature = credential.split(".")
    assert credentials().verify(credential) == f"web-{session}"
    assert signature not in (credentials().verify(credential) or "")


def test_credentials_are_unguessable_and_fresh() -> None:
    issued = {credentials().issue() for _ in range(200)}
    assert len(issued) == 200


def test_another_servers_secret_or_a_changed_credential_opens_nothing() -> None:
    credential = credentials().issue()
    session, signature = credential.split(".")
    assert credentials("another-secret-of-length").verify(credential) is None
    flipped = session[:-1] + ("0" if session[-1] != "0" else "1")
    for forged in (f"{flipped}.{signature}", session, f"web-{session}", credential + "0", None):
        assert credentials().verify(forged) is None


def test_resume_keeps_a_genuine_credential_and_replaces_anything_else() -> None:
    genuine = credentials().issue()
    assert credentials().resume_or_issue(genuine)[0] == genuine
    replaced, conversation = credentials().resume_or_issue(genuine.split(".")[0])
    assert replaced != genuine and credentials().verify(replaced) == conversation


@pytest.mark.parametrize("environ", [{}, {"ASSISTANT_WEBCHAT_SECRET": "short"}])
def test_a_missing_or_short_secret_is_an_error_naming_the_variable(environ: dict) -> None:
    with pytest.raises(MissingWebchatSecret, match="ASSISTANT_WEBCHAT_SECRET"):
        SessionCredentials.from_settings(Settings.from_env(environ))
