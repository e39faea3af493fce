"""LanguageDetector: the entity `language` per message, and Welsh words by radical."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import ENTITIES, METADATA, METADATA_INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.rasa_plugins.nlu.language_detector import LanguageDetector, named_language

WELSH = [
    "pryd mae fy miniau'n cael eu casglu",
    "dw i eisiau talu fy nhreth gyngor",
    "diolch yn fawr",
]
ENGLISH = ["when are my bins collected", "i want to pay my council tax", "thank you very much"]


def example(text: str, language: str | None) -> Message:
    metadata = {METADATA_INTENT: {"language": language}} if language else {}
    return Message(data={TEXT: text, METADATA: metadata, "intent": "x"})


def tokenized(messages: list[Message]) -> list[Message]:
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    for message in messages:
        message.set(TOKENS_NAMES[TEXT], tokenizer.tokenize(message, TEXT))
    return messages


@pytest.fixture
def detector(tmp_path: Path) -> LanguageDetector:
    storage = LocalModelStorage.create(tmp_path)
    resource = Resource("language_detector")
    context = ExecutionContext(GraphSchema({}), uuid.uuid4().hex)
    config = LanguageDetector.get_default_config()
    trained = LanguageDetector.create(config, storage, resource, context)
    data = TrainingData([*(example(t, "cy") for t in WELSH), *(example(t, None) for t in ENGLISH)])
    trained.train(data)
    return LanguageDetector.load(config, storage, resource, context)


def language_of(detector: LanguageDetector, text: str) -> list[str]:
    [message] = detector.process(tokenized([Message(data={TEXT: text})]))
    return [e["value"] for e in message.get(ENTITIES, []) if e["entity"] == "language"]


def test_a_welsh_message_emits_cy_and_an_english_one_en(detector: LanguageDetector) -> None:
    assert language_of(detector, "pryd mae'r biniau'n cael eu casglu") == ["cy"]
    assert language_of(detector, "when is my bin collected") == ["en"]


@pytest.mark.parametrize("text", ["BK1 2AB", "BKR100001", "ok"])
def test_a_postcode_or_reference_alone_emits_nothing(detector: LanguageDetector, text: str) -> None:
    assert language_of(detector, text) == []


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Cymraeg", "cy"),
        ("English please", "en"),
        ("Saesneg", "en"),
        ("Ga i siarad Cymraeg?", "cy"),
    ],
)
def test_a_switch_request_emits_the_language_named(
    detector: LanguageDetector, text: str, language: str
) -> None:
    assert language_of(detector, text) == [language]
    assert named_language(text) == language


def test_a_long_message_mentioning_a_language_is_detected_not_named() -> None:
    assert named_language("my son goes to a Welsh school and needs a bus pass") is None


def test_welsh_tokens_get_their_radical_as_lemma(detector: LanguageDetector) -> None:
    [nasal] = detector.process(tokenized([Message(data={TEXT: "talu fy nhreth gyngor"})]))
    [radical] = detector.process(tokenized([Message(data={TEXT: "talu treth cyngor"})]))
    assert [t.lemma for t in nasal.get(TOKENS_NAMES[TEXT])][1:] != ["fy", "nhreth", "gyngor"]
    assert nasal.get(TOKENS_NAMES[TEXT])[2].lemma == radical.get(TOKENS_NAMES[TEXT])[1].lemma


def test_english_tokens_keep_their_text(detector: LanguageDetector) -> None:
    [message] = detector.process(tokenized([Message(data={TEXT: "when is my bin collected"})]))
    assert [t.lemma for t in message.get(TOKENS_NAMES[TEXT])] == "when is my bin collected".split()


def test_training_emits_no_entity(detector: LanguageDetector) -> None:
    data = TrainingData(tokenized([example("diolch yn fawr iawn", "cy")]))
    detector.process_training_data(data)
    assert not data.training_examples[0].get(ENTITIES)
