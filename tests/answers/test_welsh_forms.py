"""Welsh dates, money, numbers and the back-office glossary (assistant/answers/welsh.py),
and Welsh SMS counted in UCS-2 (assistant/answers/sms.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from assistant.answers.sms import derive_sms, segment_limit, segments
from assistant.answers.welsh import (
    dates_in_welsh,
    in_welsh,
    load_glossary,
    welsh_date,
    welsh_money,
    welsh_number,
)


def test_welsh_dates() -> None:
    assert welsh_date(dt.date(2026, 12, 1)) == "dydd Mawrth 1 Rhagfyr"
    assert welsh_date(dt.date(2027, 3, 7), year=True) == "dydd Sul 7 Mawrth 2027"
    assert welsh_date(dt.date(2027, 1, 15), weekday=False) == "15 Ionawr"
    assert dates_in_welsh("Thursday 3 December, then 12 February 2027") == (
        "dydd Iau 3 Rhagfyr, then 12 Chwefror 2027"
    )
    assert dates_in_welsh("May the 3rd, Mayfield 12") == "May the 3rd, Mayfield 12"


def test_welsh_money_and_numbers() -> None:
    assert welsh_money(38250) == "£382.50"
    assert welsh_money(123456789) == "£1,234,567.89"
    assert welsh_money(-500) == "-£5.00"
    assert welsh_number(1234) == "1,234" and welsh_number(2.5) == "2.5"


def test_glossary_whole_values_and_phrases(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yml"
    path.write_text(
        "values:\n  open: ar agor\nphrases:\n  Garden waste: Gwastraff gardd\n"
        "  Garden waste (brown bin): Gwastraff gardd (bin brown)\n",
        encoding="utf-8",
    )
    glossary = load_glossary(path)
    assert glossary.translate("Open") == "ar agor"
    assert glossary.translate("Open Lane, Abercoed") == "Open Lane, Abercoed"  # not a whole value
    assert (
        glossary.translate("- garden waste (brown bin): soon")
        == "- Gwastraff gardd (bin brown): soon"
    )
    assert glossary.translate("Gardenwaste") == "Gardenwaste"


def test_in_welsh_leaves_non_text_and_unknown_values() -> None:
    assert in_welsh(3) == 3
    assert in_welsh("7 Heol y Felin, Abercoed CQ1 2AB") == "7 Heol y Felin, Abercoed CQ1 2AB"
    assert in_welsh("approved") == "wedi'i gymeradwyo"
    assert in_welsh("ending 345") == "sy'n gorffen â 345"  # a masked reference
    assert in_welsh("Bending 34") == "Bending 34"


def test_welsh_letters_force_ucs2_segments() -> None:
    assert segments("a" * 160) == 1 and segments("a" * 161) == 2
    for letter in "ŵŷâêîôû":
        assert segments(letter * 70) == 1, letter
        assert segments(letter * 71) == 2, letter
    assert segments("dŵr " * 33 + "d") == 2  # 133 UCS-2 characters: 67 + 66
    assert segments("dŵr " * 34) == 3  # 136: more than two segments of 67
    assert segment_limit("Mae'r dŵr yn codi", 3) == 201
    assert segment_limit("Mae'r dwr yn codi", 3) == 459


def test_a_derived_welsh_sms_fits_two_ucs2_messages() -> None:
    text = "Mae'r dŵr yn codi yn y stryd. " * 10 + "Ffoniwch 01632 960 300."
    sms = derive_sms(text)
    assert len(sms) <= 134 and "01632 960 300" in sms
    assert segments(sms) <= 2
