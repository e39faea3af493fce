"""Rasa graph component: a long message is understood by the sentences that ask.

Residents often tell the story first and ask last: "I moved in in March and pay by
direct debit. My account number is 30012345. How much do I still owe?". Fed every
word, the classifier is pulled towards whatever the story mentions. For a message of
several sentences, this component keeps for the featurizers only the sentences that
make a request (a question, or words that ask: the cues are data, in
`request_cues.yml`); a message where no sentence asks, or every one does, is kept
whole. Sentences come from spaCy's rule-based sentencizer (no model download).

It runs after the tokenizer and the entity extractors, which have read the whole
message, and changes only the tokens the featurizers see: the message's text, its
entities and the safety guard's reading of it are untouched.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import spacy
import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

CUES_FILE = Path(__file__).with_name("request_cues.yml")


@functools.cache
def asking() -> re.Pattern[str]:
    """One pattern for every request cue in `request_cues.yml`."""
    data = yaml.safe_load(CUES_FILE.read_text(encoding="utf-8"))
    starts = "|".join(re.escape(word) for word in data["sentence_starts"])
    phrases = "|".join(re.escape(phrase) for phrase in data["phrases"])
    return re.compile(rf"\?\s*$|^(?:{starts})\b|\b(?:{phrases})\b", re.IGNORECASE)


@functools.cache
def sentencizer() -> Any:
    nlp = spacy.blank("xx")  # punctuation rules only: English and Welsh alike
    nlp.add_pipe("sentencizer")
    return nlp


def request_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences that ask, or [] to keep the whole message."""
    sentences = [(s.start_char, s.end_char) for s in sentencizer()(text).sents]
    if len(sentences) < 2:
        return []
    pattern = asking()
    asked = [(start, end) for start, end in sentences if pattern.search(text[start:end].strip())]
    return asked if 0 < len(asked) < len(sentences) else []


def focused(tokens: list[Token], spans: list[tuple[int, int]]) -> list[Token]:
    """The tokens inside `spans` (all of them when nothing is inside)."""
    kept = [t for t in tokens if any(start <= t.start < end for start, end in spans)]
    return kept or tokens


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class RequestFocus(GraphComponent):
    """Keeps a long message's asking sentences for the featurizers."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RequestFocus:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        key = TOKENS_NAMES[TEXT]
        for message in messages:
            text, tokens = message.get(TEXT), message.get(key)
            if not isinstance(text, str) or not tokens:
                continue
            spans = request_spans(text)
            if spans:
                message.set(key, focused(tokens, spans))
        return messages
