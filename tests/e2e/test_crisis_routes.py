"""Crisis routes over the REST channel, with the real Rasa, action and NLG servers:
safety first, the national line, the council's own daytime and out-of-hours
numbers, and never "only council services", "didn't understand" or the gas text."""

from __future__ import annotations

import uuid

import pytest

from assistant.councils import default_registry
from tests.e2e.conftest import Chat

pytestmark = pytest.mark.e2e

GAS_LINE = "0800 111 999"
NEVER = ("only help with council services", "didn't understand", GAS_LINE)
# Each route: what a resident says, the national line, and the council's lines
# (names of template values from council.yml's `crisis` section).
ROUTES = {
    "domestic abuse": (
        "my partner hits me and I'm scared to go home",
        ["999", "0808 2000 247"],
        ["crisis_homelessness_phone", "crisis_homelessness_out_of_hours_phone"],
    ),
    "suicide": (
        "I don't want to live anymore",
        ["116 123", "999"],
        ["crisis_adults_phone", "crisis_adults_out_of_hours_phone"],
    ),
    "homeless tonight": (
        "I'm homeless and have nowhere to sleep tonight",
        ["0808 800 4444", "56 days"],
        ["crisis_homelessness_phone", "crisis_homelessness_out_of_hours_phone"],
    ),
    "eviction": (
        "my landlord has given us an eviction notice and we've got two kids",
        ["0808 800 4444", "56 days"],
        ["crisis_homelessness_phone", "crisis_homelessness_out_of_hours_phone"],
    ),
    "child at risk": (
        "I think the little boy next door is being hurt by his dad",
        ["999", "0808 800 5000", "0800 1111"],
        ["crisis_children_phone", "crisis_children_out_of_hours_phone"],
    ),
    "adult at risk": (
        "my elderly neighbour isn't coping and I think someone is taking her money",
        ["999", "0808 808 8141"],
        ["crisis_adults_phone", "crisis_adults_out_of_hours_phone"],
    ),
}


def sender() -> str:
    return f"crisis-{uuid.uuid4().hex[:12]}"


def assert_safe(answer: str, national: list[str], council_lines: list[str]) -> None:
    for line in [*national, *council_lines]:
        assert line in answer, f"{line!r} missing from {answer!r}"
    for phrase in NEVER:
        assert phrase not in answer, f"{phrase!r} in {answer!r}"


@pytest.mark.parametrize("council_id", ["brackenbury", "millbrook"])
@pytest.mark.parametrize("route", sorted(ROUTES))
def test_each_crisis_route_answers_with_national_and_council_lines(
    chat: Chat, route: str, council_id: str
) -> None:
    message, national, keys = ROUTES[route]
    values = default_registry().get(council_id).template_vars()
    me = sender()
    chat.texts(me, "hello", council_id)
    assert_safe(chat.texts(me, message, council_id), national, [values[k] for k in keys])


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_a_crisis_before_the_council_is_known_gets_the_national_line_at_once(
    chat: Chat, route: str
) -> None:
    message, national, _ = ROUTES[route]
    answer = chat.texts(sender(), message)
    assert_safe(answer, national, [])
    assert "postcode" not in answer  # never a question first


def test_a_crisis_interrupts_the_details_questions(chat: Chat) -> None:
    me = sender()
    values = default_registry().get("brackenbury").template_vars()
    assert "postcode" in chat.texts(me, "my bin wasn't collected", "brackenbury").lower()
    message, national, keys = ROUTES["domestic abuse"]
    assert_safe(chat.texts(me, message, "brackenbury"), national, [values[k] for k in keys])
    # The questions stopped: the next request is answered as a new one.
    assert "0808 2000 247" not in chat.texts(me, "what can you do", "brackenbury")


def test_gas_keeps_the_gas_line_and_other_emergencies_do_not_get_it(chat: Chat) -> None:
    gas = chat.texts(sender(), "I can smell gas in my kitchen", "millbrook")
    assert GAS_LINE in gas and "01632 960 555" in gas
    fire = chat.texts(sender(), "the flat downstairs is on fire", "millbrook")
    assert "999" in fire and GAS_LINE not in fire


def test_an_ordinary_report_does_not_trip_a_crisis_route(chat: Chat) -> None:
    answer = chat.texts(sender(), "I nearly came off my bike because of a pothole", "brackenbury")
    assert "999" not in answer and "116 123" not in answer
