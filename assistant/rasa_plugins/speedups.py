"""A measured fix for Rasa 3.6's remote-action hot path.

Rasa checks every action server reply with `jsonschema.validate()`, which first
re-validates the (constant) response schema against its meta-schema on every
call. Profiled with py-spy on this stack, that re-check was 44 % of the Rasa
server's CPU time for a greeting turn. `install()` replaces the check with one
done by a validator compiled once from the same schema: the same replies pass,
the same replies fail with the same `ValidationError`.

Installed when Rasa loads this project's channels and NLG client, so it applies
wherever this project's Rasa server runs; it changes nothing else.
"""

from __future__ import annotations

import functools
from typing import Any

from jsonschema import Draft7Validator, ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

_INSTALLED_MARK = "_council_assistant_cached_validator"


@functools.cache
def action_result_validator() -> Draft7Validator:
    """The validator for action server replies, compiled once."""
    schema = RemoteAction.action_response_format_spec()
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema)


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """Rasa's `_validate_action_result`, with the schema compiled once."""
    try:
        action_result_validator().validate(result)
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, make sure your "
            f"response from the Action endpoint is valid. See {DOCS_BASE_URL}/custom-actions"
        )
        raise
    return True


def install() -> None:
    """Use the compiled validator for remote actions (idempotent)."""
    if getattr(RemoteAction, _INSTALLED_MARK, False):
        return
    RemoteAction._validate_action_result = validate_action_result
    setattr(RemoteAction, _INSTALLED_MARK, True)
