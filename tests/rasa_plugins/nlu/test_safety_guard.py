"""SafetyGuard: crisis and danger-to-life phrases always decide the intent."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from assistant.rasa_plugins.nlu.safety_guard import SafetyGuard


def guard(tmp_path: Path, config: dict | None = None) -> SafetyGuard:
    return SafetyGuard.create(
        {**SafetyGuard.get_default_config(), **(config or {})},
        LocalModelStorage.create(tmp_path),
        Resource("safety_guard"),
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


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("I don't want to live anymore", "crisis_suicide"),
        ("my partner hits me and I'm scared to go home", "crisis_domestic_abuse"),
        ("I'm homeless and have nowhere to sleep tonight", "crisis_homeless"),
    ],
)
def test_a_crisis_phrase_wins_over_the_model(tmp_path: Path, text: str, intent: str) -> None:
    [message] = guard(tmp_path).process([classified("out_of_scope", text)])
    assert message.get(INTENT) == {"name": intent, "confidence": 1.0}
    names = [r["name"] for r in message.get(INTENT_RANKING_KEY)]
    assert names[0] == intent and names.count(intent) == 1


def test_a_confident_model_never_makes_a_guarded_message_ambiguous(tmp_path: Path) -> None:
    message = classified("emergency", "a toddler has been left alone in a car")
    message.set(INTENT_RANKING_KEY, [{"name": "emergency", "confidence": 0.98}])
    [message] = guard(tmp_path).process([message])
    first, second = message.get(INTENT_RANKING_KEY)
    assert first == {"name": "crisis_child_at_risk", "confidence": 1.0}
    assert second["name"] == "emergency" and second["confidence"] <= 0.5


def test_component_leaves_other_messages_alone(tmp_path: Path) -> None:
    [message] = guard(tmp_path).process([classified("housing_repair", "boiler broken")])
    assert message.get(INTENT)["name"] == "housing_repair"


def test_phrases_file_is_configuration(tmp_path: Path) -> None:
    phrases = tmp_path / "phrases.yml"
    phrases.write_text(
        "routes:\n  - intent: emergency\n    phrases: ['sinkhole']\ngas: ['gas']\n",
        encoding="utf-8",
    )
    [message] = guard(tmp_path, {"phrases_file": str(phrases)}).process(
        [classified("report_pothole", "a sinkhole opened in the road")]
    )
    assert message.get(INTENT)["name"] == "emergency"
