"""Unit tests for the UK identifier rules in assistant.identifiers."""

from __future__ import annotations

import dataclasses

import pytest

from assistant.identifiers import (
    FoundEntity,
    find_entities,
    mask_reference,
    normalise_council_tax_ref,
    normalise_pcn,
    normalise_planning_ref,
    normalise_postcode,
    outward_code,
)


def _found(text: str) -> list[tuple[str, str, str]]:
    return [(f.entity, f.value, f.text) for f in find_entities(text)]


# --- postcodes --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("M1 1AE", "M1 1AE"),  # A9 9AA
        ("B33 8TH", "B33 8TH"),  # A99 9AA
        ("CR2 6XH", "CR2 6XH"),  # AA9 9AA
        ("DN55 1PT", "DN55 1PT"),  # AA99 9AA
        ("W1A 0AX", "W1A 0AX"),  # A9A 9AA
        ("EC1A 1BB", "EC1A 1BB"),  # AA9A 9AA
        ("SW1A 1AA", "SW1A 1AA"),
        ("GIR 0AA", "GIR 0AA"),
        ("BK1 2AB", "BK1 2AB"),
    ],
)
def test_normalise_postcode_accepts_every_format(text: str, expected: str) -> None:
    assert normalise_postcode(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bk12ab", "BK1 2AB"),
        (" Bk1  2ab ", "BK1 2AB"),
        ("sw1a1aa", "SW1A 1AA"),
        ("SW1A1AA", "SW1A 1AA"),
        ("ec1a 1bb", "EC1A 1BB"),
        ("gir0aa", "GIR 0AA"),
        ("\tm1\u00a01ae\n", "M1 1AE"),
        ("dn551pt", "DN55 1PT"),
    ],
)
def test_normalise_postcode_fixes_case_and_spacing(text: str, expected: str) -> None:
    assert normalise_postcode(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "BK1",
        "12345",
        "BK1 2A",
        "BK1 2ABC",
        "hello",
        "Q1 1AA",  # Q never first
        "V1 1AA",  # V never first
        "X1 1AA",  # X never first
        "AI1 1AA",  # I never second
        "AJ1 1AA",  # J never second
        "AZ1 1AA",  # Z never second
        "W1I 1AA",  # I not allowed third in A9A
        "EC1C 1BB",  # C not allowed fourth in AA9A
        "BK1 2CB",  # C never in the inward code
        "BK1 2AI",  # I never in the inward code
        "BK1 2KM",
        "BK1 2OV",
        "BK123 2AB",
        "1BK 2AB",
        "GIR 0AB",
        "BK1-2AB",
        "BK1 2AB extra",
        "£K1 2AB",
        "ＢＫ１ ２ＡＢ",  # full-width characters
        "BK1 2AB" * 20,
    ],
)
def test_normalise_postcode_rejects_malformed(text: str) -> None:
    assert normalise_postcode(text) is None


@pytest.mark.parametrize(
    ("postcode", "expected"),
    [
        ("BK1 2AB", "BK1"),
        ("SW1A 1AA", "SW1A"),
        ("dn551pt", "DN55"),
        ("M1 1AE", "M1"),
        ("GIR 0AA", "GIR"),
    ],
)
def test_outward_code(postcode: str, expected: str) -> None:
    assert outward_code(postcode) == expected


def test_outward_code_rejects_invalid_postcode() -> None:
    with pytest.raises(ValueError):
        outward_code("hello")


