"""The apology a resident gets instead of silence."""

from __future__ import annotations

from assistant.councils import default_registry
from assistant.rasa_plugins.shared_responses import apology, shared_responses


def test_the_apology_gives_the_councils_own_contact_details() -> None:
    for council in default_registry():
        text = apology(council)
        assert council.contact["phone"] in text and council.contact["email"] in text
        assert "{" not in text  # every placeholder filled


def test_without_a_council_the_apology_still_says_what_to_do() -> None:
    text = apology(None)
    assert text.startswith("Sorry") and "contact your council" in text


def test_the_shared_responses_are_domain_yml_read_once() -> None:
    assert shared_responses() is shared_responses()
    assert "utter_greet" in shared_responses()


def test_the_apology_follows_the_conversations_language() -> None:
    abercoed = default_registry().get("abercoed")
    millbrook = default_registry().get("millbrook")
    assert abercoed is not None and millbrook is not None
    welsh = apology(abercoed)  # a Welsh council's first language
    assert welsh.startswith("Mae'n ddrwg gen i") and "Cyngor Bwrdeistref Sirol Abercoed" in welsh
    assert abercoed.contact["phone"] in welsh and "{" not in welsh
    english = apology(abercoed, {"language": "en"})  # the resident switched to English
    assert english.startswith("Sorry") and "Abercoed County Borough Council" in english
    assert apology(abercoed, {"language": "cy"}) == welsh
    assert apology(millbrook, {"language": "cy"}).startswith("Sorry")  # English only there
    assert apology(None, {"language": "cy"}).startswith("Mae'n ddrwg gen i")
