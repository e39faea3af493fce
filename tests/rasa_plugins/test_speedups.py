"""The compiled action-reply check accepts and rejects exactly what Rasa's does."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError, validate
from rasa.core.actions.action import RemoteAction

from assistant.rasa_plugins import speedups as rasa_speedups

GOOD = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "council", "value": "millbrook"}], "responses": []},
    {"events": [], "responses": [{"response": "utter_greet", "council_name": "X"}]},
]
BAD = [
    {"events": "not a list"},
    {"events": [{"no_event_key": 1}]},
    {"responses": [{"text": 5}], "events": [5]},
]


@pytest.fixture(autouse=True)
def installed() -> None:
    rasa_speedups.install()


def remote_action() -> RemoteAction:
    return RemoteAction("action_test", None)


@pytest.mark.parametrize("result", GOOD)
def test_valid_replies_pass_as_with_rasa(result: dict) -> None:
    validate(result, RemoteAction.action_response_format_spec())  # Rasa's own check
    assert remote_action()._validate_action_result(result) is True


@pytest.mark.parametrize("result", BAD)
def test_invalid_replies_fail_as_with_rasa(result: dict) -> None:
    with pytest.raises(ValidationError):
        validate(result, RemoteAction.action_response_format_spec())
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        remote_action()._validate_action_result(result)


def test_install_is_idempotent_and_uses_the_compiled_validator() -> None:
    rasa_speedups.install()
    assert RemoteAction._validate_action_result is rasa_speedups.validate_action_result
    assert rasa_speedups.action_result_validator() is rasa_speedups.action_result_validator()
