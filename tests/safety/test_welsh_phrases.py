"""Welsh crisis and emergency phrases (issue 13): recall first, and no false alarms."""

from __future__ import annotations

import pytest

from assistant.safety.phrases import load_phrases

PHRASES = load_phrases()


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("mae fy mhartner yn fy nharo ac mae gen i ofn", "crisis_domestic_abuse"),
        ("mae gen i ofn mynd adref", "crisis_domestic_abuse"),
        ("dw i'n dioddef cam-drin domestig", "crisis_domestic_abuse"),
        ("dw i eisiau lladd fy hun", "crisis_suicide"),
        ("dw i ddim isio byw rhagor", "crisis_suicide"),
        ("meddyliau am hunanladdiad", "crisis_suicide"),
        ("dw i wedi llyncu llond llaw o dabledi", "crisis_suicide"),
        ("does gen i unman i gysgu heno", "crisis_homeless"),
        ("rydyn ni'n ddigartref", "crisis_homeless"),
        ("mae'r landlord wedi fy nhaflu allan", "crisis_homeless"),
        ("mae plentyn mewn perygl drws nesa", "crisis_child_at_risk"),
        ("mae'r plant yn cael eu gadael ar eu pennau eu hunain", "crisis_child_at_risk"),
        ("mae fy llystad yn fy mrifo", "crisis_child_at_risk"),
        ("mae fy nain oedrannus ddim yn ymdopi", "crisis_adult_at_risk"),
        ("mae rhywun yn dwyn arian fy nain", "crisis_adult_at_risk"),
        ("arogl nwy yn y gegin", "emergency"),
        ("mae'r fflat ar dân", "emergency"),
    ],
)
def test_welsh_crisis_phrases_reach_their_route(text: str, intent: str) -> None:
    assert PHRASES.intent_for(text) == intent


@pytest.mark.parametrize(
    "text",
    [
        "pryd mae fy miniau'n cael eu casglu",
        "mae fy nhad wedi marw, sut mae cofrestru'r farwolaeth",
        "sŵn tân gwyllt drws nesa bob nos",
        "mae'n troi allan bod y bin wedi'i gasglu",
        "dw i'n symud tŷ fis nesa",
        "help gyda threth y cyngor ar incwm isel",
        "mae twll yn y ffordd, bu bron i mi ddisgyn oddi ar fy meic",
    ],
)
def test_ordinary_welsh_requests_take_no_crisis_route(text: str) -> None:
    assert PHRASES.intent_for(text) is None


def test_only_welsh_gas_gets_the_gas_line() -> None:
    assert PHRASES.mentions_gas("mae nwy yn gollwng")
    assert not PHRASES.mentions_gas("mae'r tŷ ar dân")
