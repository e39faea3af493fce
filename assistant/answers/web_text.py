"""Values from the conversation as text in the web chat's Markdown subset.

The web chat (assistant/web/static/chat/render.mjs) reads answers as a small Markdown
subset. A value a resident controls (what they said, a location, an address) or an
action passes (a masked reference such as "*345") is filled into an answer as text:
its Markdown characters (and ":", so an address typed by a resident is not made a
link) are escaped with a backslash, which the renderer shows as the character itself.
A value that is one web address is left as it is, so it stays a link.
"""

from __future__ import annotations

import re

WEB_CHANNELS = frozenset({"socketio"})
_MARKDOWN = re.compile(r"([\\*_\[\]()!:`])")
_ONE_ADDRESS = re.compile(r"https?://\S+")


def is_web_channel(name: object) -> bool:
    """Whether replies on channel `name` are drawn by the web chat's renderer."""
    return isinstance(name, str) and name in WEB_CHANNELS


def as_text(value: object) -> object:
    """`value` escaped for the web chat's Markdown, unless it is not text or one address."""
    if not isinstance(value, str) or _ONE_ADDRESS.fullmatch(value):
        return value
    return _MARKDOWN.sub(r"\\\1", value)
