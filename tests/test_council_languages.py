"""Issue 13, item 1: `languages` in council.yml and the bilingual Welsh demo council."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from assistant.councils import default_registry
from assistant.councils.placing import place_postcode
from assistant.councils.schema import CouncilFile
from tests.support.council_files import demo_config


def test_a_council_answers_in_english_unless_it_says_otherwise() -> None:
    brackenbury = default_registry().get("brackenbury")
    assert brackenbury is not None and brackenbury.languages == ("en",)


def test_the_welsh_demo_council_is_a_bilingual_principal_area_greeting_in_welsh_first() -> None:
    abercoed = default_registry().get("abercoed")
    assert abercoed is not None
    assert abercoed.languages == ("cy", "en") and abercoed.tier == "Welsh principal area"
    assert abercoed.gss_code.startswith("W06")
    cy, en = abercoed.template_vars_in("cy"), abercoed.template_vars_in("en")
    assert cy["council_name"] == "Cyngor Bwrdeistref Sirol Abercoed"
    assert en["council_name"] == "Abercoed County Borough Council"
    assert cy["council_phone"] == en["council_phone"]


@pytest.mark.parametrize("postcode", ["CQ1 2AB", "cq24ef"])
def test_its_own_postcode_area_finds_it(postcode: str) -> None:
    assert place_postcode(postcode, default_registry()).council.id == "abercoed"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"languages": ["cy", "cy"]}, "listed twice"),
        ({"languages": []}, "at least 1"),
        ({"languages": ["fr"]}, "languages"),
        ({"welsh": {}}, "Welsh name"),
    ],
)
def test_bad_languages_are_refused(change: dict[str, object], message: str) -> None:
    data = {**demo_config("abercoed"), **change}
    with pytest.raises(ValidationError, match=message):
        CouncilFile.parse_obj(data)
