"""Safety phrases: which crisis or emergency route a message must take."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.safety.phrases import default_phrases, load_phrases

MUST_ROUTE = [
    # the issue's own scenarios
    ("my partner hits me and I'm scared to go home", "crisis_domestic_abuse"),
    ("I don't want to live anymore", "crisis_suicide"),
    ("I’m homeless and have nowhere to sleep tonight", "crisis_homeless"),
    ("we've got an eviction notice", "crisis_homeless"),
    ("I think a child is being hurt next door", "crisis_child_at_risk"),
    ("my elderly neighbour is not coping on her own", "crisis_adult_at_risk"),
    # more ways of saying it
    ("I want to end my life", "crisis_suicide"),
    ("my friend is suicidal", "crisis_suicide"),
    ("dont want to be alive", "crisis_suicide"),
    ("my son has been self-harming", "crisis_suicide"),
    ("my husband beat me up last night", "crisis_domestic_abuse"),
    ("my neighbour is being beaten up by her partner right now", "crisis_domestic_abuse"),
    ("my landlord gave me a section 21", "crisis_homeless"),
    ("I've been sleeping in my car", "crisis_homeless"),
    ("the kids upstairs are left home alone all night", "crisis_child_at_risk"),
    ("my stepdad hits me", "crisis_child_at_risk"),
    ("someone is taking my nan's pension", "crisis_adult_at_risk"),
    # emergencies stay emergencies
    ("I can smell gas in the kitchen", "emergency"),
    ("the CO alarm is going off", "emergency"),
    ("my flat is on fire", "emergency"),
    ("he's not breathing", "emergency"),
    ("my husband had a heart attack", "emergency"),
    ("water is pouring through the ceiling", "emergency"),
]
MUST_NOT_ROUTE = [
    "when is my bin collected",
    "I nearly came off my bike because of a pothole",
    "my partner hit a pothole on the bypass",
    "my husband hurt his back, can we get a blue badge",
    "I don't want to live next to this noise any more",
    "I'm moving out of my flat next month",
    "can I book a gas safety check",
    "what's the fire safety advice for flats",
    "my boiler is broken, no hot water",
    "this traffic is killing me",
    "my phone battery is dead",
    "scared of spiders, can you help",
    "",
    "🙂" * 50,
]


@pytest.mark.parametrize(("text", "intent"), MUST_ROUTE)
def test_crisis_and_danger_phrases_route(text: str, intent: str) -> None:
    assert default_phrases().intent_for(text) == intent


@pytest.mark.parametrize("text", MUST_NOT_ROUTE)
def test_everyday_messages_do_not_route(text: str) -> None:
    assert default_phrases().intent_for(text) is None


@pytest.mark.parametrize(
    ("text", "gas"),
    [
        ("I can smell gas", True),
        ("carbon monoxide alarm beeping", True),
        ("the house is on fire", False),
        ("someone has collapsed", False),
        ("I don't want to live anymore", False),
    ],
)
def test_only_gas_messages_mention_gas(text: str, gas: bool) -> None:
    assert default_phrases().mentions_gas(text) is gas


def test_crisis_routes_come_before_the_general_emergency() -> None:
    intents = default_phrases().intents()
    assert intents[-1] == "emergency"
    assert {i for i in intents if i.startswith("crisis_")} == {
        "crisis_domestic_abuse",
        "crisis_suicide",
        "crisis_homeless",
        "crisis_child_at_risk",
        "crisis_adult_at_risk",
    }


def test_first_matching_route_wins(tmp_path: Path) -> None:
    path = tmp_path / "phrases.yml"
    path.write_text(
        "routes:\n"
        "  - intent: first\n    phrases: ['both', 'one']\n"
        "  - intent: second\n    phrases: ['both', 'two']\n"
        "gas: ['gas']\n",
        encoding="utf-8",
    )
    phrases = load_phrases(path)
    assert [phrases.intent_for(t) for t in ("both", "two", "none")] == ["first", "second", None]


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ("routes: []\ngas: ['gas']\n", "no routes"),
        ("routes:\n  - intent: a\n    phrases: []\ngas: ['gas']\n", "no phrases"),
        ("routes:\n  - phrases: ['x']\ngas: ['gas']\n", "needs an intent"),
        ("routes:\n  - intent: a\n    phrases: ['(']\ngas: ['gas']\n", "not a valid regular"),
        ("routes:\n  - intent: a\n    phrases: ['x']\n", "gas: no phrases"),
    ],
)
def test_a_malformed_phrases_file_is_a_clear_error(
    tmp_path: Path, content: str, error: str
) -> None:
    path = tmp_path / "phrases.yml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=error):
        load_phrases(path)