# --- references -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3001 2345", "30012345"),
        ("4001-23456", "400123456"),
        ("30012345", "30012345"),
        ("1234567", "1234567"),
        ("1234567890", "1234567890"),
        ("  300 123 45  ", "30012345"),
        ("0012345", "0012345"),
    ],
)
def test_normalise_council_tax_ref(text: str, expected: str) -> None:
    assert normalise_council_tax_ref(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "123456",
        "12345678901",
        "3001 234x",
        "ref 30012345",
        "-30012345",
        "30012345-",
        "3001.2345",
        "BK12345678",
        "٣٠٠١٢٣٤٥",  # non-ASCII digits
        "1" * 10_000,
    ],
)
def test_normalise_council_tax_ref_rejects(text: str) -> None:
    assert normalise_council_tax_ref(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bk/24/0123/ful", "BK/24/0123/FUL"),
        ("24 / 00456 / hh", "24/00456/HH"),
        ("BK/24/0123/FUL", "BK/24/0123/FUL"),
        ("P/2024/0123", "P/2024/0123"),
        ("  dc/24/01234/ful ", "DC/24/01234/FUL"),
        ("PL/2024/00123/PPFUL", "PL/2024/00123/PPFUL"),
    ],
)
def test_normalise_planning_ref(text: str, expected: str) -> None:
    assert normalise_planning_ref(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "12/03/2024",  # no letters part
        "12/Mar/2024",  # a date with a month name
        "BK/FUL/HH",  # no digits part
        "BK/24",  # too few parts
        "A/B/1/2/3",  # too many parts
        "BK//0123/FUL",
        "BK/24/01 23/FUL",
        "BK/24/0123/FUL!",
        "BK/24/ABCDEFGHIJKLM",
        "hello",
        "/".join(["a1"] * 5000),
    ],
)
def test_normalise_planning_ref_rejects(text: str) -> None:
    assert normalise_planning_ref(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bk 1234 5678", "BK12345678"),
        ("BK12345678", "BK12345678"),
        ("ab1234567", "AB1234567"),
        ("AB 1234567890", "AB1234567890"),
    ],
)
def test_normalise_pcn(text: str, expected: str) -> None:
    assert normalise_pcn(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "B12345678", "ABC1234567", "AB123456", "AB12345678901", "12345678", "AB-1234567"],
)
def test_normalise_pcn_rejects(text: str) -> None:
    assert normalise_pcn(text) is None


@pytest.mark.parametrize(
    ("ref", "visible", "expected"),
    [
        ("30012345", 3, "ending 345"),
        ("BK12345678", 3, "ending 678"),
        ("BK12345678", 4, "ending 5678"),
        ("30012345", 0, "(hidden)"),
        ("30012345", -2, "(hidden)"),
        ("123", 3, "(hidden)"),
        ("12", 3, "(hidden)"),
        ("", 3, "(hidden)"),
    ],
)
def test_mask_reference(ref: str, visible: int, expected: str) -> None:
    assert mask_reference(ref, visible) == expected


def test_mask_reference_defaults_to_three_visible() -> None:
    assert mask_reference("400123456") == "ending 456"


# --- find_entities ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my postcode is bk1 2ab thanks", [("postcode", "BK1 2AB", "bk1 2ab")]),
        ("I'm at bk12ab now", [("postcode", "BK1 2AB", "bk12ab")]),
        ("SW1A1AA.", [("postcode", "SW1A 1AA", "SW1A1AA")]),
        ("it's Bk1  2ab, ta", [("postcode", "BK1 2AB", "Bk1  2ab")]),
        ("ref 30012345 pls", [("council_tax_ref", "30012345", "30012345")]),
        ("account 3001 2345?", [("council_tax_ref", "30012345", "3001 2345")]),
        ("ref: 4001-23456", [("council_tax_ref", "400123456", "4001-23456")]),
        (
            "what's happening with BK/24/0123/FUL?",
            [("planning_ref", "BK/24/0123/FUL", "BK/24/0123/FUL")],
        ),
        ("app 24 / 00456 / hh", [("planning_ref", "24/00456/HH", "24 / 00456 / hh")]),
        ("got a ticket BK12345678", [("pcn", "BK12345678", "BK12345678")]),
        ("pcn bk 1234 5678 please", [("pcn", "BK12345678", "bk 1234 5678")]),
        ("ref no 30012345", [("council_tax_ref", "30012345", "30012345")]),
    ],
)
def test_find_entities_in_sentences(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "my postcode is bk1 2ab thanks",
        "ref 30012345 pls and BK/24/0123/FUL, also BK 1234 5678 at SW1A1AA",
        "émoji 🏠 then m1 1ae 🙂 and 4001-23456",
    ],
)
def test_find_entities_offsets_point_at_original_text(text: str) -> None:
    found = find_entities(text)
    assert found
    for entity in found:
        assert text[entity.start : entity.end] == entity.text


