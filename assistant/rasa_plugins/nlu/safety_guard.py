"""Rasa graph component: crisis and danger-to-life phrases always decide the intent.

The statistical classifier is right most of the time; for a resident in crisis
"most" is not enough. This component runs after it and before the
FallbackClassifier and overrides the intent when a listed phrase appears. The
phrases, one list per intent, are data: assistant/safety/phrases.yml.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.safety.phrases import DEFAULT_PHRASES, SafetyPhrases, load_phrases

# The guard is certain, so every other reading keeps its place in the ranking at no
# more than this confidence: never close enough to 1.0 for the FallbackClassifier to
# call the message ambiguous and answer "I didn't understand".
OTHER_READINGS_MAX = 0.5


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyGuard(GraphComponent):
    """Sets the intent of a message with a safety phrase (confidence 1.0)."""

    def __init__(self, phrases: SafetyPhrases) -> None:
        self._phrases = phrases

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
    ) -> SafetyGuard:
        path = config.get("phrases_file")
        return cls(load_phrases(Path(path) if path else DEFAULT_PHRASES))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            intent = self._phrases.intent_for(text) if isinstance(text, str) else None
            if intent is None:
                continue
            override = {"name": intent, "confidence": 1.0}
            ranking = [
                {**r, "confidence": min(float(r.get("confidence") or 0.0), OTHER_READINGS_MAX)}
                for r in message.get(INTENT_RANKING_KEY) or []
                if r.get("name") != intent
            ]
            message.set(INTENT, override, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [override, *ranking], add_to_output=True)
        return messages
