"""RequestFocus: a long message is featurized by the sentences that ask."""

from __future__ import annotations

import uuid
from pathlib import Path

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.rasa_plugins.nlu.request_focus import RequestFocus, request_spans

STORY_THEN_QUESTION = (
    "I moved into the flat in March and pay by direct debit. My account number is "
    "30012345. How much do I still owe?"
)


def tokenized(text: str) -> Message:
    message = Message(data={TEXT: text})
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process([message])
    return message


def focus(tmp_path: Path) -> RequestFocus:
    return RequestFocus.create(
        {},
        LocalModelStorage.create(tmp_path),
        Resource("request_focus"),
        ExecutionContext(GraphSchema({}), uuid.uuid4().hex),
    )


def words(message: Message) -> list[str]:
    return [token.text for token in message.get(TOKENS_NAMES[TEXT])]


def test_only_the_asking_sentence_is_featurized(tmp_path: Path) -> None:
    [message] = focus(tmp_path).process([tokenized(STORY_THEN_QUESTION)])
    assert words(message) == ["How", "much", "do", "I", "still", "owe"]
    assert message.get(TEXT) == STORY_THEN_QUESTION  # the text itself is untouched


def test_requests_by_words_not_only_by_question_marks() -> None:
    text = "The lorry came this morning. They missed our bin. Please send someone back."
    assert [text[a:b] for a, b in request_spans(text)] == ["Please send someone back."]
    welsh = "Mae'r bin yn llawn. Pryd mae'r casgliad nesaf?"
    assert [welsh[a:b] for a, b in request_spans(welsh)] == ["Pryd mae'r casgliad nesaf?"]


def test_short_messages_and_messages_that_all_ask_are_kept_whole(tmp_path: Path) -> None:
    assert request_spans("when is my bin day") == []
    assert request_spans("When is my bin day? Can I pay my council tax?") == []
    assert request_spans("My partner hits me. I'm scared to go home.") == []  # nothing asks
    one = tokenized("my kitchen tap is leaking")
    [kept] = focus(tmp_path).process([one])
    assert words(kept) == ["my", "kitchen", "tap", "is", "leaking"]


def test_training_examples_are_focused_the_same_way(tmp_path: Path) -> None:
    data = TrainingData([tokenized(STORY_THEN_QUESTION)])
    focus(tmp_path).process_training_data(data)
    assert words(data.training_examples[0])[0] == "How"
