"""Rasa graph component: danger-to-life phrases always classify as `emergency`.

The statistical classifier is right most of the time; for an emergency "most"
is not enough. This component runs after it and before the FallbackClassifier
and overrides the intent when a listed phrase appears.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

DEFAULT_PHRASES = Path(__file__).with_name("emergency_phrases.yml")
EMERGENCY = "emergency"


def load_pattern(path: Path = DEFAULT_PHRASES) -> re.Pattern[str]:
    """One case-insensitive pattern matching any listed phrase on word boundaries."""
    phrases = yaml.safe_load(path.read_text(encoding="utf-8"))["phrases"]
    if not phrases:
        raise ValueError(f"{path}: no emergency phrases listed")
    return re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in phrases) + r")\b", re.IGNORECASE)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class EmergencyGuard(GraphComponent):
    """Sets the intent to `emergency` (confidence 1.0) when a danger phrase appears."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self._pattern = pattern

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"phrases_file": None}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> EmergencyGuard:
        path = config.get("phrases_file")
        return cls(load_pattern(Path(path) if path else DEFAULT_PHRASES))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if isinstance(text, str) and self._pattern.search(text):
                override = {"name": EMERGENCY, "confidence": 1.0}
                ranking = [
                    r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != EMERGENCY
                ]
                message.set(INTENT, override, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [override, *ranking], add_to_output=True)
        return messages
