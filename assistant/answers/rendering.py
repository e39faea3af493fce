"""Filling an answer in for one conversation and channel.

The variation is chosen as Rasa chooses it (`variations.py`); its text, button
titles and rich fields (image, custom, attachment, quick_replies: the fields Rasa
fills in) get the conversation's values. SMS gets plain text and the buttons,
which the SMS channels send as numbered choices (an SMS variation without buttons
of its own keeps the answer's: the SMS wording replaces the text, not the choices).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from assistant.answers.defaults import Answer
from assistant.answers.sms import derive_sms, is_sms_channel
from assistant.answers.templates import render
from assistant.answers.variations import SMS_FAMILY, Variation, choose

FILLED_RICH_KEYS = frozenset({"image", "custom", "attachment", "quick_replies"})  # as Rasa
SMS_RICH_KEYS = ("quick_replies",)  # the only rich field a text message can carry
_RANDOM = random.Random()


@dataclass(frozen=True)
class Rendered:
    """An answer filled in for one conversation and channel."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    image: str | None = None
    custom: Mapping[str, Any] = field(default_factory=dict)
    extras: Mapping[str, Any] = field(default_factory=dict)  # attachment, elements...

    def to_nlg(self) -> dict[str, Any]:
        """The body Rasa's NLG endpoint expects (empty parts left out)."""
        body: dict[str, Any] = {"text": self.text}
        if self.buttons:
            body["buttons"] = self.buttons
        if self.image:
            body["image"] = self.image
        if self.custom:
            body["custom"] = dict(self.custom)
        body.update({key: value for key, value in self.extras.items() if value})
        return body


def fill(value: Any, values: Mapping[str, object]) -> Any:
    """Placeholders filled in every string of `value` (lists and mappings too)."""
    if isinstance(value, str):
        return render(value, values)
    if isinstance(value, list):
        return [fill(item, values) for item in value]
    if isinstance(value, dict):
        return {key: fill(item, values) for key, item in value.items()}
    return value


def render_answer(
    answer: Answer,
    values: Mapping[str, object],
    sms: bool,
    channel: str | None = None,
    slots: Mapping[str, Any] | None = None,
    rng: random.Random | None = None,
) -> Rendered:
    """Fill an answer in for the web (or any other channel) or SMS; `slots` decide
    conditional variations, `rng` the choice among equally eligible ones."""
    if channel is None and sms:
        channel = SMS_FAMILY
    sms = sms or is_sms_channel(channel)
    chosen = choose(answer.variations, channel, slots or {}, rng or _RANDOM)
    if chosen is None:
        main = {"image": answer.image, "custom": dict(answer.custom)}
        chosen = Variation(answer.text, answer.buttons, {k: v for k, v in main.items() if v})
    text = render(chosen.text, values).strip()
    # An SMS wording without buttons of its own keeps the answer's (numbered choices).
    own_buttons = chosen.buttons or (answer.buttons if sms and chosen.channel else ())
    buttons = [
        {"title": render(button["title"], values), "payload": button["payload"]}
        for button in own_buttons
    ]
    rich = {
        key: fill(value, values) if key in FILLED_RICH_KEYS else value
        for key, value in chosen.rich.items()
    }
    if not sms:
        image, custom = rich.pop("image", None), rich.pop("custom", None)
        return Rendered(
            text=text,
            buttons=buttons,
            image=image if isinstance(image, str) else None,
            custom=custom if isinstance(custom, dict) else {},
            extras=rich,
        )
    extras = {key: rich[key] for key in SMS_RICH_KEYS if rich.get(key)}
    if chosen.channel is not None:  # written for SMS
        return Rendered(text=" ".join(text.split()), buttons=buttons, extras=extras)
    if answer.sms_text:
        sms_text = " ".join(render(answer.sms_text, values).split())
        return Rendered(text=sms_text, buttons=buttons, extras=extras)
    return Rendered(text=derive_sms(" ".join(text.split())), buttons=buttons, extras=extras)
