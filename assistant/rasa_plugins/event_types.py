"""Find an event's class by its name once, not at every event (issue 14).

Rasa 3.6 turns every stored event back into an object through
`Event.resolve_by_type`, which walks the whole tree of `Event` subclasses, asking
of each whether it is abstract, to find the one class with that `type_name`. It does
so for each event of a conversation read from the tracker store and for each event
an action server sends back. Measured in one process on a conversation of 77 events
from this stack: rebuilding the tracker from its stored events took 7.8 ms, 92 % of
it in that walk.

`install()` remembers the class found for each name. The answer can only change
when a new `Event` subclass is defined, so defining one (at any depth) forgets what
was remembered. An unknown name goes Rasa's way every time (`topic`, the default,
or Rasa's error), so the answers are Rasa's.

Installed when Rasa loads this project's channels or NLG client (installed.py).
"""

from __future__ import annotations

from typing import Any

from rasa.shared.core.events import Event

_INSTALLED_MARK = "_council_assistant_resolved"
_rasa_resolve = Event.resolve_by_type
# Each event name's class, as Rasa's walk found it.
_resolved: dict[str, type[Event]] = {}


def resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    """Rasa's `Event.resolve_by_type`, remembering the classes it finds."""
    found = _resolved.get(type_name)
    if found is not None:
        return found
    resolved = _rasa_resolve(type_name, default)
    if resolved is not None and resolved is not default:
        _resolved[type_name] = resolved
    return resolved


def forget_on_new_subclass(cls: type[Event], **kwargs: Any) -> None:
    """`Event.__init_subclass__`: a new event class may change an answer."""
    _resolved.clear()
    super(Event, cls).__init_subclass__(**kwargs)


def install() -> None:
    """Remember each event name's class (idempotent)."""
    if getattr(Event, _INSTALLED_MARK, False):
        return
    Event.resolve_by_type = staticmethod(resolve_by_type)
    Event.__init_subclass__ = classmethod(forget_on_new_subclass)
    setattr(Event, _INSTALLED_MARK, True)
