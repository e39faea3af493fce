"""Response variations, chosen the way Rasa 3.6 chooses them.

A response in domain.yml is a list of variations. Each may name a `channel` and a
`condition` (a list of `{type: slot, name, value}`: it applies only when every
slot has that value; strings compare without regard to case). Rasa's order
(`rasa.core.nlg.generator.ResponseVariationFilter`): conditional variations for
the channel, else unconditional ones for the channel, else conditional ones for
any channel, else unconditional ones for any channel; one is then picked at
random among those. Beyond Rasa: `channel: sms` stands for every SMS channel
(`sms_twilio`, `sms_notify`), where an exact channel name still comes first.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.answers.sms import is_sms_channel

log = logging.getLogger(__name__)

SMS_FAMILY = "sms"
# Keys of a variation that are not passed on to the channel as they are.
CONTROL_KEYS = frozenset({"text", "buttons", "channel", "condition", "id"})
RICH_KEYS = ("image", "custom", "attachment", "elements", "quick_replies")


@dataclass(frozen=True)
class Condition:
    """One constraint of a conditional variation: slot `name` has `value`."""

    name: str
    value: Any

    def holds(self, slots: Mapping[str, Any]) -> bool:
        filled = slots.get(self.name)
        if isinstance(filled, str) and isinstance(self.value, str):
            return filled.casefold() == self.value.casefold()
        return bool(filled == self.value)


@dataclass(frozen=True)
class Variation:
    """One variation of a response: its text, buttons, any other fields Rasa passes
    to channels (image, custom, attachment, elements, quick_replies...), and when it
    applies."""

    text: str = ""
    buttons: tuple[Mapping[str, str], ...] = ()
    rich: Mapping[str, Any] = field(default_factory=dict)
    channel: str | None = None
    conditions: tuple[Condition, ...] = ()

    def applies(self, slots: Mapping[str, Any]) -> bool:
        return all(condition.holds(slots) for condition in self.conditions)


def parse_variation(raw: object) -> Variation | None:
    """A variation from one domain.yml entry; None if it has nothing to say or a
    condition this system (like Rasa 3.6) does not know."""
    if not isinstance(raw, dict):
        return None
    conditions = _conditions(raw.get("condition"))
    if conditions is None:
        return None
    rich = {str(key): value for key, value in raw.items() if key not in CONTROL_KEYS}
    text = raw.get("text")
    buttons = tuple(
        {"title": str(button.get("title", "")), "payload": str(button.get("payload", ""))}
        for button in raw.get("buttons") or []
        if isinstance(button, dict)
    )
    if not (isinstance(text, str) and text) and not buttons and not any(rich.values()):
        return None
    channel = raw.get("channel")
    return Variation(
        text=text if isinstance(text, str) else "",
        buttons=buttons,
        rich={key: value for key, value in rich.items() if value is not None},
        channel=str(channel) if channel is not None else None,
        conditions=conditions,
    )


def _conditions(raw: object) -> tuple[Condition, ...] | None:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        log.warning("a response variation's condition is not a list; variation ignored")
        return None
    conditions = []
    for item in raw:
        if not isinstance(item, dict) or item.get("type") != "slot" or "name" not in item:
            log.warning("unsupported response condition %.80r; variation ignored", item)
            return None
        conditions.append(Condition(str(item["name"]), item.get("value")))
    return tuple(conditions)


def _for_channel(variations: Sequence[Variation], channel: str | None) -> list[Variation]:
    """Variations naming this channel: exactly, else through the SMS family."""
    exact = [v for v in variations if v.channel is not None and v.channel == channel]
    if exact:
        return exact
    if is_sms_channel(channel):
        return [v for v in variations if v.channel == SMS_FAMILY]
    return []


def eligible(
    variations: Sequence[Variation], channel: str | None, slots: Mapping[str, Any]
) -> list[Variation]:
    """The variations Rasa would choose among, in Rasa's order of preference."""
    conditional = [v for v in variations if v.conditions and v.applies(slots)]
    default = [v for v in variations if not v.conditions]
    for group in (
        _for_channel(conditional, channel),
        _for_channel(default, channel),
        [v for v in conditional if v.channel is None],
    ):
        if group:
            return group
    return [v for v in default if v.channel is None]


def choose(
    variations: Sequence[Variation],
    channel: str | None,
    slots: Mapping[str, Any],
    rng: random.Random,
) -> Variation | None:
    """One of the eligible variations, at random (seed `rng` for repeatable tests)."""
    candidates = eligible(variations, channel, slots)
    return rng.choice(candidates) if candidates else None
