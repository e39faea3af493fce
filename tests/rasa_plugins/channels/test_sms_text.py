"""Segment counting, numbered choices and shortening for SMS replies."""

from __future__ import annotations

import pytest

from assistant.rasa_plugins.channels.sms_text import (
    Choice,
    compose,
    count_segments,
    fits,
    is_gsm7,
    picked_choice,
    plain_text,
    shorten,
)


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("", "GSM-7", 0, 0),
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("€" * 80, "GSM-7", 160, 1),  # extension characters take two septets
        ("[" * 81, "GSM-7", 162, 2),
        ("Café £5 @ 9am, Müller & Søn", "GSM-7", 27, 1),  # in the GSM-7 alphabet
        ("Pryd mae'r bin yn cael ei gasglu? Dŵr", "UCS-2", 37, 1),  # ŵ is not
        ("Tŷ" + "a" * 68, "UCS-2", 70, 1),
        ("Tŷ" + "a" * 69, "UCS-2", 71, 2),
        ("ŷ" * 134, "UCS-2", 134, 2),
        ("ŷ" * 135, "UCS-2", 135, 3),
        ("🙂" * 35, "UCS-2", 70, 1),  # outside the BMP: two UTF-16 units each
    ],
)
def test_count_segments(text: str, encoding: str, units: int, segments: int) -> None:
    count = count_segments(text)
    assert (count.encoding, count.units, count.segments) == (encoding, units, segments)


def test_welsh_circumflex_switches_the_whole_text_to_ucs2() -> None:
    english = "Your bins are collected on Tuesday. " * 4
    assert count_segments(english).encoding == "GSM-7"
    welsh = english + "Diolch yn fawr, ŵyr."
    count = count_segments(welsh)
    assert count.encoding == "UCS-2"
    assert count.segments == -(-len(welsh) // 67)


def test_buttons_become_numbered_choices() -> None:
    reply = compose(
        [
            {"text": "I can help with these:"},
            {
                "text": "Choose one:",
                "buttons": [
                    {"title": "Pay council tax", "payload": "/council_tax_pay"},
                    {"title": "Bin collection day", "payload": "/bin_collection_day"},
                ],
            },
        ],
        "Reply with a number to choose.",
    )
    assert reply.text == (
        "I can help with these:\n\nChoose one:\n\n"
        "1. Pay council tax\n2. Bin collection day\nReply with a number to choose."
    )
    assert reply.choices == (
        Choice("Pay council tax", "/council_tax_pay"),
        Choice("Bin collection day", "/bin_collection_day"),
    )


def test_a_reply_without_buttons_offers_no_choices() -> None:
    reply = compose([{"text": "Hello"}, {"image": "https://x.example/a.png"}], "Pick")
    assert reply.text == "Hello"
    assert reply.choices == ()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("2", "/b"),
        (" 2 ", "/b"),
        ("2.", "/b"),
        ("1)", "/a"),
        ("3", None),
        ("0", None),
        ("22", None),
        ("two", None),
        ("2 please", None),
        ("", None),
    ],
)
def test_picked_choice(body: str, expected: str | None) -> None:
    choices = [Choice("A", "/a"), Choice("B", "/b")]
    picked = picked_choice(body, choices)
    assert (picked.payload if picked else None) == expected


def test_no_choice_without_offered_choices() -> None:
    assert picked_choice("1", []) is None


def test_markdown_links_keep_their_url() -> None:
    assert plain_text("Pay at [our site](https://pay.example/ct) **today**") == (
        "Pay at our site: https://pay.example/ct today"
    )


def test_short_text_is_unchanged() -> None:
    text = "Your bins are collected on Tuesday. See https://www.example.gov.uk/bins"
    assert shorten(text, 1) == text


def test_long_text_is_cut_at_a_sentence_and_keeps_a_dropped_link() -> None:
    link = "https://www.brackenbury.example.gov.uk/bins"
    text = "This is a sentence about bins. " * 20 + f"Full details at {link} today."
    short = shorten(text, 2, fallback_link="https://www.brackenbury.example.gov.uk")
    assert fits(short, 2)
    assert short.endswith(f"\nMore: {link}")
    body = short.removesuffix(f"\nMore: {link}")
    assert body.endswith("about bins.")  # a whole sentence
    assert text.startswith(body)


def test_the_fallback_link_is_used_when_the_cut_drops_no_link() -> None:
    text = "Word " * 400
    short = shorten(text.strip(), 1, fallback_link="https://www.millbrook.example.gov.uk")
    assert fits(short, 1)
    assert short.endswith("...\nMore: https://www.millbrook.example.gov.uk")


def test_a_cut_never_splits_a_link() -> None:
    link = "https://www.example.gov.uk/" + "a" * 120
    text = ("Some words here " * 8) + link + " and more words after it"
    short = shorten(text, 2)
    assert fits(short, 2)
    assert link in short or "https://" not in short.replace(link, "")


def test_ucs2_text_is_shortened_to_the_ucs2_cap() -> None:
    text = "Mae'r biniau'n cael eu casglu ddydd Mawrth ŵ. " * 10
    short = shorten(text, 2)
    count = count_segments(short)
    assert count.encoding == "UCS-2" and count.segments <= 2
    # two whole sentences (91 characters) fit in 134; a third would not
    assert short == ("Mae'r biniau'n cael eu casglu ddydd Mawrth ŵ. " * 2).strip()


def test_one_enormous_word_is_hard_cut() -> None:
    short = shorten("x" * 5000, 1)
    assert short == "x" * 157 + "..."


def test_a_gateways_character_limit_caps_even_ten_segments():
    text = "Your garden waste bin is collected every other Tuesday from April. " * 30
    assert fits(text[:1500], 10) and not fits(text[:1500], 10, max_chars=918)
    short = shorten(text, 10, "https://www.example.gov.uk/bins", max_chars=918)
    assert count_segments(short).units <= 918
    assert len(short) > 800  # it uses the room it has
    assert short.endswith("More: https://www.example.gov.uk/bins")
    # Extension characters count twice, so the limit is never passed by them either.
    euros = "€5 " * 400
    assert count_segments(shorten(euros, 10, None, max_chars=918)).units <= 918


def test_a_masked_reference_reads_the_same_on_the_web_and_by_sms() -> None:
    from assistant.identifiers import mask_reference

    said = f"The balance on account {mask_reference('30012345')} is £456.00."
    assert plain_text(said) == said and "345" in said and "*" not in said
    assert is_gsm7(said)
