"""Rasa graph component: the language of each message, and Welsh words by their radical.

Runs after the tokenizer. It learns a Welsh/English profile from the training data
(examples under `metadata: {language: cy}` are Welsh, all others English) and, for
each message:
- emits the entity `language` ("cy" or "en") only when the message clearly is in
  one language; a postcode, a reference or "ok" emits nothing, so the conversation
  keeps its language. A short request naming a language ("Cymraeg", "English
  please", "Ga i siarad Saesneg?") emits the language it names;
- for a message that leans Welsh, sets each token's lemma to its mutation key
  (assistant/rasa_plugins/nlu/welsh_mutations.py), so the word featurizer sees
  treth, dreth and nhreth as one word.
"""

from __future__ import annotations

import json
import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_CONFIDENCE,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    METADATA,
    METADATA_INTENT,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.rasa_plugins.nlu.language_profile import DEFAULT_THRESHOLD, LanguageProfile
from assistant.rasa_plugins.nlu.welsh_mutations import radical_key

ENTITY = "language"
_PROFILE_FILE = "language_profile.json"
# A request to change language names the language wanted, in either language.
_NAMED = (
    ("cy", re.compile(r"\b(?:cymraeg|gymraeg|nghymraeg|welsh)\b", re.IGNORECASE)),
    ("en", re.compile(r"\b(?:english|saesneg|s[aâ]snaeg)\b", re.IGNORECASE)),
)
_MAX_SWITCH_WORDS = 6


def named_language(text: str) -> str | None:
    """The language a short message asks for by name ("Cymraeg", "English please")."""
    if len(text.split()) > _MAX_SWITCH_WORDS:
        return None
    named = [language for language, pattern in _NAMED if pattern.search(text)]
    return named[0] if len(named) == 1 else None


def example_language(message: Message) -> str:
    """'cy' for a training example listed under `metadata: {language: cy}`, else 'en'."""
    metadata = message.get(METADATA) or {}
    intent_metadata = metadata.get(METADATA_INTENT) if isinstance(metadata, dict) else None
    if isinstance(intent_metadata, dict) and intent_metadata.get("language") == "cy":
        return "cy"
    return "en"


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER,
        DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR,
    ],
    is_trainable=True,
)
class LanguageDetector(GraphComponent, EntityExtractorMixin):
    """Emits `language` when confident and normalises Welsh mutations for the featurizers."""

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        profile: LanguageProfile | None = None,
    ) -> None:
        self._config = config
        self._storage = model_storage
        self._resource = resource
        self._profile = profile or LanguageProfile(threshold=float(config["threshold"]))

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"threshold": DEFAULT_THRESHOLD}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageDetector:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LanguageDetector:
        with model_storage.read_from(resource) as directory:
            raw = json.loads((directory / _PROFILE_FILE).read_text(encoding="utf-8"))
        profile = LanguageProfile(raw["words"], raw["grams"], float(config["threshold"]))
        return cls(config, model_storage, resource, profile)

    def train(self, training_data: TrainingData) -> Resource:
        """Learn the profile from the training examples and their language."""
        labelled = [
            (m.get(TEXT), example_language(m))
            for m in training_data.training_examples
            if isinstance(m.get(TEXT), str)
        ]
        self._profile = LanguageProfile.learn(labelled, float(self._config["threshold"]))
        raw = {"words": self._profile.word_counts, "grams": self._profile.gram_counts}
        with self._storage.write_to(self._resource) as directory:
            (directory / _PROFILE_FILE).write_text(json.dumps(raw), encoding="utf-8")
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            self._normalise(message)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str):
                continue
            self._normalise(message)
            language = named_language(text) or self._profile.detect(text)
            if language is None:
                continue
            entity = {
                ENTITY_ATTRIBUTE_TYPE: ENTITY,
                ENTITY_ATTRIBUTE_VALUE: language,
                ENTITY_ATTRIBUTE_START: 0,
                ENTITY_ATTRIBUTE_END: len(text),
                ENTITY_ATTRIBUTE_CONFIDENCE: 1.0,
            }
            found = self.add_extractor_name([entity])
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages

    def _normalise(self, message: Message) -> None:
        """Give each token of a Welsh-leaning message its mutation key as lemma."""
        text = message.get(TEXT)
        if not isinstance(text, str) or not self._profile.leans_welsh(text):
            return
        for token in message.get(TOKENS_NAMES[TEXT]) or []:
            token.lemma = radical_key(token.text)
