"""Issue 13: the Welsh demo council's page is in Welsh (lang="cy") with the active offer;
an English-only council's page is unchanged."""

from __future__ import annotations

from assistant.councils import default_registry
from assistant.web.server import render_council_page, widget_config

RASA = "http://localhost:5005"


def test_a_welsh_first_council_page_is_in_welsh_and_offers_both_languages() -> None:
    council = default_registry().get("abercoed")
    assert council is not None
    page = render_council_page(council, RASA)
    assert '<html lang="cy">' in page
    assert "Cyngor Bwrdeistref Sirol Abercoed" in page and "Neidio i&#x27;r sgwrs" in page
    assert '<p class="offer" lang="cy">' in page and '<p class="offer" lang="en-GB">' in page
    assert "Skip to the chat" not in page
    config = widget_config(council, RASA)
    assert config["lang"] == "cy" and config["languages"] == ["cy", "en"]


def test_an_english_council_page_has_no_offer_and_no_switch() -> None:
    council = default_registry().get("brackenbury")
    assert council is not None
    page = render_council_page(council, RASA)
    assert '<html lang="en-GB">' in page and 'class="offer"' not in page
    assert widget_config(council, RASA)["languages"] == ["en"]
