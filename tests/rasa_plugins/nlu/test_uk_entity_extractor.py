"""Tests for the UKEntityExtractor Rasa graph component."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.rasa_plugins.nlu.uk_entity_extractor import UKEntityExtractor


@pytest.fixture()
def extractor(tmp_path: Path) -> UKEntityExtractor:
    return UKEntityExtractor.create(
        {**UKEntityExtractor.get_default_config()},
        LocalModelStorage.create(tmp_path),
        Resource("uk_entity_extractor"),
        ExecutionContext(GraphSchema({}), uuid.uuid4().hex),
    )


def _entities(extractor: UKEntityExtractor, text: str) -> list[dict]:
    [message] = extractor.process([Message(data={TEXT: text})])
    return message.get(ENTITIES)


@pytest.mark.parametrize(
    ("text", "entity", "value", "start", "end"),
    [
        ("my postcode is bk1 2ab thanks", "postcode", "BK1 2AB", 15, 22),
        ("ref 3001 2345 pls", "council_tax_ref", "30012345", 4, 13),
        ("status of bk/24/0123/ful?", "planning_ref", "BK/24/0123/FUL", 10, 24),
        ("got a ticket BK12345678", "pcn", "BK12345678", 13, 23),
    ],
)
def test_process_adds_normalised_entity(
    extractor: UKEntityExtractor,
    text: str,
    entity: str,
    value: str,
    start: int,
    end: int,
) -> None:
    assert _entities(extractor, text) == [
        {
            "entity": entity,
            "value": value,
            "start": start,
            "end": end,
            "confidence": 1.0,
            "extractor": "UKEntityExtractor",
        }
    ]


def test_process_appends_to_existing_entities(extractor: UKEntityExtractor) -> None:
    existing = {"entity": "council", "value": "brackenbury", "extractor": "Other"}
    message = Message(data={TEXT: "bk12ab", ENTITIES: [existing]})
    [processed] = extractor.process([message])
    entities = processed.get(ENTITIES)
    assert entities[0] == existing
    assert [(e["entity"], e["value"]) for e in entities[1:]] == [("postcode", "BK1 2AB")]


def test_process_handles_several_messages(extractor: UKEntityExtractor) -> None:
    messages = [Message(data={TEXT: t}) for t in ("hello", "SW1A1AA", "30012345")]
    processed = extractor.process(messages)
    assert processed is messages
    assert [[e["value"] for e in m.get(ENTITIES)] for m in processed] == [
        [],
        ["SW1A 1AA"],
        ["30012345"],
    ]


@pytest.mark.parametrize("text", ["", "<script>alert(1)</script>", "🙂" * 500])
def test_process_on_hostile_text_adds_nothing(extractor: UKEntityExtractor, text: str) -> None:
    assert _entities(extractor, text) == []


def test_process_skips_messages_without_text(extractor: UKEntityExtractor) -> None:
    message = Message(data={"intent": "greet"})
    [processed] = extractor.process([message])
    assert processed.get(ENTITIES) is None


def test_entities_are_in_message_output(extractor: UKEntityExtractor) -> None:
    [message] = extractor.process([Message(data={TEXT: "BK1 2AB"})])
    assert message.as_dict_nlu()[ENTITIES][0]["value"] == "BK1 2AB"


def test_process_training_data_is_a_pass_through(
    extractor: UKEntityExtractor,
) -> None:
    training_data = TrainingData([Message(data={TEXT: "bk1 2ab"})])
    assert extractor.process_training_data(training_data) is training_data
    assert training_data.training_examples[0].get(ENTITIES) is None


def test_is_registered_as_untrainable_entity_extractor() -> None:
    registered = DefaultV1Recipe._from_registry(
        "assistant.rasa_plugins.nlu.uk_entity_extractor.UKEntityExtractor"
    )
    assert registered.clazz is UKEntityExtractor
    assert registered.types == {DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR}
    assert registered.is_trainable is False
