"""Council answer overrides through the whole stack: REST in, Rasa, the action servers
and back-office, the NLG server out. The overrides are the ones seeded from
councils/<id>/answers.yml, filled in with the back-office's values."""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.conftest import Chat

pytestmark = pytest.mark.e2e

MILLBROOK_RULE = "Put bins out by 7am"  # councils/millbrook/answers.yml
BRACKENBURY_LIBRARIES = "Brackenbury's five libraries"  # councils/brackenbury/answers.yml


def sender() -> str:
    return f"answers-{uuid.uuid4().hex[:10]}"


def test_millbrooks_local_bin_rule_is_added_to_the_back_office_answer(chat: Chat) -> None:
    me = sender()
    chat.texts(me, "when is my bin collected", "millbrook")
    answer = chat.texts(me, "MQ3 7ZD", "millbrook")
    assert "Next collections at The Old Forge" in answer  # {address} from the back-office
    assert MILLBROOK_RULE in answer


def test_override_applies_when_the_council_comes_from_the_postcode(chat: Chat) -> None:
    # The action answers in the same turn as it finds the council from the postcode.
    me = sender()
    chat.texts(me, "hi")
    chat.texts(me, "when do my bins get collected")
    assert MILLBROOK_RULE in chat.texts(me, "MQ3 7ZD")


def test_each_council_gets_its_own_answer(chat: Chat) -> None:
    question = "what are the library opening times"
    assert BRACKENBURY_LIBRARIES in chat.texts(sender(), question, "brackenbury")
    millbrook = chat.texts(sender(), question, "millbrook")
    assert BRACKENBURY_LIBRARIES not in millbrook
    assert "https://www.millbrook.example.gov.uk/libraries" in millbrook
