"""The socket.io channel's session handling (the browser tests cover the rest)."""

from __future__ import annotations

import re

import pytest

from assistant.rasa_plugins.channels.webchat import CouncilSocketIOInput, session_id_for

ISSUED = "0123456789abcdef0123456789abcdef"


def test_a_well_formed_session_is_resumed():
    assert session_id_for(ISSUED) == ISSUED


@pytest.mark.parametrize(
    "requested", [None, "", "someone-elses-room", ISSUED.upper(), ISSUED + "0", 42, {"a": 1}]
)
def test_anything_else_gets_a_new_session(requested):
    new = session_id_for(requested)
    assert re.fullmatch(r"[0-9a-f]{32}", new) and new != requested
    assert session_id_for(requested) != new  # fresh every time


def test_channel_reads_the_widgets_custom_data_as_metadata():
    channel = CouncilSocketIOInput.from_credentials(
        {"session_persistence": True, "metadata_key": "customData"}
    )
    assert channel.name() == "socketio"
    assert channel.session_persistence is True
    assert channel.metadata_key == "customData"
