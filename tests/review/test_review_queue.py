"""The review queue and its Rasa NLU export, on a real migrated SQLite database: only
redacted text is stored, and the export is read back by Rasa's own YAML reader."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from assistant.database import make_engine
from assistant.migrations import migrate
from assistant.review.intents import intent_titles
from assistant.review.nlu_export import nlu_yaml
from assistant.review.suggestions import (
    ACCEPTED,
    PENDING,
    REJECTED,
    SuggestionError,
    SuggestionQueue,
)
from assistant.settings import PROJECT_ROOT


@pytest.fixture()
def queue(tmp_path: Path) -> SuggestionQueue:
    engine = make_engine(f"sqlite:///{tmp_path}/answers.db")
    migrate(engine)
    return SuggestionQueue(engine)


def test_every_intent_of_the_shared_model_has_a_plain_english_name() -> None:
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    titles = intent_titles()
    assert set(titles) == set(domain["intents"])
    assert all(title and "_" not in title for title in titles.values())


def test_only_redacted_text_is_stored(queue: SuggestionQueue) -> None:
    raw = "bin missed at SW1A 1AA, ring 07700 900123 or jo@example.com, card 4111 1111 1111 1111"
    queue.suggest("millbrook", raw, "bin_missed", 3, "mill-staff")
    [stored] = queue.listing("millbrook")
    for secret in ("SW1A", "07700", "jo@example.com", "4111"):
        assert secret not in stored.text
    assert "[postcode]" in stored.text and "[email]" in stored.text
    assert (stored.status, stored.times_asked, stored.intent_title) == (
        PENDING,
        3,
        "Reporting a missed bin collection",
    )


def test_bad_suggestions_are_refused_and_repeats_not_queued(queue: SuggestionQueue) -> None:
    with pytest.raises(SuggestionError):
        queue.suggest("millbrook", "a question", "make_me_admin", 1, "mill-staff")
    with pytest.raises(SuggestionError):
        queue.suggest("millbrook", "   ", "greet", 1, "mill-staff")
    first = queue.suggest("millbrook", "dog fouling", "out_of_scope", 1, "mill-staff")
    assert queue.suggest("millbrook", "dog  fouling", "out_of_scope", 1, "mill-other") == first
    assert len(queue.listing(None)) == 1


def test_each_council_lists_its_own_and_administrators_all(queue: SuggestionQueue) -> None:
    queue.suggest("millbrook", "mill question", "greet", 1, "mill-staff")
    queue.suggest("brackenbury", "brack question", "greet", 1, "brack-staff")
    assert [s.text for s in queue.listing("millbrook")] == ["mill question"]
    assert {s.text for s in queue.listing(None)} == {"mill question", "brack question"}


def test_decisions(queue: SuggestionQueue) -> None:
    one = queue.suggest("millbrook", "first", "greet", 1, "mill-staff")
    two = queue.suggest("millbrook", "second", "greet", 1, "mill-staff")
    assert queue.decide(one, ACCEPTED, "admin") and queue.decide(two, REJECTED, "admin")
    assert not queue.decide(9999, ACCEPTED, "admin")
    with pytest.raises(SuggestionError):
        queue.decide(one, PENDING, "admin")
    assert [s.text for s in queue.listing(None, ACCEPTED)] == ["first"]
    assert queue.listing(None, ACCEPTED)[0].decided_by == "admin"


def test_export_is_rasa_nlu_yaml_read_back_by_rasa(queue: SuggestionQueue) -> None:
    wordings = {
        'can I get a "dog licence": cost # today?': "out_of_scope",
        "- my [postcode] bin, [x](y) and [a]{b}": "bin_missed",
        "pothole near school": "report_pothole",
        "pot hole by the school": "report_pothole",
    }
    for text, intent in wordings.items():
        queue.suggest("millbrook", text, intent, 1, "mill-staff")
    document = nlu_yaml(queue.listing(None))
    assert document.splitlines()[3:5] == ['version: "3.1"', "nlu:"]
    data = RasaYAMLReader().reads(document)
    read = {(m.get("text"), m.get("intent")) for m in data.intent_examples}
    assert ("pothole near school", "report_pothole") in read
    assert ('can I get a "dog licence": cost # today?', "out_of_scope") in read
    assert len(read) == len(wordings)
    assert not data.entity_examples  # nothing a resident typed becomes an annotation
    assert RasaYAMLReader().reads(nlu_yaml([])).intent_examples == []
