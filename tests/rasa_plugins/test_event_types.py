"""Event classes found by name once give Rasa's answers, also after a new event class
is defined."""

from __future__ import annotations

import gc

import pytest
from rasa.shared.core.events import Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.utils.common import all_subclasses

from assistant.rasa_plugins import event_types

rasa_resolve = event_types._rasa_resolve


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Installed for one test only (pytest puts Event's attributes back after)."""
    monkeypatch.setattr(event_types, "_resolved", {})
    monkeypatch.setattr(Event, "resolve_by_type", staticmethod(event_types.resolve_by_type))
    monkeypatch.setattr(
        Event, "__init_subclass__", classmethod(event_types.forget_on_new_subclass), raising=False
    )


def test_every_event_name_resolves_as_rasa_resolves_it(installed: None) -> None:
    names = {cls.type_name for cls in all_subclasses(Event)}
    assert {"slot", "user", "bot", "session_started"} <= names
    for _ in range(2):  # walked, then remembered
        for name in names:
            assert Event.resolve_by_type(name) is rasa_resolve(name)
    assert event_types._resolved.keys() == names


def test_unknown_names_go_rasas_way(installed: None) -> None:
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")
    assert "no_such_event" not in event_types._resolved


def test_a_stored_conversation_reads_back_the_same(installed: None) -> None:
    events = [SessionStarted(), UserUttered("hi", {"name": "greet"}), SlotSet("council", "x")]
    dicts = [event.as_dict() for event in events]
    assert [Event.from_parameters(d) for d in dicts] == events


def test_a_new_event_class_is_found_where_rasa_would_find_it(installed: None) -> None:
    # SessionStarted is not a direct subclass of Event: a new direct subclass with its
    # name comes first in Rasa's walk, and so is the answer from then on.
    assert SessionStarted not in Event.__subclasses__()
    assert Event.resolve_by_type("session_started") is SessionStarted

    class Shadow(Event):
        type_name = "session_started"

        def __eq__(self, other: object) -> bool:
            return type(other) is type(self)

        def as_story_string(self) -> None:
            return None

    try:
        assert rasa_resolve("session_started") is Shadow
        assert Event.resolve_by_type("session_started") is Shadow
    finally:
        event_types._resolved.clear()
        del Shadow
        gc.collect()  # Event forgets its subclasses once they are gone
    assert rasa_resolve("session_started") is SessionStarted


def test_install_is_idempotent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Event, "resolve_by_type", Event.resolve_by_type)
    monkeypatch.setattr(Event, "__init_subclass__", Event.__init_subclass__, raising=False)
    monkeypatch.delattr(Event, event_types._INSTALLED_MARK, raising=False)
    event_types.install()
    event_types.install()
    assert Event.resolve_by_type is event_types.resolve_by_type
    delattr(Event, event_types._INSTALLED_MARK)  # (monkeypatch puts back what was before)
