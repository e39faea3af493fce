"""Welsh mutations are undone by design: every mutated form shares its radical's key."""

from __future__ import annotations

import pytest

from assistant.rasa_plugins.nlu.welsh_mutations import radical_key


@pytest.mark.parametrize(
    "forms",
    [
        ("treth", "dreth", "nhreth", "threth"),  # t: soft, nasal, aspirate
        ("bin", "fin", "min"),  # b: soft, nasal
        ("cyngor", "gyngor", "nghyngor", "chyngor"),  # c: soft, nasal, aspirate
        ("casglu", "gasglu", "nghasglu"),
        ("pryd", "bryd", "mhryd", "phryd"),  # p
        ("dirwy", "ddirwy", "nirwy"),  # d: soft, nasal
        ("gardd", "ardd", "ngardd"),  # g: dropped when soft
        ("llyfrgell", "lyfrgell"),  # ll -> l
        ("rhif", "rif"),  # rh -> r
        ("mam", "fam"),  # m -> f
    ],
)
def test_every_mutated_form_has_the_radicals_key(forms: tuple[str, ...]) -> None:
    keys = {radical_key(form) for form in forms}
    assert len(keys) == 1, keys


def test_joined_short_words_and_case_are_ignored() -> None:
    assert radical_key("miniau'n") == radical_key("Biniau")
    assert radical_key("mae'r") == radical_key("mae")


@pytest.mark.parametrize(
    ("one", "other"), [("treth", "cyngor"), ("bin", "tin"), ("ffordd", "fordd")]
)
def test_different_words_keep_different_keys(one: str, other: str) -> None:
    # ff is a radical of its own in Welsh, never a mutation of p/b/m.
    assert radical_key(one) != radical_key(other)