def test_find_entities_finds_several_in_order() -> None:
    text = "BK1 2AB, council tax 30012345, planning BK/24/0123/FUL, pcn BK12345678"
    assert [(f.entity, f.value) for f in find_entities(text)] == [
        ("postcode", "BK1 2AB"),
        ("council_tax_ref", "30012345"),
        ("planning_ref", "BK/24/0123/FUL"),
        ("pcn", "BK12345678"),
    ]


def test_find_entities_returns_frozen_dataclasses() -> None:
    entity = find_entities("bk1 2ab")[0]
    assert entity == FoundEntity("postcode", "BK1 2AB", 0, 7, "bk1 2ab")
    with pytest.raises(dataclasses.FrozenInstanceError):
        entity.value = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    "text",
    [
        "ticket BK12345678",
        "ticket bk 1234 5678",
        "ticket BK 12345678",
    ],
)
def test_pcn_digits_are_not_a_council_tax_ref(text: str) -> None:
    assert [f.entity for f in find_entities(text)] == ["pcn"]


@pytest.mark.parametrize(
    "text",
    [
        "call me on 01632 960100",
        "01632960100",
        "+44 1632 960100",
        "0161 496 0000",
        "(01632) 960100",
        "07700 900123",
        "on 12/03/2024",
        "on 12-03-2024",
        "2024-03-12",
        "12.03.2024",
        "12/Mar/2024",
        "14",
        "number 7",
        "I have 2 kids and 3 dogs",
        "it costs £1234567.50",
        "pi is 3.1415926535",
        "see https://example.com/bk/24/0123/ful",
        "mail bk12ab@example.com",
        "order ABC12345678",
        "24/7 support",
        "and/or",
        "ref30012345",
        "Q1 1AA",
        "BK1 2CB",
    ],
)
def test_find_entities_has_no_false_positives(text: str) -> None:
    assert find_entities(text) == []


def test_overlapping_candidates_keep_the_longest() -> None:
    text = "BK 1234 5678"  # PCN (12 chars) beats the council tax ref (9 chars)
    assert _found(text) == [("pcn", "BK12345678", "BK 1234 5678")]


# --- hostile input ----------------------------------------------------------

_HOSTILE = [
    "",
    " ",
    "🏠🙂🚀" * 100,
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "'; DROP TABLE residents; --",
    "\x00\x01\x02",
    "a" * 10_000,
    "1" * 10_000,
    "1 " * 5_000,
    "1-" * 5_000,
    "a/" * 5_000,
    "1/" * 5_000,
    "a " * 5_000,
    "/" * 10_000,
    " " * 10_000,
    "a" + " " * 9_999,
    "ab 1" * 2_500,
    "a1 " * 3_333,
    "1234567 " * 1_250,
    "BK1 " * 2_500,
    "a /" * 3_333,
    "🙂" * 10_000,
]


@pytest.mark.parametrize("text", _HOSTILE, ids=lambda t: repr(t[:12]))
def test_hostile_input_returns_nothing(text: str) -> None:
    assert find_entities(text) == []


@pytest.mark.parametrize("text", _HOSTILE, ids=lambda t: repr(t[:12]))
def test_normalisers_never_raise_on_hostile_input(text: str) -> None:
    for normalise in (
        normalise_postcode,
        normalise_council_tax_ref,
        normalise_planning_ref,
        normalise_pcn,
    ):
        assert normalise(text) is None


def test_many_real_entities_in_long_text_are_all_found() -> None:
    text = "bk1 2ab and 30012345; " * 450
    found = find_entities(text)
    assert len(found) == 900
