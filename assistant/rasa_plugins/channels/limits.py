"""What a channel lets through to the assistant: bounded ids, messages and metadata.

Everything here ends up in the tracker store for the life of the conversation, so
nothing unbounded may pass: a sender id of at most `MAX_SENDER_LENGTH` characters,
a message of at most `MAX_MESSAGE_LENGTH`, and metadata with only the keys the
assistant reads (`METADATA_KEYS`), each a short string.
"""

from __future__ import annotations

from typing import Any

MAX_SENDER_LENGTH = 128
MAX_MESSAGE_LENGTH = 20_000
# The only metadata the assistant reads: which council's website or number it came through.
METADATA_KEYS = frozenset({"council"})
MAX_METADATA_VALUE_LENGTH = 64
EXAMPLE_METADATA = '{"council": "brackenbury"}'


def sender_problem(sender: Any) -> str | None:
    """What is wrong with a sender (conversation) id, or None."""
    if not isinstance(sender, str) or not sender.strip():
        return "'sender' must be a non-empty string identifying the conversation."
    if len(sender) > MAX_SENDER_LENGTH:
        return f"'sender' must be at most {MAX_SENDER_LENGTH} characters."
    return None


def message_problem(message: Any) -> str | None:
    """What is wrong with a message's text, or None."""
    if not isinstance(message, str):
        return "'message' must be a string (it may be empty)."
    if len(message) > MAX_MESSAGE_LENGTH:
        return f"'message' must be at most {MAX_MESSAGE_LENGTH} characters."
    return None


def metadata_problem(metadata: Any) -> str | None:
    """What is wrong with a message's metadata (None and {} are fine), or None."""
    if metadata is None:
        return None
    if not isinstance(metadata, dict):
        return f"'metadata' must be a JSON object, for example {EXAMPLE_METADATA}."
    unknown = sorted(str(key)[:40] for key in metadata if key not in METADATA_KEYS)
    if unknown:
        allowed = ", ".join(sorted(METADATA_KEYS))
        return f"'metadata' may only contain {allowed}; not {', '.join(unknown[:5])}."
    for key, value in metadata.items():
        if not isinstance(value, str) or len(value) > MAX_METADATA_VALUE_LENGTH:
            return (
                f"'metadata.{key}' must be a string of at most "
                f"{MAX_METADATA_VALUE_LENGTH} characters."
            )
    return None
