"""Issue 13: Welsh by SMS: ŵ, ŷ and the other Welsh letters force UCS-2 (70 characters,
or 67 each once split), and numbered choices are prompted in the council's languages."""

from __future__ import annotations

from assistant.councils import default_registry
from assistant.rasa_plugins.channels.sms import CHOICE_PROMPT, choice_prompt
from assistant.rasa_plugins.channels.sms_text import count_segments, fits


def test_welsh_letters_outside_gsm7_force_ucs2() -> None:
    for letter in "ŵŷâêîôûŴŶ":
        count = count_segments(f"Mae'r d{letter}r yn codi")
        assert count.encoding == "UCS-2", letter
    assert count_segments("Mae'r dwr yn codi").encoding == "GSM-7"
    assert count_segments("ŵ" * 70).segments == 1 and count_segments("ŵ" * 71).segments == 2
    assert count_segments("ŵ" * 201).segments == 3 and count_segments("ŵ" * 202).segments == 4
    assert fits("ŵ" * 201, 3) and not fits("ŵ" * 202, 3)
    assert fits("w" * 459, 3)  # the same cap in GSM-7 holds more than twice as much


def test_numbered_choices_are_prompted_in_the_councils_languages() -> None:
    abercoed, brackenbury = (
        default_registry().get("abercoed"),
        default_registry().get("brackenbury"),
    )
    assert abercoed is not None and brackenbury is not None
    assert choice_prompt(brackenbury) == CHOICE_PROMPT
    welsh = choice_prompt(abercoed)
    assert welsh.startswith("Atebwch gyda rhif i ddewis.") and welsh.endswith(CHOICE_PROMPT)
