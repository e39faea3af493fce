"""Rasa graph component that extracts UK council identifiers from messages."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_CONFIDENCE,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.identifiers import FoundEntity, find_entities


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class UKEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Adds postcodes, council tax refs, planning refs and PCNs as entities."""

    def __init__(self, config: dict[str, Any]) -> None:
        """Stores the (unused) component config."""
        self._config = config

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> UKEntityExtractor:
        """Creates the component; it has nothing to train or load."""
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Returns the training data unchanged."""
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Appends the identifiers found in each message's text to its entities."""
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str):
                continue
            found = [_to_rasa_entity(entity) for entity in find_entities(text)]
            message.set(
                ENTITIES,
                message.get(ENTITIES, []) + self.add_extractor_name(found),
                add_to_output=True,
            )
        return messages


def _to_rasa_entity(found: FoundEntity) -> dict[str, Any]:
    return {
        ENTITY_ATTRIBUTE_TYPE: found.entity,
        ENTITY_ATTRIBUTE_VALUE: found.value,
        ENTITY_ATTRIBUTE_START: found.start,
        ENTITY_ATTRIBUTE_END: found.end,
        ENTITY_ATTRIBUTE_CONFIDENCE: 1.0,
    }
