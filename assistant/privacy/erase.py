"""Erasing one resident's data everywhere it is kept (UK GDPR right to erasure).

By conversation id (web chat or REST) or by phone number (each SMS conversation the
number has with any council). The tracker store's events and the SMS choices go;
an opt-out stays so that the number keeps getting no texts (it holds only a keyed
hash). Logs hold no resident text (see `assistant.rasa_plugins.log_privacy`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.privacy.stores import DataStores


@dataclass
class ErasureReport:
    """What an erasure deleted, per conversation id."""

    events: dict[str, int] = field(default_factory=dict)
    sms_choices: dict[str, int] = field(default_factory=dict)

    @property
    def found(self) -> bool:
        return any(self.events.values()) or any(self.sms_choices.values())

    def lines(self) -> list[str]:
        return [
            f"{conversation}: {self.events[conversation]} events, "
            f"{self.sms_choices[conversation]} SMS choices deleted"
            for conversation in self.events
            if self.events[conversation] or self.sms_choices[conversation]
        ]


def erase(stores: DataStores, conversations: list[str]) -> ErasureReport:
    """Delete every record of these conversations (idempotent)."""
    report = ErasureReport()
    for conversation in conversations:
        report.events[conversation] = stores.trackers.delete(conversation)
        report.sms_choices[conversation] = stores.sms.delete_choices(conversation)
    return report
