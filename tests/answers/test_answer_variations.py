"""Response variations chosen as Rasa 3.6 chooses them: conditions on slots, channel
variants for any channel, rich fields, random choice. Compared with Rasa's own
ResponseVariationFilter and TemplatedNaturalLanguageGenerator on the same domain."""

from __future__ import annotations

import itertools
import random
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from rasa.core.nlg.generator import ResponseVariationFilter
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator

from assistant.answers.book import AnswerBook
from assistant.answers.seed import open_book
from assistant.answers.server import answer_request
from assistant.answers.store import SHARED_SCOPE
from assistant.answers.variations import choose, eligible, parse_variation
from assistant.councils import default_registry

MILLBROOK_ONLY = [{"type": "slot", "name": "council", "value": "millbrook"}]
DOMAIN: dict[str, Any] = {
    "version": "3.1",
    "slots": {
        "council": {"type": "text", "mappings": [{"type": "custom"}]},
        "verified": {"type": "bool", "mappings": [{"type": "custom"}]},
        "attempts": {"type": "float", "mappings": [{"type": "custom"}]},
    },
    "responses": {
        "utter_bins": [
            {"text": "Bins are collected weekly."},
            {"text": "Millbrook bins go out fortnightly.", "condition": MILLBROOK_ONLY},
            {
                "text": "Millbrook, verified: fortnightly.",
                "condition": MILLBROOK_ONLY + [{"type": "slot", "name": "verified", "value": True}],
            },
            {"text": "Bins weekly. Text BINS for more.", "channel": "sms"},
            {"text": "Bins (socket.io).", "channel": "socketio"},
            {"text": "Millbrook (socket.io).", "channel": "socketio", "condition": MILLBROOK_ONLY},
            {
                "text": "Tries: many.",
                "condition": [{"type": "slot", "name": "attempts", "value": 3.0}],
            },
        ],
        "utter_rich": [
            {
                "text": "See {council}'s map.",
                "image": "https://maps.example/{council}.png",
                "attachment": {"type": "file", "url": "https://example/{council}.pdf"},
                "quick_replies": [{"title": "Map for {council}", "payload": "/map"}],
                "elements": [{"title": "Depot", "subtitle": "Open 9-5"}],
                "custom": {"kind": "map", "council": "{council}"},
                "buttons": [{"title": "Open {council}", "payload": "/open"}],
            }
        ],
        "utter_hello": [{"text": "Hello!"}, {"text": "Hi there!"}, {"text": "Good day!"}],
        "utter_confirm": [
            {"text": "Shall I send it?", "buttons": [{"title": "Yes", "payload": "/affirm"}]},
            {"text": "Send it?", "channel": "sms"},
        ],
    },
}
SLOT_STATES = [
    {},
    {"council": "millbrook"},
    {"council": "MILLBROOK"},  # strings compare without regard to case
    {"council": "brackenbury"},
    {"council": "millbrook", "verified": True},
    {"council": "millbrook", "verified": "true"},  # a string is not the bool True
    {"attempts": 3},  # 3 == 3.0, as Python (and Rasa) compare
]
CHANNELS = ["rest", "socketio", "collector", "sms", None]


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> AnswerBook:
    workdir: Path = tmp_path_factory.mktemp("variations")
    domain = workdir / "domain.yml"
    domain.write_text(yaml.safe_dump(DOMAIN), encoding="utf-8")
    return open_book(f"sqlite:///{workdir}/answers.db", domain, default_registry())


def ours(response: str) -> list:
    parsed = [parse_variation(raw) for raw in DOMAIN["responses"][response]]
    return [variation for variation in parsed if variation is not None]


@pytest.mark.parametrize(
    ("channel", "slots"), list(itertools.product(CHANNELS, range(len(SLOT_STATES))))
)
def test_eligible_variations_are_rasas(channel: str | None, slots: int) -> None:
    filled = SLOT_STATES[slots]
    rasa = ResponseVariationFilter(DOMAIN["responses"]).responses_for_utter_action(
        "utter_bins", channel, filled
    )
    mine = eligible(ours("utter_bins"), channel, filled)
    assert [v.text for v in mine] == [r["text"] for r in rasa]
    assert mine  # every case has an answer


def test_sms_family_variant_serves_every_sms_channel_and_an_exact_one_wins() -> None:
    variations = ours("utter_bins")
    for channel in ("sms_twilio", "sms_notify"):
        [chosen] = eligible(variations, channel, {})
        assert chosen.text == "Bins weekly. Text BINS for more."
    exact = parse_variation({"text": "Twilio only.", "channel": "sms_twilio"})
    assert exact is not None
    assert [v.text for v in eligible([*variations, exact], "sms_twilio", {})] == ["Twilio only."]


def test_sms_wording_keeps_the_answers_choices(book: AnswerBook) -> None:
    sms = book.render("utter_confirm", None, {}, channel="sms_notify", slots={})
    assert sms is not None and sms.text == "Send it?"
    assert sms.buttons == [{"title": "Yes", "payload": "/affirm"}]


