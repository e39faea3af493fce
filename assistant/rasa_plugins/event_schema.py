"""Rasa's check of an action server's events, without trying every kind of event
(issue 14).

Rasa checks each event an action server sends against its event schema, a `oneOf` of
23 kinds of event, each naming its kind with a `const` on the `event` property.
jsonschema's `oneOf` must show that exactly one kind holds, so for every event it
validates all 23, the last 22 each through a new validator (`evolve`): profiled with
py-spy on this stack, 4 % of the Rasa server's time per message.

`one_of` decides the common case directly. Where every alternative names a kind by a
string `const` on `event` (and no `$ref` hides it), an event whose `event` is a
string can only satisfy the alternatives naming that kind: any other fails its
`const`. If exactly one alternative names it and the event satisfies it, `oneOf`
holds. Anything else (another kind of `oneOf`, no such kind, an event that does not
satisfy it) goes to jsonschema's own `oneOf`, so every reply passes or fails, with
the same errors, as under Rasa's check (tests/rasa_plugins/test_event_schema.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jsonschema import Draft7Validator, ValidationError, validators

_jsonschema_one_of = Draft7Validator.VALIDATORS["oneOf"]
KIND = "event"


def named_kind(subschema: Any) -> str | None:
    """The kind of event a `oneOf` alternative names (a string `const` on `event`
    that no `$ref` overrides), else None."""
    if not isinstance(subschema, dict) or "$ref" in subschema:
        return None
    properties = subschema.get("properties")
    kind = properties.get(KIND) if isinstance(properties, dict) else None
    if not isinstance(kind, dict) or "$ref" in kind:
        return None
    const = kind.get("const")
    return const if isinstance(const, str) else None


def one_of(
    validator: Any, alternatives: list[Any], instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    """jsonschema's `oneOf`, deciding directly when the alternatives are kinds of event."""
    kind = instance.get(KIND) if isinstance(instance, dict) else None
    if isinstance(kind, str):
        kinds = [named_kind(alternative) for alternative in alternatives]
        if None not in kinds and kinds.count(kind) == 1:
            index = kinds.index(kind)
            errors = validator.descend(instance, alternatives[index], schema_path=index)
            if next(errors, None) is None:
                return
    yield from _jsonschema_one_of(validator, alternatives, instance, schema)


EventSchemaValidator = validators.extend(Draft7Validator, {"oneOf": one_of})
