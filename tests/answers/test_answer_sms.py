"""assistant.answers.sms: which channels are SMS, and derived SMS text."""

from __future__ import annotations

import pytest

from assistant.answers.sms import SMS_MAX_CHARS, derive_sms, is_sms_channel, segments

LINK = "https://www.millbrook.example.gov.uk/waste-and-recycling"


@pytest.mark.parametrize(
    ("name", "sms"),
    [
        ("sms_twilio", True),
        ("sms_notify", True),
        ("SMS", True),
        ("collector", False),
        ("socketio", False),
        ("rest", False),
        (None, False),
    ],
)
def test_sms_channels_are_named_sms(name: object, sms: bool) -> None:
    assert is_sms_channel(name) is sms


def test_short_text_is_kept_whole_and_buttons_become_reply_options() -> None:
    text = derive_sms("Choose one:\n  of these", ["Pay council tax", "Bins"])
    assert text == "Choose one: of these Reply with: Pay council tax; Bins."


def test_long_text_keeps_whole_sentences_and_every_link() -> None:
    filler = " ".join(f"This is background sentence number {n}." for n in range(12))
    text = f"{filler} Find your bin day at {LINK} today. {filler}"
    sms = derive_sms(text)
    assert len(sms) <= SMS_MAX_CHARS
    assert LINK in sms
    assert sms.endswith(".")  # whole sentences, no cut mid-word


def test_a_single_overlong_sentence_is_cut_at_a_word_never_inside_a_link() -> None:
    text = "word " * 100 + LINK
    sms = derive_sms(text)
    assert len(sms) <= SMS_MAX_CHARS
    assert sms.endswith("…")
    assert "https://" not in sms or LINK in sms


def test_segments() -> None:
    assert segments("x" * 160) == 1
    assert segments("x" * 161) == 2
    assert segments("x" * 306) == 2
    assert segments("x" * 307) == 3