def test_unknown_condition_types_are_ignored_like_rasa_3_6_cannot_use_them() -> None:
    assert parse_variation({"text": "x", "condition": [{"type": "intent", "name": "a"}]}) is None
    assert parse_variation({"text": "x", "condition": "council == millbrook"}) is None


@pytest.mark.parametrize("slots", range(len(SLOT_STATES)))
def test_rendered_like_rasas_templated_generator(book: AnswerBook, slots: int) -> None:
    """Where one variation is eligible, our rendering is Rasa's, field by field (when
    every placeholder has a value: a missing one renders empty here, by design)."""
    filled = SLOT_STATES[slots]
    rasa = TemplatedNaturalLanguageGenerator(DOMAIN["responses"])
    cases = [("utter_bins", "socketio")] + ([("utter_rich", "rest")] if "council" in filled else [])
    for response, channel in cases:
        expected = rasa.generate_from_slots(response, dict(filled), channel)
        rendered = book.render(response, None, dict(filled), channel=channel, slots=filled)
        assert expected is not None and rendered is not None
        body = rendered.to_nlg()
        for key in ("text", "image", "attachment", "quick_replies", "elements", "custom"):
            assert body.get(key) == expected.get(key), key
        assert body.get("buttons", []) == expected.get("buttons", [])


def test_a_council_only_variation_reaches_only_that_council(book: AnswerBook) -> None:
    def ask(council: str, channel: str) -> dict:
        return answer_request(
            book,
            {
                "response": "utter_bins",
                "tracker": {"slots": {"council": council}, "latest_input_channel": channel},
                "channel": {"name": channel},
            },
        )

    assert ask("millbrook", "rest")["text"] == "Millbrook bins go out fortnightly."
    assert ask("brackenbury", "rest")["text"] == "Bins are collected weekly."
    assert ask("millbrook", "socketio")["text"] == "Millbrook (socket.io)."
    assert ask("brackenbury", "socketio")["text"] == "Bins (socket.io)."
    # SMS: the unconditional SMS variant beats a conditional one for any channel (Rasa's order).
    assert ask("millbrook", "sms_notify")["text"] == "Bins weekly. Text BINS for more."


def test_rich_fields_reach_the_channel_filled_in(book: AnswerBook) -> None:
    body = answer_request(
        book,
        {
            "response": "utter_rich",
            "tracker": {"slots": {"council": "millbrook"}},
            "channel": {"name": "socketio"},
        },
    )
    assert body["image"] == "https://maps.example/millbrook.png"
    assert body["attachment"] == {"type": "file", "url": "https://example/millbrook.pdf"}
    assert body["quick_replies"] == [{"title": "Map for millbrook", "payload": "/map"}]
    assert body["elements"] == [{"title": "Depot", "subtitle": "Open 9-5"}]
    assert body["custom"] == {"kind": "map", "council": "millbrook"}
    assert body["buttons"] == [{"title": "Open millbrook", "payload": "/open"}]


def test_random_choice_covers_every_variation_and_repeats_with_a_seed() -> None:
    variations = ours("utter_hello")
    draws = Counter(choose(variations, "rest", {}, random.Random(seed)).text for seed in range(300))
    assert set(draws) == {"Hello!", "Hi there!", "Good day!"}
    assert min(draws.values()) > 60  # roughly even, as Rasa's np.random.choice

    def sequence(seed: int) -> list[str]:
        rng = random.Random(seed)
        return [choose(variations, "rest", {}, rng).text for _ in range(10)]

    assert sequence(7) == sequence(7)
    rasa = TemplatedNaturalLanguageGenerator(DOMAIN["responses"])
    np.random.seed(0)
    rasa_texts = {rasa.generate_from_slots("utter_hello", {}, "rest")["text"] for _ in range(60)}
    assert rasa_texts == set(draws)


def test_a_staff_edit_replaces_the_variations(book: AnswerBook) -> None:
    store = book.store
    store.save("millbrook", "utter_bins", "Edited for Millbrook.", None, 0, "t", "test")
    try:
        rendered = book.render(
            "utter_bins",
            book.registry.get("millbrook"),
            {},
            channel="socketio",
            slots={"council": "millbrook"},
        )
        assert rendered is not None and rendered.text == "Edited for Millbrook."
    finally:
        store.save("millbrook", "utter_bins", None, None, 1, "t", "test")
    # An SMS-only edit replaces the SMS variant and leaves the others.
    store.save(SHARED_SCOPE, "utter_bins", None, "Bins: see the app.", 0, "t", "test")
    sms = book.render("utter_bins", None, {}, channel="sms_twilio", slots={})
    web = book.render("utter_bins", None, {}, channel="socketio", slots={})
    assert sms is not None and sms.text == "Bins: see the app."
    assert web is not None and web.text == "Bins (socket.io)."
