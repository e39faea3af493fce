"""The Welsh/English profile: a language only when the evidence is clear."""

from __future__ import annotations

import pytest

from assistant.rasa_plugins.nlu.language_profile import LanguageProfile, words

TRAINING = [
    ("pryd mae fy miniau'n cael eu casglu", "cy"),
    ("dw i eisiau talu treth y cyngor", "cy"),
    ("diolch yn fawr iawn", "cy"),
    ("bore da, sut mae", "cy"),
    ("mae twll yn y ffordd", "cy"),
    ("when are my bins collected", "en"),
    ("i want to pay my council tax", "en"),
    ("thank you very much", "en"),
    ("good morning, how are you", "en"),
    ("there is a pothole in the road", "en"),
]


@pytest.fixture(scope="module")
def profile() -> LanguageProfile:
    return LanguageProfile.learn(TRAINING)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("pryd mae'r bin yn cael ei gasglu", "cy"),
        ("diolch yn fawr", "cy"),
        ("when is my bin day", "en"),
        ("thank you", "en"),
    ],
)
def test_clear_messages_get_their_language(
    profile: LanguageProfile, text: str, language: str
) -> None:
    assert profile.detect(text) == language


@pytest.mark.parametrize("text", ["BK1 2AB", "4000123456", "BKR100001", "12a", "Heol y Bont", "ok"])
def test_postcodes_references_and_place_names_give_no_language(
    profile: LanguageProfile, text: str
) -> None:
    assert words(text) == []
    assert profile.detect(text) is None


def test_a_postcode_in_a_welsh_sentence_does_not_hide_it(profile: LanguageProfile) -> None:
    assert profile.detect("pryd mae fy miniau'n cael eu casglu BK1 2AB") == "cy"


def test_a_higher_threshold_asks_for_more_evidence() -> None:
    strict = LanguageProfile.learn(TRAINING, threshold=1000.0)
    assert strict.detect("pryd mae fy miniau'n cael eu casglu") is None
