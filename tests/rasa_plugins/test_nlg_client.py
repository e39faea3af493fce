"""assistant.rasa_plugins.nlg_client: Rasa's side of the NLG hop, against a real NLG server process,
and its fallback to domain.yml when the NLG server cannot answer."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from assistant.isolation import free_port
from assistant.rasa_plugins.nlg_client import CouncilNLGClient
from assistant.settings import PROJECT_ROOT, Settings
from devtools.supervisor.services import nlg_service
from devtools.supervisor.stack import Stack


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(PROJECT_ROOT / "domain.yml"))


@pytest.fixture(scope="module")
def nlg_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    workdir: Path = tmp_path_factory.mktemp("nlg-client")
    settings = replace(
        Settings.from_env(),
        host="127.0.0.1",
        nlg_port=free_port(),
        answers_db=f"sqlite:///{workdir}/answers.db",
    )
    stack = Stack([nlg_service(settings)], log_dir=workdir / "logs")
    stack.start(timeout=60)
    yield f"{settings.nlg_url}/nlg"
    stack.stop()


def tracker(domain: Domain, council: str | None) -> DialogueStateTracker:
    state = DialogueStateTracker("client-test", domain.slots)
    if council:
        state.update(SlotSet("council", council))
    return state


async def generate_twice(client: CouncilNLGClient, *args: object, **kwargs: object) -> list:
    # Two calls on one loop: the kept-alive connection is reused.
    try:
        return [await client.generate(*args, **kwargs) for _ in range(2)]
    finally:
        await client.close()


def test_answers_come_from_the_nlg_server(nlg_url: str, domain: Domain) -> None:
    client = CouncilNLGClient(EndpointConfig(url=nlg_url), domain)
    first, second = asyncio.run(
        generate_twice(
            client,
            "utter_bin_collection_day",
            tracker(domain, "millbrook"),
            "collector",
            domain_responses=domain.responses,
        )
    )
    assert first == second
    assert "grey bin" in first["text"]  # Millbrook's seeded override, not domain.yml


def test_rule_responses_get_council_details_from_the_slot(nlg_url: str, domain: Domain) -> None:
    client = CouncilNLGClient(EndpointConfig(url=nlg_url), domain)
    [reply, _] = asyncio.run(
        generate_twice(client, "utter_human_handoff", tracker(domain, "brackenbury"), "collector")
    )
    assert "01632 960 100" in reply["text"]


def test_falls_back_to_domain_yml_when_the_server_is_down(domain: Domain) -> None:
    client = CouncilNLGClient(EndpointConfig(url=f"http://127.0.0.1:{free_port()}/nlg"), domain)
    [reply, _] = asyncio.run(
        generate_twice(client, "utter_goodbye", tracker(domain, "millbrook"), "collector")
    )
    assert reply["text"].startswith("Goodbye")


def test_at_rasa_run_with_no_domain_the_fallback_still_reads_domain_yml(domain: Domain) -> None:
    # `rasa run` builds the NLG client before the model is loaded: no domain at all.
    client = CouncilNLGClient(EndpointConfig(url=f"http://127.0.0.1:{free_port()}/nlg"), None)
    [reply, _] = asyncio.run(
        generate_twice(
            client,
            "utter_service_unavailable",
            tracker(domain, "millbrook"),
            "collector",
        )
    )
    # The council's details come from its council.yml, through the `council` slot.
    assert reply is not None and "01632 960 500" in reply["text"] and "{" not in reply["text"]


def welsh_tracker(domain: Domain, council: str, language: str | None) -> DialogueStateTracker:
    state = tracker(domain, council)
    if language:
        state.update(SlotSet("language", language))
    return state


def test_in_a_welsh_conversation_the_fallback_answers_in_welsh(domain: Domain) -> None:
    client = CouncilNLGClient(EndpointConfig(url=f"http://127.0.0.1:{free_port()}/nlg"), None)
    [reply, _] = asyncio.run(
        generate_twice(
            client, "utter_human_handoff", welsh_tracker(domain, "abercoed", "cy"), "collector"
        )
    )
    # cy.yml's text, with the council's Welsh name and hours and its phone number.
    assert reply["text"].startswith("Gallwch siarad â rhywun")
    assert "Cyngor Bwrdeistref Sirol Abercoed" in reply["text"]
    assert "dydd Llun i ddydd Gwener" in reply["text"] and "01632 960 300" in reply["text"]
    assert "{" not in reply["text"]


def test_the_welsh_fallback_follows_the_language_slot_and_the_council(domain: Domain) -> None:
    down = EndpointConfig(url=f"http://127.0.0.1:{free_port()}/nlg")

    def goodbye(council: str, language: str | None) -> str:
        client = CouncilNLGClient(down, domain)
        [reply, _] = asyncio.run(
            generate_twice(
                client, "utter_goodbye", welsh_tracker(domain, council, language), "collector"
            )
        )
        return str(reply["text"])

    assert goodbye("abercoed", "en").startswith("Goodbye")  # the resident switched to English
    assert goodbye("abercoed", None).startswith("Hwyl fawr")  # the council's first language
    assert goodbye("millbrook", "cy").startswith("Goodbye")  # an English-only council


def test_the_welsh_fallback_gives_action_values_in_welsh_forms(domain: Domain) -> None:
    from assistant.councils import default_registry
    from assistant.rasa_plugins import fallback_answers

    abercoed = default_registry().get("abercoed")
    values = fallback_answers.values_in(
        "cy",
        abercoed,
        {"collection_date": "Monday 7 December", "council_name": "Abercoed County Borough Council"},
    )
    assert values["collection_date"] == "dydd Llun 7 Rhagfyr"
    assert values["council_name"] == "Cyngor Bwrdeistref Sirol Abercoed"


def test_while_the_server_is_down_a_bilingual_council_still_greets_in_both(
    domain: Domain,
) -> None:
    down = EndpointConfig(url=f"http://127.0.0.1:{free_port()}/nlg")

    def greeting(council: str, language: str | None, channel: str = "collector") -> str:
        client = CouncilNLGClient(down, domain)
        state = welsh_tracker(domain, council, language)
        [reply, _] = asyncio.run(generate_twice(client, "utter_greet_council", state, channel))
        return str(reply["text"])

    welsh_first = greeting("abercoed", None)  # the council's first language leads
    assert welsh_first.startswith("Helo, fi yw cynorthwyydd ar-lein Cyngor Bwrdeistref")
    assert "\n\nHello" in welsh_first and "Abercoed County Borough Council" in welsh_first
    english_first = greeting("abercoed", "en")  # the conversation's language leads
    assert english_first.startswith("Hello") and "\n\nHelo, fi yw" in english_first
    assert "Helo" not in greeting("millbrook", None)  # an English-only council
    sms = greeting("abercoed", "cy", "sms")  # a chosen language by SMS: that one only
    assert sms.startswith("Helo") and "Hello" not in sms
