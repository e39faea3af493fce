"""EmergencyGuard: danger-to-life phrases always classify as `emergency`."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from assistant.rasa_plugins.nlu.emergency_guard import EmergencyGuard, load_pattern

MUST_MATCH = [
    "I can smell gas in the kitchen",
    "strong SMELL OF GAS on the landing",
    "think there's a gas leak",
    "the CO alarm is going off",
    "my flat is on fire",
    "there's a fire in the bin store",
    "my neighbour collapsed on the stairs",
    "he's not breathing",
    "I want to end my life",
    "my friend is suicidal",
    "the child next door is in danger",
    "she's being attacked outside",
    "exposed wires hanging from the lamp post",
    "water is pouring through the ceiling",
    "the ceiling is collapsing",
]
MUST_NOT_MATCH = [
    "when is my bin collected",
    "can I book a gas safety check",
    "what's the fire safety advice for flats",
    "fireworks at the park tonight",
    "my boiler is broken, no hot water",
    "damp and mould in the bathroom",
    "the street light is flickering",
    "my gas bill is too high",
    "a leaking tap in the kitchen",
    "",
    "🙂" * 50,
]


@pytest.mark.parametrize("text", MUST_MATCH)
def test_danger_phrases_match(text: str) -> None:
    assert load_pattern().search(text)


@pytest.mark.parametrize("text", MUST_NOT_MATCH)
def test_everyday_requests_do_not_match(text: str) -> None:
    assert load_pattern().search(text) is None


def guard(tmp_path: Path, config: dict | None = None) -> EmergencyGuard:
    return EmergencyGuard.create(
        {**EmergencyGuard.get_default_config(), **(config or {})},
        LocalModelStorage.create(tmp_path),
        Resource("emergency_guard"),
        ExecutionContext(GraphSchema({}), uuid.uuid4().hex),
    )


def classified(intent: str, text: str) -> Message:
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": 0.35})
    message.set(
        INTENT_RANKING_KEY,
        [{"name": intent, "confidence": 0.35}, {"name": "emergency", "confidence": 0.3}],
    )
    return message


def test_component_overrides_the_classifier(tmp_path: Path) -> None:
    [message] = guard(tmp_path).process([classified("housing_repair", "I smell gas")])
    assert message.get(INTENT) == {"name": "emergency", "confidence": 1.0}
    ranking = message.get(INTENT_RANKING_KEY)
    assert [r["name"] for r in ranking] == ["emergency", "housing_repair"]


def test_component_leaves_other_messages_alone(tmp_path: Path) -> None:
    [message] = guard(tmp_path).process([classified("housing_repair", "boiler broken")])
    assert message.get(INTENT)["name"] == "housing_repair"


def test_phrases_file_is_configuration(tmp_path: Path) -> None:
    phrases = tmp_path / "phrases.yml"
    phrases.write_text("phrases:\n  - 'sinkhole'\n", encoding="utf-8")
    [message] = guard(tmp_path, {"phrases_file": str(phrases)}).process(
        [classified("report_pothole", "a sinkhole opened in the road")]
    )
    assert message.get(INTENT)["name"] == "emergency"


def test_empty_phrases_file_is_a_clear_error(tmp_path: Path) -> None:
    phrases = tmp_path / "phrases.yml"
    phrases.write_text("phrases: []\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no emergency phrases"):
        load_pattern(phrases)
